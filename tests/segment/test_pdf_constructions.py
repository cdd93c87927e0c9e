"""Layout rules for pages built the way other typesetting systems build them: intertitles kept in the body,
bylines set apart, upright titles, slogan bands, captions, framed stories. Each rule on hand-placed lines and on
pages of the second generator (`tests/fixtures/make_pages2.py`), plus a quality gate on its held-out seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

import pytest

from pipeline.checks.evaluate import score_page
from pipeline.models import Article, Box, PageContent, TextLine, union_all
from pipeline.pages import pdf_layout
from pipeline.segment.bylines import parse_byline, standalone_names
from pipeline.segment.pdf import segment_page
from pipeline.segment.pdf.articles import _join_lines
from pipeline.segment.pdf.blocks import HeadGroup, Item, head_groups, segments
from pipeline.segment.pdf.placement import flow_owners, governs, tight_pairs
from tests.fixtures.make_pages import DEFAULT_DATE
from tests.fixtures.make_pages2 import make_page2
from tests.fixtures.make_pages3 import make_page3

BODY = 9.0
PITCH = 13.5
TEXT = "昨天上午，县委书记敖煜新带队走访企业项目。"


def column(x: float, y: float, n: int, first_indent: bool = True) -> list[TextLine]:
    """`n` body lines down one 14-character column; the first starts two characters in."""
    out = []
    for i in range(n):
        x0 = x + (2 * BODY if i == 0 and first_indent else 0)
        t = TEXT[: 12 if i == 0 and first_indent else 14] if i < n - 1 else "情况。"
        out.append(TextLine(t, Box(x0, y + i * PITCH, x0 + len(t) * BODY, y + i * PITCH + 1.2 * BODY), BODY))
    return out


def line(x: float, y: float, text: str, size: float, bold: bool = True) -> TextLine:
    return TextLine(text, Box(x, y, x + len(text) * size, y + 1.2 * size), size, bold)


def upright(x: float, y: float, text: str, size: float) -> TextLine:
    return TextLine(text, Box(x, y, x + size, y + len(text) * 1.1 * size), size)


def page(
    *parts: list[TextLine] | TextLine, pictures: tuple[Box, ...] = (), frames: tuple[Box, ...] = ()
) -> PageContent:
    flat: list[TextLine] = []
    for p in parts:
        flat.extend(p if isinstance(p, list) else [p])
    return PageContent(1, 842, 1191, tuple(flat), (), frames, pictures)


def _truth(pdf: Path) -> dict[str, Any]:
    return dict(json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8")))


def _third_generator_page(seed: int, tmp_path: Path) -> tuple[tuple[Article, ...], dict[str, Any]]:
    """The articles the PDF path finds on third-generator page `seed`, and its truth."""
    pdf = make_page3(seed, tmp_path / f"{seed}.pdf")
    truth = _truth(pdf)
    return pdf_layout(pdf.read_bytes(), "x", DEFAULT_DATE, int(truth["page"])).articles, truth


def _titles(articles: Sequence[Article]) -> list[str]:
    return sorted(a.title.replace(" ", "") for a in articles)


def test_intertitles_stay_in_the_body_as_paragraphs() -> None:
    """A long story under a 40 pt title: one intertitle in the middle of column 1 (text right above it), one at
    the top of column 3 (under the title, no text above it in that column). One story, both in its body."""
    title = line(60, 60, "新使命中国共产党的历史担当", 40)
    col1 = [
        *column(40, 140, 8),
        line(52, 140 + 8 * PITCH + 8, "不忘初心走在前列", 12.5),
        *column(40, 140 + 10 * PITCH, 8),
    ]
    col2 = column(180, 140, 19, first_indent=False)
    col3 = [line(332, 140, "接续奋斗迈向未来", 12.5), *column(320, 140 + 2 * PITCH, 17)]
    layout = segment_page(page(title, col1, col2, col3))
    (article,) = layout.articles
    assert article.title == "新使命中国共产党的历史担当"
    paras = article.body.split("\n")
    assert "不忘初心走在前列" in paras and "接续奋斗迈向未来" in paras


def test_a_brief_headline_under_a_story_is_no_intertitle() -> None:
    """A second story's headline, set as large as a title, under the first story's column: two stories."""
    title = line(40, 60, "新使命中国共产党的历史担当", 22)
    layout = segment_page(
        page(
            title,
            column(40, 100, 8),
            line(40, 100 + 9 * PITCH, "县领导开展军事日活动", 22),
            column(40, 140 + 9 * PITCH, 6),
        )
    )
    assert [a.title for a in layout.articles] == ["新使命中国共产党的历史担当", "县领导开展军事日活动"]


def test_bylines_set_apart_are_authors() -> None:
    """A name alone under a commentary's title (larger than the text, in its own block), and a two-character
    name spaced out to three characters' width: authors, not body."""
    for byline, names in (("李忠杰", ["李忠杰"]), ("叶 帆", ["叶帆"]), ("周 江 张济坤", ["周江", "张济坤"])):
        title = line(40, 60, "社会主要矛盾新变化与民族复兴", 24)
        by = line(150, 96, byline, 10.5, bold=False)
        layout = segment_page(page(title, by, column(40, 120, 10), column(180, 120, 10, first_indent=False)))
        (article,) = layout.articles
        assert list(article.authors) == names and byline.split()[0] not in article.body


def test_standalone_names_and_bracketed_bylines() -> None:
    assert standalone_names("汪  涛  吴光胜  胡查平") == ("汪涛", "吴光胜", "胡查平")
    assert standalone_names("消费升级 翟") is None and standalone_names("本报记者") is None
    assert parse_byline("（记者 徐超超 蔡俊）") == ("徐超超", "蔡俊")
    assert parse_byline("（作者为中央党史研究室原副主任）") is None


def test_an_upright_title_heads_the_text_on_its_left() -> None:
    """An upright title at the right of its box with its upright byline beside it, the text on their left and
    below: one story with that title and author; the story on the left keeps its own."""
    left = [line(40, 60, "履行历史使命伟大工程", 24), *column(40, 100, 20), *column(180, 100, 20, first_indent=False)]
    box = [upright(500, 60, "历史永远眷顾奋进者", 26), upright(478, 140, "何民捷", 10.5)]
    box += column(340, 60, 22)
    layout = segment_page(page(left, box))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"履行历史使命伟大工程", "历史永远眷顾奋进者"}
    assert titles["历史永远眷顾奋进者"].authors == ("何民捷",)


@pytest.mark.parametrize("drop", [0.0, 30.0])
@pytest.mark.parametrize("byline", [True, False])
def test_an_upright_title_set_into_the_corner_of_its_column_heads_the_text_around_it(byline: bool, drop: float) -> None:
    """An upright title set into the top corner of its story's column: the column's lines run on its left,
    level with its top or starting lower (`drop` points: the title standing higher than the text, as on a
    column story with no frame round it), then on under it across the whole measure, so the column's box holds
    the title. With or without an upright byline beside it, the column is the upright title's story; the story
    on the left, a gutter away, keeps its own headline and columns."""
    left = [line(40, 60, "履行历史使命伟大工程", 24), *column(40, 100, 30), *column(180, 100, 30, first_indent=False)]
    x, wide = 330.0, 18
    title = upright(x + wide * BODY - 26, 60, "历史永远眷顾奋进者", 26)
    rows = []
    for i in range(30):
        y = 62 + drop + i * PITCH
        n = 14 if y < title.box.y1 + 4 else wide
        if byline and y < title.box.y1 + 4:
            n = 11  # room for the byline beside the title
        t = (TEXT * 2)[i : i + n] if i < 29 else "情况。"
        x0 = x + (2 * BODY if i == 0 else 0)
        rows.append(TextLine(t, Box(x0, y, x0 + len(t) * BODY, y + 1.2 * BODY), BODY))
    parts: list[list[TextLine] | TextLine] = [left, title, rows]
    if byline:
        parts.append(upright(x + wide * BODY - 48, 150, "何民捷", 10.5))
    layout = segment_page(page(*parts))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"履行历史使命伟大工程", "历史永远眷顾奋进者"}
    assert titles["历史永远眷顾奋进者"].body.endswith("情况。")
    assert len(titles["历史永远眷顾奋进者"].body) > 300
    assert titles["历史永远眷顾奋进者"].authors == (("何民捷",) if byline else ())


def test_a_line_alone_on_a_panel_is_a_label_not_a_headline() -> None:
    """A slogan band (a headline-size line alone on a tinted panel) between two stories is page furniture; a title
    printed on a picture together with its byline is still the title."""
    a = [line(40, 40, "新使命中国共产党的历史担当", 30), line(200, 80, "李忠杰", 10.5, bold=False)]
    a += column(40, 110, 12) + column(180, 110, 12, first_indent=False)
    band = line(120, 300, "认真学习宣传贯彻党的十九大精神", 20)
    b = [line(40, 340, "在理性辨析中树立正确历史观", 24), *column(40, 380, 8), *column(180, 380, 8, first_indent=False)]
    layout = segment_page(page(a, band, b, pictures=(Box(30, 30, 330, 100), Box(110, 294, 430, 330))))
    assert [x.title for x in layout.articles] == ["新使命中国共产党的历史担当", "在理性辨析中树立正确历史观"]
    assert "认真学习宣传贯彻党的十九大精神" in layout.fragments


def test_a_title_under_a_banner_picture_is_not_its_caption() -> None:
    """Captions are set no larger than the text: a title right under a masthead picture is a title."""
    title = line(40, 60, "新使命中国共产党的历史担当", 30)
    layout = segment_page(page(title, column(40, 110, 10), pictures=(Box(30, 10, 500, 50),)))
    assert [a.title for a in layout.articles] == ["新使命中国共产党的历史担当"]


def _long_story(heading: TextLine, title_x: float) -> PageContent:
    """A title over four columns; the second column opens with `heading`, the others level with it."""
    title = line(title_x, 64, "四个高层次人才创业项目签约落户", 24)
    cols = [column(40 + 150 * k, 100, 12, first_indent=k != 1) for k in range(4)]
    cols[1] = [heading, *column(190, 100 + 1.5 * PITCH, 11, first_indent=False)]
    return page(title, *cols)


def test_a_column_heading_close_under_a_title_is_an_intertitle_not_its_deck() -> None:
    """The second column of a long story opens with a heading centred on that column, right under the title:
    an intertitle (centred on its column, not on the title; or level with the first lines of the columns beside
    it), not the title's deck. One story, the heading a paragraph of its body."""
    for heading, title_x in (
        (line(199, 100, "认定项目四个高新区", 12), 150),
        (line(193, 100, "洽谈初期就为项目设计", 12), 190),
    ):
        (article,) = segment_page(_long_story(heading, title_x)).articles
        assert article.title == "四个高层次人才创业项目签约落户" and article.subtitle is None
        assert heading.text in article.body.split("\n")


def test_a_deck_under_its_title_stays_the_deck() -> None:
    """A deck centred under its title, above the columns: the subtitle, not an intertitle."""
    title = line(150, 60, "四个高层次人才创业项目签约落户", 24)
    deck = line(264, 92, "高新区引进人才创业项目", 12)
    cols = [column(40 + 150 * k, 120, 12, first_indent=k == 0) for k in range(4)]
    (article,) = segment_page(page(title, deck, *cols)).articles
    assert article.subtitle == "高新区引进人才创业项目"


def test_an_intertitle_over_text_set_narrower_beside_a_band() -> None:
    """An intertitle at the foot of a column whose last lines are set narrower (a slogan band cuts into the
    column): still an intertitle of the story (as wide as the column above it), not a story of its own."""
    title = line(40, 60, "实施健康中国战略", 40)
    col1 = column(40, 120, 30)
    col2 = [*column(180, 120, 20, first_indent=False), line(192, 392, "把实施健康中国战略", 12.5)]
    col2 += [TextLine("党的十九大报", Box(180, y, 234, y + 10.8), BODY) for y in (420.0, 433.5, 447.0)]
    band = line(250, 410, "认真学习宣传贯彻党的十九大精神", 20)
    col3 = column(320, 120, 20, first_indent=False)
    layout = segment_page(page(title, col1, col2, col3, band, pictures=(Box(245, 405, 600, 440),)))
    assert [a.title for a in layout.articles] == ["实施健康中国战略"]
    assert "把实施健康中国战略" in layout.articles[0].body.split("\n")


def test_outer_columns_running_up_beside_a_title_set_into_the_story() -> None:
    """A title set into its story: centred over the inner columns, the outer columns start above its top and
    run on down beside it. Those columns are the story's, not a story without a title (nor do they keep the
    page from being cut between this story and the next)."""
    title = line(155, 80, "关于我国经济高质量发展的几点认识", 18)
    outer_left = column(30, 60, 30)
    inner = [column(170 + 140 * k, 120, 26, first_indent=False) for k in range(2)]
    outer_right = column(450, 60, 30, first_indent=False)
    below = [line(40, 500, "加快制造业服务化转型", 22), *column(40, 540, 8), *column(180, 540, 8, first_indent=False)]
    layout = segment_page(page(title, outer_left, *inner, outer_right, below))
    first, second = layout.articles
    assert first.title == "关于我国经济高质量发展的几点认识" and second.title == "加快制造业服务化转型"
    assert first.body.count("情况。") == 4


