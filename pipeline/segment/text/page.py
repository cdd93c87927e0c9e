"""One page's text dump to a `PageLayout`: lines, roles, bodies, headlines, articles."""

from __future__ import annotations

from pipeline.extract.lines import VERTICAL_FORMS
from pipeline.models import PageLayout
from pipeline.segment.text.blocks import reordered
from pipeline.segment.text.columns import untangled
from pipeline.segment.text.headlines import absorb_strays, keep_body, make_article, match_zones
from pipeline.segment.text.lines import read_lines, unspaced
from pipeline.segment.text.roles import assign_roles
from pipeline.segment.text.stories import group_lines


def segment_text(text: str, page: int | None = None) -> PageLayout:
    """Cut one page's text dump into articles (reading order of their bodies) and loose fragments. The quotes
    and brackets of vertical setting (`﹃﹄`, `︵︶`) are read as the horizontal ones they stand for, as the PDF
    path reads them: an upright title's `﹃不平衡不充分的发展﹄` is the headline `“不平衡不充分的发展”`."""
    text = text.translate(VERTICAL_FORMS)
    lines = assign_roles(read_lines("\n".join(reordered(untangled([unspaced(r) for r in text.splitlines()])))))
    bodies, zones, fragments = group_lines(lines)
    bodies = [b for b in bodies if keep_body(b, fragments)]
    matches = match_zones(zones, bodies, fragments)
    bodies, matches = absorb_strays(bodies, matches)
    articles = tuple(make_article(b, matches.get(i)) for i, b in enumerate(bodies))
    return PageLayout(articles=articles, fragments=tuple(fragments), printed_page=page)
