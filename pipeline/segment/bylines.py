"""Bylines and jump markers: the two kinds of page furniture every Chinese news page shares. Pure functions.

Bylines come as `| 记者 董华 姚海翔`, `本报讯（记者 张三 通讯员 李四）`, `记者 张三`, `文/图 张三`, `□ 通讯员 李四`, at the
start or the end of an article (a closing one often trails the last sentence on the same line). Jump markers are
`（下转第2版）` (the story continues on page 2) and `（上接第1版）` (continued from page 1). A brief column's
label (`简讯`) is the third: it heads no story, but the items under it.
"""

from __future__ import annotations

import re

# Role words, longest first so `本报记者` is not read as `本报` + `记者`. (`本报讯` is a dateline, not a role: it
# may stand before a byline, `本报讯 记者 张三`, but `本报讯 昨天上午` is the story's first words.)
ROLES = sorted(
    [
        "本报记者",
        "融媒体记者",
        "县融媒体中心记者",
        "首席记者",
        "特约记者",
        "见习记者",
        "实习记者",
        "实习生",
        "记者",
        "通讯员",
        "特约通讯员",
        "撰稿",
        "摄影",
        "摄",
        "文/图",
        "文图",
        "图/文",
        "文",
        "图",
        "整理",
        "编辑",
        "责任编辑",
    ],
    key=len,
    reverse=True,
)
# One-character roles (文, 图, 摄) need a separator after them, or `文化礼堂` would read as role 文 + name 化礼堂.
_ROLE = "|".join(re.escape(r) if len(r) > 1 else rf"{re.escape(r)}(?=[\s:：/])" for r in ROLES)
_MARK = r"[|｜□■●◆▲△]"
_NAME = r"[\u4e00-\u9fff·]{2,5}"
# A name list: names separated by spaces, 、 or ，, role words allowed between them.
_NAMES = rf"(?:(?:{_ROLE})\s*[:：/]?\s*)?{_NAME}(?:\s*[\s、，,/]\s*(?:(?:{_ROLE})\s*[:：/]?\s*)?{_NAME})*"
_DATELINE = r"本报讯"
# A story's opening dateline: the house one (`本报讯`, `本报杭州5月24日讯`) or a wire one (`新华社北京5月24日电`).
# Every news story starts with one or with its headline, so it marks where a story begins.
# A line of person names only (`姚海翔`, `董华 姚海翔`): the rest of a byline broken over two lines.
NAMES_ONLY = re.compile(r"[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*")
LEAD = re.compile(r"^\s*(?:本报[^，。！？]{0,12}?讯|(?:新华社|中新社)[^，。！？]{0,12}?电)")
_BYLINE_LINE = re.compile(rf"^\s*(?:{_MARK}\s*)?(?:{_DATELINE}\s*)?(?:{_ROLE})\s*[:：/]?\s*{_NAMES}\s*$")
_BYLINE_TAIL = re.compile(rf"^(?P<text>.*?\S)\s*{_MARK}\s*(?P<byline>(?:{_ROLE})\s*[:：/]?\s*{_NAMES})\s*$")
_BYLINE_TAIL_BRACKET = re.compile(
    rf"^(?P<text>.*?[。！？”])\s*[（(]\s*(?P<byline>(?:{_ROLE})\s*[:：/]?\s*{_NAMES})\s*[)）]\s*$"
)
_BYLINE_BRACKET = re.compile(
    rf"^\s*(?:本报讯)?\s*[（(]\s*(?P<byline>(?:{_ROLE})\s*[:：/]?\s*{_NAMES})\s*[)）]\s*(?P<text>.*)$"
)
_ROLE_TOKEN = re.compile(rf"^(?:{_ROLE})[:：/]?")

# A brief column's label: 简讯 and its kin (`新闻速览`, `亚运快讯`), alone on its line over a column of short
# items, each a story under its own one-line title.
BRIEF_LABEL = re.compile(r"[\u4e00-\u9fff]{0,4}(?:简讯|短讯|快讯|简报|速览|速递|资讯|集锦)")
_NUM = r"\d{1,3}|[一二三四五六七八九十]{1,3}"
JUMP = re.compile(
    rf"[（(]\s*(?P<dir>下转|转至|转|上接|紧接|接)\s*(?:第\s*)?(?P<page>{_NUM})\s*(?:版|页)(?:[^）)]{{0,8}})?\s*[)）]"
)
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def names_of(byline: str) -> tuple[str, ...]:
    """The person names of a byline, role words and marks removed, in order, without repeats."""
    cleaned = re.sub(_MARK, " ", byline).replace(_DATELINE, " ")
    cleaned = re.sub(r"[（()）:：、，,/]", " ", cleaned)
    out: list[str] = []
    for token in cleaned.split():
        name = token
        while True:
            stripped = _ROLE_TOKEN.sub("", name)
            if stripped == name:
                break
            name = stripped
        if name and name not in ROLES and name not in out:
            out.append(name)
    return tuple(out)


def parse_byline(text: str) -> tuple[str, ...] | None:
    """Names if the whole text is a byline (`| 记者 董华 姚海翔`, or bracketed on its own: `（记者 徐超超 蔡俊）`),
    else None."""
    if len(text) > 2 and text[0] in "（(" and text[-1] in "）)":
        text = text[1:-1].strip()
    if _BYLINE_LINE.match(text):
        names = names_of(text)
        return names or None
    return None


def split_trailing_byline(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(`text` without it, names) when a byline trails the text on the same line: `…新局面。 | 记者 徐超超` or
    `…新局面。（记者 徐超超）`."""
    m = _BYLINE_TAIL.match(text) or _BYLINE_TAIL_BRACKET.match(text)
    if not m:
        return None
    return m.group("text"), names_of(m.group("byline"))


def split_leading_byline(text: str) -> tuple[tuple[str, ...], str] | None:
    """(names, rest) for a bracketed opening byline: `本报讯（记者 张三 通讯员 李四）昨天…`."""
    m = _BYLINE_BRACKET.match(text)
    if not m:
        return None
    names = names_of(m.group("byline"))
    return (names, m.group("text")) if names else None


def find_jump(text: str) -> tuple[str, int | None, int | None]:
    """(`text` without jump markers, continues-to page, continued-from page)."""
    to_page: int | None = None
    from_page: int | None = None
    for m in JUMP.finditer(text):
        page = _cn_number(m.group("page"))
        if m.group("dir") in ("下转", "转至", "转"):
            to_page = page
        else:
            from_page = page
    return JUMP.sub("", text).strip(), to_page, from_page


_NAME_TOKEN = re.compile(r"[\u4e00-\u9fff·]{1,4}")


def standalone_names(text: str) -> tuple[str, ...] | None:
    """The names of a line that holds person names only (`李忠杰`, `汪  涛  吴光胜`), else None. A two-character
    name is set to the width of a three-character one, so its characters stand apart (`叶  帆`, `周  江  张济坤`):
    single characters standing alone pair up into one name. At most four names; a lone character left over
    means the line is not a list of names."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 8 or not all(_NAME_TOKEN.fullmatch(t) for t in tokens):
        return None
    names: list[str] = []
    single = ""
    for token in tokens:
        if len(token) == 1:
            if single:
                names.append(single + token)
                single = ""
            else:
                single = token
        elif single:
            return None
        else:
            names.append(token)
    if single or not 1 <= len(names) <= 4 or any(n in ROLES for n in names):
        return None
    return tuple(names)
