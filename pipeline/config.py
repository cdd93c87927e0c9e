"""Settings: which paper, where issues come from, where the lake lives.

Resolution order for every setting: explicit argument (a CLI flag), then the environment (`EPAPER_PAPER`,
`EPAPER_SOURCE`, `EPAPER_LAKE`), then the default (the bundled sample folder, `./lake`). A paper's fixed facts
(name, time zone, site) live in a TOML profile under `pipeline/papers/`, so a new paper of the same family is a new
profile, not new code.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DEFAULT_PAPER = "dqnews"
DEFAULT_LAKE = "./lake"


def bundled_sample_root() -> Path:
    """Folder of the bundled sample source (`<root>/<paper>/<date>/<NN>.txt`), shipped inside the package."""
    return Path(str(resources.files("pipeline") / "samples"))


@dataclass(frozen=True, slots=True)
class HtmlSelectors:
    """CSS selectors reading the e-paper's HTML (the profile's `[html]` table): `article` matches one element
    per article of a page; the others are looked up inside it. The defaults are the Founder (方正) e-paper
    family's elements, which many Chinese dailies' e-papers are built on."""

    article: str = "article"
    kicker: str = "founder-introtitle"
    title: str = "founder-title"
    subtitle: str = "founder-subtitle"
    author: str = "founder-author"
    body: str = "founder-content p"


@dataclass(frozen=True, slots=True)
class PaperProfile:
    """Fixed facts about one newspaper, read from `pipeline/papers/<paper_id>.toml`."""

    paper_id: str
    name: str
    timezone: str
    publish_time: str
    site_url: str
    min_articles_per_page: int = 1
    max_articles_per_page: int = 30
    # A page read from PDF whose articles agree with the e-paper's HTML of the page less than this fails the
    # day's quality check (see `pipeline.checks.agreement`).
    min_html_agreement: float = 0.9
    html: HtmlSelectors = HtmlSelectors()


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs; built once and passed down as an argument."""

    paper: PaperProfile
    source: str
    lake: str


def list_papers() -> list[str]:
    """The ids of every paper with a profile under `pipeline/papers/`, sorted (one daily DAG each)."""
    folder = resources.files("pipeline") / "papers"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


@functools.cache
def load_profile(paper_id: str) -> PaperProfile:
    """Read a paper profile; raises `KeyError` naming the known papers when there is none."""
    path = resources.files("pipeline") / "papers" / f"{paper_id}.toml"
    if not path.is_file():
        raise KeyError(f"no profile for paper {paper_id!r}; known papers: {', '.join(list_papers())}")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    html = HtmlSelectors(**data.pop("html", {}))
    return PaperProfile(**data, html=html)


def resolve_settings(
    paper: str | None = None,
    source: str | None = None,
    lake: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Flag, then environment, then default, for each setting. Reads no files other than the profile."""
    env = os.environ if env is None else env
    paper_id = paper or env.get("EPAPER_PAPER") or DEFAULT_PAPER
    return Settings(
        paper=load_profile(paper_id),
        source=source or env.get("EPAPER_SOURCE") or str(bundled_sample_root()),
        lake=lake or env.get("EPAPER_LAKE") or DEFAULT_LAKE,
    )
