"""How an event row reads in feeds and pages: French dates, places, titles, status labels, item bodies."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.normalize.fr_data import (
    DEFAULT_TIMEZONE,
    DEPARTMENTS,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    REGIONS,
    WEEKDAY_NAMES,
    region_timezone,
)
from pipelines.normalize.text import display_text, readable_text, strict_url, xml_line, xml_text
from storage.exporters import Row

# --- feeds: item titles and bodies ---------------------------------------------------

STATUS_LABELS = {"cancelled": "[ANNULÉ] ", "postponed": "[REPORTÉ] "}
MISSING_LABEL = "[RETIRÉ] "
"""Prefix for events that no source lists any more: they may have been withdrawn silently."""

_MONTHS = MONTH_ABBREVIATIONS


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
    return f"{WEEKDAYS[value.weekday()]} {day} {MONTHS[value.month - 1]} {value.year}"


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
    city = xml_line(row.get("city"))
    if is_online_only(row):
        return "En ligne"
    if city and row.get("attendance") == "mixed":
        return f"{city} + en ligne"
    if city:
        return city
    department = DEPARTMENTS.get(row.get("department") or "")
    if department:
        return department[0]
    return xml_line(row.get("region"))


def location_text(row: Row) -> str:
    """One-line postal location: venue, street address, postcode and city."""
    locality = " ".join(p for p in (xml_line(row.get("postal_code")), xml_line(row.get("city"))) if p)
    parts = [xml_line(row.get("venue")), xml_line(row.get("address")), locality]
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
    parts.append(xml_line(row.get("title")) or "Sans titre")
    return status_label(row) + " · ".join(parts)


def source_links(row: Row) -> list[dict[str, str]]:
    """The row's sources with their page URLs checked (http/https only)."""
    links = []
    for source in row.get("sources") or ():
        if not isinstance(source, Mapping):
            continue
        url = strict_url(source.get("url"))
        name = xml_line(source.get("name") or source.get("source"))
        entry = {"source": xml_line(source.get("source")), "name": name or url or ""}
        if url:
            entry["url"] = url
        links.append(entry)
    return links


def _link(url: str, text: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(text)}</a>'


def _practical(row: Row) -> list[tuple[str, str, bool]]:
    """(label, value, is a link) of the online room, the organiser and the registration page
    that the row has, in that order: both item bodies show them."""
    facts = []
    online = strict_url(row.get("online_url"))
    if online:
        facts.append(("En ligne", online, True))
    organizer = xml_line(row.get("organizer"))
    if organizer:
        facts.append(("Organisé par", organizer, False))
    registration = strict_url(row.get("registration_url"))
    if registration:
        facts.append(("Inscription", registration, True))
    return facts


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
    for name, value, is_link in _practical(row):
        shown = _link(value, value) if is_link else html.escape(value)
        blocks.append(f"<p><strong>{name} :</strong> {shown}</p>")
    description = xml_text(row.get("description_html")).strip()
    if description:
        blocks.append(description)
    links = [_link(s["url"], s["name"]) for s in source_links(row) if "url" in s]
    if links:
        blocks.append(f"<p><strong>Source :</strong> {', '.join(links)}</p>")
    return "\n".join(blocks)


def plain_description(row: Row, times: EventTimes | None) -> str:
    """iCalendar DESCRIPTION: the description as text, then online, registration and source links."""
    lines = []
    label = status_label(row).strip(" []")
    if label:
        lines.append(label.capitalize())
    text = readable_text(xml_text(row.get("description_html")))
    if text:
        lines.append(text)
    lines.extend(f"{name} : {value}" for name, value, _is_link in _practical(row))
    for source in source_links(row):
        if "url" in source:
            lines.append(f"Source : {source['name']} – {source['url']}")
    return "\n\n".join(lines)


def clean_tags(row: Row) -> list[str]:
    """The row's tags, cleaned, without blanks or duplicates, in their stored order."""
    tags: list[str] = []
    stored = row.get("tags") or ()
    for tag in [stored] if isinstance(stored, str) else stored:
        text = xml_line(tag)
        if text and text not in tags:
            tags.append(text)
    return tags


def exclusive_end(last_day: date) -> date:
    """iCalendar all-day DTEND: the day after the inclusive last day."""
    return last_day + timedelta(days=1)


# --- pages: French dates and places -----------------------------------------------

WEEKDAYS = WEEKDAY_NAMES
MONTHS = MONTH_NAMES
# Overseas régions announce in their own zone; say so, a Parisian reader would otherwise misread the hour.
TIMEZONE_LABELS = {
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
}
# "en Occitanie", but "à La Réunion", "dans le Grand Est".
_REGION_LOCATIVES = {
    "04": "à La Réunion", "06": "à Mayotte", "32": "dans les Hauts-de-France", "44": "dans le Grand Est",
    "52": "en Pays de la Loire",
}
STATUS_BADGES = {"cancelled": "Annulé", "postponed": "Reporté"}
ATTENDANCE_LABELS = {"online": "En ligne", "mixed": "Hybride"}

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 320
SHORT_LIMIT = 120
SEARCH_LIMIT = 1500


