"""The persisted full-text index beside the lake: jieba words of every published story, inverted, in one DuckDB file.

Chinese has no spaces, so stories are cut into words by jieba (search mode, which also emits the shorter words
inside long ones) once, when a day is published (`articles.title_words` / `body_words`). This module turns those
words into an inverted index that a search reads without tokenising anything but the query:

- `docs(doc, article_id, paper, issue_date, page, title, body, len)`: one row per indexed story, with an index on
  `doc` so a search reads only its hits' bodies (a year of stories is one row group: statistics skip nothing);
- `postings(term, doc, tf)`: how often each word occurs in each story, the title's words counted twice (the
  headline summarises the story, so it weighs more), kept sorted by `term` by `compact_index` so a lookup reads
  only the few row groups of its words;
- `days(paper, issue_date, run_id, lo, hi)`: which published run of each day is indexed, as the `doc` range.

Why not DuckDB's `fts` extension: its index cannot be updated, only rebuilt, and rebuilding it over a year of a
county daily (12,500 stories) took 17 s here, so every publish would pay for the whole archive; BM25 over this
table is the same formula (k1 = 1.2, b = 0.75, as `fts` uses) and a day's update costs only that day.

The index is split into one DuckDB file per paper and year, `_search/<paper>-<YYYY>.duckdb`, so a publish
rewrites (and on S3 uploads) only its year's segment, whatever the archive's size; a search attaches every
segment and ranks over all of them as one collection (BM25 statistics summed across segments).

A search pays a fixed cost per segment it attaches (opening the file, loading each table's row-group
statistics: ~6 ms a year here), so `compact_index` also merges each paper's closed years into one read-only
*span*, `_search/<paper>-<first>-<last>-<signature>.span.duckdb`, whose signature is a hash of the keys and
stamps (size, mtime) of the year segments it was built from. A search reads a span instead of those years only
while the listing still shows them unchanged; once a publish rewrites one of them (a re-run of an old day, a
backfill), it reads the year segments again, correct and slower, until the next compaction builds a new span.
Year segments stay the only thing a publish writes, so a re-run of an old day never rewrites a span.

`sync_index` makes the index agree with the lake: every day in `issues` indexed with the run `issues` names, no
other day. It is idempotent and converges whatever happened before (a publish killed before indexing, two
publishers racing on a segment): publish and compact call it. On a folder the segments are files in the lake;
for an S3 lake they live at the same keys and are worked on in a local cache (`EPAPER_CACHE`, default
`~/.cache/epaper`), each downloaded when its remote copy changed and uploaded whole (one PUT) after an update.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import itertools
import json
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jieba
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pds

from pipeline.lake.store import Store
from pipeline.lake.tables import open_table, read_partitions

jieba.setLogLevel(logging.WARNING)

INDEX_PREFIX = "_search"
_SEGMENT = re.compile(r"(?P<paper>.+)-(?P<year>\d{4})\.duckdb")
_SPAN = re.compile(r"(?P<paper>.+)-(?P<first>\d{4})-(?P<last>\d{4})-(?P<sig>[0-9a-f]{16})\.span\.duckdb")
TITLE_WEIGHT = 2
SPAN_MEMORY = "1GB"  # DuckDB's memory limit while merging a span (see `_write_span`)
SPAN_SORT_PARTS = 16  # word ranges a span's postings are sorted in, one at a time
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (doc INTEGER, article_id VARCHAR, paper VARCHAR, issue_date DATE, page INTEGER,
                                 title VARCHAR, body VARCHAR, len INTEGER);
CREATE TABLE IF NOT EXISTS postings (term VARCHAR, doc INTEGER, tf INTEGER);
CREATE TABLE IF NOT EXISTS days (paper VARCHAR, issue_date DATE, run_id VARCHAR, lo INTEGER, hi INTEGER);
CREATE INDEX IF NOT EXISTS docs_doc ON docs (doc);
"""
# What `compact_index` last sorted a segment as (a hash of its `days`): unchanged segments are not rewritten, so
# their stamps, and the span built from them, stay valid.
_SORTED = "CREATE TABLE IF NOT EXISTS sorted (days_hash VARCHAR)"
_DAYS_HASH = "SELECT md5(coalesce(string_agg(concat_ws('|', paper, issue_date, run_id), ',' ORDER BY paper, issue_date), '')) FROM days"


