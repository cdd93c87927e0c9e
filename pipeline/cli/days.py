"""`epaper` commands that archive days and read pages: run, backfill, reprocess, papers, replica, segment, show."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pipeline.cli.common import (
    BaseUrlOpt,
    LakeOpt,
    PaperOpt,
    SourceOpt,
    app,
    err,
    fail,
    out,
    parse_date,
    settings_for,
)
from pipeline.errors import EpaperError, IncompleteDayError


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

    settings = settings_for(paper, source, lake, base_url)
    day = parse_date(date)
    try:
        summary = run_day(settings, day)
    except IncompleteDayError as exc:
        raise fail(f"{exc.describe()}; the other pages were archived, re-run after a fix") from None
    except EpaperError as exc:
        raise fail(exc.describe()) from None
    except StoreError as exc:
        raise fail(str(exc)) from None
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

    settings = settings_for(paper, source, lake, base_url)
    first, last = parse_date(date_from), parse_date(date_to)
    if first > last:
        raise fail(f"--from {first} is after --to {last}", 2)
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
                raise fail(f"{day}: {exc}") from None
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
        raise fail("give --date D, or --from D1 --to D2", 2)
    first, last = (
        (parse_date(date), parse_date(date)) if date else (parse_date(str(date_from)), parse_date(str(date_to)))
    )
    if first > last:
        raise fail(f"--from {first} is after --to {last}", 2)
    settings = settings_for(paper, lake=lake)
    failed = 0
    for i in range((last - first).days + 1):
        day = first + dt.timedelta(days=i)
        try:
            summary = reprocess_day(settings, day)
        except EpaperError as exc:
            failed += 1
            out.print(f"{day}  [red]failed[/red]: {exc.describe()}", markup=True)
        except StoreError as exc:
            raise fail(f"{day}: {exc}") from None
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
        raise fail("the replica serves on 127.0.0.1 only", 2)
    folder = render_site(root or default_root())
    # Ctrl-C and SIGTERM are taken by `sigwait` below, never as an exception inside the server's loop (where one
    # landing at the wrong moment could leave its shutdown waiting forever). Blocked before the server's threads
    # start, which inherit the mask, so the main thread alone receives them.
    stops = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    server = ReplicaServer(folder, host, port).start()
    out.print(f"replica site from {folder} on {server.url} (dqnews at /, zjrb at /zjrb/, rmrb at /rmrb/); Ctrl-C stops")
    sys.stdout.flush()  # a supervising process (a test, a script) waits for this line
    try:
        signal.sigwait(stops)
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

    settings = settings_for(paper)
    day = parse_date(issue_date) if issue_date else None
    kind = {"htm": "html"}.get(k := file.suffix.lower().lstrip("."), k)
    try:
        layout = page_layout(file.read_bytes(), kind, settings.paper.paper_id, day, page)
    except PageError as exc:
        raise fail(exc.describe()) from None
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

    settings = settings_for(paper, lake=lake)
    day = parse_date(date)
    target = output or Path(f"{settings.paper.paper_id}-{day.isoformat()}-p{page:02d}.png")
    try:
        path, n = show_page(settings, day, page, target)
    except PageError as exc:
        raise fail(exc.describe()) from None
    out.print(f"{path} ({n} article(s) outlined)")
