"""
### epaper_daily: archive one day of 德清新闻 (dqnews) into the lake

Runs once a day at the paper's `publish_time` (07:30) in its time zone (Asia/Shanghai), `catchup` off. Each task
calls one `pipeline` function; XCom carries only dates, page keys and counts.

| task | calls | notes |
| --- | --- | --- |
| `resolve_issue_date` | `pipeline.schedule.resolve_issue_date` | the local date of the logical date, or `issue_date` from the run conf |
| `wait_for_issue` | `pipeline.daily.list_pages` | sensor, reschedule mode; no issue by the deadline → **skipped** ("no issue"), so is the rest of the run |
| `list_pages` | `pipeline.daily.list_pages` | one small dict per page (number, kind, location) |
| `archive_page` | `pipeline.daily.stage_page` | mapped, one task per page: fetch, keep raw bytes, segment into `_staging/` |
| `publish` | `pipeline.daily.publish_staged` | runs when every page task is done and one succeeded; writes the day's partitions, emits the `epaper_articles` Asset |
| `check_quality` | `pipeline.quality.check_day` | articles per page within the profile's bounds, no empty bodies, no duplicate ids |

**Failures.** A source error that may pass (timeout, 5xx: `TransientError`) is retried with exponential backoff; a
page that cannot be read or segmented (`TerminalError`) fails at once, with paper, date, page and reason in its log.
Publishing still archives the good pages, flags the failed ones in `pages`, and fails the run ("day incomplete").
Re-running a date replaces that day's partitions exactly.

**Settings** come from the environment of the workers: `EPAPER_LAKE` (folder or `s3://bucket/prefix`, default
`./lake`), `EPAPER_SOURCE` (default: the bundled sample). For S3, set `EPAPER_CONN_ID` to an Airflow connection of
type `aws` (access key in login, secret in password, `{"endpoint_url": ..., "region_name": ...}` in extra); its
fields are handed to the pipeline as `AWS_*` variables for the task only. No secret is written in this file.

**Backfill** issues 2023-05-01..2023-05-31 (runs fire at 07:30 Shanghai time, so give the bounds in that zone):
`airflow backfill create --dag-id epaper_daily --from-date 2023-05-01T07:30:00+08:00 --to-date 2023-05-31T07:30:00+08:00`.
Days without an issue end skipped at once (their deadline is long past). Without Airflow: `epaper backfill`.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pendulum
from airflow.sdk import (
    Asset,
    CronTriggerTimetable,
    ExceptionRetryPolicy,
    Param,
    PokeReturnValue,
    RetryAction,
    RetryRule,
    TriggerRule,
    dag,
    get_current_context,
    task,
)

from pipeline.config import load_profile
from pipeline.schedule import cron_for

if TYPE_CHECKING:
    from airflow.sdk import DAG

    from pipeline.config import Settings

PAPER = "dqnews"
ARTICLES = Asset(name="epaper_articles", uri="epaper://lake/articles", group="epaper")

# TerminalError: the same input fails the same way, so retrying only delays the alarm. TransientError (and
# anything unexpected, e.g. an S3 hiccup) gets the task's retries with exponential backoff.
RETRY_POLICY = ExceptionRetryPolicy(
    rules=[
        RetryRule(exception="pipeline.errors.TransientError", action=RetryAction.RETRY),
        RetryRule(
            exception="pipeline.errors.TerminalError",
            action=RetryAction.FAIL,
            reason="terminal error: retrying the same input fails the same way",
        ),
    ]
)


def pipeline_settings(paper_id: str) -> AbstractContextManager[Settings]:
    """Settings for a task: environment, plus the `aws` connection named by `EPAPER_CONN_ID` (if set) handed to
    the pipeline as `AWS_*` for the task only. Airflow masks the connection's secret in logs; nothing prints it."""
    from pipeline.schedule import aws_env_from_connection, task_settings

    aws_env: dict[str, str] = {}
    if conn_id := os.environ.get("EPAPER_CONN_ID"):
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(conn_id)
        aws_env = aws_env_from_connection(conn.login, conn.password, conn.extra)
    return task_settings(paper_id, aws_env)


