"""Per-source crawl health: one `crawls` row per spider run, with an ok/degraded/failed status."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals

from scraper.clock import CrawlClock
from scraper.signals import records_seen

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

ERROR_RATIO_LIMIT = 0.3
"""More failed fetches than this share of all fetches makes a crawl degraded."""


@dataclass(frozen=True, slots=True)
class Health:
    status: str
    """'ok' | 'degraded' | 'failed' | 'interrupted'."""
    complete: bool
    message: str


def crawl_figures(stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl-row numbers out of a spider's Scrapy stats (keys counted by EssSpider and pipelines)."""
    by_extractor = {
        key.removeprefix("ess/events/"): value
        for key, value in stats.items()
        if key.startswith("ess/events/") and isinstance(value, int)
    }
    http_by_code = {
        key.removeprefix("ess/http_errors/"): value
        for key, value in stats.items()
        if key.startswith("ess/http_errors/") and isinstance(value, int)
    }
    faults = [
        {"kind": key.removeprefix("ess/"), "count": value}
        for key, value in sorted(stats.items())
        if key.startswith(("ess/net_errors/", "ess/skipped/", "ess/validate/", "ess/skipped_urls/", "ess/budget",
                           "ess/store/failed", "ess/caps/", "ess/unanswered/", "ess/unanswered_listings/",
                           "ess/encoding/"))
        and isinstance(value, int)
    ]
    http_errors = int(stats.get("ess/http_errors", 0))
    # A page the site failed to send but the HTTP cache stood in for is a failed fetch too.
    net_errors = int(stats.get("ess/net_errors", 0)) + int(stats.get("httpcache/errorrecovery", 0))
    code_errors = int(stats.get("spider_exceptions/count", 0)) + int(stats.get("ess/item_errors", 0))
    store_failed = int(stats.get("ess/store/failed", 0))
    return {
        "pages": int(stats.get("ess/pages", 0)),
        "events_seen": int(stats.get("ess/events", 0)),
        "events_new": int(stats.get("ess/store/new", 0)),
        "events_updated": int(stats.get("ess/store/updated", 0)),
        # Each failed URL once, and each page or item our code failed on: not log lines, which
        # Scrapy's retry and robots.txt middlewares write several times per URL, and timing-dependent.
        "errors": http_errors + net_errors + code_errors + store_failed,
        "http_errors": http_errors,
        "net_errors": net_errors,
        "http_errors_by_code": http_by_code,
        "dates_unparsed": int(stats.get("ess/dates/unparsed", 0)),
        "code_errors": code_errors,
        "caps": {key.removeprefix("ess/caps/"): value for key, value in sorted(stats.items())
                 if key.startswith("ess/caps/") and isinstance(value, int) and value},
        "unanswered": int(stats.get("ess/unanswered", 0)),
        "unanswered_fetch_errors": int(stats.get("ess/unanswered_fetch_errors", 0)),
        "unanswered_listings": sum(value for key, value in stats.items()
                                   if key.startswith("ess/unanswered_listings/") and isinstance(value, int)),
        "encoding_skipped": int(stats.get("ess/skipped/encoding", 0)),
        "store_failed": store_failed,
        "storage_error": stats.get("ess/store/unavailable"),
        "by_extractor": by_extractor,
        "faults": faults,
        "feed": stats.get("ess/feed"),
        "pages_unchanged": int(stats.get("ess/pages/unchanged", 0)),
        "requests_revalidated": int(stats.get("httpcache/revalidate", 0)),
        "requests_cached": int(stats.get("httpcache/hit", 0)),
    }


