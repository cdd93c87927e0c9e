"""`make demo` readies the default Airflow home, so the bare contract command works with only EPAPER_LAKE set."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import lake_state

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_make_airflow_home_then_bare_dags_test(tmp_path: Path) -> None:
    home, lake = tmp_path / "airflow", tmp_path / "lake"
    subprocess.run(["make", "-s", "airflow-home", f"AIRFLOW_HOME={home}"], cwd=ROOT, check=True, timeout=300)
    assert (home / "dags").resolve() == ROOT / "dags" and (home / "airflow.db").is_file()
    # What an outside check has: the venv on PATH, a home, EPAPER_LAKE; nothing else of ours.
    env = {
        "PATH": f"{ROOT / '.venv/bin'}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "AIRFLOW_HOME": str(home),
        "EPAPER_LAKE": str(lake),
    }
    done = subprocess.run(
        ["airflow", "dags", "test", "epaper_daily", "2023-05-25"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(lake_state(lake)["articles"]) == 6  # type: ignore[arg-type]
