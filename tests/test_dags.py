"""The Airflow DAGs, in process: integrity, and `dag.test()` runs end to end into temporary lakes.

The module gets its own `AIRFLOW_HOME` (a migrated SQLite metadata DB in a temp folder, DAGs folder = `dags/`)
before Airflow is first imported, so nothing here touches a developer's Airflow. Tasks run in this process
(`dag.test()` runs them in process), so they read `EPAPER_*` from `os.environ`, set per test with monkeypatch.
Retry delays, sensor waits and timeouts are shortened through `build_daily_dag`'s keyword arguments.
"""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import hashlib
import json
import os
import re
import runpy
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from pipeline.config import bundled_sample_root
from tests.conftest import lake_state

ROOT = Path(__file__).resolve().parent.parent
DAGS = ROOT / "dags"
VENV_BIN = Path(sys.executable).parent
SAMPLE = dt.datetime(2023, 5, 25, tzinfo=dt.UTC)
FAST = {"retry_delay": dt.timedelta(seconds=1), "poke_interval": dt.timedelta(seconds=1)}
HEAVY = ("pyarrow", "duckdb", "jieba", "pymupdf", "fitz", "selectolax", "pipeline.daily", "pipeline.models")


def airflow_env(home: Path) -> dict[str, str]:
    """Environment for an Airflow whose state lives in `home` and whose DAGs are this project's."""
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    }


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A migrated metadata DB for this module, set up before `airflow` is imported in this process."""
    home = tmp_path_factory.mktemp("airflow-home")
    env = airflow_env(home)
    if "airflow" in sys.modules:
        from airflow.configuration import AIRFLOW_HOME

        if str(home) != AIRFLOW_HOME:
            pytest.fail(f"airflow was imported before this module set AIRFLOW_HOME (it uses {AIRFLOW_HOME})")
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        subprocess.run([str(VENV_BIN / "airflow"), "db", "migrate"], check=True, capture_output=True, timeout=180)
        yield home


@pytest.fixture(scope="module")
def daily(airflow_home: Path) -> ModuleType:
    """`dags/epaper_daily.py` imported as a module (for `build_daily_dag` and the default DAG)."""
    return _load(DAGS / "epaper_daily.py", "epaper_daily_under_test")


@pytest.fixture
def lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh local lake, set as `EPAPER_LAKE`; no source configured (the bundled sample)."""
    path = tmp_path / "lake"
    monkeypatch.setenv("EPAPER_LAKE", str(path))
    for key in ("EPAPER_SOURCE", "EPAPER_CONN_ID", "EPAPER_PAPER"):
        monkeypatch.delenv(key, raising=False)
    return path


def _load(path: Path, name: str) -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _states(dr: Any) -> dict[tuple[str, int], tuple[str, int]]:
    return {(ti.task_id, ti.map_index): (str(ti.state), ti.try_number) for ti in dr.get_task_instances()}


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _broken_source(tmp_path: Path, page2: bytes | None) -> Path:
    """The sample's page 1, plus a page 2 with the given bytes (None: a copy of page 1)."""
    day = tmp_path / "source" / "dqnews" / "2023-05-25"
    day.mkdir(parents=True)
    sample = bundled_sample_root() / "dqnews" / "2023-05-25" / "01.txt"
    shutil.copy(sample, day / "01.txt")
    (day / "02.txt").write_bytes(sample.read_bytes() if page2 is None else page2)
    return tmp_path / "source"


# --- integrity ------------------------------------------------------------------------------------------------


def test_dag_files_import_fast_without_heavy_modules(tmp_path: Path) -> None:
    """Each DAG file, imported after Airflow itself, pulls in no pipeline heavyweights (what keeps parsing fast)."""
    probe = (
        "import sys, time, runpy, json\n"
        "import airflow.sdk, pendulum\n"
        "before = set(sys.modules)\n"
        "t = time.perf_counter(); runpy.run_path(sys.argv[1]); elapsed = time.perf_counter() - t\n"
        "print(json.dumps({'s': elapsed, 'new': sorted(set(sys.modules) - before)}))\n"
    )
    with_home = {**os.environ, **airflow_env(tmp_path)}
    for dag_file in sorted(DAGS.glob("*.py")):
        out = subprocess.run(
            [sys.executable, "-c", probe, str(dag_file)], capture_output=True, text=True, env=with_home, timeout=120
        )
        assert out.returncode == 0, out.stderr[-2000:]
        report = json.loads(out.stdout.strip().splitlines()[-1])
        heavy = [m for m in report["new"] if m.split(".")[0] in HEAVY or m in HEAVY]
        assert not heavy, f"{dag_file.name} imports {heavy} at parse time"
        # The parse time itself is a bench figure (bench/dag_import.py), not a timed test: it varies with load.


