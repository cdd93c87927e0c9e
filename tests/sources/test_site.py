"""The e-paper site source against the replica site (a real HTTP server on 127.0.0.1): a normal day in each URL
family, the gap days, raw objects and `fetches`, HTML as the primary record with the PDF cross-check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.daily import run_day
from pipeline.errors import NoIssueError, TerminalError
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.sources.replica.server import ReplicaServer
from tests.conftest import site_settings

DAY = dt.date(2023, 5, 25)


def day_files(root: Path, folder: str) -> tuple[list[str], list[str]]:
    """(article pages, editor-credit pages) the replica holds for a day's folder."""
    articles, credits = [], []
    for path in sorted((root / folder).glob("content_*")):
        (credits if "本版责编" in path.read_text(encoding="utf-8") else articles).append(path.name)
    return articles, credits


def test_classic_day_archived_from_article_pages(replica: ReplicaServer, replica_root: Path, fresh_lake: Path) -> None:
    settings = site_settings(replica, fresh_lake)
    summary = run_day(settings, DAY)
    assert summary.complete and summary.n_pages == 2
    store = open_store(str(fresh_lake))
    pages = read_day(store, "pages", "dqnews", DAY)
    assert pages is not None
    for row in pages.to_pylist():
        assert row["reading"] == "html" and row["source_kind"] == "pdf" and row["status"] == "ok"
        assert row["page_name"] in ("要闻", "综合", "经济", "民生", "文化", "社会", "时政", "专版")
        # Both readings of the generated page agree, and each PDF article lies in its HTML article's hotspot.
        assert row["matched_articles"] == row["html_articles"] == row["pdf_articles"] >= 2
        assert row["title_agreement"] == 1.0 and row["body_similarity"] > 0.95
        assert row["hotspot_overlap"] > 0.95 and row["html_agreement"] > 0.95
    articles = read_day(store, "articles", "dqnews", DAY)
    assert articles is not None and summary.n_articles == articles.num_rows
    rows = articles.to_pylist()
    assert {r["reading"] for r in rows} == {"html"}
    assert any(len(r["pages"]) == 2 for r in rows)  # the story that jumps from page 1 to page 2, stitched
    assert all(r["regions"] for r in rows)  # each placed on its page by its hotspot
    everyone = [n for r in rows for n in r["authors"]]
    assert everyone and not [n for n in everyone if any(w in n for w in ("记者", "本报", "■", "通讯员"))]
    assert not [r for r in rows if "责编" in r["title"] or "责编" in r["body"]]
    # Every request is one the day needs: robots.txt, two page indexes, two PDFs, two images, the article pages;
    # editor credits are never asked for.
    wanted, credits = day_files(replica_root, "html/2023-05/25")
    paths = [r.path for r in replica.requests]
    assert sorted(paths) == sorted(
        ["/robots.txt", "/html/2023-05/25/node_1.htm", "/html/2023-05/25/node_3.htm"]
        + [p for p in paths if p.endswith((".pdf", ".jpg"))]
        + [f"/html/2023-05/25/{name}" for name in wanted]
    )
    assert len([p for p in paths if p.endswith((".pdf", ".jpg"))]) == 4
    assert not [p for p in paths if any(p.endswith(c) for c in credits)]
    ua = {r.headers.get("user-agent") for r in replica.requests}
    assert ua == {settings.paper.site.politeness.user_agent}  # type: ignore[union-attr]
    referers = {r.headers.get("referer", "") for r in replica.requests if "content_" in r.path}
    assert referers and all(ref.endswith(("node_1.htm", "node_3.htm")) for ref in referers)


def test_raw_objects_and_fetches_table(replica: ReplicaServer, fresh_lake: Path) -> None:
    run_day(site_settings(replica, fresh_lake), DAY)
    store = open_store(str(fresh_lake))
    fetches = read_day(store, "fetches", "dqnews", DAY)
    assert fetches is not None
    rows = fetches.to_pylist()
    assert len(rows) == len(replica.requests) - 1  # every answer but robots.txt
    for row in rows:
        assert row["status"] == 200 and row["sha256"] and row["size"] > 0 and row["etag"] and row["last_modified"]
        assert row["fetched_at"].tzinfo is not None and row["role"] in ("index", "pdf", "image", "article")
        data = store.read_bytes(row["raw_key"])  # kept as delivered
        assert len(data) == row["size"]
        assert row["raw_key"].startswith("raw/dqnews/2023-05-25/")
    types = {r["role"]: r["content_type"] for r in rows}
    assert types["pdf"] == "application/pdf" and types["index"].startswith("text/html")
    assert {r["raw_key"] for r in rows if r["role"] == "pdf"} == {
        "raw/dqnews/2023-05-25/01.pdf",
        "raw/dqnews/2023-05-25/02.pdf",
    }
    assert store.exists("raw/dqnews/2023-05-25/01/node_1.htm")


