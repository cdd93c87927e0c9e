"""Bad page PDFs: each gives a clear `PageError` (or a `needs_ocr` flag) naming paper, date, page and reason; one
bad page does not lose the day; and a bounded fuzz of mutated page files neither crashes nor hangs."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
import re
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import resolve_settings
from pipeline.daily import run_day
from pipeline.errors import IncompleteDayError, PageError
from pipeline.lake.store import open_store
from pipeline.lake.tables import raw_key, read_day
from pipeline.pages import pdf_layout
from tests.fixtures import make_pages as fx

DAY = dt.date(2023, 5, 25)
FUZZ_SECONDS = 15.0  # the whole fuzz run
CASE_SECONDS = 10.0  # one mutated file; longer is a hang


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return fx.make_day(3, tmp_path_factory.mktemp("good"))[0].read_bytes()


def reason_of(data: bytes, day: dt.date = DAY, page: int = 1) -> str:
    with pytest.raises(PageError) as info:
        pdf_layout(data, "dqnews", day, page)
    message = info.value.describe()
    assert message.startswith(f"paper dqnews, date {day.isoformat()}, page {page}: ")
    return info.value.reason


CASES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "empty": (lambda g: b"", "empty file"),
    "not a pdf": (lambda g: "德清新闻".encode() * 50, "not a PDF"),
    "truncated": (lambda g: g[: len(g) // 2], "truncated PDF"),
    "truncated, end marker kept": (lambda g: g[: len(g) // 2] + b"\n%%EOF\n", "damaged PDF"),
    "corrupt middle": (lambda g: g[:300] + random.Random(1).randbytes(2000) + g[2300:], "damaged PDF"),
    "encrypted": (fx.encrypted_page, "encrypted PDF"),
    "zero pages": (lambda g: fx.zero_page_pdf(), "no pages"),
    "200 pages as one": (fx.many_pages, "200 pages"),
    "fonts without unicode": (fx.unmapped_fonts, "needs_ocr: text of the page is unreadable"),
    "scan": (lambda g: fx.scanned_page(), "needs_ocr: no text layer"),
    # Found by the fuzz test: MuPDF opens the file but raises on `page_count`.
    "page count negative": (lambda g: _with_count(g, b"-1"), "damaged PDF: RuntimeError"),
}


def _with_count(good: bytes, count: bytes) -> bytes:
    import pymupdf

    plain = pymupdf.open(stream=good, filetype="pdf").tobytes(expand=255)  # uncompressed, so /Count is visible
    return re.sub(rb"/Count \d+", b"/Count " + count, plain, count=1)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_pdf_gives_a_clear_reason(good: bytes, case: str) -> None:
    make, expected = CASES[case]
    assert expected in reason_of(make(good))


def test_printed_date_or_page_disagreeing_is_an_error(good: bytes) -> None:
    assert "printed date 2023-05-25 does not match the issue date 2023-05-24" in reason_of(good, DAY.replace(day=24))
    assert "page header says 第1版, but this is page 3" in reason_of(good, page=3)


def test_bad_pages_do_not_lose_the_day(tmp_path: Path, good: bytes) -> None:
    """Page 2 truncated and page 3 a scan: page 1 is archived, both bad pages' bytes are kept and flagged in
    `pages`, and the run says the day is incomplete (the CLI exits non-zero)."""
    folder = tmp_path / "source" / "dqnews" / DAY.isoformat()
    fx.make_day(11, folder, n_pages=1)
    (folder / "02.pdf").write_bytes(good[: len(good) // 2])
    (folder / "03.pdf").write_bytes(fx.scanned_page())
    settings = resolve_settings(source=str(tmp_path / "source"), lake=str(tmp_path / "lake"), env={})
    with pytest.raises(IncompleteDayError) as info:
        run_day(settings, DAY)
    assert "page 2: truncated PDF" in info.value.describe() and "page 3: needs_ocr" in info.value.describe()
    store = open_store(settings.lake)
    pages = {r["page"]: r for r in read_day(store, "pages", "dqnews", DAY).to_pylist()}  # type: ignore[union-attr]
    assert (pages[1]["status"], pages[2]["status"], pages[3]["status"]) == ("ok", "failed", "needs_ocr")
    assert "truncated PDF" in pages[2]["error"] and pages[1]["page_name"] == "要闻"
    assert store.read_bytes(raw_key("dqnews", DAY, 3, "pdf")) == fx.scanned_page()
    articles = read_day(store, "articles", "dqnews", DAY)
    assert articles is not None and articles.num_rows >= 3 and set(articles.column("page").to_pylist()) == {1}
    result = CliRunner().invoke(
        app, ["run", "--date", DAY.isoformat(), "--source", str(tmp_path / "source"), "--lake", settings.lake]
    )
    assert result.exit_code == 1 and "page 3: needs_ocr" in result.output


# --- fuzz -----------------------------------------------------------------------------------------------------


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One random corruption: flipped bytes, a cut, a deleted or repeated chunk, inserted junk, or a number in
    the file's syntax changed (lengths, offsets, counts: the parts a parser trusts)."""
    b = bytearray(data)
    kind = rng.randrange(6)
    if kind == 0:
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:
        b = b[: rng.randrange(1, len(b))] + (b"\n%%EOF\n" if rng.random() < 0.5 else b"")
    elif kind == 2:
        i = rng.randrange(len(b))
        del b[i : i + rng.randint(1, 500)]
    elif kind == 3:
        i = rng.randrange(len(b))
        b[i:i] = b[i : i + rng.randint(1, 2000)]
    elif kind == 4:
        b[rng.randrange(len(b)) : 0] = rng.randbytes(rng.randint(1, 300))
    else:
        digits = [i for i in range(len(b)) if 48 <= b[i] <= 57]
        for i in rng.sample(digits, min(len(digits), rng.randint(1, 8))):
            b[i] = rng.choice(b"0123456789")
    return bytes(b)


