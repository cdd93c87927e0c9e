"""PDF extraction: spans with box, size, font and weight; fake bold undone by geometry; the page header."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from pipeline.checks.render import Outline, render_page
from pipeline.extract.lines import Span, glyph_doubled
from pipeline.extract.pdf import pdf_content, read_header, read_lines, uncommon_share
from pipeline.models import Box, TextLine
from pipeline.pages import pdf_layout
from tests.fixtures.make_pages import DEFAULT_DATE, Canvas, PageBuilder, random_geometry
from tests.fixtures.make_pages2 import make_page2
from tests.fixtures.make_pages3 import make_page3

DAY = dt.date(2023, 5, 25)


def first_page(canvas: Canvas) -> Any:
    return pymupdf.open(stream=canvas.pdf(), filetype="pdf")[0]


def test_fake_bold_run_drawn_twice_is_one_bold_line() -> None:
    c = Canvas(random.Random(1))
    c.text(50, 100, "全力以赴稳经济 用心用情优服务", 24, bold=True)
    c.text(50, 140, "昨天上午，县委书记敖煜新带队", 9)
    lines = read_lines(first_page(c))
    assert [x.text for x in lines] == ["全力以赴稳经济 用心用情优服务", "昨天上午，县委书记敖煜新带队"]
    assert [x.bold for x in lines] == [True, False]
    assert lines[0].size == pytest.approx(24) and lines[0].box.x0 == pytest.approx(50, abs=0.1)
    assert lines[0].font  # the font name is kept


def test_glyph_by_glyph_doubling_comes_out_once() -> None:
    """Each glyph drawn twice in a row, a fraction of a point apart. (MuPDF 1.28 already folds such overprints
    while building lines; should a version emit them, `glyph_doubled` sees the span half as wide as its
    characters need and re-reads it character by character.)"""
    c = Canvas(random.Random(1))
    c.text_glyph_doubled(50, 100, "王波在工作例会上强调", 14)
    (line,) = read_lines(first_page(c))
    assert line.text == "王波在工作例会上强调"
    doubled = Span("王王波波在在工工作作", Box(50, 86, 120, 103), 14.0, "Heiti", False)
    assert glyph_doubled(doubled) and not glyph_doubled(doubled._replace(box=Box(50, 86, 190, 103)))


def test_genuine_repeats_are_kept() -> None:
    """Doubled characters in the text itself (`看看`, `张张叶子`) and the same words printed twice in different
    places are not fake bold: only overlapping boxes are."""
    c = Canvas(random.Random(1))
    c.text(50, 100, "看看拼抢热潮 张张叶子动起来", 12)
    c.text(50, 130, "看看拼抢热潮 张张叶子动起来", 12)
    c.text(300, 100, "记者 董华", 9)
    c.text(300, 112, "记者 董华", 9)
    lines = read_lines(first_page(c))
    assert sorted(x.text for x in lines) == sorted(["看看拼抢热潮 张张叶子动起来"] * 2 + ["记者 董华"] * 2)
    assert not any(x.bold for x in lines)


def header_lines(page: int, name: str) -> tuple[list[TextLine], list[Box]]:
    b = PageBuilder(random.Random(3), page, DAY, "above", random_geometry(random.Random(3), 6))
    b.page_name = name
    b.header()
    pdf_page = pymupdf.open(stream=b.canvas.pdf(), filetype="pdf")[0]
    rules = [Box(d["rect"].x0, d["rect"].y0, d["rect"].x1, d["rect"].y1) for d in pdf_page.get_drawings()]
    return read_lines(pdf_page), rules


def test_header_gives_page_number_name_and_date() -> None:
    lines, rules = header_lines(3, "民生")
    header = read_header(lines, rules, 842, 1191)
    assert (header.page, header.name, header.date) == (3, "民生", DAY)
    assert header.bottom > max(x.box.y1 for x in lines) - 1


def test_header_without_a_rule_is_found_at_the_top() -> None:
    lines, _ = header_lines(1, "要闻")
    header = read_header(lines, [], 842, 1191)
    assert (header.page, header.name, header.date) == (1, "要闻", DAY)


def test_layout_carries_header_facts(tmp_path: Any) -> None:
    from tests.fixtures.make_pages import make_day

    pdf = make_day(4, tmp_path)[1]
    layout = pdf_layout(pdf.read_bytes(), "dqnews", DAY, 2)
    assert (layout.printed_page, layout.printed_date) == (2, DAY) and layout.page_name
    assert all(r.page == 2 for a in layout.articles for r in a.regions)


def test_common_chinese_is_not_mojibake() -> None:
    sample = "昨天上午，县委书记敖煜新带队走访企业、项目，调研二季度经济运行情况。"
    assert uncommon_share(sample)[0] < 0.1
    assert uncommon_share("頔騥錓赴稳经䥩?ꎠ㯎ꎠ㳑鍢䌜騬䈷㔪醱魡，鯺㗖鉎记䅥䶎䆿")[0] > 0.5


@pytest.mark.parametrize("art", [(40.0, 22.0, 140.0, 56.0), (600.0, 30.0, 800.0, 58.0)])
def test_the_headers_art_is_furniture_not_a_picture_of_the_page(art: tuple[float, float, float, float]) -> None:
    """A picture in the header band (the paper's name or the page's name set as an image) goes with the header,
    like its lines; a picture under the header rule stays the page's."""
    from tests.fixtures.make_pages import HEADER_RULE_Y, Rect

    b = PageBuilder(random.Random(3), 2, DAY, "above", random_geometry(random.Random(3), 6))
    b.header()
    b.canvas.rect(Rect(*art), fill=0.5)
    b.canvas.rect(Rect(60, HEADER_RULE_Y + 40, 300, HEADER_RULE_Y + 200), fill=0.5)
    b.canvas.text(60, HEADER_RULE_Y + 230, "图为活动现场。本报记者 董华 摄", 8)
    for k in range(12):  # a column of text under the picture
        b.canvas.text(60, HEADER_RULE_Y + 260 + 14 * k, "昨天上午，县委书记敖煜新带队走访企业项目。", 10)
    content = pdf_content(b.canvas.pdf(), "dqnews", DAY, 2)
    assert [round(p.y0) for p in content.pictures] == [round(HEADER_RULE_Y + 40)]


