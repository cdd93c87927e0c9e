"""Printed lines from characters: runs of one line joined whatever text object they came in, fake bold cut into
other runs undone, upright lines read top down, ideographic indents. Each on at least two constructions of the
second page generator (`tests/fixtures/make_pages2.py`)."""

from __future__ import annotations

import random
from typing import Any

import pymupdf
import pytest

from pipeline.extract.lines import Span, _join_runs, _rows
from pipeline.extract.pdf import read_lines
from pipeline.models import Box, TextLine
from tests.fixtures.make_pages2 import BODY_FONT, HEAD_FONT, PAGE_H, Canvas2


def lines_of(canvas: Canvas2, scrambled: bool = False) -> list[TextLine]:
    doc: Any = pymupdf.open(stream=canvas.pdf(scrambled), filetype="pdf")
    return sorted(read_lines(doc[0]), key=lambda x: (round(x.box.y0), x.box.x0))


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
@pytest.mark.parametrize("scrambled", [False, True])
def test_a_line_of_runs_in_several_fonts_is_one_line(draw: str, scrambled: bool) -> None:
    """Font switches for digits, Latin and punctuation, each run its own text object (or each character placed
    on its own), in stream order or not: one line, its words in order, its spaces kept."""
    c = Canvas2(random.Random(3), draw, "copy")
    c.line(40, 100, "全县20个项目于5月开工，总投资1.5亿元", 10, BODY_FONT)
    c.line(40, 114, "本报记者 董华 姚海翔", 10, BODY_FONT)
    texts = [x.text for x in lines_of(c, scrambled)]
    assert "".join(texts[0].split()) == "全县20个项目于5月开工，总投资1.5亿元"
    assert texts[1] == "本报记者 董华 姚海翔"


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_fake_bold_copy_cut_into_other_runs_comes_out_once_and_bold(draw: str) -> None:
    """The copy of a fake-bold title is cut into runs at other places than the original (`春运守好“安全门` over
    `春运守好` + `“安全门”（记者调查）`): every character once, the line bold."""
    for seed in range(5):  # the copy's cut falls at a different character each time
        c = Canvas2(random.Random(seed), draw, "copy")
        c.line(40, 100, "春运守好“安全门”（记者调查）", 24, HEAD_FONT, bold=True)
        c.line(40, 140, "昨天上午，县委书记敖煜新带队", 10, BODY_FONT)
        (title, body) = lines_of(c)
        assert title.text == "春运守好“安全门”（记者调查）" and title.bold
        assert body.text == "昨天上午，县委书记敖煜新带队" and not body.bold


def test_stroke_and_fill_bold_is_read_once() -> None:
    """Fake bold as stroke plus fill (render mode 2) draws each glyph once: the text comes out once."""
    c = Canvas2(random.Random(1), "runs", "stroke")
    c.line(40, 100, "全力以赴稳经济 用心用情优服务", 24, HEAD_FONT, bold=True)
    assert [x.text for x in lines_of(c)] == ["全力以赴稳经济 用心用情优服务"]


def _upright(c: Canvas2, text: str, x: float, y: float, size: float, turned: bool) -> None:
    for ch in text:
        m = (
            f"0 -1 1 0 {x + 0.1 * size:.2f} {PAGE_H - y:.2f}"
            if turned
            else f"1 0 0 1 {x:.2f} {PAGE_H - y - 0.9 * size:.2f}"
        )
        enc = ch.encode("utf-16-be").hex()
        c.ops.append(f"BT /{HEAD_FONT} {size:.2f} Tf {m} Tm <{enc}> Tj ET")
        y += size * 1.1


@pytest.mark.parametrize("turned", [True, False])
def test_upright_title_is_one_line_read_top_down(turned: bool) -> None:
    """An upright title, written with a turned text matrix (direction (0, 1)) or as one upright character per
    line, is one line read top to bottom; the quotes of vertical setting are the horizontal ones."""
    c = Canvas2(random.Random(1), "runs", "copy")
    _upright(c, "准确理解﹃不平衡﹄", 700, 100, 24, turned)
    c.line(40, 100, "党的十九大报告提出，中国特色社会主义进入新时代。", 10, BODY_FONT)
    lines = lines_of(c)
    upright = [x for x in lines if x.box.height > 3 * x.box.width]
    assert [x.text for x in upright] == ["准确理解“不平衡”"]
    assert any(x.text.startswith("党的十九大报告提出") for x in lines)


