"""One day of one paper, end to end: the functions the CLI and the Airflow DAG both call.

The steps are separate so an orchestrator can map them over pages:

1. `list_pages` asks the source what pages the day has (`NoIssueError` when none);
2. `fetch_page` gets one page's bytes (and its HTML companion's, where the source has one);
3. `segment_page` reads them into a `PageOutcome` (never raises for a bad page: the failure is recorded in the
   outcome, so one bad page cannot lose the day), with the page's agreement with its HTML;
4. `stitch_day` joins stories that jump pages into one `articles` row each;
5. `publish_day` writes raw bytes and the day's partitions.

`run_day` chains them in this process (the CLI). The DAG runs 2 and 3 in mapped tasks and 4 and 5 once, handing
their results on through `_staging/` (`pipeline.staging`), so XCom carries only keys and counts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from pipeline.checks.agreement import page_agreement
from pipeline.config import Settings
from pipeline.errors import EpaperError, IncompleteDayError, PageError, TerminalError
from pipeline.lake.index import sync_index, words
from pipeline.lake.store import open_store
from pipeline.lake.tables import new_run_id, raw_key, raw_prefix
from pipeline.lake.tables import publish_day as publish_tables
from pipeline.models import (
    PAGE_FAILED,
    PAGE_NEEDS_OCR,
    PAGE_OK,
    ArticleRecord,
    IssueRecord,
    PageLayout,
    PageRecord,
    PageRef,
    articles_table,
    issues_table,
    pages_table,
)
from pipeline.pages import page_layout
from pipeline.segment.stitch import stitch_articles
from pipeline.sources import open_source


@dataclass(frozen=True, slots=True)
class Fetched:
    """One page's bytes as the source delivered them, and its HTML companion's (None when there is none or it
    could not be fetched: the HTML only cross-checks the page, so its absence never fails the page)."""

    ref: PageRef
    data: bytes
    html: bytes | None = None


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What processing one page produced: its layout, or why it failed; plus the raw bytes' digest."""

    ref: PageRef
    sha256: str | None
    status: str
    error: str | None
    layout: PageLayout | None
    html_agreement: float | None = None


@dataclass(frozen=True, slots=True)
class DaySummary:
    """Counts and titles for a published day (small: fit for XCom and the CLI summary)."""

    paper: str
    issue_date: dt.date
    n_pages: int
    n_pages_failed: int
    n_articles: int
    titles: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.n_pages_failed == 0


def list_pages(settings: Settings, issue_date: dt.date) -> list[PageRef]:
    """The day's pages from the configured source; raises `NoIssueError` when there are none."""
    return open_source(settings.source).list_pages(settings.paper.paper_id, issue_date)


def fetch_page(settings: Settings, ref: PageRef) -> Fetched:
    """The page's bytes and its HTML companion's. Raises `TerminalError` (a `PageError`) for a page the source
    cannot deliver and `TransientError` for a failure that may pass (a retry may help)."""
    source = open_source(settings.source)
    data = source.fetch(ref).data
    html = None
    if ref.html_location:
        companion = dataclasses.replace(ref, kind="html", location=ref.html_location, html_location=None)
        try:
            html = source.fetch(companion).data
        except EpaperError:  # terminal or transient alike: a cross-check only, the page stands without it
            html = None
    return Fetched(ref, data, html)


def segment_page(fetched: Fetched) -> PageOutcome:
    """Segment fetched bytes. A page that cannot be read gives a failed (or `needs_ocr`) outcome, not an error;
    a page with an HTML companion gets its agreement with it (`pipeline.checks.agreement`)."""
    ref = fetched.ref
    digest = hashlib.sha256(fetched.data).hexdigest()
    try:
        layout = page_layout(fetched.data, ref.kind, ref.paper, ref.issue_date, ref.page)
    except PageError as exc:
        status = PAGE_NEEDS_OCR if exc.reason.startswith("needs_ocr") else PAGE_FAILED
        return PageOutcome(ref, digest, status, exc.reason, None)
    except Exception as exc:  # a reader bug on odd input: the page is flagged with the reason, the day goes on
        return PageOutcome(ref, digest, PAGE_FAILED, f"unexpected {type(exc).__name__}: {exc}", None)
    if fetched.html is None:
        return PageOutcome(ref, digest, PAGE_OK, None, layout)
    try:
        html = page_layout(fetched.html, "html", ref.paper, ref.issue_date, ref.page)
        agreement = round(page_agreement(layout.articles, html.articles), 4)
    except Exception as exc:  # the page itself is fine: say why there is no agreement figure
        reason = exc.reason if isinstance(exc, PageError) else f"unexpected {type(exc).__name__}: {exc}"
        return PageOutcome(ref, digest, PAGE_OK, f"HTML companion unreadable: {reason}", layout)
    return PageOutcome(ref, digest, PAGE_OK, None, layout, agreement)


def process_page(settings: Settings, ref: PageRef) -> tuple[PageOutcome, Fetched | None]:
    """Fetch and segment one page. Bad pages give a failed outcome; only transient source errors raise."""
    try:
        fetched = fetch_page(settings, ref)
    except TerminalError as exc:
        return PageOutcome(ref, None, PAGE_FAILED, exc.reason, None), None
    return segment_page(fetched), fetched