def _turned(src: bytes, degrees: int) -> bytes:
    """The page's content drawn turned by `degrees` onto a page whose `/Rotate` turns it back upright."""
    with pymupdf.open(stream=src, filetype="pdf") as s, pymupdf.open() as d:
        r = s[0].rect
        page = d.new_page(width=r.height, height=r.width)
        page.show_pdf_page(page.rect, s, 0, rotate=degrees)
        page.set_rotation(degrees % 360)
        return bytes(d.tobytes())


@pytest.mark.parametrize("degrees", [90, -90])
@pytest.mark.parametrize("make", ["second", "third"])
def test_a_page_shown_upright_by_its_rotate_entry_reads_as_shown(tmp_path: Path, make: str, degrees: int) -> None:
    """A page drawn sideways and turned upright by `/Rotate` reads as the upright page does: same articles, same
    regions. Before, its lines came in the drawing's coordinates, running down the page, and read as vertical
    text (a third-generator page scored 0.26)."""
    seed = 70100 if make == "third" else 3
    pdf = make_page3(seed, tmp_path / "p.pdf") if make == "third" else make_page2(seed, tmp_path / "p.pdf")
    page = int(json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["page"])
    plain = pdf_layout(pdf.read_bytes(), "x", DEFAULT_DATE, page).articles
    turned = pdf_layout(_turned(pdf.read_bytes(), degrees), "x", DEFAULT_DATE, page).articles
    assert len(plain) >= 2
    assert [a.to_json() for a in turned] == [a.to_json() for a in plain]
    for a, b in zip(turned, plain, strict=True):
        for ra, rb in zip(a.regions, b.regions, strict=True):
            assert abs(ra.x0 - rb.x0) < 1 and abs(ra.y0 - rb.y0) < 1 and abs(ra.x1 - rb.x1) < 1


def test_outlines_drawn_on_a_turned_page_fall_where_they_do_on_the_upright_one(tmp_path: Path) -> None:
    """`epaper show` draws each article's region on the page as shown: the picture of a page turned upright by
    `/Rotate` is the picture of the upright page, outlines and all (before, the outlines were drawn in the
    sideways drawing's coordinates)."""
    pdf = make_page3(70100, tmp_path / "p.pdf")
    page = int(json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["page"])
    articles = pdf_layout(pdf.read_bytes(), "x", DEFAULT_DATE, page).articles
    outlines = [Outline(a.title, str(k), a.regions) for k, a in enumerate(articles)]
    assert outlines
    plain = pymupdf.Pixmap(render_page(pdf.read_bytes(), page, outlines, dpi=40))
    turned = pymupdf.Pixmap(render_page(_turned(pdf.read_bytes(), 90), page, outlines, dpi=40))
    assert (turned.width, turned.height) == (plain.width, plain.height)
    assert sum(abs(a - b) > 40 for a, b in zip(plain.samples, turned.samples, strict=True)) < 100
