"""The Events Calendar (WordPress) REST API: /wp-json/tribe/events/v1/events lists and single events."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scraper.items import Event
from scraper.urls import absolute, external_url
from spiders.extract import common, phrases

ENDPOINT = "tribe/events/v1/events"


def looks_like_event(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    if "start_date" in obj:
        return "utc_start_date" in obj or "all_day" in obj or "start_date_details" in obj
    return "utc_start_date" in obj and ("title" in obj or "global_id" in obj)


def looks_like_list(obj: object) -> bool:
    if not isinstance(obj, dict) or not isinstance(obj.get("events"), list):
        return False
    evs = obj["events"]
    if not evs:
        return "rest_url" in obj or "next_rest_url" in obj or "total_pages" in obj
    return any(looks_like_event(e) for e in evs)


def list_url(endpoint: str, start: date, *, per_page: int = 50, end: date | None = None) -> str:
    """An events-list URL with an explicit start_date (the API hides past events without one)."""
    parts = urlsplit(endpoint)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("start_date", "per_page", "end_date", "page")]
    query += [("start_date", start.isoformat()), ("per_page", str(per_page))]
    if end is not None:
        query.append(("end_date", end.isoformat()))
    return urlunsplit(parts._replace(query=urlencode(query)))


def extract(data: Any, *, url: str, source: str, tz: str, reference: date | None,
            skipped: Counter[str]) -> tuple[list[Event], list[str]]:
    """Events and next-page URLs from a decoded tribe JSON payload (list or single event)."""
    items = data.get("events") if isinstance(data, dict) and "events" in data else [data]
    events: list[Event] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            skipped["tribe/not_an_object"] += 1
            continue
        ev = event_from_item(item, url=url, source=source, tz=tz, reference=reference, skipped=skipped)
        if ev is not None:
            events.append(ev)
    nxt: list[str] = []
    if isinstance(data, dict):
        got = absolute(data.get("next_rest_url"), url)
        if got and got != url:
            nxt.append(got)
    return events, nxt


def _parse_wall(text: object) -> datetime | None:
    s = common.parse_iso(text)
    if s is None:
        return None
    v = s.value
    if isinstance(v, datetime):
        return v.replace(tzinfo=None) if not s.has_offset else v
    return datetime.combine(v, datetime.min.time())


def event_from_item(item: dict[str, Any], *, url: str, source: str, tz: str, reference: date | None,
                    skipped: Counter[str]) -> Event | None:
    title = common.strip_tags(common.text_of(item.get("title")))
    if not title:
        skipped["tribe/no_title"] += 1
        return None
    start_txt = common.text_of(item.get("start_date")) or common.text_of(item.get("utc_start_date"))
    end_txt = common.text_of(item.get("end_date")) or common.text_of(item.get("utc_end_date"))
    ev = Event(
        source=source,
        url=absolute(item.get("url"), url) or url,
        title=title,
        start_raw=" / ".join(x for x in (start_txt, end_txt) if x),
        description_html=item.get("description") if isinstance(item.get("description"), str) else "",
        extractor="tribe",
        reference_date=reference,
    )
    native = common.text_of(item.get("global_id")) or common.text_of(item.get("id"))
    ev.native_id = f"tribe:{native}" if native else None
    img = item.get("image")
    if isinstance(img, dict):
        ev.image = absolute(img.get("url"), url)
    ev.registration_url = external_url(item.get("website"))
    _venue(ev, item.get("venue"))
    if item.get("is_virtual") is True:
        ev.attendance = "mixed" if ev.attendance == "offline" else "online"
    orgs = item.get("organizer")
    if isinstance(orgs, dict):
        orgs = [orgs]
    if isinstance(orgs, list):
        names = [common.text_of(o.get("organizer")) for o in orgs if isinstance(o, dict)]
        ev.organizer = ", ".join(n for n in names if n) or None
    tags = []
    for key in ("categories", "tags"):
        for t in item.get(key) or []:
            if isinstance(t, dict) and common.text_of(t.get("name")):
                tags.append(common.text_of(t.get("name")))
    ev.tags = list(dict.fromkeys(tags))[:20]
    _dates(ev, item, start_txt, end_txt, tz)
    if ev.start is None:
        skipped["tribe/no_start"] += 1
        ev.date_status = "unparsed"
    return common.finish(ev)


def _dates(ev: Event, item: dict[str, Any], start_txt: str, end_txt: str, tz: str) -> None:
    start = _parse_wall(start_txt)
    end = _parse_wall(end_txt)
    if start is None:
        return
    if not item.get("start_date"):
        # Only the UTC fields: an instant, shown in the event's (or the source's) zone.
        start = start.replace(tzinfo=UTC)
        end = end.replace(tzinfo=UTC) if end is not None else None
    label = common.text_of(item.get("timezone"))
    got = common.parse_zone(label)
    local = common.zone(None, tz)
    if got is not None and got[1] is not None and got[1] != "UTC":
        zone = got[0]
    else:
        # 'UTC+0', 'UTC+1' or no zone: WordPress sites left on a manual offset. The wall clock is what the
        # organiser typed; reading it in the source's zone keeps 9h at 9h for the public.
        zone = local
        if label:
            common.flag(ev, "timezone_not_iana")
    all_day = bool(item.get("all_day"))
    if all_day:
        end_day = end.date() if end else None
        # Some versions end all-day events at 00:00 the next day, i.e. exclusive.
        if end is not None and end.time() == datetime.min.time() and end_day and end_day > start.date():
            end_day -= timedelta(days=1)
        common.set_dates(ev, start.date(), end_day, tz=zone, all_day=True)
        return
    if start.tzinfo is None:
        start = start.replace(tzinfo=zone)
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=zone)
    utc = _parse_wall(item.get("utc_start_date"))
    if utc is not None and got is not None and got[1] not in (None, "UTC") and abs(utc.replace(tzinfo=UTC) - start) > timedelta(minutes=1):
        common.flag(ev, "utc_mismatch")
    common.set_dates(ev, start, end, tz=zone, all_day=False)


def _venue(ev: Event, venue: Any) -> None:
    if not isinstance(venue, dict) or not venue:
        return
    name = common.text_of(venue.get("venue"))
    street = common.text_of(venue.get("address"))
    pc = common.text_of(venue.get("zip"))
    city = common.text_of(venue.get("city"))
    ev.venue = name or None
    ev.address = street or None
    ev.postal_code = pc or None
    ev.city = city or None
    ev.location_raw = ", ".join(p for p in (name, street, " ".join(x for x in (pc, city) if x)) if p)
    try:
        lat, lng = venue.get("geo_lat"), venue.get("geo_lng")
        if lat not in (None, "") and lng not in (None, ""):
            ev.latitude, ev.longitude = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    online = phrases.attendance_of_place(ev.location_raw)
    if online is not None or "online" in name.lower():
        ev.attendance = online or "online"
    elif name or city or street:
        ev.attendance = "offline"
