"""The day's steps as an orchestrator runs them, one task each, handing work on through `_staging/` in the lake.

Each function here wraps one step of `pipeline.daily` with the staging reads and writes around it and returns a
small dict (page numbers, counts, keys) fit for XCom; bytes and article text stay in storage. Layout under
`_staging/<paper>/<YYYY-MM-DD>/<run>/` (`run`: the orchestrator's run id, so two runs of one date never share
a folder):

- `NN.<kind>` and `NN.companion.html`: the fetched bytes (`stage_fetch`); for a site page also
  `NN.parts/<name>` (its other objects) and `NN.parts/_manifest.json` (their roles and URLs, the page's kind as
  fetched, its fetch records);
- `NN.json`: the page's outcome, articles included (`stage_segment`, or `stage_missing` for a page whose tasks
  failed for good);
- `articles.parquet`: the stitched `articles` table (`stage_stitch`);
- `published.json`: written once the day is published complete, while the folder is being cleared.

`publish_staged` writes the day from there exactly as `run_day` would have. Every step overwrites its own
outputs, so any of them can be retried or re-run:

- a publish retried after its clean-up was cut short finds `published.json` and only finishes the clean-up
  (it never republishes from a half-cleared folder);
- an incomplete day keeps its folder, so re-running the failed page's tasks and then `stitch` and `publish`
  publishes the whole day (the other pages' outcomes are still there).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.daily import DaySummary, Fetched, PageOutcome, fetch_page, publish_day, segment_page, stitch_day
from pipeline.errors import PageError, TerminalError
from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import staging_prefix
from pipeline.models import (
    ARTICLES_SCHEMA,
    PAGE_FAILED,
    PAGE_OK,
    Article,
    Comparison,
    FetchRecord,
    PageLayout,
    PageRef,
    RawPart,
    Region,
    articles_table,
)

ARTICLES = "articles.parquet"
PUBLISHED = "published.json"
MANIFEST = "_manifest.json"


def stage_start(settings: Settings, issue_date: dt.date, run: str | None = None) -> int:
    """Clear what an earlier attempt of this run left in staging, so the run publishes only its own pages.
    Returns how many objects were removed."""
    return open_store(settings.lake).delete_prefix(staging_prefix(settings.paper.paper_id, issue_date, run))


def stage_fetch(settings: Settings, ref: PageRef, run: str | None = None) -> dict[str, object]:
    """Fetch one page into staging. A page the source cannot deliver is staged as failed (bytes of an earlier
    attempt removed), then `PageError` is raised naming paper, date, page and reason; a transient source error
    raises for a retry."""
    store = open_store(settings.lake)
    try:
        fetched = fetch_page(settings, ref)
    except TerminalError as exc:
        for key in (_raw(ref, run), _companion(ref, run)):
            store.delete(key)
        store.delete_prefix(_parts(ref, run))
        _put_outcome(store, PageOutcome(ref, None, PAGE_FAILED, exc.reason, None), run)
        raise PageError(ref.paper, ref.issue_date, ref.page, exc.reason) from exc
    store.delete_prefix(_parts(ref, run))
    if fetched.ref.kind != ref.kind:  # a site page without its PDF: bytes of another kind, from an earlier try
        store.delete(_raw(ref, run))
    store.write_bytes(_raw(fetched.ref, run), fetched.data)
    if fetched.parts or fetched.fetches:
        _put_parts(store, fetched, run)
    if fetched.html is not None:
        store.write_bytes(_companion(ref, run), fetched.html)
    else:  # left by an earlier attempt: not part of this one
        store.delete(_companion(ref, run))
    store.delete(_outcome_key(ref, run))  # an outcome of earlier bytes no longer holds
    return {
        "page": ref.page,
        "kind": fetched.ref.kind,
        "bytes": len(fetched.data),
        "objects": len(fetched.parts),
        "html_bytes": len(fetched.html) if fetched.html is not None else None,
    }


def stage_segment(settings: Settings, ref: PageRef, run: str | None = None) -> dict[str, object]:
    """Segment one staged page and stage its outcome; raises `PageError` when the page did not segment (its
    failure is staged first, so publishing flags it)."""
    store = open_store(settings.lake)
    fetched = _load_fetched(store, ref, run)
    if fetched is None:
        raise TerminalError(ref.paper, ref.issue_date, ref.page, "page was not fetched into staging")
    outcome = segment_page(fetched)
    _put_outcome(store, outcome, run)
    if outcome.status != PAGE_OK:
        raise PageError(ref.paper, ref.issue_date, ref.page, f"{outcome.status}: {outcome.error}")
    assert outcome.layout is not None
    return {
        "page": ref.page,
        "status": outcome.status,
        "n_articles": len(outcome.layout.articles),
        "html_agreement": outcome.html_agreement,
    }


def stage_missing(settings: Settings, refs: list[PageRef], reason: str, run: str | None = None) -> list[int]:
    """Stage a failed outcome for each listed page that has none (its task failed for good, or never ran), so
    publishing flags it in `pages` and reports the day incomplete instead of publishing it as complete.
    Returns the page numbers so marked; pages already staged are left alone."""
    store = open_store(settings.lake)
    marked = []
    for ref in refs:
        if not store.exists(_outcome_key(ref, run)):
            _put_outcome(store, PageOutcome(ref, None, PAGE_FAILED, reason, None), run)
            marked.append(ref.page)
    return marked


def stage_stitch(settings: Settings, issue_date: dt.date, run: str | None = None) -> dict[str, object]:
    """Stitch the day's staged pages into the `articles` table and stage it; returns counts."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    outcomes = load_outcomes(store, paper, issue_date, run)
    if not outcomes:
        raise TerminalError(paper, issue_date, None, "no staged pages to stitch")
    records = stitch_day(paper, issue_date, outcomes)
    buf = io.BytesIO()
    pq.write_table(articles_table(records), buf, compression="zstd")
    store.write_bytes(f"{staging_prefix(paper, issue_date, run)}/{ARTICLES}", buf.getvalue())
    return {
        "n_pages": len(outcomes),
        "n_pages_failed": sum(1 for o in outcomes if o.layout is None),
        "n_articles": len(records),
        "n_stitched": sum(1 for r in records if len(r.pages) > 1),
    }


