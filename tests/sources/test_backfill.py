"""`epaper backfill` / `run` / `reprocess` from the replica site: the external check's two backfills (published
days archived, gaps recorded as "no issue", nothing changed by the second run), `--force`, and rebuilding days
from raw without the network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import bundled_sample_root
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.sources.replica.server import ReplicaServer
from tests.conftest import snapshot

PROFILE = Path(str(bundled_sample_root())).parent / "papers" / "dqnews.toml"


@pytest.fixture
def fast_dqnews(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled dqnews profile with no interval between requests, found first through `EPAPER_PAPERS` (the
    production figure, 1 s, makes the external check's range take two minutes)."""
    folder = tmp_path / "papers"
    folder.mkdir()
    text = PROFILE.read_text(encoding="utf-8").replace("min_interval = 1.0", "min_interval = 0.0")
    assert "min_interval = 0.0" in text
    (folder / "dqnews.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("EPAPER_PAPERS", str(folder))


def backfill(runner: CliRunner, replica: ReplicaServer, lake: Path, *extra: str) -> str:
    args = ["backfill", "--paper", "dqnews", "--base-url", replica.url, "--from", "2023-05-20", "--to", "2023-05-31"]
    result = runner.invoke(app, [*args, "--lake", str(lake), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("fast_dqnews")
def test_backfill_twice_archives_once_and_records_gaps(
    runner: CliRunner, replica: ReplicaServer, fresh_lake: Path
) -> None:
    first = backfill(runner, replica, fresh_lake)
    assert "9 archived, 3 no issue, 0 failed, 0 unchanged" in first
    assert re.search(r"2023-05-21  no issue, skipped \(.*HTTP 404\)", first)
    assert re.search(r"2023-05-27  no issue, skipped \(.*redirects to the issue of 2023-05-31\)", first)
    assert re.search(r"2023-05-25  2 page\(s\), \d+ article\(s\)\n", first)
    issues = read_day(open_store(str(fresh_lake)), "issues", "dqnews", __import__("datetime").date(2023, 5, 21))
    assert issues is not None and issues.column("status").to_pylist() == ["no issue"]
    result = runner.invoke(
        app,
        [
            "sql",
            "--lake",
            str(fresh_lake),
            "--format",
            "csv",
            "SELECT status, count(*) AS n FROM issues GROUP BY 1 ORDER BY 1",
        ],
    )
    assert result.stdout.splitlines()[1:] == ["complete,9", "no issue,3"]
    fetched = runner.invoke(
        app,
        ["sql", "--lake", str(fresh_lake), "--format", "csv", "SELECT DISTINCT role FROM fetches ORDER BY 1"],
    )
    assert fetched.stdout.splitlines()[1:] == ["article", "image", "index", "pdf"]  # every HTTP answer recorded

    before = snapshot(fresh_lake)
    replica.clear()
    second = backfill(runner, replica, fresh_lake)
    assert "0 archived, 3 no issue, 0 failed, 9 unchanged" in second
    assert "2023-05-25  2 page(s)" in second and "unchanged, skipped" in second
    assert snapshot(fresh_lake) == before  # not a byte changed
    # The second run asked conditionally: archived objects answered 304, none was sent again.
    statuses = {r.status for r in replica.requests if not r.path.endswith("robots.txt")}
    assert 304 in statuses and 200 not in {r.status for r in replica.requests if r.path.endswith((".pdf", ".jpg"))}

    forced = backfill(runner, replica, fresh_lake, "--force")
    assert "9 archived, 3 no issue, 0 failed, 0 unchanged" in forced


@pytest.mark.usefixtures("fast_dqnews")
def test_reprocess_rebuilds_from_raw_without_the_network(
    runner: CliRunner, replica: ReplicaServer, fresh_lake: Path
) -> None:
    day = "2023-05-25"
    result = runner.invoke(app, ["run", "--date", day, "--base-url", replica.url, "--lake", str(fresh_lake)])
    assert result.exit_code == 0, result.output
    store = open_store(str(fresh_lake))
    date = __import__("datetime").date(2023, 5, 25)
    articles = read_day(store, "articles", "dqnews", date)
    pages = read_day(store, "pages", "dqnews", date)
    assert articles is not None and pages is not None
    store.delete("articles/paper=dqnews/issue_date=2023-05-25/part-0.parquet")  # lost, or to be re-read
    replica.clear()
    replica.inject(".*", "500")  # the site is down: reprocessing must not need it
    result = runner.invoke(app, ["reprocess", "--date", day, "--lake", str(fresh_lake)])
    assert result.exit_code == 0, result.output
    assert replica.requests == []
    again = read_day(store, "articles", "dqnews", date)
    assert again is not None and again.to_pylist() == articles.to_pylist()
    assert read_day(store, "pages", "dqnews", date).to_pylist() == pages.to_pylist()  # type: ignore[union-attr]
    result = runner.invoke(app, ["reprocess", "--from", "2023-05-25", "--to", "2023-05-26", "--lake", str(fresh_lake)])
    assert result.exit_code == 1 and "2023-05-26  failed" in result.output and "nothing archived" in result.output


def test_base_url_and_source_options_are_checked(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["run", "--date", "2023-05-25", "--base-url", "ftp://x/", "--lake", str(fresh_lake)])
    assert result.exit_code == 2 and "not an http(s) URL" in result.output
    result = runner.invoke(
        app,
        [
            "run",
            "--date",
            "2023-05-25",
            "--base-url",
            "http://127.0.0.1:9/",
            "--source",
            "x",
            "--lake",
            str(fresh_lake),
        ],
    )
    assert result.exit_code == 2 and "not both" in result.output


def test_unreachable_site_is_a_failed_day_not_a_gap(runner: CliRunner, fresh_lake: Path, fast_dqnews: None) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["backfill", "--from", "2023-05-25", "--to", "2023-05-25", "--base-url", f"http://127.0.0.1:{port}/"]
    result = runner.invoke(app, [*args, "--lake", str(fresh_lake)])
    assert result.exit_code == 1
    assert "0 archived, 0 no issue, 1 failed" in result.output and "ConnectError" in result.output
    assert not (fresh_lake / "issues").exists()
