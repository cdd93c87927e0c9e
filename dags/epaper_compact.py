"""
### epaper_compact: upkeep of the lake's Delta tables

Runs when `epaper_daily` publishes (the `epaper_articles` Asset) and on the 1st of each month at 04:00
Asia/Shanghai. One task calls `pipeline.lake.compact.maintain` for each paper profile: it merges the small data
files of closed years (one per published day) into large ones with delta-rs `optimize.compact`, writes a
checkpoint, vacuums files no version younger than the retention reads (7 days, `EPAPER_VACUUM_RETENTION_HOURS`),
rebuilds the search index sorted, removes `_staging/` folders of runs that died more than two days ago, and then
verifies the whole lake (`epaper check`). It fails, naming each problem by table and day, when the lake is not sound.

Compaction is an ordinary Delta commit and never changes a row; a day published while it runs is never lost (one
of the two commits fails its conflict check and is retried). `max_active_runs=1` keeps it to one run at a time.

Run conf `{"month": "2023-05"}` compacts only that closed month's year. Settings as for `epaper_daily`
(`EPAPER_LAKE`, `EPAPER_CONN_ID`).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pendulum
from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, Param, dag, task

# Same identity as in epaper_daily.py (an Asset is matched by name and URI; tests check the two agree).
ARTICLES = Asset(name="epaper_articles", uri="epaper://lake/articles", group="epaper")


@dag(
    dag_id="epaper_compact",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 4 1 * *", timezone="Asia/Shanghai"), assets=[ARTICLES]
    ),
    start_date=pendulum.datetime(2015, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    tags=["epaper", "maintenance"],
    doc_md=__doc__,
    params={
        "month": Param(None, type=["null", "string"], description="Compact only this closed month's year, YYYY-MM")
    },
    default_args={
        "owner": "epaper",
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=5),
        "retry_exponential_backoff": 2.0,
    },
)
def epaper_compact() -> None:
    @task
    def maintain_lake(**context: Any) -> dict[str, object]:
        """Compact closed years (or `params.month`'s), vacuum, clear staging, verify; returns counts."""
        from pipeline.config import list_papers
        from pipeline.lake.compact import maintain
        from pipeline.schedule import aws_env_from_connection, task_settings

        aws_env: dict[str, str] = {}
        if conn_id := os.environ.get("EPAPER_CONN_ID"):
            from airflow.sdk import BaseHook

            conn = BaseHook.get_connection(conn_id)
            aws_env = aws_env_from_connection(conn.login, conn.password, conn.extra)
        month = (context.get("params") or {}).get("month")
        today = context["dag_run"].run_after.astimezone(dt.UTC).date()  # when the run was due: closes periods
        out: dict[str, object] = {}
        for paper in list_papers():  # every paper with a profile shares the lake
            with task_settings(paper, aws_env) as settings:
                out[paper] = maintain(settings, today, month).to_xcom()
        return out

    maintain_lake()


compact_dag = epaper_compact()
