"""Write events to SQLite in short batched transactions; confirm the records of unchanged pages."""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Self, TypeVar

from scrapy.exceptions import NotConfigured

from scraper.items import Event, PageSeen
from scraper.signals import page_seen, records_seen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector

    from storage.db import StorageUnavailable
    from storage.rows import UpsertStats

T = TypeVar("T")
logger = logging.getLogger(__name__)


class FailedRecord(NamedTuple):
    """An event the database refused on its own (a value SQLite cannot take): skipped, counted."""

    url: str
    record_id: str | None
    page_url: str | None
    reason: str


class Written(NamedTuple):
    """What one batch left in the database: the ids stored, the counts, the events refused."""

    ids: list[str]
    stats: UpsertStats
    failed: list[FailedRecord]


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
    filling memory.

    Failures, by what is to blame:

    - one event (a value SQLite refuses): the batch is written again event by event, the
      others are stored, that one is skipped, logged with its URL and counted in
      `ess/store/failed`; its page is not saved, so the next crawl reads it again;
    - the database for this transaction (an I/O error): the batch is lost, counted in
      `ess/store/failed` event by event, and the error is raised with the next item or on
      close; no page is saved;
    - the storage itself (full disk, read-only file or file system): nothing more can be
      written; `ess/store/unavailable` names the file and why, the crawl is stopped and no
      page is saved. The CLI exits 3 on it.

    Any of them makes the crawl degraded and incomplete (scraper.health), so it never flags
    events missing.
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
        stop_crawl: Callable[[], None] | None = None,
    ) -> None:
        if not db_path:
            raise NotConfigured("ESS_DB_PATH is not set")
        self.db_path = db_path
        self.batch_size = max(1, batch_size)
        self.stats = stats
        self.signals = signals
        self.seen_at = seen_at
        self.stop_crawl = stop_crawl
        self.db: Any = None
        self.writer: ThreadPoolExecutor | None = None
        self.pending: deque[tuple[Future[Written], list[Event]]] = deque()
        self.failed = False
        self.errors: list[Exception] = []
        self.unavailable: StorageUnavailable | None = None
        self.failed_pages: set[str] = set()
        self.buffer: list[Event] = []
        self.source: str | None = None
        self.seen_ids: set[str] = set()
        self.page_records: dict[str, set[str]] = {}
        self.pages_read: dict[str, PageSeen] = {}
        self.pages_unchanged: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        from scraper.clock import crawl_clock

        pipe = cls(
            crawler.settings.get("ESS_DB_PATH", ""),
            batch_size=crawler.settings.getint("ESS_STORE_BATCH_SIZE", 200),
            stats=crawler.stats,
            signals=crawler.signals,
            seen_at=crawl_clock(crawler.settings.get("ESS_CRAWL_DATE", "")),
            stop_crawl=lambda: _close_spider(crawler, "storage_unavailable"),
        )
        # Spiders hand pages over by signal rather than as items (see EssSpider._page_seen).
        crawler.signals.connect(pipe.page_seen, signal=page_seen)
        return pipe

    def open_spider(self) -> None:
        from storage.db import open_db

        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="essagenda-store")
        try:
            self.db = self._on_writer(open_db, self.db_path)
        except (OSError, sqlite3.Error) as exc:
            if not self._storage_failed(exc):
                raise

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
        if self.unavailable is not None:
            # The crawl is stopping: nothing more can be stored, and the run says so once.
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
            self._submit()
        if self.errors:
            raise self.errors.pop(0)

    def _write(self, batch: list[Event]) -> Written:
        """Store `batch` in one transaction; when one of its events is to blame, again event by
        event, skipping those refused. Runs on the writer thread."""
        from storage.db import StorageUnavailable, storage_failure
        from storage.rows import UpsertStats
        from storage.write import upsert_events

        seen_at = batch[0].scraped_at or self._seen_at()
        try:
            return Written([ev.id for ev in batch if ev.id], upsert_events(self.db, batch, seen_at=seen_at), [])
        except Exception as exc:  # sorted below: the storage's fault, or some event's
            if storage_failure(exc) is not None:
                raise StorageUnavailable(self.db_path, storage_failure(exc) or "") from exc
            if isinstance(exc, sqlite3.OperationalError):
                raise  # this transaction's, not an event's: the batch is lost and reported
        ids: list[str] = []
        total = UpsertStats()
        failed: list[FailedRecord] = []
        for ev in batch:
            try:
                total += upsert_events(self.db, [ev], seen_at=seen_at)
            except Exception as exc:  # whatever one event raises must not cost the others
                if storage_failure(exc) is not None:
                    raise StorageUnavailable(self.db_path, storage_failure(exc) or "") from exc
                failed.append(FailedRecord(ev.url, ev.id, ev.page_url, f"{type(exc).__name__}: {exc}"))
                continue
            if ev.id:
                ids.append(ev.id)
        return Written(ids, total, failed)

    def _submit(self) -> None:
        """Hand the buffer to the writer as one batch."""
        assert self.writer is not None, "open_spider() first"
        batch, self.buffer = self.buffer, []
        self.pending.append((self.writer.submit(self._write, batch), batch))

    def _collect(self, *, wait: bool) -> None:
        while self.pending and (wait or self.pending[0][0].done()):
            self._collect_oldest()

    def _collect_oldest(self) -> None:
        from storage.db import StorageUnavailable

        future, batch = self.pending.popleft()
        try:
            ids, result, failed = future.result()
        except StorageUnavailable as exc:
            self._storage_failed(exc)
            return
        except Exception as exc:  # noqa: BLE001 - raised by flush() or close_spider(), once
            self.failed = True
            self.errors.append(exc)
            # One line for the batch, not one per event: the error is the transaction's.
            logger.error("%s: a batch of %d events could not be stored (%s: %s), from %s",
                         self.source, len(batch), type(exc).__name__, exc, ", ".join(ev.url for ev in batch[:3])
                         + (" …" if len(batch) > 3 else ""))
            for ev in batch:
                self._record_failure(FailedRecord(ev.url, ev.id, ev.page_url, str(exc)), log=False)
            return
        self.seen_ids.update(ids)
        self._inc("ess/store/new", result.new)
        self._inc("ess/store/updated", result.updated)
        self._inc("ess/store/unchanged", result.unchanged)
        for record in failed:
            self._record_failure(record)

    def _record_failure(self, record: FailedRecord, *, log: bool = True) -> None:
        """Count (and log) an event that was not stored. Its page is read again next time; its id
        counts as listed, so no check takes the event for gone."""
        self._inc("ess/store/failed", 1)
        if log:
            logger.error("%s: event %s could not be stored: %s", self.source, record.url, record.reason)
        if record.page_url:
            self.failed_pages.add(record.page_url)
        if record.record_id:
            self.seen_ids.add(record.record_id)

    def _storage_failed(self, exc: BaseException) -> bool:
        """Take note, once, that the storage refuses writes (and stop the crawl); False when
        `exc` is no such failure."""
        from storage.db import StorageUnavailable, storage_failure

        reason = storage_failure(exc)
        if reason is None:
            return False
        if self.unavailable is None:
            self.unavailable = exc if isinstance(exc, StorageUnavailable) else StorageUnavailable(self.db_path, reason)
            if self.stats is not None:
                self.stats.set_value("ess/store/unavailable", str(self.unavailable))
            # The source is not known yet when the database cannot even be opened.
            logger.error("%s%s; the crawl stops, nothing more is stored",
                         f"{self.source}: " if self.source else "", self.unavailable)
            if self.stop_crawl is not None:
                self.stop_crawl()
        self.buffer = []
        return True

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
            if self.buffer and self.unavailable is None:
                self._submit()
            self._collect(wait=True)
            if self.unavailable is None:
                self._close_pages()
            if self.unavailable is None and self.signals is not None and self.source is not None:
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

    def _close_pages(self) -> None:
        """Confirm the unchanged pages' records, then save the pages read in full, but those
        with an event that was not stored: a page is only skipped next time once its events are."""
        try:
            self._on_writer(self.confirm_unchanged)
            if self.failed:
                logger.error("%s: some events could not be stored; their pages will be read again "
                             "next time", self.source)
                return
            for url in self.failed_pages:
                self.pages_read.pop(url, None)
            self._on_writer(self.save_pages)
        except (OSError, sqlite3.Error) as exc:
            if not self._storage_failed(exc):
                raise


def _close_spider(crawler: Crawler, reason: str) -> None:
    """Ask the engine to close the crawl (as the CloseSpider extension does)."""
    from scrapy.utils.defer import deferred_from_coro

    if crawler.engine is not None and crawler.engine.spider is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=reason))
