"""The Airflow-free pieces the DAGs call: issue dates around midnight, schedule, XCom refs, connection mapping,
and `epaper backfill` (quality checks: `tests/checks/`, month upkeep: `tests/lake/test_compact.py`). No Airflow
import here."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.models import PageRef
from pipeline.schedule import (
    aws_env_from_connection,
    cron_for,
    issue_date_for,
    issue_deadline,
    ref_from_xcom,
    ref_to_xcom,
    resolve_issue_date,
    task_settings,
)
from tests.conftest import SAMPLE_DATE

UTC = dt.UTC
SH = "Asia/Shanghai"

# --- issue date -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("logical", "expected"),
    [
        (dt.datetime(2023, 5, 24, 15, 59, 59, tzinfo=UTC), dt.date(2023, 5, 24)),  # 23:59:59 in Shanghai
        (dt.datetime(2023, 5, 24, 16, 0, 0, tzinfo=UTC), dt.date(2023, 5, 25)),  # midnight in Shanghai
        (dt.datetime(2023, 5, 24, 23, 30, tzinfo=UTC), dt.date(2023, 5, 25)),  # the scheduled 07:30 run
        (dt.datetime(2023, 5, 25, 0, 0, tzinfo=UTC), dt.date(2023, 5, 25)),  # `airflow dags test … 2023-05-25`
        (dt.datetime(2023, 5, 25, 0, 0), dt.date(2023, 5, 25)),  # naive = UTC
        (dt.datetime(2023, 5, 25, 15, 59, tzinfo=UTC), dt.date(2023, 5, 25)),
        (dt.datetime(2023, 12, 31, 16, 0, tzinfo=UTC), dt.date(2024, 1, 1)),  # year boundary
        (dt.datetime(2024, 2, 28, 16, 0, tzinfo=UTC), dt.date(2024, 2, 29)),  # leap day
        (dt.datetime(2023, 5, 25, 0, 30, tzinfo=ZoneInfo(SH)), dt.date(2023, 5, 25)),  # aware, local zone
    ],
)
def test_issue_date_is_the_local_date_of_the_logical_date(logical: dt.datetime, expected: dt.date) -> None:
    assert issue_date_for(logical, SH) == expected


def test_shanghai_has_no_dst_so_every_day_flips_at_16_utc() -> None:
    day = dt.datetime(2023, 1, 1, 16, 0, tzinfo=UTC)
    for i in range(366):
        moment = day + dt.timedelta(days=i)
        assert issue_date_for(moment, SH) == moment.date() + dt.timedelta(days=1)
        assert issue_date_for(moment - dt.timedelta(seconds=1), SH) == moment.date()


def test_issue_date_in_a_dst_zone_follows_its_local_midnight() -> None:
    # Berlin: UTC+1 in winter, UTC+2 in summer; the flip hour moves, the rule does not.
    assert issue_date_for(dt.datetime(2023, 1, 15, 23, 0, tzinfo=UTC), "Europe/Berlin") == dt.date(2023, 1, 16)
    assert issue_date_for(dt.datetime(2023, 7, 15, 22, 0, tzinfo=UTC), "Europe/Berlin") == dt.date(2023, 7, 16)
    assert issue_date_for(dt.datetime(2023, 7, 15, 21, 59, tzinfo=UTC), "Europe/Berlin") == dt.date(2023, 7, 15)


def test_resolve_issue_date_override_and_runs_without_logical_date() -> None:
    after = dt.datetime(2023, 5, 24, 23, 30, tzinfo=UTC)
    assert resolve_issue_date(None, after, SH) == dt.date(2023, 5, 25)
    assert resolve_issue_date(after, after, SH, "2020-01-02") == dt.date(2020, 1, 2)
    with pytest.raises(ValueError):
        resolve_issue_date(after, after, SH, "25/05/2023")


def test_cron_and_deadline_from_the_profile_publish_time() -> None:
    assert cron_for("07:30") == "30 7 * * *"
    assert cron_for("7:05") == "5 7 * * *"
    for bad in ("7.30", "24:00", "07:60", ""):
        with pytest.raises(ValueError):
            cron_for(bad)
    deadline = issue_deadline(dt.date(2023, 5, 25), "07:30", SH, dt.timedelta(hours=6))
    assert deadline == dt.datetime(2023, 5, 25, 5, 30, tzinfo=UTC)  # 13:30 in Shanghai


# --- XCom refs and connection ------------------------------------------------------------------------------------


def test_page_ref_round_trips_through_small_json() -> None:
    ref = PageRef("dqnews", SAMPLE_DATE, 3, "pdf", "/src/dqnews/2023-05-25/03.pdf")
    wire = json.loads(json.dumps(ref_to_xcom(ref)))
    assert ref_from_xcom(wire) == ref
    assert len(json.dumps(wire)) < 200


def test_aws_connection_maps_to_the_storage_env() -> None:
    env = aws_env_from_connection("key", "secret", '{"endpoint_url": "http://127.0.0.1:8333", "region_name": "x"}')
    assert env == {
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:8333",
        "AWS_REGION": "x",
    }
    assert aws_env_from_connection(None, None, None) == {}
    assert aws_env_from_connection("k", "s", {"endpoint_url": "http://e"})["AWS_ENDPOINT_URL"] == "http://e"


def test_task_settings_exports_env_only_for_the_duration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EPAPER_LAKE", str(tmp_path))
    monkeypatch.setenv("AWS_REGION", "before")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    with task_settings("dqnews", {"AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "during"}) as settings:
        assert settings.lake == str(tmp_path)
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "s" and os.environ["AWS_REGION"] == "during"
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ
    assert os.environ["AWS_REGION"] == "before"


# --- epaper backfill --------------------------------------------------------------------------------------------


def test_backfill_archives_days_and_skips_days_without_issue(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["backfill", "--from", "2023-05-24", "--to", "2023-05-26", "--lake", str(fresh_lake)])
    assert result.exit_code == 0, result.output
    assert "2023-05-24  no issue, skipped" in result.output
    assert re.search(r"2023-05-25  1 page\(s\), \d+ article\(s\)", result.output)
    assert "1 archived, 2 no issue, 0 failed" in result.output
    assert read_day(open_store(str(fresh_lake)), "articles", "dqnews", SAMPLE_DATE) is not None


def test_backfill_reports_a_failed_day_and_exits_1(runner: CliRunner, fresh_lake: Path, source_root: Path) -> None:
    (source_root / "dqnews" / "2023-05-26").mkdir()
    (source_root / "dqnews" / "2023-05-26" / "01.txt").write_bytes(b"\x00binary")
    args = ["backfill", "--from", "2023-05-25", "--to", "2023-05-26", "--lake", str(fresh_lake)]
    result = runner.invoke(app, [*args, "--source", str(source_root)])
    assert result.exit_code == 1
    assert "2023-05-26  failed: paper dqnews, date 2023-05-26" in result.output
    assert "1 archived, 0 no issue, 1 failed" in result.output


def test_backfill_rejects_a_reversed_range(runner: CliRunner, fresh_lake: Path) -> None:
    result = runner.invoke(app, ["backfill", "--from", "2023-05-26", "--to", "2023-05-25", "--lake", str(fresh_lake)])
    assert result.exit_code == 2
