"""Lake upkeep for closed months: verify every published day, vacuum what interrupted runs left behind.

Why this does not merge a closed month's day partitions into one file: the lake's contract (`pipeline.lake.tables`) is
one object per table and day, replaced whole when a day is re-run. A month file would either be read next to
the day files by the `<table>/*/*/*.parquet` globs (every row twice) or replace them, so that re-running one day
(after a segmenter fix, say) would have to rewrite its month. At a few small objects per day a month is ~90
objects, which DuckDB reads in milliseconds; merging buys little and breaks the replace-a-day guarantee. So the
monthly job keeps the layout and instead makes sure it is sound:

- `verify_month`: every day of the month with any partition has all of `issues`, `pages`, `articles`; each reads
  back; `issues` counts agree with the `pages`/`articles` rows; each raw key named in `pages` exists;
- `vacuum`: removes `_staging/<paper>/<date>/` folders older than `keep_days` (runs that failed before
  publishing and were not re-run; today's and yesterday's are left alone, a run may be using them) and, on a
  local lake, temporary `.<name>.<hex>.tmp` files of interrupted writes older than an hour.

`maintain` does both for the last closed month (or a given one) and raises `LakeCheckError` naming every problem.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

import pyarrow.fs as pafs

from pipeline.config import Settings
from pipeline.errors import TerminalError
from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import TABLES, read_day

_DAY_DIR = re.compile(r"issue_date=(\d{4}-\d{2}-\d{2})/")
_TMP_FILE = re.compile(r"^\..+\.[0-9a-f]{32}\.tmp$")


class LakeCheckError(TerminalError):
    """A closed month failed verification; `problems` lists each one."""

    def __init__(self, paper: str, month: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(paper, None, None, f"month {month}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    """What one upkeep pass looked at and removed (small: fit for XCom)."""

    paper: str
    month: str
    days_verified: int
    problems: tuple[str, ...]
    removed: tuple[str, ...] = field(default=())

    def to_xcom(self) -> dict[str, object]:
        return {
            "paper": self.paper,
            "month": self.month,
            "days_verified": self.days_verified,
            "problems": list(self.problems),
            "n_removed": len(self.removed),
        }


def last_closed_month(today: dt.date) -> str:
    """`YYYY-MM` of the month before `today`'s (the most recent month no daily run will write to again)."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def month_days(store: Store, paper: str, month: str) -> list[dt.date]:
    """Days of `month` (`YYYY-MM`) that have a partition of any table, sorted."""
    days: set[dt.date] = set()
    for table in TABLES:
        for key in store.list(f"{table}/paper={paper}"):
            m = _DAY_DIR.search(key)
            if m and m.group(1).startswith(month):
                days.add(dt.date.fromisoformat(m.group(1)))
    return sorted(days)


def verify_day(store: Store, paper: str, day: dt.date) -> list[str]:
    """Problems with one published day, in words; empty when the day is sound."""
    try:
        tables = {t: read_day(store, t, paper, day) for t in TABLES}
    except Exception as exc:  # an unreadable object is the finding, whatever pyarrow raises
        return [f"{day}: unreadable partition ({exc})"]
    missing = [t for t, tab in tables.items() if tab is None]
    if missing:
        return [f"{day}: missing {', '.join(missing)} partition(s)"]
    issues, pages, articles = tables["issues"], tables["pages"], tables["articles"]
    assert issues is not None and pages is not None and articles is not None
    if issues.num_rows != 1:
        return [f"{day}: {issues.num_rows} issues rows, expected 1"]
    row = issues.to_pylist()[0]
    problems = []
    if row["n_pages"] != pages.num_rows:
        problems.append(f"{day}: issues says {row['n_pages']} page(s), pages has {pages.num_rows}")
    if row["n_articles"] != articles.num_rows:
        problems.append(f"{day}: issues says {row['n_articles']} article(s), articles has {articles.num_rows}")
    for raw in pages.column("raw_key").to_pylist():
        if raw and not store.exists(raw):
            problems.append(f"{day}: raw page {raw} is missing")
    return problems


def verify_month(store: Store, paper: str, month: str) -> tuple[int, list[str]]:
    """(days checked, problems) for one month."""
    days = month_days(store, paper, month)
    return len(days), [p for day in days for p in verify_day(store, paper, day)]


def vacuum(store: Store, paper: str, today: dt.date, keep_days: int = 2, tmp_age_s: float = 3600.0) -> list[str]:
    """Remove stale staging folders (older than `keep_days`) and, locally, old temporary files; returns the keys."""
    removed = []
    cutoff = today - dt.timedelta(days=keep_days)
    for key in store.list(f"_staging/{paper}"):
        day = key.split("/")[2] if key.count("/") >= 3 else ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and dt.date.fromisoformat(day) < cutoff:
            store.delete(key)
            removed.append(key)
    if not store.is_s3:
        removed += _vacuum_tmp(store, tmp_age_s)
    return removed


def _vacuum_tmp(store: Store, age_s: float) -> list[str]:
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


def maintain(settings: Settings, today: dt.date, month: str | None = None, keep_days: int = 2) -> MaintenanceReport:
    """Verify `month` (default: the last closed one) and vacuum; raises `LakeCheckError` if verification failed
    (the vacuum has run all the same: it never touches published partitions)."""
    paper = settings.paper.paper_id
    month = month or last_closed_month(today)
    if not re.fullmatch(r"\d{4}-\d{2}", month):
        raise ValueError(f"month {month!r} is not YYYY-MM")
    store = open_store(settings.lake)
    n_days, problems = verify_month(store, paper, month)
    removed = vacuum(store, paper, today, keep_days)
    if problems:
        raise LakeCheckError(paper, month, problems)
    return MaintenanceReport(paper, month, n_days, tuple(problems), tuple(removed))
