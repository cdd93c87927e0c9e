"""One page's bytes to a `PageLayout`, by kind of page: extract (`pipeline.extract`), then segment
(`pipeline.segment`). Pure: no I/O beyond the bytes given. The daily run, the DAG tasks, `epaper segment` and the
bench scripts all read pages through these functions.
"""

from __future__ import annotations

import datetime as dt

from pipeline.config import load_profile
from pipeline.errors import PageError
from pipeline.models import PageLayout


def page_layout(data: bytes, kind: str, paper: str, issue_date: dt.date | None, page: int | None) -> PageLayout:
    """Segment one page. Raises `PageError` (naming paper, date, page) when the bytes are not a readable page."""
    if kind == "txt":
        return text_layout(data, paper, issue_date, page)
    if kind == "pdf":
        return pdf_layout(data, paper, issue_date, page)
    if kind == "html":
        return html_layout(data, paper, issue_date, page)
    raise PageError(paper, issue_date, page, f"unsupported page kind {kind!r}")


def text_layout(data: bytes, paper: str, issue_date: dt.date | None, page: int | None) -> PageLayout:
    """A text dump's articles; a dump in which no article is recognisable is a `PageError`."""
    from pipeline.extract.text import decode_text
    from pipeline.segment.text import segment_text

    layout = segment_text(decode_text(data, paper, issue_date, page), page=page)
    if not layout.articles:
        raise PageError(paper, issue_date, page, "no recognisable article on the page")
    return layout


def pdf_layout(data: bytes, paper: str, issue_date: dt.date | None, page: int | None) -> PageLayout:
    """A page PDF's articles. The `PageError` for an unreadable page starts with `needs_ocr` when the page has
    no usable text layer."""
    from pipeline.extract.pdf import pdf_content
    from pipeline.segment.pdf import segment_page

    return segment_page(pdf_content(data, paper, issue_date, page))


def html_layout(data: bytes, paper: str, issue_date: dt.date | None, page: int | None) -> PageLayout:
    """A page's e-paper HTML articles, read with the paper profile's selectors."""
    from pipeline.extract.html import html_articles
    from pipeline.segment.html import html_layout as articles_layout

    parts = html_articles(data, load_profile(paper).html, paper, issue_date, page)
    layout = articles_layout(parts)
    if not layout.articles:
        raise PageError(paper, issue_date, page, "no article in the HTML with a body beyond its byline")
    return layout
