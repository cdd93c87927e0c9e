"""
### epaper_compact: upkeep of closed months

Runs when `epaper_daily` publishes (the `epaper_articles` Asset) and on the 1st of each month at 04:00
Asia/Shanghai. One task calls `pipeline.lake.compact.maintain` for each paper profile: it verifies every published day of the last closed month
(all tables present and readable, `issues` counts agree with `pages`/`articles`, raw pages present) and removes
leftovers of interrupted runs (`_staging/` folders older than two days, stale temporary files). It fails, naming each
problem, when a day is not sound.

It does **not** merge a month's day partitions into one file: the lake keeps one object per table and day so that
re-running a day replaces exactly that day (see `pipeline/lake/compact.py` for the reasoning).

Run conf `{"month": "2023-05"}` checks another month. Settings as for `epaper_daily` (`EPAPER_LAKE`,
`EPAPER_CONN_ID`).
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
    params={"month": Param(None, type=["null", "string"], description="Month to verify, YYYY-MM")},
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
        """Verify the last closed month (or `params.month`) and vacuum staging; returns counts."""
        from pipeline.config import list_papers
        from pipeline.lake.compact import maintain
        from pipeline.schedule import aws_env_from_connection, task_settings

        aws_env: dict[str, str] = {}
        if conn_id := os.environ.get("EPAPER_CONN_ID"):
            from airflow.sdk import BaseHook

            conn = BaseHook.get_connection(conn_id)
            aws_env = aws_env_from_connection(conn.login, conn.password, conn.extra)
        month = (context.get("params") or {}).get("month")
        out: dict[str, object] = {}
        for paper in list_papers():  # every paper with a profile shares the lake
            with task_settings(paper, aws_env) as settings:
                out[paper] = maintain(settings, dt.datetime.now(dt.UTC).date(), month).to_xcom()
        return out

    maintain_lake()


compact_dag = epaper_compact()