def words(text: str) -> str:
    """Space-joined jieba words of `text` (search mode), lower-cased, punctuation and spaces dropped."""
    return " ".join(w.lower() for w in jieba.cut_for_search(text) if w.strip() and any(ch.isalnum() for ch in w))


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What `sync_index` changed: days (re)indexed and days dropped."""

    added: int
    dropped: int


def segment_key(paper: str, year: int) -> str:
    """Key of the index segment of one paper's year (a publish rewrites only its year's segment)."""
    return f"{INDEX_PREFIX}/{paper}-{year}.duckdb"


def local_path(store: Store, key: str) -> Path:
    """Where a segment is read and written on this machine: in the lake folder, or in the cache for S3."""
    if not store.is_s3:
        return Path(store.path(key))
    cache = Path(os.environ.get("EPAPER_CACHE") or Path.home() / ".cache" / "epaper")
    return cache / hashlib.sha256(store.uri.encode()).hexdigest()[:16] / key.rsplit("/", 1)[-1]


def segment_keys(store: Store) -> list[str]:
    """Keys of the index segments in the lake."""
    return [k for k in store.list(INDEX_PREFIX) if _is_segment(k)]


def _is_segment(key: str) -> bool:
    return bool(_SEGMENT.fullmatch(key.rsplit("/", 1)[-1]))


def _is_span(key: str) -> bool:
    return bool(_SPAN.fullmatch(key.rsplit("/", 1)[-1]))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock beside the file: one updater per machine at a time (others wait)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def fetch_index(store: Store) -> list[Path]:
    """The index files a search reads (`read_plan`) on this machine, each refreshed from S3 when its remote copy
    changed; empty when there is no index. One listing of `_search/` tells which changed (its size and mtime
    beside the cached copy), so a search makes one request however many years the archive holds, plus a download
    per file changed."""
    stamps = _stamps(store)
    if not stamps:
        store.require_bucket()
    return [_fetch(store, key, stamps[key]) for key in read_plan(stamps)]


def read_plan(stamps: Mapping[str, str]) -> list[str]:
    """Keys a search reads, given every index file's stamp: each year segment, except those a span still
    stands for (its signature matches the years it covers as listed now), which its span replaces."""
    years = {k for k in stamps if _is_segment(k)}
    plan = set(years)
    for key in sorted(stamps):
        m = _SPAN.fullmatch(key.rsplit("/", 1)[-1])
        if m is None:
            continue
        covered = _covered(years, m["paper"], int(m["first"]), int(m["last"]))
        if covered and covered <= plan and _signature(stamps, covered) == m["sig"]:
            plan = (plan - covered) | {key}
    return sorted(plan)


def span_key(paper: str, first: int, last: int, signature: str) -> str:
    """Key of a span: one paper's years `first`..`last` merged, built from the year segments `signature` names."""
    return f"{INDEX_PREFIX}/{paper}-{first}-{last}-{signature}.span.duckdb"


def _covered(years: set[str], paper: str, first: int, last: int) -> set[str]:
    return {k for y in range(first, last + 1) if (k := segment_key(paper, y)) in years}


def _signature(stamps: Mapping[str, str], keys: set[str]) -> str:
    """A hash of year segments' keys and stamps: what a span was built from."""
    return hashlib.sha256(json.dumps([[k, stamps[k]] for k in sorted(keys)]).encode()).hexdigest()[:16]


def _stamps(store: Store) -> dict[str, str]:
    """Stamp of every index file (year segments and spans) from one listing."""
    return {k: json.dumps(v) for k, v in store.stamps(INDEX_PREFIX).items() if _is_segment(k) or _is_span(k)}


def _fetch(store: Store, key: str, stamp: str | None) -> Path:
    """The segment's local copy, downloaded first when `stamp` (its remote size and mtime) differs from the one
    noted when the copy was made."""
    path = local_path(store, key)
    if not store.is_s3:
        return path
    marker = path.with_suffix(".remote")
    if stamp is not None and (not path.exists() or not marker.exists() or marker.read_text() != stamp):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".download")
        tmp.write_bytes(store.read_bytes(key))
        os.replace(tmp, path)
        marker.write_text(stamp)
    return path


