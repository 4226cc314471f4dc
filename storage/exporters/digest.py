"""The weekly digest a communication team pastes into its newsletter: e-mail-safe HTML and Markdown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pipelines.normalize.text import display_text, strict_url
from storage.exporters import Row
from storage.exporters.display import (
    STATUS_BADGES,
    TIMEZONE_LABELS,
    TITLE_LIMIT,
    day_of,
    format_day,
    format_place,
    format_time,
    is_online_only,
    region_locative,
    row_bounds,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

MISSING_BADGE = "Plus annoncé par la source"
"""Label of an event no source lists any more: it may have been withdrawn silently."""
ALL_DAY = "Toute la journée"
EMPTY_WEEK = "Aucun événement annoncé cette semaine."

_WEEK_RE = re.compile(r"(\d{4})-?W(\d{2})")


class IsoWeek(NamedTuple):
    """An ISO 8601 week: (2026, 46) is 2026-W46, Monday 9 to Sunday 15 November 2026."""

    year: int
    week: int

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def parse_iso_week(text: str) -> IsoWeek | None:
    """'2026-W46' (or '2026W46', any case) -> IsoWeek(2026, 46); None when malformed or when the
    year has no such week ('2026-W60', '2026-W53')."""
    match = _WEEK_RE.fullmatch(text.strip().upper())
    if match is None:
        return None
    year, number = int(match[1]), int(match[2])
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        return None
    return IsoWeek(year, number)


def week_of(day: date) -> IsoWeek:
    """The ISO week holding `day`."""
    iso = day.isocalendar()
    return IsoWeek(iso.year, iso.week)


def week_span_text(week: IsoWeek) -> str:
    """'Semaine du lundi 9 au dimanche 15 novembre 2026' (months and years only where they change)."""
    first, last = week.monday, week.sunday
    end = format_day(last)
    if first.year != last.year:
        start = format_day(first)
    elif first.month != last.month:
        start = format_day(first, with_year=False)
    else:
        start = f"lundi {'1er' if first.day == 1 else first.day}"
    return f"Semaine du {start} au {end}"


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One event as the digest shows it under one day; every text is plain (not escaped)."""

    when: str
    place: str
    title: str
    url: str | None
    badge: str


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _entry(row: Row, day: date, last_day: date, start: datetime | date, end: datetime | date | None,
           week: IsoWeek) -> DigestEntry:
    if isinstance(start, datetime) and day_of(start) == day:
        when = format_time(start)
        if isinstance(end, datetime) and day_of(end) == day and end > start:
            when += f" – {format_time(end)}"
        zone_label = TIMEZONE_LABELS.get(str(start.tzinfo), "")
        if zone_label:
            when += f" ({zone_label})"
    else:
        when = ALL_DAY
    if last_day > day:
        when += f", jusqu'au {format_day(last_day, with_year=last_day.year != week.year)}"
    place = format_place(row)
    if is_online_only(row):
        place = "En ligne"
    elif row.get("attendance") == "mixed":
        place = f"{place} et en ligne" if place else "En ligne"
    badge = STATUS_BADGES.get(str(row.get("status") or ""), "")
    if not badge and row.get("missing"):
        badge = MISSING_BADGE
    return DigestEntry(
        when=when,
        place=place or "Lieu à préciser",
        title=display_text(row.get("title"), TITLE_LIMIT) or "Sans titre",
        url=strict_url(row.get("url")),
        badge=badge,
    )


def digest_days(rows: Iterable[Row], week: IsoWeek) -> list[tuple[date, list[DigestEntry]]]:
    """The week's events grouped by day, days in order, each event once: under its first day, or
    under Monday when it began before the week. Within a day, all-day events come first, then by
    start time and title. Rows without a readable start, or outside the week, are left out."""
    monday, sunday = week.monday, week.sunday
    keyed: dict[date, list[tuple[tuple[int, str, str, str], DigestEntry]]] = {}
    for row in rows:
        start, end = row_bounds(row)
        if start is None:
            continue
        first = day_of(start)
        last = day_of(end) if end is not None else first
        if last < monday or first > sunday:
            continue
        day = max(first, monday)
        entry = _entry(row, day, last, start, end, week)
        timed = isinstance(start, datetime) and first == day
        clock = start.strftime("%H:%M") if isinstance(start, datetime) and timed else ""
        key = (1 if timed else 0, clock, entry.title.casefold(), str(row.get("id") or ""))
        keyed.setdefault(day, []).append((key, entry))
    return [(day, [entry for _, entry in sorted(keyed[day], key=lambda item: item[0])]) for day in sorted(keyed)]


def day_heading(day: date) -> str:
    """'Lundi 9 novembre', 'Dimanche 1er novembre'."""
    return _capitalised(format_day(day, with_year=False))


# --- HTML for e-mail: inline styles only, no class, no script, no external resource ---------

_FONT = "font-family:Arial,Helvetica,sans-serif;"
_STYLE_BODY = "margin:0;padding:0;background-color:#ffffff;"
_STYLE_WRAP = f"max-width:640px;margin:0 auto;padding:16px;{_FONT}font-size:16px;line-height:1.5;color:#1a1a1a;"
_STYLE_H1 = f"margin:0 0 4px 0;{_FONT}font-size:24px;line-height:1.25;color:#1a1a1a;"
_STYLE_WEEK = f"margin:0 0 16px 0;{_FONT}font-size:15px;color:#555555;"
_STYLE_H2 = (f"margin:24px 0 8px 0;padding:0 0 4px 0;border-bottom:2px solid #d9d9d9;{_FONT}"
             "font-size:19px;line-height:1.3;color:#1a1a1a;")
