"""The replica e-paper site as a real HTTP server on 127.0.0.1, serving a rendered folder (`render.py`).

What it serves: every file under the root by its path; `_redirects.json` (path -> location) as 302s; a strong
`ETag` (sha1 of the bytes) and a fixed `Last-Modified` per file, answering conditional GETs with 304; 404 for
anything else. Content types by extension (`.htm`/`.html` as `text/html` with the charset the site declares in
`_charsets.json`, `.pdf`, `.jpg`, `.xml`, `.txt`).

Faults, on request, by a query flag `?fault=SPEC`, a header `X-Replica-Fault: SPEC`, or a rule added with
`ReplicaServer.inject(pattern, SPEC)` (a regular expression matched against the path, for the fetcher's own
requests). SPEC is `NAME` or `NAME:N` (the first N requests of that path get it, then it behaves; default: all):

- `500`: answer 500; `429`: answer 429 with `Retry-After: 1`; `404`, `403`: answer that status;
- `slow`: wait `slow_seconds` (default 3) before answering; `reset`: close the connection without an answer
  (TCP RST);
- `truncate`: send the first half of the body (a PDF cut short on the server); `ctype`: send the right bytes
  with a wrong `Content-Type` (`text/html`); `tiny`: a few-byte body, as sites answer for a PDF they do not offer;
  `nomarkup`: a 200 HTML page without any of the site's elements (a maintenance page).

Every request is logged (`requests`: path, fault, status, start and end times) and the most requests in flight
at once is kept (`max_in_flight`), so tests can count retries and prove politeness.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".xml": "text/xml", ".txt": "text/plain", ".css": "text/css"}
LAST_MODIFIED = "Thu, 25 May 2023 00:30:00 GMT"


@dataclass(frozen=True, slots=True)
class Logged:
    """One request the replica answered (or reset)."""

    path: str
    fault: str | None
    status: int
    start: float
    end: float
    headers: dict[str, str]


class ReplicaServer:
    """Serve `root` on 127.0.0.1:`port` (0: any free port) in a background thread. Use as a context manager or
    call `start` / `stop`."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, slow_seconds: float = 3.0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the replica serves on 127.0.0.1 only")
        self.root = Path(root).resolve()
        self.slow_seconds = slow_seconds
        self.requests: list[Logged] = []
        self.max_in_flight = 0
        self._rules: list[tuple[re.Pattern[str], str]] = []
        self._seen: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._in_flight = 0
        self._generation = 0  # bumped by `clear`: a request begun before it is not logged after it
        self._redirects: dict[str, str] = _json(self.root / "_redirects.json")
        self._charsets: dict[str, str] = _json(self.root / "_charsets.json")
        self._httpd = _Server((host, port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL with a trailing slash."""
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> ReplicaServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, pattern: str, spec: str) -> None:
        """Give requests whose path matches `pattern` (regular expression, `search`) the fault `spec`."""
        with self._lock:
            self._rules.append((re.compile(pattern), spec))

    def clear(self) -> None:
        """Forget fault rules, counters and the request log."""
        with self._lock:
            self._rules.clear()
            self._seen.clear()
            self.requests.clear()
            self.max_in_flight = 0
            self._generation += 1

    def hits(self, pattern: str = "") -> list[Logged]:
        """Logged requests whose path matches `pattern`, in the order they arrived."""
        rx = re.compile(pattern)
        with self._lock:
            return sorted((r for r in self.requests if rx.search(r.path)), key=lambda r: r.start)

    # --- used by the handler --------------------------------------------------------------------------------

    def fault_for(self, path: str, query: str, header: str | None) -> str | None:
        """The fault this request gets, counting it against `NAME:N` limits."""
        asked = parse_qs(query).get("fault")
        spec = asked[0] if asked else header
        with self._lock:
            if spec is None:
                spec = next((s for rx, s in reversed(self._rules) if rx.search(path)), None)  # newest rule first
            if spec is None:
                return None
            name, _, limit = spec.partition(":")
            self._seen[(spec, path)] += 1
            if limit.isdigit() and self._seen[(spec, path)] > int(limit):
                return None
            return name

    def enter(self) -> int:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return self._generation

    def log(self, entry: Logged, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self.requests.append(entry)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def lookup(self, path: str) -> tuple[bytes, str] | str | None:
        """A file's bytes and content type, a redirect's location, or None."""
        if path in self._redirects:
            return self._redirects[path]
        rel = unquote(path).lstrip("/")
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root) or not target.is_file() or target.name.startswith("_"):
            return None
        suffix = target.suffix.lower()
        if suffix in (".htm", ".html"):
            charset = next((c for prefix, c in self._charsets.items() if rel.startswith(prefix)), "utf-8")
            return target.read_bytes(), f"text/html; charset={charset}"
        return target.read_bytes(), TYPES.get(suffix, "application/octet-stream")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a fetcher's timeout, an injected reset) is routine here, not a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _json(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _handler(server: ReplicaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet: the log is `server.requests`
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without TCP_NODELAY the second waits for the client's
            # delayed ACK (~40 ms a request on Linux), which would make the replica, not the fetcher, the cost.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            self._start = time.monotonic()
            self._path = urlsplit(self.path)
            self._fault = server.fault_for(self._path.path, self._path.query, self.headers.get("X-Replica-Fault"))
            self._generation = server.enter()
            self._logged = False
            try:
                self._answer(self._path.path, self._fault)
            finally:
                self._log(0)
                server.leave()

        def _log(self, status: int) -> None:
            """Log the request once, before its answer goes out: a client that has its answer finds it logged."""
            if self._logged:
                return
            self._logged = True
            headers = {k.lower(): v for k, v in self.headers.items()}
            entry = Logged(self._path.path, self._fault, status, self._start, time.monotonic(), headers)
            server.log(entry, self._generation)

        def _answer(self, path: str, fault: str | None) -> int:
            if fault == "slow":
                self._log(0)  # logged on arrival: the client gives up (status 0) before this answer comes
                time.sleep(server.slow_seconds)
            if fault == "reset":
                # SO_LINGER 0: closing sends RST, as a dropped connection does.
                self._log(0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return 0
            if fault in ("500", "429", "404", "403"):
                extra = {"Retry-After": "1"} if fault == "429" else {}
                return self._send(int(fault), b"error", "text/plain", extra)
            found = server.lookup(path)
            if found is None:
                return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
            if isinstance(found, str):
                return self._send(302, b"", "text/html", {"Location": found})
            data, ctype = found
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-Modified-Since") == LAST_MODIFIED and not self.headers.get("If-None-Match")
            ):
                return self._send(304, b"", None, {"ETag": etag, "Last-Modified": LAST_MODIFIED})
            if fault == "truncate":
                data = data[: len(data) // 2]
            elif fault == "ctype":
                ctype = "text/html; charset=utf-8"
            elif fault == "tiny":
                data = b"\r\n"
            elif fault == "nomarkup":
                data, ctype = "<html><body><p>系统维护中</p></body></html>".encode(), "text/html; charset=utf-8"
            return self._send(200, data, ctype, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

        def _send(self, status: int, body: bytes, ctype: str | None, extra: dict[str, str] | None = None) -> int:
            self._log(status)
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
            return status

    return Handler
