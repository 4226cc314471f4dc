"""HTTP cache pieces: a server error never stands for the cached page; the sample's port is not in the key."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings
from scrapy.utils.request import fingerprint

from scraper.httpcache import EssCachePolicy, SampleAwareFingerprinter


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
