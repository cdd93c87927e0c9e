"""`epaper check` reads the lake without changing it and names each problem by table and day; `epaper export`
writes a query's rows for research tools; `epaper migrate` converts a lake of the old one-object-per-day layout."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.lake.check import check_lake
from pipeline.lake.index import segment_key
from pipeline.lake.store import open_store
from pipeline.lake.tables import RECORD_SCHEMAS, read_day, table_uri
from pipeline.query import connect
from tests.conftest import ROW_TABLES, SAMPLE_DATE, snapshot


def test_a_sound_lake_passes_and_check_changes_nothing(runner: CliRunner, settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    before = snapshot(Path(settings.lake))
    result = runner.invoke(app, ["check", "--lake", settings.lake])
    assert result.exit_code == 0, result.output
    assert "lake ok" in result.output
    assert snapshot(Path(settings.lake)) == before


def test_a_corrupt_data_file_is_named(runner: CliRunner, settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    (data,) = DeltaTable(table_uri(store, "pages")).file_uris()
    Path(data).write_bytes(b"not parquet at all")
    key = Path(data).relative_to(settings.lake).as_posix()
    result = runner.invoke(app, ["check", "--lake", settings.lake])
    assert result.exit_code == 1
    assert f"table pages: unreadable (data file {key} is not readable Parquet" in result.output
    assert "Traceback" not in result.output
    sql = runner.invoke(app, ["sql", "--lake", settings.lake, "SELECT count(*) FROM pages"])
    assert sql.exit_code == 1 and len(sql.output.strip().splitlines()) == 1
    assert "table pages" in sql.output


def test_a_truncated_log_entry_is_one_line_naming_the_table(runner: CliRunner, settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    log = Path(settings.lake) / "issues" / "_delta_log" / "00000000000000000000.json"
    log.write_bytes(log.read_bytes()[: log.stat().st_size // 2])
    for args in (["check"], ["sql", "SELECT count(*) FROM issues"], ["run", "--date", "2023-05-25"]):
        result = runner.invoke(app, [*args, "--lake", settings.lake])
        assert result.exit_code == 1, args
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "table issues" in lines[0], (args, result.output)


def test_missing_raw_bytes_and_a_stale_index_are_named(runner: CliRunner, settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    store.delete("raw/dqnews/2023-05-25/01.txt")
    store.delete(segment_key("dqnews", 2023))
    problems = check_lake(store)
    assert "raw page raw/dqnews/2023-05-25/01.txt is missing" in problems
    assert any(p.startswith("search index: missing") for p in problems)
    assert runner.invoke(app, ["compact", "--lake", settings.lake]).exit_code == 0  # rebuilds the index
    assert check_lake(store) == ["raw page raw/dqnews/2023-05-25/01.txt is missing"]


def test_export_writes_parquet_csv_and_jsonl(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    run_day(settings, SAMPLE_DATE)
    query = "SELECT article_id, title, authors FROM articles ORDER BY article_id"
    for name in ("out.parquet", "out.csv", "out.jsonl"):
        result = runner.invoke(app, ["export", "--lake", settings.lake, "--sql", query, "--to", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert "6 row(s)" in result.output
    assert pq.read_table(tmp_path / "out.parquet").column("authors")[0].as_py() == ["董华", "姚海翔"]
    assert (tmp_path / "out.csv").read_text().startswith("article_id,title,authors\n")
    first = json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])
    assert first["article_id"] == "dqnews-2023-05-25-a-p0001-i0001"
    bad = runner.invoke(app, ["export", "--lake", settings.lake, "--sql", query, "--to", str(tmp_path / "x.xlsx")])
    assert bad.exit_code == 2
    wrong = runner.invoke(
        app, ["export", "--lake", settings.lake, "--sql", "SELECT nope", "--to", str(tmp_path / "y.csv")]
    )
    assert wrong.exit_code == 1 and not (tmp_path / "y.csv").exists()


def _old_layout(settings: Settings, tmp_path: Path) -> Path:
    """The sample day in the layout lakes had before the Delta tables: one zstd Parquet object per table and day,
    the partition columns in the path only (as `pipeline.lake` wrote them until this change)."""
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    old = tmp_path / "old"
    for table in ROW_TABLES:
        day = read_day(store, table, "dqnews", SAMPLE_DATE)
        assert day is not None
        keep = [c for c in RECORD_SCHEMAS[table].names if c not in ("paper", "issue_date")]
        target = old / table / "paper=dqnews" / "issue_date=2023-05-25" / "part-0.parquet"
        target.parent.mkdir(parents=True)
        buf = io.BytesIO()
        pq.write_table(day.select(keep), buf, compression="zstd")
        target.write_bytes(buf.getvalue())
    raw = old / "raw" / "dqnews" / "2023-05-25"
    raw.mkdir(parents=True)
    (raw / "01.txt").write_bytes((Path(settings.lake) / "raw/dqnews/2023-05-25/01.txt").read_bytes())
    return old


def test_migrate_converts_an_old_lake_once_and_loses_nothing(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    old = _old_layout(settings, tmp_path)
    expected = connect(settings.lake).execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    empty = runner.invoke(app, ["sql", "--lake", str(old), "SELECT 1"])
    assert empty.exit_code == 1 and "epaper migrate" in empty.output
    result = runner.invoke(app, ["migrate", "--lake", str(old)])
    assert result.exit_code == 0, result.output
    assert "migrated 1 day(s), 3 object(s)" in result.output
    assert connect(str(old)).execute("SELECT * FROM articles ORDER BY article_id").fetchall() == expected
    assert not list(old.rglob("part-0.parquet"))  # the old objects are gone, the raw bytes stay
    assert (old / "raw/dqnews/2023-05-25/01.txt").is_file()
    assert check_lake(open_store(str(old))) == []
    again = runner.invoke(app, ["migrate", "--lake", str(old)])
    assert again.exit_code == 0 and "migrated 0 day(s)" in again.output


def test_migrate_keeps_a_day_published_to_delta_since(settings: Settings, tmp_path: Path) -> None:
    from pipeline.lake.migrate import migrate_lake
    from pipeline.lake.tables import publish_day

    old = _old_layout(settings, tmp_path)
    store = open_store(str(old))
    newer = read_day(open_store(settings.lake), "issues", "dqnews", SAMPLE_DATE)
    assert newer is not None
    articles = read_day(open_store(settings.lake), "articles", "dqnews", SAMPLE_DATE)
    assert articles is not None
    issue = pa.Table.from_pylist([{**newer.to_pylist()[0], "n_articles": 1}], schema=RECORD_SCHEMAS["issues"])
    tables = {"articles": articles.slice(0, 1), "pages": RECORD_SCHEMAS["pages"].empty_table(), "issues": issue}
    publish_day(store, "dqnews", SAMPLE_DATE, tables, "run-newer")
    migrate_lake(store)
    assert connect(str(old)).execute("SELECT count(*) FROM articles").fetchone() == (1,)
