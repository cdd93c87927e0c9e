"""Roles of a dump's lines: byline, headline, caption or body, read from weight, width and neighbours."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from pipeline.segment.bylines import (
    BRIEF_LABEL,
    NAMES_ONLY,
    names_of,
    parse_byline,
)
from pipeline.segment.normalize import (
    ends_sentence,
    open_brackets,
    text_width,
)
from pipeline.segment.text.intertitles import mark_intertitles
from pipeline.segment.text.lines import (
    AUTHOR_NOTE,
    BODY,
    BULLETS,
    BYLINE,
    CAPTION,
    CAPTION_TEXT,
    EDITOR_NOTE,
    EDITOR_SIGNATURE,
    FURNITURE_LINE,
    HEAD,
    INTERTITLE,
    MAX_HEADLINE_LINES,
    NEWS_LEAD,
    NO_HEADLINE,
    PAGE_REF,
    SENTENCE_PUNCT,
    SPACED_PHRASES,
    Line,
)
from pipeline.segment.words import person_names

# Kicker, title and deck each broken over a narrow frame make up to about ten lines, and a dump in frame order can
# write two or three stories' headline frames one after the other (frames come in creation order) before a text.
MAX_WEDGED_LINES = 24
# An author's note (`lines.AUTHOR_NOTE`) wraps over a few lines of its column at most.
MAX_NOTE_LINES = 4
CREDIT_LINES = 4  # a photo credit broken over short lines: an agency's name, a name letter-spaced, `摄`
MAX_CAPTION_LINES = 3  # a photo's caption between a headline and its story's text wraps to a few lines
SIGNED_HEAD_LINES = 3  # headline lines over a bare name: a kicker and a title wrapped once
FULL_STOP = re.compile(r"[。！？；!?;]")
# A page number and the page's name, as a header prints them (`5 民生`, `第3版 理论`).
PAGE_NAME = re.compile(r"第?\d{1,3}版?\s*[|｜]?\s*[\u4e00-\u9fff]{2,4}")
# A paper's name as its masthead prints it: a place or a word and `日报`, `晚报`, `新闻`, `时报`… (人民日报, 光明日报,
# 德清新闻, 安吉新闻), alone on its line.
PAGE_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")  # a page's name alone (`理论`, `要闻`)
HEADER_WORDS = re.compile(r"主办|机关报|刊号|邮发代号|新闻热线|https?://|www\.")
EDITOR_LINE = re.compile(r"(?:责任)?编辑[:：]\s*[\u4e00-\u9fff]{2,4}")  # the page's editor, as a header credits them
PAGE_NUMBER = re.compile(r"第?\s*\d{1,3}\s*版?")  # a page's number alone on its line (`08`, `第8版`)
HEADER_PARTS = 4  # parts of a header after its date: editor, page name, page number (and a spare)
MASTHEAD = re.compile(r"[\u4e00-\u9fff]{2,6}(?:日报|晚报|早报|时报|新闻|商报|报)")

# A story's first sentence opening with its time phrase and a comma: `昨天上午，`, `5月24日，`, `今年以来，`.
LEAD_CLAUSE = re.compile(NEWS_LEAD.pattern + r"[^，。、；：！？\s]{0,4}，")


def assign_roles(lines: list[Line]) -> list[Line]:
    widths = [text_width(x.text) for x in lines]
    for i, line in enumerate(lines):
        if line.role in (BYLINE, CAPTION):
            continue
        names = parse_byline(line.text)
        if EDITOR_SIGNATURE.fullmatch(line.text) or EDITOR_NOTE.match(line.text):
            line.role, line.ideo = BODY, True  # an editor's note and its signature are paragraphs of the body
            line.intertitle = bool(EDITOR_SIGNATURE.fullmatch(line.text))
        elif names:
            line.role, line.names = BYLINE, names
        elif CAPTION_TEXT.search(line.text):
            line.role = CAPTION
        elif INTERTITLE.match(line.text) and not SENTENCE_PUNCT.search(line.text[3:]):
            line.role = BODY  # kept as its own paragraph by `_add_body_line`
            line.intertitle = True
        elif BRIEF_LABEL.fullmatch(line.text.replace(" ", "")):
            line.role = CAPTION  # a brief column's label heads no story: page furniture, kept as a fragment
        elif line.text and (line.bold or (not line.ideo and _wider_than_column(lines, widths, i))):
            # (A line opened by ideographic spaces is a paragraph's first line, as the typesetter indented it: no
            # headline carries that indent, however wide the line comes out beside narrower ones.)
            line.role = HEAD
    _signed_off(lines)
    _continued_bylines(lines)
    _wrapped_teasers(lines)
    _captions_run_on(lines)
    _wrapped_captions(lines)
    _masthead(lines)
    _wedged_headlines(lines)
    _signed_titles(lines)
    _titles_before_paragraphs(lines, widths)
    _spaced_headlines(lines)
    _heads_before_lead(lines, widths)
    mark_intertitles(lines)
    _author_notes(lines)
    _lone_names(lines)
    _signed_heads(lines)
    return lines


def _lone_names(lines: list[Line]) -> None:
    """A line of persons' names alone (`person_names`: `沈德咏`, `周 江`), set apart from the text by a blank line
    before or after it, after finished text (a paragraph's end, an author's note, a byline, a header or caption,
    the page top) and before running text or a headline is a byline: a paragraph never ends on a bare name, and
    a headline group's own name (under its title) stands after headline lines, which `_signed_titles` keeps
    with the group. Commentaries and theory pages sign an article with the author's name alone, no `本报记者` to
    tell it. (In a narrow column a name can fill a line of running text; a byline is set apart.)"""
    for i, line in enumerate(lines):
        if line.role not in (HEAD, BODY) or line.ideo or line.intertitle or not (names := person_names(line.text)):
            continue
        before = next((x for x in reversed(lines[:i]) if x.role != CAPTION), None)
        after = next((x for x in lines[i + 1 :] if x.role != CAPTION), None)  # (captions stand anywhere)
        if before is not None and (before.role == HEAD or (before.role == BODY and not _ends_something(before))):
            continue
        if (
            after is None
            or after.role not in (BODY, HEAD)
            or after.intertitle
            or not (line.gap_before or after.gap_before)
        ):
            continue
        if after.text.startswith("摄"):
            continue  # a photographer's credit broken before its `摄`: furniture of a picture, no story's byline
        line.role, line.names = BYLINE, names


def _signed_heads(lines: list[Line]) -> None:
    """Headline lines right over a bare name (`person_names`: the author of a commentary, signed under its
    headline) are marked `signed`: `headlines.headline_parts` reads such a group's two plain lines as a kicker
    and its title."""
    for i, line in enumerate(lines):
        if line.role not in (HEAD, BYLINE) or not person_names(line.text):
            continue
        k = i
        while k > 0 and i - k < SIGNED_HEAD_LINES and lines[k - 1].role == HEAD and not person_names(lines[k - 1].text):
            k -= 1
            lines[k].signed = True


def _author_notes(lines: list[Line]) -> None:
    """An author's note (`AUTHOR_NOTE`) and the lines it wraps onto, up to its closing bracket, are the last
    paragraph of the body they sign, whatever width or weight the other rules gave them (the story ends there:
    `_signed_off` marked it before those rules ran)."""
    for i, end in _notes(lines):
        for k, note in enumerate(lines[i : end + 1]):
            note.role, note.intertitle, note.ideo = BODY, False, k == 0


def _signed_off(lines: list[Line]) -> None:
    """Where an author's note ends, its story ends (`ends_story`), known before the other rules run: a title
    right after a note opens the next story as surely as one after a finished paragraph does."""
    for _i, end in _notes(lines):
        lines[end].ends_story = True


def _notes(lines: list[Line]) -> list[tuple[int, int]]:
    """(first, last line) of each author's note: from `AUTHOR_NOTE` to its closing bracket, a few lines on."""
    out = []
    for i, line in enumerate(lines):
        if not AUTHOR_NOTE.match(line.text):
            continue
        end = next(
            (j for j in range(i, min(i + MAX_NOTE_LINES, len(lines))) if lines[j].text.rstrip().endswith(("）", ")"))),
            None,
        )
        if end is not None:
            out.append((i, end))
    return out