def sync_index(store: Store, only: tuple[str, int] | None = None) -> SyncReport:
    """Bring the index in step with the lake's published days (see the module doc); returns what changed.
    Only the segments of years whose days changed are rewritten (and, on S3, uploaded). `only` = (paper, year)
    limits the pass to that segment (a publish: it reads that year's `issues` rows, not the whole table)."""
    lake = published_days(store, only)
    years: dict[str, dict[tuple[str, dt.date], str]] = {}
    for (paper, day), run in lake.items():
        years.setdefault(segment_key(paper, day.year), {})[(paper, day)] = run
    added = dropped = 0
    keys = [segment_key(*only)] if only else sorted(set(years) | set(segment_keys(store)))
    for key in keys:
        path = local_path(store, key)
        with _locked(path):
            if store.is_s3:
                _fetch(store, key, _remote_stamp(store, key))
            con = duckdb.connect(str(path))
            try:
                con.execute(_SCHEMA)
                report = _sync(con, store, years.get(key, {}))
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if store.is_s3 and (report.added or report.dropped or _remote_stamp(store, key) is None):
                _upload(store, key, path)
        added, dropped = added + report.added, dropped + report.dropped
    return SyncReport(added, dropped)


def compact_index(store: Store, closed_before: int | None = None) -> None:
    """Rewrite each segment changed since its last compaction with `postings` sorted by word (fast lookups) and
    deleted rows' space returned; then, with `closed_before`, merge each paper's years before it into a span
    (see the module doc) and delete the spans it replaces."""
    sync_index(store)
    for key in segment_keys(store):
        path = local_path(store, key)
        with _locked(path):
            if store.is_s3:
                _fetch(store, key, _remote_stamp(store, key))
            if _sorted_already(path):
                continue
            with _rewritten(store, key) as con:
                con.execute(f"ATTACH '{_sql(str(path))}' AS old (READ_ONLY)")
                con.execute("CREATE TABLE docs AS SELECT * FROM old.docs ORDER BY doc")
                con.execute("CREATE INDEX docs_doc ON docs (doc)")
                con.execute("CREATE TABLE postings AS SELECT * FROM old.postings ORDER BY term, doc")
                con.execute("CREATE TABLE days AS SELECT * FROM old.days ORDER BY paper, issue_date")
                con.execute("DETACH old")
                con.execute(_SORTED)
                con.execute(f"INSERT INTO sorted {_DAYS_HASH}")
    if closed_before is not None:
        build_spans(store, closed_before)


def _sorted_already(path: Path) -> bool:
    """Whether the segment holds the same days as when `compact_index` last sorted it."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        if not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'sorted'").fetchall():
            return False
        return con.execute("SELECT days_hash FROM sorted").fetchall() == con.execute(_DAYS_HASH).fetchall()
    finally:
        con.close()


def build_spans(store: Store, closed_before: int) -> list[str]:
    """For each paper with two or more year segments before `closed_before`, the span of those years (built
    unless one with the same signature exists); other spans of the paper are deleted. Returns the spans' keys."""
    stamps = _stamps(store)
    years: dict[str, list[int]] = {}
    for key in stamps:
        m = _SEGMENT.fullmatch(key.rsplit("/", 1)[-1])
        if m is not None and int(m["year"]) < closed_before:
            years.setdefault(m["paper"], []).append(int(m["year"]))
    kept = []
    for paper, ys in sorted(years.items()):
        if len(ys) < 2:
            continue
        sources = {segment_key(paper, y) for y in ys}
        key = span_key(paper, min(ys), max(ys), _signature(stamps, sources))
        if key not in stamps:
            _write_span(store, key, [_fetch(store, k, stamps[k]) for k in sorted(sources)])
        kept.append(key)
    for old in (k for k in stamps if _is_span(k) and k not in kept):
        store.delete(old)
        local_path(store, old).unlink(missing_ok=True)
        local_path(store, old).with_suffix(".remote").unlink(missing_ok=True)
    return kept


