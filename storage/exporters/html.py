"""Static HTML programme: index and région pages plus per-event iCalendar files, rows in, bytes out."""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from importlib import resources
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from pipelines.normalize.fr_data import (
    DEFAULT_TIMEZONE,
    DEPARTMENTS,
    MONTH_NAMES,
    REGIONS,
    WEEKDAY_NAMES,
    region_timezone,
)

EventRow = Mapping[str, Any]
"""A row as `storage.read.iter_events` yields it (its keys are the `events` columns)."""

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
STATUS_LABELS = {"cancelled": "Annulé", "postponed": "Reporté"}
ATTENDANCE_LABELS = {"online": "En ligne", "mixed": "Hybride"}
ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 320
SHORT_LIMIT = 120
SEARCH_LIMIT = 1500

# Bidi embeddings/overrides/isolates and the BOM: in hostile titles they reverse the text around them.
_BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0xFEFF]
)
_WS_RE = re.compile(r"\s+")
_SAFE_ID_RE = re.compile(r"[^A-Za-z0-9_-]")


# --------------------------------------------------------------------------- text and URLs


def clean_text(value: object, limit: int | None = None) -> str:
    """Plain display text: control, surrogate and bidi-override characters removed, whitespace
    collapsed, cut on a word boundary with an ellipsis when longer than `limit`. Not escaped."""
    if value is None:
        return ""
    text = str(value).translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in text)
    text = _WS_RE.sub(" ", text).strip()
    if limit is not None and len(text) > limit:
        cut = text[:limit]
        space = cut.rfind(" ")
        if space > limit * 0.6:
            cut = cut[:space]
        text = cut.rstrip(" ,;:.-–") + "…"
    return text


