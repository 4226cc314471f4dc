"""What an operator reads: short, true cron output, and runs that stop cleanly on a signal."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.diagnosis import crawl_problem

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("stats", "cause"), [
    ({"ess/net_errors/DNSLookupError": 2, "robotstxt/exception_count/<class 'X'>": 1}, "DNS failure (2 URLs)"),
    ({"ess/net_errors/ConnectionRefusedError": 1}, "connection refused (1 URL)"),
    ({"ess/net_errors/TCPTimedOutError": 3, "ess/net_errors/ConnectionRefusedError": 1}, "timeout (3 URLs)"),
    ({"ess/http_errors/503": 4}, "HTTP 503 (4 URLs)"),
    ({"robotstxt/exception_count/<class 'X'>": 1}, "robots.txt unreachable (1 URL)"),
    ({"spider_exceptions/count": 2}, "2 errors in essagenda's code"),
])
def test_the_main_problem_of_a_crawl_is_named_in_plain_words(stats: dict[str, int], cause: str) -> None:
    found = crawl_problem(stats)
    assert found is not None
    assert found[0] == cause and found[1]


def test_a_healthy_crawl_has_no_problem() -> None:
    assert crawl_problem({"ess/pages": 12, "ess/events": 30, "robotstxt/request_count": 1}) is None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _essagenda(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)  # type: ignore[call-overload]


def _env(base_url: str) -> dict[str, str]:
    return {**os.environ, "ESS_BASE_URL_OVERRIDE": base_url, "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}


def test_cron_output_of_unreachable_sites_is_one_line_each_and_the_same_every_run(tmp_path: Path) -> None:
    env = _env(f"http://127.0.0.1:{_closed_port()}")
    outputs = []
    for attempt in range(2):
        proc = _essagenda("crawl", "--db", str(tmp_path / f"run{attempt}.db"), "--no-progress",
                          "cress_bretagne", "cress_reunion", env=env)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err
        outputs.append(err.splitlines())
    first, second = outputs
    assert "Traceback" not in "\n".join(first)
    assert len(first) == 5, first  # a line per source, a WARNING per source, a final line
    assert [line for line in first if line.startswith("WARNING:")] == [
        f"WARNING: {source} failed: connection refused (1 URL): the site's server is down or refuses "
        "connections; it is retried next run" for source in ("cress_bretagne", "cress_reunion")
    ]
    assert first[-1].startswith("2 sources crawled (2 failed)")
    assert first == second


@pytest.fixture
def sample_url() -> Iterator[str]:
    from scraper.sample.server import serve_sample

    server, base_url = serve_sample(port=0)
    try:
        yield base_url
    finally:
        server.shutdown()


def _wait_for_running_crawl(db: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    if conn.execute("SELECT count(*) FROM crawls WHERE status = 'running'").fetchone()[0]:
                        return
            except sqlite3.Error:
                pass
        time.sleep(0.1)
    raise AssertionError("the crawl never started")


def _statuses(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT status FROM crawls")}


@pytest.mark.parametrize(("signum", "times", "code"), [
    (signal.SIGINT, 1, 130), (signal.SIGTERM, 1, 143), (signal.SIGINT, 2, 130),
])
def test_an_interrupted_run_says_so_marks_its_crawls_and_publishes_nothing(
    tmp_path: Path, sample_url: str, signum: int, times: int, code: int
) -> None:
    db, out = tmp_path / "essagenda.db", tmp_path / "public"
    # Production politeness (half a second between requests): the crawl lasts long enough to stop.
    proc = _essagenda("run", "--db", str(db), "--out", str(out), "--no-progress", env=_env(sample_url))
    _wait_for_running_crawl(db, proc)
    for _ in range(times):
        proc.send_signal(signum)
        time.sleep(0.2)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert f"interrupted by {signal.Signals(signum).name}" in err
    assert "interrupted" in _statuses(db) and "running" not in _statuses(db)
    assert not out.exists()


def test_a_source_the_interrupted_run_never_reached_is_not_reported_from_an_older_crawl(tmp_path: Path) -> None:
    from scraper.crawl import collect_outcomes
    from storage.db import open_db
    from storage.write import finish_crawl, start_crawl

    db_path = tmp_path / "essagenda.db"
    db = open_db(db_path)
    finish_crawl(db, start_crawl(db, "cress_bretagne"), {"pages": 3, "events_seen": 7}, "ok")
    db.close()
    [outcome] = collect_outcomes(db_path, ["cress_bretagne"], {}, interrupted=True)
    assert outcome.status == "interrupted" and outcome.pages == 0
    [outcome] = collect_outcomes(db_path, ["cress_bretagne"], {})
    assert outcome.status == "ok" and outcome.events == 7
