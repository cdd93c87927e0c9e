"""Intertitles (小标题): headings inside a long story, kept in its body. Pure geometry on blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.models import Box, TextLine, union_all
from pipeline.segment.pdf.blocks import TITLE_RATIO, HeadGroup, Segment, byline_line, rule_between, upright

MAX_LINES = 6  # an intertitle is a short heading: a few lines of one column at most
TITLE_OVER = 1.4  # the story's title is set at least this many times the intertitle's size
MARKED_OVER = 1.2  # ... or this many, for a heading opened by an intertitle's mark (`MARKED`)
DECKED_OVER = 1.3  # ... or this many, under a title whose kicker or deck is larger than the heading
# A section's mark opens an intertitle (`◆领军人才`, `一、会上`): no story's title opens with one. (■ and □ open
# bylines too, so they are left out.)
MARKED = re.compile(r"^\s*(?:[◆◇●○★☆▲△▶►]|[（(]?[一二三四五六七八九十]{1,3}[)）、．.])")
ROOM = 3.0  # body sizes of space an intertitle keeps above and below it, at most


def split_intertitles(
    groups: Sequence[HeadGroup],
    segs: Sequence[Segment],
    size: float,
    rules: Sequence[Box],
    pictures: Sequence[Box] = (),
    briefs: Sequence[TextLine] = (),
) -> tuple[list[HeadGroup], list[Segment]]:
    """(headline groups, intertitles as body segments). An intertitle is a short heading inside a long story: set
    larger or bolder than the text but clearly smaller than the story's title, no wider than the column it stands
    in, with that column's text carrying on right under it, and under the title of its own story with no rule and
    no other story's headline between: with text of the same column right above it, or at the top of the story's
    columns (under the title, or level with the first lines of the story's columns under it or, for a title set
    beside its story, on its right). It belongs to the
    body, as a paragraph of its own; it is not a story. The titles of a brief column's items (`briefs`) are
    titles, whatever stands above them."""
    keep: list[HeadGroup] = []
    inter: list[Segment] = []
    groups = [part for g in groups for part in _column_heading_apart(g, segs, size)]
    for g in groups:
        if not any(x in briefs for x in g.lines) and _intertitle(g, groups, segs, size, rules, pictures):
            inter.append(Segment(g.lines, g.box, max(x.size for x in g.lines), False, False, False, intertitle=True))
        else:
            keep.append(g)
    return keep, inter


def _column_heading_apart(g: HeadGroup, segs: Sequence[Segment], size: float) -> list[HeadGroup]:
    """The group, or the group without its last lines when they are columns' headings that only happen to stand
    close under a title (`_column_heading`), each then a group of its own. (Two columns' intertitles at the top
    of their columns may both stand close under the title, one beside the other.)"""
    lines = list(g.lines)
    apart: list[TextLine] = []
    while len(lines) >= 2 and _column_heading(lines[:-1], lines[-1], segs, size):
        apart.insert(0, lines.pop())
    if not apart:
        return [g]
    return [HeadGroup(tuple(lines), union_all(x.box for x in lines)), *(HeadGroup((x,), x.box) for x in apart)]


def _column_heading(rest: Sequence[TextLine], last: TextLine, segs: Sequence[Segment], size: float) -> bool:
    """`last` is a column's heading, not a line of the headline `rest` over it: centred on the one column whose
    text starts right under it, that column narrower than the title, and either aligned with the title in no way
    a deck is (neither centred on it nor flush with either of its edges) or level with the first line of another
    column under the title. A deck is set on its title's measure and above its story's columns; an intertitle on
    its column's measure, inside the columns."""
    b, head = last.box, union_all(x.box for x in rest)
    if max(x.size for x in rest) < TITLE_OVER * last.size:
        return False
    tol = last.size
    aligned = (
        abs((b.x0 + b.x1) / 2 - (head.x0 + head.x1) / 2) <= 2 * tol
        or abs(b.x0 - head.x0) <= 0.5 * tol
        or abs(b.x1 - head.x1) <= 0.5 * tol
    )
    level = any(
        abs(s.box.y0 - b.y0) <= 0.5 * size and s.box.x_overlap(b) <= 0 and s.box.x_overlap(head) > 0 for s in segs
    )
    if aligned and not level:
        return False
    for s in segs:
        under = -0.5 * size <= s.box.y0 - b.y1 <= ROOM * size and s.box.x0 - tol <= b.x0 and b.x1 <= s.box.x1 + tol
        centred = abs((b.x0 + b.x1) / 2 - (s.box.x0 + s.box.x1) / 2) <= tol
        if under and centred and head.width > s.box.width + 2 * size:
            return True
    return False


def _top(g: HeadGroup) -> float:
    return max(x.size for x in g.lines)


