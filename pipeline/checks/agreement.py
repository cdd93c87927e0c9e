"""How far a page's articles as segmented from its PDF agree with the same page's articles in the e-paper's HTML.

The HTML is typed in by the paper's own staff, article by article, so it is an independent reading of the page:
where the two disagree, the PDF segmentation (or the HTML) is wrong. The measure:

- each article's text (title and body, whitespace and punctuation dropped) as a multiset of character bigrams;
- each HTML article matched to the PDF article it shares most bigrams with (Dice coefficient), and the reverse;
- agreement = the mean of the two directions, each a length-weighted mean of the best matches.

So an article missing on either side, two articles run together, or one cut in two all lower it; a difference of
line breaks or hyphenation does not. 1.0 means the same articles with the same text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.models import Article

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of `text` with whitespace and punctuation dropped."""
    t = _NOISE.sub("", text)
    return Counter(t[i : i + 2] for i in range(len(t) - 1))


def dice(a: Counter[str], b: Counter[str]) -> float:
    """Dice coefficient of two bigram multisets (0..1; 0 when either is empty)."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def page_agreement(pdf: Sequence[Article], html: Sequence[Article]) -> float:
    """Agreement (0..1) of two readings of one page; 1.0 when both have no article."""
    if not pdf and not html:
        return 1.0
    a = [bigrams(f"{x.title}{x.body}") for x in pdf]
    b = [bigrams(f"{x.title}{x.body}") for x in html]
    return (_cover(a, b) + _cover(b, a)) / 2


def _cover(src: list[Counter[str]], dst: list[Counter[str]]) -> float:
    """Length-weighted mean, over `src`, of each one's best Dice match in `dst`."""
    weights = [sum(x.values()) for x in src]
    if not sum(weights):
        return 1.0 if not dst else 0.0
    best = [max((dice(x, y) for y in dst), default=0.0) for x in src]
    return sum(w * s for w, s in zip(weights, best, strict=True)) / sum(weights)
