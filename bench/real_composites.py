"""Layouts of real pages nobody typeset: each real page with articles taken away, and with one page's article set
into another page's slot, read by the PDF path and scored against the PDF path's reading of the source pages.

The real pages (`../shared/real-pdfs`, 人民日报 page 7) are the few real layouts at hand, and the rules were
written looking at them, so their own score says little about other dates of the same page. Other dates keep the
template (a lead article, a right-hand column, one or two stories at the foot, their slots a little larger or
smaller) and change what stands around each story. This script makes such pages from the real ones:

- `drop1` / `drop2`: one article (or two) removed, text, pictures and rules within its region and the frames and
  pictures that belong to it (touching it and no other article);
- `swap`: article j of page Q set into page P where it stands on Q: P's articles under that slot are removed,
  Q is cut down to the slot (all text, pictures and line art outside it removed) and drawn over P;
- `move`: the same, the article moved (not scaled) into the slot of one of P's articles elsewhere on the page
  that it fits in (a lead story set lower, a column story set at the foot);
- `unruled`: each page without its stroked rules and frames (tinted panels kept), as papers and typesetting
  systems that set no rules, or draw them as pictures, give it.

Each made page is read by the PDF path and, from its PyMuPDF `get_text()` dump, by the text path. The expected
reading of a made page is the PDF path's reading of its sources (P's articles left, plus Q's
article), which scored 1.00 against a reader's mark-up on these pages (`bench/real_pdfs.py --truth`): so the
figure says whether a story reads the same when the layout around it changes, not whether it reads right. A
made page can be unlike any real one (a slot left white, a picture's caption left without its picture); the
score counts it all the same. Skipped (exit 0, one line saying why) when the PDFs are absent.

Run: .venv/bin/python bench/real_composites.py [--pdfs DIR] [-v]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymupdf

from pipeline.checks.evaluate import score_page
from pipeline.extract.pdf import pdf_content
from pipeline.models import Article, Box
from pipeline.pages import pdf_layout
from pipeline.segment.text import segment_text

PDFS = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pdfs"
FLOOR = 0.9
READERS = ("pdf", "pymupdf-text")
TOUCH = 8.0  # points: a frame or picture this near an article's region is the article's, unless it meets another


def _rect(b: Box | pymupdf.Rect, grow: float = 0.0) -> pymupdf.Rect:
    return pymupdf.Rect(b.x0 - grow, b.y0 - grow, b.x1 + grow, b.y1 + grow)


class Source:
    """One real page: its bytes, the PDF path's articles, and the frames and pictures the page draws."""

    def __init__(self, pdf: Path) -> None:
        self.name = pdf.stem
        self.data = pdf.read_bytes()
        self.articles: tuple[Article, ...] = pdf_layout(self.data, "real", None, None).articles
        content = pdf_content(self.data, "real", None, None)
        self.shapes = [_rect(b) for b in [*content.frames, *content.pictures]]

    def slots(self, i: int) -> list[pymupdf.Rect]:
        """Article i's regions, each grown by the frames and pictures touching it that meet no other article."""
        others = [_rect(r) for k, a in enumerate(self.articles) if k != i for r in a.regions]
        out = []
        for r in self.articles[i].regions:
            slot = _rect(r)
            for shape in self.shapes:
                near = _rect(shape, TOUCH).intersects(slot)
                if near and not any((shape & o).get_area() > 4 for o in others):
                    slot |= shape
            out.append(slot)
        return out

    def page(self) -> tuple[pymupdf.Document, pymupdf.Page]:
        doc = pymupdf.open(stream=self.data)
        page = doc[0]
        page.remove_rotation()  # regions are upright (`extract.pdf.upright`)
        return doc, page


def _cleared(page: pymupdf.Page, rects: Iterable[pymupdf.Rect]) -> None:
    """Everything drawn within `rects` removed: text, pictures, and line art touching them."""
    for r in rects:
        page.add_redact_annot(r)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_REMOVE, graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED
    )


def _line_art_removed(page: pymupdf.Page, which: Callable[[dict[str, Any]], bool]) -> None:
    """The page's drawings for which `which` holds removed, text and pictures kept (a redaction per drawing,
    over its own box: one covering several would leave a drawing not wholly under any one of them)."""
    for d in page.get_drawings():
        if which(d):
            page.add_redact_annot(_rect(d["rect"], 1.0))
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_NONE,
        graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
        text=pymupdf.PDF_REDACT_TEXT_NONE,
    )


def _cut_to(page: pymupdf.Page, slot: pymupdf.Rect) -> None:
    """Everything outside `slot` removed: line art not wholly inside it first (a frame round another article
    may reach into the slot), then text and pictures outside it."""
    _line_art_removed(page, lambda d: not _rect(slot, 2.0).contains(_rect(d["rect"], 1.0)))
    w, h = page.rect.width, page.rect.height
    around = [
        pymupdf.Rect(0, 0, w, slot.y0),
        pymupdf.Rect(0, slot.y1, w, h),
        pymupdf.Rect(0, slot.y0, slot.x0, slot.y1),
        pymupdf.Rect(slot.x1, slot.y0, w, slot.y1),
    ]
    for r in around:
        if r.width > 0 and r.height > 0:
            page.add_redact_annot(r)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_REMOVE, graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED
    )


