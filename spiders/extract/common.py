"""What the extractors share: the result of an extraction, decoding, zones, ISO dates, sanity checks."""

from __future__ import annotations

import codecs
import html as htmllib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.normalize.fr_data import REGIONS, region_timezone
from scraper.items import Event

DEFAULT_TZ = "Europe/Paris"
# An end this far after the start is a data-entry slip (2021 -> 2201), not an event.
MAX_SPAN = timedelta(days=5 * 366)


@dataclass
class Extraction:
    """What the extractors found in one body: its events, what they skipped and why."""

    events: list[Event]
    skipped: Counter[str] = field(default_factory=Counter)
    """Reason -> count, e.g. 'ical/no_dtstart'."""
    extractor: str = "none"
    """'jsonld' | 'tribe' | 'ical' | 'openagenda' | 'rss' | 'html' | 'roundup' | 'none'."""
    next_urls: list[str] = field(default_factory=list)
    """Further pages the payload points to (tribe next_rest_url, OpenAgenda `after` cursor)."""


# ---------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.IGNORECASE)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # Pages that say latin-1 are windows-1252 in practice (curly quotes, euro sign).
    if found in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return found


def decode_body(body: bytes | str, content_type: str | None = None) -> str:
    """Bytes to text: BOM, then a declared charset (header, XML declaration, meta), then UTF-8, then cp1252."""
    if isinstance(body, str):
        return body
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(enc, errors="replace")
    declared: list[str] = []
    if content_type:
        m = _CT_CHARSET.search(content_type)
        if m:
            declared.append(m.group(1))
    if declared and _codec(declared[0]) == "utf-8":
        # The header is read first and UTF-8 always answers (cp1252 as the fallback below):
        # the document's own declarations would not be consulted.
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return body.decode("cp1252", errors="replace")
    head = body[:4096]
    for rx in (_XML_DECL, _META_CHARSET):
        m = rx.search(head)
        if m:
            declared.append(m.group(1).decode("ascii", "replace"))
    if declared and _codec(declared[0]) != "utf-8" and not body.isascii():
        # Declared latin-1 but saved as UTF-8 (editors changed, headers did not): valid multi-byte UTF-8
        # is almost never meant as windows-1252 text.
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for name in declared:
        enc = _codec(name)
        if enc is None:
            continue
        if enc == "utf-8":
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                # Declared UTF-8 but written by a windows-1252 editor: seen on old SPIP/Joomla sites.
                return body.decode("cp1252", errors="replace")
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


# ---------------------------------------------------------------- zones

_OFFSET_ZONE = re.compile(r"^(?:UTC|GMT|Z)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_WINDOWS_ZONES = {
    "romance standard time": "Europe/Paris",
    "romance daylight time": "Europe/Paris",
    "w. europe standard time": "Europe/Paris",
    "central europe standard time": "Europe/Paris",
    "central european standard time": "Europe/Paris",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "sa western standard time": "America/Martinique",
    "arabian standard time": "Indian/Reunion",
    "mauritius standard time": "Indian/Reunion",
    "e. africa standard time": "Indian/Mayotte",
}


def zone(name: str | None, default: str = DEFAULT_TZ) -> tzinfo:
    """A tzinfo for an IANA name, a Windows name or a fixed offset ('UTC+1'); `default` otherwise."""
    got = parse_zone(name)
    if got is not None:
        return got[0]
    return ZoneInfo(default)


def parse_zone(name: str | None) -> tuple[tzinfo, str | None] | None:
    """(tzinfo, IANA name or None for a bare offset) for a zone label, or None when unreadable."""
    if not name or not isinstance(name, str):
        return None
    label = name.strip().strip("\"'")
    if label.startswith("/"):
        # TZIDs like '/freeassociation.sourceforge.net/Europe/Paris'.
        parts = label.strip("/").split("/")
        label = "/".join(parts[-2:])
    if not label:
        return None
    if label.upper() in ("UTC", "GMT", "Z", "ETC/UTC"):
        return UTC, "UTC"
    m = _OFFSET_ZONE.match(label)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes >= 60:
            return None
        return timezone(sign * timedelta(hours=hours, minutes=minutes)), None
    win = _WINDOWS_ZONES.get(label.lower())
    if win:
        return ZoneInfo(win), win
    if "(UTC" in label and "Paris" in label:
        return ZoneInfo("Europe/Paris"), "Europe/Paris"
    try:
        return ZoneInfo(label), label
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def is_iana(name: str | None) -> bool:
    got = parse_zone(name)
    return got is not None and got[1] is not None


# ---------------------------------------------------------------- ISO dates

_ISO = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[T\s]+(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
_DMY = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})"
    r"(?:\s*(?:[Tà,-]|\s)\s*(\d{1,2})\s*[h:H]\s*(\d{2})?)?\s*$"
)


