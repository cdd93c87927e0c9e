"""The day's steps as the DAG runs them (`pipeline.staging`), without Airflow: they write exactly what the
in-process `run_day` writes, each step can be retried, and a failed page is flagged instead of losing the day."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from pipeline.config import Settings, resolve_settings
from pipeline.daily import list_pages, run_day
from pipeline.errors import IncompleteDayError, PageError
from pipeline.lake.store import open_store
from pipeline.lake.tables import read_day
from pipeline.staging import (
    load_outcomes,
    publish_staged,
    stage_fetch,
    stage_missing,
    stage_segment,
    stage_start,
    stage_stitch,
)
from tests.conftest import lake_state, snapshot
from tests.fixtures.make_pages import DEFAULT_DATE, make_day, write_html

DAY = DEFAULT_DATE


@pytest.fixture
def pdf_day(tmp_path: Path) -> Path:
    """Two generated page PDFs (page 1 jumps a story to page 2) with their HTML, as a source folder."""
    for pdf in make_day(11, tmp_path / "src" / "dqnews" / DAY.isoformat()):
        write_html(pdf)
    return tmp_path / "src"


def _settings(source: Path, lake: Path) -> Settings:
    return resolve_settings(source=str(source), lake=str(lake))


def _staged_run(settings: Settings) -> dict[str, object]:
    refs = list_pages(settings, DAY)
    stage_start(settings, DAY)
    for ref in refs:
        stage_fetch(settings, ref)
        stage_fetch(settings, ref)  # a retried fetch overwrites its own output
        stage_segment(settings, ref)
    stage_missing(settings, refs, "page task failed")
    stitched = stage_stitch(settings, DAY)
    publish_staged(settings, DAY)
    return stitched


def test_staged_steps_write_what_run_day_writes(pdf_day: Path, tmp_path: Path) -> None:
    direct = _settings(pdf_day, tmp_path / "direct")
    run_day(direct, DAY)
    staged = _settings(pdf_day, tmp_path / "staged")
    stitched = _staged_run(staged)
    assert stitched["n_pages"] == 2 and stitched["n_pages_failed"] == 0
    assert stitched["n_stitched"] >= 1  # the story page 1 jumps to page 2 is one row
    assert lake_state(tmp_path / "staged") == lake_state(tmp_path / "direct")  # same rows, same raw bytes
    assert not (tmp_path / "staged" / "_staging").exists()
    assert not (tmp_path / "staged" / "_staging").exists()  # not even empty folders
    pages = read_day(open_store(staged.lake), "pages", "dqnews", DAY)
    assert pages is not None and all(r["html_agreement"] >= 0.9 for r in pages.to_pylist())


def test_xcom_values_are_small_and_carry_no_text(pdf_day: Path, tmp_path: Path) -> None:
    settings = _settings(pdf_day, tmp_path / "lake")
    ref = list_pages(settings, DAY)[0]
    values = [stage_fetch(settings, ref), stage_segment(settings, ref), stage_stitch(settings, DAY)]
    for value in values:
        encoded = json.dumps(value, ensure_ascii=False)
        assert len(encoded) < 200 and not any("\u4e00" <= ch <= "\u9fff" for ch in encoded), encoded


def test_a_page_that_does_not_segment_is_staged_failed_and_the_rest_published(pdf_day: Path, tmp_path: Path) -> None:
    page2 = pdf_day / "dqnews" / DAY.isoformat() / "02.pdf"
    page2.write_bytes(page2.read_bytes()[: len(page2.read_bytes()) // 2])  # a truncated download
    settings = _settings(pdf_day, tmp_path / "lake")
    refs = list_pages(settings, DAY)
    stage_fetch(settings, refs[0])
    stage_segment(settings, refs[0])
    stage_fetch(settings, refs[1])
    with pytest.raises(PageError, match="page 2: failed: truncated PDF"):
        stage_segment(settings, refs[1])
    assert [o.status for o in load_outcomes(open_store(settings.lake), "dqnews", DAY)] == ["ok", "failed"]
    stage_stitch(settings, DAY)
    with pytest.raises(IncompleteDayError):
        publish_staged(settings, DAY)
    pages = read_day(open_store(settings.lake), "pages", "dqnews", DAY)
    assert pages is not None
    assert [(r["page"], r["status"], r["raw_key"] is not None) for r in pages.to_pylist()] == [
        (1, "ok", True),
        (2, "failed", True),  # its bytes are kept for a look and a re-run
    ]


def test_a_page_whose_tasks_never_ran_is_flagged_not_silently_dropped(pdf_day: Path, tmp_path: Path) -> None:
    settings = _settings(pdf_day, tmp_path / "lake")
    refs = list_pages(settings, DAY)
    stage_fetch(settings, refs[0])
    stage_segment(settings, refs[0])
    assert stage_missing(settings, refs, "page task failed") == [2]
    assert stage_missing(settings, refs, "page task failed") == []  # idempotent
    stage_stitch(settings, DAY)
    with pytest.raises(IncompleteDayError, match="page 2: page task failed"):
        publish_staged(settings, DAY)


def test_a_new_run_clears_what_an_unfinished_one_staged(pdf_day: Path, tmp_path: Path) -> None:
    settings = _settings(pdf_day, tmp_path / "lake")
    ghost = list_pages(settings, DAY)[1]
    stage_fetch(settings, ghost)
    stage_segment(settings, ghost)
    (pdf_day / "dqnews" / DAY.isoformat() / "02.pdf").unlink()  # the page is gone from the source since
    (pdf_day / "dqnews" / DAY.isoformat() / "02.html").unlink()
    assert stage_start(settings, DAY) == 3  # bytes, HTML, outcome
    refs = list_pages(settings, DAY)
    for ref in refs:
        stage_fetch(settings, ref)
        stage_segment(settings, ref)
    stage_stitch(settings, DAY)
    summary = publish_staged(settings, DAY)
    assert summary.n_pages == 1 and summary.complete


def test_a_publish_retried_after_its_clean_up_was_cut_short_does_not_republish(
    pdf_day: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clean-up after a complete publish fails half-way (an S3 hiccup); the retry finishes it and leaves
    the published day exactly as it was, never publishing from the half-cleared folder."""
    from pipeline.lake.store import Store, StoreError

    settings = _settings(pdf_day, tmp_path / "lake")
    for ref in list_pages(settings, DAY):
        stage_fetch(settings, ref, "run-1")
        stage_segment(settings, ref, "run-1")
    stage_stitch(settings, DAY, "run-1")
    real_delete, calls = Store.delete, {"n": 0}

    def flaky_delete(self: Store, key: str) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise StoreError("S3 DELETE timed out", retryable=True)
        real_delete(self, key)

    monkeypatch.setattr(Store, "delete", flaky_delete)
    with pytest.raises(StoreError):
        publish_staged(settings, DAY, "run-1")
    published = {k: v for k, v in snapshot(tmp_path / "lake").items() if not k.startswith("_staging")}
    monkeypatch.setattr(Store, "delete", real_delete)
    summary = publish_staged(settings, DAY, "run-1")
    assert summary.n_pages == 2 and summary.complete
    assert snapshot(tmp_path / "lake") == published  # same day, staging gone
    assert not (tmp_path / "lake" / "_staging").exists()


