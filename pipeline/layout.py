"""Positioned text lines of one page to articles, by geometry. Pure: no PDF library here (see `extract.pdf`).

A page is read the way a person reads it:

1. Roles. Body size is the size most characters are set in. Lines at least `HEAD_RATIO` times larger (or a
   little larger and bold: weight from the font or from fake bold) are headline lines; lines clearly smaller,
   photo captions and everything inside a stroked frame (a teaser box) are fragments, never article text.
2. Blocks. Body lines stack into column segments (same column, regular line spacing, nothing in between);
   headline lines stack into headline groups (one title run each, with the kicker above it and the subtitle
   below it).
3. Stories. The page is cut recursively along full-width or full-height white bands (an XY cut) until each part
   holds one anchor: a headline group, or a segment opening with `（上接第N版）`. A cut is only taken when both
   sides make sense on their own: every headline governs some body on its side (the body below it, beside it to
   the right, or above it when it sits under its story) and every body segment is governed by an anchor on its
   side; and it must not separate a column that runs on mid-paragraph from the column that continues it. Among
   the acceptable cuts the widest white band wins, and one carrying a printed rule wins over one that does not.
   When no cut is acceptable (a non-rectangular layout) each segment goes to the anchor that governs it nearest.
4. Articles. Segments in column order, paragraphs by first-line indent, bylines (`pipeline.bylines`) at the start
   or the end, jump markers to `continues_to_page` / `continued_from_page`, and one `Region` per story.
"""

from __future__ import annotations

import bisect
import functools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.bylines import (
    JUMP,
    LEAD,
    NAMES_ONLY,
    find_jump,
    names_of,
    parse_byline,
    split_leading_byline,
    split_trailing_byline,
)
from pipeline.models import Article, PageLayout, Region
from pipeline.normalize import ends_sentence, join_wrapped, strip_dash

HEAD_RATIO = 1.18  # a headline line is at least this much larger than body text
BOLD_HEAD_RATIO = 1.08  # ... or this much larger and bold
SMALL_RATIO = 0.9  # lines this much smaller than body text are captions, credits, notes
TITLE_RATIO = 1.7  # within headlines, titles are set much larger than kickers and subtitles
LINE_GAP = 0.9  # body lines further apart than this many body sizes belong to different segments
HEAD_GAP = 0.8  # headline lines further apart than this many (smaller) line sizes belong to different groups
HEAD_BODY_GAP = 1.3  # a headline sits at most this many body sizes above its own body
INDENT = 1.2  # a first line starts at least this many sizes in from its column's left edge
_UNMARKED_TAIL = re.compile(
    r"^(.*[。！？”’」）])\s+((?:本报记者|特约记者|记者|本报通讯员|通讯员)\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*)$"
)
_BYLINE_START = re.compile(
    r"\s*(?:[|｜□■●◆▲△]|本报|记者|通讯员|特约|见习|实习|首席|融媒体|县融媒体|文/|图/|文图|图文|摄影|撰稿|整理|编辑)"
)
_BYLINE_HINT = re.compile(r"[|｜□■●◆▲△]|记者|通讯员|摄|撰稿|整理|编辑|文/|图/")
_FROM_MARK = re.compile(r"^\s*[（(]\s*(上接|接|紧接)")
# What a line opening a paragraph by its words (not its indent) starts with: a jump-in mark or a byline's mark
# or role word. One regex for both, so ordinary lines are dismissed with a single match.
_OPENER = re.compile(rf"{_FROM_MARK.pattern}|{_BYLINE_START.pattern}")


# --- geometry ----------------------------------------------------------------------------------------------------


class Box(NamedTuple):
    """A rectangle in PDF points, origin top-left. (A named tuple rather than a frozen dataclass: pages make
    tens of thousands of these, and tuples are several times cheaper to build.)"""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    # Conditional expressions rather than min()/max(): these run tens of thousands of times a page, and a
    # builtin call costs several times a comparison.
    def x_overlap(self, other: Box) -> float:
        a, b = self.x1, other.x1
        c, d = self.x0, other.x0
        return (a if a < b else b) - (c if c > d else d)

    def y_overlap(self, other: Box) -> float:
        a, b = self.y1, other.y1
        c, d = self.y0, other.y0
        return (a if a < b else b) - (c if c > d else d)

    def contains_center(self, other: Box) -> bool:
        cx, cy = (other.x0 + other.x1) / 2, (other.y0 + other.y1) / 2
        return self.x0 <= cx <= self.x1 and self.y0 <= cy <= self.y1

    def intersection_area(self, other: Box) -> float:
        return max(0.0, self.x_overlap(other)) * max(0.0, self.y_overlap(other))


