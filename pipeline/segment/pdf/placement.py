"""Which headline governs which body: a headline sits over, beside or under its own story."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import TypeVar

from pipeline.models import Box, union_all
from pipeline.segment.normalize import ends_sentence
from pipeline.segment.pdf.blocks import HEAD_BODY_GAP, HEAD_RATIO, Item, Segment, byline_line, rule_between, upright
from pipeline.segment.words import person_names

K = TypeVar("K")
RUN_ON_LINES = 3  # lines of a paragraph's end run on atop a column, placed by the flow rather than by headlines
CAPTION_ROOM = 4.0  # body sizes between a picture's foot and the text under it, a caption of two lines between
BESIDE_OVER = 10.0  # body sizes added to the distance of a column beside a headline that has text under it


def set_over_or_beside(heads: Sequence[Item], segs: Sequence[Box], size: float) -> set[int]:
    """Ids of the headlines that have a body right under them or level beside them on their right, and no text
    ending right above them: such a headline is placed above or beside its story, so it does not also govern
    what stands above it (a story printed above a headline is that headline's only when the headline is set
    under its story, and only a display headline is: a brief item's title at the text's size heads the text
    under it, whatever ends above it)."""

    def under(b: Box, s: Box) -> bool:
        return _right_above(b, s, size, False)

    out = set()
    for h in heads:
        b = h.box
        if is_display(h, size) and any(under(s, b) for s in segs):
            continue  # text ends right above it: set under its story, it keeps what is above
        for s in segs:
            # Level beside it counts only for a segment no other headline stands right over.
            beside = 0 <= s.x0 - b.x1 <= 3 * size and abs(s.y0 - b.y0) <= 2 * size
            if under(b, s) or (beside and not any(o is not h and under(o.box, s) for o in heads)):
                out.add(id(h))
                break
    return out


def governs(
    anchor: Item,
    seg: Segment,
    tol: float,
    pictures: Sequence[Box] = (),
    upward: bool = True,
    over: bool = False,
    heads: Sequence[Box] = (),
) -> float | None:
    """How far `anchor` is from body segment `seg` if it can govern it, else None. A headline governs what is
    below it, what is beside it on its right, and (less usually, so counted further) what is above it; a jump-in
    segment governs itself, what is below it in its column and what is in columns to its right up to a headline
    (`heads`) standing between them, level with that column's top: a continued story runs on rightwards until
    the next story's headline, whose text follows it. Pictures between a headline and a segment under it do not
    count in the distance (a photo opens many stories). With `over` (the headline has text right under it: it
    is set above its story) a column beside it counts as far as `BESIDE_OVER` body sizes more: the next
    story's column, unless no other headline governs it."""
    a, s = anchor.box, seg.box
    if anchor.seg is not None:
        if anchor.seg is seg:
            return 0.0
        if a.y1 <= s.y0 + tol and a.x_overlap(s) > 0:
            return s.y0 - a.y1
        # Columns to the right are counted as a headline counts them sideways (a quarter), plus any offset of
        # their tops: a story's columns start level, one after the other. A column's lower part, under an
        # intertitle, need not stand level with the jump-in's own segment.
        if a.x1 <= s.x0 + tol and (a.y_overlap(s) > 0 or s.y0 >= a.y1):
            if any(_across(h, a, s, tol) for h in heads):
                return None  # another story's headline stands between: the continued story ends before it
            return 0.25 * (s.x0 - a.x1) + abs(s.y0 - a.y0)
        return None
    # Sideways distance counts a quarter: a headline centred over its story is far from the outer columns.
    across = 0.25 * max(0.0, a.x0 - s.x1, s.x0 - a.x1)
    found = []
    # Below it: starting under its last line (a column off its width must start clear of it: one level with
    # its last line stands beside it).
    if a.y1 <= s.y0 + (tol if a.x_overlap(s) > 0 else 0.0):
        photos = sum(p.height for p in pictures if p.x_overlap(s) > 0 and a.y1 - tol <= p.y0 and p.y1 <= s.y0 + tol)
        # A column under a headline's width is that headline's before it is a neighbouring headline's off its
        # width (which may end a little lower): off the width counts a body size more.
        off = 0.0 if a.x_overlap(s) > 0 else tol
        found.append(max(0.0, s.y0 - a.y1 - photos) + across + off)
    if a.x1 <= s.x0 + tol and a.y_overlap(_with_photo(s, pictures, tol)) > 0:
        found.append(s.x0 - a.x1 + (BESIDE_OVER * tol if over else 0.0))
    if _upright_head(anchor) and (s.x1 <= a.x0 + tol or _runs_around(a, s, tol)) and a.y_overlap(s) > 0:
        # Upright writing runs right to left: its story is on its left, level with its top. A segment opening a
        # paragraph well below its top counts that drop too (it may be another story's column, under its own
        # headline).
        drop = 0.0 if seg.opens_mid else max(0.0, s.y0 - a.y0 - 2 * tol)
        found.append(0.25 * max(0.0, a.x0 - s.x1) + drop)
    if upward and a.y0 >= s.y1 - tol:
        found.append(1.5 * (a.y0 - s.y1) + across)
    if _set_into(a, s, tol) and is_display(anchor, tol):
        found.append(across)
    return min(found, default=None)


