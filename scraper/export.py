"""Export the database to the output folder: feeds (national, per région, per département), their maps and HTML."""

from __future__ import annotations

import sqlite3
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipelines.normalize.fr_data import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from sqlite_utils import Database


class ExportFailed(RuntimeError):
    """The output folder or the database could not be used; nothing half-written was left behind."""


def region_code(value: str | None) -> str | None:
    """INSEE région code from a code ('76') or a name ('Occitanie', any case), None for none;
    ValueError if unknown."""
    from storage.exporters.paths import region_code as known_region_code

    return None if value is None else known_region_code(value)


def export_all(
    db_path: str | Path,
    out_dir: Path,
    *,
    formats: tuple[str, ...],
    now: datetime,
    include_all: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    site_url: str | None = None,
    digest_day: date | None = None,
) -> str:
    """Write the requested formats into `out_dir` as one set; return a one-paragraph report.

    Format 'digest' writes the weekly digest of the ISO week holding `digest_day` (default:
    today in Paris): one per région, or only the `region`'s or the `department`'s when the
    export is filtered. Every file is renamed into place only once all of them are written
    (`staged`): a full disk or an error halfway leaves the whole previous set of files as it was."""
    from storage.db import open_db
    from storage.exporters.writer import ExportError, staged

    try:
        code = region_code(region)
    except ValueError as exc:
        raise ExportFailed(str(exc)) from None
    lines = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        db = open_db(db_path)
    except (OSError, sqlite3.Error) as exc:
        raise ExportFailed(f"{out_dir} or {db_path}: {exc}") from None
    try:
        with staged():
            feed_formats = tuple(f for f in formats if f in ("rss", "json", "ics", "geojson"))
            if feed_formats:
                from storage.exporters.feeds import DEFAULT_BASE_URL, publish

                report = publish(db, out_dir, now=now, date_from=date_from, date_to=date_to, region=code,
                                 department=department, include_all=include_all, formats=feed_formats,
                                 base_url=site_url or DEFAULT_BASE_URL)
                lines.append(str(report))
            if "html" in formats:
                from storage.exporters.html import write_site

                # The feeds' window and filters: from today unless --from or --all. Withdrawn
                # events stay in the programme, labelled, as they do in the feeds.
                today = now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
                site = write_site(db, out_dir, now=now,
                                  date_from=date_from or (date.min if include_all else today),
                                  date_to=date_to, include_all=True, region=code, department=department)
                lines.append(str(site))
                from storage.exporters.embed import write_embeds

                # Widgets list upcoming events only, whatever --all says, inside the same window.
                widgets = write_embeds(db, out_dir, now=now,
                                       date_from=max(date_from or today, today), date_to=date_to,
                                       region=code, department=department)
                lines.append(str(widgets))
            if "digest" in formats:
                lines.append(_write_digests(db, out_dir, now=now, digest_day=digest_day, region=code,
                                            department=department))
    except (ExportError, OSError, sqlite3.Error, ValueError) as exc:
        # ValueError: a région or département the filters do not know.
        # The exporters' streams the error left suspended hold database cursors: closed now,
        # while the database is open, instead of at exit ("Exception ignored ... closed database").
        traceback.clear_frames(exc.__traceback__)
        what = f"cannot write {exc.path}: {exc.reason}" if isinstance(exc, ExportError) else str(exc)
        raise ExportFailed(f"{what}; nothing was published, the files in {out_dir} are left as they were") from None
    finally:
        db.close()
    return "\n".join(lines)


def _write_digests(db: Database, out_dir: Path, *, now: datetime, digest_day: date | None,
                   region: str | None, department: str | None) -> str:
    """The weekly digests of this export's scope (see `export_all`); returns the report line."""
    from pipelines.normalize.fr_data import REGIONS
    from storage.exporters.digest import publish_digest, week_of

    week = week_of(digest_day or now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date())
    if department:
        scopes = [("departement", department)]
    elif region:
        scopes = [("region", region)]
    else:
        scopes = [("region", code) for code in sorted(REGIONS)]
    written = [path for kind, key in scopes for path in publish_digest(db, out_dir, week=week, kind=kind, key=key)]
    return f"Weekly digest {week}: {len(scopes)} scope(s), {len(written)} files under {out_dir / 'digest'}"
