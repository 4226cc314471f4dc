"""The published feeds: which events each scope holds, and writing every feed file, its map and their OPML list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipelines.normalize.fr_data import DEFAULT_TIMEZONE, DEPARTMENTS, REGIONS, region_timezone
from storage.exporters import FeedInfo, Row
from storage.exporters.geojson import iter_geojson
from storage.exporters.ical import iter_ical
from storage.exporters.jsonfeed import iter_jsonfeed
from storage.exporters.opml import OpmlFeed, render_opml
from storage.exporters.paths import (
    FEED_FORMATS,
    FORMATS,
    OPML_PATH,
    feed_paths,
    region_code,
    region_page_path,
)
from storage.exporters.rss import iter_rss
from storage.exporters.writer import write_atomic

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_BASE_URL = "https://essagenda.fr/"
DEFAULT_TITLE = "Agenda de l'ESS"


@dataclass(frozen=True)
class FeedSpec:
    """One feed scope: what it holds (the iter_events filters) and where its files go."""

    kind: str
    key: str | None
    title: str
    description: str
    page: str
    """Site-relative HTML page the feed mirrors ('' for the home page)."""
    region: str | None = None
    department: str | None = None
    online_only: bool = False

    @property
    def paths(self) -> dict[str, str]:
        return feed_paths(self.kind, self.key)

    @property
    def timezones(self) -> tuple[str, ...]:
        """Zones most of its events use, declared before the iCalendar events."""
        if self.department:
            return (region_timezone(DEPARTMENTS[self.department][1]),)
        if self.region:
            return (region_timezone(self.region),)
        return (DEFAULT_TIMEZONE,)


def feed_specs(
    *, region: str | None = None, department: str | None = None, title: str = DEFAULT_TITLE
) -> list[FeedSpec]:
    """Every feed of a publication, national first. A `region` or `department` filter keeps only
    the feeds named for it (that région and its départements, or that département): a subset
    never goes out under the national, online or a whole région's file names."""
    if department is not None and department not in DEPARTMENTS:
        raise ValueError(f"unknown département: {department!r}")
    wanted_region = region_code(region) if region else None
    if department and wanted_region and DEPARTMENTS[department][1] != wanted_region:
        raise ValueError(f"département {department} is not in région {wanted_region}")
    filtered = wanted_region is not None or department is not None
    specs = [] if filtered else [
        FeedSpec(
            "national",
            None,
            f"{title} : France",
            "Tous les événements de l'ESS en France.",
            "",
            region=wanted_region,
            department=department,
        ),
        FeedSpec(
            "online",
            None,
            f"{title} : en ligne",
            "Les événements de l'ESS à suivre en ligne.",
            "",
            region=wanted_region,
            department=department,
            online_only=True,
        ),
    ]
    for code, info in REGIONS.items():
        if wanted_region not in (None, code) or department is not None:
            continue
        specs.append(
            FeedSpec(
                "region",
                code,
                f"{title} : {info.name}",
                f"Les événements de l'ESS en {info.name}.",
                region_page_path(code),
                region=code,
            )
        )
    for code, (name, parent) in DEPARTMENTS.items():
        if wanted_region not in (None, parent) or department not in (None, code):
            continue
        specs.append(
            FeedSpec(
                "departement",
                code,
                f"{title} : {name} ({code})",
                f"Les événements de l'ESS dans le département {name} ({code}).",
                region_page_path(parent),
                department=code,
            )
        )
    return specs


@dataclass(frozen=True)
class PublishedFeed:
    kind: str
    key: str | None
    title: str
    paths: dict[str, str]
    events: int


@dataclass
class PublishReport:
    """What `publish` wrote: one entry per feed scope, every path relative to `out_dir`."""

    out_dir: Path
    date_from: date | None
    date_to: date | None
    feeds: list[PublishedFeed] = field(default_factory=list)
    opml: str | None = None
    files: int = 0
    bytes_written: int = 0

    @property
    def events(self) -> int:
        """Events in the national feed, i.e. in the whole publication."""
        return self.feeds[0].events if self.feeds else 0

    def __str__(self) -> str:
        if self.date_from and self.date_to:
            window = f"{self.date_from} to {self.date_to}"
        elif self.date_from:
            window = f"from {self.date_from}"
        elif self.date_to:
            window = f"until {self.date_to}"
        else:
            window = "every date"
        return (
            f"Feeds: {self.events} event(s) ({window}), {len(self.feeds)} feeds,"
            f" {self.files} files, {self.bytes_written / 1_000_000:.1f} MB written to {self.out_dir}"
        )


