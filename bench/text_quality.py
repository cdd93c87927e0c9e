"""Segmentation quality of text dumps on held-out generated layouts, per layout, beside the real page's score.

Two kinds of dumps: the sample's own articles re-laid out as text (`make_dump`, N seeds), and the text of
generated page PDFs (`make_pages` + `dump_from_pdf`, N // 4 two-page days): layouts the sample never had, so the
second figure is the text path on pages it was not written for.

Run: .venv/bin/python bench/text_quality.py [N]
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.checks.evaluate import score_page
from pipeline.segment.text import segment_text
from tests.fixtures.make_dumps import TRUTH, dump_from_pdf, make_dump
from tests.fixtures.make_pages import make_day


def main(n: int) -> None:
    by_layout: dict[str, list[float]] = defaultdict(list)
    for seed in range(10_000, 10_000 + n):
        dump = make_dump(seed)
        layout = segment_text(dump.text)
        by_layout[dump.layout].append(score_page([a.to_json() for a in layout.articles], dump.truth).total)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    real = segment_text((Path(__file__).resolve().parent.parent / truth["source"]).read_text(encoding="utf-8"))
    print(f"real page 2023-05-25 p1: {score_page([a.to_json() for a in real.articles], truth['articles']).total:.3f}")
    for name, scores in sorted(by_layout.items()):
        print(f"{name:12s} n={len(scores):4d} mean={mean(scores):.3f} min={min(scores):.3f}")
    print(f"all          n={n:4d} mean={mean(s for v in by_layout.values() for s in v):.3f}")
    pdf_dumps(n // 4)


def pdf_dumps(days: int) -> None:
    by_style: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(20_000, 20_000 + days):
            for pdf in make_day(seed, Path(tmp) / str(seed)):
                truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
                layout = segment_text(dump_from_pdf(pdf.read_bytes()), page=int(truth["page"]))
                score = score_page([a.to_json() for a in layout.articles], truth["articles"]).total
                by_style[str(truth["style"])].append(score)
    print("text of generated page PDFs (seeds 20000+, headline placement of the page):")
    for name, scores in sorted(by_style.items()):
        print(f"  {name:10s} n={len(scores):4d} mean={mean(scores):.3f} min={min(scores):.3f}")
    print(
        f"  all        n={sum(map(len, by_style.values())):4d} mean={mean(s for v in by_style.values() for s in v):.3f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
