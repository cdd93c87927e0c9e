"""A text dump's lines: fake-bold doubling undone, trailing bylines and jump markers split off; the role constants."""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass

from pipeline.segment.bylines import (
    find_jump,
    split_leading_byline,
    split_trailing_byline,
)
from pipeline.segment.normalize import (
    ends_sentence,
    is_doubled,
    text_width,
    undouble,
)
from pipeline.segment.words import is_person, person_names, word_across

BODY, HEAD, BYLINE, CAPTION = "body", "head", "byline", "caption"
SPACED_PHRASES = re.compile(r"[\u4e00-\u9fff”」》]\s+[\u4e00-\u9fff“「《]")
# A kicker (引题) names who spoke and where: `敖煜新在调研二季度经济运行情况时强调`.
SAYS = re.compile(r"(?:强调|指出|表示|要求|提出|寄语|宣布|希望)$")
NO_HEADLINE = re.compile(r"[。！？，；]")
SENTENCE_PUNCT = re.compile(r"[，。；：！？、,;!?]")
# Photo captions: `图为…`, `▲…`, or a credit ending in 摄 (`记者 张三 摄`), or a drawing's maker and agency.
# A caption may open with a sentence on the scene before its `图为…` (`当前，人们…日益增长。图为专职保洁人员…`).
CAPTION_TEXT = re.compile(
    r"^(?:图为|图片|▲|△|（图|\(图)|[\s\u4e00-\u9fff]\s摄\s*$|摄影[:：]|[。！？]图为"
    r"|^[\u4e00-\u9fff]{1,6}[作绘摄][（(][^（）()]{1,10}发[)）]$"  # a picture's maker: `翟桂溪作（新华社发）`
)
# Intertitles inside a long story (`一、加强组织领导`, `（二）…`): bold, but part of the body they divide.
INTERTITLE = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）、.．]|^\d{1,2}[、.．]\D")
# A photo credit closing a caption, `（记者 姚琴 摄）`: the photographer of a picture, not the story's byline.
_CREDIT = re.compile(r"[（(][^（）()]{1,30}\s摄\s*[)）]\s*$")
# Page furniture on a line of its own: the header's `第1版 要闻` and its date line (`2023年5月25日 星期四 第3版 |
# 理论`: a line opening with the full date and a space, or the weekday, is never body text, which follows a date with
# `，`; digits set in a Latin font come out with a space beside them, `2018 年1 月3 日星期三`), a teaser box's `导读` and its
# cross-references (`●梳理德清模式 总结浙江经验 第4版`).
FURNITURE_LINE = re.compile(
    r"^第?\s*\d{1,3}\s*版(?:\s|$)|^导读$|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s|星期|$)"
    r"|^[●■◆▲★•·◎]\S.*\s第?\s*\d{1,3}\s*版$|^(?:责任编辑|美术编辑|版式设计|校对)[:：]"
    r"|^(?:本版)?制图[:：]|^(?:数据|资料)来源(?:[:：]|$)"  # a chart's credit and its source line
)
# An editor's note (编者按) opens a story under its headline and is signed `——编者` (often letter-spaced, `——编  者`)
# on a line of its own: both belong to the story's body, the signature as a paragraph of its own.
EDITOR_NOTE = re.compile(r"^\s*[【［\[]?编者按")
# A signed article (commentary, theory, opinion pages) ends with the author's affiliation in brackets, `（作者为…研究员）`,
# `（作者单位：…）`, `（作者系…）`, often over two or three lines: the last paragraph of the body, never a headline.
AUTHOR_NOTE = re.compile(r"^[（(]\s*作者\s*(?:为|系|是|单位|简介)")
EDITOR_SIGNATURE = re.compile(r"[—－\-]{1,2}\s*编\s*者\s*")
PAGE_REF = re.compile(r"第?\s*\d{1,3}\s*版")
BULLETS = ("●", "■", "◆", "▲", "★", "•", "◎")
FURNITURE = re.compile(r"(责任编辑|美术编辑|版式设计|校对|编辑[:：]|电话[:：]|第\s*\d+\s*版|邮箱|E-?mail)", re.I)
MIN_HEADLINE_MATCH = 0.2
MAX_HEADLINE_LINES = 8  # kicker, a title and a subtitle, each possibly wrapped (a deck to three lines)
MIN_STORY_CHARS = 40
# How Chinese news leads open: a day or date, or a time phrase.
NEWS_LEAD = re.compile(
    r"^(昨天|昨日|今天|今日|近日|日前|近期|前不久|今年以来|本报讯|\d{1,2}月\d{1,2}日|[一二三四五六七八九十]+月)"
)
ADJACENT_BONUS = 0.15


