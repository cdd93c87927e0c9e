"""Stories from blocks: the page cut recursively along white bands (an XY cut), each part one anchor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import Box, union_all
from pipeline.segment.pdf.blocks import Item
from pipeline.segment.pdf.placement import (
    CAPTION_ROOM,
    anchors_of,
    flow_owners,
    foot_on_left,
    governs,
    heads_over,
    is_display,
    set_over_or_beside,
    side_ok,
    tight_pairs,
)


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
    where its text continues (`_column_top`). (Across a horizontal cut text does not run on: a new band is a
    new module.)"""
    if not cut.vertical:
        return False
    first = [i.seg for i in cut.first if i.seg is not None and i.seg.ends_open]
    second = [i.seg for i in cut.second if i.seg is not None and i.seg.opens_mid]
    pictures = [i.box for i in cut.second if i.picture]
    return any(
        0 <= b.box.x0 - a.box.x1 <= 3 * size and b.box.y0 <= a.box.y1 and _column_top(b.box, a.box, pictures, size)
        for a in first
        for b in second
    )


def _column_top(b: Box, a: Box, pictures: Sequence[Box], size: float) -> bool:
    """`b` can be where the text of column `a` runs on: it starts in the upper half of `a` (a story's columns
    start level), or right under a picture set into its column (the text wraps under the story's photo)."""
    if b.y0 - a.y0 <= 0.5 * a.height:
        return True
    return any(p.x_overlap(b) > 0 and -size <= b.y0 - p.y1 <= CAPTION_ROOM * size for p in pictures)


def best_cut(items: Sequence[Item], rules: Sequence[Box], size: float) -> Cut | None:
    """The widest acceptable cut, ruled ones first. Cuts breaking a column's flow are not acceptable."""
    span = union_all(i.box for i in items)
    ranked = sorted(
        cuts(items, True) + cuts(items, False),
        key=lambda c: (_ruled(c, rules, span), c.gap),
        reverse=True,
    )
    pairs = tight_pairs(items, size, rules)
    for cut in ranked:
        first = {id(i) for i in cut.first}
        if any((h in first) != (s in first) for h, s in pairs):
            continue
        if side_ok(cut.first, size) and side_ok(cut.second, size) and not breaks_flow(cut, size):
            return cut
    return None


# A story's picture stands within this many body sizes of one of its blocks (into or against its columns).
PICTURE_REACH = 3


def split_stories(items: Sequence[Item], rules: Sequence[Box], size: float) -> list[list[Item]]:
    """Items grouped into stories (plus groups with no anchor: loose body text, or pictures alone). A part with
    one headline and no acceptable cut is one story (its jump-in segments are the headline's continuation)."""
    if len(anchors_of(items, size)) <= 1:
        return _one_story(items, size)
    cut = best_cut(items, rules, size)
    if cut is None:
        if sum(1 for i in items if i.head is not None) <= 1:
            return _one_story(items, size)
        return assign_nearest(items, size)
    return split_stories(cut.first, rules, size) + split_stories(cut.second, rules, size)


def _one_story(items: Sequence[Item], size: float) -> list[list[Item]]:
    """A part holding one story: its items, but for pictures that stand farther from its text than a story's
    photo does (`_picture_owner`), each alone."""
    text = _text_items(items)
    if not text:
        return [list(items)]
    story = list(text)
    alone = []
    for pic in (i for i in items if i.head is None and i.seg is None):
        if _picture_owner(pic, [text], size) is None:
            alone.append([pic])
        else:
            story.append(pic)
    return [story, *alone]


