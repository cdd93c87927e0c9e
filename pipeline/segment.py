"""Text-dump pages to articles. Pure: a page's extracted text in, a `PageLayout` out.

A PDF text extractor emits a page's text objects in drawing order, not reading order, so a headline group can come
before or after its body, and a story's headline can sit far from it. The rules, in order:

1. Lines: fake-bold doubling undone (a line whose every run is doubled is a bold headline line); trailing bylines
   and jump markers split off.
2. Roles: byline lines, headline lines (bold; or short lines with spaced phrases; or lines wedged between a
   paragraph end and a byline/headline, which body text cannot be), body lines.
3. Bodies: consecutive body lines, cut at bylines, headline zones and jump markers. A run that has both an opening
   and a closing byline holds two stories; it is cut at the paragraph boundary where the text changes most.
4. Headlines: each zone of headline lines goes to the body it shares most words with (headlines summarise their
   story), with a small bonus for standing next to it. Zone lines sharing nothing with the chosen body, and zones
   matching no body, are fragments.
5. Headline parts: the first plain (non-bold) line is the title, with its wrapped rest or a parallel second phrase;
   the bold line just before it is the kicker; further plain lines under it, other bold lines, and lines opening
   with a dash are the subtitle.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.bylines import (
    LEAD,
    NAMES_ONLY,
    find_jump,
    names_of,
    parse_byline,
    split_leading_byline,
    split_trailing_byline,
)
from pipeline.models import Article, PageLayout
from pipeline.normalize import (
    PARAGRAPH_BREAK,
    ends_sentence,
    is_doubled,
    join_wrapped,
    paragraph_lines,
    paragraphs,
    text_width,
    undouble,
)

BODY, HEAD, BYLINE, CAPTION = "body", "head", "byline", "caption"
_SPACED_PHRASES = re.compile(r"[\u4e00-\u9fff”」》]\s+[\u4e00-\u9fff“「《]")
# A kicker (引题) names who spoke and where: `敖煜新在调研二季度经济运行情况时强调`.
_SAYS = re.compile(r"(?:强调|指出|表示|要求|提出|寄语|宣布|希望)$")
_NO_HEADLINE = re.compile(r"[。！？，；]")
_SENTENCE_PUNCT = re.compile(r"[，。；：！？、,;!?]")
# Photo captions: `图为…`, `▲…`, or a credit ending in 摄 (`记者 张三 摄`).
_CAPTION = re.compile(r"^(?:图为|图片|▲|△|（图|\(图)|[\s\u4e00-\u9fff]\s摄\s*$|摄影[:：]")
# Intertitles inside a long story (`一、加强组织领导`, `（二）…`): bold, but part of the body they divide.
_INTERTITLE = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）、.．]|^\d{1,2}[、.．]\D")
# A photo credit closing a caption, `（记者 姚琴 摄）`: the photographer of a picture, not the story's byline.
_CREDIT = re.compile(r"[（(][^（）()]{1,30}\s摄\s*[)）]\s*$")
# Page furniture on a line of its own: the header's `第1版 要闻` and date, a teaser box's `导读` and its
# cross-references (`●梳理德清模式 总结浙江经验 第4版`).
_FURNITURE_LINE = re.compile(
    r"^第?\s*\d{1,3}\s*版(?:\s|$)|^导读$|^\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期.)?$"
    r"|^[●■◆▲★•·◎]\S.*\s第?\s*\d{1,3}\s*版$|^(?:责任编辑|美术编辑|版式设计|校对)[:：]"
)
_PAGE_REF = re.compile(r"第?\s*\d{1,3}\s*版")
_BULLETS = ("●", "■", "◆", "▲", "★", "•", "◎")
_FURNITURE = re.compile(r"(责任编辑|美术编辑|版式设计|校对|编辑[:：]|电话[:：]|第\s*\d+\s*版|邮箱|E-?mail)", re.I)
MIN_HEADLINE_MATCH = 0.2
MAX_HEADLINE_LINES = 6  # kicker, a title and a subtitle, each possibly wrapped
MIN_STORY_CHARS = 40
# How Chinese news leads open: a day or date, or a time phrase.
_NEWS_LEAD = re.compile(
    r"^(昨天|昨日|今天|今日|近日|日前|近期|前不久|今年以来|本报讯|\d{1,2}月\d{1,2}日|[一二三四五六七八九十]+月)"
)
ADJACENT_BONUS = 0.15


@dataclass(slots=True)
class Line:
    """One non-blank line of the dump after clean-up; `role` is decided by `_assign_roles`."""

    text: str
    bold: bool
    indent: bool
    gap_before: bool
    role: str = BODY
    names: tuple[str, ...] = ()
    to_page: int | None = None
    from_page: int | None = None
    closes: bool = False  # a byline that trailed text on its line: it closes the story before it
    intertitle: bool = False


@dataclass(slots=True)
class Body:
    """A story's body being assembled: its lines, bylines and jumps, and where it stood among the items."""

    lines: list[str] = field(default_factory=list)
    opening: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    to_page: int | None = None
    from_page: int | None = None
    position: int = 0

    @property
    def authors(self) -> tuple[str, ...]:
        return _merge(self.opening, self.closing)


