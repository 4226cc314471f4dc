"""Command-line interface: `essagenda run|crawl|export|sources|demo|parse|extract|history|serve`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from scraper import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_DB = "data/essagenda.db"
DEFAULT_OUT = "public"
EXPORT_FORMATS = ("rss", "json", "ics", "geojson", "html", "digest")
"""What `export --format all` (and `run`, `demo`) writes: the feeds, their GeoJSON maps, the programme,
the weekly digests."""

SAMPLE_DIGEST_DAY = date(2026, 11, 9)
"""The demo's digest week (2026-W46, 9 to 15 November): the sample's Mois de l'ESS week, with
events in fifteen of the eighteen régions."""

EXIT_OK = 0
EXIT_SOURCE_UNHEALTHY = 1
EXIT_STORAGE = 3


def _db_path(_ctx: Any, _param: Any, value: str | None) -> str | None:
    """A database path whose folder exists; only the default folder is made on demand, so a
    mistyped `--db /nonexistent/x.db` is an error instead of a new folder at the root."""
    if value is None or Path(value) == Path(DEFAULT_DB):
        return value
    folder = Path(value).parent
    if not folder.is_dir():
        raise click.BadParameter(f"the folder {str(folder)!r} of {value!r} does not exist", param_hint="--db")
    return value


db_option = click.option(
    "--db", "db_path", envvar="ESS_DB", default=DEFAULT_DB, show_default=True, callback=_db_path,
    type=click.Path(dir_okay=False), help="SQLite database file (environment: ESS_DB).",
)
out_option = click.option(
    "--out", "out_dir", envvar="ESS_OUT", default=DEFAULT_OUT, show_default=True,
    type=click.Path(file_okay=False), help="Output folder for feeds and the HTML programme.",
)
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's debug log.")
site_url_option = click.option(
    "--site-url", envvar="ESS_SITE_URL", default=None,
    help="Public URL where the output folder is served (feed links); environment: ESS_SITE_URL.",
)
revalidate_option = click.option(
    "--revalidate", is_flag=True,
    help="Ask every site whether each page changed (conditional requests; unchanged pages answer 304).",
)
refresh_option = click.option(
    "--refresh", is_flag=True, help="Refetch every page in full and extract it again, ignoring the cache.",
)


def _cache_overrides(revalidate: bool, refresh: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if revalidate:
        out["ESS_REVALIDATE"] = True
    if refresh:
        out["ESS_REFRESH"] = True
    return out


def _iso_date(_ctx: Any, _param: Any, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _reference(_ctx: Any, _param: Any, value: str | None) -> str | None:
    if value is None:
        return None
    from pipelines.normalize.dates import parse_reference

    try:
        parse_reference(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a reference in YYYY, YYYY-MM or YYYY-MM-DD form") from None
    return value


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="essagenda")
def cli() -> None:
    """The consolidated agenda of France's social and solidarity economy.

    Crawls the CRESS sites and the Mois de l'ESS, normalizes French dates and places
    into one SQLite database, and publishes RSS, JSON Feed, iCalendar and HTML.

    \b
    Example:
        essagenda run --db data/essagenda.db --out public
    """


# --------------------------------------------------------------------------- crawling


@contextmanager
def _locked(db_path: str) -> Iterator[None]:
    """Hold the database's run lock, or exit with EXIT_LOCKED at once if another run has it, or
    with EXIT_STORAGE if the lock file cannot be written (read-only file system, full disk)."""
    from scraper.lock import EXIT_LOCKED, LockBusy, run_lock

    try:
        lock = run_lock(db_path)
        lock.__enter__()
    except LockBusy as exc:
        click.echo(f"essagenda: {exc}; this run does nothing and exits.", err=True)
        sys.exit(EXIT_LOCKED)
    except OSError as exc:
        _storage_exit(f"{db_path}.lock", exc.strerror or str(exc))
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _print_outcomes(outcomes: list[Any]) -> int:
    """A line per source, a WARNING per source that needs attention (its cause and what to do),
    and one final line; the exit status they make."""
    from collections import Counter

    from scraper.diagnosis import crawl_problem

    for outcome in outcomes:
        click.echo(outcome.summary_line(), err=True)
    unhealthy = [o for o in outcomes if not o.healthy]
    for outcome in unhealthy:
        problem = crawl_problem(outcome.stats)
        if problem is not None:
            cause, todo = problem
            text = f"{cause}: {todo}"
        else:
            text = outcome.message or "see `essagenda sources`"
        click.echo(f"WARNING: {outcome.source} {outcome.status}: {text}", err=True)
    statuses = Counter(o.status for o in outcomes)
    tally = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    events, new, updated = (sum(getattr(o, name) for o in outcomes) for name in ("events", "new", "updated"))
    click.echo(f"{len(outcomes)} source{'s' if len(outcomes) != 1 else ''} crawled ({tally or 'none'}): "
               f"{events} events, {new} new, {updated} updated", err=True)
    return EXIT_SOURCE_UNHEALTHY if unhealthy else EXIT_OK


def _crawl(spiders: list[Any], **options: Any) -> list[Any]:
    """`run_crawl`, or on Ctrl-C / SIGTERM: the sources' lines, "interrupted", and exit
    128 + the signal's number (130, 143) with nothing exported; when the database could not be
    written (full disk, read-only): the sources' lines and exit EXIT_STORAGE, nothing exported."""
    import sqlite3

    from scraper.crawl import CrawlInterrupted, run_crawl
    from storage.db import StorageUnavailable, storage_failure

    try:
        outcomes = run_crawl(spiders, **options)
    except CrawlInterrupted as stop:
        _print_outcomes(stop.outcomes)
        click.echo(f"essagenda: {stop}; the crawls are marked interrupted and nothing was exported.", err=True)
        sys.exit(128 + stop.signum)
    except (OSError, sqlite3.Error, StorageUnavailable) as exc:
        reason = storage_failure(exc)
        if reason is None:
            raise
        _storage_exit(options["db_path"], reason)
    unstored = [o.stats["ess/store/unavailable"] for o in outcomes if o.stats.get("ess/store/unavailable")]
    if unstored:
        _print_outcomes(outcomes)
        click.echo(f"essagenda: {unstored[0]}; the crawl stopped and nothing was exported.", err=True)
        sys.exit(EXIT_STORAGE)
    return outcomes


