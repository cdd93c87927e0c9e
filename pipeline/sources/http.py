"""A polite HTTP client for e-paper sites (httpx): per-host concurrency cap and minimum interval, robots.txt,
conditional GET, timeouts, retries with exponential backoff and jitter (tenacity), a size cap, redirects checked
against the site's hosts.

Contracts:

- `PoliteClient.get` returns a `Response` for every final answer below 500 except 429 (a 404 is an answer, not an
  error: the caller decides what it means); it raises `TransientFetchError` once retries on timeouts, connection
  errors, 5xx and 429 are spent (`Retry-After` honoured, capped at `max_backoff`), and `RefusedError` for what
  it will not fetch at all (robots.txt, a redirect off the site's hosts, a body over the size cap). No other 4xx is
  retried: a refusal from the site is the same on the next try.
- Requests to one host never run more than `concurrency` at a time and never start less than `min_interval`
  seconds apart, whatever the number of threads using the client (state is per client: one client per site).
- Network I/O only; no parsing beyond robots.txt.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
import tenacity

from pipeline.profiles import Politeness

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Response:
    """A final answer: `url` after redirects, lower-case header names, the body as delivered."""

    url: str
    status: int
    headers: dict[str, str]
    data: bytes
    attempts: int
    fetched_at: dt.datetime

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class FetchError(Exception):
    """Base of the client's errors; `url` is the address asked for."""

    retryable = False

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class TransientFetchError(FetchError):
    """Retries spent on timeouts, connection errors, 5xx or 429: the site may answer later."""

    retryable = True


class RefusedError(FetchError):
    """Not fetched on purpose: robots.txt, a redirect off the site's hosts, a body over the size cap."""


class _Retry(Exception):
    """A retryable answer (5xx, 429), carrying the server's `Retry-After` in seconds when it gave one."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


@dataclass
class _Gate:
    """Per-host politeness state: a semaphore for the concurrency cap, the next allowed start time."""

    slots: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


class PoliteClient:
    """One site's HTTP client. `hosts`: the hosts a redirect may lead to (the site's own)."""

    def __init__(
        self,
        politeness: Politeness,
        hosts: frozenset[str],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.politeness = politeness
        self.hosts = frozenset(h.lower() for h in hosts)
        self._sleep = sleep
        self._gates: dict[str, _Gate] = {}
        self._gates_lock = threading.Lock()
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        p = politeness
        timeout = httpx.Timeout(p.read_timeout, connect=p.connect_timeout, pool=None)
        headers = {"User-Agent": p.user_agent}
        self._http = httpx.Client(timeout=timeout, headers=headers, follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def get(
        self, url: str, *, referer: str | None = None, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET `url` politely, following redirects on the site's hosts; conditional when `etag` or
        `last_modified` is given (a 304 comes back as such). Raises as the module doc says."""
        headers = {}
        if referer or self.politeness.referer:
            headers["Referer"] = referer or self.politeness.referer or ""
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_allowed(current)
            resp = self._attempts(current, headers)
            if resp.status not in REDIRECTS:
                return resp
            location = resp.headers.get("location")
            if not location:
                return resp
            current = urljoin(current, location)
        raise RefusedError(url, f"more than {MAX_REDIRECTS} redirects")

    # --- policy ------------------------------------------------------------------------------------------------

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or host not in self.hosts:
            raise RefusedError(
                url, f"host {host or '?'} is not one of the site's hosts ({', '.join(sorted(self.hosts))})"
            )
        if self.politeness.robots and not urlsplit(url).path.endswith("/robots.txt"):
            robots = self._robots_for(f"{parts.scheme}://{parts.netloc}")
            if not robots.can_fetch(self.politeness.user_agent, url):
                raise RefusedError(url, "disallowed by robots.txt")

    def _robots_for(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """The origin's robots.txt, fetched once per client (through the same gate and retries). A missing or
        refused robots.txt allows everything, as the robots exclusion standard says."""
        if origin not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            resp = self._attempts(f"{origin}/robots.txt", {})
            if 200 <= resp.status < 300:
                parser.parse(resp.data.decode("utf-8", "replace").splitlines())
            else:
                parser.parse([])
            self._robots[origin] = parser
        return self._robots[origin]

    # --- one request, retried ------------------------------------------------------------------------------------

    def _attempts(self, url: str, headers: dict[str, str]) -> Response:
        p = self.politeness
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(p.retries + 1),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type((_Retry, httpx.TransportError)),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    n = attempt.retry_state.attempt_number
                    return self._once(url, headers, n)
        except _Retry as exc:
            raise TransientFetchError(url, f"HTTP {exc.status} after {p.retries + 1} attempts") from None
        except httpx.TimeoutException as exc:
            raise TransientFetchError(url, f"timed out after {p.retries + 1} attempts ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise TransientFetchError(url, f"{type(exc).__name__} after {p.retries + 1} attempts: {exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover - tenacity either returns or raises

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """Exponential backoff (`backoff` × 2^n, at most `max_backoff`) with up to `backoff` of jitter; a server's
        `Retry-After` instead when it sent one."""
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retry) and exc.retry_after is not None:
            return min(exc.retry_after, self.politeness.max_backoff)
        p = self.politeness
        return float(tenacity.wait_exponential_jitter(multiplier=p.backoff, max=p.max_backoff, jitter=p.backoff)(state))

    def _once(self, url: str, headers: dict[str, str], attempt: int) -> Response:
        gate = self._gate(urlsplit(url).netloc.lower())
        with gate.slots:
            with gate.lock:
                now = time.monotonic()
                start = max(now, gate.next_start)
                gate.next_start = start + self.politeness.min_interval
            if start > now:
                self._sleep(start - now)
            with self._http.stream("GET", url, headers=headers) as r:
                if r.status_code >= 500 or r.status_code == 429:
                    raise _Retry(r.status_code, _retry_after(r.headers.get("retry-after")))
                data = self._read_capped(url, r)
                return Response(
                    url=str(r.url),
                    status=r.status_code,
                    headers={k.lower(): v for k, v in r.headers.items()},
                    data=data,
                    attempts=attempt,
                    fetched_at=dt.datetime.now(dt.UTC),
                )

    def _read_capped(self, url: str, r: httpx.Response) -> bytes:
        cap = self.politeness.max_bytes
        declared = r.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise RefusedError(url, f"response of {declared} bytes is over the size cap of {cap}")
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise RefusedError(url, f"response over the size cap of {cap} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _gate(self, host: str) -> _Gate:
        with self._gates_lock:
            if host not in self._gates:
                self._gates[host] = _Gate(threading.BoundedSemaphore(max(1, self.politeness.concurrency)))
            return self._gates[host]


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
