"""A page PDF drawn to PNG with each article's region outlined and labelled, for `epaper show`.

The picture is for a person checking segmentation at a glance: each article gets its own colour, a 2 pt outline
around each of its regions on the page, and a label (title and article id) on a white tab at the region's top
left. Labels use PyMuPDF's built-in CJK font, so no font file is needed.

`show_page` reads what it draws from the lake only: the page's raw PDF (`raw/<paper>/<date>/<NN>.pdf`, found
through the day's `pages` row) and the regions of the day's `articles` rows, so the picture shows exactly what
was archived. A story stitched across pages is outlined on each page it has a region on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf

from pipeline.config import Settings
from pipeline.errors import PageError
from pipeline.extract.pdf import upright
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.models import Region

pymupdf: Any = _pymupdf  # PyMuPDF ships no type hints
# Distinct, print-safe colours (RGB 0..1), cycled over the articles of a page.
PALETTE = (
    (0.85, 0.1, 0.1),
    (0.1, 0.45, 0.85),
    (0.1, 0.6, 0.2),
    (0.8, 0.45, 0.0),
    (0.55, 0.2, 0.75),
    (0.0, 0.6, 0.6),
    (0.75, 0.1, 0.5),
    (0.4, 0.4, 0.0),
)
LABEL_SIZE = 9.0
ID_SIZE = 7.0


@dataclass(frozen=True, slots=True)
class Outline:
    """One article to draw: its title, id and regions (only those on the page drawn are used)."""

    title: str
    article_id: str
    regions: tuple[Region, ...]


def render_page(pdf: bytes, page: int, outlines: Sequence[Outline], dpi: int = 110) -> bytes:
    """PNG bytes of the first page of `pdf` with the outlines of page `page` drawn on it. Raises ValueError when
    the bytes are not a PDF with a page."""
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for unreadable files
        raise ValueError(f"not a readable PDF: {exc}") from exc
    if doc.page_count < 1 or doc.needs_pass:
        raise ValueError("PDF has no readable page")
    canvas = doc[0]
    upright(canvas)  # regions are read on the page as shown (`extract.pdf.upright`)
    for k, outline in enumerate(outlines):
        color = PALETTE[k % len(PALETTE)]
        for i, r in enumerate(x for x in outline.regions if x.page == page):
            rect = pymupdf.Rect(r.x0 - 2, r.y0 - 2, r.x1 + 2, r.y1 + 2)
            canvas.draw_rect(rect, color=color, width=2.0)
            if i == 0:
                _label(canvas, rect, outline, color)
    return bytes(canvas.get_pixmap(dpi=dpi).tobytes("png"))


def _label(page: Any, rect: Any, outline: Outline, color: tuple[float, float, float]) -> None:
    """A white tab sitting on the region's top edge, outside it (so it hides none of the article's own headline;
    it may cover the white band above, or a little of what is above), holding the title in the article's
    colour, cut to fit the region's width, then the id in a Latin font."""
    id_width = pymupdf.get_text_length(outline.article_id, fontname="helv", fontsize=ID_SIZE)
    room = max(20.0, rect.width - id_width - 14)
    title = _fit(outline.title or "（无标题）", room)
    title_width = pymupdf.get_text_length(title, fontname="china-s", fontsize=LABEL_SIZE)
    top = max(0.0, rect.y0 - LABEL_SIZE - 4)
    tab = pymupdf.Rect(rect.x0, top, min(rect.x1, rect.x0 + title_width + id_width + 14), top + LABEL_SIZE + 4)
    page.draw_rect(tab, color=color, fill=(1, 1, 1), width=1.0, fill_opacity=0.9)
    baseline = tab.y1 - 3
    page.insert_text((tab.x0 + 3, baseline), title, fontname="china-s", fontsize=LABEL_SIZE, color=color)
    page.insert_text(
        (tab.x0 + title_width + 9, baseline),
        outline.article_id,
        fontname="helv",
        fontsize=ID_SIZE,
        color=color,
    )


def _fit(title: str, width: float) -> str:
    """The title, shortened with an ellipsis until it is at most `width` wide."""
    if pymupdf.get_text_length(title, fontname="china-s", fontsize=LABEL_SIZE) <= width:
        return title
    while title and pymupdf.get_text_length(title + "…", fontname="china-s", fontsize=LABEL_SIZE) > width:
        title = title[:-1]
    return title + "…"


def outlines_for(articles: Any, page: int) -> list[Outline]:
    """Outlines of the articles (an `articles` Arrow table) that have a region on `page`, in table order."""
    out = []
    for row in articles.to_pylist():
        regions = tuple(
            Region(int(g["page"]), float(g["x0"]), float(g["y0"]), float(g["x1"]), float(g["y1"]))
            for g in row.get("regions") or ()
        )
        if any(r.page == page for r in regions):
            out.append(Outline(row["title"] or "", row["article_id"], regions))
    return out


def show_page(settings: Settings, issue_date: dt.date, page: int, out: Path) -> tuple[Path, int]:
    """Render an archived page with its articles outlined to `out` (PNG); returns (path, outlines drawn).
    Raises `PageError` naming paper, date and page when the day or the page's PDF is not in the lake."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    pages = read_day(store, "pages", paper, issue_date)
    articles = read_day(store, "articles", paper, issue_date)
    if pages is None or articles is None:
        raise PageError(paper, issue_date, page, f"day not archived in {settings.lake}")
    row = next((r for r in pages.to_pylist() if r["page"] == page), None)
    if row is None or not row["raw_key"]:
        raise PageError(paper, issue_date, page, "page not archived (no raw bytes in the lake)")
    if row["source_kind"] != "pdf":
        raise PageError(paper, issue_date, page, f"page was archived as {row['source_kind']}, not PDF: nothing to draw")
    outlines = outlines_for(articles, page)
    try:
        png = render_page(store.read_bytes(row["raw_key"]), page, outlines)
    except ValueError as exc:
        raise PageError(paper, issue_date, page, f"archived PDF cannot be drawn: {exc}") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    return out, len(outlines)
