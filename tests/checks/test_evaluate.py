"""The scorer's paragraph-break count: what the page score leaves out."""

from __future__ import annotations

from pipeline.checks.evaluate import paragraph_breaks, score_page


def _doc(body: str, title: str = "梳理德清模式") -> dict[str, object]:
    return {"title": title, "kicker": None, "subtitle": None, "authors": [], "body": body}


def test_paragraph_breaks_count_found_invented_and_missed() -> None:
    """Breaks are placed in the text with spaces removed, so a break the prediction puts elsewhere counts as one
    invented and one missed; the page score, blind to whitespace, does not see any of it."""
    truth = [_doc("第一段文字。\n第二段 文字。\n第三段文字。")]
    same = [_doc("第一段文字。\n第二段文字。\n第三段文字。")]
    merged = [_doc("第一段文字。第二段文字。\n第三段文字。")]
    moved = [_doc("第一段文\n字。第二段文字。\n第三段文字。")]
    assert paragraph_breaks(same, truth) == (2, 0, 0)
    assert paragraph_breaks(merged, truth) == (1, 0, 1)
    assert paragraph_breaks(moved, truth) == (1, 1, 1)
    assert score_page(merged, truth).total == score_page(same, truth).total == 1.0


def test_unpaired_articles_add_no_breaks() -> None:
    truth = [_doc("第一段文字。\n第二段文字。")]
    other = _doc("完全不同的另一篇稿件内容。\n又一段。", title="增强紧迫感")
    assert paragraph_breaks([other], truth) == (0, 0, 0)