def test_lone_characters_ending_wrapped_lines_are_not_upright() -> None:
    """Two wrapped titles, each ending in one character on a line of its own, one under the other: still two
    horizontal titles (a lone character under a longer line it lies within ends that line)."""
    c = Canvas2(random.Random(1), "line", "copy")
    c.line(40, 100, "张张叶子动起来 层层责任强落", 18, HEAD_FONT)
    c.line(40, 124, "实", 18, HEAD_FONT)
    c.line(40, 160, "全力以赴稳经济 用心用情优服", 18, HEAD_FONT)
    c.line(40, 184, "务", 18, HEAD_FONT)
    assert [x.text for x in lines_of(c)] == ["张张叶子动起来 层层责任强落", "实", "全力以赴稳经济 用心用情优服", "务"]


@pytest.mark.parametrize("draw", ["runs", "chars"])
def test_an_indent_written_as_ideographic_spaces_is_an_indent(draw: str) -> None:
    """`　　昨天上午…`: the line's box starts where its first printed character does, two ems in."""
    c = Canvas2(random.Random(1), draw, "copy")
    c.line(40, 100, "\u3000\u3000昨天上午，县委书记敖煜新", 10, BODY_FONT)
    c.line(40, 115, "带队走访企业、项目，调研二季度", 10, BODY_FONT)
    first, second = lines_of(c)
    assert first.text == "昨天上午，县委书记敖煜新"
    assert first.box.x0 == pytest.approx(second.box.x0 + 20, abs=1.5)


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_punctuation_hung_into_the_gutter_does_not_join_two_columns(draw: str) -> None:
    """Two pairs of columns a gutter apart; in each, one line of the left column ends in punctuation hung into
    the gutter, so its box ends a fifth of an em from (or right against) the right column's line on the same
    baseline. The lines above and below leave the gutter white: two lines, not one. A line whose runs stand as
    far apart inside a column (letter-spaced digits above and below it cover the spot) stays one line."""
    c = Canvas2(random.Random(2), draw, "copy")
    rows = [
        ("县委书记敖煜新带队走", "增强紧迫感找准发力点"),
        ("其位、谋其职、尽其责，", "姚海翔"),
        ("企业项目调研二季度经", "昨天上午县长王波强调"),
    ]
    for k, (left, right) in enumerate(rows):
        c.line(40, 100 + 15 * k, left, 10, BODY_FONT)
        c.line(152, 100 + 15 * k, right, 10, BODY_FONT)  # the hung comma ends 0.2 em short of it
        c.line(300, 100 + 15 * k, left.replace("，", "。"), 10, BODY_FONT)
        c.line(410, 100 + 15 * k, right, 10, BODY_FONT)  # the hung full stop ends right against it
    c.line(560, 100, "比全县6 6 . 7 %，其中", 10, BODY_FONT)
    c.line(560, 115, "创业项目的", 10, BODY_FONT)
    c.line(611.7, 115, "8个，占", 10, BODY_FONT)
    c.line(560, 130, "比全县5 7 . 1 %。", 10, BODY_FONT)
    texts = [x.text for x in lines_of(c, scrambled=True)]
    assert "其位、谋其职、尽其责，" in texts and "其位、谋其职、尽其责。" in texts and texts.count("姚海翔") == 2
    assert any("".join(t.split()) == "创业项目的8个，占" for t in texts)


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_a_letter_spaced_line_is_one_line(draw: str) -> None:
    """A justified line letter-spaced to fill its measure (each character about an em from the next, all at one
    pitch), beside an ordinary column: one line of its characters, no spaces, not upright stacks of lone
    characters; the next column's line stays apart."""
    c = Canvas2(random.Random(4), draw, "copy")
    for k, text in enumerate(["县委书记敖煜", "新带队走访企", "业、项目，调"]):
        c.line(40, 100 + 15 * k, text, 10, BODY_FONT, tc=11.7)
        c.line(180, 100 + 15 * k, "敖煜新一行先后来到", 10, BODY_FONT)
    texts = [x.text for x in lines_of(c)]
    assert texts == [
        "县委书记敖煜",
        "敖煜新一行先后来到",
        "新带队走访企",
        "敖煜新一行先后来到",
        "业、项目，调",
        "敖煜新一行先后来到",
    ]


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_a_short_run_does_not_jump_a_gutter(draw: str) -> None:
    """A column ends with a closing byline `姚海翔）` and an enumeration comma line `作成效、`, each short and
    about an em and a half from the next column's line on the same baseline (which starts with a digit or is
    a lone upright character); the lines above and below leave the gutter white. Two lines each, not one."""
    c = Canvas2(random.Random(5), draw, "copy")
    c.line(40, 100, "（记者 徐超超", 10, BODY_FONT)
    c.line(150, 100, "区引进人才创业项目3", 10, BODY_FONT)
    c.line(80, 115, "姚海翔）", 10, BODY_FONT)
    c.line(134, 115, "0个，占比全县66.", 10, BODY_FONT)
    c.line(40, 130, "从试点工作成效看", 10, BODY_FONT)
    c.line(150, 130, "7%，其中认定市重点", 10, BODY_FONT)
    c.line(300, 145, "作成效、", 10, BODY_FONT)
    c.line(352, 145, "沈", 10, BODY_FONT)
    c.line(300, 160, "群众感知评价", 10, BODY_FONT)
    texts = ["".join(x.text.split()) for x in lines_of(c, scrambled=True)]
    assert "姚海翔）" in texts and "0个，占比全县66." in texts
    assert "作成效、" in texts and "沈" in texts


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_a_column_letter_spaced_wider_than_names_are_spaced(draw: str) -> None:
    """A column of lines of four characters justified across a wide measure (about two ems between
    characters, wider than spaced-out names stand apart), beside an ordinary column a gutter away, one of its
    lines ending where the other column has none: each printed line is one line of its characters (not
    upright stacks of lone characters), and never runs on into the next column."""
    c = Canvas2(random.Random(6), draw, "copy")
    rows = ["下午，平", "台、镇（", "街道）一", "把手工作", "开展“军"]
    for k, text in enumerate(rows):
        c.line(40, 100 + 15 * k, text, 10, BODY_FONT, tc=20.5)
        if k < 4:
            c.line(162, 100 + 15 * k, "敖煜新一行先后来到", 10, BODY_FONT)
    c.line(162, 160, "进力量。", 10, BODY_FONT)
    texts = [x.text for x in lines_of(c)]
    assert [t for t in texts if t[0] in "下台街把开"] == rows
    assert "进力量。" in texts


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_letter_spacing_goes_on_between_runs(draw: str) -> None:
    """A justified line letter-spaced by a third of an em, its digits in another font (`比全县` then
    `5 7 . 1 %。`, `5 月` then `2 4 日，数`): one line, in order."""
    c = Canvas2(random.Random(7), draw, "copy")
    c.line(40, 100, "比全县57.1%。", 10, BODY_FONT, tc=3.9)
    c.line(40, 115, "创业项目的8个，占比", 10, BODY_FONT, tc=3.6)
    c.line(200, 100, "敖煜新一行先后来到", 10, BODY_FONT)
    c.line(200, 115, "浙江德清华丝纺织", 10, BODY_FONT)
    texts = ["".join(x.text.split()) for x in lines_of(c, scrambled=True)]
    assert "比全县57.1%。" in texts and "创业项目的8个，占比" in texts


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_columns_off_each_others_baselines_with_punctuation_hung_into_the_gutter(draw: str) -> None:
    """Two columns whose lines stand 3 pt off each other's baselines (a heading above shifted one of them), the
    left one's lines mostly ending in punctuation hung into the gutter, right against the right column's: the
    one line that leaves the gutter white, a fraction of a line off the right column's, shows the gutter to the
    lines around it. Every line stays in its column."""
    c = Canvas2(random.Random(8), draw, "copy")
    left = [
        "实地参观军营政治文化建设，",
        "了解武器装备性能，观看战",
        "斗射击科目演示、“刺杀操”",
        "训练，并在安全员的指导下，",
    ]
    right = [
        "江德清华丝纺织有限公司、",
        "浙江天堂实业有限公司、浙",
        "江东胜物联技术有限公司等",
        "企业，走进生产车间察看企",
    ]
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        c.line(34, 1008.5 + 15 * k, a, 10, BODY_FONT)
        c.line(164.8, 1005.5 + 15 * k, b, 10, BODY_FONT)
        c.line(295.5, 1005.5 + 15 * k, "在技术研发、市场拓展、智", 10, BODY_FONT)
    texts = [x.text for x in lines_of(c, scrambled=True)]
    assert all(t in texts for t in left + right)


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_spaced_out_names_over_a_gutter_stay_one_byline(draw: str) -> None:
    """A commentary's byline `叶 帆` (two characters set to three's width) centred over the gutter of the two
    columns under it, set larger than their text, three ems above them: one line, the columns' gutter does not
    part its names."""
    c = Canvas2(random.Random(9), draw, "copy")
    c.line(290.7, 1148.5, "叶", 9.66, BODY_FONT)
    c.line(311.7, 1148.5, "帆", 9.66, BODY_FONT)
    for k in range(3):
        c.line(166.0, 1178 + 11 * k, "党》中曾作过精辟分析：“帝国主义", 8.28, BODY_FONT)
        c.line(313.6, 1178 + 11 * k, "国一穷二白、百废待兴，为中国", 8.28, BODY_FONT)
    texts = [x.text for x in lines_of(c)]
    assert "叶 帆" in texts


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
@pytest.mark.parametrize("scrambled", [False, True])
def test_a_hung_comma_over_a_gutter_to_a_lower_baseline_parts_the_two_lines(draw: str, scrambled: bool) -> None:
    """A column's line ends in a comma hung into the gutter, half an em from the next column's line, which
    stands 0.74 em lower (the columns are off each other's baselines): PyMuPDF may report both lines' pieces as
    one run two lines tall; each line stays in its column."""
    c = Canvas2(random.Random(4), draw, "copy")
    left = [
        "级领导干部国防意识的重要举措。敖",
        "煜新一行先后前往县国防园、驻训点，",
        "慰问驻训部队官兵，实地参观军营政",
    ]
    right = ["党管武装工作的责任感和使命感。在", "今后工作中，将坚持以习近平新时代", "中国特色社会主义思想和习近平强军"]
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        c.line(191.3, 764 + 13.5 * k, a, 9, BODY_FONT)
        c.line(348.6, 770.7 + 13.5 * k, b, 9, BODY_FONT)
    texts = [x.text for x in lines_of(c, scrambled)]
    assert all(t in texts for t in left + right), texts


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_white_between_words_of_ideographs_set_solid_is_a_space(draw: str) -> None:
    """A byline's word spaces are a Latin font's space, a quarter em, whose glyph box is taller than the
    ideographs' and may be read apart from them (here a larger line in another column, a few points higher,
    takes the byline's runs into its row but not the spaces'): the white between the words set solid is a space
    all the same, and the names come out parted. Ideographs set solid inside a word get none."""
    c = Canvas2(random.Random(5), draw, "copy")
    c.line(34, 153, "本报记者 董华 姚海翔", 9.5, BODY_FONT)
    c.line(34, 166.5, "昨天上午，县委书记敖煜新带队走访", 9.5, BODY_FONT)
    c.line(632.6, 148, "4个高层次人才创业项目签约", 12, HEAD_FONT)
    texts = [x.text for x in lines_of(c)]
    assert "本报记者 董华 姚海翔" in texts and "昨天上午，县委书记敖煜新带队走访" in texts