def dropped(src: Source, gone: Sequence[int]) -> tuple[bytes, list[Article]]:
    """`src` without the articles `gone`, and the articles expected on it."""
    doc, page = src.page()
    _cleared(page, [r for i in gone for r in src.slots(i)])
    return doc.tobytes(), [a for k, a in enumerate(src.articles) if k not in gone]


def swapped(host: Source, guest: Source, j: int, at: pymupdf.Point | None = None) -> tuple[bytes, list[Article]] | None:
    """`host` with `guest`'s article j set where it stands on `guest` (or moved, not scaled, so that its slot's
    top left corner is `at`), and the articles expected on it (None: the article has several regions, so no
    one slot)."""
    slots = guest.slots(j)
    if len(slots) != 1:
        return None
    slot = slots[0]
    dx, dy = (at.x - slot.x0, at.y - slot.y0) if at is not None else (0.0, 0.0)
    target = pymupdf.Rect(slot.x0 + dx, slot.y0 + dy, slot.x1 + dx, slot.y1 + dy)
    gone = [i for i in range(len(host.articles)) if any(r.intersects(target) for r in host.slots(i))]
    doc, page = host.page()
    _cleared(page, [*(r for i in gone for r in host.slots(i)), target])
    cut, cut_page = guest.page()
    _cut_to(cut_page, slot)
    page.show_pdf_page(
        pymupdf.Rect(dx, dy, page.rect.x1 + dx, page.rect.y1 + dy), pymupdf.open(stream=cut.tobytes()), 0
    )
    kept = [a for k, a in enumerate(host.articles) if k not in gone]
    return doc.tobytes(), [*kept, guest.articles[j]]


def moves(host: Source, guest: Source) -> Iterable[tuple[int, int, pymupdf.Point]]:
    """(host slot i, guest article j, where j goes) for each guest article whose slot fits in a host article's
    slot standing elsewhere on the page (the same place is `swapped` without `at`)."""
    for i in range(len(host.articles)):
        for j in range(len(guest.articles)):
            hs, gs = host.slots(i), guest.slots(j)
            if len(hs) != 1 or len(gs) != 1:
                continue
            h, g = hs[0], gs[0]
            fits = g.width <= h.width + 2 and g.height <= h.height + 2
            if fits and (abs(g.x0 - h.x0) >= 3 or abs(g.y0 - h.y0) >= 3):
                yield i, j, pymupdf.Point(h.x0, h.y0)


def unruled(src: Source) -> tuple[bytes, list[Article]]:
    """`src` without its stroked line art (rules and frames; tinted panels stay): some typesetting systems and
    papers set none, or draw them as pictures."""
    doc, page = src.page()
    _line_art_removed(page, lambda d: d.get("type") != "f")
    return doc.tobytes(), list(src.articles)


def _scores(data: bytes, want: Sequence[Article]) -> dict[str, float]:
    """The made page read by the PDF path and, from its PyMuPDF `get_text()` dump (stream order: the guest
    article's text comes after the host's, as a layout program writes a frame placed last), by the text path."""
    truth = [a.to_json() for a in want]
    with pymupdf.open(stream=data) as doc:
        dump = str(doc[0].get_text())
    return {
        "pdf": score_page([a.to_json() for a in pdf_layout(data, "real", None, None).articles], truth).total,
        "pymupdf-text": score_page([a.to_json() for a in segment_text(dump).articles], truth).total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=PDFS, help="folder of the real page PDFs")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every made page's score")
    args = parser.parse_args()
    pdfs = sorted(args.pdfs.glob("*.pdf")) if args.pdfs.is_dir() else []
    if not pdfs:
        print(f"skipped: no real PDFs in {args.pdfs}")
        return
    sources = [Source(p) for p in pdfs]
    rows: dict[str, list[tuple[dict[str, float], str]]] = {
        "drop1": [],
        "drop2": [],
        "swap": [],
        "move": [],
        "unruled": [],
    }
    for src in sources:
        rows["unruled"].append((_scores(*unruled(src)), src.name))
        for n in (1, 2):
            for gone in itertools.combinations(range(len(src.articles)), n):
                rows[f"drop{n}"].append((_scores(*dropped(src, gone)), f"{src.name} -{list(gone)}"))
    for host, guest in itertools.permutations(sources, 2):
        for j in range(len(guest.articles)):
            made = swapped(host, guest, j)
            if made is not None:
                rows["swap"].append((_scores(*made), f"{host.name} + {guest.name}#{j}"))
        for i, j, at in moves(host, guest):
            moved = swapped(host, guest, j, at)
            if moved is not None:
                rows["move"].append((_scores(*moved), f"{host.name}[{i}] <- {guest.name}#{j}"))
    for kind, scored in rows.items():
        for reader in READERS:
            if args.verbose:
                for by_reader, name in scored:
                    print(f"  {kind} {reader} {name}: {by_reader[reader]:.3f}")
            figures = sorted((by_reader[reader], name) for by_reader, name in scored)
            values = [s for s, _ in figures]
            worst = ", ".join(f"{name} ({s:.3f})" for s, name in figures[:3])
            print(
                f"{kind} {reader}: pages={len(values)} mean={mean(values):.3f} min={min(values):.3f} "
                f"below {FLOOR}={sum(s < FLOOR for s in values)}; worst: {worst}"
            )
    print("expected readings are the PDF path's own on the source pages: agreement under new layouts, not quality")


if __name__ == "__main__":
    main()
