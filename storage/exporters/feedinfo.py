"""Feed metadata and the row-to-text helpers shared by the RSS, JSON Feed and iCalendar exporters."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.normalize.fr_data import (
    DEFAULT_TIMEZONE,
    DEPARTMENTS,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    WEEKDAY_NAMES,
    region_timezone,
)

Row = Mapping[str, Any]
"""An EventRow as `storage.read.iter_events` yields it (its keys are the `events` columns)."""


@dataclass(frozen=True)
class FeedInfo:
    """Channel-level data of one feed; `generated_at` is the only clock the exporters see."""

    title: str
    link: str
    """Absolute URL of the HTML page the feed mirrors."""
    description: str
    feed_url: str
    """Absolute URL at which this very file is published."""
    generated_at: datetime
    """Aware datetime of the publication run (RSS lastBuildDate, iCalendar DTSTAMP)."""
    language: str = "fr"


# XML 1.0 allows TAB, LF, CR and the ranges below; everything else (C0 controls, lone
# surrogates, U+FFFE/U+FFFF) makes lxml refuse the string and strict parsers reject the feed.
# C1 controls (U+007F-U+009F) are legal XML but only ever appear as mojibake from windows-1252 pages.
_UNSAFE_CHARS = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_HTTP_AUTHORITY = re.compile(r"(?i)https?://([^/?#]*)")
_SPACES = re.compile(r"\s+")
_URL_FORBIDDEN = re.compile(r'[\s"<>\\`]')

STATUS_LABELS = {"cancelled": "[ANNULÉ] ", "postponed": "[REPORTÉ] "}
MISSING_LABEL = "[RETIRÉ] "
"""Prefix for events that no source lists any more: they may have been withdrawn silently."""

_MONTHS = MONTH_ABBREVIATIONS
_MONTHS_LONG = MONTH_NAMES
_WEEKDAYS = WEEKDAY_NAMES


def clean_text(value: object) -> str:
    """Any row value as text safe for XML 1.0: illegal and C1 control characters removed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # no control character, surrogate or noncharacter: the common case
        return text
    return _UNSAFE_CHARS.sub("", text)


def clean_line(value: object) -> str:
    """`clean_text` with all whitespace runs (newlines included) collapsed to one space."""
    return " ".join(clean_text(value).split())


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) URL with a host and without whitespace, else None."""
    text = clean_text(value).strip()
    match = _HTTP_AUTHORITY.match(text)
    if match is None or _URL_FORBIDDEN.search(text):
        return None
    authority = match.group(1)
    if "@" in authority or "[" in authority:
        try:
            host = urlsplit(text).hostname
        except ValueError:
            return None
    else:
        host = authority.split(":", 1)[0]
    return text if host else None


def status_label(row: Row) -> str:
    """Title prefix for cancelled, postponed and withdrawn events ('' when scheduled and listed)."""
    label = STATUS_LABELS.get(row.get("status") or "")
    if label:
        return label
    return MISSING_LABEL if row.get("missing") else ""


def parse_utc(value: object) -> datetime | None:
    """An ISO 8601 timestamp ('2026-11-02T08:00:00Z') as an aware UTC datetime, None if unusable."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)


