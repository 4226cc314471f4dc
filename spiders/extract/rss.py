"""RSS 2.0 / RSS 1.0 / Atom items of agenda sections, with event-module and custom date fields."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from scraper.items import Event
from scraper.urls import absolute
from spiders.extract import common, phrases, programme

_START_KEYS = ("localstartdate", "start_date_local", "startdate", "dtstart", "start_date", "date_debut", "datedebut", "date-debut", "date_start",
               "event_date", "eventdate", "date_evenement", "dateevenement", "begin", "start", "debut",
               "startdatetime", "event_start")
_END_KEYS = ("localenddate", "end_date_local", "enddate", "dtend", "end_date", "date_fin", "datefin", "date-fin", "date_end", "end", "fin",
             "enddatetime", "event_end")
_LOC_KEYS = ("location", "lieu", "venue", "adresse", "address", "ville", "city", "place")
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)([A-Za-z][A-Za-z0-9]*;)?")


def looks_like_feed(text: str) -> bool:
    head = text[:3000].lower()
    return bool(re.search(r"<(rss|feed|rdf:rdf)[\s>]", head)) and "<html" not in head[:500]


def _fix_entities(text: str) -> str:
    """HTML entities (&eacute;) and bare '&' that CMSs leave in feeds, made well-formed."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name:
            cp = htmllib.entities.name2codepoint.get(name[:-1])  # type: ignore[attr-defined]
            if cp is not None:
                return f"&#{cp};"
        return "&amp;" + (name or "")

    return _ENTITY.sub(repl, text)


def _parse(text: str) -> Any:
    from lxml import etree

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(_fix_entities(text).encode("utf-8"), parser)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _text(el: Any) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def extract(text: str, *, url: str, source: str, tz: str, reference: date | None,
            skipped: Counter[str]) -> list[Event]:
    try:
        root = _parse(text)
    except Exception:  # noqa: BLE001 - lxml raises several error types even in recover mode
        root = None
    if root is None:
        skipped["rss/unreadable"] += 1
        return []
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    events = []
    for item in items:
        events.extend(_events(item, url=url, source=source, tz=tz, reference=reference, skipped=skipped))
    return events