# The role words a byline broken over lines opens with, and the names it leaves on its first line (the last may be
# cut by the line's end, `（记者 董华 姚` / `海翔）`: its piece may be one character).
_LEAD_ROLE = r"(?:本报记者|记者|本报通讯员|通讯员|特约记者)"
# (The first name may follow the role word with no space: a dump of a line drawn as one run writes none.)
_LEAD_NAMES = r"(?:\s*[\u4e00-\u9fff·]{2,4})?(?:\s+[\u4e00-\u9fff·]{2,4})*(?:\s+[\u4e00-\u9fff·])?"
# A byline's lead without its names (`本报记者`, `（记者 董华`): the names follow on the next line ...
_BYLINE_LEAD = re.compile(rf"^[（(]?{_LEAD_ROLE}{_LEAD_NAMES}$")
# ... or trailing a finished sentence, its bracket left open for the names on the next line (`…参加。（记者 董华`)
_OPEN_BYLINE_TAIL = re.compile(rf"[。！？”」]\s*[（(]{_LEAD_ROLE}{_LEAD_NAMES}$")
# The rest of the names; the first may be the end of a name cut by the line's end (`超 蔡俊）`).
_NAMES_REST = re.compile(r"^[\u4e00-\u9fff·]{1,4}(?:\s+[\u4e00-\u9fff·]{2,4})*[)）]?$")
_ROLE_WORD = re.compile(rf"{_LEAD_ROLE}$")
_ROLE_LEAD = re.compile(rf"^{_LEAD_ROLE}")
IDEO_INDENT = "\u3000"
# A byline set whole in brackets, `（记者 董华 姚海翔）`, `（本报通讯员 李明）`: the form of a closing credit. A story
# opens with a bare byline (`本报记者 董华`) or with `本报讯（记者 …）` and its text on the same line.
BRACKETED_BYLINE = re.compile(r"^[（(][^（）()]+[)）]$")


@dataclass(slots=True)
class Line:
    """One non-blank line of the dump after clean-up; `role` is decided by `assign_roles`."""

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
    ends_story: bool = False  # the last line of an author's note `（作者为…）`: the story it signs ends here
    ideo: bool = False  # opened by ideographic spaces: a paragraph's first line as the typesetter marked it
    signed: bool = False  # a headline line right over its author's bare name (`roles._signed_heads`)


def read_lines(text: str) -> list[Line]:
    """Non-blank lines, cleaned up. Fake bold comes out of some extractors as the line printed twice in a row
    (each copy its own line): the copy is dropped and the line marked bold, as a run-level double is."""
    out: list[Line] = []
    gap = False
    previous = ""
    rows = _joined_pieces(_undoubled_rows(joined_letters([unspaced(r) for r in text.split("\n")])))
    for raw in _joined_bylines(rows):
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


_GAP = re.compile(r"(?<=\S) (?=\S)")
TITLE_MARKS = "“”‘’《》"  # quotes and book-title marks a headline may hold


def unspaced(raw: str) -> str:
    """A letter-spaced line as printed: extractors write a space wherever two glyphs stand further apart than a
    word gap, so a justified line whose characters the typesetter spread out comes out with a space after every
    character (`敖 煜 新 一 行 先 后`). Chinese text never puts a space between every pair of characters, so a line
    of six characters or more in which at least four gaps in five are single spaces loses those spaces (its
    leading indent is kept). Headline phrases set apart by one space (`增强紧迫感 找准发力点`) stay as they are."""
    body = raw.strip()
    chars = body.replace(" ", "")
    if len(chars) < 6 or "  " in body:
        return raw
    if len(_GAP.findall(body)) < 0.8 * (len(chars) - 1) and not _spread_han(body):
        return raw
    return raw[: len(raw) - len(raw.lstrip())] + chars + raw[len(raw.rstrip()) :]


# Two ideographs side by side, with or without one space between them.
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff](?= ?[\u4e00-\u9fff])")
_SPREAD_PAIR = re.compile(r"[\u4e00-\u9fff](?= [\u4e00-\u9fff])")


def _spread_han(body: str) -> bool:
    """Four in five pairs of neighbouring ideographs stand a space apart: the characters were spread out. Full-width
    punctuation carries its own white in its glyph box, so extractors write no space beside it
    (`排 放（控 制）标 准 达`): it says nothing about the spreading."""
    pairs = len(_HAN_PAIR.findall(body))
    return pairs >= 5 and len(_SPREAD_PAIR.findall(body)) >= 0.8 * pairs