def _storage_exit(path: str, reason: str) -> None:
    """Say that `path` cannot be written, and exit EXIT_STORAGE."""
    click.echo(f"essagenda: cannot write {path}: {reason}; nothing was exported.", err=True)
    sys.exit(EXIT_STORAGE)


def _url_problem(url: str) -> str | None:
    """Why an http(s) URL cannot be crawled (no host, a broken IPv6 literal, a port out of
    range), or None; found here so that it is a bad option, not a traceback mid-crawl."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return str(exc)
    if not parts.hostname:
        return "no host"
    if port == 0:
        return "port 0"
    return None


def _select_spiders(names: tuple[str, ...], url: str | None) -> list[Any]:
    from spiders.registry import load_registry

    if url:
        from spiders.registry_spiders import make_url_spider

        if not url.lower().startswith(("http://", "https://")):
            raise click.BadParameter("only http and https URLs can be crawled", param_hint="--url")
        problem = _url_problem(url)
        if problem is not None:
            raise click.BadParameter(f"{url!r}: {problem}", param_hint="--url")
        return [make_url_spider(url)]
    registry = {entry.id: entry for entry in load_registry()}
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise click.BadParameter(
            f"unknown source(s): {', '.join(unknown)}; see `essagenda sources`", param_hint="SOURCE"
        )
    if names:
        return list(names)
    return [entry.id for entry in registry.values() if entry.enabled]


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--url", help="Crawl this agenda URL with automatic discovery, without a registry entry.")
@db_option
@click.option("--progress/--no-progress", default=None, help="Live progress (default: on a terminal).")
@revalidate_option
@refresh_option
@verbose_option
def crawl(sources: tuple[str, ...], url: str | None, db_path: str, progress: bool | None,
          revalidate: bool, refresh: bool, verbose: bool) -> None:
    """Crawl SOURCES (default: every enabled source) into the database.

    Prints one summary line per source; exits 1 when a source is degraded or failed,
    75 when another run holds the lock.

    \b
    Examples:
        essagenda crawl cress_bretagne cress_occitanie
        essagenda crawl --url https://www.example.org/agenda/
    """
    spiders = _select_spiders(sources, url)
    with _locked(db_path):
        outcomes = _crawl(spiders, db_path=db_path, progress=progress, verbose=verbose,
                          overrides=_cache_overrides(revalidate, refresh))
    sys.exit(_print_outcomes(outcomes))


@cli.command()
@db_option
@out_option
@click.option("--progress/--no-progress", default=None, help="Live progress (default: on a terminal).")
@revalidate_option
@refresh_option
@site_url_option
@verbose_option
def run(db_path: str, out_dir: str, progress: bool | None, revalidate: bool, refresh: bool,
        site_url: str | None, verbose: bool) -> None:
    """Crawl every enabled source, then export feeds and the HTML programme.

    The job to run from cron. Exit status: 0 every source healthy, 1 a source is
    degraded or failed (named on stderr), 3 the database or output folder could not
    be written, 75 another run holds the lock.

    \b
    Example:
        essagenda run --db /var/lib/essagenda/essagenda.db --out /var/www/essagenda
    """
    spiders = _select_spiders((), None)
    _refuse_publishing_the_database(db_path, out_dir)
    # Found before the night's crawl, not after it.
    problem = _unwritable_folder(Path(out_dir))
    if problem is not None:
        click.echo(f"essagenda: cannot write the output folder: {problem}; nothing was crawled.", err=True)
        sys.exit(EXIT_STORAGE)
    with _locked(db_path):
        outcomes = _crawl(spiders, db_path=db_path, progress=progress, verbose=verbose,
                          overrides=_cache_overrides(revalidate, refresh))
        # The sources' summary first: an export that fails must not hide it.
        status = _print_outcomes(outcomes)
        _export(db_path, out_dir, formats=EXPORT_FORMATS, now=datetime.now(UTC),
                site_url=site_url)
    sys.exit(status)


def _refuse_publishing_the_database(db_path: str, out_dir: str | Path) -> None:
    """Exit 2 when the output folder (published as is) would hold the database, its lock or
    the HTTP cache kept beside it."""
    data = Path(db_path).resolve().parent
    published = Path(out_dir).resolve()
    if data == published or published in data.parents:
        raise click.BadParameter(
            f"the output folder {str(out_dir)!r} would publish the database {db_path!r} (and its lock and "
            "HTTP cache): put the database outside it", param_hint="--out")


def _unwritable_folder(folder: Path) -> str | None:
    """Why files cannot be written into `folder` (made later if missing), or None."""
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


# --------------------------------------------------------------------------- exporting


def _export(db_path: str, out_dir: str, *, formats: tuple[str, ...], now: datetime,
            include_all: bool = False, date_from: date | None = None, date_to: date | None = None,
            region: str | None = None, department: str | None = None, site_url: str | None = None,
            digest_day: date | None = None) -> None:
    from scraper.export import ExportFailed, export_all

    try:
        report = export_all(db_path, Path(out_dir), formats=formats, now=now, include_all=include_all,
                            date_from=date_from, date_to=date_to, region=region, department=department,
                            site_url=site_url, digest_day=digest_day)
    except ExportFailed as exc:
        click.echo(f"essagenda: export failed: {exc}", err=True)
        sys.exit(EXIT_STORAGE)
    click.echo(report, err=True)


@cli.command()
@db_option
@out_option
@click.option("--format", "formats", multiple=True, default=("all",), show_default=True,
              type=click.Choice(["all", *EXPORT_FORMATS]), help="What to write (repeatable).")
@click.option("--from", "date_from", callback=_iso_date, help="First day (YYYY-MM-DD); default today.")
@click.option("--to", "date_to", callback=_iso_date, help="Last day (YYYY-MM-DD).")
@click.option("--region", help="Only this région (INSEE code '76' or name 'Occitanie').")
@click.option("--department", help="Only this département (code: '34', '2A', '974').")
@click.option("--all", "include_all", is_flag=True, help="Every stored event, past ones included.")
@site_url_option
def export(db_path: str, out_dir: str, formats: tuple[str, ...], date_from: date | None,
           date_to: date | None, region: str | None, department: str | None, include_all: bool,
           site_url: str | None) -> None:
    """Write RSS, JSON Feed, iCalendar, GeoJSON maps and the HTML programme into the output folder.

    By default only upcoming events (ending today or later). One feed per région and per
    département is written beside the national one, with an OPML list of them all; beside each
    feed, a GeoJSON file of its events that have coordinates. The weekly digest of the current
    ISO week (Paris time) is written per région under digest/ (only the filter's with
    --region or --department).
    Files are replaced atomically: a reader never sees a half-written feed.

    \b
    Examples:
        essagenda export --out public
        essagenda export --format ics --region 76 --from 2026-11-01 --to 2026-11-30
    """
    from pipelines.normalize.fr_data import DEPARTMENTS
    from scraper.export import region_code

    if department is not None and department.upper() not in DEPARTMENTS:
        raise click.BadParameter(f"unknown département {department!r}", param_hint="--department")
    try:
        region_code(region)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--region") from None
    first_day = date_from or (None if include_all else datetime.now(UTC).date())
    if first_day is not None and date_to is not None and date_to < first_day:
        raise click.BadParameter(
            f"--to {date_to} is before the first day {first_day}: the window holds no day", param_hint="--to"
        )
    _refuse_publishing_the_database(db_path, out_dir)
    department = department.upper() if department else None
    chosen = EXPORT_FORMATS if "all" in formats else tuple(dict.fromkeys(formats))
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}; run `essagenda crawl` first")
    _export(db_path, out_dir, formats=chosen, now=datetime.now(UTC), include_all=include_all,
            date_from=date_from, date_to=date_to, region=region, department=department, site_url=site_url)


def _iso_week(_ctx: Any, _param: Any, value: str | None) -> Any:
    from storage.exporters.digest import parse_iso_week

    if value is None:
        return None
    week = parse_iso_week(value)
    if week is None:
        raise click.BadParameter(f"{value!r} is not an ISO week of its year (YYYY-Www, e.g. 2026-W46)")
    return week


@cli.command()
@db_option
@out_option
@click.option("--week", callback=_iso_week, metavar="YYYY-Www",
              help="ISO week, e.g. 2026-W46 (default: the current week, Paris time).")
@click.option("--region", help="Only this région (INSEE code '76' or name 'Occitanie').")
@click.option("--department", help="Only this département (code: '34', '2A', '974').")
def digest(db_path: str, out_dir: str, week: Any, region: str | None, department: str | None) -> None:
    """Write a week's events as a newsletter digest: e-mail-safe HTML and Markdown.

    Events grouped by day with their time, place and a link, cancelled, postponed and
    withdrawn ones labelled, in French. Without --region or --department, the national
    digest. Files go to OUT/digest/ (e.g. digest/76-occitanie-2026-W46.html and .md); their
    paths are printed on stdout.

    \b
    Examples:
        essagenda digest --region 76 --week 2026-W46
        essagenda digest --department 34 --out newsletter
    """
    import sqlite3
    from zoneinfo import ZoneInfo

    from pipelines.normalize.fr_data import DEFAULT_TIMEZONE, DEPARTMENTS
    from scraper.export import region_code
    from storage.exporters.digest import publish_digest, week_of
    from storage.exporters.writer import ExportError, staged

    if department is not None and department.upper() not in DEPARTMENTS:
        raise click.BadParameter(f"unknown département {department!r}", param_hint="--department")
    try:
        code = region_code(region)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--region") from None
    if code is not None and department is not None:
        raise click.BadParameter("give --region or --department, not both", param_hint="--department")
    _refuse_publishing_the_database(db_path, out_dir)
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}; run `essagenda crawl` first")
    chosen = week or week_of(datetime.now(UTC).astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date())
    kind, key = ("departement", department.upper()) if department else ("region", code) if code else ("national", None)
    db = _open_to_read(db_path)
    try:
        with staged():
            written = publish_digest(db, Path(out_dir), week=chosen, kind=kind, key=key)
    except ExportError as exc:
        click.echo(f"essagenda: digest failed: {exc}", err=True)
        sys.exit(EXIT_STORAGE)
    except sqlite3.Error as exc:
        raise click.ClickException(f"cannot read {db_path}: {exc}") from None
    finally:
        db.close()
    for path in written:
        click.echo(str(path))


# --------------------------------------------------------------------------- inspecting


def _open_to_read(db_path: str) -> Any:
    """The database, or exit 1 saying why it cannot be opened (a read-only folder that cannot
    take its WAL index, a file that is no database)."""
    import sqlite3

    from storage.db import open_db

    try:
        return open_db(db_path)
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"cannot open {db_path}: {exc}") from None


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source instead of a table.")
def sources(db_path: str, as_json: bool) -> None:
    """List the sources with their région, URL, last crawl, events and health.

    \b
    Example:
        essagenda sources --db data/essagenda.db
    """
    from spiders.registry import load_registry

    entries = load_registry()
    last: dict[str, dict[str, Any]] = {}
    failing: dict[str, dict[str, str]] = {}
    counts: dict[str, int] = {}
    if Path(db_path).exists():
        from storage.read import last_crawls

        db = _open_to_read(db_path)
        try:
            from scraper.health import FAILING_AFTER, failing_urls

            recent = last_crawls(db, limit_per_source=FAILING_AFTER)
            last = {row["source"]: row for row in reversed(recent)}
            failing = {source: failing_urls([r for r in recent if r["source"] == source]) for source in last}
            counts = {row[0]: row[1] for row in db.execute(
                "select source, count(*) from event_sources group by source").fetchall()}
        finally:
            db.close()
    from pipelines.normalize.fr_data import REGIONS

    rows: list[dict[str, Any]] = []
    for entry in entries:
        crawl_row = last.get(entry.id, {})
        region = REGIONS.get(entry.region_code or "")
        rows.append({
            "source": entry.id,
            "name": entry.name,
            "region": region.name if region else "national",
            "url": entry.home_url,
            "enabled": entry.enabled,
            "last_crawl": crawl_row.get("finished_at") or crawl_row.get("started_at") or "never",
            "events": counts.get(entry.id, 0),
            "status": crawl_row.get("status") or ("disabled" if not entry.enabled else "never crawled"),
            "pages": crawl_row.get("pages") or 0,
            "errors": crawl_row.get("errors") or 0,
            # Event pages no answer came from in the last crawls: a page to look at by hand.
            "failing_urls": failing.get(entry.id, {}),
        })
    if as_json:
        import json

        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("source", "region", "url", "last crawl", "pages", "events", "errors", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        status = row["status"]
        style = {"ok": "green", "degraded": "yellow", "failed": "red"}.get(status, "")
        table.add_row(row["source"], row["region"], row["url"], row["last_crawl"][:19], str(row["pages"]),
                      str(row["events"]), str(row["errors"]), f"[{style}]{status}[/]" if style else status)
    console = Console(width=200 if not sys.stdout.isatty() else None)
    console.print(table)
    for row in rows:
        for failing_url, reason in row["failing_urls"].items():
            console.print(f"{row['source']}: no answer from {failing_url} ({reason}) in the last "
                          f"crawls", markup=False)


@cli.command()
@click.argument("text", required=False)
@click.option("--context-date", callback=_reference, metavar="YYYY[-MM[-DD]]",
              help="Reference for year-less dates: the page's day, or only its month or year.")
@click.option("--region", help="Région INSEE code of the source ('04' = La Réunion): time zone and homonyms.")
def parse(text: str | None, context_date: str | None, region: str | None) -> None:
    """Read the dates, times and place of a French text and print them as JSON.

    With no TEXT, reads JSON Lines on stdin ({"id", "text", "context_date", "region"}) and
    writes one JSON object per line. A context of "2024" means only the page's year is known:
    a year-less date then falls in 2024.

    \b
    Examples:
        essagenda parse "Le 4 novembre en visio, de 9h à 12h30" --context-date 2021-10-01
        echo '{"id": 1, "text": "du 15 au 19 novembre à Labège", "context_date": "2021-10-01"}' | essagenda parse
    """
    import json

    from scraper.inspection import parse_text

    if text is not None:
        result = parse_text(text, context_date=context_date or date.today().isoformat(), region=region)
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for number, line in enumerate(sys.stdin, start=1):
        line = line.strip()
        if not line:
            continue
        record = None
        try:
            record = json.loads(line)
            day = str(record["context_date"]) if record.get("context_date") else date.today().isoformat()
            result = parse_text(str(record.get("text") or ""), context_date=day,
                                region=record.get("region") or region)
            result = {"id": record.get("id"), **result}
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            result = {"id": None, "error": f"line {number}: {exc}"}
            if isinstance(record, dict):
                result["id"] = record.get("id")
        click.echo(json.dumps(result, ensure_ascii=False))


@cli.command()
@click.argument("path_or_url")
@click.option("--url", "original_url", help="The page's original URL (resolves relative links).")
@click.option("--context-date", callback=_iso_date, help="Reference date for year-less dates (YYYY-MM-DD).")
@click.option("--source", default="local", show_default=True, help="Source id to stamp on the events.")
@click.option("--region", help="Région INSEE code of the source (time zone, homonyms).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds to wait for a URL's whole answer.")
def extract(path_or_url: str, original_url: str | None, context_date: date | None, source: str,
            region: str | None, timeout: float) -> None:
    """Run the extractors on one saved file (HTML, JSON, iCalendar or RSS) and print its events.

    One JSON object per event, with the stored field names. A URL is fetched once
    (http/https only), given up after --timeout seconds; a file is read as bytes and
    recognised by its content.

    \b
    Examples:
        essagenda extract saved/agenda.html --url https://www.cress-exemple.org/agenda/
        essagenda extract export.ics --context-date 2026-11-01
    """
    import json

    from scraper.inspection import extract_file

    try:
        for event in extract_file(path_or_url, original_url=original_url, context_date=context_date,
                                  source=source, region=region, timeout=timeout):
            click.echo(json.dumps(event, ensure_ascii=False, allow_nan=False))
    except OSError as exc:
        raise click.ClickException(f"cannot read {path_or_url}: {exc}") from None


@cli.command()
@click.argument("event_id")
@db_option
def history(event_id: str, db_path: str) -> None:
    """Print an event's sources, why they were merged, and every change recorded.

    \b
    Example:
        essagenda history evt-3f2a9c0d1e2b4a5c
    """
    import json

    from storage.read import event_history

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}")
    db = _open_to_read(db_path)
    try:
        result = event_history(db, event_id)
    finally:
        db.close()
    if not result:
        raise click.ClickException(f"no event {event_id!r}")
    click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))


# --------------------------------------------------------------------------- demo and serving


@cli.command()
@click.option("--out", "out_dir", default="demo-output", show_default=True, type=click.Path(file_okay=False),
              help="The demo's own folder: its database, and the feeds and programme under DIR/public.")
@click.option("--db", "db_path", envvar="ESS_DB", default=None, type=click.Path(dir_okay=False),
              help="Database (default: DIR/essagenda.db).")
@click.option("--variant", default="v1", show_default=True, type=click.Choice(["v1", "v2"]),
              help="Which state of the sample sites to serve (v2: some events changed).")
@click.option("--progress/--no-progress", default=None, help="Live progress (default: on a terminal).")
@revalidate_option
@refresh_option
@verbose_option
def demo(out_dir: str, db_path: str | None, variant: str, progress: bool | None, revalidate: bool,
         refresh: bool, verbose: bool) -> None:
    """Crawl the offline sample of every source and publish it, with no network.

    Serves the bundled sample sites on 127.0.0.1 at a free port, points the real
    spiders at it, runs the whole pipeline into DIR/essagenda.db and writes every
    feed and the HTML programme into DIR. A second run on the same DIR is a recrawl;
    `--variant v2` replays the sites a few days later (a time moved, events cancelled or
    taken off an agenda) and asks every page again.

    \b
    Examples:
        essagenda demo --out demo-output
        essagenda demo --out demo-output --variant v2
    """
    from scraper.sample import SAMPLE_CRAWL_DATE, SAMPLE_V2_CRAWL_DATE
    from scraper.sample.server import serve_sample

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db = db_path or str(out / "essagenda.db")
    site = out / "public"
    _refuse_publishing_the_database(db, site)
    # Every registry entry has a sample site, disabled ones (unconfirmed live domains) included.
    from spiders.registry import load_registry

    spiders = [entry.id for entry in load_registry()]
    server, base_url = serve_sample(port=0, variant=variant)
    click.echo(f"Serving the offline sample at {base_url}", err=True)
    try:
        with _locked(db):
            overrides = {
                "ESS_BASE_URL_OVERRIDE": base_url,
                "ESS_CRAWL_DATE": SAMPLE_CRAWL_DATE if variant == "v1" else SAMPLE_V2_CRAWL_DATE,
                # Our own loopback server: no need to wait between requests.
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                # The changed site must be asked again: cached v1 pages are still "fresh".
                **_cache_overrides(revalidate or variant != "v1", refresh),
            }
            outcomes = _crawl(spiders, db_path=db, overrides=overrides, progress=progress, verbose=verbose)
            # The sample is fixed in time, so the digests show its week, not today's: the one of
            # the Mois de l'ESS (its crawl week, 2026-W42, announces no event yet).
            _export(db, str(site), formats=EXPORT_FORMATS, now=datetime.now(UTC),
                    include_all=True, digest_day=SAMPLE_DIGEST_DAY)
    finally:
        server.shutdown()
    status = _print_outcomes(outcomes)
    click.echo(f"Database: {db}\nFeeds and programme: {site.resolve()}/index.html", err=True)
    sys.exit(status)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(db_path: str, host: str, port: int) -> None:
    """Explore the database in Datasette (needs `pip install essagenda[serve]`).

    Tables and columns are described, events are full-text searchable, and canned
    queries answer the usual questions (this week by région, online, cancelled, per source).

    \b
    Example:
        essagenda serve --db data/essagenda.db --port 8001
    """
    import importlib.util
    import os

    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette is not installed: pip install 'essagenda[serve]'")
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}; run `essagenda crawl` first")
    from storage.datasette import serve_command_args

    args = serve_command_args(db_path, host, port)
    click.echo(f"Datasette on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    os.execvp(args[0], args)


if __name__ == "__main__":  # pragma: no cover
    cli()
