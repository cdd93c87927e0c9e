"""`epaper` commands over the lake: sql, search, compact, check, export, migrate."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pipeline.cli.common import (
    LakeOpt,
    PaperOpt,
    app,
    err,
    fail,
    out,
    parse_date,
    settings_for,
)
from pipeline.errors import EpaperError


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL over the views articles, pages, issues, daily_counts, authors")],
    lake: LakeOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
) -> None:
    """Run SQL over the lake and print the result."""
    import duckdb

    from pipeline.lake.store import StoreError
    from pipeline.query.views import LakeEmptyError, connect, describe_error

    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}: use table, csv or json", 2)
    settings = settings_for(lake=lake)
    try:
        con = connect(settings.lake)
        cur = con.execute(query)
        rows = cur.fetchall()
    except (LakeEmptyError, StoreError) as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:
        raise fail(describe_error(exc)) from None
    columns = [d[0] for d in cur.description or []]
    _print_rows(columns, rows, fmt)


@app.command()
def search(
    words: Annotated[str, typer.Argument(help="Words to look for, in Chinese")],
    lake: LakeOpt = None,
    paper: Annotated[str | None, typer.Option("--paper", help="Only this paper's stories")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From this day, YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this day, YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many results")] = 10,
    fmt: Annotated[str, typer.Option("--format", help="table | csv | json (one array of hits)")] = "table",
) -> None:
    """Full-text search of titles and bodies (jieba words, BM25, title weighted) in the persisted index."""
    from pipeline.lake.store import StoreError, open_store
    from pipeline.query.search import search as run_search

    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}: use table, csv or json", 2)
    if not words.strip():
        raise fail("nothing to search for: give one or more words", 2)
    d1, d2 = (parse_date(date_from) if date_from else None), (parse_date(date_to) if date_to else None)
    settings = settings_for(lake=lake)
    try:
        hits = run_search(open_store(settings.lake), words, limit, paper, d1, d2)
    except StoreError as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        sys.stdout.write(json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        columns = ["article_id", "issue_date", "page", "title", "score", "snippet"]
        _print_rows(columns, [tuple(h.to_json()[c] for c in columns) for h in hits], fmt)
        return
    from rich.markup import escape

    for h in hits:  # date, page, title and score on one line, the snippet under it with the words marked
        marked = escape(h.snippet)
        if out.is_terminal:  # marked in colour on a terminal, by «» when piped
            marked = marked.replace("«", "[bold yellow]").replace("»", "[/bold yellow]")
        out.print(f"[bold]{h.issue_date} p{h.page}[/bold]  {escape(h.title or '（无标题）')}  [dim]{h.score}[/dim]")
        out.print(f"    {marked}", markup=True)
    if not hits:
        err.print("no match")


@app.command()
def compact(
    lake: LakeOpt = None,
    paper: PaperOpt = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year's partition")] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="Only the partition of this closed month, YYYY-MM")
    ] = None,
    retention_hours: Annotated[
        int | None,
        typer.Option(
            "--retention-hours", help="Vacuum files unused this long [env EPAPER_VACUUM_RETENTION_HOURS, 168]"
        ),
    ] = None,
) -> None:
    """Merge closed periods' small files, checkpoint and vacuum every table; rebuild the search index."""
    from pipeline.lake.compact import compact as run_compact
    from pipeline.lake.store import StoreError, open_store

    settings = settings_for(paper, lake=lake)
    try:
        years, tables = run_compact(
            open_store(settings.lake), settings.paper.paper_id, dt.date.today(), year, month, retention_hours
        )
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    except (EpaperError, StoreError) as exc:
        raise fail(exc.describe() if isinstance(exc, EpaperError) else str(exc)) from None
    span = ", ".join(map(str, years)) or "no closed year"
    for t in tables:
        out.print(f"{t.table}: {t.files_before} -> {t.files_after} data file(s), {t.vacuumed} vacuumed, v{t.version}")
    out.print(f"compacted {settings.paper.paper_id} {span} -> {settings.lake}")


@app.command()
def check(
    lake: LakeOpt = None, paper: Annotated[str | None, typer.Option("--paper", help="Only this paper")] = None
) -> None:
    """Verify the lake without changing it; prints each problem by table and day, exits 1 if there is any."""
    from pipeline.lake.check import check_lake
    from pipeline.lake.store import StoreError, open_store

    settings = settings_for(lake=lake)
    try:
        problems = check_lake(open_store(settings.lake), paper)
    except StoreError as exc:
        raise fail(str(exc)) from None
    for problem in problems:
        err.print(f"[red]problem:[/red] {problem}", markup=True)
    if problems:
        raise typer.Exit(1)
    out.print(f"lake ok: {settings.lake}")


@app.command()
def export(
    query: Annotated[str, typer.Option("--sql", help="SQL over the views, as for `epaper sql`")],
    to: Annotated[Path, typer.Option("--to", help="Output file: .parquet, .csv or .jsonl")],
    lake: LakeOpt = None,
) -> None:
    """Write a query's result to a Parquet, CSV or JSON-lines file (for research tools)."""
    import duckdb

    from pipeline.lake.store import StoreError
    from pipeline.query.export import export_query
    from pipeline.query.views import LakeEmptyError, describe_error

    settings = settings_for(lake=lake)
    try:
        n = export_query(settings.lake, query, to)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    except (LakeEmptyError, StoreError) as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:
        raise fail(describe_error(exc)) from None
    out.print(f"{n} row(s) -> {to}")


@app.command()
def migrate(lake: LakeOpt = None) -> None:
    """Convert a lake in the old layout (one Parquet object per table and day) to Delta tables, once."""
    from pipeline.lake.migrate import migrate_lake
    from pipeline.lake.store import StoreError, open_store

    settings = settings_for(lake=lake)
    try:
        report = migrate_lake(open_store(settings.lake))
    except StoreError as exc:
        raise fail(str(exc)) from None
    out.print(f"migrated {report.days} day(s), {report.objects} object(s) -> Delta tables in {settings.lake}")


def _print_rows(columns: list[str], rows: list[tuple[object, ...]], fmt: str) -> None:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows([_csv_value(v) for v in row] for row in rows)
        sys.stdout.write(buf.getvalue())
    elif fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str) + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


def _csv_value(value: object) -> object:
    """Lists and structs as JSON (`["董华", "姚海翔"]`), which spreadsheets and DuckDB's `read_csv` + `from_json`
    read back, not Python's repr."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