_STYLE_EVENT = f"margin:0 0 12px 0;{_FONT}font-size:16px;line-height:1.5;color:#1a1a1a;"
_STYLE_WHEN = "font-weight:bold;color:#1a1a1a;"
_STYLE_PLACE = "color:#555555;"
_STYLE_LINK = "color:#0b5394;text-decoration:underline;"
_STYLE_BADGE = "font-weight:bold;color:#b3261e;"
_STYLE_EMPTY = f"margin:0;{_FONT}font-size:16px;color:#1a1a1a;"


def _html_entry(entry: DigestEntry) -> str:
    esc = html.escape
    title = esc(entry.title)
    if entry.url:
        title = f'<a href="{esc(entry.url)}" style="{_STYLE_LINK}">{title}</a>'
    badge = f'<span style="{_STYLE_BADGE}">{esc(entry.badge)}</span> – ' if entry.badge else ""
    return (f'<p style="{_STYLE_EVENT}"><span style="{_STYLE_WHEN}">{esc(entry.when)}</span>'
            f' · <span style="{_STYLE_PLACE}">{esc(entry.place)}</span><br>{badge}{title}</p>')


def render_digest_html(rows: Iterable[Row], *, title: str, week: IsoWeek) -> bytes:
    """The week's events as one UTF-8 HTML document an e-mail client shows as is.

    Every style is inline (mail clients strip `<style>`); no class, script, image or other
    external resource; all text and URLs are escaped. Days are `<h2>` headings, each event one
    paragraph: time and place, then its status badge and its title linked to its page."""
    esc = html.escape
    days = digest_days(rows, week)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} – {esc(str(week))}</title>",
        "</head>",
        f'<body style="{_STYLE_BODY}">',
        f'<div style="{_STYLE_WRAP}">',
        f'<h1 style="{_STYLE_H1}">{esc(title)}</h1>',
        f'<p style="{_STYLE_WEEK}">{esc(week_span_text(week))}</p>',
    ]
    if not days:
        parts.append(f'<p style="{_STYLE_EMPTY}">{esc(EMPTY_WEEK)}</p>')
    for day, entries in days:
        parts.append(f'<h2 style="{_STYLE_H2}">{esc(day_heading(day))}</h2>')
        parts.extend(_html_entry(entry) for entry in entries)
    parts += ["</div>", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


# --- Markdown ---------------------------------------------------------------------------

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that could make
# markup inside a line (emphasis, code, raw HTML, entities, a heading's closing #, GFM tables and
# strikethrough). With brackets escaped no link or image can form, so parentheses stay readable.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def markdown_text(text: str) -> str:
    """Plain text made inert in Markdown: markup characters backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _markdown_entry(entry: DigestEntry) -> str:
    title = markdown_text(entry.title)
    if entry.url:
        title = f"[{title}]({_markdown_url(entry.url)})"
    badge = f"**{markdown_text(entry.badge)}** – " if entry.badge else ""
    return f"- **{markdown_text(entry.when)}** · {markdown_text(entry.place)} : {badge}{title}"


def render_digest_markdown(rows: Iterable[Row], *, title: str, week: IsoWeek) -> bytes:
    """The same digest as UTF-8 Markdown: a `#` title, the week, a `##` heading per day and one
    list item per event ('- **9 h – 12 h** · Labège : [Forum…](https://…)')."""
    days = digest_days(rows, week)
    lines = [f"# {markdown_text(title)}", "", markdown_text(week_span_text(week)), ""]
    if not days:
        lines += [EMPTY_WEEK, ""]
    for day, entries in days:
        lines += [f"## {day_heading(day)}", ""]
        lines += [_markdown_entry(entry) for entry in entries]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


# --- files: what `essagenda digest` and `essagenda export` write --------------------------


def digest_title(kind: str, key: str | None = None) -> str:
    """The digest's heading: "L'agenda de l'ESS en Occitanie", "L'agenda de l'ESS – Hérault (34)"."""
    from pipelines.normalize.fr_data import DEPARTMENTS

    if kind == "region" and key is not None:
        return f"L'agenda de l'ESS {region_locative(key)}"
    if kind in ("departement", "department") and key in DEPARTMENTS:
        return f"L'agenda de l'ESS – {DEPARTMENTS[key][0]} ({key})"
    return "L'agenda de l'ESS"


def publish_digest(db: Database, out_dir: Path, *, week: IsoWeek, kind: str, key: str | None = None) -> list[Path]:
    """Write the HTML and Markdown digest of one scope ('national', 'region' with its code,
    'departement' with its code) for `week` under `out_dir`, through the atomic writer (inside
    `staged()`, with the rest of the publication); return the paths written. Withdrawn events
    are included, labelled."""
    from storage.exporters.paths import digest_paths
    from storage.exporters.writer import write_atomic
    from storage.read import iter_events

    rows = list(iter_events(
        db, date_from=week.monday, date_to=week.sunday, include_all=True,
        region=key if kind == "region" else None,
        department=key if kind in ("departement", "department") else None,
    ))
    title = digest_title(kind, key)
    paths = digest_paths(kind, key, str(week))
    written = []
    for fmt, render in (("html", render_digest_html), ("md", render_digest_markdown)):
        target = out_dir / paths[fmt]
        write_atomic(target, [render(rows, title=title, week=week)])
        written.append(target)
    return written