def _heads_before_lead(lines: list[Line], widths: list[float]) -> None:
    """Plain lines between finished text (or the page top) and a line opening like a story (`昨天下午，…`) that
    are no sentence (no `。！？，`) and not of body width (set across columns, far shorter than a column, or
    phrases apart by spaces) are the story's headline, printed straight above it without weight.

    When the story's first line opens with its time phrase and a comma (`LEAD_CLAUSE`: `昨天上午，`, `5月24日，`),
    a sentence starts there, so body text right before it would have to end a sentence; a line of column width
    that ends none and holds no punctuation at all (a title set in a one-column frame, `县领导开展“军事日”活动`)
    is then the headline too. A photo's caption may stand between the headline and the story's first line."""
    for i, lead in enumerate(lines):
        if lead.role != BODY or not NEWS_LEAD.match(lead.text) or i < 1:
            continue
        column = _column_width(lines, widths, i)
        if column is None:
            continue
        clause = bool(LEAD_CLAUSE.match(lead.text))
        end = i
        while end > 0 and i - end < MAX_CAPTION_LINES and lines[end - 1].role == CAPTION:
            end -= 1  # the story's photo and its caption may stand between its headline and its text
        k = end
        while k > 0 and end - k < MAX_HEADLINE_LINES and _headline_like(lines[k - 1], widths[k - 1], column, clause):
            k -= 1
        top = k
        while top > 0 and lines[top - 1].role == HEAD:
            top -= 1  # a headline group already found above: what counts is the text before the whole group
        if k < end and _after_finished_text(lines, top):
            for line in lines[k:end]:
                line.role = HEAD  # (lines already HEAD stay so)