def publish_staged(settings: Settings, issue_date: dt.date, run: str | None = None) -> DaySummary:
    """Publish a day from its staged pages and stitched table (stitched now if `stage_stitch` did not run).
    A complete day's folder is then cleared; an incomplete day's is kept (see the module doc). Raises as
    `publish_day` does."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    prefix = staging_prefix(paper, issue_date, run)
    marker = f"{prefix}/{PUBLISHED}"
    if store.exists(marker):  # published already; an earlier attempt's clean-up was cut short
        summary = _summary_from_json(json.loads(store.read_bytes(marker)))
        _clear(store, prefix, marker)
        return summary
    outcomes = load_outcomes(store, paper, issue_date, run)
    if not outcomes:
        raise TerminalError(paper, issue_date, None, "no staged pages to publish")
    fetched = {o.ref.page: f for o in outcomes if (f := _load_fetched(store, o.ref, run)) is not None}
    articles = _load_articles(store, f"{prefix}/{ARTICLES}")
    summary = publish_day(settings, issue_date, outcomes, fetched, articles, run)  # IncompleteDayError: kept
    store.write_bytes(marker, json.dumps(_summary_json(summary), ensure_ascii=False).encode())
    _clear(store, prefix, marker)
    return summary


def load_outcomes(store: Store, paper: str, issue_date: dt.date, run: str | None = None) -> list[PageOutcome]:
    """The day's staged page outcomes, in page order."""
    prefix = staging_prefix(paper, issue_date, run)
    outcomes = [
        _outcome_from_json(json.loads(store.read_bytes(key)))
        for key in store.list(prefix)
        if key.endswith(".json") and key.rsplit("/", 1)[-1] != PUBLISHED and key.count("/") == prefix.count("/") + 1
    ]
    return sorted(outcomes, key=lambda o: o.ref.page)


# --- keys and files ---------------------------------------------------------------------------------------------


def _base(ref: PageRef, run: str | None) -> str:
    return f"{staging_prefix(ref.paper, ref.issue_date, run)}/{ref.page:02d}"


def _raw(ref: PageRef, run: str | None) -> str:
    return f"{_base(ref, run)}.{ref.kind}"


def _companion(ref: PageRef, run: str | None) -> str:
    return f"{_base(ref, run)}.companion.html"


def _outcome_key(ref: PageRef, run: str | None) -> str:
    return f"{_base(ref, run)}.json"


def _parts(ref: PageRef, run: str | None) -> str:
    return f"{_base(ref, run)}.parts"


def _put_parts(store: Store, fetched: Fetched, run: str | None) -> None:
    folder = _parts(fetched.ref, run)
    for part in fetched.parts:
        store.write_bytes(f"{folder}/{part.name}", part.data)
    manifest = {
        "kind": fetched.ref.kind,
        "location": fetched.ref.location,
        "parts": [
            {"name": p.name, "role": p.role, "url": p.url, "content_type": p.content_type} for p in fetched.parts
        ],
        "fetches": [_fetch_json(r) for r in fetched.fetches],
    }
    store.write_bytes(f"{folder}/{MANIFEST}", json.dumps(manifest, ensure_ascii=False).encode())


