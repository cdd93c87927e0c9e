"""Plain-text page dumps: bytes to `str`, detecting the encoding Chinese dumps come in."""

from __future__ import annotations

import datetime as dt
import unicodedata

from charset_normalizer import from_bytes

from pipeline.errors import PageError

# GB18030 is a superset of GBK and GB2312: decoding with it covers all three.
_CHINESE_LEGACY = ("gb18030",)


def decode_text(data: bytes, paper: str, issue_date: dt.date | None, page: int | None) -> str:
    """Decode a text dump: UTF-8 (with or without BOM), else GB18030/GBK, else what charset detection finds.

    Raises `PageError` for an empty file, a binary file (NUL bytes or undecodable), or text with no CJK at all
    once decoded, since that is not a page of a Chinese paper.
    """
    if not data.strip():
        raise PageError(paper, issue_date, page, "empty file")
    if b"\x00" in data[:4096]:
        raise PageError(paper, issue_date, page, "binary file, not a text dump")
    text = _decode(data)
    if text is None or _looks_binary(text):
        raise PageError(paper, issue_date, page, "binary or undecodable file, not a text dump")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        raise PageError(paper, issue_date, page, "no Chinese text in the file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    """GB18030 decodes almost any byte string, so a binary file can come out as "text": real dumps have next to no
    control, private-use or unassigned characters, and almost no rare CJK extension characters."""
    odd = sum(
        1
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t")
        or "\u3400" <= ch <= "\u4dbf"  # CJK extension A: rare in news, common in GB18030-decoded noise
        or "\ue000" <= ch <= "\uf8ff"
    )
    return odd > max(3, len(text) // 50)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in _CHINESE_LEGACY:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    return None if best is None else str(best)
