"""Segmentation quality: predicted articles against a careful reader's mark-up of the same page.

Both sides use the `epaper segment` JSON shape. Articles are paired greedily by body similarity; each pair scores
body 50 %, headline 25 % (kicker, title, subtitle), authors 15 % (set F1), continuation 10 % (both jump fields);
the page score divides the pairs' sum by the larger of the two article counts, so an invented or a missing
article costs a whole article's share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

Doc = Mapping[str, object]
WEIGHTS = {"body": 0.50, "headline": 0.25, "authors": 0.15, "continuation": 0.10}
MIN_PAIR_SIMILARITY = 0.3


@dataclass(frozen=True, slots=True)
class PageScore:
    """Page score in [0, 1] and its parts (each averaged over the larger article count)."""

    total: float
    body: float
    headline: float
    authors: float
    continuation: float
    n_predicted: int
    n_truth: int


def similarity(a: str, b: str) -> float:
    """Character similarity in [0, 1], whitespace ignored; two empty strings are identical."""
    a2, b2 = "".join(a.split()), "".join(b.split())
    if not a2 and not b2:
        return 1.0
    return SequenceMatcher(None, a2, b2, autojunk=False).ratio()


def _text(d: Doc, key: str) -> str:
    value = d.get(key)
    return value if isinstance(value, str) else ""


def _authors(d: Doc) -> set[str]:
    value = d.get("authors")
    return {str(v) for v in value} if isinstance(value, list | tuple) else set()


def article_parts(pred: Doc, truth: Doc) -> dict[str, float]:
    """Per-criterion scores of one predicted article against its true counterpart."""
    heads = [similarity(_text(pred, k), _text(truth, k)) for k in ("kicker", "title", "subtitle")]
    pa, ta = _authors(pred), _authors(truth)
    f1 = 1.0 if not pa and not ta else 2 * len(pa & ta) / (len(pa) + len(ta))
    jumps = [pred.get(k) == truth.get(k) for k in ("continues_to_page", "continued_from_page")]
    return {
        "body": similarity(_text(pred, "body"), _text(truth, "body")),
        "headline": sum(heads) / 3,
        "authors": f1,
        "continuation": sum(jumps) / 2,
    }


def pair_articles(predicted: Sequence[Doc], truth: Sequence[Doc]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing by body similarity (title similarity breaks ties for bodiless items)."""
    scored = []
    for i, p in enumerate(predicted):
        for j, t in enumerate(truth):
            s = similarity(_text(p, "body"), _text(t, "body"))
            s = max(s, 0.5 * similarity(_text(p, "title"), _text(t, "title")) if _text(t, "title") else 0.0)
            if s >= MIN_PAIR_SIMILARITY:
                scored.append((s, i, j))
    pairs, used_p, used_t = [], set(), set()
    for _s, i, j in sorted(scored, reverse=True):
        if i not in used_p and j not in used_t:
            pairs.append((i, j))
            used_p.add(i)
            used_t.add(j)
    return pairs


def _breaks(body: str) -> set[int]:
    """Where the body's paragraphs end, as offsets into its text with whitespace removed (the last end aside)."""
    out, pos = set(), 0
    for para in body.split("\n")[:-1]:
        pos += len("".join(para.split()))
        out.add(pos)
    return out


def paragraph_breaks(predicted: Sequence[Doc], truth: Sequence[Doc]) -> tuple[int, int, int]:
    """(found, invented, missed) paragraph breaks of the paired articles (`pair_articles`). The page score leaves
    paragraphs out (its similarity ignores whitespace); this counts them for the reader who wants clean text."""
    found = invented = missed = 0
    for i, j in pair_articles(predicted, truth):
        got, want = _breaks(_text(predicted[i], "body")), _breaks(_text(truth[j], "body"))
        found, invented, missed = found + len(got & want), invented + len(got - want), missed + len(want - got)
    return found, invented, missed


def score_page(predicted: Sequence[Doc], truth: Sequence[Doc]) -> PageScore:
    """Score a page's predicted articles against the truth (see module doc)."""
    n = max(len(predicted), len(truth))
    if n == 0:
        return PageScore(1.0, 1.0, 1.0, 1.0, 1.0, 0, 0)
    sums = dict.fromkeys(WEIGHTS, 0.0)
    for i, j in pair_articles(predicted, truth):
        for key, value in article_parts(predicted[i], truth[j]).items():
            sums[key] += value
    parts = {k: v / n for k, v in sums.items()}
    total = sum(WEIGHTS[k] * parts[k] for k in WEIGHTS)
    return PageScore(
        total, parts["body"], parts["headline"], parts["authors"], parts["continuation"], len(predicted), len(truth)
    )