def union_all(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all of them (at least one)."""
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return Box(min(x0s), min(y0s), max(x1s), max(y1s))


class TextLine(NamedTuple):
    """One printed line (fake-bold copies already removed): its text, box, type size, weight and font. (A
    named tuple for the same reason as `Box`.)"""

    text: str
    box: Box
    size: float
    bold: bool = False
    font: str = ""


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a page shows, header removed: text lines, rules (thin lines), frames (stroked boxes) and pictures."""

    page: int
    width: float
    height: float
    lines: tuple[TextLine, ...]
    rules: tuple[Box, ...] = ()
    frames: tuple[Box, ...] = ()
    pictures: tuple[Box, ...] = ()


# --- blocks ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """Body lines stacked in one column. `opens_mid`: its first line carries on a paragraph begun elsewhere;
    `ends_open`: its last line runs on into another segment; `from_mark`: it opens with `（上接第N版）`; `lead`: it
    opens a story by its words (a dateline lead such as `本报讯` or `新华社…电`)."""

    lines: tuple[TextLine, ...]
    box: Box
    size: float
    opens_mid: bool
    ends_open: bool
    from_mark: bool
    lead: bool = False

    @property
    def opens_story(self) -> bool:
        """A segment that starts a story of its own unless a headline sits right against it."""
        return self.from_mark or self.lead


@dataclass(frozen=True, slots=True)
class HeadGroup:
    """Headline lines of one story, top to bottom."""

    lines: tuple[TextLine, ...]
    box: Box


@dataclass(frozen=True, slots=True)
class Item:
    """A block taking part in the cut: a headline group, a body segment, or something else (photo, caption,
    frame) that takes space but no side. Anchors are headline groups and segments opening with a jump-in mark."""

    box: Box
    head: HeadGroup | None = None
    seg: Segment | None = None

    @property
    def anchor(self) -> bool:
        return self.head is not None or (self.seg is not None and self.seg.opens_story)

    @property
    def picture(self) -> bool:
        return self.head is None and self.seg is None


def body_size(lines: Sequence[TextLine]) -> float:
    """The type size most characters are set in (rounded to a quarter point)."""
    counts: dict[float, int] = {}
    for line in lines:
        key = round(line.size * 4) / 4
        counts[key] = counts.get(key, 0) + len(line.text)
    return max(counts, key=counts.__getitem__) if counts else 10.0


def _stack(lines: Sequence[TextLine], max_gap: float, rules: Sequence[Box]) -> list[list[TextLine]]:
    """Lines grouped into vertical stacks: each line joins the stack whose last line is right above it (within
    `max_gap` times the line size), overlaps it horizontally by half the narrower width (or lies within the
    stack's width: a short line such as `蔡俊` still finds its column) and has its size, with no horizontal rule
    in between. Lines are taken top to bottom, so a stack is in reading order. (Hot loop: plain arithmetic.)"""
    flat = sorted((r for r in rules if r.width > r.height), key=lambda r: r.y0 + r.y1)
    rule_ys = [(r.y0 + r.y1) / 2 for r in flat]
    stacks: list[list[TextLine]] = []
    spans: list[list[float]] = []  # each stack's [x0, x1]
    open_: list[int] = []  # stacks a later line can still join (lines come top down, so others are closed)
    by_left: dict[int, int] = {}
    pruned_at = float("-inf")
    for line in sorted(lines, key=lambda x: (x.box.y0, x.box.x0)):
        box, size = line.box, line.size
        # Closing stacks only matters for speed (`_joins` refuses a stack too far above anyway), so it is done
        # once per text row rather than once per line: lines of one row share their y.
        if box.y0 - pruned_at > 0.5 * size:
            reach = box.y0 - max_gap * size * 1.5
            open_ = [k for k in open_ if stacks[k][-1].box.y1 >= reach]
            pruned_at = box.y0
        best: int | None
        hint = by_left.get(round(box.x0))  # the stack the last line starting at this x joined: usually right
        if hint is not None and hint in open_ and _joins(stacks[hint][-1], spans[hint], line, max_gap):
            best = hint
        else:
            best = next((k for k in open_ if _joins(stacks[k][-1], spans[k], line, max_gap)), None)
        if best is not None and rule_ys and _ruled_between(stacks[best][-1].box, box, flat, rule_ys):
            best = None
        if best is None:
            by_left[round(box.x0)] = len(stacks)
            open_.append(len(stacks))
            stacks.append([line])
            spans.append([box.x0, box.x1])
        else:
            by_left[round(box.x0)] = best
            stacks[best].append(line)
            x0, x1 = spans[best]
            spans[best] = [x0 if x0 < box.x0 else box.x0, x1 if x1 > box.x1 else box.x1]
    return stacks


def _joins(last: TextLine, span: list[float], line: TextLine, max_gap: float) -> bool:
    box, lb, size, lsize = line.box, last.box, line.size, last.size
    gap = box.y0 - lb.y1
    if gap < -0.5 * size or gap > max_gap * (size if size < lsize else lsize) or abs(size - lsize) > 0.08 * lsize:
        return False
    width, lwidth = box.x1 - box.x0, lb.x1 - lb.x0
    if lb.x_overlap(box) >= 0.5 * (width if width < lwidth else lwidth):
        return True
    return (box.x1 if box.x1 < span[1] else span[1]) - (box.x0 if box.x0 > span[0] else span[0]) >= 0.5 * width


def _ruled_between(upper: Box, lower: Box, rules: list[Box], ys: list[float]) -> bool:
    """A horizontal rule (from `rules`, sorted with their mid-heights `ys`) lies between the two boxes."""
    k = bisect.bisect_left(ys, upper.y1 - 1)
    while k < len(ys) and ys[k] <= lower.y0 + 1:
        if rules[k].x_overlap(lower) > 0:
            return True
        k += 1
    return False


def _rule_between(upper: Box, lower: Box, rules: Sequence[Box]) -> bool:
    return any(
        r.width > r.height and upper.y1 - 1 <= (r.y0 + r.y1) / 2 <= lower.y0 + 1 and r.x_overlap(lower) > 0
        for r in rules
    )


def segments(lines: Sequence[TextLine], rules: Sequence[Box]) -> list[Segment]:
    """Body lines to column segments."""
    return [_segment(s) for s in _stack(lines, LINE_GAP, [r for r in rules if r.width > r.height])]


def _segment(lines: list[TextLine]) -> Segment:
    box = union_all(x.box for x in lines)
    size = sorted(x.size for x in lines)[len(lines) // 2]
    first, last = lines[0], lines[-1]
    from_mark = bool(_FROM_MARK.match(first.text))
    indented = first.box.x0 - box.x0 >= INDENT * size
    byline_first = _byline_line(first.text.strip())
    opens_mid = not (indented or from_mark or byline_first)
    short = last.box.x1 <= box.x1 - 0.8 * size and len(lines) > 1
    closed = (short and ends_sentence(last.text)) or bool(JUMP.search(last.text)) or _is_byline_end(last.text)
    # A byline alone (the closing one of a story whose last column starts with it) opens nothing.
    lead = bool(LEAD.match(first.text))
    return Segment(tuple(lines), box, size, opens_mid, not closed, from_mark, lead)


def _is_byline_end(text: str) -> bool:
    if not _BYLINE_HINT.search(text):  # no role word or mark: not a byline (skips the costly parsers)
        return False
    return bool(parse_byline(text.strip()) or split_trailing_byline(text.strip()))


def head_groups(lines: Sequence[TextLine], body: float, rules: Sequence[Box]) -> list[HeadGroup]:
    """Headline lines to groups: stacked closely, horizontally overlapping, one title run per group."""
    groups: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda x: (x.box.y0, x.box.x0)):
        target = next((g for g in groups if _joins_head(g, line, body, rules)), None)
        if target is None:
            groups.append([line])
        else:
            target.append(line)
    return [HeadGroup(tuple(g), union_all(x.box for x in g)) for g in groups]


def _joins_head(group: list[TextLine], line: TextLine, body: float, rules: Sequence[Box]) -> bool:
    last = group[-1]
    gap = line.box.y0 - last.box.y1
    # Lines of one headline sit close; the gap between stories is at least about a body line.
    if not -0.3 * line.size <= gap <= min(HEAD_GAP * min(line.size, last.size), 1.2 * body):
        return False
    if line.box.x_overlap(union_all(x.box for x in group)) <= 0 or _rule_between(last.box, line.box, rules):
        return False
    # A second title run means a second story's headline (one placed under its story, the next above its own).
    is_title = line.size >= TITLE_RATIO * body
    return not (is_title and last.size < TITLE_RATIO * body and any(x.size >= TITLE_RATIO * body for x in group))


# --- stories: the cut ----------------------------------------------------------------------------------------------


def set_over_or_beside(heads: Sequence[Item], segs: Sequence[Box], size: float) -> set[int]:
    """Ids of the headlines that have a body right under them or level beside them on their right, and no text
    ending right above them: such a headline is placed above or beside its story, so it does not also govern
    what stands above it (a story printed above a headline is that headline's only when the headline is set
    under its story)."""

    def under(b: Box, s: Box) -> bool:
        return _right_above(b, s, size, False)

    out = set()
    for h in heads:
        b = h.box
        if any(under(s, b) for s in segs):
            continue  # text ends right above it: set under its story, it keeps what is above
        for s in segs:
            # Level beside it counts only for a segment no other headline stands right over.
            beside = 0 <= s.x0 - b.x1 <= 3 * size and abs(s.y0 - b.y0) <= 2 * size
            if under(b, s) or (beside and not any(o is not h and under(o.box, s) for o in heads)):
                out.add(id(h))
                break
    return out


def governs(anchor: Item, seg: Segment, tol: float, pictures: Sequence[Box] = (), upward: bool = True) -> float | None:
    """How far `anchor` is from body segment `seg` if it can govern it, else None. A headline governs what is
    below it, what is beside it on its right, and (less usually, so counted further) what is above it; a jump-in
    segment governs itself, what is below it in its column and what is in columns to its right. Pictures
    between a headline and a segment under it do not count in the distance (a photo opens many stories)."""
    a, s = anchor.box, seg.box
    if anchor.seg is not None:
        if anchor.seg is seg:
            return 0.0
        if a.y1 <= s.y0 + tol and a.x_overlap(s) > 0:
            return s.y0 - a.y1
        # Columns to the right are counted as a headline counts them sideways (a quarter), plus any offset of
        # their tops: a story's columns start level, one after the other.
        if a.x1 <= s.x0 + tol and a.y_overlap(s) > 0:
            return 0.25 * (s.x0 - a.x1) + abs(s.y0 - a.y0)
        return None
    # Sideways distance counts a quarter: a headline centred over its story is far from the outer columns.
    across = 0.25 * max(0.0, a.x0 - s.x1, s.x0 - a.x1)
    found = []
    if a.y1 <= s.y0 + tol:
        photos = sum(p.height for p in pictures if p.x_overlap(s) > 0 and a.y1 - tol <= p.y0 and p.y1 <= s.y0 + tol)
        found.append(max(0.0, s.y0 - a.y1 - photos) + across)
    if a.x1 <= s.x0 + tol and a.y_overlap(_with_photo(s, pictures, tol)) > 0:
        found.append(s.x0 - a.x1)
    if upward and a.y0 >= s.y1 - tol:
        found.append(1.5 * (a.y0 - s.y1) + across)
    return min(found, default=None)


def _with_photo(seg: Box, pictures: Sequence[Box], size: float) -> Box:
    """The segment grown up over a picture set right above it in its column (photo and text below it are one
    block beside a headline)."""
    for p in pictures:
        if p.x_overlap(seg) > 0 and -size <= seg.y0 - p.y1 <= 2 * size:
            return Box(seg.x0, min(seg.y0, p.y0), seg.x1, seg.y1)
    return seg


@dataclass(frozen=True, slots=True)
class Around:
    """What `tight` needs to know about a part of the page, worked out once per part: its segments' and
    pictures' boxes, and how far right of a headline its text may start and still be beside it."""

    segs: tuple[Box, ...]
    pictures: tuple[Box, ...]
    reach: float


def around(items: Sequence[Item], size: float) -> Around:
    segs = tuple(i.box for i in items if i.seg is not None)
    # A headline's lines are left-aligned in its columns and may end well short of them: allow most of a column.
    reach = max(4 * size, 0.6 * statistics.median(s.width for s in segs)) if segs else 4 * size
    return Around(segs, tuple(i.box for i in items if i.picture), reach)


def anchors_of(items: Sequence[Item], tol: float) -> list[Item]:
    """The items that open a story: headline groups, and jump-in segments no headline sits right against (a
    continuation printed with its repeated headline is one story, not two)."""
    heads = [i for i in items if i.head is not None]
    out: list[Item] = list(heads)
    marks = [i for i in items if i.seg is not None and i.seg.opens_story]
    if not marks:
        return out
    ctx = around(items, tol)
    return out + [m for m in marks if not any(_heads(h, m, tol, ctx) for h in heads)]


def _heads(head: Item, mark: Item, size: float, ctx: Around) -> bool:
    """A headline sits over a segment that opens a story (a jump-in or a lead): right against it, or straight
    above it a little further (the headline's last line has its own leading, a fifth of its size). A jump-in
    column may be off the headline's width (at the edge of a centred headline's story); a lead is the first
    column of its story, so it must be within the headline's width (a brief beside a story is not its lead)."""
    any_x = mark.seg is not None and mark.seg.from_mark
    if tight(head.box, mark.box, size, ctx, any_x=any_x):
        return True
    slack = 0.2 * max(x.size for x in head.head.lines) if head.head is not None else 0.0
    gap = mark.box.y0 - head.box.y1
    return head.box.x_overlap(mark.box) > 0 and 0 <= gap <= HEAD_BODY_GAP * size + slack


def tight(head: Box, seg: Box, size: float, ctx: Around, any_x: bool = False) -> bool:
    """The segment sits right against the headline, as a story's own body does: starting right under it, ending
    right above it, or level with it on its right (only for a headline with no text right above or under it). Other stories keep a
    wider gap. With `any_x` the segment need not be within the headline's width (a jump-in column at the edge
    of a centred headline's story). A picture right under the headline with the segment right under it counts
    as right under (a story's photo between its headline and its text)."""
    if _right_above(head, seg, size, any_x) or _right_above(seg, head, size, any_x):
        return True
    if any(_right_above(head, p, size, False) and _right_above(p, seg, size, any_x) for p in ctx.pictures):
        return True
    level = 0 <= seg.x0 - head.x1 <= ctx.reach and abs(seg.y0 - head.y0) <= 2 * size
    if not level:
        return False
    # Only a headline with no text right above or right under it is set beside its story: one with text under
    # it is above its story and only level with the next story's first line by chance.
    return not any(_right_above(s, head, size, False) or _right_above(head, s, size, False) for s in ctx.segs)


def _right_above(upper: Box, lower: Box, size: float, any_x: bool) -> bool:
    # The vertical test first: it rules out almost every pair, and is cheaper than the overlap.
    return -0.5 * size <= lower.y0 - upper.y1 <= HEAD_BODY_GAP * size and (any_x or upper.x_overlap(lower) > 0)


def tight_pairs(items: Sequence[Item], size: float) -> list[tuple[int, int]]:
    """(headline, segment) item ids that no cut may part."""
    heads = [i for i in items if i.head is not None]
    segs = [i for i in items if i.seg is not None]
    ctx = around(items, size)
    pairs = [(id(h), id(s)) for h in heads for s in segs if tight(h.box, s.box, size, ctx)]
    marks = [s for s in segs if s.seg is not None and s.seg.opens_story]
    return pairs + [(id(h), id(m)) for h in heads for m in marks if _heads(h, m, size, ctx)]


def side_ok(items: Sequence[Item], tol: float) -> bool:
    """Each segment has a governing anchor on the side; each headline is the nearest governing anchor of some
    segment on the side (so it keeps a body of its own); a side with one headline has it where headlines go:
    centred over its story or flush with its left edge."""
    anchors = anchors_of(items, tol)
    segs = [i.seg for i in items if i.seg is not None]
    heads = [i for i in items if i.head is not None]
    pictures = [i.box for i in items if i.picture]
    placed = set_over_or_beside(heads, [s.box for s in segs], tol)
    owners: list[int] = []  # for each segment, the anchor governing it nearest
    for s in segs:
        near = [
            (d, k)
            for k, a in enumerate(anchors)
            if (d := governs(a, s, tol, pictures, id(a) not in placed)) is not None
        ]
        if not near:
            return False
        owners.append(min(near)[1])
    nearest = set(owners)
    if any(k not in nearest for k, a in enumerate(anchors) if a.head is not None):
        return False
    if len(heads) != 1:
        return True
    # The one headline is placed as headlines are over its own story: the segments it governs nearest (a brief
    # opened by a lead beside that story is not part of it), with the pictures among them.
    k = next(k for k, a in enumerate(anchors) if a is heads[0])
    own = [s.box for s, n in zip(segs, owners, strict=True) if n == k]
    return _head_placed(heads[0].box, own, pictures, tol)


def _head_placed(head: Box, own: Sequence[Box], pictures: Sequence[Box], size: float) -> bool:
    body = union_all([head, *own])
    span = union_all([body, *(p for p in pictures if p.x_overlap(body) > 0)])
    centred = abs((head.x0 + head.x1) / 2 - (span.x0 + span.x1) / 2) <= 1.5 * size
    return centred or abs(head.x0 - span.x0) <= 0.5 * size


@dataclass(frozen=True, slots=True)
class Cut:
    """A white band across a set of items: `vertical` cuts split left from right."""

    vertical: bool
    at: float
    gap: float
    first: tuple[Item, ...]
    second: tuple[Item, ...]


def cuts(items: Sequence[Item], vertical: bool) -> list[Cut]:
    """Every white band crossing the whole set along one axis."""

    def key(i: Item) -> tuple[float, float]:
        return (i.box.x0, i.box.x1) if vertical else (i.box.y0, i.box.y1)

    order = sorted(items, key=key)
    out: list[Cut] = []
    reach = key(order[0])[1]
    for k in range(1, len(order)):
        start, end = key(order[k])
        if start > reach + 0.5:
            out.append(Cut(vertical, (reach + start) / 2, start - reach, tuple(order[:k]), tuple(order[k:])))
        reach = max(reach, end)
    return out


def _ruled(cut: Cut, rules: Sequence[Box], span: Box) -> bool:
    """A printed rule runs along the band for at least half of the items' extent."""
    for r in rules:
        if cut.vertical and r.height > r.width:
            along, near = r.y_overlap(span) >= 0.5 * span.height, abs((r.x0 + r.x1) / 2 - cut.at)
        elif not cut.vertical and r.width > r.height:
            along, near = r.x_overlap(span) >= 0.5 * span.width, abs((r.y0 + r.y1) / 2 - cut.at)
        else:
            continue
        if along and near <= cut.gap / 2 + 1:
            return True
    return False


def breaks_flow(cut: Cut, size: float) -> bool:
    """A vertical cut parts a column that runs on mid-paragraph from the top of the next column on its right,
    where its text continues. (Across a horizontal cut text does not run on: a new band is a new module.)"""
    if not cut.vertical:
        return False
    first = [i.seg for i in cut.first if i.seg is not None and i.seg.ends_open]
    second = [i.seg for i in cut.second if i.seg is not None and i.seg.opens_mid]
    return any(0 <= b.box.x0 - a.box.x1 <= 3 * size and b.box.y0 <= a.box.y1 for a in first for b in second)


def best_cut(items: Sequence[Item], rules: Sequence[Box], size: float) -> Cut | None:
    """The widest acceptable cut, ruled ones first. Cuts breaking a column's flow are not acceptable."""
    span = union_all(i.box for i in items)
    ranked = sorted(
        cuts(items, True) + cuts(items, False),
        key=lambda c: (_ruled(c, rules, span), c.gap),
        reverse=True,
    )
    pairs = tight_pairs(items, size)
    for cut in ranked:
        first = {id(i) for i in cut.first}
        if any((h in first) != (s in first) for h, s in pairs):
            continue
        if side_ok(cut.first, size) and side_ok(cut.second, size) and not breaks_flow(cut, size):
            return cut
    return None


def split_stories(items: Sequence[Item], rules: Sequence[Box], size: float) -> list[list[Item]]:
    """Items grouped into stories (plus groups with no anchor: loose body text, or pictures alone). A part with
    one headline and no acceptable cut is one story (its jump-in segments are the headline's continuation)."""
    if len(anchors_of(items, size)) <= 1:
        return [list(items)]
    cut = best_cut(items, rules, size)
    if cut is None:
        if sum(1 for i in items if i.head is not None) <= 1:
            return [list(items)]
        return assign_nearest(items, size)
    return split_stories(cut.first, rules, size) + split_stories(cut.second, rules, size)


def assign_nearest(items: Sequence[Item], size: float) -> list[list[Item]]:
    """When no cut works: each segment goes to the nearest anchor governing it. A jump-in segment that no
    headline governs closely opens a story of its own; other items go with the story they overlap most."""
    heads = [i for i in items if i.head is not None]
    segs = sorted((i for i in items if i.seg is not None), key=lambda i: (i.box.x0, i.box.y0))
    groups: dict[int, list[Item]] = {id(h): [h] for h in heads}
    anchors = list(heads)
    pictures = [i.box for i in items if i.picture]
    placed = set_over_or_beside(heads, [i.box for i in segs], size)
    for item in segs:
        assert item.seg is not None
        near = [
            (d, id(a)) for a in anchors if (d := governs(a, item.seg, size, pictures, id(a) not in placed)) is not None
        ]
        if item.seg.opens_story and min((d for d, _ in near), default=1e9) > 3 * size:
            anchors.append(item)
            groups[id(item)] = [item]
        elif near:
            groups[min(near)[1]].append(item)
        else:
            groups.setdefault(0, []).append(item)
    others = [i for i in items if i.head is None and i.seg is None]
    for other in others:
        best = max(groups.values(), key=lambda g: sum(other.box.intersection_area(i.box) for i in g))
        best.append(other)
    return list(groups.values())


# --- articles ------------------------------------------------------------------------------------------------------


def headline_roles(group: HeadGroup | None, room: float = 0.0) -> tuple[str | None, str, str | None]:
    """(kicker, title, subtitle): the title is the run of the largest lines, the kicker what stands above it,
    the subtitle what stands below it (its leading dash is typography, not text). `room`: the width the
    headline could take (its story's span); lines of one part are joined as `_join_lines` says."""
    if group is None:
        return None, "", None
    lines = list(group.lines)
    room = max(room, group.box.width)
    top = max(x.size for x in lines)
    idx = [k for k, x in enumerate(lines) if x.size >= 0.9 * top]
    first, last = idx[0], idx[-1]
    kicker = _join_lines(lines[:first], room)
    title = _join_lines(lines[first : last + 1], room) or ""
    subtitle = _join_lines(lines[last + 1 :], room)
    if subtitle:
        subtitle = strip_dash(subtitle)
    return kicker, title, subtitle


def _join_lines(lines: Sequence[TextLine], room: float) -> str | None:
    """Headline lines as one text. A line ended by the width it had (less than two characters to spare) was
    wrapped: joined without a space. A line ended with room to spare was broken on purpose between two phrases
    (`全力以赴稳经济` / `用心用情优服务`): joined with one, as a reader writes it."""
    out = ""
    for prev, line in zip([None, *lines], lines, strict=False):
        text = line.text.strip()
        if not out:
            out = text
        elif prev is not None and prev.box.width + 2 * line.size <= room:
            out = f"{out} {text}"
        else:
            out = join_wrapped(out, text)
    return out or None


def reading_order(segs: Sequence[Segment]) -> list[Segment]:
    """Columns left to right, each top to bottom; a segment overlapping another's column comes after it if
    below it (a last paragraph set across two columns follows both)."""

    def before(a: Segment, b: Segment) -> int:
        if a.box.x_overlap(b.box) > 0.25 * min(a.box.width, b.box.width):
            return -1 if a.box.y0 < b.box.y0 else 1
        return -1 if a.box.x0 < b.box.x0 else 1

    return sorted(segs, key=functools.cmp_to_key(before))


def paragraphs_of(segs: Sequence[Segment]) -> list[str]:
    """Paragraphs of segments in reading order: a line indented from its column's left edge opens one, so does a
    line set flush right (a closing byline or jump marker on its own); anything else carries on the current one."""
    paras: list[str] = []
    lefts = [min(x.box.x0 for x in s.lines) for s in segs]
    for seg in segs:
        left = min(lf for s, lf in zip(segs, lefts, strict=True) if s.box.x_overlap(seg.box) > 0.5 * seg.box.width)
        right = max(x.box.x1 for x in seg.lines)
        for line in seg.lines:
            text = line.text.strip()
            indented = line.box.x0 - left >= INDENT * line.size
            flush_right = indented and line.box.x1 >= right - 0.5 * line.size
            # (A names-only line is short or has spaces: the cheap test spares the call for ordinary lines.)
            maybe_names = len(text) <= 4 or len(text.split()) > 1
            if paras and maybe_names and (flush_right or not indented) and _extends_byline(paras[-1], text):
                paras[-1] = f"{paras[-1]} {text}"
            elif not paras or indented or (_OPENER.match(text) and (_FROM_MARK.match(text) or _byline_line(text))):
                paras.append(text)
            else:
                paras[-1] = join_wrapped(paras[-1], text)
    return [p for p in paras if p]


def _byline_line(text: str) -> bool:
    """A whole line that is a byline (`| 记者 董华 姚海翔`). Bylines open with a mark or a role word: lines that do
    not are not parsed (the parser is the costliest thing done per line)."""
    return bool(_BYLINE_START.match(text)) and parse_byline(text) is not None


def _extends_byline(para: str, text: str) -> bool:
    """`text` is the rest of a byline broken over two lines (`| 记者 徐超超` / `姚海翔`)."""
    return bool(NAMES_ONLY.fullmatch(text)) and parse_byline(para) is not None


@dataclass(frozen=True, slots=True)
class Body:
    """A story's body text with its bylines and jumps taken out."""

    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    to_page: int | None
    from_page: int | None


def read_body(paras: list[str]) -> Body:
    """Jump markers anywhere, a byline as the first paragraph (or bracketed at its start) and a byline as the
    last paragraph (or trailing it)."""
    to_page = from_page = None
    clean = []
    for p in paras:
        text, to_p, from_p = find_jump(p)
        to_page, from_page = to_p or to_page, from_p or from_page
        if text:
            clean.append(text)
    authors: list[str] = []
    if clean and (names := parse_byline(clean[0])):
        authors.extend(names)
        clean = clean[1:]
    elif clean and (lead := split_leading_byline(clean[0])):
        authors.extend(lead[0])
        clean[0] = lead[1]
    if clean and (names := parse_byline(clean[-1])):
        authors.extend(n for n in names if n not in authors)
        clean = clean[:-1]
    elif clean and (tail := split_trailing_byline(clean[-1]) or _unmarked_tail(clean[-1])):
        authors.extend(n for n in tail[1] if n not in authors)
        clean[-1] = tail[0]
    return Body(tuple(p for p in clean if p), tuple(authors), to_page, from_page)


def _unmarked_tail(text: str) -> tuple[str, tuple[str, ...]] | None:
    """A closing byline with no mark before it, after the last sentence and a space (`…目标。 本报记者 董华`)."""
    m = _UNMARKED_TAIL.match(text)
    return (m.group(1), names_of(m.group(2))) if m else None


def build_article(group: Sequence[Item], page: int) -> tuple[Article | None, list[str]]:
    """An article from one story's items, and the fragments it leaves (extra headline groups, a headline
    with no body)."""
    heads = sorted((i.head for i in group if i.head is not None), key=lambda h: (h.box.y0, h.box.x0))
    segs = reading_order([i.seg for i in group if i.seg is not None])
    fragments = ["".join(x.text for x in h.lines) for h in heads[1:]]
    if not segs:
        return None, fragments + ["".join(x.text for x in h.lines) for h in heads[:1]]
    # A headline over (or under) its story may take the story's width; one beside it, only its own.
    span = union_all(s.box for s in segs)
    over = bool(heads) and heads[0].box.x_overlap(span) > 0.5 * heads[0].box.width
    kicker, title, subtitle = headline_roles(heads[0] if heads else None, span.width if over else 0.0)
    body = read_body(paragraphs_of(segs))
    regions = tuple(Region(page, b.x0, b.y0, b.x1, b.y1) for b in _region_boxes(group))
    article = Article(
        title,
        kicker,
        subtitle,
        body.authors,
        "\n".join(body.paragraphs),
        body.to_page,
        body.from_page,
        regions,
    )
    return article, fragments


def _region_boxes(group: Sequence[Item]) -> list[Box]:
    return [union_all(i.box for i in group)]


def _separate_overlaps(stories: list[tuple[Article, list[Item]]]) -> list[Article]:
    """Stories assigned without a clean cut can have overlapping outlines: give those one region per block."""
    out = []
    boxes = [union_all(i.box for i in items) for _a, items in stories]
    for k, (article, items) in enumerate(stories):
        clash = any(boxes[k].intersection_area(b) > 1.0 for j, b in enumerate(boxes) if j != k)
        if clash:
            regions = tuple(
                Region(r.page, i.box.x0, i.box.y0, i.box.x1, i.box.y1) for r in article.regions[:1] for i in items
            )
            article = Article(
                article.title,
                article.kicker,
                article.subtitle,
                article.authors,
                article.body,
                article.continues_to_page,
                article.continued_from_page,
                regions,
            )
        out.append(article)
    return out


# --- the page ------------------------------------------------------------------------------------------------------


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
    loose = [tuple(s) for s in _stack(small, LINE_GAP, content.rules)]
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
        return PageLayout((), tuple(fragments))
    stories: list[tuple[Article, list[Item]]] = []
    for group in split_stories(items, content.rules, roles.size):
        article, left = build_article(group, content.page)
        fragments.extend(left)
        if article is not None:
            stories.append((article, group))
    return PageLayout(tuple(_separate_overlaps(stories)), tuple(f for f in fragments if f))
