"""One day of one paper, end to end: the functions the CLI and the Airflow DAG both call.

The steps are separate so an orchestrator can map them over pages:

1. `list_pages` asks the source what pages the day has (`NoIssueError` when none);
2. `process_page` fetches one page and segments it into a `PageOutcome` (never raises for a bad page: the
   failure is recorded in the outcome, so one bad page cannot lose the day);
3. `publish_day` stitches the outcomes into the day's tables and writes raw bytes and partitions.

`run_day` chains them in process. The DAG runs 2 in mapped tasks and hands outcomes to 3 through `_staging/`
(`stage_outcome` / `load_staged`), so XCom carries only keys and counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.config import Settings
from pipeline.errors import EpaperError, IncompleteDayError, PageError, TerminalError
from pipeline.extract import page_layout
from pipeline.lake import raw_key, staging_prefix, write_day
from pipeline.models import (
    PAGE_FAILED,
    PAGE_NEEDS_OCR,
    PAGE_OK,
    Article,
    IssueRecord,
    PageLayout,
    PageRecord,
    PageRef,
    Region,
    articles_table,
    issues_table,
    pages_table,
)
from pipeline.sources import open_source
from pipeline.stitch import stitch_articles
from pipeline.storage import Store, open_store


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What processing one page produced: its layout, or why it failed; plus the raw bytes' digest."""

    ref: PageRef
    sha256: str | None
    status: str
    error: str | None
    layout: PageLayout | None


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


def process_page(settings: Settings, ref: PageRef) -> tuple[PageOutcome, bytes | None]:
    """Fetch and segment one page. Bad pages give a failed outcome; only transient source errors raise."""
    try:
        raw = open_source(settings.source).fetch(ref)
    except TerminalError as exc:
        return PageOutcome(ref, None, PAGE_FAILED, exc.reason, None), None
    digest = hashlib.sha256(raw.data).hexdigest()
    try:
        layout = page_layout(raw.data, ref.kind, ref.paper, ref.issue_date, ref.page)
    except PageError as exc:
        status = PAGE_NEEDS_OCR if exc.reason.startswith("needs_ocr") else PAGE_FAILED
        return PageOutcome(ref, digest, status, exc.reason, None), raw.data
    return PageOutcome(ref, digest, PAGE_OK, None, layout), raw.data