@dataclass(slots=True)
class Zone:
    """Consecutive headline lines, and where they stood among the items."""

    lines: list[Line]
    position: int


def segment_text(text: str, page: int | None = None) -> PageLayout:
    """Cut one page's text dump into articles (reading order of their bodies) and loose fragments."""
    lines = _assign_roles(_read_lines(text))
    bodies, zones, fragments = _group(lines)
    bodies = [b for b in bodies if _keep_body(b, fragments)]
    matches = _match_zones(zones, bodies, fragments)
    articles = tuple(_article(b, matches.get(i)) for i, b in enumerate(bodies))
    return PageLayout(articles=articles, fragments=tuple(fragments), printed_page=page)


# --- 1. lines -------------------------------------------------------------------------------------------------


def _read_lines(text: str) -> list[Line]:
    """Non-blank lines, cleaned up. Fake bold comes out of some extractors as the line printed twice in a row
    (each copy its own line): the copy is dropped and the line marked bold, as a run-level double is."""
    out: list[Line] = []
    gap = False
    previous = ""
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        if stripped == previous and len(stripped) >= 2 and out:
            for line in out[-_n_split(previous) :]:
                line.bold = line.bold or line.role != BYLINE
            continue
        out.extend(_split_line(raw, gap))
        previous = stripped
        gap = False
    return out


def _n_split(raw: str) -> int:
    """How many `Line`s `_split_line` made of a raw line (a line with a trailing byline makes two)."""
    return len(_split_line(raw, False))


def _split_line(raw: str, gap: bool) -> list[Line]:
    """A raw line as one or more `Line`s: text, then a trailing byline; jump markers become attributes."""
    bold = is_doubled(raw.strip())
    text = undouble(raw.strip()) if bold else raw.strip()
    if _CAPTION.search(text) or _CREDIT.search(text) or _FURNITURE_LINE.search(text):
        return [Line(text, False, False, gap, role=CAPTION)]  # kept whole: its credit is not a byline
    text, to_page, from_page = find_jump(text)
    leading = split_leading_byline(text)
    if leading:
        # `本报讯（记者 张三）昨天…` opens a story: the byline first, then the text that follows it.
        opener = Line(text, False, False, gap, role=BYLINE, names=leading[0])
        rest = _split_line(leading[1], False) if leading[1] else []
        return [opener, *rest]
    trailing = split_trailing_byline(text)
    lines = []
    body_text = trailing[0] if trailing else text
    if body_text:
        lines.append(Line(body_text, bold, raw[:1].isspace(), gap, to_page=to_page, from_page=from_page))
    elif to_page or from_page:
        lines.append(Line("", False, False, gap, to_page=to_page, from_page=from_page))
    if trailing:
        lines.append(Line(text, False, False, False, role=BYLINE, names=trailing[1], closes=bool(body_text)))
    return lines


# --- 2. roles -------------------------------------------------------------------------------------------------


