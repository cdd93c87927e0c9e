"""`epaper …`: a thin layer over the library; every command calls the functions the DAG calls."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline.config import Settings, resolve_settings
from pipeline.errors import EpaperError, IncompleteDayError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Archive a Chinese e-paper and query it.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

LakeOpt = Annotated[
    str | None, typer.Option("--lake", help="Lake folder or s3://bucket/prefix [env EPAPER_LAKE, ./lake]")
]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Source folder <root>/<paper>/<date>/<NN>.txt|pdf, or site: / site:URL for the paper's e-paper site "
        "[env EPAPER_SOURCE, the bundled sample]",
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option("--base-url", help="Fetch from the paper's e-paper site at this URL (a mirror, the local replica)"),
]
PaperOpt = Annotated[str | None, typer.Option("--paper", help="Paper profile id [env EPAPER_PAPER, dqnews]")]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: str) -> dt.date:
    """A `YYYY-MM-DD` option value (only that form: `20230525` is refused, not guessed)."""
    try:
        if _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise _fail(f"{value!r} is not a date: use YYYY-MM-DD", 2)


def _settings(
    paper: str | None = None, source: str | None = None, lake: str | None = None, base_url: str | None = None
) -> Settings:
    """`resolve_settings`, with an unknown paper profile as a one-line error; `--base-url` means the paper's
    site at that address."""
    if base_url:
        if source:
            raise _fail("give --source or --base-url, not both", 2)
        if not base_url.startswith(("http://", "https://")):
            raise _fail(f"--base-url {base_url!r} is not an http(s) URL", 2)
        source = f"site:{base_url}"
    try:
        settings = resolve_settings(paper, source, lake)
    except KeyError as exc:
        raise _fail(str(exc.args[0]), 2) from None
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    from pipeline.sources import is_site

    if is_site(settings.source) and settings.paper.site is None:
        raise _fail(
            f"paper {settings.paper.paper_id} has no [site] in its profile: it cannot be fetched from a site", 2
        )
    return settings


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True)
    return typer.Exit(code)


@app.command()
def run(
    date: Annotated[str, typer.Option("--date", help="Issue date, YYYY-MM-DD")],
    source: SourceOpt = None,
    lake: LakeOpt = None,
    paper: PaperOpt = None,
    base_url: BaseUrlOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors")] = False,
) -> None:
    """Archive one day: fetch pages, segment them, write the day's partitions (replacing any earlier run)."""
    from pipeline.daily import run_day
    from pipeline.lake.store import StoreError

    settings = _settings(paper, source, lake, base_url)
    day = _date(date)
    try:
        summary = run_day(settings, day)
    except IncompleteDayError as exc:
        raise _fail(f"{exc.describe()}; the other pages were archived, re-run after a fix") from None
    except EpaperError as exc:
        raise _fail(exc.describe()) from None
    except StoreError as exc:
        raise _fail(str(exc)) from None
    if quiet:
        return
    out.print(
        f"{settings.paper.name} ({summary.paper}) {summary.issue_date}: {summary.n_pages} page(s), "
        f"{summary.n_articles} article(s) -> {settings.lake}"
    )
    for i, title in enumerate(summary.titles, start=1):
        out.print(f"  {i:>2}. {title or '（无标题）'}")