def build_daily_dag(
    *,
    paper_id: str = PAPER,
    wait: dt.timedelta = dt.timedelta(hours=6),
    poke_interval: dt.timedelta = dt.timedelta(minutes=10),
    retries: int = 3,
    retry_delay: dt.timedelta = dt.timedelta(minutes=2),
) -> DAG:
    """The daily DAG for one paper profile. Keyword arguments exist so tests can shorten the waits."""
    profile = load_profile(paper_id)
    dag_id = "epaper_daily" if paper_id == PAPER else f"epaper_daily_{paper_id}"

    @dag(
        dag_id=dag_id,
        schedule=CronTriggerTimetable(cron_for(profile.publish_time), timezone=profile.timezone),
        start_date=pendulum.datetime(2015, 1, 1, tz=profile.timezone),
        catchup=False,
        max_active_runs=2,
        max_active_tasks=8,
        dagrun_timeout=dt.timedelta(hours=12),
        tags=["epaper", paper_id, "daily"],
        doc_md=__doc__,
        params={
            "issue_date": Param(
                None,
                type=["null", "string"],
                format="date",
                description="Archive this issue (YYYY-MM-DD) instead of the logical date's local date.",
            )
        },
        default_args={
            "owner": "epaper",
            "retries": retries,
            "retry_delay": retry_delay,
            "retry_exponential_backoff": 2.0,
            "max_retry_delay": dt.timedelta(minutes=30),
            "retry_policy": RETRY_POLICY,
        },
    )
    def epaper_daily() -> None:
        @task
        def resolve_issue_date(**context: Any) -> str:
            """The issue this run archives, as `YYYY-MM-DD`."""
            from pipeline.schedule import resolve_issue_date as resolve

            override = (context.get("params") or {}).get("issue_date")
            run_after = context["dag_run"].run_after
            return resolve(context.get("logical_date"), run_after, profile.timezone, override).isoformat()

        @task.sensor(mode="reschedule", poke_interval=poke_interval, timeout=wait, soft_fail=True)
        def wait_for_issue(issue_date: str) -> PokeReturnValue:
            """Done when the source lists pages for the day; past the deadline with none, skip ("no issue")."""
            from airflow.sdk.exceptions import AirflowSkipException

            from pipeline.daily import list_pages
            from pipeline.errors import NoIssueError, TransientError
            from pipeline.schedule import issue_deadline

            day = dt.date.fromisoformat(issue_date)
            try:
                with pipeline_settings(paper_id) as settings:
                    n_pages = len(list_pages(settings, day))
            except (NoIssueError, TransientError) as exc:
                deadline = issue_deadline(day, profile.publish_time, profile.timezone, wait)
                if dt.datetime.now(dt.UTC) >= deadline:
                    raise AirflowSkipException(
                        f"no issue: {exc.describe()} (deadline {deadline:%F %T}Z passed)"
                    ) from None
                print(f"no issue yet, waiting until {deadline:%F %T}Z: {exc.describe()}")
                return PokeReturnValue(is_done=False)
            return PokeReturnValue(is_done=True, xcom_value=n_pages)

        @task
        def list_pages(issue_date: str) -> list[dict[str, str | int]]:
            """The day's pages as small XCom dicts (keys, not bytes)."""
            from pipeline.daily import list_pages as pages_of
            from pipeline.schedule import ref_to_xcom

            with pipeline_settings(paper_id) as settings:
                return [ref_to_xcom(r) for r in pages_of(settings, dt.date.fromisoformat(issue_date))]

        @task(map_index_template="{{ page_label }}")
        def archive_page(ref: dict[str, str | int]) -> dict[str, object]:
            """Fetch, archive and segment one page into staging; raises `PageError` if the page failed."""
            from pipeline.daily import stage_page
            from pipeline.errors import PageError
            from pipeline.schedule import ref_from_xcom

            page = ref_from_xcom(ref)
            get_current_context()["page_label"] = f"page {page.page:02d}"  # type: ignore[typeddict-unknown-key]
            with pipeline_settings(paper_id) as settings:
                result = stage_page(settings, page)
            if result["status"] != "ok":
                raise PageError(page.paper, page.issue_date, page.page, f"{result['status']}: {result['error']}")
            return result

        @task(trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS, outlets=[ARTICLES])
        def publish(pages: list[dict[str, str | int]]) -> dict[str, object]:
            """Publish the staged day (pages whose task failed are flagged); returns keys and counts."""
            from pipeline.daily import publish_staged, stage_missing
            from pipeline.schedule import ref_from_xcom

            refs = [ref_from_xcom(p) for p in pages]
            with pipeline_settings(paper_id) as settings:
                stage_missing(settings, refs, "page task failed; see the archive_page log for this page")
                summary = publish_staged(settings, refs[0].issue_date)
            return {
                "issue_date": summary.issue_date.isoformat(),
                "n_pages": summary.n_pages,
                "n_pages_failed": summary.n_pages_failed,
                "n_articles": summary.n_articles,
                "keys": list(summary.keys),
            }

        @task
        def check_quality(summary: dict[str, object]) -> dict[str, object]:
            """Fail loudly, naming each problem, when the published day breaks a quality rule."""
            from pipeline.quality import check_day

            with pipeline_settings(paper_id) as settings:
                return check_day(settings, dt.date.fromisoformat(str(summary["issue_date"]))).to_xcom()

        issue_date = resolve_issue_date()
        pages = list_pages(issue_date)
        wait_for_issue(issue_date) >> pages
        archived = archive_page.expand(ref=pages)
        published = publish(pages)
        archived >> published
        check_quality(published)

    return epaper_daily()


epaper_daily = build_daily_dag()
