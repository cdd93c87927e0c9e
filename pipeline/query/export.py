"""`export_query`: a query's result over the lake's views, written as Parquet, CSV or JSON lines by DuckDB."""

from __future__ import annotations

from pathlib import Path

from pipeline.query.views import connect

FORMATS = {".parquet": "(FORMAT parquet, COMPRESSION zstd)", ".csv": "(FORMAT csv, HEADER)", ".jsonl": "(FORMAT json)"}


def export_query(lake: str, query: str, to: Path) -> int:
    """Run `query` over the lake's views and write the rows to `to` (format from its suffix); returns the row
    count. The file is written beside its final name and renamed, so a failed export leaves no half file."""
    fmt = FORMATS.get(to.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot export to {to.name}: use a .parquet, .csv or .jsonl file")
    con = connect(lake)
    to.parent.mkdir(parents=True, exist_ok=True)
    tmp = to.with_name(f".{to.name}.part")
    body = query.strip().rstrip(";")
    n = con.execute(f"COPY ({body}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' {fmt}").fetchone()  # row count
    tmp.replace(to)
    return int(n[0]) if n else 0
