"""A page PDF drawn to PNG with each article's region outlined and labelled, for `epaper show`.

The picture is for a person checking segmentation at a glance: each article gets its own colour, a 2 pt outline
around each of its regions on the page, and a label (title and article id) on a white tab at the region's top
left. Labels use PyMuPDF's built-in CJK font, so no font file is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf as _pymupdf

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


@dataclass(frozen=True, slots=True)
class Outline:
    """One article to draw: its label and its regions (only those on the page drawn are used)."""

    label: str
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
    for k, outline in enumerate(outlines):
        color = PALETTE[k % len(PALETTE)]
        for i, r in enumerate(x for x in outline.regions if x.page == page):
            rect = pymupdf.Rect(r.x0 - 2, r.y0 - 2, r.x1 + 2, r.y1 + 2)
            canvas.draw_rect(rect, color=color, width=2.0)
            if i == 0:
                _label(canvas, rect, outline.label, color)
    return bytes(canvas.get_pixmap(dpi=dpi).tobytes("png"))


def _label(page: Any, rect: Any, text: str, color: tuple[float, float, float]) -> None:
    """A white tab with the label in the article's colour, inside the region's top-left corner."""
    width = min(rect.width, pymupdf.get_text_length(text, fontname="china-s", fontsize=LABEL_SIZE) + 6)
    tab = pymupdf.Rect(rect.x0, rect.y0, rect.x0 + width, rect.y0 + LABEL_SIZE + 5)
    page.draw_rect(tab, color=color, fill=(1, 1, 1), width=1.0)
    page.insert_textbox(
        pymupdf.Rect(tab.x0 + 3, tab.y0 + 1, tab.x1 - 1, tab.y1),
        text,
        fontname="china-s",
        fontsize=LABEL_SIZE,
        color=color,
    )
