"""The store and the lake on a real S3 server (SeaweedFS on 127.0.0.1, see `tests/s3server.py`) and on a folder.

Nothing here mocks S3: every S3 test talks HTTP to the `weed` process the `s3_server` fixture starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import resolve_settings
from pipeline.daily import run_day
from pipeline.lake.store import S3Options, Store, StoreError, open_store
from pipeline.lake.tables import TABLES, read_day
from pipeline.query.views import _attach_s3, connect
from tests.conftest import ROW_TABLES, SAMPLE_DATE
from tests.s3server import S3Server, free_ports

pytestmark = pytest.mark.slow

EPAPER = Path(sys.executable).parent / "epaper"


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """An empty store: a temp folder, or a fresh prefix in the session's S3 bucket."""
    if request.param == "local":
        return open_store(str(tmp_path / "lake"))
    env: dict[str, str] = request.getfixturevalue("s3_env")
    return open_store(request.getfixturevalue("s3_lake"), env)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A 127.0.0.1 port that accepts connections and never answers: a hung S3 endpoint."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- Store, on a folder and on S3 ------------------------------------------------------------------------------


def test_write_read_exists_list_delete(store: Store) -> None:
    assert store.list("") == []
    assert not store.exists("a/b/one.bin")
    store.write_bytes("a/b/one.bin", b"\x00one")
    store.write_bytes("a/two.txt", "二".encode())
    store.write_bytes("c/three.txt", b"3")
    assert store.exists("a/b/one.bin")
    assert not store.exists("a/b")  # a folder is not an object
    assert store.read_bytes("a/b/one.bin") == b"\x00one"
    assert store.read_bytes("a/two.txt").decode() == "二"
    assert store.list("a") == ["a/b/one.bin", "a/two.txt"]
    assert store.list("") == ["a/b/one.bin", "a/two.txt", "c/three.txt"]
    assert store.list("nowhere") == []
    store.delete("a/b/one.bin")
    store.delete("a/b/one.bin")  # absent: no error
    assert not store.exists("a/b/one.bin")
    assert store.list("") == ["a/two.txt", "c/three.txt"]


def test_missing_object_is_file_not_found(store: Store) -> None:
    with pytest.raises(FileNotFoundError):
        store.read_bytes("no/such.parquet")


def test_rewrite_replaces_the_object_whole(store: Store) -> None:
    store.write_bytes("k/part-0.parquet", b"x" * 100_000)
    store.write_bytes("k/part-0.parquet", b"short")
    assert store.read_bytes("k/part-0.parquet") == b"short"
    assert store.list("k") == ["k/part-0.parquet"]


def test_readers_never_see_a_partial_object(store: Store) -> None:
    """Replace one key over and over, alternating small and large payloads; every read is one payload, whole.

    The large payloads are above pyarrow's S3 part size, so on S3 they go up as multipart uploads and the small
    ones as single PUTs; both must publish whole. Sizes differ from write to write: `read_bytes` tells versions
    apart by size and mtime (S3 gives pyarrow nothing finer), which two same-size replacements within the same
    second of one read could fool, and a re-run replaces each object only once."""
    payloads = [
        bytes([i]) * (12 * 2**20 + i) if i % 2 else bytes([i]) * (4096 + i)  # 12 MiB and 4 KiB, +i bytes
        for i in range(8)
    ]
    key = "swap/part-0.parquet"
    store.write_bytes(key, payloads[0])
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for data in payloads[1:]:
                store.write_bytes(key, data)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    reads = 0
    while not stop.is_set():
        data = store.read_bytes(key)
        assert data in payloads, f"partial read of {len(data)} bytes"
        reads += 1
    thread.join()
    assert not errors, errors
    assert reads > 0
    assert store.read_bytes(key) == payloads[-1]
    assert store.list("swap") == [key]  # no temp objects left behind


# --- S3 specifics -------------------------------------------------------------------------------------------


def test_s3_keys_are_plain_objects_under_bucket_and_prefix(s3_server: S3Server, s3_env: dict[str, str]) -> None:
    lake = f"s3://{s3_server.bucket}/nested/prefix"
    store = open_store(lake, s3_env)
    store.write_bytes("articles/paper=x/issue_date=2023-05-25/part-0.parquet", b"pq")
    raw = s3_server.filesystem()
    with raw.open_input_stream(
        f"{s3_server.bucket}/nested/prefix/articles/paper=x/issue_date=2023-05-25/part-0.parquet"
    ) as f:
        assert f.read() == b"pq"
    assert store.url("articles") == "s3://epaper/nested/prefix/articles"


