"""Month upkeep: closed months verified, leftovers of interrupted runs vacuumed."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.lake.compact import LakeCheckError, last_closed_month, maintain, month_days, vacuum
from pipeline.lake.store import open_store
from pipeline.lake.tables import partition_key
from tests.conftest import SAMPLE_DATE, rewrite_articles

UTC = dt.UTC
SH = "Asia/Shanghai"


# --- month upkeep -----------------------------------------------------------------------------------------------


def test_last_closed_month() -> None:
    assert last_closed_month(dt.date(2023, 6, 1)) == "2023-05"
    assert last_closed_month(dt.date(2024, 1, 31)) == "2023-12"


def test_maintain_verifies_a_sound_month_and_vacuums_stale_staging(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    store.write_bytes("_staging/dqnews/2023-05-20/01.json", b"{}")  # a run that died before publishing
    store.write_bytes("_staging/dqnews/2023-06-09/01.json", b"{}")  # yesterday's: a run may still use it
    report = maintain(settings, dt.date(2023, 6, 10))
    assert (report.month, report.days_verified, report.problems) == ("2023-05", 1, ())
    assert report.removed == ("_staging/dqnews/2023-05-20/01.json",)
    assert store.list("_staging") == ["_staging/dqnews/2023-06-09/01.json"]
    assert month_days(store, "dqnews", "2023-05") == [SAMPLE_DATE]


def test_maintain_fails_naming_a_partial_day(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    store.delete(partition_key("issues", "dqnews", SAMPLE_DATE))
    store.delete("raw/dqnews/2023-05-25/01.txt")
    with pytest.raises(LakeCheckError, match="2023-05-25: missing issues partition"):
        maintain(settings, dt.date(2023, 6, 10))


def test_maintain_finds_counts_that_disagree(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    store.delete("raw/dqnews/2023-05-25/01.txt")
    rewrite_articles(settings, {"dup": True})
    with pytest.raises(LakeCheckError) as info:
        maintain(settings, dt.date(2023, 6, 10), month="2023-05")
    assert re.search(r"issues says \d+ article\(s\), articles has \d+", str(info.value))
    assert "raw page raw/dqnews/2023-05-25/01.txt is missing" in str(info.value)


def test_vacuum_removes_only_old_temp_files(tmp_path: Path) -> None:
    store = open_store(str(tmp_path))
    old = tmp_path / "articles" / f".part-0.parquet.{'a' * 32}.tmp"
    new = tmp_path / "articles" / f".part-0.parquet.{'b' * 32}.tmp"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert vacuum(store, "dqnews", dt.date(2023, 6, 10)) == [f"articles/{old.name}"]
    assert new.exists() and not old.exists()
