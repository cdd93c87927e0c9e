"""Shared fixtures: the bundled sample as a source, fresh lakes, a CLI runner."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

from pipeline.config import Settings, bundled_sample_root, resolve_settings
from pipeline.lake.store import open_store
from pipeline.lake.tables import TABLES, publish_day, read_day, read_rows
from pipeline.models import ARTICLES_SCHEMA
from tests.s3server import S3Server, start_s3_server

if TYPE_CHECKING:
    from pipeline.sources.replica.server import ReplicaServer

SAMPLE_DATE = dt.date(2023, 5, 25)
SAMPLE_PAGE = bundled_sample_root() / "dqnews" / "2023-05-25" / "01.txt"
FIXTURES = Path(__file__).parent / "fixtures"
# The `epaper segment` JSON contract: keys every article line carries (PDF pages add `regions`).
SEGMENT_KEYS = frozenset({"title", "kicker", "subtitle", "authors", "body", "continues_to_page", "continued_from_page"})


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fresh_lake(tmp_path: Path) -> Path:
    """An empty lake folder."""
    lake = tmp_path / "lake"
    lake.mkdir()
    return lake


@pytest.fixture
def source_root(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample source, for tests that add or break pages."""
    root = tmp_path / "source"
    shutil.copytree(bundled_sample_root() / "dqnews", root / "dqnews")
    return root


@pytest.fixture
def settings(fresh_lake: Path, source_root: Path) -> Settings:
    return resolve_settings(source=str(source_root), lake=str(fresh_lake), env={})


# The tables a day read from a local folder fills: `fetches` stays empty (a folder answers no HTTP).
ROW_TABLES = ("articles", "pages", "issues")


def lake_state(folder: Path) -> dict[str, object]:
    """What a lake holds, independent of how many commits got it there: raw bytes by key, and each Delta
    table's rows at its latest version (without the run id, which differs between runs by design)."""
    state: dict[str, object] = {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted((folder / "raw").rglob("*")) if p.is_file()
    }
    for table in TABLES:
        path = folder / table
        if path.is_dir():
            rows = DeltaTable(str(path)).to_pyarrow_table().drop_columns(["run_id"]).to_pylist()
            state[table] = sorted(rows, key=repr)
    return state


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes: to prove a failed run left a lake exactly as it was."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One real SeaweedFS S3 server on 127.0.0.1 for the whole session (started on first use, ~1 s)."""
    server = start_s3_server(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_env(s3_server: S3Server) -> dict[str, str]:
    """Client settings for `s3_server`: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
    AWS_EC2_METADATA_DISABLED and S3_BUCKET (an existing bucket). Shared by the session: copy before changing."""
    return s3_server.env()


@pytest.fixture
def s3_lake(s3_env: dict[str, str]) -> str:
    """A fresh, empty lake URL `s3://<bucket>/<unique prefix>` on `s3_server`, for one test."""
    return f"s3://{s3_env['S3_BUCKET']}/t-{uuid.uuid4().hex[:12]}"


def rewrite_articles(settings: Settings, change: dict[str, object]) -> None:
    """Damage the sample day's published articles in place (`dup`: add a copy of the first row; else set
    columns of the first row), as a broken writer would, for the checks to find."""
    store = open_store(settings.lake)
    table = read_day(store, "articles", "dqnews", SAMPLE_DATE)
    assert table is not None
    rows = table.to_pylist()
    for key, value in change.items():
        if key == "dup":
            rows.append(dict(rows[0]))
        else:
            rows[0][key] = value
    run = read_rows(store, "issues", "dqnews", SAMPLE_DATE, ["run_id"])
    assert run is not None
    # Committed under the published run's id, so the damaged rows are the ones the views show.
    damaged = pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA)
    publish_day(store, "dqnews", SAMPLE_DATE, {"articles": damaged}, run.column("run_id")[0].as_py())


@pytest.fixture
def s3_environ(s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """`s3_env` exported to this process, for code that reads `os.environ` (run_day, the CLI)."""
    for name, value in s3_env.items():
        monkeypatch.setenv(name, value)
    for name in ("EPAPER_LAKE", "EPAPER_SOURCE", "EPAPER_PAPER", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    return s3_env


# --- the replica e-paper site (a real HTTP server on 127.0.0.1) -----------------------------------------------


@pytest.fixture(scope="session")
def replica_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The replica site rendered once per session from the page generator (`pipeline.sources.replica`)."""
    from pipeline.sources.replica.render import render_site

    return render_site(tmp_path_factory.mktemp("replica") / "site")


@pytest.fixture(scope="session")
def replica_server(replica_root: Path) -> Iterator[ReplicaServer]:
    from pipeline.sources.replica.server import ReplicaServer

    server = ReplicaServer(replica_root, slow_seconds=1.0).start()
    yield server
    server.stop()


@pytest.fixture
def replica(replica_server: ReplicaServer) -> ReplicaServer:
    """The session's replica server with no fault rules and an empty request log; site sources of earlier tests
    forgotten, so each test's politeness state (robots.txt, intervals) starts fresh."""
    import pipeline.sources

    replica_server.clear()
    pipeline.sources._sites.clear()
    return replica_server


def site_settings(
    replica: ReplicaServer, lake: Path, paper: str = "dqnews", prefix: str = "", **polite: Any
) -> Settings:
    """Settings fetching `paper` from the replica (its site under `prefix`), with fast politeness unless given:
    no interval, short backoff and read timeout (the defaults' figures are what production uses)."""
    import dataclasses

    settings = resolve_settings(paper, f"site:{replica.url}{prefix}", str(lake), env={})
    site = settings.paper.site
    assert site is not None
    fast = {"min_interval": 0.0, "backoff": 0.05, "max_backoff": 2.0, "read_timeout": 0.5, "retries": 2, **polite}
    site = dataclasses.replace(site, politeness=dataclasses.replace(site.politeness, **fast))
    return dataclasses.replace(settings, paper=dataclasses.replace(settings.paper, site=site))
