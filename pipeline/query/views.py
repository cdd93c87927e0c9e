"""DuckDB over the lake: extensions from their PyPI wheels, an S3 secret when the lake is on S3, views from `sql/`.

Each file in `sql/` holds one `CREATE OR REPLACE VIEW`, named as the file; `{lake}` in it is replaced by the lake's
URL. Base views (`articles`, `pages`, `issues`) read the Delta tables through the `delta` extension (the same
scan as `delta_scan`, which prunes data files by partition and by min/max statistics), each table attached as
`delta_<table>` with its version pinned when the connection is made: every query of a connection sees the same
versions (and the log is read once, not per query); connect again to see days published since. `issues` is
pinned first: a day's rows of the run it names were committed before it (`pipeline.lake.tables.publish_day`).
A table's rows of runs no `issues` row names (a day being published, a killed writer's leftovers) are found once
per connection, into `unpublished_<table>`, and the views leave them out (`_note_unpublished`).

Two settings keep a query from paying per-query fixed costs over HTTP (measured in `bench/lake.py`):

- filters are handed to the Delta log (`PUSHDOWN_FILTERS`) only when they are constants of the query
  (`WHERE issue_date BETWEEN …` skips whole files), never the dynamic filters of a join: each pushed filter
  makes the extension replay the table's log again through delta-kernel (one read of the checkpoint and each
  later log entry per query, ~50 ms on SeaweedFS), and a join's filter prunes nothing. DuckDB's Parquet reader still applies it to row groups.
- the connection's cache of remote file bytes is not revalidated (`validate_external_file_cache`): a Delta
  data file is never rewritten in place (every commit writes new, uniquely named files and a pinned version
  reads only its own), so a cached footer or row group can never be stale, and a repeated query makes no HEAD
  request per data file.

    from pipeline.query import connect
    con = connect("s3://archive/epaper")        # or a folder; AWS_* from the environment
    con.sql("SELECT issue_date, title FROM articles WHERE issue_date >= DATE '2023-05-01'").show()
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from pathlib import Path

import duckdb

from pipeline.config import DEFAULT_LAKE
from pipeline.lake.store import Store, StoreError, open_store

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"  # the project's top-level sql/
BASE_VIEWS = ("issues", "pages", "articles", "fetches")  # issues first: the others read it too, so its failure names it
# See the module doc: the log is read once per connection, and only a query's constant filters prune files.
ATTACH_OPTIONS = "(TYPE delta, PIN_SNAPSHOT, PUSHDOWN_FILTERS 'constant_only')"
# Tables whose rows carry the run that wrote them, shown only for the run the day's `issues` row names.
RUN_TABLES = ("articles", "pages", "fetches")
# Tables a lake may lack (a lake converted from the old layout has no `fetches` until a site day is published).
OPTIONAL = frozenset({"fetches"})


class LakeEmptyError(RuntimeError):
    """The lake has no archived day yet."""


def extension_path(name: str) -> str:
    """Path of a DuckDB extension binary shipped by the `duckdb-extension-<name>` wheel for this DuckDB version."""
    module = importlib.import_module(f"duckdb_extension_{name}")
    root = Path(str(module.__file__)).parent / "extensions" / f"v{duckdb.__version__}"
    return str(next(root.glob(f"{name}.duckdb_extension")))


def connect(lake: str | None = None, env: Mapping[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake's views (`lake`: a folder or `s3://bucket/prefix`; default as the CLI:
    `EPAPER_LAKE`, else `./lake`). Raises `LakeEmptyError` when nothing is archived yet, `StoreError` when the
    store cannot be reached."""
    env = os.environ if env is None else env
    store = open_store(lake or env.get("EPAPER_LAKE") or DEFAULT_LAKE, env)
    con = duckdb.connect()
    con.execute(f"LOAD {_sql_str(str(extension_path('delta')))}")
    con.execute("SET validate_external_file_cache = 'NO_VALIDATION'")  # see the module doc
    con.execute("SET parquet_metadata_cache = true")
    if store.is_s3:
        _attach_s3(con, store)
    if not store.list("issues/_delta_log"):
        store.require_bucket()
        if any("/issue_date=" in key for key in store.list("issues")):
            raise LakeEmptyError(f"the lake at {store.uri} is in the old layout; convert it once with `epaper migrate`")
        raise LakeEmptyError(f"the lake at {store.uri} has no archived day yet; run `epaper run --date …` first")
    absent = {t for t in OPTIONAL if not store.list(f"{t}/_delta_log")}
    for table in (t for t in BASE_VIEWS if t not in absent):  # issues first: see the module doc
        try:
            con.execute(f"ATTACH {_sql_str(store.url(table))} AS delta_{table} {ATTACH_OPTIONS}")
        except duckdb.Error as exc:  # attaching reads the table's log: a damaged log fails here
            raise StoreError(f"cannot read table {table} at {store.url(table)}: {describe_error(exc)}") from None
    for path in (p for p in view_files() if p.stem not in absent):
        if path.stem in RUN_TABLES:  # after the `issues` view, whose creation reads (and names) its log first
            _note_unpublished(con, store, path.stem)
        # The lake's URL goes inside a quoted SQL string: a quote in a folder name must not end it.
        sql = path.read_text(encoding="utf-8").replace("{lake}", store.url("").rstrip("/").replace("'", "''"))
        try:
            con.execute(sql)
        except duckdb.Error as exc:  # a base view reads its table's log when created: a damaged log fails here
            raise StoreError(
                f"cannot read table {path.stem} at {store.url(path.stem)}: {describe_error(exc)}"
            ) from None
    return con


