"""The items spiders yield: `Event`, and `PageSeen` for a page that did not change since the last crawl."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

ATTENDANCE_MODES = ("offline", "online", "mixed")
STATUSES = ("scheduled", "cancelled", "postponed")
DATE_STATUSES = ("ok", "unparsed")


@dataclass(kw_only=True, slots=True)
class Event:
    """One event as one source announces it.

    Raw fields keep the page's own text so that a better normalizer can re-read them
    without a recrawl; normalized fields are filled by extractors (from structured
    data) or by the pipelines (from the raw text), never by guessing in a spider.
    """

    # Filled by the spider / extractor, as the page shows them.
    source: str
    """Source id from the registry, e.g. 'cress_occitanie'."""
    url: str
    """Absolute http(s) URL of the page (or feed item) that announces the event."""
    title: str
    """Title as displayed, whitespace collapsed by the clean pipeline."""
    title_raw: str | None = None
    """The title as the source wrote it (only made safe), kept by the clean pipeline before it
    shortens a roundup's sentence or drops a status marker: the record's id reads it, so a
    better title never turns one record into two."""
    start_raw: str
    """The date/time phrase as displayed ('Le 4 novembre en visio, de 9h à 12h30'), or the
    structured value's text ('2021-11-04T09:00:00+01:00') when the source gave one."""
    location_raw: str = ""
    """The place phrase as displayed ('Diagora-Labège à Toulouse'), may be empty."""
    description_html: str = ""
    """Description as HTML; sanitised by the clean pipeline before anything else reads it."""
    native_id: str | None = None
    """The source's own identifier of the event when it has one (iCal UID, The Events Calendar
    id, OpenAgenda uid, the event's own page URL): keeps the record id when the date moves."""
    page_url: str | None = None
    """URL of the page or feed response the record was read from (a listing, a feed page, or
    the event's own page): lets an unchanged page's records be confirmed without re-reading it."""
    extractor: str = ""
    """Which extractor produced the event: jsonld, tribe, ical, openagenda, rss, html, roundup."""
    source_region: str | None = None
    """INSEE région code of the announcing source: default time zone and homonym hint."""
    reference_date: date | None = None
    """Best dated context the page offers (its own full dates, else publication date, else
    the crawl date): resolves year-less dates."""

    # Normalized fields: extractors fill them from structured data, pipelines from raw text.
    start: datetime | date | None = None
    """Aware datetime for a timed event, a date for an all-day event."""
    end: datetime | date | None = None
    """Aware datetime or date (inclusive last day for all-day events); None if unknown."""
    all_day: bool | None = None
    timezone: str | None = None
    """IANA zone name, e.g. 'Europe/Paris', 'Indian/Reunion'."""
    venue: str | None = None
    address: str | None = None
    """Street address, e.g. '150 rue Pierre Gilles de Gennes'."""
    postal_code: str | None = None
    city: str | None = None
    """Official commune name from the gazetteer, e.g. 'Labège'."""
    insee: str | None = None
    """INSEE commune code, e.g. '31254'."""
    department: str | None = None
    """INSEE département code as text, e.g. '31', '2A', '974'."""
    region: str | None = None
    """Région name, e.g. 'Occitanie' (a key of fr_data.REGIONS_BY_NAME)."""
    region_code: str | None = None
    """INSEE région code, e.g. '76'."""
    region_from: str | None = None
    """Where the région comes from: 'commune', 'department', or 'source' (an event with no
    commune, online ones included, belongs to its source's région; a national source's stays
    without one)."""
    latitude: float | None = None
    longitude: float | None = None
    attendance: str | None = None
    """'offline' | 'online' | 'mixed'."""
    online_url: str | None = None
    status: str = "scheduled"
    """'scheduled' | 'cancelled' | 'postponed'."""
    organizer: str | None = None
    registration_url: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    date_status: str | None = None
    """'ok' once start is known, 'unparsed' when the raw text could not be read."""
    date_flags: list[str] = field(default_factory=list)
    """Doubts the date normalizer raised, e.g. 'weekday_mismatch'."""

    # Filled by the stamp and identity pipelines.
    id: str | None = None
    """Stable record id '<source>:<16 hex>' derived from raw fields only."""
    scraped_at: datetime | None = None
    """Aware UTC datetime of the crawl that saw this record."""


@dataclass(frozen=True, slots=True)
class PageSeen:
    """One fetched page, after its events (if any) were yielded.

    `unchanged`: the page came from the HTTP cache (fresh hit or 304) with the body the store
    recorded last time, so it was not extracted; the store confirms the records it produced
    as still listed. Otherwise the store records what the page produced (its events'
    `page_url`) so the next crawl may skip it. Pipelines other than the store pass it through.
    """

    source: str
    page_url: str
    """Real URL of the page, as `Event.page_url` records it."""
    body_hash: str = ""
    """SHA-1 (hex) of the response body."""
    unchanged: bool = False
    extractor: str = ""
    events: int = 0
    """Events the page emitted (0 for listings whose events are read on their own pages)."""
    next_urls: tuple[str, ...] = ()
    """Pagination the payload pointed to (feeds), followed again when the page is skipped."""
    links: dict[str, Any] | None = None
    """Link candidates of an HTML page ({"event": [...], "next": url | None, "agenda": [...]})."""