def _assign_roles(lines: list[Line]) -> list[Line]:
    widths = [text_width(x.text) for x in lines]
    for i, line in enumerate(lines):
        if line.role in (BYLINE, CAPTION):
            continue
        names = parse_byline(line.text)
        if names:
            line.role, line.names = BYLINE, names
        elif _CAPTION.search(line.text):
            line.role = CAPTION
        elif _INTERTITLE.match(line.text) and not _SENTENCE_PUNCT.search(line.text[3:]):
            line.role = BODY  # kept as its own paragraph by `_add_body_line`
            line.intertitle = True
        elif line.text and (line.bold or _wider_than_column(lines, widths, i)):
            line.role = HEAD
    _continued_bylines(lines)
    _wrapped_teasers(lines)
    _wrapped_captions(lines)
    _masthead(lines)
    _wedged_headlines(lines)
    _titles_before_paragraphs(lines, widths)
    _spaced_headlines(lines)
    _heads_before_lead(lines, widths)
    return lines


def _heads_before_lead(lines: list[Line], widths: list[float]) -> None:
    """Plain lines between finished text (or the page top) and a line opening like a story (`昨天下午，…`) that
    are no sentence (no `。！？，`) and not of body width (set across columns, far shorter than a column, or
    phrases apart by spaces) are the story's headline, printed straight above it without weight."""
    for i, lead in enumerate(lines):
        if lead.role != BODY or not _NEWS_LEAD.match(lead.text) or i < 1:
            continue
        column = _column_width(lines, widths, i)
        if column is None:
            continue
        k = i
        while k > 0 and i - k < MAX_HEADLINE_LINES and _headline_like(lines[k - 1], widths[k - 1], column):
            k -= 1
        if k < i and _after_finished_text(lines, k):
            for line in lines[k:i]:
                line.role = HEAD  # (lines already HEAD stay so)


def _headline_like(line: Line, width: float, column: float) -> bool:
    if line.role == HEAD:
        return True
    if line.role != BODY or line.intertitle or not line.text or line.from_page or line.to_page:
        return False
    if _NO_HEADLINE.search(line.text):
        return False
    return width >= column + 2 or width <= column - 4 or bool(_SPACED_PHRASES.search(line.text))


def _column_width(lines: list[Line], widths: list[float], i: int) -> float | None:
    """The width of the column a story starting at line i runs in: the median of its next running lines."""
    run = [widths[k] for k in range(i + 1, min(len(lines), i + 6)) if lines[k].role == BODY]
    return statistics.median(run) if len(run) >= 3 else None


def _continued_bylines(lines: list[Line]) -> None:
    """A line of names only right after a byline is the rest of it, broken by the column (`□ 记者 董华` /
    `姚海翔`): body text cannot be a few names without punctuation."""
    for prev, line in itertools.pairwise(lines):
        if (
            prev.role == BYLINE
            and line.role in (BODY, HEAD)
            and line.bold == prev.bold
            and NAMES_ONLY.fullmatch(line.text)
        ):
            line.role, line.names = BYLINE, names_of(line.text)
            line.closes = prev.closes


def _wrapped_captions(lines: list[Line]) -> None:
    """A caption whose bracketed credit was broken over lines (`图为调研现场。（记者` / `沈佳` / `摄）`): the lines up
    to the closing bracket are the caption's."""
    open_ = 0
    for line in lines:
        if open_ > 0 and line.role != HEAD and len(line.text) <= 12:
            line.role = CAPTION
            open_ += line.text.count("（") + line.text.count("(") - line.text.count("）") - line.text.count(")")
            continue
        open_ = 0
        if line.role == CAPTION:
            open_ = line.text.count("（") + line.text.count("(") - line.text.count("）") - line.text.count(")")


def _wrapped_teasers(lines: list[Line]) -> None:
    """A teaser entry broken over lines, its page reference on a line of its own (`●4个…高新` / `区` / `第7版`):
    the lines back to the bullet are the entry's."""
    for i, line in enumerate(lines):
        if line.role != CAPTION or not _PAGE_REF.fullmatch(line.text):
            continue
        k = i - 1
        while k > i - 4 and k >= 0 and not lines[k].text.startswith(_BULLETS) and len(lines[k].text) <= 4:
            k -= 1
        if k >= 0 and lines[k].text.startswith(_BULLETS):
            for x in lines[k:i]:
                x.role = CAPTION


