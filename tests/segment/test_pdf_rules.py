"""Geometry segmentation rules on hand-placed lines (and one generated page where a rule came from): headline parts, governing, paragraphs by indent,
bylines, jump markers, captions and teaser boxes as fragments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.checks.evaluate import score_page
from pipeline.models import Box, PageContent, TextLine
from pipeline.pages import pdf_layout
from pipeline.segment.pdf import segment_page
from pipeline.segment.pdf.articles import headline_roles
from pipeline.segment.pdf.blocks import HeadGroup
from tests.fixtures.make_pages import DEFAULT_DATE, make_day

BODY = 9.0
PITCH = 13.5
COL_W = 126.0  # 14 characters


def column(x: float, y: float, texts: list[str], indents: set[int] = frozenset({0})) -> list[TextLine]:  # type: ignore[assignment]
    """Body lines down one column; lines whose index is in `indents` start two characters in."""
    out = []
    for i, t in enumerate(texts):
        x0 = x + (2 * BODY if i in indents else 0)
        out.append(TextLine(t, Box(x0, y + i * PITCH, x0 + len(t) * BODY, y + i * PITCH + 1.2 * BODY), BODY))
    return out


def head(x: float, y: float, text: str, size: float) -> TextLine:
    return TextLine(text, Box(x, y, x + len(text) * size, y + 1.2 * size), size, bold=True)


def page(
    *lines: list[TextLine] | TextLine, pictures: tuple[Box, ...] = (), frames: tuple[Box, ...] = ()
) -> PageContent:
    flat: list[TextLine] = []
    for x in lines:
        flat.extend(x if isinstance(x, list) else [x])
    return PageContent(1, 842, 1191, tuple(flat), (), frames, pictures)


STORY_A = [
    "| 记者 董华 姚海翔",
    "昨天上午，县委书记敖煜新",
    "带队走访企业、项目，调研二季",
    "度经济运行情况。",
    "敖煜新一行先后来到浙江德",
    "清华丝纺织有限公司等企业，走",
]
STORY_A2 = ["进生产车间察看企业生产情况，", "并与企业负责人座谈交流。", "（下转第2版）"]


def story_a(x: float, y: float) -> list[TextLine]:
    """Kicker, title, dashed subtitle over two columns of body with an opening byline and a jump out."""
    lines = [
        head(x + 20, y, "敖煜新在调研时强调", 13),
        head(x + 10, y + 18, "全力以赴稳经济", 22),
        head(x + 20, y + 46, "——推动经济持续向好", 13),
    ]
    body_y = y + 70
    lines += column(x, body_y, STORY_A, {1, 4})
    second = column(x + COL_W + 10, body_y, STORY_A2, set())
    marker = second[-1]
    second[-1] = TextLine(
        marker.text,
        Box(x + 2 * COL_W + 10 - 6 * BODY, marker.box.y0, x + 2 * COL_W + 10, marker.box.y1),
        BODY,
    )
    return lines + second


def test_headline_parts_by_size_with_dash_stripped() -> None:
    lines = story_a(40, 80)[:3]
    group = HeadGroup(tuple(lines), Box(40, 80, 300, 140))
    assert headline_roles(group) == ("敖煜新在调研时强调", "全力以赴稳经济", "推动经济持续向好")


def test_headline_lines_broken_on_purpose_keep_a_space_wrapped_ones_do_not() -> None:
    """Two title phrases set on two lines over a wide story read `A B`; a deck wrapped by its width reads on."""
    title = [head(100, 80, "全力以赴稳经济", 22), head(100, 108, "用心用情优服务", 22)]
    deck = [head(40, 136, "推动全县经济运行持续稳中", 13), head(40, 152, "向好", 13)]
    lines = (*title, *deck)
    group = HeadGroup(lines, Box(40, 80, 40 + 12 * 13, 168))
    kicker, text, _ = headline_roles(group, room=400)
    assert (kicker, text) == (None, "全力以赴稳经济 用心用情优服务")  # ended with room to spare: a phrase break
    _, _, subtitle = headline_roles(group, room=12 * 13)
    assert subtitle == "推动全县经济运行持续稳中向好"  # the deck filled the width it had: wrapped


def test_story_with_headline_above_two_columns() -> None:
    (article,) = segment_page(page(story_a(40, 80))).articles
    assert (article.kicker, article.title, article.subtitle) == (
        "敖煜新在调研时强调",
        "全力以赴稳经济",
        "推动经济持续向好",
    )
    assert article.authors == ("董华", "姚海翔")
    assert article.continues_to_page == 2 and article.continued_from_page is None
    assert article.body.split("\n") == [
        "昨天上午，县委书记敖煜新带队走访企业、项目，调研二季度经济运行情况。",
        "敖煜新一行先后来到浙江德清华丝纺织有限公司等企业，走进生产车间察看企业生产情况，并与企业负责人座谈交流。",
    ]
    (region,) = article.regions
    assert (region.page, region.x0, region.y0) == (1, 40, 80) and region.x1 >= 40 + 2 * COL_W


def test_two_stories_side_by_side_and_a_headline_under_its_story() -> None:
    left = story_a(40, 80)
    right_x = 40 + 3 * (COL_W + 10)
    body = column(
        right_x,
        80,
        [
            "（上接第1版）会上，与会",
            "人员分析原因、商讨对策。",
            "王波认真听取发言后，表示",
            "肯定。 | 记者 徐超超",
        ],
        {2},
    )
    under = [head(right_x, 80 + 4 * PITCH + 8, "增强紧迫感", 22)]
    articles = segment_page(page(left, body, under)).articles
    assert [a.title for a in articles] == ["全力以赴稳经济", "增强紧迫感"]
    second = articles[1]
    assert second.continued_from_page == 1 and second.authors == ("徐超超",)
    assert second.body == "会上，与会人员分析原因、商讨对策。\n王波认真听取发言后，表示肯定。"


def test_captions_and_teaser_boxes_are_fragments_not_articles() -> None:
    story = story_a(40, 300)
    photo = Box(40, 80, 300, 240)
    caption = TextLine("图为会议现场。", Box(40, 244, 40 + 7 * 7.5, 253), 7.5)
    frame = Box(500, 80, 760, 160)
    teaser = [
        head(510, 86, "导读", 12),
        *column(510, 110, ["●数字乡村发展研讨会 2版", "●军事日活动 3版"], set()),
    ]
    layout = segment_page(page(story, caption, teaser, pictures=(photo,), frames=(frame,)))
    assert [a.title for a in layout.articles] == ["全力以赴稳经济"]
    assert "图为会议现场。" in layout.fragments
    assert any(f.startswith("导读●数字乡村") for f in layout.fragments)
    assert "图为" not in layout.articles[0].body


def _kai(x: float, y: float, text: str, size: float = BODY) -> TextLine:
    """A line in the stories' own face (`K`, 楷体) and size."""
    return TextLine(text, Box(x, y, x + len(text) * size, y + 1.2 * size), size, font="K")


