"""
### epaper_daily: archive one day of 德清新闻 (dqnews) into the lake

Runs once a day at the paper's `publish_time` (07:30) in its time zone (Asia/Shanghai), `catchup` off. Each task
calls one `pipeline` function; XCom carries only dates, page keys and counts.

| task | calls | notes |
| --- | --- | --- |
| `resolve_issue_date` | `pipeline.schedule.resolve_issue_date` | the local date of the logical date, or `issue_date` from the run conf |
| `wait_for_issue` | `pipeline.daily.list_pages` | sensor, reschedule mode; no issue by the deadline → **skipped** ("no issue"), so is the rest of the run |
| `list_pages` | `pipeline.daily.list_pages` | one small dict per page (number, kind, location); clears what an unfinished earlier run staged |
| `page.fetch` | `pipeline.staging.stage_fetch` | mapped over pages: the page's bytes (and its HTML companion's) into `_staging/` |
| `page.segment` | `pipeline.staging.stage_segment` | mapped, runs after its own page's fetch: articles, and agreement with the HTML |
| `stitch` | `pipeline.staging.stage_stitch` | runs when every page is done and one succeeded: stories that jump pages joined |
| `publish` | `pipeline.staging.publish_staged` | writes the day's partitions, emits the `epaper_articles` Asset |
| `check_quality` | `pipeline.checks.quality.check_day` | articles per page within bounds, no empty bodies, no duplicate ids, PDF agrees with HTML |

**Failures.** A source error that may pass (timeout, 5xx: `TransientError`) is retried with exponential backoff; a
page that cannot be read or segmented (`TerminalError`) fails at once, with paper, date, page and reason in its log.
Publishing still archives the good pages, flags the failed ones in `pages`, and fails the run ("day incomplete").
After a fix, clear the failed page's tasks with their downstream: the run's staging (`_staging/<paper>/<date>/<run
id>/`) still holds the other pages, so the whole day is published. Re-running a date replaces that day exactly.

**Settings** come from the environment of the workers: `EPAPER_LAKE` (folder or `s3://bucket/prefix`, default
`./lake`), `EPAPER_SOURCE` (default: the bundled sample; `site:` fetches from the paper's e-paper site, `site:URL`
from a copy of it; `wait_for_issue` then polls the site for the day's first page index and each `page.fetch`
downloads one page's index, PDF, image and article pages). For S3, set `EPAPER_CONN_ID` to an Airflow connection of
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
    task_group,
)

from pipeline.config import list_papers, load_profile
from pipeline.schedule import cron_for

if TYPE_CHECKING:
    from airflow.sdk import DAG

    from pipeline.config import Settings
    from pipeline.models import PageRef

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


def dag_id_for(paper_id: str) -> str:
    """`epaper_daily` for the first paper (the id the docs and checks use), `epaper_daily_<paper_id>` for others."""
    return "epaper_daily" if paper_id == PAPER else f"epaper_daily_{paper_id}"


def _run() -> str:
    """This DAG run's id: each run stages its pages in a folder of its own (two runs of one date never mix)."""
    return str(get_current_context()["run_id"])


def _labelled(page: PageRef) -> PageRef:
    """The page, after naming its mapped task instance in the UI ("page 03")."""
    get_current_context()["page_label"] = f"page {page.page:02d}"  # type: ignore[typeddict-unknown-key]
    return page


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
    dag_id = dag_id_for(paper_id)

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

        @task.sensor(
            mode="reschedule", poke_interval=poke_interval.total_seconds(), timeout=wait.total_seconds(), soft_fail=True
        )
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
        def list_pages(issue_date: str) -> list[dict[str, str | int | None]]:
            """The day's pages as small XCom dicts (keys, not bytes)."""
            from pipeline.daily import list_pages as pages_of
            from pipeline.schedule import ref_to_xcom
            from pipeline.staging import stage_start

            day = dt.date.fromisoformat(issue_date)
            with pipeline_settings(paper_id) as settings:
                refs = pages_of(settings, day)
                stage_start(settings, day, _run())
            return [ref_to_xcom(r) for r in refs]

        @task(task_id="fetch", map_index_template="{{ page_label }}")
        def fetch_page(ref: dict[str, str | int | None]) -> dict[str, object]:
            """Fetch one page (and its HTML companion) into staging; raises `PageError` if the source cannot."""
            from pipeline.schedule import ref_from_xcom
            from pipeline.staging import stage_fetch

            page = _labelled(ref_from_xcom(ref))
            with pipeline_settings(paper_id) as settings:
                return stage_fetch(settings, page, _run())

        @task(task_id="segment", map_index_template="{{ page_label }}")
        def segment_page(ref: dict[str, str | int | None], fetched: dict[str, object]) -> dict[str, object]:
            """Segment one fetched page into staging; raises `PageError` if the page did not segment."""
            from pipeline.schedule import ref_from_xcom
            from pipeline.staging import stage_segment

            page = _labelled(ref_from_xcom(ref))
            with pipeline_settings(paper_id) as settings:
                return stage_segment(settings, page, _run())

        @task_group(group_id="page")
        def page_group(ref: dict[str, str | int | None]) -> None:
            """One page: fetch, then segment (each page's tasks run as soon as their own page is ready)."""
            segment_page(ref, fetch_page(ref))

        @task(trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
        def stitch(pages: list[dict[str, str | int | None]]) -> dict[str, object]:
            """Join stories that jump pages; pages whose tasks failed are staged as failed first."""
            from pipeline.schedule import ref_from_xcom
            from pipeline.staging import stage_missing, stage_stitch

            refs = [ref_from_xcom(p) for p in pages]
            with pipeline_settings(paper_id) as settings:
                reason = "page task failed; see the page.fetch / page.segment log for this page"
                stage_missing(settings, refs, reason, _run())
                counts = stage_stitch(settings, refs[0].issue_date, _run())
            return {"issue_date": refs[0].issue_date.isoformat(), **counts}

        @task(outlets=[ARTICLES])
        def publish(stitched: dict[str, object]) -> dict[str, object]:
            """Publish the staged day (failed pages flagged; "day incomplete" fails the task after writing)."""
            from pipeline.staging import publish_staged

            with pipeline_settings(paper_id) as settings:
                summary = publish_staged(settings, dt.date.fromisoformat(str(stitched["issue_date"])), _run())
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
            from pipeline.checks.quality import check_day

            with pipeline_settings(paper_id) as settings:
                return check_day(settings, dt.date.fromisoformat(str(summary["issue_date"]))).to_xcom()

        issue_date = resolve_issue_date()
        pages = list_pages(issue_date)
        wait_for_issue(issue_date) >> pages
        per_page = page_group.expand(ref=pages)
        stitched = stitch(pages)
        per_page >> stitched
        check_quality(publish(stitched))

    return epaper_daily()


# One daily DAG per paper profile (`pipeline/papers/*.toml`): a new paper of the family is a new profile file.
# The first paper's DAG keeps the plain id `epaper_daily`; the others are `epaper_daily_<paper_id>`.
for _paper in list_papers():
    globals()[dag_id_for(_paper)] = build_daily_dag(paper_id=_paper)
epaper_daily: DAG = globals()["epaper_daily"]
