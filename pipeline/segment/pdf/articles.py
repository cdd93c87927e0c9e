"""A story's blocks to an `Article`: headline parts, paragraphs in reading order, bylines and jumps."""

from __future__ import annotations

import functools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import Article, Box, Region, TextLine, union_all
from pipeline.segment.bylines import (
    NAMES_ONLY,
    find_jump,
    names_of,
    parse_byline,
    split_leading_byline,
    split_trailing_byline,
)
from pipeline.segment.normalize import join_wrapped, open_brackets, strip_dash, tidy_headline, tidy_spaces
from pipeline.segment.pdf.blocks import (
    FROM_MARK,
    INDENT,
    INDENT_EMS,
    OPENER,
    UNMARKED_TAIL,
    HeadGroup,
    Item,
    Segment,
    byline_line,
    upright,
)
from pipeline.segment.words import person_names, word_across

# A heading left in the body's blocks: at most this many lines, set this much larger than the text (blocks part
# lines whose sizes differ by 8 %).
HEADING_LINES = 3
HEADING_OVER = 1.06


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
    title = _join_lines(lines[first : last + 1], room, couplet=last == first + 1) or ""
    subtitle = _join_lines(lines[last + 1 :], room)
    if subtitle:
        subtitle = strip_dash(subtitle)
    return kicker, title, subtitle


def _join_lines(lines: Sequence[TextLine], room: float, couplet: bool = False) -> str | None:
    """Headline lines as one text. A line ended by the width it had (less than two characters to spare) was
    wrapped: joined without a space. A line ended with room to spare was broken on purpose between two phrases
    (`全力以赴稳经济` / `用心用情优服务`): joined with one, as a reader writes it. A typesetter breaks between
    phrases, never inside a word (`解决突出环境问` / `题的重点任务和举措`) or inside quotes or brackets (`“第九届
    跨文化传播国际` / `学术会议”述要`): such a break is a wrap, whatever room the line had. A title of two lines
    of one length (`couplet`) broken between words is two phrases even where they fill their frame: a title set as
    a couplet (对仗, `增强紧迫感` / `找准发力点`) matches its phrases in length, where a wrap leaves a shorter
    remainder. (A kicker or a deck wraps to whatever its frame holds, its lines as long as each other by chance.)"""
    out = ""
    for prev, line in zip([None, *lines], lines, strict=False):
        text = line.text.strip()
        if not out:
            out = text
        elif (
            prev is not None
            and (prev.box.width + 2 * line.size <= room or (couplet and _couplet(prev, line)))
            and not _inside_phrase(out, text)
        ):
            out = f"{out} {text}"
        else:
            out = join_wrapped(out, text)
    return out or None


# A couplet's phrases hold at least this many characters each (shorter lines are a name, a label, a remainder).
COUPLET_CHARS = 4


def _couplet(a: TextLine, b: TextLine) -> bool:
    """Two headline lines in one size holding the same number of characters, at least `COUPLET_CHARS` each."""
    ta, tb = a.text.strip(), b.text.strip()
    return abs(a.size - b.size) < 0.5 and len(ta) == len(tb) >= COUPLET_CHARS


