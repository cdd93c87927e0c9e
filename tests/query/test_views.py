"""Every view of `sql/`, queried over the real Delta tables a real run wrote."""

from __future__ import annotations

import pytest

from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.query.views import connect, view_files
from tests.conftest import SAMPLE_DATE


@pytest.mark.parametrize("view", [p.stem for p in view_files()])
def test_every_view_answers_over_real_delta_tables(settings: Settings, view: str) -> None:
    run_day(settings, SAMPLE_DATE)
    con = connect(settings.lake)
    count = con.execute(f"SELECT count(*) FROM {view}").fetchone()
    assert count is not None and count[0] >= (0 if view == "fetches" else 1)  # a folder answers no HTTP


def test_views_expose_what_researchers_ask_for(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    con = connect(settings.lake)
    assert con.execute("SELECT status, n_pages, n_articles, paper_name FROM issues").fetchall() == [
        ("complete", 1, 6, "德清新闻")
    ]
    assert con.execute("SELECT page, status, fragments FROM pages").fetchall() == [(1, "ok", ["看看拼抢热潮"])]
    by_author = dict(con.execute("SELECT author, count(*) FROM authors GROUP BY author").fetchall())
    assert by_author["姚海翔"] == 3 and by_author["董华"] == 2
    counts = con.execute("SELECT untitled, without_byline FROM daily_counts").fetchone()
    assert counts == (1, 0)
