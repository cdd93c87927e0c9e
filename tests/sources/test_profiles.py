"""Site profiles: the shipped ones, `epaper papers [check]`, and a new paper of the family as one TOML file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import list_papers, load_profile, profile_problems
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.sources.replica.server import ReplicaServer

NEW_PAPER = """
paper_id = "anji"
name = "安吉新闻"
timezone = "Asia/Shanghai"
publish_time = "07:00"

[site]
family = "classic"
base_url = "{url}"
day_index = "html/{{date:%Y-%m}}/{{date:%d}}/node_1.htm"

[site.politeness]
min_interval = 0.0
"""


def test_shipped_profiles_cover_the_three_families() -> None:
    assert {"dqnews", "rmrb", "zjrb"} <= set(list_papers())
    for paper in ("dqnews", "rmrb", "zjrb"):
        assert profile_problems(paper) == []
    dqnews = load_profile("dqnews").site
    assert dqnews is not None and dqnews.eras[0].family == "classic" and not dqnews.base_url_verified
    rmrb = load_profile("rmrb").site
    assert rmrb is not None
    assert rmrb.era(dt.date(2024, 11, 30)).family == "nbs" and rmrb.era(dt.date(2024, 12, 1)).family == "pc"
    assert rmrb.era(dt.date(2024, 12, 1)).selectors.title == "#Title"


def test_dqnews_site_url_says_it_is_a_guess() -> None:
    text = (Path(__file__).parents[2] / "pipeline" / "papers" / "dqnews.toml").read_text(encoding="utf-8")
    assert "VERIFY AGAINST THE LIVE SITE" in text and "base_url_verified = false" in text


def test_papers_lists_and_checks(runner: CliRunner) -> None:
    result = runner.invoke(app, ["papers"])
    assert result.exit_code == 0
    assert "dqnews" in result.output and "nbs, pc from 2024-12-01" in result.output and "unverified" in result.output
    result = runner.invoke(app, ["papers", "check", "rmrb"])
    assert result.exit_code == 0 and "rmrb: profile OK" in result.output


def test_papers_check_names_every_problem(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.toml").write_text(
        'paper_id = "bad"\nname = "坏"\npublish_time = "07:00"\ncolour = "red"\n'
        '[site]\nfamily = "classic"\nbase_url = "https://x.example/"\nfamly = "pc"\nweekdays = [0, 1]\n'
        '[site.selectors]\ntitle = "h1[["\nheadline = "h1"\n'
        "[site.politeness]\nspeed = 3\n"
        '[[site.eras]]\nfamily = "tabloid"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("EPAPER_PAPERS", str(tmp_path))
    result = runner.invoke(app, ["papers", "check", "bad"])
    assert result.exit_code == 1
    for problem in (
        "missing field 'timezone'",
        "unknown field 'colour'",
        "unknown field 'site.famly'",
        "unknown field 'site.selectors.headline'",
        "unknown field 'site.politeness.speed'",
        "site.weekdays: 0 is not an ISO weekday",
        "missing field 'site.eras[0].since'",
        "site.eras[0].family 'tabloid' is not one of classic, nbs, pc",
    ):
        assert problem in result.output, problem
    (tmp_path / "bad.toml").write_text(
        'paper_id = "bad"\nname = "坏"\ntimezone = "Asia/Shanghai"\npublish_time = "07:00"\n'
        '[site]\nbase_url = "https://x.example/"\nday_index = "html/{day}/node_1.htm"\n[site.selectors]\ntitle = "h1[["\nbody = " "\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["papers", "check", "bad"])
    assert result.exit_code == 1
    assert "selector title = 'h1[[' does not parse" in result.output
    assert "missing selector 'body'" in result.output and "template day_index" in result.output


def test_a_new_paper_is_one_toml_file(
    runner: CliRunner, replica: ReplicaServer, tmp_path: Path, fresh_lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """安吉新闻 stands for any classic-family paper: its profile names the family and the base URL, nothing else
    (the replica's dqnews site has the zjol markup the family's defaults read)."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "anji.toml").write_text(NEW_PAPER.format(url=replica.url), encoding="utf-8")
    monkeypatch.setenv("EPAPER_PAPERS", str(folder))
    assert runner.invoke(app, ["papers", "check", "anji"]).exit_code == 0
    assert "anji" in runner.invoke(app, ["papers"]).output
    result = runner.invoke(
        app, ["run", "--paper", "anji", "--source", "site:", "--date", "2023-05-25", "--lake", str(fresh_lake)]
    )
    assert result.exit_code == 0, result.output
    articles = read_day(open_store(str(fresh_lake)), "articles", "anji", dt.date(2023, 5, 25))
    assert articles is not None and articles.num_rows >= 4
    assert set(articles.column("reading").to_pylist()) == {"html"}
