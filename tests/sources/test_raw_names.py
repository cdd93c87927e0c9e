"""Names from a site never leave the raw folder; a page's declared charset may lie."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.config import load_profile
from pipeline.extract.site import decode, parse_article, parse_index
from pipeline.lake.tables import part_key
from pipeline.sources.site import safe_name

DAY = dt.date(2023, 5, 25)


@pytest.mark.parametrize(
    "url",
    [
        "http://x/html/../../../etc/passwd",
        "http://x/html/%2e%2e/%2e%2e/secret",
        "http://x/html/%252e%252e%252fsecret",
        "http://x/html/..\\..\\windows\\system.ini",
        "http://x/html/.hidden",
        "http://x/",
        "http://x/html/..",
        "http://x/a/%2F%2Fetc%2Fshadow",
    ],
)
def test_safe_name_is_one_plain_file_name(url: str) -> None:
    name = safe_name(url, "article.htm")
    assert name and "/" not in name and "\\" not in name and not name.startswith(".") and ".." not in name
    key = part_key("dqnews", DAY, 1, name)  # the lake accepts it ...
    assert key.startswith("raw/dqnews/2023-05-25/01/") and key.count("/") == 4


@pytest.mark.parametrize("name", ["../x", "a/b", "..", ".x", "a\\b", "", "x/../../y"])
def test_the_lake_refuses_unsafe_names(name: str) -> None:
    with pytest.raises(ValueError, match="not a safe raw object name"):
        part_key("dqnews", DAY, 1, name)


def test_a_page_declaring_one_charset_and_being_another_reads_right() -> None:
    era = load_profile("dqnews").site.era(DAY)  # type: ignore[union-attr]
    html = (
        '<html><head><meta charset="gb2312"></head><body><div class="main-article-title">德清召开数字乡村研讨会</div>'
        '<div id="ozoom"><p>　　本报讯 5月24日，研讨会召开。</p></div></body></html>'
    )
    marked, _ = parse_article(html.encode("utf-8"), era, "text/html; charset=gb2312")  # says GB2312, is UTF-8
    assert marked is not None and marked.title == "德清召开数字乡村研讨会"
    as_gbk = html.replace("gb2312", "utf-8").encode("gbk")  # says UTF-8, is GBK
    marked, _ = parse_article(as_gbk, era, "text/html; charset=utf-8")
    assert marked is not None and marked.title == "德清召开数字乡村研讨会"
    assert decode("㐀".encode("gb18030"), "text/html; charset=gbk") == "㐀"  # beyond GBK: read as GB18030


def test_index_markup_quirks() -> None:
    """Same id on every page link, unquoted and upper-case attributes, `../../../` links, script-written link
    texts, editor credits listed like articles."""
    era = load_profile("rmrb").site.era(dt.date(2018, 11, 20))  # type: ignore[union-attr]
    html = b"""<html><body><div class="ban"><MAP NAME=PagePicMap><Area coords="3,29,252,29,252,392,3,392"
    shape="polygon" href="./nw.D110000renmrb_20181120_1-07.htm"></MAP><IMG width=400 height=575 src=../../../page/x_b.jpg
    USEMAP=#PagePicMap></div><div class="ban_t"><ul><li>07\xe7\x89\x88:\xe7\x90\x86\xe8\xae\xba &nbsp;<A HREF=../../../page/2018-11/20/07/rmrb2018112007.pdf>
    <IMG src="x.gif"></A> PDF</li></ul></div><div id="titleList"><ul><li><a href=nw.D110000renmrb_20181120_1-07.htm>
    <script>document.write(view("\xe4\xbb\xa5\xe7\xa7\x91\xe5\xad\xa6\xe6\x80\x9d\xe6\x83\xb3  "))</script></a></li>
    <li><a href=nw.D110000renmrb_20181120_9-07.htm>\xe6\x9c\xac\xe7\x89\x88\xe8\xb4\xa3\xe7\xbc\x96\xef\xbc\x9a\xe7\x8e\x8b\xe6\xb4\x81</a></li></ul></div>
    <div id="pageList"><ul><li><a id=pageLink href=nbs.D110000renmrb_01.htm>\xe7\xac\xac01\xe7\x89\x88\xef\xbc\x9a\xe8\xa6\x81\xe9\x97\xbb</a></li>
    <li><a id=pageLink href=./nbs.D110000renmrb_07.htm>\xe7\xac\xac07\xe7\x89\x88\xef\xbc\x9a\xe7\x90\x86\xe8\xae\xba</a></li></ul></div></body></html>"""
    url = "http://paper.example/rmrb/html/2018-11/20/nbs.D110000renmrb_07.htm"
    index = parse_index(html, url, era)
    assert (index.number, index.name) == (7, "理论")
    assert index.pdf_url == "http://paper.example/rmrb/page/2018-11/20/07/rmrb2018112007.pdf"
    assert [p.text for p in index.pages] == ["第01版：要闻", "第07版：理论"]
    assert index.articles[0].text == "以科学思想" and index.image_size == (400.0, 575.0)
    assert index.article_urls() == ["http://paper.example/rmrb/html/2018-11/20/nw.D110000renmrb_20181120_1-07.htm"]
    assert index.hotspots[0].bbox() == (3.0, 29.0, 252.0, 392.0)


def test_a_two_character_name_padded_to_three_is_one_name() -> None:
    from pipeline.models import HtmlArticle
    from pipeline.segment.html import html_article

    article = html_article(HtmlArticle(None, "题", None, "韩\u3000冰 记者 王 洁 张三丰", ("正文。",)))
    assert article is not None and article.authors == ("韩冰", "王洁", "张三丰")