def _write_span(store: Store, key: str, sources: list[Path]) -> None:
    """Merge year segments into one span file: doc ids shifted so they stay unique, `postings` sorted by word."""
    with _rewritten(store, key) as con:
        # Sorting a 20-year span's postings (~60M rows) in memory took 4 GB here: bound it, DuckDB spills the
        # rest to a temporary file beside the database, so a compaction fits a small worker.
        con.execute(f"SET memory_limit = '{SPAN_MEMORY}'")
        offsets, offset = [], 0
        for i, src in enumerate(sources):
            con.execute(f"ATTACH '{_sql(str(src))}' AS s{i} (READ_ONLY)")
            offsets.append(offset)
            offset += (con.execute(f"SELECT coalesce(max(doc), 0) FROM s{i}.docs").fetchone() or (0,))[0]

        # Each year's docs and days are in doc order already and offsets grow: appended year by year they stay
        # sorted without a sort of every body. Postings are sorted by word across all years (fast lookups).
        con.execute("CREATE TABLE docs AS SELECT * FROM s0.docs LIMIT 0")
        con.execute("CREATE TABLE days AS SELECT * FROM s0.days LIMIT 0")
        for i, o in enumerate(offsets):
            con.execute(f"INSERT INTO docs SELECT doc + {o} AS doc, * EXCLUDE (doc) FROM s{i}.docs ORDER BY doc")
            con.execute(f"INSERT INTO days SELECT * REPLACE (lo + {o} AS lo, hi + {o} AS hi) FROM s{i}.days")
        con.execute("CREATE INDEX docs_doc ON docs (doc)")
        # Sorted a range of words at a time: each sort holds a slice, and each year's postings (sorted by word)
        # are read only in the row groups of that slice.
        union = " UNION ALL ".join(
            f"SELECT term, doc + {o} AS doc, tf FROM s{i}.postings WHERE {{cond}}" for i, o in enumerate(offsets)
        )
        con.execute("CREATE TABLE postings (term VARCHAR, doc INTEGER, tf INTEGER)")
        for cond in _word_ranges(con, len(sources)):
            con.execute(f"INSERT INTO postings SELECT * FROM ({union.format(cond=cond)}) ORDER BY term, doc")


@contextlib.contextmanager
def _rewritten(store: Store, key: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a new file for index file `key`; on success the file replaces the old one whole (a reader
    sees the old file or the new, never a half-written one) and, on S3, is uploaded."""
    path = local_path(store, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_suffix(".new")
    new.unlink(missing_ok=True)
    con = duckdb.connect(str(new))
    try:
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(new, path)
    if store.is_s3:
        _upload(store, key, path)


def _word_ranges(con: duckdb.DuckDBPyConnection, n_sources: int, parts: int = SPAN_SORT_PARTS) -> list[str]:
    """SQL conditions that split the attached segments' words into `parts` ranges of about equal postings, in
    word order (bounds taken from the biggest segment: word frequencies differ little from year to year)."""
    sizes = [(con.execute(f"SELECT count(*) FROM s{i}.postings").fetchone() or (0,))[0] for i in range(n_sources)]
    biggest = max(range(n_sources), key=lambda i: sizes[i])
    qs = ", ".join(str(k / parts) for k in range(1, parts))
    row = con.execute(f"SELECT quantile_disc(term, [{qs}]) FROM s{biggest}.postings").fetchone()
    bounds = sorted(set(row[0] if row and row[0] else []))
    lits = ["'" + _sql(b) + "'" for b in bounds]
    if not lits:
        return ["TRUE"]
    return (
        [f"term < {lits[0]}"]
        + [f"term >= {a} AND term < {b}" for a, b in itertools.pairwise(lits)]
        + [f"term >= {lits[-1]}"]
    )


def indexed_days(paths: Sequence[Path]) -> dict[tuple[str, dt.date], str]:
    """(paper, day) -> run id of what the index segments hold."""
    out: dict[tuple[str, dt.date], str] = {}
    for path in paths:
        con = duckdb.connect(str(path), read_only=True)
        try:
            out.update({(p, d): r for p, d, r in con.execute("SELECT paper, issue_date, run_id FROM days").fetchall()})
        finally:
            con.close()
    return out


def _upload(store: Store, key: str, path: Path) -> None:
    store.write_bytes(key, path.read_bytes())
    path.with_suffix(".remote").write_text(_remote_stamp(store, key) or "")


def published_days(store: Store, only: tuple[str, int] | None = None) -> dict[tuple[str, dt.date], str]:
    """(paper, day) -> run id of every day in the lake's `issues` table (of one paper's year with `only`)."""
    issues = open_table(store, "issues")
    if issues is None:
        return {}
    parts = [("paper", "=", only[0]), ("year", "=", str(only[1]))] if only else None
    rows = read_partitions(issues, parts, ["paper", "issue_date", "run_id"]).to_pylist()
    return {(r["paper"], r["issue_date"]): r["run_id"] for r in rows}


def _sync(con: duckdb.DuckDBPyConnection, store: Store, lake: dict[tuple[str, dt.date], str]) -> SyncReport:
    """Make one segment hold exactly `lake`'s days (its paper and year) with their runs."""
    have = {(p, d): (r, lo, hi) for p, d, r, lo, hi in con.execute("SELECT * FROM days").fetchall()}
    stale = [k for k, run in lake.items() if k not in have or have[k][0] != run]
    gone = [k for k in have if k not in lake]
    for key in [*stale, *gone]:
        if key in have:
            _, lo, hi = have[key]
            con.execute("DELETE FROM postings WHERE doc BETWEEN ? AND ?", [lo, hi])
            con.execute("DELETE FROM docs WHERE doc BETWEEN ? AND ?", [lo, hi])
            con.execute("DELETE FROM days WHERE paper = ? AND issue_date = ?", list(key))
    if stale:
        start = (con.execute("SELECT coalesce(max(doc), 0) FROM docs").fetchone() or (0,))[0] + 1
        _add(con, _articles_of(store, {k: lake[k] for k in stale}), start)
        ranges = {
            (p, d): (lo, hi)
            for p, d, lo, hi in con.execute(
                "SELECT paper, issue_date, min(doc), max(doc) FROM docs WHERE doc >= ? GROUP BY ALL", [start]
            ).fetchall()
        }
        # A day without stories is indexed too (an empty range), so it is not looked at again.
        con.executemany(
            "INSERT INTO days VALUES (?, ?, ?, ?, ?)",
            [[*k, lake[k], *ranges.get(k, (0, -1))] for k in stale],
        )
    return SyncReport(len(stale), len(gone))


