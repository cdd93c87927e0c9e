"""The e-paper's HTML of one page to its articles' marked-up parts, with lexbor (selectolax). Pure: bytes in.

E-paper systems of one family publish each article as marked-up text: the headline parts and the byline in their
own elements, the body as paragraphs. Which elements those are is the paper profile's `[html]` table (CSS
selectors), so another paper of the family is configuration. A page's HTML holds the page's articles, one element
per article (`article` selector); a site that serves one document per article is read by its source into one
document per page. What the parts mean (bylines, jumps) is `pipeline.segment.html`'s business.
"""

from __future__ import annotations

import datetime as dt
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.config import HtmlSelectors
from pipeline.errors import PageError
from pipeline.models import HtmlArticle

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BREAK = "\ue000"  # stands for `<br>` in the text (a private-use character no page text contains)
_LEGACY = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}  # GB18030 reads all three


def html_articles(
    data: bytes, selectors: HtmlSelectors, paper: str, issue_date: dt.date | None, page: int | None
) -> list[HtmlArticle]:
    """The marked-up articles of one page's HTML that have body paragraphs. Raises `PageError` (naming paper,
    date and page) for a file that is not HTML of the family: undecodable, or without any article element."""
    text = decode_html(data)
    if text is None:
        raise PageError(paper, issue_date, page, "HTML is not decodable as UTF-8 or GB18030")
    doc = LexborHTMLParser(_BR.sub(_BREAK, text))
    found = [_article(node, selectors) for node in doc.css(selectors.article)]
    articles = [a for a in found if a.paragraphs]
    if not articles:
        raise PageError(
            paper, issue_date, page, f"no article in the HTML (no {selectors.article!r} element with a body)"
        )
    return articles


def decode_html(data: bytes) -> str | None:
    """The document as text: UTF-8 when it is valid UTF-8 (a page re-encoded without its `<meta>` updated still
    reads right; valid UTF-8 is almost never anything else), else the Chinese charset its `<meta>` declares,
    else GB18030; None if none fits. Single-byte and UTF-16 declarations are not trusted: a Chinese page is
    neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    encodings = [_LEGACY.get(name, name)] if name in _LEGACY or name in ("gb18030", "big5", "big5-hkscs") else []
    for encoding in [*encodings, "gb18030"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _article(node: LexborNode, s: HtmlSelectors) -> HtmlArticle:
    return HtmlArticle(
        kicker=_text(node, s.kicker),
        title=_text(node, s.title),
        subtitle=_text(node, s.subtitle),
        byline=_text(node, s.author),
        paragraphs=tuple(_paragraphs(node, s.body)),
    )


def _paragraphs(node: LexborNode, selector: str) -> list[str]:
    """Body paragraphs: one per matched element, and one per line of an element that breaks lines with `<br>`."""
    out: list[str] = []
    for el in node.css(selector):
        for line in (el.text(separator="", deep=True) or "").split(_BREAK):
            text = clean_text(line)
            if text:
                out.append(text)
    return out


def _text(node: LexborNode, selector: str) -> str | None:
    found = node.css_first(selector) if selector else None
    text = clean_text(found.text(separator="", deep=True).replace(_BREAK, " ")) if found is not None else ""
    return text or None


def clean_text(text: str) -> str:
    """Whitespace of the markup (indents of full-width spaces, source line breaks) collapsed to single spaces."""
    return _SPACES.sub(" ", text).strip()


def document_article(text: str, selectors: HtmlSelectors, strip: str = "") -> HtmlArticle:
    """The one article of an article page (a site that serves one document per article): the element
    `selectors.article` matches, else the whole document, read with the same selectors as `html_articles`,
    after removing the elements `strip` matches (furniture inside a field, such as a date in the byline)."""
    doc = LexborHTMLParser(_BR.sub(_BREAK, text))
    if strip:
        for junk in doc.css(strip):
            junk.decompose()
    node = doc.css_first(selectors.article) if selectors.article else None
    node = node if node is not None else doc.root
    if node is None:
        return HtmlArticle(None, None, None, None, ())
    return _article(node, selectors)
