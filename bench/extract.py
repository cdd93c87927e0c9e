"""PDF extraction + segmentation throughput against raw PyMuPDF on the same files, with memory.

Generates DAYS two-page days (not timed) into a temporary folder, then reads every page both ways, back to back
(two passes over all pages):

- raw: `pymupdf.open(path)` and `page.get_text("dict")`, nothing else: the practical ceiling of any PDF path;
- full: the file's bytes through `pipeline.pages.pdf_layout` (vetting, fake-bold removal, graphics,
  header, text-layer checks, segmentation into articles).

Pages are streamed: each page's result is dropped before the next is read, so resident memory should stay flat;
it is sampled at each third of the run, and the process's peak is printed too. Target: full ≥ 0.5 × raw.

Run: .venv/bin/python bench/extract.py [DAYS=150]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.pages import pdf_layout
from tests.fixtures.make_pages import DEFAULT_DATE, make_day


def rss_mib() -> float:
    """Current resident set size of this process."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def raw(path: Path, page: int) -> int:
    doc = pymupdf.open(path)
    n = len(doc[0].get_text("dict")["blocks"])
    doc.close()
    return n


def full(path: Path, page: int) -> int:
    return len(pdf_layout(path.read_bytes(), "dqnews", DEFAULT_DATE, page).articles)


def run(pdfs: list[tuple[Path, int]], passes: int = 2) -> tuple[float, float, list[float]]:
    """(raw seconds, full seconds, RSS after each third of the last pass). Each page is read raw and then in
    full, back to back, so both see the same caches and the same machine load."""
    marks = {len(pdfs) * k // 3 for k in (1, 2, 3)}
    raw_s = full_s = 0.0
    samples: list[float] = []
    for _ in range(passes):
        samples = []
        for i, (path, page) in enumerate(pdfs, start=1):
            t0 = time.perf_counter()
            raw(path, page)
            t1 = time.perf_counter()
            full(path, page)
            t2 = time.perf_counter()
            raw_s, full_s = raw_s + t1 - t0, full_s + t2 - t1
            if i in marks:
                samples.append(rss_mib())
    return raw_s, full_s, samples


def main(days: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = [(p, i) for seed in range(days) for i, p in enumerate(make_day(seed, Path(tmp) / str(seed)), 1)]
        full(*pdfs[0])  # warm up imports and caches outside the timing
        raw_s, full_s, rss = run(pdfs)
    n = 2 * len(pdfs)
    raw_rate, full_rate = n / raw_s, n / full_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"pages={len(pdfs)} (x2 passes) raw get_text('dict'): {raw_rate:.0f} pages/s | full extract+segment: "
        f"{full_rate:.0f} pages/s ({full_rate / raw_rate:.2f} x raw) | RSS after 1/3, 2/3, all pages: "
        f"{', '.join(f'{r:.0f}' for r in rss)} MiB | peak RSS {peak:.0f} MiB | pages streamed one at a time"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
