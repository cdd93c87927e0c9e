"""Segmentation quality on pages from the third, blind generator (`tests/fixtures/make_pages3.py`), per
construction and per reader.

The generator was written from how real pages are set (人民日报 page PDFs), without reading the segmenter, to
measure on constructions nobody here designed for. Rules were tuned on its seeds 70 000-70 299 only (brief
columns, bylines in their own size, inset captions, intertitles of continued stories); this reads seeds from
80 000 up, which no tuning run saw. Each page is read four ways: the
page PDF (`pipeline.pages.pdf_layout`), and its text dumped by PyMuPDF `page.get_text()` (`pymupdf-text`: stream
order, which the seed keeps in reading order or shuffles by text object), PyMuPDF `get_text(sort=True)`
(`pymupdf-sorted`) and poppler's `pdftotext` (skipped when the program is absent), each read by the text path
(`pipeline.segment.text.segment_text`). Pages are grouped by every construction tag the generator recorded for
them (a page counts in each of its tags' rows). The PDF path's paragraph breaks, which the score leaves out, are
counted against the truth's (`pipeline.checks.evaluate.paragraph_breaks`).

Run: .venv/bin/python bench/constructions3.py [PAGES=200] [FIRST_SEED=80000]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.constructions import pdftotext, print_table, pymupdf_text, reader_scores
from pipeline.checks.evaluate import paragraph_breaks
from pipeline.pages import pdf_layout
from tests.fixtures.make_pages import DEFAULT_DATE
from tests.fixtures.make_pages3 import make_page3

HELD_OUT = 80_000  # seeds 70 000-70 299 were looked at while writing rules
READERS = ("pdf", "pymupdf-text", "pymupdf-sorted", "pdftotext")


def scores_of(pdf: Path) -> tuple[dict[str, float], list[str]]:
    """(score by reader, construction tags) of one generated page."""
    texts = {
        "pymupdf-text": pymupdf_text(pdf),
        "pymupdf-sorted": pymupdf_text(pdf, sort=True),
        "pdftotext": pdftotext(pdf),
    }
    return reader_scores(pdf, texts)


def breaks_of(pdf: Path) -> tuple[int, int, int]:
    """(found, invented, missed) paragraph breaks of the PDF path's articles on one generated page."""
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    got = [a.to_json() for a in pdf_layout(pdf.read_bytes(), "x", DEFAULT_DATE, int(truth["page"])).articles]
    return paragraph_breaks(got, truth["articles"])


def main(pages: int, first: int, worst: int = 5) -> None:
    started = time.perf_counter()
    rows: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    by_seed: list[tuple[float, int]] = []
    breaks = [0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(first, first + pages):
            pdf = make_page3(seed, Path(tmp) / f"{seed}.pdf")
            scores, tags = scores_of(pdf)
            breaks = [a + b for a, b in zip(breaks, breaks_of(pdf), strict=True)]
            by_seed.append((scores["pdf"], seed))
            for tag in [*tags, "all"]:
                for reader, value in scores.items():
                    rows[tag][reader].append(value)
    print_table(rows, list(READERS))
    held_out = ", held out" if first >= HELD_OUT else ", includes tuning seeds"
    found, invented, missed = breaks
    print(
        f"pdf paragraph breaks (not in the score): precision {found / max(1, found + invented):.3f}, "
        f"recall {found / max(1, found + missed):.3f}"
    )
    print("worst pdf pages: " + ", ".join(f"{seed} ({s:.3f})" for s, seed in sorted(by_seed)[:worst]))
    print(f"seeds {first}..{first + pages - 1} (third generator{held_out}), {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 200, int(args[1]) if len(args) > 1 else HELD_OUT)
