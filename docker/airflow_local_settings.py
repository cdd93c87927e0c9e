"""Airflow local settings for the one-command standalone Airflow (`docker/airflow-standalone.sh` copies this file
into `$AIRFLOW_HOME/config/`, which every Airflow process of that home imports, the CLI included).

Contract: on a SQLite metadata database, every connection waits up to `SQLITE_BUSY_SECONDS` for a lock instead of
SQLite's default 5 s (the API server's async engine too), the database runs in write-ahead-log mode, where readers
never wait for a writer, and a savepoint opened outside a transaction opens it as a write transaction
(`BEGIN IMMEDIATE`).
Standalone runs the scheduler, dag-processor, triggerer, API server and the tasks on one SQLite file; a write from a
second process (e.g. `airflow backfill create` while the scheduler commits its loop) otherwise fails with
`database is locked` on a loaded machine, and API reads stall behind every commit. Other databases are left exactly
as Airflow makes them.

Why the savepoint: Python's sqlite3 opens a transaction only before a data-changing statement, so a transaction
normally takes the write lock with its first statement, waiting for it as long as the busy timeout allows. SQLite
itself opens a *deferred* transaction at a `SAVEPOINT` (SQLAlchemy's `begin_nested`, which `airflow backfill
create` uses for each run it creates); the reads that follow pin a snapshot, and the first write then has to
upgrade it. If another process committed in between, that snapshot is stale and SQLite fails the write at once
(SQLITE_BUSY_SNAPSHOT, reported as `database is locked`) without waiting. Taking the write lock at the savepoint
leaves nothing to upgrade.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_SECONDS = 60


def _write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    """WAL is a property of the database file; setting it on each new connection is idempotent and cheap."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _savepoint_writes(conn: Connection, _name: str) -> None:
    """Before SQLAlchemy emits a SAVEPOINT: if no transaction is open on the driver's connection, open one that
    holds the write lock (see the module's docstring). Inside an open transaction the savepoint only nests."""
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")


def create_metadata_engine(
    sql_alchemy_conn: str, *, engine_args: dict[str, Any], connect_args: dict[str, Any]
) -> Engine:
    """Airflow's own engine (see `airflow.settings.create_metadata_engine`), tuned for SQLite as stated above."""
    if not sql_alchemy_conn.startswith("sqlite"):
        return create_engine(sql_alchemy_conn, connect_args=connect_args, **engine_args, future=True)
    connect_args = {**connect_args, "timeout": SQLITE_BUSY_SECONDS}
    engine = create_engine(sql_alchemy_conn, connect_args=connect_args, **engine_args, future=True)
    event.listen(engine, "connect", _write_ahead_log)
    event.listen(engine, "savepoint", _savepoint_writes)
    return engine


def create_async_metadata_engine(
    sql_alchemy_conn_async: str, *, connect_args: dict[str, Any], engine_args: dict[str, Any] | None = None
) -> AsyncEngine:
    """Airflow's async engine (the API server's; see `airflow.settings.create_async_metadata_engine`): on SQLite
    it waits as long for a lock as the sync one."""
    if sql_alchemy_conn_async.startswith("sqlite"):
        connect_args = {**connect_args, "timeout": SQLITE_BUSY_SECONDS}
    return create_async_engine(sql_alchemy_conn_async, connect_args=connect_args, **(engine_args or {}), future=True)