def assess(
    figures: dict[str, Any],
    *,
    previous_events: int | None,
    finish_reason: str,
    start_urls: int,
    start_ok: int,
    budget_refused: int = 0,
) -> Health:
    """Status of one crawl from its figures and the previous successful crawl's event count.

    failed: no page fetched, or the database could not be written; degraded: no events where
    the previous crawl had some, fetch errors above ERROR_RATIO_LIMIT, a page or an event our
    code failed on, or an event the database refused; ok otherwise. `complete` when the crawl ran to its end,
    every start URL answered and the page budget was not hit (only then may the store treat
    absent events as gone). A single failed fetch, even one the HTTP cache stood in for,
    makes a crawl incomplete: a page it did not read may list the events it did not see.
    An event page that got no answer (`unanswered`) does not: only its own events are not
    judged. A cap reached (`caps`) makes it incomplete; a Retry-After past its bound or a page
    in no readable encoding makes it degraded.
    """
    pages = figures["pages"]
    fetch_errors = figures["http_errors"] + figures["net_errors"]
    caps = figures.get("caps") or {}
    listing_errors = fetch_errors - figures.get("unanswered_fetch_errors", 0)
    complete = (finish_reason == "finished" and start_ok >= start_urls and budget_refused == 0
                and listing_errors == 0 and not caps and not figures.get("unanswered_listings"))
    if finish_reason == "shutdown":
        # Stopped by Ctrl-C or SIGTERM: what it did not reach says nothing about the site.
        return Health("interrupted", False, f"interrupted after {pages} pages")
    if figures.get("storage_error"):
        # Nothing more could be stored: what the crawl read is lost, whatever the site did.
        return Health("failed", False, f"the database could not be written: {figures['storage_error']}")
    if pages == 0:
        return Health("failed", False, f"no page fetched ({finish_reason})")
    reasons = []
    if figures["events_seen"] == 0 and previous_events:
        reasons.append(f"0 events (previous crawl had {previous_events})")
    attempts = pages + fetch_errors
    if attempts and fetch_errors / attempts > ERROR_RATIO_LIMIT:
        reasons.append(f"{fetch_errors} of {attempts} fetches failed")
    if figures.get("code_errors"):
        # A page or an item our own code failed on: its events may be lost, so say it loudly.
        complete = False
        reasons.append(f"{figures['code_errors']} pages or events failed in essagenda's code (see the log)")
    if figures.get("store_failed"):
        # Events the database refused: their records were not updated, so none may be judged gone.
        complete = False
        reasons.append(f"{figures['store_failed']} events could not be stored (see the log for their URLs)")
    if caps.get("retry_after"):
        reasons.append(f"{caps['retry_after']} pages asked to wait longer than the Retry-After bound: not retried")
    if figures.get("encoding_skipped"):
        reasons.append(f"{figures['encoding_skipped']} pages in no readable encoding were skipped")
    notes = []
    if caps:
        notes.append("caps reached: " + ", ".join(f"{name} ({count})" for name, count in caps.items()))
    if figures.get("unanswered"):
        notes.append(f"{figures['unanswered']} event pages unanswered, their events kept as listed")
    if figures.get("unanswered_listings"):
        notes.append(f"{figures['unanswered_listings']} pages lost to redirects to pages already asked for")
    if reasons:
        return Health("degraded", complete, "; ".join(reasons + notes))
    if not complete:
        notes.insert(0, f"incomplete ({finish_reason}, {start_ok}/{start_urls} start URLs)")
    note = "; ".join(notes)
    return Health("ok", complete, note)


