"""OpenAgenda: API v2 event objects and lists, the agenda JSON export (older flat field names), and
the OpenDataSoft records of OpenAgenda's public aggregate ('evenements-publics-openagenda')."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scraper.items import Event
from scraper.urls import absolute, external_url
from spiders.extract import common

API_ROOT = "https://api.openagenda.com/v2"
_ATTENDANCE = {1: "offline", 2: "online", 3: "mixed"}
# OpenAgenda status codes: 1 scheduled, 2 rescheduled, 3 moved online, 4 postponed, 5 full, 6 cancelled.
# Rescheduled and full events still take place at the dates given, so they stay "scheduled".
_STATUS = {1: "scheduled", 2: "scheduled", 3: "scheduled", 4: "postponed", 5: "scheduled", 6: "cancelled"}
# Exports carry each status with its label in several languages: the English label, when there,
# says what the code means whatever the numbering.
_STATUS_LABELS = {"scheduled": 1, "rescheduled": 2, "moved online": 3, "postponed": 4, "full": 5,
                  "cancelled": 6, "canceled": 6}
_AGENDA_IN_URL = re.compile(r"/agendas/(\d+)")


MISSING_KEY = ("OpenAgenda's API v2 answers only with a public key: set ESS_OPENAGENDA_KEY (account settings "
               "on openagenda.com, 'API keys'); this agenda's feed is skipped and its web pages read instead")
REFUSED_KEY = ("OpenAgenda refused ESS_OPENAGENDA_KEY (HTTP {status}): check the key in the account settings on "
               "openagenda.com; this agenda's feed is skipped and its web pages read instead")


def needs_key(url: str) -> bool:
    """True for a URL of OpenAgenda's API v2, which answers only requests carrying a public key."""
    parts = urlsplit(url)
    return parts.netloc.lower() == "api.openagenda.com" and parts.path.startswith("/v2/")


def key_headers(url: str, key: str) -> dict[str, str]:
    """The header that carries the key to the API v2 (OpenAgenda advises a header over `?key=`,
    which leaves the key in logs and stored addresses); nothing for other URLs or without a key."""
    return {"key": key} if key and needs_key(url) else {}


def events_url(agenda_uid: str | int, *, size: int = 100, relative: str | None = "current") -> str:
    """v2 list URL for an agenda (the caller adds its key; `relative` keeps past events out)."""
    query = [("size", str(size)), ("detailed", "1")]
    if relative:
        query += [("relative[]", "current"), ("relative[]", "upcoming")]
    return f"{API_ROOT}/agendas/{agenda_uid}/events?{urlencode(query)}"


def looks_like_event(obj: object) -> bool:
    return isinstance(obj, dict) and "uid" in obj and (
        isinstance(obj.get("timings"), list) or "firstTiming" in obj or "firstDate" in obj
    )