def _fields(item: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for child in item:
        out.setdefault(_local(child.tag), []).append(child)
    return out


def _first_text(fields: dict[str, list[Any]], *keys: str) -> str:
    for k in keys:
        for el in fields.get(k, []):
            t = _text(el)
            if t:
                return t
    return ""


def _pubdate(fields: dict[str, list[Any]]) -> date | None:
    raw = _first_text(fields, "pubdate", "published", "date", "updated", "issued", "modified")
    if not raw:
        return None
    s = common.parse_iso(raw)
    if s is not None:
        return s.value.date() if isinstance(s.value, datetime) else s.value
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        return None


def _stamp(raw: str) -> common.Stamp | None:
    """ISO 8601, dd/mm/yyyy, or RFC 822 (WordPress plugins print event dates with date('r'))."""
    got = common.parse_iso(raw) or common.parse_dmy(raw)
    if got is not None or not re.search(r"\d{4}", raw):
        return got
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        return common.Stamp(value)
    return common.Stamp(value, utc_marked=value.utcoffset() == timedelta(0) and "GMT" in raw.upper(),
                        has_offset=True)


def _events(item: Any, *, url: str, source: str, tz: str, reference: date | None,
            skipped: Counter[str]) -> list[Event]:
    """The events of one item: its own, or the items of the programme its body lists."""
    ev = _event(item, url=url, source=source, tz=tz, reference=reference, skipped=skipped)
    if ev is not None and ev.start is not None:
        return [ev]  # the item's structured dates
    fields = _fields(item)
    body = _first_text(fields, "encoded", "content", "description", "summary")
    if body and re.search(r"</?[a-z][^>]*>", body):
        from spiders.extract.html import lines_from_html

        link = ev.url if ev is not None else url
        ref = ev.reference_date if ev is not None else (_pubdate(fields) or reference)
        root = _body_tree(body)
        items = programme.programme_events(lines_from_html(root, link), place="", url=link, source=source,
                                           ref=ref) if root is not None else []
        if items:
            if ev is not None:
                skipped["rss/programme"] += 1
            return items
    return [ev] if ev is not None else []


def _body_tree(body: str) -> Any:
    from lxml import etree

    try:
        return etree.fromstring(f"<div>{body}</div>", etree.HTMLParser())
    except (etree.ParserError, ValueError):
        return None


def _event(item: Any, *, url: str, source: str, tz: str, reference: date | None,
           skipped: Counter[str]) -> Event | None:
    fields = _fields(item)
    title = common.strip_tags(_first_text(fields, "title"))
    if not title:
        skipped["rss/no_title"] += 1
        return None
    link = None
    for el in fields.get("link", []):
        href = el.get("href")
        if href and el.get("rel", "alternate") == "alternate":
            link = absolute(href, url)
            break
        if not href and _text(el):
            link = absolute(_text(el), url)
            break
    if link is None:
        guid = fields.get("guid", [None])[0]
        if guid is not None and guid.get("isPermaLink", "true") != "false":
            link = absolute(_text(guid), url)
    body = _first_text(fields, "encoded", "content", "description", "summary")
    body_text = common.strip_tags(body)
    ref = _pubdate(fields) or reference
    ev = Event(source=source, url=link or url, title=title, start_raw="", extractor="rss", reference_date=ref)
    if body:
        ev.description_html = body if re.search(r"</?[a-z][^>]*>", body) else common.text_to_html(body)
    ev.location_raw = _first_text(fields, *_LOC_KEYS)
    if ev.location_raw:
        ev.postal_code, ev.city = common.postcode_city(ev.location_raw)
        ev.attendance = phrases.attendance_of_place(ev.location_raw)
    ev.organizer = _first_text(fields, "organizer", "organisateur") or None
    ev.tags = list(dict.fromkeys(_text(c) for c in fields.get("category", []) if _text(c)))[:20]
    for el in fields.get("enclosure", []) + fields.get("content", []) + fields.get("thumbnail", []):
        kind = (el.get("type") or el.get("medium") or "image").lower()
        if el.get("url") and ("image" in kind or _local(el.tag) == "thumbnail"):
            ev.image = absolute(el.get("url"), url)
            break
    start_raw = _first_text(fields, *_START_KEYS)
    end_raw = _first_text(fields, *_END_KEYS)
    for when in fields.get("when", []):  # Google Calendar's <gd:when startTime=… endTime=…>
        start_raw = start_raw or when.get("startTime") or ""
        end_raw = end_raw or when.get("endTime") or ""
    s = _stamp(start_raw) if start_raw else None
    if s is not None:
        e = _stamp(end_raw) if end_raw else None
        ev.start_raw = " / ".join(x for x in (start_raw, end_raw) if x)
        local = common.zone(None, tz)
        start, end = s.value, e.value if e else None
        if s.utc_marked and isinstance(start, datetime) and common.z_is_local(start, f"{title} {body_text}", local):
            start = start.replace(tzinfo=None)
            end = end.replace(tzinfo=None) if isinstance(end, datetime) and e is not None and e.utc_marked else end
            common.flag(ev, "z_as_local")
        all_day = not isinstance(start, datetime)
        if all_day and isinstance(end, datetime):
            end = end.date()
        common.set_dates(ev, start, end, tz=local, all_day=all_day)
        return common.finish(ev)
    # No structured date: the phrase in the title or the description goes to the dates pipeline.
    # The publication date (pubDate) is only the reference of year-less dates, never the event's.
    phrase, place = _phrase(title)
    in_body, body_place = _phrase(body_text)
    if not phrase or in_body and _more_precise(in_body, phrase):
        # 'Foulées – 23 février' titles a post whose text says 'dimanche 25 février 2024'.
        phrase, place = in_body, body_place
    phrase = phrase or start_raw
    if not phrase:
        skipped["rss/no_date"] += 1
        return None
    ev.start_raw = phrase
    if not ev.location_raw:
        ev.location_raw = place or phrases.find_place_phrase(body_text[:600])
        ev.attendance = phrases.attendance_of_place(ev.location_raw)
    return common.finish(ev)


_PRECISE = re.compile(rf"(?i)\b(?:19|20)\d{{2}}\b|\b{phrases.WEEKDAY}\b")
_NOT_EVENT_DATE = re.compile(
    r"(?i)(?:inscri\w*|r[ée]servations?|billetterie|date\s+limite|cl[ôo]tur\w*|publi[ée]\w*|post[ée])"
    r"\b[^.]{0,30}$"
)


def _more_precise(body: str, title: str) -> bool:
    """True when the body's date names its year or weekday and the title's names neither."""
    return bool(_PRECISE.search(body)) and not _PRECISE.search(title)


def _phrase(text: str) -> tuple[str, str]:
    """(date phrase with its time, place phrase right after it) found in free text; dates of
    registrations or of the post itself are passed over."""
    found = [p for p in phrases.find_date_phrases(text)
             if not _NOT_EVENT_DATE.search(text[max(0, p.start - 40):p.start])]
    if not found:
        return "", ""
    p = found[0]
    end = p.end
    times = [t for t in phrases.find_time_phrases(text) if 0 <= t.start - p.end <= 40]
    phrase = p.text
    if times:
        phrase += ", " + times[0].text
        end = times[0].end
    return phrase, phrases.place_after(text, end)
