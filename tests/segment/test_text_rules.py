"""Single segmentation rules on small dumps built from real sentences of the sample, one rule per test."""

from __future__ import annotations

import pytest

from pipeline.segment.bylines import find_jump, names_of, parse_byline, split_leading_byline, split_trailing_byline
from pipeline.segment.text import segment_text

STORY_A = """昨天上午，县委书记敖煜新带队
走访企业、项目，调研二季度经济运
行情况。他强调，要全面贯彻落实中
央和省、市委部署要求，持续深化
改革。
敖煜新一行先后来到浙江德清
华丝纺织有限公司、浙江天堂实业有
限公司等企业，察看企业生产
情况。"""

STORY_B = """昨天，在高新区科技人才局
举办的高新人才会客厅资本对
接会暨人才项目集中签约仪式
上，4个高层次人才创业项目签
约落户高新区，涉及智能制造。"""


def test_title_straight_above_its_story_without_byline() -> None:
    dump = f"{STORY_A}\n人才项目落户\n{STORY_B}\n"
    # A punctuation-free line far shorter than a column, after a finished paragraph: a title, not body text.
    layout = segment_text(dump)
    assert [a.title for a in layout.articles] == ["", "人才项目落户"]
    assert layout.articles[1].body.startswith("昨天，在高新区科技人才局")


def test_bracketed_opening_byline_starts_a_story() -> None:
    dump = f"| 记者 董华\n{STORY_A}\n人才项目签约落户\n本报讯（记者 倪忆雪 通讯员 李四）{STORY_B}\n"
    layout = segment_text(dump)
    assert [a.authors for a in layout.articles] == [("董华",), ("倪忆雪", "李四")]
    assert layout.articles[1].title == "人才项目签约落户"
    assert layout.articles[1].body.startswith("昨天，在高新区科技人才局")


def test_continuation_from_another_page() -> None:
    dump = f"数字乡村发展研讨会在德清召开\n（上接第1版）\n{STORY_B}\n"
    [article] = segment_text(dump, page=2).articles
    assert article.continued_from_page == 1 and article.continues_to_page is None
    assert article.title == "数字乡村发展研讨会在德清召开"
    assert "上接" not in article.body


def test_intertitle_stays_inside_its_story() -> None:
    dump = f"| 记者 董华\n{STORY_A}\n一、夯实数字底座\n{STORY_B}\n"
    [article] = segment_text(dump).articles
    assert "\n一、夯实数字底座\n" in article.body


def test_photo_caption_is_a_fragment() -> None:
    dump = f"| 记者 董华\n{STORY_A}\n▲ 研讨会现场。 记者 沈烨冰 摄\n"
    layout = segment_text(dump)
    assert layout.fragments == ("▲ 研讨会现场。 记者 沈烨冰 摄",)
    assert "研讨会现场" not in layout.articles[0].body


def test_story_without_headline_is_kept_alone() -> None:
    dump = f"| 记者 董华\n{STORY_A}\n{STORY_B} | 记者 徐超超\n"
    layout = segment_text(dump)
    assert len(layout.articles) == 2
    assert layout.articles[1].title == "" and layout.articles[1].authors == ("徐超超",)
    assert layout.articles[0].body.endswith("察看企业生产情况。")


def test_byline_forms() -> None:
    assert parse_byline("| 记者 董华 姚海翔") == ("董华", "姚海翔")
    assert parse_byline("记者 王五") == ("王五",)
    assert parse_byline("□ 通讯员 李四 记者 赵六") == ("李四", "赵六")
    assert parse_byline("文/图 张三") == ("张三",)
    assert parse_byline("文化礼堂") is None
    assert parse_byline("县领导毕长征参加。") is None
    assert split_trailing_byline("军地协作新局面。 | 记者 徐超超 姚海翔") == ("军地协作新局面。", ("徐超超", "姚海翔"))
    assert split_trailing_byline("新局面。（记者 徐超超 通讯员 李四）") == ("新局面。", ("徐超超", "李四"))
    assert split_trailing_byline("他说（见图）") is None
    assert split_leading_byline("本报讯（记者 张三 通讯员 李四）昨天上午，") == (("张三", "李四"), "昨天上午，")
    assert names_of("本报记者 董华、姚海翔") == ("董华", "姚海翔")


