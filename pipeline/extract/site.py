"""A Founder-family e-paper site's pages, parsed with lexbor (selectolax): bytes in, records out, no I/O.

- `parse_index`: a page index (the page's name, PDF and image links, its hotspot `<area>`s over the page image,
  the links to its articles, the day's other pages, the printed date);
- `parse_article`: one article page's marked-up parts (`HtmlArticle`, read with `pipeline.extract.html`, the
  same reader as the local source's page HTML), plus its photo captions;
- `parse_calendar`: the issue dates a `period.xml` / `paper_existed.xml` calendar lists.

Which elements hold what is the profile's `SiteSelectors`; links are resolved against the page's own URL
(`../../../` is everywhere). Link texts some sites write by script (`document.write(view("标题"))`) are read from
the script's string.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.config import HtmlSelectors
from pipeline.extract.html import clean_text, decode_html, document_article
from pipeline.models import HtmlArticle
from pipeline.profiles import SiteEra, SiteSelectors

_PAGE_NO = re.compile(r"第?\s*([A-Za-z]?)(\d{1,3})\s*版")
_PAGE_NAME = re.compile(r"版\s*[:：]\s*(\S[^\n]*?)\s*(?:PDF|&nbsp;|$)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_URL_DATE = re.compile(r"(\d{4})-?(\d{2})/(\d{2})/")
_VIEW = re.compile(r"""view\(\s*["'](.*?)["']\s*\)""", re.S)
# Entries that credit the page's editors (本版责编：…, 版式：…) are listed like articles but are not stories.
CREDIT = re.compile(r"^\s*(本版)?(责任?编辑?|责编|编辑|美编|版式|校对|图片编辑|制图|值班编辑)\s*[:：]")


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class Hotspot:
    """An `<area>` over the page image: the article it links to and its polygon in image pixels."""

    url: str
    points: tuple[tuple[float, float], ...]

    def bbox(self) -> tuple[float, float, float, float]:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True, slots=True)
class PageIndex:
    """What a page index says. `missing` names the selectors that found nothing, for the page's error."""

    url: str
    number: int | None
    name: str | None
    pdf_url: str | None
    image_url: str | None
    image_size: tuple[float, float] | None
    pages: tuple[Link, ...]
    articles: tuple[Link, ...]
    hotspots: tuple[Hotspot, ...]
    printed_date: dt.date | None
    missing: tuple[str, ...]

    def article_urls(self) -> list[str]:
        """Every article of the page once, in list order then hotspot order; editor credits left out."""
        seen: dict[str, None] = {}
        for link in self.articles:
            if not CREDIT.match(link.text):
                seen.setdefault(link.url)
        for spot in self.hotspots:
            seen.setdefault(spot.url)
        return list(seen)


def doc_key(url: str) -> str:
    """A link's document: the URL without query or fragment (`content_1.htm?div=-1` is `content_1.htm`)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def decode(data: bytes, content_type: str | None = None, encoding: str = "auto") -> str:
    """The page as text: the profile's encoding when it names one (GB2312/GBK read as GB18030, their superset),
    else valid UTF-8, else the charset of the header or `<meta>`, else GB18030 (see `decode_html`)."""
    if encoding != "auto":
        name = "gb18030" if encoding.lower() in ("gbk", "gb2312", "x-gbk") else encoding
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            pass
    if content_type and "charset=" in content_type.lower():
        declared = content_type.lower().split("charset=", 1)[1].strip(" \"';")
        if declared.startswith(("gb", "x-gbk")):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return data.decode("gb18030", "replace")
    return decode_html(data) or data.decode("gb18030", "replace")


def parse_index(data: bytes, url: str, era: SiteEra, content_type: str | None = None) -> PageIndex:
    """Read a page index; never raises for missing elements (they are listed in `missing`)."""
    s = era.selectors
    doc = LexborHTMLParser(decode(data, content_type, era.encoding))
    missing = []
    name_text = _first_text(doc, s.page_name)
    if name_text is None:
        missing.append(f"page_name {s.page_name!r}")
    pdf = _first_attr(doc, s.page_pdf, "href")
    image = doc.css_first(s.page_image)
    pages = tuple(Link(urljoin(url, h), _link_text(a)) for a in doc.css(s.page_list) if (h := a.attributes.get("href")))
    articles = tuple(
        Link(urljoin(url, h), _link_text(a)) for a in doc.css(s.article_links) if (h := a.attributes.get("href"))
    )
    hotspots = tuple(_hotspot(a, url) for a in doc.css(s.hotspots) if a.attributes.get("href"))
    if not articles and not hotspots:
        missing.append(f"article_links {s.article_links!r}")
    number, name = page_number_and_name(name_text or "")
    return PageIndex(
        url=url,
        number=number,
        name=name,
        pdf_url=urljoin(url, pdf) if pdf else None,
        image_url=urljoin(url, src) if image is not None and (src := image.attributes.get("src")) else None,
        image_size=_size(image),
        pages=pages,
        articles=articles,
        hotspots=tuple(h for h in hotspots if h.points),
        printed_date=printed_date(_first_text(doc, s.printed_date) or ""),
        missing=tuple(missing),
    )


def parse_article(data: bytes, era: SiteEra, content_type: str | None = None) -> tuple[HtmlArticle | None, list[str]]:
    """One article page's marked-up parts (None for an editor credit: `本版责编：…` as title or first paragraph)
    and its photo captions."""
    s = era.selectors
    text = decode(data, content_type, era.encoding)
    article = document_article(text, _html_selectors(s), s.strip)
    first = article.title or (article.paragraphs[0] if article.paragraphs else "")
    if CREDIT.match(first):
        return None, []
    captions = [t for node in LexborHTMLParser(text).css(s.captions) if (t := clean_text(node.text()))]
    return article, captions


def parse_calendar(data: bytes) -> set[dt.date] | None:
    """Issue dates a calendar lists (`<period_date>` or `<date>` elements); None when it is not such XML."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    out = set()
    for el in root.iter():
        if el.tag.lower() in ("period_date", "date") and el.text:
            try:
                out.add(dt.date.fromisoformat(el.text.strip()[:10]))
            except ValueError:
                continue
    return out


def page_number_and_name(text: str) -> tuple[int | None, str | None]:
    """`第01版：要闻` / `01版:理论` / `第A03版：…` -> (1, "要闻"); (None, None) when the text names no page."""
    m = _PAGE_NO.search(text)
    if not m:
        return None, None
    rest = text[m.end() :].lstrip(" :：")
    name = rest.split("PDF")[0].split("\n")[0].strip() or None
    return int(m.group(2)), name


def printed_date(text: str) -> dt.date | None:
    """The date printed on a page (`2023年05月25日`), if any."""
    return _ymd(_DATE.search(text))


def url_date(url: str) -> dt.date | None:
    """The issue date in a Founder URL (`…/2023-05/25/…`, `…/202412/25/…`), if any."""
    return _ymd(_URL_DATE.search(urlsplit(url).path))


def _ymd(m: re.Match[str] | None) -> dt.date | None:
    """A match's three groups (year, month, day) as a date; None for no match or no such day."""
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _html_selectors(s: SiteSelectors) -> HtmlSelectors:
    return HtmlSelectors(
        article="body", kicker=s.kicker, title=s.title, subtitle=s.subtitle, author=s.author, body=s.body
    )


def _link_text(node: LexborNode) -> str:
    """A link's text; for a text written by script (`document.write(view("…"))`), the script's string."""
    script = node.css_first("script")
    if script is not None:
        m = _VIEW.search(script.text() or "")
        if m:
            return clean_text(m.group(1))
    return clean_text(node.text(deep=True) or "")


def _hotspot(node: LexborNode, base: str) -> Hotspot:
    raw = (node.attributes.get("coords") or "").replace(" ", "")
    try:
        nums = [float(v) for v in raw.split(",") if v]
    except ValueError:
        nums = []
    points = tuple(zip(nums[0::2], nums[1::2], strict=False)) if len(nums) >= 4 else ()
    if len(points) == 2:  # shape=rect: two corners
        (x0, y0), (x1, y1) = points
        points = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return Hotspot(urljoin(base, node.attributes.get("href") or ""), points)


def _size(image: LexborNode | None) -> tuple[float, float] | None:
    if image is None:
        return None
    try:
        return float(image.attributes.get("width") or ""), float(image.attributes.get("height") or "")
    except ValueError:
        return None


def _first_text(doc: LexborHTMLParser, selector: str) -> str | None:
    node = doc.css_first(selector) if selector else None
    text = clean_text(node.text(deep=True)) if node is not None else ""
    return text or None


def _first_attr(doc: LexborHTMLParser, selector: str, attr: str) -> str | None:
    node = doc.css_first(selector) if selector else None
    return node.attributes.get(attr) if node is not None else None