def _articles_of(store: Store, days: dict[tuple[str, dt.date], str]) -> pa.Table:
    """The published stories of `days` (each day's rows of the run its `issues` row names)."""
    articles = open_table(store, "articles")
    cols = ["article_id", "paper", "issue_date", "page", "seq", "title", "body", "title_words", "body_words", "run_id"]
    if articles is None:
        return pa.table({c: [] for c in cols})
    dates = sorted({d for _, d in days})
    papers = sorted({p for p, _ in days})
    years = sorted({str(d.year) for d in dates})
    dataset = articles.to_pyarrow_dataset(file_pruning_predicate=[("paper", "in", papers), ("year", "in", years)])
    wanted = pds.field("issue_date").isin(pa.array(dates, pa.date32()))
    rows = dataset.to_table(columns=cols, filter=wanted)
    keys = [f"{p}|{d.isoformat()}|{r}" for (p, d), r in days.items()]
    have = pc.binary_join_element_wise(
        rows.column("paper"), pc.strftime(rows.column("issue_date"), "%Y-%m-%d"), rows.column("run_id"), "|"
    )
    return rows.filter(pc.is_in(have, pa.array(keys, pa.string())))


def _add(con: duckdb.DuckDBPyConnection, rows: pa.Table, start: int) -> None:
    """Index stories: doc ids given in (paper, date, id) order from `start`, so each day is one range."""
    con.register("incoming", rows)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch AS
        SELECT (? + row_number() OVER (ORDER BY paper, issue_date, article_id) - 1)::INTEGER AS doc, *
        FROM incoming
        """,
        [start],
    )
    con.unregister("incoming")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE batch_terms AS
        SELECT doc, term, sum(w)::INTEGER AS tf FROM (
            SELECT doc, unnest(string_split(coalesce(title_words, ''), ' ')) AS term, {TITLE_WEIGHT} AS w FROM batch
            UNION ALL
            SELECT doc, unnest(string_split(coalesce(body_words, ''), ' ')) AS term, 1 AS w FROM batch
        ) WHERE term <> '' GROUP BY doc, term
        """
    )
    con.execute("INSERT INTO postings SELECT term, doc, tf FROM batch_terms ORDER BY term, doc")
    con.execute(
        """
        INSERT INTO docs
        SELECT b.doc, article_id, paper, issue_date, page, title, body, coalesce(t.len, 0)::INTEGER
        FROM batch b LEFT JOIN (SELECT doc, sum(tf) AS len FROM batch_terms GROUP BY doc) t USING (doc)
        """
    )
    con.execute("DROP TABLE batch")
    con.execute("DROP TABLE batch_terms")


def _remote_stamp(store: Store, key: str) -> str | None:
    """Size and mtime of a segment on S3 (None when absent), as `fetch_index`'s listing gives them (a listing's
    mtime may be finer than a HEAD's, so both sides of the comparison come from a listing)."""
    stamp = store.stamps(key.rsplit("/", 1)[0]).get(key)
    return json.dumps(stamp) if stamp is not None else None


def _sql(value: str) -> str:
    return value.replace("'", "''")


__all__: Sequence[str] = [
    "INDEX_PREFIX",
    "SyncReport",
    "build_spans",
    "compact_index",
    "fetch_index",
    "read_plan",
    "sync_index",
    "words",
]
