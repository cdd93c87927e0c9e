"""`epaper …`: a thin layer over the library; every command calls the functions the DAG calls.

`common` holds the app and the shared options; `days` and `lake` each add their commands to it when imported.
"""

from __future__ import annotations

from pipeline.cli import days, lake
from pipeline.cli.common import app

__all__ = ["app", "days", "lake", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app()
