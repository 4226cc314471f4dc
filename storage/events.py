"""Events in and out of SQLite: `Event` -> record rows, batched upserts, streaming `EventRow`s."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from itertools import islice
from typing import TYPE_CHECKING, Any, Self, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.normalize.fr_data import region_timezone
from pipelines.normalize.status import detect_status
from pipelines.normalize.text import html_to_text
from scraper.items import STATUSES
from storage.db import write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database

    from scraper.items import Event

logger = logging.getLogger(__name__)

# Small batches keep each write transaction short, so readers (exports, Datasette) and a
# second writer wait milliseconds, not the whole crawl; one batch is all-or-nothing.
DEFAULT_BATCH_SIZE = 200

# Normalized, consolidated content: a change to any of these is a real change of an event.
CONTENT_FIELDS: tuple[str, ...] = (
    "title", "description_html", "url", "start", "end", "start_date", "end_date", "start_utc",
    "all_day", "timezone", "venue", "address", "postal_code", "city", "insee", "department",
    "region", "region_code", "latitude", "longitude", "attendance", "online_url", "status",
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
    """A consolidated event as `iter_events` yields it (see the `events` table)."""

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
    it carries); `end_date` equals `start_date` when the end is unknown. Status wording in the
    title or description ("ANNULÉ", "reporté") upgrades a 'scheduled' status.
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
    status = ev.status if ev.status in STATUSES else "scheduled"
    # Rendering the description as text costs more than the rest of the row: only done
    # when the wording test could match at all.
    if status == "scheduled" and detect_status(ev.title, ev.description_html):
        status = detect_status(ev.title, html_to_text(ev.description_html)) or "scheduled"
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
        "latitude": ev.latitude,
        "longitude": ev.longitude,
        "attendance": ev.attendance,
        "online_url": ev.online_url,
        "status": status,
        "organizer": ev.organizer,
        "registration_url": ev.registration_url,
        "image": ev.image,
        "tags": json.dumps(list(ev.tags), ensure_ascii=False),
        "date_status": date_status,
        "date_flags": json.dumps(list(ev.date_flags), ensure_ascii=False),
        "scraped_at": _scraped_at(ev.scraped_at),
    }


def _scraped_at(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # A naive stamp is the crawler's UTC clock; refusing it would lose the whole batch.
    return utc_iso(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))


def fingerprint(row: dict[str, Any], fields: Iterable[str]) -> str:
    """SHA-1 (hex) of the given fields of `row`: equal fingerprints mean equal content."""
    # repr() of str/int/float/None is stable across runs and platforms, and 3x cheaper than JSON.
    payload = repr([*map(row.get, fields)])
    return hashlib.sha1(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _batches(items: Iterable[Event], size: int) -> Iterator[list[Event]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def upsert_events(
    db: Database,
    events: Iterable[Event],
    *,
    seen_at: datetime | None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> UpsertStats:
    """Store source records and keep their consolidated events up to date; returns counts.

    Each batch is one transaction: records, consolidated events, change history and the
    full-text index are written together or not at all. A record seen again unchanged only
    moves its `event_sources.last_seen` (and clears `missing_since`); its `events` row is not
    written, so `updated_at`, `sequence` and `fingerprint` move only on real changes.
    """
    from storage import consolidate

    # The crawl's own clock when given (a naive stamp is UTC), else now: a missing stamp
    # must not lose the batch.
    seen = _scraped_at(seen_at) or utc_iso(datetime.now(UTC))
    total = UpsertStats()
    for batch in _batches(events, batch_size):
        rows: dict[str, dict[str, Any]] = {}
        for ev in batch:
            row = event_to_row(ev)
            row["fingerprint"] = fingerprint(row, RECORD_FIELDS)
            rows[row["id"]] = row  # a record listed twice in one batch: the last one wins
        with write_transaction(db):
            total += consolidate.store_records(db, list(rows.values()), seen_at=seen)
    return total


_FILTERS_DOC = """Filters: `date_from`/`date_to` keep events whose local span [start_date, end_date]
    overlaps the range; `region` is a région code ('76') or name ('Occitanie'); `department` an
    INSEE code ('31', '2A'); `online_only` keeps online and mixed events. Events no source lists
    any more (`missing`) are left out unless `include_all`; events whose date could not be read
    (`date_status='unparsed'`) are always left out: they have no start to publish."""


def _where(
    date_from: date | None,
    date_to: date | None,
    region: str | None,
    department: str | None,
    online_only: bool,
    include_all: bool,
) -> tuple[str, list[Any]]:
    clauses = ["e.date_status = 'ok'"]
    params: list[Any] = []
    if not include_all:
        clauses.append("e.missing = 0")
    if date_from is not None:
        clauses.append("coalesce(e.end_date, e.start_date) >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append("e.start_date <= ?")
        params.append(date_to.isoformat())
    if region:
        clauses.append("(e.region_code = ? OR e.region = ?)")
        params += [region, region]
    if department:
        clauses.append("e.department = ?")
        params.append(department)
    if online_only:
        clauses.append("e.attendance IN ('online', 'mixed')")
    return " AND ".join(clauses), params


def iter_events(
    db: Database,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    online_only: bool = False,
    include_all: bool = False,
) -> Iterator[EventRow]:
    """Stream consolidated events as `EventRow` dicts ordered by (start_utc or start_date, id).

    Rows come straight off an SQLite cursor (no fetchall), so memory stays flat at any size.
    `sources` is decoded to [{"source", "url", "name"}] and `tags` to a list; `last_seen` is the
    latest time any source listed the event (its records' `last_seen`), which unchanged
    recrawls move without rewriting the `events` row.
    """
    where, params = _where(date_from, date_to, region, department, online_only, include_all)
    names = {row[0]: row[1] or row[0] for row in db.execute("SELECT id, name FROM sources")}
    sql = f"""
        SELECT e.*,
               coalesce((SELECT max(s.last_seen) FROM event_sources s WHERE s.event_id = e.id),
                        e.last_seen) AS live_last_seen
        FROM events e
        WHERE {where}
        ORDER BY coalesce(e.start_utc, e.start_date), e.id
    """
    cursor = db.conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    try:
        for values in cursor:
            yield _event_row(dict(zip(columns, values)), names)
    finally:
        cursor.close()


iter_events.__doc__ = (iter_events.__doc__ or "") + "\n    " + _FILTERS_DOC


def _event_row(raw: dict[str, Any], names: dict[str, str]) -> EventRow:
    raw["last_seen"] = raw.pop("live_last_seen", None) or raw["last_seen"]
    raw["tags"] = json.loads(raw["tags"] or "[]")
    raw["sources"] = [
        {"source": s["source"], "url": s["url"], "name": names.get(s["source"], s["source"])}
        for s in json.loads(raw["sources"] or "[]")
    ]
    return raw  # type: ignore[return-value]


def get_event(db: Database, event_id: str) -> EventRow | None:
    """One consolidated event as an `EventRow` (whatever its status or date), or None."""
    names = {row[0]: row[1] or row[0] for row in db.execute("SELECT id, name FROM sources")}
    cursor = db.conn.execute(
        """SELECT e.*, coalesce((SELECT max(s.last_seen) FROM event_sources s WHERE s.event_id = e.id),
                                e.last_seen) AS live_last_seen
           FROM events e WHERE e.id = ?""",
        [event_id],
    )
    columns = [d[0] for d in cursor.description]
    values = cursor.fetchone()
    return _event_row(dict(zip(columns, values)), names) if values else None


def count_events(
    db: Database,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    online_only: bool = False,
    include_all: bool = False,
) -> int:
    """How many events `iter_events` would yield with the same filters."""
    where, params = _where(date_from, date_to, region, department, online_only, include_all)
    return int(db.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0])