def _headline_like(line: Line, width: float, column: float, clause: bool = False) -> bool:
    """A headline line already, or a plain line that can be one above a story's first line: no sentence, and
    not of body width, or (`clause`: that first line starts a sentence) no punctuation at all."""
    if line.role != BODY or line.intertitle or not line.text or line.from_page or line.to_page:
        return False
    if NO_HEADLINE.search(line.text):
        return False
    if clause and not SENTENCE_PUNCT.search(line.text) and not ends_sentence(line.text) and not line.ideo:
        return True
    return width >= column + 2 or width <= column - 4 or bool(SPACED_PHRASES.search(line.text))


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
    for i, line in enumerate(lines):
        if open_ > 0 and line.role != HEAD and len(line.text) <= 12:
            line.role = CAPTION
            open_ += open_brackets(line.text)
            continue
        open_ = 0
        if line.role == CAPTION:
            open_ = open_brackets(line.text)
            _broken_credit(lines, i + 1)


def _captions_run_on(lines: list[Line]) -> None:
    """A caption whose `图为…` sentence is broken by its measure (`…日益增长。图为专职保`) runs on into the next
    lines up to the one that ends that sentence or its credit (at most `MAX_CAPTION_LINES`): they are the
    caption's, not a story's text. So does a chart's source line (`数据来源：国家统计局…党的十八大以` /
    `来我国经济社会发展相关数据。`), set in the chart's own weight, bold or not."""
    for i, line in enumerate(lines):
        if line.role != CAPTION or ends_sentence(line.text):
            continue
        source = SOURCE_LINE.match(line.text) is not None
        if not source and "图为" not in FULL_STOP.split(line.text)[-1]:
            continue  # only a caption whose `图为…` sentence (or a source line) is broken off runs on
        for x in lines[i + 1 : i + 1 + MAX_CAPTION_LINES]:
            if x.role != BODY and not (source and x.role == HEAD):
                break
            x.role = CAPTION
            if ends_sentence(x.text) or x.text.rstrip("）) ").endswith("摄"):
                break


def _broken_credit(lines: list[Line], start: int) -> None:
    """A caption's unbracketed credit broken into short lines (`新华社记者` / `徐` / `昱摄`, a name letter-spaced
    over the caption's measure): the short lines after a caption, up to one ending in `摄`, are the caption's."""
    run = lines[start : start + CREDIT_LINES]
    end = next((k for k, x in enumerate(run) if x.text.endswith("摄")), None)
    if end is not None and all(len(x.text) <= 6 for x in run[: end + 1]):
        for x in run[: end + 1]:
            x.role = CAPTION


def _wrapped_teasers(lines: list[Line]) -> None:
    """A teaser entry broken over lines, its page reference on a line of its own (`●4个…高新` / `区` / `第7版`):
    the lines back to the bullet are the entry's."""
    for i, line in enumerate(lines):
        if line.role != CAPTION or not PAGE_REF.fullmatch(line.text):
            continue
        k = i - 1
        while k > i - 4 and k >= 0 and not lines[k].text.startswith(BULLETS) and len(lines[k].text) <= 4:
            k -= 1
        if k >= 0 and lines[k].text.startswith(BULLETS):
            for x in lines[k:i]:
                x.role = CAPTION


