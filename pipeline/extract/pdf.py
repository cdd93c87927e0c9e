"""A page PDF to its positioned content (`PageContent`), with PyMuPDF. Pure: bytes in, content out.

Steps, each with its reason:

1. Open and vet the file: not empty, a PDF, not truncated, not encrypted, exactly one page (a publisher sends one
   file per page; a whole issue in one file is a mistake upstream, not a page), a sane page size.
2. Lines (`pipeline.extract.lines`): runs from the text page's `dict`, fake-bold copies dropped (whole runs by
   text and position, overlapping runs character by character from `rawdict` of the same text page), runs of one
   baseline joined into lines whatever text object they came in, upright lines read top to bottom.
3. Text-layer checks: a page with (almost) no text is a scan, and a page whose characters are mostly not common
   Chinese was written with fonts that have no Unicode mapping (mojibake). Both raise `PageError("needs_ocr:
   …")`, which the daily run records as a `needs_ocr` page instead of inventing articles.
4. The header (everything above the first long rule at the top of the page) gives page number, page name and
   printed date. A printed date or page number that disagrees with the one asked for is a `PageError`.
5. The rest is the page's `PageContent` (lines, rules, frames, pictures and what the header said), which
   `pipeline.segment.pdf` cuts into articles.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf as _pymupdf

from pipeline.errors import PageError
from pipeline.extract.lines import area
from pipeline.extract.lines import read_lines as lines_of
from pipeline.models import Box, PageContent, TextLine

# PyMuPDF ships no type hints; going through `Any` keeps strict mypy meaningful for the rest of the module.
pymupdf: Any = _pymupdf
MAX_BYTES = 64 * 1024 * 1024  # one page PDF; anything larger is not a page (and would be slow to open)
MIN_TEXT_CHARS = 30  # fewer characters outside the header than this: no usable text layer
MOJIBAKE_SHARE = 0.25  # above this share of uncommon characters, the text layer is unreadable
SAMPLE_CHARS = 600  # characters per font the mojibake test reads: a broken font garbles all of its text
# One pass over the content stream gives text and vector paths (rules, frames, tints) together: a separate
# `get_drawings` would interpret the page a second time.
# Images are not asked for here: their blocks carry the image bytes. Pages listing images in their resources
# get one more pass for the image boxes alone (`get_image_info`).
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_COLLECT_VECTORS
_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
_PAGE_NO = re.compile(r"第\s*(\d{1,3})\s*版")
_NAME_AFTER = re.compile(r"第\s*\d{1,3}\s*版\s*[|｜:：·•\s]*([\u4e00-\u9fff]{2,6})")
_NAME_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,6})\s*[|｜:：·•\s]*第\s*\d{1,3}\s*版")
_NOT_A_NAME = re.compile(r"编辑|版式|校对|美编|电话|星期|邮箱|热线|新闻$|日报$|晚报$")
_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GARBAGE = re.compile(r"[\ufffd\ue000-\uf8ff\ua000-\ua4cf\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DAMAGE = re.compile(r"premature end|syntax error|cannot load|non-page object|zlib|unexpected eof|page may not", re.I)

# MuPDF prints repair warnings for damaged files on stderr; we collect them (`TOOLS.mupdf_warnings`, reset per
# page, so one process should extract one page at a time) and report them through PageError instead.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


@dataclass(frozen=True, slots=True)
class Header:
    """What the page header says about the page."""

    page: int | None
    name: str | None
    date: dt.date | None
    bottom: float


def pdf_content(data: bytes, paper: str, issue_date: dt.date | None, page: int | None) -> PageContent:
    """What one page PDF shows, header read and removed. Raises `PageError` naming paper, date and page for anything not a readable page;
    the reason starts with `needs_ocr` when the page has no usable text layer."""

    def fail(reason: str) -> PageError:
        return PageError(paper, issue_date, page, reason)

    pymupdf.TOOLS.reset_mupdf_warnings()
    doc = open_page_pdf(data, fail)
    try:
        pdf_page = doc[0]
        textpage = pdf_page.get_textpage(flags=TEXT_FLAGS)
        blocks = textpage.extractDICT()["blocks"]
        lines = read_lines(pdf_page, blocks, textpage)
        images = pdf_page.get_image_info() if pdf_page.get_images() else []
        rules, frames, pictures = read_graphics(blocks, [Box(*i["bbox"]) for i in images])
        width, height = pdf_page.rect.width, pdf_page.rect.height
    except Exception as exc:  # PyMuPDF raises RuntimeError, ValueError, even TypeError on damaged files (fuzzing)
        raise fail(f"damaged PDF: {type(exc).__name__}: {exc}") from exc
    finally:
        doc.close()
    damage = damage_report(pymupdf.TOOLS.mupdf_warnings())
    if damage:
        raise fail(f"damaged PDF (what MuPDF could read may be incomplete): {damage}")
    header = read_header(lines, rules, width, height)
    body = [x for x in lines if x.box.y0 >= header.bottom]
    check_text_layer(lines, body, fail)
    check_header(header, issue_date, page, fail)
    number = page or header.page or 1
    # The header's art (the paper's name, the page's name set as images) is furniture, like the header's lines.
    pictures = tuple(p for p in pictures if (p.y0 + p.y1) / 2 >= header.bottom)
    return PageContent(
        number, width, height, tuple(body), rules, frames, pictures, header.name, header.date, header.page
    )


# --- 1. the file ----------------------------------------------------------------------------------------------


def open_page_pdf(data: bytes, fail: Any) -> Any:
    """The opened one-page document, or `fail(reason)` raised."""
    if not data:
        raise fail("empty file")
    if len(data) > MAX_BYTES:
        raise fail(f"file is {len(data) // 2**20} MiB, more than a page PDF can be ({MAX_BYTES // 2**20} MiB)")
    if b"%PDF-" not in data[:1024]:
        raise fail(f"not a PDF (starts with {data[:8]!r})")
    if b"%%EOF" not in data[-2048:]:
        raise fail("truncated PDF: no %%EOF at the end (incomplete download?)")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for unreadable files; all mean the same here
        raise fail(f"unreadable PDF: {exc}") from exc
    try:
        problem = _vet(doc)
    except Exception as exc:  # a damaged page tree can raise even on `page_count` (found by the fuzz test)
        problem = f"damaged PDF: {type(exc).__name__}: {exc}"
    if problem:
        doc.close()
        raise fail(problem)
    upright(doc[0])
    return doc


def upright(page: Any) -> None:
    """The page turned as it is shown. A PDF page may carry its content drawn sideways with a `/Rotate` entry
    that turns it upright for display (a landscape spread, a scanner's or an imposition tool's output); text
    read from it comes in the drawing's coordinates, its lines running down the page as if set vertically. The
    rotation is folded into the content (`remove_rotation`: the same appearance, rotation 0), so lines, boxes and
    regions are those of the page a reader sees."""
    if page.rotation:
        page.remove_rotation()


def damage_report(warnings: str) -> str | None:
    """The first two MuPDF messages saying content was lost (truncated streams, syntax errors, unloadable
    objects), or None. Benign repairs (a wrong cross-reference offset) are not damage."""
    bad = [w for w in warnings.splitlines() if _DAMAGE.search(w)]
    return "; ".join(dict.fromkeys(bad[:2])) if bad else None


def _vet(doc: Any) -> str | None:
    if doc.needs_pass or doc.is_encrypted:
        return "encrypted PDF: it needs a password"
    if doc.page_count == 0:
        return "PDF has no pages"
    if doc.page_count > 1:
        return f"PDF has {doc.page_count} pages; a page file holds one page (a whole issue sent as one page?)"
    try:
        rect = doc[0].rect
    except Exception as exc:  # a page object MuPDF cannot load
        return f"damaged PDF: page cannot be loaded ({exc})"
    if not (72 <= rect.width <= 14400 and 72 <= rect.height <= 14400):
        return f"page size {rect.width:.0f}×{rect.height:.0f} pt is not a newspaper page"
    return None


# --- 2. spans and lines --------------------------------------------------------------------------------------


def read_lines(page: Any, raw: Sequence[dict[str, Any]] | None = None, textpage: Any = None) -> list[TextLine]:
    """The page's printed lines (`pipeline.extract.lines.read_lines`), from its text page (made here if not
    given) and that page's `dict` blocks."""
    if textpage is None:
        textpage = page.get_textpage(flags=TEXT_FLAGS)
    if raw is None:
        raw = textpage.extractDICT()["blocks"]
    return lines_of(textpage, raw)


