"""Lake tables: Delta tables written by a real run, the day publish and its visibility rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.lake.store import open_store
from pipeline.lake.tables import lake_schema, publish_day, read_day, read_rows, table_uri
from pipeline.query import connect
from tests.conftest import ROW_TABLES, SAMPLE_DATE


def test_tables_are_delta_in_the_declared_schema_zstd_partitioned_by_paper_and_year(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    for table in ROW_TABLES:
        delta = DeltaTable(table_uri(store, table))
        assert delta.metadata().partition_columns == ["paper", "year"]
        files = delta.file_uris()
        assert files and all("/paper=dqnews/year=2023/" in f for f in files)
        meta = pq.ParquetFile(files[0]).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
        # Date first, so its statistics are collected; the record's columns follow the bookkeeping ones.
        assert pq.read_schema(files[0]).names[0] == "issue_date"
        assert [f.name for f in delta.schema().fields] == lake_schema(table).names


def test_rerun_replaces_the_day_exactly(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    con = connect(settings.lake)
    first = con.execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    run_day(settings, SAMPLE_DATE)
    con = connect(settings.lake)
    assert con.execute("SELECT * FROM articles ORDER BY article_id").fetchall() == first
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (6, 6)
    store = open_store(settings.lake)
    for table in ROW_TABLES:  # the old rows are gone from the latest version, not just hidden by the views
        rows = read_rows(store, table, "dqnews", SAMPLE_DATE, ["run_id"])
        assert rows is not None and len(set(rows.column("run_id").to_pylist())) == 1


def test_every_row_carries_the_run_and_views_follow_the_issues_row(settings: Settings) -> None:
    """A day whose `articles` were replaced but whose `issues` commit never came still shows the old version."""
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    before = connect(settings.lake).execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    articles = read_day(store, "articles", "dqnews", SAMPLE_DATE)
    assert articles is not None
    trimmed = {"articles": articles.slice(0, 2)}  # a writer that committed articles, then died
    publish_day(store, "dqnews", SAMPLE_DATE, trimmed, "run-killed")
    rows = read_rows(store, "articles", "dqnews", SAMPLE_DATE, ["run_id"])
    assert rows is not None and rows.column("run_id").to_pylist().count("run-killed") == 2  # committed, unseen
    con = connect(settings.lake)
    assert con.execute("SELECT * FROM articles ORDER BY article_id").fetchall() == before  # the old day, whole
    run_day(settings, SAMPLE_DATE)  # the retry converges, and the dead run's rows are gone
    assert connect(settings.lake).execute("SELECT * FROM articles ORDER BY article_id").fetchall() == before
    rows = read_rows(store, "articles", "dqnews", SAMPLE_DATE, ["run_id"])
    assert rows is not None and len(set(rows.column("run_id").to_pylist())) == 1 and rows.num_rows == 6


def test_article_ids_are_stable_and_readable(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    table = read_day(open_store(settings.lake), "articles", "dqnews", SAMPLE_DATE)
    assert table is not None
    assert table.column("article_id").to_pylist() == [f"dqnews-2023-05-25-a-p0001-i{i:04d}" for i in range(1, 7)]
    assert table.column("pages").to_pylist() == [[1]] * 6


def test_a_second_day_adds_rows_to_the_same_year_partition(settings: Settings, source_root: Path) -> None:
    other = source_root / "dqnews" / "2023-05-26"
    other.mkdir()
    (other / "01.txt").write_bytes((source_root / "dqnews" / "2023-05-25" / "01.txt").read_bytes())
    run_day(settings, SAMPLE_DATE)
    run_day(settings, dt.date(2023, 5, 26))
    con = connect(settings.lake)
    rows = con.execute("SELECT issue_date, articles FROM daily_counts ORDER BY issue_date").fetchall()
    assert rows == [(dt.date(2023, 5, 25), 6), (dt.date(2023, 5, 26), 6)]
    plan = con.execute("EXPLAIN ANALYZE SELECT count(*) FROM articles WHERE issue_date = DATE '2023-05-26'")
    assert "Scanning Files: 1/2" in str(plan.fetchall())  # the other day's file is pruned by its statistics


def test_connect_defaults_to_epaper_lake(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    run_day(settings, SAMPLE_DATE)
    monkeypatch.setenv("EPAPER_LAKE", settings.lake)
    assert connect().execute("SELECT count(*) FROM articles").fetchone() == (6,)


def test_a_new_table_checkpoints_every_ten_commits(settings: Settings) -> None:
    """A publish replays the log written since the last checkpoint each time it opens a table: new tables keep
    that to fewer than ten entries (Delta's default interval is 100)."""
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    issues = DeltaTable(table_uri(store, "issues"))
    assert issues.metadata().configuration.get("delta.checkpointInterval") == "10"
    for _ in range(10 - issues.version()):  # re-runs of the day: one `issues` commit each
        run_day(settings, SAMPLE_DATE)
    for table in ROW_TABLES:
        log = Path(table_uri(store, table), "_delta_log")
        version = DeltaTable(table_uri(store, table)).version()
        last = max(int(p.name.split(".")[0]) for p in log.glob("*.checkpoint.parquet"))
        assert version >= 10 and version - last < 10, (table, version, last)
