"""The `epaper` commands, through the same CLI a user types (in process, with CliRunner)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SAMPLE_PAGE, SEGMENT_KEYS, lake_state


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
        assert set(row) >= SEGMENT_KEYS
        assert isinstance(row["authors"], list)
    assert rows[-1]["continues_to_page"] == 2


def test_run_prints_summary_and_writes_partitions(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["run", "--date", "2023-05-25", "--lake", str(fresh_lake)])
    assert result.exit_code == 0, result.output
    assert "1 page(s), 6 article(s)" in result.output
    assert "梳理德清模式 总结浙江经验" in result.output
    parts = sorted(p.relative_to(fresh_lake).parent.as_posix() for p in fresh_lake.rglob("*.zstd.parquet"))
    assert parts == [f"{t}/paper=dqnews/year=2023" for t in ("articles", "issues", "pages")]
    assert all((fresh_lake / t / "_delta_log").is_dir() for t in ("articles", "fetches", "issues", "pages"))
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
    hits = json.loads(result.stdout)  # one JSON array
    assert set(hits[0]) == {"article_id", "issue_date", "page", "title", "score", "snippet"}
    assert hits[0]["title"] == "梳理德清模式 总结浙江经验"
    assert "数字乡村" in hits[0]["snippet"]
    assert len(hits) <= 2
    military = runner.invoke(app, ["search", "国防教育", "--lake", str(fresh_lake), "--format", "json"])
    assert json.loads(military.stdout)[0]["article_id"] == "dqnews-2023-05-25-a-p0001-i0005"


def test_a_rerun_after_a_page_was_withdrawn_leaves_exactly_a_fresh_run(
    runner: CliRunner, tmp_path: Path, source_root: Path
) -> None:
    """Re-running a day replaces it exactly: raw bytes of a page no longer listed go with it."""
    day = source_root / "dqnews" / "2023-05-25"
    (day / "02.txt").write_bytes((day / "01.txt").read_bytes())
    lake, fresh = tmp_path / "lake", tmp_path / "fresh"
    run_sample(runner, lake, source_root)
    assert (lake / "raw/dqnews/2023-05-25/02.txt").is_file()
    (day / "02.txt").unlink()
    run_sample(runner, lake, source_root)
    run_sample(runner, fresh, source_root)
    assert lake_state(lake) == lake_state(fresh)
    assert not (lake / "raw/dqnews/2023-05-25/02.txt").exists()


def test_unknown_paper_and_bad_dates_are_one_line_errors(runner: CliRunner, fresh_lake: Path) -> None:
    for args in (
        ["run", "--date", "2023-05-25", "--paper", "nosuch", "--lake", str(fresh_lake)],
        ["run", "--date", "20230525", "--lake", str(fresh_lake)],
        ["run", "--date", "2023-02-30", "--lake", str(fresh_lake)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        lines = [x for x in result.output.splitlines() if x.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "known papers: dqnews" in runner.invoke(app, ["run", "--date", "2023-05-25", "--paper", "x"]).output


def test_a_lake_path_with_a_quote_is_queried(runner: CliRunner, tmp_path: Path) -> None:
    lake = tmp_path / "it's lake"
    run_sample(runner, lake)
    result = runner.invoke(app, ["sql", "--lake", str(lake), "--format", "json", "SELECT count(*) AS n FROM articles"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"n": 6}
    found = runner.invoke(app, ["search", "数字乡村", "--lake", str(lake), "--format", "json"])
    assert found.exit_code == 0 and "梳理德清模式" in found.stdout


def test_csv_lists_are_json_and_search_formats_are_checked(runner: CliRunner, fresh_lake: Path) -> None:
    run_sample(runner, fresh_lake)
    query = "SELECT authors, html_agreement FROM articles JOIN pages USING (paper, issue_date, page) ORDER BY seq"
    result = runner.invoke(app, ["sql", "--lake", str(fresh_lake), "--format", "csv", query])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert json.loads(rows[0]["authors"]) == ["董华", "姚海翔"]
    assert rows[0]["html_agreement"] == ""  # a text page has no HTML to agree with
    as_csv = runner.invoke(app, ["search", "经济", "--lake", str(fresh_lake), "--format", "csv"])
    assert as_csv.exit_code == 0 and as_csv.stdout.startswith("article_id,issue_date,page,title,score,snippet")
    assert runner.invoke(app, ["search", "经济", "--lake", str(fresh_lake), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["search", "  ", "--lake", str(fresh_lake)]).exit_code == 2
