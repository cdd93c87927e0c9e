"""Lake partitions, over real Parquet written by a real run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.lake.store import open_store
from pipeline.lake.tables import partition_key, read_day
from pipeline.models import ARTICLES_SCHEMA, ISSUES_SCHEMA, PAGES_SCHEMA
from pipeline.query.views import connect
from tests.conftest import SAMPLE_DATE, snapshot


def test_partitions_are_zstd_parquet_in_the_declared_schema(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    for table, schema in (("articles", ARTICLES_SCHEMA), ("pages", PAGES_SCHEMA), ("issues", ISSUES_SCHEMA)):
        path = Path(store.path(partition_key(table, "dqnews", SAMPLE_DATE)))
        meta = pq.ParquetFile(path).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
        names = set(pq.read_schema(path).names)
        assert names == set(schema.names) - {"paper", "issue_date"}


def test_rerun_replaces_the_day_exactly(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    first = snapshot(Path(settings.lake))
    run_day(settings, SAMPLE_DATE)
    assert snapshot(Path(settings.lake)) == first
    con = connect(settings.lake)
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (6, 6)


def test_article_ids_are_stable_and_readable(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    table = read_day(open_store(settings.lake), "articles", "dqnews", SAMPLE_DATE)
    assert table is not None
    assert table.column("article_id").to_pylist() == [f"dqnews-2023-05-25-a-p0001-i{i:04d}" for i in range(1, 7)]
    assert table.column("pages").to_pylist() == [[1]] * 6


def test_a_second_day_adds_a_partition(settings: Settings, source_root: Path) -> None:
    other = source_root / "dqnews" / "2023-05-26"
    other.mkdir()
    (other / "01.txt").write_bytes((source_root / "dqnews" / "2023-05-25" / "01.txt").read_bytes())
    run_day(settings, SAMPLE_DATE)
    run_day(settings, dt.date(2023, 5, 26))
    con = connect(settings.lake)
    rows = con.execute("SELECT issue_date, articles FROM daily_counts ORDER BY issue_date").fetchall()
    assert rows == [(dt.date(2023, 5, 25), 6), (dt.date(2023, 5, 26), 6)]
