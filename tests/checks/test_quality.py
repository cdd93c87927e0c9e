"""The daily quality check on a published day: counts, empty bodies, duplicate ids, profile bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.checks.quality import QualityError, check_day
from pipeline.config import Settings
from pipeline.daily import run_day
from tests.conftest import SAMPLE_DATE, rewrite_articles

UTC = dt.UTC
SH = "Asia/Shanghai"


# --- quality ----------------------------------------------------------------------------------------------------


def test_quality_passes_on_the_sample_day(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    report = check_day(settings, SAMPLE_DATE)
    assert report.n_pages_checked == 1 and report.n_articles >= 1


def test_quality_on_a_day_never_published(settings: Settings) -> None:
    with pytest.raises(QualityError, match="no issues, pages, articles partition"):
        check_day(settings, SAMPLE_DATE)


def test_quality_names_empty_bodies_and_duplicate_ids(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    rewrite_articles(settings, {"body": "  \n", "dup": True})
    with pytest.raises(QualityError) as info:
        check_day(settings, SAMPLE_DATE)
    text = info.value.describe()
    assert "date 2023-05-25" in text
    assert "article(s) with an empty body: dqnews-2023-05-25-a-p0001-i0001" in text
    assert "duplicate article_id(s): dqnews-2023-05-25-a-p0001-i0001" in text


def test_quality_enforces_the_profile_bounds(settings: Settings) -> None:
    run_day(settings, SAMPLE_DATE)
    strict = Settings(
        paper=type(settings.paper)(**{**_fields(settings.paper), "max_articles_per_page": 2}),
        source=settings.source,
        lake=settings.lake,
    )
    with pytest.raises(QualityError, match=r"page 1 has \d+ article\(s\), outside 1\.\.2"):
        check_day(strict, SAMPLE_DATE)


def _fields(profile: object) -> dict[str, object]:
    return {name: getattr(profile, name) for name in profile.__slots__}  # type: ignore[attr-defined]
