"""iCalendar (RFC 5545) calendar of events: one VEVENT per row, VTIMEZONE for every zone used."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone

from storage.exporters.feedinfo import (
    FeedInfo,
    Row,
    clean_line,
    clean_text,
    event_times,
    exclusive_end,
    location_text,
    parse_utc,
    plain_description,
    safe_url,
    status_label,
)

PRODID = "-//essagenda//Agenda de l'ESS//FR"
UID_DOMAIN = "essagenda"
TIMEZONE_YEARS = 5
"""VTIMEZONE rules cover this many years either side of the generation year."""

ICAL_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
_END = b"END:VCALENDAR\r\n"


def _header(feed: FeedInfo) -> bytes:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = clean_line(feed.title)
    cal.add("name", title)
    cal.add("x-wr-calname", title)
    description = clean_line(feed.description)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    link = safe_url(feed.link)
    if link:
        cal.add("url", link)
    cal.add("last-modified", feed.generated_at.astimezone(UTC))
    text: bytes = cal.to_ical()
    return text[: -len(_END)]


@lru_cache(maxsize=64)
def vtimezone(tzid: str, year: int) -> bytes:
    """VTIMEZONE for an IANA zone, with the rules of `year` ± TIMEZONE_YEARS (cached)."""
    component = Timezone.from_tzid(
        tzid, first_date=date(year - TIMEZONE_YEARS, 1, 1), last_date=date(year + TIMEZONE_YEARS, 1, 1)
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
    return f"{clean_line(row.get('id'))}@{UID_DOMAIN}"


def vevent(row: Row, *, dtstamp: datetime) -> tuple[bytes, str | None] | None:
    """One VEVENT and the TZID it uses (None for all-day events); None when the row has no start."""
    times = event_times(row)
    if times is None:
        return None
    event = Event()
    event.add("uid", uid(row))
    event.add("dtstamp", dtstamp)
    tzid: str | None = None
    if times.all_day:
        last = times.end if isinstance(times.end, date) else times.start
        assert isinstance(last, date) and not isinstance(times.start, datetime)
        event.add("dtstart", times.start)
        event.add("dtend", exclusive_end(last))
    else:
        tzid = times.zone.key
        event.add("dtstart", times.start)
        if times.end is not None:
            event.add("dtend", times.end)
    event.add("summary", status_label(row) + (clean_line(row.get("title")) or "Sans titre"))
    location = location_text(row)
    if location:
        event.add("location", location)
    url = safe_url(row.get("url"))
    if url:
        event.add("url", url)
    description = clean_text(plain_description(row, times))
    if description:
        event.add("description", description)
    event.add("status", ical_status(row))
    event.add("sequence", int(row.get("sequence") or 0))
    modified = parse_utc(row.get("updated_at"))
    if modified is not None:
        event.add("last-modified", modified)
    region = clean_line(row.get("region"))
    if region:
        event.add("categories", [region])
    return _to_ical(event), tzid


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
