"""Cross-page stitching: units on hand-made layouts, and a generated two-page PDF day run end to end into a lake."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.config import resolve_settings
from pipeline.daily import run_day
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.models import Article, PageLayout, Region
from pipeline.segment.stitch import stitch_articles
from tests.fixtures.make_pages import make_day

DAY = dt.date(2023, 5, 25)


def art(title: str, body: str, to: int | None = None, frm: int | None = None, page: int = 1) -> Article:
    return Article(title, None, None, ("张三",), body, to, frm, (Region(page, 0, 0, 10, 10),))


def test_jump_joined_with_its_continuation() -> None:
    p1 = PageLayout((art("甲新闻", "第一段", to=2), art("乙新闻", "乙")))
    p2 = PageLayout((art("丙新闻", "丙", page=2), art("甲新闻", "第二段", frm=1, page=2)))
    records = stitch_articles("dqnews", DAY, [(2, p2), (1, p1)])
    assert [r.title for r in records] == ["甲新闻", "乙新闻", "丙新闻"]
    story = records[0]
    assert story.pages == (1, 2)
    assert story.parts == ("dqnews-2023-05-25-a-p0001-i0001", "dqnews-2023-05-25-a-p0002-i0002")
    assert story.body == "第一段\n第二段"
    assert story.continues_to_page is None and story.continued_from_page is None
    assert [r.page for r in story.regions] == [1, 2]
    assert story.authors == ("张三",)


def test_best_title_match_wins_over_reading_order() -> None:
    p1 = PageLayout((art("县领导开展军事日活动", "a", to=2), art("数字乡村发展研讨会", "b", to=2)))
    p2 = PageLayout((art("数字乡村发展研讨会", "b2", frm=1, page=2), art("军事日活动", "a2", frm=1, page=2)))
    records = stitch_articles("dqnews", DAY, [(1, p1), (2, p2)])
    assert {r.title: r.body for r in records} == {
        "县领导开展军事日活动": "a\na2",
        "数字乡村发展研讨会": "b\nb2",
    }


def test_chain_over_three_pages_and_unresolved_jumps_kept() -> None:
    p1 = PageLayout((art("长文", "一", to=2), art("短文", "x", to=5)))
    p2 = PageLayout((art("长文", "二", to=3, frm=1, page=2),))
    p3 = PageLayout((art("长文", "三", frm=2, page=3), art("孤篇", "y", frm=7, page=3)))
    records = stitch_articles("dqnews", DAY, [(1, p1), (2, p2), (3, p3)])
    long = next(r for r in records if r.title == "长文")
    assert long.pages == (1, 2, 3) and long.body == "一\n二\n三"
    assert next(r for r in records if r.title == "短文").continues_to_page == 5
    assert next(r for r in records if r.title == "孤篇").continued_from_page == 7


def test_parts_pointing_at_each_other_lose_nothing() -> None:
    p1 = PageLayout((art("甲", "a", to=2, frm=2),))
    p2 = PageLayout((art("甲", "b", to=1, frm=1, page=2),))
    records = stitch_articles("dqnews", DAY, [(1, p1), (2, p2)])
    assert sorted(p for r in records for p in r.parts) == [
        "dqnews-2023-05-25-a-p0001-i0001",
        "dqnews-2023-05-25-a-p0002-i0001",
    ]


@pytest.fixture(scope="module")
def pdf_day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated two-page PDF day in a source folder, run into a fresh lake."""
    root = tmp_path_factory.mktemp("pdfday")
    source = root / "source"
    make_day(7, source / "dqnews" / DAY.isoformat())
    settings = resolve_settings(source=str(source), lake=str(root / "lake"), env={})
    run_day(settings, DAY)
    return source / "dqnews" / DAY.isoformat(), root / "lake"


def test_pdf_day_end_to_end_one_row_per_story(pdf_day: tuple[Path, Path]) -> None:
    folder, lake = pdf_day
    truth = [json.loads((folder / f"0{n}.json").read_text(encoding="utf-8")) for n in (1, 2)]
    jumped = {a["title"] for a in truth[0]["articles"] if a["continues_to_page"] == 2}
    table = read_day(open_store(str(lake)), "articles", "dqnews", DAY)
    assert table is not None
    rows = table.to_pylist()
    stitched = [r for r in rows if r["pages"] == [1, 2]]
    assert {r["title"].replace(" ", "") for r in stitched} == {t.replace(" ", "") for t in jumped}
    for row in stitched:
        assert len(row["parts"]) == 2 and row["parts"][0] == row["article_id"]
        assert row["parts"][1].startswith("dqnews-2023-05-25-a-p0002-i")
        assert row["continues_to_page"] is None and row["continued_from_page"] is None
        assert {g["page"] for g in row["regions"]} == {1, 2}
    pieces = sum(len(p["articles"]) for p in truth)
    assert len(rows) == pieces - len(jumped)  # one row per story: the continuation pieces are folded in


def test_pdf_day_stitched_body_is_both_parts(pdf_day: tuple[Path, Path]) -> None:
    folder, lake = pdf_day
    first = json.loads((folder / "01.json").read_text(encoding="utf-8"))["articles"]
    second = json.loads((folder / "02.json").read_text(encoding="utf-8"))["articles"]
    table = read_day(open_store(str(lake)), "articles", "dqnews", DAY)
    assert table is not None
    by_title = {r["title"].replace(" ", ""): r for r in table.to_pylist()}
    for part in (a for a in first if a["continues_to_page"] == 2):
        rest = next(
            b for b in second if b["continued_from_page"] == 1 and b["body"] and b["title"] in ("", part["title"])
        )
        row = by_title[part["title"].replace(" ", "")]
        assert row["body"].replace("\n", "").startswith(part["body"].replace("\n", "")[:40])
        assert rest["body"].replace("\n", "")[-20:] in row["body"].replace("\n", "")
