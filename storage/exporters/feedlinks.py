"""The feed links the HTML programme shows: every published feed file, by scope, with its label."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from storage.exporters.paths import OPML_PATH, feed_paths


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed the pages link to; `href` is relative to the site root."""

    kind: str
    """'rss' | 'json' | 'ics' | 'geojson' | 'opml'."""
    href: str
    label: str


FEED_KINDS = (("rss", "RSS"), ("json", "JSON Feed"), ("ics", "iCalendar"), ("geojson", "Carte (GeoJSON)"))
FEED_TYPES = {
    "rss": "application/rss+xml",
    "json": "application/feed+json",
    "ics": "text/calendar",
    "geojson": "application/geo+json",
}
"""Media type of each feed format, for `type=` attributes."""


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """Every feed file of the published folder, by scope."""

    all: tuple[FeedLink, ...] = ()
    online: tuple[FeedLink, ...] = ()
    opml: str | None = None
    regions: Mapping[str, tuple[FeedLink, ...]] = field(default_factory=dict)
    departments: Mapping[str, tuple[FeedLink, ...]] = field(default_factory=dict)


@functools.cache
def default_feed_links() -> FeedLinks:
    """The files `storage.exporters.feeds.publish` writes, named by `feed_paths`: national,
    online, per région, per département (each feed with its GeoJSON map), and the OPML list."""

    def trio(kind: str, key: str | None = None) -> tuple[FeedLink, ...]:
        paths = feed_paths(kind, key)
        return tuple(FeedLink(fmt, paths[fmt], label) for fmt, label in FEED_KINDS if fmt in paths)

    return FeedLinks(
        all=trio("national"),
        online=trio("online"),
        opml=OPML_PATH,
        regions={code: trio("region", code) for code in REGIONS},
        departments={code: trio("departement", code) for code in DEPARTMENTS},
    )