def test_small_writes_are_one_put(s3_env: dict[str, str]) -> None:
    """With a wrong secret the write fails; the operation it names shows what the client sends: one PutObject,
    not a multipart upload (CreateMultipartUpload) that would need three requests."""
    opts = S3Options.from_env({**s3_env, "AWS_SECRET_ACCESS_KEY": "wrong", "EPAPER_S3_MAX_ATTEMPTS": "1"})
    fs = opts.filesystem()
    with pytest.raises(OSError, match="PutObject"), fs.open_output_stream(f"{s3_env['S3_BUCKET']}/put/probe") as out:
        out.write(b"x" * 1024)


def test_endpoint_forms_and_defaults() -> None:
    opts = S3Options.from_env({"AWS_ENDPOINT_URL": "http://127.0.0.1:8333/"})
    assert (opts.scheme, opts.host, opts.region) == ("http", "127.0.0.1:8333", "us-east-1")
    assert S3Options.from_env({"AWS_ENDPOINT_URL": "minio.local:9000"}).scheme == "https"
    assert S3Options.from_env({"AWS_ENDPOINT_URL": "minio.local:9000"}).host == "minio.local:9000"
    assert S3Options.from_env({}).host is None
    defaults = S3Options.from_env({})
    assert (defaults.connect_timeout, defaults.request_timeout, defaults.max_attempts) == (3.0, 5.0, 3)


def test_secrets_stay_out_of_repr_and_errors(s3_env: dict[str, str]) -> None:
    secret = s3_env["AWS_SECRET_ACCESS_KEY"]
    opts = S3Options.from_env(s3_env)
    assert secret not in repr(opts) and secret not in str(opts)
    assert s3_env["AWS_ACCESS_KEY_ID"] not in repr(opts)
    bad = {**s3_env, "AWS_SECRET_ACCESS_KEY": "not-" + secret}
    with pytest.raises(StoreError) as info:
        open_store(f"s3://{s3_env['S3_BUCKET']}/x", bad).list("")
    assert secret not in str(info.value) and "not-" not in str(info.value)


# --- the lake on S3 -----------------------------------------------------------------------------------------


def test_publish_read_day_round_trip_on_s3(s3_environ: dict[str, str], s3_lake: str) -> None:
    settings = resolve_settings(lake=s3_lake, env={})
    run_day(settings, SAMPLE_DATE)
    store = open_store(s3_lake)
    keys = store.list("")
    for table in TABLES:  # Delta tables: a log, and zstd data files in the year partition where there are rows
        assert any(k.startswith(f"{table}/_delta_log/") and k.endswith(".json") for k in keys)
    for table in ROW_TABLES:
        assert any(k.startswith(f"{table}/paper=dqnews/year=2023/") and k.endswith(".zstd.parquet") for k in keys)
    assert "raw/dqnews/2023-05-25/01.txt" in keys and "_search/dqnews-2023.duckdb" in keys
    articles = read_day(store, "articles", "dqnews", SAMPLE_DATE)
    assert articles is not None and articles.num_rows == 6
    assert read_day(store, "articles", "dqnews", dt.date(2023, 5, 26)) is None


def test_credentials_stay_out_of_the_delta_log_and_data(s3_environ: dict[str, str], s3_lake: str) -> None:
    run_day(resolve_settings(lake=s3_lake, env={}), SAMPLE_DATE)
    store = open_store(s3_lake)
    secret = s3_environ["AWS_SECRET_ACCESS_KEY"].encode()
    key_id = s3_environ["AWS_ACCESS_KEY_ID"].encode()
    for key in store.list(""):
        data = store.read_bytes(key)
        assert secret not in data and key_id not in data, key


def test_duckdb_reads_delta_tables_on_s3(s3_environ: dict[str, str], s3_lake: str) -> None:
    settings = resolve_settings(lake=s3_lake, env={})
    run_day(settings, SAMPLE_DATE)
    con = connect(s3_lake, s3_environ)
    rows = con.execute("SELECT paper, issue_date, count(*) FROM articles GROUP BY ALL").fetchall()
    assert rows == [("dqnews", SAMPLE_DATE, 6)]
    assert con.execute("SELECT status FROM issues").fetchall() == [("complete",)]
    secrets = con.execute("SELECT secret_string FROM duckdb_secrets()").fetchall()
    assert s3_environ["AWS_SECRET_ACCESS_KEY"] not in str(secrets)


