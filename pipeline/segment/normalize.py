"""Text clean-up for extracted page text. Pure functions, no I/O.

Chinese full-width punctuation is kept exactly as printed: no NFKC here, since it would turn `，` into `,`.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence

# Sentence-final marks after which a short line ends a paragraph (closing quotes/brackets may follow them).
TERMINAL = "。！？!?…"
CLOSERS = "”’」』）)》】"
# A line holding only this marker forces a paragraph break (used for intertitles); it never reaches output.
PARAGRAPH_BREAK = "\x00"
HALF_WIDTH_PUNCT = "“”‘’《》〈〉（）「」『』【】"
_RUNS = re.compile(r"\s+|[^\w\s]+|\w+")


def is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def char_width(ch: str) -> float:
    """Printed width in em: CJK characters and full-width punctuation 1; quotes and brackets 0.5, since
    typesetters set them half-width; Latin letters and digits 0.5."""
    if ch in HALF_WIDTH_PUNCT:
        return 0.5
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


def _halve(run: str) -> str | None:
    """The run with fake-bold doubling undone, or None if the run is not doubled.

    A run is doubled when it is `h + h` (the extractor emitted the span twice) or every character appears twice
    in a row (emitted glyph by glyph).
    """
    n = len(run)
    if n % 2 or n == 0:
        return None
    half = n // 2
    if run[:half] == run[half:]:
        return run[:half]
    if all(run[i] == run[i + 1] for i in range(0, n, 2)):
        return run[::2]
    return None


def undouble_once(line: str) -> str:
    """Undo one level of fake-bold doubling if (and only if) every run of the line is doubled.

    Runs are maximal stretches of word characters, of punctuation, or of spaces; spaces are kept as they are.
    Requiring every run to be doubled is what protects genuine repetitions (`张张叶子`, `看看`): body text never
    has all of its runs doubled at once. Lines with fewer than 4 visible characters are left alone.
    """
    runs = _RUNS.findall(line)
    visible = [r for r in runs if not r.isspace()]
    if sum(len(r) for r in visible) < 4:
        return line
    out = []
    for run in runs:
        if run.isspace():
            out.append(run)
            continue
        half = _halve(run)
        if half is None:
            whole = _halve("".join(r for r in runs if not r.isspace()))
            return whole if whole is not None and " " not in line.strip() else line
        out.append(half)
    return "".join(out)


def undouble(line: str) -> str:
    """Undo fake-bold doubling until nothing is left to undo (idempotent)."""
    current = line
    while True:
        nxt = undouble_once(current)
        if nxt == current:
            return current
        current = nxt


def is_doubled(line: str) -> bool:
    return undouble_once(line) != line


def ends_sentence(line: str) -> bool:
    """True when the line ends on terminal punctuation, allowing closing quotes/brackets after it."""
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


_LEADING_DASH = re.compile(r"^[—–－\-~～]+\s*")


def open_brackets(text: str) -> int:
    """How many round brackets (full- or half-width) `text` opens and leaves unclosed (negative: closes more)."""
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def strip_dash(text: str) -> str | None:
    """A subtitle without the dash it is often printed with (`——推动经济持续向好`: typography, not text); None
    when nothing is left."""
    return _LEADING_DASH.sub("", text.strip()) or None


def join_wrapped(a: str, b: str) -> str:
    """Join two hard-wrapped lines: no space between CJK text, one space between two Latin words. A number set
    in Chinese text and broken over the wrap (`5月2` / `4日`) is one number: CJK lines break anywhere, Latin
    words only at spaces. So is an acronym of capitals set in Chinese text (`SA` / `AS平台`): justified CJK
    lines break inside it as anywhere else."""
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        if a[-1].isdigit() and b[0].isdigit() and _after_cjk(a):
            return a + b
        if _ACRONYM_END.search(a) and _ACRONYM_START.match(b):
            return a + b
        return f"{a} {b}"
    return a + b


# A run of capitals ending a line right after Chinese text, and one opening the next line, not a word's capital.
_ACRONYM_END = re.compile(r"(?:^|[^\x00-\x7f])[A-Z]+$")
_ACRONYM_START = re.compile(r"[A-Z]+(?![a-z])")


# Chinese is set without word spaces. A space a typesetting system leaves beside full-width punctuation (`“ 一国两制”`,
# `保持香港、 澳门`) or after a run of digits or Latin letters set in the Latin face, where the Chinese text resumes
# (`13 亿多`, `2020 年`), is an artefact of its runs, which the publisher's own text does not have. Other spaces are
# left alone: a dateline is parted from its text on purpose (`本报讯 5月24日`), some papers part names in a list
# (`张三 李四`), and headlines part phrases.
_FULL_PUNCT = "，。、；：！？…“”‘’《》〈〉（）「」『』【】—"
_HAN = "\u4e00-\u9fff"
# Digits and the capitals of an acronym are set solid too, and half-width brackets abut what they hold: a space
# inside a number (`2 4日`, `57 . 1%`), inside a run of lone capitals (`S A A S`, `SAA S` where the acronym wrapped, `A I`),
# or between a half-width bracket and an ideograph (`( 街道) 党`) is white of glyph placement or a wrap, not a
# word space. Capitalised words keep theirs (`A Tale`), and so do two acronyms (`GDP CPI`).
_SPACE = "[ \u00a0\u2002-\u200a]+"
_RUN_SPACE = re.compile(
    f"(?<=[{_FULL_PUNCT}]){_SPACE}|{_SPACE}(?=[{_FULL_PUNCT}])"
    f"|(?<=[0-9A-Za-z%]){_SPACE}(?=[{_HAN}])"
    f"|(?<=(?<![A-Za-z])[A-Z]){_SPACE}(?=[A-Z](?![a-z]))|(?<=[A-Z]){_SPACE}(?=[A-Z](?![A-Za-z]))"
    rf"|(?<=[(\[]){_SPACE}(?=[{_HAN}])|(?<=[{_HAN}]){_SPACE}(?=[)\]])"
    rf"|(?<=[)\]]){_SPACE}(?=[{_HAN}])|(?<=[{_HAN}]){_SPACE}(?=[(\[])"
)


# A number with white inside it: digits, a decimal point, a percent sign (`6 6 . 7%`, `5月2 4日`).
_SPACED_NUMBER = re.compile(
    f"[0-9](?:(?:{_SPACE})?[.](?:{_SPACE})?[0-9]|{_SPACE}[0-9])+(?:(?:{_SPACE})?%)?|[0-9]{_SPACE}%"
)


def tidy_spaces(text: str) -> str:
    """`text` without the spaces Chinese typesetting leaves beside full-width punctuation and after a Latin-face
    run (see `_RUN_SPACE`), or inside a number (`_SPACED_NUMBER`); line breaks and all other spaces are kept."""
    text = _SPACED_NUMBER.sub(lambda m: re.sub(_SPACE, "", m.group()), text)
    return _RUN_SPACE.sub("", text)


_SPACE_RUN = re.compile(r"[ \u00a0\u2002-\u200a\u3000]{2,}")


def tidy_headline(text: str) -> str:
    """A headline part as `tidy_spaces` leaves it, each gap between its phrases one space: a headline parts its
    phrases by white that the typesetter sizes to the line (an em or two in a wide title), which extractors
    write as one space or several, so the width says nothing about the words."""
    return _SPACE_RUN.sub(" ", tidy_spaces(text)).strip()


def _after_cjk(text: str) -> bool:
    """The digits ending `text` directly follow a CJK character (or open the text)."""
    head = text.rstrip("0123456789.,")
    return not head or not head[-1].isascii()


def paragraphs(lines: Sequence[str]) -> list[str]:
    """Rejoin hard-wrapped column lines into paragraphs (see `paragraph_lines` for where they break).

    Joining the result again gives the same paragraphs (idempotent), and no non-space character is lost or added.
    """
    out = []
    for group in paragraph_lines(lines):
        text = ""
        for line in group:
            text = join_wrapped(text, line) if text else line
        out.append(text)
    return out


def paragraph_lines(lines: Sequence[str]) -> list[list[str]]:
    """Group hard-wrapped column lines by paragraph.

    A paragraph ends after a line that ends a sentence and either falls short of the column (by at least one and
    a half characters: a full line can end on `。` by chance while its paragraph goes on) or is followed by an
    indented line (the next paragraph's first line, about two characters short of the lines after it). Widths are
    read locally, since one story's columns can change width (a last paragraph set across two columns). A
    `PARAGRAPH_BREAK` line forces a break and is dropped.
    """
    out: list[list[str]] = []
    for block in _split_on_breaks(lines):
        clean = [x.strip() for x in block if x.strip()]
        widths = [text_width(x) for x in clean]
        current: list[str] = []
        for i, line in enumerate(clean):
            current.append(line)
            if ends_sentence(line) and (_short(widths, i) or _indented(widths, i + 1)):
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def _split_on_breaks(lines: Sequence[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line == PARAGRAPH_BREAK:
            blocks.append([])
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _short(widths: Sequence[float], i: int) -> bool:
    """Line i is at least one and a half characters narrower than its neighbours. (Justified lines vary by
    up to about one character, so a line one short can still be full.)"""
    around = [*widths[max(0, i - 3) : i], *widths[i + 1 : i + 4]]
    return bool(around) and widths[i] <= statistics.median(around) - 1.5


def _indented(widths: Sequence[float], i: int) -> bool:
    """Line i is about two characters narrower than the lines after it (a first line's indent)."""
    after = widths[i + 1 : i + 4]
    return i < len(widths) and bool(after) and widths[i] <= statistics.median(after) - 1.5
