"""A site page read twice: its articles from the site's article pages (the primary record: typed in by the
paper's staff, article by article) and from its PDF (segmented as any PDF page), and how far the two agree.

`read_site_page` takes the page's fetched objects (`RawPart`s: index, PDF, image, article pages) and gives the
page's layout with `reading` "html" (articles from the article pages, placed on the page by their hotspots) or
"pdf" (a page the site offers only as PDF, or whose article pages have no text), plus a `Comparison` when both
readings exist. Pure: bytes in, records out.

Failures name the URL and what is missing: an index whose page-name element is not there fails the page; an
index with neither article links nor hotspots and no usable PDF fails it too (`PageError`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pymupdf

from pipeline.checks.agreement import bigrams, dice, page_agreement
from pipeline.config import PaperProfile
from pipeline.errors import PageError
from pipeline.extract.site import Hotspot, PageIndex, doc_key, parse_article, parse_index
from pipeline.models import Article, Comparison, PageLayout, RawPart, Region
from pipeline.profiles import SiteEra
from pipeline.segment.html import html_article

MATCH = 0.5  # an HTML article and a PDF article sharing at least this much text (Dice of bigrams) are one story


@dataclass(frozen=True, slots=True)
class SiteReading:
    """A site page as read: the layout to publish, which reading it is, the PDF cross-check."""

    layout: PageLayout
    reading: str  # "html" | "pdf"
    comparison: Comparison | None
    agreement: float | None
    note: str | None  # why there is no cross-check (the PDF did not read), for the page's `error` column


def read_site_page(
    profile: PaperProfile, issue_date: dt.date, page: int, parts: Sequence[RawPart], pdf: bytes | None
) -> SiteReading:
    """Read one fetched site page (see the module doc). Raises `PageError` naming the URL and selector."""
    from pipeline.pages import page_layout

    assert profile.site is not None
    era = profile.site.era(issue_date)
    paper = profile.paper_id
    index_part = next((p for p in parts if p.role == "index"), None)
    if index_part is None:
        raise PageError(paper, issue_date, page, "no page index was fetched")
    index = parse_index(index_part.data, index_part.url, era, index_part.content_type)
    if any(m.startswith("page_name") for m in index.missing):
        raise PageError(paper, issue_date, page, f"{index_part.url}: selector {index.missing[0]} found nothing")
    pdf_layout, note = None, None
    if pdf is not None:
        try:
            pdf_layout = page_layout(pdf, "pdf", paper, issue_date, page)
        except PageError as exc:
            note = f"PDF unreadable, no cross-check: {exc.reason}"
    html = _html_articles(index, parts, era, pdf, page)
    name = index.name
    if not html.articles:
        if pdf_layout is None:
            what = index.missing[0] if index.missing else "article pages with a body"
            raise PageError(paper, issue_date, page, f"{index_part.url}: {what} found nothing, and no readable PDF")
        return SiteReading(
            dataclasses.replace(pdf_layout, page_name=pdf_layout.page_name or name), "pdf", None, None, note
        )
    layout = PageLayout(
        html.articles, html.captions, page_name=name, printed_date=index.printed_date, printed_page=index.number
    )
    if pdf_layout is None:
        return SiteReading(layout, "html", None, None, note)
    comparison = compare(pdf_layout.articles, html.articles)
    agreement = round(page_agreement(pdf_layout.articles, html.articles), 4)
    return SiteReading(layout, "html", comparison, agreement, None)


@dataclass(frozen=True, slots=True)
class _Html:
    articles: tuple[Article, ...]
    captions: tuple[str, ...]


def _html_articles(index: PageIndex, parts: Sequence[RawPart], era: SiteEra, pdf: bytes | None, page: int) -> _Html:
    by_url = {doc_key(p.url): p for p in parts if p.role == "article"}
    spots = {doc_key(h.url): h for h in index.hotspots}
    scale = _scale(index, parts, pdf)
    articles, captions = [], []
    for url in index.article_urls():
        part = by_url.get(doc_key(url))
        if part is None:
            continue
        marked, caps = parse_article(part.data, era, part.content_type)
        captions.extend(caps)
        article = html_article(marked) if marked is not None else None
        if article is None:
            continue
        spot = spots.get(doc_key(url))
        if spot is not None and scale is not None:
            article = dataclasses.replace(article, regions=(_region(spot, scale, page),))
        articles.append(article)
    return _Html(tuple(articles), tuple(captions))


def _scale(index: PageIndex, parts: Sequence[RawPart], pdf: bytes | None) -> float | None:
    """PDF points per image pixel: hotspots are drawn on the page image, articles live on the PDF page."""
    if pdf is None:
        return None
    try:
        with pymupdf.open(stream=pdf, filetype="pdf") as doc:  # type: ignore[no-untyped-call]
            width = doc[0].rect.width
    except Exception:  # an unreadable PDF has no coordinates to place articles in
        return None
    image_width = index.image_size[0] if index.image_size else None
    if not image_width:
        image = next((p for p in parts if p.role == "image"), None)
        image_width = _image_width(image.data) if image is not None else None
    return width / image_width if image_width else None


def _image_width(data: bytes) -> float | None:
    try:
        return float(pymupdf.Pixmap(data).width)  # type: ignore[no-untyped-call]
    except Exception:  # not an image MuPDF reads: the hotspots cannot be scaled
        return None


def _region(spot: Hotspot, scale: float, page: int) -> Region:
    x0, y0, x1, y1 = spot.bbox()
    return Region(page, round(x0 * scale, 1), round(y0 * scale, 1), round(x1 * scale, 1), round(y1 * scale, 1))


def compare(pdf: Sequence[Article], html: Sequence[Article]) -> Comparison:
    """The figures of two readings of a page (see `Comparison`): each HTML article matched to the PDF article
    sharing most of its text, if at least `MATCH`."""
    grams = [bigrams(f"{a.title}{a.body}") for a in pdf]
    pairs = []
    for h in html:
        hg = bigrams(f"{h.title}{h.body}")
        scores = [dice(hg, g) for g in grams]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= MATCH:
            pairs.append((pdf[best], h))
    if not pairs:
        return Comparison(len(html), len(pdf), 0, None, None, None)
    titles = sum(1 for p, h in pairs if _norm(p.title) == _norm(h.title)) / len(pairs)
    bodies = sum(dice(bigrams(p.body), bigrams(h.body)) for p, h in pairs) / len(pairs)
    overlaps = [o for p, h in pairs if (o := _overlap(p.regions, h.regions)) is not None]
    return Comparison(
        html_articles=len(html),
        pdf_articles=len(pdf),
        matched=len(pairs),
        title_agreement=round(titles, 4),
        body_similarity=round(bodies, 4),
        hotspot_overlap=round(sum(overlaps) / len(overlaps), 4) if overlaps else None,
    )


def _overlap(pdf: Sequence[Region], spot: Sequence[Region]) -> float | None:
    """Share of the PDF article's area that lies inside its hotspot (None when either has no region)."""
    if not pdf or not spot:
        return None
    total = sum((r.x1 - r.x0) * (r.y1 - r.y0) for r in pdf)
    inside = sum(_inter(r, s) for r in pdf for s in spot)
    return min(1.0, inside / total) if total > 0 else None


def _inter(a: Region, b: Region) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _norm(title: str) -> str:
    return "".join(title.split())
