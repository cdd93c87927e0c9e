"""Intertitles (小标题) in a text dump: a short heading line inside a running story, kept in its body."""

from __future__ import annotations

import re
import statistics

from pipeline.segment.bylines import BRIEF_LABEL, LEAD
from pipeline.segment.normalize import ends_sentence, text_width
from pipeline.segment.text.lines import BODY, BYLINE, CAPTION, HEAD, NEWS_LEAD, Line

# A story's text under way: this many body lines since the last story closed (a paragraph of a column or more).
RUNNING_LINES = 3
# An intertitle is a short phrase centred in its column, white on both sides; a story's one-column title can fill
# the measure. Where a section opens like a news lead, only a heading this many ems short of the column counts.
INSET = 2.0
# A news story anchors its time on its first line: the news day (`昨天下午，`, `5月24日，`). A section inside a
# story carries it on and opens with a broader time phrase (`今年以来，`, `近日，`), never with the day again.
DAY_LEAD = re.compile(r"^(?:昨天|昨日|今天|今日|\d{1,2}月\d{1,2}日)[^，。]{0,4}，")
# A paragraph carrying its heading on repeats the heading's words, then pauses: `今年以来` / `今年以来，…`.
OWN_WORDS_PAUSE = ("，", "：", "、")
# Lines back a brief column's label governs: a few short items, each under its own one-line title.
BRIEF_REACH = 30


def mark_intertitles(lines: list[Line]) -> None:
    """A headline line standing alone between two paragraphs of a story that is still running is an intertitle:
    the body of the story it heads, not a new story. A long story's columns are divided by short headings set in
    the column (no wider than its lines), between a finished paragraph and the next one; a new story, by contrast,
    opens after a story that has closed (its byline printed at its end), or brings its own byline, or opens with
    a dateline or a news lead (`本报讯`, `昨天上午，…`), or carries a headline group of several lines.

    So a one-line headline zone becomes a body line of its own paragraph when: the line before it (captions
    skipped) is body text ending a sentence; the line after it is body text that opens with no dateline
    (`本报讯`), no continuation and not with the news day (`DAY_LEAD`), and not like a news lead either, unless
    the text on both sides holds one credit between them (`_one_credit`) and the heading is `INSET` short of the
    column (a section, too, often opens `今年以来，…`), or the paragraph opens with the heading's own words and a
    pause (`OWN_WORDS_PAUSE`); the zone is no wider than the column below it; and the story before it is open:
    going back, a headline zone or an opening byline comes before any closing byline."""
    # Each intertitle found can open the way for another (a credit further on is seen past it): repeat until none.
    while _mark_once(lines):
        pass


def _mark_once(lines: list[Line]) -> bool:
    """One pass of `mark_intertitles`; whether it marked any line."""
    marked = False
    for i, line in enumerate(lines):
        if line.role != HEAD or not line.text or not _alone(lines, i):
            continue
        before = _previous_text(lines, i)
        after = lines[i + 1] if i + 1 < len(lines) else None
        if before is None or after is None or before.role != BODY or not ends_sentence(before.text):
            continue
        if after.role != BODY or after.from_page or LEAD.match(after.text):
            continue
        if DAY_LEAD.match(after.text):
            continue
        # (A paragraph opening with its heading's own words carries the heading on: `今年以来` / `今年以来，…`.)
        head = line.text.strip()
        own_words = after.text.startswith(head) and after.text[len(head) : len(head) + 1] in OWN_WORDS_PAUSE
        if (
            NEWS_LEAD.match(after.text)
            and not own_words
            and not (_one_credit(lines, i) and _fits_column(lines, i, INSET))
        ):
            continue
        if before.to_page or not _fits_column(lines, i) or not _story_open(lines, i) or _in_brief_column(lines, i):
            continue
        line.role, line.intertitle = BODY, True
        marked = True
    return marked


