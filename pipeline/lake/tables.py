"""The lake's tables as Delta Lake tables on a `Store`, and the day publish.

Layout (keys relative to the lake root, a folder or `s3://bucket/prefix`):

- `raw/<paper>/<YYYY-MM-DD>/<NN>.<ext>`: the archived page bytes, plain objects, as the source delivered them;
  `raw/<paper>/<YYYY-MM-DD>/<NN>/<name>`: a site page's other objects (index, image, article pages);
- `articles/`, `pages/`, `fetches/`, `issues/`: Delta tables (`_delta_log/` + zstd Parquet), partitioned by `paper` and
  `year`. A daily partition would leave compaction nothing to merge: a year of a daily paper is one partition.
- `_search/`: the full-text index (`pipeline.lake.index`);
- `_staging/<paper>/<YYYY-MM-DD>/<run>/…`: per-page work of an orchestrated run (`pipeline.staging`).

Each table's columns are its record schema from `pipeline.models` with the lake's bookkeeping columns first:
`issue_date`, `paper`, `year` (the partition) and `run_id` (the publishing run); the date comes first so its
min/max statistics are always collected and `delta_scan` prunes files by date. `articles` also carries the jieba
words of each story (`title_words`, `body_words`), cut once at publish time for the search index.

Publishing a day (`publish_day`) is one Delta commit per table, `articles`, then `pages`, then `issues` last,
each a predicate overwrite of that day (`paper = … AND issue_date = …`), and every row carries the publishing
run's id. The views (`sql/`) show a day's `articles` and `pages` rows only where their `run_id` matches the day's
`issues` row, and the first two commits keep the rows of the run `issues` names, so until the `issues` commit
lands a reader sees the previous version of the day whole, and from then on the new one: never half a day, and a
writer killed at any step leaves the previous version readable. Writers of different days commit concurrently
(delta-rs retries a commit over others that touched other rows); a writer that loses a race for the same day gets
`ConcurrentDayError` (retryable) naming the table and the day, and its retry publishes the day again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, WriterProperties, write_deltalake
from deltalake.exceptions import CommitFailedError, DeltaError, TableNotFoundError

from pipeline.errors import TransientError
from pipeline.lake.store import Store, StoreError
from pipeline.models import ARTICLES_SCHEMA, FETCHES_SCHEMA, ISSUES_SCHEMA, PAGES_SCHEMA

# Publish order: `issues` last, because its row is what makes the day's other rows visible.
TABLES = ("articles", "pages", "fetches", "issues")
# Record schema of each table (a new table is one more entry here).
RECORD_SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES_SCHEMA,
    "pages": PAGES_SCHEMA,
    "fetches": FETCHES_SCHEMA,
    "issues": ISSUES_SCHEMA,
}
PARTITION_BY = ["paper", "year"]
# Bookkeeping columns every table carries, first. `year` is the partition; `run_id` ties a day's rows together.
LAKE_FIELDS = [
    pa.field("issue_date", pa.date32()),
    pa.field("paper", pa.string()),
    pa.field("year", pa.int32()),
    pa.field("run_id", pa.string()),
]
# Jieba words of each story, space-joined, for the search index (`pipeline.lake.index`).
WORD_FIELDS = [pa.field("title_words", pa.string()), pa.field("body_words", pa.string())]
_log = logging.getLogger(__name__)
_PART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,159}$")
WRITER = WriterProperties(compression="ZSTD", compression_level=3)
# A checkpoint every 10 commits (Delta's default: 100): every open of a table replays the log entries written
# since its last checkpoint, one GET each on S3, and a day's publish opens its tables a dozen times, so with 100 a
# publish got slower with every day until the next checkpoint (bench/lake.py).
TABLE_CONFIG = {"delta.checkpointInterval": "10"}


class ConcurrentDayError(TransientError):
    """Another writer published the same day while this one did; re-running the day replaces it again."""


def lake_schema(table: str) -> pa.Schema:
    """The Delta table's schema: the bookkeeping columns, then the record's (and, for `articles`, its words)."""
    lead = {f.name for f in LAKE_FIELDS}
    rest = [f for f in RECORD_SCHEMAS[table] if f.name not in lead]
    return pa.schema(LAKE_FIELDS + rest + (WORD_FIELDS if table == "articles" else []))


def new_run_id(prefix: str = "cli") -> str:
    """A run id for a publish outside an orchestrator: `<prefix>-<UTC time>-<random>`, unique per call."""
    return f"{prefix}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"


def raw_key(paper: str, issue_date: dt.date, page: int, kind: str) -> str:
    """Key of a page's archived bytes."""
    return f"{raw_prefix(paper, issue_date)}/{page:02d}.{kind}"