def test_rerun_on_s3_replaces_the_day_exactly(s3_environ: dict[str, str], s3_lake: str) -> None:
    settings = resolve_settings(lake=s3_lake, env={})
    store = open_store(s3_lake)

    def state() -> tuple[dict[str, int], list[tuple[object, ...]]]:
        counts = {}
        for table in TABLES:
            day = read_day(store, table, "dqnews", SAMPLE_DATE)
            assert day is not None
            counts[table] = day.num_rows
        con = connect(s3_lake)
        per_table = con.execute(
            "SELECT 'articles', count(*), count(DISTINCT article_id) FROM articles "
            "UNION ALL SELECT 'pages', count(*), count(DISTINCT page) FROM pages "
            "UNION ALL SELECT 'issues', count(*), count(DISTINCT issue_date) FROM issues ORDER BY 1"
        ).fetchall()
        return counts, per_table

    run_day(settings, SAMPLE_DATE)
    first = state()
    run_day(settings, SAMPLE_DATE)
    assert state() == first
    counts, per_table = first
    assert counts == {"articles": 6, "pages": 1, "fetches": 0, "issues": 1}  # a local folder answers no HTTP
    assert per_table == [("articles", 6, 6), ("issues", 1, 1), ("pages", 1, 1)]
    assert not [k for k in store.list("") if k.startswith("_staging/")]


# --- the CLI on S3 ------------------------------------------------------------------------------------------