def _in_brief_column(lines: list[Line], i: int) -> bool:
    """Line i stands in a brief column: going back, its label (`BRIEF_LABEL`: `简讯`, `新闻速览`) comes within
    `BRIEF_REACH` lines, past one-line headlines only (a headline group of several lines, or an opening byline,
    heads another kind of story). Each item of the column is a story of its own under its one-line title, credited or not, so such a
    title is no intertitle."""
    for k in range(i - 1, max(-1, i - 1 - BRIEF_REACH), -1):
        if lines[k].role == BYLINE and not lines[k].closes:
            return False  # an opening byline heads a full story, not a brief item
        if lines[k].role == CAPTION and BRIEF_LABEL.fullmatch(lines[k].text.replace(" ", "")):
            return True  # the label (`roles.assign_roles` keeps it as a fragment)
        if lines[k].role == HEAD and k > 0 and lines[k - 1].role == HEAD:
            return False
    return False


def _one_credit(lines: list[Line], i: int) -> bool:
    """The story running before line i and the text after it, up to the next headline, carry one credit between
    them. A story is credited once, by a byline at its head or at its foot; two stories carry a credit each. So
    text after a lone heading with no credit of its own, under a story that opened with a byline, or text closing
    with a credit under a story that has none, is the same story's next section."""
    return _credit_before(lines, i) != _credit_after(lines, i)


def _credit_before(lines: list[Line], i: int) -> bool:
    """Going back from line i, an opening byline comes before any headline or closing byline."""
    for x in reversed(lines[:i]):
        if x.role == HEAD or x.ends_story:
            return False
        if x.role == BYLINE:
            return not x.closes and not _closing_position(lines, x)
    return False


def _credit_after(lines: list[Line], i: int) -> bool:
    """Going on from line i, a byline comes before the next headline."""
    for x in lines[i + 1 :]:
        if x.role == HEAD:
            return False
        if x.role == BYLINE:
            return True
    return False


def _alone(lines: list[Line], i: int) -> bool:
    return (i == 0 or lines[i - 1].role != HEAD) and (i + 1 == len(lines) or lines[i + 1].role != HEAD)


def _previous_text(lines: list[Line], i: int) -> Line | None:
    return next((x for x in reversed(lines[:i]) if x.role != CAPTION), None)


def _fits_column(lines: list[Line], i: int, inset: float = -0.5) -> bool:
    """The line is no wider than the body lines that follow it (an intertitle is set inside the column), less
    `inset` ems."""
    run = [text_width(x.text) for x in lines[i + 1 : i + 6] if x.role == BODY and x.text]
    return len(run) >= 2 and text_width(lines[i].text) <= statistics.median(run) - inset


def _story_open(lines: list[Line], i: int) -> bool:
    """Going back from line i, a headline or an opening byline comes before any byline that closed a story, or
    a story's text runs (`RUNNING_LINES` body lines or more) between the story that closed and line i (a story
    whose headline the stream sets elsewhere, as a dump in frame order does), or the page's text opens with the
    story that is running: body text at the top of a page that is no continuation
    (no `（上接…）`) is a story whose headline the stream sets elsewhere (after its text), and it runs until it closes."""
    running = 0  # body lines of the story the line stands in, going back
    for x in reversed(lines[:i]):
        if x.role == HEAD:
            return True
        if x.role == BYLINE:
            return (not x.closes and not _closing_position(lines, x)) or running >= RUNNING_LINES
        if x.ends_story:
            return running >= RUNNING_LINES
        running += x.role == BODY
    first = next((x for x in lines if x.role != CAPTION), None)
    return first is not None and first.role == BODY and not first.from_page


def _closing_position(lines: list[Line], byline: Line) -> bool:
    """A byline on its own line right after a finished paragraph, with no headline right before it, closes the
    story above it (`（记者 董华 姚海翔）` set flush right under the last paragraph)."""
    k = next(j for j, x in enumerate(lines) if x is byline)
    before = _previous_text(lines, k)
    return before is not None and before.role == BODY and ends_sentence(before.text)
