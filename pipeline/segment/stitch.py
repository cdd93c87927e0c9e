"""Join stories that jump pages, and give every story its stable id.

A part marked `（下转第N版）` on page p is joined with the part on page N marked `（上接第p版）`. When several parts
could pair up, pairs are taken best first over the whole day: the one whose titles share most characters (a
continuation usually repeats its story's title), then the earlier in reading order; each part continues at most
one story and is continued by at most one. A chain can run over several pages (1 → 2 → 3). A malformed day (two
parts pointing at each other) cannot loop or lose a part: every part ends up in exactly one record.

Table shape (`articles`): one row per story. Its id, `page` and `seq` are those of its first part; `pages` lists
the pages it spans in order, `parts` the ids of its per-page pieces in order (a piece's id is what the row would
have been called had it stood alone, so a part stays traceable to its page and position); `body` is the parts'
bodies joined by a newline; `authors` the union in order of appearance; `regions` every part's rectangles, each
carrying its page. Jumps whose other end is not in the day (a page missing or failed) stay visible in
`continues_to_page` / `continued_from_page`; resolved jumps are cleared on the story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.models import Article, ArticleRecord, PageLayout


def part_id(paper: str, issue_date: dt.date, page: int, index: int) -> str:
    """Readable, stable id of the `index`-th (1-based) article on a page: `dqnews-2023-05-25-a-p0001-i0003`."""
    return f"{paper}-{issue_date.isoformat()}-a-p{page:04d}-i{index:04d}"


def stitch_articles(paper: str, issue_date: dt.date, pages: Sequence[tuple[int, PageLayout]]) -> list[ArticleRecord]:
    """One record per story, in page then reading order; continuation parts are folded into their story."""
    ordered = sorted(pages, key=lambda x: x[0])
    parts = {(page, i): a for page, layout in ordered for i, a in enumerate(layout.articles, start=1)}
    nxt = _match_jumps(parts)
    absorbed = set(nxt.values())
    records = []
    done: set[tuple[int, int]] = set()
    # Heads of chains first; then anything left (parts on a cycle), so that no part is ever dropped.
    for key in [k for k in parts if k not in absorbed] + list(parts):
        if key in done:
            continue
        chain = [key]
        while chain[-1] in nxt and nxt[chain[-1]] not in done and nxt[chain[-1]] not in chain:
            chain.append(nxt[chain[-1]])
        done.update(chain)
        records.append(_record(paper, issue_date, [(k, parts[k]) for k in chain]))
    return sorted(records, key=lambda r: (r.page, r.seq))


def _match_jumps(parts: dict[tuple[int, int], Article]) -> dict[tuple[int, int], tuple[int, int]]:
    """Map a jumping part to its continuation part, best title match first over the whole day."""
    scored = []
    for (page, i), art in parts.items():
        target = art.continues_to_page
        if target is None or target == page:
            continue
        for (p, j), cand in parts.items():
            if p == target and cand.continued_from_page == page:
                scored.append((-_title_overlap(art.title, cand.title), page, i, j, (page, i), (p, j)))
    out: dict[tuple[int, int], tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for *_rank, src, dst in sorted(scored):
        if src not in out and dst not in taken:
            out[src] = dst
            taken.add(dst)
    return out


def _title_overlap(a: str, b: str) -> float:
    """Share of characters two titles have in common (spaces ignored)."""
    sa, sb = set(a.replace(" ", "")), set(b.replace(" ", ""))
    return len(sa & sb) / max(1, len(sa | sb))


def _record(paper: str, issue_date: dt.date, chain: list[tuple[tuple[int, int], Article]]) -> ArticleRecord:
    (page, index), first = chain[0]
    last = chain[-1][1]
    authors: list[str] = []
    for _, a in chain:
        authors.extend(n for n in a.authors if n not in authors)
    return ArticleRecord(
        article_id=part_id(paper, issue_date, page, index),
        paper=paper,
        issue_date=issue_date,
        page=page,
        pages=tuple(dict.fromkeys(k[0] for k, _ in chain)),
        seq=index,
        kicker=first.kicker,
        title=first.title or next((a.title for _, a in chain if a.title), ""),
        subtitle=first.subtitle,
        authors=tuple(authors),
        body="\n".join(a.body for _, a in chain if a.body),
        continues_to_page=last.continues_to_page,
        continued_from_page=first.continued_from_page,
        parts=tuple(part_id(paper, issue_date, k[0], k[1]) for k, _ in chain),
        regions=tuple(r for _, a in chain for r in a.regions),
    )