def format_utc(value: datetime) -> str:
    """RFC 3339 UTC timestamp with a 'Z' suffix."""
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def zone_of(row: Row) -> ZoneInfo:
    """The row's IANA zone; the région's zone when it is missing or unknown to tzdata."""
    for name in (row.get("timezone"), region_timezone(row.get("region_code"))):
        if name and isinstance(name, str):
            try:
                return _zone(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return _zone(DEFAULT_TIMEZONE)


_ZONES: dict[str, ZoneInfo] = {}


def _zone(name: str) -> ZoneInfo:
    zone = _ZONES.get(name)
    if zone is None:
        zone = _ZONES[name] = ZoneInfo(name)
    return zone


@dataclass(frozen=True, slots=True)
class EventTimes:
    """When an event happens: local aware datetimes, or dates with an inclusive `end` when all-day."""

    start: datetime | date
    end: datetime | date | None
    all_day: bool
    zone: ZoneInfo


def _as_date(value: object) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _as_local(value: object, zone: ZoneInfo) -> datetime | None:
    if not value or not isinstance(value, str) or len(value) <= 10:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def event_times(row: Row) -> EventTimes | None:
    """Start and end of a row in its own zone; None when the row has no usable start."""
    zone = zone_of(row)
    start_text = row.get("start")
    timed = not row.get("all_day") and isinstance(start_text, str) and len(start_text) > 10
    if timed:
        start = _as_local(start_text, zone)
        if start is not None:
            end = _as_local(row.get("end"), zone)
            return EventTimes(start, end if end is not None and end > start else None, False, zone)
    first = _as_date(row.get("start_date")) or _as_date(start_text)
    if first is None:
        return None
    last = _as_date(row.get("end_date")) or _as_date(row.get("end"))
    return EventTimes(first, last if last is not None and last >= first else first, True, zone)


def _day(value: date, *, year: bool = True) -> str:
    text = f"{value.day} {_MONTHS[value.month - 1]}"
    return f"{text} {value.year}" if year else text


def _clock(value: time | datetime) -> str:
    return f"{value.hour}h{value.minute:02d}"


def when_short(times: EventTimes) -> str:
    """Compact French date for a title: '4 déc. 2026 9h30', '30 nov. – 2 déc. 2026'."""
    start, end = times.start, times.end
    first = start.date() if isinstance(start, datetime) else start
    last = (end.date() if isinstance(end, datetime) else end) if end is not None else first
    if last != first:
        if last.year != first.year:
            return f"{_day(first)} – {_day(last)}"
        return f"{_day(first, year=False)} – {_day(last)}"
    if isinstance(start, datetime):
        return f"{_day(first)} {_clock(start)}"
    return _day(first)


def _day_long(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{_WEEKDAYS[value.weekday()]} {day} {_MONTHS_LONG[value.month - 1]} {value.year}"


def when_long(times: EventTimes) -> str:
    """Full French wording: 'jeudi 4 décembre 2026, 9h30 – 12h30 (heure de Paris)'."""
    start, end = times.start, times.end
    if times.all_day or not isinstance(start, datetime):
        first = start if not isinstance(start, datetime) else start.date()
        last = end if isinstance(end, date) and not isinstance(end, datetime) else first
        if last == first:
            return _day_long(first)
        return f"du {_day_long(first)} au {_day_long(last)}"
    zone_note = "heure de Paris" if times.zone.key == DEFAULT_TIMEZONE else f"heure locale, {times.zone.key}"
    if isinstance(end, datetime) and end.date() != start.date():
        text = f"du {_day_long(start.date())}, {_clock(start)} au {_day_long(end.date())}, {_clock(end)}"
    elif isinstance(end, datetime):
        text = f"{_day_long(start.date())}, {_clock(start)} – {_clock(end)}"
    else:
        text = f"{_day_long(start.date())}, {_clock(start)}"
    return f"{text} ({zone_note})"


def is_online_only(row: Row) -> bool:
    return row.get("attendance") == "online"


def where_short(row: Row) -> str:
    """Place for a title: the city, 'En ligne', or the département/région as a last resort."""
    city = clean_line(row.get("city"))
    if is_online_only(row):
        return "En ligne"
    if city and row.get("attendance") == "mixed":
        return f"{city} + en ligne"
    if city:
        return city
    department = DEPARTMENTS.get(row.get("department") or "")
    if department:
        return department[0]
    return clean_line(row.get("region"))


def location_text(row: Row) -> str:
    """One-line postal location: venue, street address, postcode and city."""
    locality = " ".join(p for p in (clean_line(row.get("postal_code")), clean_line(row.get("city"))) if p)
    parts = [clean_line(row.get("venue")), clean_line(row.get("address")), locality]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    if not seen and is_online_only(row):
        return "En ligne"
    return ", ".join(seen)


def item_title(row: Row, times: EventTimes | None) -> str:
    """Feed item title: status label, then date and place, then the event's own title."""
    parts = [when_short(times)] if times is not None else []
    place = where_short(row)
    if place:
        parts.append(place)
    parts.append(clean_line(row.get("title")) or "Sans titre")
    return status_label(row) + " · ".join(parts)


def source_links(row: Row) -> list[dict[str, str]]:
    """The row's sources with their page URLs checked (http/https only)."""
    links = []
    for source in row.get("sources") or ():
        if not isinstance(source, Mapping):
            continue
        url = safe_url(source.get("url"))
        name = clean_line(source.get("name") or source.get("source"))
        entry = {"source": clean_line(source.get("source")), "name": name or url or ""}
        if url:
            entry["url"] = url
        links.append(entry)
    return links


def _link(url: str, text: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(text)}</a>'


def content_html(row: Row, times: EventTimes | None) -> str:
    """Item body for RSS and JSON Feed: practical information, the sanitised description, sources."""
    blocks = []
    label = status_label(row).strip(" []")
    if label:
        blocks.append(f"<p><strong>{html.escape(label.capitalize())}</strong></p>")
    if times is not None:
        blocks.append(f"<p><strong>Quand :</strong> {html.escape(when_long(times))}</p>")
    location = location_text(row)
    if location:
        blocks.append(f"<p><strong>Où :</strong> {html.escape(location)}</p>")
    online = safe_url(row.get("online_url"))
    if online:
        blocks.append(f"<p><strong>En ligne :</strong> {_link(online, online)}</p>")
    organizer = clean_line(row.get("organizer"))
    if organizer:
        blocks.append(f"<p><strong>Organisé par :</strong> {html.escape(organizer)}</p>")
    registration = safe_url(row.get("registration_url"))
    if registration:
        blocks.append(f"<p><strong>Inscription :</strong> {_link(registration, registration)}</p>")
    description = clean_text(row.get("description_html")).strip()
    if description:
        blocks.append(description)
    links = [_link(s["url"], s["name"]) for s in source_links(row) if "url" in s]
    if links:
        blocks.append(f"<p><strong>Source :</strong> {', '.join(links)}</p>")
    return "\n".join(blocks)


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    ]
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "li" else "\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS and tag != "li":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(_SPACES.sub(" ", data))


_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")


def html_to_text(fragment: str) -> str:
    """Readable plain text of an HTML fragment: paragraphs kept, list items dashed, tags dropped."""
    if "<" not in fragment and "&" not in fragment:
        return _SPACES.sub(" ", fragment).strip()
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = _LINE_EDGES.sub("\n", "".join(parser.parts))
    return _BLANK_LINES.sub("\n\n", text).strip()


def plain_description(row: Row, times: EventTimes | None) -> str:
    """iCalendar DESCRIPTION: the description as text, then online, registration and source links."""
    lines = []
    label = status_label(row).strip(" []")
    if label:
        lines.append(label.capitalize())
    text = html_to_text(clean_text(row.get("description_html")))
    if text:
        lines.append(text)
    online = safe_url(row.get("online_url"))
    if online:
        lines.append(f"En ligne : {online}")
    organizer = clean_line(row.get("organizer"))
    if organizer:
        lines.append(f"Organisé par : {organizer}")
    registration = safe_url(row.get("registration_url"))
    if registration:
        lines.append(f"Inscription : {registration}")
    for source in source_links(row):
        if "url" in source:
            lines.append(f"Source : {source['name']} – {source['url']}")
    return "\n\n".join(lines)


def clean_tags(row: Row) -> list[str]:
    """The row's tags, cleaned, without blanks or duplicates, in their stored order."""
    tags: list[str] = []
    stored = row.get("tags") or ()
    for tag in [stored] if isinstance(stored, str) else stored:
        text = clean_line(tag)
        if text and text not in tags:
            tags.append(text)
    return tags


def exclusive_end(last_day: date) -> date:
    """iCalendar all-day DTEND: the day after the inclusive last day."""
    return last_day + timedelta(days=1)