def _intertitle(
    g: HeadGroup,
    groups: Sequence[HeadGroup],
    segs: Sequence[Segment],
    size: float,
    rules: Sequence[Box],
    pictures: Sequence[Box] = (),
) -> bool:
    b, top = g.box, _top(g)
    if len(g.lines) > MAX_LINES or top >= TITLE_RATIO * size or any(upright(x.box, x.text) for x in g.lines):
        return False
    below = [s for s in segs if -0.5 * size <= s.box.y0 - b.y1 <= ROOM * size and s.box.x_overlap(b) > 0]
    column = [  # text right above it in its column, no rule between (a rule closes the module above)
        s
        for s in segs
        if s.box.y1 <= b.y0 + 1
        and b.y0 - s.box.y1 <= ROOM * size
        and _same_column(s.box, b, below, size)
        and not rule_between(s.box, b, rules)
    ]
    if not below and column:
        below = _next_column_top(b, column, segs, size)
    # Its column: the text right under it, or right above it (the text under it may be set narrower, beside a
    # band or a picture that cuts into the column).
    if not below or not any(b.width <= s.box.width + 1.5 * size for s in [*below, *column]):
        return False
    # Text right above it: the column's flow runs through it, so any title above on the page may be its story's
    # (a title centred over six columns stands nowhere near the first). At a column's top it must be under it.
    # Level with the first lines of other columns set right under a title: inside that title's story's text.
    # A picture set into the text right above it: the column's flow runs on under the picture, through it.
    in_flow = bool(column) or any(_set_into_text(p, b, segs, size) for p in pictures)
    # A heading keeps room above its text, so the next column's first line may stand level with its lower part;
    # at a column's top it is set down by part of a line (its own leading), so that line may stand a line higher.
    level = [
        s.box
        for s in segs
        if b.y0 - 1.2 * size <= s.box.y0 <= b.y1 + 0.6 * size and s.box.x_overlap(b) <= 0 and s.box.y1 > b.y1
    ]

    bylines = [s.box for s in segs if len(s.lines) <= 2 and byline_line(s.lines[0].text.strip())]

    def atop_row(t: HeadGroup) -> bool:  # atop a later column of the story set beside title `t`
        return not column and _beside_row(t.box, b, segs, size, pictures)

    titles = [
        t
        for t in groups
        if t is not g
        # a title set beside its story may reach lower than a heading in the story's first columns
        and (
            t.box.y1 <= b.y0
            or any(_beside(t.box, s, size, pictures) for s in [*level, *(c.box for c in column)])
            or any(_beside_row(t.box, c.box, segs, size, pictures) for c in column)
            or atop_row(t)
        )
        and (
            in_flow
            or t.box.x_overlap(b) > 0
            or any(_right_under(t.box, s, size, pictures, bylines) or _beside(t.box, s, size, pictures) for s in level)
            or atop_row(t)
        )
        and _top(t) >= _over(t, g, top) * top
        and not rule_between(t.box, b, rules)
    ]
    if not titles:
        return _in_continuation(b, segs, size, column) or any(
            _upright_title_beside(t, b, top, segs, groups, in_flow) for t in groups if t is not g
        )
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
    if in_flow:
        return True
    # at the top of the story's columns: no text of the column between its title and it (the story's byline
    # set on a line of its own under the title is no text of a column)
    return not any(
        s.box.x_overlap(b) >= 0.6 * b.width
        and title.box.y1 <= s.box.y0
        and s.box.y1 <= b.y0 + 1
        and s.box not in bylines
        for s in segs
    )


def _over(title: HeadGroup, g: HeadGroup, top: float) -> float:
    """How many times the heading's size its story's title is set at least: `TITLE_OVER`; `MARKED_OVER` for a
    heading opened by an intertitle's mark; `DECKED_OVER` under a title whose kicker or deck is set larger
    than the heading (a story's headline group outranks its intertitles line by line, so a small title with
    its deck over a heading a little smaller than both is still that heading's title)."""
    if MARKED.match(g.lines[0].text):
        return MARKED_OVER
    sizes = [x.size for x in title.lines]
    if len(sizes) > 1 and top < min(sizes) < max(sizes):
        return DECKED_OVER
    return TITLE_OVER


def _in_continuation(b: Box, segs: Sequence[Segment], size: float, column: Sequence[Segment]) -> bool:
    """A story continued from another page has no headline here: its text opens with `（上接第N版）` and runs on
    in the columns on its right, level with that mark. A heading of that story's flow is an intertitle of it:
    one at the top of one of those columns, level with the mark, or one with text of its column right above
    it, that column being the mark's own or one of the columns level with it."""
    marks = [s.box for s in segs if s.from_mark]
    if any(abs(m.y0 - b.y0) <= size and m.x1 <= b.x0 for m in marks):
        return True
    return any(abs(a.box.y0 - m.y0) <= size and a.box.x0 >= m.x0 - size for a in column for m in marks)


def _next_column_top(b: Box, column: Sequence[Segment], segs: Sequence[Segment], size: float) -> list[Segment]:
    """A heading at the foot of its column, its column's text right above it and none under it, leads the text
    atop the next column: a heading never ends a story, so the paragraph it heads starts there (a new
    paragraph, higher up than the heading, in the column right beside its own)."""
    right = max(s.box.x1 for s in column)
    return [
        s
        for s in segs
        if 0 <= s.box.x0 - right <= 3 * size and s.box.y0 < b.y0 and not s.opens_mid and not s.intertitle
    ]


