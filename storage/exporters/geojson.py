"""GeoJSON (RFC 7946) of a feed's located events: one Point feature per event, for maps."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pipelines.normalize.text import clean_coordinates, strict_url, xml_line
from storage.exporters import Row
from storage.exporters.jsonfeed import event_object

PRECISION = 6
"""Decimal places kept in coordinates: about 10 cm, the precision RFC 7946 (section 11.2) deems enough."""


def _coordinates(row: Row) -> tuple[float | None, float | None]:
    """The row's stored numbers when both are finite and within range; text is no coordinate
    (the JSON Feed's `latitude`/`longitude` say null for it too)."""
    latitude, longitude = row.get("latitude"), row.get("longitude")
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in (latitude, longitude)):
        return None, None
    return clean_coordinates(latitude, longitude)


def feature(row: Row) -> dict[str, Any] | None:
    """The Point feature of an event, None when it has no finite coordinates within WGS84's range.

    `geometry.coordinates` are [longitude, latitude] (RFC 7946, section 3.1.1); `properties` are
    `title` (the event's own, unlabelled), `url`, then the JSON Feed's `_essagenda` object, whose
    names they share (`start`, `end`, `all_day`, `venue`, `city`, `status`, `sources`...)."""
    latitude, longitude = _coordinates(row)
    if latitude is None or longitude is None:
        return None
    properties: dict[str, Any] = {
        "title": xml_line(row.get("title")) or "Sans titre",
        "url": strict_url(row.get("url")),
        **event_object(row),
    }
    return {
        "type": "Feature",
        "id": xml_line(row.get("id")),
        "geometry": {
            "type": "Point",
            "coordinates": [round(longitude, PRECISION), round(latitude, PRECISION)],
        },
        "properties": properties,
    }


def iter_geojson(rows: Iterable[Row]) -> Iterator[bytes]:
    """A GeoJSON FeatureCollection as UTF-8 chunks, features in the order of `rows`, one per line.

    Events without coordinates (online-only ones, places never located) are left out. No `crs`
    member: RFC 7946 coordinates are always WGS84 and the member is gone from the format."""
    yield b'{"type": "FeatureCollection", "features": ['
    separator = "\n"
    for row in rows:
        point = feature(row)
        if point is None:
            continue
        # allow_nan=False: a non-finite number that reached here is a bug to hear of, not bad JSON.
        yield (separator + json.dumps(point, ensure_ascii=False, allow_nan=False)).encode()
        separator = ",\n"
    yield b"]}\n" if separator == "\n" else b"\n]}\n"


def render_geojson(rows: Iterable[Row]) -> bytes:
    """Whole GeoJSON document (see `iter_geojson`)."""
    return b"".join(iter_geojson(rows))
