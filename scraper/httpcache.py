"""HTTP cache pieces for incremental crawls: the cache policy, its storage and a port-independent cache key."""

from __future__ import annotations

from pathlib import Path
from time import time
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


ABSENT_STATUSES = (404, 410)
ABSENT_LIFETIME = 7 * 24 * 3600
"""Seconds a probe's 404 stays known: a site that adds a feed is seen using it within a week."""


class EssCachePolicy(RFC2616Policy):
    """RFC 2616 caching (conditional requests, 304s), except that a server error never
    validates the cached copy, and that a probe's 404 is remembered for a week.

    Scrapy's policy answers a 5xx on revalidation with the cached page, as a browser would;
    a crawler must see the failure instead, so the crawl is reported degraded and incomplete
    and marks nothing missing. The cached copy stays in the cache for the next crawl.

    Discovery probes optional endpoints (The Events Calendar's API, sitemap.xml) that most sites
    lack. Their 404 carries no validator, so RFC 2616 never caches it, and every night asked
    again; they were the only requests an unchanged site still cost (bench/recrawl.py). A probe's
    404 or 410 (the request's `ess_probe` meta) is kept and served as fresh for ABSENT_LIFETIME
    from the response's Date; `--revalidate` and `--refresh` ask again. A page that is not a
    probe and answers 404 is an error, asked again every run.
    """

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if response.status in ABSENT_STATUSES and request.meta.get("ess_probe"):
            # Without a Date, Scrapy would take the cached copy's age for zero, forever.
            return b"Date" in response.headers and b"no-store" not in self._parse_cachecontrol(response)
        return super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        if cachedresponse.status not in ABSENT_STATUSES:
            return super().is_cached_response_fresh(cachedresponse, request)
        asked = self._parse_cachecontrol(request)
        if b"no-cache" in asked:
            return False
        lifetime = ABSENT_LIFETIME
        max_age = self._get_max_age(asked)
        if max_age is not None:
            lifetime = min(lifetime, max_age)
        return self._compute_current_age(cachedresponse, request, time()) < lifetime

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
