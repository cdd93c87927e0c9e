"""A page's printed lines from PyMuPDF's text page: runs, then characters where runs overlap. Pure (no I/O).

Facts of typesetting this rests on:

- **A printed line is made of runs.** Typesetting systems (方正飞腾 and others) switch font inside a line for
  quotes, brackets, digits and Latin and may write each run as its own text object, in any order in the content
  stream. So lines are rebuilt from geometry: pieces on one baseline that touch (a gap under `RUN_GAP` ems) are one
  line, whatever text object or stream position they came from (a gutter is wider). Pieces are on one
  baseline when their baselines (not their boxes: a Latin font's box is taller than an ideograph's) stand
  within `ROW_BASE` ems. Names in a byline are spaced out (`叶  帆`, two
  characters set to the width of three): short pieces of names a little further apart on one baseline are one
  line too (names are ideographs: a sign-off `——编  者` is none).
  A justified line of few characters in a wide measure is letter-spaced: its characters stand at one pitch, up
  to `LETTER_GAP` ems apart, and its runs (digits in another font) keep that spacing between them. A gutter
  shows on the rows around: a column's line ends left of it and the next column's starts right of it; and
  short pieces (a closing `姚海翔）`) do not jump it either.
- **A run's characters share one baseline.** A column's line may end in punctuation hung into the gutter (`，`
  set outside the measure), which brings it within half an em of the next column's line, and columns need not
  share baselines (a heading shifts one by a fraction of a line): PyMuPDF then reports the two lines' pieces as
  one run, taller than a line (`TWO_LINES` sizes). Such a run is read character by character and cut where the
  baseline moves (`BASELINE_SHIFT` ems), each part a run of its own line.
- **Fake bold is a second (or third) copy of a run drawn a fraction of a point off**, per run or per glyph. A copy
  has the same characters in boxes overlapping the original's by most of their area. Runs drawn whole whose copy
  has the same text are dropped cheaply at run level; where runs overlap with different texts (a copy that was
  cut into runs at other places, `新使命` + `：中国共产党的历史担当` over `新使命` + `中国共产党的历史担当`), the
  overlapping runs are re-read character by character and each character kept once. The original is bold.
- **Ideographs are set solid**, one em apart with no white between them. A fifth of an em of white between two
  runs of ideographs set solid (`WORD_GAP` or more) is a word space, drawn as no character: the spaces of a
  byline between its role word and its names (`本报记者 董华 姚海翔`) when each word is placed on its own.
- **Vertical lines** (writing direction (0, 1), one character under the other: titles and bylines of columns set
  upright) are read top to bottom; the quotes of vertical setting (﹃﹄﹁﹂) are the horizontal “”‘’. Some systems
  write an upright title as one upright character per line: `STACKED_MIN` or more lone characters of one size,
  centred one under the other (a word space apart at most), are one upright line too (body text never stacks
  lone characters).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from pipeline.models import Box, TextLine

FAKE_BOLD_OVERLAP = 0.5  # share of the smaller box two copies of a run (or a glyph) overlap by, at least
RUN_OVERLAP = 0.3  # runs on one line overlapping by this share of the smaller box: one may be a partial copy
RUN_GAP = 0.3  # runs of one line touch (a space is part of a run); a gutter between columns is wider
# Typesetting systems add space where Latin letters or digits meet ideographs (中西文间距, about a quarter em):
# runs of one line may stand that much further apart there.
LATIN_SPACE = 0.25
SPACED_GAP = 1.6  # ... and short pieces (spaced-out names) at most this many
SHORT_GAP = 1.0  # ... short pieces not parted between name characters (digits in a letter-spaced line) this many
LETTER_GAP = 2.5  # characters of a letter-spaced line stand at most this many ems apart, all at one pitch (a
# few characters justified across a wide measure)
GUTTER_REACH = 3.5  # a gutter is looked for on the rows this many ems above and below (two lines or so)
ABUT = 0.1  # runs this close abut; further apart (justified spacing, or a comma hung by a gutter) they are checked
STACKED_MIN = 2  # lone characters stacked in a column, at least this many: an upright line
STACKED_GAP = 2.5  # ... at most this many ems apart (a word space in an upright title is wide)
SPACED_LEN = 4  # a piece of at most this many characters is short
WORD_GAP = 0.2  # white of this many ems between runs of ideographs set solid is a word space
ROW_BASE = 0.1  # runs whose baselines stand at most this many ems apart are on one row (fake bold shifts a copy
# by a fraction of a point)
TWO_LINES = 1.5  # a run's box this many times its size tall or more may hold two lines' characters
BASELINE_SHIFT = 0.3  # ... parted where the characters' baseline moves by this many ems
BOLD_FLAG = 16
_BOLD_NAME = re.compile(r"bold|black|heavy|粗", re.IGNORECASE)
_SPACES = re.compile(r" {2,}")
_BLANK = " \u3000\t"
_HANGS = frozenset("，。、；：！？”’）》")
VERTICAL_FORMS = str.maketrans(
    "﹃﹄﹁﹂︵︶︹︺︿﹀︽︾︻︼︗︘︐︑︒︓︔︕︖", "“”‘’（）〔〕〈〉《》【】〖〗，、。：；！？"
)


class Span(NamedTuple):
    """One run of text as PyMuPDF reports it, with where it sits in the text page (block, line, span index) so
    that its characters can be looked up. (A named tuple: a page has hundreds, built in a hot loop.)"""

    text: str
    box: Box
    size: float
    font: str
    bold: bool
    at: tuple[int, int, int] = (0, 0, 0)
    base: float = 0.0  # the baseline's y


def read_lines(textpage: Any, blocks: Sequence[dict[str, Any]]) -> list[TextLine]:
    """The page's printed lines from its `dict` blocks (`textpage` gives the characters when runs overlap):
    fake-bold copies removed and originals marked bold, runs of one line joined, vertical lines read top down."""
    spans, upright = _spans(blocks)
    raw: list[Any] = []  # the characters, read once and only when some runs need them
    if any(s.box.y1 - s.box.y0 > TWO_LINES * s.size for s in spans):
        raw = textpage.extractRAWDICT()["blocks"]
        spans = _split_tall(spans, raw)
    rows = _rows(_undouble(spans))
    if any(_row_overlaps(row) for row in rows):
        rows = _by_characters(rows, raw or textpage.extractRAWDICT()["blocks"])
    lines = _join_runs(rows)
    lone = [x for x in lines if len(x.text) == 1]
    if len(lone) >= STACKED_MIN:
        lone = [x for x in lone if not _wrapped_end(x, lines)]
    stacked = _stacked(lone) if len(lone) >= STACKED_MIN else []
    if stacked:
        taken = {id(x) for col in stacked for x in col}
        lines = [x for x in lines if id(x) not in taken] + [_column_line(col) for col in stacked]
    return lines + _vertical_lines(upright)


def _wrapped_end(x: TextLine, lines: Sequence[TextLine]) -> bool:
    """A lone character right under (or over) a longer line it lies within: the end of a wrapped line, not part
    of an upright one."""
    b = x.box
    return any(
        len(o.text) > 1 and o.box.x0 - 1 <= b.x0 and b.x1 <= o.box.x1 + 1 and -0.3 * x.size <= b.y0 - o.box.y1 <= x.size
        for o in lines
    )


def _stacked(lone: Sequence[TextLine]) -> list[list[TextLine]]:
    """Columns of at least `STACKED_MIN` one-character lines set one under the other at one size (an upright
    title written as one upright character per line)."""
    cols: list[list[TextLine]] = []
    for x in sorted(lone, key=lambda x: (round((x.box.x0 + x.box.x1) / 2), x.box.y0)):
        col = next((c for c in cols if _under(c[-1], x)), None)
        if col is None:
            cols.append([x])
        else:
            col.append(x)
    return [c for c in cols if len(c) >= STACKED_MIN]


def _under(upper: TextLine, x: TextLine) -> bool:
    a, b, size = upper.box, x.box, min(upper.size, x.size)
    centred = abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= 0.3 * size
    return centred and abs(upper.size - x.size) <= 0.1 * size and -0.2 * size <= b.y0 - a.y1 <= STACKED_GAP * size


def _column_line(col: Sequence[TextLine]) -> TextLine:
    box = functools.reduce(Box.union, (x.box for x in col))
    text = col[0].text
    for upper, x in itertools.pairwise(col):
        text += (" " if x.box.y0 - upper.box.y1 > 0.6 * x.size else "") + x.text
    text = text.translate(VERTICAL_FORMS)
    return TextLine(text, box, col[0].size, any(x.bold for x in col), col[0].font)


def _spans(blocks: Sequence[dict[str, Any]]) -> tuple[list[Span], list[Span]]:
    """(horizontal spans, upright spans) with text. (Hot loop: `tuple.__new__` skips the named tuples' `__new__`.)"""
    new = tuple.__new__
    bold_fonts: dict[str, bool] = {}
    flat: list[Span] = []
    upright: list[Span] = []
    for bi, block in enumerate(blocks):
        for li, line in enumerate(block.get("lines", ())):
            vertical = abs(line["dir"][1]) > 0.9
            for si, s in enumerate(line["spans"]):
                text = s["text"]
                if not text:
                    continue
                font = s["font"]
                bold = bold_fonts.get(font)
                if bold is None:
                    bold = bold_fonts[font] = bool(_BOLD_NAME.search(font))
                span = new(
                    Span,
                    (
                        text,
                        new(Box, s["bbox"]),
                        s["size"],
                        font,
                        bold or bool(s["flags"] & BOLD_FLAG),
                        (bi, li, si),
                        s["origin"][1],
                    ),
                )
                (upright if vertical else flat).append(span)
    return flat, upright


def _split_tall(spans: list[Span], raw: Sequence[dict[str, Any]]) -> list[Span]:
    """Spans with those taller than a line (`TWO_LINES` sizes) cut where their characters' baseline moves by a
    third of an em or more, each part its own run (`raw`: the text page's `rawdict` blocks)."""
    out: list[Span] = []
    for s in spans:
        if s.box.y1 - s.box.y0 <= TWO_LINES * s.size:
            out.append(s)
            continue
        bi, li, si = s.at
        parts: list[list[dict[str, Any]]] = []
        for ch in raw[bi]["lines"][li]["spans"][si]["chars"]:
            if parts and abs(ch["origin"][1] - parts[-1][-1]["origin"][1]) < BASELINE_SHIFT * s.size:
                parts[-1].append(ch)
            else:
                parts.append([ch])
        if len(parts) == 1:
            out.append(s)
            continue
        for part in parts:
            box = functools.reduce(Box.union, (Box(*ch["bbox"]) for ch in part))
            out.append(s._replace(text="".join(ch["c"] for ch in part), box=box, base=part[0]["origin"][1]))
    return out


def _undouble(spans: list[Span]) -> list[Span]:
    """Spans with whole-run copies (same text and size, boxes overlapping by half) dropped, originals bold."""
    seen: dict[tuple[str, float], list[int]] = {}
    doubled: set[int] = set()
    kept: list[Span] = []
    for span in spans:
        if span.text.isspace():  # a space run: kept for joining (it says where words part), never a copy
            kept.append(span)
            continue
        key = (span.text, round(span.size, 1))
        same = seen.get(key)
        original = None if same is None else next((k for k in same if _overlaps(span.box, kept[k].box)), None)
        if original is None:
            seen.setdefault(key, []).append(len(kept))
            kept.append(span)
        else:
            doubled.add(original)
    return [s._replace(bold=True) if k in doubled else s for k, s in enumerate(kept)] if doubled else kept


def _overlaps(a: Box, b: Box, share: float = FAKE_BOLD_OVERLAP) -> bool:
    smaller = min(area(a), area(b))
    return smaller > 0 and a.intersection_area(b) >= share * smaller


def area(b: Box) -> float:
    """The box's area (0 for an empty or inverted box)."""
    return max(0.0, b.x1 - b.x0) * max(0.0, b.y1 - b.y0)


def _rows(spans: Sequence[Span]) -> list[list[Span]]:
    """Spans grouped into rows by baseline: a span joins a row holding a span whose baseline stands within
    `ROW_BASE` ems of its own (in the smaller of the two sizes); each row left to right, rows top down. (Runs
    of one line share its baseline whatever their font's box: a Latin space's box is taller than the
    ideographs', and a 12 pt line beside an 18 pt title in the next column may overlap it by most of its height
    on another baseline. Each row keeps its distinct baselines, few since most of its spans share one, so a
    fake-bold copy a quarter point off finds its original's row whatever span opened it. Hot loop.)"""
    rows: list[list[Span]] = []
    keys: list[list[tuple[float, float]]] = []  # each row's distinct (baseline, size)
    for span in sorted(spans, key=lambda s: s.base):
        base, size = span.base, span.size
        placed = False
        for k in range(len(rows) - 1, max(-1, len(rows) - 5), -1):  # only the last rows can share this baseline
            for b, bs in keys[k]:
                if abs(base - b) <= ROW_BASE * (size if size < bs else bs):
                    rows[k].append(span)
                    if (base, size) not in keys[k]:
                        keys[k].append((base, size))
                    placed = True
                    break
            if placed:
                break
        if not placed:
            rows.append([span])
            keys.append([(base, size)])
    for row in rows:
        if len(row) > 1:
            row.sort(key=lambda s: s.box.x0)
    return rows


def _row_overlaps(row: Sequence[Span]) -> bool:
    """Two runs of the row overlap by more than `RUN_OVERLAP` of the smaller (a copy cut into other runs), or a
    run was drawn glyph by glyph twice."""
    for a, b in itertools.pairwise([s for s in row if not s.text.isspace()]):
        if b.box.x0 < a.box.x1 - 0.1 * a.size and _overlaps(a.box, b.box, RUN_OVERLAP):
            return True
        if glyph_doubled(a):
            return True
    return bool(row) and glyph_doubled(row[-1])


def _em_share(text: str) -> float:
    """Average advance of the text in ems: CJK one em, others about half."""
    wide = sum(1 for ch in text if ch >= "\u2e80")
    return (wide + 0.5 * (len(text) - wide)) / max(1, len(text))


def _by_characters(rows: list[list[Span]], raw: Sequence[dict[str, Any]]) -> list[list[Span]]:
    """Rows with overlapping runs rebuilt from characters (`raw`: the text page's `rawdict` blocks): each
    overlapping cluster of runs becomes one run of its characters, copies (same character, boxes overlapping by
    half) dropped, in x order, bold."""
    out: list[list[Span]] = []
    for row in rows:
        if not _row_overlaps(row):
            out.append(row)
            continue
        clusters = _clusters(row)
        out.append([c[0] if len(c) == 1 and not glyph_doubled(c[0]) else _reread(c, raw) for c in clusters])
    return out


def glyph_doubled(s: Span) -> bool:
    """A run drawn glyph by glyph twice is about half as wide as its characters need."""
    n, width = len(s.text), s.box.x1 - s.box.x0
    if n < 4 or width >= 0.7 * n * s.size:  # cheap bound first: most runs are plainly as wide as they need
        return False
    return width < 0.7 * n * s.size * _em_share(s.text)


def _clusters(row: Sequence[Span]) -> list[list[Span]]:
    """Runs of a row (left to right) grouped where their boxes overlap."""
    out: list[list[Span]] = []
    reach = float("-inf")
    for s in row:
        if out and s.box.x0 < reach - 0.1 * s.size:
            out[-1].append(s)
            reach = max(reach, s.box.x1)
        else:
            out.append([s])
            reach = s.box.x1
    return out


def _reread(cluster: Sequence[Span], raw: Sequence[dict[str, Any]]) -> Span:
    chars: list[tuple[str, Box]] = []
    for s in cluster:
        bi, li, si = s.at
        for ch in raw[bi]["lines"][li]["spans"][si]["chars"]:
            c = ch["c"]
            if not c.strip():
                continue
            box = Box(*ch["bbox"])
            if not s.box.contains_center(box):
                continue  # a character of the other part of a run cut in two (`_split_tall`)
            if not any(c == o and _overlaps(box, ob) for o, ob in chars):
                chars.append((c, box))
    chars.sort(key=lambda c: c[1].x0)
    main = max(cluster, key=lambda s: len(s.text))
    text = "".join(c for c, _ in chars) or main.text
    box = functools.reduce(Box.union, (s.box for s in cluster))
    return Span(text, box, max(s.size for s in cluster), main.font, True, main.at, main.base)


def _join_runs(rows: Sequence[Sequence[Span]]) -> list[TextLine]:
    """Runs of a row (left to right) that touch (or short ones a little apart) joined into lines."""
    out: list[TextLine] = []
    new = tuple.__new__
    for k, row in enumerate(rows):
        if len(row) == 1:  # most rows of a column page hold one run per column: each a line
            s = row[0]
            if not s.text.isspace():
                box = s.box if s.text[0] not in _BLANK else _indented(s.box, s.text, s.size)
                out.append(new(TextLine, (s.text.strip(), box, s.size, s.bold, s.font)))
            continue
        piece = [row[0]]
        for j, s in enumerate(row[1:], 2):
            prev = piece[-1]
            gap = s.box.x0 - prev.box.x1
            size = min(s.size, prev.size)
            same_size = 0.75 * prev.size <= s.size <= 1.33 * prev.size
            # Letter spacing is only asked of a lone character or of a run wider than its characters (most
            # runs are neither: the cheap test spares the calls at every gutter).
            spaced = len(prev.text) <= 2 or prev.box.x1 - prev.box.x0 > len(prev.text) * prev.size + ABUT * size
            reach = RUN_GAP + (LATIN_SPACE if _script_change(prev, s) else 0.0)
            joins = same_size and (gap <= reach * size or _joins_apart(piece, s, gap, size, spaced))
            hung = prev.text[-1] in _HANGS  # a line may end in punctuation hung into the gutter, touching the next
            if joins and (gap > ABUT * size or hung) and _gutter(rows, k, prev.box.x1, s.box.x0, size):
                joins = False
            if not joins and same_size and spaced and _letter_spaced(piece, s, row[j] if j < len(row) else None, size):
                joins = True  # a letter-spaced line: characters set evenly across a measure
            if joins:
                piece.append(s)
            else:
                out.append(_line(piece))
                piece = [s]
        out.append(_line(piece))
    return [x for x in out if x.text]


def _script_change(prev: Span, s: Span) -> bool:
    """One run ends in an ideograph (or CJK punctuation) and the next opens with a Latin letter or digit, or the
    other way round."""
    a, b = prev.text.rstrip()[-1:], s.text.lstrip()[:1]
    if not a or not b:
        return False
    return (a >= "\u2e80") != (b >= "\u2e80") and (a.isalnum() or b.isalnum())


def _joins_apart(piece: Sequence[Span], s: Span, gap: float, size: float, spaced: bool) -> bool:
    """`s` carries on the line `piece` from further than runs of one line touch: spaced-out names (the line so
    far and the next piece both short, parted between name characters; other short pieces, such as the
    digits of a letter-spaced line, within `SHORT_GAP`), or a letter-spaced run's own spacing going on
    (`_spaced_on`). A letter-spaced line goes on at its pitch only (`_letter_spaced`); one character placed at a
    time makes short pieces of a long line, and no piece jumps a gutter (`_gutter`, asked by the caller)."""
    prev = piece[-1]
    short = len(s.text.strip()) <= SPACED_LEN and sum(len(p.text.strip()) for p in piece) <= SPACED_LEN
    if short and len(piece) >= 3 and _even(piece[-3], piece[-2], prev, size):
        short = False
    if short and gap <= (SPACED_GAP if _names_part(prev, s) and _name_like(piece) else SHORT_GAP) * size:
        return True
    return spaced and _spaced_on(prev, gap, size)


def _name_like(piece: Sequence[Span]) -> bool:
    """The line so far could be (part of) a list of names: ideographs, middle dots and spaces only (an editor's
    note's sign-off `——编  者` is no name, and does not carry on into the next column's short line)."""
    return all("\u4e00" <= ch <= "\u9fff" or ch in "· \u3000" for p in piece for ch in p.text)


def _spaced_on(prev: Span, gap: float, size: float) -> bool:
    """The next run stands `gap` after `prev` as far as `prev`'s own characters stand apart: a justified line's
    letter spacing goes on between its runs (`比全县` then the digits `5 7 . 1 %`). Only runs of two or more
    ideographs (one em each) tell their spacing. (Called for every white between runs: arithmetic first.)"""
    text = prev.text
    n = len(text)
    if n < 2 or gap > LETTER_GAP * size:
        return False
    inner = (prev.box.x1 - prev.box.x0 - n * prev.size) / (n - 1)
    if inner <= ABUT * size or abs(gap - inner) > 0.1 * size:
        return False
    return all(ch >= "\u2e80" for ch in text)


def _names_part(prev: Span, s: Span) -> bool:
    """The white between two short runs may part spaced-out names: it stands between two characters names are
    written in (never at a bracket, a comma or a digit)."""
    a, b = prev.text.rstrip()[-1:], s.text.lstrip()[:1]
    return ("\u4e00" <= a <= "\u9fff" or a == "·") and ("\u4e00" <= b <= "\u9fff" or b == "·")


def _letter_spaced(piece: Sequence[Span], s: Span, after: Span | None, size: float) -> bool:
    """`s` carries on a letter-spaced line: with the two characters before it, or (at the line's start, where
    the letter spacing may be wider than names are spaced) with the one before it and the one after it, it
    stands at one pitch (`_even`)."""
    if len(piece) >= 2:
        return _even(piece[-2], piece[-1], s, size)
    return after is not None and len(piece[-1].text.strip()) == 1 and _even(piece[-1], s, after, size)


def _even(a: Span, b: Span, c: Span, size: float) -> bool:
    """Three single characters set at one pitch (a justified line letter-spaced to fill its measure): `b` to `c`
    stands as far from `a` to `b`, within a tenth of an em, more than abutting and at most `LETTER_GAP` ems.
    (Space runs are no characters here: they abut what they part.)"""
    if len(b.text) != 1 or len(c.text) != 1 or b.text.isspace() or c.text.isspace() or len(a.text.strip()) > SPACED_LEN:
        return False
    gap, before = c.box.x0 - b.box.x1, b.box.x0 - a.box.x1
    return ABUT * size < gap <= LETTER_GAP * size and abs(gap - before) <= 0.1 * size


def _gutter(rows: Sequence[Sequence[Span]], k: int, x0: float, x1: float, size: float) -> bool:
    """The white between `x0` and `x1` on row `k` runs on as a gutter: a row just above or below (within
    `GUTTER_REACH` ems: lines ending in hung punctuation may close up the gutter on several rows) has text ending
    left of it and text starting right of it, at least half an em apart, and nothing (not even a space) across
    it. (Punctuation hung into the gutter at a line's end, `，`, brings a column's line within a fraction of an em
    of the next column's; inside a column the lines above and below run across the spot.) Two columns' lines
    need not share baselines (a heading shifts a column's lines by a fraction of a line): two rows less than a
    line apart, neither across the white, count as one. Only lines in the type of the pieces count (a byline
    centred over two columns stands over their gutter). A column's line is more than a character: where the
    text on both sides of the white is a lone character, the white is letter spacing (a letter-spaced line
    above or below), not a gutter."""
    mid = (x0 + x1) / 2
    y = rows[k][0].box.y0
    sides: list[tuple[float, float, float, float, float]] = []  # (y0, left, its width, right, its width)
    for j in (*range(k - 1, max(-1, k - 6), -1), *range(k + 1, min(len(rows), k + 6))):
        row = rows[j]
        if abs(row[0].box.y0 - y) > GUTTER_REACH * size:
            continue
        left, right = mid - 2 * size, mid + 2 * size
        wide_left = wide_right = 0.0  # the widths of the runs ending at `left` and starting at `right`
        for s in row:
            if s.box.x0 < mid < s.box.x1:
                break
            if abs(s.size - size) > 0.1 * size:
                continue  # a gutter shows between lines of the type it parts (not a byline's over the columns)
            if left < s.box.x1 <= mid:
                left, wide_left = s.box.x1, s.box.x1 - s.box.x0
            elif mid <= s.box.x0 < right:
                right, wide_right = s.box.x0, s.box.x1 - s.box.x0
        else:
            if _apart(left, wide_left, right, wide_right, mid, size):
                return True
            sides.append((row[0].box.y0, left, wide_left, right, wide_right))
    for a, b in itertools.combinations(sides, 2):
        if abs(a[0] - b[0]) < 0.8 * size and (
            _apart(a[1], a[2], b[3], b[4], mid, size) or _apart(b[1], b[2], a[3], a[4], mid, size)
        ):
            return True
    return False


def _apart(left: float, wide_left: float, right: float, wide_right: float, mid: float, size: float) -> bool:
    """Text ends at `left` and starts at `right`, both within two ems of `mid`, half an em apart at least, one
    of them a run of more than a character."""
    near = mid - 2 * size < left and right < mid + 2 * size
    return near and right - left >= 0.5 * size and max(wide_left, wide_right) >= 1.5 * size


def _line(spans: Sequence[Span]) -> TextLine:
    """One line from its runs (left to right): a space where they stand apart by more than half an em."""
    new = tuple.__new__
    words = [s for s in spans if not s.text.isspace()] or list(spans)
    if len(spans) == 1 or len(words) == 1:
        s = words[0]
        box = s.box if s.text[0] not in _BLANK else _indented(s.box, s.text, s.size)
        return new(TextLine, (s.text.strip(), box, s.size, s.bold, s.font))
    text = spans[0].text
    gaps = [s.box.x0 - prev.box.x1 for prev, s in itertools.pairwise(spans)]
    even = len(gaps) >= 3 and max(gaps) - min(gaps) <= 0.1 * spans[0].size  # letter-spaced, not word-spaced
    for prev, gap, s in zip(spans[:-1], gaps, spans[1:], strict=True):
        space = gap > 0.5 * s.size or (gap > WORD_GAP * s.size and _solid(prev) and _solid(s))
        text += (" " if space and not even and not text.endswith(" ") else "") + s.text
    text = _SPACES.sub(" ", text)
    box = functools.reduce(Box.union, (s.box for s in words))
    lead = spans[0] if not spans[0].text.isspace() else None
    if lead is not None and lead.text[0] in _BLANK and lead.box.x0 <= box.x0:
        box = _indented(box, lead.text, lead.size)
    spans = words
    main = max(spans, key=_weight)
    bold = main.bold or sum(len(s.text) for s in spans if s.bold) * 2 > sum(len(s.text) for s in spans)
    return TextLine(text.strip(), box, main.size, bold, main.font)


def _weight(s: Span) -> int:
    """How much of a line's printed text a span holds, in half ems: a Chinese character is set a full em wide,
    a Latin letter or digit about half (a Latin run in Chinese text is set in a Latin face, and letter-spaced:
    `S A A S`), spaces nothing. The line's face and size are those of its heaviest span."""
    return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in s.text if not c.isspace())


