"""Column pieces of a dump put back in reading order: a column that breaks off mid-sentence goes on in the piece
that takes up that sentence, wherever the extractor put it."""

from __future__ import annotations

import statistics

from pipeline.segment.bylines import LEAD, parse_byline
from pipeline.segment.normalize import ends_sentence, text_width
from pipeline.segment.text.headlines import word_across
from pipeline.segment.text.lines import NEWS_LEAD

# Dumps that set every line apart by a blank line have no blocks to read.
MIN_BLOCK_LINES = 3
# How many blocks ahead a column's continuation is looked for (the extractor puts a few other blocks between).
LOOKAHEAD = 6


def reordered(raws: list[str]) -> list[str]:
    """The dump's lines with column pieces moved next to the piece they continue.

    Extractors that read by geometry (poppler's `pdftotext`) write a page as blocks apart by blank lines, often
    one column piece each, and do not always follow a story from one column to the next: another story's block
    can come between. A story's column that ends mid-sentence (its last line ends no sentence) goes on at the top
    of its next column, which starts mid-sentence at full width (no paragraph indent) and not with a headline, a
    byline or a news lead. Each such open end takes the first following block that starts so and continues its
    last word (a word running across the break, jieba's dictionary), else the first such block right after it;
    that block is moved up behind it. Dumps without blocks (no blank lines, or a blank line after every line)
    come back unchanged."""
    blocks = _blocks(raws)
    if not blocks or statistics.median(len(b) for b in blocks) < MIN_BLOCK_LINES:
        return raws
    order = list(range(len(blocks)))
    k = 0
    while k < len(order):
        block = blocks[order[k]]
        if _open_end(block):
            take = _continuation(blocks, order, k)
            if take is not None:
                order.insert(k + 1, order.pop(take))
        k += 1
    if order == sorted(order):
        return raws
    out: list[str] = []
    for i in order:
        out.extend([*blocks[i], ""])
    return out


def _blocks(raws: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for raw in raws:
        if raw.strip():
            out[-1].append(raw)
        elif out[-1]:
            out.append([])
    return [b for b in out if b]


def _open_end(block: list[str]) -> bool:
    """A body column piece broken off mid-sentence: several lines, the last ending no sentence, at full width."""
    if len(block) < MIN_BLOCK_LINES or ends_sentence(block[-1]):
        return False
    widths = [text_width(x.strip()) for x in block]
    return widths[-1] >= statistics.median(widths) - 1


def _continues(block: list[str]) -> bool:
    """The block opens mid-sentence: a full-width first line that is no lead, byline or headline."""
    if len(block) < 2:
        return False
    first = block[0].strip()
    widths = [text_width(x.strip()) for x in block]
    if widths[0] < statistics.median(widths) - 1 or NEWS_LEAD.match(first) or LEAD.match(first):
        return False
    return parse_byline(first) is None


def _continuation(blocks: list[list[str]], order: list[int], k: int) -> int | None:
    """Position in `order` of the block continuing the open block at position k, if one is found."""
    tail = blocks[order[k]][-1]
    candidates = [j for j in range(k + 1, min(len(order), k + 1 + LOOKAHEAD)) if _continues(blocks[order[j]])]
    for j in candidates:
        if word_across(tail, blocks[order[j]][0]):
            return j
    return candidates[0] if candidates and candidates[0] == k + 1 else None
