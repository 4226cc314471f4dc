"""Embeddable widgets: the next events of a région or a département as a small page for an <iframe>."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipelines.normalize.fr_data import DEFAULT_TIMEZONE, DEPARTMENTS, REGIONS
from pipelines.normalize.text import display_text, strict_url
from storage.exporters import Row
from storage.exporters.assets import csp_hash
from storage.exporters.display import (
    STATUS_BADGES,
    TITLE_LIMIT,
    day_of,
    format_place,
    format_when,
    region_locative,
    row_bounds,
    row_timezone,
)
from storage.exporters.paths import embed_path, region_page_path

if TYPE_CHECKING:
    from sqlite_utils import Database

EMBED_LIMIT = 10
"""Events a widget lists at most."""

KINDS = ("region", "departement")

# Sized for an iframe 300-400 px wide; no web font, no image, nothing but this block to load.
EMBED_CSS = (
    ":root{color-scheme:light;font:15px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
    "color:#1d2327;background:#fff}"
    "*{box-sizing:border-box}"
    "body{margin:0;padding:.75rem;overflow-wrap:anywhere}"
    "h1{font-size:1rem;margin:0 0 .5rem;color:#4a2a6b}"
    "ol{list-style:none;margin:0;padding:0}"
    "li{padding:.5rem 0;border-top:1px solid #e2dfe6}"
    "li:first-child{border-top:0}"
    "h2{font-size:1rem;margin:.1rem 0;font-weight:600}"
    "a{color:#5b2d86}"
    "a:focus-visible{outline:2px solid #5b2d86;outline-offset:2px}"
    ".when,.where{margin:0;font-size:.875rem;color:#4d5358}"
    ".badge{display:inline-block;margin-right:.35rem;padding:0 .35rem;border-radius:.25rem;"
    "font-size:.75rem;font-weight:700;text-transform:uppercase;color:#fff;background:#a4262c}"
    ".is-cancelled h2 a,.is-missing h2 a{text-decoration:line-through}"
    ".empty{margin:.5rem 0;color:#4d5358}"
    ".more{margin:.75rem 0 0;font-weight:600}"
)

CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {csp_hash(EMBED_CSS)}; img-src 'none'; base-uri 'none'; form-action 'none'"
)
"""Nothing but the widget's own inline style may load: no script, no image, no font, no frame."""

_BADGES = {**STATUS_BADGES, "missing": "Plus annoncé"}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def order_key(row: Row) -> tuple[str, str]:
    """The order `storage.read.iter_events` streams rows in: (start_utc or start_date, id)."""
    return (str(row.get("start_utc") or row.get("start_date") or ""), str(row.get("id") or ""))


def is_upcoming(row: Row, *, now: datetime) -> bool:
    """Whether the event is not over at `now` (aware): a timed event until its end (its start when it
    has none), an all-day event until its last day ends in its own zone. Events under way count."""
    start, end = row_bounds(row)
    if start is None:
        return False
    if isinstance(start, datetime) and (end is None or isinstance(end, datetime)):
        return (end or start) >= now
    last = day_of(end if end is not None else start)
    return last >= now.astimezone(row_timezone(row)).date()


def scope_name(kind: str, key: str) -> str:
    """'Occitanie', 'Hérault (34)'; ValueError for an unknown scope."""
    if kind == "region" and key in REGIONS:
        return REGIONS[key].name
    if kind == "departement" and key in DEPARTMENTS:
        return f"{DEPARTMENTS[key][0]} ({key})"
    raise ValueError(f"no widget for kind={kind!r} key={key!r}")


def _parent_region(kind: str, key: str) -> str:
    return key if kind == "region" else DEPARTMENTS[key][1]


def _item(row: Row, *, current_year: int) -> str:
    title = display_text(row.get("title"), TITLE_LIMIT) or "Sans titre"
    status = str(row.get("status")) if row.get("status") in STATUS_BADGES else ""
    if not status and row.get("missing"):
        status = "missing"
    url = strict_url(row.get("url"))
    heading = f'<a href="{_esc(url)}" target="_blank" rel="noopener">{_esc(title)}</a>' if url else _esc(title)
    badge = f'<span class="badge">{_BADGES[status]}</span> ' if status else ""
    start, _ = row_bounds(row)
    when = _esc(format_when(row, current_year=current_year))
    if isinstance(start, datetime):
        when = f'<time datetime="{_esc(start.isoformat(timespec="minutes"))}">{when}</time>'
    elif isinstance(start, date):
        when = f'<time datetime="{start.isoformat()}">{when}</time>'
    attendance = row.get("attendance")
    place = format_place(row)
    if attendance == "online":
        place = "En ligne"
    elif attendance == "mixed":
        place = f"{place} et en ligne" if place else "En ligne"
    where = f'<p class="where">{_esc(place)}</p>' if place else ""
    classes = f' class="is-{status}"' if status else ""
    return f'<li{classes}><p class="when">{when}</p><h2>{badge}{heading}</h2>{where}</li>\n'


