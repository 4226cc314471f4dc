"""HTTP cache pieces for incremental crawls: the cache policy, its storage and a port-independent cache key."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Self
from weakref import WeakKeyDictionary

from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy
from scrapy.settings import BaseSettings
from scrapy.utils.conf import closest_scrapy_cfg
from scrapy.utils.request import fingerprint

from scraper.urls import to_real

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response


class EssCachePolicy(RFC2616Policy):
    """RFC 2616 caching (conditional requests, 304s), except that a server error never
    validates the cached copy.

    Scrapy's policy answers a 5xx on revalidation with the cached page, as a browser would;
    a crawler must see the failure instead, so the crawl is reported degraded and incomplete
    and marks nothing missing. The cached copy stays in the cache for the next crawl.
    """

    def is_cached_response_valid(self, cachedresponse: Response, response: Response, request: Request) -> bool:
        if response.status >= 500:
            return False
        return super().is_cached_response_valid(cachedresponse, response, request)


class EssCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache storage; a relative HTTPCACHE_DIR goes beside the database
    when there is no project folder.

    Scrapy puts a relative HTTPCACHE_DIR in the `.scrapy/` folder beside scrapy.cfg. A deployed
    egg (Scrapyd) has no scrapy.cfg, and Scrapy then turns the cache off with a mere warning:
    every recrawl would fetch every page in full. Beside ESS_DB_PATH is where the CLI keeps it.
    """

    def __init__(self, settings: BaseSettings) -> None:
        cachedir = settings.get("HTTPCACHE_DIR") or "httpcache"
        db_path = settings.get("ESS_DB_PATH") or ""
        if db_path and not Path(cachedir).is_absolute() and not closest_scrapy_cfg():
            # A crawler's settings are frozen by now: the storage gets a copy of its own.
            settings = BaseSettings({**settings.copy_to_dict(),
                                     "HTTPCACHE_DIR": str(Path(db_path).resolve().parent / cachedir)})
        super().__init__(settings)


class SampleAwareFingerprinter:
    """Scrapy's default request fingerprint, computed on the real URL when requests go to a
    local copy (`ESS_BASE_URL_OVERRIDE`): the sample server gets a new port on every demo
    run, and the HTTP cache, keyed by fingerprint, must still find last run's pages."""

    def __init__(self, base_override: str = "") -> None:
        self.base = base_override.rstrip("/")
        self._cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.get("ESS_BASE_URL_OVERRIDE") or "")

    def fingerprint(self, request: Request) -> bytes:
        if not self.base or not request.url.startswith(self.base + "/"):
            return fingerprint(request)
        cached = self._cache.get(request)
        if cached is None:
            real = to_real(request.url, self.base)
            cached = fingerprint(request.replace(url=real) if real else request)
            self._cache[request] = cached
        return cached