def read_graphics(
    blocks: Sequence[dict[str, Any]], images: Sequence[Box] = ()
) -> tuple[tuple[Box, ...], tuple[Box, ...], tuple[Box, ...]]:
    """(rules, frames, pictures) from the page's vector blocks and image boxes: thin lines; stroked boxes;
    filled areas that are not white, and images. Parts of one picture (nested boxes) are merged."""
    rules: list[Box] = []
    frames: list[Box] = []
    pictures: list[Box] = [b for b in images if b.width >= 20 and b.height >= 20]
    for block in blocks:
        if block["type"] != 3:
            continue
        box = Box(*block["bbox"])
        w, h = box.width, box.height
        if min(w, h) <= 2.5 and max(w, h) >= 20:
            rules.append(box)
        elif w >= 20 and h >= 20:
            if block.get("stroked"):
                frames.append(box)
            elif min(block.get("color", 0) >> k & 0xFF for k in (16, 8, 0)) < 0.95 * 255:
                pictures.append(box)
    return tuple(rules), tuple(frames), tuple(_outermost(pictures))


def _outermost(boxes: list[Box]) -> list[Box]:
    """Drop boxes lying inside another (the parts of one photo)."""
    out = []
    for i, b in enumerate(boxes):
        inside = any(
            j != i and o.intersection_area(b) >= 0.95 * area(b) and area(o) > area(b) for j, o in enumerate(boxes)
        )
        if not inside:
            out.append(b)
    return out