def _set_into_text(pic: Box, b: Box, segs: Sequence[Segment], size: float) -> bool:
    """The picture (with its caption) stands right over the heading, across its width, and is set into a
    story's text: a column of text runs beside it from its top (or above) to below its foot. A picture set into
    the columns is the story's, so its column's flow runs on under it, through the heading."""
    if not (pic.y1 <= b.y0 + 1 and b.y0 - pic.y1 <= ROOM * size and pic.x_overlap(b) >= 0.6 * b.width):
        return False
    return any(s.box.x_overlap(pic) <= 0 and s.box.y0 <= pic.y0 + size and s.box.y1 > pic.y1 for s in segs)


def _same_column(above: Box, b: Box, below: Sequence[Segment], size: float) -> bool:
    """Text right above a heading stands in its column: it spans most of the heading's width, or it is the short
    last line of a paragraph (a paragraph ends wherever its words run out) starting at the left edge of the
    column that carries on under the heading, and reaching into the heading's width."""
    if above.x_overlap(b) >= 0.6 * b.width:
        return True
    return above.x_overlap(b) > 0 and any(
        abs(above.x0 - s.box.x0) <= 0.5 * size and s.box.x_overlap(b) >= 0.6 * b.width for s in below
    )


def _beside(title: Box, seg: Box, size: float, pictures: Sequence[Box]) -> bool:
    """The segment is the first column of a story set beside its title: it starts within three ems (or a
    column's width: a title's lines may end well short of the space it is set in) right of the title, level
    with it (up to two lines above its top), or under a picture standing beside the title (the story's photo
    over its columns, the title on its left; the photo may rise above the title's top, as a photo taller than
    its headline does)."""
    if not 0 <= seg.x0 - title.x1 <= max(3 * size, seg.width):  # its lines may end short of the space
        return False
    if title.y0 - 2 * size <= seg.y0 <= title.y1:  # a large title's first line sits lower than its box's top
        return True
    return any(
        p.x_overlap(seg) > 0 and 0 <= seg.y0 - p.y1 <= ROOM * size and p.y0 - size <= title.y1 and title.y0 <= p.y1
        for p in pictures
    )


def _beside_row(title: Box, col: Box, segs: Sequence[Segment], size: float, pictures: Sequence[Box]) -> bool:
    """Column `col` (a segment, or a heading atop a column) is a later column of a story set beside its title:
    the story's first column stands beside the title (`_beside`), on `col`'s left, its top (or the top of the
    story's photo over it) level with `col`'s: a story's columns start level."""

    def top(seg: Box) -> float:
        over = [p.y0 for p in pictures if p.x_overlap(seg) > 0 and 0 <= seg.y0 - p.y1 <= ROOM * size]
        return min([seg.y0, *over])

    return any(
        s.box.x1 <= col.x0 + size and abs(top(s.box) - col.y0) <= 2 * size and _beside(title, s.box, size, pictures)
        for s in segs
    )


def _right_under(title: Box, seg: Box, size: float, pictures: Sequence[Box], bylines: Sequence[Box] = ()) -> bool:
    """The segment starts right under the title, or right under a picture right under it (a story's photo
    between its headline and its columns), or right under the story's byline set on a line of its own right
    under the title (centred under it, say)."""

    def under(upper: Box, lower: Box) -> bool:
        return upper.x_overlap(lower) > 0 and 0 <= lower.y0 - upper.y1 <= ROOM * size

    if under(title, seg) or any(under(title, p) and under(p, seg) for p in pictures):
        return True
    return any(under(title, b) and 0 <= seg.y0 - b.y1 <= ROOM * size for b in bylines)


def _upright_title_beside(
    t: HeadGroup, b: Box, top: float, segs: Sequence[Segment], groups: Sequence[HeadGroup], in_flow: bool
) -> bool:
    """An upright title stands at the right of its story, level with its first lines: a heading on one of the
    columns on its left, below the title's top, with no other headline between them, is an intertitle when it
    stands at the top of its column (no text of that column above it, up to the title's top) or when its
    column's text runs on right above and under it (`in_flow`: the story's text flows through it)."""
    if not (any(upright(x.box, x.text) for x in t.lines) and _top(t) >= TITLE_OVER * top):
        return False
    if not (t.box.x0 >= b.x1 and t.box.y0 <= b.y0 <= t.box.y1):
        return False
    between = (
        o is not t and b.x1 - 1 <= o.box.x0 and o.box.x1 <= t.box.x0 + 1 and o.box.y0 <= b.y1 and o.box.y1 >= t.box.y0
        for o in groups
        if _top(o) >= 1.1 * top  # a larger headline: another heading of the same size is a fellow intertitle
    )
    if any(between):
        return False  # another story's headline between: the heading is not in the upright title's story
    if in_flow:
        return True
    return not any(s.box.x_overlap(b) > 0 and t.box.y0 - 1 <= s.box.y0 and s.box.y1 <= b.y0 + 1 for s in segs)
