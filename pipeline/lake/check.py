"""Verify the lake without changing it: `check_lake` returns each problem as one line naming table and day.

What is checked, and why each can happen:

- every table opens and every data file its latest version names has a readable Parquet footer (a corrupt or
  missing object is named by its key);
- every day in `issues` is complete in all tables: as many `pages` and `articles` rows of its run as its row
  counts; rows of another run for a published day, or rows of a day without an `issues` row, are what a publish
  killed between two commits leaves (invisible to the views; re-running the day replaces them);
- no `article_id` appears twice among published rows;
- every page's raw bytes (`pages.raw_key`) are present under `raw/`;
- the search index holds exactly the published days, each with the run `issues` names.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pyarrow.parquet as pq
from deltalake.exceptions import DeltaError

from pipeline.lake.index import fetch_index, indexed_days, published_days
from pipeline.lake.store import Store, StoreError
from pipeline.lake.tables import TABLES, open_table, read_partitions

_COLUMNS = {
    "issues": ["paper", "issue_date", "run_id", "n_pages", "n_articles"],
    "pages": ["paper", "issue_date", "run_id", "page", "raw_key"],
    "articles": ["paper", "issue_date", "run_id", "article_id"],
    "fetches": ["paper", "issue_date", "run_id", "url"],
}

Day = tuple[str, dt.date]


def check_lake(store: Store, paper: str | None = None) -> list[str]:
    """Problems found in the lake (all papers, or one), each on one line; empty when the lake is sound."""
    # An unreachable store, refused keys or a missing bucket: one `StoreError`, not a problem per table.
    if not store.list("issues/_delta_log"):
        store.require_bucket()
    problems: list[str] = []
    rows: dict[str, list[dict[str, object]]] = {}
    for table in TABLES:
        try:
            rows[table] = _rows(store, table, paper)
        except (StoreError, DeltaError, OSError) as exc:
            problems.append(f"table {table}: unreadable ({_first_line(exc)})")
    if problems:
        return problems
    problems += _check_days(rows)
    problems += _check_raw(store, rows["pages"], paper)
    problems += _check_index(store, rows["issues"])
    return problems


def _rows(store: Store, table: str, paper: str | None) -> list[dict[str, object]]:
    """The latest version's rows of `table` (the checked columns), after reading every data file's footer."""
    delta = open_table(store, table)
    if delta is None:
        return []
    for uri in delta.file_uris():
        _footer(store, uri)
    parts = [("paper", "=", paper)] if paper else None
    rows: list[dict[str, object]] = read_partitions(delta, parts, _COLUMNS[table]).to_pylist()
    return rows


def _footer(store: Store, uri: str) -> None:
    path = uri.removeprefix("s3://") if store.is_s3 else uri.removeprefix("file://")
    key = path[len(store.base) + 1 :] if path.startswith(store.base + "/") else path
    try:
        with store.fs.open_input_file(path) as f:
            pq.read_metadata(f)
    except FileNotFoundError:
        raise StoreError(f"data file {key} is missing") from None
    except Exception as exc:  # pyarrow raises several kinds for a damaged file; the finding is the same
        raise StoreError(f"data file {key} is not readable Parquet ({_first_line(exc)})") from None


def _check_days(rows: dict[str, list[dict[str, object]]]) -> list[str]:
    problems = []
    published: dict[Day, dict[str, object]] = {}
    for r in rows["issues"]:
        key = (str(r["paper"]), _date(r["issue_date"]))
        if key in published:
            problems.append(f"table issues, day {_day(key)}: more than one row")
        published[key] = r
    for table in ("pages", "articles"):
        counts: dict[Day, Counter[str]] = defaultdict(Counter)
        for r in rows[table]:
            counts[(str(r["paper"]), _date(r["issue_date"]))][str(r["run_id"])] += 1
        for key, runs in sorted(counts.items()):
            issue = published.get(key)
            if issue is None:
                problems.append(f"table {table}, day {_day(key)}: rows without an issues row (re-run the day)")
                continue
            others = sorted(set(runs) - {str(issue["run_id"])})
            if others:
                problems.append(
                    f"table {table}, day {_day(key)}: rows of run(s) {', '.join(others)}, not of the published run "
                    f"{issue['run_id']} (an interrupted publish; re-run the day)"
                )
        for key, issue in sorted(published.items()):
            want = issue["n_pages" if table == "pages" else "n_articles"]
            have = counts.get(key, Counter())[str(issue["run_id"])]
            if have != want:
                problems.append(f"table {table}, day {_day(key)}: issues says {want} row(s), {table} has {have}")
    visible = Counter(
        str(r["article_id"])
        for r in rows["articles"]
        if (k := (str(r["paper"]), _date(r["issue_date"]))) in published and r["run_id"] == published[k]["run_id"]
    )
    dups = sorted(a for a, n in visible.items() if n > 1)
    if dups:
        problems.append(f"table articles: duplicate article_id(s): {', '.join(dups[:10])}")
    return problems


def _check_raw(store: Store, pages: list[dict[str, object]], paper: str | None) -> list[str]:
    present = set(store.list(f"raw/{paper}" if paper else "raw"))
    missing = sorted(str(r["raw_key"]) for r in pages if r["raw_key"] and r["raw_key"] not in present)
    return [f"raw page {key} is missing" for key in missing]


def _check_index(store: Store, issues: list[dict[str, object]]) -> list[str]:
    paths = fetch_index(store)
    if not paths:
        return ["search index: missing (run `epaper compact` to build it)"] if issues else []
    papers = {str(r["paper"]) for r in issues}
    lake = {k: v for k, v in published_days(store).items() if k[0] in papers}
    have = {k: v for k, v in indexed_days(paths).items() if k[0] in papers}
    problems = [f"search index, day {_day(k)}: not indexed" for k in sorted(set(lake) - set(have))]
    problems += [f"search index, day {_day(k)}: indexed but not published" for k in sorted(set(have) - set(lake))]
    problems += [
        f"search index, day {_day(k)}: holds run {have[k]}, the published run is {lake[k]}"
        for k in sorted(set(lake) & set(have))
        if have[k] != lake[k]
    ]
    if problems:
        problems[-1] += " (`epaper compact` brings the index in step)"
    return problems


def _date(value: object) -> dt.date:
    assert isinstance(value, dt.date)
    return value


def _day(key: Day) -> str:
    return f"{key[0]} {key[1].isoformat()}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
