"""The source registry: `spiders/sources.toml` loaded into frozen dataclasses (no Scrapy import)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from pipelines.normalize.fr_data import REGIONS

STRATEGIES = ("auto", "tribe", "openagenda", "ical", "rss", "jsonld", "html", "roundup")
"""`auto` probes the site; any other value names the extractor the start URLs are meant for."""

CONFIDENCES = ("high", "medium", "low", "guess")
_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Source:
    """One agenda source as the registry describes it."""

    id: str
    """Spider name and `Event.source`, e.g. 'cress_occitanie'."""
    name: str
    region_code: str | None
    """INSEE région code ('76'), None for national sources."""
    home: str
    """Absolute URL of the site's home page on the real site."""
    start_urls: tuple[str, ...]
    strategy: str
    enabled: bool
    hosts: tuple[str, ...]
    """Hosts that belong to the source (same-site rule); the first is the main one."""
    domain_confidence: str
    engine: str
    """What is known of the site's engine ('WordPress?', 'SPIP likely', 'unknown')."""
    engine_confidence: str
    sample_engine: str
    """The engine the offline sample site imitates."""
    notes: str = ""

    @property
    def home_url(self) -> str:
        return self.home

    @property
    def region(self) -> str | None:
        """Région name, e.g. 'Occitanie'."""
        region = REGIONS.get(self.region_code or "")
        return region.name if region else None


class RegistryError(ValueError):
    """The registry file breaks one of its rules."""


def parse_sources(text: str) -> list[Source]:
    """Parse registry TOML (a list of `[[source]]` tables) and check every rule."""
    data = tomllib.loads(text)
    out: list[Source] = []
    seen: set[str] = set()
    for raw in data.get("source", []):
        src = _build(raw)
        if src.id in seen:
            raise RegistryError(f"duplicate source id {src.id!r}")
        seen.add(src.id)
        out.append(src)
    return out


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RegistryError(f"expected a list of strings, got {value!r}")
    return tuple(str(v) for v in value)


def _build(raw: dict[str, object]) -> Source:
    sid = str(raw.get("id", ""))
    if not _ID_RE.match(sid):
        raise RegistryError(f"bad source id {sid!r}: snake_case expected")
    home = str(raw.get("home", ""))
    start_urls = _strings(raw.get("start_urls")) or (home,)
    for url in (home, *start_urls):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(f"{sid}: {url!r} is not an absolute http(s) URL")
    region_code = raw.get("region_code") or None
    if region_code is not None and str(region_code) not in REGIONS:
        raise RegistryError(f"{sid}: unknown région code {region_code!r}")
    strategy = str(raw.get("strategy", "auto"))
    if strategy not in STRATEGIES:
        raise RegistryError(f"{sid}: strategy {strategy!r} not in {STRATEGIES}")
    hosts = _strings(raw.get("hosts"))
    main_host = urlsplit(home).netloc
    if main_host not in hosts:
        hosts = (main_host, *hosts)
    for url in start_urls:
        if urlsplit(url).netloc not in hosts:
            raise RegistryError(f"{sid}: start URL {url!r} is not on one of its hosts {hosts}")
    confidences = (str(raw.get("domain_confidence", "")), str(raw.get("engine_confidence", "")))
    for conf in confidences:
        if conf not in CONFIDENCES:
            raise RegistryError(f"{sid}: confidence {conf!r} not in {CONFIDENCES}")
    return Source(
        id=sid,
        name=str(raw.get("name") or sid),
        region_code=str(region_code) if region_code else None,
        home=home,
        start_urls=start_urls,
        strategy=strategy,
        enabled=bool(raw.get("enabled", True)),
        hosts=hosts,
        domain_confidence=confidences[0],
        engine=str(raw.get("engine", "unknown")),
        engine_confidence=confidences[1],
        sample_engine=str(raw.get("sample_engine", "")),
        notes=" ".join(str(raw.get("notes", "")).split()),
    )


@cache
def load_sources() -> tuple[Source, ...]:
    """Every registry entry, enabled or not, in file order."""
    text = resources.files("spiders").joinpath("sources.toml").read_text(encoding="utf-8")
    return tuple(parse_sources(text))


def load_registry() -> list[Source]:
    """Every registry entry, enabled or not, as a list (the CLI's name for `load_sources`)."""
    return list(load_sources())


def get_source(source_id: str) -> Source:
    """The entry with this id; KeyError if there is none."""
    for src in load_sources():
        if src.id == source_id:
            return src
    raise KeyError(source_id)


def enabled_sources() -> list[Source]:
    """Entries a scheduled crawl should run."""
    return [s for s in load_sources() if s.enabled]


def sources_markdown(sources: Iterable[Source] | None = None) -> str:
    """The registry as the README's Markdown table (id, région, domain, confidence, engine, state)."""
    lines = [
        "| source | région | domain (confidence) | engine known (confidence) | offline sample imitates | enabled |",
        "|---|---|---|---|---|---|",
    ]
    for source in sources if sources is not None else load_sources():
        lines.append(
            f"| `{source.id}` | {source.region or 'national'} | {source.hosts[0] if source.hosts else source.home}"
            f" ({source.domain_confidence}) | {source.engine} ({source.engine_confidence}) | "
            f"{source.sample_engine} | {'yes' if source.enabled else 'no: domain unconfirmed'} |"
        )
    return "\n".join(lines)
