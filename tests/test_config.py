"""Settings resolve as flag, then environment, then default; paper profiles are configuration."""

from __future__ import annotations

import pytest

from pipeline.config import bundled_sample_root, load_profile, resolve_settings


def test_defaults() -> None:
    s = resolve_settings(env={})
    assert s.paper.paper_id == "dqnews" and s.paper.name == "德清新闻"
    assert s.source == str(bundled_sample_root())
    assert s.lake == "./lake"


def test_environment_beats_default_and_flag_beats_environment() -> None:
    env = {"EPAPER_LAKE": "/env/lake", "EPAPER_SOURCE": "/env/source"}
    assert resolve_settings(env=env).lake == "/env/lake"
    assert resolve_settings(env=env).source == "/env/source"
    assert resolve_settings(lake="/flag/lake", source="/flag/src", env=env).lake == "/flag/lake"
    assert resolve_settings(lake="/flag/lake", source="/flag/src", env=env).source == "/flag/src"


def test_unknown_paper_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="dqnews"):
        load_profile("nosuchpaper")


def test_profile_facts() -> None:
    profile = load_profile("dqnews")
    assert profile.timezone == "Asia/Shanghai"
    assert profile.min_articles_per_page <= profile.max_articles_per_page
