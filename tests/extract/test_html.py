"""The e-paper's HTML as a page form: the reader (profile selectors), the local source's companions, and the
PDF-vs-HTML agreement that the daily quality check enforces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.checks.agreement import page_agreement
from pipeline.checks.quality import QualityError, check_day
from pipeline.cli import app
from pipeline.config import resolve_settings
from pipeline.daily import run_day
from pipeline.errors import PageError
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.models import Article
from pipeline.pages import html_layout, page_layout
from pipeline.sources.local import LocalFolderSource
from tests.fixtures.make_pages import DEFAULT_DATE, html_page, make_day, write_html

DAY = DEFAULT_DATE
FOUNDER = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<article>
 <founder-introtitle>敖煜新在调研时强调</founder-introtitle>
 <founder-title>全力以赴稳经济<br>用心用情优服务</founder-title>
 <founder-subtitle>——推动全县经济运行持续向好</founder-subtitle>
 <founder-author>记者 董华 姚海翔</founder-author>
 <founder-content>
  <p>　　昨天上午，县委书记敖煜新带队走访企业、
  项目，调研二季度经济运行情况。</p>
  <p>　　敖煜新一行先后来到<b>浙江德清</b>华丝纺织有限公司等企业。<br>　　他强调，要全力以赴稳经济。</p>
  <p>　　（下转第2版）</p>
 </founder-content>
</article>
<article><founder-title>简讯</founder-title><founder-content><p>　　本报讯（记者 沈烨冰）5月24日，研讨会召开。</p></founder-content></article>
<article><founder-title>只有标题</founder-title><founder-content></founder-content></article>
</body></html>"""


def test_founder_markup_read_into_articles() -> None:
    layout = html_layout(FOUNDER.encode("gbk"), "dqnews", DAY, 1)
    first, second = layout.articles  # the element without a body is not an article
    assert first.kicker == "敖煜新在调研时强调"
    assert first.title == "全力以赴稳经济 用心用情优服务"  # a line break in the title reads as one space
    assert first.subtitle == "推动全县经济运行持续向好"  # the dash is print decoration
    assert first.authors == ("董华", "姚海翔")
    assert first.body.split("\n") == [
        "昨天上午，县委书记敖煜新带队走访企业、 项目，调研二季度经济运行情况。",
        "敖煜新一行先后来到浙江德清华丝纺织有限公司等企业。",
        "他强调，要全力以赴稳经济。",
    ]
    assert first.continues_to_page == 2 and first.regions == ()
    assert second.authors == ("沈烨冰",) and second.body == "5月24日，研讨会召开。"


def test_selectors_come_from_the_profile() -> None:
    profile = resolve_settings().paper
    assert profile.html.title == "founder-title" and profile.html.article == "article"
    assert 0.5 <= profile.min_html_agreement <= 1.0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body><p>\xe6\x96\x87\xe5\xad\x97</p></body></html>", "no article in the HTML"),
        (b"\xff\xfe\x00\x01" * 64, "not decodable"),
        (b"<html><head><meta charset='utf-8'></head><body><article>\xff\xfe</article>", "not decodable"),
    ],
)
def test_html_that_is_not_a_page_of_the_family_is_a_page_error(data: bytes, reason: str) -> None:
    with pytest.raises(PageError) as err:
        page_layout(data, "html", "dqnews", DAY, 3)
    assert "paper dqnews, date 2023-05-25, page 3" in err.value.describe() and reason in err.value.reason


def test_agreement_measures_what_a_reader_would_see() -> None:
    a = Article("稳经济", None, None, (), "昨天上午，县委书记带队走访企业，调研二季度经济运行情况。")
    b = Article("研讨会", None, None, (), "数字乡村发展研讨会暨浙江省信息化智库联盟专家行在我县召开。")
    assert page_agreement([a, b], [b, a]) == 1.0  # order does not matter
    assert page_agreement([], []) == 1.0
    merged = Article("稳经济", None, None, (), a.body + b.body)
    assert 0.5 < page_agreement([merged], [a, b]) < 0.9  # two stories run together
    assert page_agreement([a], [a, b]) < 0.9  # a story missed
    assert page_agreement([a], [b]) < 0.2
    rewrapped = Article("稳经济", None, None, (), a.body.replace("，", "，\n"))
    assert page_agreement([rewrapped], [a]) == 1.0  # line breaks and punctuation do not count


