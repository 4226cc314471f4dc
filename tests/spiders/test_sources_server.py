"""The offline sample server: one tree of sites, engine headers, query files, conditional requests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.sample import SITES_DIR
from scraper.sample.server import SampleServer, serve_sample


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server, url = serve_sample(0)
    yield url
    server.shutdown()
    server.server_close()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_binds_loopback_only(base: str) -> None:
    assert base.startswith("http://127.0.0.1:")


def test_tribe_rest_pages_with_engine_headers(base: str) -> None:
    root = f"{base}/www.ess-bretagne.org/wp-json/tribe/events/v1/events"
    status, headers, body = get(f"{root}?start_date=2026-09-01")
    data = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert (headers["X-TEC-Total"], headers["X-TEC-TotalPages"]) == ("7", "2")
    assert len(data["events"]) == 4 and "page=2" in data["next_rest_url"]
    _, _, body2 = get(f"{root}?start_date=2026-09-01&page=2&per_page=4")
    page2 = json.loads(body2)
    assert len(page2["events"]) == 3 and "next_rest_url" not in page2


def test_content_types(base: str) -> None:
    cases = {
        "/www.cressoccitanie.org/spip.php?page=ical": "text/calendar; charset=utf-8",
        "/www.essnormandie.org/category/agenda/feed/": "application/rss+xml",
        "/www.cressoccitanie.org/Mois-de-l-ESS": "text/html",
        "/www.cress-reunion.com/agenda?format=feed&type=rss": "application/rss+xml",
    }
    for path, ctype in cases.items():
        status, headers, _ = get(base + path)
        assert status == 200 and headers["Content-Type"].startswith(ctype), path


def test_conditional_requests(base: str) -> None:
    url = f"{base}/www.cressoccitanie.org/spip.php?page=ical"
    _, headers, _ = get(url)
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(url, {"If-None-Match": '"other"'})[0] == 200
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_robots_and_missing_pages(base: str) -> None:
    status, _, body = get(f"{base}/robots.txt")
    assert status == 200 and b"User-agent" in body
    assert get(f"{base}/www.cress-aura.org/robots.txt")[0] == 200
    assert get(f"{base}/www.cress-aura.org/nulle-part/")[0] == 404
    assert get(f"{base}/www.cress-aura.org/../../etc/passwd")[0] == 404


def test_v2_variant_changes_some_pages_only() -> None:
    server, url = serve_sample(0, variant="v2")
    try:
        path = "/www.ess-bretagne.org/wp-json/tribe/events/v1/events?start_date=2026-09-01"
        _, headers, body = get(url + path)
        titles = [e["title"] for e in json.loads(body)["events"]]
        assert any(t.startswith("ANNULÉ") for t in titles)
        assert headers["Last-Modified"] == "Fri, 16 Oct 2026 08:00:00 GMT"
        _, home_headers, _ = get(url + "/www.ess-bretagne.org/")
        assert home_headers["Last-Modified"] == "Wed, 14 Oct 2026 08:00:00 GMT"
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(ValueError):
        serve_sample(0, variant="v9")


def test_many_concurrent_connections_are_queued() -> None:
    assert SampleServer.request_queue_size >= 64


def test_every_site_has_a_home_page() -> None:
    from spiders.registry import load_sources

    for source in load_sources():
        host = source.hosts[0]
        assert (SITES_DIR / host).is_dir(), source.id
        assert list((SITES_DIR / host).glob("index.*")), source.id


def test_sample_is_built_from_its_event_data(tmp_path: Path) -> None:
    """The committed tree is what `python -m tools.sample.build` writes (no hand edits drift)."""
    from tools.sample.build import build_sites
    from tools.sample.events import EVENTS

    build_sites(tmp_path, EVENTS)
    built = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(SITES_DIR).as_posix() for p in SITES_DIR.rglob("*") if p.is_file())
    assert built == shipped
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (SITES_DIR / rel).read_bytes(), rel