class Stamp:
    """A parsed structured date: `value` is a date (no time) or a datetime (aware if the text had an offset)."""

    __slots__ = ("has_offset", "utc_marked", "value")

    def __init__(self, value: date | datetime, *, utc_marked: bool = False, has_offset: bool = False):
        self.value = value
        self.utc_marked = utc_marked
        self.has_offset = has_offset


def parse_iso(text: object) -> Stamp | None:
    """Read '2021-11-04', '2021-11-04T09:00', '2021-11-04 09:00:00+01:00', '...Z', '20211104T090000'."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    m = _ISO.match(text)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    if m.group(4) is None:
        return Stamp(day)
    hh, mi, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
    if hh == 24 and mi == 0:
        hh, day = 0, day + timedelta(days=1)
    try:
        clock = time(hh, mi, min(ss, 59))
    except ValueError:
        return None
    off = m.group(7)
    if off is None:
        return Stamp(datetime.combine(day, clock))
    if off.upper() == "Z":
        return Stamp(datetime.combine(day, clock, UTC), utc_marked=True, has_offset=True)
    sign = -1 if off[0] == "-" else 1
    digits = off[1:].replace(":", "")
    oh, om = int(digits[:2]), int(digits[2:4] or 0)
    if oh > 14 or om >= 60:
        return None
    tz = timezone(sign * timedelta(hours=oh, minutes=om))
    # '+00:00' on a French site is the same slip as 'Z' (a WordPress left on UTC): flag it alike.
    return Stamp(datetime.combine(day, clock, tz), has_offset=True, utc_marked=oh == 0 and om == 0)


_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE)


def parse_duration(text: object) -> timedelta | None:
    """ISO 8601 durations as schema.org writes them ('PT2H30M', 'P1D'); None for anything else."""
    if not isinstance(text, str):
        return None
    m = _DURATION.match(text.strip())
    if not m or not any(m.groups()):
        return None
    w, d, h, mi, sec = (int(g or 0) for g in m.groups())
    got = timedelta(weeks=w, days=d, hours=h, minutes=mi, seconds=sec)
    return got if timedelta(0) < got <= MAX_SPAN else None


def parse_dmy(text: object) -> Stamp | None:
    """Read custom CMS fields written '04/11/2021', '04/11/2021 14:30', '4.11.21 14h'."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    m = _DMY.match(text)
    if not m:
        return None
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y < 100:
        y += 2000
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    if m.group(4) is None:
        return Stamp(day)
    try:
        return Stamp(datetime.combine(day, time(int(m.group(4)), int(m.group(5) or 0))))
    except ValueError:
        return Stamp(day)


