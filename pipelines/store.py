"""Write events to SQLite in short batched transactions; confirm the records of unchanged pages."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self, TypeVar

from scrapy.exceptions import NotConfigured

from scraper.items import Event, PageSeen
from scraper.signals import page_seen, records_seen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector

    from storage.rows import UpsertStats

T = TypeVar("T")
logger = logging.getLogger(__name__)


class SqliteStorePipeline:
    """Buffer events and upsert them `batch_size` at a time; flush on close.

    One transaction per item costs about a third of the crawl (see the performance notes);
    a batch per few hundred items costs nothing measurable and keeps readers unblocked.
    A `PageSeen` for an unchanged page moves its records' `last_seen` (no `events` row is
    written); one for a page read in full is kept, with the ids of the events it produced,
    and saved to `pages` on close. The ids of every record this crawl listed are sent with
    the `records_seen` signal on close, for the health extension's missing-event check.

    The database is only ever touched from one writer thread, which owns the connection and
    runs every call in order. sqlite3 lets other threads run while a statement executes, so
    the crawl goes on reading pages while a batch is written (bench/crawl.py). At most
    `MAX_PENDING` batches wait for the writer: a slower disk slows the crawl down instead of
    filling memory. A batch that fails is reported with the next item or on close; the pages
    are then not saved, so the next crawl reads them again instead of trusting lost records.
    """

    MAX_PENDING = 2

    def __init__(
        self,
        db_path: str,
        *,
        batch_size: int = 200,
        stats: StatsCollector | None = None,
        signals: SignalManager | None = None,
        seen_at: datetime | None = None,
    ) -> None:
        if not db_path:
            raise NotConfigured("ESS_DB_PATH is not set")
        self.db_path = db_path
        self.batch_size = max(1, batch_size)
        self.stats = stats
        self.signals = signals
        self.seen_at = seen_at
        self.db: Any = None
        self.writer: ThreadPoolExecutor | None = None
        self.pending: deque[Future[tuple[list[str], UpsertStats]]] = deque()
        self.failed = False
        self.errors: list[Exception] = []
        self.buffer: list[Event] = []
        self.source: str | None = None
        self.seen_ids: set[str] = set()
        self.page_records: dict[str, set[str]] = {}
        self.pages_read: dict[str, PageSeen] = {}
        self.pages_unchanged: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        from pipelines.stamp import crawl_clock

        pipe = cls(
            crawler.settings.get("ESS_DB_PATH", ""),
            batch_size=crawler.settings.getint("ESS_STORE_BATCH_SIZE", 200),
            stats=crawler.stats,
            signals=crawler.signals,
            seen_at=crawl_clock(crawler.settings.get("ESS_CRAWL_DATE", "")),
        )
        # Spiders hand pages over by signal rather than as items (see EssSpider._page_seen).
        crawler.signals.connect(pipe.page_seen, signal=page_seen)
        return pipe

    def open_spider(self) -> None:
        from storage.db import open_db

        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="essagenda-store")
        self.db = self._on_writer(open_db, self.db_path)

    def _on_writer(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `call` on the writer thread (the connection's own) and wait for its result."""
        assert self.writer is not None, "open_spider() first"
        return self.writer.submit(call, *args, **kwargs).result()

    def page_seen(self, page: PageSeen) -> None:
        self.source = page.source
        if page.unchanged:
            self.pages_unchanged.append(page.page_url)
        else:
            self.pages_read[page.page_url] = page

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if isinstance(item, PageSeen):
            self.page_seen(item)
            return item
        self.source = item.source
        if item.page_url and item.id:
            self.page_records.setdefault(item.page_url, set()).add(item.id)
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def _inc(self, key: str, count: int) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def flush(self) -> None:
        """Hand the buffered events to the writer; raise the error of a batch that failed."""
        self._collect(wait=False)
        if self.buffer:
            while len(self.pending) >= self.MAX_PENDING:
                self._collect_oldest()
            assert self.writer is not None, "open_spider() first"
            batch, self.buffer = self.buffer, []
            self.pending.append(self.writer.submit(self._write, batch))
        if self.errors:
            raise self.errors.pop(0)

    def _write(self, batch: list[Event]) -> tuple[list[str], UpsertStats]:
        from storage.write import upsert_events

        seen_at = batch[0].scraped_at or self._seen_at()
        return [ev.id for ev in batch if ev.id], upsert_events(self.db, batch, seen_at=seen_at)

    def _collect(self, *, wait: bool) -> None:
        while self.pending and (wait or self.pending[0].done()):
            self._collect_oldest()

    def _collect_oldest(self) -> None:
        future = self.pending.popleft()
        try:
            ids, result = future.result()
        except Exception as exc:  # noqa: BLE001 - raised by flush() or close_spider(), once
            self.failed = True
            self.errors.append(exc)
            return
        self.seen_ids.update(ids)
        self._inc("ess/store/new", result.new)
        self._inc("ess/store/updated", result.updated)
        self._inc("ess/store/unchanged", result.unchanged)

    def _seen_at(self) -> datetime:
        return self.seen_at or datetime.now(UTC)

    def confirm_unchanged(self) -> None:
        """Move `last_seen` of the records the unchanged pages produced last time."""
        if not self.pages_unchanged or self.source is None:
            return
        from storage.read import load_pages
        from storage.rows import utc_iso
        from storage.write import touch_records

        known = load_pages(self.db, self.source)
        ids = [rid for url in self.pages_unchanged for rid in (known[url].record_ids if url in known else [])]
        self.pages_unchanged = []
        found = touch_records(self.db, ids, seen_at=utc_iso(self._seen_at()))
        self.seen_ids |= found
        self._inc("ess/store/confirmed", len(found))

    def save_pages(self) -> None:
        if not self.pages_read or self.source is None:
            return
        from storage.rows import PageRecord, utc_iso
        from storage.write import save_pages

        pages = [
            PageRecord(url, seen.body_hash, seen.extractor, seen.events, list(seen.next_urls),
                       sorted(self.page_records.get(url, ())), seen.links)
            for url, seen in self.pages_read.items()
        ]
        self.pages_read = {}
        save_pages(self.db, self.source, pages, at=utc_iso(self._seen_at()))

    def close_spider(self) -> None:
        try:
            if self.buffer:
                assert self.writer is not None, "open_spider() first"
                self.pending.append(self.writer.submit(self._write, self.buffer))
                self.buffer = []
            self._collect(wait=True)
            self._on_writer(self.confirm_unchanged)
            # Saved last: a page is only skipped next time once its events are stored.
            if self.failed:
                logger.error("%s: some events could not be stored; their pages will be read again "
                             "next time", self.source)
            else:
                self._on_writer(self.save_pages)
            if self.signals is not None and self.source is not None:
                self.signals.send_catch_log(records_seen, source=self.source, record_ids=frozenset(self.seen_ids))
        finally:
            if self.writer is not None:
                if self.db is not None:
                    self.writer.submit(self.db.close).result()
                self.writer.shutdown()
            self.db = None
            self.writer = None
        if self.errors:
            raise self.errors.pop(0)
