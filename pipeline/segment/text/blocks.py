"""Column pieces of a dump put back in reading order: a column that breaks off mid-sentence goes on in the piece
that takes up that sentence, wherever the extractor put it."""

from __future__ import annotations

import statistics

from pipeline.segment.bylines import LEAD, parse_byline
from pipeline.segment.normalize import ends_sentence, text_width
from pipeline.segment.text.lines import NEWS_LEAD
from pipeline.segment.words import word_across

# Dumps that set every line apart by a blank line have no blocks to read.
MIN_BLOCK_LINES = 3


def reordered(raws: list[str]) -> list[str]:
    """The dump's lines with column pieces put behind the piece they continue.

    Extractors that read by geometry (poppler's `pdftotext`) write a page as blocks apart by blank lines, often
    one column piece each, and do not always follow a story from one column to the next: another story's block
    can come between, and a dump in drawing order can have its blocks in any order. A story's column that ends
    mid-sentence (its last line ends no sentence, at full width) goes on at the top of its next column, which
    starts mid-sentence at full width (no paragraph indent) and not with a lead or a byline. Each such open end
    takes the block, anywhere on the page, that starts so and takes up its last word (a word running across the
    break, jieba's dictionary; the nearest following one when several do), else the next block if it starts so.
    Chains of blocks are written in the order of their first blocks. Dumps without blocks (no blank lines, or a
    blank line after every line) come back unchanged."""
    blocks = _blocks(raws)
    if len(blocks) < 2 or statistics.median(len(b) for b in blocks) < MIN_BLOCK_LINES:
        return raws
    nxt = _links(blocks)
    if all(j == i + 1 for i, j in nxt.items()):
        return raws
    heads = [i for i in range(len(blocks)) if i not in set(nxt.values())]
    out: list[str] = []
    for i in heads:
        while True:
            out.extend([*blocks[i], ""])
            if i not in nxt:
                break
            i = nxt[i]
    return out


def _links(blocks: list[list[str]]) -> dict[int, int]:
    """Open block -> the block continuing it. Word evidence first, over the whole page (a continuation can come
    anywhere in the dump), then the next block when it continues; a block is taken once and no link closes a
    loop."""
    opens = [i for i, b in enumerate(blocks) if _open_end(b)]
    conts = {j for j, b in enumerate(blocks) if _continues(b)}
    nxt: dict[int, int] = {}
    for strict in (True, False):
        for i in opens:
            if i in nxt:
                continue
            tail = blocks[i][-1]
            free = [j for j in sorted(conts - set(nxt.values())) if j != i and not _reaches(nxt, j, i)]
            if strict:
                found = [j for j in free if word_across(tail, blocks[j][0])]
                pick = min(found, key=lambda j: (j < i, abs(j - i))) if found else None
            else:
                pick = i + 1 if i + 1 in free else None
            if pick is not None:
                nxt[i] = pick
    return nxt


def _reaches(nxt: dict[int, int], start: int, target: int) -> bool:
    """Following links from `start` arrives at `target` (linking target -> start would close a loop)."""
    seen = set()
    while start in nxt and start not in seen:
        seen.add(start)
        start = nxt[start]
        if start == target:
            return True
    return start == target


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
