"""Run spiders in-process and report, per source, what each crawl did."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class SourceOutcome:
    """What one source's crawl did, read from its crawl row (or its stats when the row is missing)."""

    source: str
    status: str = "failed"
    pages: int = 0
    events: int = 0
    new: int = 0
    updated: int = 0
    errors: int = 0
    dates_unparsed: int = 0
    duration_s: float = 0.0
    message: str = ""
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return self.status == "ok"

    def summary_line(self) -> str:
        text = (
            f"{self.source}: {self.status.upper()} — {self.pages} pages, {self.events} events "
            f"({self.new} new, {self.updated} updated), {self.errors} errors"
        )
        if self.dates_unparsed:
            text += f", {self.dates_unparsed} dates unparsed"
        if self.message:
            text += f" — {self.message}"
        return text


def project_settings(db_path: str | Path, overrides: dict[str, Any] | None = None) -> Any:
    """Scrapy settings for this project with the database (and its HTTP cache) at `db_path`."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    db_path = Path(db_path)
    settings.set("ESS_DB_PATH", str(db_path), priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(db_path.parent.resolve() / "httpcache"), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(
    spiders: list[Any],
    *,
    db_path: str | Path,
    overrides: dict[str, Any] | None = None,
    progress: bool | None = None,
    verbose: bool = False,
) -> list[SourceOutcome]:
    """Crawl every spider (a registry name or a Spider class) in one reactor; return outcomes.

    Scrapy's reactor can start once per process, so call this once per command.
    """
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    sync_registry(db_path)
    settings = project_settings(db_path, overrides)
    if progress is None:
        progress = sys.stderr.isatty()
    if verbose:
        settings.set("LOG_LEVEL", "DEBUG", priority="cmdline")
    elif progress:
        settings.set("LOG_ENABLED", False, priority="cmdline")
    else:
        # Cron mails whatever is printed: warnings and errors, then the summary lines.
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", not progress, priority="cmdline")
    process = CrawlerProcess(settings)
    stats_by_source: dict[str, dict[str, Any]] = {}

    def remember_stats(spider: Any, reason: str) -> None:
        stats = dict(spider.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        stats_by_source[spider.name] = stats

    crawlers = []
    for spider in spiders:
        crawler = process.create_crawler(spider)
        crawler.signals.connect(remember_stats, signal=signals.spider_closed)
        crawlers.append(crawler)
    live = _start_progress(crawlers) if progress else None
    # Scrapy, its reactor and the gazetteer keep a large heap alive, which the cyclic collector
    # re-walks every 700 allocations by default: rarer collections cut the crawl's CPU time by
    # about a tenth (bench/crawl.py), for a little more cyclic garbage held between them.
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 50, 50)
    try:
        _start_in_turn(process, crawlers)
    finally:
        gc.set_threshold(*thresholds)
        if live is not None:
            live.stop()
    names = [c.spidercls.name for c in crawlers]
    return collect_outcomes(db_path, names, stats_by_source)


def _start_in_turn(process: Any, crawlers: list[Any]) -> None:
    """Run the crawlers in the process's reactor, one starting per reactor turn; return when all
    have finished.

    Building a crawler (settings, middlewares, download handlers, pipelines) costs tens of
    milliseconds of CPU. Built all before the reactor runs, no site was asked anything until the
    last one was ready, about a second for 14 sources (bench/run.py); started in turn, the first
    sources are fetched while the next are built, in the time a polite crawl spends waiting out
    its delays anyway.
    """
    if not crawlers:
        return
    # The first crawl installs the reactor the settings ask for (asyncio).
    process.crawl(crawlers[0])
    from twisted.internet import reactor

    def stop(_: object) -> None:
        with contextlib.suppress(RuntimeError):  # already stopping: a signal asked first
            reactor.stop()

    def start_next(rest: list[Any]) -> None:
        try:
            if rest:
                process.crawl(rest[0])
        finally:
            if len(rest) > 1:
                reactor.callLater(0, start_next, rest[1:])
            else:
                process.join().addBoth(stop)

    reactor.callWhenRunning(start_next, crawlers[1:])
    process.start(stop_after_crawl=False)


def sync_registry(db_path: str | Path) -> None:
    """Mirror the source registry into the `sources` table (names, régions, kinds for consolidation)."""
    from spiders.registry import load_registry
    from storage.db import open_db
    from storage.write import sync_sources

    db = open_db(db_path)
    try:
        sync_sources(db, ({
            "id": entry.id, "name": entry.name, "region_code": entry.region_code, "home_url": entry.home,
            "enabled": entry.enabled, "strategy": entry.strategy, "notes": entry.notes,
            "start_urls": list(entry.start_urls),
        } for entry in load_registry()))
    finally:
        db.close()


def collect_outcomes(
    db_path: str | Path, names: list[str], stats_by_source: dict[str, dict[str, Any]]
) -> list[SourceOutcome]:
    """Outcome per source from the newest crawl row, falling back on the in-memory stats."""
    from storage.db import open_db
    from storage.read import last_crawls

    db = open_db(db_path)
    try:
        rows = {row["source"]: row for row in last_crawls(db)}
    finally:
        db.close()
    outcomes = []
    for name in names:
        stats = stats_by_source.get(name, {})
        row = rows.get(name)
        if row is not None:
            outcomes.append(SourceOutcome(
                source=name,
                status=row.get("status") or "failed",
                pages=row.get("pages") or 0,
                events=row.get("events_seen") or 0,
                new=row.get("events_new") or 0,
                updated=row.get("events_updated") or 0,
                errors=row.get("errors") or 0,
                dates_unparsed=row.get("dates_unparsed") or 0,
                duration_s=row.get("duration_s") or 0.0,
                message=row.get("message") or "",
                stats=stats,
            ))
        else:
            outcomes.append(SourceOutcome(
                source=name,
                status="failed",
                pages=stats.get("response_received_count", 0),
                events=stats.get("item_scraped_count", 0),
                errors=stats.get("log_count/ERROR", 0),
                message="no crawl row was recorded",
                stats=stats,
            ))
    return outcomes


def _start_progress(crawlers: list[Any]) -> Any:
    """A live table on the terminal: pages, events and errors per source, refreshed twice a second."""
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table
    from twisted.internet import task

    console = Console(stderr=True)

    def render() -> Table:
        table = Table(title="essagenda crawl", expand=False)
        for column in ("source", "pages", "events", "errors", "state"):
            table.add_column(column, justify="right" if column in ("pages", "events", "errors") else "left")
        for crawler in crawlers:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            errors = sum(v for k, v in stats.items() if k.startswith("ess/http_errors") and isinstance(v, int))
            errors += stats.get("log_count/ERROR", 0)
            state = stats.get("finish_reason") or ("running" if crawler.crawling else "done")
            table.add_row(
                crawler.spidercls.name,
                str(stats.get("response_received_count", 0)),
                str(stats.get("item_scraped_count", 0)),
                str(errors),
                str(state),
            )
        return table

    live = Live(render(), console=console, refresh_per_second=2, transient=False)
    live.start()
    loop = task.LoopingCall(lambda: live.update(render()))
    loop.start(0.5, now=False)

    class _Handle:
        def stop(self) -> None:
            if loop.running:
                loop.stop()
            live.update(render())
            live.stop()

    return _Handle()
