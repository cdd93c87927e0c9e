"""Lake upkeep: merge small data files of closed periods, checkpoint, vacuum, clear leftovers of dead runs.

Every published day adds one small data file per table to its year partition. `compact` runs delta-rs's
`optimize.compact` on the year partitions of closed periods (files merged towards `target_mb`, 256 MB by default:
a year of a county daily is far less, so a closed year becomes one file per table), then writes a checkpoint (so
a reader replays a handful of log entries, not thousands), removes log entries older than the table's log
retention, and vacuums data files that no version younger than `retention_hours` (default 7 days,
`EPAPER_VACUUM_RETENTION_HOURS`) still reads, so a query that started before the compaction finishes safely.

Compaction is an ordinary Delta commit: it never changes rows, and a day published while it runs is never lost.
If the publish commits first, the compaction's commit fails its conflict check (it rewrote files the publish
removed) and is simply run again; if the compaction commits first, the publish's commit fails (`ConcurrentDayError`,
retried by the task). The DAG runs one compaction at a time (`max_active_runs=1`); two started by hand are safe
for the same reason (one commit fails). `clear_leftovers` removes `_staging/` folders of runs that died before
publishing (older than `keep_days`) and, locally, temporary files of interrupted raw writes.

A table made before the lake set a checkpoint every 10 commits (`pipeline.lake.tables.TABLE_CONFIG`) gets that
setting from its first compaction (one metadata commit).

`maintain` (the `epaper_compact` DAG) compacts, then verifies the lake (`pipeline.lake.check`) and raises
`LakeCheckError` naming every problem.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field

import pyarrow.fs as pafs
from deltalake import CommitProperties
from deltalake.exceptions import CommitFailedError, DeltaError

from pipeline.config import Settings
from pipeline.errors import TerminalError, TransientError
from pipeline.lake.check import check_lake
from pipeline.lake.index import compact_index
from pipeline.lake.store import Store, StoreError, open_store
from pipeline.lake.tables import TABLE_CONFIG, TABLES, WRITER, drop_runs, open_table, read_partitions, table_uri

_TMP_FILE = re.compile(r"^\..+\.[0-9a-f]{32}\.tmp$")
DEFAULT_RETENTION_HOURS = 7 * 24


class LakeCheckError(TerminalError):
    """The lake failed verification; `problems` lists each one."""

    def __init__(self, paper: str, scope: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(paper, None, None, f"{scope}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class TableUpkeep:
    """One table's compaction: data files before and after, files vacuumed, and its version afterwards."""

    table: str
    files_before: int
    files_after: int
    vacuumed: int
    version: int


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    """What one upkeep pass did (small: fit for XCom)."""

    paper: str
    years: tuple[int, ...]
    tables: tuple[TableUpkeep, ...]
    problems: tuple[str, ...]
    removed: tuple[str, ...] = field(default=())

    def to_xcom(self) -> dict[str, object]:
        return {
            "paper": self.paper,
            "years": list(self.years),
            "files": {t.table: [t.files_before, t.files_after] for t in self.tables},
            "problems": list(self.problems),
            "n_removed": len(self.removed),
        }