def _masthead(lines: list[Line]) -> None:
    """Lines above the page header (its date or `第N版` line, among the first few lines of the page) are the
    paper's name and slogans, not a headline, as far up as they read as header lines (`_header_line`: in a dump in
    frame order another frame, a story's headline group, can come first). Right after the date line, a page number with the page's name (`5
    民生`, as 人民日报 sets it at the header's right end) is the header too. A dump in frame order can set the
    header anywhere: wherever a date line stands, a paper's name right before it (`MASTHEAD`) and the page's
    name right after it are the header's."""
    top = next((i for i, x in enumerate(lines[:6]) if x.role == CAPTION and FURNITURE_LINE.search(x.text)), None)
    if top is not None:
        k = top
        while k > 0 and _header_line(lines[k - 1].text):
            k -= 1
            lines[k].role = CAPTION
    for i, line in enumerate(lines):
        if line.role != CAPTION or not FURNITURE_LINE.search(line.text):
            continue
        if i and MASTHEAD.fullmatch(lines[i - 1].text):
            lines[i - 1].role = CAPTION
        for after in lines[i + 1 : i + 3]:
            if PAGE_NAME.fullmatch(after.text):
                after.role = CAPTION
        _header_after(lines, i + 1)


def _header_after(lines: list[Line], start: int) -> None:
    """A header sets its parts side by side, and a dump gives them one per line after its date or `第N版` line
    (`lines[start - 1]`): the page's editor (`编辑：沈佳`), the page's name (`文化`) and its number (`08`,
    `第8版`), in any order, up to `HEADER_PARTS` lines. A page's name alone is one only next to the page's number
    (a two-character title opening the page's first story reads the same)."""
    run = lines[max(0, start - 1) : start + HEADER_PARTS]
    n = 1 if start > 0 else 0
    while n < len(run) and (
        EDITOR_LINE.fullmatch(run[n].text)
        or PAGE_NUMBER.fullmatch(run[n].text)
        or PAGE_NAME.fullmatch(run[n].text)
        or (PAGE_WORD.fullmatch(run[n].text) and _beside_number(run, n))
    ):
        run[n].role = CAPTION
        n += 1


def _beside_number(run: Sequence[Line], n: int) -> bool:
    """The header part right before or after `run[n]` is a page number (`08`, or a `第3版` line)."""
    return any(0 <= k < len(run) and PAGE_NUMBER.fullmatch(run[k].text) for k in (n - 1, n + 1))


def _header_line(text: str) -> bool:
    """A line a page header prints above its date: the paper's name (`MASTHEAD`), the page's number and name (`7
    理论`, `理论`), or the paper's slogan and registration (`中共德清县委机关报`, `国内统一刊号…`, its web address)."""
    return any(p.fullmatch(text) for p in (MASTHEAD, PAGE_NAME, PAGE_WORD)) or bool(HEADER_WORDS.search(text))


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
        if SPACED_PHRASES.search(line.text) or (after is not None and after.role in (HEAD, CAPTION)):
            line.role = HEAD


def _signed_titles(lines: list[Line]) -> None:
    """A person's name alone on a line (`person_names`) right under punctuation-free lines (a title, or a kicker
    and its title: up to `SIGNED_HEAD_LINES`), between finished text (or the page top, a headline, an author's
    note) and running text, is a headline group and its author's name: body text is never a few words without
    punctuation followed by a bare name. All are headline lines (the name goes to the story as its byline when
    headlines are matched); so is a bare name right under a headline line, before running text. A photo's caption
    between the name and the running text is passed over (it is furniture, written where its frame falls)."""
    for i in range(1, len(lines) - 1):
        line, prev = lines[i], lines[i - 1]
        # Co-authors' names stand one under the other: the running text starts after the last of them.
        k = i + 1
        while k < len(lines) - 1 and lines[k].role in (BODY, BYLINE) and person_names(lines[k].text):
            k += 1
        while k < len(lines) - 1 and lines[k].role == CAPTION:
            k += 1  # a picture's caption is written where its frame falls in the stream: the text runs on after it
        after = lines[k]
        if line.role != BODY or line.ideo or after.role != BODY or not person_names(line.text):
            continue
        if prev.role == HEAD:
            line.role = HEAD
            continue
        top = i
        while top > 0 and i - top < SIGNED_HEAD_LINES and _title_like(lines[top - 1]):
            top -= 1
            if _ends_something(lines[top - 1] if top >= 1 else None):
                for x in lines[top : i + 1]:
                    x.role = HEAD
                break