def test_local_source_pairs_a_pdf_with_its_html(tmp_path: Path) -> None:
    day = tmp_path / "dqnews" / DAY.isoformat()
    first, second = make_day(5, day)
    write_html(first)
    (day / "03.htm").write_bytes(html_page(json.loads(second.with_suffix(".json").read_text(encoding="utf-8"))))
    refs = LocalFolderSource(tmp_path).list_pages("dqnews", DAY)
    assert [(r.page, r.kind, r.html_location is not None) for r in refs] == [
        (1, "pdf", True),
        (2, "pdf", False),
        (3, "html", False),  # an HTML-only page is read from its HTML
    ]


def test_day_with_html_records_agreement_and_the_check_names_the_page_that_disagrees(tmp_path: Path) -> None:
    day = tmp_path / "src" / "dqnews" / DAY.isoformat()
    first, second = make_day(8, day)
    write_html(first, "gbk")
    swapped = json.loads(first.with_suffix(".json").read_text(encoding="utf-8"))
    second.with_suffix(".html").write_bytes(html_page(swapped))
    settings = resolve_settings(source=str(tmp_path / "src"), lake=str(tmp_path / "lake"))
    run_day(settings, DAY)
    pages = read_day(open_store(settings.lake), "pages", "dqnews", DAY)
    assert pages is not None
    scores = {r["page"]: r["html_agreement"] for r in pages.to_pylist()}
    assert scores[1] >= 0.95 and scores[2] < 0.5
    with pytest.raises(QualityError) as err:
        check_day(settings, DAY)
    assert len(err.value.problems) == 1 and err.value.problems[0].startswith("page 2: PDF and HTML agree 0.")
    assert (tmp_path / "lake" / "raw" / "dqnews" / DAY.isoformat() / "01.html").is_file()

    write_html(second)  # the right HTML: the re-run replaces the day and the check passes
    run_day(settings, DAY)
    assert check_day(settings, DAY).n_pages_checked == 2


def test_segment_cli_reads_an_html_page(tmp_path: Path, runner: CliRunner) -> None:
    page = tmp_path / "01.htm"
    page.write_bytes(FOUNDER.encode("gb18030"))
    result = runner.invoke(app, ["segment", str(page), "--issue-date", "2023-05-25", "--page", "1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in rows] == ["全力以赴稳经济 用心用情优服务", "简讯"]
    assert rows[0]["authors"] == ["董华", "姚海翔"] and rows[0]["continues_to_page"] == 2


def test_unreadable_html_companion_is_reported_not_fatal(tmp_path: Path) -> None:
    day = tmp_path / "src" / "dqnews" / DAY.isoformat()
    first, _ = make_day(9, day, n_pages=2)
    first.with_suffix(".html").write_bytes(b"<html><body>nothing here</body></html>")
    settings = resolve_settings(source=str(tmp_path / "src"), lake=str(tmp_path / "lake"))
    summary = run_day(settings, DAY)
    assert summary.complete
    with pytest.raises(QualityError) as err:
        check_day(settings, DAY)
    assert err.value.problems == [
        "page 1: HTML companion unreadable: no article in the HTML (no 'article' element with a body)"
    ]


def test_valid_utf8_wins_over_a_stale_charset_declaration() -> None:
    page = FOUNDER.replace("charset=gb2312", "charset=gbk").encode("utf-8")  # re-encoded, meta not updated
    (first, _) = html_layout(b"\xef\xbb\xbf" + page, "dqnews", DAY, 1).articles
    assert first.title == "全力以赴稳经济 用心用情优服务"
