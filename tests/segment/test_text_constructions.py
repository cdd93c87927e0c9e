"""The text path on dumps of pages built the other way: fake bold emitted as overlapping lines, bylines broken
over two lines, paragraphs marked by ideographic spaces; on hand-written dumps and on PyMuPDF's text of pages of
the second generator."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest

from pipeline.checks.evaluate import score_page
from pipeline.segment.text import segment_text
from pipeline.segment.text.blocks import reordered
from pipeline.segment.text.columns import untangled
from pipeline.segment.text.lines import read_lines
from tests.conftest import SAMPLE_PAGE
from tests.fixtures.make_pages import Story, load_stories
from tests.fixtures.make_pages2 import make_page2, wrap

BODY = [
    "昨天上午，县委书记敖煜新带队走访企",
    "业、项目，调研二季度经济运行情况。",
    "\u3000\u3000敖煜新一行先后来到浙江德清华丝纺",
    "织有限公司等企业，详细了解生产运营。",
]


def test_fake_bold_as_overlapping_lines_is_one_bold_line() -> None:
    """`A` / `A B` / `B`: the copy of a fake-bold title cut into other runs than the original comes out as
    overlapping lines; they read as one bold line."""
    lines = read_lines("\n".join(["新使命", "新使命：中国共产党的历史担当", "中国共产党的历史担当", *BODY]))
    assert lines[0].text == "新使命：中国共产党的历史担当" and lines[0].bold
    assert not any(x.text in ("新使命", "中国共产党的历史担当") for x in lines)


@pytest.mark.parametrize("heading", ["敖煜新指出", "◆敖煜新指出", "二、敖煜新一行先后"])
def test_an_intertitle_printed_twice_stays_before_the_paragraph_it_opens(heading: str) -> None:
    """A fake-bold intertitle printed twice in a row (`A` / `A`) over a paragraph that opens with the same words
    (`敖煜新指出` / `敖煜新指出` / `敖煜新指出，当前…`): the pair is one bold line, the intertitle, and the
    paragraph keeps its text; the intertitle is not taken as a partial copy of the paragraph's first line."""
    words = heading.lstrip("◆").split("、")[-1]
    para = [f"\u3000\u3000{words}，当前全县经济社会发展延续稳的", "态势，向好因素累积增多。"]
    dump = "\n".join(["全力以赴稳经济 用心用情优服务", *BODY, heading, heading, *para])
    (article,) = segment_text(dump).articles
    paras = article.body.split("\n")
    assert heading in paras and paras[paras.index(heading) + 1].startswith(f"{words}，当前")


def test_broken_bylines_and_ideographic_paragraphs() -> None:
    """`　　本报记者` / `董华 姚海翔` is one byline; a line opened by ideographic spaces opens a paragraph."""
    dump = "\n".join(["全力以赴稳经济 用心用情优服务", "\u3000\u3000本报记者", "董华 姚海翔", *BODY])
    (article,) = segment_text(dump).articles
    assert article.title == "全力以赴稳经济 用心用情优服务"
    assert list(article.authors) == ["董华", "姚海翔"]
    assert article.body.split("\n")[1].startswith("敖煜新一行先后来到")


def test_dumps_of_second_generator_pages_keep_bylines(tmp_path: Path) -> None:
    """PyMuPDF's text of pages in stream order with bylines in body type (indented or not, broken or not): the
    authors are found for most stories."""
    found = total = 0
    for seed in range(50_000, 50_040):
        pdf = make_page2(seed, tmp_path / f"{seed}.pdf")
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        if "order=natural" not in truth["constructions"]:
            continue
        with pymupdf.open(pdf) as doc:
            layout = segment_text(str(doc[0].get_text()), page=truth["page"])
        got = {n for a in layout.articles for n in a.authors}
        want = {n for a in truth["articles"] for n in a["authors"]}
        found, total = found + len(got & want), total + len(want)
    assert total and found / total >= 0.9


def _body(n: int, first: str = "昨天上午，县委书记敖煜新带队走访企") -> list[str]:
    """n body lines of one paragraph after `first`, the last ending the paragraph."""
    rest = [
        "业、项目，调研二季度经济运行情况，",
        "详细了解今年以来生产运营和产品研发",
        "等情况，倾听企业实际需求与困难。",
    ]
    return [first, *rest[: max(0, n - 1)]]


def test_letter_spaced_lines_lose_their_spaces() -> None:
    """A justified line whose glyphs stand apart comes out of pdftotext with a space after every character; it
    reads as the line printed, whether indented by ideographic spaces or not. Phrases set apart stay apart."""
    lines = read_lines("\n".join(["\u3000\u3000敖 煜 新 一 行 先 后 来 到 浙", "江 德 清 华 丝 纺 织 有 限 公 司 。"]))
    assert [x.text for x in lines] == ["敖煜新一行先后来到浙", "江德清华丝纺织有限公司。"] and lines[0].ideo
    assert read_lines("增强紧迫感 找准发力点")[0].text == "增强紧迫感 找准发力点"


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("效 的 国 家 污 染 物 排 放（控 制）标 准 达", "效的国家污染物排放（控制）标准达"),
        ("想 、贯 彻 新 发 展 理 念 、牢 牢 把 握 我 国 发", "想、贯彻新发展理念、牢牢把握我国发"),
        ("160 余 项 ，对 重 点 地 区 重 点 行 业 执 行 更", "160余项，对重点地区重点行业执行更"),
    ],
)
def test_spread_lines_lose_their_spaces_whatever_punctuation_abuts(raw: str, printed: str) -> None:
    """pdftotext writes no space beside a full-width mark (its glyph box holds its own white), so in a spread
    line the gaps between ideographs tell: `（控 制）` is spread out like the rest of its line."""
    assert read_lines(raw)[0].text == printed
    assert read_lines("陈健 陈亦平 王剑峰 李 明")[0].text == "陈健 陈亦平 王剑峰 李 明"  # names set apart stay apart


def test_a_spread_line_of_text_is_no_headline() -> None:
    """A spread body line with brackets in it (a real 人民日报 column, as pdftotext writes it) stays in its
    paragraph: before, its spaces read as a headline's phrase gaps and it became a story's title."""
    dump = "\n".join(
        [
            "强化排污者责任",
            "本报记者 董华 姚海翔",
            "提高污染排放标准。我国现行有",
            "效 的 国 家 污 染 物 排 放（控 制）标 准 达",
            "160 余 项 ，对 重 点 地 区 重 点 行 业 执 行 更",
            "加严格的污染物排放限值，在促进技术",
            "创新和推动企业升级改造方面发挥着",
            "重要作用。",
        ]
    )
    (article,) = segment_text(dump).articles
    assert article.title == "强化排污者责任"
    assert "效的国家污染物排放（控制）标准达160余项" in article.body


def test_page_headers_of_other_papers_are_furniture() -> None:
    """A 人民日报 header (name / date / `5 民生`) and a 光明日报 one (name / `date 第3版 | 理论`) are no story and
    give no headline."""
    for header in (["人民日报", "2023年5月25日 星期四", "5 民生"], ["光明日报", "2023年5月25日 星期四 第3版 | 理论"]):
        dump = "\n".join([*header, "全力以赴稳经济 用心用情优服务", "本报记者 董华 姚海翔", *_body(4)])
        (article,) = segment_text(dump).articles
        assert article.title == "全力以赴稳经济 用心用情优服务" and not article.kicker and not article.subtitle


@pytest.mark.parametrize(
    "header",
    [
        ["德清新闻", "2023年5月25日  星期四", "编辑：沈佳", "文化", "08"],
        ["德清新闻", "2023年5月25日  星期四", "责任编辑：沈佳", "第8版"],
        ["安吉新闻", "2023年5月25日 星期四", "08", "要闻"],
        ["第3版", "文化", "2023年5月25日 星期四  责任编辑：王洁"],
    ],
)
def test_a_county_papers_header_parts_after_its_date_are_furniture(header: list[str]) -> None:
    """A county paper's masthead header sets its parts side by side, and a dump gives them one per line after the
    date (or after the `第3版` line): the page's editor (`编辑：沈佳`), its name and its number, in any order. None of them is a byline, a
    kicker or a story; the story under the header keeps its kicker, title and authors."""
    kicker, title = "敖煜新在平台、镇(街道)一把手工作例会上强调", "张张叶子动起来  层层责任强落实"
    dump = "\n".join([*header, kicker, title, "本报记者 董华 姚海翔", *_body(4)])
    (article,) = segment_text(dump).articles
    # (the title's double phrase gap, as the dump sets it, reads as one space: `normalize.tidy_headline`)
    assert (article.kicker, article.title) == (kicker, "张张叶子动起来 层层责任强落实")
    assert list(article.authors) == ["董华", "姚海翔"] and not article.body.startswith(("文化", "08", "要闻"))


@pytest.mark.parametrize("caption", [["图为调研现场。（记者 徐超超 摄）"], ["图为调研现场。本报记者 徐", "超超 摄"]])
def test_a_photo_caption_between_a_plain_headline_and_its_text(caption: list[str]) -> None:
    """After a story closed by its bracketed byline, a plain headline (no weight, no punctuation) printed over
    the next story's photo: its caption stands between the headline and the story's first line (`昨天上午，…`).
    The headline is the next story's title, not text of the story before it."""
    first = ["梳理德清模式 总结浙江经验", "本报记者 沈烨冰", *_body(4), "（记者 沈烨冰）"]
    second = ["增强紧迫感", "找准发力点", *caption, *_body(4), "文/图 本报记者 徐超超 蔡俊"]
    one, two = segment_text("\n".join([*first, *second])).articles
    assert one.title == "梳理德清模式 总结浙江经验" and list(one.authors) == ["沈烨冰"]
    assert two.title == "增强紧迫感 找准发力点" and list(two.authors) == ["徐超超", "蔡俊"]
    assert "增强紧迫感" not in two.body and "图为调研现场" not in two.body


@pytest.mark.parametrize(
    ("head", "want"),
    [
        (
            ["增强紧迫感  找准发力点", "增强紧迫感  找准发力点", "以强大合力推动工作取得新进展新成效"],
            (None, "增强紧迫感 找准发力点", "以强大合力推动工作取得新进展新成效"),
        ),
        (
            [
                "王波在王波在““环浙工大环浙工大””工作例会上强调工作例会上强调",
                "增强紧迫感  找准发力点",
                "增强紧迫感  找准发力点",
                "以强大合力推动工作取得新进展新成效",
            ],
            ("王波在“环浙工大”工作例会上强调", "增强紧迫感 找准发力点", "以强大合力推动工作取得新进展新成效"),
        ),
        (
            ["王波在王波在““环浙工大环浙工大””工作例会上强调工作例会上强调", "增强紧迫感 找准发力点"],
            ("王波在“环浙工大”工作例会上强调", "增强紧迫感 找准发力点", None),
        ),
    ],
)
def test_a_bold_couplet_over_a_plain_line_is_the_title(head: list[str], want: tuple[str | None, ...]) -> None:
    """A couplet (two phrases of one length set apart, 对仗) is how a title reads: printed bold (twice) over a
    plain line, it is the title and the plain line its deck. A bold kicker that is no couplet over a plain
    title (the way 德清新闻 sets them) keeps its place."""
    dump = "\n".join([*head, "本报记者 董华 姚海翔", *_body(4)])
    (article,) = segment_text(dump).articles
    assert (article.kicker, article.title, article.subtitle) == want


