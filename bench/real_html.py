"""The family selectors against real e-paper HTML (`../shared/real-html`, saved by public scrapers; skipped when
absent): what each page index and article page yields, beside what the file itself holds (counted the plain way:
`<area` tags, links to article pages), so a selector that stops matching the real markup shows at once.

Run: .venv/bin/python bench/real_html.py
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import load_profile
from pipeline.extract.site import parse_article, parse_index
from pipeline.segment.html import html_article

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-html"
INDEXES = [
    (
        "rmrb-pc-2024-12-25-node_01.html",
        dt.date(2024, 12, 25),
        "http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html",
    ),
    (
        "rmrb-nbs-2019-04-22-p01-page.html",
        dt.date(2019, 4, 22),
        "http://paper.people.com.cn/rmrb/html/2019-04/22/nbs.D110000renmrb_01.htm",
    ),
]
ARTICLES = [f"rmrb-nbs-2018-11-20-p07-article{i}.html" for i in (1, 2, 3)]


def main() -> None:
    if not REAL.is_dir():
        print(f"skipped: {REAL} is not there")
        return
    era_of = load_profile("rmrb").site.era  # type: ignore[union-attr]
    print(f"{'page index':36} {'pages':>9} {'articles':>9} {'hotspots':>9}  pdf  name")
    for name, day, url in INDEXES:
        data = (REAL / name).read_bytes()
        index = parse_index(data, url, era_of(day))
        areas = len(re.findall(rb"<area", data, re.IGNORECASE))
        links = len(set(re.findall(rb"(?:content_\d+\.html|nw\.D110000renmrb_\d+_\d+-\d+\.htm)", data)))
        pages = len(re.findall(rb"pageLink", data))
        print(
            f"{name:36} {len(index.pages):>4}/{pages:<4} {len(index.articles):>4}/{links:<4} {len(index.hotspots):>4}/{areas:<4}"
            f"  {'yes' if index.pdf_url else 'NO '}  {index.name} {index.printed_date} missing={list(index.missing)}"
        )
    print()
    for name in ARTICLES:
        marked, _captions = parse_article((REAL / name).read_bytes(), era_of(dt.date(2018, 11, 20)))
        article = html_article(marked) if marked else None
        if article is None:
            print(f"{name}: NO ARTICLE")
            continue
        paras = article.body.count("\n") + 1
        print(f"{name}: {article.title!r} kicker={article.kicker!r} authors={list(article.authors)} {paras} paragraphs")


if __name__ == "__main__":
    main()