def test_cli_run_then_sql_on_s3(s3_environ: dict[str, str], s3_lake: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["run", "--date", "2023-05-25", "--lake", s3_lake])
    assert result.exit_code == 0, result.output
    assert "6 article(s)" in result.output and s3_lake in result.output
    result = runner.invoke(app, ["sql", "--lake", s3_lake, "--format", "csv", "SELECT count(*) FROM articles"])
    assert result.exit_code == 0, result.output
    assert csv_rows(result.stdout) == [["count_star()"], ["6"]]
    # The lake from the environment when there is no flag.
    result = runner.invoke(
        app, ["sql", "--format", "csv", "SELECT count(*) AS n FROM daily_counts"], env={"EPAPER_LAKE": s3_lake}
    )
    assert result.exit_code == 0, result.output
    assert csv_rows(result.stdout) == [["n"], ["1"]]
    result = runner.invoke(app, ["search", "--lake", s3_lake, "--format", "json", "经济"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_cli_run_on_s3_in_a_real_process(s3_env: dict[str, str], s3_lake: str, tmp_path: Path) -> None:
    env = {"PATH": str(EPAPER.parent), "HOME": str(tmp_path), **s3_env, "EPAPER_LAKE": s3_lake}
    run = subprocess.run([EPAPER, "run", "--date", "2023-05-25", "-q"], env=env, capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    sql = subprocess.run(
        [EPAPER, "sql", "--format", "csv", "SELECT count(*) FROM articles"], env=env, capture_output=True, timeout=120
    )
    assert sql.returncode == 0, sql.stderr.decode()
    assert csv_rows(sql.stdout.decode()) == [["count_star()"], ["6"]]


# --- a bad S3: one clear line, non-zero exit, quickly -------------------------------------------------------


def _epaper(args: list[str], env: dict[str, str], timeout: float = 60) -> tuple[int, str, str, float]:
    start = time.monotonic()
    proc = subprocess.run(
        [EPAPER, *args], env={"PATH": str(EPAPER.parent), **env}, capture_output=True, timeout=timeout
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode(), time.monotonic() - start


def _assert_one_clear_line(code: int, stdout: str, stderr: str, *phrases: str) -> None:
    assert code != 0
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    for phrase in phrases:
        assert phrase in lines[0], stderr


@pytest.mark.parametrize("command", ["run", "sql"])
def test_wrong_secret_fails_with_one_line(s3_env: dict[str, str], s3_lake: str, command: str) -> None:
    secret = "wrong-" + s3_env["AWS_SECRET_ACCESS_KEY"]
    env = {**s3_env, "AWS_SECRET_ACCESS_KEY": secret, "EPAPER_LAKE": s3_lake}
    args = ["run", "--date", "2023-05-25"] if command == "run" else ["sql", "SELECT 1"]
    code, out, err, took = _epaper(args, env)
    _assert_one_clear_line(code, out, err, "refused the credentials", "AWS_SECRET_ACCESS_KEY", s3_lake)
    assert secret not in err and s3_env["AWS_SECRET_ACCESS_KEY"] not in err
    assert took < 30


def test_wrong_secret_leaves_the_lake_untouched(s3_env: dict[str, str], s3_lake: str) -> None:
    env = {**s3_env, "AWS_SECRET_ACCESS_KEY": "wrong", "EPAPER_LAKE": s3_lake}
    code, _, _, _ = _epaper(["run", "--date", "2023-05-25"], env)
    assert code == 1
    assert open_store(s3_lake, s3_env).list("") == []


def test_unreachable_endpoint_fails_fast_with_one_line(s3_env: dict[str, str], s3_lake: str) -> None:
    (closed,) = free_ports(1)
    endpoint = f"http://127.0.0.1:{closed}"
    env = {**s3_env, "AWS_ENDPOINT_URL": endpoint, "EPAPER_LAKE": s3_lake}
    for args in (["sql", "SELECT 1"], ["run", "--date", "2023-05-25"]):
        code, out, err, took = _epaper(args, env)
        _assert_one_clear_line(code, out, err, "could not connect to the S3 endpoint", endpoint, "AWS_ENDPOINT_URL")
        assert took < 30, took


def test_hung_endpoint_times_out_with_one_line(s3_env: dict[str, str], s3_lake: str, silent_port: int) -> None:
    env = {
        **s3_env,
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{silent_port}",
        "EPAPER_LAKE": s3_lake,
        "EPAPER_S3_REQUEST_TIMEOUT": "1",
        "EPAPER_S3_MAX_ATTEMPTS": "2",
    }
    code, out, err, took = _epaper(["sql", "SELECT 1"], env)
    _assert_one_clear_line(code, out, err, "timed out")
    assert took < 20, took


def test_store_errors_say_whether_to_retry(s3_env: dict[str, str]) -> None:
    (closed,) = free_ports(1)
    unreachable = {**s3_env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed}", "EPAPER_S3_MAX_ATTEMPTS": "1"}
    with pytest.raises(StoreError) as down:
        open_store("s3://epaper/x", unreachable).exists("k")
    assert down.value.retryable
    with pytest.raises(StoreError) as refused:
        open_store("s3://epaper/x", {**s3_env, "AWS_ACCESS_KEY_ID": "nobody"}).list("")
    assert not refused.value.retryable


def test_duckdb_secret_with_quotes_is_escaped(s3_env: dict[str, str]) -> None:
    """A quote in a key must not break (or leak through) the CREATE SECRET statement."""
    store = open_store(f"s3://{s3_env['S3_BUCKET']}/quoted", {**s3_env, "AWS_SECRET_ACCESS_KEY": "it's'; DROP"})
    con = duckdb.connect()
    _attach_s3(con, store)
    (shown,) = con.execute("SELECT secret_string FROM duckdb_secrets() WHERE name = 'lake'").fetchone() or ("",)
    assert "url_style=path" in shown and "use_ssl=false" in shown
    assert "DROP" not in shown and "redacted" in shown


# --- the helper as a script (the local Airflow launcher runs it so) ----------------------------------------


def test_s3server_script_prints_settings_and_stops_on_sigterm(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    env_file = tmp_path / "s3.env"
    script = Path(__file__).resolve().parents[1] / "s3server.py"
    cmd = [
        sys.executable,
        str(script),
        "--dir",
        str(tmp_path / "weed"),
        "--port",
        str(port),
        "--env-file",
        str(env_file),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(6)]
        env = dict(line.split("=", 1) for line in lines)
        assert env["AWS_ENDPOINT_URL"] == f"http://127.0.0.1:{port}"
        assert set(env) == {
            "AWS_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION",
            "AWS_EC2_METADATA_DISABLED",
            "S3_BUCKET",
        }
        assert env_file.read_text().splitlines() == lines
        store = open_store(f"s3://{env['S3_BUCKET']}/script", env)
        store.write_bytes("k", b"v")
        assert store.read_bytes("k") == b"v"
    finally:
        proc.terminate()
        code = proc.wait(timeout=20)
    assert code == 0, proc.stderr.read() if proc.stderr else ""
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass  # nothing listens there any more
