"""An e-paper page's marked-up articles (`HtmlArticle`, from `pipeline.extract.html`) to a `PageLayout`. Pure.

The HTML has no geometry, so its articles carry no regions. Bylines and jump markers inside the body text are
taken out the same way as on PDF pages (`pipeline.segment.pdf.articles.read_body`), so both forms give
comparable records.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.models import Article, HtmlArticle, PageLayout
from pipeline.segment.bylines import names_of, parse_byline
from pipeline.segment.normalize import strip_dash
from pipeline.segment.pdf.articles import read_body


def html_layout(parts: Sequence[HtmlArticle]) -> PageLayout:
    """The page's articles, in the order the HTML lists them; an entry whose body holds only a byline or a jump
    marker is not an article."""
    articles = [a for a in (html_article(p) for p in parts) if a is not None]
    return PageLayout(tuple(articles), ())


def html_article(part: HtmlArticle) -> Article | None:
    """One marked-up article as an `Article`; None when its body holds only a byline or a jump marker."""
    body = read_body(list(part.paragraphs))
    if not body.paragraphs:
        return None
    authors = list(_padded((parse_byline(part.byline) or names_of(part.byline)) if part.byline else ()))
    authors += [n for n in body.authors if n not in authors]
    return Article(
        title=part.title or "",
        kicker=part.kicker,
        subtitle=None if part.subtitle is None else strip_dash(part.subtitle),
        authors=tuple(authors),
        body="\n".join(body.paragraphs),
        continues_to_page=body.to_page,
        continued_from_page=body.from_page,
    )


def _padded(names: Sequence[str]) -> list[str]:
    """Names with a two-character name set to the width of three (`韩　冰`, as bylines print them so names line
    up) read back as one: one-character tokens pair up (`韩 冰 王 洁` is 韩冰, 王洁), since a Chinese name has at
    least two characters; an odd run is one name spaced out."""
    out: list[str] = []
    run = ""
    for name in [*names, ""]:
        if len(name) == 1:
            run += name
            continue
        if run:
            out += [run[i : i + 2] for i in range(0, len(run), 2)] if len(run) % 2 == 0 else [run]
            run = ""
        if name:
            out.append(name)
    return out