def test_jump_markers() -> None:
    assert find_jump("德清县在全国排名第一。 （下转第2版）") == ("德清县在全国排名第一。", 2, None)
    assert find_jump("（上接第一版）文字") == ("文字", None, 1)
    assert find_jump("（转第十二版）") == ("", 12, None)
    assert find_jump("没有标记。") == ("没有标记。", None, None)


def test_byline_on_its_own_line_after_a_story_closes_it() -> None:
    dump = f"| 记者 董华\n{STORY_A}\n人才项目落户高新区\n{STORY_B}\n| 记者 徐超超\n数字乡村发展研讨会召开\n"
    layout = segment_text(dump)
    assert [a.authors for a in layout.articles] == [("董华",), ("徐超超",)]
    assert layout.articles[1].title == "人才项目落户高新区"
    assert layout.fragments == ("数字乡村发展研讨会召开",)


def test_fake_bold_printed_as_the_line_twice_marks_a_headline() -> None:
    """Some extractors emit each drawn copy of a fake-bold run as its own line: the repeat is dropped and the line
    is a headline line, as a run-level double is."""
    dump = f"人才项目签约落户高新区\n人才项目签约落户高新区\n| 记者 倪忆雪\n{STORY_B}\n"
    (article,) = segment_text(dump).articles
    assert article.title == "人才项目签约落户高新区" and article.authors == ("倪忆雪",)
    assert "人才项目签约落户高新区" not in article.body


def test_a_dateline_is_not_a_byline() -> None:
    """`本报讯` opens a story; the words after it are the story's, not a reporter's name."""
    assert parse_byline("本报讯 昨天上午") is None
    assert parse_byline("本报讯 记者 张三 通讯员 李四") == ("张三", "李四")
    assert names_of("本报讯（记者 沈烨冰）") == ("沈烨冰",)


def test_page_furniture_and_photo_credits_are_fragments() -> None:
    """The masthead over the header, the header's date and 第N版 line, a teaser box's 导读 and cross-references,
    and a caption's photo credit: none is a headline, a byline or body text."""
    dump = (
        "德清新闻德清新闻\n2023年5月25日 星期四\n第1版第1版 要闻要闻\n导读导读\n●梳理德清模式 总结浙江经验 第4版\n"
        f"人才项目签约落户人才项目签约落户\n图为签约现场。（记者 姚琴 摄）\n| 记者 倪忆雪\n{STORY_B}\n"
    )
    layout = segment_text(dump)
    (article,) = layout.articles
    assert article.title == "人才项目签约落户" and article.kicker is None and article.subtitle is None
    assert article.authors == ("倪忆雪",)
    assert article.body.startswith("昨天，在高新区科技人才局") and "版" not in article.body
    assert {"德清新闻", "2023年5月25日 星期四", "第1版 要闻", "导读", "图为签约现场。（记者 姚琴 摄）"} <= set(
        layout.fragments
    )


def test_lines_broken_by_a_narrow_column_stay_together() -> None:
    """A byline, a teaser entry, a caption's credit and a dashed subtitle broken over lines by a narrow column
    are each read whole."""
    dump = (
        "导读\n●人才项目签约落户高新区\n第7版\n"
        "人才项目签约落户人才项目签约落户\n——数字乡村发展研讨会暨浙江\n省信息化智库联盟专家行在我县\n召开\n"
        f"图为签约现场。（记者\n沈佳\n摄）\n□ 记者 董华\n姚海翔\n{STORY_B}\n"
    )
    layout = segment_text(dump)
    (article,) = layout.articles
    assert article.title == "人才项目签约落户"
    assert article.subtitle == "数字乡村发展研讨会暨浙江省信息化智库联盟专家行在我县召开"
    assert article.authors == ("董华", "姚海翔")
    assert article.body.startswith("昨天，在高新区科技人才局") and "沈佳" not in article.body
    assert {"●人才项目签约落户高新区", "第7版", "沈佳", "摄）"} <= set(layout.fragments)


