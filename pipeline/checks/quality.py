"""Data-quality checks on a published day, read back from the lake (what readers will see, not what was meant).

`check_day` is pure apart from reading the day's partitions through `pipeline.lake.tables.read_day`. It returns a small
`QualityReport` when every check passes and raises `QualityError` listing every problem found otherwise:

- the day has `issues`, `pages` and `articles` partitions;
- each page segmented without error (`status == "ok"`) has a number of articles within the profile's
  `min_articles_per_page`..`max_articles_per_page` (pages that failed are already flagged and reported by
  publishing, so they are not counted twice here);
- no article has an empty (blank) body;
- no `article_id` appears twice;
- each page read from PDF (or text) that has the e-paper's HTML beside it agrees with that HTML at least
  `min_html_agreement` (`pages.html_agreement`, see `pipeline.checks.agreement`), and its HTML could be read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from pipeline.config import Settings
from pipeline.errors import TerminalError
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.models import PAGE_OK


class QualityError(TerminalError):
    """A published day failed its data-quality checks; `problems` lists each failure in words."""

    def __init__(self, paper: str, issue_date: dt.date, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(paper, issue_date, None, "quality checks failed: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class QualityReport:
    """What was checked on a day that passed (small: fit for XCom)."""

    paper: str
    issue_date: dt.date
    n_pages_checked: int
    n_articles: int

    def to_xcom(self) -> dict[str, object]:
        return {
            "paper": self.paper,
            "issue_date": self.issue_date.isoformat(),
            "n_pages_checked": self.n_pages_checked,
            "n_articles": self.n_articles,
        }


def check_day(settings: Settings, issue_date: dt.date) -> QualityReport:
    """Check one published day of `settings.paper` in `settings.lake`; raises `QualityError` naming every problem."""
    paper = settings.paper.paper_id
    store = open_store(settings.lake)
    tables = {name: read_day(store, name, paper, issue_date) for name in ("issues", "pages", "articles")}
    missing = [name for name, table in tables.items() if table is None]
    if missing:
        raise QualityError(paper, issue_date, [f"no {', '.join(missing)} partition(s) for the day"])
    pages, articles = tables["pages"], tables["articles"]
    assert pages is not None and articles is not None
    problems = [
        *_page_bounds(pages.to_pylist(), settings.paper.min_articles_per_page, settings.paper.max_articles_per_page),
        *_empty_bodies(articles.to_pylist()),
        *_duplicate_ids(articles.column("article_id").to_pylist()),
        *_html_agreement(pages.to_pylist(), settings.paper.min_html_agreement),
    ]
    if problems:
        raise QualityError(paper, issue_date, problems)
    n_ok = sum(1 for row in pages.to_pylist() if row["status"] == PAGE_OK)
    return QualityReport(paper, issue_date, n_ok, articles.num_rows)


def _page_bounds(pages: list[dict[str, object]], low: int, high: int) -> list[str]:
    out = []
    for row in pages:
        n = int(str(row["n_articles"] or 0))
        if row["status"] == PAGE_OK and not low <= n <= high:
            out.append(f"page {row['page']} has {n} article(s), outside {low}..{high}")
    return out


def _empty_bodies(articles: list[dict[str, object]]) -> list[str]:
    empty = [str(a["article_id"]) for a in articles if not str(a["body"] or "").strip()]
    return [f"{len(empty)} article(s) with an empty body: {', '.join(empty[:5])}"] if empty else []


def _duplicate_ids(ids: list[str]) -> list[str]:
    dups = sorted(i for i, n in Counter(ids).items() if n > 1)
    return [f"duplicate article_id(s): {', '.join(dups[:5])}"] if dups else []


def _html_agreement(pages: list[dict[str, object]], threshold: float) -> list[str]:
    out = []
    for row in pages:
        if row["status"] != PAGE_OK:
            continue
        score = row.get("html_agreement")
        if isinstance(score, float) and score < threshold:
            out.append(f"page {row['page']}: PDF and HTML agree {score:.2f}, below {threshold:.2f}")
        elif str(row.get("error") or "").startswith("HTML"):
            out.append(f"page {row['page']}: {row['error']}")
    return out
