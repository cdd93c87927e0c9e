"""Side-by-side columns that a geometric extractor wrote into one block, taken apart into one block per column.

Extractors that read a page by geometry (poppler's `pdftotext` in its default mode) gather nearby words into
blocks and write a block line by line: every word standing on one baseline across the block's width goes on one
output line, left to right, one space apart. When the gutter between columns is narrow (as it is in newspapers,
about one em), one block holds several columns, and the dump interleaves them:

- columns whose lines share baselines (the columns of one story, which the typesetter starts on one line) come
  out as one line per baseline made of each column's line joined by a space (`piece_row`);
- columns whose baselines are offset (stories side by side, each under a headline of its own height) come out as
  lines alternating in a fixed cycle, since body type keeps one leading across a page (`_period`).

`untangled` undoes both, block by block: it finds the cycle, then within each phase of it sends the k-th piece of
each line to the k-th column, and writes the columns one after another, each as a block of its own (blank lines
apart), so that `blocks.reordered` can follow a story from one column to the next.

Extractors that also keep the page's layout (PyMuPDF's `get_text(sort=True)`) write the distance before each word
as spaces, so a piece's place in its line is its x on the page: there a column is told by where its lines start,
and each line is linked to its column's next line, best links first (`_chains`), with the cycle found per stretch
of the block rather than once for it (columns start and end inside a block of a whole page's lines).

Where body type is leaded over one and a half ems, `pdftotext` finds no block and writes every line alone: the
whole page is then one run of lines across it, baseline by baseline, linked the same way by their cycle alone
(`_lines_apart`, `_written_across`). Known limit: where a story's columns end and the cycle shrinks, a column's
last line can be linked into its neighbour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

from pipeline.segment.bylines import parse_byline
from pipeline.segment.normalize import ends_sentence, text_width
from pipeline.segment.text.lines import FURNITURE, unspaced
from pipeline.segment.words import word_across

# A column line of body type holds at least this many characters (the narrowest newspaper columns hold ~8):
# shorter runs between spaces are names, numbers or headline phrases, not a column's line.
MIN_PIECE = 6
# A block is taken apart only when at least this many of its lines hold several columns' lines.
MIN_SPLIT_ROWS = 3
MAX_PERIOD = 4
MAX_PREFIX = 4  # headline or byline lines atop a block, outside the cycle of its columns
# How much better a cycle of several lines must read than reading the lines in turn.
PERIOD_MARGIN = 0.12
START_SLACK = 0.05
_PUNCT = re.compile(r"[，。、；：！？]")
NO_LINE_START = set("，。、；：？！）》」』”’%")
NEAR_STRONG = 2
# A full column line is the block's median width, give or take a Latin digit or a half-width mark or two, and
# a paragraph's first line two ems less (extractors drop the indent).
FULL_SLACK = 3.5

Row = list[str]
Piece = tuple[int, int]  # (line of the block, place among the line's pieces)
# A dump that keeps the page's layout writes a gap of three ems or more as a run of spaces this long; running
# text never holds one (a gutter is about one em, one space).
LAYOUT_RUN = "   "
# Where its lines start tells a column in such a dump: within SAME_X characters (a paragraph's first line is
# indented two ems), never more than OTHER_X apart (rounding of the extractor's spaces adds up along a line).
SAME_X = 2
OTHER_X = 4
# Links are weighed between lines up to LINK_WINDOW lines apart: a word across the break counts most, then one
# cycle on, then the same place; each line of distance costs a little.
LINK_WINDOW = 6
WORD_LINK = 2.0
CYCLE_LINK = 1.0
PLACE_LINK = 1.0
STEP_COST = 0.2
# The local cycle is read from the pairs of lines within PERIOD_REACH lines; a longer one must read better by
# LOCAL_MARGIN.
PERIOD_REACH = 4
LOCAL_MARGIN = 0.05
# A dump of lines apart: at least MIN_APART_BLOCKS blocks, APART_SHARE of them single lines. Its cycle runs up to
# APART_PERIOD lines (a page holds up to 8 columns side by side); there the cycle weighs more than a word across
# the break (a wrong pair of lines makes a dictionary word about once in thirty, the cycle errs less), and a
# link's length costs less (links span the whole cycle).
MIN_APART_BLOCKS = 20
APART_SHARE = 0.8
APART_PERIOD = 8
APART_CYCLE = 2.5
APART_STEP = 0.05


def untangled(raws: list[str]) -> list[str]:
    """The dump's lines with each block of side-by-side columns written column by column (module docstring).
    Blocks holding one column, and lines that are not column lines, come back unchanged."""
    lines = [raw for raw in raws if raw.strip()]
    if _lines_apart(raws) and not _keeps_layout(raws) and _written_across(lines):
        rows = [[raw] for raw in lines]
        return _written(lines, rows, _chains(rows, None, max_period=APART_PERIOD))
    out: list[str] = []
    block: list[str] = []
    for raw in [*raws, ""]:
        if raw.strip():
            block.append(raw)
            continue
        out.extend(_untangle(block) if block else [])
        out.append(raw)
        block = []
    return out[:-1]


def _lines_apart(raws: list[str]) -> bool:
    """The dump sets (nearly) every line apart by a blank line: `pdftotext` finds no block when body type is set
    at a leading over one and a half ems, and writes each line alone, baseline by baseline across the page."""
    blocks = lone = size = 0
    for raw in [*raws, ""]:
        if raw.strip():
            size += 1
            continue
        blocks += size > 0
        lone += size == 1
        size = 0
    return blocks >= MIN_APART_BLOCKS and lone >= APART_SHARE * blocks


def _written_across(lines: list[str]) -> bool:
    """The dump's lines run across the page, not down its columns: a word runs from a line into the line some
    lines on (one line of each other column between) more often than into the next line, by `PERIOD_MARGIN`.
    A dump of lines apart in reading order (each column's lines in turn) stays as it is."""

    def rate(p: int) -> float:
        pairs = list(zip(lines, lines[p:], strict=False))  # the last p lines have no pair
        return sum(_across(a, b) for a, b in pairs) / max(1, len(pairs))

    return max(rate(p) for p in range(2, APART_PERIOD + 1)) > rate(1) + PERIOD_MARGIN


def piece_row(raw: str) -> Row:
    """A dump line cut into the lines of the columns it holds.

    Chinese body text set solid has no space between two characters, so one space between two runs of CJK text
    of column-line length (`MIN_PIECE` characters, or a paragraph's short last line, which ends a sentence) is the
    gutter between two columns. A letter-spaced line (a space after every glyph, as a justified line spread out
    comes out) is one run; short runs between spaces (a byline's names, digits set in a Latin font) stay with
    their neighbours, or make a piece of their own when together they are a column line's length."""
    tokens = raw.strip().split(" ")
    groups: list[list[str]] = []
    for tok in tokens:
        if not tok:
            continue
        if groups and ((len(tok) == 1 and len(groups[-1][-1]) == 1) or not _gutter(groups[-1][-1], tok)):
            groups[-1].append(tok)  # letter-spaced glyphs, or a space beside Latin or digits: one run
        else:
            groups.append([tok])
    pieces: list[str] = []
    short: list[str] = []
    for run in [*(" ".join(g) for g in groups), ""]:  # a sentinel that places the last short runs
        if run and not _long(run):
            short.append(run)
            continue
        names = " ".join(short)
        short = []
        if names and len(names.replace(" ", "")) >= MIN_PIECE and not names.endswith("摄"):
            pieces.append(names)
        elif names and pieces:
            pieces[-1] = f"{pieces[-1]} {names}"
        elif names:
            run = f"{names} {run}".strip()
        if run:
            pieces.append(run)
    return [unspaced(p) for p in pieces] if len(pieces) > 1 else [raw]


def _gutter(left: str, right: str) -> bool:
    """A space between these two runs can be a gutter: CJK on both sides (digits and Latin set in a Latin font
    come out with spaces beside them, `2018 年1 月`), and the right run does not open with a mark that never
    starts a line (`，。、）》”`: typesetters keep those at the end of the line before)."""
    a, b = left[-1], right[0]
    return not (a.isascii() and a.isalnum()) and not (b.isascii() and b.isalnum()) and b not in NO_LINE_START


def _long(run: str) -> bool:
    solid = run.replace(" ", "")
    return len(solid) >= MIN_PIECE or (len(solid) >= 2 and ends_sentence(solid))


def _untangle(block: list[str]) -> list[str]:
    """One block (lines between blank lines) written column by column, or unchanged when it holds one column."""
    rows = _column_rows(block)
    if sum(len(r) > 1 for r in rows) < MIN_SPLIT_ROWS and len(rows) < 2 * MIN_SPLIT_ROWS:
        return block
    start, period = _period(rows)
    if period == 1 and sum(len(r) > 1 for r in rows) < MIN_SPLIT_ROWS:
        return block
    if _keeps_layout(block):
        return _written(block, rows, _chains(rows, _offsets(block, rows)))
    # Lines atop the cycle that break off mid-sentence are the top of the column the cycle's first line continues
    # (that column starts higher than the others); finished lines there (a headline, a byline) stay apart.
    top = start
    while top > 0 and len(rows[top - 1]) == 1 and not ends_sentence(rows[top - 1][0]) and _body_like(rows[top - 1][0]):
        top -= 1
    phases = [list(rows[start + phase :: period]) for phase in range(period)]
    phases[0][:0] = rows[top:start]
    # A story's closing byline stands at the foot of its last column: the phase ending with one is read last.
    phases.sort(key=lambda ph: parse_byline(ph[-1][-1]) is not None)
    out = list(block[:top])
    for phase_rows in phases:
        for column in _columns(phase_rows):
            out.extend([*column, ""])
    return out[:-1] if out and out[-1] == "" else out


def _keeps_layout(block: list[str]) -> bool:
    """The block comes from a dump that keeps the page's layout: PyMuPDF's `get_text(sort=True)` writes the
    distance before each word as spaces, in widths of the word's own characters, so a piece's place in its
    dump line is its x on the page in ems: a line holds or opens with a run of spaces no running text holds
    (`LAYOUT_RUN`; extractors that do not keep the layout write a line from its first glyph)."""
    return any(LAYOUT_RUN in raw.rstrip() for raw in block)


def _offsets(block: list[str], rows: Sequence[Row]) -> list[list[int]]:
    """Where each piece of each row starts in its dump line, in characters from the line's start. A row's
    pieces are its line's glyphs in order (`piece_row` drops only white space), so each piece starts at the first
    glyph after the previous piece's last (a paragraph's ideographic indent included: it is set as glyphs)."""
    out: list[list[int]] = []
    for raw, row in zip(block, rows, strict=True):
        pos, starts = 0, []
        for piece in row:
            while pos < len(raw) and raw[pos] == " ":
                pos += 1
            starts.append(pos)  # an ideographic space is a glyph's width of the line: the line starts there
            glyphs = len("".join(piece.split()))
            while glyphs and pos < len(raw):
                glyphs -= not raw[pos].isspace()
                pos += 1
        out.append(starts)
    return out


def _chains(rows: Sequence[Row], offsets: list[list[int]] | None, max_period: int = MAX_PERIOD) -> dict[Piece, Piece]:
    """Each column line's next line in its column (piece -> piece), links taken best first, in a dump that keeps
    the page's layout (`offsets`: where each piece starts), or in a dump of lines apart (`offsets` None,
    `_lines_apart`: no place to go by, so the cycle, up to `max_period` lines, weighs more than a word across).

    A column's lines all start at the column's left edge, give or take a paragraph's indent (`SAME_X`), so a
    line's next line starts there too, and never far off (`OTHER_X`). Body type keeps one leading across a
    page, so each column steps down by the same amount per line, and the lines of columns side by side with
    offset baselines come out in a cycle: while the same columns run beside each other, a column's next line is
    one cycle on (`_local_periods`, found per stretch of the block, since columns start and end inside it). A
    line's next line also takes up its last word (a word running across the break) and never opens with a mark
    that never starts a line (`NO_LINE_START`). A piece wider than a column line (a headline across columns) is
    no column line, nor is a lone line that neither fills the column nor holds running text (a byline, a
    headline's line): neither heads a link. Each line heads one link and ends one, and links between the same
    two lines do not cross (columns keep their order left to right)."""
    periods = _local_periods(rows, max_period)
    window = max(LINK_WINDOW, max_period + 2)
    step, cycle = (STEP_COST, CYCLE_LINK) if offsets is not None else (APART_STEP, APART_CYCLE)
    widths = sorted(_width(p) for r in rows for p in r)
    column = widths[len(widths) // 2] if widths else 0.0
    links: list[tuple[float, Piece, Piece]] = []
    for i, row in enumerate(rows):
        for k, a in enumerate(row):
            if (
                _width(a) > column + FULL_SLACK
                or (len(row) == 1 and not _column_line(a, column) and not _body_like(a))
                or (offsets is None and not _apart_column_line(a, column))
            ):
                continue
            for j in range(i + 1, min(len(rows), i + window + 1)):
                for m, b in enumerate(rows[j]):
                    shift = abs(offsets[i][k] - offsets[j][m]) if offsets is not None else 0
                    if (
                        shift > OTHER_X
                        or b.lstrip()[:1] in NO_LINE_START
                        or _width(b) > column + FULL_SLACK
                        or (offsets is None and not _apart_column_line(b, column))
                    ):
                        continue
                    weight = (
                        WORD_LINK * _across(a, b)
                        + cycle * (j - i == periods[i])
                        + PLACE_LINK * (offsets is not None and shift <= SAME_X)
                        - step * (j - i)
                    )
                    if weight > 0:
                        links.append((weight, (i, k), (j, m)))
    links.sort(key=lambda link: -link[0])  # stable: among equal weights the earlier, nearer link first
    succ: dict[Piece, Piece] = {}
    taken: set[Piece] = set()
    for _weight, top, low in links:
        if top in succ or low in taken or _crosses(succ, top, low, len(rows[top[0]])):
            continue
        succ[top] = low
        taken.add(low)
    return succ


def _apart_column_line(line: str, column: float) -> bool:
    """A line of a dump of lines apart that can be a column's line: no wider than the column's lines (`column`:
    the median), a full line, a paragraph's first or last line, a byline or running text, and neither page
    furniture (`编辑：姚琴`) nor headline phrases set apart by a space (`全力以赴稳经济 用心用情优服务`: running text
    is set solid and holds sentence punctuation)."""
    if _width(line) > column + FULL_SLACK or FURNITURE.search(line):
        return False
    if len(piece_row(line)) > 1 and not _PUNCT.search(line):
        return False
    return _column_line(line, column) or _body_like(line)


def _crosses(succ: dict[Piece, Piece], a: Piece, b: Piece, width: int) -> bool:
    """Linking a to b would cross a link between the same two lines (a's line holds `width` pieces)."""
    for k in range(width):
        other = succ.get((a[0], k))
        if other is not None and other[0] == b[0] and (k - a[1]) * (other[1] - b[1]) < 0:
            return True
    return False


def _local_periods(rows: Sequence[Row], max_period: int = MAX_PERIOD) -> list[int]:
    """The cycle the block's lines follow around each line: the period whose pairs of lines one period apart,
    within `PERIOD_REACH` lines of it, read on best (`_reads_on`); a longer period only when it reads better by
    `LOCAL_MARGIN`."""
    out: list[int] = []
    for i in range(len(rows)):
        best, period = -1.0, 1
        for p in range(1, max_period + 1):
            pairs = [(j, j + p) for j in range(max(0, i - PERIOD_REACH), min(len(rows) - p, i + PERIOD_REACH + 1))]
            if not pairs:
                continue
            score = sum(_reads_on(rows[a], rows[b]) for a, b in pairs) / len(pairs)
            if score > best + (0.0 if p == 1 else LOCAL_MARGIN):
                best, period = score, p
        out.append(period)
    return out


def _written(block: list[str], rows: Sequence[Row], succ: dict[Piece, Piece]) -> list[str]:
    """The block's columns one block each (blank lines apart), in reading order (`_reading_order`); pieces that
    head no link and end none (headline lines, bylines) each make a column of their own, and such lines in a
    row stay together, in the dump's order."""
    chained = set(succ) | set(succ.values())
    columns: list[tuple[Piece, list[str]]] = []
    for head in sorted(set(succ) - set(succ.values())):
        column = [rows[head[0]][head[1]]]
        node = head
        while node in succ:
            node = succ[node]
            column.append(rows[node[0]][node[1]])
        columns.append((head, column))
    for i, row in enumerate(rows):
        for k, piece in enumerate(row):
            if (i, k) not in chained:
                columns.append(((i, k), [block[i] if len(row) == 1 else piece]))  # a whole line keeps its spaces
    out: list[str] = []
    previous: tuple[bool, int] | None = None
    for head, column in _reading_order(columns, succ):
        single = head not in succ
        if previous is not None and not (single and previous == (True, head[0] - 1)):
            out.append("")
        out.extend(column)
        previous = (single, head[0])
    return out


def _reading_order(columns: list[tuple[Piece, list[str]]], succ: dict[Piece, Piece]) -> list[tuple[Piece, list[str]]]:
    """Columns (each named by its first piece) in reading order: of two columns beside each other on a line, the
    left one is read first (a story's columns left to right, whichever starts higher); else the one that
    starts higher."""
    places: list[dict[int, int]] = []
    for head, _column in columns:
        node: Piece | None = head
        place: dict[int, int] = {}
        while node is not None:
            place[node[0]] = node[1]
            node = succ.get(node)
        places.append(place)
    before: dict[int, set[int]] = {c: set() for c in range(len(columns))}
    for a, b in combinations(range(len(columns)), 2):
        shared = sorted(set(places[a]) & set(places[b]))
        if shared:
            left, right = (a, b) if places[a][shared[0]] < places[b][shared[0]] else (b, a)
            before[right].add(left)
    order: list[int] = []
    waiting = sorted(range(len(columns)), key=lambda c: columns[c][0])
    while waiting:
        done = set(order)
        ready = next((c for c in waiting if before[c] <= done), waiting[0])  # in a loop, the higher first
        order.append(ready)
        waiting.remove(ready)
    return [columns[c] for c in order]


def _column_rows(block: list[str]) -> list[Row]:
    """The block's lines cut by `piece_row`, where that is surely a cut between columns: a line holding running
    text (sentence punctuation in one of its pieces), or a line between such lines (a column line without a
    comma among column lines with them). Headline phrases set apart by a space (`全力以赴稳经济 用心用情优服务`),
    page headers and credits away from running text stay whole."""
    rows = [piece_row(raw) for raw in block]
    widths = sorted(_width(p) for r in rows for p in r)
    column = widths[len(widths) // 2] if widths else 0.0
    rows = [
        r if len(r) == 1 or all(_column_line(p, column) for p in r) else [raw]
        for r, raw in zip(rows, block, strict=True)
    ]
    strong = [k for k, r in enumerate(rows) if len(r) > 1 and any(_PUNCT.search(p) for p in r)]
    if len(strong) < MIN_SPLIT_ROWS:
        strong = []
    for k, row in enumerate(rows):
        near = [j for j in strong if abs(k - j) <= NEAR_STRONG]
        if len(row) > 1 and not (k in strong or (near and min(near) < k < max(near))):
            rows[k] = [block[k]]
    return rows


def _width(text: str) -> float:
    return text_width(text.replace(" ", ""))


def _column_line(piece: str, column: float) -> bool:
    """A piece that can be one column's line in a block whose lines are `column` wide (the median piece): a full
    line or a paragraph's indented first line, a paragraph's last line (it ends a sentence) or a byline. A justified line spread out only in part
    comes out as a spaced run and a solid one (`基 础 。 2016 年 ，我 国学前3年毛入园率`), pieces that together
    make one line: not two columns."""
    return _width(piece) >= column - FULL_SLACK or ends_sentence(piece) or parse_byline(piece) is not None


def _body_like(text: str) -> bool:
    """A line of running text: column-line length with sentence punctuation in it."""
    return len(text) >= MIN_PIECE and bool(_PUNCT.search(text))


def _period(rows: Sequence[Row]) -> tuple[int, int]:
    """(first row, period) of the cycle the block's lines follow: the period whose phases read on best (a word
    running from a line to the next line of its phase, the same number of columns in both), after up to
    `MAX_PREFIX` lines atop the block. A period of one unless another reads clearly better."""
    best = (_cycle_score(rows, 1), 0, 1)
    base = best[0]
    for period in range(2, MAX_PERIOD + 1):
        for start in range(MAX_PREFIX + 1):
            if len(rows) - start < 3 * period:
                continue
            score = _cycle_score(rows[start:], period)
            # the earliest start that reads about as well: lines are not left out of the cycle without need
            if score >= base + PERIOD_MARGIN and (
                score > best[0] + START_SLACK or (score > best[0] and period != best[2])
            ):
                best = (score, start, period)
    return best[1], best[2]


def _cycle_score(rows: Sequence[Row], period: int) -> float:
    pairs = [(rows[i], rows[i + period]) for i in range(len(rows) - period)]
    if not pairs:
        return 0.0
    return sum(_reads_on(a, b) for a, b in pairs) / len(pairs)


def _across(a: str, b: str) -> bool:
    """`word_across`, remembered: the cycle search asks about the same pairs of lines for every start (it reads
    four characters either side of the break)."""
    return _across_ends(a.rstrip()[-4:], b.lstrip()[:4])


@lru_cache(maxsize=8192)
def _across_ends(a: str, b: str) -> bool:
    return word_across(a, b)


def _reads_on(a: Row, b: Row) -> float:
    """How well row b reads as the next line of row a's columns: the share of aligned pieces a word runs across,
    plus a half for the same number of columns."""
    if len(a) == len(b):
        words = sum(_across(x, y) for x, y in zip(a, b, strict=True)) / len(a)
        return words + 0.5
    small, large = (a, b) if len(a) < len(b) else (b, a)
    scores = [[float(_across(x, y) if small is a else _across(y, x)) for y in large] for x in small]
    return _best_picks(scores)[0] / len(small)


def _best_picks(scores: list[list[float]]) -> tuple[float, tuple[int, ...]]:
    """The order-keeping pick of one column j_k for each piece k (j_0 < j_1 < …) with the most total score
    (`scores[k][j]`), and that score; among equals the pick with the leftmost columns first. By dynamic
    programming: trying every pick grows as a binomial, and a geometric extractor can write lines of many
    baselines as one dump line (PyMuPDF's sort=True joins every word whose top or bottom is near the line's: 41
    column pieces in one line of make_pages2 seed 35)."""
    m, n = len(scores), len(scores[0]) if scores else 0
    # best[k][j]: the most score placing pieces k.. in columns j..
    best = [[float("-inf")] * (n + 2) for _ in range(m + 1)]
    best[m] = [0.0] * (n + 2)
    for k in range(m - 1, -1, -1):
        for j in range(n - (m - k), -1, -1):
            best[k][j] = max(best[k][j + 1], scores[k][j] + best[k + 1][j + 1])
    picked: list[int] = []
    j = 0
    for k in range(m):
        while scores[k][j] + best[k + 1][j + 1] < best[k][j]:
            j += 1
        picked.append(j)
        j += 1
    return best[0][0], tuple(picked)


def _columns(rows: Sequence[Row]) -> list[list[str]]:
    """One phase's lines as columns: the k-th piece of a line with every column's line goes to column k; a line
    with fewer pieces goes to the columns, in order, that its pieces read on from best (the leftmost first: a
    story's last column is its shortest)."""
    width = max((len(r) for r in rows), default=0)
    columns: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        if len(row) == width:
            picked: tuple[int, ...] = tuple(range(width))
        else:
            scores = [[float(bool(c) and _across(c[-1], piece)) for c in columns] for piece in row]
            picked = _best_picks(scores)[1]
        for k, j in enumerate(picked):
            columns[j].append(row[k])
    return [c for c in columns if c]
