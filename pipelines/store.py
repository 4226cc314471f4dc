"""Write events to SQLite in short batched transactions; confirm the records of unchanged pages."""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self, TypeVar

from scrapy.exceptions import NotConfigured

from scraper.items import Event, PageSeen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector
    from sqlite_utils import Database

    from storage.events import UpsertStats
    from storage.pages import PageRecord

T = TypeVar("T")
logger = logging.getLogger(__name__)


# --- the writer: where every SQLite call of the store runs ---------------------------------
# Either one thread per pipeline, or one process shared by every pipeline of a crawl
# (`start_writer_process`). Each writer keeps its own connections, by database path.

_writer_state = threading.local()


def _connections() -> tuple[dict[str, Database], Counter[str]]:
    if not hasattr(_writer_state, "dbs"):
        _writer_state.dbs, _writer_state.users = {}, Counter()
    return _writer_state.dbs, _writer_state.users


def _open(db_path: str) -> None:
    from storage.db import open_db

    dbs, users = _connections()
    if db_path not in dbs:
        dbs[db_path] = open_db(db_path)
    users[db_path] += 1


def _close(db_path: str) -> None:
    dbs, users = _connections()
    users[db_path] -= 1
    if users[db_path] <= 0 and db_path in dbs:
        del users[db_path]
        dbs.pop(db_path).close()


def _write(db_path: str, batch: list[Event], seen_at: datetime) -> tuple[list[str], UpsertStats]:
    from storage.events import upsert_events

    return [ev.id for ev in batch if ev.id], upsert_events(_connections()[0][db_path], batch, seen_at=seen_at)


def _confirm(db_path: str, source: str, urls: list[str], seen_at: str) -> set[str]:
    from storage.pages import load_pages, touch_records

    db = _connections()[0][db_path]
    known = load_pages(db, source)
    ids = [rid for url in urls for rid in (known[url].record_ids if url in known else [])]
    return touch_records(db, ids, seen_at=seen_at)


def _save(db_path: str, source: str, pages: list[PageRecord], at: str) -> None:
    from storage.pages import save_pages

    save_pages(_connections()[0][db_path], source, pages, at=at)


_writer_process: ProcessPoolExecutor | None = None


def start_writer_process() -> None:
    """One writer process for every store of this process's crawl; call before any thread
    starts (it is forked). SQLite's Python side then leaves the crawl's interpreter lock to
    the crawl (bench/crawl.py)."""
    global _writer_process
    stop_writer_process()
    if not hasattr(os, "fork"):
        return
    import multiprocessing

    from scraper.workers import tie_to_parent

    # The writer leaves when the crawl shuts it down, after the last batch, or dies with it
    # (WAL then undoes its open transaction).
    _writer_process = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                          initializer=tie_to_parent)
    _writer_process.submit(os.getpid).result()  # forks now, not from inside the reactor


def stop_writer_process() -> None:
    global _writer_process
    if _writer_process is not None:
        _writer_process.shutdown(wait=True)
        _writer_process = None