def assign_nearest(items: Sequence[Item], size: float) -> list[list[Item]]:
    """When no cut works: each segment goes to the nearest anchor governing it. A jump-in segment that no
    headline governs closely opens a story of its own; other items go with the story they overlap most."""
    heads = [i for i in items if i.head is not None]
    segs = sorted((i for i in items if i.seg is not None), key=lambda i: (i.box.x0, i.box.y0))
    groups: dict[int, list[Item]] = {id(h): [h] for h in heads}
    anchors = list(heads)
    pictures = [i.box for i in items if i.picture]
    placed = set_over_or_beside(heads, [i.box for i in segs], size)
    over = heads_over(heads, [i.box for i in segs], size)
    head_boxes = [h.box for h in heads]
    for item in segs:
        assert item.seg is not None
        near = [
            (d, id(a))
            for a in anchors
            if (d := governs(a, item.seg, size, pictures, id(a) not in placed, id(a) in over, head_boxes)) is not None
        ]
        if item.seg.opens_story and min((d for d, _ in near), default=1e9) > 3 * size:
            anchors.append(item)
            groups[id(item)] = [item]
        elif near:
            # of anchors at one distance, the first: ids are memory addresses, which differ from run to run
            groups[min(near, key=lambda t: t[0])[1]].append(item)
        else:
            groups.setdefault(0, []).append(item)
    where = {id(i): k for k, g in groups.items() for i in g}
    moved = flow_owners(segs, where, heads, pictures, size, lambda h: id(h))
    if moved != where:
        for item in segs:
            if moved[id(item)] != where[id(item)]:
                groups[where[id(item)]].remove(item)
                groups[moved[id(item)]].append(item)
    _brief_flow(groups, heads, size)
    loose: list[list[Item]] = []
    for other in (i for i in items if i.head is None and i.seg is None):
        best = _picture_owner(other, list(groups.values()), size)
        if best is None:
            loose.append([other])
        else:
            best.append(other)
    return list(groups.values()) + loose


def _picture_owner(pic: Item, groups: Sequence[list[Item]], size: float) -> list[Item] | None:
    """The story a picture goes with when no cut parts the page: the one whose blocks it overlaps most, else the
    one with a text block nearest to it, within `PICTURE_REACH` lines (a story's photo is set into or against its
    columns). A picture farther from every story's text stands alone (a photo of its own, with its caption)."""
    best = max(groups, key=lambda g: sum(pic.box.intersection_area(i.box) for i in g), default=None)
    if best is not None and sum(pic.box.intersection_area(i.box) for i in best) > 0:
        return best
    near = [(min(_gap(pic.box, i.box) for i in text), k) for k, g in enumerate(groups) if (text := _text_items(g))]
    d, k = min(near, default=(float("inf"), -1))
    return groups[k] if d <= PICTURE_REACH * size else None


def _text_items(group: Sequence[Item]) -> list[Item]:
    return [i for i in group if i.head is not None or i.seg is not None]


def _gap(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they touch or overlap)."""
    dx = max(0.0, b.x0 - a.x1, a.x0 - b.x1)
    dy = max(0.0, b.y0 - a.y1, a.y0 - b.y1)
    return max(dx, dy)


def _brief_flow(groups: dict[int, list[Item]], heads: Sequence[Item], size: float) -> None:
    """In a brief column, a segment atop a later column that opens mid-paragraph carries on the item whose
    text ends mid-paragraph at the foot of the column on its left: it joins that item (a column runs on into
    the next). Items are led by titles at about the text's size (not display type), so this holds between
    stories under such titles only; display headlines are placed by the cut."""
    brief = {id(h) for h in heads if not is_display(h, size)}
    owner = {id(i): k for k, g in groups.items() for i in g}
    segs = [i for k, g in groups.items() if k in brief for i in g if i.seg is not None]
    for s in segs:
        assert s.seg is not None
        if not s.seg.opens_mid:
            continue
        foot = foot_on_left(s, segs, size, band=False)
        if foot is None:
            continue
        if owner[id(foot)] != owner[id(s)]:
            groups[owner[id(s)]].remove(s)
            groups[owner[id(foot)]].append(s)
            owner[id(s)] = owner[id(foot)]
