"""One day of one paper, end to end: the functions the CLI and the Airflow DAG both call.

The steps are separate so an orchestrator can map them over pages:

1. `list_pages` asks the source what pages the day has (`NoIssueError` when none);
2. `fetch_page` gets one page's bytes (and its HTML companion's, where the source has one);
3. `segment_page` reads them into a `PageOutcome` (never raises for a bad page: the failure is recorded in the
   outcome, so one bad page cannot lose the day), with the page's agreement with its HTML;
4. `stitch_day` joins stories that jump pages into one `articles` row each;
5. `publish_day` writes raw bytes and the day's partitions (`record_no_issue` the row of a day without one).

A site source (`pipeline.sources.site`) also hands over each page's other objects (index, image, article pages)
and a record of every answer it got; its pages are read by `pipeline.readings` (article pages first, the PDF as
the cross-check), the objects archived under `raw/<paper>/<date>/<NN>/` and the records written to `fetches`.

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
from pipeline.config import Settings, load_profile
from pipeline.errors import EpaperError, IncompleteDayError, NoIssueError, PageError, TerminalError
from pipeline.lake.archive import LakeArchive, archived_fetches
from pipeline.lake.index import sync_index, words
from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import new_run_id, part_key, raw_key, raw_prefix, read_day
from pipeline.lake.tables import publish_day as publish_tables
from pipeline.models import (
    PAGE_FAILED,
    PAGE_NEEDS_OCR,
    PAGE_OK,
    ArticleRecord,
    Comparison,
    FetchRecord,
    IssueRecord,
    PageLayout,
    PageRecord,
    PageRef,
    RawPart,
    articles_table,
    fetches_table,
    issues_table,
    pages_table,
)
from pipeline.pages import page_layout
from pipeline.segment.stitch import stitch_articles
from pipeline.sources import Source, open_source


@dataclass(frozen=True, slots=True)
class Fetched:
    """One page's bytes as the source delivered them, and its HTML companion's (None when there is none or it
    could not be fetched: the HTML only cross-checks the page, so its absence never fails the page)."""

    ref: PageRef
    data: bytes
    html: bytes | None = None
    parts: tuple[RawPart, ...] = ()  # a site page's other objects (index, image, article pages)
    fetches: tuple[FetchRecord, ...] = ()  # every answer the source got for the page


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What processing one page produced: its layout, or why it failed; plus the raw bytes' digest."""

    ref: PageRef
    sha256: str | None
    status: str
    error: str | None
    layout: PageLayout | None
    html_agreement: float | None = None
    reading: str | None = None  # "html" when the articles come from the site's article pages
    comparison: Comparison | None = None


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
    unchanged: bool = False  # archived already from the same raw bytes: nothing was written

    @property
    def complete(self) -> bool:
        return self.n_pages_failed == 0


def source_for(settings: Settings) -> Source:
    """The configured source; a site source sends conditional GETs for what the lake archived already."""
    return open_source(settings.source, settings.paper, LakeArchive(settings.lake, settings.paper.paper_id))


def list_pages(settings: Settings, issue_date: dt.date) -> list[PageRef]:
    """The day's pages from the configured source; raises `NoIssueError` when there are none."""
    return source_for(settings).list_pages(settings.paper.paper_id, issue_date)


def fetch_page(settings: Settings, ref: PageRef) -> Fetched:
    """The page's bytes and its HTML companion's (a site page: all its objects). Raises `TerminalError` (a
    `PageError`) for a page the source cannot deliver and `TransientError` for a failure that may pass."""
    source = source_for(settings)
    raw = source.fetch(ref)
    if raw.parts:
        return Fetched(raw.ref, raw.data, None, raw.parts, raw.fetches)
    data = raw.data
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
    if fetched.parts:
        return _segment_site(fetched, digest)
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


def _segment_site(fetched: Fetched, digest: str) -> PageOutcome:
    """A site page: articles from its article pages, the PDF as the cross-check (`pipeline.readings`)."""
    from pipeline.readings import read_site_page

    ref = fetched.ref
    pdf = fetched.data if ref.kind == "pdf" else None
    try:
        r = read_site_page(load_profile(ref.paper), ref.issue_date, ref.page, fetched.parts, pdf)
    except PageError as exc:
        return PageOutcome(ref, digest, PAGE_FAILED, exc.reason, None)
    except Exception as exc:  # a reader bug on odd input: the page is flagged with the reason, the day goes on
        return PageOutcome(ref, digest, PAGE_FAILED, f"unexpected {type(exc).__name__}: {exc}", None)
    return PageOutcome(ref, digest, PAGE_OK, r.note, r.layout, r.agreement, r.reading, r.comparison)


def process_page(settings: Settings, ref: PageRef) -> tuple[PageOutcome, Fetched | None]:
    """Fetch and segment one page. Bad pages give a failed outcome; only transient source errors raise."""
    try:
        fetched = fetch_page(settings, ref)
    except TerminalError as exc:
        return PageOutcome(ref, None, PAGE_FAILED, exc.reason, None), None
    return segment_page(fetched), fetched


