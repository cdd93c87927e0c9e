"""Quality gate on the bundled real page: counts, headline parts, bylines, first and last sentences, and the
overall score against the hand mark-up in `fixtures/dqnews-2023-05-25-p01.truth.json`. Thresholds only move up."""

from __future__ import annotations

import json

import pytest

from pipeline.checks.evaluate import score_page
from pipeline.segment.text import segment_text
from tests.conftest import FIXTURES, SAMPLE_PAGE

TRUTH = json.loads((FIXTURES / "dqnews-2023-05-25-p01.truth.json").read_text(encoding="utf-8"))
QUALITY_FLOOR = 0.98


@pytest.fixture(scope="module")
def layout():  # type: ignore[no-untyped-def]
    return segment_text(SAMPLE_PAGE.read_text(encoding="utf-8"), page=1)


def test_article_count_and_order(layout) -> None:  # type: ignore[no-untyped-def]
    assert [a.title for a in layout.articles] == [
        "全力以赴稳经济 用心用情优服务",
        "增强紧迫感 找准发力点",
        "张张叶子动起来 层层责任强落实",
        "4个高层次人才创业项目签约落户高新区",
        "",
        "梳理德清模式 总结浙江经验",
    ]


def test_kickers_and_subtitles(layout) -> None:  # type: ignore[no-untyped-def]
    assert [a.kicker for a in layout.articles] == [
        "敖煜新在调研二季度经济运行情况时强调",
        "王波在“环浙工大创新经济圈”工作例会上强调",
        "敖煜新在平台、镇(街道)一把手工作例会上强调",
        None,
        None,
        None,
    ]
    assert [a.subtitle for a in layout.articles] == [
        "推动全县经济运行持续稳中向好",
        "以强大合力推动工作取得新进展新成效",
        "奋力当好建设生态文明典范城市排头兵 王波主持 陈健陈亦平王剑峰等参加",
        None,
        None,
        "数字乡村发展研讨会暨浙江省信息化智库联盟专家行在我县召开",
    ]


def test_bylines(layout) -> None:  # type: ignore[no-untyped-def]
    assert [a.authors for a in layout.articles] == [
        ("董华", "姚海翔"),
        ("徐超超", "蔡俊"),
        ("董华", "姚海翔"),
        ("倪忆雪",),
        ("徐超超", "姚海翔"),
        ("沈烨冰",),
    ]


def test_first_and_last_sentences(layout) -> None:  # type: ignore[no-untyped-def]
    ends = [(a.body.split("。")[0], a.body.rstrip("。").split("。")[-1].strip()) for a in layout.articles]
    assert ends == [
        ("昨天上午，县委书记敖煜新带队走访企业、项目，调研二季度经济运行情况", "县领导毕长征参加"),
        (
            "昨天上午，县委副书记、县长王波在“环浙工大创新经济圈”工作例会上强调，要坚持从全县大局和长远发展的高度出发，"
            "进一步增强紧迫感、找准着力点，坚定决心、敢于担当，以强大合力推动工作取得新进展、新成效，确保“环浙工大创新经济圈”"
            "展现更具现代化的新气象",
            "会前，与会人员还前往天安云谷(电商产业园)、莫干山AI超级电影工场、金鹅湖公园、浙工大未来社区等"
            "项目现场，实地查看建设进度，现场解决推进难题",
        ),
        (
            "昨天下午，平台、镇（街道）一把手工作例会召开",
            "积极主动适应新常态，不断提升工作能力，改进工作作风，紧盯全县经济发展目标任务、"
            "“三个一号工程”、十大重点工程、六个新湖州等省、市指标晾晒，精准对标对表，加快补齐短板，推动工作全面争先进位",
        ),
        (
            "昨天，在高新区科技人才局举办的高新人才会客厅资本对接会暨人才项目集中签约仪式上，高端激光智能制造技术与装备、医药领域"
            "一体化SAAS平台开发项目、年产1万套智能储能设备项目、氧气作为清洁氧化剂的微通道连续流新技术项目4个高层次人才创业项目"
            "签约落户高新区，涉及智能制造、数字经济等产业领域",
            "作为金融机构代表，泰隆银行德清支行、宁波银行德清支行的主要负责人"
            "也受邀参加此次活动，两位负责人表示，将积极探索投贷联动机制，推出更符合人才创业项目特点的信用贷款产品，共同助力企业成长",
        ),
        (
            "昨天下午，县委书记、县人武部党委第一书记敖煜新，王波、陈健、陈亦平等县四套班子领导带领各镇(街道)党（工）委、部分部门"
            "主要负责人开展“军事日”活动",
            "在今后工作中，将坚持以习近平新时代中国特色社会主义思想和习近平强军思想为指导，坚决扛牢"
            "党管武装政治责任，以更加强烈的爱国爱军情怀，履行好国防建设职责，不断开创军地协作新局面",
        ),
        ("5月24日，数字乡村发展研讨会暨浙江省信息化智库联盟专家行在德清召开", "其中，德清县在全国排名第一"),
    ]


def test_no_byline_or_jump_marker_in_bodies(layout) -> None:  # type: ignore[no-untyped-def]
    for article in layout.articles:
        assert "记者" not in article.body[-20:] and "|" not in article.body
        assert "下转" not in article.body


def test_jump_marker_becomes_continuation(layout) -> None:  # type: ignore[no-untyped-def]
    assert [a.continues_to_page for a in layout.articles] == [None] * 5 + [2]
    assert all(a.continued_from_page is None for a in layout.articles)


def test_paragraphs_are_rejoined(layout) -> None:  # type: ignore[no-untyped-def]
    truth_starts = {p[:10] for a in TRUTH["articles"] for p in a["body"].split("\n")}
    starts = [p[:10] for a in layout.articles for p in a.body.split("\n")]
    assert all(s in truth_starts for s in starts)  # no invented paragraph break
    assert len(starts) >= len(truth_starts) - 1  # at most one break missed (会上，经信局… reads as full width)
    first = layout.articles[0].body.split("\n")[0]
    assert first.endswith("加快推动全县经济运行持续稳中向好。")


def test_teaser_fragment_is_kept_apart(layout) -> None:  # type: ignore[no-untyped-def]
    assert layout.fragments == ("看看拼抢热潮",)


def test_score_against_mark_up(layout) -> None:  # type: ignore[no-untyped-def]
    score = score_page([a.to_json() for a in layout.articles], TRUTH["articles"])
    assert score.n_predicted == score.n_truth == 6
    assert score.total >= QUALITY_FLOOR, score
