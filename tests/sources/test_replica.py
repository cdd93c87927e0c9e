"""`epaper replica serve` as a real process on 127.0.0.1, as the external check runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

EPAPER = Path(sys.executable).parent / "epaper"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_replica_serve_answers_the_sites(tmp_path: Path, stop: signal.Signals) -> None:
    port = free_port()
    args = [str(EPAPER), "replica", "serve", "--host", "127.0.0.1", "--port", str(port), "--root", str(tmp_path / "r")]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""  # printed once the site is rendered and bound
        assert f"http://127.0.0.1:{port}/" in line, line + (
            proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
        )
        base = f"http://127.0.0.1:{port}/"
        assert httpx.get(base + "html/2023-05/25/node_1.htm").status_code == 200
        assert httpx.get(base + "html/2023-05/21/node_1.htm").status_code == 404  # the gap day
        moved = httpx.get(base + "html/2023-05/27/node_1.htm")
        assert moved.status_code == 302 and moved.headers["location"] == "/html/2023-05/31/node_1.htm"
        entry = httpx.get(base + "paperindex.htm").text
        assert 'http-equiv="refresh"' in entry and "2023-05/31/node_1.htm" in entry
        gbk = httpx.get(base + "zjrb/html/2023-05/25/node_A01.htm")
        assert "gb2312" in gbk.headers["content-type"] and "浙江日报" in gbk.content.decode("gbk")
        assert httpx.get(base + "rmrb/pc/layout/202412/25/node_01.html").status_code == 200
        assert httpx.get(base + "html/2023-05/25/node_1.htm?fault=500").status_code == 500
    finally:
        os.kill(proc.pid, stop)  # either stops it cleanly, exit 0
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0


def test_replica_serves_on_loopback_only(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["replica", "serve", "--host", "0.0.0.0", "--port", "0", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "127.0.0.1 only" in result.output
    assert not any(tmp_path.iterdir())  # refused before rendering anything
