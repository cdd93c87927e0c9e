"""The lake's layout on a `Store`, and day-partition writes.

Layout (keys relative to the lake root):

- `raw/<paper>/<YYYY-MM-DD>/<NN>.<ext>`: the archived page bytes, as the source delivered them;
  `raw/<paper>/<YYYY-MM-DD>/<NN>/<name>`: a site page's other objects (index, image, article pages);
- `<table>/paper=<paper>/issue_date=<YYYY-MM-DD>/part-0.parquet` for `issues`, `pages`, `articles`, `fetches`: hive
  partitions, one zstd Parquet object per table and day;
- `_staging/<paper>/<YYYY-MM-DD>/<run>/…`: per-page work of an orchestrated run, removed when the day is published
  complete (kept when incomplete, so re-running the failed page publishes the whole day).

A day is written by replacing each table's one object (atomic per object, see `storage`), `issues` last so that a
day's `issues` row means its other partitions are in place. Re-running a day replaces that day exactly.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.lake.store import Store

TABLES = ("articles", "pages", "fetches", "issues")
_PART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,159}$")


def partition_key(table: str, paper: str, issue_date: dt.date) -> str:
    """Key of the one Parquet object holding `table` for one paper and day."""
    return f"{table}/paper={paper}/issue_date={issue_date.isoformat()}/part-0.parquet"


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


def parquet_bytes(table: pa.Table) -> bytes:
    """Serialise a table as zstd Parquet. The partition columns live in the path, so they are dropped here."""
    keep = [c for c in table.column_names if c not in ("paper", "issue_date")]
    buf = io.BytesIO()
    pq.write_table(table.select(keep), buf, compression="zstd")
    return buf.getvalue()


def write_day(store: Store, paper: str, issue_date: dt.date, tables: dict[str, pa.Table]) -> list[str]:
    """Replace one day's partitions of the given tables; returns the keys written, `issues` last."""
    order = [t for t in TABLES if t in tables]
    keys = []
    for name in order:
        key = partition_key(name, paper, issue_date)
        store.write_bytes(key, parquet_bytes(tables[name]))
        keys.append(key)
    return keys


def read_day(store: Store, table: str, paper: str, issue_date: dt.date) -> pa.Table | None:
    """One day's partition of a table (without the partition columns), or None if it was never written."""
    key = partition_key(table, paper, issue_date)
    if not store.exists(key):
        return None
    # use_threads=False: pyarrow 26 can abort the interpreter at exit ("terminate called without an active
    # exception") after a threaded read from a Python file object (apache/arrow#50482); one small object per day
    # gains nothing from threads anyway.
    return pq.read_table(io.BytesIO(store.read_bytes(key)), use_threads=False)