def _span(text: str, box: tuple[float, float, float, float], size: float, base: float, font: str = "Song") -> Span:
    return Span(text, Box(*box), size, font, False, (0, 0, 0), base)


def test_runs_are_put_in_rows_by_baseline_not_by_box() -> None:
    """Runs as PyMuPDF reported them on second-generator pages (seeds 4511, 4035, 4240). An 18 pt title and the
    first piece of its fake-bold copy, a quarter point lower, beside a 12 pt line of the next column whose
    (taller, Latin) first run overlaps most of the title's height on a baseline 11 pt higher: title and copy
    share a row, the other line has its own. A byline's Latin spaces, whose boxes are taller than the
    ideographs', share the byline's row, not a row of their own. A 20 pt title line (seed 4240) whose copy
    stands a quarter point lower, in the next column from a 25.5 pt title line on a baseline 3.75 pt higher:
    title and copy share their own row. An 18 pt title line (seed 4010) level with a 9.5 pt line of the
    next column, its baseline 0.7 pt lower and its copy's a quarter point lower still: title and copy share a
    row, whichever span opened it."""
    title = _span("全力以赴稳经济", (512.2, 869.3, 638.6, 891.0), 18.05, 887.3)
    copy = _span("全力", (512.5, 869.5, 548.6, 891.2), 18.05, 887.5)
    digit = _span("4", (669.6, 862.8, 676.3, 879.3), 12, 875.7, "Helvetica")
    rest = _span("个高层次人才创业项", (676.3, 863.7, 784.3, 878.1), 12, 875.7)
    rows = _rows([digit, rest, title, copy])
    assert [[s.text for s in r] for r in rows] == [["4", "个高层次人才创业项"], ["全力以赴稳经济", "全力"]]
    teaser = _span("个高层次人才创业项目签约", (639.3, 136.0, 783.3, 150.4), 12, 148.0)
    words = [
        _span("本报记者", (34.0, 143.5, 72.0, 154.9), 9.5, 152.6),
        _span(" ", (72.0, 142.8, 74.6, 155.8), 9.5, 152.6, "Helvetica"),
        _span("董华", (74.6, 143.5, 93.6, 154.9), 9.5, 152.6),
    ]
    rows = _rows([teaser, *words])
    assert [[s.text for s in r] for r in rows] == [["个高层次人才创业项目签约"], ["本报记者", " ", "董华"]]
    big = _span("全力以赴稳经", (140.6, 850.3, 319.3, 881.0), 25.5, 875.84)
    line = _span("浙江经验", (675.7, 859.6, 755.5, 883.6), 19.95, 879.59)
    copy = _span("浙江", (676.0, 859.9, 715.9, 883.8), 19.95, 879.84)
    rows = _rows([big, line, copy])
    assert [[s.text for s in r] for r in rows] == [["全力以赴稳经"], ["浙江经验", "浙江"]]
    body = _span("上，高端激光智能制造", (34.0, 615.3, 133.4, 626.7), 9.5, 624.9)
    title = _span("责任强落实", (713.2, 607.5, 803.4, 629.2), 18.05, 625.59)
    copy = _span("任强落实", (731.6, 607.8, 803.8, 629.5), 18.05, 625.87)
    rows = _rows([body, title, copy])
    assert any({"责任强落实", "任强落实"} <= {s.text for s in r} for r in rows)


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
def test_an_editors_sign_off_does_not_run_into_the_next_columns_short_line(draw: str) -> None:
    """An editor's note signed `——编  者` flush right in its column, level with the next column's short last
    line of a paragraph a word and a half away (seed 66): the sign-off is no spaced-out name, so two lines."""
    c = Canvas2(random.Random(6), draw, "copy")
    c.line(577.3, 652.9, "编者按：领军人才、俄罗", 9, BODY_FONT)
    c.line(708.6, 652.9, "今年以来，高新区科技人", 9, BODY_FONT)
    c.line(635.7, 666.4, "——编  者", 9, BODY_FONT)
    c.line(690.6, 666.4, "占比全县57.1%。", 9, BODY_FONT)
    texts = [x.text for x in lines_of(c)]
    assert "占比全县57.1%。" in ["".join(t.split()) for t in texts], texts
    assert any(t.startswith("——编") and t.endswith("者") for t in texts), texts


