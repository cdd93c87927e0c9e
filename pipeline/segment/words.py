"""Dictionary words of the language (jieba's dictionary), for rules that ask whether a break cuts a word."""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading notes are no concern of a page's reader


def word_across(a: str, b: str) -> bool:
    """A dictionary word runs across the break between `a` and `b` (jieba's dictionary, no guessing of new words:
    a name the dictionary lacks is not evidence)."""
    left, right = a.rstrip()[-4:], b.lstrip()[:4]
    if not left or not right:
        return False
    return any(start < len(left) < end for _w, start, end in jieba.tokenize(left + right, HMM=False))
