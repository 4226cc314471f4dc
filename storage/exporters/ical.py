"""iCalendar (RFC 5545): the feeds (one VEVENT per row, a VTIMEZONE per zone used) and one-event .ics files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone

from pipelines.normalize.fr_data import REGIONS
from pipelines.normalize.text import display_html_text, display_text, strict_url, xml_line, xml_text
from storage.exporters import FeedInfo, Row
from storage.exporters.display import (
    ATTENDANCE_LABELS,
    SHORT_LIMIT,
    TITLE_LIMIT,
    event_times,
    exclusive_end,
    format_place,
    location_text,
    parse_utc,
    plain_description,
    row_bounds,
    status_label,
)

PRODID = "-//essagenda//Agenda de l'ESS//FR"
UID_DOMAIN = "essagenda"
TIMEZONE_YEARS_BEFORE = 10
TIMEZONE_YEARS_AFTER = 5
"""VTIMEZONE rules span the generation year minus 10 to plus 5: `--all` exports reach back to
the first crawled seasons, and clients extend the earliest rule backwards (wrongly, across DST)."""

ICAL_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
_END = b"END:VCALENDAR\r\n"


def _header(feed: FeedInfo) -> bytes:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = xml_line(feed.title)
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    description = xml_line(feed.description)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    link = strict_url(feed.link)
    if link:
        cal.add("url", link)
    cal.add("last-modified", feed.generated_at.astimezone(UTC))
    text: bytes = cal.to_ical()
    return text[: -len(_END)]


@lru_cache(maxsize=64)
def vtimezone(tzid: str, year: int) -> bytes:
    """VTIMEZONE for an IANA zone with its rules around `year` (cached)."""
    component = Timezone.from_tzid(
        tzid,
        first_date=date(year - TIMEZONE_YEARS_BEFORE, 1, 1),
        last_date=date(year + TIMEZONE_YEARS_AFTER, 1, 1),
    )
    text: bytes = component.to_ical()
    return text


def ical_status(row: Row) -> str:
    """STATUS: CANCELLED, TENTATIVE when postponed or no longer listed by any source, else CONFIRMED."""
    status = ICAL_STATUS.get(row.get("status") or "", "CONFIRMED")
    if status == "CONFIRMED" and row.get("missing"):
        return "TENTATIVE"
    return status


FOLD_LIMIT = 74
"""Octets per physical line before the CRLF, as icalendar folds (RFC 5545 §3.1 allows 75)."""


def fold_line(line: str) -> bytes:
    """One content line folded exactly as icalendar does, but per segment instead of per character.

    icalendar's folder encodes every character separately, which is 40% of the time of a
    VEVENT; this works on the UTF-8 bytes, never cuts inside a character, and like icalendar
    does not leave a backslash or caret at the end of a segment (issue #1501 of icalendar).
    """
    data = line.encode()
    if len(data) <= FOLD_LIMIT:
        return data
    segments = []
    start = 0
    while len(data) - start > FOLD_LIMIT:
        end = start + FOLD_LIMIT
        while data[end] & 0xC0 == 0x80:
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        segments.append(data[start:end])
        start = end
    segments.append(data[start:])
    return b"\r\n ".join(segments)


def _to_ical(component: Event) -> bytes:
    return b"".join(fold_line(line) + b"\r\n" for line in component.content_lines() if line)


def uid(row: Row) -> str:
    """Stable UID of an event: its consolidated id, qualified by the project name."""
    return f"{xml_line(row.get('id'))}@{UID_DOMAIN}"


@dataclass(frozen=True, slots=True)
class _Fields:
    """What a VEVENT says, decided once and rendered either by icalendar or by `_fast_vevent`."""

    uid: str
    dtstamp: datetime
    start: datetime | date
    end: datetime | date | None
    summary: str
    location: str
    url: str | None
    description: str
    status: str
    sequence: int
    modified: datetime | None
    region: str


def _fields(row: Row, *, dtstamp: datetime) -> tuple[_Fields, str | None] | None:
    times = event_times(row)
    if times is None:
        return None
    tzid: str | None = None
    end: datetime | date | None
    if times.all_day:
        last = times.end if times.end is not None else times.start
        assert isinstance(last, date)
        end = exclusive_end(last)
    else:
        tzid = times.zone.key
        end = times.end
    fields = _Fields(
        uid=uid(row),
        dtstamp=dtstamp,
        start=times.start,
        end=end,
        summary=status_label(row) + (xml_line(row.get("title")) or "Sans titre"),
        location=location_text(row),
        url=strict_url(row.get("url")),
        description=xml_text(plain_description(row, times)),
        status=ical_status(row),
        sequence=int(row.get("sequence") or 0),
        modified=parse_utc(row.get("updated_at")),
        region=xml_line(row.get("region")),
    )
    return fields, tzid


def vevent_component(fields: _Fields) -> Event:
    """The VEVENT as an icalendar component: the reference rendering `_fast_vevent` must match."""
    event = Event()
    event.add("uid", fields.uid)
    event.add("dtstamp", fields.dtstamp)
    event.add("dtstart", fields.start)
    if fields.end is not None:
        event.add("dtend", fields.end)
    event.add("summary", fields.summary)
    if fields.location:
        event.add("location", fields.location)
    if fields.url:
        event.add("url", fields.url)
    if fields.description:
        event.add("description", fields.description)
    event.add("status", fields.status)
    event.add("sequence", fields.sequence)
    if fields.modified is not None:
        event.add("last-modified", fields.modified)
    if fields.region:
        event.add("categories", [fields.region])
    return event


def _escape(text: str) -> str:
    # RFC 5545 §3.3.11 TEXT escaping, in icalendar's order (its _escape_char).
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _utc_stamp(value: datetime) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        key = getattr(value.tzinfo, "key", "")
        stamp = f"{value.year:04d}{value.month:02d}{value.day:02d}T{value.hour:02d}{value.minute:02d}{value.second:02d}"
        return f"{name};TZID={key}:{stamp}"
    return f"{name};VALUE=DATE:{value.year:04d}{value.month:02d}{value.day:02d}"


# Zones icalendar names by their IANA key (no UTC special case): safe for the fast path.
_FAST_ZONES = frozenset(region.timezone for region in REGIONS.values())


def _fast_vevent(fields: _Fields) -> bytes | None:
    """VEVENT text in icalendar's property order and escaping, ~5x faster than building a component.

    Returns None for zones outside `_FAST_ZONES`, which go through icalendar itself; a test
    renders many rows both ways and requires identical bytes.
    """
    for value in (fields.start, fields.end):
        if isinstance(value, datetime) and getattr(value.tzinfo, "key", None) not in _FAST_ZONES:
            return None
    lines = [f"SUMMARY:{_escape(fields.summary)}", _when("DTSTART", fields.start)]
    if fields.end is not None:
        lines.append(_when("DTEND", fields.end))
    lines.append(f"DTSTAMP:{_utc_stamp(fields.dtstamp)}")
    lines.append(f"UID:{_escape(fields.uid)}")
    lines.append(f"SEQUENCE:{fields.sequence}")
    if fields.region:
        lines.append(f"CATEGORIES:{_escape(fields.region)}")
    if fields.description:
        lines.append(f"DESCRIPTION:{_escape(fields.description)}")
    if fields.modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc_stamp(fields.modified)}")
    if fields.location:
        lines.append(f"LOCATION:{_escape(fields.location)}")
    lines.append(f"STATUS:{fields.status}")
    if fields.url:
        lines.append(f"URL:{fields.url}")
    return b"BEGIN:VEVENT\r\n" + b"".join(fold_line(line) + b"\r\n" for line in lines) + b"END:VEVENT\r\n"


def vevent(row: Row, *, dtstamp: datetime) -> tuple[bytes, str | None] | None:
    """One VEVENT and the TZID it uses (None for all-day events); None when the row has no start."""
    decided = _fields(row, dtstamp=dtstamp)
    if decided is None:
        return None
    fields, tzid = decided
    text = _fast_vevent(fields)
    if text is None:
        text = _to_ical(vevent_component(fields))
        if b";TZID=" not in text:  # icalendar writes UTC times with a Z, no VTIMEZONE needed
            tzid = None
    return text, tzid


def iter_ical(rows: Iterable[Row], *, feed: FeedInfo, timezones: Iterable[str] = ()) -> Iterator[bytes]:
    """iCalendar document as byte chunks, VEVENTs in the order of `rows`.

    A stream cannot know the zones of rows it has not read: the zones named in `timezones`
    get their VTIMEZONE before the events, and any other zone met on the way gets one after
    the last VEVENT (RFC 5545 fixes no order between components, only one VTIMEZONE per TZID
    used). Rows without a usable start are skipped: DTSTART is mandatory in a published VEVENT.
    """
    dtstamp = feed.generated_at.astimezone(UTC).replace(microsecond=0)
    year = feed.generated_at.year
    yield _header(feed)
    declared: set[str] = set()
    for tzid in sorted(set(timezones)):
        try:
            yield vtimezone(tzid, year)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        declared.add(tzid)
    late: set[str] = set()
    for row in rows:
        rendered = vevent(row, dtstamp=dtstamp)
        if rendered is None:
            continue
        text, used = rendered
        yield text
        if used is not None and used not in declared:
            late.add(used)
    for tzid in sorted(late):
        yield vtimezone(tzid, year)
    yield _END


def render_ical(rows: Iterable[Row], *, feed: FeedInfo, timezones: Iterable[str] = ()) -> bytes:
    """Whole iCalendar document (see `iter_ical`)."""
    return b"".join(iter_ical(rows, feed=feed, timezones=timezones))


# --- one event's own .ics file (the HTML programme's "add to my calendar") -------------


def _utc(value: object) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@lru_cache(maxsize=64)
def _event_vtimezone(zone: str, first_year: int, last_year: int) -> bytes:
    # The library's default 1970-2038 VTIMEZONE is 5 kB and 15 ms per file; the event's years suffice.
    component = Timezone.from_tzinfo(
        ZoneInfo(zone), tzid=zone, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    return bytes(component.to_ical())


def event_ics(row: Row) -> bytes:
    """A one-event iCalendar file: UID, DTSTAMP (from updated_at), DTSTART/DTEND with TZID or
    VALUE=DATE (exclusive DTEND), SUMMARY, LOCATION, URL, STATUS, SEQUENCE, with its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", "-//essagenda//programme//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    vevent = Event()
    vevent.add("uid", f"{display_text(row.get('id'))}@essagenda")
    start, end = row_bounds(row)
    stamp = _utc(row.get("updated_at")) or _utc(row.get("first_seen"))
    if stamp is None and isinstance(start, datetime):
        stamp = start.astimezone(UTC)
    vevent.add("dtstamp", stamp or datetime(1970, 1, 1, tzinfo=UTC))
    if isinstance(start, datetime):
        vevent.add("dtstart", start)
        if isinstance(end, datetime) and end > start:
            vevent.add("dtend", end)
    elif start is not None:
        vevent.add("dtstart", start)
        vevent.add("dtend", (end or start) + timedelta(days=1))
    vevent.add("summary", display_text(row.get("title"), TITLE_LIMIT) or "Sans titre")
    location = ", ".join(p for p in (display_text(row.get("address"), SHORT_LIMIT), format_place(row)) if p)
    if row.get("attendance") in ATTENDANCE_LABELS:
        location = ", ".join(p for p in (location, ATTENDANCE_LABELS[row["attendance"]].lower()) if p)
    if location:
        vevent.add("location", location)
    url = strict_url(row.get("url"))
    if url:
        vevent.add("url", url)
    vevent.add("status", ICAL_STATUS.get(str(row.get("status")), "CONFIRMED"))
    if isinstance(row.get("sequence"), int):
        vevent.add("sequence", row["sequence"])
    description = [display_html_text(row.get("description_html"), 2000)]
    organizer = display_text(row.get("organizer"), SHORT_LIMIT)
    if organizer:
        description.append(f"Organisé par {organizer}")
    for source in row.get("sources") or ():
        source_url = strict_url(source.get("url")) if isinstance(source, Mapping) else None
        if source_url:
            description.append(f"Source : {source_url}")
    text = "\n\n".join(p for p in description if p)
    if text:
        vevent.add("description", text)
    cal.add_component(vevent)
    if isinstance(start, datetime):
        last = end if isinstance(end, datetime) else start
        # Our own calendar properties come first, so the first BEGIN:VEVENT line is the component.
        return bytes(cal.to_ical()).replace(
            b"BEGIN:VEVENT\r\n", _event_vtimezone(str(start.tzinfo), start.year, last.year + 1) + b"BEGIN:VEVENT\r\n", 1
        )
    return bytes(cal.to_ical())