def _kai_story(x: float, y: float, lines: list[str]) -> list[TextLine]:
    return [head(x, y, "全力以赴稳经济", 22)] + [_kai(x, y + 40 + i * PITCH, t) for i, t in enumerate(lines)]


KAI_BODY = [
    "昨天上午，县委书记敖煜新带队",
    "走访企业、项目，调研二季度经",
    "济运行情况。他强调，要全力以",
    "赴稳经济，用心用情优服务。",
]


@pytest.mark.parametrize("credit_row", [["（记者 董华 摄）"], ["新华社记者", "徐 昱摄"]])
def test_a_caption_in_the_stories_own_face_is_told_by_its_place_and_credit(credit_row: list[str]) -> None:
    """Where the stories are set in the caption's face and size (楷体 stories on a theory page), the lines
    stacked right under a picture on its measure that close with a picture credit are its caption, whether the
    credit is one run or two on a row of its own (`新华社记者` / `徐 昱摄`, in other faces)."""
    story = _kai_story(40, 80, KAI_BODY * 3)
    photo = Box(300, 80, 520, 230)
    caption = [_kai(310, 234, "图为调研现场，企业负责人介绍"), _kai(310, 234 + PITCH, "生产情况。")]
    x, row = 400.0, []
    for part in credit_row:
        row.append(TextLine(part, Box(x, 234 + 2 * PITCH, x + len(part) * BODY, 245 + 2 * PITCH), BODY, font="S"))
        x += len(part) * BODY + 4
    layout = segment_page(page(story, caption, row, pictures=(photo,)))
    assert [a.title for a in layout.articles] == ["全力以赴稳经济"]
    assert "图为" not in layout.articles[0].body and "摄" not in layout.articles[0].body
    assert any(f.startswith("图为调研现场") for f in layout.fragments)


