"""E-paper site profiles: the `[site]` table of a paper's TOML, over the defaults of its Founder URL family
(`pipeline/papers/families/<family>.toml`: classic, nbs, pc), and the checks `epaper papers check` runs.

A profile names the family, the base URL, the templates (day's first page index, entry page, calendar), CSS
selectors for every field, the encoding (`auto`: headers, then `<meta>`, GB18030 for GBK/GB2312), politeness and
the weekdays the paper comes out. A profile may change family by date (`[[site.eras]]` with `since`). Pure: reads
only the bundled family files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import resources
from typing import Any

FAMILIES = ("classic", "nbs", "pc")


@dataclass(frozen=True, slots=True)
class Politeness:
    """How hard a paper's site may be asked (`[site.politeness]`). Defaults follow published scrapers of these
    sites: two requests at a time per host, a second between request starts, a few retries."""

    user_agent: str = "epaper-archive/0.1 (newspaper archive; polite crawler)"
    referer: str | None = None
    concurrency: int = 2
    min_interval: float = 1.0
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_bytes: int = 50_000_000
    robots: bool = True


@dataclass(frozen=True, slots=True)
class SiteSelectors:
    """CSS selectors reading a Founder-family site (`[site.selectors]`, over the family's defaults). Page index:
    `page_list` (links to the day's pages), `page_name` (`第01版：要闻`), `page_pdf`, `page_image`, `hotspots`
    (`<area>` over the page image), `article_links`, `printed_date`. Article page: `kicker`, `title`, `subtitle`,
    `author`, `body` (one element per paragraph), `captions`; `strip`: elements removed before reading it."""

    page_list: str
    page_name: str
    page_pdf: str
    page_image: str
    hotspots: str
    article_links: str
    kicker: str
    title: str
    subtitle: str
    author: str
    body: str
    captions: str
    printed_date: str
    strip: str = "script, style"  # elements removed from an article page before reading it


@dataclass(frozen=True, slots=True)
class SiteEra:
    """The site as it is from `since` (None: from the start) until the next era: URL family, templates, markup.
    Templates are relative to the base URL and filled with `str.format(date=…)` (`{date:%Y-%m}`)."""

    since: dt.date | None
    family: str
    day_index: str
    entry: str
    calendar: str
    encoding: str
    selectors: SiteSelectors


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """A paper's e-paper site (`[site]`): where it is, how it is built per era, how politely to ask it.
    `base_url_verified` is False for an address that could not be checked against the live site."""

    base_url: str
    base_url_verified: bool
    hosts: tuple[str, ...]
    weekdays: tuple[int, ...]  # ISO weekdays (1 = Monday) the paper is published on
    politeness: Politeness
    eras: tuple[SiteEra, ...]

    def era(self, day: dt.date) -> SiteEra:
        """The era in force on `day`."""
        current = self.eras[0]
        for era in self.eras:
            if era.since is None or era.since <= day:
                current = era
        return current


def family_defaults(family: str) -> dict[str, Any]:
    """The family's templates and selectors (`pipeline/papers/families/<family>.toml`)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown site family {family!r}: use one of {', '.join(FAMILIES)}")
    path = resources.files("pipeline") / "papers" / "families" / f"{family}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


_ERA_KEYS = ("family", "day_index", "entry", "calendar", "encoding", "selectors")


def site_profile(site: Mapping[str, Any]) -> SiteProfile:
    """`[site]` of a profile as a `SiteProfile`: each era is its family's defaults overlaid with the profile's
    settings (`[site]` for the first era, `[[site.eras]]` entries from their `since` date)."""
    base = {k: site[k] for k in _ERA_KEYS if k in site}
    eras = [_era(None, base)]
    for entry in site.get("eras", []):
        merged = {**base, **{k: v for k, v in entry.items() if k != "since"}}
        merged["selectors"] = {**base.get("selectors", {}), **entry.get("selectors", {})}
        if "family" in entry and "selectors" not in entry:
            merged["selectors"] = {}
        eras.append(_era(entry["since"], merged))
    url = str(site["base_url"])
    host = _host(url)
    return SiteProfile(
        base_url=url if url.endswith("/") else url + "/",
        base_url_verified=bool(site.get("base_url_verified", False)),
        hosts=tuple(site.get("hosts", [host])),
        weekdays=tuple(site.get("weekdays", range(1, 8))),
        politeness=Politeness(**site.get("politeness", {})),
        eras=tuple(sorted(eras, key=lambda e: e.since or dt.date.min)),
    )


def _era(since: dt.date | None, settings: Mapping[str, Any]) -> SiteEra:
    family = str(settings.get("family", "classic"))
    defaults = family_defaults(family)
    selectors = {**defaults["selectors"], **settings.get("selectors", {})}
    plain = {k: settings.get(k, defaults[k]) for k in ("day_index", "entry", "calendar", "encoding")}
    return SiteEra(since=since, family=family, selectors=SiteSelectors(**selectors), **plain)


def at_base_url(site: SiteProfile, base_url: str) -> SiteProfile:
    """The site pointed at another copy of itself (`--base-url`: a mirror, the local replica). Redirects may then
    lead only to that copy's host."""
    import dataclasses

    url = base_url if base_url.endswith("/") else base_url + "/"
    return dataclasses.replace(site, base_url=url, hosts=(_host(url),))


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower()


# --- checks ---------------------------------------------------------------------------------------------------

_TOP = {
    "paper_id",
    "name",
    "timezone",
    "publish_time",
    "site_url",
    "min_articles_per_page",
    "max_articles_per_page",
    "min_html_agreement",
    "html",
    "site",
}
_REQUIRED_TOP = ("paper_id", "name", "timezone", "publish_time")
_SITE = {"family", "base_url", "base_url_verified", "hosts", "weekdays", "politeness", "eras", *_ERA_KEYS}
_ERA = {"since", *_ERA_KEYS}


def problems(data: Mapping[str, Any]) -> list[str]:
    """Every problem of a parsed profile: missing and unknown fields, unknown family, selectors that do not
    parse or are empty, templates that do not take a date, bad weekdays or politeness values."""
    out = [f"missing field {k!r}" for k in _REQUIRED_TOP if k not in data]
    out += [f"unknown field {k!r}" for k in data if k not in _TOP]
    site = data.get("site")
    if site is None:
        return out
    if "base_url" not in site:
        out.append("missing field 'site.base_url'")
    elif not str(site["base_url"]).startswith(("http://", "https://")):
        out.append(f"site.base_url {site['base_url']!r} is not an http(s) URL")
    out += [f"unknown field 'site.{k}'" for k in site if k not in _SITE]
    out += [f"unknown field 'site.politeness.{k}'" for k in site.get("politeness", {}) if k not in _POLITE]
    out += [
        f"site.weekdays: {d!r} is not an ISO weekday 1..7" for d in site.get("weekdays", []) if d not in range(1, 8)
    ]
    eras = [("site", site)] + [(f"site.eras[{i}]", e) for i, e in enumerate(site.get("eras", []))]
    for where, era in eras:
        if where != "site":
            out += [f"unknown field '{where}.{k}'" for k in era if k not in _ERA]
            if not isinstance(era.get("since"), dt.date):
                out.append(f"missing field '{where}.since' (a date)")
        out += [f"unknown field '{where}.selectors.{k}'" for k in era.get("selectors", {}) if k not in _SELECTORS]
        if era.get("family", "classic") not in FAMILIES:
            out.append(f"{where}.family {era.get('family')!r} is not one of {', '.join(FAMILIES)}")
    if out:
        return out
    try:
        profile = site_profile(site)
    except (TypeError, ValueError, KeyError) as exc:
        return [f"site: {exc}"]
    for era in profile.eras:
        out += _era_problems(era)
    return out


_POLITE = {f.name for f in fields(Politeness)}
_SELECTORS = {f.name for f in fields(SiteSelectors)}


def _era_problems(era: SiteEra) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    where = f"site (from {era.since})" if era.since else "site"
    out = []
    probe = LexborHTMLParser("<p></p>")
    for name in sorted(_SELECTORS):
        selector = getattr(era.selectors, name)
        if not selector.strip():
            out.append(f"{where}: missing selector {name!r}")
            continue
        try:
            probe.css(selector)
        except SelectolaxError:
            out.append(f"{where}: selector {name} = {selector!r} does not parse")
    for name in ("day_index", "entry", "calendar"):
        template = getattr(era, name)
        try:
            template.format(date=dt.date(2024, 1, 2))
        except (KeyError, IndexError, ValueError) as exc:
            out.append(f"{where}: template {name} = {template!r} does not take a date ({exc})")
    if not era.day_index:
        out.append(f"{where}: missing field 'day_index'")
    return out