def stitch_day(paper: str, issue_date: dt.date, outcomes: Sequence[PageOutcome]) -> list[ArticleRecord]:
    """The day's `articles` rows from the pages that segmented: stories jumping pages joined into one row, each
    saying which reading it came from (its first page's: "html", "pdf" or "txt")."""
    records = stitch_articles(paper, issue_date, [(o.ref.page, o.layout) for o in outcomes if o.layout is not None])
    readings = {o.ref.page: o.reading or o.ref.kind for o in outcomes}
    return [dataclasses.replace(r, reading=readings.get(r.page)) for r in records]


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
    fetch_rows: list[FetchRecord] = []
    for page, f in fetched.items():
        written.add(raw_key(paper, issue_date, page, f.ref.kind))
        store.write_bytes(raw_key(paper, issue_date, page, f.ref.kind), f.data)
        if f.html is not None and f.ref.kind != "html":
            written.add(raw_key(paper, issue_date, page, "html"))
            store.write_bytes(raw_key(paper, issue_date, page, "html"), f.html)
        keys_by_url = _write_parts(store, paper, issue_date, f, written)
        fetch_rows += [dataclasses.replace(r, raw_key=keys_by_url.get(r.url)) for r in f.fetches]
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
    tables = {
        "articles": articles,
        "pages": pages_table(pages),
        "fetches": fetches_table(fetch_rows),
        "issues": issues_table([issue]),
    }
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
    settings: Settings,
    issue_date: dt.date,
    on_page: Callable[[PageOutcome], None] | None = None,
    skip_unchanged: bool = False,
) -> DaySummary:
    """List, fetch, segment, stitch and publish one day in this process. Raises as `publish_day` does.

    With `skip_unchanged`, a day archived complete from exactly the bytes fetched now (same pages, same objects,
    same sha256) is not written again: the summary says `unchanged` and the lake is left as it was."""
    outcomes: list[PageOutcome] = []
    fetched: dict[int, Fetched] = {}
    for ref in list_pages(settings, issue_date):
        outcome, got = process_page(settings, ref)
        outcomes.append(outcome)
        if got is not None:
            fetched[got.ref.page] = got
        if on_page is not None:
            on_page(outcome)
    if skip_unchanged and (same := _archived_unchanged(settings, issue_date, fetched)) is not None:
        return same
    return publish_day(settings, issue_date, outcomes, fetched)


NO_ISSUE = "no issue"


def record_no_issue(settings: Settings, issue_date: dt.date, reason: NoIssueError) -> bool:
    """Record that the paper has no issue on `issue_date`: an `issues` row with status "no issue" (and empty
    `articles`, `pages`, `fetches` partitions), so a backfill's gaps are facts in the lake, not absences. A day
    archived with an issue already is left alone (a site that stops answering for an old date must not erase
    it), and so is a day recorded as "no issue" already. Returns True when it wrote."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    if read_day(store, "issues", paper, issue_date) is not None:
        return False
    issue = IssueRecord(paper, settings.paper.name, issue_date, 0, 0, 0, NO_ISSUE)
    tables = {
        "articles": articles_table([]),
        "pages": pages_table([]),
        "fetches": fetches_table([]),
        "issues": issues_table([issue]),
    }
    publish_tables(store, paper, issue_date, tables, new_run_id("no-issue"), words)
    return True


def _write_parts(store: Store, paper: str, day: dt.date, f: Fetched, written: set[str]) -> dict[str, str]:
    """Archive a site page's objects; returns each URL's raw key (the PDF, or the index of a page without one,
    is the page's own `NN.<kind>` object)."""
    keys: dict[str, str] = {}
    for part in f.parts:
        if (part.role, f.ref.kind) in (("pdf", "pdf"), ("index", "html")):
            keys[part.url] = raw_key(paper, day, f.ref.page, f.ref.kind)
            continue
        key = part_key(paper, day, f.ref.page, part.name)
        store.write_bytes(key, part.data)
        written.add(key)
        keys[part.url] = key
    return keys


def _archived_unchanged(settings: Settings, day: dt.date, fetched: dict[int, Fetched]) -> DaySummary | None:
    """The archived day's summary when it was published complete from the same bytes as `fetched`, else None."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    issues = read_day(store, "issues", paper, day)
    pages = read_day(store, "pages", paper, day)
    if issues is None or pages is None or issues.num_rows != 1 or issues.column("status")[0].as_py() != "complete":
        return None
    now = {(p, hashlib.sha256(f.data).hexdigest()) for p, f in fetched.items()}
    before = {(r["page"], r["sha256"]) for r in pages.select(["page", "sha256"]).to_pylist()}
    objects_now = {(r.url, r.sha256) for f in fetched.values() for r in f.fetches if r.sha256}
    objects_before = {(r.url, r.sha256) for r in archived_fetches(store, paper, day) if r.sha256}
    if now != before or objects_now != objects_before:
        return None
    row = issues.to_pylist()[0]
    articles = read_day(store, "articles", paper, day)
    titles = tuple(str(t) for t in articles.column("title").to_pylist()) if articles is not None else ()
    return DaySummary(paper, day, row["n_pages"], row["n_pages_failed"], row["n_articles"], titles, (), True)


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
        reading=(o.reading or o.ref.kind) if layout else None,
        comparison=o.comparison,
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
    "record_no_issue",
    "run_day",
    "segment_page",
    "stitch_day",
]