class CrawlHealth:
    """Writes the crawl row: start_crawl on spider_opened, finish_crawl on spider_closed.

    The status also goes into the stats (`ess/health/status`), so a caller without the
    database still sees it.
    """

    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.crawl_id: int | None = None
        self.previous_events: int | None = None
        self.started = 0.0
        self.seen_ids: set[str] = set()
        self.clock = CrawlClock(crawler.settings.get("ESS_CRAWL_DATE", ""))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls(crawler, crawler.settings.get("ESS_DB_PATH") or "")
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.records_seen, signal=records_seen)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        return ext

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("ess/item_errors")

    def records_seen(self, source: str, record_ids: frozenset[str]) -> None:
        self.seen_ids |= record_ids

    def _open(self, spider: Spider) -> Any:
        """The database, or None when it refuses writes (noted by `_storage_failed`)."""
        from storage.db import open_db

        try:
            return open_db(self.db_path)
        except (OSError, sqlite3.Error) as exc:
            if self._storage_failed(spider, exc):
                return None
            raise

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        if not self.db_path:
            return
        from storage.read import previous_successful_event_count
        from storage.write import start_crawl, sync_sources

        db = self._open(spider)
        if db is None:
            return
        try:
            source = getattr(spider, "source", None)
            if source is not None:
                # The CLI mirrors the whole registry before it crawls; a crawl Scrapyd or
                # `scrapy crawl` starts must name its own source, or the feeds show its id.
                sync_sources(db, [{
                    "id": source.id, "name": source.name, "region_code": source.region_code,
                    "home_url": source.home, "enabled": source.enabled, "strategy": source.strategy,
                    "notes": source.notes, "start_urls": list(source.start_urls),
                }])
            self.crawl_id = start_crawl(db, spider.name, at=self.clock.now())
            self.previous_events = previous_successful_event_count(db, spider.name, before=self.crawl_id)
        except (OSError, sqlite3.Error) as exc:
            if not self._storage_failed(spider, exc):
                raise
        finally:
            db.close()

    def _storage_failed(self, spider: Spider, exc: BaseException) -> bool:
        """Note that the database refuses writes, in the stats the CLI exits 3 on, and say so in
        one line; False when `exc` is no such failure."""
        from storage.db import StorageUnavailable, storage_failure

        reason = storage_failure(exc)
        if reason is None:
            return False
        failure = StorageUnavailable(self.db_path, reason)
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value("ess/store/unavailable"):
            self.crawler.stats.set_value("ess/store/unavailable", str(failure))
        logger.error("%s: the crawl cannot be recorded: %s", spider.name, failure)
        return True

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        if reason == "closespider_timeout":
            stats.inc_value("ess/caps/source_deadline")
        settle = getattr(spider, "settle_dropped", None)
        if settle is not None:
            settle()
        figures = crawl_figures(stats.get_stats())
        unanswered: dict[str, str] = dict(getattr(spider, "unanswered", None) or {})
        figures["unanswered_urls"] = dict(sorted(unanswered.items()))
        health = assess(
            figures,
            previous_events=self.previous_events,
            finish_reason=reason,
            start_urls=len(getattr(spider, "start_urls", ()) or ()),
            start_ok=int(stats.get_value("ess/start_ok", 0)),
            budget_refused=int(stats.get_value("ess/budget_refused", 0)),
        )
        figures["duration_s"] = round(time.monotonic() - self.started, 3)
        figures["complete"] = health.complete
        figures["message"] = health.message
        figures["finish_reason"] = reason
        stats.set_value("ess/health/status", health.status)
        stats.set_value("ess/health/complete", health.complete)
        log = logger.warning if health.status != "ok" else logger.info
        log("%s: crawl %s%s", spider.name, health.status, f" ({health.message})" if health.message else "")
        if not self.db_path or self.crawl_id is None:
            return
        from storage.write import finish_crawl

        db = self._open(spider)
        if db is None:
            return
        try:
            finish_crawl(db, self.crawl_id, figures, health.status, complete=health.complete,
                         at=self.clock.now(), detect_missing=False)
            if health.status == "ok" and health.complete:
                missing = self._mark_missing(db, spider, unanswered=set(unanswered))
                stats.set_value("ess/missing", missing)
        except (OSError, sqlite3.Error) as exc:
            if not self._storage_failed(spider, exc):
                raise
        finally:
            db.close()

    def _mark_missing(self, db: Any, spider: Spider, *, unanswered: set[str] | None = None) -> int:
        """Flag the source's records this complete, healthy crawl no longer listed.

        Window: from the crawl date to the latest start date among the records it listed;
        events already past (an agenda drops them) or beyond what the crawl reached are not
        judged. Seen: the ids the store pipeline reported, so the crawl clock (fixed by
        ESS_CRAWL_DATE for the sample) does not matter. Records read from an `unanswered`
        event page (their URL, or the page's last reading) are not judged either.
        """
        from datetime import date

        from storage.write import mark_missing

        if not self.seen_ids:
            return 0
        ids = sorted(self.seen_ids)
        latest = None
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            value = db.execute(
                f"SELECT max(start_date) FROM event_sources WHERE id IN ({marks})", chunk
            ).fetchone()[0]
            if value is not None and (latest is None or value > latest):
                latest = value
        crawl_date = getattr(spider, "crawl_date", None) or self.clock.now().date()
        if latest is None or date.fromisoformat(latest) < crawl_date:
            return 0
        spared = unanswered_records(db, spider.name, unanswered) if unanswered else set()
        missing = mark_missing(
            db, spider.name, window_start=crawl_date, window_end=date.fromisoformat(latest),
            seen_record_ids=self.seen_ids | spared, at=self.clock.now(),
        )
        if missing:
            logger.warning("%s: %d event(s) no longer listed, marked missing", spider.name, missing)
        return missing


def unanswered_records(db: Any, source: str, urls: set[str]) -> set[str]:
    """Ids of the source's records that came from these event pages: the record's own URL, or
    the ids the `pages` table kept from the page's last reading."""
    ids: set[str] = set()
    chunks = sorted(urls)
    for start in range(0, len(chunks), 500):
        chunk = chunks[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        ids.update(rid for (rid,) in db.execute(
            f"SELECT id FROM event_sources WHERE source = ? AND url IN ({marks})", [source, *chunk]))
        for (record_ids,) in db.execute(
                f"SELECT record_ids FROM pages WHERE source = ? AND url IN ({marks})", [source, *chunk]):
            ids.update(json.loads(record_ids or "[]"))
    return ids


FAILING_AFTER = 2
"""An event page unanswered by this many consecutive crawls of its source is reported as failing."""


def failing_urls(crawls: list[dict[str, Any]]) -> dict[str, str]:
    """Event pages (URL -> last reason) left unanswered by each of a source's last FAILING_AFTER
    crawls, newest first in `crawls` (rows of the `crawls` table, `stats` as stored)."""
    recent = [c for c in crawls if c.get("status") not in ("running", "interrupted")][:FAILING_AFTER]
    if len(recent) < FAILING_AFTER:
        return {}
    sets = []
    for crawl in recent:
        stats = crawl.get("stats") or "{}"
        figures = json.loads(stats) if isinstance(stats, str) else stats
        sets.append(dict(figures.get("unanswered_urls") or {}))
    common = set(sets[0]).intersection(*sets[1:])
    return {url: sets[0][url] for url in sorted(common)}


def figures_json(figures: dict[str, Any]) -> str:
    """Figures as JSON (for logs and debugging)."""
    return json.dumps(figures, ensure_ascii=False, sort_keys=True, default=str)