def test_text_under_an_inset_picture_ending_on_a_credit_word_stays_the_story_s() -> None:
    """Text of the story under an inset picture, on the picture's measure, whose line happens to end on `摄`
    (`…拍摄`) with no finished sentence before it, is no caption: it reads on in the story."""
    above = [_kai(40, 80 + i * PITCH, t) for i, t in enumerate(KAI_BODY)]
    photo = Box(40, 80 + 4 * PITCH, 40 + 14 * BODY, 80 + 4 * PITCH + 100)
    y = photo.y1 + 4
    under = ["会上播放了由县融媒体中心拍摄", "的专题片，回顾一年来的工作。"]
    lines = [head(40, 40, "全力以赴稳经济", 22), *above] + [_kai(40, y + i * PITCH, t) for i, t in enumerate(under)]
    (article,) = segment_page(page(lines, pictures=(photo,))).articles
    assert article.body.endswith("会上播放了由县融媒体中心拍摄的专题片，回顾一年来的工作。")


@pytest.mark.parametrize(
    ("byline", "size", "authors"), [("陈宝生", 10.5, ("陈宝生",)), ("本报记者 董华 姚海翔", BODY, ("董华", "姚海翔"))]
)
def test_a_title_and_its_byline_are_not_parted_from_the_text_under_them(
    byline: str, size: float, authors: tuple[str, ...]
) -> None:
    """A title with its byline centred under it (a commentary's author's bare name in a larger size, `陈宝生`, or
    a whole byline in body type), the text starting three sizes lower: a title and its byline with no text are no
    story, so no cut parts them from the text, even where a chart's title with no text of its own (a headline
    over a picture) stands below and could claim it."""
    title = head(120, 80, "优先发展教育事业", 30)
    name = TextLine(byline, Box(190, 124, 190 + len(byline) * size, 124 + 1.2 * size), size, font="K")
    texts = [
        "百年大计，教育为本。报告围绕优",
        "先发展教育事业作出新的部署。",
        "党的十八大以来，教育改革发展取",
        "得显著成就，人民满意度提升。",
    ]
    body = column(40, 160, texts, {0, 2}) + column(40 + COL_W + 10, 160, texts[::-1], {1, 3})
    below = [head(40, 260, "履行历史使命", 22), *column(40, 292, texts, {0})]
    chart = [head(320, 262, "全面从严治党深入推进", 13)]
    picture = Box(320, 282, 520, 400)
    articles = segment_page(page(title, name, body, below, chart, pictures=(picture,))).articles
    first = next(a for a in articles if a.title == "优先发展教育事业")
    assert first.authors == authors
    assert first.body.startswith("百年大计，教育为本。")
    assert not any(a.title == "全面从严治党深入推进" and "百年大计" in a.body for a in articles)


BOXED = [
    "今年以来，我县持续推进老旧小",
    "区加装电梯工作，已有四十二台",
    "电梯投入使用，惠及居民一千余",
    "户。",
    "据介绍，县住建局会同各镇（街",
    "道）建立了一梯一档，从意见征",
    "集、方案设计到施工验收全程跟",
    "进，群众满意度持续提升。",
    "下一步，我县将加快推进剩余",
    "项目，让更多居民上下楼不再难。",
]