# --- 3. text layer -----------------------------------------------------------------------------------------


@functools.cache
def common_hanzi() -> frozenset[str]:
    """The 6 763 characters of GB 2312: the common simplified Chinese a newspaper's text is made of."""
    chars = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def uncommon_share(text: str) -> tuple[float, int]:
    """(share of suspicious characters among Chinese-looking ones, how many Chinese-looking ones). Suspicious:
    Chinese characters outside GB 2312, replacement and private-use characters, control codes, Yi syllables
    (where CID-as-Unicode readings land)."""
    bad, n = _suspicious(text)
    return (bad / n if n else 0.0), n


def _suspicious(text: str) -> tuple[int, int]:
    """(suspicious characters, Chinese-looking characters) in `text`, as counts so that samples add up."""
    hanzi = len(text) - len(_HANZI.sub("", text))
    common = sum(map(common_hanzi().__contains__, text))
    garbage = len(text) - len(_GARBAGE.sub("", text))
    return hanzi - common + garbage, hanzi + garbage


def check_text_layer(lines: Sequence[TextLine], body: Sequence[TextLine], fail: Any) -> None:
    """Raise `needs_ocr` when the page has no usable text: (almost) none, or mostly undecodable. The mojibake
    test reads the first `SAMPLE_CHARS` characters of each font (a broken font garbles all its text, so a
    sample tells as well as the whole, at a fraction of the cost); the page as a whole is judged on the sum of
    the fonts' counts, so each character is looked at once."""
    n_body = sum(len(x.text) for x in body)
    if n_body < MIN_TEXT_CHARS:
        raise fail(f"needs_ocr: no text layer ({n_body} characters of text outside the header; a scan?)")
    by_font: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for x in lines:
        if sizes.get(x.font, 0) < SAMPLE_CHARS:
            by_font.setdefault(x.font, []).append(x.text)
            sizes[x.font] = sizes.get(x.font, 0) + len(x.text)
    counts = {font: _suspicious("".join(texts)) for font, texts in by_font.items()}
    page = (sum(bad for bad, _ in counts.values()), sum(n for _, n in counts.values()))
    checks = [("", page)] + (list(counts.items()) if len(counts) > 1 else [])
    for font, (bad, n) in checks:
        if n >= 40 and bad > MOJIBAKE_SHARE * n:
            where = f"font {font!r}" if font else "the page"
            raise fail(
                f"needs_ocr: text of {where} is unreadable ({bad / n:.0%} of {n} characters are not common "
                "Chinese; fonts without a Unicode mapping?)"
            )


# --- 4. header ---------------------------------------------------------------------------------------------


def read_header(lines: Sequence[TextLine], rules: Sequence[Box], width: float, height: float) -> Header:
    """Page number, page name and printed date from the lines above the header rule (the first rule across
    half the page in its top fifth); without such a rule, from the lines in the top 6 % that mention 第N版 or
    a date."""
    tops = [r for r in rules if r.width >= 0.5 * width and r.y1 <= 0.2 * height]
    if tops:
        bottom = min(r.y1 for r in tops)
        zone = [x for x in lines if x.box.y1 <= bottom + 1]
    else:
        zone = [x for x in lines if x.box.y1 <= 0.06 * height and (_PAGE_NO.search(x.text) or _DATE.search(x.text))]
        bottom = max((x.box.y1 for x in zone), default=0.0)
    text = " ".join(x.text for x in sorted(zone, key=lambda x: (round(x.box.y0 / 4), x.box.x0)))
    return Header(_page_no(text), _page_name(text), _printed_date(text), bottom + 0.1 if zone or tops else 0.0)


def _page_no(text: str) -> int | None:
    m = _PAGE_NO.search(text)
    return int(m.group(1)) if m else None


def _page_name(text: str) -> str | None:
    for pattern in (_NAME_AFTER, _NAME_BEFORE):
        m = pattern.search(text)
        if m and not _NOT_A_NAME.search(m.group(1)):
            return m.group(1)
    return None


def _printed_date(text: str) -> dt.date | None:
    for m in _DATE.finditer(text):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def check_header(header: Header, issue_date: dt.date | None, page: int | None, fail: Any) -> None:
    """A header that contradicts the request means the wrong file was delivered: never archive it silently."""
    if issue_date is not None and header.date is not None and header.date != issue_date:
        raise fail(f"printed date {header.date.isoformat()} does not match the issue date {issue_date.isoformat()}")
    if page is not None and header.page is not None and header.page != page:
        raise fail(f"page header says 第{header.page}版, but this is page {page}")