def joined_letters(raws: list[str]) -> list[str]:
    """Runs of one-character lines as the lines they were printed as. An extractor writes each character on a line
    of its own when the characters stand far apart: an upright title read top to bottom, or a line spread out to
    fill its column. Three or more such lines in a row are one line; an ideographic space among them (a
    paragraph's indent, which the extractor also writes as a line of its own) starts a new line. Two such lines
    that make a person's name are one line too: a two-character name is set spaced out to the width of a
    three-character one (`周　江` under `张济坤`), so far apart that some extractors cut it in two."""
    out: list[str] = []
    run: list[str] = []
    for raw in [*raws, "\n"]:  # a sentinel that ends the last run
        if len(raw) == 1 and raw != "\n" and (raw == IDEO_INDENT or not raw.isspace()):
            run.append(raw)
            continue
        if len(run) == 2 and is_person("".join(run)):
            run = ["".join(run)]
        out.extend(_letters(run) if len(run) >= 3 else run)
        run = []
        if raw != "\n":
            out.append(raw)
    return out


def _letters(run: list[str]) -> list[str]:
    lines: list[str] = []
    for ch in run:
        if lines and not (ch == IDEO_INDENT and not lines[-1].endswith(IDEO_INDENT)):
            lines[-1] += ch
        else:
            lines.append(ch)
    return [part for line in lines for part in _upright_signature(line)]


def _upright_signature(line: str) -> list[str]:
    """An upright title and the upright byline set beside it, as one run of one-character lines: the title, then
    the author's name on a line of its own. A column title set upright (思想纵横-style) has its author's name set
    upright next to it, and an extractor reading in drawing order writes the name's characters right after the
    title's; a run whose last three (or two) characters are a person's name (`is_person`) and no word runs into
    them from the title (`历史永远眷顾奋进者何民捷`; `梦想成真` is one word) is split there. A title shorter than four characters is left
    whole. The title may quote (`准确理解“不平衡不充分的发展”卫兴华`); the name is Chinese characters only."""
    if not all("\u4e00" <= c <= "\u9fff" or c in TITLE_MARKS for c in line):
        return [line]
    for n in (3, 2):
        title, name = line[:-n], line[-n:]
        hanzi = all("\u4e00" <= c <= "\u9fff" for c in name)
        if hanzi and len(title) >= 4 and is_person(name) and not word_across(title.strip(TITLE_MARKS), name):
            return [title, name]
    return [line]


def _undoubled_rows(raws: list[str]) -> list[str]:
    """Fake bold drawn as a copy cut into other runs comes out of some extractors as overlapping lines: `A` /
    `A B` / `B` (`新使命` / `新使命：中国共产党的历史担当` / `中国共产党的历史担当`). A line of three characters or
    more that opens or ends the next (or the previous) non-blank line is such a copy: dropped, and the longer
    line doubled at run level so that it reads as bold, as run-level doubles do."""
    rows = [r.strip() for r in raws]
    keep = [True] * len(raws)
    bold: set[int] = set()
    nonblank = [k for k, r in enumerate(rows) if r]
    # A whole line printed twice is a whole-line double, read in `read_lines`; it is no partial copy of the
    # line after it (an intertitle `敖煜新指出` may open the paragraph it heads: `敖煜新指出，当前…`).
    whole = {k for a, b in itertools.pairwise(nonblank) if rows[a] == rows[b] for k in (a, b)}
    after = dict(itertools.pairwise(nonblank))
    for a, b in itertools.pairwise(nonblank):
        if a in whole or b in whole:
            continue
        x, y = rows[a], rows[b]
        if _heading_over_paragraph(x, y, rows[after[b]] if b in after else ""):
            continue
        if len(x) >= 3 and len(y) > len(x) and (y.startswith(x) or y.endswith(x)) and keep[a]:
            keep[a] = False
            bold.add(b)
        elif len(y) >= 3 and len(x) > len(y) and (x.startswith(y) or x.endswith(y)):
            keep[b] = False
            bold.add(a)
    kept = [(doubled(raws[k]) if k in bold else raws[k], k in bold) for k in range(len(raws)) if keep[k]]
    return _rejoined_at_marks(_chained_copies(kept))


