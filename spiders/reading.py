"""Reading fetched pages (their events, the links worth following) in a worker process.

A crawl runs in one thread: Scrapy's reactor downloads, dispatches and stores, and every
page it reads in that thread waits for the others. Reading a page is a pure function of its
bytes, so one worker process can do it while the reactor goes on with the next responses:
on two cores that takes the parsing off the crawl's critical path (bench/crawl.py).

The workers are forked once, before the crawl starts any thread, and never touch the
reactor, the database or the run lock. Jobs and answers travel over plain pipes that the
reactor's event loop watches, framed and pickled: no thread in the crawling process, whose
interpreter lock is the scarce resource. Without workers (one core, `ESS_READ_PROCESSES=0`,
a platform without fork) pages are read in the crawling process, with the same result; so
are the pages of a worker that died.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import struct
import time
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from scraper import workers

if TYPE_CHECKING:
    from spiders.extract import Extraction

logger = logging.getLogger(__name__)

# Extractors of machine-readable feeds, best first: their pages have no links to read.
FEED_EXTRACTORS = ("tribe", "openagenda", "ical", "rss")


class PageJob(NamedTuple):
    # A tuple: it crosses to the reader and back as cheaply as pickle allows.
    body: bytes
    url: str
    """The page's real URL (what events and links are resolved against)."""
    source: str
    content_type: str | None
    reference: date
    tz: str
    kind: str
    """The spider's name for the page's role: 'start', 'listing', 'detail', 'feed:…'."""
    max_month: date
    """The last calendar month worth paging to."""


class PageReading(NamedTuple):
    extraction: Extraction
    links: dict[str, Any] | None
    """Link candidates of an HTML page (see `links.link_candidates`); None for a feed."""


def read_page(job: PageJob) -> PageReading:
    """Events of a page and, for an HTML page, its link candidates; never raises."""
    from spiders import extract
    from spiders.extract import common, links

    result = extract.extract(job.body, url=job.url, source=job.source, content_type=job.content_type,
                             reference=job.reference, tz=job.tz)
    if job.kind.startswith("feed") or result.extractor in FEED_EXTRACTORS:
        return PageReading(result, None)
    try:
        html = common.decode_body(job.body, job.content_type)
        candidates = links.link_candidates(html, job.url, kind=job.kind, max_month=job.max_month)
    except Exception as exc:  # noqa: BLE001 - a page whose links cannot be read still has its events
        result.skipped[f"links/error/{type(exc).__name__}"] += 1
        candidates = {"event": [], "next": None, "agenda": []}
    return PageReading(result, candidates)


_FRAME = struct.Struct("!I")


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve(jobs: int, results: int) -> None:
    """A worker's life: read (id, job) frames, answer (id, reading) frames, until end of input."""
    workers.tie_to_parent()
    while (header := _read_exactly(jobs, _FRAME.size)) is not None:
        payload = _read_exactly(jobs, _FRAME.unpack(header)[0])
        if payload is None:
            break
        job_id, job = pickle.loads(payload)
        answer = pickle.dumps((job_id, read_page(job)), pickle.HIGHEST_PROTOCOL)
        os.write(results, _FRAME.pack(len(answer)))
        view = memoryview(answer)
        while view:
            view = view[os.write(results, view):]


