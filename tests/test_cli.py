"""The `epaper` commands, through the same CLI a user types (in process, with CliRunner)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SAMPLE_PAGE


def run_sample(runner: CliRunner, lake: Path, source: Path | None = None) -> None:
    args = ["run", "--date", "2023-05-25", "--lake", str(lake)]
    if source is not None:
        args += ["--source", str(source)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["run", "segment", "sql", "search"])
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_segment_prints_one_utf8_json_object_per_article(runner: CliRunner) -> None:
    result = runner.invoke(app, ["segment", str(SAMPLE_PAGE), "--issue-date", "2023-05-25", "--page", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 6
    assert "\\u" not in result.stdout and "全力以赴稳经济" in result.stdout
    for row in rows:
        assert set(row) >= {
            "title",
            "kicker",
            "subtitle",
            "authors",
            "body",
            "continues_to_page",
            "continued_from_page",
        }
        assert isinstance(row["authors"], list)
    assert rows[-1]["continues_to_page"] == 2


def test_run_prints_summary_and_writes_partitions(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["run", "--date", "2023-05-25", "--lake", str(fresh_lake)])
    assert result.exit_code == 0, result.output
    assert "1 page(s), 6 article(s)" in result.output
    assert "梳理德清模式 总结浙江经验" in result.output
    parts = sorted(p.relative_to(fresh_lake).as_posix() for p in fresh_lake.rglob("*.parquet"))
    assert parts == [
        "articles/paper=dqnews/issue_date=2023-05-25/part-0.parquet",
        "issues/paper=dqnews/issue_date=2023-05-25/part-0.parquet",
        "pages/paper=dqnews/issue_date=2023-05-25/part-0.parquet",
    ]
    assert (fresh_lake / "raw/dqnews/2023-05-25/01.txt").read_bytes() == SAMPLE_PAGE.read_bytes()


def test_settings_come_from_environment(runner: CliRunner, fresh_lake: Path, source_root: Path) -> None:
    env = {"EPAPER_LAKE": str(fresh_lake), "EPAPER_SOURCE": str(source_root)}
    result = runner.invoke(app, ["run", "--date", "2023-05-25"], env=env)
    assert result.exit_code == 0, result.output
    assert (fresh_lake / "issues").is_dir()


def test_sql_exports_csv_and_json(runner: CliRunner, fresh_lake: Path) -> None:
    run_sample(runner, fresh_lake)
    query = "SELECT article_id, title, authors FROM articles ORDER BY article_id"
    as_csv = runner.invoke(app, ["sql", "--lake", str(fresh_lake), "--format", "csv", query])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["article_id"] for r in rows][:2] == ["dqnews-2023-05-25-a-p0001-i0001", "dqnews-2023-05-25-a-p0001-i0002"]
    as_json = runner.invoke(app, ["sql", "--lake", str(fresh_lake), "--format", "json", query])
    records = [json.loads(x) for x in as_json.stdout.splitlines()]
    assert records[3]["title"] == "4个高层次人才创业项目签约落户高新区"
    assert records[3]["authors"] == ["倪忆雪"]


def test_sql_reports_bad_sql_in_one_line(runner: CliRunner, fresh_lake: Path) -> None:
    run_sample(runner, fresh_lake)
    result = runner.invoke(app, ["sql", "--lake", str(fresh_lake), "SELECT nope FROM articles"])
    assert result.exit_code == 1
    assert "error" in result.output and "nope" in result.output


def test_sql_on_an_empty_lake_says_so(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["sql", "--lake", str(fresh_lake), "SELECT 1"])
    assert result.exit_code == 1
    assert "no archived day" in result.output


def test_search_finds_chinese_words(runner: CliRunner, fresh_lake: Path) -> None:
    run_sample(runner, fresh_lake)
    result = runner.invoke(app, ["search", "数字乡村", "--lake", str(fresh_lake), "--format", "json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(x) for x in result.stdout.splitlines()]
    assert hits[0]["title"] == "梳理德清模式 总结浙江经验"
    assert "数字乡村" in hits[0]["snippet"]
    assert len(hits) <= 2
    military = runner.invoke(app, ["search", "国防教育", "--lake", str(fresh_lake), "--format", "json"])
    assert json.loads(military.stdout.splitlines()[0])["article_id"] == "dqnews-2023-05-25-a-p0001-i0005"