def _title_like(line: Line) -> bool:
    """A plain line that can be a headline's: a few words at least, no sentence punctuation, no paragraph mark.
    A colon or an enumeration comma may stand in a title between its phrases (`新使命：中国共产党的历史担当`,
    `履行历史使命：伟大工程起决定性作用`): headlines use them so, sentences end with the others."""
    if line.role != BODY or line.ideo or line.intertitle or len(line.text) < 4:
        return False
    return not (HEADLINE_BREAKING.search(line.text) or ends_sentence(line.text))


# A chart's or table's source line: `数据来源：…`, `资料来源：…`.
SOURCE_LINE = re.compile(r"^\s*(?:数据|资料)来源\s*[:：]")
# Sentence punctuation that a headline's phrases are never joined with (the colon and `、` may be: `_title_like`).
HEADLINE_BREAKING = re.compile(r"[，。；！？,;!?]")


def _ends_something(before: Line | None) -> bool:
    """Nothing, a headline, a finished paragraph, a byline, an author's note (`（作者为…）`, which signs off its
    story) or a jump to another page stands before the line. (After an opening byline a story starts, but a story
    of one unpunctuated line before another story's start is not a story.)"""
    if before is None or before.role in (HEAD, BYLINE) or before.ends_story or before.to_page is not None:
        return True  # (a `（下转第2版）` marker: the story goes on on another page, its text here ends)
    return before.role == BODY and ends_sentence(before.text)


def _starts_something(after: Line | None) -> bool:
    """Nothing, a headline, an opening byline, a `（上接第1版）` continuation, an editor's note (`编者按：`, set
    under a story's headline, above its text), or a paragraph marked by ideographic spaces that opens like a
    news lead (`　　5月24日，…`) follows the line."""
    if after is None or after.role == HEAD:
        return True
    if after.role == BYLINE:
        return not after.closes
    if after.role != BODY:
        return False
    if after.ideo and NEWS_LEAD.match(after.text):
        return True  # a story's first paragraph, marked by ideographic spaces and opening like a lead
    return after.from_page is not None or bool(EDITOR_NOTE.match(after.text))


def _titles_before_paragraphs(lines: list[Line], widths: list[float]) -> None:
    """A punctuation-free line after a finished paragraph (or a story's closing byline, or atop the page) that is
    far shorter than a first line, or followed by an indented first line while not of first-line width itself,
    or followed by a line opening like a news lead (`昨天下午，…`, which a wrapped sentence does not continue
    with), is a title printed straight above its story (no byline between them)."""
    for i in range(len(lines) - 3):
        line, after = lines[i], lines[i + 1 : i + 4]
        if line.role != BODY or line.intertitle or any(x.role != BODY for x in after):
            continue
        if not _after_finished_text(lines, i):
            continue
        if SENTENCE_PUNCT.search(line.text) or ends_sentence(line.text):
            continue
        column = statistics.median(widths[i + 2 : i + 4])
        if widths[i] <= column - 4:
            line.role = HEAD  # far too short for a first line, and a paragraph cannot end without punctuation
        elif widths[i + 1] <= column - 1.5 and abs(widths[i] - (column - 2)) > 1:
            line.role = HEAD  # the next line is the indented start of the story
        elif NEWS_LEAD.match(after[0].text) and widths[i] < column:
            line.role = HEAD  # the story's first sentence starts on the next line


# A finished sentence, then the opening of a bracketed credit cut at the line's end (`…更实。（记`).
_OPENED_CREDIT = re.compile(r"[。！？”]\s*[（(][^（）()]{0,6}$")


def _after_finished_text(lines: list[Line], i: int) -> bool:
    """Line i follows nothing, a brief column's label (its first item's title comes right under it), a
    finished paragraph, or a byline that itself follows a finished paragraph (captions skipped: they stand
    anywhere). A closing byline set in the text's last line may be cut there, its bracket opened after the
    last sentence (`…更实。（记` / `者 董华 姚海翔）`)."""
    if i > 0 and lines[i - 1].role == CAPTION and BRIEF_LABEL.fullmatch(lines[i - 1].text.replace(" ", "")):
        return True
    before = [x for x in lines[:i] if x.role != CAPTION][-2:]
    if not before:
        return True
    last = before[-1]
    if last.role == BYLINE:
        return len(before) == 1 or (
            before[0].role == BODY
            and (ends_sentence(before[0].text) or _OPENED_CREDIT.search(before[0].text) is not None)
        )
    return last.role == BODY and ends_sentence(last.text)