def _across(head: Box, jump: Box, seg: Box, size: float) -> bool:
    """The headline stands between a jump-in segment and a column on its right, level with that column's top."""
    return jump.x1 - size <= head.x0 and head.x1 <= seg.x0 + size and head.y0 - size <= seg.y0 <= head.y1


def is_display(anchor: Item, size: float) -> bool:
    """The headline is set in display type (`HEAD_RATIO` over the text size). Only a display title is set into
    its story's columns; a brief item's title, at about the text's size, heads the text under it."""
    return anchor.head is not None and max(x.size for x in anchor.head.lines) >= HEAD_RATIO * size


def _set_into(head: Box, seg: Box, size: float) -> bool:
    """A title set into its story's columns: an outer column starts above the title's top, runs on down past
    it and stands beside it (its lines level with the title wrap around it), up to the title's edge or within
    three ems of it. (A column of a story placed under its headline starts below it; this one starts above.)"""
    if not (seg.y0 < head.y0 - size and seg.y1 > head.y1 + size):
        return False
    left = seg.x0 < head.x0 and -3 * size <= seg.x1 - head.x0 <= 0.5 * seg.width
    right = seg.x1 > head.x1 and -3 * size <= head.x1 - seg.x0 <= 0.5 * seg.width
    return left or right


def _runs_around(head: Box, seg: Box, size: float) -> bool:
    """An upright title set into the corner of its story's column: the column starts beside the title (level
    with its top, or lower: the title often stands higher than the text, up to a banner over the column), its
    lines run on the title's left and then on under it across the measure, so the column's box holds the title
    at its outer edge."""
    return (
        seg.x0 < head.x0
        and seg.x1 >= head.x1 - size
        and head.y0 - 2 * size <= seg.y0 <= head.y1
        and seg.y1 > head.y1 + size
    )


def heads_over(heads: Sequence[Item], segs: Sequence[Box], size: float) -> set[int]:
    """Ids of the headlines with a body segment right under them (set above their story)."""
    return {id(h) for h in heads if any(_right_above(h.box, s, size, False) for s in segs)}


def _upright_head(item: Item) -> bool:
    """A headline set upright (vertical writing reads right to left: its story lies on its left and below)."""
    return item.head is not None and any(upright(x.box, x.text) for x in item.head.lines)


def _tall(box: Box) -> bool:
    return box.y1 - box.y0 > 3 * (box.x1 - box.x0)


def _with_photo(seg: Box, pictures: Sequence[Box], size: float) -> Box:
    """The segment grown up over a picture set right above it in its column (photo and text below it are one
    block beside a headline). A caption of a line or two may stand between them, set apart from the picture
    when it does not sit under it (`CAPTION_ROOM` body sizes in all)."""
    for p in pictures:
        if p.x_overlap(seg) > 0 and -size <= seg.y0 - p.y1 <= CAPTION_ROOM * size:
            return Box(seg.x0, min(seg.y0, p.y0), seg.x1, seg.y1)
    return seg


@dataclass(frozen=True, slots=True)
class Around:
    """What `tight` needs to know about a part of the page, worked out once per part: its segments', pictures'
    and headlines' boxes, and how far right of a headline its text may start and still be beside it."""

    segs: tuple[Box, ...]
    pictures: tuple[Box, ...]
    reach: float
    heads: tuple[Box, ...] = ()


