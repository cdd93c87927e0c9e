"""One page's positioned lines to a `PageLayout`: roles, blocks, the cut, articles."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.models import Article, Box, PageContent, PageLayout, TextLine, union_all
from pipeline.segment.bylines import BRIEF_LABEL, standalone_names
from pipeline.segment.normalize import ends_sentence, open_brackets
from pipeline.segment.pdf.articles import build_article, reading_order, separate_overlaps
from pipeline.segment.pdf.blocks import (
    BOLD_HEAD_RATIO,
    CREDIT,
    EDITOR_CREDIT,
    HEAD_RATIO,
    INDENT_EMS,
    LINE_GAP,
    SMALL_RATIO,
    Item,
    Segment,
    body_size,
    byline_line,
    head_groups,
    segments,
    stack_lines,
)
from pipeline.segment.pdf.cuts import split_stories
from pipeline.segment.pdf.intertitles import split_intertitles

_POINTER = re.compile(r"^\s*[●■◆▲•►]|第\s*\d+\s*版")  # a teaser's bullet or page reference
DISPLAY_RATIO = 1.1  # a line this much larger than the text, on a headline, is display type
DISPLAY_LINES = 3  # ... in a stack of at most this many lines (a kicker or deck wraps to a few lines)
BOXED_TEXT = 24  # characters of body text a framed story has at least (a full line of a wide column)
BYLINE_RATIO = 1.5  # a byline (`本报记者 沈烨冰`) may be set up to this much larger than the text, never as a title
SMALL_BYLINE = 0.6  # ... or down to this much of it (reduced to fit the measure), never as a caption or note
FIRST_LINES = 4.0  # sizes under a brief column's top its columns' first text lines start within (past a title)
OWN_TEXT = 40  # characters of text a story holds before a continuation can follow it (more than a byline)
CAPTION_GAP = 2.0  # a caption's first line stands at most this many of its sizes under its picture
OVERHANG = 6.0  # ems a caption in its own face may reach past its picture's edges (set on the column's measure)
CREDIT_CHARS = 16  # a credit printed on a picture is a short line
CAPTION_ROWS = 4  # rows a caption in the text's own face runs to, its credit's included
_SENTENCE_MARK = re.compile(r"[。！？]")
# A picture's credit: its maker's name and 摄 (photo), 制图 / 供图, or a drawing's `作` / `绘` after a space or
# before the issuing agency (`翟桂溪作（新华社发）`); a bare `…工作` ends many a heading and is no credit.
PICTURE_CREDIT = re.compile(r"(?:摄|制图|供图|\s(?:作|绘)|[（(][^（）()]{1,10}发[)）])\s*$")
# A story's preface, often boxed: an abstract (内容提要 / 提要 / 摘要 / 核心阅读) or an editor's note (编者按).
PREFACE = re.compile(r"^\s*[【［\[〔]?\s*(?:内容提要|提\s*要|摘\s*要|核心阅读|编者按)")
PREFACE_LABEL = re.compile(r"[【［\[〔]?\s*(?:内容提要|提\s*要|摘\s*要|核心阅读|编者按)\s*[】］\]〕]?\s*[：:]?\s*")


@dataclass(frozen=True, slots=True)
class Roles:
    """A page's lines sorted by role; `pictures` are the page's pictures grown by their captions; `boxed` the
    frames holding a story, with their lines."""

    body: tuple[TextLine, ...]
    heads: tuple[TextLine, ...]
    fragments: tuple[tuple[TextLine, ...], ...]
    pictures: tuple[Box, ...]
    size: float
    boxed: tuple[tuple[Box, tuple[TextLine, ...]], ...] = ()
    briefs: tuple[TextLine, ...] = ()  # the titles of a brief column's items (`_brief_titles`)


def sort_roles(content: PageContent, size: float | None = None) -> Roles:
    """Frames' contents and captions first (they may be in any size), then lines by size."""
    size = size or body_size(content.lines)
    page_lines = [_as_text(x, size) if PREFACE_LABEL.fullmatch(x.text) else x for x in content.lines]
    frames = [f for f in content.frames if f.width * f.height < 0.6 * content.width * content.height]
    framed: list[list[TextLine]] = [[] for _ in frames]
    rest: list[TextLine] = [] if frames else page_lines
    for line in page_lines if frames else ():
        k = next((k for k, f in enumerate(frames) if f.contains_center(line.box)), None)
        if k is None:
            rest.append(line)
        else:
            framed[k].append(line)
    boxed: list[tuple[Box, tuple[TextLine, ...]]] = []
    for k, lines in enumerate(framed):
        if _boxed_story(lines, size):  # a story set in a box is read like a page of its own: the frame bounds it
            boxed.append((frames[k], tuple(lines)))
            framed[k] = []
        elif _preface(lines, size):  # read with the page: it opens the story it stands in
            rest.extend(lines)
            framed[k] = []
    # A picture inside a boxed story's frame is that story's (read with the box): the page's stories do not get it.
    own_pictures = [p for p in content.pictures if not any(f.contains_center(p) for f, _ in boxed)]
    body_font = ""
    if own_pictures:  # the body font only serves to tell captions apart
        fonts = Counter(x.font for x in rest if abs(x.size - size) < 0.05 * size)
        body_font = fonts.most_common(1)[0][0] if fonts else ""
    top_down = sorted(rest, key=lambda x: x.box.y0) if own_pictures else []
    tops = [x.box.y0 for x in top_down]
    # A picture holding headline type is a panel (a label's band, a title's banner), not a photo: no caption.
    panels = {
        k for k, pic in enumerate(own_pictures) if any(pic.contains_center(x.box) and _is_head(x, size) for x in rest)
    }
    captions = [
        []
        if k in panels
        else _caption(top_down[bisect.bisect_left(tops, (pic.y0 + pic.y1) / 2) :], pic, size, body_font)
        for k, pic in enumerate(own_pictures)
    ]
    for k, pic in enumerate(own_pictures):
        if k not in panels:
            plain = _caption_in_text_type(top_down[bisect.bisect_left(tops, pic.y1 - 2) :], pic, size)
            if plain and all(x in plain for x in captions[k] if x.box.y0 >= pic.y1 - 2):
                captions[k] = [x for x in captions[k] if x.box.y0 < pic.y1 - 2] + plain
    taken = {id(x) for c in captions for x in c}
    rest = [x for x in rest if id(x) not in taken]
    small: list[TextLine] = []
    head_lines: list[TextLine] = []
    body_lines: list[TextLine] = []
    for x in rest:
        (small if x.size < SMALL_RATIO * size else head_lines if _is_head(x, size) else body_lines).append(x)
    bylines = [x for x in head_lines if x.size < BYLINE_RATIO * size and byline_line(x.text)]
    if bylines:  # a byline set larger than the text is still a byline: it goes with the text it signs
        head_lines = [x for x in head_lines if x not in bylines]
        body_lines.extend(bylines)
    # A byline set smaller than the text (reduced to keep names on one line of the measure) signs the text too.
    bylines = [x for x in small if x.size >= SMALL_BYLINE * size and byline_line(x.text)]
    if bylines:
        small = [x for x in small if x not in bylines]
        body_lines.extend(bylines)
    if body_lines and head_lines:
        display = _display_lines(body_lines, head_lines, size, content.rules)
        if display:
            head_lines.extend(display)
            body_lines = [x for x in body_lines if x not in display]
    labels = _panel_labels(head_lines, rest, own_pictures)
    if labels:
        small.extend(labels)
        head_lines = [x for x in head_lines if x not in labels]
    brief_columns = _brief_titles([*labels, *head_lines], head_lines, body_lines, size, small, content.rules)
    briefs = [x for titles in brief_columns.values() for x in titles]
    if briefs:
        small = [x for x in small if x not in briefs]
        small.extend(x for x in brief_columns if x not in small)  # a brief column's label heads no story
        head_lines = [x for x in head_lines if x not in brief_columns]
        head_lines.extend(x for x in briefs if x not in head_lines)
        body_lines = [x for x in body_lines if x not in briefs]
    heads, body = tuple(head_lines), tuple(body_lines)
    loose = [tuple(s) for s in stack_lines(small, LINE_GAP, content.rules)]
    groups = [tuple(sorted(f, key=lambda x: (x.box.y0, x.box.x0))) for f in framed if f]
    pictures = tuple(union_all([pic, *(x.box for x in c)]) for pic, c in zip(own_pictures, captions, strict=True))
    fragments = tuple(groups + [tuple(c) for c in captions if c] + loose)
    return Roles(body, heads, fragments, pictures, size, tuple(boxed), tuple(briefs))


