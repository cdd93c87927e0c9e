"""Blocks of a PDF page: body lines stacked into column segments, headline lines into headline groups.

Type sizes are read against the page's body size: a newspaper sets its running text in one size, and headlines,
captions and notes in sizes set apart from it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import Box, TextLine, union_all
from pipeline.segment.bylines import (
    JUMP,
    LEAD,
    parse_byline,
    split_trailing_byline,
)
from pipeline.segment.normalize import ends_sentence

HEAD_RATIO = 1.18  # a headline line is at least this much larger than body text
BOLD_HEAD_RATIO = 1.08  # ... or this much larger and bold
SMALL_RATIO = 0.9  # lines this much smaller than body text are captions, credits, notes
TITLE_RATIO = 1.7  # within headlines, titles are set much larger than kickers and subtitles
LINE_GAP = 0.9  # body lines further apart than this many body sizes belong to different segments
HEAD_GAP = 0.9  # headline lines further apart than this many (smaller) line sizes belong to different groups
HEAD_BODY_GAP = 1.3  # a headline sits at most this many body sizes above its own body
PHRASE_GAP = 2.5  # the phrases of one headline line stand at most this many ems apart
INDENT = 1.2  # a first line starts at least this many sizes in from its column's left edge
INDENT_EMS = 3.0  # a paragraph's first line starts two ems into its measure (one more em for slack)
UNMARKED_TAIL = re.compile(
    r"^(.*[。！？”’」）])\s+((?:本报记者|特约记者|记者|本报通讯员|通讯员)\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*)$"
)
BYLINE_START = re.compile(
    r"\s*(?:[|｜□■●◆▲△]|本报|记者|通讯员|特约|见习|实习|首席|融媒体|县融媒体|文/|图/|文图|图文|摄影|撰稿|整理|编辑)"
)
_BYLINE_HINT = re.compile(r"[|｜□■●◆▲△]|记者|通讯员|摄|撰稿|整理|编辑|文/|图/")
FROM_MARK = re.compile(r"^\s*[（(]\s*(上接|接|紧接)")
# A chart's or table's source line and a graphics credit (`数据来源：国家统计局`, `本版制图：李姿阅`): furniture of a
# picture, never a story's text.
CREDIT = re.compile(r"^\s*[（(]?\s*(?:数据来源|资料来源|来源|本版制图|制图|製圖)\s*[:：]")
# The page's editors are credited on a line of their own (in a footer or beside the header: `责任编辑：王洁
# 版式：姚琴 校对：沈佳`), never inside a story.
EDITOR_CREDIT = re.compile(r"^\s*(?:本版)?(?:责任编辑|责编|美术编辑|美编|版式设计|版式|校对|图片编辑|值班编辑)\s*[:：]")
# What a line opening a paragraph by its words (not its indent) starts with: a jump-in mark or a byline's mark
# or role word. One regex for both, so ordinary lines are dismissed with a single match.
OPENER = re.compile(rf"{FROM_MARK.pattern}|{BYLINE_START.pattern}")


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
    intertitle: bool = False

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


def stack_lines(lines: Sequence[TextLine], max_gap: float, rules: Sequence[Box]) -> list[list[TextLine]]:
    """Lines grouped into vertical stacks: each line joins the stack whose last line is right above it (within
    `max_gap` times the line size), overlaps it horizontally by half the narrower width (or lies within the
    stack's width: a short line such as `蔡俊` still finds its column, or overlaps it, or ends where it starts,
    and starts within two and a half ems of it: lines of a column start at its edge or indented by two
    characters) and has its size, with no horizontal rule in between. Lines are taken top to bottom, so a stack
    is in reading order. (Hot loop: plain arithmetic.)"""
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
    if gap < -0.5 * size:
        return False
    other_size = abs(size - lsize) > 0.08 * lsize
    if gap > max_gap * (size if size < lsize else lsize):
        # A closing byline reduced to fit the measure keeps the column's leading under the last line: its gap
        # is the text's. (An opening byline set apart over the text is a block of its own.)
        wide = size < lsize and gap <= max_gap * lsize
        if not (other_size and wide and byline_line(line.text.strip())):
            return False
    elif other_size and not _byline_of_column(last, line):
        return False  # another size is another text
    width, lwidth = box.x1 - box.x0, lb.x1 - lb.x0
    overlap = lb.x_overlap(box)
    if overlap >= 0.5 * (width if width < lwidth else lwidth):
        return True
    if abs(box.x0 - lb.x0) <= 2.5 * size and (overlap > 0 or lb.x0 - box.x1 <= 0.5 * size):
        # Both start at the column's edge or indented from it (a short indented byline, then names: a
        # two-character name flush left ends where the indented line above it starts).
        return True
    return (box.x1 if box.x1 < span[1] else span[1]) - (box.x0 if box.x0 > span[0] else span[0]) >= 0.5 * width


def _byline_of_column(upper: TextLine, lower: TextLine) -> bool:
    """A byline in its own size that is part of a column's text: one closing it (right under its last line),
    or one opening it, set within the column's measure atop its first line (which may be indented). A byline
    wider than the column under it is centred under a headline across the story's columns and stays a block
    of its own (`_set_apart_bylines`)."""
    if byline_line(lower.text.strip()):
        return True
    a, b = upper.box, lower.box
    within = a.x1 <= b.x1 + 0.5 * lower.size and a.x0 >= b.x0 - 2.5 * lower.size
    return within and byline_line(upper.text.strip())


def _ruled_between(upper: Box, lower: Box, rules: list[Box], ys: list[float]) -> bool:
    """A horizontal rule (from `rules`, sorted with their mid-heights `ys`) lies between the two boxes."""
    k = bisect.bisect_left(ys, upper.y1 - 1)
    while k < len(ys) and ys[k] <= lower.y0 + 1:
        if rules[k].x_overlap(lower) > 0:
            return True
        k += 1
    return False


def rule_between(upper: Box, lower: Box, rules: Sequence[Box]) -> bool:
    """A horizontal rule lies between the two boxes, across the lower one."""
    return any(
        r.width > r.height and upper.y1 - 1 <= (r.y0 + r.y1) / 2 <= lower.y0 + 1 and r.x_overlap(lower) > 0
        for r in rules
    )


def segments(lines: Sequence[TextLine], rules: Sequence[Box]) -> list[Segment]:
    """Body lines to column segments."""
    return [_segment(s) for s in stack_lines(lines, LINE_GAP, [r for r in rules if r.width > r.height])]


def _segment(lines: list[TextLine]) -> Segment:
    box = union_all(x.box for x in lines)
    size = sorted(x.size for x in lines)[len(lines) // 2]
    first, last = lines[0], lines[-1]
    from_mark = bool(FROM_MARK.match(first.text))
    indented = first.box.x0 - box.x0 >= INDENT * size
    byline_first = byline_line(first.text.strip())
    opens_mid = not (indented or from_mark or byline_first)
    short = last.box.x1 <= box.x1 - 0.8 * size and len(lines) > 1
    # A closing byline may break over the last two lines (`（记者 徐超超` / `蔡俊）`).
    tail = f"{lines[-2].text} {last.text}" if len(lines) > 1 and len(last.text) <= 8 else last.text
    closed = (
        (short and ends_sentence(last.text))
        or bool(JUMP.search(last.text))
        or _is_byline_end(last.text)
        or (tail is not last.text and _is_byline_end(tail))
    )
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
    for line in _phrases_joined(sorted(lines, key=lambda x: (x.box.y0, x.box.x0))):
        target = next((g for g in groups if _joins_head(g, line, body, rules)), None)
        if target is None:
            groups.append([line])
        else:
            target.append(line)
    return [HeadGroup(tuple(g), union_all(x.box for x in g)) for g in groups]


def upright(box: Box, text: str) -> bool:
    """A line set upright (one character under the other): taller than wide by half again, two characters or more."""
    return len(text) >= 2 and box.y1 - box.y0 > 1.5 * (box.x1 - box.x0)


def _phrases_joined(lines: Sequence[TextLine]) -> list[TextLine]:
    """Headline lines (top down, then left to right) with the phrases of one line joined: a deck is often set as
    two phrases on one line with a wide space between (`适应融合趋势　　增强竞争优势`): same size, same baseline,
    at most `PHRASE_GAP` ems apart, and both over (or under) one larger headline line spanning them (side-by-side
    stories' decks each stand over their own title)."""
    out: list[TextLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and abs(prev.size - line.size) <= 0.05 * line.size
            and abs(prev.box.y1 - line.box.y1) <= 0.2 * line.size
            and 0 <= line.box.x0 - prev.box.x1 <= PHRASE_GAP * line.size
            and any(_spans_both(t, prev, line) for t in lines)
        ):
            out[-1] = TextLine(f"{prev.text} {line.text}", prev.box.union(line.box), prev.size, prev.bold, prev.font)
        else:
            out.append(line)
    return out


def _spans_both(title: TextLine, a: TextLine, b: TextLine) -> bool:
    t = title.box
    near = min(abs(t.y0 - a.box.y1), abs(a.box.y0 - t.y1)) <= 2 * a.size
    return title.size > 1.2 * a.size and near and t.x0 <= a.box.x0 + a.size and t.x1 >= b.box.x1 - a.size


def _joins_head(group: list[TextLine], line: TextLine, body: float, rules: Sequence[Box]) -> bool:
    last = group[-1]
    gap = line.box.y0 - last.box.y1
    # Lines of one headline sit close; the gap between stories is at least about a body line. A title under its
    # kicker brings its own leading, a fifth of its size, into the gap.
    lead = 0.2 * line.size if line.size > last.size else 0.0
    if not -0.3 * line.size <= gap <= min(HEAD_GAP * min(line.size, last.size) + lead, 2.0 * body):
        return False
    span = union_all(x.box for x in group)
    if line.box.x_overlap(span) <= 0 or rule_between(last.box, line.box, rules):
        return False
    if not _aligned(line.box, span, 2 * line.size):
        return False  # a heading centred in one column under a wider headline is that column's intertitle
    # A second title run means a second story's headline (one placed under its story, the next above its own).
    is_title = line.size >= TITLE_RATIO * body
    return not (is_title and last.size < TITLE_RATIO * body and any(x.size >= TITLE_RATIO * body for x in group))


def _aligned(box: Box, span: Box, tol: float) -> bool:
    """The lines of one headline are centred on each other, flush right with each other, or flush left (a wrapped
    heading may hang: its first line set in by up to three characters, the next ones flush left)."""
    centred = abs((box.x0 + box.x1) / 2 - (span.x0 + span.x1) / 2) <= tol
    left = span.x0 - 1.5 * tol <= box.x0 <= span.x0 + tol
    return centred or left or abs(box.x1 - span.x1) <= tol


def byline_line(text: str) -> bool:
    """A whole line that is a byline (`| 记者 董华 姚海翔`). Bylines open with a mark or a role word: lines that do
    not are not parsed (the parser is the costliest thing done per line)."""
    return bool(BYLINE_START.match(text)) and parse_byline(text) is not None
