"""Upkeep: closed years compacted, checkpointed and vacuumed without changing a row; leftovers cleared; the
lake verified after."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from deltalake import DeltaTable

from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.lake.compact import LakeCheckError, clear_leftovers, compact, last_closed_month, maintain
from pipeline.lake.store import open_store
from pipeline.lake.tables import TABLES, open_table, table_uri
from pipeline.query import connect
from tests.conftest import ROW_TABLES, SAMPLE_DATE, rewrite_articles

AFTER = dt.date(2024, 2, 10)  # a "today" by which 2023 is closed


def add_days(source_root: Path, days: list[dt.date]) -> None:
    """Give the source more days, each a copy of the sample page."""
    page = source_root / "dqnews" / SAMPLE_DATE.isoformat() / "01.txt"
    for day in days:
        folder = source_root / "dqnews" / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, folder / "01.txt")


def test_last_closed_month() -> None:
    assert last_closed_month(dt.date(2023, 6, 1)) == "2023-05"
    assert last_closed_month(dt.date(2024, 1, 31)) == "2023-12"


def test_compact_merges_a_closed_year_into_one_file_per_table_and_keeps_every_row(
    settings: Settings, source_root: Path
) -> None:
    days = [SAMPLE_DATE + dt.timedelta(days=i) for i in range(4)]
    add_days(source_root, days[1:])
    for day in days:
        run_day(settings, day)
    run_day(settings, days[1])  # a re-run leaves a removed file behind for vacuum
    before = connect(settings.lake).execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    store = open_store(settings.lake)
    years, done = compact(store, "dqnews", AFTER, retention=0)
    assert years == [2023]
    for t in (t for t in done if t.table in ROW_TABLES):
        assert (t.files_before, t.files_after) == (4, 1), t
        assert t.vacuumed >= 4  # the 4 merged files and the one the re-run replaced
    for table in ROW_TABLES:
        delta = DeltaTable(table_uri(store, table))
        assert len(delta.file_uris()) == 1
        assert any(
            p.name.endswith(".checkpoint.parquet") for p in Path(table_uri(store, table), "_delta_log").iterdir()
        )
        on_disk = list(Path(table_uri(store, table)).rglob("*.parquet"))
        assert len([p for p in on_disk if "_delta_log" not in p.parts]) == 1  # vacuumed
    assert connect(settings.lake).execute("SELECT * FROM articles ORDER BY article_id").fetchall() == before
    assert maintain(settings, AFTER).problems == ()


def test_compact_refuses_a_month_that_is_not_closed(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    with pytest.raises(ValueError, match="not closed yet"):
        compact(open_store(settings.lake), "dqnews", dt.date(2023, 5, 30), month="2023-05")
    years, _ = compact(open_store(settings.lake), "dqnews", dt.date(2023, 6, 1), month="2023-05", retention=0)
    assert years == [2023]


def test_compact_keeps_readers_safe_with_the_default_retention(settings: Settings, source_root: Path) -> None:
    add_days(source_root, [dt.date(2023, 5, 26)])
    run_day(settings, SAMPLE_DATE)
    run_day(settings, dt.date(2023, 5, 26))
    store = open_store(settings.lake)
    old = DeltaTable(table_uri(store, "articles"), version=1).file_uris()
    _, done = compact(store, "dqnews", AFTER)  # 7 days: the files an older version reads stay
    assert all(t.vacuumed == 0 for t in done)
    assert all(Path(f).exists() for f in old)


def test_maintain_clears_stale_staging_and_verifies(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    store.write_bytes("_staging/dqnews/2023-05-20/01.json", b"{}")  # a run that died before publishing
    store.write_bytes("_staging/dqnews/2023-06-09/01.json", b"{}")  # yesterday's: a run may still use it
    report = maintain(settings, dt.date(2023, 6, 10))
    assert (report.years, report.problems) == ((2023,), ())
    assert report.removed == ("_staging/dqnews/2023-05-20/01.json",)
    assert store.list("_staging") == ["_staging/dqnews/2023-06-09/01.json"]


def test_maintain_fails_naming_a_day_without_its_issues_row(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    DeltaTable(table_uri(store, "issues")).delete("issue_date = '2023-05-25'")  # as if its commit never came
    with pytest.raises(LakeCheckError, match="table articles, day dqnews 2023-05-25: rows without an issues row"):
        maintain(settings, dt.date(2023, 6, 10))


def test_maintain_finds_counts_that_disagree(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    store.delete("raw/dqnews/2023-05-25/01.txt")
    rewrite_articles(settings, {"dup": True})
    with pytest.raises(LakeCheckError) as info:
        maintain(settings, dt.date(2023, 6, 10), month="2023-05")
    assert re.search(r"day dqnews 2023-05-25: issues says 6 row\(s\), articles has 7", str(info.value))
    assert "duplicate article_id(s): dqnews-2023-05-25-a-p0001-i0001" in str(info.value)
    assert "raw page raw/dqnews/2023-05-25/01.txt is missing" in str(info.value)


def test_clear_leftovers_removes_only_old_temp_files(tmp_path: Path) -> None:
    store = open_store(str(tmp_path))
    old = tmp_path / "raw" / f".01.txt.{'a' * 32}.tmp"
    new = tmp_path / "raw" / f".01.txt.{'b' * 32}.tmp"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert clear_leftovers(store, "dqnews", dt.date(2023, 6, 10)) == [f"raw/{old.name}"]
    assert new.exists() and not old.exists()


@pytest.mark.parametrize("old_tables", [False, True], ids=["tables", "tables-without-checkpoint-setting"])
def test_a_day_published_while_compaction_runs_is_never_lost(
    settings: Settings, source_root: Path, old_tables: bool
) -> None:
    """Compaction and publishes interleave freely: whichever commit loses its conflict check is retried (as the
    DAG's retries do), and afterwards every day is there, once. Tables made before `TABLE_CONFIG` existed also
    get a metadata commit from compaction, which races the publishes too."""
    import threading

    from pipeline.errors import TransientError

    days = [dt.date(2023, 5, 1) + dt.timedelta(days=i) for i in range(8)]
    add_days(source_root, days)
    for day in days[:4]:
        run_day(settings, day)
    store = open_store(settings.lake)
    if old_tables:
        for table in TABLES:
            delta = open_table(store, table)
            assert delta is not None
            delta.alter.set_table_properties({"delta.checkpointInterval": "100"})
    failures: list[Exception] = []

    def compact_until_done() -> None:
        for _ in range(5):
            try:
                compact(store, "dqnews", AFTER)  # the default retention: readers racing it keep their files
                return
            except TransientError as exc:  # a publish committed first: run it again
                failures.append(exc)
        raise AssertionError(f"compaction never committed: {failures}")

    worker = threading.Thread(target=compact_until_done)
    worker.start()
    for day in days[4:]:
        for _ in range(5):
            try:
                run_day(settings, day)
                break
            except TransientError as exc:  # compaction committed first: the task retries
                failures.append(exc)
    worker.join()
    con = connect(settings.lake)
    counts = con.execute("SELECT issue_date, count(*) FROM articles GROUP BY ALL ORDER BY 1").fetchall()
    assert counts == [(day, 6) for day in days]
    assert maintain(settings, AFTER).problems == ()
    for table in TABLES:
        delta = open_table(store, table)
        assert delta is not None and delta.metadata().configuration["delta.checkpointInterval"] == "10"