def _inside_phrase(before: str, after: str) -> bool:
    """A break between `before` and `after` falls inside a word or inside open quotes or brackets."""
    quotes = before.count("“") - before.count("”") + before.count("《") - before.count("》")
    return quotes > 0 or open_brackets(before) > 0 or word_across(before, after)


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
    line set flush right (a closing byline or jump marker on its own), so does an intertitle and the line after
    it; anything else carries on the current one. A short block set larger than the story's text is a heading
    too, found as one or not (a bold `一、…` line a point above the text): running text keeps one size, so a
    larger line neither carries on the paragraph above it nor runs on into the next."""
    paras: list[str] = []
    lefts = [min(x.box.x0 for x in s.lines) for s in segs]
    text_size = statistics.median(x.size for s in segs for x in s.lines)
    fresh = False  # the line after an intertitle opens a paragraph whatever its indent
    for seg in segs:
        if seg.intertitle or _heading_left(seg, text_size):
            paras.append(_join_heading(seg.lines))
            fresh = True
            continue
        left = min(lf for s, lf in zip(segs, lefts, strict=True) if s.box.x_overlap(seg.box) > 0.5 * seg.box.width)
        right = max(x.box.x1 for x in seg.lines)
        for k, line in enumerate(seg.lines):
            text = line.text.strip()
            if fresh:
                paras.append(text)
                fresh = False
                continue
            indented = line.box.x0 - left >= INDENT * line.size and not _narrowed(seg.lines, k, left, right)
            flush_right = indented and line.box.x1 >= right - 0.5 * line.size
            # (A names-only line is short or has spaces: the cheap test spares the call for ordinary lines.)
            maybe_names = len(text) <= 4 or len(text.split()) > 1
            if paras and maybe_names and (flush_right or not indented) and _extends_byline(paras[-1], text):
                paras[-1] = f"{paras[-1]} {text}"
            elif not paras or indented or (OPENER.match(text) and (FROM_MARK.match(text) or byline_line(text))):
                paras.append(text)
            else:
                paras[-1] = join_wrapped(paras[-1], text)
    return [p for p in paras if p]


def _heading_left(seg: Segment, text_size: float) -> bool:
    """A block of a few lines all set larger than the story's text, none of them a byline (a byline may be set
    in its own larger face): a heading the headline sort left in the body."""
    return len(seg.lines) <= HEADING_LINES and all(
        x.size > HEADING_OVER * text_size and not byline_line(x.text.strip()) for x in seg.lines
    )


def _narrowed(lines: Sequence[TextLine], k: int, left: float, right: float) -> bool:
    """Line `k` is set on a measure narrowed beside a picture or an upright title, not indented: where a column
    runs around something, its lines all start at the narrowed left edge, more than an indent in from the
    column's `left` (the object and a gutter), and run full to the right edge. So a line under a full line that
    starts where it starts carries on that line's paragraph, and so does a full line over a line starting where
    it starts. A paragraph's first line starts two ems right of both its neighbours (the last line of the
    paragraph before, its own second line). Lines about an indent in are indented whatever their neighbours: a
    byline in body type filling its line over the indented lead."""
    if lines[k].box.x0 - left < INDENT_EMS * lines[k].size:
        return False

    def full(x: TextLine) -> bool:
        return x.box.x1 >= right - x.size

    def level(x: TextLine) -> bool:  # (an opening quote may hang half an em out)
        return abs(x.box.x0 - lines[k].box.x0) <= 0.6 * lines[k].size

    above = k > 0 and full(lines[k - 1]) and level(lines[k - 1])
    return above or (full(lines[k]) and k + 1 < len(lines) and level(lines[k + 1]))


def _join_heading(lines: Sequence[TextLine]) -> str:
    """An intertitle's lines as one paragraph of its story: the text of the article, which its publisher writes
    unbroken however the heading was set over two lines (人民日报's own pages write `深入把握我国社会主要矛盾的
    转化` whole), so its lines are joined as wrapped lines are."""
    return functools.reduce(join_wrapped, (x.text.strip() for x in lines), "")


def _extends_byline(para: str, text: str) -> bool:
    """`text` is the rest of a byline broken over two lines (`| 记者 徐超超` / `姚海翔`, or a bracketed one:
    `（记者 董华` / `姚海翔）`): names, after a byline or after an opened bracket that they close."""
    names = text.rstrip("）)")
    if not NAMES_ONLY.fullmatch(names):
        return False
    if names != text:
        return _broken_byline(para, text)
    return parse_byline(para) is not None


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
    if len(clean) >= 2 and _broken_byline(clean[-2], clean[-1]):
        clean[-2:] = [f"{clean[-2]} {clean[-1]}"]  # a closing byline set over two lines (`（记者 董华` / `姚海翔）`)
    if clean and (names := parse_byline(clean[-1])):
        authors.extend(n for n in names if n not in authors)
        clean = clean[:-1]
    elif clean and (tail := split_trailing_byline(clean[-1]) or _unmarked_tail(clean[-1])):
        authors.extend(n for n in tail[1] if n not in authors)
        clean[-1] = tail[0]
    return Body(tuple(p for p in clean if p), tuple(authors), to_page, from_page)


def _broken_byline(first: str, rest: str) -> bool:
    """Two paragraphs that end in one bracketed byline broken over two lines: the first opens a bracket it does
    not close, the second (short) closes it, and together they end in a byline (`…召开。（记者 董华` / `姚海翔）`)."""
    opened = open_brackets(first) > 0
    if not (opened and len(rest) <= 12 and rest.endswith(("）", ")"))):
        return False
    joined = f"{first} {rest}"
    return parse_byline(joined) is not None or split_trailing_byline(joined) is not None


def _unmarked_tail(text: str) -> tuple[str, tuple[str, ...]] | None:
    """A closing byline with no mark before it, after the last sentence and a space (`…目标。 本报记者 董华`)."""
    m = UNMARKED_TAIL.match(text)
    return (m.group(1), names_of(m.group(2))) if m else None


def build_article(group: Sequence[Item], page: int) -> tuple[Article | None, list[str]]:
    """An article from one story's items, and the fragments it leaves (extra headline groups, a headline
    with no body)."""
    heads = sorted((i.head for i in group if i.head is not None), key=lambda h: (h.box.y0, h.box.x0))
    segs, set_apart = _set_apart_bylines([i.seg for i in group if i.seg is not None])
    segs = reading_order(segs)
    fragments = ["".join(x.text for x in h.lines) for h in heads[1:]]
    if not segs:
        return None, fragments + ["".join(x.text for x in h.lines) for h in heads[:1]]
    # A headline over (or under) its story may take the story's width; one beside it, only its own.
    span = union_all(s.box for s in segs)
    over = bool(heads) and heads[0].box.x_overlap(span) > 0.5 * heads[0].box.width
    kicker, title, subtitle = headline_roles(heads[0] if heads else None, span.width if over else 0.0)
    body = read_body(paragraphs_of(segs))
    if set_apart:
        body = Body(body.paragraphs, tuple(dict.fromkeys(set_apart + body.authors)), body.to_page, body.from_page)
    regions = tuple(Region(page, b.x0, b.y0, b.x1, b.y1) for b in _region_boxes(group))
    article = Article(
        tidy_headline(title),
        kicker and tidy_headline(kicker),
        subtitle and tidy_headline(subtitle),
        body.authors,
        tidy_spaces("\n".join(body.paragraphs)),
        body.to_page,
        body.from_page,
        regions,
    )
    return article, fragments


def _set_apart_bylines(segs: Sequence[Segment]) -> tuple[list[Segment], tuple[str, ...]]:
    """(the other segments, the names of the bylines among them). A byline set apart forms its own block: a
    whole byline (`本报记者 徐超超 姚海翔`) in any size, centred under the headline across the story's columns
    wherever reading order puts it; or a line of names alone (`李忠杰`, `周  江  张济坤`) in another size than
    the story's text or set upright, the author's name under a commentary's title or beside an upright title.
    Those must read as persons' names (`person_names`): a heading of one short phrase (`今年以来`) is no author.
    (A story made of nothing else keeps it as its text.)"""
    if not segs:
        return [], ()
    size = statistics.median(s.size for s in segs)
    keep: list[Segment] = []
    names: list[str] = []
    for seg in segs:
        line = seg.lines[0]
        apart = len(seg.lines) == 1 and (abs(line.size - size) > 0.05 * size or upright(line.box, line.text))
        text = line.text.strip()
        if seg.intertitle or len(seg.lines) > 1:
            found = None
        else:  # a whole byline alone is one in any size; bare names only in another size than the text
            found = parse_byline(text) or (person_names(text) if apart else None)
        if found:
            names.extend(found)
        else:
            keep.append(seg)
    return (keep, tuple(names)) if keep else (list(segs), ())


def _region_boxes(group: Sequence[Item]) -> list[Box]:
    return [union_all(i.box for i in group)]


def separate_overlaps(stories: list[tuple[Article, list[Item]]]) -> list[Article]:
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
