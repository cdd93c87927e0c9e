"""Intertitles (小标题): headings inside a long story, kept in its body. Pure geometry on blocks."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.models import Box
from pipeline.segment.pdf.blocks import TITLE_RATIO, HeadGroup, Segment, rule_between, upright

MAX_LINES = 6  # an intertitle is a short heading: a few lines of one column at most
TITLE_OVER = 1.4  # the story's title is set at least this many times the intertitle's size
ROOM = 3.0  # body sizes of space an intertitle keeps above and below it, at most


def split_intertitles(
    groups: Sequence[HeadGroup], segs: Sequence[Segment], size: float, rules: Sequence[Box]
) -> tuple[list[HeadGroup], list[Segment]]:
    """(headline groups, intertitles as body segments). An intertitle is a short heading inside a long story: set
    larger or bolder than the text but clearly smaller than the story's title, no wider than the column it stands
    in, with that column's text carrying on right under it, and under the title of its own story with no rule and
    no other story's headline between: with text of the same column right above it, or at the top of the story's
    columns. It belongs to the body, as a paragraph of its own; it is not a story."""
    keep: list[HeadGroup] = []
    inter: list[Segment] = []
    for g in groups:
        if _intertitle(g, groups, segs, size, rules):
            inter.append(Segment(g.lines, g.box, max(x.size for x in g.lines), False, False, False, intertitle=True))
        else:
            keep.append(g)
    return keep, inter


def _top(g: HeadGroup) -> float:
    return max(x.size for x in g.lines)


def _intertitle(
    g: HeadGroup, groups: Sequence[HeadGroup], segs: Sequence[Segment], size: float, rules: Sequence[Box]
) -> bool:
    b, top = g.box, _top(g)
    if len(g.lines) > MAX_LINES or top >= TITLE_RATIO * size or any(upright(x.box, x.text) for x in g.lines):
        return False
    below = [s for s in segs if -0.5 * size <= s.box.y0 - b.y1 <= ROOM * size and s.box.x_overlap(b) >= 0.6 * b.width]
    if not any(b.width <= s.box.width + 1.5 * size for s in below):
        return False
    column = [
        s
        for s in segs
        if s.box.x_overlap(b) >= 0.6 * b.width and s.box.y1 <= b.y0 + 1 and b.y0 - s.box.y1 <= ROOM * size
    ]
    # Text right above it: the column's flow runs through it, so any title above on the page may be its story's
    # (a title centred over six columns stands nowhere near the first). At a column's top it must be under it.
    titles = [
        t
        for t in groups
        if t is not g
        and t.box.y1 <= b.y0
        and (column or t.box.x_overlap(b) > 0)
        and _top(t) >= TITLE_OVER * top
        and not rule_between(t.box, b, rules)
    ]
    if not titles:
        return any(_upright_title_beside(t, b, top, segs) for t in groups if t is not g)
    # its story's title: the nearest above it over its column, else the nearest above it
    title = max(titles, key=lambda t: (t.box.x_overlap(b) > 0, t.box.y1))
    between = (
        o is not g
        and o is not title
        and title.box.y1 <= o.box.y0 < b.y0
        and o.box.x_overlap(b) > 0
        and _top(o) >= 1.1 * top
        for o in groups
    )
    if any(between):
        return False  # another story's headline stands between
    if column:
        return True
    # at the top of the story's columns: no text of the column between its title and it
    return not any(
        s.box.x_overlap(b) >= 0.6 * b.width and title.box.y1 <= s.box.y0 and s.box.y1 <= b.y0 + 1 for s in segs
    )


def _upright_title_beside(t: HeadGroup, b: Box, top: float, segs: Sequence[Segment]) -> bool:
    """An upright title stands at the right of its story, level with its first lines: a heading at the top of one
    of the columns on its left (no text of that column above it, up to the title's top) is an intertitle."""
    if not (any(upright(x.box, x.text) for x in t.lines) and _top(t) >= TITLE_OVER * top):
        return False
    if not (t.box.x0 >= b.x1 and t.box.y0 <= b.y0 <= t.box.y1):
        return False
    return not any(s.box.x_overlap(b) > 0 and t.box.y0 - 1 <= s.box.y0 and s.box.y1 <= b.y0 + 1 for s in segs)