class _TextExtractor(HTMLParser):
    """Collects the readable text of an HTML fragment, dropping script/style bodies."""

    _SKIP = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object"})
    _BREAKS = frozenset({"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: object, limit: int | None = None) -> str:
    """Readable plain text of an HTML fragment (tags dropped, entities decoded), see `clean_text`."""
    if not fragment:
        return ""
    parser = _TextExtractor()
    parser.feed(str(fragment))
    parser.close()
    return clean_text("".join(parser.parts), limit)


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) URL without whitespace, control characters or <>"`, else None."""
    if not value or not isinstance(value, str):
        return None
    url = value.strip()
    # '<', '>', '"' and '`' are never valid raw in a URL (RFC 3986); a source that has them is broken.
    if not url or len(url) > 2048 or any(
        ch.isspace() or ch in '<>"`' or unicodedata.category(ch)[0] == "C" for ch in url
    ):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def fold(text: str) -> str:
    """Lower-case, accent-free form used for the client-side search (the script folds the query alike)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def slugify(text: str) -> str:
    """ASCII slug: 'Provence-Alpes-Côte d'Azur' -> 'provence-alpes-cote-d-azur'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def event_file_id(event_id: object) -> str:
    """File-name-safe form of an event id ([A-Za-z0-9_-]); a hash suffix keeps altered ids distinct."""
    raw = str(event_id or "")
    safe = _SAFE_ID_RE.sub("_", raw)[:100]
    if safe != raw or not safe:
        safe = f"{safe}-{hashlib.sha1(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}".lstrip("-")
    return safe


def event_ics_path(row: EventRow) -> str:
    """Site-relative path of an event's own iCalendar file: 'events/<id-safe>.ics'."""
    return f"events/{event_file_id(row.get('id'))}.ics"


def region_locative(region_code: str) -> str:
    """'en Occitanie', 'à La Réunion', 'dans le Grand Est'."""
    return _REGION_LOCATIVES.get(region_code) or f"en {REGIONS[region_code].name}"


def region_page_path(region_code: str) -> str:
    """Site-relative path of a région page: 'region/76-occitanie.html'."""
    return f"region/{region_code}-{slugify(REGIONS[region_code].name)}.html"


# --------------------------------------------------------------------------- French dates


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


def row_timezone(row: EventRow) -> ZoneInfo:
    """The event's own zone (row timezone, else its région's, else Paris)."""
    name = row.get("timezone")
    if not name or not isinstance(name, str):
        name = region_timezone(str(row.get("region_code") or ""))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def row_bounds(row: EventRow) -> tuple[datetime | date | None, datetime | date | None]:
    """(start, end) of a row: aware datetimes in the event's zone when timed, dates when all-day."""
    tz = row_timezone(row)
    start = _parse_point(row.get("start"), tz) or _parse_point(row.get("start_date"), tz)
    end = _parse_point(row.get("end"), tz)
    if row.get("all_day") and isinstance(start, datetime):
        start = start.date()
    if isinstance(start, date) and not isinstance(start, datetime) and isinstance(end, datetime):
        end = end.date()
    if end is not None and start is not None and _as_date(end) < _as_date(start):
        end = None
    return start, end


def _as_date(value: datetime | date) -> date:
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


def format_when(row: EventRow, *, current_year: int) -> str:
    """When an event happens, in French words, in the event's own zone; the year appears only when it
    is not `current_year`: 'jeudi 4 novembre, 9 h – 12 h 30', 'du mardi 30 novembre au jeudi 2 décembre 2021'."""
    start, end = row_bounds(row)
    if start is None:
        return "date à préciser"
    start_day = _as_date(start)
    end_day = _as_date(end) if end is not None else start_day
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


def _datetime_attr(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def format_generated(moment: datetime) -> str:
    """'dimanche 29 novembre 2026 à 18 h 05' in Paris time."""
    local = moment.astimezone(ZoneInfo(DEFAULT_TIMEZONE)) if moment.tzinfo else moment
    return f"{format_day(local.date())} à {format_time(local)}"


# --------------------------------------------------------------------------- places


def format_place(row: EventRow) -> str:
    """'Diagora, Labège, Haute-Garonne (31)'; département or région alone when that is all we know."""
    parts: list[str] = []
    venue = clean_text(row.get("venue"), SHORT_LIMIT)
    city = clean_text(row.get("city"), SHORT_LIMIT)
    if venue and venue.casefold() != city.casefold():
        parts.append(venue)
    code = clean_text(row.get("department"), 3)
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


# --------------------------------------------------------------------------- site model


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed the pages link to; `href` is relative to the site root."""

    kind: str
    """'rss' | 'json' | 'ics' | 'opml'."""
    href: str
    label: str


_FEED_KINDS = (("rss", "RSS"), ("json", "JSON Feed"), ("ics", "iCalendar"))
_FEED_TYPES = {"rss": "application/rss+xml", "json": "application/feed+json", "ics": "text/calendar"}


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """Every feed file of the published folder, by scope."""

    all: tuple[FeedLink, ...] = ()
    online: tuple[FeedLink, ...] = ()
    opml: str | None = None
    regions: Mapping[str, tuple[FeedLink, ...]] = field(default_factory=dict)
    departments: Mapping[str, tuple[FeedLink, ...]] = field(default_factory=dict)


@functools.cache
def default_feed_links() -> FeedLinks:
    """The feeds `storage.exporters.publish` writes, with its file naming (`feed_paths`): national,
    online, per région, per département, and the OPML list."""
    from storage.exporters.publish import OPML_PATH, feed_paths

    def trio(kind: str, key: str | None = None) -> tuple[FeedLink, ...]:
        paths = feed_paths(kind, key)
        return tuple(FeedLink(fmt, paths[fmt], label) for fmt, label in _FEED_KINDS if fmt in paths)

    return FeedLinks(
        all=trio("national"),
        online=trio("online"),
        opml=OPML_PATH,
        regions={code: trio("region", code) for code in REGIONS},
        departments={code: trio("departement", code) for code in DEPARTMENTS},
    )


@dataclass(slots=True)
class SiteSummary:
    """Counts the pages need before their event list: chart, filter options, headings."""

    total: int = 0
    by_region: Counter[str] = field(default_factory=Counter)
    """région code ('' when unknown) -> events."""
    by_department: Counter[str] = field(default_factory=Counter)
    online: int = 0
    earliest_end: str = ""
    """Smallest last day ('YYYY-MM-DD') among the rows: tells whether past events are included."""

    def add(self, row: EventRow) -> None:
        self.total += 1
        last_day = str(row.get("end_date") or row.get("start_date") or "")
        if last_day and (not self.earliest_end or last_day < self.earliest_end):
            self.earliest_end = last_day
        self.by_region[row.get("region_code") or ""] += 1
        if row.get("department"):
            self.by_department[str(row["department"])] += 1
        if row.get("attendance") in ("online", "mixed"):
            self.online += 1


def summarize(rows: Iterable[EventRow]) -> SiteSummary:
    """Counts by région, département and attendance."""
    summary = SiteSummary()
    for row in rows:
        summary.add(row)
    return summary


# --------------------------------------------------------------------------- assets


def _asset(name: str) -> str:
    return resources.files("storage.exporters").joinpath("static", name).read_text(encoding="utf-8")


_CSS = _asset("programme.css")
_JS = _asset("programme.js")


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


# Defence in depth behind the escaping: only our own inline style and script may run.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {_csp_hash(_JS)}; style-src {_csp_hash(_CSS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


# --------------------------------------------------------------------------- rendering


def _feed_list(links: Sequence[FeedLink], root: str) -> str:
    items = "".join(
        f'<li><a href="{_esc(root + link.href)}" type="{_esc(_FEED_TYPES.get(link.kind, "text/plain"))}">'
        f"{_esc(link.label)}</a></li>"
        for link in links
    )
    return f'<ul class="feeds">{items}</ul>'


def _source_label(source: Mapping[str, Any], url: str) -> str:
    """The source's name; its site's host name when the registry gave no name ('cress_bretagne')."""
    name = clean_text(source.get("name"), SHORT_LIMIT)
    if name and name != source.get("source"):
        return name
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or name or "source"


def render_event(row: EventRow, *, current_year: int, root: str = "") -> str:
    """One `<article>` for an event row; every value escaped, only http(s) links."""
    title = clean_text(row.get("title"), TITLE_LIMIT) or "Sans titre"
    start, end = row_bounds(row)
    start_date = _as_date(start).isoformat() if start else clean_text(row.get("start_date"), 10)
    end_date = _as_date(end).isoformat() if end else start_date
    attendance = str(row.get("attendance")) if row.get("attendance") in ("offline", "online", "mixed") else ""
    status = str(row.get("status")) if row.get("status") in STATUS_LABELS else ""
    region_code = str(row.get("region_code")) if row.get("region_code") in REGIONS else ""
    department = clean_text(row.get("department"), 3)
    department = department if department in DEPARTMENTS else ""
    organizer = clean_text(row.get("organizer"), SHORT_LIMIT)
    description = html_to_text(row.get("description_html"), DESCRIPTION_LIMIT)
    place = format_place(row)
    region_name = REGIONS[region_code].name if region_code else ""
    search = fold(
        " ".join(
            p
            for p in (
                title,
                organizer,
                place,
                region_name,
                clean_text(row.get("postal_code"), 10),
                ATTENDANCE_LABELS.get(attendance, ""),
                description,
                *(clean_text(tag, SHORT_LIMIT) for tag in (row.get("tags") or ()) if isinstance(tag, str)),
            )
            if p
        )
    )[:SEARCH_LIMIT]

    classes = "event" + (f" is-{status}" if status else "")
    out = [
        (
            f'<article class="{classes}" id="e-{_esc(event_file_id(row.get("id")))}"'
            f' data-region="{_esc(region_code)}" data-dept="{_esc(department)}"'
            f' data-attendance="{_esc(attendance)}" data-date="{_esc(start_date)}" data-end="{_esc(end_date)}"'
            f' data-search="{_esc(search)}">'
        )
    ]
    url = safe_url(row.get("url"))
    heading = f'<a href="{_esc(url)}">{_esc(title)}</a>' if url else _esc(title)
    out.append(f'<h3 class="event-title">{heading}</h3>')

    badges = []
    if status:
        badges.append(f'<span class="badge badge-{status}">{STATUS_LABELS[status]}</span>')
    if attendance in ATTENDANCE_LABELS:
        badges.append(f'<span class="badge badge-{attendance}">{ATTENDANCE_LABELS[attendance]}</span>')
    if row.get("missing"):
        badges.append('<span class="badge badge-missing">Plus annoncé par la source</span>')
    if badges:
        out.append(f'<p class="badges">{" ".join(badges)}</p>')

    when = format_when(row, current_year=current_year)
    if start is not None:
        when_html = f'<time datetime="{_esc(_datetime_attr(start))}">{_esc(when)}</time>'
    else:
        when_html = _esc(when)
    out.append(f'<p class="when"><span class="visually-hidden">Quand : </span>{when_html}</p>')
    if place:
        out.append(f'<p class="where"><span class="visually-hidden">Où : </span>{_esc(place)}</p>')
    elif attendance == "offline":
        out.append('<p class="where">Lieu à préciser</p>')
    if organizer:
        out.append(f'<p class="organizer">Organisé par {_esc(organizer)}</p>')
    if description:
        out.append(f'<p class="description">{_esc(description)}</p>')

    links = []
    registration = safe_url(row.get("registration_url"))
    if registration:
        links.append(f'<a href="{_esc(registration)}">S’inscrire</a>')
    online_url = safe_url(row.get("online_url")) if attendance in ATTENDANCE_LABELS else None
    if online_url and online_url != registration:
        links.append(f'<a href="{_esc(online_url)}">Suivre en ligne</a>')
    links.append(
        f'<a href="{_esc(root + event_ics_path(row))}" download type="text/calendar">'
        f'Ajouter à mon agenda<span class="visually-hidden"> : {_esc(title)}</span> (.ics)</a>'
    )
    out.append(f'<p class="actions">{" · ".join(links)}</p>')

    source_links = []
    seen: set[str] = set()
    for source in row.get("sources") or ():
        if not isinstance(source, Mapping):
            continue
        source_url = safe_url(source.get("url"))
        if not source_url or source_url in seen:
            continue
        seen.add(source_url)
        name = _source_label(source, source_url)
        source_links.append(f'<li><a href="{_esc(source_url)}">{_esc(name)}</a></li>')
    if not source_links and url:
        source_links.append(f'<li><a href="{_esc(url)}">{_esc(_source_label({}, url))}</a></li>')
    if source_links:
        label = "Sources" if len(source_links) > 1 else "Source"
        out.append(f'<div class="sources"><span>{label} :</span> <ul>{"".join(source_links)}</ul></div>')
    out.append("</article>\n")
    return "".join(out)


def render_region_chart(summary: SiteSummary, *, root: str = "") -> str:
    """Inline SVG bar chart of upcoming events per région (plus those without a région)."""
    bars = [(REGIONS[code].name, summary.by_region.get(code, 0)) for code in REGIONS]
    bars.sort(key=lambda item: (-item[1], fold(item[0])))
    if summary.by_region.get(""):
        bars.append(("Sans région", summary.by_region[""]))
    peak = max((count for _, count in bars), default=0) or 1
    row_height, label_width, bar_width = 22, 215, 170
    height = row_height * len(bars) + 8
    parts = [
        (
            f'<svg class="chart" viewBox="0 0 {label_width + bar_width + 60} {height}" role="img"'
            ' aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        ),
        '<title id="chart-title">Événements par région</title>',
        '<desc id="chart-desc">' + _esc("; ".join(f"{name} : {count}" for name, count in bars)) + "</desc>",
    ]
    for index, (name, count) in enumerate(bars):
        y = 4 + index * row_height
        width = round(bar_width * count / peak, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" class="chart-label">{_esc(name)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{width}" height="{row_height - 6}" rx="2"'
            ' class="chart-bar"/>'
            f'<text x="{label_width + width + 6}" y="{y + 15}" class="chart-value">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _head(title: str, *, root: str, feeds: Sequence[FeedLink], description: str) -> str:
    alternates = "".join(
        f'<link rel="alternate" type="{_FEED_TYPES[link.kind]}" title="{_esc(link.label)}"'
        f' href="{_esc(root + link.href)}">'
        for link in feeds
        if link.kind in ("rss", "json")
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n"
        f'<meta name="description" content="{_esc(description)}">\n'
        f"{alternates}\n<style>{_CSS}</style>\n</head>\n"
    )


def _count_words(count: int) -> str:
    return f"{count} événement{'s' if count > 1 else ''}"


def _filters(summary: SiteSummary, *, region_code: str | None) -> str:
    controls = []
    if region_code is None:
        options = "".join(
            f'<option value="{code}">{_esc(region.name)} ({summary.by_region.get(code, 0)})</option>'
            for code, region in sorted(REGIONS.items(), key=lambda item: fold(item[1].name))
        )
        controls.append(
            '<div class="field"><label for="f-region">Région</label>'
            f'<select id="f-region" name="region"><option value="">Toutes les régions</option>{options}</select></div>'
        )
    departments = sorted(
        (code for code in summary.by_department if code in DEPARTMENTS),
        key=lambda code: code.zfill(3),
    )
    dept_options = "".join(
        f'<option value="{_esc(code)}" data-region="{DEPARTMENTS[code][1]}">'
        f"{_esc(code)} – {_esc(DEPARTMENTS[code][0])} ({summary.by_department[code]})</option>"
        for code in departments
    )
    controls.append(
        '<div class="field"><label for="f-dept">Département</label>'
        f'<select id="f-dept" name="departement"><option value="">Tous les départements</option>'
        f"{dept_options}</select></div>"
    )
    controls.append(
        '<div class="field field-wide"><label for="f-q">Rechercher</label>'
        '<input type="search" id="f-q" name="q" placeholder="titre, organisateur, commune…"'
        ' autocomplete="off"></div>'
    )
    controls.append(
        '<div class="field"><label for="f-from">À partir du</label><input type="date" id="f-from" name="du"></div>'
        '<div class="field"><label for="f-to">Jusqu’au</label><input type="date" id="f-to" name="au"></div>'
    )
    controls.append(
        '<div class="field field-check"><input type="checkbox" id="f-online" name="en-ligne">'
        '<label for="f-online">Accessible en ligne (en ligne ou hybride)</label></div>'
    )
    return (
        '<form id="filters" class="filters" role="search" aria-label="Filtrer le programme" hidden>'
        + "".join(controls)
        + '<div class="field field-actions"><button type="reset">Effacer les filtres</button></div></form>\n'
        f'<p id="counter" class="counter" role="status" aria-live="polite">{_count_words(summary.total)}</p>\n'
        "<noscript><p>Les filtres du programme demandent JavaScript ; la liste complète reste lisible"
        " ci-dessous.</p></noscript>\n"
    )


def _iter_days(
    rows: Iterable[EventRow], *, today: date, current_year: int, root: str, ongoing_today: bool = True
) -> Iterator[str]:
    """The event list grouped by start day; with `ongoing_today` (a programme of upcoming events
    only), events already under way are listed under `today` instead of a past day."""
    current: date | None = None
    index = 0
    for row in rows:
        start, _ = row_bounds(row)
        day = _as_date(start) if start is not None else today
        if ongoing_today and day < today:
            day = today
        if day != current:
            if current is not None:
                yield "</section>\n"
            index += 1
            current = day
            label = format_day(day, with_year=day.year != current_year)
            if day == today:
                label = f"Aujourd’hui, {label}"
            yield (
                f'<section class="day" data-day="{day.isoformat()}" aria-labelledby="day-{index}">'
                f'<h2 id="day-{index}" class="day-title">{_esc(label)}</h2>\n'
            )
        yield render_event(row, current_year=current_year, root=root)
    if current is not None:
        yield "</section>\n"
    else:
        yield '<p class="empty">Aucun événement à venir pour le moment.</p>\n'


def _iter_page(
    rows: Iterable[EventRow],
    *,
    summary: SiteSummary,
    generated_at: datetime,
    feeds: FeedLinks,
    title: str,
    region_code: str | None,
) -> Iterator[bytes]:
    root = "" if region_code is None else "../"
    local_now = generated_at.astimezone(ZoneInfo(DEFAULT_TIMEZONE))
    today = local_now.date()
    current_year = today.year
    ongoing_today = not summary.earliest_end or summary.earliest_end >= today.isoformat()
    when_words = " à venir" if ongoing_today else ", passés et à venir"
    if region_code is None:
        heading = title
        page_title = f"{title} – programme"
        page_feeds = feeds.all
        online = (
            f", dont {summary.online} accessible{'s' if summary.online > 1 else ''} en ligne"
            if summary.online else ""
        )
        intro = (
            f"{_count_words(summary.total)}{when_words}{online}, rassemblés depuis les sites des CRESS,"
            " du Mois de l’ESS et d’ESS France."
        )
    else:
        region = REGIONS[region_code]
        heading = f"{region.name} : agenda de l’ESS"
        page_title = f"{region.name} – {title}"
        page_feeds = feeds.regions.get(region_code, ())
        intro = (
            f"{_count_words(summary.total)} à venir {region_locative(region_code)}."
            if ongoing_today
            else f"{_count_words(summary.total)} {region_locative(region_code)}, passés et à venir."
        )

    yield _head(page_title, root=root, feeds=page_feeds, description=intro).encode("utf-8")
    nav_regions = "".join(
        f'<li><a href="{root}{region_page_path(code)}"'
        + (' aria-current="page"' if code == region_code else "")
        + f">{_esc(REGIONS[code].name)}</a></li>"
        for code in sorted(REGIONS, key=lambda code: fold(REGIONS[code].name))
    )
    header = (
        '<body>\n<a class="skip" href="#programme">Aller au programme</a>\n'
        '<header class="site-header">'
        + (f'<p class="site-name"><a href="{root}index.html">{_esc(title)}</a></p>' if region_code else "")
        + f'<h1>{_esc(heading)}</h1><p class="intro">{_esc(intro)}</p></header>\n<main id="main">\n'
    )
    yield header.encode("utf-8")
    if region_code is None:
        chart = render_region_chart(summary, root=root)
        yield f'<section class="overview" aria-labelledby="overview-title"><h2 id="overview-title">Par région</h2>{chart}</section>\n'.encode()
    yield (
        '<section class="programme" id="programme" aria-labelledby="programme-title">'
        '<h2 id="programme-title" class="visually-hidden">Programme</h2>\n'
        + _filters(summary, region_code=region_code)
    ).encode("utf-8")
    for chunk in _iter_days(rows, today=today, current_year=current_year, root=root, ongoing_today=ongoing_today):
        yield chunk.encode("utf-8", "replace")
    yield b"</section>\n"

    subscribe = [
        '<section class="subscribe" aria-labelledby="subscribe-title"><h2 id="subscribe-title">S’abonner</h2>'
    ]
    if region_code is None:
        subscribe.append(f"<h3>Tout le programme</h3>{_feed_list(feeds.all, root)}")
        subscribe.append(f"<h3>Événements en ligne et hybrides</h3>{_feed_list(feeds.online, root)}")
        per_region = "".join(
            f"<li><span>{_esc(REGIONS[code].name)}</span>{_feed_list(feeds.regions[code], root)}</li>"
            for code in sorted(REGIONS, key=lambda code: fold(REGIONS[code].name))
            if feeds.regions.get(code)
        )
        if per_region:
            subscribe.append(
                "<details><summary>Par région (les flux par département sont sur chaque page de région)</summary>"
                f'<ul class="dept-feeds">{per_region}</ul></details>'
            )
        if feeds.opml:
            subscribe.append(
                f'<p><a href="{_esc(root + feeds.opml)}" type="text/x-opml">Liste de tous les flux (OPML)</a>'
                " : par région, par département et en ligne.</p>"
            )
    else:
        subscribe.append(f"<h3>{_esc(REGIONS[region_code].name)}</h3>")
        subscribe.append(_feed_list(feeds.regions.get(region_code, ()), root))
        depts = sorted(code for code, (_, reg) in DEPARTMENTS.items() if reg == region_code)
        items = "".join(
            f"<li><span>{_esc(DEPARTMENTS[code][0])} ({_esc(code)})</span>"
            f"{_feed_list(feeds.departments.get(code, ()), root)}</li>"
            for code in depts
            if feeds.departments.get(code)
        )
        if items:
            subscribe.append(f'<h3>Par département</h3><ul class="dept-feeds">{items}</ul>')
        subscribe.append(
            f'<p><a href="{root}index.html">Programme national</a>'
            + (
                f' · <a href="{_esc(root + feeds.opml)}" type="text/x-opml">tous les flux (OPML)</a>'
                if feeds.opml
                else ""
            )
            + "</p>"
        )
    subscribe.append("</section>\n")
    yield "".join(subscribe).encode("utf-8")
    yield (
        '</main>\n<nav class="regions" aria-label="Régions"><h2>Les régions</h2>'
        f"<ul>{nav_regions}</ul></nav>\n"
        f"<footer><p>Programme généré le {_esc(format_generated(generated_at))}. Les horaires sont"
        " ceux du lieu de l’événement. Vérifiez toujours sur la page de la source avant de vous déplacer.</p>"
        "</footer>\n"
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    ).encode()


def iter_index_html(
    rows: Iterable[EventRow],
    *,
    summary: SiteSummary,
    generated_at: datetime,
    feeds: FeedLinks | None = None,
    title: str = "Agenda de l’ESS",
) -> Iterator[bytes]:
    """`index.html` in chunks: the upcoming programme grouped by day, filters, région chart, feed links.
    `rows` are the upcoming events in programme order; `summary` counts the same rows."""
    yield from _iter_page(
        rows,
        summary=summary,
        generated_at=generated_at,
        feeds=feeds or default_feed_links(),
        title=title,
        region_code=None,
    )


def iter_region_html(
    region_code: str,
    rows: Iterable[EventRow],
    *,
    summary: SiteSummary,
    generated_at: datetime,
    feeds: FeedLinks | None = None,
    title: str = "Agenda de l’ESS",
) -> Iterator[bytes]:
    """A région page (`region_page_path(code)`) in chunks; `rows` are that région's upcoming events."""
    if region_code not in REGIONS:
        raise ValueError(f"unknown région code {region_code!r}")
    yield from _iter_page(
        rows,
        summary=summary,
        generated_at=generated_at,
        feeds=feeds or default_feed_links(),
        title=title,
        region_code=region_code,
    )


def render_index_html(rows: Iterable[EventRow], **kwargs: Any) -> bytes:
    """`iter_index_html` joined (rows are read twice: give a list)."""
    rows = list(rows)
    kwargs.setdefault("summary", summarize(rows))
    return b"".join(iter_index_html(rows, **kwargs))


# --------------------------------------------------------------------------- per-event iCalendar


def _utc(value: object) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@functools.lru_cache(maxsize=64)
def _vtimezone(zone: str, first_year: int, last_year: int) -> bytes:
    # The library's default 1970-2038 VTIMEZONE is 5 kB and 15 ms per file; the event's years suffice.
    component = icalendar.Timezone.from_tzinfo(
        ZoneInfo(zone), tzid=zone, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    return bytes(component.to_ical())


def event_ics(row: EventRow) -> bytes:
    """A one-event iCalendar file: UID, DTSTAMP (from updated_at), DTSTART/DTEND with TZID or
    VALUE=DATE (exclusive DTEND), SUMMARY, LOCATION, URL, STATUS, SEQUENCE, with its VTIMEZONE."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//essagenda//programme//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    vevent = icalendar.Event()
    vevent.add("uid", f"{clean_text(row.get('id'))}@essagenda")
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
    vevent.add("summary", clean_text(row.get("title"), TITLE_LIMIT) or "Sans titre")
    location = ", ".join(p for p in (clean_text(row.get("address"), SHORT_LIMIT), format_place(row)) if p)
    if row.get("attendance") in ATTENDANCE_LABELS:
        location = ", ".join(p for p in (location, ATTENDANCE_LABELS[row["attendance"]].lower()) if p)
    if location:
        vevent.add("location", location)
    url = safe_url(row.get("url"))
    if url:
        vevent.add("url", url)
    vevent.add("status", ICS_STATUS.get(str(row.get("status")), "CONFIRMED"))
    if isinstance(row.get("sequence"), int):
        vevent.add("sequence", row["sequence"])
    description = [html_to_text(row.get("description_html"), 2000)]
    organizer = clean_text(row.get("organizer"), SHORT_LIMIT)
    if organizer:
        description.append(f"Organisé par {organizer}")
    for source in row.get("sources") or ():
        source_url = safe_url(source.get("url")) if isinstance(source, Mapping) else None
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
            b"BEGIN:VEVENT\r\n", _vtimezone(str(start.tzinfo), start.year, last.year + 1) + b"BEGIN:VEVENT\r\n", 1
        )
    return bytes(cal.to_ical())


# --------------------------------------------------------------------------- the whole site


RowSource = Callable[[str | None], Iterable[EventRow]]
"""`fetch(region_code)` -> upcoming rows in programme order; None means every région (the index)."""


def iter_site_files(
    fetch: RowSource,
    *,
    generated_at: datetime,
    feeds: FeedLinks | None = None,
    title: str = "Agenda de l’ESS",
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """Every file of the static programme as (site-relative path, chunks), in an order a writer can
    consume one at a time: per-event `.ics` files, `index.html`, then one page per région.
    `fetch` is called once with None and once per région code; this module does no I/O itself."""
    feeds = feeds or default_feed_links()
    summary = SiteSummary()
    for row in fetch(None):
        summary.add(row)
        yield event_ics_path(row), (event_ics(row),)
    yield (
        "index.html",
        iter_index_html(fetch(None), summary=summary, generated_at=generated_at, feeds=feeds, title=title),
    )
    for code in REGIONS:
        rows = [row for row in fetch(code) if row.get("region_code") == code]
        yield (
            region_page_path(code),
            iter_region_html(
                code, rows, summary=summarize(rows), generated_at=generated_at, feeds=feeds, title=title
            ),
        )


@dataclass(frozen=True, slots=True)
class SiteReport:
    """What `write_site` wrote."""

    out_dir: str
    events: int
    pages: int
    ics_files: int
    bytes_written: int
    """Bytes actually written: unchanged .ics files are left alone."""

    def __str__(self) -> str:
        return (
            f"HTML programme: {self.events} événement(s), index + {self.pages - 1} pages de région,"
            f" {self.ics_files} fichiers .ics, {self.bytes_written / 1_000_000:.1f} Mo écrits dans {self.out_dir}"
        )


def write_site(
    db: Any,
    out_dir: Any,
    *,
    now: datetime,
    date_from: date | None = None,
    date_to: date | None = None,
    include_all: bool = False,
    feeds: FeedLinks | None = None,
    title: str = "Agenda de l’ESS",
) -> SiteReport:
    """Write the programme of `db` (a sqlite-utils Database) into `out_dir`, each file atomically.

    Events shown are those overlapping [date_from (default: today in Paris), date_to]; `now` is the
    generation time printed in the pages. Reading and writing go through `storage.read.iter_events`
    and `storage.exporters.writer.write_atomic`: this module itself opens no file."""
    from pathlib import Path

    from storage.exporters.writer import write_atomic
    from storage.read import iter_events

    out = Path(out_dir)
    # Like the feeds: upcoming events by default, every date with include_all.
    start = date_from
    if start is None and not include_all:
        start = now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()

    def fetch(region_code: str | None) -> Iterator[EventRow]:
        return iter_events(db, date_from=start, date_to=date_to, region=region_code, include_all=include_all)

    pages = ics_files = written = 0
    for relpath, chunks in iter_site_files(fetch, generated_at=now, feeds=feeds, title=title):
        target = out / relpath
        if relpath.endswith(".ics"):
            ics_files += 1
            data = b"".join(chunks)
            # A daily run leaves most events unchanged: skipping them saves thousands of fsyncs
            # and keeps their mtime, so HTTP caches stay valid.
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    continue
            except OSError:
                pass
            chunks = (data,)
        else:
            pages += 1
        written += write_atomic(target, chunks) or 0
    return SiteReport(str(out), ics_files, pages, ics_files, written)