def _masthead(lines: list[Line]) -> None:
    """Lines above the page header (its date or `第N版` line, among the first few lines of the page) are the
    paper's name and slogans, not a headline."""
    top = next((i for i, x in enumerate(lines[:6]) if x.role == CAPTION and _FURNITURE_LINE.search(x.text)), None)
    for line in lines[: top or 0]:
        if line.role != BYLINE:
            line.role = CAPTION


def _spaced_headlines(lines: list[Line]) -> None:
    """Plain lines that continue a headline group: a punctuation-free line of phrases set apart by spaces
    (`增强紧迫感 找准发力点`; Chinese body text never puts a space between two characters), and a punctuation-free
    line between such a headline line and a caption or another headline line (a subtitle over a photo)."""
    for i, line in enumerate(lines):
        if not _unpunctuated_body(line):
            continue
        before = lines[i - 1] if i else None
        after = lines[i + 1] if i + 1 < len(lines) else None
        if before is None or before.role != HEAD:
            continue
        if _SPACED_PHRASES.search(line.text) or (after is not None and after.role in (HEAD, CAPTION)):
            line.role = HEAD


def _ends_something(before: Line | None) -> bool:
    """Nothing, a headline, a finished paragraph or a byline stands before the line. (After an opening byline a
    story starts, but a story of one unpunctuated line before another story's start is not a story.)"""
    if before is None or before.role in (HEAD, BYLINE):
        return True
    return before.role == BODY and ends_sentence(before.text)


def _starts_something(after: Line | None) -> bool:
    """Nothing, a headline, an opening byline or a `（上接第1版）` continuation follows the line."""
    if after is None or after.role == HEAD:
        return True
    if after.role == BYLINE:
        return not after.closes
    return after.role == BODY and after.from_page is not None


def _titles_before_paragraphs(lines: list[Line], widths: list[float]) -> None:
    """A punctuation-free line after a finished paragraph (or a story's closing byline, or atop the page) that is
    far shorter than a first line, or followed by an indented first line while not of first-line width itself,
    or followed by a line opening like a news lead (`昨天下午，…`, which a wrapped sentence does not continue
    with), is a title printed straight above its story (no byline between them)."""
    for i in range(len(lines) - 3):
        line, after = lines[i], lines[i + 1 : i + 4]
        if line.role != BODY or any(x.role != BODY for x in after):
            continue
        if not _after_finished_text(lines, i):
            continue
        if _SENTENCE_PUNCT.search(line.text) or ends_sentence(line.text):
            continue
        column = statistics.median(widths[i + 2 : i + 4])
        if widths[i] <= column - 4:
            line.role = HEAD  # far too short for a first line, and a paragraph cannot end without punctuation
        elif widths[i + 1] <= column - 1.5 and abs(widths[i] - (column - 2)) > 1:
            line.role = HEAD  # the next line is the indented start of the story
        elif _NEWS_LEAD.match(after[0].text) and widths[i] < column:
            line.role = HEAD  # the story's first sentence starts on the next line


def _after_finished_text(lines: list[Line], i: int) -> bool:
    """Line i follows nothing, a finished paragraph, or a byline that itself follows a finished paragraph
    (captions skipped: they stand anywhere)."""
    before = [x for x in lines[:i] if x.role != CAPTION][-2:]
    if not before:
        return True
    last = before[-1]
    if last.role == BYLINE:
        return len(before) == 1 or (before[0].role == BODY and ends_sentence(before[0].text))
    return last.role == BODY and ends_sentence(last.text)


