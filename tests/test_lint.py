"""The code style gates of `make lint` run with the tests, so CI (which runs the tests) keeps them green."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TREES = ["pipeline", "dags", "tests", "bench"]


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", *TREES], ["ruff", "format", "--check", *TREES], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_lint(command: list[str]) -> None:
    run = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
