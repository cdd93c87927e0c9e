"""Text dumps written by geometric extractors (line order follows the page's geometry, not the content stream):
poppler's `pdftotext` in its default mode and PyMuPDF's `get_text(sort=True)`. Hand-set small dumps and pages of
`make_pages2` tuning seeds; tests that need `pdftotext` skip when poppler is absent (`.ci/run` installs it)."""

from __future__ import annotations

import itertools
import json
import random
import shutil
import subprocess
import time
from pathlib import Path

import pymupdf
import pytest

from pipeline.checks.evaluate import score_page
from pipeline.segment.text import segment_text
from pipeline.segment.text.columns import _best_picks, _keeps_layout, _offsets, _reads_on, untangled
from tests.fixtures.make_pages2 import make_page2


def test_best_picks_is_the_best_order_keeping_pick() -> None:
    """The dynamic programme picks what trying every order-keeping pick picks, ties to the leftmost columns."""
    rng = random.Random(1)
    for _ in range(500):
        n = rng.randint(1, 7)
        m = rng.randint(1, n)
        scores = [[float(rng.random() < 0.4) for _ in range(n)] for _ in range(m)]
        want = max(
            itertools.combinations(range(n), m),
            key=lambda p: (sum(scores[k][j] for k, j in enumerate(p)), [-j for j in p]),
        )
        total, picked = _best_picks(scores)
        assert picked == want
        assert total == sum(scores[k][j] for k, j in enumerate(want))


def test_a_line_of_many_columns_is_read_quickly() -> None:
    """PyMuPDF's sort=True can write lines of several baselines as one dump line, tens of column pieces long:
    pairing it with a line of half as many pieces takes no binomial time (C(40, 20) picks)."""
    many = [f"第{k}栏的一行正文内容" for k in range(40)]
    half = many[::2]
    start = time.perf_counter()
    assert _reads_on(many, half) >= 0.0
    assert time.perf_counter() - start < 2.0


# Two stories side by side as PyMuPDF's sort=True writes them: the left one in two columns on one baseline grid
# (their lines joined by the one-space gutter), the right one in a column of its own whose baselines sit between
# the left one's, indented by the spaces that stand for its distance from the page's left edge.
LEFT = [
    "昨天上午，县委书记带队", "走访企业，调研二季度经", "济运行情况。他强调，要", "全面贯彻落实中央部署，",
    "强力推进创新深化改革，", "大力实施三个一号工程，", "持续深化实干争先主题实", "践，紧抓重要窗口期，进",
    "一步提振发展信心，全力", "以赴稳经济，用心用情优", "服务，加快推动全县经济", "运行持续稳中向好。",
]  # fmt: skip
RIGHT = ["近日，本县举办人才项目", "集中签约仪式，四个高层", "次人才创业项目签约落户", "高新区，涉及智能制造。"]
RIGHT_X = " " * 24


def _blocks(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line.strip())
        elif out[-1]:
            out.append([])
    return [b for b in out if b]


def test_layout_dump_columns_with_offset_baselines_are_read_column_by_column() -> None:
    """Columns side by side alternate line by line; where each line starts tells its column."""
    half = len(LEFT) // 2
    dump = []
    for k in range(len(RIGHT)):
        dump += [f"{LEFT[k]} {LEFT[k + half]}", RIGHT_X + RIGHT[k]]
    dump += [f"{LEFT[k]} {LEFT[k + half]}" for k in range(len(RIGHT), half)]
    assert _blocks(untangled(dump)) == [LEFT[:half], LEFT[half:], RIGHT]


def test_layout_dump_column_that_starts_lower_is_followed_where_the_cycle_begins() -> None:
    """The right story starts two lines lower: the left story's first lines are in no cycle yet, and its columns
    still run on down the block (a cycle for the whole block would leave them apart)."""
    half = len(LEFT) // 2
    dump = []
    for k in range(half):
        dump.append(f"{LEFT[k]} {LEFT[k + half]}")
        if 2 <= k < 2 + len(RIGHT):
            dump.append(RIGHT_X + RIGHT[k - 2])
    assert _blocks(untangled(dump)) == [LEFT[:half], LEFT[half:], RIGHT]


def test_layout_dump_paragraph_indent_stays_in_its_column() -> None:
    """A paragraph's first line is indented two ems (two spaces more here): the same column still."""
    right = [RIGHT[0][:-2], *RIGHT[1:]]
    half = len(LEFT) // 2
    dump = []
    for k in range(len(right)):
        dump += [f"{LEFT[k]} {LEFT[k + half]}", RIGHT_X + ("  " if k == 0 else "") + right[k]]
    dump += [f"{LEFT[k]} {LEFT[k + half]}" for k in range(len(right), half)]
    assert _blocks(untangled(dump))[-1] == right


def test_dump_without_layout_keeps_the_cycle_rule() -> None:
    """A dump written from each line's first glyph (pdftotext) gives no x: the same lines without the spaces
    that stand for distance are read by the cycle of the whole block, as before."""
    half = len(LEFT) // 2
    dump = []
    for k in range(len(RIGHT)):
        dump += [f"{LEFT[k]} {LEFT[k + half]}", RIGHT[k]]
    dump += [f"{LEFT[k]} {LEFT[k + half]}" for k in range(len(RIGHT), half)]
    assert not _keeps_layout(dump)
    assert _keeps_layout([RIGHT_X + RIGHT[0]])


def _score(seed: int, tmp_path: Path, reader: str) -> float:
    pdf = make_page2(seed, tmp_path / f"{seed}.pdf")
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    if reader == "mu-sort":
        with pymupdf.open(pdf) as doc:
            text = doc[0].get_text(sort=True)
    else:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
        text = text.decode("utf-8")
    layout = segment_text(text, page=int(truth["page"]))
    return score_page([a.to_json() for a in layout.articles], truth["articles"]).total


@pytest.mark.parametrize("seed", [7, 13])
def test_sorted_pymupdf_dumps_of_generated_pages(seed: int, tmp_path: Path) -> None:
    """Tuning seeds of make_pages2 whose stories stand side by side with offset baselines (seed 7: natural
    stream order; seed 13: natural, a four-column story beside one-column ones): read column by column by where
    their lines start (0.18 and 0.36 before)."""
    assert _score(seed, tmp_path, "mu-sort") >= 0.85


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
@pytest.mark.parametrize("seed", [11, 15])
def test_pdftotext_dumps_of_generated_pages_keep_the_cycle_rule(seed: int, tmp_path: Path) -> None:
    """pdftotext writes no spaces for distance: its dumps are read by the cycle rule as before (0.97, 1.0)."""
    assert _score(seed, tmp_path, "pt") >= 0.95


def test_pieces_start_after_the_glyphs_of_the_pieces_before() -> None:
    """A piece's place is counted over the glyphs of the pieces before it, not found by its first character (the
    line before may hold that character too: `…了解武器…` before `了国防观念…`); an ideographic indent is set as
    glyphs, so the line starts where it starts."""
    line = "参观军营，了解武器装备 了国防观念，增强了"
    assert _offsets([line], [["参观军营，了解武器装备", "了国防观念，增强了"]]) == [[0, 12]]
    spaced = "  　　昨天下午，县委书记 走 访 企 业 和 项 目    近日，本县"
    rows = [["　　昨天下午，县委书记", "走访企业和项目", "近日，本县"]]
    assert _offsets([spaced], rows) == [[2, 14, 31]]
