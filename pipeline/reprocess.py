"""`epaper reprocess`: rebuild published days from the lake's raw archive alone, with today's readers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.config import Settings
from pipeline.daily import NO_ISSUE, DaySummary, Fetched, PageOutcome, publish_day, segment_page
from pipeline.errors import TerminalError
from pipeline.lake.archive import archived_fetches
from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import raw_key, read_day
from pipeline.models import PAGE_FAILED, FetchRecord, PageRef, RawPart


def reprocess_day(settings: Settings, issue_date: dt.date) -> DaySummary:
    """Rebuild a published day from its raw archive alone (no source, no network): every page's archived bytes
    and, for a site page, its archived objects (from `fetches`) are read again with today's readers and the day
    is published as `publish_day` does. A "no issue" day stays as it is. Raises `TerminalError` when the day has
    nothing archived."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    issues = read_day(store, "issues", paper, issue_date)
    pages = read_day(store, "pages", paper, issue_date)
    if issues is None or pages is None:
        raise TerminalError(paper, issue_date, None, f"nothing archived for the day in {settings.lake}")
    if issues.column("status")[0].as_py() == NO_ISSUE:
        return DaySummary(paper, issue_date, 0, 0, 0, (), (), True)
    by_page: dict[int | None, list[FetchRecord]] = {}
    for record in archived_fetches(store, paper, issue_date):
        by_page.setdefault(record.page, []).append(record)
    outcomes: list[PageOutcome] = []
    fetched: dict[int, Fetched] = {}
    for row in pages.to_pylist():
        ref = PageRef(paper, issue_date, row["page"], row["source_kind"], row["raw_key"] or "")
        if not row["raw_key"] or not store.exists(row["raw_key"]):
            outcomes.append(PageOutcome(ref, None, PAGE_FAILED, row["error"] or "no raw bytes archived", None))
            continue
        f = _archived_page(store, ref, by_page.get(ref.page, []))
        fetched[ref.page] = f
        outcomes.append(segment_page(f))
    return publish_day(settings, issue_date, outcomes, fetched)


def _archived_page(store: Store, ref: PageRef, records: list[FetchRecord]) -> Fetched:
    """A page as it was fetched, from the raw archive."""
    data = store.read_bytes(ref.location)
    parts = tuple(
        RawPart(r.raw_key.rsplit("/", 1)[-1], r.role or "article", r.url, store.read_bytes(r.raw_key), r.content_type)
        for r in records
        if r.raw_key and r.role and store.exists(r.raw_key)
    )
    index = next((r.url for r in records if r.role == "index"), ref.location)
    ref = dataclasses.replace(ref, location=index)
    html = None
    companion = raw_key(ref.paper, ref.issue_date, ref.page, "html")
    if not parts and ref.kind != "html" and store.exists(companion):
        html = store.read_bytes(companion)
    return Fetched(ref, data, html, parts, tuple(records))
