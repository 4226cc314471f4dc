"""HTTP cache pieces: a server error never stands for the cached page; a probe's 404 is remembered;
the sample's port is not in the key."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import patch

from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings
from scrapy.utils.request import fingerprint

from scraper.httpcache import ABSENT_LIFETIME, EssCachePolicy, SampleAwareFingerprinter


def _cached() -> HtmlResponse:
    return HtmlResponse("https://www.ess-bretagne.org/", body=b"<html></html>",
                        headers={"ETag": '"abc"', "Last-Modified": "Wed, 14 Oct 2026 08:00:00 GMT"})


def test_server_errors_do_not_validate_the_cached_page_but_304_does() -> None:
    policy = EssCachePolicy(Settings())
    request = Request("https://www.ess-bretagne.org/")
    assert not policy.is_cached_response_valid(_cached(), Response(request.url, status=500), request)
    assert not policy.is_cached_response_valid(_cached(), Response(request.url, status=503), request)
    assert policy.is_cached_response_valid(_cached(), Response(request.url, status=304), request)
    assert not policy.is_cached_response_valid(_cached(), Response(request.url, status=200), request)


def test_max_age_zero_request_revalidates_with_validators() -> None:
    policy = EssCachePolicy(Settings())
    request = Request("https://www.ess-bretagne.org/", headers={"Cache-Control": "max-age=0"})
    cached = _cached()
    cached.headers["Date"] = "Thu, 29 Oct 2026 08:00:00 GMT"
    assert not policy.is_cached_response_fresh(cached, request)
    assert request.headers["If-None-Match"] == b'"abc"'


def test_fingerprint_of_a_sample_request_is_the_real_urls() -> None:
    real = Request("https://www.ess-bretagne.org/agenda/?page=2")
    one = SampleAwareFingerprinter("http://127.0.0.1:8001")
    other = SampleAwareFingerprinter("http://127.0.0.1:9002/")
    assert one.fingerprint(Request("http://127.0.0.1:8001/www.ess-bretagne.org/agenda/?page=2")) == fingerprint(real)
    assert other.fingerprint(Request("http://127.0.0.1:9002/www.ess-bretagne.org/agenda/?page=2")) == fingerprint(real)
    assert SampleAwareFingerprinter("").fingerprint(real) == fingerprint(real)


TRIBE_PROBE = "https://www.cresscentre.org/wp-json/tribe/events/v1/events?start_date=2026-09-01"


def _absent(date: str = "Thu, 29 Oct 2026 08:00:00 GMT", status: int = 404) -> Response:
    return Response(TRIBE_PROBE, status=status, headers={"Date": date})


def test_a_probes_404_is_kept_and_fresh_for_a_week_a_pages_404_is_not_kept() -> None:
    policy = EssCachePolicy(Settings())
    probe = Request(TRIBE_PROBE, meta={"ess_probe": True})
    assert policy.should_cache_response(_absent(), probe)
    assert policy.should_cache_response(_absent(status=410), probe)
    assert not policy.should_cache_response(_absent(), Request(TRIBE_PROBE))
    assert not policy.should_cache_response(Response(TRIBE_PROBE, status=404), probe)  # no Date: age unknown
    no_store = Response(TRIBE_PROBE, status=404, headers={"Date": "Thu, 29 Oct 2026 08:00:00 GMT",
                                                          "Cache-Control": "no-store"})
    assert not policy.should_cache_response(no_store, probe)

    now = datetime(2026, 10, 29, 8, 0, tzinfo=UTC).timestamp()
    with patch("scraper.httpcache.time", return_value=now + 6 * 86400):
        assert policy.is_cached_response_fresh(_absent(), Request(TRIBE_PROBE, meta={"ess_probe": True}))
    with patch("scraper.httpcache.time", return_value=now + ABSENT_LIFETIME + 1):
        assert not policy.is_cached_response_fresh(_absent(), Request(TRIBE_PROBE, meta={"ess_probe": True}))


def test_revalidate_and_refresh_ask_a_known_absent_probe_again() -> None:
    policy = EssCachePolicy(Settings())
    now = datetime(2026, 10, 29, 8, 0, tzinfo=UTC).timestamp()
    with patch("scraper.httpcache.time", return_value=now + 60):
        for cache_control in ("max-age=0", "no-cache"):
            request = Request(TRIBE_PROBE, meta={"ess_probe": True}, headers={"Cache-Control": cache_control})
            assert not policy.is_cached_response_fresh(_absent(), request)
