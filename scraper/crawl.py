"""Run spiders in-process and report, per source, what each crawl did."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
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


class QuietFailures(logging.Filter):
    """What cron mails, without --verbose: no traceback, and no line per failed request.

    Scrapy's retry and robots.txt middlewares log each unreachable URL as an ERROR with its
    traceback; the spider counts those URLs and the run sums them up per source, in plain
    words. Other errors stay, one line each.
    """

    NOISY = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.NOISY):
            return False
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _install_cron_handler(settings: Any) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(settings.get("LOG_LEVEL"))
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.addFilter(QuietFailures())
    logging.getLogger().addHandler(handler)
    return handler


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


class CrawlInterrupted(Exception):
    """A signal (Ctrl-C, SIGTERM) stopped the crawl: its outcomes so far, and the signal."""

    def __init__(self, signum: int, outcomes: list[SourceOutcome]) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.outcomes = outcomes


def run_crawl(
    spiders: list[Any],
    *,
    db_path: str | Path,
    overrides: dict[str, Any] | None = None,
    progress: bool | None = None,
    verbose: bool = False,
) -> list[SourceOutcome]:
    """Crawl every spider (a registry name or a Spider class) in one reactor; return outcomes.

    Scrapy's reactor can start once per process, so call this once per command. A first
    SIGINT or SIGTERM lets every crawl close (their rows say 'interrupted'), a second one stops
    at once (their rows are marked so here); either way CrawlInterrupted is raised.
    """
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    # Until Scrapy installs its own handlers, a stop request is remembered here, not lost.
    early: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: early.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        outcomes = _run(spiders, db_path=db_path, overrides=overrides, progress=progress, verbose=verbose,
                        early=early, signals=signals, process_class=CrawlerProcess)
    except CrawlInterrupted:
        # The process is on its way out with 130 or 143: one more Ctrl-C must not turn that
        # into a KeyboardInterrupt halfway through the report.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        raise
    for sig, handler in previous.items():
        signal.signal(sig, handler)
    return outcomes


def _run(spiders: list[Any], *, db_path: str | Path, overrides: dict[str, Any] | None, progress: bool | None,
         verbose: bool, early: list[int], signals: Any, process_class: type[Any]) -> list[SourceOutcome]:
    sync_registry(db_path)
    settings = project_settings(db_path, overrides)
    if progress is None:
        progress = sys.stderr.isatty()
    if verbose:
        settings.set("LOG_LEVEL", "DEBUG", priority="cmdline")
    elif progress:
        settings.set("LOG_ENABLED", False, priority="cmdline")
    else:
        # Cron mails whatever is printed: the sources' summary says what failed and why; the log
        # adds only errors nobody counted, one line each.
        settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
    quiet = not (progress or verbose)
    # Cron mode installs its own handler: Scrapy's would be replaced by each crawler's, filters and all.
    settings.set("LOG_INSTALL_ROOT_HANDLER", not (progress or quiet), priority="cmdline")
    process = _stoppable(process_class)(settings)
    cron_handler = _install_cron_handler(settings) if quiet else None
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
        if early:
            raise CrawlInterrupted(early[0], [])
        _start_in_turn(process, crawlers)
    finally:
        gc.set_threshold(*thresholds)
        if live is not None:
            live.stop()
        if cron_handler is not None:
            logging.getLogger().removeHandler(cron_handler)
    names = [c.spidercls.name for c in crawlers]
    stopped_by = process.stopped_by or (early[0] if early else None)
    if stopped_by is not None:
        from storage.db import open_db
        from storage.write import mark_interrupted

        db = open_db(db_path)
        try:
            mark_interrupted(db, names)
        finally:
            db.close()
        raise CrawlInterrupted(stopped_by, collect_outcomes(db_path, names, stats_by_source, interrupted=True))
    return collect_outcomes(db_path, names, stats_by_source)


def _stoppable(process_class: type[Any]) -> type[Any]:
    """`process_class` remembering the signal that stopped it (Scrapy handles the signal itself)."""

    class StoppableProcess(process_class):  # type: ignore[misc]
        stopped_by: int | None = None

        def _signal_shutdown(self, signum: int, frame: Any) -> None:
            self.stopped_by = signum
            super()._signal_shutdown(signum, frame)

        def _signal_kill(self, signum: int, frame: Any) -> None:
            self.stopped_by = self.stopped_by or signum
            super()._signal_kill(signum, frame)

    return StoppableProcess


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
    from twisted.internet import reactor as installed

    reactor: Any = installed  # Twisted types the name as its module, not as the reactor it is

    def stop(_: object) -> None:
        with contextlib.suppress(RuntimeError):  # already stopping: a signal asked first
            reactor.stop()

    def start_next(rest: list[Any]) -> None:
        # A stop asked for (SIGINT, SIGTERM) while crawlers are still being started: the rest
        # stay unstarted, and the reactor stops once the started ones have closed.
        stopping = getattr(process, "stopped_by", None) is not None
        try:
            if rest and not stopping:
                process.crawl(rest[0])
        finally:
            if len(rest) > 1 and not stopping:
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
    db_path: str | Path, names: list[str], stats_by_source: dict[str, dict[str, Any]], *, interrupted: bool = False
) -> list[SourceOutcome]:
    """Outcome per source from the newest crawl row, falling back on the in-memory stats (a
    source the run never reached, when `interrupted`, is 'interrupted' rather than 'failed')."""
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
        if interrupted and name not in stats_by_source and row is not None and row.get("status") != "interrupted":
            row = None  # a previous run's row: this run stopped before this crawl began
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
                status="interrupted" if interrupted else "failed",
                pages=stats.get("response_received_count", 0),
                events=stats.get("item_scraped_count", 0),
                errors=stats.get("log_count/ERROR", 0),
                message="the run was stopped before this crawl began" if interrupted else "no crawl row was recorded",
                stats=stats,
            ))
    return outcomes


def _start_progress(crawlers: list[Any]) -> Any:
    """A live table on the terminal: pages, events and errors per source, refreshed twice a second."""
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table
    from scrapy.utils.reactor import install_reactor
    from twisted.internet import task

    if crawlers:
        # The table shows before the first crawl starts and installs the reactor its settings ask
        # for: the LoopingCall below must not install Twisted's default one first.
        settings = crawlers[0].settings
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    console = Console(stderr=True)

    def render() -> Table:
        table = Table(title="essagenda crawl", expand=False)
        for column in ("source", "pages", "events", "errors", "state"):
            table.add_column(column, justify="right" if column in ("pages", "events", "errors") else "left")
        for crawler in crawlers:
            try:
                stats = crawler.stats.get_stats()
            except RuntimeError:  # Scrapy sets a crawler's stats when its crawl starts
                stats = {"finish_reason": "waiting"}
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