def _wider_than_column(lines: list[Line], widths: list[float], i: int) -> bool:
    """A line clearly wider than the column around it and free of sentence punctuation spans several columns:
    a headline. (Body lines never outgrow their column; a wide last paragraph still has its commas.) The column
    is measured on the neighbouring text lines that run on (a paragraph's short last line, a caption or a byline
    says nothing about it)."""
    line = lines[i]
    if SENTENCE_PUNCT.search(line.text) or ends_sentence(line.text):
        return False

    def runs_on(k: int) -> bool:
        return lines[k].role == BODY and widths[k] > 0 and not ends_sentence(lines[k].text)

    above = [widths[k] for k in range(max(0, i - 3), i) if runs_on(k)]
    below = [widths[k] for k in range(i + 1, min(len(lines), i + 4)) if runs_on(k)]
    if len(above) + len(below) < 3:
        return False
    # Lines of one width on one side are the column's full lines: the column is at least that wide, however
    # narrow the lines on the other side (a headline's or an intertitle's, wrapped: `坚定不移巩固党` /
    # `的执政地位和执政` / `根基`) pull the median down.
    column = statistics.median(above + below)
    for side in (above, below):
        if len(side) >= 2 and max(side) - min(side) <= 1.5:
            column = max(column, statistics.median(side))
    return bool(widths[i] >= column + 4)


def _wedged_headlines(lines: list[Line]) -> None:
    """Up to `MAX_WEDGED_LINES` plain lines between a finished paragraph (or the page top, a headline, a byline) and a story's
    start (a headline, an opening byline, a continuation) cannot be body text: body lines there would leave a
    paragraph without its end. So they are headline lines (a title set on two lines, say). Kickers and decks carry
    commas and enumeration marks (`敖煜新在平台、镇(街道)一把手` / `工作例会上强调`), so only a full stop or a
    semicolon inside a line rules it out.

    A line opening with a time phrase and a comma (`LEAD_CLAUSE`: `昨天下午，平台、镇（街`) starts a sentence, so
    it ends such a run too: unmarked, it is the story's first line when the lines before it carry no comma (a
    sentence wrapped onto a line starting `5月24日，` has its clauses before it, `据悉，截至`). The story's photo
    caption may stand between the run and that first line, as it stands between a headline and its text."""
    i = 0
    while i < len(lines):
        j = i
        while (
            j < len(lines) and _unfinished_body(lines[j]) and j - i < MAX_WEDGED_LINES and not _clause_lead(lines, i, j)
        ):
            j += 1
        if j > i and (j == len(lines) or not _unfinished_body(lines[j]) or _clause_lead(lines, i, j)):
            # Captions and page furniture stand anywhere: what counts is the text line before and after them.
            before = next((x for x in reversed(lines[:i]) if x.role != CAPTION), None)
            k = next((k for k in range(j, len(lines)) if lines[k].role != CAPTION), None)
            after = lines[k] if k is not None else None
            if _ends_something(before) and (_starts_something(after) or (k is not None and _clause_lead(lines, i, k))):
                for line in lines[i:j]:
                    line.role = HEAD
        i = max(j, i + 1)


def _clause_lead(lines: list[Line], i: int, j: int) -> bool:
    """Line j, after the plain lines i..j-1 (none with a comma; a photo's caption between them and it aside),
    opens a sentence with its time phrase and a comma: a story's first line, not a wrapped line of the text
    before it."""
    run = [x for x in lines[i:j] if x.role != CAPTION]
    return bool(run) and LEAD_CLAUSE.match(lines[j].text) is not None and not any("，" in x.text for x in run)


def _unfinished_body(line: Line) -> bool:
    """A body line that ends no sentence, holds no full stop or semicolon and does not open a paragraph."""
    return (
        line.role == BODY
        and bool(line.text)
        and not ends_sentence(line.text)
        and not FULL_STOP.search(line.text)
        and not EDITOR_NOTE.match(line.text)
        and not line.intertitle
        and not line.ideo  # opened by ideographic spaces: a paragraph, as the typesetter marked it
        and not line.from_page
        and not line.to_page
    )


def _unpunctuated_body(line: Line) -> bool:
    return (
        line.role == BODY
        and not line.intertitle
        and bool(line.text)
        and not ends_sentence(line.text)
        and not SENTENCE_PUNCT.search(line.text)
        and not line.from_page
        and not line.to_page
    )
