"""The text path reads a dump the same way on every run. Python salts string hashes per process, so a set of
strings is iterated in a different order each run; scores summed in that order round differently, and a near-tie
between two stories' headline matches used to fall either way (the same page gave different articles on a
re-run). Each reading below runs in its own interpreter with its own hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf

from tests.fixtures.make_pages3 import make_page3

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json, sys\n"
    "from pipeline.segment.text import segment_text\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "print(json.dumps([a.to_json() for a in segment_text(text, page=1).articles], ensure_ascii=False))\n"
)


def _read(dump: Path, hash_seed: int) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    done = subprocess.run(
        [sys.executable, "-c", READ, str(dump)], capture_output=True, check=True, cwd=ROOT, env=env, text=True
    )
    out: list[dict[str, object]] = json.loads(done.stdout)
    return out


def test_a_dump_reads_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    """A third-generator page (tuning seed 70103) whose two headline groups share words with two stories almost
    equally: under hash seeds 1 and 2 it gave different titles before the overlap sums were made exact."""
    pdf = make_page3(70103, tmp_path / "70103.pdf")
    with pymupdf.open(pdf) as doc:
        dump = tmp_path / "70103.txt"
        dump.write_text(doc[0].get_text(), encoding="utf-8")
    first = _read(dump, 1)
    assert first and all(_read(dump, seed) == first for seed in (2, 3, 4))
