"""Object store over a local folder or S3, with atomic single-object writes.

One `Store` wraps a `pyarrow.fs` file system and a base path; keys are `/`-separated and relative to the
base. `write_bytes` is atomic for readers: locally the bytes go to a temporary file in the same folder and are
renamed over the target; on S3 a single PUT replaces the object whole (objects above pyarrow's part size go up
as a multipart upload, which S3 also publishes whole, on completion). Each lake partition is one object per
table and day, so swapping one object swaps the whole partition.

S3 settings come from `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_S3`), `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_REGION`; with an endpoint, buckets are addressed path-style
(`http://host:port/bucket/key`), as SeaweedFS and MinIO expect. Timeouts are short so a dead or wrong endpoint
fails in seconds, not minutes: `EPAPER_S3_CONNECT_TIMEOUT` (s, default 3), `EPAPER_S3_REQUEST_TIMEOUT` (s
without a byte, default 5) and `EPAPER_S3_MAX_ATTEMPTS` (default 3). Any S3 failure other than a missing
object is raised as `StoreError`: one line naming the store and what to check, never the secret.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pyarrow.fs as pafs


class StoreError(OSError):
    """The object store could not be used (unreachable, credentials refused, no such bucket, ...).

    The message is one line naming the store, the operation and what to check; it never holds a secret.
    `retryable` is True for network failures, which may pass, and False for refusals, which will not.
    """

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class S3Options:
    """Connection facts for an S3-compatible store (never logged whole: the keys stay out of `repr`)."""

    endpoint_url: str | None
    access_key: str | None
    secret_key: str | None
    region: str
    connect_timeout: float = 3.0
    request_timeout: float = 5.0
    max_attempts: int = 3

    def __repr__(self) -> str:
        return f"S3Options(endpoint_url={self.endpoint_url!r}, region={self.region!r})"

    @property
    def scheme(self) -> str:
        """`http` or `https` from the endpoint URL (`https` when it names none)."""
        if self.endpoint_url and "://" in self.endpoint_url:
            return self.endpoint_url.split("://", 1)[0].lower()
        return "https"

    @property
    def host(self) -> str | None:
        """`host:port` of the endpoint, without scheme or path; None for AWS's own endpoints."""
        if not self.endpoint_url:
            return None
        rest = self.endpoint_url.split("://", 1)[-1]
        return rest.split("/", 1)[0] or None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> S3Options:
        env = os.environ if env is None else env
        return cls(
            endpoint_url=env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None,
            access_key=env.get("AWS_ACCESS_KEY_ID") or None,
            secret_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            connect_timeout=float(env.get("EPAPER_S3_CONNECT_TIMEOUT") or 3.0),
            request_timeout=float(env.get("EPAPER_S3_REQUEST_TIMEOUT") or 5.0),
            max_attempts=int(env.get("EPAPER_S3_MAX_ATTEMPTS") or 3),
        )

    def delta_options(self) -> dict[str, str]:
        """The same settings as delta-rs (object_store) storage options: path-style with an endpoint, plain
        HTTP only for an `http://` endpoint, conditional put by ETag (so concurrent commits are safe without a
        lock service; SeaweedFS, MinIO and AWS S3 honour `If-None-Match`), the same timeouts and retries."""
        opts = {
            "aws_region": self.region,
            "aws_conditional_put": "etag",
            "aws_virtual_hosted_style_request": "false",
            "connect_timeout": f"{self.connect_timeout:g}s",
            "timeout": f"{max(self.request_timeout, 30.0):g}s",  # a whole request (a data file), not a byte
            "max_retries": str(max(0, self.max_attempts - 1)),
            "retry_timeout": f"{self.request_timeout * self.max_attempts:g}s",
        }
        if self.access_key:
            opts.update(aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key or "")
        if self.endpoint_url:
            opts["aws_endpoint_url"] = self.endpoint_url
            opts["aws_allow_http"] = str(self.scheme == "http").lower()
        return opts

    def filesystem(self) -> pafs.S3FileSystem:
        """A pyarrow S3 client: path-style with an endpoint, short timeouts, single-PUT small writes.

        `allow_delayed_open` makes an output stream start its upload on close, so an object smaller than the
        part size goes up as one PutObject instead of a multipart upload.
        """
        kwargs: dict[str, object] = {
            "region": self.region,
            "connect_timeout": self.connect_timeout,
            "request_timeout": self.request_timeout,
            "retry_strategy": pafs.AwsStandardS3RetryStrategy(max_attempts=self.max_attempts),
            "allow_delayed_open": True,
        }
        if self.access_key:
            kwargs.update(access_key=self.access_key, secret_key=self.secret_key)
        if self.host:
            kwargs.update(endpoint_override=self.host, scheme=self.scheme, force_virtual_addressing=False)
        return pafs.S3FileSystem(**kwargs)