def _solid(s: Span) -> bool:
    """A run of ideographs set solid: its characters abut, one em each (its box as wide as they are, within a
    tenth of an em). White after such a run is no letter spacing."""
    text = s.text
    if not text or not all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in text):
        return False
    return abs(s.box.x1 - s.box.x0 - len(text) * s.size) <= 0.1 * s.size


def _indented(box: Box, text: str, size: float) -> Box:
    """The box of a run without the blanks it opens with: a paragraph indent written as ideographic spaces
    (`　　`, one em each) is an indent, as if the line started further in."""
    lead = len(text) - len(text.lstrip())
    shift = sum(size if ch == "\u3000" else 0.25 * size for ch in text[:lead])
    return Box(min(box.x0 + shift, box.x1), box.y0, box.x1, box.y1)


def _vertical_lines(upright: Sequence[Span]) -> list[TextLine]:
    """Upright runs stacked one under the other (same column of characters, same size, close) as one line each,
    top to bottom; copies of a character (fake bold) kept once."""
    cols: list[list[Span]] = []
    for s in sorted(
        (s for s in upright if not s.text.isspace()), key=lambda s: (round((s.box.x0 + s.box.x1) / 2), s.box.y0)
    ):
        col = next((c for c in cols if _stacks(c[-1], s)), None)
        if col is None:
            cols.append([s])
        elif not any(o.text == s.text and _overlaps(o.box, s.box) for o in col[-2:]):
            col.append(s)
    out = []
    for col in cols:
        col.sort(key=lambda s: s.box.y0)
        text = "".join(s.text.strip() for s in col).translate(VERTICAL_FORMS)
        box = functools.reduce(Box.union, (s.box for s in col))
        main = col[0]
        out.append(TextLine(text, box, main.size, any(s.bold for s in col), main.font))
    return out


def _stacks(upper: Span, s: Span) -> bool:
    a, b = upper.box, s.box
    size = min(upper.size, s.size)
    centred = abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= 0.3 * size
    return centred and abs(upper.size - s.size) <= 0.1 * size and -0.5 * size <= b.y0 - a.y1 <= SPACED_GAP * size