def fold(text: str) -> str:
    """Lower-case, accent-free form used for the client-side search (the script folds the query alike)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def region_locative(region_code: str) -> str:
    """'en Occitanie', 'à La Réunion', 'dans le Grand Est'."""
    return _REGION_LOCATIVES.get(region_code) or f"en {REGIONS[region_code].name}"


# Anything outside is corrupt data, and would overflow date arithmetic near year 1 or 9999.
_PLAUSIBLE_YEARS = (1900, 2200)


def _parse_point(value: object, tz: ZoneInfo) -> datetime | date | None:
    """ISO text from the row -> aware datetime in `tz`, or a date; None when unreadable."""
    if not value:
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return day if _PLAUSIBLE_YEARS[0] <= day.year <= _PLAUSIBLE_YEARS[1] else None
        moment = datetime.fromisoformat(text)
        if not _PLAUSIBLE_YEARS[0] <= moment.year <= _PLAUSIBLE_YEARS[1]:
            return None
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def row_timezone(row: Row) -> ZoneInfo:
    """The event's own zone (row timezone, else its région's, else Paris)."""
    name = row.get("timezone")
    if not name or not isinstance(name, str):
        name = region_timezone(str(row.get("region_code") or ""))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def row_bounds(row: Row) -> tuple[datetime | date | None, datetime | date | None]:
    """(start, end) of a row: aware datetimes in the event's zone when timed, dates when all-day."""
    tz = row_timezone(row)
    start = _parse_point(row.get("start"), tz) or _parse_point(row.get("start_date"), tz)
    end = _parse_point(row.get("end"), tz)
    if row.get("all_day") and isinstance(start, datetime):
        start = start.date()
    if isinstance(start, date) and not isinstance(start, datetime) and isinstance(end, datetime):
        end = end.date()
    if end is not None and start is not None and day_of(end) < day_of(start):
        end = None
    return start, end


def day_of(value: datetime | date) -> date:
    """The calendar day of a `row_bounds` value."""
    return value.date() if isinstance(value, datetime) else value


def format_day(day: date, *, with_year: bool = True, with_weekday: bool = True) -> str:
    """'jeudi 4 novembre 2021', 'lundi 1er novembre' (with_year=False)."""
    number = "1er" if day.day == 1 else str(day.day)
    words = f"{number} {MONTHS[day.month - 1]}"
    if with_weekday:
        words = f"{WEEKDAYS[day.weekday()]} {words}"
    return f"{words} {day.year}" if with_year else words


def format_time(moment: time | datetime) -> str:
    """'9 h', '12 h 30', '0 h 05'."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def format_when(row: Row, *, current_year: int) -> str:
    """When an event happens, in French words, in the event's own zone; the year appears only when it
    is not `current_year`: 'jeudi 4 novembre, 9 h – 12 h 30', 'du mardi 30 novembre au jeudi 2 décembre 2021'."""
    start, end = row_bounds(row)
    if start is None:
        return "date à préciser"
    start_day = day_of(start)
    end_day = day_of(end) if end is not None else start_day
    show_year = start_day.year != current_year or end_day.year != current_year
    if isinstance(start, datetime):
        tz_label = TIMEZONE_LABELS.get(str(start.tzinfo), "")
        suffix = f" ({tz_label})" if tz_label else ""
        if end_day == start_day:
            when = f"{format_day(start_day, with_year=show_year)}, {format_time(start)}"
            if isinstance(end, datetime) and end > start:
                when += f" – {format_time(end)}"
            return when + suffix
        if isinstance(end, datetime):
            return (
                f"du {format_day(start_day, with_year=show_year)} à {format_time(start)}"
                f" au {format_day(end_day, with_year=show_year)} à {format_time(end)}{suffix}"
            )
    if end_day == start_day:
        return format_day(start_day, with_year=show_year)
    both_years = start_day.year != end_day.year
    return f"du {format_day(start_day, with_year=both_years)} au {format_day(end_day, with_year=show_year)}"


def format_generated(moment: datetime) -> str:
    """'dimanche 29 novembre 2026 à 18 h 05' in Paris time."""
    local = moment.astimezone(ZoneInfo(DEFAULT_TIMEZONE)) if moment.tzinfo else moment
    return f"{format_day(local.date())} à {format_time(local)}"




def format_place(row: Row) -> str:
    """'Diagora, Labège, Haute-Garonne (31)'; département or région alone when that is all we know."""
    parts: list[str] = []
    venue = display_text(row.get("venue"), SHORT_LIMIT)
    city = display_text(row.get("city"), SHORT_LIMIT)
    if venue and venue.casefold() != city.casefold():
        parts.append(venue)
    code = display_text(row.get("department"), 3)
    dept = DEPARTMENTS.get(code)
    if city:
        if dept and dept[0].casefold() == city.casefold():
            parts.append(f"{city} ({code})")
            dept = None
        else:
            parts.append(city)
    if dept:
        parts.append(f"{dept[0]} ({code})")
    elif not city:
        region = REGIONS.get(row.get("region_code") or "")
        if region:
            parts.append(region.name)
    return ", ".join(parts)
