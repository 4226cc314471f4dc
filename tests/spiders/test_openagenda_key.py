"""OpenAgenda's API v2 is asked with the ESS_OPENAGENDA_KEY header, and its absence is said, not silent."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from spiders.extract.openagenda import events_url
from spiders.registry_spiders import make_url_spider

API = events_url(90001234)


def _spider(settings: dict[str, str]):  # type: ignore[no-untyped-def]
    cls = make_url_spider("https://www.example.org/agenda/")
    return cls.from_crawler(get_crawler(cls, {"ESS_CRAWL_DATE": "2026-10-15", **settings}))


def test_without_a_key_the_api_feed_is_skipped_with_a_warning(caplog) -> None:  # type: ignore[no-untyped-def]
    spider = _spider({})
    assert spider._rank_feeds([("openagenda", API)]) == []
    assert spider.crawler.stats.get_value("ess/openagenda/no_key") == 1
    assert any("ESS_OPENAGENDA_KEY" in r.getMessage() for r in caplog.records)


def test_with_a_key_the_api_is_asked_with_it_in_a_header() -> None:
    spider = _spider({"ESS_OPENAGENDA_KEY": "cle-publique"})
    [(kind, url)] = spider._rank_feeds([("openagenda", API)])
    request = spider._request(url, depth=0, kind=f"feed:{kind}")
    assert request is not None and request.headers.get("key") == b"cle-publique"
    assert "cle-publique" not in request.url  # never in the address, logs or stored URLs
    other = spider._request("https://www.example.org/agenda/page/2/", depth=0, kind="listing")
    assert other is not None and other.headers.get("key") is None
