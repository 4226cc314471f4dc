"""Where each published file goes, relative to the site root: feeds, the OPML list, pages, .ics files."""

from __future__ import annotations

import hashlib
import re

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS, region_code_for
from storage.exporters import Row
from storage.exporters.display import fold

FEED_FORMATS = ("rss", "json", "ics")
"""Formats people subscribe to: the ones the OPML list names."""
FORMATS = (*FEED_FORMATS, "geojson")
"""Every file written per feed scope (the feeds and their map); each key is also the file extension."""
KINDS = ("national", "online", "region", "departement")
OPML_PATH = "feeds.opml"
NATIONAL_STEM = "essagenda"

_SAFE_ID_RE = re.compile(r"[^A-Za-z0-9_-]")


def slugify(text: str) -> str:
    """ASCII slug: 'Provence-Alpes-Côte d'Azur' -> 'provence-alpes-cote-d-azur'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def region_code(region: str) -> str:
    """INSEE région code from a code ('76') or a name ('Occitanie'); ValueError when unknown."""
    code = region_code_for(region)
    if code is None:
        raise ValueError(f"unknown région: {region!r}")
    return code


def feed_paths(kind: str, key: str | None = None) -> dict[str, str]:
    """Site-relative path of each format of a feed, e.g. for ('region', '76'):
    {'rss': 'feeds/region/76-occitanie.rss', 'json': '….json', 'ics': '….ics', 'geojson': '….geojson'}.

    kind: 'national' -> essagenda.<ext>; 'online' -> feeds/online.<ext>;
    'region' (key: code or name) -> feeds/region/<code>-<slug>.<ext>;
    'departement' (key: INSEE code) -> feeds/departement/<code>.<ext>. The OPML file is OPML_PATH.
    """
    if kind == "national":
        stem = NATIONAL_STEM
    elif kind == "online":
        stem = "feeds/online"
    elif kind == "region" and key is not None:
        code = region_code(key)
        stem = f"feeds/region/{code}-{slugify(REGIONS[code].name)}"
    elif kind in ("departement", "department") and key in DEPARTMENTS:
        stem = f"feeds/departement/{key}"
    else:
        raise ValueError(f"no feed for kind={kind!r} key={key!r}")
    return {fmt: f"{stem}.{fmt}" for fmt in FORMATS}


def region_page_path(region_code: str) -> str:
    """Site-relative path of a région page of the HTML programme: 'region/76-occitanie.html'."""
    return f"region/{region_code}-{slugify(REGIONS[region_code].name)}.html"


def embed_path(kind: str, key: str) -> str:
    """Site-relative path of an embeddable widget, named like the feeds because every région code
    is also a département code ('76' is Occitanie and Seine-Maritime):
    ('region', '76') -> 'embed/region/76-occitanie.html'; ('departement', '34') -> 'embed/departement/34.html'."""
    if kind == "region":
        code = region_code(key)
        return f"embed/region/{code}-{slugify(REGIONS[code].name)}.html"
    if kind in ("departement", "department") and key in DEPARTMENTS:
        return f"embed/departement/{key}.html"
    raise ValueError(f"no widget for kind={kind!r} key={key!r}")


def event_file_id(event_id: object) -> str:
    """File-name-safe form of an event id ([A-Za-z0-9_-]); a hash suffix keeps altered ids distinct."""
    raw = str(event_id or "")
    safe = _SAFE_ID_RE.sub("_", raw)[:100]
    if safe != raw or not safe:
        safe = f"{safe}-{hashlib.sha1(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}".lstrip("-")
    return safe


def event_ics_path(row: Row) -> str:
    """Site-relative path of an event's own iCalendar file: 'events/<id-safe>.ics'."""
    return f"events/{event_file_id(row.get('id'))}.ics"


DIGEST_FORMATS = ("html", "md")
"""The weekly digest's forms: e-mail-safe HTML and Markdown; each is also the file extension."""


def digest_paths(kind: str, key: str | None, week: str) -> dict[str, str]:
    """Site-relative path of each form of a weekly digest; `week` is an ISO week ('2026-W46'):
    ('region', '76') -> {'html': 'digest/76-occitanie-2026-W46.html', 'md': '….md'};
    ('departement', '34') -> 'digest/departement/34-2026-W46.<ext>'; ('national', None) ->
    'digest/essagenda-2026-W46.<ext>'."""
    if kind == "national":
        stem = f"digest/{NATIONAL_STEM}"
    elif kind == "region" and key is not None:
        code = region_code(key)
        stem = f"digest/{code}-{slugify(REGIONS[code].name)}"
    elif kind in ("departement", "department") and key in DEPARTMENTS:
        stem = f"digest/departement/{key}"
    else:
        raise ValueError(f"no digest for kind={kind!r} key={key!r}")
    return {fmt: f"{stem}-{week}.{fmt}" for fmt in DIGEST_FORMATS}