def last_closed_month(today: dt.date) -> str:
    """`YYYY-MM` of the month before `today`'s (the most recent month no daily run will write to again)."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def retention_hours(env: dict[str, str] | None = None) -> int:
    """Vacuum retention from `EPAPER_VACUUM_RETENTION_HOURS` (default 168: a week)."""
    value = (env if env is not None else os.environ).get("EPAPER_VACUUM_RETENTION_HOURS")
    return int(value) if value else DEFAULT_RETENTION_HOURS


def years_to_compact(store: Store, paper: str, today: dt.date, year: int | None, month: str | None) -> list[int]:
    """Year partitions to compact: the one asked for (`year`, or the year of `month`), else every year with data
    up to that of the last closed month. A month that is not closed yet is refused."""
    closed = last_closed_month(today)
    if month is not None:
        if not re.fullmatch(r"\d{4}-\d{2}", month):
            raise ValueError(f"month {month!r} is not YYYY-MM")
        if month > closed:
            raise ValueError(f"month {month} is not closed yet (the last closed month is {closed})")
        return [int(month[:4])]
    if year is not None:
        return [year]
    issues = open_table(store, "issues")
    if issues is None:
        return []
    parts = issues.partitions()
    return sorted({int(p["year"]) for p in parts if p["paper"] == paper and int(p["year"]) <= int(closed[:4])})


def compact_table(
    store: Store, table: str, paper: str, years: list[int], retention: int, target_mb: int
) -> TableUpkeep:
    """Compact `table`'s year partitions of `paper`, then checkpoint, clean the log and vacuum (see module doc)."""
    delta = open_table(store, table)
    if delta is None:
        return TableUpkeep(table, 0, 0, 0, -1)
    before = len(delta.file_uris())
    try:
        if any(delta.metadata().configuration.get(k) != v for k, v in TABLE_CONFIG.items()):
            # Tables made before the setting existed get it once (a metadata commit; see tables.TABLE_CONFIG).
            delta.alter.set_table_properties(dict(TABLE_CONFIG), raise_if_not_exists=False)
        for year in years:
            delta.optimize.compact(
                partition_filters=[("paper", "=", paper), ("year", "=", str(year))],
                target_size=target_mb * 1024 * 1024,
                writer_properties=WRITER,
                commit_properties=CommitProperties(custom_metadata={"epaper.operation": f"compact {paper} {year}"}),
            )
        delta.create_checkpoint()
        delta.cleanup_metadata()
        # full: also files no log entry ever named (a writer killed between its data files and its commit).
        removed = delta.vacuum(retention_hours=retention, dry_run=False, enforce_retention_duration=False, full=True)
    except CommitFailedError as exc:
        raise TransientError(
            paper, None, None, f"table {table}: a publish committed during compaction ({exc}); run it again"
        ) from None
    except (DeltaError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot compact table {table} at {table_uri(store, table)}: {first}") from None
    return TableUpkeep(table, before, len(delta.file_uris()), len(removed), delta.version())


def compact(
    store: Store,
    paper: str,
    today: dt.date,
    year: int | None = None,
    month: str | None = None,
    retention: int | None = None,
    target_mb: int = 256,
) -> tuple[list[int], list[TableUpkeep]]:
    """Compact every table's closed year partitions of `paper` and the search index; returns (years, per table)."""
    years = years_to_compact(store, paper, today, year, month)
    hours = retention_hours() if retention is None else retention
    drop_leftovers(store, paper, years)
    done = [compact_table(store, table, paper, years, hours, target_mb) for table in TABLES]
    compact_index(store, closed_before=today.year)  # a year is closed once the next has begun
    return years, done


def drop_leftovers(store: Store, paper: str, years: list[int]) -> int:
    """Delete rows of `articles`, `pages` and `fetches` whose run is not the one their day's `issues` row names (left by
    killed or beaten writers; invisible already); returns how many days were cleaned. A publish of such a day
    racing this finds its rows gone and retries (`pipeline.lake.tables.publish_day`, step 6)."""
    issues = open_table(store, "issues")
    if issues is None or not years:
        return 0
    parts = [("paper", "=", paper), ("year", "in", [str(y) for y in years])]
    published = {
        r["issue_date"]: r["run_id"] for r in read_partitions(issues, parts, ["issue_date", "run_id"]).to_pylist()
    }
    cleaned = 0
    for table in ("articles", "pages", "fetches"):
        delta = open_table(store, table)
        if delta is None:
            continue
        stray: dict[dt.date, set[str]] = {}
        for r in read_partitions(delta, parts, ["issue_date", "run_id"]).to_pylist():
            if r["run_id"] != published.get(r["issue_date"]):
                stray.setdefault(r["issue_date"], set()).add(r["run_id"])
        for day, runs in sorted(stray.items()):
            cleaned += drop_runs(store, table, paper, day, runs) is not None
    return cleaned


def clear_leftovers(
    store: Store, paper: str, today: dt.date, keep_days: int = 2, tmp_age_s: float = 3600.0
) -> list[str]:
    """Remove stale staging folders (older than `keep_days`) and, locally, old temporary files; returns the keys."""
    removed = []
    cutoff = today - dt.timedelta(days=keep_days)
    for key in store.list(f"_staging/{paper}"):
        day = key.split("/")[2] if key.count("/") >= 3 else ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and dt.date.fromisoformat(day) < cutoff:
            store.delete(key)
            removed.append(key)
    if not store.is_s3:
        removed += _clear_tmp(store, tmp_age_s)
    return removed


def _clear_tmp(store: Store, age_s: float) -> list[str]:
    selector = pafs.FileSelector(store.base, recursive=True, allow_not_found=True)
    now = time.time()
    removed = []
    for info in store.fs.get_file_info(selector):
        name = info.path.rsplit("/", 1)[-1]
        if info.type != pafs.FileType.File or not _TMP_FILE.match(name) or info.mtime is None:
            continue
        if now - info.mtime.timestamp() > age_s:
            store.fs.delete_file(info.path)
            removed.append(info.path[len(store.base) + 1 :])
    return removed


def maintain(
    settings: Settings, today: dt.date, month: str | None = None, year: int | None = None, keep_days: int = 2
) -> MaintenanceReport:
    """Compact closed periods, clear leftovers, then verify the lake; raises `LakeCheckError` if verification
    found problems (compaction and clean-up have run all the same: they never change published rows)."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    years, tables = compact(store, paper, today, year, month)
    removed = clear_leftovers(store, paper, today, keep_days)
    problems = check_lake(store, paper)
    if problems:
        raise LakeCheckError(paper, "lake check", problems)
    return MaintenanceReport(paper, tuple(years), tuple(tables), (), tuple(removed))