class Store:
    """A folder of objects, local or on S3. Construct with `open_store`."""

    def __init__(self, fs: pafs.FileSystem, base: str, uri: str, s3: S3Options | None = None) -> None:
        self.fs = fs
        self.base = base.rstrip("/")
        self.uri = uri.rstrip("/")
        self.s3 = s3

    @property
    def is_s3(self) -> bool:
        return self.s3 is not None

    def path(self, key: str) -> str:
        """File-system path of a key (for pyarrow)."""
        return f"{self.base}/{key}" if key else self.base

    def url(self, key: str) -> str:
        """URL of a key for DuckDB: `s3://bucket/prefix/key` or an absolute local path."""
        return f"{self.uri}/{key}" if key else self.uri

    def write_bytes(self, key: str, data: bytes) -> None:
        """Write an object so readers see either the old bytes or the new, never a part."""
        target = self.path(key)
        if self.is_s3:
            # No folders on S3: the one PUT (sent on close) creates or replaces the object whole.
            with self._s3_errors("write", key), self.fs.open_output_stream(target, compression=None) as out:
                out.write(data)
            return
        self.fs.create_dir(target.rsplit("/", 1)[0], recursive=True)
        # A local rename within one folder is atomic; a temp name that starts with "." keeps globs off it.
        folder, name = target.rsplit("/", 1)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        with self.fs.open_output_stream(tmp, compression=None) as out:
            out.write(data)
        os.replace(tmp, target)

    def read_bytes(self, key: str) -> bytes:
        """The object's bytes, all from one version of it; `FileNotFoundError` if absent.

        Bytes are never decompressed (`compression=None`), whatever the key's extension.
        """
        if self.is_s3:
            with self._s3_errors("read", key):
                return self._read_s3(key)
        with self.fs.open_input_stream(self.path(key), compression=None) as f:
            data: bytes = f.read()
        return data

    def _read_s3(self, key: str, attempts: int = 5) -> bytes:
        """Read an object whole while it may be replaced: retry until one ranged GET returned all of one version.

        pyarrow reads the size with a HEAD, then GETs that range; a replacement in between would give a prefix
        of a larger object (or a 416 for a smaller one). The object's size and mtime, the same before and after
        and equal to the bytes read, rule that out for one replacement during the read; only two replacements,
        the second restoring the first's size within the same second (mtime has 1 s resolution), could slip by.
        """
        path = self.path(key)
        for _ in range(attempts):
            before = self.fs.get_file_info(path)
            if before.type != pafs.FileType.File:
                raise FileNotFoundError(f"no object {self.url(key)}")
            try:
                with self.fs.open_input_file(path) as f:
                    data: bytes = f.read()
            except OSError as exc:
                if "InvalidRange" in str(exc) and not isinstance(exc, FileNotFoundError):
                    continue  # replaced by a smaller object between pyarrow's HEAD and GET
                raise
            after = self.fs.get_file_info(path)
            if len(data) == before.size == after.size and before.mtime == after.mtime:
                return data
        raise StoreError(f"cannot read {self.url(key)}: it kept changing while being read", retryable=True)

    def require_bucket(self) -> None:
        """On S3, raise `StoreError` when the bucket does not exist (a listing of a missing bucket is just empty)."""
        if self.s3 is None:
            return
        bucket = self.base.split("/", 1)[0]
        with self._s3_errors("look up", ""):
            info = self.fs.get_file_info(bucket)
        if info.type == pafs.FileType.NotFound:
            raise StoreError(
                f"cannot use {self.uri}: no such bucket on {self.s3.endpoint_url or 'AWS S3'} (create it first)"
            )

    def exists(self, key: str) -> bool:
        with self._s3_errors("look up", key):
            info = self.fs.get_file_info(self.path(key))
        return bool(info.type == pafs.FileType.File)

    def list(self, prefix: str) -> list[str]:
        """Keys of the objects under a prefix (a folder), sorted; empty when the folder does not exist."""
        return sorted(self.stamps(prefix))

    def stamps(self, prefix: str) -> dict[str, tuple[int, str]]:
        """(size, mtime) of every object under a prefix, by key, from one listing (on S3 one LIST request per
        1,000 keys, not a HEAD per object): tells which cached copies are still current."""
        selector = pafs.FileSelector(self.path(prefix), recursive=True, allow_not_found=True)
        with self._s3_errors("list", prefix):
            infos = self.fs.get_file_info(selector)
        return {
            key: (int(i.size or 0), i.mtime.isoformat() if i.mtime else "")
            for i in infos
            if i.type == pafs.FileType.File
            and not (key := i.path[len(self.base) + 1 :]).rsplit("/", 1)[-1].startswith(".")
        }

    def delete(self, key: str) -> None:
        """Remove one object if it exists."""
        if self.exists(key):
            with self._s3_errors("delete", key):
                self.fs.delete_file(self.path(key))

    def delete_prefix(self, prefix: str) -> int:
        """Remove every object under a prefix (a folder) and, on a local disk, the folder itself, so nothing
        empty is left behind. Returns how many objects were removed."""
        keys = self.list(prefix)
        for key in keys:
            self.delete(key)
        if self.s3 is None:  # folders exist on a disk only: remove it, then its parents left empty
            parts = prefix.strip("/").split("/")
            folder = self.path(prefix)
            if self.fs.get_file_info(folder).type == pafs.FileType.Directory:
                self.fs.delete_dir_contents(folder, missing_dir_ok=True)
            for n in range(len(parts), 0, -1):
                # `os.rmdir` removes a folder only if it is empty, in one step: a run writing into a parent
                # meanwhile (another date's staging) keeps its files.
                try:
                    os.rmdir(self.path("/".join(parts[:n])))
                except OSError:
                    break
        return len(keys)

    @contextmanager
    def _s3_errors(self, action: str, key: str) -> Iterator[None]:
        """On S3, turn pyarrow's `OSError`s (but not a missing object) into one-line `StoreError`s."""
        try:
            yield
        except FileNotFoundError:
            raise
        except OSError as exc:
            if self.s3 is None or isinstance(exc, StoreError):
                raise
            raise s3_error(self.s3, action, self.url(key), exc) from exc