def test_a_chart_title_over_its_source_line_is_no_story() -> None:
    """An infographic's title over its source line (`数据来源：…`) beside a story; and a source line in body type
    under a chart inside a story's columns: neither a story nor part of one's text."""
    story = [line(40, 60, "新使命中国共产党的历史担当", 24), *column(40, 100, 20), *column(180, 100, 20, False)]
    chart = [
        line(340, 60, "党的十八大以来全面从严治党", 13.5),
        line(340, 260, "数据来源：《十八届中央纪律检查委员会》", BODY),
    ]
    source = line(180, 100 + 21 * PITCH, "数据来源：国家统计局", BODY, bold=False)
    layout = segment_page(page(story, chart, source, pictures=(Box(330, 80, 520, 250),)))
    (article,) = layout.articles
    assert article.title == "新使命中国共产党的历史担当" and "数据来源" not in article.body
    assert "党的十八大以来全面从严治党" in layout.fragments and "数据来源：国家统计局" in layout.fragments


def test_an_intertitle_at_a_column_top_off_the_titles_width() -> None:
    """A title centred over three columns ends short of the third column, which opens with a heading level
    with the first lines of the other two: an intertitle of that story, not a story of its own."""
    title = line(90, 64, "全力以赴稳经济用心用情优服务", 18)
    heading = line(344, 92, "主动作为聚焦营商", 12)
    cols = [column(40, 92, 14), column(190, 92, 14, first_indent=False)]
    cols.append([heading, *column(340, 92 + 1.5 * PITCH, 12)])
    (article,) = segment_page(page(title, *cols)).articles
    assert article.title == "全力以赴稳经济用心用情优服务" and "主动作为聚焦营商" in article.body.split("\n")


def test_a_column_beside_a_headline_over_its_own_text_is_the_next_storys() -> None:
    """A headline with its own text right under it is set above its story: the column level beside it on its
    right, starting above its last line, belongs to the story whose upright title stands at the right."""
    left = [line(40, 60, "增强紧迫感找准发力点", 14), *column(40, 84, 20)]
    right = [*column(180, 60, 22), upright(330, 60, "全力以赴稳经济", 22)]
    layout = segment_page(page(left, right))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"增强紧迫感找准发力点", "全力以赴稳经济"}
    assert (
        titles["全力以赴稳经济"].body.count("情况。") == 1 and titles["增强紧迫感找准发力点"].body.count("情况。") == 1
    )


def test_an_upright_title_holds_its_columns_level_with_its_top() -> None:
    """An upright title at the right with two columns on its left, both starting level with its top; on their
    left a story whose headline is over its own columns (which start lower). The upright story keeps both
    columns, the other story its own."""
    left = [line(40, 60, "县领导开展军事日活动", 22), *column(40, 96, 20), *column(180, 96, 20, first_indent=False)]
    right = [*column(316, 62, 22), *column(470, 62, 22, first_indent=False), upright(640, 60, "张张叶子动起来", 22)]
    layout = segment_page(page(left, right))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"县领导开展军事日活动", "张张叶子动起来"}
    assert (
        titles["张张叶子动起来"].body.count("情况。") == 2 and titles["县领导开展军事日活动"].body.count("情况。") == 2
    )


def test_an_upright_title_does_not_reach_past_a_column_under_its_own_headline() -> None:
    """On the left of an upright-titled story, a story whose headline stands over its column: an editor's note,
    then its text starting well below the upright title's top. That text stays with its own headline."""
    left = [line(40, 60, "四个高层次人才创业项目", 16), *column(40, 86, 6), *column(40, 190, 22)]
    right = [*column(200, 62, 26), *column(340, 62, 26, first_indent=False), upright(490, 60, "张张叶子动起来", 22)]
    layout = segment_page(page(left, right))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"四个高层次人才创业项目", "张张叶子动起来"}
    assert (
        titles["四个高层次人才创业项目"].body.count("情况。") == 2
        and titles["张张叶子动起来"].body.count("情况。") == 2
    )


def test_an_intertitle_at_a_column_top_under_a_storys_photo() -> None:
    """A title over a photo over four columns; the fourth opens with a heading level with the others' first
    lines, which start right under the photo: an intertitle, not a story."""
    title = line(150, 60, "全力以赴稳经济用心用情优服务", 24)
    photo = Box(40, 92, 616, 160)
    cols = [column(40 + 150 * k, 168, 12, first_indent=k == 0) for k in range(3)]
    cols.append([line(494, 168, "主动作为聚焦营商", 12), *column(490, 168 + 1.5 * PITCH, 11)])
    (article,) = segment_page(page(title, *cols, pictures=(photo,))).articles
    assert article.title == "全力以赴稳经济用心用情优服务" and "主动作为聚焦营商" in article.body.split("\n")


@pytest.mark.parametrize("photo", [True, False])
@pytest.mark.parametrize("drop", [0.0, 7.5])
def test_an_intertitle_atop_a_column_of_a_story_set_beside_its_title(photo: bool, drop: float) -> None:
    """A title set beside its story, on the left of its columns (under the story's photo, or level with the
    columns' tops); the second column opens with a heading, the first column's first line level with the
    heading's top or its lower part (a heading keeps room above its text): an intertitle of that story, not a
    story of its own."""
    title = [line(40, 100, "增强紧迫感", 20), line(40, 126, "找准发力点", 20)]
    top = 190.0 if photo else 100.0
    pictures = (Box(160, 100, 440, 180),) if photo else ()
    head = line(320, top, "会上", 12)
    first = column(160, top + drop, 14)
    second = [head, *column(300, top + 1.5 * PITCH + 2, 13)]
    other = [line(40, 420, "县领导开展“军事日”活动", 20), *column(40, 460, 8), *column(180, 460, 8, False)]
    layout = segment_page(page(*title, first, second, other, pictures=pictures))
    assert sorted(a.title for a in layout.articles) == ["县领导开展“军事日”活动", "增强紧迫感 找准发力点"]
    story = next(a for a in layout.articles if a.title == "增强紧迫感 找准发力点")
    assert "会上" in story.body.split("\n")


@pytest.mark.parametrize("mark", ["◆领军人才、俄罗", "一、领军人才"])
@pytest.mark.parametrize("title_size", [14.0, 15.0])
def test_a_marked_intertitle_under_a_small_title_stays_in_the_body(mark: str, title_size: float) -> None:
    """A small story title (14-15 pt on 9 pt text) over two columns; the second column opens with a heading
    in 11 pt bold opened by a section's mark (`◆`, `一、`), less than half as large again as the heading: a
    mark opens an intertitle, never a story's title, so the heading stays in the story's body."""
    title = line(40, 60, "四个高层次人才创业项目签约落户", title_size)
    head = TextLine(mark, Box(180, 100, 180 + len(mark) * 11, 113.2), 11, bold=True, font="SimHei")
    first = column(40, 92, 16)
    second = [head, *column(180, 100 + 1.5 * PITCH, 14)]
    layout = segment_page(page(title, first, second))
    (story,) = layout.articles
    assert story.title == "四个高层次人才创业项目签约落户" and mark in story.body.split("\n")


@pytest.mark.parametrize("mark", ["一、县长王波主持", "◆王波主持"])
def test_an_intertitle_in_the_first_column_beside_a_tall_title_group(mark: str) -> None:
    """A title group set beside its story, on its left, reaching down past the story's first lines (title, a
    deck of three lines); the first column's text opens level with the title and carries a heading a few
    lines down, above the group's foot: an intertitle of that story, not a story of its own."""
    title = [
        line(40, 100, "张张叶子动起来", 22),
        line(40, 128, "层层责任强落实", 22),
        *(
            line(40, 158 + 16 * k, t, 12, bold=False)
            for k, t in enumerate(["奋力当好建设", "生态文明典范", "城市排头兵"])
        ),
    ]
    first = column(220, 100, 4)  # the title group's foot is at y 204, lower than the heading's top
    head = TextLine(mark, Box(220, 100 + 4 * PITCH, 220 + len(mark) * 10, 112 + 4 * PITCH), 10, bold=True)
    rest = column(220, 116 + 4 * PITCH, 14)
    second = column(360, 100, 19, False)
    layout = segment_page(page(*title, first, head, rest, second))
    (story,) = layout.articles
    assert story.title == "张张叶子动起来 层层责任强落实" and mark in story.body.split("\n")


def test_a_short_story_in_a_frame_and_a_teaser_box() -> None:
    """A frame holding a title, a two-line kicker, a photo, one line of text and a bracketed byline broken over
    two lines is a story (read with the page's text size, though its kicker has more characters than its text);
    a frame of headline-type lines only is a teaser box."""
    story = [line(40, 60, "县领导开展军事日活动", 22), *column(40, 96, 20), *column(180, 96, 20, first_indent=False)]
    framed = [
        line(340, 60, "敖煜新在平台镇街道一把手工作", 12, bold=False),
        line(340, 76, "例会上强调奋力当好排头兵", 12, bold=False),
        line(340, 96, "张张叶子动起来", 22),
        *column(340, 200, 2),
        line(430, 200 + 2 * PITCH, "（记者 董华", BODY, bold=False),
        line(430, 200 + 3 * PITCH, "姚海翔）", BODY, bold=False),
    ]
    teaser = [line(340, 320 + 22 * k, t, 12) for k, t in enumerate(["梳理德清模式", "全力以赴稳经济", "增强紧迫感"])]
    frames = (Box(330, 50, 600, 270), Box(330, 310, 600, 390))
    layout = segment_page(page(story, framed, teaser, frames=frames, pictures=(Box(340, 124, 590, 190),)))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"县领导开展军事日活动", "张张叶子动起来"}
    boxed = titles["张张叶子动起来"]
    assert boxed.kicker is not None and boxed.kicker.startswith("敖煜新在平台") and "一把手" not in boxed.body
    assert boxed.authors == ("董华", "姚海翔") and "记者" not in boxed.body


def test_an_indented_byline_broken_over_two_lines_heads_its_column() -> None:
    """`本报记者` indented two characters, the name `倪忆雪` flush on the next line, then the text: lines of one
    column start at its edge or two characters in, so all three stack as one column and the byline is read."""
    for indent in (2, 1):
        title = line(40, 60, "四个高层次人才创业项目签约落户", 18)
        by = [
            line(40 + indent * BODY, 90, "本报记者", BODY, bold=False),
            line(40, 90 + PITCH, "倪忆雪", BODY, bold=False),
        ]
        (article,) = segment_page(page(title, by, column(40, 90 + 2 * PITCH, 12))).articles
        assert article.authors == ("倪忆雪",) and "本报记者" not in article.body


def _head(*lines: TextLine) -> Item:
    box = union_all(x.box for x in lines)
    return Item(box, head=HeadGroup(lines, box))


@pytest.mark.parametrize("side", ["right", "left"])
def test_a_column_under_a_headlines_width_is_nearer_it_than_a_neighbours(side: str) -> None:
    """A column starting 8 pt under a headline that spans it, and a neighbouring story's one-column headline
    beside it (on its right or its left, a gutter away) whose last line ends 6 pt lower: the headline over the
    column governs it nearer (the neighbour's is another story's, however close its foot)."""
    (seg,) = segments(column(180, 100, 10, first_indent=False), ())  # x 180..306
    right = side == "right"
    own = _head(line(106 if right else 180, 68, "县领导开展军事日活动", 20))  # over the column, its foot at y 92
    x = 320 if right else 40  # the next column over, a 14 pt gutter away
    neighbour = _head(line(x, 62, "全力以赴稳经济", 18), line(x, 76.4, "用心用情", 18))  # its foot at y 98
    d_own, d_neighbour = governs(own, seg, BODY), governs(neighbour, seg, BODY)
    assert d_own is not None and d_neighbour is not None and d_own < d_neighbour


@pytest.mark.parametrize("space", [8.0, 13.0, 20.0])
def test_a_headline_its_byline_set_apart_and_the_columns_under_it_are_one_block(space: float) -> None:
    """A headline over three columns, its byline centred under it with up to two body lines of space over it
    (more than a column keeps under its headline), the columns starting right under the byline: no cut may
    part the headline from those columns (the byline only stands between them, as a photo may)."""
    title = _head(line(40, 60, "张张叶子动起来层层责任强落实", 22))
    y = title.box.y1 + space
    by_line = TextLine("本报记者 董华 姚海翔", Box(160, y, 160 + 10 * BODY, y + 1.2 * BODY), BODY)
    (by,) = segments([by_line], ())
    cols = [segments(column(40 + 140 * k, y + 1.2 * BODY + 8, 10, k == 0), ())[0] for k in range(3)]
    items = [title, Item(by.box, seg=by), *(Item(c.box, seg=c) for c in cols)]
    held = {s for h, s in tight_pairs(items, BODY) if h == id(title)}
    assert all(id(i) in held for i in items[2:])


