"""Scrapy settings for essagenda; environment overrides are read here and nowhere else."""

from __future__ import annotations

import os

from scrapy.settings import default_settings as _scrapy_defaults

# tldextract (used by the cookie middleware) would otherwise try to download the Public
# Suffix List with no timeout; the bundled copy is enough for cookie domains.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "essagenda"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identity and politeness: small association sites, crawled from cron.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_START_DELAY = float(os.getenv("ESS_DOWNLOAD_DELAY", "0.5"))
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(os.getenv("ESS_DOWNLOAD_DELAY", "0.5"))
# The delay is the least time between two requests to a site. Scrapy's default jitter would draw
# it between half and one and a half times that, and draw again at every wake-up of the slot:
# gaps as short as 0.25 s, and 0.61 s on average for a 0.5 s delay (bench/run.py).
DOWNLOAD_DELAY_JITTER = 0.0
DOWNLOAD_MAXSIZE = int(os.getenv("ESS_DOWNLOAD_MAXSIZE", str(8 * 1024 * 1024)))
DOWNLOAD_TIMEOUT = int(os.getenv("ESS_DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# A source's deadline: its crawl is closed (finish reason closespider_timeout) past it.
CLOSESPIDER_TIMEOUT = int(os.getenv("ESS_SOURCE_DEADLINE", "1200"))
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_TIMES = 2
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
USER_AGENT = os.getenv(
    "ESS_USER_AGENT",
    "essagenda/0.1 (+https://github.com/essagenda/essagenda; agenda of the French ESS)",
)

# Pipelines, in order: each does one thing. Places run before dates because the place fixes
# the time zone a local "18h" is read in (a Réunion event announced on a national site).
ITEM_PIPELINES = {
    "pipelines.crawl_context.CrawlContextPipeline": 100,
    "pipelines.clean.CleanPipeline": 200,
    "pipelines.places.PlacesPipeline": 300,
    "pipelines.dates.DatesPipeline": 400,
    "pipelines.validate.ValidatePipeline": 500,
    "pipelines.identity.IdentityPipeline": 600,
    "pipelines.store.SqliteStorePipeline": 900,
}

# Incremental crawls: conditional requests (ETag / Last-Modified) against a cache kept beside
# the database, so an unchanged site answers mostly 304 (or is not asked at all while its pages
# are fresh); ESS_REVALIDATE asks every page again, ESS_REFRESH refetches and re-reads everything.
HTTPCACHE_DIR = os.getenv("ESS_HTTPCACHE_DIR", "httpcache")
HTTPCACHE_ENABLED = os.getenv("ESS_HTTPCACHE", "1") != "0"
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 308, 401, 403, 404, 408, 429, 500, 502, 503, 504]
HTTPCACHE_POLICY = "scraper.httpcache.EssCachePolicy"
HTTPCACHE_STORAGE = "scraper.httpcache.EssCacheStorage"
REQUEST_FINGERPRINTER_CLASS = "scraper.httpcache.SampleAwareFingerprinter"

# Per-source health: writes one `crawls` row per spider run (ok / degraded / failed).
DOWNLOADER_MIDDLEWARES = {
    "scraper.middlewares.RedirectLoopMiddleware": 650,
    # Scrapy's meta refresh, minus the refresh to a javascript: (or any non-http) URL, which
    # it turns into a ValueError that loses the page: that page's own content is read instead.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scraper.middlewares.HttpOnlyMetaRefreshMiddleware": 580,
    # Both see a response or a failure before RetryMiddleware (550) decides to retry it.
    "scraper.middlewares.RetryAfterMiddleware": 560,
    "scraper.middlewares.SlowSiteMiddleware": 570,
}

EXTENSIONS = {
    "scraper.health.CrawlHealth": 500,
    "scraper.middlewares.RunDeadline": 510,
}
# Scrapy 2.19's successor of the telnet console, its remote control, is an HTTP server per crawler
# that runs code on request: not wanted on a cron box, and starting ~20 of them costs a recrawl
# seconds. It is left out of the base list: naming it in EXTENSIONS, even as None, makes Scrapy
# import it, and aiohttp with it, 0.1-0.2 s before every crawl's first request (bench/recrawl.py).
EXTENSIONS_BASE = {
    path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}

LOG_LEVEL = os.getenv("ESS_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# essagenda's own settings.
ESS_BASE_URL_OVERRIDE = os.getenv("ESS_BASE_URL_OVERRIDE", "")
"""'http://127.0.0.1:PORT' to point every source at a local copy (the offline sample)."""
ESS_CRAWL_DATE = os.getenv("ESS_CRAWL_DATE", "")
"""ISO date the crawl stands for (season bounds, year-less dates); empty = today. The demo sets it."""
ESS_DB_PATH = os.getenv("ESS_DB", "data/essagenda.db")
ESS_MAX_PAGES_PER_SOURCE = int(os.getenv("ESS_MAX_PAGES_PER_SOURCE", "300"))
ESS_MAX_DEPTH = int(os.getenv("ESS_MAX_DEPTH", "3"))
ESS_OPENAGENDA_KEY = os.getenv("ESS_OPENAGENDA_KEY", "")
"""Public key of an OpenAgenda account: its API v2 answers no request without one."""
ESS_STORE_BATCH_SIZE = int(os.getenv("ESS_STORE_BATCH_SIZE", "200"))
# Caps: what one hostile or broken site may cost a run. Each hit is counted (`ess/caps/<name>`),
# named in the crawl row's faults and makes the crawl incomplete.
ESS_MAX_BYTES_PER_SOURCE = int(os.getenv("ESS_MAX_BYTES_PER_SOURCE", str(64 * 1024 * 1024)))
ESS_MAX_EVENTS_PER_PAGE = int(os.getenv("ESS_MAX_EVENTS_PER_PAGE", "500"))
ESS_MAX_EVENTS_PER_SOURCE = int(os.getenv("ESS_MAX_EVENTS_PER_SOURCE", "5000"))
ESS_RETRY_AFTER_MAX = int(os.getenv("ESS_RETRY_AFTER_MAX", "120"))
"""Longest Retry-After (seconds) waited before a retry; a site asking more is not retried."""
ESS_RUN_DEADLINE = int(os.getenv("ESS_RUN_DEADLINE", "3600"))
"""Seconds after the run's start past which every source still crawling is closed."""
ESS_SLOW_SITE_TIMEOUT = int(os.getenv("ESS_SLOW_SITE_TIMEOUT", "10"))
ESS_SLOW_SITE_TIMEOUTS = int(os.getenv("ESS_SLOW_SITE_TIMEOUTS", "3"))
"""After this many timed-out requests a source is slow: its next requests get ESS_SLOW_SITE_TIMEOUT, no retry."""
ESS_SOURCE_DEADLINE = CLOSESPIDER_TIMEOUT
ESS_REVALIDATE = os.getenv("ESS_REVALIDATE", "0") == "1"
"""Ask every site whether each page changed (conditional requests) instead of trusting fresh cached copies."""
ESS_REFRESH = os.getenv("ESS_REFRESH", "0") == "1"
"""Full refresh: refetch every page in full and extract it again, whatever the cache holds."""
