"""The shapes storage reads and writes: record and event rows, page records, and `Event` -> record row."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Self, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.normalize.fr_data import region_timezone
from pipelines.normalize.text import clean_coordinates

if TYPE_CHECKING:
    from scraper.items import Event

# Normalized, consolidated content: a change to any of these is a real change of an event.
CONTENT_FIELDS: tuple[str, ...] = (
    "title", "description_html", "url", "start", "end", "start_date", "end_date", "start_utc",
    "all_day", "timezone", "venue", "address", "postal_code", "city", "insee", "department",
    "region", "region_code", "region_from", "latitude", "longitude", "attendance", "online_url", "status",
    "organizer", "registration_url", "image", "tags", "date_status",
)
# What a source record adds to the shared content (raw text, provenance of the parse).
RECORD_FIELDS: tuple[str, ...] = (
    "source", "start_raw", "location_raw", "extractor", "date_flags",
) + CONTENT_FIELDS
# Consolidated-only content: a source joining or leaving, or the event going missing,
# is a change feeds must show (iCalendar SEQUENCE, JSON Feed date_modified).
EVENT_FIELDS: tuple[str, ...] = CONTENT_FIELDS + ("sources", "missing")


class EventRow(TypedDict):
    """A consolidated event as `storage.read.iter_events` yields it (see the `events` table)."""

    id: str
    title: str
    description_html: str
    url: str
    start: str | None
    end: str | None
    start_date: str | None
    end_date: str | None
    start_utc: str | None
    all_day: int | None
    timezone: str | None
    venue: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    insee: str | None
    department: str | None
    region: str | None
    region_code: str | None
    region_from: str | None
    latitude: float | None
    longitude: float | None
    attendance: str | None
    online_url: str | None
    status: str
    missing: int
    organizer: str | None
    registration_url: str | None
    image: str | None
    tags: list[str]
    sources: list[dict[str, str]]
    fingerprint: str
    sequence: int
    first_seen: str
    last_seen: str
    updated_at: str
    date_status: str


@dataclass(slots=True)
class UpsertStats:
    """Counts of source records by outcome, plus how many consolidated events were written."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    """New records that joined an event another source had already announced."""
    events_created: int = 0
    events_changed: int = 0

    def __iadd__(self, other: UpsertStats) -> Self:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self



@dataclass(slots=True)
class PageRecord:
    """One page as last read: the body's SHA-1 and what extraction made of it."""

    url: str
    body_hash: str
    extractor: str = ""
    events: int = 0
    """Events the page emitted (after deferring to feeds and detail pages)."""
    next_urls: list[str] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    links: dict[str, Any] | None = None
    """Link candidates found in an HTML page (event, next, agenda), so that following an
    unchanged page's links does not parse it again."""


def utc_iso(moment: datetime) -> str:
    """Aware datetime -> 'YYYY-MM-DDTHH:MM:SSZ' (naive datetimes are refused: their zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime: {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _bound(value: datetime | date | None, zone: tzinfo) -> tuple[str | None, str | None, str | None]:
    """(ISO value, local 'YYYY-MM-DD', UTC ISO or None) for a start or end."""
    if value is None:
        return None, None, None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            # Extractors should give aware datetimes; a naive one is wall time in the event's zone.
            value = value.replace(tzinfo=zone)
        value = value.replace(microsecond=0)
        return value.isoformat(), value.astimezone(zone).date().isoformat(), utc_iso(value)
    return value.isoformat(), value.isoformat(), None


def event_to_row(ev: Event) -> dict[str, Any]:
    """`Event` -> an `event_sources` row (content and raw fields; no bookkeeping columns).

    Start/end are ISO text ('2021-11-04T09:00:00+01:00' or '2021-11-04'); `start_date`/`end_date`
    are local days in the event's own zone (its `timezone`, else its région's, else the offset
    it carries); `end_date` equals `start_date` when the end is unknown. `status` is stored as
    the pipelines settled it (`pipelines.normalize.event.apply_status`).
    """
    zone_name = ev.timezone
    if not _zone(zone_name):
        carried = getattr(ev.start, "tzinfo", None)
        zone_name = getattr(carried, "key", None) or region_timezone(ev.region_code)
    zone = _zone(zone_name) or ZoneInfo("Europe/Paris")
    first, last = ev.start, ev.end
    if ev.all_day and isinstance(first, datetime):
        # Flagged all-day but given as a datetime (midnight, usually): keep the local day, so
        # that `start` has the date form feeds expect of all-day events.
        first = first.astimezone(zone).date() if first.tzinfo else first.date()
        if isinstance(last, datetime):
            last = last.astimezone(zone).date() if last.tzinfo else last.date()
    start, start_date, start_utc = _bound(first, zone)
    end, end_date, _ = _bound(last, zone)
    if start_date is not None and (end_date is None or end_date < start_date):
        if end_date is not None:
            end = None
        end_date = start_date
    # All-day exactly when the start is a date: the two can never disagree in a row.
    all_day = None if first is None else int(not isinstance(first, datetime))
    date_status = "ok" if start is not None and ev.date_status in (None, "ok") else "unparsed"
    # Cleaned by the pipelines already; an infinity stored here would reach the JSON feeds.
    latitude, longitude = clean_coordinates(ev.latitude, ev.longitude)
    record_id = ev.id
    if not record_id:
        from pipelines.normalize.event import record_id as make_record_id

        record_id = make_record_id(ev)
    return {
        "id": record_id,
        "source": ev.source,
        "url": ev.url,
        "title": ev.title or "",
        "start_raw": ev.start_raw or "",
        "location_raw": ev.location_raw or "",
        "description_html": ev.description_html or "",
        "extractor": ev.extractor or "",
        "reference_date": ev.reference_date.isoformat() if ev.reference_date else None,
        "start": start,
        "end": end,
        "start_date": start_date,
        "end_date": end_date,
        "start_utc": start_utc,
        "all_day": all_day,
        "timezone": zone_name if start is not None else ev.timezone,
        "venue": ev.venue,
        "address": ev.address,
        "postal_code": ev.postal_code,
        "city": ev.city,
        "insee": ev.insee,
        "department": ev.department,
        "region": ev.region,
        "region_code": ev.region_code,
        "region_from": ev.region_from,
        "latitude": latitude,
        "longitude": longitude,
        "attendance": ev.attendance,
        "online_url": ev.online_url,
        "status": ev.status,
        "organizer": ev.organizer,
        "registration_url": ev.registration_url,
        "image": ev.image,
        "tags": json.dumps(list(ev.tags), ensure_ascii=False),
        "date_status": date_status,
        "date_flags": json.dumps(list(ev.date_flags), ensure_ascii=False),
        "scraped_at": stamp_iso(ev.scraped_at),
    }


def stamp_iso(moment: datetime | None) -> str | None:
    """A crawl's stamp as 'YYYY-MM-DDTHH:MM:SSZ', None without one; a naive stamp is UTC."""
    if moment is None:
        return None
    # A naive stamp is the crawler's UTC clock; refusing it would lose the whole batch.
    return utc_iso(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))


def fingerprint(row: dict[str, Any], fields: Iterable[str]) -> str:
    """SHA-1 (hex) of the given fields of `row`: equal fingerprints mean equal content."""
    # repr() of str/int/float/None is stable across runs and platforms, and 3x cheaper than JSON.
    payload = repr([*map(row.get, fields)])
    return hashlib.sha1(payload.encode("utf-8", "surrogatepass")).hexdigest()