@pytest.mark.parametrize("seed", [70995])
def test_third_generator_bylines_set_apart_under_headlines_hold_their_columns(seed: int, tmp_path: Path) -> None:
    """A tuning page of the third generator (seed 70995) whose two top stories each set their byline apart,
    centred under the headline, the columns starting under it: each headline keeps its text (no story is
    left without a body), and the page's stories are exactly the true ones, by title."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert all(len(a.body) > 100 for a in got if a.title)


@pytest.mark.parametrize("caption_gap", [2.5, 3.5])
def test_a_column_under_a_photo_and_its_caption_beside_a_title_is_that_titles(caption_gap: float) -> None:
    """A title set beside its story on its left, the story's photo on its right level with it, and a caption
    of a line or two between the photo's foot and the column of text under it: the column (with the photo
    over it) stands beside the title, so that title governs it nearer than the next band's headline under it."""
    (seg,) = segments(column(188, 637 + caption_gap * BODY, 8, first_indent=True), ())
    photo = Box(240, 503, 441, 637)
    own = _head(line(27, 508, "四个高层次人才", 16), line(27, 527, "创业项目签约落户", 16))
    below = _head(line(348, seg.box.y1 + 20, "张张叶子动起来层层责任强落实", 30))
    d_own, d_below = governs(own, seg, BODY, (photo,)), governs(below, seg, BODY, (photo,))
    assert d_own is not None and (d_below is None or d_own < d_below)


@pytest.mark.parametrize("indent", [2.0, 2.3])
def test_an_indented_byline_broken_before_a_two_character_name(indent: float) -> None:
    """`本报记者 徐超超` indented two characters (or a little more), the second name `蔡俊` flush on the next
    line, so narrow that it ends where the line above starts, then the text indented: the three stack as one
    column, the byline read in order and both names found."""
    title = line(40, 60, "增强紧迫感找准发力点", 18)
    by = [
        line(40 + indent * BODY, 90, "本报记者 徐超超", BODY, bold=False),
        line(40, 90 + PITCH, "蔡俊", BODY, bold=False),
    ]
    (article,) = segment_page(page(title, by, column(40, 90 + 2 * PITCH, 12))).articles
    assert article.authors == ("徐超超", "蔡俊") and "蔡俊" not in article.body


@pytest.mark.parametrize("framed", [False, True])
def test_an_intertitle_under_a_paragraphs_short_last_line_off_the_titles_width(framed: bool) -> None:
    """A short title centred over five columns; the second column opens with the last words of a paragraph run
    on from the first (`翔参加。`, a short line at the column's edge), then a heading centred on the column, then
    the text. The heading is an intertitle of that story (the column's text runs through it), not a story,
    whether the story stands on the page or in a frame with a photo under its title."""
    title = line(303, 60, "增强紧迫感", 32)
    heading = line(199, 140 + 1.5 * PITCH, "后对环浙工大", 12.5)
    cols = [column(40 + 140 * k, 140, 14, first_indent=k == 0) for k in range(5)]
    cols[1] = [
        line(180, 140, "翔参加。", BODY, bold=False),
        heading,
        *column(180, 140 + 3.5 * PITCH, 12),
    ]
    pictures = (Box(40, 104, 726, 134),) if framed else ()
    frames = (Box(34, 50, 732, 360),) if framed else ()
    (article,) = segment_page(page(title, *cols, pictures=pictures, frames=frames)).articles
    assert article.title == "增强紧迫感" and heading.text in article.body.split("\n")


@pytest.mark.parametrize("fellow", [False, True])
def test_an_intertitle_in_the_flow_of_a_story_under_an_upright_title(fellow: bool) -> None:
    """An upright title at the right of its story, two columns on its left; a heading in the middle of the far
    column, with that column's text right above and under it (and, with `fellow`, another heading in the near
    column, between it and the title). Intertitles of the upright story, not stories of their own."""
    far = [*column(40, 62, 8), line(52, 62 + 8 * PITCH + 6, "品质为支撑推动产", 12.5), *column(40, 62 + 10 * PITCH, 8)]
    near = column(180, 62, 18, first_indent=False)
    if fellow:
        near = [*column(180, 62, 10, first_indent=False), line(198, 62 + 10 * PITCH + 6, "主动作为聚焦营商", 12.5)]
        near += column(180, 62 + 12 * PITCH, 6)
    title = upright(330, 60, "全力以赴稳经济用心用情优服务", 22)
    (article,) = segment_page(page(far, near, title)).articles
    assert article.title == "全力以赴稳经济用心用情优服务" and "品质为支撑推动产" in article.body.split("\n")
    assert not fellow or "主动作为聚焦营商" in article.body.split("\n")


@pytest.mark.parametrize("n", [5, 6])
def test_two_column_headings_close_under_one_title_are_both_intertitles(n: int) -> None:
    """A title and deck over `n` columns; the second column opens with a heading centred on it, level with the
    first lines of the others, the last one with the short last line of a paragraph and then a heading centred
    on it. Both headings stand close under the deck, one about flush with the title's left edge and the other
    with its right (where a headline's lines stand), so they join its lines; both are intertitles, and the deck
    stays the deck."""
    top = 140.0
    cols = [column(40 + 140 * k, top, 14, first_indent=k == 0) for k in range(n)]
    headings = []
    for k, text in ((1, "品质为支撑"), (n - 1, "主动作为聚焦")):
        x, y = 40 + 140 * k, top + (PITCH if k > 1 else 0)
        headings.append(line(x + (126 - len(text) * 12.5) / 2, y + 1, text, 12.5))
        cols[k] = [headings[-1], *column(x, y + 2 * PITCH, 12)]
    cols[n - 1].insert(0, line(40 + 140 * (n - 1), top, "贡献率。", BODY, bold=False))
    x0, x1 = headings[0].box.x0 + 6, headings[1].box.x1 - 12
    size = (x1 - x0) / 14
    title = line(x0, top - 24 - 1.25 * size, "全力以赴稳经济用心用情优服务", size)
    deck = line((x0 + x1) / 2 - 7 * 15, top - 22, "推动全县经济运行持续稳中向好", 15)
    (article,) = segment_page(page(title, deck, *cols)).articles
    assert article.subtitle == "推动全县经济运行持续稳中向好"
    assert all(h.text in article.body.split("\n") for h in headings)


@pytest.mark.parametrize("seed", [1143, 1185, 1192, 1085, 1088, 1165, 1039, 1031, 2096])
def test_second_generator_pages_with_column_headings_and_broken_bylines(seed: int, tmp_path: Path) -> None:
    """Tuning pages (draw=line, draw=chars) where a column heading stood close under a title or level with the
    story's first lines off the title's width, an indented byline broke over two lines (`本报记者` / `倪忆雪`),
    and a column beside a headline over its own text was the next (upright-titled) story's."""
    ((score, _tags),) = _scores(range(seed, seed + 1), tmp_path)
    assert score >= 0.9  # each scored 0.75 or less before these rules


def _scores(seeds: range, folder: Path) -> list[tuple[float, list[str]]]:
    out = []
    for seed in seeds:
        pdf = make_page2(seed, folder / f"{seed}.pdf")
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        layout = pdf_layout(pdf.read_bytes(), "dqnews", DEFAULT_DATE, int(truth["page"]))
        out.append(
            (score_page([a.to_json() for a in layout.articles], truth["articles"]).total, truth["constructions"])
        )
    return out


def test_second_generator_held_out_quality_gate(tmp_path: Path) -> None:
    """Pages built the other way (per-run and per-character text, copies cut into other runs, stroke bold,
    scrambled streams, upright titles, intertitles, body-type bylines, framed captions), held-out seeds: the
    mean stays at the level measured when these rules were written, and every construction is covered."""
    scores = _scores(range(50_000, 50_024), tmp_path)
    assert mean(s for s, _ in scores) >= 0.97  # 0.977 after the letter-spacing, gutter and intertitle rules
    tags = {t for _, ts in scores for t in ts}
    assert {"draw=runs", "draw=chars", "bold=copy", "bold=stroke", "order=scrambled", "intertitle"} <= tags


@pytest.mark.parametrize("bold", [False, True])
def test_a_kicker_in_a_size_near_the_texts_wrapped_over_lines_stays_the_kicker(bold: bool) -> None:
    """A kicker set only a seventh larger than the text (小四 over 五号), wrapped over three lines of a narrow
    headline, right over its title: the kicker, not a column of body text (which would run the story's
    columns into the next story's on the left)."""
    k = 1.14 * BODY
    kicker = ["敖煜新在平台、", "镇(街道)一把手", "工作例会上强调"]
    heads = [line(44, 56 + i * 1.3 * k, t, k, bold) for i, t in enumerate(kicker)]
    title = line(40, 56 + 3 * 1.3 * k + 1, "张张叶子动起来", 18)
    other = line(200, 56, "增强紧迫感找准发力点", 22)
    layout = segment_page(
        page(*heads, title, column(40, 120, 16), other, column(200, 100, 18), column(340, 100, 18, False))
    )
    story = next(a for a in layout.articles if a.title == "张张叶子动起来")
    assert "".join((story.kicker or "").split()) == "".join(kicker) and "在平台" not in story.body
    assert len(layout.articles) == 2


@pytest.mark.parametrize("wrap", ["调", "强调"])
def test_the_wrapped_end_of_a_kicker_joins_it(wrap: str) -> None:
    """A kicker's last characters wrapped to a line of their own (`…时强` / `调`), centred under it in its
    size, between it and the title: part of the kicker, not a story's text."""
    k = 1.17 * BODY
    first = "敖煜新在调研二季度经济运行情况时" + "强调"[: 2 - len(wrap)]
    head = line(40, 56, first, k)
    end = line(40 + (len(first) - len(wrap)) * k / 2, 56 + 1.3 * k, wrap, k, bold=False)
    title = line(40, 56 + 2.6 * k + 1, "全力以赴稳经济 用心用情优服务", 20)
    layout = segment_page(page(head, end, title, column(40, 120, 16), column(180, 120, 16, False)))
    (story,) = layout.articles
    assert "".join((story.kicker or "").split()) == "敖煜新在调研二季度经济运行情况时强调"


def test_a_story_set_in_larger_type_under_its_title_stays_text() -> None:
    """A story set a seventh larger than the page's text, right under its title: its lines run on for more
    than a kicker wraps to, so they stay its body."""
    k = 1.14 * BODY
    title = line(40, 56, "全力以赴稳经济", 20)
    big = [line(40, 56 + 25 + i * 1.4 * k, "全县经济运行持续稳中向好"[:12], k, bold=False) for i in range(8)]
    layout = segment_page(page(title, big, column(300, 56, 20), column(440, 56, 20, False)))
    story = next(a for a in layout.articles if a.title == "全力以赴稳经济")
    assert story.subtitle is None and story.body.startswith("全县经济运行")


@pytest.mark.parametrize("seed", [4010, 4035, 4221, 4240, 4249, 4261, 4353, 4378, 4449, 4511])
def test_second_generator_pages_with_near_text_size_kickers_hung_commas_and_glyphless_spaces(
    seed: int, tmp_path: Path
) -> None:
    """Tuning pages (draw=line, draw=chars, draw=runs) where a kicker set a seventh larger than the text wrapped
    over lines or ended in a line of its own, a comma hung into the gutter merged two columns' lines into one
    run, a byline's spaces were read apart from its words, and a fake-bold title's copy was read into another
    row than the title."""
    ((score, _tags),) = _scores(range(seed, seed + 1), tmp_path)
    assert score >= 0.95  # each scored 0.91 or less before these rules


@pytest.mark.parametrize(
    ("byline", "names"),
    [("汪  涛  吴光胜  胡查平", ["汪涛", "吴光胜", "胡查平"]), ("本报记者 董华 姚海翔", ["董华", "姚海翔"])],
)
def test_a_byline_set_larger_than_the_text_right_under_its_title_stays_the_byline(
    byline: str, names: list[str]
) -> None:
    """Names (or a role word and names) set a seventh larger than the text, right under the title: the
    story's authors, not display type of its headline."""
    k = 1.14 * BODY
    title = line(40, 56, "加快制造业服务化转型", 20)
    by = line(80, 56 + 24 + 2, byline, k, bold=False)
    layout = segment_page(page(title, by, column(40, 120, 16), column(180, 120, 16, False)))
    (story,) = layout.articles
    assert story.subtitle is None and list(story.authors) == names


