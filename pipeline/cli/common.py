"""What every `epaper` command shares: the Typer app, the consoles, the common options, and how a bad option or
a failed step becomes a one-line error."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import typer
from rich.console import Console

from pipeline.config import Settings, resolve_settings

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


def parse_date(value: str) -> dt.date:
    """A `YYYY-MM-DD` option value (only that form: `20230525` is refused, not guessed)."""
    try:
        if _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise fail(f"{value!r} is not a date: use YYYY-MM-DD", 2)


def settings_for(
    paper: str | None = None, source: str | None = None, lake: str | None = None, base_url: str | None = None
) -> Settings:
    """`resolve_settings`, with an unknown paper profile as a one-line error; `--base-url` means the paper's
    site at that address."""
    if base_url:
        if source:
            raise fail("give --source or --base-url, not both", 2)
        if not base_url.startswith(("http://", "https://")):
            raise fail(f"--base-url {base_url!r} is not an http(s) URL", 2)
        source = f"site:{base_url}"
    try:
        settings = resolve_settings(paper, source, lake)
    except KeyError as exc:
        raise fail(str(exc.args[0]), 2) from None
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    from pipeline.sources import is_site

    if is_site(settings.source) and settings.paper.site is None:
        raise fail(f"paper {settings.paper.paper_id} has no [site] in its profile: it cannot be fetched from a site", 2)
    return settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `error: message` on stderr; the caller raises the returned exit (1: the step failed, 2: bad usage)."""
    err.print(f"[red]error:[/red] {message}", markup=True)
    return typer.Exit(code)