def part_key(paper: str, issue_date: dt.date, page: int, name: str) -> str:
    """Key of one more object fetched for a page (a site's page index, image, article pages):
    `raw/<paper>/<date>/<NN>/<name>`. `name` must be a plain file name; anything else (`..`, a slash, a
    backslash) is refused, so no name from a site can leave the page's folder."""
    if not _PART_NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"not a safe raw object name: {name!r}")
    return f"{raw_prefix(paper, issue_date)}/{page:02d}/{name}"


def raw_prefix(paper: str, issue_date: dt.date) -> str:
    """Folder of one day's archived page bytes."""
    return f"raw/{paper}/{issue_date.isoformat()}"


def staging_prefix(paper: str, issue_date: dt.date, run: str | None = None) -> str:
    """Folder of one day's staged work; with `run` (an orchestrator's run id), of that run only, so two runs of
    one date never touch each other's pages."""
    base = f"_staging/{paper}/{issue_date.isoformat()}"
    return f"{base}/{re.sub(r'[^A-Za-z0-9_.-]+', '_', run)}" if run else base


def table_uri(store: Store, table: str) -> str:
    """URI of a Delta table for delta-rs and DuckDB: an absolute path or `s3://bucket/prefix/<table>`."""
    return store.url(table)


def storage_options(store: Store) -> dict[str, str] | None:
    """delta-rs storage options for the store (None for a folder)."""
    return store.s3.delta_options() if store.s3 is not None else None


def open_table(store: Store, table: str) -> DeltaTable | None:
    """The Delta table at its latest version, or None when it was never written."""
    try:
        return DeltaTable(table_uri(store, table), storage_options=storage_options(store))
    except TableNotFoundError:
        return None
    except (DeltaError, OSError) as exc:
        raise _table_error(store, table, "open", exc) from None


def read_partitions(
    delta: DeltaTable, partitions: list[tuple[str, str, Any]] | None, columns: list[str] | None = None
) -> pa.Table:
    """The rows of the data files in the given partitions (`(column, op, value)` filters on `paper` / `year`,
    values as strings; None: all), only `columns` if given. The files are chosen while the log is replayed, before
    any is opened (delta-rs's `file_pruning_predicate`)."""
    return delta.to_pyarrow_dataset(file_pruning_predicate=partitions).to_table(columns=columns)


def day_predicate(paper: str, issue_date: dt.date) -> str:
    """The SQL predicate selecting one paper's day (for overwrite and reads)."""
    return f"paper = '{_sql(paper)}' AND issue_date = '{issue_date.isoformat()}'"


def with_lake_columns(table: str, data: pa.Table, run_id: str, words: Callable[[str], str] | None = None) -> pa.Table:
    """Record rows (in the record schema) as the Delta table's rows: bookkeeping columns added, words cut."""
    n = data.num_rows
    cols: dict[str, Any] = {name: data.column(name) for name in data.column_names}
    cols["year"] = pa.array([d.year for d in data.column("issue_date").to_pylist()], pa.int32())
    cols["run_id"] = pa.array([run_id] * n, pa.string())
    if table == "articles":
        cut = words or _no_words
        titles = data.column("title").to_pylist()
        rest = zip(
            data.column("kicker").to_pylist(),
            data.column("subtitle").to_pylist(),
            data.column("body").to_pylist(),
            strict=True,
        )
        cols["title_words"] = pa.array([cut(t or "") for t in titles], pa.string())
        cols["body_words"] = pa.array([cut(" ".join(p or "" for p in parts)) for parts in rest], pa.string())
    schema = lake_schema(table)
    return pa.Table.from_pydict({f.name: cols[f.name] for f in schema}, schema=schema)