@app.command()
def backfill(
    date_from: Annotated[str, typer.Option("--from", help="First issue date, YYYY-MM-DD")],
    date_to: Annotated[str, typer.Option("--to", help="Last issue date, YYYY-MM-DD (inclusive)")],
    source: SourceOpt = None,
    lake: LakeOpt = None,
    paper: PaperOpt = None,
    base_url: BaseUrlOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Republish days archived already from the same bytes")] = False,
) -> None:
    """Archive every day in a range with `run`'s functions. Resumable: a day archived complete from the same raw
    bytes is skipped (unless --force); a day without an issue is recorded as "no issue" in `issues`.

    Exits 1 if any day failed or was incomplete (the others are archived all the same), else 0.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline.daily import record_no_issue, run_day
    from pipeline.errors import NoIssueError
    from pipeline.lake.store import StoreError

    settings = _settings(paper, source, lake, base_url)
    first, last = _date(date_from), _date(date_to)
    if first > last:
        raise _fail(f"--from {first} is after --to {last}", 2)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    counts = {"archived": 0, "no issue": 0, "failed": 0, "unchanged": 0}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=out, transient=True) as progress:
        bar = progress.add_task("backfill", total=len(days))
        for day in days:
            progress.update(bar, description=f"backfill {day}")
            try:
                summary = run_day(settings, day, skip_unchanged=not force)
            except NoIssueError as exc:
                counts["no issue"] += 1
                recorded = record_no_issue(settings, day, exc)
                progress.console.print(
                    f"{day}  no issue, skipped ({exc.reason}{'' if recorded else '; recorded already'})"
                )
            except EpaperError as exc:
                counts["failed"] += 1
                progress.console.print(f"{day}  [red]failed[/red]: {exc.describe()}", markup=True)
            except StoreError as exc:  # the lake is unusable: every later day would fail the same way
                raise _fail(f"{day}: {exc}") from None
            else:
                counts["unchanged" if summary.unchanged else "archived"] += 1
                note = ", unchanged, skipped" if summary.unchanged else ""
                progress.console.print(f"{day}  {summary.n_pages} page(s), {summary.n_articles} article(s){note}")
            progress.advance(bar)
    out.print(", ".join(f"{n} {what}" for what, n in counts.items()) + f" -> {settings.lake}")
    if counts["failed"]:
        raise typer.Exit(1)


@app.command()
def reprocess(
    date: Annotated[str | None, typer.Option("--date", help="Issue date, YYYY-MM-DD")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First issue date, YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last issue date, YYYY-MM-DD (inclusive)")] = None,
    lake: LakeOpt = None,
    paper: PaperOpt = None,
) -> None:
    """Rebuild archived days from the lake's raw bytes with today's readers, without touching the network."""
    from pipeline.lake.store import StoreError
    from pipeline.reprocess import reprocess_day

    if (date and (date_from or date_to)) or (not date and not (date_from and date_to)):
        raise _fail("give --date D, or --from D1 --to D2", 2)
    first, last = (_date(date), _date(date)) if date else (_date(str(date_from)), _date(str(date_to)))
    if first > last:
        raise _fail(f"--from {first} is after --to {last}", 2)
    settings = _settings(paper, lake=lake)
    failed = 0
    for i in range((last - first).days + 1):
        day = first + dt.timedelta(days=i)
        try:
            summary = reprocess_day(settings, day)
        except EpaperError as exc:
            failed += 1
            out.print(f"{day}  [red]failed[/red]: {exc.describe()}", markup=True)
        except StoreError as exc:
            raise _fail(f"{day}: {exc}") from None
        else:
            what = (
                "no issue, left as it is"
                if summary.unchanged
                else f"{summary.n_pages} page(s), {summary.n_articles} article(s)"
            )
            out.print(f"{day}  {what}")
    if failed:
        raise typer.Exit(1)


papers_app = typer.Typer(
    help="The paper profiles (pipeline/papers/*.toml and $EPAPER_PAPERS).", invoke_without_command=True
)
app.add_typer(papers_app, name="papers")


@papers_app.callback()
def papers(ctx: typer.Context) -> None:
    """List the paper profiles: id, name, site family per era and base URL."""
    if ctx.invoked_subcommand is not None:
        return
    from pipeline.config import list_papers, load_profile

    table = Table("paper", "name", "site", "base URL")
    for paper_id in list_papers():
        try:
            profile = load_profile(paper_id)
        except (TypeError, ValueError, KeyError) as exc:
            table.add_row(paper_id, "?", f"invalid: {exc}", "")
            continue
        site = profile.site
        families = ", ".join(f"{e.family} from {e.since}" if e.since else e.family for e in site.eras) if site else "-"
        url = (site.base_url + ("" if site.base_url_verified else " (unverified guess)")) if site else "-"
        table.add_row(paper_id, profile.name, families, url)
    out.print(table)


@papers_app.command("check")
def papers_check(name: Annotated[str, typer.Argument(help="Paper profile id")]) -> None:
    """Validate one profile: names every missing or unknown field and every bad value; exits 1 if any."""
    from pipeline.config import profile_problems

    problems = profile_problems(name)
    if problems:
        for problem in problems:
            err.print(f"{name}: {problem}")
        raise typer.Exit(1)
    out.print(f"{name}: profile OK")


replica_app = typer.Typer(
    help="The local replica e-paper site (for tests and trying things out).", no_args_is_help=True
)
app.add_typer(replica_app, name="replica")


@replica_app.command("serve")
def replica_serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (127.0.0.1 only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port (0: any free one)")] = 8080,
    root: Annotated[Path | None, typer.Option("--root", help="Folder of the rendered site [a cache folder]")] = None,
) -> None:
    """Render (once) and serve the replica site: dqnews at /, zjrb at /zjrb/, rmrb at /rmrb/."""
    from pipeline.sources.replica import default_root
    from pipeline.sources.replica.render import render_site
    from pipeline.sources.replica.server import ReplicaServer

    if host not in ("127.0.0.1", "localhost"):
        raise _fail("the replica serves on 127.0.0.1 only", 2)
    folder = render_site(root or default_root())
    server = ReplicaServer(folder, host, port)
    out.print(f"replica site from {folder} on {server.url} (dqnews at /, zjrb at /zjrb/, rmrb at /rmrb/); Ctrl-C stops")
    sys.stdout.flush()  # a supervising process (a test, a script) waits for this line
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@app.command()
def segment(
    file: Annotated[
        Path, typer.Argument(help="A page: .txt dump, .pdf, or the e-paper's .html", exists=True, dir_okay=False)
    ],
    issue_date: Annotated[str | None, typer.Option("--issue-date", help="Issue date, YYYY-MM-DD")] = None,
    page: Annotated[int | None, typer.Option("--page", help="Page number")] = None,
    paper: PaperOpt = None,
) -> None:
    """Print one JSON object per article per line (UTF-8): title, kicker, subtitle, authors, body, jumps."""
    from pipeline.errors import PageError
    from pipeline.pages import page_layout

    settings = _settings(paper)
    day = _date(issue_date) if issue_date else None
    kind = {"htm": "html"}.get(k := file.suffix.lower().lstrip("."), k)
    try:
        layout = page_layout(file.read_bytes(), kind, settings.paper.paper_id, day, page)
    except PageError as exc:
        raise _fail(exc.describe()) from None
    for article in layout.articles:
        sys.stdout.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")


@app.command()
def show(
    date: Annotated[str, typer.Option("--date", help="Issue date, YYYY-MM-DD")],
    page: Annotated[int, typer.Option("--page", help="Page number")],
    lake: LakeOpt = None,
    paper: PaperOpt = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="PNG to write [<paper>-<date>-p<NN>.png in the current folder]")
    ] = None,
) -> None:
    """Draw an archived page PDF with each article's region outlined and labelled (title, id) to a PNG."""
    from pipeline.checks.render import show_page
    from pipeline.errors import PageError

    settings = _settings(paper, lake=lake)
    day = _date(date)
    target = output or Path(f"{settings.paper.paper_id}-{day.isoformat()}-p{page:02d}.png")
    try:
        path, n = show_page(settings, day, page, target)
    except PageError as exc:
        raise _fail(exc.describe()) from None
    out.print(f"{path} ({n} article(s) outlined)")


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
        raise _fail(f"unknown format {fmt!r}: use table, csv or json", 2)
    settings = _settings(lake=lake)
    try:
        con = connect(settings.lake)
        cur = con.execute(query)
        rows = cur.fetchall()
    except (LakeEmptyError, StoreError) as exc:
        raise _fail(str(exc)) from None
    except duckdb.Error as exc:
        raise _fail(describe_error(exc)) from None
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
        raise _fail(f"unknown format {fmt!r}: use table, csv or json", 2)
    if not words.strip():
        raise _fail("nothing to search for: give one or more words", 2)
    d1, d2 = (_date(date_from) if date_from else None), (_date(date_to) if date_to else None)
    settings = _settings(lake=lake)
    try:
        hits = run_search(open_store(settings.lake), words, limit, paper, d1, d2)
    except StoreError as exc:
        raise _fail(str(exc)) from None
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

    settings = _settings(paper, lake=lake)
    try:
        years, tables = run_compact(
            open_store(settings.lake), settings.paper.paper_id, dt.date.today(), year, month, retention_hours
        )
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    except (EpaperError, StoreError) as exc:
        raise _fail(exc.describe() if isinstance(exc, EpaperError) else str(exc)) from None
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

    settings = _settings(lake=lake)
    try:
        problems = check_lake(open_store(settings.lake), paper)
    except StoreError as exc:
        raise _fail(str(exc)) from None
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

    settings = _settings(lake=lake)
    try:
        n = export_query(settings.lake, query, to)
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    except (LakeEmptyError, StoreError) as exc:
        raise _fail(str(exc)) from None
    except duckdb.Error as exc:
        raise _fail(describe_error(exc)) from None
    out.print(f"{n} row(s) -> {to}")


@app.command()
def migrate(lake: LakeOpt = None) -> None:
    """Convert a lake in the old layout (one Parquet object per table and day) to Delta tables, once."""
    from pipeline.lake.migrate import migrate_lake
    from pipeline.lake.store import StoreError, open_store

    settings = _settings(lake=lake)
    try:
        report = migrate_lake(open_store(settings.lake))
    except StoreError as exc:
        raise _fail(str(exc)) from None
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


def main() -> None:  # pragma: no cover - console entry point
    app()
