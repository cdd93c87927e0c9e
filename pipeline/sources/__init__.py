"""Where issues come from. A source lists a day's pages and returns their raw bytes; it never parses them."""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Protocol

from pipeline.models import PageRef, RawPage

if TYPE_CHECKING:
    from pipeline.config import PaperProfile
    from pipeline.sources.site import Archive, SiteSource

SITE = "site:"
_sites: dict[tuple[object, ...], SiteSource] = {}
_sites_lock = threading.Lock()


class Source(Protocol):
    """A place that holds issues: `list_pages` raises `NoIssueError` when the day has none."""

    def list_pages(self, paper: str, issue_date: dt.date) -> list[PageRef]: ...

    def fetch(self, ref: PageRef) -> RawPage: ...


def is_site(location: str) -> bool:
    """A location naming an e-paper site: `site:` (the profile's own base URL), `site:URL`, or an http(s) URL."""
    return location.startswith((SITE, "http://", "https://"))


def open_source(location: str, profile: PaperProfile | None = None, archive: Archive | None = None) -> Source:
    """A source for a location: a local folder (`<root>/<paper>/<YYYY-MM-DD>/<NN>.<ext>`), or the paper's e-paper
    site (`site:`, `site:URL`, `http(s)://…`: the profile's site at that base URL). Site sources are kept per
    site and lake in this process, so their politeness (intervals, robots.txt) holds across calls."""
    if not is_site(location):
        from pipeline.sources.local import LocalFolderSource

        return LocalFolderSource(location)
    if profile is None or profile.site is None:
        paper = profile.paper_id if profile else "?"
        raise ValueError(f"source {location!r} is a site, but paper {paper} has no [site] in its profile")
    from pipeline.profiles import at_base_url
    from pipeline.sources.site import SiteSource

    base = location.removeprefix(SITE)
    site = at_base_url(profile.site, base) if base else profile.site
    key = (profile.paper_id, site, archive)
    with _sites_lock:
        if key not in _sites:
            import dataclasses

            _sites[key] = SiteSource(dataclasses.replace(profile, site=site), archive=archive)
        return _sites[key]
