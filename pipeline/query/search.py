"""Chinese full-text search over `articles`: jieba words indexed with DuckDB's `fts` extension (BM25).

DuckDB's tokenizer splits on whitespace only, which Chinese does not have, so titles and bodies are cut into
words by jieba (search mode, which also emits the shorter words inside long ones) and the index is built over the
space-joined words. The index lives in the query's in-memory database, built per call.
"""

from __future__ import annotations

import logging

import duckdb
import jieba

jieba.setLogLevel(logging.WARNING)


def words(text: str) -> str:
    """Space-joined jieba words of `text` (search mode), punctuation and spaces dropped."""
    return " ".join(w for w in jieba.cut_for_search(text) if w.strip() and any(ch.isalnum() for ch in w))


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict[str, object]]:
    """Best-matching articles for `query`, best first: id, date, page, title, score and a snippet."""
    rows = con.execute(
        "SELECT article_id, title, coalesce(kicker, '') || ' ' || coalesce(subtitle, ''), body FROM articles"
    ).fetchall()
    con.execute("CREATE OR REPLACE TEMP TABLE search_docs (article_id VARCHAR, words VARCHAR)")
    con.executemany(
        "INSERT INTO search_docs VALUES (?, ?)",
        [(r[0], words(f"{r[1]} {r[1]} {r[2]} {r[3]}")) for r in rows],  # title counted twice: it is the summary
    )
    con.execute(
        "PRAGMA create_fts_index('search_docs', 'article_id', 'words', stemmer = 'none', stopwords = 'none',"
        " ignore = '\\s+', strip_accents = 0, lower = 1, overwrite = 1)"
    )
    q = words(query) or query
    result = con.execute(
        """
        SELECT a.article_id, a.issue_date, a.page, a.title, round(s.score, 4) AS score, a.body
        FROM (SELECT article_id, fts_main_search_docs.match_bm25(article_id, ?) AS score FROM search_docs) s
        JOIN articles a USING (article_id)
        WHERE s.score IS NOT NULL
        ORDER BY s.score DESC, a.article_id
        LIMIT ?
        """,
        [q, limit],
    ).fetchall()
    return [
        {
            "article_id": r[0],
            "issue_date": str(r[1]),
            "page": r[2],
            "title": r[3],
            "score": r[4],
            "snippet": _snippet(r[5], query),
        }
        for r in result
    ]


def _snippet(body: str, query: str, width: int = 40) -> str:
    """Text around the first occurrence of the query (or of its first word), on one line."""
    flat = body.replace("\n", " ")
    terms = [query, *words(query).split()]
    pos = next((flat.find(t) for t in terms if t and flat.find(t) >= 0), 0)
    start = max(0, pos - width // 2)
    return ("…" if start else "") + flat[start : start + width] + ("…" if start + width < len(flat) else "")