@pytest.mark.parametrize("wide", [False, True])
def test_text_ending_right_over_the_next_bands_headline_across_a_rule_stays_in_its_story(wide: bool) -> None:
    """Two bands parted by a rule across the page. The upper story's title is centred, narrower than its
    columns (its first column stands off the title's width); that column runs on past an intertitle and ends
    a line's space over the lower band's headline, the rule between (seed 4353). The column's end is the
    upper story's: a rule closes a module."""
    title = line(203, 60, "四个高层次人才创业项", 22)
    col1 = [
        *column(40, 100, 10),
        line(52, 100 + 10 * PITCH + 4, "认定项目四个", 12.5),
        *column(40, 100 + 12 * PITCH, 4, first_indent=False),
    ]
    end = 100 + 16 * PITCH - PITCH + 1.2 * BODY
    cols = [column(x, 100, 16, first_indent=False) for x in (180, 320, 460)]
    rule = Box(34, end + 5, 600, end + 5.8)
    head = line(40, end + 11, "张张叶子动起来层层" if wide else "张张叶子动", 18 if wide else 20)
    lower = (
        [column(40, end + 40, 10), column(180, end + 40, 10, first_indent=False)]
        if wide
        else [column(40, end + 40, 10)]
    )
    other = line(330, end + 11, "梳理德清模式", 22)
    flat = [title, *col1, *(x for c in cols for x in c), head, *(x for c in lower for x in c), other]
    flat += column(320, end + 45, 8) + column(460, end + 45, 8, first_indent=False)
    layout = segment_page(PageContent(1, 842, 1191, tuple(flat), (rule,), (), ()))
    upper = next(a for a in layout.articles if a.title == "四个高层次人才创业项")
    lower_story = next(a for a in layout.articles if a.title.startswith("张张叶子"))
    assert "认定项目四个" in upper.body.split("\n")
    assert lower_story.body.count("昨天上午") == 9 * len(lower)  # the last line of a column is `情况。`


def _pictured_story(*extra: TextLine, picture: Box) -> PageContent:
    """A story (title, two columns in the text face FZBSK) with a picture under its second column and `extra`
    lines about it."""
    title = line(40, 60, "新使命中国共产党的历史担当", 24)
    text = [x._replace(font="FZBSK") for x in column(40, 100, 20) + column(180, 100, 8, first_indent=False)]
    return page(title, text, *extra, pictures=(picture,))


@pytest.mark.parametrize("gap", [0.4, 1.7])
def test_a_caption_closed_by_a_credit_in_text_type_is_a_fragment(gap: float) -> None:
    """A caption in its own face (楷体) under a picture, its credit set on its last row in text type
    (`新华社记者` beside `徐昱摄`), standing up to two of its sizes under the picture: all of it is caption,
    none of it the story's text."""
    photo = Box(180, 220, 320, 300)
    y = 300 + gap * BODY
    cap1 = TextLine("图为保洁人员巡查河道。", Box(182, y, 182 + 11 * BODY, y + 1.1 * BODY), BODY, font="FZKTK")
    y2 = y + PITCH
    agency = TextLine("新华社记者", Box(230, y2, 230 + 5 * BODY, y2 + 1.1 * BODY), BODY, font="FZBSK")
    name = TextLine("徐昱摄", Box(280, y2, 280 + 3 * BODY, y2 + 1.1 * BODY), BODY, font="FZHTK")
    layout = segment_page(_pictured_story(cap1, agency, name, picture=photo))
    (article,) = layout.articles
    assert not any(w in article.body for w in ("巡查河道", "新华社记者", "徐昱摄"))
    assert any("新华社记者" in f for f in layout.fragments)


@pytest.mark.parametrize(
    ("caption", "byline", "names"),
    [
        ("图为会议现场。（记者 董华 摄）", "本报记者 董华 姚海翔", ["董华", "姚海翔"]),
        ("图为会议现场。（记者 董华 摄\n）", "本报记者 董华 姚海翔", ["董华", "姚海翔"]),
        ("图为活动现场。本报记者 倪忆雪 摄", "文/图 本报记者 倪忆雪", ["倪忆雪"]),
    ],
)
def test_a_credit_closes_its_caption_and_the_byline_under_it_signs_the_story(
    caption: str, byline: str, names: list[str]
) -> None:
    """A caption ends with its credit (`…摄`, bracketed or not; a credit's closing bracket may wrap to a line of
    its own). A byline in the caption's own face (楷体), right under it at the top of the first column, is the
    story's byline, not more caption."""
    photo = Box(40, 100, 166, 180)
    small = 0.8 * BODY
    caps = [
        TextLine(t, Box(40, y, 40 + len(t) * small, y + 1.1 * small), small, font="FZKTK")
        for t, y in zip(caption.split("\n"), (182, 192), strict=False)
    ]
    y = caps[-1].box.y1 + 4
    by = TextLine(byline, Box(40, y, 40 + len(byline) * BODY, y + 1.1 * BODY), BODY, font="FZKTK")
    title = line(40, 60, "张张叶子动起来 层层责任强落实", 22)
    text = [x._replace(font="FZBSK") for x in column(40, y + 16, 14) + column(180, 100, 22, first_indent=False)]
    layout = segment_page(page(title, *caps, by, text, pictures=(photo,)))
    (article,) = layout.articles
    assert list(article.authors) == names and "）" not in article.body
    assert caption.replace("\n", "") in layout.fragments and byline not in "".join(layout.fragments)


@pytest.mark.parametrize("mark", ["◆敖煜新强调", "一、敖煜新强调"])
def test_an_intertitle_under_a_picture_set_into_the_columns_stays_in_the_body(mark: str) -> None:
    """A picture (and its caption) set into a story's third column, the second column's text running beside it
    from its top: a heading right under the caption, at the top of the text that carries on under the
    picture, is an intertitle of that story, though no text of its column stands right above it and the title
    does not reach over it."""
    title = line(40, 56, "全力以赴稳经济", 24)
    photo = Box(320, 100, 446, 190)
    cap = TextLine("图为签约仪式现场。", Box(320, 192, 320 + 9 * 7.5, 192 + 8), 7.5, font="FZKTK")
    head = TextLine(mark, Box(320, 214, 320 + len(mark) * 10, 214 + 11), 10, bold=True, font="FZHTK")
    cols = [column(40, 100, 16), column(180, 100, 16, False), column(320, 230, 5, False)]
    layout = segment_page(page(title, cap, head, *cols, pictures=(photo,)))
    (story,) = layout.articles
    assert story.title == "全力以赴稳经济" and mark in story.body.split("\n")


@pytest.mark.parametrize("seed", [70003, 70096])
def test_third_generator_intertitles_under_inset_pictures(seed: int, tmp_path: Path) -> None:
    """Tuning pages of the third generator with an intertitle right under an inset picture's caption: no story
    is headed by an intertitle, and the caption's credit closes it."""
    pdf = make_page3(seed, tmp_path / f"{seed}.pdf")
    layout = pdf_layout(pdf.read_bytes(), "x", DEFAULT_DATE, int(_truth(pdf)["page"]))
    assert not any("敖煜新强调" in a.title for a in layout.articles)
    assert not any("敖煜新强调" in f for f in layout.fragments)
    assert any("敖煜新强调\n" in a.body for a in layout.articles)


@pytest.mark.parametrize("titled", [False, True])
def test_a_credit_printed_over_a_pictures_foot_is_a_fragment(titled: bool) -> None:
    """A cartoon's credit printed inside the foot of the picture (`翟桂溪作（新华社发）`), in any face: the
    picture's caption, not the story's last line; so is the cartoon's title set on the credit's row
    (`消费升级`, in 楷体, as on the real 人民日报 page of 2018-01-04)."""
    cartoon = Box(180, 220, 320, 320)
    credit = TextLine("翟桂溪作（新华社发）", Box(230, 308, 230 + 10 * BODY, 318), BODY, font="FZBSK")
    title = TextLine("消费升级", Box(184, 308, 184 + 4 * BODY, 318), BODY, font="FZKTK")
    layout = segment_page(_pictured_story(*([title] if titled else []), credit, picture=cartoon))
    (article,) = layout.articles
    assert "翟桂溪" not in article.body and "消费升级" not in article.body
    assert ("消费升级翟桂溪作（新华社发）" if titled else "翟桂溪作（新华社发）") in layout.fragments


def test_text_lines_on_a_panel_ending_in_work_stay_text() -> None:
    """Lines in text type printed on a tinted panel that end as headings do (`…宣传工作`) are no picture
    credit: the story keeps them."""
    panel = Box(170, 90, 330, 214)
    tail = TextLine("做好宣传工作", Box(180, 200, 180 + 6 * BODY, 210), BODY, font="FZBSK")
    layout = segment_page(_pictured_story(tail, picture=panel))
    assert any("做好宣传工作" in a.body for a in layout.articles)


@pytest.mark.parametrize("where", ["under-title", "column-top"])
@pytest.mark.parametrize("byline", ["本报记者 沈烨冰", "记者 董华 实习生 姚海翔"])
def test_a_byline_set_a_fifth_larger_than_the_text_is_no_title(where: str, byline: str) -> None:
    """A byline in its own face set a fifth larger than the text (county papers set 楷体 bylines so), under the
    title or atop the first column: in headline size, but a byline is never a headline. The story's authors, and
    no story of its own."""
    title = line(40, 56, "梳理德清模式 总结浙江经验", 20)
    y = 56 + 24 + 4 if where == "under-title" else 104
    by = TextLine(byline, Box(60, y, 60 + len(byline) * 1.2 * BODY, y + 1.2 * 1.2 * BODY), 1.2 * BODY, font="KaiTi")
    top = 120
    layout = segment_page(page(title, by, column(40, top, 16), column(180, top, 16, False)))
    (story,) = layout.articles
    assert story.title == "梳理德清模式 总结浙江经验" and story.subtitle is None
    assert list(story.authors) == [n for n in byline.split()[1:] if n != "实习生"]


@pytest.mark.parametrize("where", ["column-top", "column-end"])
@pytest.mark.parametrize("byline", ["■本报记者 董华 通讯员 姚海翔", "文/图 本报记者 董华 姚海翔"])
def test_a_byline_reduced_to_fit_the_measure_signs_its_story(where: str, byline: str) -> None:
    """A byline too long for a narrow column is set smaller than the text to stay on one line (0.7 of it here):
    atop the first column or flush right at the foot of the last, it is the story's byline, neither a caption
    nor a note nor a story of its own, and the column's text still reads as one flow across it."""
    title = line(40, 56, "梳理德清模式 总结浙江经验", 20)
    small = 0.7 * BODY
    top, n = 104, 16
    first, second = column(40, top + (PITCH if where == "column-top" else 0), n), column(180, top, n, False)
    if where == "column-top":
        y, x = top, 40.0
    else:
        y, x = top + n * PITCH, 180 + 14 * BODY - len(byline) * small
    by = TextLine(byline, Box(x, y, x + len(byline) * small, y + 1.2 * small), small, font="KaiTi")
    layout = segment_page(page(title, by, first, second))
    (story,) = layout.articles
    assert story.title == "梳理德清模式 总结浙江经验"
    assert list(story.authors) == ["董华", "姚海翔"] and "董华" not in story.body
    assert not any("董华" in f for f in layout.fragments)


@pytest.mark.parametrize("seed", [70006, 70083])
def test_third_generator_bylines_reduced_to_the_measure_are_found(seed: int, tmp_path: Path) -> None:
    """Tuning pages of the third generator whose bylines were shrunk to fit a narrow column (6.5-6.8 pt on 8-9.5
    pt text): every signed story found gets its names (each page has two such bylines)."""
    got, truth = _third_generator_page(seed, tmp_path)
    by_title = {a.title.replace(" ", ""): a for a in got}
    signed = [a for a in truth["articles"] if a["authors"] and a["title"].replace(" ", "") in by_title]
    assert len(signed) >= 3
    assert all(list(by_title[a["title"].replace(" ", "")].authors) == a["authors"] for a in signed)


@pytest.mark.parametrize("byline", ["本报记者 徐超超 姚海翔", "记者 董华 实习生 姚海翔"])
@pytest.mark.parametrize("x", [230.0, 330.0])
@pytest.mark.parametrize("scale", [1.0, 1.2])
def test_a_byline_centred_under_the_headline_over_a_column_signs_the_story(byline: str, x: float, scale: float) -> None:
    """A byline in the text's size or a larger one, centred under a headline that spans four columns, stands
    over one of the middle columns (not the first): it is the story's byline wherever reading order puts its
    block."""
    title = line(40, 56, "县领导开展“军事日”活动", 24)
    size = scale * BODY
    by = TextLine(byline, Box(x, 88, x + len(byline) * size, 88 + 1.2 * size), size)
    cols = [column(40 + k * 140, 108, 12, k == 0) for k in range(4)]
    layout = segment_page(page(title, by, *cols))
    (story,) = layout.articles
    assert story.title == "县领导开展“军事日”活动" and story.subtitle is None
    assert list(story.authors) == [n for n in byline.split()[1:] if n != "实习生"]
    assert "记者" not in story.body


def _brief_item(y: float, title: str, bold_flag: bool, scale: float = 1.0) -> list[TextLine]:
    """One item of a brief column at x 40..166: a one-line title in a heading face at the text size (times
    `scale`), then six lines of text in the text face (the first indented)."""
    face = "FZShuSong" if bold_flag else "FZHei"
    sz = scale * BODY
    head = TextLine(title, Box(40, y, 40 + len(title) * sz, y + 1.2 * sz), sz, bold=bold_flag, font=face)
    text = [x._replace(font="FZShuSong") for x in column(40, y + PITCH + 2, 6)]
    return [head, *text]


