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
from importlib.abc import Traversable
from pathlib import Path

from pipeline.profiles import SiteProfile, problems, site_profile

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
    site_url: str = ""  # the e-paper's public address, for people; the fetcher uses `site.base_url`
    min_articles_per_page: int = 1
    max_articles_per_page: int = 30
    # A page read from PDF whose articles agree with the e-paper's HTML of the page less than this fails the
    # day's quality check (see `pipeline.checks.agreement`).
    min_html_agreement: float = 0.9
    html: HtmlSelectors = HtmlSelectors()
    site: SiteProfile | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs; built once and passed down as an argument."""

    paper: PaperProfile
    source: str
    lake: str


def _profile_dirs() -> list[Traversable]:
    """Where profiles are: `pipeline/papers/`, then the folders in `EPAPER_PAPERS` (`os.pathsep`-separated), so a
    new paper is one TOML file, bundled or beside the deployment."""
    extra = [Path(p) for p in os.environ.get("EPAPER_PAPERS", "").split(os.pathsep) if p]
    return [resources.files("pipeline") / "papers", *extra]


def _profile_path(paper_id: str) -> Traversable | None:
    for folder in reversed(_profile_dirs()):
        path = folder / f"{paper_id}.toml"
        if path.is_file():
            return path
    return None


def list_papers() -> list[str]:
    """The ids of every paper with a profile (see `_profile_dirs`), sorted (one daily DAG each)."""
    names = {
        p.name.removesuffix(".toml")
        for folder in _profile_dirs()
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name.endswith(".toml")
    }
    return sorted(names)


def load_profile(paper_id: str) -> PaperProfile:
    """Read a paper profile; raises `KeyError` naming the known papers when there is none, `ValueError` naming
    the field for a profile that does not parse (`profile_problems` lists every problem)."""
    path = _profile_path(paper_id)
    if path is None:
        raise KeyError(f"no profile for paper {paper_id!r}; known papers: {', '.join(list_papers())}")
    return _parse_profile(path.read_text(encoding="utf-8"))


@functools.cache
def _parse_profile(text: str) -> PaperProfile:
    data = tomllib.loads(text)
    html = HtmlSelectors(**data.pop("html", {}))
    site = data.pop("site", None)
    return PaperProfile(**data, html=html, site=site_profile(site) if site is not None else None)


def profile_problems(paper_id: str) -> list[str]:
    """Every problem of a paper's profile in words (missing or unknown fields, bad values); empty when valid."""
    path = _profile_path(paper_id)
    if path is None:
        return [f"no profile for paper {paper_id!r}; known papers: {', '.join(list_papers())}"]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [f"not valid TOML: {exc}"]
    found = problems(data)
    if not found:
        try:
            _parse_profile(path.read_text(encoding="utf-8"))
        except (TypeError, ValueError, KeyError) as exc:
            found.append(f"does not load: {exc}")
    return found


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
