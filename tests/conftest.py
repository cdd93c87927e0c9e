"""Shared fixtures: the bundled sample as a source, fresh lakes, a CLI runner."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.config import Settings, bundled_sample_root, resolve_settings

SAMPLE_DATE = dt.date(2023, 5, 25)
SAMPLE_PAGE = bundled_sample_root() / "dqnews" / "2023-05-25" / "01.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fresh_lake(tmp_path: Path) -> Path:
    """An empty lake folder."""
    lake = tmp_path / "lake"
    lake.mkdir()
    return lake


@pytest.fixture
def source_root(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample source, for tests that add or break pages."""
    root = tmp_path / "source"
    shutil.copytree(bundled_sample_root() / "dqnews", root / "dqnews")
    return root


@pytest.fixture
def settings(fresh_lake: Path, source_root: Path) -> Settings:
    return resolve_settings(source=str(source_root), lake=str(fresh_lake), env={})


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes: to prove a failed run left a lake exactly as it was."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