def localize(value: date | datetime, tz: tzinfo) -> date | datetime:
    """Attach `tz` to a naive datetime (floating time); convert an aware one; leave dates alone."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=tz)
        return value.astimezone(tz)
    return value


def to_local(value: date | datetime, tz: tzinfo) -> date | datetime:
    """An aware datetime shown in `tz` (keeps the instant); dates unchanged; naive read as `tz`."""
    return localize(value, tz)


def tz_name(tz: tzinfo, fallback: str = DEFAULT_TZ) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    if tz is UTC:
        return "UTC"
    off = tz.utcoffset(None)
    if off is not None and off.seconds % 3600 == 0 and off.microseconds == 0:
        hours = int(off.total_seconds() // 3600)
        # IANA's Etc zones have the POSIX sign: UTC+1 is Etc/GMT-1.
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return fallback


# ---------------------------------------------------------------- event helpers


def written_zone(start: datetime, default: tzinfo) -> tzinfo:
    """The zone a page's own offset points to: a start written '17:00+04:00' on a site whose
    zone is Paris is a Réunion event (a French zone with that very offset at that instant);
    `default` when the offset is the default zone's, or no French zone's (a 'Z' timestamp)."""
    offset = start.utcoffset()
    if offset is None or offset == start.astimezone(default).utcoffset():
        return default
    for name in _FRENCH_ZONES:
        zone = ZoneInfo(name)
        if start.astimezone(zone).utcoffset() == offset:
            return zone
    return default


# Every zone a French région keeps, in région-code order (Guadeloupe before Martinique, which
# shares its offset: an event of either without a commune is labelled with the first).
_FRENCH_ZONES = tuple(dict.fromkeys(region_timezone(code) for code in sorted(REGIONS)))


def set_dates(ev: Event, start: date | datetime | None, end: date | datetime | None,
              *, tz: tzinfo, all_day: bool | None = None) -> None:
    """Store structured start/end on `ev` (aware datetimes or dates) and run the sanity checks."""
    if start is None:
        return
    if isinstance(start, datetime) and all_day:
        start = start.date()
    if isinstance(end, datetime) and all_day:
        end = end.date()
    if isinstance(start, datetime):
        tz = written_zone(start, tz)
        start = localize(start, tz)
        if isinstance(end, datetime):
            end = localize(end, tz)
        elif isinstance(end, date):
            # A timed start with a date-only end: keep the day, drop the mixed type.
            end = end if end > start.date() else None
            if end is not None:
                end = datetime.combine(end, time(23, 59), start.tzinfo)
        ev.all_day = False
    else:
        if isinstance(end, datetime):
            end = end.date()
        ev.all_day = True
    ev.start = start
    ev.end = end
    ev.timezone = tz_name(tz)
    ev.date_status = "ok"
    check_span(ev)


def check_span(ev: Event) -> None:
    """Drop ends that cannot be right: before the start, or years after it."""
    s, e = ev.start, ev.end
    if s is None or e is None:
        return
    sd = s.date() if isinstance(s, datetime) else s
    ed = e.date() if isinstance(e, datetime) else e
    if ed - sd > MAX_SPAN:
        ev.end = None
        _flag(ev, "end_implausible")
        return
    try:
        before = e < s if type(e) is type(s) else ed < sd
    except TypeError:
        before = ed < sd
    if before:
        ev.end = None
        _flag(ev, "end_before_start")
    elif isinstance(s, datetime) and e == s:
        # An end at the very start (engines fill endDate with startDate): no end is stated.
        ev.end = None
    elif isinstance(s, date) and not isinstance(s, datetime) and ed == sd:
        ev.end = s


def _flag(ev: Event, flag: str) -> None:
    if flag not in ev.date_flags:
        ev.date_flags.append(flag)


flag = _flag

_CANCEL = re.compile(r"^\W*(annul[ée]e?s?|cancel+ed|complet)\b", re.IGNORECASE)
_POSTPONE = re.compile(r"^\W*(report[ée]e?s?|postponed)\b", re.IGNORECASE)


def status_from_title(title: str) -> str | None:
    """Organisers often announce a cancellation only in the title ('ANNULÉ - Forum …')."""
    if _CANCEL.match(title) and not title.lower().lstrip("[( ").startswith("complet"):
        return "cancelled"
    if _POSTPONE.match(title):
        return "postponed"
    return None


_ACTIVE = re.compile(r"<(script|style|noscript|template)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


def finish(ev: Event) -> Event:
    """Last touches every extractor applies: no active content in the HTML, status said in the title."""
    if "<" in ev.description_html:
        ev.description_html = _ACTIVE.sub("", ev.description_html)
    if ev.status == "scheduled":
        st = status_from_title(ev.title)
        if st:
            ev.status = st
    return ev


def text_of(value: object) -> str:
    """Plain text of a JSON scalar or a {lang: text} map (French first)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return htmllib.unescape(value).strip()
    if isinstance(value, dict):
        for key in ("fr", "@value", "fr-FR", "und", "en"):
            if key in value:
                return text_of(value[key])
        for v in value.values():
            t = text_of(v)
            if t:
                return t
        return ""
    if isinstance(value, list):
        for v in value:
            t = text_of(v)
            if t:
                return t
    return ""


_TAG = re.compile(r"<[^>]+>")


def strip_tags(fragment: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(_TAG.sub(" ", fragment))).strip()


def text_to_html(text: str) -> str:
    """Plain text (iCal DESCRIPTION, feed summaries) as paragraphs, escaped."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(htmllib.escape(line.strip()) for line in p.split("\n")) + "</p>" for p in paras
    )


_POSTCODE_CITY = re.compile(r"\b((?:0[1-9]|[1-8]\d|9[0-8])\d{3})\s+([A-ZÀ-Ý][\w'’\- ]+?)\s*(?:,|$|\(|cedex|CEDEX)")


def postcode_city(text: str) -> tuple[str | None, str | None]:
    """'… 34000 Montpellier' -> ('34000', 'Montpellier'); (None, None) when absent."""
    m = _POSTCODE_CITY.search(text or "")
    if not m:
        return None, None
    return m.group(1), m.group(2).strip()


_TIME_IN_TEXT = re.compile(r"(?<![\d:])([01]?\d|2[0-3])\s*(?:h|H|:)\s*([0-5]\d)?(?![\d])")


def z_is_local(start: datetime, text: str, local: tzinfo) -> bool:
    """A 'Z' on local wall-clock time: the page text shows the UTC clock reading, not the converted one."""
    if not text.strip():
        return False
    shown = {(int(h), int(m or 0)) for h, m in _TIME_IN_TEXT.findall(text)}
    if not shown:
        return False
    naive = (start.hour, start.minute)
    converted = start.astimezone(local)
    conv = (converted.hour, converted.minute)
    return naive != conv and naive in shown and conv not in shown
