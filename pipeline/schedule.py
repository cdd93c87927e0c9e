"""How an orchestrated run maps onto the pipeline: issue date, schedule, XCom-safe page keys, storage env.

Pure functions, no Airflow import (the DAG files under `dags/` import this module at parse time, so it must stay
light: standard library only).

- `issue_date_for` is the one place that turns a run's logical date into an issue date;
- `cron_for` turns a profile's `publish_time` into the daily cron expression (read in the paper's time zone);
- `ref_to_xcom` / `ref_from_xcom` carry a `PageRef` through XCom as a few short strings (never page bytes);
- `aws_env_from_connection` maps an Airflow `aws` connection's fields to the `AWS_*` variables `pipeline.storage`
  reads, so the DAG never handles a secret itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from zoneinfo import ZoneInfo

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


def cron_for(publish_time: str) -> str:
    """Daily cron expression (`minute hour * * *`) for a profile's `publish_time` (`HH:MM`, local time)."""
    m = _HHMM.match(publish_time.strip())
    if not m:
        raise ValueError(f"publish_time {publish_time!r} is not HH:MM")
    return f"{int(m.group(2))} {int(m.group(1))} * * *"


def ref_to_xcom(ref: PageRef) -> dict[str, str | int]:
    """A `PageRef` as a small JSON-able dict (keys only: where the page is, not its bytes)."""
    return {
        "paper": ref.paper,
        "issue_date": ref.issue_date.isoformat(),
        "page": ref.page,
        "kind": ref.kind,
        "location": ref.location,
    }


def ref_from_xcom(d: Mapping[str, object]) -> PageRef:
    """Inverse of `ref_to_xcom`."""
    return PageRef(
        str(d["paper"]),
        dt.date.fromisoformat(str(d["issue_date"])),
        int(str(d["page"])),
        str(d["kind"]),
        str(d["location"]),
    )


def aws_env_from_connection(
    login: str | None, password: str | None, extra: str | Mapping[str, object] | None
) -> dict[str, str]:
    """`AWS_*` variables for `pipeline.storage` from an `aws` connection: login/password are the access key pair,
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
