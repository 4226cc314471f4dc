"""A crawl against a misbehaving site finishes, retries what deserves it, obeys robots.txt, records
every fault in the source's crawl row and keeps every event it had stored before."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import crawl_env, essagenda
from tests.reliability.faultserver import MOJIBAKE_TITLE, FaultServer, status

MAX_SIZE = 1024 * 1024


def retry_times() -> int:
    import scraper.settings

    return int(scraper.settings.RETRY_TIMES)


def crawl_rows(db: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM crawls ORDER BY id")]
    finally:
        con.close()


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def faults_of(row: dict[str, Any]) -> str:
    """The crawl row's faults (and stats) as one searchable text, whatever their JSON shape."""
    return json.dumps(json.loads(row["faults"] or "null")) + " " + (row.get("stats") or "")


class Crawl:
    def __init__(self, server: FaultServer, db: Path) -> None:
        self.server = server
        self.db = db

    def __call__(self, *extra: str) -> tuple[Any, float]:
        t0 = time.monotonic()
        result = essagenda("crawl", "--url", self.server.url("/agenda"), "--db", str(self.db), *extra,
                           env=crawl_env(ESS_DOWNLOAD_MAXSIZE=str(MAX_SIZE)), timeout=120)
        return result, time.monotonic() - t0


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One crawl of the fault site (every fault linked from its agenda), shared by the checks."""
    tmp = tmp_path_factory.mktemp("faults")
    server = FaultServer(slow_seconds=8.0, huge_size=40 * 1024 * 1024,
                         calendar_start=f"/agenda/mois/{date.today():%Y-%m}")
    with server:
        crawl = Crawl(server, tmp / "agenda.db")
        result, seconds = crawl()
        yield {"server": server, "crawl": crawl, "result": result, "seconds": seconds, "db": tmp / "agenda.db",
               "hits": dict(server.hits), "tmp": tmp, "agents": set(server.user_agents)}


def test_crawl_finishes_without_traceback(faulty: dict[str, Any]) -> None:
    result = faulty["result"]
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    # Faults cost their timeouts (2 s, retried), not minutes.
    assert faulty["seconds"] < 60
    # One summary line for the source (messages go to stderr, with Scrapy's log).
    out = result.stdout + result.stderr
    lines = [line for line in out.splitlines() if line.startswith("url_127_0_0_1_")]
    assert len(lines) == 1, out[-3000:]
    assert re.search(r"\d+ pages, \d+ events", lines[0]), lines[0]


def test_default_user_agent_names_project_and_contact(faulty: dict[str, Any]) -> None:
    (ua,) = faulty["agents"]
    assert "essagenda" in ua.lower() and re.search(r"https?://\S+", ua) and "Scrapy" not in ua, ua


def test_retries_what_deserves_a_retry(faulty: dict[str, Any]) -> None:
    hits, tries = faulty["hits"], 1 + retry_times()
    for path in ("/evenement/panne-500", "/evenement/panne-503", "/evenement/lent", "/evenement/coupure",
                 "/evenement/tronque"):
        assert hits.get(path) == tries, (path, hits.get(path))
    for path in ("/evenement/disparu", "/evenement/vide", "/evenement/enorme", "/agenda", "/robots.txt"):
        assert hits.get(path) == 1, (path, hits.get(path))


def test_limits_hold(faulty: dict[str, Any]) -> None:
    hits, server = faulty["hits"], faulty["server"]
    # robots.txt disallows /prive/: never fetched.
    assert not [p for p in hits if p.startswith("/prive/")]
    # The oversized body is refused from its declared length, not downloaded.
    assert server.notes.get("huge_bytes_sent", 0) < 16 * MAX_SIZE
    # The redirect loop and the endless calendar stop by themselves.
    assert hits.get("/evenement/boucle-a", 0) + hits.get("/evenement/boucle-b", 0) <= 8
    months = [p for p in hits if p.startswith("/agenda/mois/")]
    assert 1 <= len(months) <= 14, months


def test_faults_recorded_in_crawl_row(faulty: dict[str, Any]) -> None:
    (row,) = crawl_rows(faulty["db"])
    assert row["source"].startswith("url_127_0_0_1_")
    assert row["finished_at"] and row["status"] in ("ok", "degraded")
    assert row["pages"] >= 5
    assert row["http_errors"] >= 3  # 500, 503, 404
    # Network-level failures (timeout, reset, truncation, size limit, robots) count as errors too.
    assert row["errors"] >= row["http_errors"] + 5
    text = faults_of(row)
    expected = {
        "timeout": "Timeout",
        "connection reset": "DownloadFailed|ConnectionLost|ConnectionDone|Reset",
        "truncated body": "DataLoss",
        "size limit": "Cancelled|maxsize|MaxSize",
        "empty 200": "empty",
        "robots.txt": "IgnoreRequest|robots",
        "http 500": '"500"',
        "http 503": '"503"',
        "http 404": '"404"',
    }
    missing = [name for name, pattern in expected.items() if not re.search(pattern, text, re.IGNORECASE)]
    assert missing == [], text


def test_redirect_loop_recorded(faulty: dict[str, Any]) -> None:
    (row,) = crawl_rows(faulty["db"])
    assert "redirect" in faults_of(row).lower()


def test_events_stored_and_mislabelled_encodings_read(faulty: dict[str, Any]) -> None:
    db = faulty["db"]
    titles = [t for (t,) in query(db, "SELECT title FROM events")]
    for expected in ("Forum de l'emploi solidaire", "Atelier : créer une SCIC en milieu rural",
                     "Marché de Noël de l'économie circulaire"):
        assert expected in titles
    # Both mislabelled pages (UTF-8 declared / cp1252 sent, and the reverse) read correctly.
    (n,) = query(db, "SELECT count(*) FROM event_sources WHERE title = ?", (MOJIBAKE_TITLE,))[0]
    assert n == 2, [t for t in titles if "Journée" in t or "Journ" in t]
    assert not [t for t in titles if "\ufffd" in t or "Ã" in t or "â€" in t]
    (dups,) = query(db, "SELECT count(*) - count(DISTINCT id) FROM event_sources")[0]
    assert dups == 0


def test_failed_recrawls_keep_stored_events(faulty: dict[str, Any], tmp_path: Path) -> None:
    server: FaultServer = faulty["server"]
    db = tmp_path / "agenda.db"
    shutil.copy(faulty["db"], db)
    before = sorted(query(db, "SELECT id, title, start FROM events WHERE missing = 0"))
    assert len(before) >= 5
    crawl = Crawl(server, db)
    saved = dict(server.routes)
    try:
        # 1. The whole site answers 503: the crawl fails, says so, and touches no event.
        server.routes["/agenda"] = status(503, {"Retry-After": "1"})
        result, _ = crawl()
        assert result.returncode == 1, result.stdout + result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        last = crawl_rows(db)[-1]
        assert last["status"] == "failed" and not last["complete"]
        # The operator sees it: a warning naming the source and a FAILED summary line, no traceback.
        source = last["source"]
        assert re.search(rf"WARNING.*{source}", result.stderr), result.stderr[-2000:]
        summary = [ln for ln in (result.stdout + result.stderr).splitlines() if ln.startswith(f"{source}:")]
        assert len(summary) == 1 and "FAILED" in summary[0], summary
        assert sorted(query(db, "SELECT id, title, start FROM events WHERE missing = 0")) == before
        # 2. The agenda answers but one event's own page fails: that event is not declared gone.
        server.routes.clear()
        server.routes.update(saved)
        server.routes["/evenement/forum-emploi-solidaire"] = status(500)
        server.routes["/agenda/mois/"] = status(500)
        result, _ = crawl()
        assert "Traceback" not in result.stderr
        assert sorted(query(db, "SELECT id, title, start FROM events WHERE missing = 0")) == before
        (gone,) = query(db, "SELECT count(*) FROM event_sources WHERE missing_since IS NOT NULL")[0]
        assert gone == 0
    finally:
        server.routes.clear()
        server.routes.update(saved)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_verbose_switch_exists() -> None:
    for command in ("crawl", "run", "demo"):
        result = essagenda(command, "--help")
        assert result.returncode == 0
        assert "--verbose" in result.stdout, (command, result.stdout)


@pytest.mark.parametrize("args", [
    ("crawl", "--url", "file:///etc/passwd"),
    ("crawl", "--url", "javascript:alert(1)"),
    ("crawl", "no_such_source"),
    ("export", "--db", "/nonexistent/dir/agenda.db"),
])
def test_expected_failures_are_one_clear_line(args: tuple[str, ...], tmp_path: Path) -> None:
    if "--db" not in args:
        args = (*args, "--db", str(tmp_path / "agenda.db"))
    result = essagenda(*args)
    assert result.returncode not in (0, 75), result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip(), "no message"
    assert not (tmp_path / "agenda.db").exists(), "a refused command created a database"
