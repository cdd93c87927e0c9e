"""The e-paper site source: one fetcher for every Founder URL family, driven by the paper's site profile.

`list_pages` reads the day's first page index (from the profile's `day_index` template) and lists the pages it
links to; `fetch` downloads one page: its index, PDF, image and every article page, keeping each object's bytes
as delivered (`RawPage.parts`) and a `FetchRecord` of every answer. It parses only what it needs to find links
(`pipeline.extract.site`); reading the articles is `pipeline.readings`' job.

No issue vs a broken site, never confused:

- terminal "no issue" (`NoIssueError`): not a publication weekday; the calendar (when the profile has one and it
  answers) does not list the date; the day's index answers 404/410; it redirects to an issue whose date (in its URL
  or printed on it) differs; the index lists no page and no article;
- transient (`TransientError`, retried by the caller or Airflow): timeouts, connection errors, 5xx, 429 once the
  client's own retries are spent;
- terminal otherwise (`TerminalError` / `PageError`): 403 and other 4xx, robots.txt, redirects off the site's hosts,
  bodies over the size cap.

A page whose PDF is not offered (an error answer, a body of a few bytes, bytes that are not a PDF) is fetched
without it (its kind becomes "html"); an article page that cannot be had is recorded in `fetches` and left out.
Conditional GET: when `archive` knows an object from an earlier run, its ETag / Last-Modified are sent and a 304
is answered with the archived bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol
from urllib.parse import unquote, urlsplit

from pipeline.config import PaperProfile
from pipeline.errors import NoIssueError, PageError, TerminalError, TransientError
from pipeline.extract.site import PageIndex, doc_key, page_number_and_name, parse_calendar, parse_index, url_date
from pipeline.models import FetchRecord, PageRef, RawPage, RawPart
from pipeline.profiles import SiteEra, SiteProfile
from pipeline.sources.http import FetchError, PoliteClient, RefusedError, Response, TransientFetchError


class Archive(Protocol):
    """What an earlier run archived: for a URL of a day, its fetch record and a loader of its bytes."""

    def __call__(self, day: dt.date, url: str) -> tuple[FetchRecord, Callable[[], bytes | None]] | None: ...

    def forget(self, day: dt.date) -> None:
        """Drop what is remembered of the day (it is being fetched anew and may be republished)."""


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
MIN_PDF_BYTES = 64  # a "PDF" shorter than this is the placeholder sites answer for a PDF they do not offer


class SiteSource:
    """Pages of one paper's site. Thread-safe; one instance per site keeps its politeness state."""

    def __init__(self, profile: PaperProfile, client: PoliteClient | None = None, archive: Archive | None = None):
        if profile.site is None:
            raise ValueError(f"paper {profile.paper_id} has no [site] in its profile")
        self.profile = profile
        self.site: SiteProfile = profile.site
        self.client = client or PoliteClient(self.site.politeness, frozenset(self.site.hosts))
        self.archive = archive
        self._first: dict[str, tuple[Response, FetchRecord]] = {}
        self._lock = threading.Lock()

    # --- Source protocol ---------------------------------------------------------------------------------------

    def list_pages(self, paper: str, issue_date: dt.date) -> list[PageRef]:
        """The day's pages in page order (raises as the module doc says)."""
        day = issue_date
        if day.isoweekday() not in self.site.weekdays:
            raise NoIssueError(paper, day, None, f"not a publication day ({day:%A})")
        if self.archive is not None:
            self.archive.forget(day)
        era = self.site.era(day)
        self._check_calendar(era, day)
        url = self.site.base_url + era.day_index.format(date=day)
        resp, _ = self._first_index(day, url)
        index = parse_index(resp.data, resp.url, era, resp.content_type)
        self._check_same_issue(day, url, resp, index)
        links = index.pages or ()
        if not links and not index.articles and not index.hotspots:
            raise NoIssueError(paper, day, None, f"{url}: the index lists no page and no article")
        refs = _page_refs(paper, day, resp.url, index)
        return refs

    def fetch(self, ref: PageRef) -> RawPage:
        """One page's objects. Raises `TransientError` when the site keeps failing, `PageError` when the page's
        index itself cannot be had; anything else missing is recorded and left out."""
        era = self.site.era(ref.issue_date)
        fetches: list[FetchRecord] = []
        with self._lock:  # the index `list_pages` read, used once (a later run asks the site again)
            cached = self._first.pop(ref.location, None)
        if cached is not None:
            resp, record = cached
        else:
            resp, record = self._get(ref.issue_date, ref.page, ref.location, None, "index")
        fetches.append(record)
        if resp.status != 200 and resp.status != 304:
            raise PageError(ref.paper, ref.issue_date, ref.page, f"{ref.location} answered HTTP {resp.status}")
        index = parse_index(resp.data, resp.url, era, resp.content_type)
        parts = [RawPart(safe_name(ref.location, "index.htm"), "index", ref.location, resp.data, resp.content_type)]
        pdf = None
        if index.pdf_url:
            got = self._optional(ref, index.pdf_url, resp.url, fetches, "pdf")
            if got is not None and got.data[:5] == b"%PDF-" and len(got.data) >= MIN_PDF_BYTES:
                pdf = got
                parts.append(
                    RawPart(safe_name(index.pdf_url, "page.pdf"), "pdf", index.pdf_url, got.data, got.content_type)
                )
        if index.image_url:
            got = self._optional(ref, index.image_url, resp.url, fetches, "image")
            if got is not None:
                parts.append(
                    RawPart(
                        safe_name(index.image_url, "page.jpg"), "image", index.image_url, got.data, got.content_type
                    )
                )
        for url, got in self._articles(ref, index, resp.url, fetches):
            parts.append(RawPart(safe_name(url, "article.htm"), "article", url, got.data, got.content_type))
        kind = "pdf" if pdf is not None else "html"
        new_ref = dataclasses.replace(ref, kind=kind)
        return RawPage(new_ref, pdf.data if pdf is not None else resp.data, _unique(parts), tuple(fetches))

    # --- steps -------------------------------------------------------------------------------------------------

    def _check_calendar(self, era: SiteEra, day: dt.date) -> None:
        if not era.calendar:
            return
        url = self.site.base_url + era.calendar.format(date=day)
        resp, _ = self._get(day, None, url, None, "calendar")
        dates = parse_calendar(resp.data) if resp.status == 200 else None
        if dates is not None and day not in dates:
            raise NoIssueError(self.profile.paper_id, day, None, f"the calendar {url} does not list the date")

    def _first_index(self, day: dt.date, url: str) -> tuple[Response, FetchRecord]:
        paper = self.profile.paper_id
        resp, record = self._get(day, None, url, None, "index")
        if resp.status in (404, 410):
            raise NoIssueError(paper, day, None, f"{url} answered HTTP {resp.status}")
        if resp.status not in (200, 304):
            raise TerminalError(paper, day, None, f"{url} answered HTTP {resp.status}")
        with self._lock:
            self._first[url] = (resp, dataclasses.replace(record, page=1))
        return resp, record

    def _check_same_issue(self, day: dt.date, asked: str, resp: Response, index: PageIndex) -> None:
        """A site that redirects a missing date to its latest issue: the issue's date (from its URL when
        redirected, or as printed) must be the date asked for."""
        paper = self.profile.paper_id
        landed = url_date(resp.url) if doc_key(resp.url) != doc_key(asked) else None
        if landed is not None and landed != day:
            raise NoIssueError(paper, day, None, f"{asked} redirects to the issue of {landed}")
        if index.printed_date is not None and index.printed_date != day:
            raise NoIssueError(paper, day, None, f"{asked} shows the issue of {index.printed_date}")

    def _articles(
        self, ref: PageRef, index: PageIndex, referer: str, fetches: list[FetchRecord]
    ) -> list[tuple[str, Response]]:
        urls = index.article_urls()
        workers = max(1, self.site.politeness.concurrency)

        def one(url: str) -> tuple[Response, FetchRecord] | None:
            try:
                return self._get(ref.issue_date, ref.page, url, referer, "article")
            except PageError:  # refused (robots.txt, size cap, a foreign redirect): the page goes on without it
                return None

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="article") as pool:
            results = list(zip(urls, pool.map(one, urls), strict=True))
        out = []
        for url, got in results:
            if got is None:
                continue
            resp, record = got
            fetches.append(record)
            if resp.status in (200, 304):
                out.append((url, resp))
        return out

    def _optional(self, ref: PageRef, url: str, referer: str, fetches: list[FetchRecord], role: str) -> Response | None:
        """An object the page can do without (PDF, image): None when the site does not offer it."""
        try:
            resp, record = self._get(ref.issue_date, ref.page, url, referer, role)
        except PageError:
            return None
        fetches.append(record)
        return resp if resp.status in (200, 304) else None

    def _get(
        self, day: dt.date, page: int | None, url: str, referer: str | None, role: str
    ) -> tuple[Response, FetchRecord]:
        """GET through the polite client, conditional on what the archive holds; the answer and its record."""
        paper = self.profile.paper_id
        prior = self.archive(day, url) if self.archive is not None else None
        etag = prior[0].etag if prior else None
        modified = prior[0].last_modified if prior else None
        try:
            resp = self.client.get(url, referer=referer, etag=etag, last_modified=modified)
        except TransientFetchError as exc:
            raise TransientError(paper, day, page, str(exc)) from None
        except RefusedError as exc:
            raise PageError(paper, day, page, f"refused: {exc}") from None
        except FetchError as exc:  # pragma: no cover - every FetchError is one of the two above
            raise TerminalError(paper, day, page, str(exc)) from None
        if resp.status == 304 and prior is not None:
            data = prior[1]()
            if data is None:  # the archived bytes are gone: ask again without conditions
                resp = self.client.get(url, referer=referer)
            else:
                resp = dataclasses.replace(resp, data=data, headers={**_validators(prior[0]), **resp.headers})
        has_body = resp.status in (200, 304)
        record = FetchRecord(
            paper=paper,
            issue_date=day,
            page=page,
            url=url,
            status=resp.status,
            content_type=resp.content_type or (prior[0].content_type if prior and resp.status == 304 else None),
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            sha256=hashlib.sha256(resp.data).hexdigest() if has_body else None,
            size=len(resp.data),
            fetched_at=resp.fetched_at,
            attempts=resp.attempts,
            role=role,
        )
        return resp, record


