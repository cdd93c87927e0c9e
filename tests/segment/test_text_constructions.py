"""The text path on dumps of pages built the other way: fake bold emitted as overlapping lines, bylines broken
over two lines, paragraphs marked by ideographic spaces; on hand-written dumps and on PyMuPDF's text of pages of
the second generator."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf

from pipeline.segment.text import segment_text
from pipeline.segment.text.lines import read_lines
from tests.fixtures.make_pages2 import make_page2

BODY = [
    "昨天上午，县委书记敖煜新带队走访企",
    "业、项目，调研二季度经济运行情况。",
    "\u3000\u3000敖煜新一行先后来到浙江德清华丝纺",
    "织有限公司等企业，详细了解生产运营。",
]


def test_fake_bold_as_overlapping_lines_is_one_bold_line() -> None:
    """`A` / `A B` / `B`: the copy of a fake-bold title cut into other runs than the original comes out as
    overlapping lines; they read as one bold line."""
    lines = read_lines("\n".join(["新使命", "新使命：中国共产党的历史担当", "中国共产党的历史担当", *BODY]))
    assert lines[0].text == "新使命：中国共产党的历史担当" and lines[0].bold
    assert not any(x.text in ("新使命", "中国共产党的历史担当") for x in lines)


def test_broken_bylines_and_ideographic_paragraphs() -> None:
    """`　　本报记者` / `董华 姚海翔` is one byline; a line opened by ideographic spaces opens a paragraph."""
    dump = "\n".join(["全力以赴稳经济 用心用情优服务", "\u3000\u3000本报记者", "董华 姚海翔", *BODY])
    (article,) = segment_text(dump).articles
    assert article.title == "全力以赴稳经济 用心用情优服务"
    assert list(article.authors) == ["董华", "姚海翔"]
    assert article.body.split("\n")[1].startswith("敖煜新一行先后来到")


def test_dumps_of_second_generator_pages_keep_bylines(tmp_path: Path) -> None:
    """PyMuPDF's text of pages in stream order with bylines in body type (indented or not, broken or not): the
    authors are found for most stories."""
    found = total = 0
    for seed in range(50_000, 50_040):
        pdf = make_page2(seed, tmp_path / f"{seed}.pdf")
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        if "order=natural" not in truth["constructions"]:
            continue
        with pymupdf.open(pdf) as doc:
            layout = segment_text(str(doc[0].get_text()), page=truth["page"])
        got = {n for a in layout.articles for n in a.authors}
        want = {n for a in truth["articles"] for n in a["authors"]}
        found, total = found + len(got & want), total + len(want)
    assert total and found / total >= 0.9
