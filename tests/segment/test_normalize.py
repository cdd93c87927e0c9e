"""De-doubling and line joining: examples from the sample, then properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pipeline.segment.normalize import _RUNS, is_doubled, join_wrapped, paragraphs, tidy_headline, tidy_spaces, undouble

# Characters drawn from the sample: Han, full-width punctuation, digits, Latin, spaces.
HAN = "王波在环浙工大创新经济圈作例会上强调敖煜新平台镇街道一把手张叶子动起来层看拼抢热潮"
PUNCT = "，。、“”（）()：；！？"
text = st.text(alphabet=HAN + PUNCT + "0123456789AI ", min_size=1, max_size=40)


def double_runs(s: str) -> str:
    """What a text extractor makes of fake bold: every run drawn twice."""
    return "".join(r if r.isspace() else r + r for r in _RUNS.findall(s))


def test_sample_headlines_are_undoubled() -> None:
    line = "王波在王波在““环浙工大创新经济圈环浙工大创新经济圈””工作例会上强调工作例会上强调"
    assert undouble(line) == "王波在“环浙工大创新经济圈”工作例会上强调"
    assert undouble("敖煜新在平台敖煜新在平台、、镇镇((街道街道))一把手工作例会上强调一把手工作例会上强调") == (
        "敖煜新在平台、镇(街道)一把手工作例会上强调"
    )
    assert (
        undouble("王波主持王波主持 陈健陈亦平王剑峰等参加陈健陈亦平王剑峰等参加") == "王波主持 陈健陈亦平王剑峰等参加"
    )


def test_genuine_repetitions_survive() -> None:
    for line in ("张张叶子动起来 层层责任强落实", "看看拼抢热潮", "谢谢", "人人参与、人人尽责", "大家纷纷表示，通过"):
        assert undouble(line) == line
        assert not is_doubled(line)


def test_full_width_punctuation_is_kept() -> None:
    assert undouble("增强紧迫感，找准发力点。") == "增强紧迫感，找准发力点。"


@given(text)
def test_undouble_is_idempotent(s: str) -> None:
    once = undouble(s)
    assert undouble(once) == once


@given(text)
def test_undouble_restores_doubled_lines(s: str) -> None:
    assume(undouble(s) == s and sum(not c.isspace() for c in s) >= 2)
    assert undouble(double_runs(s)) == s


@given(text)
def test_undouble_never_invents_characters(s: str) -> None:
    assert set(undouble(s)) <= set(s)


lines = st.lists(st.text(alphabet=HAN + PUNCT + "AI", min_size=1, max_size=16), min_size=1, max_size=30)


@given(lines)
def test_paragraphs_lose_no_character(ls: list[str]) -> None:
    joined = "".join("".join(p.split()) for p in paragraphs(ls))
    assert joined == "".join("".join(x.split()) for x in ls)


@given(lines)
def test_paragraphs_are_idempotent(ls: list[str]) -> None:
    # Re-joining any paragraph on its own gives it back unchanged.
    for para in paragraphs(ls):
        assert paragraphs([para]) == [para]


def test_paragraph_breaks_follow_short_lines_and_indents() -> None:
    lines = [
        "昨天上午，县委书记敖煜新带队",
        "走访企业、项目，调研二季度经济运",
        "行情况。他强调，要全面贯彻落实中",
        "续稳中向好。",
        "敖煜新一行先后来到浙江德清",
        "华丝纺织有限公司、浙江天堂实业有",
        "限公司等企业，走进生产车间察看。",
    ]
    assert paragraphs(lines) == [
        "昨天上午，县委书记敖煜新带队走访企业、项目，调研二季度经济运行情况。他强调，要全面贯彻落实中续稳中向好。",
        "敖煜新一行先后来到浙江德清华丝纺织有限公司、浙江天堂实业有限公司等企业，走进生产车间察看。",
    ]


def test_latin_words_keep_a_space_across_a_wrap() -> None:
    assert join_wrapped("高端 SAAS", "platform") == "高端 SAAS platform"
    assert join_wrapped("医药领域一体化SAAS平", "台开发项目") == "医药领域一体化SAAS平台开发项目"


def test_a_number_broken_over_a_wrap_in_chinese_text_stays_one_number() -> None:
    assert join_wrapped("本报讯 5月2", "4日，研讨会召开") == "本报讯 5月24日，研讨会召开"
    assert join_wrapped("总投资1.", "25亿元") == "总投资1.25亿元"
    assert join_wrapped("型号 X1", "2 发布") == "型号 X1 2 发布"  # Latin text keeps its word space


def test_spaces_left_by_typesetting_runs_go() -> None:
    """Beside full-width punctuation and after a Latin-face run the spaces are artefacts: gone."""
    assert tidy_spaces("坚持“ 一国两制”，保持香港、 澳门") == "坚持“一国两制”，保持香港、澳门"
    assert tidy_spaces("汇聚起13 亿多中华儿女，经过97 年奋斗") == "汇聚起13亿多中华儿女，经过97年奋斗"
    assert tidy_spaces("占比57.1% 的项目\n新华社北京电 （记者 张三）") == "占比57.1%的项目\n新华社北京电（记者 张三）"


def test_spaces_set_on_purpose_stay() -> None:
    """A dateline parted from its text, names parted in a list, headline phrases, Latin words: kept."""
    for text in (
        "本报讯 5月24日，",
        "出席的有张三 李四 王五",
        "增强紧迫感 找准发力点",
        "Belt and Road",
        "（记者 张三）",
    ):
        assert tidy_spaces(text) == text


@given(st.text(alphabet="中文，。“”（）12ab  \n"))
def test_tidy_spaces_only_drops_spaces(s: str) -> None:
    assert "".join(tidy_spaces(s).split()) == "".join(s.split()) and tidy_spaces(tidy_spaces(s)) == tidy_spaces(s)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("增强紧迫感  找准发力点", "增强紧迫感 找准发力点"),
        ("绿色规划\u3000\u3000绿色产业   绿色消费", "绿色规划 绿色产业 绿色消费"),
        ("“ 一国两制”  是最佳制度 ", "“一国两制”是最佳制度"),
        ("新使命：中国共产党的历史担当", "新使命：中国共产党的历史担当"),
    ],
)
def test_a_headlines_phrase_gaps_are_one_space(raw: str, want: str) -> None:
    """However wide a headline's phrase gap was set (extractors write two spaces, or ideographic ones, for an
    em or two of white), the headline reads with one space there; the run artefacts `tidy_spaces` removes go."""
    assert tidy_headline(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("医药领域一体化S A A S平台", "医药领域一体化SAAS平台"),
        ("莫干山A I超级电影工场", "莫干山AI超级电影工场"),
        ("5月2 4日，数字乡村", "5月24日，数字乡村"),
        ("占比全县57 . 1%，其中", "占比全县57.1%，其中"),
        ("占比全县6 6 . 7%", "占比全县66.7%"),
        ("天安云谷( 电商产业园)、莫干山", "天安云谷(电商产业园)、莫干山"),
        ("各镇( 街道) 党（工）委", "各镇(街道)党（工）委"),
    ],
)
def test_glyph_placement_white_in_digits_acronyms_and_brackets_goes(raw: str, want: str) -> None:
    """Digits, an acronym's capitals and half-width brackets are set solid in Chinese text; the white a
    glyph-by-glyph placement or a justified line leaves between them is no word space."""
    assert tidy_spaces(raw) == want


@pytest.mark.parametrize(
    "kept", ["A Tale of Two Cities", "GDP CPI", "本报讯 5月24日", "张三 李四", "Made in China", "e.g. 5", "1, 2, 3"]
)
def test_word_spaces_stay(kept: str) -> None:
    """A capitalised word, two acronyms, a dateline's gap and names set apart keep their spaces."""
    assert tidy_spaces(kept) == kept


def test_an_acronym_wrapped_over_two_lines_is_one_word() -> None:
    """Justified Chinese lines break anywhere, inside an acronym too: `SA` / `AS平台` is `SAAS平台`; Latin words
    broken at a space keep it."""
    assert join_wrapped("医药领域一体化SA", "AS平台开发项目") == "医药领域一体化SAAS平台开发项目"
    assert join_wrapped("发布了iPhone", "Pro新品") == "发布了iPhone Pro新品"
