"""A replica of Founder-family e-paper sites on 127.0.0.1, for tests and for trying the fetcher without the
network: `render.render_site` renders it from the project's page generator, `server.ReplicaServer` serves it
with faults on request. `epaper replica serve` and the tests' `replica` fixture use the same code."""

from __future__ import annotations

import os
from pathlib import Path


def default_root() -> Path:
    """Where `epaper replica serve` renders the site when no `--root` is given: `$EPAPER_REPLICA_ROOT`, else
    `~/.cache/epaper-archive/replica`."""
    env = os.environ.get("EPAPER_REPLICA_ROOT")
    return Path(env) if env else Path.home() / ".cache" / "epaper-archive" / "replica"