class _Counter:
    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.count += 1
            yield row


Exporter = Callable[[Iterable[Row], FeedInfo, FeedSpec], Iterator[bytes]]
EXPORTERS: dict[str, Exporter] = {
    "rss": lambda rows, info, spec: iter_rss(rows, feed=info),
    "json": lambda rows, info, spec: iter_jsonfeed(rows, feed=info),
    "ics": lambda rows, info, spec: iter_ical(rows, feed=info, timezones=spec.timezones),
    "geojson": lambda rows, info, spec: iter_geojson(rows),
}


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path if path else base_url.rstrip("/") + "/"


def publish(
    db: Database,
    out_dir: Path,
    *,
    now: datetime,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    include_all: bool = False,
    formats: Iterable[str] = FORMATS,
    base_url: str = DEFAULT_BASE_URL,
    title: str = DEFAULT_TITLE,
    iter_events: Callable[..., Iterable[Row]] | None = None,
) -> PublishReport:
    """Write every feed of `db` into `out_dir` (each file atomically) and the OPML list of them.
    Beside each feed goes its GeoJSON map ('geojson', in `formats` by default), which holds the
    feed's events that have coordinates and, being no subscription, is not in the OPML list.

    Window: events overlapping [date_from, date_to]; without `date_from` it starts today in
    Paris (upcoming events), unless `include_all`, which publishes every date. Events no source
    lists any more stay in the feeds with a "[RETIRÉ]" label. `now` is the generation time
    (RSS lastBuildDate, iCalendar DTSTAMP). Each feed and format runs its own query, streamed
    straight into its file, so memory does not grow with the number of events.
    `iter_events` defaults to `storage.read.iter_events` (a stand-in can be passed in tests).
    """
    formats = tuple(formats)
    unknown = [fmt for fmt in formats if fmt not in EXPORTERS]
    if unknown:
        raise ValueError(f"unknown feed format(s): {', '.join(unknown)}")
    if iter_events is None:
        from storage.read import iter_events as stored_events

        iter_events = stored_events
    if date_from is None and not include_all:
        date_from = now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
    out = Path(out_dir)
    report = PublishReport(out_dir=out, date_from=date_from, date_to=date_to)
    specs = feed_specs(region=region, department=department, title=title)
    for spec in specs:
        count = 0
        for fmt in formats:
            path = spec.paths[fmt]
            info = FeedInfo(
                title=spec.title,
                link=_absolute(base_url, spec.page),
                description=spec.description,
                feed_url=_absolute(base_url, path),
                generated_at=now,
            )
            rows = _Counter(
                iter_events(
                    db,
                    date_from=date_from,
                    date_to=date_to,
                    region=spec.region,
                    department=spec.department,
                    online_only=spec.online_only,
                    include_all=True,
                )
            )
            report.bytes_written += write_atomic(out / path, EXPORTERS[fmt](rows, info, spec))
            report.files += 1
            count = rows.count
        report.feeds.append(PublishedFeed(spec.kind, spec.key, spec.title, spec.paths, count))
    subscribable = tuple(fmt for fmt in formats if fmt in FEED_FORMATS)
    if subscribable and not (region or department):
        # The OPML file lists the whole publication: a filtered export leaves it alone.
        report.opml = OPML_PATH
        report.bytes_written += write_atomic(out / OPML_PATH, [_opml(specs, subscribable, base_url, title, now)])
        report.files += 1
    return report


_GROUPS = (
    ("national", "France"),
    ("online", "En ligne"),
    ("region", "Régions"),
    ("departement", "Départements"),
)


def _opml(specs: list[FeedSpec], formats: tuple[str, ...], base_url: str, title: str, now: datetime) -> bytes:
    groups: list[tuple[str, list[OpmlFeed]]] = []
    for kind, label in _GROUPS:
        feeds = [
            OpmlFeed(
                spec.title,
                _absolute(base_url, spec.page),
                {fmt: _absolute(base_url, spec.paths[fmt]) for fmt in formats},
            )
            for spec in specs
            if spec.kind == kind
        ]
        groups.append((label, feeds))
    return render_opml(groups, title=f"{title} : tous les flux", generated_at=now)
