"""Page bytes to a `PageLayout`, by kind of page. Pure: no I/O beyond the bytes given."""

from __future__ import annotations

import datetime as dt

from pipeline.errors import PageError
from pipeline.models import PageLayout


def page_layout(data: bytes, kind: str, paper: str, issue_date: dt.date | None, page: int | None) -> PageLayout:
    """Segment one page. Raises `PageError` (naming paper, date, page) when the bytes are not a readable page."""
    if kind == "txt":
        from pipeline.extract.text import decode_text
        from pipeline.segment import segment_text

        text = decode_text(data, paper, issue_date, page)
        layout = segment_text(text, page=page)
    elif kind == "pdf":
        from pipeline.extract.pdf import pdf_layout

        layout = pdf_layout(data, paper, issue_date, page)
    elif kind == "html":
        from pipeline.extract.html import html_layout

        layout = html_layout(data, paper, issue_date, page)
    else:
        raise PageError(paper, issue_date, page, f"unsupported page kind {kind!r}")
    if not layout.articles and kind == "txt":
        raise PageError(paper, issue_date, page, "no recognisable article on the page")
    return layout