def _brief_titles(
    labels: Sequence[TextLine],
    heads: Sequence[TextLine],
    body: Sequence[TextLine],
    size: float,
    small: Sequence[TextLine] = (),
    rules: Sequence[Box] = (),
) -> dict[TextLine, list[TextLine]]:
    """The titles of a brief column's items, by the label heading the column. A column headed `简讯` (短讯, 快讯,
    新闻速览…) holds several short news items, each led by its own one-line title set in a heading face (黑体, or
    bold) at about the text size; under such a label a line in another face than the column's text, of the
    text's size or a little larger, ending no sentence, is an item's title, not an intertitle. A title too long
    for the measure is set condensed (narrowed, not lowered): extractors report such a run at its narrowed size,
    but its line stands as tall as the text's lines, so a line as tall as the text's (among the `small` lines
    too) counts at the text's size. The column holds the lines starting within the measure of its first lines under the
    label (an item's title may come first: lines up to a few lines down count), down to the next headline or
    rule. The label heads no story: text atop the column's later columns carries on one of its items (which
    one, the cut decides)."""
    out: dict[TextLine, list[TextLine]] = {}
    heights = sorted(x.box.height for x in body)
    text_height = heights[len(heights) // 2] if heights else 0.0
    condensed = [x for x in small if text_height and x.box.height >= 0.95 * text_height]
    for label in labels:
        if not BRIEF_LABEL.fullmatch(label.text.replace(" ", "").replace("\u3000", "")):
            continue
        under = [x for x in body if x.box.y0 > label.box.y1 and x.box.x0 < label.box.x1 and x.box.x1 > label.box.x0]
        if not under:
            continue
        # the column's measure: that of its first lines (of each of its columns, when it has two)
        top = min(x.box.y0 for x in under)
        first = [x for x in under if x.box.y0 < top + FIRST_LINES * size]
        x0, x1 = min(x.box.x0 for x in first) - size, max(x.box.x1 for x in first) + size
        # An item's title set bold a little larger than the text reads as headline type; the column ends at
        # the next headline set in a headline's size across it (reaching into its measure, not just into the
        # gutter beside it), or at a rule across it.
        items = [h for h in heads if h.size < HEAD_RATIO * size]
        below = [
            h.box.y0
            for h in heads
            if h.box.y0 > label.box.y1
            and min(h.box.x1, x1) - max(h.box.x0, x0) > 2 * size
            and h.size >= HEAD_RATIO * size
        ]
        below += [r.y0 for r in rules if r.width > 2 * size and r.y0 > label.box.y1 and r.x0 < x1 and r.x1 > x0]
        bottom = min(below, default=float("inf"))
        # a line of the column starts within its measure (not in the gutter at its right edge); its first lines
        # may all open paragraphs, indented two ems, so lines starting that far left of them belong to it too
        column = [
            x
            for x in [*body, *items, *condensed]
            if x0 - INDENT_EMS * size <= x.box.x0 <= x1 - 2 * size and label.box.y1 < x.box.y0 < bottom
        ]
        fonts = Counter(x.font for x in column)  # the column's text face: most of its lines are text
        text_font = fonts.most_common(1)[0][0] if fonts else ""
        for x in column:
            face = x.font != text_font or x.bold
            at_size = x.size >= 0.95 * size or x.box.height >= 0.95 * text_height > 0  # condensed, as tall
            if face and at_size and not ends_sentence(x.text) and not byline_line(x.text):
                out.setdefault(label, []).append(x)
    return out


def _panel_labels(heads: Sequence[TextLine], lines: Sequence[TextLine], pictures: Sequence[Box]) -> list[TextLine]:
    """Headline-size lines printed alone on a tinted panel or a picture: a slogan band or a section label (通栏
    标语, 栏目题花), page furniture rather than a story's headline. (A title printed on a picture shares it with its
    byline or deck; a label is the only text on its panel.)"""
    out = []
    for p in pictures:
        inside = [x for x in lines if p.contains_center(x.box)]
        if len(inside) == 1 and inside[0] in heads:
            out.append(inside[0])
    return out


def _display_lines(
    body: Sequence[TextLine], heads: Sequence[TextLine], size: float, rules: Sequence[Box]
) -> list[TextLine]:
    """Lines in the body's range of sizes that belong to a headline all the same. Running text is set in one
    size; a short stack of lines (at most `DISPLAY_LINES`) set clearly larger (`DISPLAY_RATIO`: a kicker in 小四
    12 pt over 五号 10.5 pt text) standing right over or under a headline line, within its width, is display
    type of that headline: a kicker's lines over its title, the wrapped end of a kicker or deck (`…时强` / `调`).
    (A story set in larger type than the page's text runs on for more lines than a kicker wraps to.) A line of
    names, or one opening with a byline's role word, is a byline set in a larger size (`汪  涛  吴光胜` under the
    title), unless it carries on a headline line of its own size (a kicker's wrapped end may read as a name)."""
    candidates = [x for x in body if x.size >= DISPLAY_RATIO * size]
    if not candidates:
        return []
    out: list[TextLine] = []
    for stack in stack_lines(candidates, LINE_GAP, rules):
        if len(stack) > DISPLAY_LINES:
            continue
        ends = (stack[0], stack[-1])
        byline = any(standalone_names(x.text) or byline_line(x.text) for x in stack)
        if any(
            _stacked_on(x, h) and (not byline or abs(h.size - x.size) <= 0.05 * x.size) for x in ends for h in heads
        ):
            out.extend(stack)
    return out


def _stacked_on(x: TextLine, h: TextLine) -> bool:
    """`x` stands right over or under the headline line `h` (at most half its own size of white between them),
    within `h`'s width, not in a smaller size than `h` unless `h` is the larger title it sits on."""
    a, b = x.box, h.box
    gap = b.y0 - a.y1 if a.y1 <= b.y0 + 1 else a.y0 - b.y1
    if not -0.2 * x.size <= gap <= 0.5 * x.size:
        return False
    if a.x0 < b.x0 - x.size or a.x1 > b.x1 + x.size:
        return False
    return h.size >= x.size - 0.05 * x.size


def _is_head(line: TextLine, size: float) -> bool:
    """Headline type: clearly larger than body text, or a little larger and bold (a deck set in bold)."""
    return line.size >= HEAD_RATIO * size or (line.bold and line.size >= BOLD_HEAD_RATIO * size)


def _boxed_story(lines: Sequence[TextLine], size: float) -> bool:
    """A frame holds a story (not a teaser list) when it has a headline and running text in body type: eight
    lines, or a full line at least (`BOXED_TEXT` characters) with no line pointing elsewhere. A teaser box (导读)
    holds headline-type lines, or lines that point to other pages (`●… 第3版`)."""
    body = [x for x in lines if abs(x.size - size) < 0.1 * size and not x.bold]
    if not any(x.size >= HEAD_RATIO * size for x in lines):
        return False
    if len(body) >= 8:
        return True
    return sum(len(x.text) for x in body) >= BOXED_TEXT and not any(_POINTER.search(x.text) for x in body)


def _as_text(line: TextLine, size: float) -> TextLine:
    """A preface's label (`核心阅读`, `内容提要`, `编者按`) on a line of its own, however large or bold, heads no
    story: it opens the preface of the story it stands in, so it is read as a line of its text."""
    return line._replace(size=size, bold=False)


def _preface(lines: Sequence[TextLine], size: float) -> bool:
    """A frame holds a story's preface, not a teaser box, when its first line opens with a preface's label
    (`内容提要：`, `核心阅读`, `编者按：`) and none of its lines is headline type: papers box the abstract of a
    long article and the editor's note over a story, between its headline and its text, and both are the story's
    own words (its first paragraphs), not page furniture."""
    if not lines or any(_is_head(x, size) for x in lines):
        return False
    first = min(lines, key=lambda x: (round(x.box.y0 / max(size, 1.0)), x.box.x0))
    return PREFACE.match(first.text) is not None


def _caption(top_down: Sequence[TextLine], pic: Box, size: float, body_font: str) -> list[TextLine]:
    """Lines right under a picture and within its width (or reaching `OVERHANG` ems past it: a caption may be set
    on its column's measure under an inset picture), not in body type (size or font) nor in headline type (a
    caption is set no larger than the text: a title under a banner picture is no caption), plus the lines of the
    same kind stacked under them, and the lines within the picture's width set beside a caption line on its
    baseline whatever their font (the credit closing a caption, `新华社记者 徐昱摄`, is often set in text type).
    A caption's first line stands at most `CAPTION_GAP` ems under the picture. A picture's credit can also be
    printed over the picture's foot (`翟桂溪作（新华社发）` on a cartoon): a short line inside the picture's lower
    half ending in a credit (`PICTURE_CREDIT`, whatever its type) is a caption too, and so is a short line on the
    picture set on that credit's row (a cartoon's title beside its maker's name: `消费升级`). The credit closes the
    caption: a byline in the caption's face right under it signs the story. `top_down`: the page's lines
    top down, from the first one starting above the picture's middle."""
    on_picture: list[TextLine] = []
    on_foot: list[TextLine] = []  # short lines inside the picture's lower half: beside a credit, its title
    under: list[TextLine] = []
    plain_under: list[TextLine] = []
    reach = pic.y1
    closed = False  # a caption ends with its credit (`（记者 董华 摄）`): a line under that is not the caption's
    for line in top_down:
        inside = pic.x0 - 2 <= line.box.x0 and line.box.x1 <= pic.x1 + 2
        # a caption in its own face may be set on its column's measure, wider than an inset picture
        near = pic.x0 - OVERHANG * size <= line.box.x0 and line.box.x1 <= pic.x1 + OVERHANG * size
        if not near or _is_head(line, size):  # a caption is set no larger than the text
            continue
        if line.box.y0 < pic.y1 - 2:  # on the picture itself: only its credit
            if inside and len(line.text.strip()) <= CREDIT_CHARS and line.box.y0 > (pic.y0 + pic.y1) / 2:
                (on_picture if PICTURE_CREDIT.search(line.text) else on_foot).append(line)
            continue
        if line.box.y0 - reach > CAPTION_GAP * line.size or (closed and line.box.y0 > reach - 0.3 * line.size):
            break
        if abs(line.size - size) < 0.05 * size and line.font == body_font:
            if inside:
                plain_under.append(line)
        else:
            under.append(line)
            reach = line.box.y1
            closed = closed or _credit_closes("".join(x.text for x in under))
    beside = [x for x in plain_under if any(_same_row(x, c) for c in under)]
    titled = [x for x in on_foot if any(_same_row(x, c) for c in on_picture)]
    return sorted(titled + on_picture, key=lambda x: x.box.x0) + sorted(
        under + beside, key=lambda x: (x.box.y0, x.box.x0)
    )


def _caption_in_text_type(under: Sequence[TextLine], pic: Box, size: float) -> list[TextLine]:
    """A caption set in the text's own face and size, told by its place and its credit: rows of lines stacked
    right under the picture (the first within `CAPTION_GAP` of its sizes, each next as close under the one
    before) and within the picture's width, at most `CAPTION_ROWS` of them, closing with a picture credit
    (`…摄`, `新华社记者 徐昱摄`, with the lines on the credit's row). Pages whose stories are set in the
    caption's face (楷体 stories on a theory page) leave no font to tell it by. The credit must stand apart as
    a credit: on a row of its own well short of the picture's width, or after a finished sentence (`图为…。`),
    so a line of text under an inset picture that happens to end on `摄` (`…拍摄`) stays the story's.
    `under`: the page's lines top down, from the picture's foot."""
    rows: list[list[TextLine]] = []
    foot = pic.y1
    for line in under:
        if line.box.x1 <= pic.x0 or line.box.x0 >= pic.x1:
            continue  # another column's, beside the picture
        if rows and _same_row(line, rows[-1][0]):
            rows[-1].append(line)
            continue
        if len(rows) == CAPTION_ROWS or line.box.y0 - foot > CAPTION_GAP * line.size:
            break
        if _is_head(line, size) or not (pic.x0 - 2 <= line.box.x0 and line.box.x1 <= pic.x1 + 2):
            return []  # a caption's rows are all on the picture's measure and no larger than the text
        rows.append([line])
        foot = line.box.y1
    texts = ["".join(x.text for x in sorted(row, key=lambda x: x.box.x0)) for row in rows]
    n = next((n for n in range(1, len(rows) + 1) if _credit_closes("".join(texts[:n]))), 0)
    if not n:
        return []
    credit = rows[n - 1]
    short = max(x.box.x1 for x in credit) - min(x.box.x0 for x in credit) <= pic.width - 2 * size
    if not short and not _SENTENCE_MARK.search(PICTURE_CREDIT.sub("", "".join(texts[:n]))):
        return []
    return [x for row in rows[:n] for x in sorted(row, key=lambda x: x.box.x0)]


def _credit_closes(caption: str) -> bool:
    """The caption so far ends with its credit (`…摄`, `（记者 董华 摄）`), its brackets closed: a credit's closing
    bracket may wrap to a line of its own."""
    return open_brackets(caption) <= 0 and bool(PICTURE_CREDIT.search(caption.rstrip(" ）)")))


def _continuation_apart(group: list[Item]) -> list[list[Item]]:
    """A story's items, or two stories when its text runs on into a continuation. `（上接第N版）` opens the text
    of a story continued from another page: it never stands inside a story's own text. So where a headed
    story's segments, in reading order, come to a segment opening with that mark after text of their own (a
    few lines at least, not only a byline), set in columns of its own beside the story (level with the story's
    top, no headline over it: a continued story may repeat its headline over its text), that segment and the
    ones after it are the continued story, which has no headline on this page."""
    segs = [i for i in group if i.seg is not None]
    if len(segs) < 2 or not any(i.head is not None for i in group):
        return [group]
    ordered = reading_order([i.seg for i in segs if i.seg is not None])
    heads = [i.box for i in group if i.head is not None]
    top = min(i.box.y0 for i in group if i.head is not None or i.seg is not None)

    def beside(s: Segment) -> bool:  # in columns of its own, level with the story's top, no headline over it
        return abs(s.box.y0 - top) <= 2 * s.size and not any(h.x_overlap(s.box) > 0 for h in heads)

    k = next((n for n, s in enumerate(ordered) if n > 0 and s.from_mark and beside(s)), None)
    if k is None or sum(len(x.text) for s in ordered[:k] for x in s.lines) < OWN_TEXT:
        return [group]
    tail = {id(s) for s in ordered[k:]}
    return [[i for i in group if i.seg is None or id(i.seg) not in tail], [i for i in segs if id(i.seg) in tail]]


def _same_row(a: TextLine, b: TextLine) -> bool:
    """Two lines set on one baseline: their heights overlap by most of the smaller one."""
    overlap = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
    return overlap >= 0.6 * min(a.box.height, b.box.height)


def segment_page(content: PageContent, size: float | None = None) -> PageLayout:
    """Cut a page's content into articles (reading order) and fragments (captions, teaser boxes, notes). `size`:
    the body size, when known (a framed story is read with its page's), else the size most text is set in."""
    roles = sort_roles(content, size)
    segs = segments(roles.body, content.rules)
    credits = [
        s for s in segs if CREDIT.match(s.lines[0].text) or (len(s.lines) <= 2 and EDITOR_CREDIT.match(s.lines[0].text))
    ]
    if credits:
        segs = [s for s in segs if s not in credits]
    groups = head_groups(roles.heads, roles.size, content.rules)
    groups, inter = split_intertitles(groups, segs, roles.size, content.rules, roles.pictures, roles.briefs)
    segs += inter
    items = [Item(g.box, head=g) for g in groups] + [Item(s.box, seg=s) for s in segs]
    items += [Item(p) for p in roles.pictures]
    fragments = ["".join(x.text.strip() for x in lines) for lines in [*roles.fragments, *(s.lines for s in credits)]]
    boxed = [_boxed_layout(content, frame, lines, roles.size) for frame, lines in roles.boxed]
    fragments += [f for b in boxed for f in b.fragments]
    in_boxes = [a for b in boxed for a in b.articles]
    if not any(i.head or i.seg for i in items):
        return _layout(content, in_boxes, fragments)
    stories: list[tuple[Article, list[Item]]] = []
    for story in split_stories(items, content.rules, roles.size):
        for group in _continuation_apart(story):
            article, left = build_article(group, content.page)
            fragments.extend(left)
            if article is not None:
                stories.append((article, group))
    return _layout(content, separate_overlaps(stories) + in_boxes, [f for f in fragments if f])


def _boxed_layout(content: PageContent, frame: Box, lines: Sequence[TextLine], size: float) -> PageLayout:
    """A framed story read as a page of its own, with the rules, frames and pictures inside its frame."""

    def inside(b: Box) -> bool:
        return frame.contains_center(b) and b.width * b.height < 0.9 * frame.width * frame.height

    return segment_page(
        replace(
            content,
            lines=tuple(lines),
            rules=tuple(r for r in content.rules if inside(r)),
            frames=tuple(f for f in content.frames if inside(f)),
            pictures=tuple(p for p in content.pictures if inside(p)),
        ),
        size,  # the page's text size: a box with a short story may hold more deck than text
    )


def _layout(content: PageContent, articles: Sequence[Article], fragments: Sequence[str]) -> PageLayout:
    """The layout, with what the page's header said."""
    return PageLayout(
        tuple(articles),
        tuple(fragments),
        page_name=content.page_name,
        printed_date=content.printed_date,
        printed_page=content.printed_page,
    )
