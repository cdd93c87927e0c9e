"""How an orchestrated run maps onto the pipeline: issue date, schedule, XCom-safe page keys, storage env.

Pure functions, no Airflow import (the DAG files under `dags/` import this module at parse time, so it must stay
light: standard library only).

- `issue_date_for` is the one place that turns a run's logical date into an issue date;
- `cron_for` turns a profile's `publish_time` into the daily cron expression (read in the paper's time zone);
- `ref_to_xcom` / `ref_from_xcom` carry a `PageRef` through XCom as a few short strings (never page bytes);
- `aws_env_from_connection` maps an Airflow `aws` connection's fields to the `AWS_*` variables `pipeline.lake.store`
  reads, and `task_settings` applies them around one task's work, so the DAG never handles a secret itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # pipeline.models imports pyarrow: too heavy for DAG parsing
    from pipeline.config import Settings
    from pipeline.models import PageRef

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def issue_date_for(logical_date: dt.datetime, tz: str) -> dt.date:
    """The issue a run archives: the calendar date of `logical_date` in the paper's time zone `tz`.

    A naive `logical_date` is taken as UTC (Airflow's convention). The daily schedule fires at the publish time in
    `tz`, so a scheduled run archives that same local day's issue; `airflow dags test epaper_daily 2023-05-25`
    (logical date 2023-05-25T00:00Z, 08:00 in Asia/Shanghai) archives the issue of 2023-05-25.
    """
    aware = logical_date if logical_date.tzinfo is not None else logical_date.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(tz)).date()


def resolve_issue_date(
    logical_date: dt.datetime | None, run_after: dt.datetime, tz: str, override: str | None = None
) -> dt.date:
    """Issue date of a run: an explicit `override` (`YYYY-MM-DD`, from the run's conf) wins; else the logical date's
    local date; runs without a logical date (possible in Airflow 3) use `run_after`. Raises `ValueError` for a bad
    override."""
    if override:
        return dt.date.fromisoformat(override)
    return issue_date_for(logical_date if logical_date is not None else run_after, tz)


def issue_deadline(issue_date: dt.date, publish_time: str, tz: str, wait: dt.timedelta) -> dt.datetime:
    """Until when it is worth waiting for an issue: its local `publish_time` on `issue_date` in `tz`, plus `wait`.

    A scheduled run starts at the publish time, so this is "wait `wait` from the start"; a run for an old date
    (a backfill) is past its deadline at once, so a missing issue is reported without waiting.
    """
    hour, minute = _hhmm(publish_time)
    local = dt.datetime.combine(issue_date, dt.time(hour, minute), tzinfo=ZoneInfo(tz))
    return local.astimezone(dt.UTC) + wait


def cron_for(publish_time: str) -> str:
    """Daily cron expression (`minute hour * * *`) for a profile's `publish_time` (`HH:MM`, local time)."""
    hour, minute = _hhmm(publish_time)
    return f"{minute} {hour} * * *"


def _hhmm(publish_time: str) -> tuple[int, int]:
    m = _HHMM.match(publish_time.strip())
    if not m:
        raise ValueError(f"publish_time {publish_time!r} is not HH:MM")
    return int(m.group(1)), int(m.group(2))


def ref_to_xcom(ref: PageRef) -> dict[str, str | int | None]:
    """A `PageRef` as a small JSON-able dict (keys only: where the page is, not its bytes)."""
    return {
        "paper": ref.paper,
        "issue_date": ref.issue_date.isoformat(),
        "page": ref.page,
        "kind": ref.kind,
        "location": ref.location,
        "html_location": ref.html_location,
    }


def ref_from_xcom(d: Mapping[str, object]) -> PageRef:
    """Inverse of `ref_to_xcom`."""
    from pipeline.models import PageRef

    return PageRef(
        str(d["paper"]),
        dt.date.fromisoformat(str(d["issue_date"])),
        int(str(d["page"])),
        str(d["kind"]),
        str(d["location"]),
        str(d["html_location"]) if d.get("html_location") else None,
    )


def aws_env_from_connection(
    login: str | None, password: str | None, extra: str | Mapping[str, object] | None
) -> dict[str, str]:
    """`AWS_*` variables for `pipeline.lake.store` from an `aws` connection: login/password are the access key pair,
    `endpoint_url` and `region_name` come from the extra (JSON text or a mapping). Empty fields are left out."""
    fields: Mapping[str, object] = json.loads(extra) if isinstance(extra, str) and extra else (extra or {})
    if not isinstance(fields, Mapping):
        raise ValueError("connection extra must be a JSON object")
    env = {
        "AWS_ACCESS_KEY_ID": login or "",
        "AWS_SECRET_ACCESS_KEY": password or "",
        "AWS_ENDPOINT_URL": str(fields.get("endpoint_url") or ""),
        "AWS_REGION": str(fields.get("region_name") or ""),
    }
    return {k: v for k, v in env.items() if v}


@contextmanager
def task_settings(paper: str, aws_env: Mapping[str, str] | None = None) -> Iterator[Settings]:
    """Settings resolved from the environment (`EPAPER_SOURCE`, `EPAPER_LAKE`), with `aws_env` exported into
    `os.environ` for the duration and the previous values restored after (tasks may share a process)."""
    from pipeline.config import resolve_settings

    extra = dict(aws_env or {})
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield resolve_settings(paper=paper)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