def _fetch_json(r: FetchRecord) -> dict[str, object]:
    d = {f.name: getattr(r, f.name) for f in dataclasses.fields(r)}
    d["issue_date"] = r.issue_date.isoformat()
    d["fetched_at"] = r.fetched_at.isoformat()
    return d


def _fetch_from_json(d: dict[str, Any]) -> FetchRecord:
    d = {
        **d,
        "issue_date": dt.date.fromisoformat(d["issue_date"]),
        "fetched_at": dt.datetime.fromisoformat(d["fetched_at"]),
    }
    return FetchRecord(**d)


def _load_fetched(store: Store, ref: PageRef, run: str | None) -> Fetched | None:
    parts: tuple[RawPart, ...] = ()
    fetches: tuple[FetchRecord, ...] = ()
    manifest_key = f"{_parts(ref, run)}/{MANIFEST}"
    if store.exists(manifest_key):
        m = json.loads(store.read_bytes(manifest_key))
        ref = dataclasses.replace(ref, kind=m["kind"], location=m["location"])
        folder = _parts(ref, run)
        parts = tuple(
            RawPart(p["name"], p["role"], p["url"], store.read_bytes(f"{folder}/{p['name']}"), p["content_type"])
            for p in m["parts"]
        )
        fetches = tuple(_fetch_from_json(r) for r in m["fetches"])
    if not store.exists(_raw(ref, run)):
        return None
    html = store.read_bytes(_companion(ref, run)) if store.exists(_companion(ref, run)) else None
    return Fetched(ref, store.read_bytes(_raw(ref, run)), html, parts, fetches)


def _load_articles(store: Store, key: str) -> pa.Table | None:
    if not store.exists(key):
        return None
    # Single-threaded for the reason given in `pipeline.lake.tables.read_day`. Cast back to the one schema: Parquet
    # names list items `element`, Arrow `item`, and the published object must not depend on the route taken.
    return pq.read_table(io.BytesIO(store.read_bytes(key)), use_threads=False).cast(ARTICLES_SCHEMA)


def _put_outcome(store: Store, outcome: PageOutcome, run: str | None) -> None:
    data = json.dumps(_outcome_json(outcome), ensure_ascii=False).encode()
    store.write_bytes(_outcome_key(outcome.ref, run), data)


def _clear(store: Store, prefix: str, marker: str) -> None:
    """Remove the folder, its marker last, so an interrupted clean-up is finished by a retry, never mistaken
    for a folder to publish from."""
    for key in store.list(prefix):
        if key != marker:
            store.delete(key)
    store.delete_prefix(prefix)


def _summary_json(s: DaySummary) -> dict[str, object]:
    return {
        "paper": s.paper,
        "issue_date": s.issue_date.isoformat(),
        "n_pages": s.n_pages,
        "n_pages_failed": s.n_pages_failed,
        "n_articles": s.n_articles,
        "titles": list(s.titles),
        "keys": list(s.keys),
    }


def _summary_from_json(d: dict[str, object]) -> DaySummary:
    titles, keys = d["titles"], d["keys"]
    assert isinstance(titles, list) and isinstance(keys, list)
    return DaySummary(
        str(d["paper"]),
        dt.date.fromisoformat(str(d["issue_date"])),
        int(str(d["n_pages"])),
        int(str(d["n_pages_failed"])),
        int(str(d["n_articles"])),
        tuple(str(t) for t in titles),
        tuple(str(k) for k in keys),
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
        "html_location": o.ref.html_location,
    }
    return {
        "ref": ref,
        "sha256": o.sha256,
        "status": o.status,
        "error": o.error,
        "layout": layout,
        "html_agreement": o.html_agreement,
        "reading": o.reading,
        "comparison": dataclasses.asdict(o.comparison) if o.comparison else None,
    }


def _outcome_from_json(d: dict[str, object]) -> PageOutcome:
    r = d["ref"]
    assert isinstance(r, dict)
    ref = PageRef(
        r["paper"],
        dt.date.fromisoformat(r["issue_date"]),
        int(r["page"]),
        r["kind"],
        r["location"],
        r.get("html_location"),
    )
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
    agreement = d.get("html_agreement")
    return PageOutcome(
        ref,
        d.get("sha256"),  # type: ignore[arg-type]
        str(d["status"]),
        d.get("error"),  # type: ignore[arg-type]
        layout,
        float(agreement) if isinstance(agreement, int | float) else None,
        d.get("reading"),  # type: ignore[arg-type]
        Comparison(**comparison) if isinstance(comparison := d.get("comparison"), dict) else None,
    )
