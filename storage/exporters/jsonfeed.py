"""JSON Feed 1.1 of events, items written one at a time, with the structured event in `_essagenda`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pipelines.normalize.text import finite_number, strict_url, xml_line, xml_text
from storage.exporters import FeedInfo, Row
from storage.exporters.display import (
    clean_tags,
    content_html,
    event_times,
    format_utc,
    item_title,
    parse_utc,
    source_links,
)

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_essagenda"
"""Extension object (JSON Feed 1.1 'Extensions'): readers that do not know it ignore it. It carries
the EventRow's own values: `start`/`end` as ISO text in the event's zone ('2026-12-04T09:30:00+01:00'),
or dates for all-day events, where `end` is the inclusive last day; URLs are http(s) or null."""


def _text_or_none(value: object) -> str | None:
    return xml_line(value) or None


def _number(value: object) -> float | None:
    return finite_number(value) if isinstance(value, int | float) else None


def event_object(row: Row) -> dict[str, Any]:
    """The `_essagenda` extension object of an item (also the properties of the GeoJSON features)."""
    return {
        "start": _text_or_none(row.get("start")),
        "end": _text_or_none(row.get("end")),
        "all_day": bool(row.get("all_day")),
        "timezone": _text_or_none(row.get("timezone")),
        "venue": _text_or_none(row.get("venue")),
        "address": _text_or_none(row.get("address")),
        "postal_code": _text_or_none(row.get("postal_code")),
        "city": _text_or_none(row.get("city")),
        "insee": _text_or_none(row.get("insee")),
        "department": _text_or_none(row.get("department")),
        "region": _text_or_none(row.get("region")),
        "region_code": _text_or_none(row.get("region_code")),
        "latitude": _number(row.get("latitude")),
        "longitude": _number(row.get("longitude")),
        "attendance": _text_or_none(row.get("attendance")),
        "online_url": strict_url(row.get("online_url")),
        "registration_url": strict_url(row.get("registration_url")),
        "organizer": _text_or_none(row.get("organizer")),
        "status": _text_or_none(row.get("status")) or "scheduled",
        "missing": bool(row.get("missing")),
        "sources": source_links(row),
    }


def feed_item(row: Row) -> dict[str, Any]:
    """One JSON Feed item; keys whose value would be empty are left out, as the spec prefers."""
    times = event_times(row)
    item: dict[str, Any] = {"id": xml_line(row.get("id"))}
    url = strict_url(row.get("url"))
    if url:
        item["url"] = url
    item["title"] = item_title(row, times)
    item["content_html"] = content_html(row, times)
    image = strict_url(row.get("image"))
    if image:
        item["image"] = image
    published = parse_utc(row.get("first_seen")) or parse_utc(row.get("updated_at"))
    if published is not None:
        item["date_published"] = format_utc(published)
    modified = parse_utc(row.get("updated_at"))
    if modified is not None:
        item["date_modified"] = format_utc(modified)
    organizer = xml_line(row.get("organizer"))
    if organizer:
        item["authors"] = [{"name": organizer}]
    tags = clean_tags(row)
    if tags:
        item["tags"] = tags
    item["language"] = "fr"
    item[EXTENSION] = event_object(row)
    return item


def iter_jsonfeed(rows: Iterable[Row], *, feed: FeedInfo) -> Iterator[bytes]:
    """JSON Feed 1.1 document as UTF-8 chunks, one item per line, items in the order of `rows`.

    The feed object is indented; each item is dumped compactly on its own line, which lets
    json use its C encoder (indent= forces the pure-Python one, 3x slower at 100,000 items)
    and keeps diffs between two publications one line per changed event.
    """
    document = {
        "version": VERSION,
        "title": xml_line(feed.title),
        "home_page_url": feed.link,
        "feed_url": feed.feed_url,
        "description": xml_text(feed.description),
        "language": feed.language,
        "items": [],
    }
    head = json.dumps(document, ensure_ascii=False, indent=2)
    cut = head.rindex("[]")
    yield head[:cut].encode()
    separator = "[\n"
    for row in rows:
        # allow_nan=False: 'Infinity' is no JSON; a value that reaches here unchecked is a bug to hear of.
        yield (separator + json.dumps(feed_item(row), ensure_ascii=False, allow_nan=False)).encode()
        separator = ",\n"
    yield (("[]" if separator == "[\n" else "\n]") + head[cut + 2 :] + "\n").encode()


def render_jsonfeed(rows: Iterable[Row], *, feed: FeedInfo) -> bytes:
    """Whole JSON Feed 1.1 document (see `iter_jsonfeed`)."""
    return b"".join(iter_jsonfeed(rows, feed=feed))