@pytest.mark.parametrize(
    ("paper", "prefix", "day", "family"),
    [
        ("rmrb", "rmrb/", dt.date(2024, 12, 25), "pc"),
        ("rmrb", "rmrb/", dt.date(2018, 11, 20), "nbs"),
        ("zjrb", "zjrb/", dt.date(2023, 5, 25), "classic"),
    ],
)
def test_a_normal_day_in_each_family(
    replica: ReplicaServer, fresh_lake: Path, paper: str, prefix: str, day: dt.date, family: str
) -> None:
    settings = site_settings(replica, fresh_lake, paper, prefix)
    assert settings.paper.site is not None and settings.paper.site.era(day).family == family
    summary = run_day(settings, day)
    assert summary.complete and summary.n_pages == 2 and summary.n_articles >= 4
    store = open_store(str(fresh_lake))
    pages = read_day(store, "pages", paper, day)
    assert pages is not None
    for row in pages.to_pylist():
        assert row["reading"] == "html" and row["matched_articles"] == row["html_articles"]
        assert row["title_agreement"] == 1.0 and row["hotspot_overlap"] > 0.95
    articles = read_day(store, "articles", paper, day)
    assert articles is not None
    rows = articles.to_pylist()
    titled = [r for r in rows if r["title"]]
    assert titled and all("view(" not in r["title"] for r in rows)
    assert not [n for r in rows for n in r["authors"] if "人民日报" in n or "版" in n or "记者" in n]
    assert any(r["kicker"] for r in rows) and any(r["subtitle"] for r in rows)


def test_gbk_site_reads_right(replica: ReplicaServer, replica_root: Path, fresh_lake: Path) -> None:
    raw = (replica_root / "zjrb/html/2023-05/25/node_A01.htm").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the replica's zjrb really is GBK
    run_day(site_settings(replica, fresh_lake, "zjrb", "zjrb/"), DAY)
    articles = read_day(open_store(str(fresh_lake)), "articles", "zjrb", DAY)
    assert articles is not None
    text = "".join(r["title"] + r["body"] for r in articles.to_pylist())
    assert "德清" in text and "\ufffd" not in text


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (dt.date(2023, 5, 21), "answered HTTP 404"),
        (dt.date(2023, 5, 27), "redirects to the issue of 2023-05-31"),
    ],
)
def test_gap_days_are_no_issue(replica: ReplicaServer, fresh_lake: Path, day: dt.date, reason: str) -> None:
    with pytest.raises(NoIssueError, match=reason):
        run_day(site_settings(replica, fresh_lake), day)
    assert not [r for r in replica.requests if r.status >= 500]


def test_calendar_without_the_date_is_no_issue(replica: ReplicaServer, fresh_lake: Path) -> None:
    with pytest.raises(NoIssueError, match=r"calendar .* does not list the date"):
        run_day(site_settings(replica, fresh_lake, "zjrb", "zjrb/"), dt.date(2023, 5, 26))
    assert [r.path for r in replica.requests] == ["/robots.txt", "/zjrb/html/2023-05/period.xml"]


def test_not_a_publication_weekday_asks_nothing(replica: ReplicaServer, fresh_lake: Path) -> None:
    import dataclasses

    settings = site_settings(replica, fresh_lake)
    site = dataclasses.replace(settings.paper.site, weekdays=(1, 2, 3, 4, 5))  # type: ignore[arg-type]
    settings = dataclasses.replace(settings, paper=dataclasses.replace(settings.paper, site=site))
    with pytest.raises(NoIssueError, match="not a publication day"):
        run_day(settings, dt.date(2023, 5, 20))  # a Saturday
    assert replica.requests == []


def test_forbidden_day_is_terminal_not_no_issue(replica: ReplicaServer, fresh_lake: Path) -> None:
    replica.inject(r"/25/node_1\.htm$", "403")
    with pytest.raises(TerminalError, match="HTTP 403") as info:
        run_day(site_settings(replica, fresh_lake), DAY)
    assert not isinstance(info.value, NoIssueError)
    assert len(replica.hits(r"/25/node_1\.htm$")) == 1  # a refusal is not retried
