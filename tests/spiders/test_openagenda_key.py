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


def test_a_refused_key_is_said_once_and_the_crawl_falls_back(caplog) -> None:  # type: ignore[no-untyped-def]
    from scrapy.http import HtmlResponse
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    spider = _spider({"ESS_OPENAGENDA_KEY": "cle-perimee"})
    request = spider._request(API, depth=0, kind="feed:openagenda", ess_probe=True)
    assert request is not None
    response = HtmlResponse(API, status=403, body=b'{"message": "invalid key"}', request=request)
    for _ in range(2):
        failure = Failure(HttpError(response))
        failure.request = request  # type: ignore[attr-defined]  # as Scrapy sets it on errbacks
        list(spider.on_error(failure))
    assert spider.crawler.stats.get_value("ess/openagenda/key_refused") == 2
    said = [r.getMessage() for r in caplog.records if "refused ESS_OPENAGENDA_KEY" in r.getMessage()]
    assert len(said) == 1 and "HTTP 403" in said[0]