@pytest.mark.parametrize(
    ("lead", "rest", "names"),
    [
        ("（记者 董华", "姚海翔）", ("董华", "姚海翔")),
        ("(通讯员 李四 王五", "赵六)", ("李四", "王五", "赵六")),
        ("（记者 董华 姚", "海翔）", ("董华", "姚海翔")),  # broken inside the last name
        ("（记者 徐超", "超 蔡俊）", ("徐超超", "蔡俊")),  # broken inside the first name
    ],
)
def test_a_closing_byline_broken_after_the_last_sentence_signs_its_story(
    lead: str, rest: str, names: tuple[str, ...]
) -> None:
    """A closing byline trails the story's last sentence in brackets and breaks over the line's end, the rest
    of its names and its closing bracket on the next line (the break may fall inside a name: no name is one
    character): it signs the story it closes (not the next one), and no name is left in a body."""
    dump = f"敖煜新调研企业生产情况\n{STORY_A[:-4]}\n情况。{lead}\n{rest}\n人才项目签约落户高新区\n{STORY_B}\n"
    first, second = segment_text(dump).articles
    assert first.title == "敖煜新调研企业生产情况" and first.authors == names and first.body.endswith("情况。")
    assert second.title == "人才项目签约落户高新区" and second.authors == ()
    assert not any(n in a.body for a in (first, second) for n in names)


def test_a_dateline_after_a_finished_paragraph_starts_a_new_story() -> None:
    """An untitled brief (`本报讯 …`) printed right after another story's last paragraph is a story of its own."""
    dump = f"人才项目签约落户\n| 记者 倪忆雪\n{STORY_B}\n本报讯 5月2\n4日，数字乡村发展研讨会在德清召开。\n"
    first, brief = segment_text(dump).articles
    assert first.title == "人才项目签约落户" and first.body.endswith("涉及智能制造。")
    assert brief.title == "" and brief.body == "本报讯 5月24日，数字乡村发展研讨会在德清召开。"


def test_headline_without_weight_right_above_a_news_lead() -> None:
    """A headline group printed in plain type (no fake bold) straight above its story, under the page header:
    the lines that are no sentence and not of body width, before a line opening like a story, are headline."""
    dump = (
        "第1版 要闻\n敖煜新在平台、镇(街道)一把手工作例会上强调\n张张叶子动起来 层层责任强落实\n"
        "昨天，在高新区科技人才局\n举办的高新人才会客厅资本对\n接会暨人才项目集中签约仪式\n上，4个高层次人才创业项目签\n"
        "约落户高新区，涉及智能制造。\n"
    )
    (article,) = segment_text(dump).articles
    assert "张张叶子动起来" in article.title and "强调" not in article.body
    assert article.body.startswith("昨天，在高新区科技人才局")


def test_headline_parts_without_weight_read_by_their_words() -> None:
    """A dump that lost the fake bold: the kicker still reads as one (who spoke, where: `…时强调`), the title is the
    line after it, and the line under the title is the subtitle."""
    dump = (
        "敖煜新在调研二季度经济运行情况时强调\n全力以赴稳经济 用心用情优服务\n推动全县经济运行持续稳中向好\n"
        f"| 记者 董华 姚海翔\n{STORY_A}\n"
    )
    (article,) = segment_text(dump).articles
    assert article.kicker == "敖煜新在调研二季度经济运行情况时强调"
    assert article.title == "全力以赴稳经济 用心用情优服务"
    assert article.subtitle == "推动全县经济运行持续稳中向好"