def looks_like_list(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    evs = obj.get("events")
    if not isinstance(evs, list):
        return False
    if not evs:
        return "after" in obj or "total" in obj
    return any(looks_like_event(e) for e in evs)


def _ods_fields(row: object) -> dict[str, Any] | None:
    """The flat fields of one OpenDataSoft row: v1 `records[].fields`, v2 `results[]`, or an export's row."""
    if isinstance(row, dict) and isinstance(row.get("fields"), dict):
        row = row["fields"]
    if isinstance(row, dict) and ("title_fr" in row or "title" in row) and (
            "firstdate_begin" in row or "timings" in row or "daterange_fr" in row):
        return row
    return None


def ods_rows(data: object) -> list[dict[str, Any]] | None:
    """The rows of an OpenDataSoft export of OpenAgenda events, or None for another document."""
    rows = data
    if isinstance(data, dict):
        rows = data.get("records", data.get("results"))
    if not isinstance(rows, list) or not rows:
        return None
    found = [f for f in (_ods_fields(r) for r in rows) if f is not None]
    return found if len(found) * 2 >= len(rows) else None


def _decoded(value: Any) -> Any:
    """OpenDataSoft keeps OpenAgenda's objects (timings, status, attendance mode) as JSON strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def item_from_ods(fields: dict[str, Any]) -> dict[str, Any]:
    """One OpenDataSoft row as an API v2 event object (the names event_from_item reads)."""
    coords = fields.get("location_coordinates")
    lat, lng = (coords[0], coords[1]) if isinstance(coords, list) and len(coords) == 2 else (None, None)
    item: dict[str, Any] = {
        "uid": fields.get("uid"),
        "title": fields.get("title_fr") or fields.get("title"),
        "canonicalUrl": fields.get("canonicalurl"),
        "description": fields.get("description_fr") or fields.get("description"),
        "html": fields.get("longdescription_fr") or fields.get("longdescription"),
        "image": fields.get("originalimage") or fields.get("image"),
        "dateRange": fields.get("daterange_fr"),
        "onlineAccessLink": fields.get("onlineaccesslink"),
        "registration": _decoded(fields.get("registration")),
        "status": _decoded(fields.get("status")),
        "attendanceMode": _decoded(fields.get("attendancemode")),
        "keywords": fields.get("keywords_fr"),
        "location": {
            "name": fields.get("location_name"), "address": fields.get("location_address"),
            "postalCode": fields.get("location_postalcode"), "city": fields.get("location_city"),
            "insee": fields.get("location_insee"), "latitude": lat, "longitude": lng,
        },
    }
    if fields.get("originagenda_uid"):
        item["originAgenda"] = {"uid": fields["originagenda_uid"]}
    timings = _decoded(fields.get("timings"))
    if isinstance(timings, list) and timings:
        item["timings"] = timings
    elif fields.get("firstdate_begin"):
        item["firstTiming"] = {"begin": fields.get("firstdate_begin"), "end": fields.get("firstdate_end")}
        item["lastTiming"] = {"begin": fields.get("lastdate_begin"), "end": fields.get("lastdate_end")}
    if isinstance(item["keywords"], str):
        item["keywords"] = [k.strip() for k in re.split(r"[;,]", item["keywords"]) if k.strip()]
    return item


def _ods_next(data: object, url: str, count: int) -> list[str]:
    """The next page of a v1 search (`start` + `rows` below `nhits`)."""
    if not isinstance(data, dict) or not count:
        return []
    params = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    total, start = data.get("nhits"), params.get("start", 0)
    if not isinstance(total, int) or not isinstance(start, int) or start + count >= total or "?" not in url:
        return []
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "start"] + [("start", str(start + count))]
    return [urlunsplit(parts._replace(query=urlencode(query)))]


def extract(data: Any, *, url: str, source: str, tz: str, reference: date | None,
            skipped: Counter[str]) -> tuple[list[Event], list[str]]:
    rows = ods_rows(data)
    if rows is not None:
        events = []
        for fields in rows:
            ev = event_from_item(item_from_ods(fields), url=url, source=source, tz=tz, reference=reference,
                                 skipped=skipped)
            if ev is not None:
                events.append(ev)
        return events, _ods_next(data, url, len(rows))
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        items = data["events"]
    elif isinstance(data, dict) and isinstance(data.get("event"), dict):
        items = [data["event"]]
    else:
        items = [data]
    m = _AGENDA_IN_URL.search(url)
    agenda = m.group(1) if m else None
    events = []
    for item in items:
        if not isinstance(item, dict):
            skipped["openagenda/not_an_object"] += 1
            continue
        ev = event_from_item(item, url=url, source=source, tz=tz, reference=reference,
                             skipped=skipped, agenda=agenda)
        if ev is not None:
            events.append(ev)
    return events, _next(data, url, len(items))


def _next(data: Any, url: str, count: int) -> list[str]:
    if not isinstance(data, dict) or count == 0:
        return []
    after = data.get("after")
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("after[]", "after")]
    if isinstance(after, list) and after:
        query += [("after[]", str(a)) for a in after]
    elif isinstance(after, (str, int)) and not isinstance(after, bool) and str(after):
        query.append(("after[]", str(after)))
    else:
        total = data.get("total")
        offset = dict(parse_qsl(parts.query)).get("offset")
        if isinstance(total, int) and offset is not None and offset.isdigit():
            nxt = int(offset) + count
            if nxt < total:
                query = [(k, v) for k, v in query if k != "offset"] + [("offset", str(nxt))]
                return [urlunsplit(parts._replace(query=urlencode(query)))]
        return []
    return [urlunsplit(parts._replace(query=urlencode(query)))]


def _timing_bounds(t: Any) -> tuple[common.Stamp | None, common.Stamp | None]:
    if isinstance(t, str):  # some exports flatten firstTiming to a plain date
        return common.parse_iso(t), None
    if not isinstance(t, dict):
        return None, None
    return (common.parse_iso(t.get("begin") or t.get("start")),
            common.parse_iso(t.get("end")))


def event_from_item(item: dict[str, Any], *, url: str, source: str, tz: str, reference: date | None,
                    skipped: Counter[str], agenda: str | None = None) -> Event | None:
    title = common.text_of(item.get("title"))
    if not title:
        skipped["openagenda/no_title"] += 1
        return None
    uid = common.text_of(item.get("uid"))
    for key in ("originAgenda", "origin"):
        if isinstance(item.get(key), dict) and common.text_of(item[key].get("uid")):
            agenda = common.text_of(item[key].get("uid"))
            break
    page = (absolute(item.get("canonicalUrl"), url) or absolute(item.get("link"), url)
            or (f"https://openagenda.com/agendas/{agenda}/events/{uid}" if agenda and uid else None)
            or (f"{url.split('#')[0]}#{uid}" if uid else url))
    raw_loc = item.get("location")
    loc: dict[str, Any] = raw_loc if isinstance(raw_loc, dict) else {}
    zone_label = common.text_of(item.get("timezone")) or common.text_of(loc.get("timezone")) or tz
    local = common.zone(zone_label, tz)

    raw_timings = item.get("timings")
    timings: list[Any] = raw_timings if isinstance(raw_timings, list) else []
    bounds = [b for b in (_timing_bounds(t) for t in timings) if b[0] is not None]
    if not bounds:
        first, last = _timing_bounds(item.get("firstTiming")), _timing_bounds(item.get("lastTiming"))
        if first[0] is not None:
            bounds = [first, last if last[0] is not None else first]
    if not bounds and item.get("firstDate"):
        b = common.parse_iso(f"{item.get('firstDate')}T{item.get('firstTimeStart') or '00:00'}")
        e = common.parse_iso(f"{item.get('lastDate') or item.get('firstDate')}T{item.get('lastTimeEnd') or '23:59'}")
        if b is not None:
            bounds = [(b, e)]
    bounds.sort(key=lambda b: _sort_key(b[0].value, local))  # type: ignore[union-attr]
    start_raw = ""
    if bounds:
        first_value = bounds[0][0].value  # type: ignore[union-attr]
        start_raw = first_value.isoformat()
        for t in timings:
            b, _e = _timing_bounds(t)
            if b is not None and b.value == first_value and isinstance(t, dict):
                start_raw = common.text_of(t.get("begin") or t.get("start"))
                break
    date_range = common.text_of(item.get("dateRange")) or common.text_of(item.get("range"))
    if date_range:
        start_raw = f"{start_raw} / {date_range}" if start_raw else date_range

    ev = Event(source=source, url=page, title=title, start_raw=start_raw, extractor="openagenda",
               reference_date=reference, native_id=f"openagenda:{uid}" if uid else None)
    # The export's "html" is the rendered long description; longDescription is its Markdown source.
    long_desc = common.text_of(item.get("html")) or common.text_of(item.get("longDescription"))
    short = common.text_of(item.get("description"))
    body = long_desc or short
    if body:
        ev.description_html = body if re.search(r"</?(p|br|a|ul|strong|em|div)\b", body) else common.text_to_html(body)
    ev.image = _image(item.get("image"), url)
    _location(ev, item, loc)
    mode = item.get("attendanceMode")
    if isinstance(mode, dict):
        mode = mode.get("id")
    if isinstance(mode, str) and mode.isdigit():
        mode = int(mode)
    if isinstance(mode, int) and mode in _ATTENDANCE:
        ev.attendance = _ATTENDANCE[mode]
    link = external_url(item.get("onlineAccessLink"))
    if link:
        ev.online_url = link
        if ev.attendance in (None, "offline") and not loc:
            ev.attendance = "online"
    status = item.get("status")
    if isinstance(status, dict):
        label = status.get("label")
        english = common.text_of(label.get("en")).lower() if isinstance(label, dict) else ""
        status = _STATUS_LABELS.get(english, status.get("id"))
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if isinstance(status, int) and status in _STATUS:
        ev.status = _STATUS[status]
        if status == 3 and ev.attendance in (None, "offline"):
            ev.attendance = "online"
    ev.registration_url = _registration(item, url)
    kw = item.get("keywords")
    if isinstance(kw, dict):
        kw = kw.get("fr") or next(iter(kw.values()), [])
    if isinstance(kw, list):
        ev.tags = [common.text_of(k) for k in kw if common.text_of(k)][:20]
    if bounds:
        if len(bounds) > 1:
            common.flag(ev, "multiple_timings")
        b0 = bounds[0][0]
        last_end = max((b[1] or b[0] for b in bounds), key=lambda s: _sort_key(s.value, local))  # type: ignore[union-attr]
        start = common.localize(b0.value, local)  # type: ignore[union-attr]
        end = common.localize(last_end.value, local) if last_end is not None else None
        all_day = (isinstance(start, datetime) and isinstance(end, datetime) and start.time() == time(0, 0)
                   and end.time() >= time(23, 59))
        common.set_dates(ev, start, end, tz=local, all_day=all_day)
    else:
        skipped["openagenda/no_timings"] += 1
        ev.date_status = "unparsed"
    return common.finish(ev)


def _sort_key(value: date | datetime, local: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=local)
    return datetime.combine(value, time(0, 0), local)


def _image(img: Any, base: str) -> str | None:
    if isinstance(img, str):
        return absolute(img, base)
    if isinstance(img, dict):
        if img.get("base") and img.get("filename"):
            return absolute(f"{img['base']}{img['filename']}", base)
        return absolute(img.get("url"), base)
    return None


def _registration(item: dict[str, Any], base: str) -> str | None:
    reg = item.get("registration")
    for r in reg if isinstance(reg, list) else []:
        value = r.get("value") if isinstance(r, dict) else r
        got = external_url(value)
        if got:
            return got
    return external_url(item.get("registrationUrl"))


def _location(ev: Event, item: dict[str, Any], loc: dict[str, Any]) -> None:
    name = common.text_of(loc.get("name")) or common.text_of(item.get("locationName"))
    street = common.text_of(loc.get("address")) or common.text_of(item.get("address"))
    pc = common.text_of(loc.get("postalCode")) or common.text_of(item.get("postalCode"))
    city = (common.text_of(loc.get("city")) or common.text_of(item.get("city"))
            or common.text_of(loc.get("adminLevel4")))
    insee = common.text_of(loc.get("insee"))
    ev.venue = name or None
    ev.address = street or None
    ev.postal_code = pc or None
    ev.city = city or None
    ev.insee = insee if re.fullmatch(r"\d[\dAB]\d{3}", insee) else None
    dept = common.text_of(loc.get("departmentCode"))
    if dept:
        ev.department = dept
    lat = loc.get("latitude", item.get("latitude"))
    lng = loc.get("longitude", item.get("longitude"))
    try:
        if lat not in (None, "") and lng not in (None, ""):
            ev.latitude, ev.longitude = float(lat), float(lng)
    except (TypeError, ValueError):
        pass
    parts = [name]
    if street and (not name or street not in name):
        parts.append(street)
    if (pc or city) and not (street and ((city and city in street) or (pc and pc in street))):
        parts.append(" ".join(x for x in (pc, city) if x))
    ev.location_raw = ", ".join(p for p in parts if p)
    if (name or city) and ev.attendance is None:
        ev.attendance = "offline"