def _wider_than_column(lines: list[Line], widths: list[float], i: int) -> bool:
    """A line clearly wider than the column around it and free of sentence punctuation spans several columns:
    a headline. (Body lines never outgrow their column; a wide last paragraph still has its commas.) The column
    is measured on the neighbouring text lines that run on (a paragraph's short last line, a caption or a byline
    says nothing about it)."""
    line = lines[i]
    if _SENTENCE_PUNCT.search(line.text) or ends_sentence(line.text):
        return False
    near = [*range(max(0, i - 3), i), *range(i + 1, min(len(lines), i + 4))]
    around = [widths[k] for k in near if lines[k].role == BODY and widths[k] > 0 and not ends_sentence(lines[k].text)]
    if len(around) < 3:
        return False
    return bool(widths[i] >= statistics.median(around) + 4)


def _wedged_headlines(lines: list[Line]) -> None:
    """Up to `MAX_HEADLINE_LINES` plain lines between a finished paragraph (or the page top, a headline, a byline) and a story's
    start (a headline, an opening byline, a continuation) cannot be body text: body lines there would leave a
    paragraph without its end. So they are headline lines (a title set on two lines, say)."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _unpunctuated_body(lines[j]) and j - i < MAX_HEADLINE_LINES:
            j += 1
        if j > i and (j == len(lines) or not _unpunctuated_body(lines[j])):
            # Captions and page furniture stand anywhere: what counts is the text line before them.
            before = next((x for x in reversed(lines[:i]) if x.role != CAPTION), None)
            after = lines[j] if j < len(lines) else None
            if _ends_something(before) and _starts_something(after):
                for line in lines[i:j]:
                    line.role = HEAD
        i = max(j, i + 1)


def _unpunctuated_body(line: Line) -> bool:
    return (
        line.role == BODY
        and bool(line.text)
        and not ends_sentence(line.text)
        and not _SENTENCE_PUNCT.search(line.text)
        and not line.from_page
        and not line.to_page
    )


# --- 3. bodies and zones ---------------------------------------------------------------------------------------


def _group(lines: list[Line]) -> tuple[list[Body], list[Zone], list[str]]:
    """Walk the lines once, cutting bodies at bylines, zones and jumps; items are numbered by position."""
    bodies: list[Body] = []
    zones: list[Zone] = []
    fragments: list[str] = []
    state = _Walk()
    for i, line in enumerate(lines):
        if line.role == HEAD:
            state.close(bodies)
            if state.last_was_zone:
                zones[-1].lines.append(line)
            else:
                state.position += 1
                zones.append(Zone([line], state.position))
            state.last_was_zone = True
            continue
        state.last_was_zone = False
        if line.role == CAPTION:
            fragments.append(line.text)
            continue
        if line.role == BYLINE:
            if state.current is not None and (line.closes or _byline_closes(lines, i, state.current)):
                state.current.closing = _merge(state.current.closing, line.names)
                state.close(bodies)
            else:
                state.close(bodies)
                state.pending = _merge(state.pending, line.names)
            continue
        if state.current is None or (line.from_page and state.current.lines) or _new_lead(line, state.current):
            state.close(bodies)
            state.current = Body(opening=state.pending)
            state.pending = ()
        _add_body_line(state.current, line)
        if line.to_page and not (i + 1 < len(lines) and lines[i + 1].closes):
            state.close(bodies)  # a jump ends the story (after its trailing byline, if one follows on the line)
    state.close(bodies)
    if state.pending:
        # A byline after the last story closes it (`| 记者 …` on its own line at the end of the text).
        if bodies and not bodies[-1].authors:
            bodies[-1].closing = state.pending
        else:
            fragments.append(" ".join(state.pending))
    return bodies, zones, fragments


def _new_lead(line: Line, current: Body | None) -> bool:
    """A line opening with the dateline (`本报讯`, `新华社…电`) after a finished paragraph starts a new story."""
    if current is None or not current.lines or not LEAD.match(line.text):
        return False
    last = next((x for x in reversed(current.lines) if x != PARAGRAPH_BREAK), "")
    return ends_sentence(last)


def _byline_closes(lines: list[Line], i: int, current: Body) -> bool:
    """A byline on its own line closes the story before it when that story has no byline yet, its text is
    finished, and what follows is not body text (a headline, another byline, or the end of the page)."""
    if current.authors or not current.lines or not ends_sentence(current.lines[-1]):
        return False
    following = next((x for x in lines[i + 1 :] if x.role != CAPTION), None)
    return following is None or following.role in (HEAD, BYLINE)


@dataclass(slots=True)
class _Walk:
    current: Body | None = None
    pending: tuple[str, ...] = ()
    position: int = 0
    last_was_zone: bool = False

    def close(self, bodies: list[Body]) -> None:
        body, self.current = self.current, None
        if body is None or not (body.lines or body.to_page or body.from_page):
            return
        for part in _split_two_bylines(body):
            self.position += 1
            part.position = self.position
            bodies.append(part)


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def _add_body_line(body: Body, line: Line) -> None:
    if line.from_page:
        body.from_page = line.from_page
    if line.to_page:
        body.to_page = line.to_page
    if not line.text:
        return
    if line.intertitle:
        # An intertitle is a paragraph of its own; the break markers keep the joiner from gluing it to its neighbours.
        body.lines.append(PARAGRAPH_BREAK)
        body.lines.append(line.text)
        body.lines.append(PARAGRAPH_BREAK)
    else:
        body.lines.append(line.text)


def _split_two_bylines(body: Body) -> list[Body]:
    """A body with both an opening and a closing byline holds two stories (a story has one byline). Cut at the
    paragraph boundary where the words on either side differ most; the opening byline goes to the first story,
    the closing one to the second."""
    if not (body.opening and body.closing):
        return [body]
    paras = paragraph_lines(body.lines)
    if len(paras) < 2:
        return [body]
    cut = min(range(1, len(paras)), key=lambda k: _cut_cost(paras, k))
    first = Body(_with_breaks(paras[:cut]), opening=body.opening, from_page=body.from_page)
    second = Body(_with_breaks(paras[cut:]), closing=body.closing, to_page=body.to_page)
    return [first, second]


def _with_breaks(paras: list[list[str]]) -> list[str]:
    """Paragraph groups back to lines, with explicit breaks so re-joining cannot regroup them differently."""
    out: list[str] = []
    for para in paras:
        out.extend([*para, PARAGRAPH_BREAK])
    return out


def _cut_cost(paras: list[list[str]], k: int) -> float:
    """How unlikely a story boundary is before paragraph k: low when the words on either side differ, the column
    width changes, or the right side opens like a news lead (`昨天…`, `5月24日，…`); a side too short to be a story
    is ruled out."""
    left, right = paras[:k], paras[k:]
    if min(sum(len(x) for p in side for x in p) for side in (left, right)) < MIN_STORY_CHARS:
        return 2.0
    cost = _cohesion(left[-3:], right[:3])
    widths = _column(left[-3:]), _column(right[:3])
    if min(widths) > 0:
        cost -= 0.3 * min(1.0, abs(widths[0] - widths[1]) / 2)
    if _NEWS_LEAD.match(right[0][0]):
        cost -= 0.2
    return cost


def _column(paras: list[list[str]]) -> float:
    """Typical full-line width of some paragraphs: the median of their inner lines (first and last lines are
    short by indent or by ending)."""
    inner = [text_width(x) for p in paras for x in p[1:-1]]
    return statistics.median(inner) if inner else 0.0


def _cohesion(left: list[list[str]], right: list[list[str]]) -> float:
    """Cosine similarity of the bigram counts on either side of a candidate cut."""
    a = Counter(_bigram_list("".join(x for p in left for x in p)))
    b = Counter(_bigram_list("".join(x for p in right for x in p)))
    dot = sum(v * b[k] for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 1.0


# --- 4. headlines to bodies -------------------------------------------------------------------------------------


def _bigram_list(text: str) -> list[str]:
    """Character bigrams of the text's CJK, letters and digits; punctuation breaks them."""
    s = "".join(c if "\u4e00" <= c <= "\u9fff" or c.isalnum() else " " for c in text)
    return [s[i : i + 2] for i in range(len(s) - 1) if " " not in s[i : i + 2]]


