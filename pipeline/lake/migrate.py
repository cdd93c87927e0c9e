"""Convert a lake of the old layout to Delta tables, once: nothing archived is lost, and a killed run is re-run.

The old layout kept one zstd Parquet object per table and day, `<table>/paper=<p>/issue_date=<d>/part-0.parquet`
(the partition columns in the path only). `migrate_lake` reads them a year at a time, adds the partition and
bookkeeping columns (all rows get one run id, `migrate-<time>`; stories get their jieba words), and writes each
year with one predicate overwrite per table (`paper = … AND year = …`), `issues` last as for a publish. Only when
every year is written and the Delta tables hold as many rows as the old objects does it delete the old objects
(`raw/` is untouched: it is the same in both layouts). A run killed at any point leaves the old objects in place;
running it again rewrites the same years and finishes. The search index is then built from the tables.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.lake.index import published_days, sync_index, words
from pipeline.lake.store import Store, StoreError
from pipeline.lake.tables import RECORD_SCHEMAS, TABLES, new_run_id, with_lake_columns, write_rows

_OLD_KEY = re.compile(r"^(?P<table>\w+)/paper=(?P<paper>[^/]+)/issue_date=(?P<date>\d{4}-\d{2}-\d{2})/part-0\.parquet$")


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """Days converted and old objects removed."""

    days: int
    objects: int


def old_objects(store: Store) -> dict[str, list[tuple[str, dt.date, str]]]:
    """The old layout's objects per table: (paper, day, key)."""
    found: dict[str, list[tuple[str, dt.date, str]]] = defaultdict(list)
    for table in TABLES:
        for key in store.list(table):
            if m := _OLD_KEY.match(key):
                found[table].append((m["paper"], dt.date.fromisoformat(m["date"]), key))
    return found


def migrate_lake(store: Store) -> MigrationReport:
    """Convert every old-layout object to the Delta tables (see the module doc); a lake without any is left as is."""
    found = old_objects(store)
    if not found:
        return MigrationReport(0, 0)
    run_id = new_run_id("migrate")
    published = published_days(store)  # a day published to Delta since is newer than its old object: kept
    groups = sorted({(p, d.year) for objs in found.values() for p, d, _ in objs})
    for paper, year in groups:
        days = sorted(
            {d for p, d, _ in found.get("issues", []) if p == paper and d.year == year}
            - {d for p, d in published if p == paper}
        )
        if not days:
            continue
        dates = ", ".join(f"'{d.isoformat()}'" for d in days)
        predicate = f"paper = '{paper.replace(chr(39), chr(39) * 2)}' AND year = {year} AND issue_date IN ({dates})"
        for table in TABLES:
            day_keys = [(d, k) for p, d, k in found.get(table, []) if p == paper and d in days]
            rows = with_lake_columns(table, _read_old(store, table, paper, day_keys), run_id, words)
            write_rows(store, table, rows, predicate, f"year {year} (migration)", {"epaper.run_id": run_id})
    _verify(store, found)
    old_keys = [key for objs in found.values() for _, _, key in objs]
    for key in old_keys:
        store.delete(key)
    n = len(old_keys)
    sync_index(store)
    return MigrationReport(len({(p, d) for p, d, _ in found.get("issues", [])}), n)


def _read_old(store: Store, table: str, paper: str, objs: list[tuple[dt.date, str]]) -> pa.Table:
    schema = RECORD_SCHEMAS[table]
    parts = []
    for day, key in sorted(objs):
        try:
            # Single-threaded: see the note on pyarrow and Python file objects in `pipeline.staging`.
            t = pq.read_table(io.BytesIO(store.read_bytes(key)), use_threads=False)
        except Exception as exc:  # a damaged old object: name it and stop before anything is deleted
            raise StoreError(f"cannot migrate {key}: not readable Parquet ({str(exc).splitlines()[0]})") from None
        n = t.num_rows
        for f in schema:  # objects written before a column existed: the column is empty for them
            if f.name not in t.column_names and f.name not in ("paper", "issue_date"):
                t = t.append_column(f.name, pa.nulls(n, f.type))
        t = t.append_column("paper", pa.array([paper] * n, pa.string()))
        t = t.append_column("issue_date", pa.array([day] * n, pa.date32()))
        parts.append(t.select(schema.names).cast(schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _verify(store: Store, found: dict[str, list[tuple[str, dt.date, str]]]) -> None:
    """Every old day is now published in Delta (by this run or a newer publish) before anything is deleted."""
    published = published_days(store)
    missing = sorted({(p, d) for p, d, _ in found.get("issues", [])} - set(published))
    if missing:
        days = ", ".join(f"{p} {d}" for p, d in missing[:5])
        raise StoreError(f"migration left {len(missing)} day(s) unpublished ({days}); old objects kept, run it again")