def test_an_incomplete_day_keeps_its_staging_so_rerunning_the_failed_page_completes_it(
    pdf_day: Path, tmp_path: Path
) -> None:
    """What an operator does in Airflow: clear the failed page's tasks (and downstream) after a fix. The other
    pages' outcomes are still staged, so the whole day is published, complete."""
    page2 = pdf_day / "dqnews" / DAY.isoformat() / "02.pdf"
    good = page2.read_bytes()
    page2.write_bytes(good[: len(good) // 2])
    settings = _settings(pdf_day, tmp_path / "lake")
    refs = list_pages(settings, DAY)
    for ref in refs:
        stage_fetch(settings, ref, "run-1")
        with contextlib.suppress(PageError):  # page 2 fails, as it should
            stage_segment(settings, ref, "run-1")
    stage_stitch(settings, DAY, "run-1")
    with pytest.raises(IncompleteDayError):
        publish_staged(settings, DAY, "run-1")
    page2.write_bytes(good)  # the fix
    stage_fetch(settings, refs[1], "run-1")
    stage_segment(settings, refs[1], "run-1")
    stage_missing(settings, refs, "page task failed", "run-1")
    stage_stitch(settings, DAY, "run-1")
    summary = publish_staged(settings, DAY, "run-1")
    assert summary.complete and summary.n_pages == 2
    direct = _settings(pdf_day, tmp_path / "direct")
    run_day(direct, DAY)
    assert lake_state(tmp_path / "lake") == lake_state(tmp_path / "direct")


def test_two_runs_of_one_date_keep_their_pages_apart(pdf_day: Path, tmp_path: Path) -> None:
    settings = _settings(pdf_day, tmp_path / "lake")
    refs = list_pages(settings, DAY)
    for ref in refs:
        stage_fetch(settings, ref, "scheduled__1")
        stage_segment(settings, ref, "scheduled__1")
    assert stage_start(settings, DAY, "manual__2") == 0  # the other run's pages are not touched
    stage_fetch(settings, refs[0], "manual__2")
    stage_segment(settings, refs[0], "manual__2")
    store = open_store(settings.lake)
    assert len(load_outcomes(store, "dqnews", DAY, "scheduled__1")) == 2
    assert len(load_outcomes(store, "dqnews", DAY, "manual__2")) == 1


def test_a_reader_bug_flags_the_page_and_a_flaky_companion_is_only_skipped(
    pdf_day: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error while reading one page fails that page by name, not the day; a transient error on
    the HTML companion leaves the page without its cross-check, not failed."""
    import pipeline.daily
    from pipeline.errors import TransientError
    from pipeline.sources.local import LocalFolderSource

    real_layout, real_fetch = pipeline.daily.page_layout, LocalFolderSource.fetch

    def buggy_layout(data: bytes, kind: str, paper: str, day: object, page: int | None) -> object:
        if page == 2 and kind == "pdf":
            raise IndexError("list index out of range")
        return real_layout(data, kind, paper, day, page)  # type: ignore[arg-type]

    def flaky_fetch(self: LocalFolderSource, ref: object) -> object:
        if getattr(ref, "kind", "") == "html":
            raise TransientError("dqnews", DAY, 1, "HTTP 503")
        return real_fetch(self, ref)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.daily, "page_layout", buggy_layout)
    monkeypatch.setattr(LocalFolderSource, "fetch", flaky_fetch)
    settings = _settings(pdf_day, tmp_path / "lake")
    with pytest.raises(IncompleteDayError, match="page 2: unexpected IndexError: list index out of range"):
        run_day(settings, DAY)
    pages = read_day(open_store(settings.lake), "pages", "dqnews", DAY)
    assert pages is not None
    rows = {r["page"]: r for r in pages.to_pylist()}
    assert rows[1]["status"] == "ok" and rows[1]["html_agreement"] is None
    assert rows[2]["status"] == "failed"