def _bigrams(text: str) -> set[str]:
    return set(_bigram_list(text))


def _weights(bodies: Sequence[Body]) -> dict[str, float]:
    """Inverse document frequency of bigrams over the page's bodies: words every story uses say little."""
    df: Counter[str] = Counter()
    for b in bodies:
        df.update(_bigrams("".join(b.lines)))
    n = max(1, len(bodies))
    return {g: math.log(1 + n / c) for g, c in df.items()}


def _overlap(head: str, body_grams: set[str], weights: dict[str, float]) -> float:
    grams = _bigrams(head)
    if not grams:
        return 0.0
    total = sum(weights.get(g, math.log(2)) for g in grams)
    return sum(weights.get(g, 0.0) for g in grams if g in body_grams) / total


def _match_zones(zones: list[Zone], bodies: list[Body], fragments: list[str]) -> dict[int, list[Line]]:
    """Body index -> its headline lines. Unmatched zones and unrelated zone lines go to `fragments`."""
    weights = _weights(bodies)
    grams = [_bigrams("".join(b.lines)) for b in bodies]
    scored = []
    for zi, zone in enumerate(zones):
        text = " ".join(x.text for x in zone.lines)
        for bi, body in enumerate(bodies):
            score = _overlap(text, grams[bi], weights)
            near = abs(zone.position - body.position) == 1
            scored.append((score + (ADJACENT_BONUS if near else 0.0), score, zi, bi))
    out: dict[int, list[Line]] = {}
    used: set[int] = set()
    for _rank, score, zi, bi in sorted(scored, reverse=True):
        if zi in used or bi in out or score < MIN_HEADLINE_MATCH:
            continue
        used.add(zi)
        keep = _drop_detached(zones[zi].lines, grams[bi], weights)
        fragments.extend(x.text for x in zones[zi].lines if x not in keep)
        out[bi] = keep
    for zi, zone in enumerate(zones):
        if zi in used:
            continue
        follower = _untitled_follower(zone, bodies, out)
        if follower is None:
            fragments.extend(x.text for x in zone.lines)
        else:
            out[follower] = zone.lines
    return out