class _Worker:
    """One forked reader and the two pipes to it, driven from the event loop (no thread)."""

    def __init__(self) -> None:
        jobs_r, self.jobs = os.pipe()
        self.results, results_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker
            try:
                os.close(self.jobs)
                os.close(self.results)
                _serve(jobs_r, results_w)
            finally:
                os._exit(0)
        os.close(jobs_r)
        os.close(results_w)
        # Another reader or the store's writer forked later must not keep this pipe open.
        workers.not_for_children(self.jobs)
        workers.not_for_children(self.results)
        os.set_blocking(self.jobs, False)
        os.set_blocking(self.results, False)
        self.outbox = bytearray()
        self.inbox = bytearray()
        self.pending: dict[int, tuple[asyncio.Future[PageReading], PageJob]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiting_to_write = False
        self.alive = True

    def submit(self, job_id: int, job: PageJob) -> asyncio.Future[PageReading]:
        loop = asyncio.get_running_loop()
        if self.loop is None:
            self.loop = loop
            loop.add_reader(self.results, self._receive)
        future: asyncio.Future[PageReading] = loop.create_future()
        self.pending[job_id] = (future, job)
        payload = pickle.dumps((job_id, job), pickle.HIGHEST_PROTOCOL)
        self.outbox += _FRAME.pack(len(payload)) + payload
        self._send()
        return future

    def _send(self) -> None:
        try:
            while self.outbox:
                del self.outbox[: os.write(self.jobs, self.outbox)]
        except BlockingIOError:
            pass
        except OSError:
            self._die()
            return
        assert self.loop is not None
        if self.outbox and not self.waiting_to_write:
            self.loop.add_writer(self.jobs, self._send)
            self.waiting_to_write = True
        elif not self.outbox and self.waiting_to_write:
            self.loop.remove_writer(self.jobs)
            self.waiting_to_write = False

    def _receive(self) -> None:
        try:
            chunk = os.read(self.results, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._die()
            return
        self.inbox += chunk
        while len(self.inbox) >= _FRAME.size:
            size = _FRAME.unpack_from(self.inbox)[0]
            if len(self.inbox) < _FRAME.size + size:
                break
            job_id, page = pickle.loads(self.inbox[_FRAME.size : _FRAME.size + size])
            del self.inbox[: _FRAME.size + size]
            future, _job = self.pending.pop(job_id)
            if not future.done():
                future.set_result(page)

    def _die(self) -> None:
        """The worker is gone: read what it left unanswered here."""
        if not self.alive:
            return
        self.alive = False
        logger.error("page reading worker %d died; reading its pages in the crawling process", self.pid)
        self.close()
        pending, self.pending = self.pending, {}
        for future, job in pending.values():
            if not future.done():
                future.set_result(read_page(job))

    def close(self) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.results)
            self.loop.remove_writer(self.jobs)
        for fd in (self.jobs, self.results):
            workers.for_children_again(fd)
            try:
                os.close(fd)
            except OSError:
                pass
        self.jobs = self.results = -1
        self.alive = False
        # End of input: the worker leaves once its current page is read; one stuck on a
        # page is not waited for long.
        deadline = time.monotonic() + 10
        try:
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.01)
        except ChildProcessError:
            pass


class PageReaders:
    """Worker processes reading pages, or none: `read` gives the same result either way."""

    def __init__(self, processes: int) -> None:
        self.workers: list[_Worker] = []
        if processes <= 0 or not hasattr(os, "fork"):
            return
        # Loaded before the fork, so that workers share the parsed modules instead of
        # importing them again.
        import spiders.extract
        import spiders.extract.links  # noqa: F401

        self.workers = [_Worker() for _ in range(processes)]
        self.next_id = 0

    async def read(self, job: PageJob) -> PageReading:
        live = [w for w in self.workers if w.alive]
        if not live:
            return read_page(job)
        worker = min(live, key=lambda w: len(w.pending))
        self.next_id += 1
        return await worker.submit(self.next_id, job)

    def close(self) -> None:
        gone, self.workers = self.workers, []
        for worker in gone:
            worker.close()


_readers: PageReaders | None = None


def start(processes: int) -> PageReaders:
    """Workers for this process's crawl (call before the reactor starts)."""
    global _readers
    stop()
    _readers = PageReaders(processes)
    return _readers


def stop() -> None:
    global _readers
    if _readers is not None:
        _readers.close()
        _readers = None


async def read(job: PageJob) -> PageReading:
    """Read a page in a worker when `start` made some, else here."""
    if _readers is None:
        return read_page(job)
    return await _readers.read(job)