def render_embed(
    rows: Iterable[Row],
    *,
    kind: str,
    key: str,
    now: datetime,
    limit: int = EMBED_LIMIT,
    title: str = "Agenda de l’ESS",
) -> bytes:
    """The widget page of a région ('region', '76') or a département ('departement', '34').

    `rows` are the events of the export's window, in any order; the page lists the first `limit`
    of the scope's (by `region_code` or `department`) not over at `now` (aware), soonest first, and
    links to the région's programme page. Every value is escaped; the page loads nothing and runs
    no script."""
    name = scope_name(kind, key)
    region = _parent_region(kind, key)
    field = "region_code" if kind == "region" else "department"
    chosen = sorted(
        (row for row in rows if row.get(field) == key and is_upcoming(row, now=now)), key=order_key
    )[: max(limit, 0)]
    current_year = now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).year
    depth = embed_path(kind, key).count("/")
    programme = "../" * depth + region_page_path(region)
    head = (
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{_esc(title)} – {_esc(name)}</title>\n<style>{EMBED_CSS}</style>\n</head>\n<body>\n"
        f"<h1>Prochains événements · {_esc(name)}</h1>\n"
    )
    parts = [head]
    if chosen:
        parts.append("<ol>\n")
        parts.extend(_item(row, current_year=current_year) for row in chosen)
        parts.append("</ol>\n")
    else:
        parts.append('<p class="empty">Aucun événement à venir pour le moment.</p>\n')
    parts.append(
        f'<p class="more"><a href="{_esc(programme)}" target="_blank" rel="noopener">Tout le programme'
        f" {_esc(region_locative(region))}</a></p>\n</body>\n</html>\n"
    )
    return "".join(parts).encode("utf-8", "replace")


def embed_scopes(*, region: str | None = None, department: str | None = None) -> list[tuple[str, str]]:
    """(kind, code) of every widget of an export: all régions and départements; with a `region`
    filter (a code), that région and its départements; with a `department` filter, that one only."""
    if department is not None:
        if department not in DEPARTMENTS:
            raise ValueError(f"unknown département: {department!r}")
        return [("departement", department)]
    if region is not None and region not in REGIONS:
        raise ValueError(f"unknown région code: {region!r}")
    scopes = [("region", code) for code in REGIONS if region in (None, code)]
    scopes += [("departement", code) for code, (_, parent) in DEPARTMENTS.items() if region in (None, parent)]
    return scopes


def iter_embed_files(
    rows: Iterable[Row],
    *,
    now: datetime,
    region: str | None = None,
    department: str | None = None,
    limit: int = EMBED_LIMIT,
    title: str = "Agenda de l’ESS",
) -> Iterator[tuple[str, bytes]]:
    """(site-relative path, bytes) of every widget of `embed_scopes(region, department)`, from one
    pass over `rows` (the export's window, in `iter_events` order): each scope keeps only its first
    `limit` upcoming events, so memory stays bounded at any number of rows."""
    scopes = embed_scopes(region=region, department=department)
    buckets: dict[tuple[str, str], list[Row]] = {scope: [] for scope in scopes}
    for row in rows:
        keys = (("region", str(row.get("region_code") or "")), ("departement", str(row.get("department") or "")))
        wanted = [buckets[k] for k in keys if k in buckets and len(buckets[k]) < limit]
        if wanted and is_upcoming(row, now=now):
            for bucket in wanted:
                bucket.append(row)
    for kind, key in scopes:
        page = render_embed(buckets[(kind, key)], kind=kind, key=key, now=now, limit=limit, title=title)
        yield embed_path(kind, key), page


@dataclass(frozen=True, slots=True)
class EmbedReport:
    """What `write_embeds` wrote."""

    out_dir: str
    widgets: int
    changed: int

    def __str__(self) -> str:
        return f"Widgets: {self.widgets} page(s) in {self.out_dir}/embed, {self.changed} changed"


def write_embeds(
    db: Database,
    out_dir: str | Path,
    *,
    now: datetime,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    title: str = "Agenda de l’ESS",
) -> EmbedReport:
    """Write the widgets of the export's window [date_from, date_to] and filters into `out_dir`
    through `storage.exporters.writer.write_atomic`; an unchanged widget is left alone. Events no
    source lists any more stay out: a widget has room for the next few only."""
    from storage.exporters.writer import write_atomic
    from storage.read import iter_events

    out = Path(out_dir)
    rows = iter_events(db, date_from=date_from, date_to=date_to, region=region, department=department)
    widgets = changed = 0
    for relpath, data in iter_embed_files(rows, now=now, region=region, department=department, title=title):
        widgets += 1
        target = out / relpath
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                continue
        except OSError:
            pass
        write_atomic(target, (data,))
        changed += 1
    return EmbedReport(str(out), widgets, changed)
