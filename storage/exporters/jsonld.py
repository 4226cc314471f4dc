"""schema.org `Event` JSON-LD for the programme's pages: one data block per event, for search engines."""

from __future__ import annotations

import json
from typing import Any

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from pipelines.normalize.text import clean_coordinates, display_html_text, display_text, strict_url
from storage.exporters import Row
from storage.exporters.display import DESCRIPTION_LIMIT, SHORT_LIMIT, TITLE_LIMIT, event_times, source_links

SCHEMA = "https://schema.org"
EVENT_STATUSES = {
    "scheduled": f"{SCHEMA}/EventScheduled",
    "cancelled": f"{SCHEMA}/EventCancelled",
    "postponed": f"{SCHEMA}/EventPostponed",
}
ATTENDANCE_MODES = {
    "offline": f"{SCHEMA}/OfflineEventAttendanceMode",
    "online": f"{SCHEMA}/OnlineEventAttendanceMode",
    "mixed": f"{SCHEMA}/MixedEventAttendanceMode",
}
COUNTRY = "FR"
"""addressCountry of every place: the overseas régions are France too."""

# Inside <script> only '</script' and '<!--' can end or derail the block; escaping every '<'
# (with '>' and '&' for readers that decode entities) leaves the same JSON value, and no markup.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _place(row: Row) -> dict[str, Any]:
    """schema.org Place with its PostalAddress (and GeoCoordinates when known). A place whose
    address is unknown is still a Place in France: Google requires a location, and that one is true."""
    venue = display_text(row.get("venue"), SHORT_LIMIT)
    city = display_text(row.get("city"), SHORT_LIMIT)
    region_code = row.get("region_code")
    region = (
        REGIONS[region_code].name if region_code in REGIONS else display_text(row.get("region"), SHORT_LIMIT)
    )
    department = DEPARTMENTS.get(str(row.get("department") or ""))
    name = venue or city or (f"{department[0]} ({row['department']})" if department else region)
    place: dict[str, Any] = {"@type": "Place"}
    if name:
        place["name"] = name
    address = {
        "streetAddress": display_text(row.get("address"), SHORT_LIMIT),
        "postalCode": display_text(row.get("postal_code"), 10),
        "addressLocality": city,
        "addressRegion": region,
    }
    place["address"] = {
        "@type": "PostalAddress",
        **{key: value for key, value in address.items() if value},
        "addressCountry": COUNTRY,
    }
    latitude, longitude = clean_coordinates(row.get("latitude"), row.get("longitude"))
    if latitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    return place


def _virtual_location(row: Row) -> dict[str, Any]:
    """schema.org VirtualLocation: the link to join, else the event's page, which tells how to."""
    location: dict[str, Any] = {"@type": "VirtualLocation"}
    url = strict_url(row.get("online_url")) or strict_url(row.get("url"))
    if url:
        location["url"] = url
    return location


def _location(row: Row, attendance: str | None) -> dict[str, Any] | list[dict[str, Any]]:
    """A VirtualLocation online, a Place on site (or when the row does not say), both when hybrid."""
    if attendance == "online":
        return _virtual_location(row)
    if attendance == "mixed":
        return [_place(row), _virtual_location(row)]
    return _place(row)


def event_jsonld(row: Row) -> dict[str, Any] | None:
    """One schema.org `Event` object for an EventRow, None when the row has no usable start.

    `startDate`/`endDate` are ISO 8601 in the event's own zone with their offset
    ('2026-12-03T09:00:00+01:00'), or dates for all-day events, `endDate` being the last day.
    Only what the row knows is said: no offers, no performer, no invented organizer or image.
    Texts are the page's own (same cuts as the article); URLs are http(s) only."""
    times = event_times(row)
    if times is None:
        return None
    attendance = row.get("attendance") if row.get("attendance") in ATTENDANCE_MODES else None
    event: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": display_text(row.get("title"), TITLE_LIMIT) or "Sans titre",
        "startDate": times.start.isoformat(),
    }
    if times.end is not None:
        event["endDate"] = times.end.isoformat()
    event["eventStatus"] = EVENT_STATUSES.get(str(row.get("status") or ""), EVENT_STATUSES["scheduled"])
    if attendance:
        event["eventAttendanceMode"] = ATTENDANCE_MODES[attendance]
    event["location"] = _location(row, attendance)
    description = display_html_text(row.get("description_html"), DESCRIPTION_LIMIT)
    if description:
        event["description"] = description
    image = strict_url(row.get("image"))
    if image:
        event["image"] = [image]
    organizer = display_text(row.get("organizer"), SHORT_LIMIT)
    if organizer:
        event["organizer"] = {"@type": "Organization", "name": organizer}
    url = strict_url(row.get("url"))
    if url:
        event["url"] = url
    same_as = list(dict.fromkeys(link["url"] for link in source_links(row) if "url" in link))
    if same_as:
        event["sameAs"] = same_as
    return event


def jsonld_script(data: object) -> str:
    """`<script type="application/ld+json">` holding `data` as compact JSON that no text can
    break out of: every '<', '>' and '&' is written as a JSON escape (\\u003c...).

    A data block is never executed, so the page's Content-Security-Policy does not apply to it."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return f'<script type="application/ld+json">{text.translate(_SCRIPT_SAFE)}</script>'
