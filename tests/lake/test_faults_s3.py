"""Faults on the live SeaweedFS (`tests/s3server.py`): each gives a one-line error naming what failed, nothing
already published changes, and a retry converges. No mocks: a cut connection is a real TCP proxy in front of
the real server that drops the connection in the middle of an upload."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import resolve_settings
from pipeline.daily import run_day
from pipeline.lake.check import check_lake
from pipeline.lake.compact import compact
from pipeline.lake.index import words
from pipeline.lake.store import open_store
from pipeline.lake.tables import ConcurrentDayError, publish_day, read_day
from pipeline.query import connect
from tests.conftest import SAMPLE_DATE
from tests.s3server import free_ports

pytestmark = pytest.mark.slow

EPAPER = Path(sys.executable).parent / "epaper"
ARTICLES = "SELECT * FROM articles ORDER BY article_id"


@pytest.fixture
def published(s3_environ: dict[str, str], s3_lake: str) -> list[tuple[object, ...]]:
    """The sample day published on S3; returns its articles as the views show them."""
    run_day(resolve_settings(lake=s3_lake, env={}), SAMPLE_DATE)
    return connect(s3_lake).execute(ARTICLES).fetchall()


def _one_line(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run([EPAPER, *args], env={"PATH": str(EPAPER.parent), **env}, capture_output=True, timeout=90)
    err = proc.stderr.decode()
    assert proc.returncode != 0, proc.stdout
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", [["search", "经济"], ["check"], ["compact"], ["export", "--sql", "SELECT 1"]])
def test_endpoint_down_and_wrong_keys_are_one_line_for_every_command(
    s3_env: dict[str, str], s3_lake: str, command: list[str], tmp_path: Path
) -> None:
    args = [*command, "--to", str(tmp_path / "x.csv")] if command[0] == "export" else command
    (closed,) = free_ports(1)
    down = {**s3_env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed}", "EPAPER_LAKE": s3_lake}
    assert "could not connect to the S3 endpoint" in _one_line(args, down)
    wrong = {**s3_env, "AWS_SECRET_ACCESS_KEY": "wrong-secret", "EPAPER_LAKE": s3_lake}
    line = _one_line(args, wrong)
    assert "refused the credentials" in line and "wrong-secret" not in line


@pytest.mark.parametrize("command", [["check"], ["sql", "SELECT 1"], ["search", "经济"]])
def test_missing_bucket_is_one_line(s3_env: dict[str, str], command: list[str]) -> None:
    """(A write would create the bucket: SeaweedFS creates buckets on upload for an admin identity.)"""
    env = {**s3_env, "EPAPER_LAKE": "s3://no-such-bucket-here/lake"}
    assert "no such bucket" in _one_line(command, env)


def test_two_writers_racing_on_one_day(published: list[tuple[object, ...]], s3_lake: str) -> None:
    """Four writers of the same day at once: at least one wins, the others get `ConcurrentDayError` naming the
    day, readers never see a mix, and the losers' retries converge to a clean lake."""
    store = open_store(s3_lake)
    tables = {t: read_day(store, t, "dqnews", SAMPLE_DATE) for t in ("articles", "pages", "issues")}
    assert all(t is not None for t in tables.values())
    errors: dict[str, Exception] = {}

    def write(run: str) -> None:
        try:
            publish_day(store, "dqnews", SAMPLE_DATE, tables, run, words)  # type: ignore[arg-type]
        except Exception as exc:  # collected and checked below
            errors[run] = exc

    threads = [threading.Thread(target=write, args=(f"racer-{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) < 4
    for exc in errors.values():
        assert isinstance(exc, ConcurrentDayError), exc
        assert "date 2023-05-25" in str(exc) and "table " in str(exc)
    assert connect(s3_lake).execute(ARTICLES).fetchall() == published  # one whole version
    for run in errors:  # the orchestrator retries the losers
        publish_day(store, "dqnews", SAMPLE_DATE, tables, run, words)  # type: ignore[arg-type]
    compact(store, "dqnews", dt.date(2024, 1, 10), retention=0)  # rows of writers that were overtaken go
    assert check_lake(store) == []
    assert connect(s3_lake).execute(ARTICLES).fetchall() == published


_KILL = """
import os, sys
from pipeline.config import resolve_settings
import pipeline.lake.tables as tables
from pipeline.daily import run_day
real = tables.publish_day
def dying(*args, **kwargs):
    def after(name):
        if name == sys.argv[2]:
            os._exit(9)  # killed right after this table's commit
    return real(*args, **{**kwargs, "after": after})
import pipeline.daily
pipeline.daily.publish_tables = dying
run_day(resolve_settings(lake=sys.argv[1], env={}), __import__("datetime").date(2023, 5, 25))
"""


@pytest.mark.parametrize("killed_after", ["articles", "pages", "issues"])
def test_a_writer_killed_between_tables_leaves_the_day_readable_and_the_retry_converges(
    published: list[tuple[object, ...]], s3_environ: dict[str, str], s3_lake: str, killed_after: str
) -> None:
    proc = subprocess.run([sys.executable, "-c", _KILL, s3_lake, killed_after], capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()[-2000:]
    con = connect(s3_lake)
    assert con.execute(ARTICLES).fetchall() == published  # the old day or the new, whole
    # one run's rows are left that no `issues` row names: the killed writer's own (killed before its `issues`
    # commit) or the previous run's (killed before deleting them)
    assert con.execute("SELECT count(*) FROM unpublished_articles").fetchone() == (1,)
    run_day(resolve_settings(lake=s3_lake, env={}), SAMPLE_DATE)
    assert connect(s3_lake).execute(ARTICLES).fetchall() == published
    assert check_lake(open_store(s3_lake)) == []


def test_data_files_without_a_commit_are_invisible_and_vacuumed(
    published: list[tuple[object, ...]], s3_lake: str
) -> None:
    """A writer killed after uploading its data files but before its commit leaves objects no log entry names."""
    store = open_store(s3_lake)
    data = [k for k in store.list("articles/paper=dqnews/year=2023") if k.endswith(".parquet")]
    orphan = data[0].rsplit("/", 1)[0] + "/part-00000-killed-writer-c000.zstd.parquet"
    store.write_bytes(orphan, store.read_bytes(data[0]))  # same rows, never committed
    assert connect(s3_lake).execute(ARTICLES).fetchall() == published
    assert check_lake(store) == []
    compact(store, "dqnews", dt.date(2024, 1, 10), retention=0)
    assert not store.exists(orphan)
    assert connect(s3_lake).execute(ARTICLES).fetchall() == published


def test_a_corrupt_data_object_is_named(
    published: list[tuple[object, ...]], s3_environ: dict[str, str], s3_lake: str
) -> None:
    store = open_store(s3_lake)
    (key,) = [k for k in store.list("pages/paper=dqnews") if k.endswith(".parquet")]
    store.write_bytes(key, b"PAR1 this is not parquet")
    problems = check_lake(store)
    assert problems == [
        f"table pages: unreadable (data file {key} is not readable Parquet (" + problems[0].split("(", 2)[2]
    ]
    result = CliRunner().invoke(app, ["sql", "--lake", s3_lake, "SELECT count(*) FROM pages"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1 and "table pages" in result.output


def test_a_truncated_log_entry_is_named(
    published: list[tuple[object, ...]], s3_environ: dict[str, str], s3_lake: str
) -> None:
    store = open_store(s3_lake)
    log = sorted(k for k in store.list("issues/_delta_log") if k.endswith(".json"))[-1]
    store.write_bytes(log, store.read_bytes(log)[:40])
    for args in (["check"], ["sql", "SELECT 1"], ["run", "--date", "2023-05-25"]):
        result = CliRunner().invoke(app, [*args, "--lake", s3_lake])
        assert result.exit_code == 1, args
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "table issues" in lines[0], (args, result.output)


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 to the S3 server that cuts a connection once it has carried `cut_after` bytes of
    an upload (a PUT) whose path contains `match`: a network failure in the middle of writing an object."""

    def __init__(self, upstream_port: int, match: str, cut_after: int = 600) -> None:
        self.upstream_port, self.match, self.cut_after = upstream_port, match.encode(), cut_after
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.cuts = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()
        self._pump(client, upstream, True)

    def _pump(self, src: socket.socket, dst: socket.socket, upload: bool) -> None:
        sent, cutting = 0, False
        try:
            while data := src.recv(65536):
                if upload and data.startswith(b"PUT ") and self.match in data.split(b"\r\n", 1)[0]:
                    cutting, sent = True, 0
                if cutting and sent + len(data) > self.cut_after:
                    self.cuts += 1
                    dst.sendall(data[: max(0, self.cut_after - sent)])
                    break
                sent += len(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def cutting_proxy(s3_env: dict[str, str]) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(int(s3_env["AWS_ENDPOINT_URL"].rsplit(":", 1)[1]), match=".parquet")
    yield proxy
    proxy.close()


def test_a_connection_cut_mid_upload_fails_one_line_and_the_retry_converges(
    published: list[tuple[object, ...]],
    s3_env: dict[str, str],
    s3_lake: str,
    cutting_proxy: CuttingProxy,
    tmp_path: Path,
    source_root: Path,
) -> None:
    page = source_root / "dqnews" / "2023-05-25" / "01.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("德清", "德清县", 3), encoding="utf-8")  # a changed day
    env = {
        **s3_env,
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{cutting_proxy.port}",
        "EPAPER_LAKE": s3_lake,
        "EPAPER_SOURCE": str(source_root),
        "EPAPER_S3_MAX_ATTEMPTS": "2",
        "HOME": str(tmp_path),
    }
    line = _one_line(["run", "--date", "2023-05-25"], env)
    assert cutting_proxy.cuts >= 1
    assert "table articles" in line and "day 2023-05-25" in line, line
    assert connect(s3_lake).execute(ARTICLES).fetchall() == published  # nothing published changed
    run_day(resolve_settings(source=str(source_root), lake=s3_lake, env={}), SAMPLE_DATE)  # retry, network back
    after = connect(s3_lake).execute(ARTICLES).fetchall()
    assert after != published and len(after) == len(published)
    assert check_lake(open_store(s3_lake)) == []
