"""`epaper segment page.pdf` (JSONL contract plus regions) and `epaper show` (a PNG of the archived page with its
articles outlined)."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SEGMENT_KEYS
from tests.fixtures.make_pages import make_day

DAY = "2023-05-25"
KEYS = SEGMENT_KEYS | {"regions"}


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated two-page PDF day archived into a lake; returns (source day folder, lake)."""
    root = tmp_path_factory.mktemp("cli")
    folder = root / "source" / "dqnews" / DAY
    make_day(7, folder)
    result = CliRunner().invoke(
        app, ["run", "--date", DAY, "--source", str(root / "source"), "--lake", str(root / "lake")]
    )
    assert result.exit_code == 0, result.output
    return folder, root / "lake"


def test_segment_pdf_prints_the_contract_with_regions(archived: tuple[Path, Path]) -> None:
    folder, _ = archived
    result = CliRunner().invoke(app, ["segment", str(folder / "01.pdf"), "--issue-date", DAY, "--page", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    truth = json.loads((folder / "01.json").read_text(encoding="utf-8"))["articles"]
    assert len(rows) == len(truth) and all(set(r) == KEYS for r in rows)
    for row in rows:
        for page, x0, y0, x1, y1 in row["regions"]:
            assert page == 1 and 0 <= x0 < x1 <= 842 and 0 <= y0 < y1 <= 1191


def test_segment_pdf_with_the_wrong_date_fails_in_one_line(archived: tuple[Path, Path]) -> None:
    folder, _ = archived
    result = CliRunner().invoke(app, ["segment", str(folder / "01.pdf"), "--issue-date", "2023-05-24"])
    assert result.exit_code == 1
    assert "paper dqnews, date 2023-05-24" in result.output and "printed date 2023-05-25" in result.output


def test_show_draws_the_archived_page_with_outlines(archived: tuple[Path, Path], tmp_path: Path) -> None:
    _, lake = archived
    out = tmp_path / "p2.png"
    result = CliRunner().invoke(app, ["show", "--date", DAY, "--page", "2", "--lake", str(lake), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "article(s) outlined" in result.output
    pix = pymupdf.Pixmap(str(out))
    assert (pix.width, pix.height) == (1287, 1820)  # A3 page at 110 dpi
    # Outlines are saturated colours; the page itself is black, white and greys.
    coloured = sum(1 for y in range(0, pix.height, 7) for x in range(0, pix.width, 7) if _saturated(pix.pixel(x, y)))
    assert coloured > 200


def _saturated(rgb: tuple[int, ...]) -> bool:
    return max(rgb[:3]) - min(rgb[:3]) > 80


def test_show_of_a_missing_page_or_day_fails_clearly(archived: tuple[Path, Path], tmp_path: Path) -> None:
    _, lake = archived
    result = CliRunner().invoke(
        app, ["show", "--date", DAY, "--page", "9", "--lake", str(lake), "--out", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 1 and "page 9: page not archived" in result.output
    result = CliRunner().invoke(app, ["show", "--date", "2023-05-26", "--page", "1", "--lake", str(lake)])
    assert result.exit_code == 1 and "date 2023-05-26" in result.output and "day not archived" in result.output