@pytest.mark.parametrize("caption", [[], ["图为签约仪式现场。本报记者 董华 摄"]])
def test_a_plain_headline_of_seven_lines_over_its_story(caption: list[str]) -> None:
    """A kicker and a title each wrapped over two lines and a deck over three, all plain, between a finished
    story and the next story's lead (a caption may stand between): one headline group of the next story."""
    first = ["梳理德清模式 总结浙江经验", "本报记者 沈烨冰", *_body(4)]
    head = ["敖煜新在平台、镇(街道)", "一把手工作例会上强调", "张张叶子动起来", "层层责任强落实"]
    deck = ["奋力当好建设生态文明典范", "城市排头兵 王波主持", "陈健陈亦平王剑峰等参加"]
    second = [*head, *deck, *caption, *_body(4, "昨天下午，平台、镇（街道）一把手工")]
    one, two = segment_text("\n".join([*first, *second])).articles
    assert one.title == "梳理德清模式 总结浙江经验" and "敖煜新在平台" not in one.body
    assert two.body.startswith("昨天下午")
    assert "".join((two.kicker or "").split()) == "敖煜新在平台、镇(街道)一把手工作例会上强调"
    assert two.title == "张张叶子动起来 层层责任强落实" and "王波主持" in (two.subtitle or "")


@pytest.mark.parametrize(
    "before", [[], ["上一篇文章的最后一段文字，", "到此结束。", "（作者为中共河北省纪委副书", "记）"]]
)
@pytest.mark.parametrize(
    ("head", "want"),
    [
        (["决定党的建设方向和效果", "把党的政治建设摆在首位"], ("决定党的建设方向和效果", "把党的政治建设摆在首位")),
        (
            ["实现从配合到融合的转变", "党建工作应与中心工作有机结合"],
            ("实现从配合到融合的转变", "党建工作应与中心工作有机结合"),
        ),
        (["全力以赴稳经济", "用心用情优服务"], (None, "全力以赴稳经济 用心用情优服务")),
    ],
)
def test_two_plain_lines_over_an_authors_bare_name_are_kicker_and_title(
    before: list[str], head: list[str], want: tuple[str | None, str]
) -> None:
    """A commentary on a theory page is signed by its author's bare name under its headline, the headline set
    as a kicker (引题) over the title (a deck would open with a dash): with no weight in the dump, the first of
    two plain lines over the name is the kicker. Two short phrases of one length, one per line, stay one
    title."""
    dump = "\n".join([*before, *head, "吕永志", *_body(4)])
    article = segment_text(dump).articles[-1]
    assert (article.kicker, article.title) == want and list(article.authors) == ["吕永志"]
    assert article.subtitle is None


@pytest.mark.parametrize(
    "picture",
    [
        [
            "当前，人们对美好生态环境的要求日益增长。图为专职保",
            "洁人员在浙江省湖州市长兴县的河道内进行河道护理巡查。",
            "新华社记者",
            "徐",
            "昱摄",
        ],
        ["翟桂溪作（新华社发）"],
        ["数据来源：国家统计局", "本版制图：李姿阅"],
    ],
)
def test_picture_furniture_between_stories_is_no_story(picture: list[str]) -> None:
    """Between two stories: a caption that opens with a sentence on the scene, its `图为…` sentence broken over
    two lines and its credit letter-spaced into short lines (`新华社记者` / `徐` / `昱摄`); a cartoon's maker and
    agency (`翟桂溪作（新华社发）`); a chart's source and credit lines. None of it is a story, a byline or a
    story's text."""
    first = ["梳理德清模式 总结浙江经验", "本报记者 沈烨冰", *_body(4)]
    second = ["全力以赴稳经济 用心用情优服务", "本报记者 董华 姚海翔", *_body(4, "昨天下午，平台、镇（街道）一把手工")]
    layout = segment_text("\n".join([*first, *picture, *second]))
    assert [a.title for a in layout.articles] == ["梳理德清模式 总结浙江经验", "全力以赴稳经济 用心用情优服务"]
    assert [list(a.authors) for a in layout.articles] == [["沈烨冰"], ["董华", "姚海翔"]]
    assert not any(w in a.body for a in layout.articles for w in ("图为", "昱摄", "新华社", "来源", "制图"))


def test_headlines_broken_by_a_narrow_frame_are_rejoined() -> None:
    """A kicker and a title each broken wherever a narrow frame was full: lines of equal width, or a word running
    across the break, are one part; the kicker's `…强调` closes it."""
    kicker = ["敖煜新在调研二", "季度经济运行情", "况时强调"]
    for title in (["4个高层次人", "才创业项目签", "约落户高新区"], ["梳理德清模式 总结浙江经", "验"]):
        dump = "\n".join([*kicker, *title, "本报记者 董华 姚海翔", *_body(4)])
        (article,) = segment_text(dump).articles
        assert article.kicker == "敖煜新在调研二季度经济运行情况时强调"
        assert article.title.replace(" ", "") == "".join(title).replace(" ", "")


def test_intertitles_stay_in_their_story() -> None:
    """A short heading line between two paragraphs of a running story (opened by a byline, or closed by one at
    its end) is a paragraph of its body, printed as a bold double or plain; a heading after a story's closing
    byline opens a new story."""
    second = _body(4, "敖煜新一行先后来到浙江德清华丝纺")
    for heading in (["品质为支撑", "品质为支撑"], ["主动作为"]):
        opened = ["全力以赴稳经济 用心用情优服务", "本报记者 董华 姚海翔", *_body(4), *heading, *second]
        closed = ["全力以赴稳经济 用心用情优服务", *_body(4), *heading, *second, "（记者 董华 姚海翔）"]
        for dump in (opened, closed):
            (article,) = segment_text("\n".join(dump)).articles
            assert article.body.split("\n")[1] == heading[0]
            assert list(article.authors) == ["董华", "姚海翔"]
    two = ["全力以赴稳经济 用心用情优服务", *_body(4), "（记者 董华 姚海翔）", "品质为支撑", *second]
    assert len(segment_text("\n".join(two)).articles) == 2


def test_editor_notes_open_their_story() -> None:
    """An editor's note (`编者按：…`, signed `——编  者` or `——编者`) under a headline of several narrow lines is
    the head of that story's body, after a story that ended, whether or not the next story's byline is there."""
    head = ["王波在“环浙工", "大创新经济圈”", "工作例会上强调", "增强紧迫感", "找准发力", "点"]
    note = [
        "编者按：会上，“环浙工大创新经济圈”",
        "领导小组办公室、高新区、莫干山研究",
        "院等单位分别汇报了有关工作情况。",
    ]
    for sign, byline in (("——编  者", []), ("——编者", ["本报记者 徐超超 蔡俊"])):
        dump = [
            *_body(4),
            "（记者 董华 姚海翔）",
            *head,
            *note,
            sign,
            *byline,
            *_body(4, "昨天上午，县委副书记王波在会上强调"),
        ]
        first, second = segment_text("\n".join(dump)).articles
        assert list(first.authors) == ["董华", "姚海翔"]
        assert second.title.replace(" ", "") == "增强紧迫感找准发力点"
        assert second.kicker == "王波在“环浙工大创新经济圈”工作例会上强调"
        paras = second.body.split("\n")
        assert paras[0].startswith("编者按") and paras[1] == sign and paras[2].startswith("昨天上午")


def test_a_column_broken_mid_sentence_goes_on_where_its_sentence_does() -> None:
    """Blocks apart by blank lines (as pdftotext writes them): a story's column that breaks off mid-sentence goes
    on in the block that takes the sentence up (full width, no lead), even when another story's block came
    between, and whether the word runs across the break (`工` / `作`) or the block simply follows."""
    a1 = ["全力以赴稳经济 用心用情优服务", "本报记者 董华 姚海翔", *_body(3), "业做大做强，实现发展新跨越，落实工"]
    b = [
        "县领导开展“军事日”活动",
        "本报记者 徐超超",
        "昨天下午，县委书记、县人武部党委第",
        "一书记敖煜新带领各镇负责人开展活动。",
    ]
    a2 = ["作建议。高新区投促局、钟管镇、雷甸", "镇、综合行政执法局和有关部门发言。"]
    for dump in ([*a1, "", *b, "", *a2], [*a1[:-1], "业做大做强，实现发展新跨越，不断推", "", *a2, "", *b]):
        first, second = segment_text("\n".join(dump)).articles
        assert first.title == "全力以赴稳经济 用心用情优服务" and first.body.endswith("有关部门发言。")
        assert second.body.startswith("昨天下午") and list(second.authors) == ["徐超超"]
    # blocks in drawing order: the continuation can come before the column it continues
    story_b, story_a = segment_text("\n".join([*a2, "", *b, "", *a1])).articles
    assert story_a.body.endswith("有关部门发言。") and story_b.body.startswith("昨天下午")
    plain = [*a1, *b, *a2]  # no blocks, or a blank line after every line: the order stays
    assert reordered(plain) == plain
    assert reordered([y for x in plain for y in (x, "")]) == [y for x in plain for y in (x, "")]


def test_headline_parts_of_one_weight() -> None:
    """Fake-bold lines doubled in the dump: a kicker `…强调` over a title, both bold, is still a kicker; a bold
    title broken into lines of equal count (`县领导开展` / `“军事日”` / `活动`) or ending in a lone character whose
    copy the extractor merged (`…落户高新` twice / `区`) is one title."""
    cases = (
        (
            ["敖煜新在调研二季度经济运行情况时强调"] * 2 + ["全力以赴稳经济 用心用情优服务"] * 2,
            "全力以赴稳经济 用心用情优服务",
        ),
        (["县领导开展", "县领导开展", "“军事日”", "“军事日”", "活动", "活动"], "县领导开展“军事日”活动"),
        (["4个高层次人才创业项目签约落户高新"] * 2 + ["区"], "4个高层次人才创业项目签约落户高新区"),
    )
    for head, title in cases:
        (article,) = segment_text("\n".join([*head, "本报记者 董华 姚海翔", *_body(4)])).articles
        assert article.title.replace(" ", "") == title.replace(" ", "")
        assert article.kicker == ("敖煜新在调研二季度经济运行情况时强调" if "强调" in head[0] else None)


def test_a_caption_between_a_headline_and_its_byline() -> None:
    """A photo caption printed between a story's headline and its byline (the picture under the title) stands
    anywhere: the plain title before it still heads the story, for a `图为…` caption and for a credit `… 摄`."""
    for caption in ("图为签约现场。 通讯员 摄", "县领导在活动现场。 记者 沈洁 摄"):
        dump = [*_body(4), "（记者 倪忆雪）", "县领导开展“军事日”活动", caption, "本报记者 徐超超 姚海翔", *_body(4)]
        first, second = segment_text("\n".join(dump)).articles
        assert list(first.authors) == ["倪忆雪"] and second.title == "县领导开展“军事日”活动"
        assert list(second.authors) == ["徐超超", "姚海翔"]


