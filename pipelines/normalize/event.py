"""Field-level normalization of one `Event`: the steps the pipelines run, callable without Scrapy."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS, region_timezone
from pipelines.normalize.status import detect_status, strip_status_mark
from pipelines.normalize.text import (
    MAX_TITLE_CHARS,
    clean_coordinates,
    clean_html,
    clean_text,
    drop_unencodable,
    html_to_text,
    safe_url,
)
from scraper.items import STATUSES, Event

if TYPE_CHECKING:
    from pipelines.normalize.places import Commune, Place

# Events past this length are almost always a page's "season" banner, not one event.
MAX_EVENT_DAYS = 400
CRAWL_DAY_LOOKBACK = timedelta(days=60)


def clean_event(ev: Event) -> None:
    """Sanitise every text and URL field in place; an unsafe URL becomes None."""
    ev.url = safe_url(ev.url) or ev.url  # an unusable URL is dropped by validation
    ev.title = clean_text(ev.title, max_chars=MAX_TITLE_CHARS)
    ev.title_raw = clean_text(ev.title_raw, max_chars=MAX_TITLE_CHARS) if ev.title_raw else ev.title
    if ev.extractor == "roundup":
        # Its title is the item's first sentence: what a subscriber reads in a feed reader.
        ev.title = readable_title(ev.title)
    ev.start_raw = clean_text(ev.start_raw, max_chars=500)
    ev.location_raw = clean_text(ev.location_raw, max_chars=500)
    ev.description_html = clean_html(ev.description_html)
    for name in ("venue", "address", "organizer", "city", "postal_code"):
        value = getattr(ev, name)
        if value is not None:
            setattr(ev, name, clean_text(value, max_chars=300) or None)
    for name in ("online_url", "registration_url", "image"):
        setattr(ev, name, safe_url(getattr(ev, name)))
    ev.tags = sorted({t for t in (clean_text(tag, max_chars=60) for tag in ev.tags) if t})
    # Kept verbatim, but a lone surrogate in any of them makes the whole write batch fail.
    for name in ("native_id", "page_url", "timezone", "insee", "department", "region", "region_code"):
        value = getattr(ev, name)
        if isinstance(value, str):
            setattr(ev, name, drop_unencodable(value) or None)
    ev.latitude, ev.longitude = clean_coordinates(ev.latitude, ev.longitude)


# Where a roundup's sentence stops naming the event and starts describing who runs it.
_TITLE_TAIL = re.compile(
    r"(?:,\s*|\s+)(?:organis|propos|lanc|coordonn|port|anim|pilot|initi)(?:é|e)e?s?\s+par\b"
    r"|,?\s+en partenariat avec\b|\.\s+(?=[A-ZÀ-Ý])|\s+[–—]\s+|(?<=[\"»”])\s*:\s+",
)
READABLE_TITLE_CHARS = 90


def readable_title(title: str) -> str:
    """A roundup item's title as a reader would name the event: its sentence up to who
    organises it ("Forum des achats responsables, organisé par …" -> "Forum des achats
    responsables"), cut on a word boundary with an ellipsis past READABLE_TITLE_CHARS."""
    if len(title) <= READABLE_TITLE_CHARS:
        return title
    tail = _TITLE_TAIL.search(title, 12)
    if tail is not None:
        title = title[: tail.start()].rstrip(" ,;:")
    if len(title) <= READABLE_TITLE_CHARS:
        return title
    cut = title[:READABLE_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:(«\"'")
    return cut + "…"


def apply_status(ev: Event) -> None:
    """Settle `status` in place: an unknown value becomes 'scheduled', and a scheduled event whose
    title or description says it is cancelled or postponed ("ANNULÉ", "reporté") takes that status;
    the title of a cancelled or postponed event loses its status marker ("ANNULÉ – ")."""
    if ev.status not in STATUSES:
        ev.status = "scheduled"
    # Rendering the description as text costs more than the rest of the event: only done when
    # the wording test could match at all.
    if ev.status == "scheduled" and detect_status(ev.title, ev.description_html):
        ev.status = detect_status(ev.title, html_to_text(ev.description_html)) or "scheduled"
    if ev.status != "scheduled" and ev.title:
        # Feeds and pages label the status once, themselves ("[ANNULÉ] …", a badge).
        ev.title = strip_status_mark(ev.title)


def event_zone(ev: Event) -> ZoneInfo:
    """The zone a local time written in text is read in: the place's région's, else the one the
    extractor set, else the source's région's."""
    place_zone = region_timezone(ev.region_code) if ev.region_code else None
    for name in (place_zone, ev.timezone, region_timezone(ev.source_region)):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("Europe/Paris")


def apply_dates(ev: Event, *, crawl_date: date) -> bool:
    """Fill start/end/all_day/timezone from `start_raw` unless structured data already did.

    Returns False (and sets date_status 'unparsed') when no date could be read.
    """
    from pipelines.normalize.dates import mention_bounds, parse_dates

    if ev.start is not None:
        if ev.all_day is None:
            ev.all_day = not isinstance(ev.start, datetime)
        _settle_zone(ev)
        ev.date_status = "ok"
        _check_span(ev)
        return True
    zone = event_zone(ev)
    reference = ev.reference_date or crawl_date
    if reference == crawl_date:
        # The crawl day is weak evidence: an agenda still lists the season's recent past events,
        # so a year-less "25 novembre" seen on 29 November is this year's, not next year's.
        reference = crawl_date - CRAWL_DAY_LOOKBACK
    mention = parse_dates(ev.start_raw, reference=reference, tz=zone) if ev.start_raw else None
    if mention is None and ev.title:
        mention = parse_dates(ev.title, reference=reference, tz=zone)
    if mention is not None and mention.all_day and ev.extractor == "roundup":
        # A roundup item's date phrase often stops at the day; its own text gives the hour
        # ("… projection à 20h"): read the item whole, and keep that day's hour.
        text = " ".join(t for t in (ev.start_raw, ev.title, html_to_text(ev.description_html, max_chars=600)) if t)
        timed = parse_dates(text, reference=reference, tz=zone)
        if timed is not None and not timed.all_day and timed.start_date == mention.start_date:
            mention = timed
    if mention is None:
        ev.date_status = "unparsed"
        return False
    ev.start, ev.end = mention_bounds(mention, zone)
    ev.all_day = mention.all_day
    ev.timezone = zone.key
    ev.date_flags = sorted(set(ev.date_flags) | set(mention.flags))
    ev.date_status = "ok"
    _check_span(ev)
    return True


def _settle_zone(ev: Event) -> None:
    """Give a structured datetime the zone of the place it happens in, keeping its instant.

    A page states a Réunion event as '…T17:00:00+04:00' (or in Paris time) while its extractor
    only knows the page's default zone: the event happens in its commune's zone, so a reader
    there sees 17:00, heure de La Réunion. Without a commune, its département's région gives the
    zone; else the zone the page's offset points to (kept by the extractor), else its source's."""
    place = ev.region_code if ev.region_from != "source" else None
    local = ZoneInfo(region_timezone(place)) if place else None
    if (
        isinstance(ev.start, datetime) and ev.start.tzinfo is not None and local is not None
        and ev.timezone != local.key
    ):
        ev.timezone = local.key
        ev.start = ev.start.astimezone(local)
        if isinstance(ev.end, datetime) and ev.end.tzinfo is not None:
            ev.end = ev.end.astimezone(local)
    if ev.timezone is None:
        ev.timezone = event_zone(ev).key


def _check_span(ev: Event) -> None:
    if ev.end is None or ev.start is None:
        return
    start_day = ev.start.date() if isinstance(ev.start, datetime) else ev.start
    end_day = ev.end.date() if isinstance(ev.end, datetime) else ev.end
    if end_day < start_day or end_day - start_day > timedelta(days=MAX_EVENT_DAYS):
        ev.end = None
        ev.date_flags = sorted(set(ev.date_flags) | {"end_implausible"})
    elif isinstance(ev.start, datetime) and isinstance(ev.end, datetime) and ev.end < ev.start:
        ev.end = None
        ev.date_flags = sorted(set(ev.date_flags) | {"end_before_start"})


# A source announces most of its events at the same few venues: their place phrases and
# (city, postal code) pairs are read once per process. Place and Commune are frozen.
@lru_cache(maxsize=4096)
def _place_of(text: str, hint: str | None) -> Place | None:
    from pipelines.normalize.places import find_place

    return find_place(text, region_hint=hint)


@lru_cache(maxsize=4096)
def _commune_of(city: str, postal_code: str | None, hint: str | None) -> Commune | None:
    from pipelines.normalize.places import resolve_commune

    return resolve_commune(city, postal_code=postal_code, region_hint=hint)


def apply_place(ev: Event) -> None:
    """Locate the event to its commune (INSEE, département, région) and attendance mode."""
    from pipelines.normalize.places import commune_by_insee

    hint = ev.source_region
    commune = None
    if ev.insee:
        commune = commune_by_insee(ev.insee)
    if commune is None and (ev.city or ev.postal_code):
        commune = _commune_of(ev.city or "", ev.postal_code, hint)
    place = _place_of(ev.location_raw, hint) if ev.location_raw else None
    if commune is None and place is None and not ev.city and ev.address:
        place = _place_of(ev.address, hint)
    description = ""  # the description as text, read once for both uses below
    if (
        commune is None and place is None and not ev.address and ev.description_html
        and ev.attendance != "online" and ev.extractor in ("html", "jsonld")
    ):
        # An event page with no place given apart from its text: a reader takes the commune the
        # text names. (An article or a feed item speaks of more than its event.)
        description = html_to_text(ev.description_html, max_chars=600)
        found = _place_of(" ".join(t for t in (ev.title, description) if t), hint)
        if found is not None and found.insee:
            place = found
    if commune is None and place is not None and place.insee:
        commune = commune_by_insee(place.insee)
    if place is not None:
        ev.venue = ev.venue or place.venue
        ev.address = ev.address or place.address
        ev.postal_code = ev.postal_code or place.postal_code
        ev.online_url = ev.online_url or safe_url(place.online_url)
        if ev.attendance is None and place.attendance:
            ev.attendance = place.attendance
    if commune is not None:
        ev.insee = commune.insee
        ev.city = commune.name
        ev.department = commune.department
        ev.region_code = commune.region_code
        ev.region_from = "commune"
        # The parsed place can be finer than its commune (a Paris arrondissement's point).
        finer = place is not None and place.insee == commune.insee and place.latitude is not None
        if ev.latitude is None or ev.longitude is None:
            ev.latitude = place.latitude if finer and place is not None else commune.latitude
            ev.longitude = place.longitude if finer and place is not None else commune.longitude
        if ev.postal_code is None and commune.postal_codes:
            ev.postal_code = commune.postal_codes[0]
    elif ev.department and ev.department in DEPARTMENTS:
        ev.region_code = DEPARTMENTS[ev.department][1]
        ev.region_from = "department"
    elif ev.region_code in REGIONS:
        ev.region_from = ev.region_from or "page"
    elif ev.source_region in REGIONS:
        ev.region_code = ev.source_region
        ev.region_from = "source"
    if ev.region_code in REGIONS:
        ev.region = REGIONS[ev.region_code].name
    if ev.attendance is None:
        # The date phrase and the title often carry the only hint ("le 4 novembre en visio").
        hints = " ".join(t for t in (ev.start_raw, ev.title) if t)
        if hints:
            _adopt_remote_reading(ev, hints, hint, ("online", "mixed"))
    # Only an online or hybrid reading of the description is used: _adopt_remote_reading skips
    # reading it whole (a few milliseconds) when it has no such cue.
    if ev.description_html and ev.attendance in (None, "offline"):
        description = description or html_to_text(ev.description_html, max_chars=600)
    else:
        description = ""
    if description:
        if ev.insee is None and ev.attendance is None:
            _adopt_remote_reading(ev, description, hint, ("online", "mixed"))
        elif ev.insee is not None:
            # "Sur place ou à distance" in the description of an event with a venue.
            _adopt_remote_reading(ev, description, hint, ("mixed",))
    if ev.attendance is None and ev.insee is not None:
        ev.attendance = "offline"


def _adopt_remote_reading(ev: Event, text: str, hint: str | None, accepted: tuple[str, ...]) -> None:
    """Take the attendance (and meeting link) that `text` reads as, when it is one of `accepted`."""
    from pipelines.normalize.places import find_place, may_be_remote

    # Reading a place is costly; most date phrases and titles carry no online cue at all.
    if not may_be_remote(text):
        return
    found = find_place(text, region_hint=hint)
    if found is not None and found.attendance in accepted:
        ev.attendance = found.attendance
        ev.online_url = ev.online_url or safe_url(found.online_url)


def drop_reason(ev: Event) -> str | None:
    """Why an event is garbage (no title, no usable URL), or None when it is worth storing."""
    if not ev.title:
        return "no_title"
    if safe_url(ev.url) is None:
        return "bad_url"
    if not ev.source:
        return "no_source"
    return None


_WORDS = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a title."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return _WORDS.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def record_id(ev: Event) -> str:
    """Stable id '<source>:<16 hex>' from raw fields only, so a better normalizer never
    turns one record into two.

    The source's own identifier wins, so an event whose date or title is edited stays the
    same record. Without one, the page URL alone is not enough: roundup pages and feeds
    announce several events on one URL, sometimes on the same day."""
    if ev.native_id:
        key = "id\n" + ev.native_id
    else:
        key = "\n".join((ev.url, ev.start_raw, title_key(ev.title_raw or ev.title)))
    return f"{ev.source}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def normalize_event(
    ev: Event, *, crawl_date: date, scraped_at: datetime | None = None, require_web_url: bool = True
) -> Event | None:
    """Run every normalization step on `ev` in pipeline order; None if it would be dropped.

    `require_web_url=False` keeps events of a local file read without its original URL.
    """
    ev.scraped_at = ev.scraped_at or scraped_at
    clean_event(ev)
    apply_status(ev)
    apply_place(ev)
    apply_dates(ev, crawl_date=crawl_date)
    reason = drop_reason(ev)
    if reason is not None and (require_web_url or reason != "bad_url"):
        return None
    ev.id = record_id(ev)
    return ev
