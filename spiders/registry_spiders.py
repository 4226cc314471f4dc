"""One Spider class per registry entry (so `scrapy list` and `scrapy crawl <id>` see them all),
and `make_url_spider` for ad-hoc agenda URLs."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from scraper.urls import source_id_for_url
from spiders.ess_spider import EssSpider
from spiders.registry import Source, load_sources

__all__ = ["make_url_spider", "spider_class_for"]


def _class_name(source_id: str) -> str:
    return string.capwords(source_id, sep="_").replace("_", "") + "Spider"


def spider_class_for(source: Source) -> type[EssSpider]:
    """A named EssSpider subclass carrying the entry's attributes."""
    attrs = {
        "__module__": __name__,
        "__doc__": f"{source.name}: {source.sample_engine or 'agenda'} (registry entry {source.id}).",
        "name": source.id,
        "region_code": source.region_code,
        "strategy": source.strategy,
        "source_hosts": source.hosts,
        "start_urls": source.start_urls,
        "source": source,
    }
    return type(_class_name(source.id), (EssSpider,), attrs)


def make_url_spider(url: str) -> type[EssSpider]:
    """Spider for any http(s) agenda URL, strategy `auto`, id derived from host and port.

    Raises ValueError for other schemes.
    """
    sid = source_id_for_url(url)
    parts = urlsplit(url)
    # Hostname, not netloc: same_site() compares hostnames, so a port here (a local test
    # server, an intranet agenda on :8080) would make every link of the site look off-site.
    host = (parts.hostname or "").lower()
    bare = host.removeprefix("www.")
    hosts = tuple(dict.fromkeys((host, bare, f"www.{bare}")))
    attrs = {
        "__module__": __name__,
        "__doc__": f"Ad-hoc agenda {url}",
        "name": sid,
        "region_code": None,
        "strategy": "auto",
        "source_hosts": hosts,
        "start_urls": (url,),
    }
    return type(_class_name(sid), (EssSpider,), attrs)


for _source in load_sources():
    _cls = spider_class_for(_source)
    globals()[_cls.__name__] = _cls
del _source, _cls