def s3_error(opts: S3Options, action: str, url: str, exc: BaseException) -> StoreError:
    """A `StoreError` saying what failed and what to check, from pyarrow's (long, AWS SDK) message."""
    text = str(exc)
    endpoint = opts.endpoint_url or "AWS S3"
    if "NETWORK_CONNECTION" in text or "curlCode" in text:
        if "curlCode: 28" in text:
            cause = f"timed out waiting for the S3 endpoint {endpoint}"
        else:
            cause = f"could not connect to the S3 endpoint {endpoint}"
        return StoreError(
            f"cannot {action} {url}: {cause} (check AWS_ENDPOINT_URL and that the server is up)", retryable=True
        )
    if any(code in text for code in ("INVALID_ACCESS_KEY_ID", "SIGNATURE_DOES_NOT_MATCH", "ACCESS_DENIED")):
        return StoreError(
            f"cannot {action} {url}: the S3 endpoint {endpoint} refused the credentials "
            "(check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
        )
    if "NO_SUCH_BUCKET" in text or ("Bucket" in text and "not found" in text):
        return StoreError(f"cannot {action} {url}: no such bucket on {endpoint} (create it first)")
    first_line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return StoreError(f"cannot {action} {url} on {endpoint}: {first_line}", retryable=True)


def open_store(uri: str, env: Mapping[str, str] | None = None) -> Store:
    """Open `PATH` or `s3://bucket/prefix`. Local folders are created; S3 buckets must exist."""
    if uri.startswith("s3://"):
        opts = S3Options.from_env(env)
        parsed = urlparse(uri)
        base = f"{parsed.netloc}{parsed.path}".rstrip("/")
        return Store(opts.filesystem(), base, uri, opts)
    root = Path(uri).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    return Store(pafs.LocalFileSystem(), root.as_posix(), root.as_posix())
