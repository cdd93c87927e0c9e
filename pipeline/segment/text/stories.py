"""Bodies and headline zones: consecutive body lines cut at bylines, headline zones and jump markers."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

from pipeline.segment.bylines import (
    LEAD,
)
from pipeline.segment.normalize import (
    PARAGRAPH_BREAK,
    ends_sentence,
    paragraph_lines,
    text_width,
)
from pipeline.segment.text.lines import (
    BRACKETED_BYLINE,
    BYLINE,
    CAPTION,
    EDITOR_NOTE,
    EDITOR_SIGNATURE,
    HEAD,
    MIN_STORY_CHARS,
    NEWS_LEAD,
    Line,
)
from pipeline.segment.words import person_names


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
        return merge_names(self.opening, self.closing)


@dataclass(slots=True)
class Zone:
    """Consecutive headline lines, and where they stood among the items."""

    lines: list[Line]
    position: int


# --- 1. lines -------------------------------------------------------------------------------------------------


def bigram_list(text: str) -> list[str]:
    """Character bigrams of the text's CJK, letters and digits; punctuation breaks them."""
    s = "".join(c if "\u4e00" <= c <= "\u9fff" or c.isalnum() else " " for c in text)
    return [s[i : i + 2] for i in range(len(s) - 1) if " " not in s[i : i + 2]]


def group_lines(lines: list[Line]) -> tuple[list[Body], list[Zone], list[str]]:
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
            if state.current is not None and _only_note(state.current):
                state.current.opening = merge_names(state.current.opening, line.names)
                continue
            if state.current is None and _signs_closed(lines, i, bodies):
                bodies[-1].closing = merge_names(bodies[-1].closing, line.names)
                continue
            if state.current is not None and (line.closes or _byline_closes(lines, i, state.current)):
                state.current.closing = merge_names(state.current.closing, line.names)
                state.close(bodies)
            else:
                state.close(bodies)
                state.pending = merge_names(state.pending, line.names)
            continue
        if state.current is None or (line.from_page and state.current.lines) or _new_lead(line, state.current):
            state.close(bodies)
            state.current = Body(opening=state.pending)
            state.pending = ()
        _add_body_line(state.current, line)
        if line.ends_story:
            state.close(bodies)  # an author's note signs off the story (`lines.AUTHOR_NOTE`)
            continue
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


def _only_note(body: Body) -> bool:
    """The body so far is an editor's note and its signature: set under the headline, above the byline and the
    text of the story it introduces, so a byline after it opens that same story."""
    text = [x for x in body.lines if x != PARAGRAPH_BREAK]
    return bool(text) and bool(EDITOR_NOTE.match(text[0])) and bool(EDITOR_SIGNATURE.fullmatch(text[-1]))


def _new_lead(line: Line, current: Body | None) -> bool:
    """A line opening with the dateline (`本报讯`, `新华社…电`) after a finished paragraph starts a new story."""
    if current is None or not current.lines or not LEAD.match(line.text):
        return False
    last = next((x for x in reversed(current.lines) if x != PARAGRAPH_BREAK), "")
    return ends_sentence(last)


def _signs_closed(lines: list[Line], i: int, bodies: list[Body]) -> bool:
    """A bare name right after an author's note (`（作者为…）`) signs the story the note closed, when that story
    names no author yet: a signed article carries both, and dumps that write a story's byline after its text put
    the name there (the note is the text's last paragraph). Co-authors' names stand one under the other after
    it, each a name of that story's."""
    if not bodies or person_names(lines[i].text) is None:
        return False
    k = i - 1
    while k >= 0 and (lines[k].role == CAPTION or (lines[k].role == BYLINE and person_names(lines[k].text))):
        k -= 1  # co-authors' names stand one under the other: the first of them follows the note
    signed_here = any(x.role == BYLINE for x in lines[k + 1 : i])  # a co-author's name already signed it
    return k >= 0 and lines[k].ends_story and (not bodies[-1].authors or signed_here)


def _byline_closes(lines: list[Line], i: int, current: Body) -> bool:
    """A byline on its own line closes the story before it when that story's text is finished and either the
    byline is bracketed (a closing credit's form, `BRACKETED_BYLINE`), or that story has no byline yet and the
    byline is names alone (a signature, `roles._lone_names`: it follows its story's text) or what follows is not
    body text (a headline, another byline, or the end of the page)."""
    if not current.lines or not ends_sentence(current.lines[-1]):
        return False
    if BRACKETED_BYLINE.fullmatch(lines[i].text):
        return True
    if current.authors:
        return False
    if person_names(lines[i].text) is not None:
        return True  # a signature of names alone ends the finished story it follows (`roles._lone_names`)
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


def merge_names(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
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
        if line.ideo and body.lines:  # a paragraph marked by ideographic spaces starts here, whatever its width
            body.lines.append(PARAGRAPH_BREAK)
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
    if NEWS_LEAD.match(right[0][0]):
        cost -= 0.2
    return cost


def _column(paras: list[list[str]]) -> float:
    """Typical full-line width of some paragraphs: the median of their inner lines (first and last lines are
    short by indent or by ending)."""
    inner = [text_width(x) for p in paras for x in p[1:-1]]
    return statistics.median(inner) if inner else 0.0


def _cohesion(left: list[list[str]], right: list[list[str]]) -> float:
    """Cosine similarity of the bigram counts on either side of a candidate cut."""
    a = Counter(bigram_list("".join(x for p in left for x in p)))
    b = Counter(bigram_list("".join(x for p in right for x in p)))
    dot = sum(v * b[k] for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 1.0