def write_rows(
    store: Store,
    table: str,
    rows: pa.Table,
    predicate: str | None,
    what: str,
    metadata: Mapping[str, str] | None = None,
) -> int:
    """One commit replacing the rows matching `predicate` with `rows`, or appending them when `predicate` is None
    (the table is created on first write); returns the new version. `what` names the rows in errors."""
    uri = table_uri(store, table)
    props = CommitProperties(custom_metadata=dict(metadata or {}))
    for attempt in range(2):
        existed = attempt > 0 or _exists(store, table)
        try:
            common: dict[str, Any] = {
                "partition_by": PARTITION_BY,
                "storage_options": storage_options(store),
                "writer_properties": WRITER,
                "commit_properties": props,
                "configuration": TABLE_CONFIG,  # applies when the write creates the table
            }
            with native_stderr_to_log():
                if predicate is None:
                    write_deltalake(uri, rows, mode="append", **common)
                else:
                    write_deltalake(uri, rows, mode="overwrite", predicate=predicate, **common)
            break
        except CommitFailedError as exc:
            if not existed:  # two writers created the table at once: the loser retries on the table now there
                continue
            raise ConcurrentDayError(
                _paper_of(rows), _date_of(rows), None, f"table {table}: another writer committed {what} first ({exc})"
            ) from None
        except (DeltaError, OSError) as exc:
            raise _table_error(store, table, f"write {what} of", exc) from None
    dt_ = open_table(store, table)
    return dt_.version() if dt_ is not None else 0


