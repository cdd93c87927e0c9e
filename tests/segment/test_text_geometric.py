"""Text dumps written by geometric extractors (line order follows the page's geometry, not the content stream):
poppler's `pdftotext` in its default mode and PyMuPDF's `get_text(sort=True)`. Hand-set small dumps and pages of
`make_pages2` tuning seeds; tests that need `pdftotext` skip when poppler is absent (CI has none)."""

from __future__ import annotations

import itertools
import random
import time

from pipeline.segment.text.columns import _best_picks, _reads_on


def test_best_picks_is_the_best_order_keeping_pick() -> None:
    """The dynamic programme picks what trying every order-keeping pick picks, ties to the leftmost columns."""
    rng = random.Random(1)
    for _ in range(500):
        n = rng.randint(1, 7)
        m = rng.randint(1, n)
        scores = [[float(rng.random() < 0.4) for _ in range(n)] for _ in range(m)]
        want = max(
            itertools.combinations(range(n), m),
            key=lambda p: (sum(scores[k][j] for k, j in enumerate(p)), [-j for j in p]),
        )
        total, picked = _best_picks(scores)
        assert picked == want
        assert total == sum(scores[k][j] for k, j in enumerate(want))


def test_a_line_of_many_columns_is_read_quickly() -> None:
    """PyMuPDF's sort=True can write lines of several baselines as one dump line, tens of column pieces long:
    pairing it with a line of half as many pieces takes no binomial time (C(40, 20) picks)."""
    many = [f"第{k}栏的一行正文内容" for k in range(40)]
    half = many[::2]
    start = time.perf_counter()
    assert _reads_on(many, half) >= 0.0
    assert time.perf_counter() - start < 2.0
