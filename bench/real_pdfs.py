"""Segmentation quality on real publisher page PDFs against a reader's mark-up kept outside the project, and the
full path's speed on them beside raw PyMuPDF `get_text("dict")` (each page read both ways, back to back), and the
text path's quality on the same pages dumped by PyMuPDF `get_text()` and poppler's `pdftotext` (skipped without it).

The real pages (`../shared/real-pdfs`, 人民日报 page 7) are copyrighted, so neither they nor their mark-up are in
the repository: the mark-up is a folder of `<page file stem>.json` files (`{"page": N, "articles": [...]}` in the
`epaper segment` shape), given with `--truth DIR`. Without a mark-up, the text dumps are scored against the PDF
path's own reading of each page instead (agreement of the two paths, labelled so: not a quality figure, but the
text path's losses show where the PDF path reads the page right). Skipped (exit 0, one line saying why) when the
PDFs are absent.

Run: .venv/bin/python bench/real_pdfs.py [--truth DIR] [--pdfs DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymupdf

from bench.constructions import pdftotext, pymupdf_text
from pipeline.checks.evaluate import score_page
from pipeline.pages import pdf_layout
from pipeline.segment.text import segment_text

PDFS = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pdfs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, help="folder of <stem>.json mark-up files (else: the PDF path's reading)")
    parser.add_argument("--pdfs", type=Path, default=PDFS, help="folder of the real page PDFs")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each predicted article")
    args = parser.parse_args()
    pdfs = sorted(args.pdfs.glob("*.pdf")) if args.pdfs.is_dir() else []
    if args.truth is None:
        if not pdfs:
            print(f"skipped: no real PDFs in {args.pdfs}")
            return
        agreement(pdfs)
        return
    pairs = [(p, args.truth / f"{p.stem}.json") for p in pdfs]
    pairs = [(p, t) for p, t in pairs if t.is_file()]
    if not pairs:
        print(f"skipped: no real PDFs with a mark-up ({args.pdfs}, {args.truth})")
        return
    scores = []
    text_scores: dict[str, list[float]] = {"pymupdf-text": [], "pdftotext": []}
    started = time.perf_counter()
    raw_s = full_s = 0.0
    for pdf, truth_file in pairs:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        with pymupdf.open(pdf) as doc:
            doc[0].get_text("dict")
        t1 = time.perf_counter()
        layout = pdf_layout(pdf.read_bytes(), "real", None, int(truth["page"]))
        t2 = time.perf_counter()
        raw_s, full_s = raw_s + t1 - t0, full_s + t2 - t1
        predicted = [a.to_json() for a in layout.articles]
        s = score_page(predicted, truth["articles"])
        scores.append(s.total)
        print(
            f"{pdf.stem}: {s.total:.3f} (body {s.body:.3f} head {s.headline:.3f} authors {s.authors:.3f}; "
            f"articles {s.n_predicted} predicted / {s.n_truth} marked)"
        )
        for name, text in (("pymupdf-text", pymupdf_text(pdf)), ("pdftotext", pdftotext(pdf))):
            if text is not None:
                dumped = [a.to_json() for a in segment_text(text, page=int(truth["page"])).articles]
                text_scores[name].append(score_page(dumped, truth["articles"]).total)
        if args.verbose:
            for a in predicted:
                print(f"    {a['kicker']!r} | {a['title']!r} | {a['subtitle']!r} {a['authors']} {len(str(a['body']))}")
    print(
        f"real publisher PDFs: pages={len(scores)} mean={mean(scores):.3f} min={min(scores):.3f} "
        f"({time.perf_counter() - started:.1f} s); speed: full path {raw_s / full_s:.2f} x raw get_text('dict')"
    )
    for name, figures in text_scores.items():
        if figures:
            print(f"text dumps of them, {name}: mean={mean(figures):.3f} min={min(figures):.3f}")


def agreement(pdfs: list[Path]) -> None:
    """Each page's text dumps read by the text path, scored against the PDF path's reading of the page."""
    rows: dict[str, list[float]] = {"pymupdf-text": [], "pymupdf-sorted": [], "pdftotext": []}
    for pdf in pdfs:
        reference = [a.to_json() for a in pdf_layout(pdf.read_bytes(), "real", None, None).articles]
        texts = {
            "pymupdf-text": pymupdf_text(pdf),
            "pymupdf-sorted": pymupdf_text(pdf, sort=True),
            "pdftotext": pdftotext(pdf),
        }
        line = []
        for name, text in texts.items():
            if text is not None:
                dumped = [a.to_json() for a in segment_text(text).articles]
                rows[name].append(score_page(dumped, reference).total)
                line.append(f"{name} {rows[name][-1]:.3f}")
        print(f"{pdf.stem}: {len(reference)} articles read from the PDF; text path agrees: {', '.join(line)}")
    print("no mark-up given: figures are the text path's agreement with the PDF path's reading, not quality")
    for name, figures in rows.items():
        if figures:
            print(f"text dumps, {name}: pages={len(figures)} mean={mean(figures):.3f} min={min(figures):.3f}")


if __name__ == "__main__":
    main()