def _note_unpublished(con: duckdb.DuckDBPyConnection, store: Store, table: str) -> None:
    """Make the temp table `unpublished_<table>`: each (paper, issue_date, run_id) of `table`'s rows that no
    `issues` row names, i.e. a day a writer is publishing now, or one a killed writer left behind.

    The views show a table's rows less these (an anti-join), which is the same set as the rows whose run the
    day's `issues` row names, because the versions are pinned when the connection is made: the set is a property
    of the pinned snapshot and is found once, here, not per query. Almost always it is empty, and the anti-join
    then costs a query only the reading of the three key columns (a few ms at 20 years), where the join with
    every day's `issues` row cost a hash join of every row on them per query (~50 ms; `bench/lake.py`).
    """
    try:
        con.execute(
            f"CREATE TEMP TABLE unpublished_{table} AS SELECT DISTINCT t.paper, t.issue_date, t.run_id "
            f"FROM delta_{table} t ANTI JOIN delta_issues i "
            "ON t.paper = i.paper AND t.issue_date = i.issue_date AND t.run_id = i.run_id"
        )
    except duckdb.Error as exc:  # this is the first read of the table's data files
        raise StoreError(f"cannot read table {table} at {store.url(table)}: {describe_error(exc)}") from None


def describe_error(exc: BaseException) -> str:
    """One line for a failed query: DuckDB's first line, with the lake table it was reading when DuckDB's
    message shows it (a damaged log or data file fails inside `delta_scan`, whose message is a Rust backtrace)."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    table = re.search(r"delta_(articles|pages|issues|fetches)\b", text) or re.search(
        r"/(articles|pages|issues|fetches)/", text
    )
    return f"reading table {table.group(1)}: {first}" if table else first


def view_files() -> list[Path]:
    """`sql/*.sql`, base views first, then the rest by name."""
    files = sorted(SQL_DIR.glob("*.sql"))
    return sorted(
        files, key=lambda p: (p.stem not in BASE_VIEWS, BASE_VIEWS.index(p.stem) if p.stem in BASE_VIEWS else 0, p.stem)
    )


def _attach_s3(con: duckdb.DuckDBPyConnection, store: Store) -> None:
    """Load httpfs and give DuckDB the store's S3 settings as a secret: path-style, SSL as the endpoint says.

    The statement holds the secret key, and DuckDB quotes a statement in its parse errors, so a failure here is
    re-raised as a `StoreError` that names neither key. Timeouts and retries follow the store's, so a dead
    endpoint fails in seconds here too.
    """
    con.execute(f"LOAD {_sql_str(str(extension_path('httpfs')))}")
    opts = store.s3
    assert opts is not None
    con.execute(f"SET http_timeout = {max(1, round(opts.request_timeout))}")
    con.execute(f"SET http_retries = {max(0, opts.max_attempts - 1)}")
    parts = ["TYPE s3", f"REGION {_sql_str(opts.region)}"]
    if opts.access_key:
        parts += [f"KEY_ID {_sql_str(opts.access_key)}", f"SECRET {_sql_str(opts.secret_key or '')}"]
    if opts.host:
        parts += [
            f"ENDPOINT {_sql_str(opts.host)}",
            "URL_STYLE 'path'",
            f"USE_SSL {str(opts.scheme == 'https').lower()}",
        ]
    try:
        con.execute(f"CREATE OR REPLACE SECRET lake ({', '.join(parts)})")
    except duckdb.Error:
        raise StoreError(f"could not give DuckDB the S3 settings for {store.uri} (check the AWS_* variables)") from None


def _sql_str(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"