def _drop_detached(lines: list[Line], body_grams: set[str], weights: dict[str, float]) -> list[Line]:
    """Zone lines minus a teaser stuck to its edge: a first or last line set apart (blank line or indent) that
    shares no word with the story."""

    def detached(k: int) -> bool:
        x = lines[k]
        apart = x.indent or (k == 0 and len(lines) > 1 and lines[1].gap_before) or (k > 0 and x.gap_before)
        return apart and _overlap(x.text, body_grams, weights) == 0

    keep = list(lines)
    if len(keep) > 1 and detached(0):
        keep = keep[1:]
    if len(keep) > 1 and detached(len(lines) - 1):
        keep = keep[:-1]
    return keep


def _untitled_follower(zone: Zone, bodies: list[Body], taken: dict[int, list[Line]]) -> int | None:
    """The body right after a zone that matched nothing, if that body has no headline yet: headlines print above
    their story far more often than not, so position decides when the words cannot."""
    for bi, body in enumerate(bodies):
        if body.position == zone.position + 1 and bi not in taken:
            return bi
    return None


# --- 5. articles ------------------------------------------------------------------------------------------------


def _keep_body(body: Body, fragments: list[str]) -> bool:
    """Bodies too small to be a story (a caption, page furniture) become fragments."""
    text = "".join(x for x in body.lines if x != PARAGRAPH_BREAK)
    if _FURNITURE.search(text) and len(text) < 40:
        fragments.append(text)
        return False
    if len(text) < 12 and not ends_sentence(text) and not (body.to_page or body.from_page):
        fragments.append(text)
        return False
    return bool(text) or bool(body.to_page or body.from_page)


