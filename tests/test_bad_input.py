"""Bad input: a clear one-line error naming paper, date and page, non-zero exit, and the lake exactly as it was."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SAMPLE_PAGE, snapshot

DAY = "2023-05-25"


def archive_sample(runner: CliRunner, lake: Path, source: Path) -> dict[str, bytes]:
    result = runner.invoke(app, ["run", "--date", DAY, "--lake", str(lake), "--source", str(source)])
    assert result.exit_code == 0, result.output
    return snapshot(lake)


def break_page(source: Path, data: bytes) -> None:
    (source / "dqnews" / DAY / "01.txt").write_bytes(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (random.Random(7).randbytes(4096).replace(b"\x00", b"\x01"), "binary"),  # no NUL: GB18030 "decodes" it
        (b"Lorem ipsum dolor sit amet.\nNo Chinese here.\n", "no Chinese text"),
        ("昨天\n".encode(), "no recognisable article"),
    ],
)
def test_bad_page_fails_clearly_and_keeps_the_lake(
    runner: CliRunner, fresh_lake: Path, source_root: Path, data: bytes, reason: str
) -> None:
    before = archive_sample(runner, fresh_lake, source_root)
    break_page(source_root, data)
    result = runner.invoke(app, ["run", "--date", DAY, "--lake", str(fresh_lake), "--source", str(source_root)])
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert "paper dqnews" in message and f"date {DAY}" in message and "page 1" in message and reason in message
    assert snapshot(fresh_lake) == before


def test_gb18030_dump_is_decoded(runner: CliRunner, fresh_lake: Path, source_root: Path) -> None:
    break_page(source_root, SAMPLE_PAGE.read_text(encoding="utf-8").encode("gb18030"))
    result = runner.invoke(app, ["run", "--date", DAY, "--lake", str(fresh_lake), "--source", str(source_root)])
    assert result.exit_code == 0, result.output
    assert "6 article(s)" in result.output


def test_segment_reads_gbk_too(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "01.txt"
    page.write_bytes(SAMPLE_PAGE.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    result = runner.invoke(app, ["segment", str(page)])
    assert result.exit_code == 0
    assert "梳理德清模式" in result.stdout


def test_date_without_pages(runner: CliRunner, fresh_lake: Path, source_root: Path) -> None:
    before = snapshot(fresh_lake)
    result = runner.invoke(
        app, ["run", "--date", "2023-05-26", "--lake", str(fresh_lake), "--source", str(source_root)]
    )
    assert result.exit_code == 1
    assert "paper dqnews, date 2023-05-26" in result.output and "no pages" in result.output
    assert snapshot(fresh_lake) == before


def test_bad_date_is_a_usage_error(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["run", "--date", "25/05/2023", "--lake", str(fresh_lake)])
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_segment_of_a_binary_file_names_the_page(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "03.txt"
    page.write_bytes(b"\x00\x01\x02garbage")
    result = runner.invoke(app, ["segment", str(page), "--issue-date", DAY, "--page", "3"])
    assert result.exit_code == 1
    assert "paper dqnews, date 2023-05-25, page 3: binary" in result.output