@pytest.mark.parametrize("label", ["简讯", "新闻速览"])
@pytest.mark.parametrize("panel", [True, False])
@pytest.mark.parametrize("scale", [1.0, 1.12])
def test_the_items_of_a_brief_column_are_stories_of_their_own(label: str, panel: bool, scale: float) -> None:
    """A column headed `简讯` (or `新闻速览`) holds short items, each led by a one-line title in 黑体 (or in bold)
    at the text size or a little larger (bold a ninth larger reads as headline type): each item is a story under
    its title, not one story with intertitles, and the first item's title does not end the column. The label,
    on a tinted band or not, is no story; no item's title is taken as the band's caption."""
    size = 1.4 * BODY
    lab = TextLine(label, Box(80, 40, 80 + len(label) * size, 40 + 1.2 * size), size, font="FZHei")
    first = _brief_item(70, "全力以赴稳经济用心用情优服务", panel, scale)
    items = first + _brief_item(190, "增强紧迫感找准发力点", not panel, scale)
    other = [line(200, 40, "四个高层次人才创业项目签约落户", 20), *column(200, 80, 20), *column(340, 80, 20, False)]
    pictures = (Box(36, 36, 170, 40 + 1.4 * size),) if panel else ()
    layout = segment_page(page(lab, *items, *other, pictures=pictures))
    titles = sorted(a.title for a in layout.articles)
    assert titles == sorted(["全力以赴稳经济用心用情优服务", "增强紧迫感找准发力点", "四个高层次人才创业项目签约落户"])
    assert all("增强紧迫感" not in a.body for a in layout.articles)


@pytest.mark.parametrize("mark", ["◆敖煜新强调", "二、敖煜新强调"])
@pytest.mark.parametrize("centred", [True, False])
def test_an_intertitle_at_a_columns_foot_leads_the_next_column(mark: str, centred: bool) -> None:
    """A heading set at the foot of a column, under that column's last paragraph, with no text under it: a
    heading never ends a story, so it leads the paragraph atop the next column. It is an intertitle of the
    story (a paragraph of its body, before that column's text), not a story of its own."""
    title = line(40, 56, "全力以赴稳经济用心用情优服务", 24)
    first = column(40, 100, 16)
    second = column(180, 100, 15, False)
    y = 100 + 15 * PITCH + 4
    x = 180 + (14 * BODY - len(mark) * 10) / 2 if centred else 180.0
    head = TextLine(mark, Box(x, y, x + len(mark) * 10, y + 11), 10, bold=True, font="FZHTK")
    third = [x._replace(text="敖煜新强调，二季度是关键") if i == 0 else x for i, x in enumerate(column(320, 100, 16))]
    layout = segment_page(page(title, first, second, head, third))
    (story,) = layout.articles
    paras = story.body.split("\n")
    assert mark in paras and paras[paras.index(mark) + 1].startswith("敖煜新强调，二季度")


@pytest.mark.parametrize("mark", ["◆王波强调", "三、王波强调"])
@pytest.mark.parametrize("drop", [0.0, 6.0])
def test_an_intertitle_atop_a_continued_storys_column_is_no_story(mark: str, drop: float) -> None:
    """A story continued from another page has no headline here: `（上接第1版）` opens its first column, and a
    heading set atop its third column, level with the mark (or a little lower, centred in its line's space),
    is an intertitle of the continued story, not the headline of a story of its own."""
    jump = TextLine("（上接第1版）", Box(40, 60, 40 + 7 * BODY, 60 + 1.2 * BODY), BODY)
    first = [jump, *column(40, 60 + PITCH, 20, False)]
    second = column(180, 60, 21, False)
    head = TextLine(mark, Box(320, 60 + drop, 320 + len(mark) * 10.5, 71 + drop), 10.5, bold=True, font="FZHTK")
    third = column(320, 60 + 2 * PITCH, 19)
    layout = segment_page(page(first, second, head, third))
    (story,) = layout.articles
    assert story.title == "" and story.continued_from_page == 1 and mark in story.body.split("\n")


@pytest.mark.parametrize("where", ["first", "second", "both"])
def test_intertitles_inside_a_continued_story_beside_a_headed_one(where: str) -> None:
    """A story continued from another page (`（上接第3版）`, two columns, no headline here) with an intertitle
    inside its first or second column (or one in each, the second column's lower part then starting below the
    mark's own segment), the column's text right above and under it, beside a headed story: two stories, the
    intertitles in the continued one's body, none of its text in the headed one."""
    jump = TextLine("（上接第3版）", Box(40, 60, 40 + 7 * BODY, 60 + 1.2 * BODY), BODY)
    x = 40 if where == "first" else 180
    head = TextLine("领军人才、俄罗斯外籍", Box(x, 60 + 9 * PITCH, x + 10 * 10.5, 71 + 9 * PITCH), 10.5, bold=True)
    if where == "first":
        left = [jump, *column(40, 60 + PITCH, 8, False), head, *column(40, 60 + 10 * PITCH + 4, 10)]
        right = [x._replace(text="续写的第二栏文字内容续写") for x in column(180, 60, 21, False)]
    else:
        left = [jump, *column(40, 60 + PITCH, 20, False)]
        if where == "both":
            lead = TextLine("一、敖煜新指出", Box(40, 60 + 4 * PITCH, 40 + 7 * 10.5, 71 + 4 * PITCH), 10.5, bold=True)
            left = [jump, *column(40, 60 + PITCH, 3, False), lead, *column(40, 60 + 5 * PITCH + 4, 15)]
        right = [
            *[x._replace(text="续写的第二栏文字内容续写") for x in column(180, 60, 8, False)],
            head,
            *[x._replace(text="第二栏小标题后的文字内容") for x in column(180, 60 + 10 * PITCH + 4, 10)],
        ]
    title = line(340, 60, "张张叶子动起来层层责任强落实", 22)
    headed = [*column(340, 100, 18), *column(480, 100, 18, False)]
    layout = segment_page(page(left, right, title, headed))
    assert len(layout.articles) == 2
    continued = next(a for a in layout.articles if a.continued_from_page == 3)
    other = next(a for a in layout.articles if a is not continued)
    assert other.title == "张张叶子动起来层层责任强落实" and "续写" not in other.body
    assert "领军人才、俄罗斯外籍" in continued.body.split("\n") and "续写的第二栏" in continued.body


@pytest.mark.parametrize("seed", [70291, 70297, 70155, 70103])
def test_third_generator_continued_stories_keep_their_intertitles(seed: int, tmp_path: Path) -> None:
    """Tuning pages of the third generator with a story continued from another page whose columns carry
    intertitles (atop a column, or inside one, beside a headed story, under a rule): the page's stories are
    exactly the true ones, by title, and the continued story is one article."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert sum(1 for a in got if a.continued_from_page) == sum(1 for a in truth["articles"] if a["continued_from_page"])


@pytest.mark.parametrize("seed", [70062, 70035])
def test_third_generator_brief_columns_end_at_a_rule(seed: int, tmp_path: Path) -> None:
    """Tuning pages of the third generator whose brief column stands over a rule, with another story's
    intertitle below the rule within the column's measure (or in the gutter at its right): that heading stays an
    intertitle, and the page's stories are exactly the true ones."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])


@pytest.mark.parametrize("first_column_only", [True, False])
@pytest.mark.parametrize("narrowed", [0.8, 0.91])
def test_a_brief_title_condensed_to_the_measure_is_a_title(first_column_only: bool, narrowed: float) -> None:
    """A brief item's title too long for the column is set condensed: the extractor reports its run at 0.8 (or
    0.91: no longer small type) of the text size, but the line stands as tall as the text's. It is the item's
    title, not a small caption-like line, also when it opens the brief column (its text then starts a line lower
    than the next column's). The label heads no story: the text atop the second column carries on an item
    (which one is left to the cut)."""
    size = 1.4 * BODY
    lab = TextLine("简讯", Box(173 - size, 40, 173 + size, 40 + 1.2 * size), size, font="FZHei")
    title = "四个高层次人才创业项目签约落户高新区"
    cond = TextLine(title, Box(40, 70, 166, 70 + 1.2 * BODY), narrowed * BODY, bold=True, font="FZHei")
    text = [x._replace(font="FZShuSong") for x in column(40, 70 + PITCH + 2, 6)]
    items = [cond, *text, *_brief_item(190, "增强紧迫感找准发力点", False)]
    if not first_column_only:  # the second item runs on atop the column's second column
        items += [x._replace(font="FZShuSong", text="续完第二条简讯的文字") for x in column(180, 70, 6, False)]
    other = [line(340, 40, "全力以赴稳经济用心用情优服务", 20), *column(340, 80, 20), *column(480, 80, 20, False)]
    layout = segment_page(page(lab, *items, *other))
    titles = sorted(a.title for a in layout.articles)
    assert titles == sorted([title, "增强紧迫感找准发力点", "全力以赴稳经济用心用情优服务"])
    assert not any(title in f for f in layout.fragments) and "简讯" in layout.fragments
    if not first_column_only:  # the second column's text is some item's, not a story of the label's
        assert len([a for a in layout.articles if "续完第二条简讯" in a.body]) == 1


@pytest.mark.parametrize("title_size", [36.0, 40.0])
@pytest.mark.parametrize("gap", [16.5, 17.5])
def test_a_kicker_over_a_large_title_a_little_apart_stays_its_kicker(title_size: float, gap: float) -> None:
    """A kicker in 18 pt over a 36-40 pt title, the gap between their line boxes a little more than the
    kicker's size (the title brings its own leading, a fifth of its size, into the gap), the band above
    ending right over the kicker: the kicker is the title's, and takes none of the text above it."""
    above = line(40, 40, "四个高层次人才创业项目签约落户", 24)
    upper = [*column(40, 80, 20), *column(180, 80, 20, False)]
    y = 80 + 20 * PITCH + 6
    kicker = line(60, y, "敖煜新在调研二季度经济运行情况时强调", 18, bold=False)
    big = line(40, y + 18 * 1.2 + gap, "全力以赴稳经济", title_size)
    lower = [*column(40, big.box.y1 + 8, 12), *column(180, big.box.y1 + 8, 12, False)]
    layout = segment_page(page(above, upper, kicker, big, lower))
    assert sorted(a.title for a in layout.articles) == ["全力以赴稳经济", "四个高层次人才创业项目签约落户"]
    story = next(a for a in layout.articles if a.title == "全力以赴稳经济")
    assert story.kicker == "敖煜新在调研二季度经济运行情况时强调"
    assert len(story.body.replace("\n", "")) == len("".join(x.text for x in lower))


@pytest.mark.parametrize("label_x", [140.0, 156.0])
@pytest.mark.parametrize("drop", [0.0, 1.0])
def test_a_brief_column_whose_first_lines_open_paragraphs_keeps_its_titles(label_x: float, drop: float) -> None:
    """A two-column brief column under its label (standing over the gutter between its columns): the second
    column carries an item on from its top, while the first opens with an item's title level with that top (or
    a line lower), so the text lines near the column's top are the second column's and the first item's
    indented first line. The titles, flush at the measure's left edge two ems left of that line, are still the
    items' titles: each item is a story of its own, and the carried-on text is no story of the label's."""
    size = 1.4 * BODY
    lab = TextLine("新闻速览", Box(label_x, 40, label_x + 4 * size, 40 + 1.2 * size), size, font="FZHei")
    top = 40 + 1.2 * size + 6
    first = _brief_item(top + drop * PITCH, "增强紧迫感找准发力点", False)
    second = _brief_item(top + (drop + 8) * PITCH, "梳理德清模式总结浙江经验", False)
    carried = [x._replace(font="FZShuSong", text="续完第二条简讯的文字") for x in column(180, top, 3, False)]
    other = [line(340, 40, "全力以赴稳经济用心用情优服务", 20), *column(340, 80, 20), *column(480, 80, 20, False)]
    layout = segment_page(page(lab, *first, *second, *carried, *other))
    titles = sorted(a.title for a in layout.articles)
    assert titles == sorted(["增强紧迫感找准发力点", "梳理德清模式总结浙江经验", "全力以赴稳经济用心用情优服务"])
    assert all("增强紧迫感" not in a.body and "梳理德清" not in a.body for a in layout.articles)
    assert len([a for a in layout.articles if "续完第二条简讯" in a.body]) == 1


@pytest.mark.parametrize("gutter", [3.0, 7.0])
def test_a_brief_column_does_not_end_at_a_neighbours_deck_reaching_into_the_gutter(gutter: float) -> None:
    """A brief column beside another story whose deck, in headline size, ends in the gutter a few points left
    of the column's text, level between two items: the deck is no headline across the column, so the column
    runs on and its second item's title is still a title."""
    title = line(40, 120, "增强紧迫感找准发力点", 24)
    x = 330.0
    deck = line(40, 152, "以强大合力推动工作取得新进展新成效", (x - gutter - 40) / 17, bold=False)
    story = [*column(40, 180, 20), *column(180, 180, 20, False)]
    lab = TextLine("简讯", Box(x + 80, 40, x + 80 + 2 * 12.6, 40 + 1.2 * 12.6), 12.6, font="FZHei")
    titles = ["县领导开展“军事日”活动", "梳理德清模式总结浙江经验"]
    items: list[TextLine] = []
    for k, t in enumerate(titles):
        y = 70 + k * 9 * PITCH
        items.append(TextLine(t, Box(x, y, x + len(t) * BODY, y + 1.2 * BODY), BODY, bold=True, font="FZHei"))
        items += [ln._replace(font="FZShuSong") for ln in column(x, y + PITCH + 2, 7)]
    layout = segment_page(page(title, deck, story, lab, *items))
    assert sorted(a.title for a in layout.articles) == sorted(["增强紧迫感找准发力点", *titles])


