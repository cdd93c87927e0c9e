"""Positioned text lines of one page to articles, by geometry. Pure: no PDF library here (see `extract.pdf`).

A page is read the way a person reads it:

1. Roles. Body size is the size most characters are set in. Lines at least `HEAD_RATIO` times larger (or a
   little larger and bold: weight from the font or from fake bold) are headline lines; lines clearly smaller,
   photo captions and everything inside a stroked frame (a teaser box) are fragments, never article text.
2. Blocks. Body lines stack into column segments (same column, regular line spacing, nothing in between);
   headline lines stack into headline groups (one title run each, with the kicker above it and the subtitle
   below it).
3. Stories. The page is cut recursively along full-width or full-height white bands (an XY cut) until each part
   holds one anchor: a headline group, or a segment opening with `（上接第N版）`. A cut is only taken when both
   sides make sense on their own: every headline governs some body on its side (the body below it, beside it to
   the right, or above it when it sits under its story) and every body segment is governed by an anchor on its
   side; and it must not separate a column that runs on mid-paragraph from the column that continues it. Among
   the acceptable cuts the widest white band wins, and one carrying a printed rule wins over one that does not.
   When no cut is acceptable (a non-rectangular layout) each segment goes to the anchor that governs it nearest.
4. Articles. Segments in column order, paragraphs by first-line indent, bylines (`pipeline.bylines`) at the start
   or the end, jump markers to `continues_to_page` / `continued_from_page`, and one `Region` per story.
"""

from pipeline.segment.pdf.page import segment_page

__all__ = ["segment_page"]
