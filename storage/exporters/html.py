"""Static HTML programme: the index and one page per région, plus every file of the site, rows in, bytes out."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pipelines.normalize.fr_data import DEFAULT_TIMEZONE, DEPARTMENTS, REGIONS
from pipelines.normalize.text import display_html_text, display_text, strict_url
from storage.exporters import Row
from storage.exporters.assets import CONTENT_SECURITY_POLICY, PROGRAMME_CSS, PROGRAMME_JS
from storage.exporters.display import (
    ATTENDANCE_LABELS,
    DESCRIPTION_LIMIT,
    SEARCH_LIMIT,
    SHORT_LIMIT,
    STATUS_BADGES,
    TITLE_LIMIT,
    day_of,
    fold,
    format_day,
    format_generated,
    format_place,
    format_when,
    region_locative,
    row_bounds,
)
from storage.exporters.feedlinks import FEED_TYPES, FeedLink, FeedLinks, default_feed_links
from storage.exporters.ical import event_ics
from storage.exporters.jsonld import event_jsonld, jsonld_script
from storage.exporters.map import render_department_map
from storage.exporters.paths import event_file_id, event_ics_path, region_page_path

if TYPE_CHECKING:
    from sqlite_utils import Database

# --------------------------------------------------------------------------- site model


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _datetime_attr(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()



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

    def add(self, row: Row) -> None:
        self.total += 1
        last_day = str(row.get("end_date") or row.get("start_date") or "")
        if last_day and (not self.earliest_end or last_day < self.earliest_end):
            self.earliest_end = last_day
        self.by_region[row.get("region_code") or ""] += 1
        if row.get("department"):
            self.by_department[str(row["department"])] += 1
        if row.get("attendance") in ("online", "mixed"):
            self.online += 1


def summarize(rows: Iterable[Row]) -> SiteSummary:
    """Counts by région, département and attendance."""
    summary = SiteSummary()
    for row in rows:
        summary.add(row)
    return summary


# --------------------------------------------------------------------------- rendering


def _feed_list(links: Sequence[FeedLink], root: str) -> str:
    items = "".join(
        f'<li><a href="{_esc(root + link.href)}" type="{_esc(FEED_TYPES.get(link.kind, "text/plain"))}">'
        f"{_esc(link.label)}</a></li>"
        for link in links
    )
    return f'<ul class="feeds">{items}</ul>'


def _source_label(source: Mapping[str, Any], url: str) -> str:
    """The source's name; its site's host name when the registry gave no name ('cress_bretagne')."""
    name = display_text(source.get("name"), SHORT_LIMIT)
    if name and name != source.get("source"):
        return name
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or name or "source"


def render_event(row: Row, *, current_year: int, root: str = "") -> str:
    """One `<article>` for an event row, with its schema.org `Event` JSON-LD; every value escaped,
    only http(s) links."""
    title = display_text(row.get("title"), TITLE_LIMIT) or "Sans titre"
    start, end = row_bounds(row)
    start_date = day_of(start).isoformat() if start else display_text(row.get("start_date"), 10)
    end_date = day_of(end).isoformat() if end else start_date
    attendance = str(row.get("attendance")) if row.get("attendance") in ("offline", "online", "mixed") else ""
    status = str(row.get("status")) if row.get("status") in STATUS_BADGES else ""
    region_code = str(row.get("region_code")) if row.get("region_code") in REGIONS else ""
    department = display_text(row.get("department"), 3)
    department = department if department in DEPARTMENTS else ""
    organizer = display_text(row.get("organizer"), SHORT_LIMIT)
    description = display_html_text(row.get("description_html"), DESCRIPTION_LIMIT)
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
                display_text(row.get("postal_code"), 10),
                ATTENDANCE_LABELS.get(attendance, ""),
                description,
                *(display_text(tag, SHORT_LIMIT) for tag in (row.get("tags") or ()) if isinstance(tag, str)),
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
    url = strict_url(row.get("url"))
    heading = f'<a href="{_esc(url)}">{_esc(title)}</a>' if url else _esc(title)
    out.append(f'<h3 class="event-title">{heading}</h3>')

    badges = []
    if status:
        badges.append(f'<span class="badge badge-{status}">{STATUS_BADGES[status]}</span>')
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
    registration = strict_url(row.get("registration_url"))
    if registration:
        links.append(f'<a href="{_esc(registration)}">S’inscrire</a>')
    online_url = strict_url(row.get("online_url")) if attendance in ATTENDANCE_LABELS else None
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
        source_url = strict_url(source.get("url"))
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
    # Each article carries its own data block, so the page still streams one event at a time.
    structured = event_jsonld(row)
    if structured is not None:
        out.append(jsonld_script(structured))
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
        f'<link rel="alternate" type="{FEED_TYPES[link.kind]}" title="{_esc(link.label)}"'
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
        f"{alternates}\n<style>{PROGRAMME_CSS}</style>\n</head>\n"
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
    # A région page offers each of its départements, even one without events, so that the map's
    # link to it (#departement=CODE) selects it and shows none rather than the whole région.
    listed = set(summary.by_department)
    if region_code is not None:
        listed.update(code for code, (_, region) in DEPARTMENTS.items() if region == region_code)
    departments = sorted((code for code in listed if code in DEPARTMENTS), key=lambda code: code.zfill(3))
    dept_options = "".join(
        f'<option value="{_esc(code)}" data-region="{DEPARTMENTS[code][1]}">'
        f"{_esc(code)} – {_esc(DEPARTMENTS[code][0])} ({summary.by_department.get(code, 0)})</option>"
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
    rows: Iterable[Row], *, today: date, current_year: int, root: str, ongoing_today: bool = True
) -> Iterator[str]:
    """The event list grouped by start day; with `ongoing_today` (a programme of upcoming events
    only), events already under way are listed under `today` instead of a past day."""
    current: date | None = None
    index = 0
    for row in rows:
        start, _ = row_bounds(row)
        day = day_of(start) if start is not None else today
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
    rows: Iterable[Row],
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
    dept_map = render_department_map(summary.by_department, region_code=region_code, root=root)
    yield (
        '<section class="overview overview-map" aria-labelledby="map-heading">'
        '<h2 id="map-heading">Par département</h2>'
        "<p>Choisissez un département sur la carte pour voir ses événements.</p>"
        f"{dept_map}</section>\n"
    ).encode()
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
        f"<script>{PROGRAMME_JS}</script>\n</body>\n</html>\n"
    ).encode()


def iter_index_html(
    rows: Iterable[Row],
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
    rows: Iterable[Row],
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


def render_index_html(rows: Iterable[Row], **kwargs: Any) -> bytes:
    """`iter_index_html` joined (rows are read twice: give a list)."""
    rows = list(rows)
    kwargs.setdefault("summary", summarize(rows))
    return b"".join(iter_index_html(rows, **kwargs))


# --------------------------------------------------------------------------- the whole site


RowSource = Callable[[str | None], Iterable[Row]]
"""`fetch(region_code)` -> upcoming rows in programme order; None means every région (the index)."""


def iter_site_files(
    fetch: RowSource,
    *,
    generated_at: datetime,
    feeds: FeedLinks | None = None,
    title: str = "Agenda de l’ESS",
    regions: Iterable[str] = tuple(REGIONS),
    index: bool = True,
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """Every file of the static programme as (site-relative path, chunks), in an order a writer can
    consume one at a time: per-event `.ics` files, `index.html` (unless not `index`), then one page
    per région of `regions`. `fetch` is called with None and with each région code; this module
    does no I/O itself."""
    feeds = feeds or default_feed_links()
    summary = SiteSummary()
    for row in fetch(None):
        summary.add(row)
        yield event_ics_path(row), (event_ics(row),)
    if index:
        yield (
            "index.html",
            iter_index_html(fetch(None), summary=summary, generated_at=generated_at, feeds=feeds, title=title),
        )
    for code in regions:
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
            f"HTML programme: {self.events} event(s), {self.pages} page(s),"
            f" {self.ics_files} .ics files, {self.bytes_written / 1_000_000:.1f} MB written to {self.out_dir}"
        )


def write_site(
    db: Database,
    out_dir: str | Path,
    *,
    now: datetime,
    date_from: date | None = None,
    date_to: date | None = None,
    include_all: bool = False,
    feeds: FeedLinks | None = None,
    title: str = "Agenda de l’ESS",
    region: str | None = None,
    department: str | None = None,
) -> SiteReport:
    """Write the programme of `db` into `out_dir`, each file atomically.

    Events shown are those overlapping [date_from (default: today in Paris), date_to]; `now` is the
    generation time printed in the pages. A `region` filter writes that région's page only, a
    `department` filter no page (there is none per département), each with the `.ics` files of
    their events: a subset never replaces the national index or another scope's page. Reading and writing go through `storage.read.iter_events`
    and `storage.exporters.writer.write_atomic`: this module itself opens no file."""
    from storage.exporters.writer import write_atomic
    from storage.read import iter_events

    out = Path(out_dir)
    # Like the feeds: upcoming events by default, every date with include_all.
    start = date_from
    if start is None and not include_all:
        start = now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()

    def fetch(region_code: str | None) -> Iterator[Row]:
        return iter_events(db, date_from=start, date_to=date_to, region=region_code or region,
                           department=department, include_all=include_all)

    regions = () if department else (region,) if region else tuple(REGIONS)
    files = iter_site_files(fetch, generated_at=now, feeds=feeds, title=title, regions=regions,
                            index=region is None and department is None)
    pages = ics_files = written = 0
    for relpath, chunks in files:
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
