"""The site path against the local-folder path on the same pages, and what the two readings of each page agree on.

Renders the replica site (not timed), serves it on 127.0.0.1, then archives dqnews 2023-05-20..2023-05-31 twice
into fresh lakes (one pass each, back to back):

- site: `run_day` from the replica with no interval between requests (so the figure is the fetcher's own cost:
  HTTP, raw objects, article pages parsed, PDF segmented and compared); the production politeness (1 s between
  request starts) would add about one second per request, printed as an estimate;
- reference: the same days' page PDFs copied into a local source folder, read by `run_day` from there.

Then prints, per family of the replica (dqnews classic, zjrb classic/GBK, rmrb pc and nbs), the pages' comparison
figures: matched articles, title agreement, body similarity, hotspot overlap, HTML-vs-PDF agreement.

Run: .venv/bin/python bench/site.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import Settings, resolve_settings
from pipeline.daily import run_day
from pipeline.errors import NoIssueError
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.sources.replica.render import render_site
from pipeline.sources.replica.server import ReplicaServer

DAYS = [dt.date(2023, 5, 20) + dt.timedelta(days=i) for i in range(12)]
FAMILIES = [
    ("dqnews", "", DAYS, "classic (zjol markup)"),
    ("zjrb", "zjrb/", [dt.date(2023, 5, 25)], "classic (tables, GBK)"),
    ("rmrb", "rmrb/", [dt.date(2024, 12, 25)], "pc"),
    ("rmrb", "rmrb/", [dt.date(2018, 11, 20)], "nbs"),
]


def fast(settings: Settings) -> Settings:
    site = settings.paper.site
    assert site is not None
    site = dataclasses.replace(site, politeness=dataclasses.replace(site.politeness, min_interval=0.0))
    return dataclasses.replace(settings, paper=dataclasses.replace(settings.paper, site=site))


def archive(settings: Settings, days: list[dt.date]) -> tuple[float, int]:
    """Seconds to archive `days`, and how many had an issue."""
    t0, n = time.perf_counter(), 0
    for day in days:
        try:
            run_day(settings, day)
            n += 1
        except NoIssueError:
            pass
    return time.perf_counter() - t0, n


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    root = render_site(work / "site")
    with ReplicaServer(root) as server:
        site = fast(resolve_settings("dqnews", f"site:{server.url}", str(work / "lake-site"), env={}))
        t_site, n_days = archive(site, DAYS)
        n_requests = len(server.requests)
        # The reference reads the very PDFs the site run archived, from a folder.
        folder = work / "source" / "dqnews"
        for raw in open_store(site.lake).list("raw/dqnews"):
            if raw.endswith(".pdf") and raw.count("/") == 3:
                target = folder / raw.split("/")[2] / raw.rsplit("/", 1)[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(open_store(site.lake).read_bytes(raw))
        local = resolve_settings("dqnews", str(work / "source"), str(work / "lake-local"), env={})
        t_local, _ = archive(local, DAYS)
        print(f"dqnews {DAYS[0]}..{DAYS[-1]}: {n_days} issues, {n_requests} requests")
        print(f"  site (no interval)    {t_site:6.2f} s  {t_site / n_days:5.2f} s/day")
        print(
            f"  reference (folder)    {t_local:6.2f} s  {t_local / n_days:5.2f} s/day   site/reference {t_site / t_local:4.2f}x"
        )
        print(f"  with 1 s between requests, about {n_requests / n_days:.0f} s/day more ({n_requests} requests)")
        print()
        print(
            f"{'family':24} {'pages':>5} {'html':>5} {'pdf':>5} {'match':>5} {'titles':>6} {'bodies':>6} {'hotspot':>7} {'agree':>6}"
        )
        for paper, prefix, days, label in FAMILIES:
            settings = fast(resolve_settings(paper, f"site:{server.url}{prefix}", str(work / f"lake-{paper}"), env={}))
            archive(settings, days)
            rows = [
                r for d in days if (t := read_day(open_store(settings.lake), "pages", paper, d)) for r in t.to_pylist()
            ]
            n = len(rows)

            def mean(key: str, rows: list[dict[str, object]] = rows) -> float:
                values = [float(str(r[key])) for r in rows if r[key] is not None]
                return sum(values) / len(values) if values else float("nan")

            total = lambda key, rows=rows: sum(int(str(r[key] or 0)) for r in rows)  # noqa: E731
            print(
                f"{label:24} {n:5d} {total('html_articles'):5d} {total('pdf_articles'):5d} {total('matched_articles'):5d}"
                f" {mean('title_agreement'):6.3f} {mean('body_similarity'):6.3f} {mean('hotspot_overlap'):7.3f}"
                f" {mean('html_agreement'):6.3f}"
            )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
