"""Text-dump pages to articles. Pure: a page's extracted text in, a `PageLayout` out.

A PDF text extractor emits a page's text objects in drawing order, not reading order, so a headline group can come
before or after its body, and a story's headline can sit far from it. The rules, in order:

0. Columns: where a geometric extractor (poppler's `pdftotext`) wrote side-by-side columns into one block, as
   lines of each column's line joined by a space at a CJK gutter, or as offset columns' lines alternating in a
   cycle, the block is written column by column, one block each (`columns.py`). Where the extractor keeps the
   page's layout (PyMuPDF's `get_text(sort=True)` writes runs of spaces for the distance before each word), a
   column is told by where its lines start, and each column line is linked to the line that reads on below it.
   Blocks: where the extractor wrote blocks apart by blank lines, a column piece that breaks off mid-sentence is
   followed by the block that takes its sentence up (`blocks.py`).
1. Lines: letter-spaced lines closed up, runs of one-character lines joined, fake-bold doubling undone (a line
   whose every run is doubled, or printed twice, or overlapping its neighbour, is a bold headline line); trailing
   bylines and jump markers split off.
2. Roles: byline lines, headline lines (bold; or short lines with spaced phrases; or lines wedged between a
   paragraph end and a story's start, which body text cannot be), page headers of other papers, editor's notes
   (body), intertitles (a lone headline line inside a running story: body, `intertitles.py`), body lines.
3. Bodies: consecutive body lines, cut at bylines, headline zones and jump markers. A run that has both an opening
   and a closing byline holds two stories; it is cut at the paragraph boundary where the text changes most.
4. Headlines: each zone of headline lines goes to the body it shares most words with (headlines summarise their
   story), with a small bonus for standing next to it. Zone lines sharing nothing with the chosen body, and zones
   matching no body, are fragments.
5. Headline parts: lines broken by a narrow frame are rejoined first; the first plain (non-bold) line is the
   title, with its wrapped rest or a parallel second phrase; the bold line just before it is the kicker (and a
   `…强调` line above the title, whatever its weight); further plain lines under it, other bold lines, and lines
   opening with a dash are the subtitle. A bold couplet (two phrases of one length set apart, 对仗) over the
   first plain line is the title instead, that plain line its subtitle; in a group of one weight a kicker may
   wrap to a second line ending in its verb (`…上强调`); two plain lines over an author's bare name (a theory
   page's commentary) are its kicker and title.
"""

from pipeline.segment.text.page import segment_text

__all__ = ["segment_text"]