def stitch_day(paper: str, issue_date: dt.date, outcomes: Sequence[PageOutcome]) -> list[ArticleRecord]:
    """The day's `articles` rows from the pages that segmented: stories jumping pages joined into one row."""
    return stitch_articles(paper, issue_date, [(o.ref.page, o.layout) for o in outcomes if o.layout is not None])


def publish_day(
    settings: Settings,
    issue_date: dt.date,
    outcomes: list[PageOutcome],
    fetched: dict[int, Fetched],
    articles: pa.Table | None = None,
    run_id: str | None = None,
) -> DaySummary:
    """Write the day: raw bytes of every page read (and of its HTML companion), then one commit each to
    `articles`, `pages`, `issues` (`pipeline.lake.tables.publish_day`), then the search index. `articles`: the
    stitched table when `stitch_day` ran elsewhere; stitched here if None. `run_id` goes on every row (a fresh
    one when None); a retry of the same run may reuse it.

    When no page succeeded nothing is written and `TerminalError` is raised, so the lake stays as it was. When
    some failed, the good pages are published, failed pages are kept raw and flagged in `pages`, and
    `IncompleteDayError` is raised after writing, so the run reports non-zero and a re-run completes it.
    """
    paper = settings.paper.paper_id
    good = [o for o in outcomes if o.layout is not None]
    failures = [PageError(paper, issue_date, o.ref.page, o.error or o.status) for o in outcomes if o.layout is None]
    if not good:
        if len(failures) == 1:
            raise failures[0]
        reasons = "; ".join(f"page {f.page}: {f.reason}" for f in failures) or "no pages"
        raise TerminalError(paper, issue_date, None, f"every page failed, nothing published ({reasons})")
    if articles is None:
        articles = articles_table(stitch_day(paper, issue_date, good))
    store = open_store(settings.lake)
    written: set[str] = set()
    for page, f in fetched.items():
        written.add(raw_key(paper, issue_date, page, f.ref.kind))
        store.write_bytes(raw_key(paper, issue_date, page, f.ref.kind), f.data)
        if f.html is not None and f.ref.kind != "html":
            written.add(raw_key(paper, issue_date, page, "html"))
            store.write_bytes(raw_key(paper, issue_date, page, "html"), f.html)
    # A re-run replaces the day exactly: raw files of an earlier run that this one did not write (a page since
    # withdrawn, or now read from another form) go, so `raw/` matches the `pages` table.
    for key in store.list(raw_prefix(paper, issue_date)):
        if key not in written:
            store.delete(key)
    pages = [_page_record(o, o.ref.page in fetched) for o in outcomes]
    n_articles = articles.num_rows
    issue = IssueRecord(
        paper,
        settings.paper.name,
        issue_date,
        len(outcomes),
        len(failures),
        n_articles,
        "complete" if not failures else "incomplete",
    )
    tables = {"articles": articles, "pages": pages_table(pages), "issues": issues_table([issue])}
    versions = publish_tables(store, paper, issue_date, tables, run_id or new_run_id(), words)
    keys = [f"{name}@v{version}" for name, version in versions.items()]
    # The index follows the lake: a publish killed here leaves it behind, and the next sync (any publish,
    # `epaper compact`) catches up; `epaper check` reports the gap meanwhile.
    sync_index(store, (paper, issue_date.year))
    titles = tuple(str(t) for t in articles.column("title").to_pylist())
    summary = DaySummary(paper, issue_date, len(outcomes), len(failures), n_articles, titles, tuple(keys))
    if failures:
        raise IncompleteDayError(paper, issue_date, failures)
    return summary


def run_day(
    settings: Settings, issue_date: dt.date, on_page: Callable[[PageOutcome], None] | None = None
) -> DaySummary:
    """List, fetch, segment, stitch and publish one day in this process. Raises as `publish_day` does."""
    outcomes: list[PageOutcome] = []
    fetched: dict[int, Fetched] = {}
    for ref in list_pages(settings, issue_date):
        outcome, got = process_page(settings, ref)
        outcomes.append(outcome)
        if got is not None:
            fetched[ref.page] = got
        if on_page is not None:
            on_page(outcome)
    return publish_day(settings, issue_date, outcomes, fetched)


def _page_record(o: PageOutcome, has_raw: bool) -> PageRecord:
    layout = o.layout
    return PageRecord(
        paper=o.ref.paper,
        issue_date=o.ref.issue_date,
        page=o.ref.page,
        page_name=layout.page_name if layout else None,
        source_kind=o.ref.kind,
        raw_key=raw_key(o.ref.paper, o.ref.issue_date, o.ref.page, o.ref.kind) if has_raw else None,
        sha256=o.sha256,
        status=o.status,
        error=o.error,
        n_articles=len(layout.articles) if layout else 0,
        fragments=layout.fragments if layout else (),
        html_agreement=o.html_agreement,
    )


__all__ = [
    "DaySummary",
    "EpaperError",
    "Fetched",
    "PageOutcome",
    "fetch_page",
    "list_pages",
    "process_page",
    "publish_day",
    "run_day",
    "segment_page",
    "stitch_day",
]
