"""Where issues come from. A source lists a day's pages and returns their raw bytes; it never parses them."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from pipeline.models import PageRef, RawPage


class Source(Protocol):
    """A place that holds issues: `list_pages` raises `NoIssueError` when the day has none."""

    def list_pages(self, paper: str, issue_date: dt.date) -> list[PageRef]: ...

    def fetch(self, ref: PageRef) -> RawPage: ...


def open_source(location: str) -> Source:
    """A source for a location: a local folder (`<root>/<paper>/<YYYY-MM-DD>/<NN>.<ext>`)."""
    from pipeline.sources.local import LocalFolderSource

    return LocalFolderSource(location)