def _heading_over_paragraph(x: str, y: str, z: str) -> bool:
    """`x` is a heading over the paragraph `y` opens with its words (`今年以来` / `今年以来，高新区…`), not a
    fake-bold copy cut out of `y`: `y` goes on past them in running text (a pause or a sentence's end follows),
    which is never drawn bold, and no copy of its other end follows it (`A` / `A B` / `B` is a bold headline,
    commas and all, and so is a chain of pieces, each opening with the last words of the one before:
    `数据来源` / `数据来源：国家统计局` / `国家统计局2017`)."""
    if not (len(y) > len(x) >= 2 and y.startswith(x)) or not SENTENCE_PUNCT.search(y[len(x) :]):
        return False
    return not ((len(z) >= 3 and len(y) > len(z) and y.endswith(z)) or (z and _overlap(y, z)))


def _chained_copies(rows: list[tuple[str, bool]]) -> list[str]:
    """Fake bold whose two copies were cut at different places comes out as a chain of pieces, each opening
    with the last words of the one before (`数据来源` / `数据来源：国家统计局` / `国家统计局2017` / `2017 年6 月16`
    / `16 日发布的…`). Where a piece is known to be such a copy (bold: one of its copies was found above), the
    next piece opening with its last two characters or more is the rest of it: one line, the shared words once.
    Only then: plain text may well repeat words across a break, a sentence opening with the words the one
    before ended with (顶真, `…进入新时代` / `时代是表述…`)."""
    out: list[str] = []
    bold_last = False
    for raw, found in rows:
        bold = found or is_doubled(raw)
        prev = out[-1].strip() if out else ""
        text = undouble(raw.strip())
        cut = _overlap(undouble(prev), text) if prev and text and (bold_last or bold) else 0
        if cut:
            out[-1] = doubled(undouble(prev) + text[cut:])
            bold_last = True
            continue
        out.append(raw)
        bold_last = bold
    return out


def _overlap(a: str, b: str, least: int = 2) -> int:
    """How many characters of `b` open it with the words `a` ends with (spaces aside; at least `least` visible
    characters, fewer than either line has), or 0."""
    a_dense = a.replace(" ", "")
    visible = 0
    best = 0
    for k, ch in enumerate(b):
        if ch == " ":
            continue
        visible += 1
        if visible >= len(a_dense) or k + 1 >= len(b.rstrip()):
            break
        if visible >= least and a_dense.endswith(b[: k + 1].replace(" ", "")):
            best = k + 1
    return best


# A piece of a line: a few characters at most (no column is so narrow) opening a quote or a bracket, or ending on a
# pause. (One ending on a closing bracket or quote may be the last line of a paragraph: `研究员）`.)
_PIECE = re.compile(r"^(?:\S{0,2}[“‘「《（(]\S{0,2}|\S{0,2}[，、：；])$")
_LONG_PIECE = 12  # characters a run cut from its line at a quote or bracket holds at most


def _joined_pieces(raws: list[str]) -> list[str]:
    """Typesetting systems switch font for quotes and brackets inside a line, and some extractors then write the
    runs of one line as lines of their own (`“一` / `国两制”方针才能得到全面准确贯`, `彻，` / `“一国两制”事业…`).
    A line of a column is as wide as the column but for a paragraph's last (which ends it with its stop), so a
    piece of a few characters holding such a mark, that ends no sentence, with text right under it, is the
    start of the line under it: one line. (A headline's short last line, `点`, holds no mark and stays.)"""
    out: list[str] = []
    carry = ""
    for k, raw in enumerate(raws):
        text = raw.strip()
        nxt = raws[k + 1].strip() if k + 1 < len(raws) else ""
        if nxt and not ends_sentence(text) and (_PIECE.match(text) or _fills_line(carry + text, raws, k + 1)):
            carry = carry + text if carry else raw.rstrip()
            continue
        out.append(carry + text if carry else raw)
        carry = ""
    return out


def _fills_line(piece: str, raws: list[str], k: int) -> bool:
    """A longer run before a quote or bracket (`告中指出：` / `“中国特色社会主义进`): the piece ends on a pause or
    the next line opens with an opening mark, and the two together are one full line of the column, as wide as
    the column's next lines (which run on unbroken, within a character)."""
    nxt = raws[k].strip()
    if not (piece[-1:] in "，、：；" or nxt[:1] in "“‘「《（(") or len(piece) > _LONG_PIECE:
        return False
    # A whole bracketed item (`（下转第8版）`, `（记者 董华）`) or an author's name is a line of its own.
    if piece[-1:] in "）)”’」』》】" or person_names(piece):
        return False
    below = [text_width(r.strip()) for r in raws[k + 1 : k + 4] if r.strip()]
    if len(below) < 3 or max(below) - min(below) > 1:
        return False
    return abs(text_width(piece) + text_width(nxt) - statistics.median(below)) <= 1


