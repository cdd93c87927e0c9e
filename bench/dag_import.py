"""How long Airflow's dag-processor spends importing each DAG file, beside a one-task reference DAG.

Each file is imported in a fresh interpreter after `airflow.sdk` itself (what the dag-processor has loaded before it
parses a file), three times; the best time is printed beside the same figure for a reference DAG file of one
task written in the same run, bare and with an Asset outlet (see REFERENCES). A DAG file that imports the pipeline's heavy modules (PyMuPDF,
DuckDB, deltalake, jieba) at parse time shows up here as a large ratio; `tests/test_dags.py` checks the modules
themselves, without timing. Target: each file within 2× the reference
with an Asset, and far under Airflow's `dagbag_import_timeout` (30 s).

Run: .venv/bin/python bench/dag_import.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import sys, time, runpy, json\n"
    "import airflow.sdk, pendulum\n"
    "t = time.perf_counter(); runpy.run_path(sys.argv[1]); print(json.dumps(time.perf_counter() - t))\n"
)
REFERENCE = (
    "import pendulum\n"
    "from airflow.sdk import Asset, dag, task\n"
    "@dag(schedule=None, start_date=pendulum.datetime(2023, 1, 1), catchup=False)\n"
    "def reference():\n"
    "    @task{outlets}\n"
    "    def one() -> None: ...\n"
    "    one()\n"
    "reference()\n"
)
# Declaring an Asset with a URI makes Airflow discover every installed provider's asset URI handlers (the amazon
# provider's pulls in boto3): a one-time cost of any DAG with an Asset, so the second reference carries one too.
REFERENCES = {
    "reference: one task": REFERENCE.format(outlets=""),
    "reference: + an Asset": REFERENCE.format(outlets='(outlets=[Asset(name="a", uri="x://lake/a")])'),
}


def best_import_seconds(path: Path, env: dict[str, str], repeats: int = 3) -> float:
    """Best of `repeats` fresh-interpreter imports of one DAG file."""
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, env=env, check=True, timeout=300
        )
        times.append(float(json.loads(out.stdout.strip().splitlines()[-1])))
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "AIRFLOW_HOME": tmp,
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "PYTHONPATH": str(ROOT),
        }
        print(f"{'DAG file':<28}{'import s':>10}{'× reference with Asset':>24}")
        seconds_of = {}
        for label, text in REFERENCES.items():
            path = Path(tmp) / f"{len(seconds_of)}_reference_dag.py"
            path.write_text(text, encoding="utf-8")
            seconds_of[label] = best_import_seconds(path, env)
        ref = seconds_of["reference: + an Asset"]
        for label, seconds in seconds_of.items():
            print(f"{'(' + label + ')':<28}{seconds:>10.3f}{seconds / ref:>24.2f}")
        for dag_file in sorted((ROOT / "dags").glob("*.py")):
            seconds = best_import_seconds(dag_file, env)
            print(f"{dag_file.name:<28}{seconds:>10.3f}{seconds / ref:>24.2f}")


if __name__ == "__main__":
    main()