def test_pipeline_never_imports_airflow() -> None:
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n == "airflow" or n.startswith("airflow.") for n in names), path


def test_dagbag_has_both_dags_without_import_errors(airflow_home: Path) -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    # One daily DAG per paper profile (dqnews keeps the plain id), and the compaction DAG.
    assert set(bag.dags) == {"epaper_daily", "epaper_daily_rmrb", "epaper_daily_zjrb", "epaper_compact"}
    for dag in bag.dags.values():
        assert dag.tags and "epaper" in dag.tags
        assert dag.doc_md and len(dag.doc_md) > 200
        assert dag.catchup is False
        assert dag.max_active_runs >= 1
        for task in dag.tasks:
            assert task.owner == "epaper"
            assert task.retries >= 1 and task.retry_exponential_backoff > 0, task.task_id


def test_daily_schedule_timezone_and_shape(daily: ModuleType) -> None:
    from airflow.sdk import CronTriggerTimetable, TriggerRule

    dag = daily.epaper_daily
    assert isinstance(dag.timetable, CronTriggerTimetable)
    assert dag.timetable.expression == "30 7 * * *"  # publish_time 07:30 of pipeline/papers/dqnews.toml
    assert str(dag.timetable.timezone) == "Asia/Shanghai"
    assert str(dag.timezone) == "Asia/Shanghai"
    assert set(dag.task_ids) == {
        "resolve_issue_date", "wait_for_issue", "list_pages", "page.fetch", "page.segment", "stitch", "publish",
        "check_quality",
    }  # fmt: skip
    sensor = dag.get_task("wait_for_issue")
    assert sensor.mode == "reschedule" and sensor.soft_fail is True
    fetch, segment = dag.get_task("page.fetch"), dag.get_task("page.segment")
    group = fetch.get_closest_mapped_task_group()  # the page group is mapped over the pages, both tasks with it
    assert group is not None and group.group_id == "page" and segment.get_closest_mapped_task_group() is group
    assert fetch.task_id in segment.upstream_task_ids
    stitch = dag.get_task("stitch")
    assert stitch.trigger_rule == TriggerRule.ALL_DONE_MIN_ONE_SUCCESS  # one bad page does not stop the day
    assert segment.task_id in stitch.upstream_task_ids
    publish = dag.get_task("publish")
    assert publish.upstream_task_ids == {"stitch"}
    assert [a.name for a in publish.outlets] == ["epaper_articles"]
    assert dag.default_args["retry_policy"] is not None


