"""Airflow local settings for the one-command standalone Airflow (`docker/airflow-standalone.sh` copies this file
into `$AIRFLOW_HOME/config/`, which every Airflow process of that home imports, the CLI included).

Contract: on a SQLite metadata database, every connection waits up to `SQLITE_BUSY_SECONDS` for a lock instead of
SQLite's default 5 s, and the database runs in write-ahead-log mode, where readers never wait for a writer.
Standalone runs the scheduler, dag-processor, triggerer, API server and the tasks on one SQLite file; a write from a
second process (e.g. `airflow backfill create` while the scheduler commits its loop) otherwise fails with
`database is locked` on a loaded machine, and API reads stall behind every commit. Other databases are left exactly
as Airflow makes them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

SQLITE_BUSY_SECONDS = 60


def _write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    """WAL is a property of the database file; setting it on each new connection is idempotent and cheap."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_metadata_engine(
    sql_alchemy_conn: str, *, engine_args: dict[str, Any], connect_args: dict[str, Any]
) -> Engine:
    """Airflow's own engine (see `airflow.settings.create_metadata_engine`), tuned for SQLite as stated above."""
    if not sql_alchemy_conn.startswith("sqlite"):
        return create_engine(sql_alchemy_conn, connect_args=connect_args, **engine_args, future=True)
    connect_args = {**connect_args, "timeout": SQLITE_BUSY_SECONDS}
    engine = create_engine(sql_alchemy_conn, connect_args=connect_args, **engine_args, future=True)
    event.listen(engine, "connect", _write_ahead_log)
    return engine
