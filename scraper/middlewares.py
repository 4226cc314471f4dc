"""Downloader middlewares and the run deadline: what a hostile or broken site may cost, and the
faults it causes named as such (redirect loops, refreshes to javascript:, Retry-After, trickling)."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.response import get_meta_refresh

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

RUN_DEADLINE_REASON = "run_deadline"
"""Finish reason of a crawl the run's deadline closed."""


class RedirectLoop(IgnoreRequest):
    """The site redirects in a circle (/a -> /b -> /a)."""


class RedirectLoopMiddleware:
    """Turn a circular redirect into a RedirectLoop failure.

    Without it Scrapy's duplicate filter drops the second visit silently and the crawl row
    never says the page could not be reached. It must see 3xx responses before
    RedirectMiddleware (600) does, so it is ordered after it.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not 300 <= response.status < 400 or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        visited = [*request.meta.get("redirect_urls", ()), request.url]
        if target in visited:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*visited, target])}")
        return response


class HttpOnlyMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta refresh, except to a URL that is not http(s): the page is read as it is.

    `<meta http-equiv=refresh content="0;url=javascript:…">` made Scrapy build a request it
    cannot make (ValueError) and lose the page; counted as `ess/skipped_urls/meta_refresh`.
    """

    def process_response(self, request: Request, response: Response, spider: Spider | None = None
                         ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not request.meta.get("dont_redirect"):
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if url and urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
                self.crawler.stats.inc_value("ess/skipped_urls/meta_refresh")
                return response
        return super().process_response(request, response)


def retry_after_seconds(value: bytes | str | None, *, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Honour Retry-After on 429 and 503 up to ESS_RETRY_AFTER_MAX seconds before the retry.

    Scrapy retries at once, whatever the site asked. A wait up to the bound delays only that
    request; a site asking more (an hour) is not retried this run: `ess/caps/retry_after`,
    and the crawl is degraded.
    """

    def __init__(self, crawler: Crawler, max_wait: float, max_retries: int) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_retries = max_retries

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off")
        return cls(crawler, settings.getfloat("ESS_RETRY_AFTER_MAX", 120), settings.getint("RETRY_TIMES"))

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503) or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None or wait <= 0:
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.max_retries):
            return response
        if wait > self.max_wait:
            request.meta["dont_retry"] = True
            self.crawler.stats.inc_value("ess/caps/retry_after")
            logger.warning("%s asks to wait %d s (Retry-After), more than %d s: not retried this run",
                           request.url, wait, self.max_wait)
            return response
        from scrapy.utils.asyncio import sleep

        await sleep(wait)
        return response


class SlowSiteMiddleware:
    """A source whose requests keep timing out is trickling: stop paying full timeouts and retries.

    After ESS_SLOW_SITE_TIMEOUTS timeouts in one crawl, its next requests get
    ESS_SLOW_SITE_TIMEOUT seconds and no retry (`ess/caps/slow_site`). Three tries of 30 s a
    page would hold a 300-page site, and the run lock, for hours.
    """

    def __init__(self, crawler: Crawler, after: int, timeout: float) -> None:
        self.crawler = crawler
        self.after = after
        self.timeout = timeout
        self.timeouts = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        after = settings.getint("ESS_SLOW_SITE_TIMEOUTS", 3)
        if after <= 0:
            raise NotConfigured("ESS_SLOW_SITE_TIMEOUTS is 0")
        return cls(crawler, after, settings.getfloat("ESS_SLOW_SITE_TIMEOUT", 10))

    @property
    def slow(self) -> bool:
        return self.timeouts >= self.after

    def process_request(self, request: Request) -> None:
        if self.slow:
            request.meta["download_timeout"] = min(self.timeout, request.meta.get("download_timeout", self.timeout))
            request.meta["dont_retry"] = True

    def process_exception(self, request: Request, exception: Exception) -> None:
        from scrapy.exceptions import DownloadTimeoutError
        from twisted.internet.error import TimeoutError as TxTimeoutError

        if not isinstance(exception, DownloadTimeoutError | TxTimeoutError):
            return
        self.timeouts += 1
        if self.timeouts == self.after:
            self.crawler.stats.inc_value("ess/caps/slow_site")
            logger.warning("%d requests timed out: the site is slow, its next requests get %d s and no retry",
                           self.timeouts, self.timeout)
        if self.slow:
            request.meta["dont_retry"] = True


class RunDeadline:
    """Close every crawl still running ESS_RUN_DEADLINE seconds after the run started.

    A run is the crawls of one process that overlap: it starts when the first opens (every
    crawl of `run_crawl` opens within its first second) and ends when the last one closes.
    Closed crawls finish with the reason `run_deadline`.
    """

    _running: ClassVar[set[RunDeadline]] = set()
    _run_started: ClassVar[float] = 0.0

    def __init__(self, crawler: Crawler, deadline: float) -> None:
        self.crawler = crawler
        self.deadline = deadline
        self.call: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        deadline = crawler.settings.getfloat("ESS_RUN_DEADLINE", 0)
        if deadline <= 0:
            raise NotConfigured("ESS_RUN_DEADLINE is 0")
        ext = cls(crawler, deadline)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        from scrapy.utils.asyncio import call_later

        if not RunDeadline._running:
            RunDeadline._run_started = time.monotonic()
        RunDeadline._running.add(self)
        left = max(0.0, RunDeadline._run_started + self.deadline - time.monotonic())
        self.call = call_later(left, self._close, spider)

    def _close(self, spider: Spider) -> None:
        from scrapy.utils.defer import deferred_from_coro

        stats, engine = self.crawler.stats, self.crawler.engine
        assert stats is not None and engine is not None
        stats.inc_value("ess/caps/run_deadline")
        logger.warning("%s: the run's deadline of %d s is reached, crawl closed", spider.name, self.deadline)
        # As Scrapy's CloseSpider extension closes a crawl past CLOSESPIDER_TIMEOUT.
        deferred_from_coro(engine.close_spider_async(reason=RUN_DEADLINE_REASON))

    def spider_closed(self, spider: Spider) -> None:
        RunDeadline._running.discard(self)
        if self.call is not None:
            self.call.cancel()