@pytest.mark.parametrize("gap", [14.0, 20.0])
@pytest.mark.parametrize("item", [1, 2])
def test_a_brief_title_beside_a_neighbours_column_is_not_set_into_it(gap: float, item: int) -> None:
    """A brief column stands right of a story's last column, which runs on down past the brief items' titles.
    Such a title, at the text's size, heads the item under it; only a display title is set into its story's
    columns. The story keeps its column (no brief item takes it), and every item is a story of its own."""
    title = line(40, 56, "县领导开展“军事日”活动", 24)
    story = [*column(40, 100, 20), *column(180, 100, 20, False)]
    x = 180 + 14 * BODY + gap
    lab = TextLine("简讯", Box(x + 40, 72, x + 40 + 2 * 12.6, 72 + 1.2 * 12.6), 12.6, font="FZHei")
    items: list[TextLine] = []
    titles = ["梳理德清模式总结浙江经验", "增强紧迫感找准发力点"]
    for k, t in enumerate(titles):
        y = 100 + k * 8 * PITCH + (item - 1) * PITCH
        items.append(TextLine(t, Box(x, y, x + len(t) * BODY, y + 1.2 * BODY), BODY, bold=True, font="FZHei"))
        items += [ln._replace(font="FZShuSong") for ln in column(x, y + PITCH + 2, 6)]
    layout = segment_page(page(title, story, lab, *items))
    assert sorted(a.title for a in layout.articles) == sorted(["县领导开展“军事日”活动", *titles])
    main = next(a for a in layout.articles if a.title == "县领导开展“军事日”活动")
    assert len(main.body.replace("\n", "")) == len("".join(x.text for x in story))


@pytest.mark.parametrize("gap", [1.5, 3.0])
def test_a_brief_title_close_under_the_last_items_text_heads_its_own_text(gap: float) -> None:
    """Two brief items, each a one-line title at the text's size over its text, the second title set closer
    under the first item's last line than that item's text stands under its own title: a title at the text's
    size is over its item (only a display headline is set under its story), so the first item keeps its text."""
    size = 1.4 * BODY
    lab = TextLine("简讯", Box(80, 40, 80 + 2 * size, 40 + 1.2 * size), size, font="FZHei")
    items: list[TextLine] = []
    y = 70.0
    for t in ["增强紧迫感找准发力点", "梳理德清模式总结浙江经验"]:
        items.append(TextLine(t, Box(40, y, 40 + len(t) * BODY, y + 1.2 * BODY), BODY, font="FZHei"))
        text = [x._replace(font="FZShuSong") for x in column(40, y + 1.2 * BODY + 7, 6)]
        items += text
        y = text[-1].box.y1 + gap
    other = [line(200, 40, "全力以赴稳经济用心用情优服务", 20), *column(200, 80, 20), *column(340, 80, 20, False)]
    layout = segment_page(page(lab, *items, *other))
    by_title = {a.title: a for a in layout.articles}
    assert sorted(by_title) == sorted(
        ["增强紧迫感找准发力点", "梳理德清模式总结浙江经验", "全力以赴稳经济用心用情优服务"]
    )
    assert len(by_title["增强紧迫感找准发力点"].body) == len(by_title["梳理德清模式总结浙江经验"].body) > 60


@pytest.mark.parametrize("carried", [10, 12])
def test_a_brief_item_running_on_into_the_next_column_keeps_its_text(carried: int) -> None:
    """A brief column of two columns under its label: the first holds the first item and the second item's
    title and opening lines, which end mid-paragraph at the column's foot; the second column carries that
    item on from its top, down past the second title. The carried text is the second item's (the column runs
    on into the next), and the
    first item's title, with the first item's text ending right above it, still heads its own text."""
    size = 1.4 * BODY
    lab = TextLine("简讯", Box(160, 40, 160 + 2 * size, 40 + 1.2 * size), size, font="FZHei")
    one = _brief_item(70, "增强紧迫感找准发力点", False)
    y2 = 70 + 8 * PITCH
    t2 = TextLine("梳理德清模式总结浙江经验", Box(40, y2, 40 + 12 * BODY, y2 + 1.2 * BODY), BODY, font="FZHei")
    opening = [
        x._replace(font="FZShuSong", text=TEXT[: 12 if i == 0 else 14])
        for i, x in enumerate(column(40, y2 + PITCH + 2, 4))
    ]
    more = [x._replace(font="FZShuSong", text="续完第二条简讯的文字内容") for x in column(180, 70, carried, False)]
    other = [line(340, 40, "全力以赴稳经济用心用情优服务", 20), *column(340, 80, 20), *column(480, 80, 20, False)]
    layout = segment_page(page(lab, *one, t2, *opening, *more, *other))
    by_title = {a.title: a for a in layout.articles}
    assert sorted(by_title) == sorted(
        ["增强紧迫感找准发力点", "梳理德清模式总结浙江经验", "全力以赴稳经济用心用情优服务"]
    )
    assert "续完第二条简讯" in by_title["梳理德清模式总结浙江经验"].body
    assert "续完" not in by_title["增强紧迫感找准发力点"].body


@pytest.mark.parametrize("seed", [70030, 70073, 70070, 70074, 70057, 70217, 70788, 70767, 71020])
def test_third_generator_brief_items_titled_in_bold_are_stories(seed: int, tmp_path: Path) -> None:
    """Tuning pages of the third generator whose brief column's first item title is set bold a little larger
    than the text (headline type), or condensed to fit the measure (70070), or whose brief column runs on into
    a second column under its label (70074, 70057, 70767: the carried text is the item's ending at the previous
    column's foot), or stands beside another story's column running down past its titles (70788, 71020): the
    page's stories are exactly the true ones, by title."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])


@pytest.mark.parametrize("columns", [1, 2])
def test_a_continuation_beside_a_story_is_a_story_of_its_own(columns: int) -> None:
    """A story from another page runs on in the columns beside a headed story, its text opening with
    `（上接第5版）` level with the top of the story's headline, no headline over it: two articles, the continued
    one without headline and `continued_from_page` 5, the headed one without the continuation's text."""
    title = line(40, 40, "新使命中国共产党的历史担当", 20)
    own = [*column(40, 80, 20), *column(180, 80, 20, first_indent=False)]
    mark = TextLine("（上接第5版）", Box(320, 42, 320 + 7 * BODY, 42 + 1.2 * BODY), BODY)
    cont = [mark, *column(320, 42 + PITCH, 20, first_indent=False)]
    if columns == 2:
        cont += column(460, 42, 21, first_indent=False)
    layout = segment_page(page(title, own, cont))
    headed = next(a for a in layout.articles if a.title)
    continued = next(a for a in layout.articles if not a.title)
    assert len(layout.articles) == 2 and headed.title == "新使命中国共产党的历史担当"
    assert continued.continued_from_page == 5 and headed.continued_from_page is None