# Marks Chinese typesetting never sets at the start of a line (禁则, 避头: pauses, stops and closing brackets stay
# on the line they end).
NO_LINE_START = "，。、；：？！”’」』）》】…"


def _rejoined_at_marks(raws: list[str]) -> list[str]:
    """Fake bold whose copy was cut at a mark comes out as a piece ending with the mark, then the rest opening
    with it (`新使命：` / `：中国共产党的历史担当`, the other copy of `新使命` dropped above). A line never opens
    with a pause or closing mark, so a line that does, under a line ending with that same mark, is the rest of
    the line above: one line, the mark once (bold when either piece was)."""
    out: list[str] = []
    for raw in raws:
        text = raw.strip()
        prev = out[-1].strip() if out else ""
        if text and prev and text[0] in NO_LINE_START and undouble(prev).endswith(text[0]):
            if is_doubled(prev) or is_doubled(text):
                out[-1] = doubled(undouble(prev) + undouble(text)[1:])
            else:
                out[-1] = prev + text[1:]
            continue
        out.append(raw)
    return out


def doubled(raw: str) -> str:
    """A line written as a run-level double (each run twice), the way extractors emit fake bold."""
    text = raw.strip()
    return "".join(r if r.isspace() else r + r for r in re.findall(r"\s+|[^\w\s]+|\w+", text))


def _joined_bylines(raws: list[str]) -> list[str]:
    """A byline broken over two lines (`　　本报记者` / `倪忆雪`, `（记者 董华` / `姚海翔）`) as one line. A closing
    byline in brackets after the story's last sentence breaks the same way (`…参加。（记者 董华` / `姚海翔）`):
    the names and the closing bracket on the next line are the rest of it. A narrow column may break the line
    inside a name (`（记者 董华 姚` / `海翔）`, `（记者 徐超` / `超 蔡俊）`): a Chinese name is never one
    character, so a one-character piece on either side of the break is joined to the piece across it."""
    out: list[str] = []
    for raw in raws:
        prev = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        if prev is not None:
            joined = _byline_rest(out[prev].rstrip(), raw.strip())
            if joined is not None:
                out[prev] = joined
                del out[prev + 1 :]
                continue
        out.append(raw)
    return out


def _byline_rest(prev: str, rest: str) -> str | None:
    """`prev` and `rest` as one byline line when `rest` carries on the byline `prev` (its indent kept) leaves
    open, else None."""
    tail = _OPEN_BYLINE_TAIL.search(prev) is not None and rest[-1:] in ")）"
    if not (_BYLINE_LEAD.match(prev.strip()) or tail) or not _NAMES_REST.match(rest):
        return None
    last, first = prev.split()[-1].lstrip("（("), rest.split()[0].rstrip(")）")
    if not _ROLE_WORD.search(last) and _ROLE_LEAD.match(last):
        last = _ROLE_LEAD.sub("", last)  # `本报记者徐超`: the name set solid after its role word must read as one
        if not is_person(last) and not is_person(last + first):
            return None
    if _ROLE_WORD.search(last):
        return None if len(first) == 1 else f"{prev} {rest}"  # no name is one character
    if len(last) == 1 or len(first) == 1:
        return f"{prev}{rest}" if len(last) + len(first) <= 4 else None  # the break fell inside a name
    return f"{prev} {rest}"


def _n_split(raw: str) -> int:
    """How many `Line`s `_split_line` made of a raw line (a line with a trailing byline makes two)."""
    return len(_split_line(raw, False))


def _split_line(raw: str, gap: bool) -> list[Line]:
    """A raw line as one or more `Line`s: text, then a trailing byline; jump markers become attributes."""
    bold = is_doubled(raw.strip())
    text = undouble(raw.strip()) if bold else raw.strip()
    if CAPTION_TEXT.search(text) or _CREDIT.search(text) or FURNITURE_LINE.search(text):
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
        ideo = raw.startswith(IDEO_INDENT)
        lines.append(Line(body_text, bold, raw[:1].isspace(), gap, to_page=to_page, from_page=from_page, ideo=ideo))
    elif to_page or from_page:
        lines.append(Line("", False, False, gap, to_page=to_page, from_page=from_page))
    if trailing:
        lines.append(Line(text, False, False, False, role=BYLINE, names=trailing[1], closes=bool(body_text)))
    return lines
