"""The compose configuration proven natively: `docker/postgres-run.sh` starts Debian's PostgreSQL on 127.0.0.1
(installing it with apt-get when missing), runs Airflow's components with LocalExecutor against it, and completes
one `epaper_daily` run for 2023-05-25. Takes about a minute."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_one_dag_run_on_postgresql_with_local_executor() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EPAPER_", "AWS_"))}
    run = subprocess.run(
        ["bash", str(ROOT / "docker" / "postgres-run.sh")], env=env, capture_output=True, text=True, timeout=900
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-5000:]
    assert "[postgres-run] PostgreSQL " in out
    assert "page.fetch[0] success" in out and "page.segment[0] success" in out and "stitch[-1] success" in out
    assert "[postgres-run] dag run pg-sample-2023-05-25: success" in out