def test_one_daily_dag_per_paper_profile(airflow_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second profile of the family is a second DAG with its own schedule and tags, and no code change."""
    import dataclasses

    import pipeline.config

    real = pipeline.config.load_profile
    other = dataclasses.replace(real("dqnews"), paper_id="dqnews_b", publish_time="06:15", timezone="Asia/Hong_Kong")
    monkeypatch.setattr(pipeline.config, "list_papers", lambda: ["dqnews", "dqnews_b"])
    monkeypatch.setattr(pipeline.config, "load_profile", lambda p: other if p == "dqnews_b" else real(p))
    module = _load(DAGS / "epaper_daily.py", "epaper_daily_two_papers")
    first, second = module.epaper_daily, module.epaper_daily_dqnews_b
    assert (first.dag_id, second.dag_id) == ("epaper_daily", "epaper_daily_dqnews_b")
    assert second.timetable.expression == "15 6 * * *" and str(second.timetable.timezone) == "Asia/Hong_Kong"
    assert "dqnews_b" in second.tags and "dqnews_b" not in first.tags


def test_compact_runs_on_the_articles_asset(daily: ModuleType) -> None:
    compact = _load(DAGS / "epaper_compact.py", "epaper_compact_under_test")
    assert compact.ARTICLES == daily.ARTICLES
    timetable = compact.compact_dag.timetable
    assert compact.ARTICLES in timetable.asset_condition.objects
    assert timetable.timetable.expression == "0 4 1 * *"


# --- dag.test() end to end ------------------------------------------------------------------------------------


def test_sample_day_archived_and_rerun_is_identical(daily: ModuleType, lake: Path) -> None:
    dr = daily.epaper_daily.test(logical_date=SAMPLE)
    states = _states(dr)
    assert str(dr.state) == "success", states
    assert all(state == "success" for state, _ in states.values()), states
    for task_id in ("page.fetch", "page.segment"):  # one mapped task per page
        assert [k for k in states if k[0] == task_id] == [(task_id, 0)]
    tree = _tree(lake)
    assert any(k.startswith("articles/paper=dqnews/year=2023/") and k.endswith(".parquet") for k in tree)
    assert "raw/dqnews/2023-05-25/01.txt" in tree
    assert not any(k.startswith("_staging") for k in tree)
    first = lake_state(lake)

    from pipeline.config import resolve_settings
    from pipeline.lake.store import open_store
    from pipeline.lake.tables import read_day

    articles = read_day(open_store(str(lake)), "articles", "dqnews", SAMPLE.date())
    assert articles is not None and articles.num_rows >= 1
    assert resolve_settings().lake == str(lake)

    dr = daily.epaper_daily.test(logical_date=SAMPLE)
    assert str(dr.state) == "success"
    assert lake_state(lake) == first  # same rows, same raw bytes: a re-run replaces the day exactly


def test_day_without_issue_ends_skipped_at_once(
    daily: ModuleType, lake: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    dr = daily.epaper_daily.test(logical_date=dt.datetime(2023, 5, 26, tzinfo=dt.UTC))
    states = _states(dr)
    assert str(dr.state) == "success"  # Airflow has no "skipped" run state: every task after the sensor is
    assert states[("resolve_issue_date", -1)][0] == "success"
    for task_id in ("wait_for_issue", "list_pages", "page.fetch", "page.segment", "stitch", "publish", "check_quality"):
        assert states[(task_id, -1)][0] == "skipped", states
    log = capfd.readouterr()
    assert "no issue: paper dqnews, date 2023-05-26" in log.out + log.err
    assert not lake.exists() or not any(lake.rglob("*.parquet"))


def test_sensor_timeout_ends_skipped(daily: ModuleType, lake: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """An issue that may still come (deadline ahead) is waited for in reschedule mode; the timeout skips the run."""
    dag = daily.build_daily_dag(wait=dt.timedelta(seconds=3), **FAST)
    dr = dag.test(logical_date=dt.datetime(2023, 5, 27, tzinfo=dt.UTC), run_conf={"issue_date": "2999-01-01"})
    states = _states(dr)
    assert states[("wait_for_issue", -1)][0] == "skipped", states
    assert states[("publish", -1)][0] == "skipped"
    out = capfd.readouterr()
    assert "no issue yet" in out.out + out.err
    assert "timed out" in out.out + out.err


def test_broken_page_fails_at_once_and_the_rest_is_published(
    daily: ModuleType, lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EPAPER_SOURCE", str(_broken_source(tmp_path, b"\x00\x01\x02 not a page")))
    dr = daily.build_daily_dag(retries=2, **FAST).test(logical_date=SAMPLE)
    states = _states(dr)
    assert str(dr.state) == "failed"
    assert states[("page.fetch", 1)] == ("success", 1)
    assert states[("page.segment", 0)] == ("success", 1)
    assert states[("page.segment", 1)] == ("failed", 1)  # terminal: no retry
    assert states[("stitch", -1)][0] == "success"
    assert states[("publish", -1)][0] == "failed"  # the day is incomplete, and says so
    out = capfd.readouterr()
    assert "paper dqnews, date 2023-05-25, page 2: failed: binary file" in out.out + out.err

    from pipeline.lake.store import open_store
    from pipeline.lake.tables import read_day

    pages = read_day(open_store(str(lake)), "pages", "dqnews", SAMPLE.date())
    assert pages is not None
    assert [(r["page"], r["status"]) for r in pages.to_pylist()] == [(1, "ok"), (2, "failed")]


def test_page_that_always_fails_transiently_is_retried_then_fails(
    daily: ModuleType, lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from pipeline.errors import TransientError
    from pipeline.sources.local import LocalFolderSource

    monkeypatch.setenv("EPAPER_SOURCE", str(_broken_source(tmp_path, None)))
    real_fetch = LocalFolderSource.fetch

    def flaky_fetch(self: LocalFolderSource, ref: Any) -> Any:
        if ref.page == 2:
            raise TransientError(ref.paper, ref.issue_date, ref.page, "HTTP 503 from the publisher")
        return real_fetch(self, ref)

    monkeypatch.setattr(LocalFolderSource, "fetch", flaky_fetch)
    dr = daily.build_daily_dag(retries=2, **FAST).test(logical_date=SAMPLE)
    states = _states(dr)
    assert str(dr.state) == "failed"
    assert states[("page.fetch", 1)] == ("failed", 3)  # 1 try + 2 retries, with exponential backoff
    assert states[("page.segment", 1)][0] == "upstream_failed"
    assert states[("page.segment", 0)][0] == "success"
    out = capfd.readouterr()
    text = out.out + out.err
    assert text.count("paper dqnews, date 2023-05-25, page 2: HTTP 503 from the publisher") >= 3
    assert "day incomplete, 1 page(s) failed (page 2: page task failed" in text


def test_pdf_pages_checked_against_their_html(
    daily: ModuleType, lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A day of page PDFs with the e-paper's HTML beside them: the page whose HTML tells another story fails the
    quality check by name and figure; the page whose HTML agrees passes, and both are published."""
    from tests.fixtures.make_pages import html_page, make_day, write_html

    day = tmp_path / "source" / "dqnews" / "2023-05-25"
    first, second = make_day(3, day)
    write_html(first)
    other = json.loads(first.with_suffix(".json").read_text(encoding="utf-8"))
    second.with_suffix(".html").write_bytes(html_page(other, "gbk"))  # page 2's HTML shows page 1's stories
    monkeypatch.setenv("EPAPER_SOURCE", str(tmp_path / "source"))
    dr = daily.epaper_daily.test(logical_date=SAMPLE)
    states = _states(dr)
    assert states[("publish", -1)][0] == "success"
    assert states[("check_quality", -1)][0] == "failed"
    text = "".join(capfd.readouterr())
    assert re.search(r"quality checks failed: page 2: PDF and HTML agree 0\.[0-4]\d, below 0\.90", text), text[-3000:]
    assert "page 1:" not in text.split("quality checks failed:")[1].splitlines()[0]

    from pipeline.lake.store import open_store
    from pipeline.lake.tables import read_day

    pages = read_day(open_store(str(lake)), "pages", "dqnews", SAMPLE.date())
    assert pages is not None
    scores = {r["page"]: r["html_agreement"] for r in pages.to_pylist()}
    assert scores[1] >= 0.95 and scores[2] < 0.5
    assert (lake / "raw" / "dqnews" / "2023-05-25" / "02.html").read_bytes() == second.with_suffix(".html").read_bytes()


@pytest.mark.slow
def test_sample_day_into_s3_lake_through_an_aws_connection(
    daily: ModuleType,
    s3_env: dict[str, str],
    s3_lake: str,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Storage settings from an Airflow `aws` connection (endpoint in extra), not from AWS_* in the environment."""
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    conn = {
        "conn_type": "aws",
        "login": s3_env["AWS_ACCESS_KEY_ID"],
        "password": s3_env["AWS_SECRET_ACCESS_KEY"],
        "extra": {"endpoint_url": s3_env["AWS_ENDPOINT_URL"], "region_name": s3_env["AWS_REGION"]},
    }
    monkeypatch.setenv("AIRFLOW_CONN_EPAPER_S3", json.dumps(conn))
    monkeypatch.setenv("EPAPER_CONN_ID", "epaper_s3")
    monkeypatch.setenv("EPAPER_LAKE", s3_lake)
    monkeypatch.delenv("EPAPER_SOURCE", raising=False)
    dr = daily.epaper_daily.test(logical_date=SAMPLE)
    assert str(dr.state) == "success", _states(dr)
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ  # handed to the tasks only while they ran

    from pipeline.lake.store import open_store
    from pipeline.lake.tables import read_day

    store = open_store(s3_lake, env=s3_env)
    articles = read_day(store, "articles", "dqnews", SAMPLE.date())
    assert articles is not None and articles.num_rows == 6
    assert store.list("_staging") == []
    out = capfd.readouterr()
    assert s3_env["AWS_SECRET_ACCESS_KEY"] not in out.out + out.err


@pytest.mark.slow
def test_airflow_dags_test_cli_from_a_fresh_home(tmp_path: Path) -> None:
    """The external contract: only EPAPER_LAKE set, a new AIRFLOW_HOME, DAGs folder = dags/.

    In Airflow 3.3 `airflow dags test` refuses an uninitialised metadata DB ("Database migration required"), so a
    fresh home needs `airflow db migrate` once; `docker/dags-test.sh` does that when needed and then runs
    `airflow dags test`. After it, the bare command works in that home, and a re-run replaces the day.
    """
    lake = tmp_path / "lake"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EPAPER_", "AWS_"))}
    env.update(airflow_env(tmp_path / "home"), EPAPER_LAKE=str(lake), PATH=f"{VENV_BIN}:{env.get('PATH', '')}")
    del env["AIRFLOW__CORE__UNIT_TEST_MODE"], env["AIRFLOW__CORE__LOAD_EXAMPLES"]
    command = ["airflow", "dags", "test", "epaper_daily", "2023-05-25"]

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    bare = run(command)
    assert bare.returncode != 0 and "airflow db migrate" in bare.stdout + bare.stderr  # what a fresh home says
    helper = run(["bash", str(ROOT / "docker" / "dags-test.sh"), "2023-05-25"])
    assert helper.returncode == 0, (helper.stdout + helper.stderr)[-3000:]
    first = lake_state(lake)
    assert len(first["articles"]) == 6  # type: ignore[arg-type]
    assert "raw/dqnews/2023-05-25/01.txt" in first
    again = run(command)
    assert again.returncode == 0, (again.stdout + again.stderr)[-3000:]
    assert lake_state(lake) == first


# --- from the e-paper site (the replica on 127.0.0.1) ----------------------------------------------------------


@pytest.fixture
def site_env(replica: Any, lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Tasks fetch dqnews from the replica, with the bundled profile made fast (no interval, one quick retry)
    through `EPAPER_PAPERS`."""
    profile = Path(str(bundled_sample_root())).parent / "papers" / "dqnews.toml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace("min_interval = 1.0", "min_interval = 0.0\nbackoff = 0.05").replace(
        "retries = 3", "retries = 1"
    )
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "dqnews.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("EPAPER_PAPERS", str(tmp_path / "papers"))
    monkeypatch.setenv("EPAPER_SOURCE", f"site:{replica.url}")
    return replica


def test_day_fetched_from_the_site(daily: ModuleType, lake: Path, site_env: Any) -> None:
    dr = daily.epaper_daily.test(logical_date=SAMPLE)
    states = _states(dr)
    assert str(dr.state) == "success", states
    assert [k for k in states if k[0] == "page.fetch"] == [("page.fetch", 0), ("page.fetch", 1)]
    from pipeline.lake.store import open_store
    from pipeline.lake.tables import read_day

    store = open_store(str(lake))
    pages = read_day(store, "pages", "dqnews", SAMPLE.date())
    fetches = read_day(store, "fetches", "dqnews", SAMPLE.date())
    assert pages is not None and fetches is not None
    assert {r["reading"] for r in pages.to_pylist()} == {"html"}
    assert all(r["matched_articles"] == r["html_articles"] for r in pages.to_pylist())
    assert {r["role"] for r in fetches.to_pylist()} == {"index", "pdf", "image", "article"}
    assert all(store.exists(r["raw_key"]) for r in fetches.to_pylist())
    tree = _tree(lake)
    assert "raw/dqnews/2023-05-25/01/node_1.htm" in tree and not any(k.startswith("_staging") for k in tree)
    assert any(r.path.endswith(".pdf") for r in site_env.requests)


def test_site_page_failing_transiently_is_retried_then_fails_loudly(
    daily: ModuleType, lake: Path, site_env: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    site_env.inject(r"/25/node_3\.htm$", "500")  # page 2's index: the site keeps failing
    dr = daily.build_daily_dag(retries=1, **FAST).test(logical_date=SAMPLE)
    states = _states(dr)
    assert states[("page.fetch", 0)] == ("success", 1)
    assert states[("page.fetch", 1)] == ("failed", 2)  # transient: retried once, then failed
    assert states[("publish", -1)][0] == "failed"  # page 1 published, the day incomplete
    assert len(site_env.hits(r"/25/node_3\.htm$")) == 2 * 2  # two task tries of two attempts each
    out = capfd.readouterr()
    assert "HTTP 500 after 2 attempts" in out.out + out.err


def test_compact_dag_compacts_a_closed_year_of_a_local_lake(
    airflow_home: Path, lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`epaper_compact` run for real with `dag.test()`: the days published into 2023 become one data file per
    table, checkpointed, with every row kept, and the lake verifies; never two runs at once."""
    from deltalake import DeltaTable

    from pipeline.config import resolve_settings
    from pipeline.daily import run_day
    from pipeline.query import connect

    source = tmp_path / "source"
    days = [SAMPLE.date() + dt.timedelta(days=i) for i in range(3)]
    for day in days:  # three days, each the sample page
        folder = source / "dqnews" / day.isoformat()
        folder.mkdir(parents=True)
        shutil.copy(bundled_sample_root() / "dqnews" / "2023-05-25" / "01.txt", folder / "01.txt")
    monkeypatch.setenv("EPAPER_SOURCE", str(source))
    for day in days:
        run_day(resolve_settings(), day)
    before = connect(str(lake)).execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    files = {t: len(DeltaTable(str(lake / t)).file_uris()) for t in ("articles", "pages", "issues")}
    assert files == {"articles": 3, "pages": 3, "issues": 3}

    compact = _load(DAGS / "epaper_compact.py", "epaper_compact_run_under_test")
    assert compact.compact_dag.max_active_runs == 1  # two compactions never run at once
    dr = compact.compact_dag.test(run_after=dt.datetime(2024, 2, 1, 4, tzinfo=dt.UTC))  # 2023 is closed
    states = _states(dr)
    assert str(dr.state) == "success", states
    assert states[("maintain_lake", -1)][0] == "success"
    for table in ("articles", "pages", "issues"):
        assert len(DeltaTable(str(lake / table)).file_uris()) == 1, table
        assert any(p.name.endswith(".checkpoint.parquet") for p in (lake / table / "_delta_log").iterdir())
    assert connect(str(lake)).execute("SELECT * FROM articles ORDER BY article_id").fetchall() == before


def test_standalone_local_settings_give_sqlite_a_long_busy_timeout(tmp_path: Path) -> None:
    """docker/airflow_local_settings.py: a SQLite metadata engine (and the API server's async one) waits 60 s for a
    lock (SQLite's default is 5 s) and runs in write-ahead-log mode."""
    settings = runpy.run_path(str(ROOT / "docker" / "airflow_local_settings.py"))
    engine = settings["create_metadata_engine"](
        f"sqlite:///{tmp_path / 'airflow.db'}", engine_args={}, connect_args={"check_same_thread": False}
    )
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == settings["SQLITE_BUSY_SECONDS"] * 1000 == 60000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    async_engine = settings["create_async_metadata_engine"](
        f"sqlite+aiosqlite:///{tmp_path / 'airflow.db'}", connect_args={}
    )

    async def busy_timeout() -> int:
        async with async_engine.connect() as conn:
            return int((await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar())

    assert asyncio.run(busy_timeout()) == 60000
    asyncio.run(async_engine.dispose())


def test_standalone_local_settings_keep_a_savepoints_write_from_a_stale_snapshot(tmp_path: Path) -> None:
    """A nested transaction (as `airflow backfill create` opens per run) that reads, while another process
    commits a write, and then writes: with the local settings its write goes through (the savepoint took the
    write lock, so the other process waited for it instead); on a stale snapshot SQLite would fail it at once."""
    settings = runpy.run_path(str(ROOT / "docker" / "airflow_local_settings.py"))
    db = tmp_path / "airflow.db"
    engine = settings["create_metadata_engine"](f"sqlite:///{db}", engine_args={}, connect_args={})
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE dag_run (id INTEGER PRIMARY KEY, run_id TEXT)")
        conn.exec_driver_sql("INSERT INTO dag_run (run_id) VALUES ('scheduled')")
    other = sqlite3.connect(db, timeout=0.5)
    with Session(engine) as session:
        session.scalars(text("SELECT run_id FROM dag_run")).all()  # reads outside a transaction, as Airflow does
        session.commit()
        with session.begin_nested():
            assert session.scalars(text("SELECT run_id FROM dag_run")).all() == ["scheduled"]
            with pytest.raises(sqlite3.OperationalError, match="locked"):  # the scheduler's commit must wait
                other.execute("INSERT INTO dag_run (run_id) VALUES ('scheduler')")
                other.commit()
            session.execute(text("INSERT INTO dag_run (run_id) VALUES ('backfill')"))
        session.commit()
    other.execute("INSERT INTO dag_run (run_id) VALUES ('scheduler')")  # and goes through once it is free
    other.commit()
    assert [r for (r,) in other.execute("SELECT run_id FROM dag_run ORDER BY id")] == [
        "scheduled", "backfill", "scheduler"
    ]  # fmt: skip
    other.close()
