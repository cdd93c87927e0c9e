"""Records of the pipeline and the Arrow schema of each lake table, side by side.

Records are frozen dataclasses; `*_table()` functions are the one place where records become Arrow, so a field
added to a record without its column (or the reverse) fails at write time, not in a reader's query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pyarrow as pa

# --- sources -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageRef:
    """Identity of one page of one issue, and where its bytes are (`location`: a path or URL). `html_location`:
    the same page as the e-paper's HTML when the source also has that and the page is read from another form
    (the HTML is then a cross-check of the segmentation, see `pipeline.checks.agreement`)."""

    paper: str
    issue_date: dt.date
    page: int
    kind: str  # "txt" | "pdf" | "html"
    location: str
    html_location: str | None = None


@dataclass(frozen=True, slots=True)
class RawPart:
    """One more object a source fetched for a page (a site's page index, page image, article pages): `name` is
    safe as a file name (see `pipeline.sources.site.safe_name`), `role` says what it is."""

    name: str
    role: str  # "index" | "article" | "image" | "pdf"
    url: str
    data: bytes
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One row of `fetches`: one HTTP answer a source got (after retries and redirects), and where its bytes
    went (`raw_key`, None when nothing was kept: an error answer, a 304 whose bytes were archived already)."""

    paper: str
    issue_date: dt.date
    page: int | None
    url: str
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    size: int
    fetched_at: dt.datetime
    attempts: int = 1
    raw_key: str | None = None
    role: str | None = None  # what the object is for the page: "index", "pdf", "image", "article", "calendar"


FETCHES_SCHEMA = pa.schema(
    [
        ("paper", pa.string()),
        ("issue_date", pa.date32()),
        ("page", pa.int32()),
        ("url", pa.string()),
        ("status", pa.int32()),
        ("content_type", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("sha256", pa.string()),
        ("size", pa.int64()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("attempts", pa.int32()),
        ("raw_key", pa.string()),
        ("role", pa.string()),
    ]
)


def fetches_table(rows: Sequence[FetchRecord]) -> pa.Table:
    """`fetches` rows to Arrow, in the one schema."""
    return pa.Table.from_pydict({n: [getattr(r, n) for r in rows] for n in FETCHES_SCHEMA.names}, schema=FETCHES_SCHEMA)


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page's bytes as the source delivered them; a site source adds the page's other objects (`parts`) and
    a record of every answer it got for the page (`fetches`)."""

    ref: PageRef
    data: bytes
    parts: tuple[RawPart, ...] = ()
    fetches: tuple[FetchRecord, ...] = ()


# --- page geometry: what extract/pdf.py hands segment/pdf/ ----------------------------------------------------------------------------------------------------


class Box(NamedTuple):
    """A rectangle in PDF points, origin top-left. (A named tuple rather than a frozen dataclass: pages make
    tens of thousands of these, and tuples are several times cheaper to build.)"""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    # Conditional expressions rather than min()/max(): these run tens of thousands of times a page, and a
    # builtin call costs several times a comparison.
    def x_overlap(self, other: Box) -> float:
        a, b = self.x1, other.x1
        c, d = self.x0, other.x0
        return (a if a < b else b) - (c if c > d else d)

    def y_overlap(self, other: Box) -> float:
        a, b = self.y1, other.y1
        c, d = self.y0, other.y0
        return (a if a < b else b) - (c if c > d else d)

    def contains_center(self, other: Box) -> bool:
        cx, cy = (other.x0 + other.x1) / 2, (other.y0 + other.y1) / 2
        return self.x0 <= cx <= self.x1 and self.y0 <= cy <= self.y1

    def intersection_area(self, other: Box) -> float:
        return max(0.0, self.x_overlap(other)) * max(0.0, self.y_overlap(other))


def union_all(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all of them (at least one)."""
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return Box(min(x0s), min(y0s), max(x1s), max(y1s))


class TextLine(NamedTuple):
    """One printed line (fake-bold copies already removed): its text, box, type size, weight and font. (A
    named tuple for the same reason as `Box`.)"""

    text: str
    box: Box
    size: float
    bold: bool = False
    font: str = ""


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a page shows, header removed: text lines, rules (thin lines), frames (stroked boxes) and pictures.
    `extract.pdf` builds it from a page PDF; `segment.pdf` cuts it into articles."""

    page: int
    width: float
    height: float
    lines: tuple[TextLine, ...]
    rules: tuple[Box, ...] = ()
    frames: tuple[Box, ...] = ()
    pictures: tuple[Box, ...] = ()
    # What the removed header said (page name, printed date and page number), carried on to the `PageLayout`.
    page_name: str | None = None
    printed_date: dt.date | None = None
    printed_page: int | None = None


# --- segmentation --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """One article as a page's e-paper HTML marks it up: headline parts and byline element as printed there, and
    the body's paragraphs with any byline or jump marker still inside them. `extract.html` reads these from the
    markup; `segment.html` turns them into an `Article` with the same byline rules as the other page forms."""

    kicker: str | None
    title: str | None
    subtitle: str | None
    byline: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Region:
    """A rectangle on a page in PDF points (origin top-left), covering part of an article."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True, slots=True)
class Article:
    """One article as cut from one page. `body` is paragraphs joined by `\\n`."""

    title: str
    kicker: str | None
    subtitle: str | None
    authors: tuple[str, ...]
    body: str
    continues_to_page: int | None = None
    continued_from_page: int | None = None
    regions: tuple[Region, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The `epaper segment` JSON contract (keys stable; `regions` only when known)."""
        out: dict[str, object] = {
            "title": self.title,
            "kicker": self.kicker,
            "subtitle": self.subtitle,
            "authors": list(self.authors),
            "body": self.body,
            "continues_to_page": self.continues_to_page,
            "continued_from_page": self.continued_from_page,
        }
        if self.regions:
            out["regions"] = [[r.page, r.x0, r.y0, r.x1, r.y1] for r in self.regions]
        return out


@dataclass(frozen=True, slots=True)
class PageLayout:
    """What segmentation found on one page: articles in reading order, plus loose fragments."""

    articles: tuple[Article, ...]
    fragments: tuple[str, ...] = ()
    page_name: str | None = None
    printed_date: dt.date | None = None
    printed_page: int | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """A page read twice, from the site's article pages (HTML) and from its PDF: how far they agree.
    `matched`: HTML articles whose best PDF match shares most of its text; `title_agreement`: share of matched
    pairs with the same title; `body_similarity`: mean text similarity of matched pairs; `hotspot_overlap`: mean
    share of a matched PDF article's region inside its HTML article's hotspot (None without hotspots)."""

    html_articles: int
    pdf_articles: int
    matched: int
    title_agreement: float | None
    body_similarity: float | None
    hotspot_overlap: float | None


# --- lake records --------------------------------------------------------------------------------------------

PAGE_OK = "ok"
PAGE_FAILED = "failed"
PAGE_NEEDS_OCR = "needs_ocr"


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One row of `pages`: what happened to one page of the day."""

    paper: str
    issue_date: dt.date
    page: int
    page_name: str | None
    source_kind: str
    raw_key: str | None
    sha256: str | None
    status: str  # PAGE_OK | PAGE_FAILED | PAGE_NEEDS_OCR
    error: str | None
    n_articles: int
    fragments: tuple[str, ...] = ()
    # Agreement (0..1) of the page's articles with the e-paper's HTML of the same page; None without HTML.
    html_agreement: float | None = None
    # Which reading the page's articles come from ("html": the site's article pages, else the page's kind).
    reading: str | None = None
    comparison: Comparison | None = None


PAGES_SCHEMA = pa.schema(
    [
        ("paper", pa.string()),
        ("issue_date", pa.date32()),
        ("page", pa.int32()),
        ("page_name", pa.string()),
        ("source_kind", pa.string()),
        ("raw_key", pa.string()),
        ("sha256", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("n_articles", pa.int32()),
        ("fragments", pa.list_(pa.string())),
        ("html_agreement", pa.float32()),
        ("reading", pa.string()),
        ("html_articles", pa.int32()),
        ("pdf_articles", pa.int32()),
        ("matched_articles", pa.int32()),
        ("title_agreement", pa.float32()),
        ("body_similarity", pa.float32()),
        ("hotspot_overlap", pa.float32()),
    ]
)

_COMPARISON_COLUMNS = {
    "html_articles": "html_articles",
    "pdf_articles": "pdf_articles",
    "matched_articles": "matched",
    "title_agreement": "title_agreement",
    "body_similarity": "body_similarity",
    "hotspot_overlap": "hotspot_overlap",
}


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One row of `articles`: a whole story, stitched across the pages it jumps to.

    `article_id` is `<paper>-<date>-a-p<first page:04>-i<index on that page:04>`: stable across re-runs of the same
    input and readable. `parts` lists the per-page piece ids (`...-p0002-i0001`) in order, so the stitch is traceable.
    """

    article_id: str
    paper: str
    issue_date: dt.date
    page: int
    pages: tuple[int, ...]
    seq: int
    kicker: str | None
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    body: str
    continues_to_page: int | None
    continued_from_page: int | None
    parts: tuple[str, ...]
    regions: tuple[Region, ...] = field(default=())
    reading: str | None = None  # "html" (the site's article page), "pdf" or "txt": where the row was read from

    @property
    def n_chars(self) -> int:
        return len(self.body)


REGION_TYPE = pa.struct(
    [("page", pa.int32()), ("x0", pa.float32()), ("y0", pa.float32()), ("x1", pa.float32()), ("y1", pa.float32())]
)

ARTICLES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("paper", pa.string()),
        ("issue_date", pa.date32()),
        ("page", pa.int32()),
        ("pages", pa.list_(pa.int32())),
        ("seq", pa.int32()),
        ("kicker", pa.string()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("body", pa.string()),
        ("n_chars", pa.int32()),
        ("continues_to_page", pa.int32()),
        ("continued_from_page", pa.int32()),
        ("parts", pa.list_(pa.string())),
        ("regions", pa.list_(REGION_TYPE)),
        ("reading", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class IssueRecord:
    """One row of `issues`: the day as a whole."""

    paper: str
    paper_name: str
    issue_date: dt.date
    n_pages: int
    n_pages_failed: int
    n_articles: int
    status: str  # "complete" | "incomplete" | "no issue"


ISSUES_SCHEMA = pa.schema(
    [
        ("paper", pa.string()),
        ("paper_name", pa.string()),
        ("issue_date", pa.date32()),
        ("n_pages", pa.int32()),
        ("n_pages_failed", pa.int32()),
        ("n_articles", pa.int32()),
        ("status", pa.string()),
    ]
)


def pages_table(rows: Sequence[PageRecord]) -> pa.Table:
    """`pages` rows to Arrow, in the one schema."""
    cols: dict[str, list[object]] = {}
    for name in PAGES_SCHEMA.names:
        if name in _COMPARISON_COLUMNS:
            attr = _COMPARISON_COLUMNS[name]
            cols[name] = [getattr(r.comparison, attr) if r.comparison else None for r in rows]
        elif name == "fragments":
            cols[name] = [list(r.fragments) for r in rows]
        else:
            cols[name] = [getattr(r, name) for r in rows]
    return pa.Table.from_pydict(cols, schema=PAGES_SCHEMA)


def articles_table(rows: Sequence[ArticleRecord]) -> pa.Table:
    """`articles` rows to Arrow, in the one schema."""
    cols: dict[str, list[object]] = {}
    for name in ARTICLES_SCHEMA.names:
        if name == "regions":
            cols[name] = [
                [{"page": g.page, "x0": g.x0, "y0": g.y0, "x1": g.x1, "y1": g.y1} for g in r.regions] for r in rows
            ]
        elif name in ("pages", "authors", "parts"):
            cols[name] = [list(getattr(r, name)) for r in rows]
        else:
            cols[name] = [getattr(r, name) for r in rows]
    return pa.Table.from_pydict(cols, schema=ARTICLES_SCHEMA)


def issues_table(rows: Sequence[IssueRecord]) -> pa.Table:
    """`issues` rows to Arrow, in the one schema."""
    return pa.Table.from_pydict({n: [getattr(r, n) for r in rows] for n in ISSUES_SCHEMA.names}, schema=ISSUES_SCHEMA)