class SqliteStorePipeline:
    """Buffer events and upsert them `batch_size` at a time; flush on close.

    One transaction per item costs about a third of the crawl (see the performance notes);
    a batch per few hundred items costs nothing measurable and keeps readers unblocked.
    A `PageSeen` for an unchanged page moves its records' `last_seen` (no `events` row is
    written); one for a page read in full is kept, with the ids of the events it produced,
    and saved to `pages` on close. The ids of every record this crawl listed are sent with
    the `records_seen` signal on close, for the health extension's missing-event check.

    The database is only ever touched from one writer, which owns the connection and runs
    every call in order: the crawl's writer process when `start_writer_process` made one,
    else a thread of the pipeline's own (sqlite3 lets other threads run while a statement
    executes). Either way the crawl goes on reading pages while a batch is written. At most
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
        self.writer: Executor | None = None
        self.own_writer = False
        # Each batch's future, with what it was asked, to ask again if the writer process dies.
        self.pending: deque[tuple[Future[tuple[list[str], UpsertStats]], tuple[Any, ...]]] = deque()
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
        from spiders._base import page_seen

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
        self.own_writer = _writer_process is None
        self.writer = _writer_process or ThreadPoolExecutor(max_workers=1, thread_name_prefix="essagenda-store")
        try:
            self._on_writer(_open, self.db_path)
        except BaseException:
            self._release_writer()
            raise

    def _on_writer(self, call: Callable[..., T], *args: Any) -> T:
        """Run `call` on the writer (the connection's own) and wait for its result."""
        try:
            return self._submit(call, *args).result()
        except BrokenProcessPool:
            # The pool now refuses work, and _submit moves to a thread.
            return self._submit(call, *args).result()

    def _submit(self, call: Callable[..., T], *args: Any) -> Future[T]:
        assert self.writer is not None, "open_spider() first"
        try:
            return self.writer.submit(call, *args)
        except BrokenProcessPool:
            self._write_from_here()
            return self.writer.submit(call, *args)

    def _write_from_here(self) -> None:
        """The crawl's writer process died (killed, out of memory): go on with a thread of this
        process. A batch it may have committed is written again, which changes nothing."""
        logger.error("the database writer process died; %s goes on writing from the crawl", self.source or "a store")
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="essagenda-store")
        self.own_writer = True
        self.writer.submit(_open, self.db_path).result()

    def _send_batch(self, batch: list[Event]) -> None:
        args = (self.db_path, batch, batch[0].scraped_at or self._seen_at())
        self.pending.append((self._submit(_write, *args), args))

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
            batch, self.buffer = self.buffer, []
            self._send_batch(batch)
        if self.errors:
            raise self.errors.pop(0)

    def _collect(self, *, wait: bool) -> None:
        while self.pending and (wait or self.pending[0][0].done()):
            self._collect_oldest()

    def _collect_oldest(self) -> None:
        future, args = self.pending.popleft()
        try:
            try:
                ids, result = future.result()
            except BrokenProcessPool:
                ids, result = self._on_writer(_write, *args)
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
        from storage.events import utc_iso

        urls, self.pages_unchanged = self.pages_unchanged, []
        found = self._on_writer(_confirm, self.db_path, self.source, urls, utc_iso(self._seen_at()))
        self.seen_ids |= found
        self._inc("ess/store/confirmed", len(found))

    def save_pages(self) -> None:
        if not self.pages_read or self.source is None:
            return
        from storage.events import utc_iso
        from storage.pages import PageRecord

        pages = [
            PageRecord(url, seen.body_hash, seen.extractor, seen.events, list(seen.next_urls),
                       sorted(self.page_records.get(url, ())), seen.links)
            for url, seen in self.pages_read.items()
        ]
        self.pages_read = {}
        self._on_writer(_save, self.db_path, self.source, pages, utc_iso(self._seen_at()))

    def close_spider(self) -> None:
        try:
            if self.buffer:
                batch, self.buffer = self.buffer, []
                self._send_batch(batch)
            self._collect(wait=True)
            self.confirm_unchanged()
            # Saved last: a page is only skipped next time once its events are stored.
            if self.failed:
                logger.error("%s: some events could not be stored; their pages will be read again "
                             "next time", self.source)
            else:
                self.save_pages()
            if self.signals is not None and self.source is not None:
                from scraper.health import records_seen

                self.signals.send_catch_log(records_seen, source=self.source, record_ids=frozenset(self.seen_ids))
        finally:
            if self.writer is not None:
                try:
                    self._on_writer(_close, self.db_path)
                finally:
                    self._release_writer()
        if self.errors:
            raise self.errors.pop(0)

    def _release_writer(self) -> None:
        if self.writer is not None and self.own_writer:
            self.writer.shutdown()
        self.writer = None