LEAD_A = """昨天下午，平台、镇（街
道）一把手工作例会召开。县
委书记敖煜新强调，要以深入
实施“八八战略”为指引，奋
力当好排头兵。"""


@pytest.mark.parametrize(
    "group",
    [
        "敖煜新在平台、镇(街道\n)一把手工作例会上强调\n张张叶子动起来\n层层责任强落实",
        "王波在“环浙工大创新经\n济圈”工作例会上强调\n张张叶子动起来层层责\n任强落实",
    ],
)
def test_a_headline_wrapped_to_the_column_over_an_unmarked_lead_is_the_headline(group: str) -> None:
    """A headline group set in a narrow frame wraps to the column's width (`敖煜新在平台、镇(街道` /
    `)一把手工作例会上强调`), printed plain between a finished paragraph and a story whose first line is not
    marked but opens with its time phrase and a comma (`昨天下午，`): a sentence starts there, so the lines
    before it, ending none and holding no comma, are no body text but that story's headline."""
    dump = f"敖煜新调研企业生产情况\n{STORY_A}\n{group}\n{LEAD_A}\n"
    first, second = segment_text(dump).articles
    assert first.body.endswith("察看企业生产情况。")
    assert second.title.replace(" ", "") == "张张叶子动起来层层责任强落实"
    assert second.body.startswith("昨天下午，平台")


@pytest.mark.parametrize("label", ["新闻速览", "简讯"])
def test_the_titles_of_a_brief_column_in_a_dump_are_stories(label: str) -> None:
    """Under a brief column's label (`简讯`, `新闻速览`) each item is a story under its one-line title, whether
    or not it carries a credit: the second item's title, after the first item's finished text, is no intertitle
    of the first even when its closing credit is the only one in the column."""
    items = (  # label and titles in fake bold: each drawn twice, so dumped twice
        f"{label}\n{label}\n增强紧迫感找准发力点\n增强紧迫感找准发力点\n昨天上午，县委副书记、县长王波在\n"
        "“环浙工大创新经济圈”工作例会上强\n调，要坚持从全县大局和长远发展的\n高度出发，进一步增强紧迫感。\n"
        "梳理德清模式总结浙江经验\n梳理德清模式总结浙江经验\n"
        "近日，数字乡村发展研讨会暨浙江省\n信息化智库联盟专家行在德清召开。\n会上，与会专家进行了深入交流，谋\n"
        "划下一步发展。（记者 沈烨冰）\n"
    )
    layout = segment_text(f"敖煜新调研企业生产情况\n{STORY_A}\n{items}")
    titles = [a.title for a in layout.articles]
    assert titles == ["敖煜新调研企业生产情况", "增强紧迫感找准发力点", "梳理德清模式总结浙江经验"]
    assert layout.articles[2].authors == ("沈烨冰",) and layout.articles[1].authors == ()


@pytest.mark.parametrize("lead", ["昨天下午，县委书记敖煜新带领", "5月24日，县委书记敖煜新带领"])
def test_a_heading_over_a_lead_naming_the_news_day_opens_a_story(lead: str) -> None:
    """A one-line heading between an uncredited story's finished text and a paragraph opening with the news
    day (`昨天下午，`, `5月24日，`), the text after it closing with a credit: a section of a story carries its
    time on (`今年以来，`), a new story anchors its own on its first line, so the heading is a title."""
    second = (
        f"{lead}\n县四套班子领导开展“军事日”活\n动，大家身穿迷彩服，体验军营生\n活，接受国防教育。（记者 徐超超）\n"
    )
    layout = segment_text(f"敖煜新调研企业生产情况\n{STORY_A}\n县领导开展“军事日”活动\n{second}")
    first, other = layout.articles
    assert first.title == "敖煜新调研企业生产情况" and first.authors == () and "军事日" not in first.body
    assert other.title == "县领导开展“军事日”活动" and other.authors == ("徐超超",)
