"""Politeness by default: per-site concurrency, identifying User-Agent, bounded downloads."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from tests.reliability.conftest import ROOT, crawl_env
from tests.reliability.faultserver import FaultServer, ok


def _link_crawl(server: FaultServer, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.reliability.politecrawl", server.url("/agenda")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_site_never_sees_more_than_two_requests_at_once_and_ua_is_sent() -> None:
    # Every page takes 0.25 s, so any overlap beyond two requests would be seen by the server.
    routes = {"/lot/": ok("<html><body><p>Fiche événement</p></body></html>", delay=0.25)}
    links = [(f"/lot/{i}", f"Événement {i}") for i in range(10)]
    ua = "essagenda-test/9.9 (+https://exemple.org/contact)"
    with FaultServer(routes=routes, agenda_links=links) as server:
        result = _link_crawl(server, crawl_env(ESS_USER_AGENT=ua))
        assert result.returncode == 0, result.stderr[-2000:]
        assert server.hits_under("/lot/") == 10, server.hits
        assert server.hits["/robots.txt"] == 1
        assert 1 <= server.peak <= 2, f"site saw {server.peak} simultaneous requests"
        # The User-Agent is settable and sent on every request, robots.txt included.
        assert set(server.user_agents) == {ua}


@pytest.fixture
def settings_module(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def load(**env: str):  # type: ignore[no-untyped-def]
        for key in ("ESS_DOWNLOAD_TIMEOUT", "ESS_DOWNLOAD_DELAY", "ESS_DOWNLOAD_MAXSIZE", "ESS_USER_AGENT"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        import scraper.settings

        return importlib.reload(scraper.settings)

    yield load
    monkeypatch.undo()
    importlib.reload(importlib.import_module("scraper.settings"))


def test_polite_defaults(settings_module) -> None:  # type: ignore[no-untyped-def]
    s = settings_module()
    assert s.ROBOTSTXT_OBEY is True
    assert s.AUTOTHROTTLE_ENABLED is True
    assert s.CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    # FIELD_NOTES: the per-domain cap alone did not hold without a delay.
    assert s.DOWNLOAD_DELAY > 0
    assert 0 < s.DOWNLOAD_TIMEOUT <= 60
    assert 0 < s.DOWNLOAD_MAXSIZE <= 64 * 1024 * 1024
    assert s.RETRY_ENABLED is True and 1 <= s.RETRY_TIMES <= 5
    assert 503 in s.RETRY_HTTP_CODES and 500 in s.RETRY_HTTP_CODES and 404 not in s.RETRY_HTTP_CODES
    assert "essagenda" in s.USER_AGENT and re.search(r"https?://", s.USER_AGENT)


def test_limits_follow_environment(settings_module) -> None:  # type: ignore[no-untyped-def]
    s = settings_module(ESS_DOWNLOAD_TIMEOUT="2", ESS_DOWNLOAD_DELAY="0.1", ESS_DOWNLOAD_MAXSIZE="12345",
                        ESS_USER_AGENT="essagenda-ci (+https://exemple.org)")
    assert (s.DOWNLOAD_TIMEOUT, s.DOWNLOAD_DELAY, s.DOWNLOAD_MAXSIZE) == (2, 0.1, 12345)
    assert s.USER_AGENT == "essagenda-ci (+https://exemple.org)"