@pytest.mark.parametrize(
    "runs",
    [
        [
            ("可以说，中国共产党", 614.2, 695.9, "FZBSK"),
            ("90", 698.5, 706.9, "NEU-B3"),
            (" 多年的历", 706.9, 746.6, "FZBSK"),
        ],
        [
            ("医药领域一体化", 614.2, 672.2, "FZBSK"),
            ("SAAS", 674.8, 694.6, "NEU-B3"),
            ("平台开发项目", 697.2, 746.6, "FZBSK"),
        ],
    ],
)
def test_runs_apart_by_the_space_set_between_latin_and_ideographs_are_one_line(
    runs: list[tuple[str, float, float, str]],
) -> None:
    """Where digits or Latin letters meet ideographs, typesetting systems add about a quarter em (中西文间距): on
    a real 人民日报 page (2018-01-03) `90`, in its own font, stands 0.31 em after `可以说，中国共产党`. The runs
    are one line, in order, not two lines (which reading order then puts apart)."""
    spans = [_span(t, (x0, 1290.0, x1, 1299.1), 8.28, 1297.2, font) for t, x0, x1, font in runs]
    below = [_span("史，既是一部革命、建设和改革的", (614.2, 1301.9, 746.6, 1311.0), 8.28, 1309.1)]
    lines = _join_runs(_rows([*spans, *below]))
    assert ["".join(x.text.split()) for x in lines] == [
        "".join(t for t, *_ in runs).replace(" ", ""),
        "史，既是一部革命、建设和改革的",
    ]


@pytest.mark.parametrize("draw", ["runs", "chars", "line"])
@pytest.mark.parametrize("latin", ["SAAS", "AI", "5G"])
def test_a_lines_face_is_its_chinese_texts_not_a_latin_runs(draw: str, latin: str) -> None:
    """A Latin run set in a Latin face inside a Chinese line (`一体化SAAS平台开发`), however many letters it
    has against the Chinese runs around it: the line's face is that of its Chinese text, as a line of the same
    text without the Latin run reports it (a heading face read off a Latin run would make a body line look like
    a title)."""
    c = Canvas2(random.Random(3), draw, "copy")
    c.line(40, 100, f"一体化{latin}平台开发", 10, BODY_FONT)
    c.line(40, 114, "一体化平台开发项目", 10, BODY_FONT)
    mixed, plain = lines_of(c)
    assert latin in mixed.text and mixed.font == plain.font and mixed.size == plain.size