def publish_day(
    settings: Settings, issue_date: dt.date, outcomes: list[PageOutcome], raws: dict[int, bytes]
) -> DaySummary:
    """Write the day: raw bytes of every page read, then `articles`, `pages`, `issues` partitions.

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
    store = open_store(settings.lake)
    for o in outcomes:
        if o.ref.page in raws:
            store.write_bytes(raw_key(paper, issue_date, o.ref.page, o.ref.kind), raws[o.ref.page])
    articles = stitch_articles(paper, issue_date, [(o.ref.page, o.layout) for o in good if o.layout])
    pages = [_page_record(o, o.ref.page in raws) for o in outcomes]
    issue = IssueRecord(
        paper,
        settings.paper.name,
        issue_date,
        len(outcomes),
        len(failures),
        len(articles),
        "complete" if not failures else "incomplete",
    )
    keys = write_day(
        store,
        paper,
        issue_date,
        {"articles": articles_table(articles), "pages": pages_table(pages), "issues": issues_table([issue])},
    )
    summary = DaySummary(
        paper,
        issue_date,
        len(outcomes),
        len(failures),
        len(articles),
        tuple(a.title for a in articles),
        tuple(keys),
    )
    if failures:
        raise IncompleteDayError(paper, issue_date, failures)
    return summary


def run_day(
    settings: Settings, issue_date: dt.date, on_page: Callable[[PageOutcome], None] | None = None
) -> DaySummary:
    """List, process and publish one day in this process. Raises as `publish_day` does."""
    outcomes: list[PageOutcome] = []
    raws: dict[int, bytes] = {}
    for ref in list_pages(settings, issue_date):
        outcome, data = process_page(settings, ref)
        outcomes.append(outcome)
        if data is not None:
            raws[ref.page] = data
        if on_page is not None:
            on_page(outcome)
    return publish_day(settings, issue_date, outcomes, raws)


# --- staging for orchestrated runs ----------------------------------------------------------------------------


def stage_page(settings: Settings, ref: PageRef) -> dict[str, object]:
    """`process_page`, then keep the outcome and raw bytes under `_staging/`; returns a small summary for XCom."""
    outcome, data = process_page(settings, ref)
    store = open_store(settings.lake)
    prefix = f"{staging_prefix(ref.paper, ref.issue_date)}/{ref.page:02d}"
    if data is not None:
        store.write_bytes(f"{prefix}.{ref.kind}", data)
    store.write_bytes(f"{prefix}.json", json.dumps(_outcome_json(outcome), ensure_ascii=False).encode())
    n = len(outcome.layout.articles) if outcome.layout else 0
    return {"page": ref.page, "status": outcome.status, "error": outcome.error, "n_articles": n}


def publish_staged(settings: Settings, issue_date: dt.date) -> DaySummary:
    """Publish a day from its staged pages, then clear the staging folder (kept if publishing raised early)."""
    store = open_store(settings.lake)
    prefix = staging_prefix(settings.paper.paper_id, issue_date)
    outcomes: list[PageOutcome] = []
    raws: dict[int, bytes] = {}
    for key in store.list(prefix):
        if not key.endswith(".json"):
            continue
        outcome = _outcome_from_json(json.loads(store.read_bytes(key)))
        outcomes.append(outcome)
        raw = f"{key.removesuffix('.json')}.{outcome.ref.kind}"
        if store.exists(raw):
            raws[outcome.ref.page] = store.read_bytes(raw)
    if not outcomes:
        raise TerminalError(settings.paper.paper_id, issue_date, None, "no staged pages to publish")
    try:
        summary = publish_day(settings, issue_date, sorted(outcomes, key=lambda o: o.ref.page), raws)
    except IncompleteDayError:
        _clear(store, prefix)  # published all the same: the staged copy is no longer needed
        raise
    _clear(store, prefix)
    return summary


def stage_missing(settings: Settings, refs: list[PageRef], reason: str) -> list[int]:
    """Stage a failed outcome for each listed page that has none (its task failed for good, or never ran), so
    `publish_staged` flags it in `pages` and reports the day incomplete instead of publishing it as complete.
    Returns the page numbers so marked; pages already staged are left alone."""
    store = open_store(settings.lake)
    marked = []
    for ref in refs:
        key = f"{staging_prefix(ref.paper, ref.issue_date)}/{ref.page:02d}.json"
        if store.exists(key):
            continue
        outcome = PageOutcome(ref, None, PAGE_FAILED, reason, None)
        store.write_bytes(key, json.dumps(_outcome_json(outcome), ensure_ascii=False).encode())
        marked.append(ref.page)
    return marked


def _clear(store: Store, prefix: str) -> None:
    for key in store.list(prefix):
        store.delete(key)


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
    )


def _outcome_json(o: PageOutcome) -> dict[str, object]:
    layout = None
    if o.layout is not None:
        layout = {
            "articles": [a.to_json() for a in o.layout.articles],
            "fragments": list(o.layout.fragments),
            "page_name": o.layout.page_name,
        }
    ref = {
        "paper": o.ref.paper,
        "issue_date": o.ref.issue_date.isoformat(),
        "page": o.ref.page,
        "kind": o.ref.kind,
        "location": o.ref.location,
    }
    return {"ref": ref, "sha256": o.sha256, "status": o.status, "error": o.error, "layout": layout}


def _outcome_from_json(d: dict[str, object]) -> PageOutcome:
    r = d["ref"]
    assert isinstance(r, dict)
    ref = PageRef(r["paper"], dt.date.fromisoformat(r["issue_date"]), int(r["page"]), r["kind"], r["location"])
    layout = None
    raw_layout = d.get("layout")
    if isinstance(raw_layout, dict):
        arts = tuple(
            Article(
                title=a["title"],
                kicker=a["kicker"],
                subtitle=a["subtitle"],
                authors=tuple(a["authors"]),
                body=a["body"],
                continues_to_page=a["continues_to_page"],
                continued_from_page=a["continued_from_page"],
                regions=tuple(Region(int(g[0]), *map(float, g[1:])) for g in a.get("regions", [])),
            )
            for a in raw_layout["articles"]
        )
        layout = PageLayout(arts, tuple(raw_layout["fragments"]), raw_layout.get("page_name"))
    return PageOutcome(ref, d.get("sha256"), str(d["status"]), d.get("error"), layout)  # type: ignore[arg-type]


__all__ = [
    "DaySummary",
    "EpaperError",
    "PageOutcome",
    "list_pages",
    "process_page",
    "publish_day",
    "publish_staged",
    "run_day",
    "stage_missing",
    "stage_page",
]