def headline_parts(lines: Sequence[Line]) -> tuple[str | None, str, str | None]:
    """(kicker, title, subtitle) of a headline group, by boldness and order (see module doc, rule 5)."""
    dashed: list[Line] = []
    for k, x in enumerate(lines):
        if x.text.startswith(("——", "—", "--")):
            dashed.append(x)
        elif k and lines[k - 1] in dashed and x.bold == lines[k - 1].bold and _runs_on(lines[k - 1], x):
            dashed.append(x)  # the rest of a dashed subtitle broken by its column
    rest = [x for x in lines if x not in dashed]
    plain = [i for i, x in enumerate(rest) if not x.bold]
    if plain:
        first, last = plain[0], plain[0]
        if first == 0 and len(rest) >= 2 and not rest[1].bold and _SAYS.search(rest[0].text):
            first = last = 1  # no weight to tell, but `…时强调` is how a kicker reads (who spoke, where)
        # The title is the first plain line and what continues it: its wrapped rest, or a parallel second
        # phrase set on a line of its own. A further plain line is the subtitle (副题), set under the title.
        while last + 1 < len(rest) and not rest[last + 1].bold and _continues_title(rest[last], rest[last + 1]):
            last += 1
        title = " ".join(x.text for x in rest[first : last + 1])
        kicker_lines: list[Line] = []
        k = first - 1
        # The bold line right above the title is the kicker; a longer bold line right above that one, of which
        # it is the wrapped remainder, belongs to it too. (A plain kicker was recognised by its words above.)
        while (
            k >= 0
            and (rest[k].bold or k == 0 == first - 1)
            and (not kicker_lines or _wraps_into(rest[k], kicker_lines[0]))
        ):
            kicker_lines.insert(0, rest[k])
            k -= 1
        kicker = _join(kicker_lines)
        below = [x for x in rest[last + 1 :] if not x.bold]  # plain lines under the title: its deck
        others = below + [
            x for i, x in enumerate(rest) if not first <= i <= last and x not in kicker_lines and x not in below
        ]
    elif rest:
        kicker_line = rest[0] if len(rest) >= 3 else None
        body = [x for x in rest if x is not kicker_line]
        title, others = body[0].text, body[1:]
        kicker = kicker_line.text if kicker_line else None
    else:
        return None, "", _join(dashed, strip_dash=True)
    subtitle = _join([*others, *dashed], strip_dash=True)
    return kicker, title, subtitle


def _continues_title(line: Line, nxt: Line) -> bool:
    """`nxt` carries on the title on `line`: the rest of it wrapped, or the second of two parallel phrases, one
    per line (`张张叶子动起来` / `层层责任强落实`: same length, no spaces, short as title phrases are)."""
    if _wraps_into(line, nxt):
        return True
    a, b = line.text.strip(), nxt.text.strip()
    return " " not in a and " " not in b and max(len(a), len(b)) <= 9 and abs(len(a) - len(b)) <= 1


def _runs_on(line: Line, nxt: Line) -> bool:
    """`nxt` may carry on `line` (a long line, not finished, and `nxt` no longer than it)."""
    a, b = text_width(line.text), text_width(nxt.text)
    return a >= 10 and b <= a + 1.5 and not ends_sentence(line.text)


def _wraps_into(line: Line, nxt: Line) -> bool:
    """`nxt` is the rest of `line` broken by the width of its column: `line` is long and clearly longer."""
    a, b = text_width(line.text), text_width(nxt.text)
    return a >= 10 and b <= 0.7 * a


def _join(lines: Sequence[Line], strip_dash: bool = False) -> str | None:
    """Headline lines of one part as one text: separate lines with a space, a wrapped remainder without one
    (and, within a dashed subtitle, any line carrying on the one before)."""
    dashed_run = bool(lines) and strip_dash and lines[0].text.startswith(("——", "—", "--"))
    text = ""
    for i, x in enumerate(lines):
        part = x.text.lstrip("—-").strip() if strip_dash else x.text
        if not part:
            continue
        wrapped = i > 0 and (_wraps_into(lines[i - 1], x) or (dashed_run and _runs_on(lines[i - 1], x)))
        text = join_wrapped(text, part) if wrapped else (f"{text} {part}" if text else part)
    return text or None


def _article(body: Body, head: list[Line] | None) -> Article:
    kicker, title, subtitle = headline_parts(head or [])
    return Article(
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        authors=body.authors,
        body="\n".join(paragraphs(body.lines)),
        continues_to_page=body.to_page,
        continued_from_page=body.from_page,
    )


__all__ = ["headline_parts", "join_wrapped", "segment_text"]