def test_one_character_lines_are_the_lines_they_were_printed_as() -> None:
    """Characters standing far apart come out one per line: an upright title read top to bottom, and a spread-out
    column whose paragraph indents are ideographic spaces on lines of their own; both read as printed lines."""
    upright = list("县领导开展军事日活动")
    (article,) = segment_text("\n".join([*upright, "本报记者 徐超超", *_body(4)])).articles
    assert article.title == "县领导开展军事日活动"
    spread = [
        "\u3000",
        "\u3000",
        *"编者按：会上，各单位分别汇报了工作情况。",
        "\u3000",
        "\u3000",
        *"王波强调，要坚持大局。",
    ]
    assert [x.text for x in read_lines("\n".join(spread))] == [
        "编者按：会上，各单位分别汇报了工作情况。",
        "王波强调，要坚持大局。",
    ]
    assert all(x.ideo for x in read_lines("\n".join(spread)))


def test_a_headline_right_above_a_lead_marked_by_ideographic_spaces() -> None:
    """No byline between a headline and its story (the byline closes it): the story's first paragraph, opened
    by ideographic spaces and reading like a lead, ends the headline, however many lines the headline takes and
    however near the column's width its lines come."""
    head = ["梳理德清模式", "总结浙江经验", "——数字乡村发展研讨会", "暨浙江省信息化智库联盟", "专家行在我县召开"]
    column = [
        "研讨会暨浙江省信息化智库联",
        "盟专家行在德清召开。会上，",
        "不仅梳理了德清模式，总结了",
        "浙江经验，谋划下一步发展。",
    ]
    for lead in ("\u3000\u30005月24日，数字乡村发展", "\u3000\u3000昨天上午，数字乡村发"):
        dump = [*_body(4), "\u3000\u3000县领导毕长征参加。", *head, lead, *column, "（记者 沈烨冰）"]
        first, second = segment_text("\n".join(dump)).articles
        assert first.body.endswith("县领导毕长征参加。") and second.title == "梳理德清模式 总结浙江经验"
        assert second.subtitle == "数字乡村发展研讨会暨浙江省信息化智库联盟专家行在我县召开"
        assert list(second.authors) == ["沈烨冰"]


def test_header_dates_with_spaced_digits_are_furniture() -> None:
    """Digits set in a Latin font come out of extractors with spaces beside them and the weekday glued on
    (`2018 年1 月3 日星期三`): the header's date line still, above it the page number and name are furniture."""
    for header in (["7 理论", "理论", "2018 年1 月3 日星期三"], ["人民日报", "2023 年 5 月 25 日 星期四", "5 民生"]):
        dump = "\n".join([*header, "全力以赴稳经济 用心用情优服务", "本报记者 董华 姚海翔", *_body(4)])
        (article,) = segment_text(dump).articles
        assert article.title == "全力以赴稳经济 用心用情优服务" and not article.kicker and not article.subtitle
        assert "理论" not in article.body and "星期" not in article.body


def test_an_authors_note_is_the_last_paragraph_of_the_story_it_signs() -> None:
    """`（作者为…）` / `（作者单位：…）`, on one line or wrapped over several, ends its story's body as a paragraph of
    its own, never a headline, and the story after it starts afresh under its own headline."""
    notes = (["（作者为中央党史研究室原副", "主任）"], ["（作者单位：西南政法大学）"])
    for note in notes:
        dump = [
            "全力以赴稳经济 用心用情优服务",
            "本报记者 董华 姚海翔",
            *_body(4),
            *note,
            "增强紧迫感 找准发力点",
            "本报记者 徐超超 蔡俊",
            *_body(4, "昨天上午，县委副书记王波在会上强调"),
        ]
        first, second = segment_text("\n".join(dump)).articles
        assert first.body.split("\n")[-1] == "".join(note)
        assert first.title == "全力以赴稳经济 用心用情优服务" and second.title == "增强紧迫感 找准发力点"
        assert list(second.authors) == ["徐超超", "蔡俊"] and "作者" not in second.body


def _second_body() -> list[str]:
    return [
        "昨天下午，县委副书记王波在会上强调，",
        "要增强紧迫感，找准发力点，推动创新经",
        "济圈建设取得新成效。",
    ]


def test_a_page_whose_stream_sets_headlines_after_their_text() -> None:
    """Text first, then its headline and byline (as 方正 exports of 人民日报 draw a story), on every story of the
    page: each headline group and names-only byline go to the text before them, and a heading inside the page's
    first story (which opens the page without a headline) stays in its body. Bylines of one name and of a
    two-character name set apart (`周 江`)."""
    first = [*_body(4), "主动作为", *_body(4, "敖煜新一行先后来到浙江德清华丝纺"), "（作者为县委党校研究员）"]
    for names, authors in (("李忠杰", ["李忠杰"]), ("周 江", ["周江"])):
        dump = [
            *first,
            *["全力以赴稳经济 用心用情优服务"] * 2,  # fake bold: the line drawn twice
            names,
            *_second_body(),
            *["增强紧迫感 找准发力点"] * 2,
            "何民捷",
        ]
        one, two = segment_text("\n".join(dump)).articles
        assert one.title == "全力以赴稳经济 用心用情优服务" and list(one.authors) == authors
        assert "主动作为" in one.body.split("\n") and one.body.endswith("（作者为县委党校研究员）")
        assert two.title == "增强紧迫感 找准发力点" and list(two.authors) == ["何民捷"]
        assert two.body.startswith("昨天下午") and names not in two.body


def test_headlines_above_their_text_keep_their_order() -> None:
    """The usual order, headline then byline then text, is left as it was: the page opens with a headline."""
    dump = [
        "全力以赴稳经济 用心用情优服务",
        "本报记者 李忠杰",
        *_body(4),
        "增强紧迫感 找准发力点",
        "本报记者 徐超超 蔡俊",
        *_second_body(),
    ]
    one, two = segment_text("\n".join(dump)).articles
    assert one.title == "全力以赴稳经济 用心用情优服务" and one.body.startswith("昨天上午")
    assert two.title == "增强紧迫感 找准发力点" and list(two.authors) == ["徐超超", "蔡俊"]


# --- side-by-side columns in one block (pdftotext's default mode) ----------------------------------------------


def _column_lines(paragraphs: tuple[str, ...], cpl: int = 13) -> list[str]:
    """A story's paragraphs set solid in a column of `cpl` characters, no line opening with `，。、`… (an
    extractor drops the indent)."""
    return [line for p in paragraphs for line, _full in wrap(p, cpl, 0)]


