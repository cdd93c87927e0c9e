"""Segmentation quality on pages from the second generator (`tests/fixtures/make_pages2.py`), per construction and
per extractor, on held-out seeds.

Rules were tuned on seeds 0-199 of that generator only; this reads seeds from 50 000 up, which no tuning run saw.
Each page is read five ways: the page PDF (`pipeline.pages.pdf_layout`), and its text dumped by two extractors
and read by the text path (`pipeline.segment.text.segment_text`): PyMuPDF `page.get_text()` (`pymupdf-text`,
stream order: the seed's own, natural or scrambled); PyMuPDF on the same page written frame by frame
(`pymupdf-frames`: each text frame whole, the frames shuffled, as layout programs write them; the `order=` rows
do not apply to it); PyMuPDF `get_text(sort=True)` (`pymupdf-sorted`: blocks by position, so where each line is
a block of its own the lines of side-by-side columns interleave); and poppler's `pdftotext` (Debian
`poppler-utils`; that column is skipped when the program is absent). Pages are grouped by every construction tag
the generator recorded for them (a page counts in each of its tags' rows).

Run: .venv/bin/python bench/constructions.py [PAGES=200] [FIRST_SEED=50000]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.checks.evaluate import score_page
from pipeline.pages import pdf_layout
from pipeline.segment.text import segment_text
from tests.fixtures.make_pages import DEFAULT_DATE
from tests.fixtures.make_pages2 import make_page2

HELD_OUT = 50_000
FLOOR = 0.85  # no page of an unseen construction should score below this


def pymupdf_text(pdf: Path, sort: bool = False) -> str:
    """The page's text as PyMuPDF's plain `get_text()` gives it (`sort`: its blocks sorted top to bottom, left
    to right, as `get_text(sort=True)` does)."""
    with pymupdf.open(pdf) as doc:
        return str(doc[0].get_text(sort=sort))


def pdftotext(pdf: Path) -> str | None:
    """The page's text as poppler's `pdftotext` gives it (UTF-8, its default reading order), or None."""
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def reader_scores(pdf: Path, texts: dict[str, str | None]) -> tuple[dict[str, float], list[str]]:
    """(score by reader, construction tags) of one generated page: the PDF path on `pdf`, and the text path on
    each reader's dump in `texts` (None: the reader is absent), against the truth beside `pdf`."""
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    want, page = truth["articles"], int(truth["page"])
    out = {
        "pdf": score_page(
            [a.to_json() for a in pdf_layout(pdf.read_bytes(), "x", DEFAULT_DATE, page).articles], want
        ).total
    }
    for name, text in texts.items():
        if text is not None:
            out[name] = score_page([a.to_json() for a in segment_text(text, page=page).articles], want).total
    return out, list(truth["constructions"])


def scores_of(pdf: Path, seed: int) -> tuple[dict[str, float], list[str]]:
    """(score by reader, construction tags) of one generated page (`seed`'s, written to `pdf`)."""
    framed = make_page2(seed, pdf.with_name(f"{seed}-frames.pdf"), order="frames")
    return reader_scores(
        pdf,
        {
            "pymupdf-text": pymupdf_text(pdf),
            "pymupdf-frames": pymupdf_text(framed),
            "pymupdf-sorted": pymupdf_text(pdf, sort=True),
            "pdftotext": pdftotext(pdf),
        },
    )


def print_table(rows: dict[str, dict[str, list[float]]], readers: list[str]) -> None:
    """The per-construction table (mean / min per reader, `all` last) and each reader's pages below `FLOOR`."""
    print(f"{'construction':22s} {'pages':>5s} " + " ".join(f"{r + ' mean/min':>22s}" for r in readers))
    for tag in sorted(rows, key=lambda t: (t == "all", t)):
        cells = []
        for r in readers:
            v = rows[tag].get(r)
            cells.append(f"{mean(v):.3f} / {min(v):.3f}".rjust(22) if v else "skipped".rjust(22))
        print(f"{tag:22s} {len(rows[tag]['pdf']):5d} " + " ".join(cells))
    for r in readers:  # the second target: no page below FLOOR
        v = rows["all"].get(r)
        if v:
            print(f"{r}: {sum(x < FLOOR for x in v)} of {len(v)} pages below {FLOOR}")


def main(pages: int, first: int) -> None:
    started = time.perf_counter()
    rows: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(first, first + pages):
            scores, tags = scores_of(make_page2(seed, Path(tmp) / f"{seed}.pdf"), seed)
            for tag in [*tags, "all"]:
                for reader, value in scores.items():
                    rows[tag][reader].append(value)
    print_table(rows, ["pdf", "pymupdf-text", "pymupdf-frames", "pymupdf-sorted", "pdftotext"])
    print(f"seeds {first}..{first + pages - 1} (held out), {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, int(sys.argv[2]) if len(sys.argv) > 2 else HELD_OUT)
