"""Segmentation quality of text dumps on held-out generated layouts, per layout, beside the real page's score.

Run: .venv/bin/python bench/text_quality.py [N]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.evaluate import score_page
from pipeline.segment import segment_text
from tests.fixtures.make_dumps import TRUTH, make_dump


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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
