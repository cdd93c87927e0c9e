"""Join stories that jump pages, and give every story its stable id.

A part marked `（下转第N版）` on page p is joined with the part on page N marked `（上接第p版）`. When page N has
several such parts, the one whose title shares most with the first part's title wins, then the first in reading
order. The stitched story keeps the id of its first part; `parts` lists every part's id, `pages` every page.
Jumps whose other end is not in the day (a page missing or failed) stay visible in `continues_to_page` /
`continued_from_page`; resolved jumps are cleared on the story.
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
    parts = [(page, i, a) for page, layout in sorted(pages) for i, a in enumerate(layout.articles, start=1)]
    nxt = _match_jumps(parts)
    absorbed = set(nxt.values())
    records = []
    for key in [(p, i) for p, i, _ in parts]:
        if key in absorbed:
            continue
        chain = [key]
        while chain[-1] in nxt:
            chain.append(nxt[chain[-1]])
        records.append(_record(paper, issue_date, [(k, _lookup(parts, k)) for k in chain]))
    return records


def _lookup(parts: list[tuple[int, int, Article]], key: tuple[int, int]) -> Article:
    return next(a for p, i, a in parts if (p, i) == key)


def _match_jumps(parts: list[tuple[int, int, Article]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Map a jumping part to its continuation part."""
    taken: set[tuple[int, int]] = set()
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for page, i, art in parts:
        target = art.continues_to_page
        if target is None or target == page:
            continue
        cands = [
            (p, j, a) for p, j, a in parts
            if p == target and a.continued_from_page == page and (p, j) not in taken
        ]
        if not cands:
            continue
        best = max(cands, key=lambda c: (_title_overlap(art.title, c[2].title), -c[1]))
        out[(page, i)] = (best[0], best[1])
        taken.add((best[0], best[1]))
    return out


def _title_overlap(a: str, b: str) -> float:
    sa, sb = set(a), set(b)
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
