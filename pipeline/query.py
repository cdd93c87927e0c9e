"""DuckDB over the lake: extensions from their PyPI wheels, an S3 secret when the lake is on S3, views from `sql/`.

Each file in `sql/` holds one `CREATE OR REPLACE VIEW`, named as the file; `{lake}` in it is replaced by the lake's
URL. Base views (`articles`, `pages`, `issues`) are created before derived ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

import duckdb

from pipeline.storage import Store, open_store

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
BASE_VIEWS = ("articles", "pages", "issues")


class LakeEmptyError(RuntimeError):
    """The lake has no archived day yet."""


def extension_path(name: str) -> str:
    """Path of a DuckDB extension binary shipped by the `duckdb-extension-<name>` wheel for this DuckDB version."""
    module = importlib.import_module(f"duckdb_extension_{name}")
    root = Path(str(module.__file__)).parent / "extensions" / f"v{duckdb.__version__}"
    return str(next(root.glob(f"{name}.duckdb_extension")))


def connect(lake: str, env: Mapping[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake's views. Raises `LakeEmptyError` when nothing is archived yet."""
    store = open_store(lake, env)
    con = duckdb.connect()
    con.execute(f"LOAD '{extension_path('fts')}'")
    if store.is_s3:
        _attach_s3(con, store)
    if not store.list("issues"):
        raise LakeEmptyError(f"the lake at {store.uri} has no archived day yet; run `epaper run --date …` first")
    for path in view_files():
        con.execute(path.read_text(encoding="utf-8").replace("{lake}", store.url("").rstrip("/")))
    return con


def view_files() -> list[Path]:
    """`sql/*.sql`, base views first, then the rest by name."""
    files = sorted(SQL_DIR.glob("*.sql"))
    return sorted(files, key=lambda p: (p.stem not in BASE_VIEWS, BASE_VIEWS.index(p.stem) if p.stem in BASE_VIEWS else 0, p.stem))


def _attach_s3(con: duckdb.DuckDBPyConnection, store: Store) -> None:
    con.execute(f"LOAD '{extension_path('httpfs')}'")
    opts = store.s3
    assert opts is not None
    parts = ["TYPE s3", f"REGION '{opts.region}'"]
    if opts.access_key:
        parts += [f"KEY_ID '{opts.access_key}'", f"SECRET '{opts.secret_key}'"]
    if opts.endpoint_url:
        scheme, _, host = opts.endpoint_url.partition("://")
        parts += [f"ENDPOINT '{host.rstrip('/')}'", "URL_STYLE 'path'", f"USE_SSL {str(scheme == 'https').lower()}"]
    con.execute(f"CREATE OR REPLACE SECRET lake ({', '.join(parts)})")