def _balanced(lines: list[str], n: int) -> list[list[str]]:
    """The lines down n columns, each as long as the others, the last one shorter (as typesetters set them)."""
    per = -(-len(lines) // n)
    return [lines[k * per : (k + 1) * per] for k in range(n)]


def _joined(columns: list[list[str]]) -> list[str]:
    """Columns whose lines share baselines, as one block: each baseline's lines joined by one space."""
    rows = max(len(c) for c in columns)
    return [" ".join(c[k] for c in columns if k < len(c)) for k in range(rows)]


def _solid(text: str) -> str:
    return "".join(text.split())


def _story(key: str) -> Story:
    return next(s for s in load_stories() if s.key == key)


def test_columns_joined_on_one_line_are_read_column_by_column() -> None:
    """Two or three columns of one story that share baselines come out as lines of each column's line joined by
    one space; the body reads column after column, and the byline atop the first column is found."""
    story = _story("jingji")
    for n in (2, 3):
        columns = _balanced(_column_lines(story.paragraphs), n)
        columns[0].insert(0, "本报记者 董华 姚海翔")
        dump = "\n".join([story.title, "", *_joined(columns)])
        (article,) = segment_text(dump).articles
        assert _solid(article.body) == _solid("".join(story.paragraphs))
        assert list(article.authors) == ["董华", "姚海翔"]


def test_offset_columns_of_two_stories_are_taken_apart() -> None:
    """Two stories side by side in one band, their baselines offset, come out as alternating lines (one leading
    for all body type), the second story's lines alone or two of its columns joined on each: each column comes
    out whole and in order, a block of its own."""
    left, right = _story("junshi"), _story("shuzi")
    for n in (1, 2):
        columns = _balanced(_column_lines(right.paragraphs), n)
        b = _joined(columns)
        a = _column_lines(left.paragraphs)[: len(b)]
        rows = [x for k in range(len(b)) for x in (a[k], b[k])]
        blocks = "\n".join(untangled(rows)).split("\n\n")
        assert sorted(blocks) == sorted("\n".join(c) for c in [a, *columns])


def _apart(rows: list[str]) -> str:
    """A dump that sets every line apart by a blank line (a geometric extractor that found no block)."""
    return "\n\n".join(rows)


def test_columns_written_line_by_line_each_line_apart_are_read_column_by_column() -> None:
    """Body set at a leading over one and a half ems leaves `pdftotext` no block to build: it writes each line
    alone (a blank line after it), baseline by baseline across the page, so a story's columns come out one line
    of each in turn. The body reads column after column all the same, under its headline, and the page header's
    editor line starts no column. (Known limit: where the cycle shrinks at the story's foot, the last column being
    shorter, a column's last line can go astray with four columns or more; three are read here, each column down
    to the line before its foot.)"""
    story = _story("jingji")
    columns = _balanced(_column_lines(story.paragraphs), 3)
    rows = [c[k] for k in range(len(columns[0])) for c in columns if k < len(c)]
    dump = _apart(["德清新闻", "2023年5月25日", "编辑：姚琴", story.title, *rows])
    articles = segment_text(dump).articles
    assert articles[0].title == story.title
    body = _solid("".join(a.body for a in articles))
    assert all(_solid("".join(c[:-1])) in body for c in columns)


def test_offset_columns_of_two_stories_each_line_apart_are_taken_apart() -> None:
    """Two stories side by side, their baselines offset, each line alone in the dump: the lines alternate between
    the stories' columns in a fixed cycle, and each column comes out whole and in order."""
    left, right = _story("junshi"), _story("shuzi")
    columns = _balanced(_column_lines(right.paragraphs), 2)
    a = _column_lines(left.paragraphs)[: len(columns[0])]
    rows = [x for k in range(len(a)) for x in (a[k], *(c[k] for c in columns if k < len(c)))]
    blocks = [b.strip() for b in "\n".join(untangled(_apart(rows).split("\n"))).split("\n\n")]
    assert sorted(blocks) == sorted("\n".join(c) for c in [a, *columns])


def test_headline_phrases_and_headers_set_apart_by_a_space_stay_whole() -> None:
    """A title of two phrases apart by a space and a header line are not columns, even among column lines."""
    story = _story("jingji")
    columns = _balanced(_column_lines(story.paragraphs), 2)
    dump = "\n".join(["2023年5月25日 星期四 第3版 | 理论", story.title, *_joined(columns)])
    (article,) = segment_text(dump).articles
    assert article.title == story.title


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_pdftotext_dumps_of_second_generator_pages(tmp_path: Path) -> None:
    """pdftotext's text of pages with stories over four to six columns, drawn glyph by glyph or line by line, in
    stream order or scrambled: the bodies read in order (their columns were joined line by line in the dump)."""
    for seed in (11, 94, 131):  # chars span=5 scrambled, line span=4, chars span=6 ideo_indent (tuning seeds)
        pdf = make_page2(seed, tmp_path / f"{seed}.pdf")
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        dump = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
        layout = segment_text(dump.stdout.decode("utf-8"), page=truth["page"])
        assert score_page([a.to_json() for a in layout.articles], truth["articles"]).body >= 0.85


def test_lines_spread_out_in_part_are_not_two_columns() -> None:
    """A justified line whose glyphs were spread out over part of it only comes out as a spaced run and a solid
    one (`基 础 。 2016 年 ，我 国学前3年毛入园率`), at its start or at its end: together one column's line, so the
    block stays as it is."""
    lines = _column_lines(_story("jingji").paragraphs)[:12]
    for spread in (lambda x: " ".join(x[:7]) + " " + x[7:], lambda x: x[:6] + " " + " ".join(x[6:])):
        block = [spread(x) if k % 3 == 0 else x for k, x in enumerate(lines)]
        assert untangled(block) == block


def _headline(story: Story) -> list[str]:
    """A story's headline group as a dump gives it: kicker, title, dashed subtitle, one line each."""
    return [x for x in (story.kicker, story.title, f"——{story.subtitle}" if story.subtitle else None) if x]


@pytest.mark.parametrize("order", ["headlines-first", "headlines-last"])
def test_headline_groups_written_one_after_another_go_to_their_stories(order: str) -> None:
    """A dump in frame order sets two or three stories' headline groups one after another with no text between;
    each group goes to the story whose words it repeats, wherever the bodies stand."""
    stories = [_story("rencai"), _story("junshi"), _story("jingji")]
    heads = [line for s in stories for line in _headline(s)]
    bodies = [line for s in reversed(stories) for line in ["本报记者 " + " ".join(s.authors), *s.paragraphs]]
    dump = "\n".join([*heads, *bodies] if order == "headlines-first" else [*bodies, *heads])
    got = {a.title: a for a in segment_text(dump).articles}
    for s in stories:
        article = got[s.title]
        assert (article.kicker, article.subtitle) == (s.kicker, s.subtitle)
        assert _solid(article.body) == _solid("".join(s.paragraphs))


def test_a_bracketed_closing_byline_ends_the_story_before_it() -> None:
    """`（记者 …）` after a finished paragraph is a closing credit: it ends the story before it even when that run of
    text opened with another story's byline (a story opened by `本报记者 …`, then one signed at its end)."""
    first, second = _story("junshi"), _story("shuzi")
    for indent in ("", "\u3000\u3000"):
        dump = "\n".join(
            [
                first.title,
                f"{indent}本报记者 {' '.join(first.authors)}",
                *(indent + p for p in first.paragraphs),
                *(indent + p for p in second.paragraphs),
                f"（记者 {' '.join(second.authors)}）",
                second.title,
            ]
        )
        articles = segment_text(dump).articles
        assert [list(a.authors) for a in articles] == [list(first.authors), list(second.authors)]
        assert [a.title for a in articles] == [first.title, second.title]


@pytest.mark.parametrize("seed", [8, 23, 46])  # tuning seeds; their frames-order dumps scored 0.92, 0.91, 0.93
def test_pymupdf_dumps_of_pages_written_frame_by_frame(seed: int, tmp_path: Path) -> None:
    """PyMuPDF's text of a page whose frames (header, headline groups, bodies, captions) are written whole but in
    shuffled order: headlines before or after their text, several in a row, stories in any order."""
    pdf = make_page2(seed, tmp_path / f"{seed}.pdf", order="frames")
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    with pymupdf.open(pdf) as doc:
        layout = segment_text(str(doc[0].get_text()), page=truth["page"])
    assert score_page([a.to_json() for a in layout.articles], truth["articles"]).total >= 0.97


@pytest.mark.parametrize(
    "header",
    [["人民日报", "2023年5月25日 星期四", "1 要闻"], ["安吉新闻", "第7版 经济  2023年5月25日 星期四  责任编辑 李红"]],
)
def test_a_page_header_between_stories_is_furniture(header: list[str]) -> None:
    """A dump in frame order can set the page header between two stories: the paper's name before the date line
    and the page's name after it are the header's, not a headline of the story that follows."""
    first, second = _story("junshi"), _story("shuzi")
    dump = "\n".join(
        [
            first.title,
            *_column_lines(first.paragraphs),
            f"（记者 {' '.join(first.authors)}）",
            *header,
            second.title,
            *_column_lines(second.paragraphs),
        ]
    )
    articles = segment_text(dump).articles
    assert [(a.kicker, a.title, a.subtitle) for a in articles] == [
        (None, first.title, None),
        (None, second.title, None),
    ]


@pytest.mark.parametrize("seed", [5, 21, 56])  # tuning seeds whose frame-order dumps have a teaser box in the text
def test_a_run_of_unpunctuated_lines_is_no_story(seed: int, tmp_path: Path) -> None:
    """News text is written in sentences: a few lines with no sentence mark among the stories (a teaser box's
    entries written in the text flow of a dump in frame order) make no article."""
    pdf = make_page2(seed, tmp_path / f"{seed}.pdf", order="frames")
    with pymupdf.open(pdf) as doc:
        articles = segment_text(str(doc[0].get_text())).articles
    assert articles and all(re.search("[，。！？；]", a.body) for a in articles)


@pytest.mark.parametrize("order", ["headline-first", "headline-last"])
@pytest.mark.parametrize("quotes", ["", "﹃﹄", "“”"])
def test_an_upright_title_and_its_upright_byline_read_as_title_and_author(order: str, quotes: str) -> None:
    """An upright title with its author's name set upright beside it comes out as one run of one-character lines,
    the name's characters right after the title's: the run is the title, and the name is the story's byline
    (the headline group before its text, or after it on a page that sets headlines after their text). A title
    that quotes (`县领导开展“军事日”活动`), set upright with the vertical quote forms (`﹃﹄`) or with the
    horizontal ones, reads with horizontal quotes, as the PDF path reads it."""
    story, other = _story("junshi"), _story("shuzi")
    title = story.title if quotes else story.title.replace("“", "").replace("”", "")
    upright = [*title.replace("“", quotes[:1]).replace("”", quotes[1:]), *story.authors[0]]
    body = _column_lines(story.paragraphs)
    if order == "headline-first":
        dump = [*upright, *body]
    else:
        dump = [*_column_lines(other.paragraphs), "（记者 沈烨冰）", *body, *upright]
    article = next(a for a in segment_text("\n".join(dump)).articles if a.body.startswith("昨天下午"))
    assert (article.title, list(article.authors)) == (title, [story.authors[0]])


def test_a_bare_name_under_a_title_is_its_byline() -> None:
    """A line holding only a person's name under a punctuation-free title line, before the text, is the byline;
    a line of two-character words that are no names (`层层责任`) is not."""
    story = _story("shuzi")
    for name in ("沈烨冰", "何民捷"):
        (article,) = segment_text("\n".join([story.title, name, *_column_lines(story.paragraphs)])).articles
        assert (article.title, list(article.authors)) == (story.title, [name])
    assert read_lines("层层责任")[0].role != "byline"


@pytest.mark.parametrize(
    "header",
    [
        ["人民日报", "2023年5月25日 星期四", "1 要闻"],
        ["德清新闻", "2023年5月25日 星期四", "第1版 要闻"],
        ["7 理论", "理论", "2018 年1 月3 日星期三"],
    ],
)
def test_a_headline_group_written_before_the_page_header_keeps_its_story(header: list[str]) -> None:
    """In frame order a story's headline group can come before the page header at the very top of the dump: the
    header is the paper's name, page name and date, not the lines above them."""
    story = _story("jingji")
    dump = [story.kicker or "", story.title, *header, "本报记者 董华 姚海翔", *_column_lines(story.paragraphs)]
    (article,) = segment_text("\n".join(dump)).articles
    assert (article.kicker, article.title) == (story.kicker, story.title)


@pytest.mark.parametrize("indent", ["", "\u3000\u3000"])
def test_an_intertitle_in_a_story_whose_headline_comes_later(indent: str) -> None:
    """In frame order a story's text can follow the story before it straight after that one closed (its
    byline), its own headline set elsewhere in the dump: a lone heading between two of its paragraphs is an
    intertitle of that running story, not a new story's title."""
    first, second = _story("shuzi"), _story("jingji")
    paras = [
        [indent + line if k == 0 else line for k, line in enumerate(_column_lines((p,)))] for p in second.paragraphs
    ]
    dump = [
        *_column_lines(first.paragraphs),
        "（记者 沈烨冰）",
        *paras[0],
        *paras[1],
        "品质为支撑",
        *[line for p in paras[2:] for line in p],
        "（记者 董华 姚海翔）",
        second.title,
        first.title,
    ]
    articles = segment_text("\n".join(dump)).articles
    assert [a.title for a in articles].count("品质为支撑") == 0
    (story,) = [a for a in articles if a.body.startswith("昨天上午")]
    assert "\n品质为支撑\n" in story.body


@pytest.mark.parametrize("seed", [22, 34])  # tuning seeds; frame-order dumps with intertitles (0.76, 0.66 before)
def test_intertitles_of_pages_written_frame_by_frame_stay_in_their_story(seed: int, tmp_path: Path) -> None:
    """PyMuPDF's text of a page written frame by frame: no intertitle (a paragraph of a story's body in the
    truth) comes out as an article's title."""
    pdf = make_page2(seed, tmp_path / f"{seed}.pdf", order="frames")
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    paragraphs = {p for a in truth["articles"] for p in a["body"].split("\n")}
    with pymupdf.open(pdf) as doc:
        titles = [a.title for a in segment_text(str(doc[0].get_text()), page=truth["page"]).articles]
    assert titles and not paragraphs & set(titles)


SECTION = [
    "今年以来，高新区科技人才局已引",
    "才创业项目10个，其中市重点认定",
    "项目4个，涉及智能制造、数字经济",
    "等产业领域，占比全县六成以上。",
]


@pytest.mark.parametrize("credit", ["head", "foot"])
def test_an_intertitle_over_a_section_that_opens_like_a_lead(credit: str) -> None:
    """A section of a long story can open like a news lead (`今年以来，…`). When the story is credited once, by
    a byline at its head or at its foot, the short heading above that section is its intertitle; when each side
    has a credit, or the heading fills the column (a one-column title), a new story starts there."""
    opening = ["本报记者 倪忆雪"] if credit == "head" else []
    closing = ["（记者 倪忆雪）"] if credit == "foot" else []
    one = ["4个高层次人才创业项目签约落户高新区", *opening, *_body(4), "认定项目4个", *SECTION, *closing]
    (article,) = segment_text("\n".join(one)).articles
    assert article.body.split("\n")[1] == "认定项目4个"
    assert list(article.authors) == ["倪忆雪"]
    both = [
        "4个高层次人才创业项目签约落户高新区",
        "本报记者 董华",
        *_body(4),
        "认定项目4个",
        *SECTION,
        "（记者 倪忆雪）",
    ]
    assert [a.title for a in segment_text("\n".join(both)).articles][1:] == ["认定项目4个"]
    wide = ["4个高层次人才创业项目签约落户高新区", *opening, *_body(4), "高新区今年新增人才创业项目十个", *SECTION]
    assert len(segment_text("\n".join([*wide, *closing])).articles) == 2


def test_a_one_column_title_right_above_a_lead_clause() -> None:
    """A story's first sentence opening with its time phrase and a comma (`昨天上午，`) starts at that line, so
    a line of column width right above it that ends no sentence and holds no punctuation (a title set in a
    one-column frame) is that story's headline, not body text; a line with commas there stays body."""
    first = ["县领导开展“军事日”活动的通知", *_body(4)]
    for before in (first, [*first[1:], "（记者 徐超超）"]):
        dump = [*before, "调研二季度经济运行情况活动", *_body(4)]
        titles = [a.title for a in segment_text("\n".join(dump)).articles]
        assert titles[-1] == "调研二季度经济运行情况活动"
    kept = [*first, "详细了解生产运营，倾听企业需求", *_body(4)]
    assert all(a.title != "详细了解生产运营，倾听企业需求" for a in segment_text("\n".join(kept)).articles)


@pytest.mark.parametrize(("seed", "order"), [(47, "frames"), (78, "frames"), (43, "natural")])
def test_sections_and_one_column_titles_on_second_generator_pages(seed: int, order: str, tmp_path: Path) -> None:
    """Tuning seeds whose PyMuPDF dumps lost an intertitle's story or a one-column title (0.70, 0.67, 0.79
    before): each reads at 0.9 or better."""
    pdf = make_page2(seed, tmp_path / f"{seed}.pdf", order="frames" if order == "frames" else None)
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    with pymupdf.open(pdf) as doc:
        layout = segment_text(str(doc[0].get_text()), page=truth["page"])
    assert score_page([a.to_json() for a in layout.articles], truth["articles"]).total >= 0.9


@pytest.mark.parametrize("rest", [["——以强大合力推动工作取得新进展"], []])
def test_a_plain_kicker_over_a_bold_title(rest: list[str]) -> None:
    """`…强调` names who spoke and where: set plain over a bold title (each line's fake-bold copy printed as a
    line of its own), it is the kicker and the bold lines the title, whatever comes under them."""
    phrases = ["增强紧迫感", "增强紧迫感", "找准发力点", "找准发力点"]  # two phrases on two lines, each doubled
    dump = ["王波在“环浙工大创新经济圈”工作例会上强调", *phrases, *rest, "本报记者 徐超超 蔡俊", *_body(4)]
    (article,) = segment_text("\n".join(dump)).articles
    assert (article.kicker, article.title) == ("王波在“环浙工大创新经济圈”工作例会上强调", "增强紧迫感 找准发力点")
    assert article.subtitle == (rest[0].lstrip("—") if rest else None)


@pytest.mark.parametrize(("seed", "order"), [(53, "frames"), (58, "natural")])
def test_plain_kickers_over_bold_titles_on_second_generator_pages(seed: int, order: str, tmp_path: Path) -> None:
    """Tuning seeds with a plain `…强调` kicker over a bold title: every story's kicker is found as a kicker."""
    pdf = make_page2(seed, tmp_path / f"{seed}.pdf", order="frames" if order == "frames" else None)
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    with pymupdf.open(pdf) as doc:
        layout = segment_text(str(doc[0].get_text()), page=truth["page"])
    kickers = {a["kicker"] for a in truth["articles"] if a["kicker"]}
    assert kickers and kickers <= {a.kicker for a in layout.articles}


@pytest.mark.parametrize("set_as", ["upright", "flat"])
@pytest.mark.parametrize("order", ["between", "after"])
def test_a_bare_name_under_a_title_stays_with_it_when_the_next_headline_follows(set_as: str, order: str) -> None:
    """A title with its author's bare name under it (or, set upright, right after its characters), and the next
    story's headline written straight after them, in a dump in frame order: the name closes its own title's
    group and is that story's byline; the next story's headline group does not open with it."""
    story, other = _story("junshi"), _story("shuzi")
    name = story.authors[0]
    head = [*story.title, *name] if set_as == "upright" else [story.title, name]
    nxt = [other.title] * 2  # fake bold: the line drawn twice
    body, other_body = _column_lines(story.paragraphs), _column_lines(other.paragraphs)
    if order == "between":
        dump = [*body, *head, *nxt, *other_body]
    else:
        dump = [*other_body, "（记者 沈烨冰）", *body, *head, *nxt]
    articles = segment_text("\n".join(dump)).articles
    article = next(a for a in articles if a.body.startswith("昨天下午"))
    assert (article.title, list(article.authors)) == (story.title, [name])
    assert not any(a.title.startswith(name) for a in articles)


@pytest.mark.parametrize(
    "caption",
    [
        ["图为专职保洁人员在河道内巡查。新华社记者 徐昱摄"],
        ["图为专职保洁人员在河道内巡", "查。", "新华社记者", "徐", "昱摄"],
    ],
)
@pytest.mark.parametrize("set_as", ["upright", "flat"])
def test_a_signed_title_after_its_text_keeps_it_with_a_caption_written_next(caption: list[str], set_as: str) -> None:
    """A dump in frame order that sets each headline after its text: a story's text, its title and its author's
    bare name, then a photo's caption (written where its frame falls in the stream, whole or a run at a time),
    then the next story's text and headline. The caption is furniture: the title and the name still stand between
    finished text and running text, so they are the first story's headline and byline."""
    story, other = _story("junshi"), _story("shuzi")
    name = story.authors[0]
    head = [*story.title, *name] if set_as == "upright" else [story.title, name]
    text = other.paragraphs[1:]  # a commentary's text, opening with no news lead
    dump = [*_column_lines(story.paragraphs), *head, *caption, *_column_lines(text), other.title]
    articles = segment_text("\n".join(dump)).articles
    article = next(a for a in articles if a.body.startswith("昨天下午"))
    assert (article.title, list(article.authors)) == (story.title, [name])
    assert not any("图为" in a.body for a in articles)
    assert any(a.title == other.title and a.body.startswith(text[0][:10]) for a in articles)


@pytest.mark.parametrize("note", [["（作者为中央党史研究室原副", "主任）"], ["（作者单位：西南政法大学）"]])
@pytest.mark.parametrize("set_as", ["upright", "flat"])
def test_a_signed_title_right_after_an_authors_note_heads_the_next_story(note: list[str], set_as: str) -> None:
    """A theory page that sets each headline after its text (方正 exports of 人民日报): a story closes with its
    author's note, and right after the note come the next story's title and its author's bare name (set upright,
    or flat on two lines), then its text. The note signs off its story, so the title and the name are headline
    and byline, not the opening lines of the next story's text."""
    story, other = _story("junshi"), _story("shuzi")
    name = story.authors[0]
    head = [*story.title, *name] if set_as == "upright" else [story.title, name]
    dump = [*_column_lines(other.paragraphs), *note, *head, *_column_lines(story.paragraphs)]
    articles = segment_text("\n".join(dump)).articles
    article = next(a for a in articles if a.body.startswith("昨天下午"))
    assert (article.title, list(article.authors)) == (story.title, [name])
    assert article.body.split("\n")[0].startswith("昨天下午")
    assert any(a.body.endswith("".join(note)) for a in articles)


@pytest.mark.parametrize("close", [["（作者单位：西南政法大学）"], []])
@pytest.mark.parametrize("wrapped", [False, True])
def test_a_kicker_and_title_over_a_bare_name_between_two_texts_are_a_headline(close: list[str], wrapped: bool) -> None:
    """Two punctuation-free lines (a kicker and its title, or a title wrapped once) over a bare name, between
    finished text (or an author's note) and the next text: a headline group and its author, not the first lines
    of the text that follows."""
    story, other = _story("jingji"), _story("shuzi")
    group = (
        ["全力以赴稳经济", "用心用情优服务"]
        if wrapped
        else ["敖煜新调研二季度经济运行", "全力以赴稳经济用心用情优服务"]
    )
    dump = [*_column_lines(other.paragraphs), *close, *group, "李志民", *_column_lines(story.paragraphs)]
    articles = segment_text("\n".join(dump)).articles
    article = next(a for a in articles if a.body.startswith(story.paragraphs[0][:8]))
    assert list(article.authors) == ["李志民"]
    heads = " ".join(filter(None, (article.kicker, article.title, article.subtitle)))
    assert all(x in heads for x in group)


@pytest.mark.parametrize(
    ("pieces", "line"),
    [
        (["新使命：", "新使命", "：中国共产党的历史担当"], "新使命：中国共产党的历史担当"),
        (["县领导开展“军事日”", "县领导开展“军事日", "”活动"], "县领导开展“军事日”活动"),
    ],
)
def test_fake_bold_cut_at_a_mark_is_one_bold_line(pieces: list[str], line: str) -> None:
    """Fake bold whose copy was cut at a mark (pdftotext on a real 人民日报 page: `新使命：` / `新使命` /
    `：中国共产党的历史担当`): no line opens with a pause or a closing mark, so the rest after the mark is the
    line above's; one bold line, the mark once."""
    lines = read_lines("\n".join([*pieces, *BODY]))
    assert lines[0].text == line and lines[0].bold
    assert [x.text for x in lines[1:3]] == [BODY[0], BODY[1]]


@pytest.mark.parametrize(
    ("pieces", "line"),
    [
        (
            ["数据来源", "数据来源：国家统计局", "国家统计局2017", "2017 年6 月16", "16 日发布的相关数据。"],
            "数据来源：国家统计局2017 年6 月16 日发布的相关数据。",
        ),
        (["全力以赴稳经济", "全力以赴稳经济 用心用", "用心用情优服务"], "全力以赴稳经济 用心用情优服务"),
    ],
)
def test_fake_bold_copies_cut_in_a_chain_are_one_line(pieces: list[str], line: str) -> None:
    """The two copies of a fake-bold line cut at different places come out as pieces each opening with the last
    words of the one before (PyMuPDF on a real page's chart credit): one bold line, the shared words once."""
    lines = read_lines("\n".join([*pieces, *BODY]))
    assert lines[0].text == line and lines[1].text == BODY[0]
    assert lines[0].bold or lines[0].role == "caption"  # (a chart's credit is furniture, whatever its weight)


def test_plain_text_repeating_words_across_a_break_is_not_merged() -> None:
    """A sentence opening with the words the line above ended with (顶真, `…进入新时代` / `时代是…`), in plain
    text with no fake-bold copy about, keeps both lines whole."""
    rows = ["社会主要矛盾变化标志着中国特色", "社会主义进入新时代", "时代是表述特定社会历史的", "范畴。"]
    assert [x.text for x in read_lines("\n".join(rows))] == rows


@pytest.mark.parametrize(
    ("rows", "joined"),
    [
        (["只有这样，", "“一", "国两制”方针才能得到全面准确贯", "彻。"], "“一国两制”方针才能得到全面准确贯"),
        (
            ["同志就指出：", "“我们", "前面的路还很长，不会那样平坦，", "我们必须准备进行伟大斗争。"],
            "“我们前面的路还很长，不会那样平坦，",
        ),
        (
            ["一个又一个彪炳史册的人间奇迹", "彻，", "“一国两制”事业才能沿着正确", "方向行稳致远。"],
            "彻，“一国两制”事业才能沿着正确",
        ),
    ],
)
def test_a_line_cut_at_its_quote_is_one_line(rows: list[str], joined: str) -> None:
    """Some extractors write the runs of one line as lines of their own where the font switches for a quote
    (`“一` / `国两制”方针…`): a piece of a few characters opening a quote or ending on a pause, over text, is the
    start of the line under it. A headline's short last line holding no mark (`点`) stays a line."""
    texts = [x.text for x in read_lines("\n".join(rows))]
    assert joined in texts and len(texts) == 3
    head = ["增强紧迫感", "找准发力", "点", *_body(4)]
    assert [x.text for x in read_lines("\n".join(head))][:3] == head[:3]


@pytest.mark.parametrize("kicker", [[], ["使党永葆旺盛生命力和强大战斗力"]])
@pytest.mark.parametrize("title", ["履行历史使命：伟大工程起决定性作用", "绿色规划、绿色产业和绿色消费"])
def test_a_signed_title_after_its_story_holding_a_colon(kicker: list[str], title: str) -> None:
    """A commentary's title (a colon or `、` between its phrases, as titles have them), perhaps under its kicker,
    over its author's bare name, after the story before it signed off with its author's note: a headline group
    and its author, not body text of the story before."""
    before = [*_body(4), "（作者为中共河北省纪委副书", "记）"]
    dump = [*before, *kicker, title, "唐洲雁", *_body(4, "党的十九大报告深刻阐述了新时代党的")]
    one, two = segment_text("\n".join(dump)).articles
    assert title not in one.body and one.body.endswith("（作者为中共河北省纪委副书记）")
    assert (two.kicker, two.title, two.authors) == ((kicker or [None])[0], title, ("唐洲雁",))


@pytest.mark.parametrize("teaser", [[], ["导读", "●梳理德清模式 总结浙江经验 第2版"]])
@pytest.mark.parametrize("jump", ["（下转第2版）", "（下转第8版）"])
def test_a_title_after_a_jump_to_another_page_opens_the_next_story(teaser: list[str], jump: str) -> None:
    """A story whose text goes on on another page ends on this one at its `（下转第N版）`: plain lines after it
    (a teaser box may stand between), over the next story's deck and byline, are that story's headline."""
    dump = [
        *_body(3),
        jump,
        *teaser,
        "梳理德清模式 总结浙江经验",
        "——数字乡村发展研讨会暨浙江省信息化智库联盟专家行在我县召开",
        "记者 沈烨冰",
        *_body(4, "5月24日，数字乡村发展研讨会暨浙江"),
    ]
    one, two = segment_text("\n".join(dump)).articles
    assert one.continues_to_page == int(jump[4]) and "梳理" not in one.body
    assert two.title == "梳理德清模式 总结浙江经验" and two.authors == ("沈烨冰",)


@pytest.mark.parametrize(("spaced", "others"), [(["周", "江"], ["张济坤"]), (["肖", "珺"], [])])
def test_a_two_character_name_spaced_out_and_cut_in_two_is_the_author(spaced: list[str], others: list[str]) -> None:
    """A two-character name set spaced out to the width of a three-character one comes out of PyMuPDF as two
    one-character lines: under a commentary's title, they are its author's name (with a second author's under
    them, if any). Two one-character lines that make no name stay as they are."""
    dump = ["建设海洋强国需完善海洋法律体系", *spaced, *others, *_body(4, "我国是海洋大国，海岸线漫长，管辖海")]
    (article,) = segment_text("\n".join(dump)).articles
    assert article.title == "建设海洋强国需完善海洋法律体系"
    assert article.authors == ("".join(spaced), *others) and "".join(spaced) not in article.body
    assert [x.text for x in read_lines("\n".join(["点", "头", *BODY]))][:2] == ["点", "头"]


@pytest.mark.parametrize(
    "label", ["数据来源：国家统计局2017年6月16日发布的党的十八大以", "资料来源：国家统计局2017年发布的党的十八大以"]
)
@pytest.mark.parametrize("bold", [False, True])
def test_a_charts_source_line_broken_off_runs_on_as_furniture(label: str, bold: bool) -> None:
    """A chart's source line broken by its measure (`数据来源：…党的十八大以` / `来我国经济社会发展相关数据。`),
    after a signed story's headline that follows its text (its author's name, then the chart's title: the
    stream order of a real 人民日报 page): the rest of the source line is the chart's furniture, bold or not, and
    no story's headline; the signed headline ends at its author's name, the chart's title is no part of it."""
    rest = "来我国经济社会发展相关数据。"
    first = ["新使命：中国共产党的历史担当", "李忠杰", *_body(4), "（作者为中央党史研究室原副主任）"]
    head = ["使党永葆旺盛生命力和强大战斗力", "履行历史使命：伟大工程起决定性作用", "唐洲雁"]
    text = [
        "伟大工程对履行党的历史使命起决定性",
        "作用，使党永葆旺盛生命力和强大战斗",
        "力。",
        "（作者为山东社会科学院研究员）",
    ]
    story = [*text, *head, "党的十八大以来全面从严治党深入推进"]
    dump = [*first, *story, label, *([rest, rest] if bold else [rest])]
    one, two = segment_text("\n".join(dump)).articles
    assert (two.kicker, two.title, two.authors) == (head[0], head[1], ("唐洲雁",)) and two.subtitle is None
    assert rest not in one.body + two.body and two.body.endswith("（作者为山东社会科学院研究员）")


@pytest.mark.parametrize(
    "intertitle", [["坚定不移巩固党", "的执政地位和执政", "根基"], ["坚定不移巩固党的执政", "地位和执政根基"]]
)
def test_a_paragraph_under_an_intertitle_wrapped_narrow_is_no_headline(intertitle: list[str]) -> None:
    """An intertitle wrapped narrow over two or three lines, then the next paragraph's first line (indented, so
    a little short of the column, and cut mid-sentence): the lines of one width under it show the column, so
    that first line is no wider than its column and stays text; the intertitle stays in the body."""
    para = [
        "党的十九大报告旗帜鲜明地指",
        "出，坚持党对一切工作的领导。党的",
        "领导是中国特色社会主义最本质的特",
        "征，是社会主义法治最根本的保证。",
    ]
    lead = [
        "习近平同志在学习贯彻党的十九",
        "大精神研讨班开班式上的重要讲话中",
        "强调，坚持和发展中国特色社会主义",
        "要一以贯之。",
    ]
    dump = ["履行好人民司法事业的时代使命", "沈德咏", *lead, *intertitle, *para]
    (article,) = segment_text("\n".join(dump)).articles
    assert article.title == "履行好人民司法事业的时代使命" and article.authors == ("沈德咏",)
    assert "党的十九大报告旗帜鲜明地指出，坚持党对一切工作的领导。" in article.body


BRIEF_PAGE_HEAD = [
    "张张叶子动起来",
    "层层责任强落实",
    "奋力当好建设生态文明典范城市排头",
    "兵 王波主持",
    "陈健陈亦平王剑峰等参加",
    "图为会议现场。（记者 董华 摄）",
    "昨天下午，平台、镇（街",
    "道）一把手工作例会召开。县",
    "委书记敖煜新强调，要以深入",
    "实施“八八战略”强力推进创",
    "新深化改革攻坚开放提升为指",
    "引，深化践行“绿水青山就是",
    "用力用情抓好民生实事。保质",
    "保量加快推进民生实事项目，",
    "聚力解决群众身边的烦心事，",
    "高度重视“热点坐标”民情关",
    "切，不断提升群众幸福感获得",
]
BRIEF_ITEM = [
    "全力以赴稳经济用心用情优服务",
    "昨天上午，县委书记敖煜",
    "新带队走访企业、项目，调研",
    "二季度经济运行情况。他强",
    "调，要全面贯彻落实中央和",
    "省、市委部署要求，强力推进",
    "创新深化改革攻坚开放提升，",
    "加快推动全县经济运行持续稳",
    "中向好。",
]


@pytest.mark.parametrize(
    "ending",
    [["感。要把责任压得更实。（记", "者 董华 姚海翔）"], ["感。要把责任压得更实。"]],
    ids=["byline-cut-after-the-last-sentence", "no-byline"],
)
@pytest.mark.parametrize("label", ["简讯", "新闻速览"])
def test_a_brief_columns_first_item_title_under_its_label(ending: list[str], label: str) -> None:
    """A story's end (its closing byline cut after its last sentence, `…更实。（记` / `者 董华 姚海翔）`, or
    none), a brief column's label, and the first item's title condensed to the full measure (as wide as a
    line of text), then its text (PyMuPDF's text of a third-generator page): the line under the label is
    the item's title, heading a story of its own, not a line of the story before."""
    text = "\n".join([*BRIEF_PAGE_HEAD, *ending, label, *BRIEF_ITEM]) + "\n"
    articles = segment_text(text, page=1).articles
    assert [a.title for a in articles] == ["张张叶子动起来 层层责任强落实", "全力以赴稳经济用心用情优服务"]
    assert articles[1].body.startswith("昨天上午，县委书记敖煜新带队")


def test_spaces_left_by_typesetting_runs_leave_a_dumps_text() -> None:
    """A dump keeps the spaces a typesetting system wrote after a Latin-face run and beside full-width
    punctuation (`13 亿多`, `“ 一国两制”`): the article's text is without them, as its publisher writes it,
    and a dateline keeps the space that parts it from its text."""
    body = ["\u3000\u3000本报讯 5月24日，坚持“ 一国两制”，汇聚", "起13 亿多中华儿女的磅礴伟力。", *BODY]
    (article,) = segment_text("\n".join(["全力以赴稳经济 用心用情优服务", *body])).articles
    assert article.body.startswith("本报讯 5月24日，坚持“一国两制”，汇聚起13亿多中华儿女")


@pytest.mark.parametrize("kicker", [["适应融合趋势", "增强竞争优势"], ["绿色规划", "绿色产业", "绿色消费"]])
def test_a_kicker_over_several_lines_over_a_signed_title(kicker: list[str]) -> None:
    """A commentary's kicker (引题) set as parallel phrases, one per line, over its title, over its author's bare
    name: the title is the line right over the name, the phrases above it are the kicker."""
    before = [*_body(4), "（作者为中共河北省纪委副书", "记）"]
    dump = [*before, *kicker, "加快制造业服务化转型", "汪涛", *_body(4, "党的十九大报告深刻阐述了新时代党的")]
    article = segment_text("\n".join(dump)).articles[-1]
    assert article.title == "加快制造业服务化转型" and article.authors == ("汪涛",)
    assert "".join((article.kicker or "").split()) == "".join(kicker) and article.subtitle is None


@pytest.mark.parametrize("cartoon", [["消费升级", "翟桂溪作（新华社发）"], ["看看拼抢热潮", "翟桂溪作（新华社发）"]])
def test_a_cartoons_title_under_a_signed_headline_is_no_author(cartoon: list[str]) -> None:
    """A stream that draws each story's text before its headline and byline (人民日报's exports) may draw a
    cartoon's title and credit right after a headline and its author's name: the title has the shape of a bare
    name but reads as none, so the author stays the one under the headline."""
    one = [*_body(4), "我国社会主要矛盾变化的重大意义", "颜晓峰", *cartoon]
    two = [*_body(4, "党的十九大报告作出我国社会主要矛盾已经"), "准确把握社会主要矛盾的变化", "严书翰"]
    layout = segment_text("\n".join([*one, *two]))
    assert [(a.title, a.authors) for a in layout.articles] == [
        ("我国社会主要矛盾变化的重大意义", ("颜晓峰",)),
        ("准确把握社会主要矛盾的变化", ("严书翰",)),
    ]


@pytest.mark.parametrize("upright", [True, False])
def test_lines_as_wide_as_text_after_a_signature_are_not_the_headline(upright: bool) -> None:
    """A commentary's title (set upright, one character per line, or not) over its author's name, then the
    next story's first lines, as wide as text, before its paragraph goes on: the headline ends at the name."""
    title = "法治与德治何以相得益彰"
    head = [*title, "陈", "先", "达"] if upright else [title, "陈先达"]
    dump = [
        *_body(4),
        "（作者为中国人民大学一级教授）",
        *head,
        "教育部人文社科重点研究基地武汉大学媒体发展研究中",
        "心等单位共同主办的“第九届跨文化传播国际学术会议”日前",
        "在湖北省武汉市举行。本次会议的主题是“一带一路、多元文",
        "化与全球传播”。与会专家认为，跨文化传播大有可为。",
    ]
    article = segment_text("\n".join(dump)).articles[-1]
    assert (article.kicker, article.title, article.subtitle, article.authors) == (None, title, None, ("陈先达",))


@pytest.mark.parametrize("heading", ["今年以来", "近期", "前不久"])
def test_a_heading_over_the_paragraph_that_opens_with_its_words_stays_in_the_body(heading: str) -> None:
    """An intertitle printed once over the paragraph that opens with its words (`今年以来` / `今年以来，高新区…`):
    no fake-bold copy (a paragraph runs on past the words in running text, which is never drawn bold), and,
    after a finished paragraph of a story under way, a heading of that story, kept as a paragraph of its own,
    though the paragraph opens like a news lead."""
    para = [f"{heading}，高新区科技人才局已引才创业项", "目10个，其中市重点认定项目4个。"]
    dump = ["4个高层次人才创业项目签约落户高新区", "本报记者 倪忆雪", *_body(4), heading, *para]
    assert [x.text for x in read_lines("\n".join(dump))][-3:] == [heading, *para]
    (article,) = segment_text("\n".join(dump)).articles
    paras = article.body.split("\n")
    assert heading in paras and paras[paras.index(heading) + 1].startswith(f"{heading}，高新区")


@pytest.mark.parametrize("heading", ["敖煜新指出", "领军人才计划"])
def test_a_heading_repeated_by_its_paragraph_is_no_fake_bold_copy(heading: str) -> None:
    """Whatever role the heading then takes, the dump keeps both lines: the paragraph's text runs on past the
    heading's words (`敖煜新指出` / `敖煜新指出，高新区…`), so the heading is no copy of it cut out by fake bold."""
    para = [f"{heading}，高新区科技人才局已引才创业项", "目10个，其中市重点认定项目4个。"]
    assert [x.text for x in read_lines("\n".join([*_body(4), heading, *para]))][-3:] == [heading, *para]


@pytest.mark.parametrize(
    "caption",
    [["图为签约仪式现场。本报记", "者 董华 摄"], ["图为活动现场。（记者 董华 摄）"]],
)
def test_a_narrow_headline_over_a_photo_and_a_lead_is_a_headline(caption: list[str]) -> None:
    """A headline group wrapped over a narrow frame, after a finished story and over its story's photo caption
    and first line (`昨天下午，…`): the caption stands between the headline and the lead, as photos do, and the
    headline's lines (no comma in them) are no wrapped text of the story before."""
    # Columns as narrow as the headline's frame: width alone does not tell the headline lines from text.
    first = [
        "梳理德清模式 总结浙江经验",
        "本报记者 沈烨冰",
        "昨天，在高新区科技人",
        "才局举办的资本对接会",
        "上，两位负责人表示，",
        "将积极探索投贷联动机",
        "制，共同助力企业成长。",
    ]
    head = ["敖煜新在平台、镇(", "街道)一把手工作例", "会上强调", "张张叶子动起", "来层层责任强", "落实"]
    lead = [
        "昨天下午，平台、镇",
        "（街道）一把手工作例会",
        "召开。县委书记敖煜新强",
        "调，要以深入实施“八八",
        "战略”强力推进创新深化",
        "改革攻坚开放提升为指",
        "引，实干争先。",
    ]
    first_story, second = segment_text("\n".join([*first, *head, *caption, *lead])).articles
    assert first_story.body.endswith("共同助力企业成长。")
    assert second.kicker == "敖煜新在平台、镇(街道)一把手工作例会上强调"
    assert second.title.replace(" ", "") == "张张叶子动起来层层责任强落实"
    assert second.body.startswith("昨天下午，")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_a_dump_reads_the_same_whatever_ends_its_lines(newline: str) -> None:
    """Windows (`\\r\\n`) and old Mac (`\\r`) line ends, or Unicode line separators, end lines as `\\n` does: a
    caller passing a dump it did not read through universal newlines gets the same articles."""
    text = SAMPLE_PAGE.read_text(encoding="utf-8")
    want = [a.to_json() for a in segment_text(text, page=1).articles]
    assert want and [a.to_json() for a in segment_text(text.replace("\n", newline), page=1).articles] == want


# --- runs cut from their line at a quote or bracket, longer than a mark and two characters --------------------

THEORY = [
    "　　习近平同志在党的十九大报",
    "告中指出：",
    "“中国特色社会主义进",
    "入新时代，我国社会主要矛盾已经",
    "转化为人民日益增长的美好生活",
    "需要和不平衡不充分的发展之间",
    "的矛盾。”深刻认识我国社会主要",
    "矛盾变化的现实依据，准确把握我",
    "国社会主要矛盾变化的重大意义。",
]


@pytest.mark.parametrize(
    ("cut", "whole"),
    [
        (["告中指出：", "“中国特色社会主义进"], "告中指出：“中国特色社会主义进"),
        (["县委书记敖煜新", "（左二）在调研时"], "县委书记敖煜新（左二）在调研时"),
    ],
)
def test_a_line_cut_into_runs_at_a_quote_or_bracket_is_one_line(cut: list[str], whole: str) -> None:
    """Typesetting systems write the runs of a line as text objects of their own where the font switches for
    a quote or a bracket, and an extractor can give each run a line: a run of a few characters ending on a
    pause (`告中指出：`) or followed by a run opening with a mark, the two as wide as the column's next lines
    together, is one line of the column."""
    rows = ["入新时代，我国社会主要矛盾已经", "转化为人民日益增长的美好生活", "需要和不平衡不充分的发展之间"]
    lines = [x.text for x in read_lines("\n".join(["他强调，要紧抓项目建设黄金", *cut, *rows]))]
    assert whole in lines


def test_whole_bracketed_lines_are_no_runs_of_the_line_under_them() -> None:
    """A jump marker or a bracketed credit is a line of its own, however wide the line under it."""
    rows = ["入新时代，我国社会主要矛盾已经", "转化为人民日益增长的美好生活", "需要和不平衡不充分的发展之间"]
    lines = read_lines("\n".join(["（下转第8版）", "（上接第3版）中国特", *rows]))
    assert [(x.to_page, x.from_page) for x in lines[:2]] == [(8, None), (None, 3)]


def test_a_page_opening_with_text_cut_at_a_quote_keeps_its_first_line_in_the_body() -> None:
    """A page whose stream sets the text first and its headline after (方正 exports of 人民日报), the text's
    first line cut from the next at a quote: under the page header, that first line is text, not a title, and
    the headline at the end is the story's with its author's name."""
    dump = ["7 理论", "理论", "2018年1月15日 星期一", *THEORY, "我国社会主要矛盾变化的重大意义", "颜晓峰"]
    (article,) = segment_text("\n".join(dump)).articles
    assert article.title == "我国社会主要矛盾变化的重大意义"
    assert article.body.startswith("习近平同志在党的十九大报告中指出：“中国特色社会主义进入新时代")
    assert list(article.authors) == ["颜晓峰"]


def test_co_authors_stacked_under_a_headline_written_after_its_text_are_all_its_authors() -> None:
    """On a page whose stream writes each headline group after its text, co-authors' names stacked one per
    line under the title (`汪 涛` / `吴光胜` / `胡查平`) all sign the story before the group."""
    first, second = _story("junshi"), _story("shuzi")
    dump = [
        *_column_lines(first.paragraphs),
        "（作者单位：武汉大学组织营销研究中心）",
        first.title,
        "汪",
        "涛",
        "吴光胜",
        "胡查平",
        *_column_lines(second.paragraphs[1:]),
        second.title,
        "颜晓峰",
    ]
    articles = segment_text("\n".join(dump)).articles
    article = next(a for a in articles if a.title == first.title)
    assert list(article.authors) == ["汪涛", "吴光胜", "胡查平"]
    assert article.body.startswith("昨天下午")


@pytest.mark.parametrize("set_as", ["upright", "flat"])
def test_an_author_s_name_is_no_run_of_the_quote_opening_the_next_text(set_as: str) -> None:
    """An author's bare name written right before the next story's text, which opens with a quote (`严书翰` /
    `“中国共产党是世界上最大`): the name and the run are as wide as a column line together, but a name is a
    byline, never a run cut from a line of text. It signs the story before it (headlines after their text)."""
    first = _story("junshi")
    title, name = "准确把握社会主要矛盾的变化", "严书翰"
    head = [*title, *name] if set_as == "upright" else [title, name]
    quoted = [
        "“中国共产党是世界上最大",
        "的政党。大就要有大的样子。”",
        "习近平同志的这一重要论述，既",
        "准确反映了我们党现有队伍规",
    ]
    dump = [
        *_column_lines(first.paragraphs),
        "（作者为中共中央党校教授）",
        *head,
        *quoted,
        "大就要有大的样子",
        "肖凌之",
    ]
    articles = segment_text("\n".join(dump)).articles
    signed = next(a for a in articles if a.body.startswith("昨天下午"))
    assert (signed.title, list(signed.authors)) == (title, [name])
    assert any(a.body.startswith("“中国共产党是世界上最大的政党。") for a in articles)


@pytest.mark.parametrize("top", [["2018年1月15日 星期一", "", "7 理论", ""], []])
@pytest.mark.parametrize("name", ["沈德咏", "叶 帆"])
def test_a_bare_name_set_apart_atop_a_text_is_its_byline(top: list[str], name: str) -> None:
    """A geometric extractor (pdftotext on a 人民日报 theory page) writes a signed article's name as a block of
    its own, under the page header or at the page top, then the text; the article's title is written elsewhere.
    The name is the story's byline, not a headline of its own."""
    story, other = _story("junshi"), _story("shuzi")
    dump = [*top, name, "", *_column_lines(story.paragraphs), "", other.title, "", *_column_lines(other.paragraphs)]
    articles = segment_text("\n".join(dump)).articles
    article = next(a for a in articles if a.body.startswith("昨天下午"))
    assert list(article.authors) == [name.replace(" ", "")]
    assert not any(a.title.replace(" ", "") == name.replace(" ", "") for a in articles)


@pytest.mark.parametrize("note", [["（作者为中共中央党校教授）"], ["（作者为中国政治学会副会长、上海市", "研究员）"]])
@pytest.mark.parametrize("names", [["严书翰"], ["周 江"], ["周 江", "张济坤"]])
def test_a_bare_name_right_after_an_authors_note_signs_that_story(note: list[str], names: list[str]) -> None:
    """pdftotext writes a theory article's name block after the story's last block: its author's note, then the
    name (co-authors' names one under the other), then the next story's text. The note's story is signed, and
    names no author otherwise: the names are its authors', not the next text's."""
    story, other = _story("junshi"), _story("shuzi")
    dump = [
        other.title, "", *_column_lines(other.paragraphs), *note, "", *names, "",
        story.title, "", *_column_lines(story.paragraphs), "（记者 徐超超）",
    ]  # fmt: skip
    articles = segment_text("\n".join(dump)).articles
    signed = next(a for a in articles if a.body.startswith("5月24日"))
    assert list(signed.authors) == [n.replace(" ", "") for n in names]
    assert next(a for a in articles if a.body.startswith("昨天下午")).authors == ("徐超超",)


@pytest.mark.parametrize("cpl", [5, 6])
def test_a_name_filling_a_narrow_column_line_stays_in_the_text(cpl: int) -> None:
    """In a narrow column (a brief, a box) a person's name can fill a line of running text by itself; a byline is
    set apart (a blank line in the dump), so such a line stays in the body, whatever finished before it."""
    lines = [*_column_lines(("县里召开会议，做到了时时放心不下。",), cpl), "敖煜新", "强调，要争先创优。"]
    article = segment_text("\n".join(["县领导调研", "", *lines, "（记者 董华）"])).articles[0]
    assert "敖煜新强调" in article.body.replace("\n", "") and article.authors == ("董华",)


# Two signed commentaries written for these tests (a theory page's articles return to their key terms, which is
# what joins a stray column to its story).
ESSAY_A = (
    "乡村振兴，产业兴旺是重点。发展乡村产业，要立足资源禀赋，把特色种养、农产品加工和乡村旅游结合起来，让农民在产业链上增收。",
    "产业要兴旺，人才是关键。要吸引年轻人返乡创业，培育一批懂技术、善经营的新型职业农民，让乡村产业有人干、干得好。",
    "乡村产业兴旺，农民增收才有根基。特色种养要做精，农产品加工要做深，乡村旅游要做活，让农民在乡村产业发展中增收。",
    "推进乡村振兴，产业兴旺要守住生态底色。发展特色种养和乡村旅游，不能以牺牲环境为代价，让乡村产业成为农民增收的源头活水。",
)
ESSAY_B = (
    "建设海洋强国，必须完善海洋法律体系。海洋权益的维护，离不开法治的支撑，涉海立法要跟上海洋事业发展的步伐。",
    "完善海洋法律体系，要统筹国内法和国际法，加快海洋基本法的研究制定，以法治方式维护国家的海洋权益。",
)


@pytest.mark.parametrize("name", ["龚文密", "金成武"])
def test_titles_stacked_apart_over_a_bare_name_are_headlines(name: str) -> None:
    """pdftotext gathers a page's headline blocks into one run, each title a block of its own: several stories'
    titles (more than one group's worth) then a bare name, then that story's text (a commentary's, opening with
    no news lead). They are all headline lines, matched to their stories by their words; none is running text."""
    a, b = _story("junshi"), _story("shuzi")
    dump = [
        *_column_lines(a.paragraphs), "（记者 徐超超）", "", *_column_lines(b.paragraphs), "（记者 沈烨冰）", "",
        a.title, "", "数字乡村发展研讨会在德清召开", "", "产业兴旺是重点", "", "让乡村产业兴旺起来", "", name,
        *_column_lines(ESSAY_A),
    ]  # fmt: skip
    articles = segment_text("\n".join(dump)).articles
    article = next(x for x in articles if x.body.startswith(ESSAY_A[0][:8]))
    assert list(article.authors) == [name]
    assert (article.kicker, article.title) == ("产业兴旺是重点", "让乡村产业兴旺起来")
    assert next(x for x in articles if x.body.startswith("昨天下午")).title == a.title
    assert next(x for x in articles if x.body.startswith("5月24日")).title == "数字乡村发展研讨会在德清召开"


@pytest.mark.parametrize("between", [["（作者为中国海洋大学教授）"], ["（作者单位：中国海洋大学法学", "院）"]])
@pytest.mark.parametrize("cut", [2, 3])
def test_text_with_no_headline_and_no_byline_joins_the_story_it_shares_words_with(between: list[str], cut: int) -> None:
    """A geometric extractor can write one story's last column apart from the rest, after another story: text
    with no headline of its own, no byline and no `（上接…）`. Every story has a headline and a continued one says
    so, so the text is a part of the story whose words it shares (and is smaller than it), not an article of its
    own."""
    head, tail = ESSAY_A[:cut], ESSAY_A[cut:]
    dump = [
        "让乡村产业兴旺起来", "", *_column_lines(head), "", "建设海洋强国需完善海洋法律体系", "", "周 江", "",
        *_column_lines(ESSAY_B), *between, "", *_column_lines(tail),
    ]  # fmt: skip
    articles = segment_text("\n".join(dump)).articles
    assert [a.title for a in articles] == ["让乡村产业兴旺起来", "建设海洋强国需完善海洋法律体系"]
    assert "".join(tail) in articles[0].body.replace("\n", "")
    assert articles[1].body.replace("\n", "").startswith("".join(ESSAY_B))


@pytest.mark.parametrize("dateline", ["本报讯 ", "新华社杭州5月24日电 "])
def test_a_brief_opening_with_its_dateline_is_a_story_without_a_headline(dateline: str) -> None:
    """A news-in-brief item is set without a headline and opens with its dateline (`本报讯`): a story of its
    own, not a stray part of the story before it, though it shares that story's words."""
    brief = (dateline + ESSAY_A[2],)
    dump = ["让乡村产业兴旺起来", "", *_column_lines(ESSAY_A[:2]), "", "建设海洋强国需完善海洋法律体系", "", "周 江",
            "", *_column_lines(ESSAY_B), "（作者为中国海洋大学教授）", "", *_column_lines(brief)]  # fmt: skip
    articles = segment_text("\n".join(dump)).articles
    assert [a.title for a in articles] == ["让乡村产业兴旺起来", "建设海洋强国需完善海洋法律体系", ""]
    assert articles[2].body.replace("\n", "").endswith(ESSAY_A[2])


@pytest.mark.parametrize("cpl", [5, 7, 8])
def test_two_headline_groups_written_together_in_narrow_frames_are_headlines(cpl: int) -> None:
    """A layout program writes frames in creation order: two stories' headline groups (kicker, title and deck,
    each wrapped in a one-column frame, set in body type) can come one after the other, more lines together than
    one group's, between a finished text and the second story's text. None of them is body text: they stand
    between finished text and a story's first line, and hold no sentence."""
    first, second, before = _story("jingji"), _story("huanzheda"), _story("shuzi")

    def group(story: Story) -> list[str]:
        parts = [story.kicker, story.title, story.subtitle and f"——{story.subtitle}"]
        return [line for part in parts if part for line, _full in wrap(part, cpl, 0)]

    heads = [*group(first), *group(second)]
    assert len(heads) > 10
    dump = [
        before.title, *_column_lines(before.paragraphs, 9), "（记者 沈烨冰）", *heads,
        *_column_lines(second.paragraphs, 9), "（记者 徐超超 蔡俊）", *_column_lines(first.paragraphs, 9),
        "（记者 董华 姚海翔）",
    ]  # fmt: skip
    articles = segment_text("\n".join(dump)).articles
    for story in (first, second):
        article = next(a for a in articles if a.body.startswith(story.paragraphs[0][:10]))
        heads_read = "".join(filter(None, (article.kicker, article.title, article.subtitle))).replace(" ", "")
        assert story.kicker in heads_read and story.title.replace(" ", "") in heads_read
        assert article.body.startswith(story.paragraphs[0][:10])  # no headline line is left atop the text


@pytest.mark.parametrize("narrow", [4, 6])
def test_a_paragraph_opened_by_ideographic_spaces_is_no_headline_over_narrower_lines(narrow: int) -> None:
    """A paragraph's first line can come out wider than the column around it (a frame-order dump that writes a
    line set across a picture's top, or joins it with its neighbour), with no sentence mark yet. Opened by
    ideographic spaces it is marked as a paragraph's first line (the typesetter's indent), which no headline
    carries: it stays in the body, not a headline over the lines below."""
    story = _story("jingji")
    first, rest = story.paragraphs[1][:14], story.paragraphs[1][14:]  # `敖煜新一行先后来到浙江德清华`: no mark
    dump = [
        story.title, *_column_lines(story.paragraphs[:1], narrow), "\u3000\u3000" + first,
        *_column_lines((rest,), narrow), "（记者 董华 姚海翔）",
    ]  # fmt: skip
    [article] = segment_text("\n".join(dump)).articles
    assert article.title == story.title
    assert first + rest in article.body.replace("\n", "")


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        (["（记者董华", "姚海翔）"], ["董华", "姚海翔"]),
        (["（本报记者徐超超", "蔡俊）"], ["徐超超", "蔡俊"]),
        (["（本报记者徐超", "超 蔡俊）"], ["徐超超", "蔡俊"]),
    ],
)
def test_a_closing_credit_broken_by_a_narrow_column_is_one_byline(credit: list[str], names: list[str]) -> None:
    """A narrow column wraps a story's bracketed closing credit set solid after its role word (a line drawn as
    one run comes out with no space there): `（记者董华` on one line, `姚海翔）` on the next, or broken inside a
    name (`（本报记者徐超` / `超 蔡俊）`). It is one byline closing that story, not a headline line or text of the
    story after it."""
    story, other = _story("junshi"), _story("shuzi")
    dump = [story.title, *_column_lines(story.paragraphs, 7), *credit, other.title, *_column_lines(other.paragraphs, 7)]
    articles = segment_text("\n".join(dump)).articles
    assert [a.title for a in articles] == [story.title, other.title]
    assert list(articles[0].authors) == names
    assert not any(n in articles[1].body for n in names)
