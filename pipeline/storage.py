"""Object store over a local folder or S3, with atomic single-object writes.

One `Store` wraps a `pyarrow.fs` file system and a base path; keys are `/`-separated and relative to the base.
`write_bytes` is atomic for readers: locally the bytes go to a temporary file in the same folder and are renamed
over the target; on S3 a single PUT replaces the object whole. Each lake partition is one object per table and
day, so swapping one object swaps the whole partition.

S3 settings come from `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pyarrow.fs as pafs


@dataclass(frozen=True, slots=True)
class S3Options:
    """Connection facts for an S3-compatible store (never logged whole: `secret_key` stays out of `repr`)."""

    endpoint_url: str | None
    access_key: str | None
    secret_key: str | None
    region: str

    def __repr__(self) -> str:
        return f"S3Options(endpoint_url={self.endpoint_url!r}, region={self.region!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> S3Options:
        env = os.environ if env is None else env
        return cls(
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            access_key=env.get("AWS_ACCESS_KEY_ID") or None,
            secret_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        )


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
        self.fs.create_dir(target.rsplit("/", 1)[0], recursive=True)
        if self.is_s3:
            with self.fs.open_output_stream(target) as out:
                out.write(data)
            return
        # A local rename within one folder is atomic; a temp name that starts with "." keeps globs off it.
        folder, name = target.rsplit("/", 1)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        with self.fs.open_output_stream(tmp) as out:
            out.write(data)
        os.replace(tmp, target)

    def read_bytes(self, key: str) -> bytes:
        """The object's bytes; `FileNotFoundError` if absent."""
        with self.fs.open_input_stream(self.path(key)) as f:
            data: bytes = f.read()
            return data

    def exists(self, key: str) -> bool:
        return self.fs.get_file_info(self.path(key)).type == pafs.FileType.File

    def list(self, prefix: str) -> list[str]:
        """Keys of the objects under a prefix (a folder), sorted; empty when the folder does not exist."""
        selector = pafs.FileSelector(self.path(prefix), recursive=True, allow_not_found=True)
        infos = self.fs.get_file_info(selector)
        keys = [i.path[len(self.base) + 1 :] for i in infos if i.type == pafs.FileType.File]
        return sorted(k for k in keys if not k.rsplit("/", 1)[-1].startswith("."))

    def delete(self, key: str) -> None:
        """Remove one object if it exists."""
        if self.exists(key):
            self.fs.delete_file(self.path(key))


def open_store(uri: str, env: Mapping[str, str] | None = None) -> Store:
    """Open `PATH` or `s3://bucket/prefix`. Local folders are created; S3 buckets must exist."""
    if uri.startswith("s3://"):
        opts = S3Options.from_env(env)
        parsed = urlparse(uri)
        kwargs: dict[str, object] = {"region": opts.region}
        if opts.access_key:
            kwargs.update(access_key=opts.access_key, secret_key=opts.secret_key)
        if opts.endpoint_url:
            ep = urlparse(opts.endpoint_url)
            kwargs.update(endpoint_override=ep.netloc or ep.path, scheme=ep.scheme or "https")
        fs = pafs.S3FileSystem(**kwargs)  # type: ignore[arg-type]
        base = f"{parsed.netloc}{parsed.path}".rstrip("/")
        return Store(fs, base, uri, opts)
    root = Path(uri).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    return Store(pafs.LocalFileSystem(), root.as_posix(), root.as_posix())
