"""Chinese full-text search over the persisted index (`pipeline.lake.index`): only the query is tokenised.

Ranking is BM25 (k1 = 1.2, b = 0.75) over the words of each story, its title's words counted twice; IDF is
`ln(1 + (N - df + 0.5) / (df + 0.5))` over the stories the filters leave (paper, date range), as a search engine
restricted to those stories would compute it. Ties go to the newer story, then by id.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline.lake.index import fetch_index, words
from pipeline.lake.store import Store

K1 = 1.2
B = 0.75
SNIPPET_WIDTH = 60
MARK = ("«", "»")

# `{terms}` is a list of SQL string literals: a literal IN list is pushed into the postings scan, where the
# min/max statistics of `term` (sorted by `compact_index`) skip every row group without the query's words.
_QUERY = """
WITH d AS (SELECT seg, doc, len FROM docs
           WHERE (?::VARCHAR IS NULL OR paper = ?) AND (?::DATE IS NULL OR issue_date >= ?)
             AND (?::DATE IS NULL OR issue_date <= ?)),
st AS (SELECT count(*)::DOUBLE AS n, coalesce(avg(len), 1) AS avgdl FROM d),
hits AS (SELECT p.term, p.seg, p.doc, p.tf, d.len FROM postings p JOIN d USING (seg, doc) WHERE p.term IN ({terms})),
df AS (SELECT term, count(*)::DOUBLE AS df FROM hits GROUP BY term),
top AS (
    SELECT h.seg, h.doc, sum(ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5))
                      * h.tf * ({k1} + 1) / (h.tf + {k1} * (1 - {b} + {b} * h.len / st.avgdl))) AS score
    FROM hits h JOIN df USING (term), st
    GROUP BY h.seg, h.doc
    ORDER BY score DESC, h.seg DESC, h.doc DESC
    LIMIT ?
)
SELECT seg, doc, round(score, 4) FROM top
"""
# The hits' stories, read by doc id from their segments only: `docs` is sorted by `doc`, so a literal IN list
# reads one row group per hit, where joining `top` with the `docs` view read every story's body of every year.
_STORIES = "SELECT {seg} AS seg, doc, article_id, issue_date, page, title, body FROM s{seg}.docs WHERE doc IN ({docs})"


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the story, its BM25 score, and a line of its text with the query's words marked."""

    article_id: str
    issue_date: str
    page: int
    title: str
    score: float
    snippet: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def search(
    store: Store,
    query: str,
    limit: int = 10,
    paper: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Hit]:
    """Best-matching published stories for `query`, best first. Empty when nothing matches or nothing is indexed."""
    terms = words(query).split() or [query.strip().lower()]
    paths = fetch_index(store)
    if not paths:
        return []
    con = _attach(paths)
    try:
        literals = ", ".join("'" + t.replace("'", "''") + "'" for t in dict.fromkeys(terms))
        sql = _QUERY.format(terms=literals, k1=K1, b=B)
        top = con.execute(sql, [paper, paper, date_from, date_from, date_to, date_to, limit]).fetchall()
        stories = _stories(con, [(seg, doc) for seg, doc, _ in top])
    finally:
        con.close()
    hits = [(score, stories[(seg, doc)]) for seg, doc, score in top]
    hits.sort(key=lambda h: (-h[0], -h[1][1].toordinal(), h[1][0]))  # score, then newer, then id
    return [Hit(r[0], r[1].isoformat(), r[2], r[3], float(score), snippet(r[4], query, terms)) for score, r in hits]


def _stories(con: duckdb.DuckDBPyConnection, keys: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[Any, ...]]:
    """(seg, doc) -> (article_id, issue_date, page, title, body) of the given stories."""
    by_seg: dict[int, list[int]] = {}
    for seg, doc in keys:
        by_seg.setdefault(seg, []).append(doc)
    if not by_seg:
        return {}
    sql = " UNION ALL ".join(
        _STORIES.format(seg=int(seg), docs=", ".join(str(int(d)) for d in docs)) for seg, docs in by_seg.items()
    )
    return {(r[0], r[1]): tuple(r[2:]) for r in con.execute(sql).fetchall()}


def _attach(paths: list[Path]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with every segment attached read-only and `docs` / `postings` views over all of them
    (`seg` tells segments apart: doc ids are per segment). Views, not CTEs, so nothing is materialised."""
    con = duckdb.connect()
    for i, path in enumerate(paths):
        con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS s{i} (READ_ONLY)")
    for table in ("docs", "postings"):
        union = " UNION ALL ".join(f"SELECT {i} AS seg, * FROM s{i}.{table}" for i in range(len(paths)))
        con.execute(f"CREATE TEMP VIEW {table} AS {union}")
    return con


def snippet(body: str, query: str, terms: list[str], width: int = SNIPPET_WIDTH) -> str:
    """A line of `body` around the first occurrence of the query (or else of its longest word found), the
    query's words marked «so»."""
    flat = re.sub(r"\s+", " ", body)
    lower = flat.lower()
    candidates = [query.strip().lower(), *sorted(terms, key=len, reverse=True)]
    pos = next((lower.find(t) for t in candidates if t and lower.find(t) >= 0), 0)
    start = max(0, pos - width // 3)
    text = flat[start : start + width]
    marks = sorted({t for t in candidates if t}, key=len, reverse=True)
    if marks:
        pattern = re.compile("|".join(re.escape(t) for t in marks), re.IGNORECASE)
        text = pattern.sub(lambda m: f"{MARK[0]}{m.group(0)}{MARK[1]}", text)
    return ("…" if start else "") + text + ("…" if start + width < len(flat) else "")
