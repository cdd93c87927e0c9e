"""One page's positioned lines to a `PageLayout`: roles, blocks, the cut, articles."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import Article, Box, PageContent, PageLayout, TextLine, union_all
from pipeline.segment.pdf.articles import build_article, separate_overlaps
from pipeline.segment.pdf.blocks import (
    BOLD_HEAD_RATIO,
    HEAD_RATIO,
    LINE_GAP,
    SMALL_RATIO,
    Item,
    body_size,
    head_groups,
    segments,
    stack_lines,
)
from pipeline.segment.pdf.cuts import split_stories


@dataclass(frozen=True, slots=True)
class Roles:
    """A page's lines sorted by role; `pictures` are the page's pictures grown by their captions."""

    body: tuple[TextLine, ...]
    heads: tuple[TextLine, ...]
    fragments: tuple[tuple[TextLine, ...], ...]
    pictures: tuple[Box, ...]
    size: float


def sort_roles(content: PageContent) -> Roles:
    """Frames' contents and captions first (they may be in any size), then lines by size."""
    size = body_size(content.lines)
    frames = [f for f in content.frames if f.width * f.height < 0.6 * content.width * content.height]
    framed: list[list[TextLine]] = [[] for _ in frames]
    rest: list[TextLine] = [] if frames else list(content.lines)
    for line in content.lines if frames else ():
        k = next((k for k, f in enumerate(frames) if f.contains_center(line.box)), None)
        if k is None:
            rest.append(line)
        else:
            framed[k].append(line)
    for k, lines in enumerate(framed):
        if _boxed_story(lines, size):  # a story set in a box is read like any other
            rest.extend(lines)
            framed[k] = []
    body_font = ""
    if content.pictures:  # the body font only serves to tell captions apart
        fonts = Counter(x.font for x in rest if abs(x.size - size) < 0.05 * size)
        body_font = fonts.most_common(1)[0][0] if fonts else ""
    top_down = sorted(rest, key=lambda x: x.box.y0) if content.pictures else []
    tops = [x.box.y0 for x in top_down]
    captions = [
        _caption(top_down[bisect.bisect_left(tops, pic.y1 - 2) :], pic, size, body_font) for pic in content.pictures
    ]
    taken = {id(x) for c in captions for x in c}
    rest = [x for x in rest if id(x) not in taken]
    small: list[TextLine] = []
    head_lines: list[TextLine] = []
    body_lines: list[TextLine] = []
    for x in rest:
        (small if x.size < SMALL_RATIO * size else head_lines if _is_head(x, size) else body_lines).append(x)
    heads, body = tuple(head_lines), tuple(body_lines)
    loose = [tuple(s) for s in stack_lines(small, LINE_GAP, content.rules)]
    groups = [tuple(sorted(f, key=lambda x: (x.box.y0, x.box.x0))) for f in framed if f]
    pictures = tuple(union_all([pic, *(x.box for x in c)]) for pic, c in zip(content.pictures, captions, strict=True))
    return Roles(body, heads, tuple(groups + [tuple(c) for c in captions if c] + loose), pictures, size)


def _is_head(line: TextLine, size: float) -> bool:
    """Headline type: clearly larger than body text, or a little larger and bold (a deck set in bold)."""
    return line.size >= HEAD_RATIO * size or (line.bold and line.size >= BOLD_HEAD_RATIO * size)


def _boxed_story(lines: Sequence[TextLine], size: float) -> bool:
    """A frame holds a story (not a teaser list) when it has a headline and a body of some length."""
    n_body = sum(1 for x in lines if abs(x.size - size) < 0.1 * size)
    return n_body >= 8 and any(x.size >= HEAD_RATIO * size for x in lines)


def _caption(top_down: Sequence[TextLine], pic: Box, size: float, body_font: str) -> list[TextLine]:
    """Lines right under a picture and within its width, not in body type (size or font), plus the lines of the
    same kind stacked under them. `top_down`: the page's lines top down, from the first one starting at most
    2 pt above the picture's bottom."""
    out: list[TextLine] = []
    reach = pic.y1
    for line in top_down:
        if line.box.y0 - reach > 1.5 * line.size:
            break
        plain = abs(line.size - size) < 0.05 * size and line.font == body_font
        inside = pic.x0 - 2 <= line.box.x0 and line.box.x1 <= pic.x1 + 2
        if inside and not plain:
            out.append(line)
            reach = line.box.y1
    return out


def segment_page(content: PageContent) -> PageLayout:
    """Cut a page's content into articles (reading order) and fragments (captions, teaser boxes, notes)."""
    roles = sort_roles(content)
    segs = segments(roles.body, content.rules)
    groups = head_groups(roles.heads, roles.size, content.rules)
    items = [Item(g.box, head=g) for g in groups] + [Item(s.box, seg=s) for s in segs]
    items += [Item(p) for p in roles.pictures]
    fragments = ["".join(x.text.strip() for x in lines) for lines in roles.fragments]
    if not any(i.head or i.seg for i in items):
        return _layout(content, (), fragments)
    stories: list[tuple[Article, list[Item]]] = []
    for group in split_stories(items, content.rules, roles.size):
        article, left = build_article(group, content.page)
        fragments.extend(left)
        if article is not None:
            stories.append((article, group))
    return _layout(content, separate_overlaps(stories), [f for f in fragments if f])


def _layout(content: PageContent, articles: Sequence[Article], fragments: Sequence[str]) -> PageLayout:
    """The layout, with what the page's header said."""
    return PageLayout(
        tuple(articles),
        tuple(fragments),
        page_name=content.page_name,
        printed_date=content.printed_date,
        printed_page=content.printed_page,
    )