def around(items: Sequence[Item], size: float) -> Around:
    segs = tuple(i.box for i in items if i.seg is not None)
    # A headline's lines are left-aligned in its columns and may end well short of them: allow most of a column.
    reach = max(4 * size, 0.6 * statistics.median(s.width for s in segs)) if segs else 4 * size
    return Around(segs, tuple(i.box for i in items if i.picture), reach, tuple(i.box for i in items if i.head))


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
    as right under (a story's photo between its headline and its text). An upright title holds the text on its
    left: the column next to it, and further columns whose first lines are level with its top (an upright
    title stands at the right of its story, level with its first lines) unless another headline stands between."""
    if _right_above(head, seg, size, any_x) or _right_above(seg, head, size, any_x):
        return True
    if any(_right_above(head, p, size, False) and _right_above(p, seg, size, any_x) for p in ctx.pictures):
        return True
    if _tall(head) and head.x0 >= seg.x1 and head.y_overlap(seg) > 0:
        if head.x0 - seg.x1 <= ctx.reach:
            return True  # an upright title and the text on its left
        if abs(seg.y0 - head.y0) <= 2 * size and not any(_between(h, seg, head) for h in ctx.heads):
            return True  # ... and its further columns, starting level with its top: no other headline between
    level = 0 <= seg.x0 - head.x1 <= ctx.reach and abs(seg.y0 - head.y0) <= 2 * size
    if not level:
        return False
    # Only a headline with no text right above or right under it is set beside its story: one with text under
    # it is above its story and only level with the next story's first line by chance.
    return not any(_right_above(s, head, size, False) or _right_above(head, s, size, False) for s in ctx.segs)


def _between(h: Box, seg: Box, head: Box) -> bool:
    """Headline `h` stands between a segment and an upright title on its right, level with the segment."""
    return h is not head and seg.x1 - 1 <= h.x0 and h.x1 <= head.x0 + 1 and h.y_overlap(seg) > 0


def _right_above(upper: Box, lower: Box, size: float, any_x: bool) -> bool:
    # The vertical test first: it rules out almost every pair, and is cheaper than the overlap.
    return -0.5 * size <= lower.y0 - upper.y1 <= HEAD_BODY_GAP * size and (any_x or upper.x_overlap(lower) > 0)


def tight_pairs(items: Sequence[Item], size: float, rules: Sequence[Box] = ()) -> list[tuple[int, int]]:
    """(headline, segment) item ids that no cut may part. A segment ending right above a headline is not held
    to it across a printed rule (`_ruled_off`): a rule closes a module, and the last lines of a story in the
    band above may end right over the next band's headline."""
    heads = [i for i in items if i.head is not None]
    segs = [i for i in items if i.seg is not None]
    ctx = around(items, size)
    flat = [r for r in rules if r.width > r.height]
    pairs = [
        (id(h), id(s))
        for h in heads
        for s in segs
        if tight(h.box, s.box, size, ctx) and not (flat and _ruled_off(h.box, s.box, flat))
    ]
    marks = [s for s in segs if s.seg is not None and s.seg.opens_story]
    pairs += [(id(h), id(m)) for h in heads for m in marks if _heads(h, m, size, ctx)]
    return pairs + _through_bylines(heads, segs, size)


def _through_bylines(heads: Sequence[Item], segs: Sequence[Item], size: float) -> list[tuple[int, int]]:
    """(headline, segment) ids held together through a byline set apart under the headline (centred under it,
    say, with up to two body lines of space over it): the story's columns start right under that byline,
    within the headline's width. A headline, its byline and its text are one block, as a headline and the
    photo under it are."""
    bylines = [s for s in segs if s.seg is not None and _byline_alone(s.seg, size)]
    out = []
    for h in heads:
        for b in bylines:
            if not (h.box.x_overlap(b.box) > 0 and 0 <= b.box.y0 - h.box.y1 <= 2 * HEAD_BODY_GAP * size):
                continue
            block = h.box.union(b.box)
            out += [(id(h), id(s)) for s in segs if s not in bylines and _right_above(block, s.box, size, False)]
    return out


def _byline_alone(seg: Segment, size: float) -> bool:
    """A segment that is only a byline (one line, or one broken over two), or only its author's name: one line
    of persons' names (`陈宝生`, `周  江  张济坤`) set in another size than the text, as a commentary's author
    stands under its title (the test `articles` reads such a line's names by)."""
    line = seg.lines[0]
    if len(seg.lines) <= 2 and byline_line(line.text.strip()):
        return True
    return len(seg.lines) == 1 and abs(line.size - size) > 0.05 * size and person_names(line.text.strip()) is not None


def _ruled_off(head: Box, seg: Box, rules: Sequence[Box]) -> bool:
    """The segment ends above the headline with a printed rule between them, across the headline: the rule
    closes the module the segment ends, and the headline opens the next."""
    return seg.y1 <= head.y0 + 1 and rule_between(seg, head, rules)


def head_right_over(heads: Sequence[Item], seg: Box, size: float, pictures: Sequence[Box] = ()) -> Item | None:
    """The headline the segment starts right under, within its width (the nearest, if several): a story's text
    starts right under its headline, or right under the story's photo (and its caption) set a line or two
    under it, so that segment is that headline's story's, whatever other headline stands beside it."""
    under = [p for p in pictures if p.x_overlap(seg) > 0 and -size <= seg.y0 - p.y1 <= 2 * size]
    over = [
        h
        for h in heads
        if _right_above(h.box, seg, size, False)
        or (
            h.box.x_overlap(seg) > 0
            and any(p.x_overlap(h.box) > 0 and -0.5 * size <= p.y0 - h.box.y1 <= 2 * size for p in under)
        )
    ]
    return max(over, key=lambda h: h.box.y1, default=None)


def flow_links(segs: Sequence[Item], size: float, opening: Set[int] = frozenset()) -> dict[int, Item]:
    """For each segment that carries on another one in a story's flow, that one (keys are item ids). Text runs
    down a column and on from the foot of one column to the top of the next: a short segment (a paragraph's
    last lines, `RUN_ON_LINES`) opening mid-paragraph atop a column carries on the one ending mid-paragraph at
    the foot of the column on its left (a longer one is placed by its own headline). An intertitle (小标题) stands
    between paragraphs of one story's column: the intertitle right under a segment, and the text right under an
    intertitle, carry that segment on, whatever headline stands off to the side. A segment opening a story
    (ids in `opening`: a jump-in, or text right under its headline) carries nothing on."""
    out: dict[int, Item] = {}
    for s in segs:
        assert s.seg is not None
        if id(s) in opening:
            continue
        above = [
            p
            for p in segs
            if p is not s
            and p.seg is not None
            and (_intertitle_like(p.seg, size) or _intertitle_like(s.seg, size))
            and -0.5 * size <= s.box.y0 - p.box.y1 <= 2.5 * size
            and p.box.x_overlap(s.box) > 0.5 * min(p.box.width, s.box.width)
        ]
        if above:
            out[id(s)] = max(above, key=lambda p: p.box.y1)
            continue
        if not s.seg.opens_mid or len(s.seg.lines) > RUN_ON_LINES:
            continue
        foot = foot_on_left(s, segs, size)
        if foot is not None:
            out[id(s)] = foot
    return out


def foot_on_left(s: Item, segs: Sequence[Item], size: float, band: bool = True) -> Item | None:
    """The segment ending mid-paragraph at the foot of the column on the left of `s` (a segment atop a column,
    opening mid-paragraph): where the text `s` carries on ends. None if that column's foot ends a paragraph.
    With `band`, that column stands beside `s` (a column of the same band) and its foot is the lowest of its
    segments above `s`'s foot; without, `segs` hold one block's columns (a brief column's) and the foot is the
    column's last segment."""
    feet = [
        a
        for a in segs
        if a.seg is not None
        and a.seg.ends_open
        and 0 <= s.box.x0 - a.box.x1 <= 3 * size
        and a.box.y1 > s.box.y0
        and (not band or a.box.y0 < s.box.y1)
        and not any(
            b is not a and b.box.x_overlap(a.box) > 0 and b.box.y0 >= a.box.y1 - 1 and (not band or b.box.y0 < s.box.y1)
            for b in segs
        )
    ]
    return max(feet, key=lambda a: a.box.y1, default=None)


def _intertitle_like(seg: Segment, size: float) -> bool:
    """An intertitle: one found as such, or a line or two of their own in bold or a little larger than the text,
    ending no sentence and naming no author (a byline closes a story, it does not carry one on)."""
    if seg.intertitle:
        return True
    if len(seg.lines) > 2 or not all(x.bold or x.size > 1.05 * size for x in seg.lines):
        return False
    return not ends_sentence(seg.lines[-1].text) and not byline_line(seg.lines[0].text.strip())


def flow_owners(
    segs: Sequence[Item],
    owner: Mapping[int, K],
    heads: Sequence[Item],
    pictures: Sequence[Box],
    size: float,
    head_key: Callable[[Item], K | None],
) -> dict[int, K]:
    """`owner` (segment id to its story's key) corrected by how text is set: a segment right under a headline
    (`head_right_over`) is that headline's (`head_key` gives its key), and a jump-in opens its own story; a
    segment carrying on another (`flow_links`: through an intertitle, or a paragraph's end run on atop the next
    column) is the story's of the first segment of its flow, since such a piece may sit nearer another story's
    headline than its own."""
    fixed: dict[int, K] = {}
    for s in segs:
        h = head_right_over(heads, s.box, size, pictures)
        if s.seg is not None and s.seg.opens_story and id(s) in owner:
            fixed[id(s)] = owner[id(s)]  # a jump-in opens its own story
        elif h is not None and (k := head_key(h)) is not None:
            fixed[id(s)] = k
    out = {**owner, **fixed}
    links = flow_links(segs, size, fixed.keys())
    for s in segs:
        key, seen = id(s), {id(s)}
        while key not in fixed and key in links and id(links[key]) in out and id(links[key]) not in seen:
            key = id(links[key])
            seen.add(key)
        out[id(s)] = out[key]
    return out


def side_ok(items: Sequence[Item], tol: float) -> bool:
    """Each segment has a governing anchor on the side; each headline is the nearest governing anchor of some
    segment on the side (so it keeps a body of its own); a side with one headline holds text of its own, not
    only a byline, and has it where headlines go: centred over its story or flush with its left edge."""
    anchors = anchors_of(items, tol)
    segs = [i.seg for i in items if i.seg is not None]
    heads = [i for i in items if i.head is not None]
    pictures = [i.box for i in items if i.picture]
    placed = set_over_or_beside(heads, [s.box for s in segs], tol)
    over = heads_over(heads, [s.box for s in segs], tol)
    head_boxes = [h.box for h in heads]
    owners: list[int] = []  # for each segment, the anchor governing it nearest
    for s in segs:
        near = [
            (d, k)
            for k, a in enumerate(anchors)
            if (d := governs(a, s, tol, pictures, id(a) not in placed, id(a) in over, head_boxes)) is not None
        ]
        if not near:
            return False
        owners.append(min(near)[1])
    seg_items = [i for i in items if i.seg is not None]
    index = {id(a): k for k, a in enumerate(anchors)}
    fixed = flow_owners(
        seg_items,
        {id(i): k for i, k in zip(seg_items, owners, strict=True)},
        heads,
        pictures,
        tol,
        lambda h: index.get(id(h)),
    )
    owners = [fixed[id(i)] for i in seg_items]
    nearest = set(owners)
    if any(k not in nearest for k, a in enumerate(anchors) if a.head is not None):
        return False
    if len(heads) != 1:
        return True
    # The one headline is placed as headlines are over its own story: the segments it governs nearest (a brief
    # opened by a lead beside that story is not part of it), with the pictures among them.
    k = next(k for k, a in enumerate(anchors) if a is heads[0])
    if all(_byline_alone(s, tol) for s, n in zip(segs, owners, strict=True) if n == k):
        return False  # a title and its byline with no text is no story: the cut parts them from the text under
    own = [s.box for s, n in zip(segs, owners, strict=True) if n == k]
    return _head_placed(heads[0].box, own, pictures, tol)


def _head_placed(head: Box, own: Sequence[Box], pictures: Sequence[Box], size: float) -> bool:
    body = union_all([head, *own])
    span = union_all([body, *(p for p in pictures if p.x_overlap(body) > 0)])
    centred = abs((head.x0 + head.x1) / 2 - (span.x0 + span.x1) / 2) <= 1.5 * size
    flush_right = _tall(head) and abs(head.x1 - span.x1) <= 1.5 * size  # an upright title at its story's right
    return centred or flush_right or abs(head.x0 - span.x0) <= 0.5 * size