def fuzz_worker(conn: Connection, bases: list[bytes], seconds: float, seed: int) -> None:
    """Run mutated files through `pdf_layout` until time is up, telling the parent before and after each one.
    Anything but a `PageError` is reported as a crash."""
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        data = mutate(rng, rng.choice(bases))
        conn.send(("start", n))
        try:
            pdf_layout(data, "dqnews", DAY, 1)
        except PageError:
            pass
        except Exception as exc:  # the point of the fuzz: nothing else may escape
            conn.send(("crash", n, f"{type(exc).__name__}: {exc}", data[:64]))
        n += 1
    conn.send(("end", n))


def test_fuzzed_pdfs_never_crash_or_hang(good: bytes) -> None:
    """Mutations of a compressed page, an uncompressed one (so content operators get hit) and a few bad files
    for `FUZZ_SECONDS`, in a child process so a hang can be detected and stopped."""
    import pymupdf

    plain = pymupdf.open(stream=good, filetype="pdf").tobytes(expand=255)
    bases = [good, plain, fx.scanned_page(), fx.unmapped_fonts(good)]
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=fuzz_worker, args=(child, bases, FUZZ_SECONDS, 20230525), daemon=True)
    proc.start()
    crashes, done = [], 0
    try:
        while True:
            if not parent.poll(CASE_SECONDS + 30.0 if done == 0 else CASE_SECONDS):
                pytest.fail(f"fuzz case {done} did not finish within {CASE_SECONDS} s (hang)")
            msg = parent.recv()
            if msg[0] == "crash":
                crashes.append(msg[1:])
            elif msg[0] == "end":
                done = msg[1]
                break
            elif msg[0] == "start":
                done = msg[1]
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
    assert not crashes, crashes[:3]
    assert done > 50  # the budget ran a meaningful number of cases
