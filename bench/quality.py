"""Segmentation quality of page PDFs on held-out generated days, per layout, beside the hand-checked real page.

The layout code was tuned on seeds 0-399 only; this reads seeds from 10 000 up (two pages a day), which it has not
seen. Scores are `pipeline.checks.evaluate.score_page` (body 50 %, headline 25 %, authors 15 %, continuation 10 %, extra
or missing articles cost a whole article's share). Pages are grouped by the generator's headline style (all above,
all beside, all below, mixed) and by column count.

Run: .venv/bin/python bench/quality.py [DAYS=150] [FIRST_SEED=10000]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.checks.evaluate import PageScore, score_page
from pipeline.pages import pdf_layout
from tests.fixtures.make_pages import DEFAULT_DATE, make_day, make_real_page

HELD_OUT = 10_000


def score_pdf(pdf: Path) -> tuple[PageScore, dict[str, object]]:
    """Score one generated page against the truth written next to it."""
    truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    layout = pdf_layout(pdf.read_bytes(), "dqnews", DEFAULT_DATE, int(truth["page"]))
    return score_page([a.to_json() for a in layout.articles], truth["articles"]), truth


def held_out_scores(days: int, first: int, folder: Path) -> list[tuple[PageScore, dict[str, object]]]:
    out = []
    for seed in range(first, first + days):
        for pdf in make_day(seed, folder / str(seed)):
            out.append(score_pdf(pdf))
    return out


def report(scores: list[tuple[PageScore, dict[str, object]]]) -> list[str]:
    """One line per group: pages, mean total and its parts, worst page."""
    groups: dict[str, list[PageScore]] = defaultdict(list)
    for s, truth in scores:
        groups[f"style={truth['style']}"].append(s)
        groups[f"columns={truth['columns']}"].append(s)
        groups["all"].append(s)
    lines = []
    for name in sorted(groups, key=lambda g: (g == "all", g)):
        g = groups[name]
        lines.append(
            f"{name:11s} pages={len(g):4d} mean={mean(x.total for x in g):.4f} "
            f"body={mean(x.body for x in g):.3f} head={mean(x.headline for x in g):.3f} "
            f"authors={mean(x.authors for x in g):.3f} jumps={mean(x.continuation for x in g):.3f} "
            f"min={min(x.total for x in g):.3f}"
        )
    return lines


def main(days: int, first: int) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        real, _ = score_pdf(make_real_page(Path(tmp) / "real"))
        print(f"real page 2023-05-25 p1 (hand-checked layout): {real.total:.4f}")
        scores = held_out_scores(days, first, Path(tmp))
    for line in report(scores):
        print(line)
    print(f"seeds {first}..{first + days - 1}, {len(scores)} pages, {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150, int(sys.argv[2]) if len(sys.argv) > 2 else HELD_OUT)