def test_a_story_set_in_a_box_is_an_article_and_a_teaser_box_beside_it_is_not() -> None:
    """A frame holding a headline and a body of some length is a boxed story, read like any other; a frame
    holding a short list (a teaser) stays a fragment, even next to it."""
    story = story_a(40, 400)
    boxed = [head(520, 90, "加装电梯惠民生", 16), *column(510, 120, BOXED, {0, 4, 8})]
    box = Box(500, 80, 510 + COL_W + 12, 120 + len(BOXED) * PITCH + 8)
    teaser_frame = Box(40, 80, 300, 160)
    teaser = [head(50, 86, "导读", 12), *column(50, 110, ["●数字乡村发展研讨会 2版", "●军事日活动 3版"], set())]
    layout = segment_page(page(story, boxed, teaser, frames=(box, teaser_frame)))
    by_title = {a.title: a for a in layout.articles}
    assert set(by_title) == {"全力以赴稳经济", "加装电梯惠民生"}
    paragraphs = by_title["加装电梯惠民生"].body.split("\n")
    assert paragraphs[0].startswith("今年以来，我县持续推进老旧小区加装电梯工作") and paragraphs[0].endswith("户。")
    assert len(paragraphs) == 3 and paragraphs[-1].endswith("上下楼不再难。")
    assert any(f.startswith("导读●数字乡村") for f in layout.fragments)
    assert not any("导读" in a.body or "军事日" in a.body for a in layout.articles)


BRIEF = [
    "本报讯 昨天，县气象局发布",
    "高温预警，提醒市民注意防",
    "暑降温。",
    "据介绍，本周最高气温将达",
    "三十七摄氏度。",
]


@pytest.mark.parametrize("gap", [2, 10])
def test_an_untitled_brief_opened_by_a_dateline_lead_is_a_story_of_its_own(gap: int) -> None:
    """A short item with no headline (简讯) under another story's column, opened by `本报讯`: its own untitled
    article, not pasted into the story above (whose column it shares)."""
    story = [
        head(94, 80, "全力以赴稳经济", 22),
        *column(40, 112, [*STORY_A[1:], "走访中，他要求各部门"], {0, 3}),
        *column(176, 112, STORY_A2[:2], set()),
    ]
    top = 112 + len(STORY_A) * PITCH + gap * BODY
    layout = segment_page(page(story, column(40, top, BRIEF, {0, 3})))
    main, brief = layout.articles
    assert main.title == "全力以赴稳经济" and "气象局" not in main.body
    assert main.body.endswith("并与企业负责人座谈交流。")
    assert brief.title == "" and brief.body.split("\n") == [
        "本报讯 昨天，县气象局发布高温预警，提醒市民注意防暑降温。",
        "据介绍，本周最高气温将达三十七摄氏度。",
    ]


def test_a_bold_deck_only_a_little_larger_is_part_of_the_headline() -> None:
    lines = story_a(40, 80)
    deck = lines[2]
    lines[2] = TextLine(deck.text, deck.box, BODY * 1.1, bold=True)  # the subtitle set in bold, barely larger
    (article,) = segment_page(page(lines)).articles
    assert article.subtitle == "推动经济持续向好" and "推动经济" not in article.body


def test_a_headline_beside_its_story_does_not_claim_the_story_above_it(tmp_path: Path) -> None:
    """The generated page that motivated the rule (tuning seed 102, page 1): a story with its headline beside it
    over four columns; under its right half another headline, set beside its own columns, with a teaser box on
    its left. The lower headline governs the text level with it on its right, not the upper story's columns
    that happen to stand above it (it was 0.63: the upper story's text went to the wrong headline)."""
    pdf = make_day(102, tmp_path)[0]
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    layout = pdf_layout(pdf.read_bytes(), "dqnews", DEFAULT_DATE, 1)
    assert score_page([x.to_json() for x in layout.articles], truth["articles"]).total == 1.0
