"""Search over the persisted index: ranking pinned by queries with the story each must rank first, over the real
sample day and three more days of short stories written for this test (the kind a county daily prints)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Settings
from pipeline.daily import run_day
from pipeline.lake.index import compact_index, fetch_index, local_path, segment_key, sync_index, words
from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import publish_day, read_day
from pipeline.models import ArticleRecord, IssueRecord, articles_table, issues_table
from pipeline.query.search import search
from tests.conftest import SAMPLE_DATE

# (day, title, body): invented stories, each about one thing, sharing the vocabulary of local news.
STORIES = [
    (
        "2023-05-26",
        "县图书馆推出夜间阅读服务",
        "本报讯 县图书馆从本周起延长开放时间，每晚开放至九点，市民下班后也能借书阅读。",
    ),
    (
        "2023-05-26",
        "莫干山民宿迎来旅游旺季",
        "随着气温升高，莫干山民宿入住率持续走高，周末房间基本订满，民宿主人忙着接待游客。",
    ),
    ("2023-05-26", "新市镇开展防汛应急演练", "为迎接梅雨季节，新市镇组织防汛应急演练，检验抢险队伍的快速反应能力。"),
    (
        "2023-05-27",
        "乡村振兴让农民钱袋子鼓起来",
        "今年以来，我县持续推进乡村振兴，发展特色农业和乡村旅游，农民收入稳步增长。",
    ),
    (
        "2023-05-27",
        "德清地理信息小镇再添新项目",
        "地理信息产业项目签约落户德清地理信息小镇，涉及卫星导航和遥感应用等领域。",
    ),
    (
        "2023-05-28",
        "县人民医院开通智慧医疗服务",
        "县人民医院上线智慧医疗平台，患者可在手机上预约挂号、查看检查报告，看病更方便。",
    ),
    ("2023-05-28", "下渚湖湿地观鸟季启幕", "下渚湖湿地迎来观鸟季，朱鹮等珍稀鸟类吸引了众多摄影爱好者前来观鸟。"),
    ("2023-05-28", "数字化改革赋能基层治理", "我县推进数字化改革，以数字技术赋能基层治理，群众办事少跑腿。"),
]

# query -> (day, title) of the story that must rank first.
RANKING = {
    "数字乡村": ("2023-05-25", "梳理德清模式 总结浙江经验"),
    "国防教育": ("2023-05-25", ""),
    "人才创业项目": ("2023-05-25", "4个高层次人才创业项目签约落户高新区"),
    "环浙工大创新经济圈": ("2023-05-25", "增强紧迫感 找准发力点"),
    "二季度经济运行": ("2023-05-25", "全力以赴稳经济 用心用情优服务"),
    "生态文明典范城市": ("2023-05-25", "张张叶子动起来 层层责任强落实"),
    "夜间阅读": ("2023-05-26", "县图书馆推出夜间阅读服务"),
    "民宿": ("2023-05-26", "莫干山民宿迎来旅游旺季"),
    "防汛演练": ("2023-05-26", "新市镇开展防汛应急演练"),
    "乡村振兴": ("2023-05-27", "乡村振兴让农民钱袋子鼓起来"),
    "地理信息": ("2023-05-27", "德清地理信息小镇再添新项目"),
    "智慧医疗": ("2023-05-28", "县人民医院开通智慧医疗服务"),
    "观鸟": ("2023-05-28", "下渚湖湿地观鸟季启幕"),
    "数字化改革": ("2023-05-28", "数字化改革赋能基层治理"),
}


def publish_stories(store: Store, stories: list[tuple[str, str, str]], run: str = "run-stories") -> None:
    """Publish the stories as days of one page each (through the lake's own publish), then index them."""
    by_day: dict[str, list[tuple[str, str]]] = {}
    for day, title, body in stories:
        by_day.setdefault(day, []).append((title, body))
    for day_s, items in by_day.items():
        day = dt.date.fromisoformat(day_s)
        records = [
            ArticleRecord(
                f"dqnews-{day_s}-a-p0001-i{i:04d}",
                "dqnews",
                day,
                1,
                (1,),
                i,
                None,
                title,
                None,
                (),
                body,
                None,
                None,
                (f"dqnews-{day_s}-a-p0001-i{i:04d}",),
            )
            for i, (title, body) in enumerate(items, start=1)
        ]
        issue = IssueRecord("dqnews", "德清新闻", day, 1, 0, len(records), "complete")
        tables = {"articles": articles_table(records), "issues": issues_table([issue])}
        publish_day(store, "dqnews", day, tables, run, words)
    sync_index(store)


@pytest.fixture
def archive(settings: Settings) -> Store:
    """The sample day archived for real, plus three days of the stories above."""
    run_day(settings, SAMPLE_DATE)
    store = open_store(settings.lake)
    publish_stories(store, STORIES)
    return store


def test_each_query_ranks_its_story_first(archive: Store) -> None:
    for query, (day, title) in RANKING.items():
        hits = search(archive, query, limit=3)
        assert hits, query
        assert (hits[0].issue_date, hits[0].title) == (day, title), (query, hits[:2])
        assert hits[0].score > (hits[1].score if len(hits) > 1 else 0), query


def test_ranking_holds_after_the_index_is_compacted(archive: Store) -> None:
    compact_index(archive)
    for query, (day, title) in RANKING.items():
        first = search(archive, query, limit=1)[0]
        assert (first.issue_date, first.title) == (day, title), query


def test_a_title_match_outranks_the_same_word_in_a_body(archive: Store) -> None:
    hits = search(archive, "民宿", limit=5)
    assert hits[0].title == "莫干山民宿迎来旅游旺季"
    assert "«民宿»" in hits[0].snippet


def test_filters_by_date_and_paper(archive: Store) -> None:
    hits = search(archive, "数字", limit=10)
    assert {h.issue_date for h in hits} == {"2023-05-25", "2023-05-28"}
    only = search(archive, "数字", limit=10, date_from=dt.date(2023, 5, 26))
    assert {h.issue_date for h in only} == {"2023-05-28"}
    assert search(archive, "数字", limit=10, date_to=dt.date(2023, 5, 25))[0].issue_date == "2023-05-25"
    assert search(archive, "数字", paper="other") == []


def test_search_reads_the_index_only(archive: Store, settings: Settings) -> None:
    """The index answers alone: with the tables gone, search still finds (it never tokenises the archive)."""
    import shutil

    for table in ("articles", "pages", "issues"):
        shutil.rmtree(Path(settings.lake) / table)
    assert search(archive, "观鸟", limit=1)[0].title == "下渚湖湿地观鸟季启幕"


def test_the_index_follows_a_rerun_and_a_withdrawn_day(archive: Store) -> None:
    day = dt.date(2023, 5, 26)
    replaced = [("2023-05-26", "县图书馆举办读书节", "县图书馆举办全民读书节，开展亲子共读活动。")]
    publish_stories(archive, replaced, run="run-2")
    assert search(archive, "民宿", limit=3) == [] or search(archive, "民宿", limit=3)[0].issue_date != "2023-05-26"
    assert search(archive, "读书节", limit=1)[0].issue_date == "2023-05-26"
    con = duckdb.connect(str(local_path(archive, segment_key("dqnews", 2023))), read_only=True)
    assert con.execute("SELECT run_id FROM days WHERE issue_date = ?", [day]).fetchall() == [("run-2",)]
    con.close()
    issue = read_day(archive, "issues", "dqnews", day)
    assert issue is not None
    publish_day(archive, "dqnews", day, {"issues": issues_table([])}, "run-3")  # the day withdrawn
    report = sync_index(archive)
    assert report.dropped == 1
    assert search(archive, "读书节") == []


def test_index_is_a_file_per_year_beside_the_lake(archive: Store, settings: Settings) -> None:
    assert sorted(p.name for p in (Path(settings.lake) / "_search").glob("*.duckdb")) == ["dqnews-2023.duckdb"]
    assert sync_index(archive).added == 0  # in step already: nothing to do


def test_search_ranks_across_year_segments(archive: Store, settings: Settings) -> None:
    publish_stories(archive, [("2022-12-30", "年终盘点观鸟季", "回顾一年的湿地观鸟活动。")], run="run-2022")
    names = sorted(p.name for p in (Path(settings.lake) / "_search").glob("*.duckdb"))
    assert names == ["dqnews-2022.duckdb", "dqnews-2023.duckdb"]
    hits = search(archive, "观鸟", limit=5)
    assert {h.issue_date for h in hits} == {"2022-12-30", "2023-05-28"}
    assert search(archive, "观鸟", limit=5, date_to=dt.date(2022, 12, 31))[0].issue_date == "2022-12-30"


def test_cli_search_json_is_one_array_and_table_shows_date_page_title(
    runner: CliRunner, archive: Store, settings: Settings
) -> None:
    result = runner.invoke(app, ["search", "智慧医疗", "--lake", settings.lake, "--format", "json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and len(hits) <= 2
    assert hits[0]["title"] == "县人民医院开通智慧医疗服务" and hits[0]["page"] == 1
    table = runner.invoke(app, ["search", "智慧医疗", "--lake", settings.lake, "--from", "2023-05-28"])
    assert table.exit_code == 0
    assert "2023-05-28 p1" in table.stdout and "«智慧医疗»" in table.stdout
    bad = runner.invoke(app, ["search", "智慧医疗", "--lake", settings.lake, "--from", "28/05/2023"])
    assert bad.exit_code == 2


def test_search_on_s3_checks_its_cached_segments_with_one_listing(
    s3_environ: dict[str, str], s3_lake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the real SeaweedFS: a search lists `_search/` once, however many years; it downloads a segment only
    when its remote copy changed (first use, or another process published into that year)."""
    monkeypatch.setenv("EPAPER_CACHE", str(tmp_path / "cache"))
    store = open_store(s3_lake)
    days = ["2020-06-01", "2021-06-01", "2022-06-01", "2023-05-28"]
    publish_stories(store, [(d, f"{d[:4]}年湿地观鸟季", f"{d[:4]}年湿地观鸟活动回顾。") for d in days])
    calls: dict[str, list[str]] = {"stamps": [], "read_bytes": []}
    for name in calls:
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda key, _real=real, _name=name: calls[_name].append(key) or _real(key))

    assert len(search(store, "观鸟", limit=10)) == 4
    assert calls["stamps"] == ["_search"]  # one listing, no HEAD per year
    assert calls["read_bytes"] == []  # the publishing process left its uploads in this cache

    other = tmp_path / "other-cache"  # another machine: everything is downloaded once, then reused
    monkeypatch.setenv("EPAPER_CACHE", str(other))
    search(store, "观鸟")
    assert sorted(calls["read_bytes"]) == [segment_key("dqnews", y) for y in (2020, 2021, 2022, 2023)]
    calls["stamps"].clear()
    calls["read_bytes"].clear()
    search(store, "湿地")
    assert (calls["stamps"], calls["read_bytes"]) == (["_search"], [])

    monkeypatch.setenv("EPAPER_CACHE", str(tmp_path / "cache"))  # a publisher elsewhere updates 2021 only
    publish_stories(open_store(s3_lake), [("2021-07-01", "夏季观鸟", "湿地观鸟夏季专场。")], run="run-2021b")
    monkeypatch.setenv("EPAPER_CACHE", str(other))
    calls["read_bytes"].clear()
    hits = search(store, "观鸟", limit=10)
    assert calls["read_bytes"] == [segment_key("dqnews", 2021)]
    assert "2021-07-01" in {h.issue_date for h in hits}


def _hits(store: Store, query: str) -> list[tuple[str, str, float]]:
    return [(h.issue_date, h.title, h.score) for h in search(store, query, limit=10)]


def test_closed_years_are_searched_through_one_span_while_their_segments_are_unchanged(
    archive: Store, settings: Settings
) -> None:
    years = [("2020-06-01", "湿地观鸟季开幕"), ("2021-06-01", "观鸟爱好者聚会"), ("2022-06-01", "观鸟步道建成")]
    publish_stories(archive, [(d, t, f"{t}，湿地观鸟活动吸引市民。") for d, t in years], run="run-old")
    before = {q: _hits(archive, q) for q in ("观鸟", "湿地", "智慧医疗")}
    folder = Path(settings.lake) / "_search"

    compact_index(archive, closed_before=2023)
    spans = sorted(p.name for p in folder.glob("*.span.duckdb"))
    assert len(spans) == 1 and spans[0].startswith("dqnews-2020-2022-")
    assert [p.name for p in fetch_index(archive)] == [spans[0], "dqnews-2023.duckdb"]  # one file for 2020-2022
    assert {q: _hits(archive, q) for q in before} == before  # the same hits, scores and order
    con = duckdb.connect(str(folder / spans[0]), read_only=True)
    for y in (2020, 2021, 2022):
        con.execute(f"ATTACH '{folder / f'dqnews-{y}.duckdb'}' AS y{y} (READ_ONLY)")
    years_rows = " UNION ALL ".join(f"SELECT term, tf FROM y{y}.postings" for y in (2020, 2021, 2022))
    assert con.execute(f"SELECT term, tf FROM postings EXCEPT ALL ({years_rows})").fetchall() == []
    assert con.execute(f"({years_rows}) EXCEPT ALL SELECT term, tf FROM postings").fetchall() == []
    order = "SELECT bool_and(term >= prev) FROM (SELECT term, lag(term) OVER (ORDER BY rowid) AS prev FROM postings)"
    assert con.execute(order).fetchone() == (True,)  # sorted by word across the years (word ranges in turn)
    con.close()

    stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.duckdb")}
    compact_index(archive, closed_before=2023)  # nothing changed: nothing rewritten, the span kept
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.duckdb")} == stamps

    # a re-run of an old day rewrites its year segment only: the span no longer stands for it
    publish_stories(archive, [("2021-06-01", "观鸟爱好者改期聚会", "聚会改到秋季。")], run="run-2021b")
    assert spans[0] in {p.name for p in folder.glob("*.span.duckdb")}
    assert all(not p.name.endswith(".span.duckdb") for p in fetch_index(archive))
    titles = {t for _, t, _ in _hits(archive, "观鸟")}
    assert "观鸟爱好者改期聚会" in titles and "观鸟爱好者聚会" not in titles

    compact_index(archive, closed_before=2023)  # a new span, the stale one deleted
    new = sorted(p.name for p in folder.glob("*.span.duckdb"))
    assert len(new) == 1 and new != spans and new[0] in {p.name for p in fetch_index(archive)}
    assert {t for _, t, _ in _hits(archive, "观鸟")} == titles


def test_read_plan_takes_a_span_only_for_the_segments_it_was_built_from() -> None:
    from pipeline.lake.index import _signature, read_plan, span_key

    years = {segment_key("dqnews", y): f'[{y}, "t"]' for y in (2020, 2021, 2022, 2023)}
    covered = {segment_key("dqnews", y) for y in (2020, 2021, 2022)}
    span = span_key("dqnews", 2020, 2022, _signature(years, covered))
    assert read_plan({**years, span: "s"}) == sorted([segment_key("dqnews", 2023), span])
    changed = {**years, segment_key("dqnews", 2021): '[2021, "t2"]'}
    assert read_plan({**changed, span: "s"}) == sorted(changed)  # a year rewritten since: the segments again
    added = {**years, segment_key("dqnews", 2019): '[2019, "t"]'}
    assert span in read_plan({**added, span: "s"})  # a year outside the span does not matter
    inside = {**years, segment_key("zjrb", 2021): '[1, "t"]'}
    assert span in read_plan({**inside, span: "s"})  # nor another paper's year


def test_a_span_on_s3_is_one_download_for_its_closed_years(
    s3_environ: dict[str, str], s3_lake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the real SeaweedFS: after compaction another machine downloads the span and the open year, not each
    closed year, and finds the same hits."""
    monkeypatch.setenv("EPAPER_CACHE", str(tmp_path / "cache"))
    store = open_store(s3_lake)
    days = ["2020-06-01", "2021-06-01", "2022-06-01", "2023-05-28"]
    publish_stories(store, [(d, f"{d[:4]}年湿地观鸟季", f"{d[:4]}年湿地观鸟活动回顾。") for d in days])
    before = _hits(store, "观鸟")
    compact_index(store, closed_before=2023)
    monkeypatch.setenv("EPAPER_CACHE", str(tmp_path / "other-cache"))
    reads: list[str] = []
    real = store.read_bytes
    monkeypatch.setattr(store, "read_bytes", lambda key: reads.append(key) or real(key))
    assert _hits(store, "观鸟") == before
    assert len(reads) == 2 and reads[1] == segment_key("dqnews", 2023)
    assert reads[0].startswith("_search/dqnews-2020-2022-") and reads[0].endswith(".span.duckdb")