def publish_day(
    store: Store,
    paper: str,
    issue_date: dt.date,
    tables: Mapping[str, pa.Table],
    run_id: str,
    words: Callable[[str], str] | None = None,
    after: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Publish one day: `articles`, `pages`, then `issues`, one commit each; returns each table's version.

    `tables` hold record rows (record schemas). Steps (see the README's protocol):

    1. note the runs whose rows the day has now (the published one, leftovers of dead runs);
    2. `articles` and `pages`: append this run's rows (appends never conflict; readers do not see them yet);
    3. read them back: if another writer's clean-up removed them meanwhile, stop (`ConcurrentDayError`);
    4. `issues`: a predicate overwrite of the day's row; from this commit on readers see the new day whole
       (two writers overwriting the row at once: delta-rs fails one commit, `ConcurrentDayError`);
    5. delete the rows of the runs noted in step 1 (never those of a writer that started later);
    6. read this run's rows back once more: if a concurrent writer's clean-up removed them after all, the day
       is shown empty rather than mixed, and `ConcurrentDayError` makes the task retry, which converges.

    `after` (tests) is called with each table's name once its step-2 or step-4 commit is done.
    """
    day = day_predicate(paper, issue_date)
    what = f"day {issue_date.isoformat()}"
    meta = {"epaper.run_id": run_id, "epaper.day": f"{paper} {issue_date.isoformat()}"}
    parts = [t for t in TABLES if t in tables and t != "issues"]
    seen = {name: _runs(store, name, paper, issue_date) - {run_id} for name in parts}
    versions: dict[str, int] = {}
    for name in parts:
        if run_id in _runs(store, name, paper, issue_date):  # a retry of this run: its earlier rows go first
            drop_runs(store, name, paper, issue_date, {run_id})
        rows = with_lake_columns(name, tables[name], run_id, words)
        versions[name] = write_rows(store, name, rows, None, what, meta)
        if after is not None:
            after(name)
    for name in parts:
        _check_present(store, name, paper, issue_date, run_id, tables[name].num_rows)
    if "issues" in tables:
        rows = with_lake_columns("issues", tables["issues"], run_id, words)
        versions["issues"] = write_rows(store, "issues", rows, day, what, meta)
        if after is not None:
            after("issues")
        for name in parts:
            versions[name] = drop_runs(store, name, paper, issue_date, seen[name]) or versions[name]
        for name in parts:
            _check_present(store, name, paper, issue_date, run_id, tables[name].num_rows)
    return versions


def published_run(store: Store, paper: str, issue_date: dt.date) -> str | None:
    """The run id on the day's `issues` row (None when the day is not published)."""
    rows = read_rows(store, "issues", paper, issue_date, ["run_id"])
    return str(rows.column("run_id")[0].as_py()) if rows is not None and rows.num_rows else None


def drop_runs(store: Store, table: str, paper: str, issue_date: dt.date, runs: set[str]) -> int | None:
    """Delete the day's rows of `runs`; returns the new version, or None when there was nothing to delete or a
    concurrent commit won (the rows, invisible, are then left for the next publish of the day or compaction)."""
    delta = open_table(store, table)
    if delta is None or not runs:
        return None
    listed = ", ".join(f"'{_sql(r)}'" for r in sorted(runs))
    predicate = f"{day_predicate(paper, issue_date)} AND run_id IN ({listed})"
    try:
        metrics = delta.delete(predicate, commit_properties=CommitProperties(custom_metadata={"epaper.drop": listed}))
    except CommitFailedError:
        return None
    except (DeltaError, OSError) as exc:
        raise _table_error(store, table, f"clean day {issue_date.isoformat()} of", exc) from None
    return delta.version() if metrics.get("num_deleted_rows") else None


def _runs(store: Store, table: str, paper: str, issue_date: dt.date) -> set[str]:
    rows = read_rows(store, table, paper, issue_date, ["run_id"])
    return set(rows.column("run_id").to_pylist()) if rows is not None else set()


def read_day(store: Store, table: str, paper: str, issue_date: dt.date) -> pa.Table | None:
    """One day's published rows of a table in its record schema (rows of the run the day's `issues` row names),
    or None if the day was never published."""
    issue = read_rows(store, "issues", paper, issue_date)
    if issue is None or issue.num_rows == 0:
        return None
    rows = read_rows(store, table, paper, issue_date) if table != "issues" else issue
    if rows is None:
        return None
    run = issue.column("run_id")[0].as_py()
    rows = rows.filter(pc.equal(rows.column("run_id"), run))
    if "seq" in rows.column_names:  # stories in page order, as written (a scan returns files in any order)
        rows = rows.sort_by([("page", "ascending"), ("seq", "ascending")])
    return rows.select(RECORD_SCHEMAS[table].names).cast(RECORD_SCHEMAS[table])


def read_rows(
    store: Store, table: str, paper: str, issue_date: dt.date, columns: list[str] | None = None
) -> pa.Table | None:
    """Every row of one day in a table, whatever run wrote it (None when the table does not exist)."""
    dt_ = open_table(store, table)
    if dt_ is None:
        return None
    # The date filter skips, by their min/max statistics, the data files of the year's other days: a publish
    # reads a few files of its day, not one file per day published so far that year.
    partitions = [("paper", "=", paper), ("year", "=", str(issue_date.year)), ("issue_date", "=", issue_date)]
    try:
        rows = read_partitions(dt_, partitions, None if columns is None else [*columns, "issue_date"])
        rows = rows.filter(pc.equal(rows.column("issue_date"), pa.scalar(issue_date, pa.date32())))
        return rows if columns is None else rows.select(columns)
    except (DeltaError, OSError) as exc:
        raise _table_error(store, table, f"read day {issue_date.isoformat()} of", exc) from None


def _check_present(store: Store, table: str, paper: str, issue_date: dt.date, run_id: str, n: int) -> None:
    rows = read_rows(store, table, paper, issue_date, ["run_id"])
    mine = rows.column("run_id").to_pylist().count(run_id) if rows is not None else 0
    if mine != n:
        raise ConcurrentDayError(
            paper,
            issue_date,
            None,
            f"table {table}: a concurrent writer of this day removed this run's rows; re-run the day",
        )


@contextlib.contextmanager
def native_stderr_to_log() -> Iterator[None]:
    """Send what native code writes to stderr meanwhile to this module's debug log instead.

    delta-rs's I/O threads print a Rust panic message straight to file descriptor 2 when a connection drops in
    the middle of an upload, beside the error it then raises; the error is what the user needs (one line), the
    panic text is kept for debugging only.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to redirect
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            if text := sink.read().decode("utf-8", "replace").strip():
                _log.debug("delta-rs wrote to stderr: %s", text)


def _exists(store: Store, table: str) -> bool:
    return DeltaTable.is_deltatable(table_uri(store, table), storage_options=storage_options(store))


def _no_words(text: str) -> str:
    return ""


def _paper_of(rows: pa.Table) -> str:
    return str(rows.column("paper")[0].as_py()) if rows.num_rows else "?"


def _date_of(rows: pa.Table) -> dt.date | None:
    return rows.column("issue_date")[0].as_py() if rows.num_rows else None


def _sql(value: str) -> str:
    return value.replace("'", "''")


def _table_error(store: Store, table: str, action: str, exc: BaseException) -> StoreError:
    """One line naming the table and the first line of delta-rs's message (never a credential: delta-rs does not
    print its storage options). Network failures are retryable."""
    if store.is_s3:  # delta-rs says "Generic S3 error": the store's own client says what to check
        try:
            store.exists(f"{table}/_delta_log/_last_checkpoint")
        except StoreError as probe:
            return probe
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    retryable = any(w in text.lower() for w in ("connect", "timed out", "timeout", "error sending request"))
    return StoreError(f"cannot {action} table {table} at {table_uri(store, table)}: {text}", retryable=retryable)
