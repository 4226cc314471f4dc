"""iCalendar (RFC 5545) feeds: VEVENTs with TZID, UTC, floating and all-day times."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from scraper.items import Event
from scraper.urls import absolute
from spiders.extract import common, phrases

_VEVENT = re.compile(r"BEGIN:VEVENT\r?\n.*?END:VEVENT", re.DOTALL | re.IGNORECASE)


def looks_like_ical(text: str) -> bool:
    return "BEGIN:VCALENDAR" in text[:2000].upper() or text.lstrip().upper().startswith("BEGIN:VEVENT")


def _calendars(text: str, skipped: Counter[str]) -> list[Any]:
    import icalendar

    try:
        return list(icalendar.Calendar.from_ical(text, multiple=True))
    except Exception:  # noqa: BLE001 - icalendar raises ValueError, KeyError, IndexError… on bad input
        skipped["ical/unreadable_calendar"] += 1
    # Salvage each VEVENT on its own, so one broken line costs one event, not the feed.
    head = text.split("BEGIN:VEVENT", 1)[0]
    head_lines = "\n".join(ln for ln in head.splitlines() if ln.upper().startswith(("X-WR-TIMEZONE", "VERSION")))
    cals = []
    for block in _VEVENT.findall(text):
        wrapped = f"BEGIN:VCALENDAR\r\n{head_lines}\r\n{block}\r\nEND:VCALENDAR\r\n"
        try:
            cals.append(icalendar.Calendar.from_ical(wrapped))
        except Exception:  # noqa: BLE001 - as above
            skipped["ical/unreadable_event"] += 1
    return cals


def extract(text: str, *, url: str, source: str, tz: str, reference: date | None,
            skipped: Counter[str]) -> list[Event]:
    # Unfold first-hand: some exporters fold with a bare LF, which icalendar accepts only with CRLF.
    text = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n")).replace("\n", "\r\n")
    events: list[Event] = []
    for cal in _calendars(text, skipped):
        cal_tz = common.text_of(str(cal.get("X-WR-TIMEZONE") or "")) or tz
        default = common.zone(cal_tz, tz)
        for comp in cal.walk("VEVENT"):
            try:
                ev = _event(comp, url=url, source=source, default=default, reference=reference,
                            skipped=skipped)
            except Exception:  # noqa: BLE001 - icalendar decodes values lazily and raises on malformed ones
                skipped["ical/bad_component"] += 1
                continue
            if ev is not None:
                events.append(ev)
    return events


def _prop_text(comp: Any, name: str) -> str:
    value = comp.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _when(comp: Any, name: str, default: Any = None) -> tuple[date | datetime | None, bool]:
    """(value, True when a bare-offset TZID such as 'UTC+0' was set aside for the calendar's zone)."""
    prop = comp.get(name)
    if prop is None:
        return None, False
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    dt = getattr(prop, "dt", None)
    params = getattr(prop, "params", {}) or {}
    tzid = str(params.get("TZID") or "")
    got = common.parse_zone(tzid) if tzid else None
    if isinstance(dt, datetime) and got is not None and got[1] is None and default is not None:
        # 'UTC+0', 'GMT+01:00': a manual offset, not a place. The wall clock is the organiser's; read it
        # in the calendar's zone unless the offset is that zone's own at the time.
        naive = dt.replace(tzinfo=None)
        if naive.replace(tzinfo=got[0]).utcoffset() != naive.replace(tzinfo=default).utcoffset():
            return naive, True
        return naive.replace(tzinfo=default), False
    if isinstance(dt, datetime) and dt.tzinfo is None and got is not None:
        dt = dt.replace(tzinfo=got[0])
    if not isinstance(dt, (date, datetime)):
        dt = None
    return dt, False


def _event(comp: Any, *, url: str, source: str, default: Any, reference: date | None,
           skipped: Counter[str]) -> Event | None:
    title = _prop_text(comp, "SUMMARY")
    if not title:
        skipped["ical/no_summary"] += 1
        return None
    start, start_offset_only = _when(comp, "DTSTART", default)
    if start is None:
        skipped["ical/no_dtstart"] += 1
        return None
    end, _ = _when(comp, "DTEND", default)
    if end is None:
        dur = comp.get("DURATION")
        delta = getattr(dur, "dt", None)
        if isinstance(delta, timedelta):
            end = start + delta
    raw_start = comp.get("DTSTART").to_ical().decode("utf-8", "replace") if hasattr(
        comp.get("DTSTART"), "to_ical") else str(start)
    ev = Event(
        source=source,
        url=absolute(_prop_text(comp, "URL"), url) or url,
        title=title,
        start_raw=raw_start,
        extractor="ical",
        reference_date=reference,
    )
    if start_offset_only:
        common.flag(ev, "timezone_not_iana")
    uid = _prop_text(comp, "UID")
    if uid:
        # Occurrences overridden in a recurring series share the UID: RECURRENCE-ID tells them apart.
        rec = comp.get("RECURRENCE-ID")
        rec_text = rec.to_ical().decode("utf-8", "replace") if hasattr(rec, "to_ical") else ""
        ev.native_id = f"ical:{uid}" + (f"#{rec_text}" if rec_text else "")
    desc = _prop_text(comp, "DESCRIPTION")
    alt = comp.get("X-ALT-DESC")
    if alt is not None and "html" in str(getattr(alt, "params", {}).get("FMTTYPE", "")).lower():
        ev.description_html = str(alt)
    elif desc:
        ev.description_html = desc if re.search(r"</?(p|br|a|ul|strong|em)\b", desc) else common.text_to_html(desc)
    location = _prop_text(comp, "LOCATION")
    ev.location_raw = location
    if location:
        if re.match(r"https?://", location):
            ev.online_url = location
            ev.attendance = "online"
        else:
            ev.postal_code, ev.city = common.postcode_city(location)
            ev.attendance = phrases.attendance_of_place(location)
    geo = comp.get("GEO")
    if geo is not None:
        try:
            ev.latitude, ev.longitude = float(geo.latitude), float(geo.longitude)
        except (AttributeError, TypeError, ValueError):
            pass
    org = comp.get("ORGANIZER")
    if org is not None:
        cn = getattr(org, "params", {}).get("CN")
        ev.organizer = str(cn).strip("\"") if cn else str(org).replace("mailto:", "").replace("MAILTO:", "") or None
    cats = comp.get("CATEGORIES")
    tags: list[str] = []
    for c in cats if isinstance(cats, list) else [cats] if cats is not None else []:
        for t in getattr(c, "cats", None) or [str(c)]:
            if str(t).strip():
                tags.append(str(t).strip())
    ev.tags = list(dict.fromkeys(tags))[:20]
    for attach in (comp.get("ATTACH"), comp.get("IMAGE")):
        for a in attach if isinstance(attach, list) else [attach] if attach is not None else []:
            fmt = str(getattr(a, "params", {}).get("FMTTYPE", ""))
            if fmt.startswith("image/") or re.search(r"\.(jpe?g|png|webp|gif)(\?|$)", str(a), re.IGNORECASE):
                ev.image = ev.image or absolute(str(a), url)
    status = _prop_text(comp, "STATUS").upper()
    if status == "CANCELLED":
        ev.status = "cancelled"
    if comp.get("RRULE") is not None:
        common.flag(ev, "recurring")
    all_day = not isinstance(start, datetime)
    if all_day:
        if isinstance(end, datetime):
            end = end.date()
        if isinstance(end, date) and end > start:
            end = end - timedelta(days=1)  # DTEND;VALUE=DATE is exclusive (RFC 5545 3.6.1)
        elif end is not None and end <= start:
            end = None
    else:
        if isinstance(end, date) and not isinstance(end, datetime):
            end = None
    if (isinstance(start, datetime) and start.utcoffset() == timedelta(0)
            and common.z_is_local(start, f"{title} {desc} {location}", default)):
        start = start.replace(tzinfo=None)
        end = end.replace(tzinfo=None) if isinstance(end, datetime) and end.utcoffset() == timedelta(0) else end
        common.flag(ev, "z_as_local")
    tz = start.tzinfo if isinstance(start, datetime) and start.tzinfo is not None else default
    if isinstance(start, datetime) and start.tzinfo is not None and getattr(start.tzinfo, "key", None) in (
        None, "UTC", "Etc/UTC"
    ):
        # UTC ('Z') or a VTIMEZONE-built zone: show it in the calendar's zone, same instant.
        tz = default
    common.set_dates(ev, start, end, tz=tz, all_day=all_day)
    return common.finish(ev)