def safe_name(url: str, fallback: str) -> str:
    """A file name for a fetched object, from the last segment of its URL's path: percent-decoded, then only
    `A-Z a-z 0-9 . _ -`, no leading dots, so `../`, absolute paths, `%2e%2e` and backslashes can never leave the
    page's raw folder. `fallback` (with a digest of the URL) when nothing usable is left."""
    path = unquote(unquote(urlsplit(url).path)).replace("\\", "/")
    name = _SAFE.sub("_", path.rsplit("/", 1)[-1]).lstrip("._")[:120]
    if not name or name in (".", ".."):
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        name = f"{digest}-{fallback}"
    return name


def _unique(parts: list[RawPart]) -> tuple[RawPart, ...]:
    """Parts with distinct names (a second `content.htm` becomes `content-2.htm`)."""
    seen: set[str] = set()
    out = []
    for part in parts:
        name, n = part.name, 1
        while name in seen:
            n += 1
            stem, dot, ext = part.name.rpartition(".")
            name = f"{stem}-{n}.{ext}" if dot else f"{part.name}-{n}"
        seen.add(name)
        out.append(dataclasses.replace(part, name=name))
    return tuple(out)


def _validators(record: FetchRecord) -> dict[str, str]:
    out = {}
    if record.etag:
        out["etag"] = record.etag
    if record.last_modified:
        out["last-modified"] = record.last_modified
    if record.content_type:
        out["content-type"] = record.content_type
    return out


def _page_refs(paper: str, day: dt.date, index_url: str, index: PageIndex) -> list[PageRef]:
    """One ref per linked page; page numbers from the link texts (`第02版：…`), by position when they do not
    say or say the same number twice. A one-page issue without a page list is its index alone."""
    links = list(dict.fromkeys((doc_key(link.url), link.text) for link in index.pages))
    if not links:
        return [PageRef(paper, day, index.number or 1, "pdf", index_url)]
    urls = list(dict.fromkeys(u for u, _ in links))
    texts = {u: t for u, t in reversed(links)}
    said = [page_number_and_name(texts[u])[0] for u in urls]
    numbers = [n for n in said if n is not None]
    if len(numbers) != len(urls) or len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(urls) + 1))
    first = doc_key(index_url)
    return sorted(
        (PageRef(paper, day, n, "pdf", index_url if u == first else u) for u, n in zip(urls, numbers, strict=True)),
        key=lambda r: r.page,
    )