def test_a_page_segments_the_same_in_every_process(tmp_path: Path) -> None:
    """Story assignment never depends on memory addresses or string hashing: a third-generator page whose
    stories tie between two equally near headlines (seed 70072) comes out the same under different
    `PYTHONHASHSEED`s, in fresh processes."""
    pdf = make_page3(70_072, tmp_path / "p.pdf")
    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = "import sys; from pipeline.pages import pdf_layout; print(pdf_layout(open(sys.argv[1], 'rb').read(), 'x', None, None))"
        done = subprocess.run(
            [sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, env=env, check=True
        )
        outs.add(done.stdout)
    assert len(outs) == 1


@pytest.mark.parametrize("gap", [6.6, 7.6])
@pytest.mark.parametrize("flush", ["left", "right"])
def test_a_closing_byline_reduced_below_the_text_size_closes_its_column(gap: float, flush: str) -> None:
    """A closing byline set smaller than the text (6.8 pt under 9 pt) to fit the measure, on the column's next
    line (its gap the text's leading, wider than 0.9 of its own size), flush left or right: it is the column's
    last line, so its names are the story's authors; a smaller note there that is no byline stays apart."""
    title = line(40, 60, "四个高层次人才创业项目签约落户", 18)
    col = column(40, 90, 10)
    small = 6.8
    text = "记者 董华 通讯员 姚海翔"
    x = 40 if flush == "left" else col[-2].box.x1 - len(text) * small
    y = col[-1].box.y1 + gap
    by = TextLine(text, Box(x, y, x + len(text) * small, y + 1.2 * small), small)
    (seg,) = segments([*col, by], ())
    assert seg.lines[-1] is by
    (article,) = segment_page(page(title, col, by)).articles
    assert article.authors == ("董华", "姚海翔") and "董华" not in article.body
    note = TextLine("图为签约现场。", Box(40, y, 40 + 7 * small, y + 1.2 * small), small)
    assert len(segments([*col, note], ())) == 2


PREFACE_TEXT = "不断把新时代改革开放继续推向前进，必须掌握科学的思想方法。具体包括：坚持实事求是，坚持问题导向。"


def _prefaced_story(label: str, own_line: bool, columns: int, framed: bool) -> PageContent:
    """A title, its byline, a preface in 楷体 (9.5 pt, not bold) over `columns` columns, boxed by a stroked frame
    or not, its label opening its first line (`内容提要：…`) or standing on a line of its own (11 pt bold, as
    large as headline type), then three columns of text."""
    size = 9.5
    parts: list[list[TextLine] | TextLine] = [
        line(60, 60, "以科学思想方法推动改革开放再出发", 26),
        line(200, 100, "本报记者 赵剑英", 10.5, bold=False),
    ]
    width = columns * 140 - 14
    per = int(width // size)
    y0 = y = 122.0
    text = PREFACE_TEXT if own_line else f"{label}：{PREFACE_TEXT}"
    if own_line:
        parts.append(line(40 + (width - 4 * 11) / 2, y + 3, label, 11))
        y += 18
    for i in range(0, len(text), per):
        x = 40 + (2 * size if i == 0 else 0)
        parts.append(
            TextLine(text[i : i + per], Box(x, y + 3, x + len(text[i : i + per]) * size, y + 3 + 1.2 * size), size)
        )
        y += 14
    frame = Box(34, y0, 40 + width + 6, y + 8)
    y += 16
    if columns == 1:
        parts += [column(40, y, 12), column(180, y0, 26, first_indent=False), column(320, y0, 26, first_indent=False)]
    else:
        parts += [column(40, y, 20), column(180, y, 20, first_indent=False), column(320, y, 20, first_indent=False)]
    return page(*parts, frames=(frame,) if framed else ())


@pytest.mark.parametrize("framed", [True, False])
@pytest.mark.parametrize("columns", [1, 3])
@pytest.mark.parametrize(("label", "own_line"), [("内容提要", False), ("核心阅读", True), ("编者按", False)])
def test_a_storys_preface_boxed_or_not_opens_its_body(label: str, own_line: bool, columns: int, framed: bool) -> None:
    """An abstract (内容提要, 核心阅读) or an editor's note (编者按) set between a story's headline and its text,
    across its columns or in its first one, in a frame or not, its label inline or on a line of its own in
    headline type: one story, the preface its first paragraph(s); the label heads no story of its own."""
    (article,) = segment_page(_prefaced_story(label, own_line, columns, framed)).articles
    assert article.title == "以科学思想方法推动改革开放再出发" and article.authors == ("赵剑英",)
    assert article.body.startswith(label) and "坚持问题导向。" in article.body.split("\n")[1 if own_line else 0]


def test_a_framed_teaser_without_a_preface_label_stays_a_fragment() -> None:
    """The same box holding pointers to other pages (a teaser, 导读) is page furniture, not the story's text."""
    content = _prefaced_story("导读", False, 3, True)
    (article,) = segment_page(content).articles
    assert "导读" not in article.body


def _run(x: float, y: float, n: int) -> list[TextLine]:
    """`n` full body lines down one 14-character column: a paragraph running on past both ends."""
    return [
        TextLine(TEXT[:14], Box(x, y + i * PITCH, x + 14 * BODY, y + i * PITCH + 1.2 * BODY), BODY) for i in range(n)
    ]


def _seg_item(lines: list[TextLine]) -> Item:
    (seg,) = segments(lines, ())
    return Item(seg.box, seg=seg)


@pytest.mark.parametrize("mark", ["二、会前", "◆会前"])
def test_an_intertitle_and_the_text_under_it_carry_on_the_story_above_them(mark: str) -> None:
    """A continued story's second column runs down to an intertitle (bold, a little larger) and on under it; a
    headline stands off to the side, nearer that lower part than the jump-in is. The intertitle and the text
    under it are the continued story's (a story's flow runs through its intertitles), not that headline's; the
    jump-in keeps its own story, and a segment right under the headline stays its."""
    jump = _seg_item([TextLine("（上接第3版）", Box(40, 60, 40 + 7 * BODY, 60 + 1.2 * BODY), BODY), *_run(40, 74, 20)])
    upper = _seg_item(column(180, 60, 10, first_indent=False))
    y = 60 + 10 * PITCH + 4
    inter = _seg_item([TextLine(mark, Box(180, y, 180 + len(mark) * 10.5, y + 12.6), 10.5, bold=True, font="FZHTK")])
    lower = _seg_item(column(180, y + 20, 6))
    (group,) = head_groups([line(320, 60, "叶子动起来", 22)], BODY, ())
    head = Item(group.box, head=group)
    under = _seg_item(column(320, 60 + 22 * 1.2 + 6, 6))
    segs = [jump, upper, inter, lower, under]
    first_guess = {id(jump): 1, id(upper): 1, id(inter): 2, id(lower): 2, id(under): 1}
    owners = flow_owners(segs, first_guess, [head], [], BODY, lambda h: 2 if h is head else None)
    assert [owners[id(s)] for s in segs] == [1, 1, 1, 1, 2]


def test_a_paragraphs_end_atop_the_next_column_carries_on_the_column_on_its_left() -> None:
    """A column ends mid-paragraph (its last line full) and the next column opens with that paragraph's last
    line (`广阔。`, not indented), with another headline's kicker level with it on its right: the line is the
    left column's story's. A long column opening mid-paragraph is left to its headlines (`RUN_ON_LINES`), and
    a column opening a paragraph carries nothing on."""
    left = _seg_item(_run(40, 60, 20))
    end = _seg_item([TextLine("广阔。", Box(180, 60, 180 + 3 * BODY, 60 + 1.2 * BODY), BODY)])
    long = _seg_item(_run(180, 60, 12))
    new = _seg_item(column(180, 60, 12))
    guess = {id(left): 1, id(end): 2, id(long): 2, id(new): 2}
    assert flow_owners([left, end], guess, [], [], BODY, lambda h: None)[id(end)] == 1
    assert flow_owners([left, long], guess, [], [], BODY, lambda h: None)[id(long)] == 2
    assert flow_owners([left, new], guess, [], [], BODY, lambda h: None)[id(new)] == 2


@pytest.mark.parametrize("gap", [2.0, 14.0])
def test_text_right_under_a_headlines_photo_is_that_headlines(gap: float) -> None:
    """A headline over its story's photo (a line or two under it, the caption grown into its box) and the text
    right under the photo: that text is the headline's, though another headline's edge stands nearer it on
    its left, level with the photo."""
    (group,) = head_groups([line(330, 60, "县领导开展军事日活动", 20)], BODY, ())
    head = Item(group.box, head=group)
    photo = Box(320, 84 + gap, 446, 200)
    text = _seg_item(column(320, 212, 12))
    owners = flow_owners([text], {id(text): 1}, [head], [photo], BODY, lambda h: 2)
    assert owners[id(text)] == 2
    far = Box(320, 84 + 40, 446, 200)  # a photo set well under the headline is no longer its own
    assert flow_owners([text], {id(text): 1}, [head], [far], BODY, lambda h: 2)[id(text)] == 1


@pytest.mark.parametrize("seed", [70141, 70627, 70260, 70404, 70563, 70521, 70350, 70406, 70856])
def test_third_generator_flows_through_intertitles_and_under_headlines_photos(seed: int, tmp_path: Path) -> None:
    """Tuning pages where a headline set beside or over its story's photo stood nearer another story's text
    than that story's own headline did: a continued story's intertitle and the text under it (70141), a `◆`
    intertitle atop the last column under the photo (70627), the text under a headline's photo (70350), a
    paragraph's end atop a column (70856), a flow whose first column sat nearer another headline (70406). The
    page's stories are exactly the true ones, by title, and it scores 0.93 at least."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert score_page([a.to_json() for a in got], truth["articles"]).total >= 0.93


@pytest.mark.parametrize("where", ["mid-column", "column-top"])
def test_an_intertitle_under_a_small_title_with_a_larger_deck_stays_in_the_body(where: str) -> None:
    """A small title (15.6 pt) with its kicker (12.5 pt) over it, and an intertitle in bold 11.5 pt (the title
    only 1.36 times larger, but the kicker larger too), in the middle of a column's flow or atop the story's
    second column: one story, the intertitle a paragraph of its body."""
    kicker = line(60, 60, "敖煜新在调研二季度经济运行情况时强调", 12.5, bold=False)
    title = line(60, 78, "全力以赴稳经济用心用情优服务", 15.6)
    heading = "敖煜新一行先后"
    top = 104
    if where == "mid-column":
        inter = TextLine(heading, Box(40, top + 8 * PITCH + 4, 40 + 7 * 11.5, top + 8 * PITCH + 17.8), 11.5, True)
        parts = [column(40, top, 8), inter, column(40, top + 10 * PITCH, 8), column(180, top, 18, False)]
    else:
        inter = TextLine(heading, Box(180, top + 4, 180 + 7 * 11.5, top + 17.8), 11.5, True)
        parts = [column(40, top, 18), inter, column(180, top + 2 * PITCH, 16)]
    (article,) = segment_page(page(kicker, title, *parts)).articles
    assert article.title == "全力以赴稳经济用心用情优服务" and heading in article.body.split("\n")


def test_an_intertitle_atop_the_last_column_of_a_story_set_beside_its_title() -> None:
    """A title set beside its story (two lines of 24 pt in the first column's place), the story's first
    lines a little above the title's top (its text's first line up to two lines higher), and an intertitle
    atop the story's third column, level with those first lines: one story, the intertitle in its body."""
    title = [line(40, 80, "全力以赴稳", 24), line(40, 110, "用心优服务", 24)]
    inter = TextLine("二、敖煜新强调", Box(460, 64, 460 + 7 * 10.5, 76.6), 10.5, True)
    cols = [column(180, 62, 20), column(320, 62, 20, False), inter, column(460, 62 + 2 * PITCH, 18)]
    (article,) = segment_page(page(*title, *cols)).articles
    assert article.title == "全力以赴稳 用心优服务" and "二、敖煜新强调" in article.body.split("\n")


@pytest.mark.parametrize("seed", [70380, 70617, 70944, 71060])
def test_third_generator_continued_stories_stop_at_a_headline_and_small_titles_keep_intertitles(
    seed: int, tmp_path: Path
) -> None:
    """Tuning pages where a continued story ran on rightwards past the next story's headline set beside its
    text (70380); where a small title with a larger kicker stood over its intertitles (70617); where an
    intertitle atop the last column of a story set beside its title stood level with text starting above the
    title's top (70944); and where a caption set on its column's measure under a narrower centred photo held
    a continued story to the next one (71060). The stories are the true ones, by title, scoring 0.93 at least."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert score_page([a.to_json() for a in got], truth["articles"]).total >= 0.93


@pytest.mark.parametrize("credit", ["责任编辑：陈蕾  版式：姚琴  校对：沈佳", "本版责编：王洁  美编：朱敏"])
def test_the_pages_editor_credits_are_furniture(credit: str) -> None:
    """A footer crediting the page's editors, in text type, under the last story's headline set beside its
    photo and text, with a short story further right: page furniture (a fragment), never a story's text, and
    no body the headline could keep on its own while a cut parts it from its columns."""
    title = [line(40, 900, "全力以赴稳经济", 22), line(40, 930, "用心用情优服务", 22)]
    photo = Box(200, 900, 466, 990)
    cols = [column(200, 1000, 12), column(340, 1000, 12, False)]
    other = [line(500, 900, "梳理德清模式总结浙江经验", 16), column(500, 925, 8)]
    foot = TextLine(credit, Box(40, 1180, 40 + len(credit) * 8, 1189.6), 8.0)
    layout = segment_page(page(*title, *cols, *other, foot, pictures=(photo,)))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"全力以赴稳经济 用心用情优服务", "梳理德清模式总结浙江经验"}
    assert titles["全力以赴稳经济 用心用情优服务"].body.startswith("昨天上午")
    assert all(credit.split("：")[0] not in a.body for a in layout.articles)
    assert any(credit.replace(" ", "") in f.replace(" ", "") for f in layout.fragments)


@pytest.mark.parametrize("seed", [70966, 70287])
def test_third_generator_editor_footers_hold_no_story(seed: int, tmp_path: Path) -> None:
    """Tuning pages whose footer of editors (`footer-editors`) under a headline set beside its text let a cut
    part the headline from its columns: the stories are the true ones, by title, scoring 0.93 at least."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert score_page([a.to_json() for a in got], truth["articles"]).total >= 0.93


@pytest.mark.parametrize("title_gap", [6.0, 60.0, 110.0])
@pytest.mark.parametrize("where", ["mid-column", "column-top"])
def test_an_intertitle_in_a_later_column_of_a_story_set_beside_its_title(where: str, title_gap: float) -> None:
    """A title set beside its story (reaching lower than the story's first lines; its lines ending just short
    of the first column, or well short of it in a wider space), the story's first column under a photo level
    with the title's top, and a marked heading in the story's second column: in the middle of its flow, or
    atop it level with the photo's top. One story, the heading in its body."""
    title = [
        line(40, 100, "全力以赴稳经济", 15.6),
        line(40, 120, "用心用情优服务", 15.6),
        line(40, 140, "推动全县", 15.6),
    ]
    x1 = 40 + 7 * 15.6 + title_gap
    photo = Box(x1, 96, x1 + 126, 170)
    first = column(x1, 182, 16)
    x2 = x1 + 140
    mark = "一、敖煜新一行"
    if where == "mid-column":
        y = 100 + 2 * PITCH  # above the title's foot
        inter = TextLine(mark, Box(x2, y + 4, x2 + len(mark) * 10.5, y + 16.6), 10.5, True)
        second = [column(x2, 100, 2, False), inter, column(x2, y + 2 * PITCH, 16)]
    else:
        inter = TextLine(mark, Box(x2, 100, x2 + len(mark) * 10.5, 112.6), 10.5, True)
        second = [inter, column(x2, 100 + 1.5 * PITCH, 18)]
    layout = segment_page(page(*title, first, *second, pictures=(photo,)))
    (article,) = layout.articles
    assert article.title == "全力以赴稳经济用心用情优服务推动全县" and mark in article.body.split("\n")


@pytest.mark.parametrize("seed", [70205, 70250, 70588, 70471, 70974, 70730, 70748])
def test_third_generator_intertitles_in_later_columns_of_stories_beside_their_titles(seed: int, tmp_path: Path) -> None:
    """Tuning pages with a heading in a later column of a story set beside its title, higher than the title's
    foot (70205), atop the column next to the photo over the first one (70250), or beside a title whose lines
    end well short of its space (70588; 70748: most of a column short); and a small title under a rule
    closing the band above, its text beside it (70730), which is no heading of the story above the rule: the
    stories are the true ones, by title, scoring 0.93 at least."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert score_page([a.to_json() for a in got], truth["articles"]).total >= 0.93


@pytest.mark.parametrize("where", ["off-the-titles-width", "under-the-byline"])
def test_an_intertitle_atop_a_column_under_a_title_and_its_byline(where: str) -> None:
    """A title over a story of four columns, its byline on a line of its own under it, the columns starting
    under the byline, and a marked heading atop one of them: the last column, past the title's width (its
    first column's text right under the byline), or the second, right under the byline. One story, the heading
    in its body, the byline its authors."""
    title = line(40, 60, "全力以赴稳经济用心用情优服务", 26)
    byline = line(190, 98, "本报记者 董华 姚海翔", 10.5, bold=False)
    top = 130.0
    x = 460 if where == "off-the-titles-width" else 180
    mark = "◆来到浙江京杭"
    heading = TextLine(mark, Box(x + 20, top + 3, x + 20 + len(mark) * 10.5, top + 15.6), 10.5, bold=True)
    cols = [column(c, top + (2 * PITCH if c == x else 0), 18, c != x) for c in (40, 180, 320, 460)]
    (article,) = segment_page(page(title, byline, heading, *cols)).articles
    assert article.title == "全力以赴稳经济用心用情优服务" and article.authors == ("董华", "姚海翔")
    assert mark in article.body.split("\n")


@pytest.mark.parametrize("seed", [70292, 70514, 70676])
def test_third_generator_intertitles_under_a_titles_byline(seed: int, tmp_path: Path) -> None:
    """Tuning pages with a heading atop a column of a story whose byline stands on a line of its own under
    the title, past the title's width (70292) or under the byline (70676): the stories are the true ones, by
    title, scoring 0.93 at least."""
    got, truth = _third_generator_page(seed, tmp_path)
    assert _titles(got) == sorted(a["title"].replace(" ", "") for a in truth["articles"])
    assert score_page([a.to_json() for a in got], truth["articles"]).total >= 0.93


def test_an_intertitle_set_over_two_lines_is_one_unbroken_paragraph() -> None:
    """A heading broken over two lines, mid-column (the break cutting a word, 问|题) and atop a column (the break
    between phrases): each is one paragraph of the story, written unbroken as its publisher writes it."""
    title = line(60, 60, "着力解决突出环境问题", 40)
    col1 = [
        *column(40, 140, 8),
        line(58, 140 + 8 * PITCH + 6, "解决突出环境问", 12.5),
        line(52, 140 + 8 * PITCH + 22, "题的重点任务和举措", 12.5),
        *column(40, 140 + 11 * PITCH, 7),
    ]
    col2 = column(180, 140, 19, first_indent=False)
    col3 = [line(345, 140, "不忘初心走在", 12.5), line(357, 156, "时代前列", 12.5), *column(320, 140 + 3 * PITCH, 16)]
    (article,) = segment_page(page(title, col1, col2, col3)).articles
    paras = article.body.split("\n")
    assert "解决突出环境问题的重点任务和举措" in paras and "不忘初心走在时代前列" in paras


@pytest.mark.parametrize(
    ("parts", "want"),
    [
        (("“第九届跨文化传播国际", "学术会议”述要"), "“第九届跨文化传播国际学术会议”述要"),  # inside quotes
        (("社会主要矛盾变", "化标志着新时代"), "社会主要矛盾变化标志着新时代"),  # 变|化 cuts a word
        (("全力以赴稳经济", "用心用情优服务"), "全力以赴稳经济 用心用情优服务"),  # two phrases: one space
    ],
)
def test_a_subtitle_broken_with_room_to_spare_keeps_a_space_only_between_phrases(
    parts: tuple[str, str], want: str
) -> None:
    """A subtitle's first line ends with room to spare. The break is a phrase gap (one space) unless it falls
    inside quotes or a word, where it is a wrap."""
    head = [line(40, 60, "一带一路为跨文化传播提供新空间", 24), line(40, 96, parts[0], 13), line(40, 114, parts[1], 13)]
    body = [*column(40, 140, 12), *column(180, 140, 12, first_indent=False)]
    (article,) = segment_page(page(head, body)).articles
    assert article.subtitle == want


def _narrowed_column(x: float, y: float, inset: float) -> list[TextLine]:
    """A column whose lines 5-13 run around an object `inset` wide at its left: they start `inset` in and run
    full to the right edge; line 10 opens a paragraph two ems further in."""
    texts = ["开", "续", "续", "续", "续", "窄", "窄", "窄", "窄", "末", "起", "窄", "窄", "窄", "续", "续", "续", "终"]
    out = []
    for i, mark in enumerate(texts):
        x0 = x + (2 * BODY if i == 0 else inset if 5 <= i <= 13 else 0) + (2 * BODY if i == 10 else 0)
        n = round((x + 14 * BODY - x0) / BODY) if mark not in "末终" else 4
        t = (mark + TEXT * 2)[:n] if mark not in "末终" else mark + "完成。"
        out.append(TextLine(t, Box(x0, y + i * PITCH, x0 + len(t) * BODY, y + i * PITCH + 1.2 * BODY), BODY))
    return out


@pytest.mark.parametrize("inset", [4 * BODY, 6 * BODY])
def test_lines_run_around_a_picture_carry_on_their_paragraph(inset: float) -> None:
    """Lines set on a measure narrowed beside a picture start more than an indent in: they carry on their
    paragraph, full line after full line and down to its short last line; a line two ems further in opens
    the next one."""
    title = line(40, 60, "大就要有大的样子", 30)
    col1 = column(40, 120, 18)
    col2 = _narrowed_column(180, 120, inset)
    pic = Box(180, 120 + 5 * PITCH, 180 + inset - BODY, 120 + 14 * PITCH)
    (article,) = segment_page(page(title, col1, col2, pictures=(pic,))).articles
    paras = article.body.split("\n")
    assert len(paras) == 3 and paras[1].startswith("开") and paras[1].endswith("末完成。")
    assert paras[2].startswith("起") and paras[2].endswith("终完成。")


@pytest.mark.parametrize("names", ["本报记者 沈烨冰", "记者 董华 姚海翔"])
def test_a_byline_in_body_type_filling_its_indented_line_stays_apart(names: str) -> None:
    """A byline in body type, indented two ems and filling a narrow column's line, over the lead indented as
    much: about an indent in is an indent, so the byline stays a paragraph of its own and is read as one."""
    width = len(names) + 2
    x, y = 40.0, 100.0
    byline = TextLine(names, Box(x + 2 * BODY, y, x + width * BODY, y + 1.2 * BODY), BODY)
    lead = TextLine("5月24日，数字", Box(x + 2 * BODY, y + PITCH, x + 8.5 * BODY, y + PITCH + 1.2 * BODY), BODY)
    rest = [
        TextLine(
            (TEXT * 2)[k : k + width], Box(x, y + (k + 2) * PITCH, x + width * BODY, y + (k + 2) * PITCH + 10.8), BODY
        )
        for k in range(12)
    ]
    rest.append(TextLine("情况。", Box(x, y + 14 * PITCH, x + 3 * BODY, y + 14 * PITCH + 10.8), BODY))
    (article,) = segment_page(page(line(x, 60, "数字乡村发展研讨会召开", 20), byline, lead, rest)).articles
    assert list(article.authors) == names.split()[1:] and article.body.startswith("5月24日，数字")


def test_spaces_left_by_typesetting_runs_leave_a_pages_text() -> None:
    """A page PDF holds the space a typesetting system leaves after a run of digits in the Latin face and
    beside a quote mark (`13 亿多`, `“ 一国两制”`): the body is without them; names parted in a list keep
    their spaces."""
    texts = ["坚持“ 一国两制”，汇聚起", "13 亿多中华儿女的磅礴伟力", "出席的有张三 李四 王五等人", "参加。"]
    rows = [
        TextLine(t, Box(40 + (2 * BODY if k == 0 else 0), 100 + k * PITCH, 166, 110.8 + k * PITCH), BODY)
        for k, t in enumerate(texts)
    ]
    (article,) = segment_page(page(line(40, 60, "一国两制", 24), rows, column(180, 100, 12))).articles
    assert article.body.startswith("坚持“一国两制”，汇聚起13亿多中华儿女的磅礴伟力出席的有张三 李四 王五等人")


@pytest.mark.parametrize("centred", [False, True])
def test_a_heading_a_point_above_the_text_is_a_paragraph_of_its_own(centred: bool) -> None:
    """A numbered heading set a point above the text (too close to its size for a headline), flush left or
    centred between two paragraphs of one column: its own paragraph, and the line under it opens the next one
    although it starts at the column's edge. A closing byline in its own larger face stays the byline."""
    heading = "一、县委副书记主持"
    hx = 40 + (14 * BODY - len(heading) * 9.8) / 2 if centred else 40
    col = [
        *column(40, 100, 6),
        TextLine(heading, Box(hx, 100 + 6 * PITCH, hx + len(heading) * 9.8, 100 + 6 * PITCH + 11.8), 9.8),
        *column(40, 100 + 7 * PITCH, 6, first_indent=False),
    ]
    right = 180 + 14 * BODY
    byline = TextLine("本报记者 董华", Box(right - 7 * 9.8, 100 + 13 * PITCH, right, 100 + 13 * PITCH + 11.8), 9.8)
    col2 = [*column(180, 100, 13), byline]
    (article,) = segment_page(page(line(40, 60, "全力以赴稳经济", 24), col, col2)).articles
    paras = article.body.split("\n")
    assert heading in paras and paras[paras.index(heading) + 1].startswith(TEXT[:14])
    assert list(article.authors) == ["董华"]


@pytest.mark.parametrize("heading", ["今年以来", "会上", "王波强调"])
def test_a_short_heading_set_apart_is_no_authors_name(heading: str) -> None:
    """A heading of one short phrase in its own size between paragraphs (`今年以来`) has the shape of a bare
    name set apart, but reads as no person's name: it stays in the body; the author's name set apart under
    the title, in its own size, is still the author."""
    author = TextLine("李忠杰", Box(40, 92, 40 + 3 * 10.5, 104.6), 10.5)
    col = [
        *column(40, 120, 6),
        TextLine(heading, Box(40, 120 + 6 * PITCH, 40 + len(heading) * 10, 132 + 6 * PITCH), 10.0),
        *column(40, 120 + 7 * PITCH, 6),
    ]
    (article,) = segment_page(page(line(40, 60, "历史永远眷顾奋进者", 24), author, col, column(180, 120, 14))).articles
    assert heading in article.body.split("\n") and list(article.authors) == ["李忠杰"]


@pytest.mark.parametrize("where", ["label atop the box", "photo at the box's foot"])
def test_a_picture_inside_a_boxed_story_is_that_storys_not_the_pages(where: str) -> None:
    """A boxed story read as a page of its own keeps the pictures inside its frame (its column label's image
    atop it, its photo): no story of the page takes them, so a story under or beside the box covers its own
    columns only."""
    frame = Box(330, 50, 600, 330)
    boxed = [line(345, 110, "全面推进创新创业教育", 20), *column(340, 150, 8), *column(470, 150, 8, False)]
    pic = Box(345, 58, 480, 100) if where == "label atop the box" else Box(345, 270, 590, 320)
    under = [line(340, 360, "党建工作应与中心工作有机结合", 20), *column(340, 400, 14), *column(470, 400, 14, False)]
    beside = [line(40, 60, "优先发展教育事业", 24), *column(40, 100, 30), *column(180, 100, 30, False)]
    layout = segment_page(page(boxed, under, beside, frames=(frame,), pictures=(pic,)))
    titles = {a.title: a for a in layout.articles}
    assert set(titles) == {"全面推进创新创业教育", "党建工作应与中心工作有机结合", "优先发展教育事业"}
    for title in ("党建工作应与中心工作有机结合", "优先发展教育事业"):
        assert all(r.y1 <= pic.y0 or r.y0 >= pic.y1 or r.x1 <= pic.x0 or r.x0 >= pic.x1 for r in titles[title].regions)


@pytest.mark.parametrize("stories", [1, 2])
def test_a_photo_standing_apart_from_every_storys_text_is_no_storys(stories: int) -> None:
    """A photo with its caption set on its own, far from any story's text (a page's picture of the day), goes
    with no story: the stories' regions cover their own text; a story's photo set into its columns stays its."""
    own = Box(180, 100 + 4 * PITCH, 306, 100 + 10 * PITCH)
    apart = Box(480, 600, 800, 900)
    parts: list[list[TextLine] | TextLine] = [
        line(40, 60, "我国社会主要矛盾变化的重大意义", 24),
        *column(40, 100, 30),
        column(180, 100, 4, first_indent=False),
        column(180, 100 + 11 * PITCH, 19, first_indent=False),
    ]
    if stories == 2:  # a second story under the first, beside the photo
        parts += [line(40, 560, "准确把握社会主要矛盾的变化", 20), *column(40, 600, 20), *column(180, 600, 20, False)]
    layout = segment_page(page(*parts, pictures=(own, apart)))
    assert len(layout.articles) == stories
    for a in layout.articles:
        assert all(r.x1 < apart.x0 for r in a.regions)
    first = layout.articles[0]
    assert any(r.x0 <= own.x0 and r.y0 <= own.y0 and r.y1 >= own.y1 for r in first.regions)


@pytest.mark.parametrize(
    ("phrases", "want"),
    [
        (("增强紧迫感", "找准发力点"), "增强紧迫感 找准发力点"),
        (("全力以赴稳经济", "用心用情优服务"), "全力以赴稳经济 用心用情优服务"),
    ],
)
def test_a_couplet_title_filling_its_frame_keeps_its_phrase_gap(phrases: tuple[str, str], want: str) -> None:
    """A title set as a couplet (对仗: two phrases of one length, one per line) in a frame they fill reads with
    its phrases parted, as the reader writes it. A kicker wrapped into lines of one length by chance stays one
    run of words (lines broken between words by the frame, not by the typesetter)."""
    title = [line(40, 76, phrases[0], 22), line(40, 104, phrases[1], 22)]
    cols = [column(220, 76, 14), column(360, 76, 14, False)]
    (article,) = segment_page(page(*title, *cols)).articles
    assert article.title == want
    kicker = [line(40, 20, "敖煜新在调研二季度", 12), line(40, 36, "经济运行情况时强调", 12)]
    assert _join_lines(kicker, room=9 * 12) == "敖煜新在调研二季度经济运行情况时强调"
    assert _join_lines(kicker, room=9 * 12, couplet=True) == "敖煜新在调研二季度 经济运行情况时强调"


def test_a_title_wrapped_over_three_lines_of_one_length_is_one_phrase() -> None:
    """A title wrapped over a narrow frame fills each line but the last alike: its lines are one phrase, joined
    without gaps, however equal their lengths."""
    title = [line(40, 60, "四个高层次人", 22), line(40, 88, "才创业项目签", 22), line(40, 116, "约落户高新区", 22)]
    cols = [column(220, 60, 14), column(360, 60, 14, False)]
    (article,) = segment_page(page(*title, *cols)).articles
    assert article.title == "四个高层次人才创业项目签约落户高新区"
