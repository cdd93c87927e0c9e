"""Faults the replica injects, and the fetcher's politeness, proven by the requests the replica actually saw."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from pipeline.daily import run_day
from pipeline.errors import TransientError
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.profiles import Politeness
from pipeline.sources.http import PoliteClient, RefusedError, TransientFetchError
from pipeline.sources.replica.server import ReplicaServer
from tests.conftest import site_settings

DAY = dt.date(2023, 5, 25)
INDEX = r"/2023-05/25/node_1\.htm$"


def client(**polite: object) -> PoliteClient:
    fast = {"min_interval": 0.0, "backoff": 0.05, "max_backoff": 2.0, "read_timeout": 0.5, "retries": 2, **polite}
    return PoliteClient(Politeness(**fast), frozenset({"127.0.0.1"}))  # type: ignore[arg-type]


@pytest.mark.parametrize("fault", ["500:1", "reset:1", "slow:1"])
def test_transient_fault_once_is_retried_and_the_day_published(
    replica: ReplicaServer, fresh_lake: Path, fault: str
) -> None:
    replica.inject(INDEX, fault)
    summary = run_day(site_settings(replica, fresh_lake), DAY)
    assert summary.complete
    hits = replica.hits(INDEX)
    assert len(hits) == 2 and hits[0].fault == fault.split(":")[0] and hits[1].fault is None
    fetches = read_day(open_store(str(fresh_lake)), "fetches", "dqnews", DAY)
    assert fetches is not None
    row = next(r for r in fetches.to_pylist() if r["url"].endswith("/25/node_1.htm"))
    assert row["attempts"] == 2 and row["status"] == 200


def test_429_waits_as_long_as_retry_after_says(replica: ReplicaServer) -> None:
    replica.inject(INDEX, "429:1")
    resp = client(backoff=0.01).get(replica.url + "html/2023-05/25/node_1.htm")
    assert resp.status == 200 and resp.attempts == 2
    first, second = replica.hits(INDEX)
    assert first.status == 429 and second.start - first.end >= 0.95  # Retry-After: 1, not the 0.01 s backoff


def test_server_error_that_persists_is_transient_after_the_retries(replica: ReplicaServer, fresh_lake: Path) -> None:
    replica.inject(INDEX, "500")
    with pytest.raises(TransientError, match="HTTP 500 after 3 attempts"):
        run_day(site_settings(replica, fresh_lake), DAY)
    assert len(replica.hits(INDEX)) == 3  # retries = 2
    assert not (fresh_lake / "issues").exists()  # nothing published, nothing recorded as "no issue"


def test_other_4xx_is_not_retried(replica: ReplicaServer, replica_root: Path, fresh_lake: Path) -> None:
    gone = min(p.name for p in (replica_root / "html/2023-05/25").glob("content_*"))
    replica.inject(gone + "$", "404")
    summary = run_day(site_settings(replica, fresh_lake), DAY)
    assert [r.status for r in replica.hits(gone)] == [404]
    assert summary.n_pages == 2  # the page stands on its other articles


def test_truncated_pdf_leaves_the_page_to_its_html(replica: ReplicaServer, fresh_lake: Path) -> None:
    replica.inject(r"/images/2023-05/25/01/.*\.pdf$", "truncate")
    summary = run_day(site_settings(replica, fresh_lake), DAY)
    assert summary.complete
    pages = read_day(open_store(str(fresh_lake)), "pages", "dqnews", DAY)
    assert pages is not None
    one = next(r for r in pages.to_pylist() if r["page"] == 1)
    assert one["reading"] == "html" and one["n_articles"] >= 2
    assert one["html_agreement"] is None and "truncated PDF" in one["error"]
    assert len(replica.hits(r"/01/.*\.pdf$")) == 1  # bad bytes are not a reason to ask again


def test_wrong_content_type_is_recorded_and_the_pdf_still_read(replica: ReplicaServer, fresh_lake: Path) -> None:
    replica.inject(r"/images/2023-05/25/01/.*\.pdf$", "ctype")
    run_day(site_settings(replica, fresh_lake), DAY)
    store = open_store(str(fresh_lake))
    fetches = read_day(store, "fetches", "dqnews", DAY)
    pages = read_day(store, "pages", "dqnews", DAY)
    assert fetches is not None and pages is not None
    pdf = next(r for r in fetches.to_pylist() if r["role"] == "pdf" and r["page"] == 1)
    assert pdf["content_type"].startswith("text/html")
    assert next(r for r in pages.to_pylist() if r["page"] == 1)["pdf_articles"] >= 2


def test_pdf_not_offered_makes_an_html_page(replica: ReplicaServer, fresh_lake: Path) -> None:
    replica.inject(r"/images/2023-05/25/02/.*\.pdf$", "tiny")
    run_day(site_settings(replica, fresh_lake), DAY)
    store = open_store(str(fresh_lake))
    pages = read_day(store, "pages", "dqnews", DAY)
    assert pages is not None
    two = next(r for r in pages.to_pylist() if r["page"] == 2)
    assert two["source_kind"] == "html" and two["reading"] == "html" and two["raw_key"].endswith("02.html")
    assert store.exists("raw/dqnews/2023-05-25/02.html") and not store.exists("raw/dqnews/2023-05-25/02.pdf")


def test_page_without_the_sites_markup_fails_alone_with_url_and_selector(
    replica: ReplicaServer, fresh_lake: Path
) -> None:
    from pipeline.errors import IncompleteDayError

    replica.inject(r"/25/node_3\.htm$", "nomarkup")
    with pytest.raises(IncompleteDayError) as info:
        run_day(site_settings(replica, fresh_lake), DAY)
    reason = info.value.failures[0].reason
    assert "node_3.htm" in reason and ".main-ed-pageifm span" in reason
    store = open_store(str(fresh_lake))
    pages = read_day(store, "pages", "dqnews", DAY)
    assert pages is not None
    status = {r["page"]: r["status"] for r in pages.to_pylist()}
    assert status == {1: "ok", 2: "failed"}
    assert "维护中" in store.read_bytes("raw/dqnews/2023-05-25/02.html").decode()  # its raw bytes kept


def test_concurrency_cap_and_minimum_interval(replica: ReplicaServer) -> None:
    import concurrent.futures

    replica.slow_seconds = 0.3
    replica.inject(r"content_", "slow")
    c = client(concurrency=2, min_interval=0.1, read_timeout=2.0)
    urls = [f"{replica.url}html/2023-05/25/content_{n}.htm" for n in range(1893040, 1893046)]
    try:
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            list(pool.map(c.get, urls))
    finally:
        replica.slow_seconds = 1.0
    assert replica.max_in_flight == 2  # six threads, never more than two at once
    starts = sorted(r.start for r in replica.hits("content_"))
    assert len(starts) == 6 and min(b - a for a, b in itertools.pairwise(starts)) >= 0.09


def test_robots_size_cap_and_foreign_redirects_are_refused(replica: ReplicaServer) -> None:
    c = client()
    with pytest.raises(RefusedError, match=r"robots\.txt"):
        c.get(replica.url + "private/secret.htm")
    assert not replica.hits("/private/")
    with pytest.raises(RefusedError, match="size cap"):
        client(max_bytes=1000).get(replica.url + "html/2023-05/25/node_1.htm")
    with pytest.raises(RefusedError, match=r"elsewhere\.example is not one of the site's hosts"):
        c.get(replica.url + "offsite/index.htm")
    with pytest.raises(TransientFetchError):
        client(retries=1).get(replica.url + "html/2023-05/25/node_1.htm?fault=500")
    assert len(replica.hits(r"/25/node_1\.htm$")) == 1 + 2  # the size-capped GET, then the two 500s


def test_conditional_get_answers_304(replica: ReplicaServer) -> None:
    c = client()
    first = c.get(replica.url + "html/2023-05/25/node_1.htm")
    again = c.get(replica.url + "html/2023-05/25/node_1.htm", etag=first.headers["etag"])
    assert again.status == 304 and again.data == b""
    assert replica.hits(r"/25/node_1")[-1].headers["if-none-match"] == first.headers["etag"]


def test_header_fault_flag(replica: ReplicaServer) -> None:
    import httpx

    resp = httpx.get(replica.url + "html/2023-05/25/node_1.htm", headers={"X-Replica-Fault": "500"})
    assert resp.status_code == 500 and replica.requests[-1].fault == "500"
