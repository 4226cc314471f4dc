"""Writes that fail: a record SQLite refuses costs only itself and is counted; a full disk or a
read-only database stops the run with exit 3 and publishes nothing; an export that runs out of
space leaves the whole previous set of files; values no JSON can carry never reach a feed."""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import ROOT, crawl_env, essagenda
from tests.reliability.faultserver import FaultServer, _Handler, jsonld_event

SURROGATE = "\ud800"


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def strict_json(data: bytes | str) -> Any:
    """json.loads that refuses NaN and Infinity, as strict parsers do."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(data, parse_constant=refuse)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Any]:
    """mount(size) -> a fresh tmpfs of that size (a small disk to fill); unmounted afterwards."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here to fill a disk ({result.stderr.strip() or 'not permitted'})")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


# --- text and numbers no storage or feed can carry --------------------------------------------


def _hostile_event(srv: FaultServer, n: int) -> dict[str, Any]:
    ev = {
        "name": f"Atelier {SURROGATE}piégé n°{n}",
        "startDate": f"2027-03-{1 + n:02d}T10:00:00+01:00",
        "endDate": f"2027-03-{1 + n:02d}T12:00:00+01:00",
        "venue": f"Salle {SURROGATE}des fêtes",
        "street": f"{n} rue des Lilas",
        "postcode": "31000",
        "city": "Toulouse",
        "description": f"<p>Entrée libre {SURROGATE}, ouvert à tous.</p>",
        "slug": f"piege-{n}",
    }
    node = jsonld_event(ev, srv.url(""))
    node["@id"] = f"{srv.url('')}/evenement/piege-{n}#{SURROGATE}"
    node["location"]["geo"] = {"latitude": "Infinity", "longitude": "1e999"} if n % 2 else \
        {"latitude": "NaN", "longitude": 500}
    return node


def _hostile_page(h: _Handler, srv: FaultServer) -> None:
    n = int(h.route_path.rsplit("-", 1)[-1])
    # json.dumps writes the lone surrogate as the escape "\ud800", which JSON allows.
    script = '<script type="application/ld+json">' + json.dumps(_hostile_event(srv, n)) + "</script>"
    page = (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Atelier {n}</title>{script}"
            f"</head><body><h1>Atelier {n}</h1></body></html>")
    h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


def test_lone_surrogates_and_infinities_cost_no_event_and_reach_no_feed(tmp_path: Path) -> None:
    db, out = tmp_path / "agenda.db", tmp_path / "public"
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(6)]
    links += [(f"/evenement/piege-{n}", f"Piège {n}") for n in range(4)]
    with FaultServer(agenda_links=links, routes={"/evenement/piege-": _hostile_page}) as server:
        crawl = essagenda("crawl", "--url", server.url("/agenda"), "--db", str(db))
        single = essagenda("extract", server.url("/evenement/piege-1"))
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "Traceback" not in crawl.stderr
    # 6 plain pages, 4 hostile ones and the agenda's own 3 events: every one stored.
    assert query(db, "SELECT count(*) FROM event_sources") == [(13,)]
    assert query(db, "SELECT status, complete FROM crawls") == [("ok", 1)]
    hostile = query(db, "SELECT title, venue, latitude, longitude FROM event_sources WHERE title LIKE '%piégé%'")
    assert len(hostile) == 4
    # The page's own point is dropped; the commune's stands in for it.
    assert {(lat, lon) for _, _, lat, lon in hostile} == {(43.604, 1.443)}, hostile
    assert {venue for _, venue, _, _ in hostile} == {"Salle des fêtes"}

    assert single.returncode == 0, single.stderr[-3000:]
    assert "Traceback" not in single.stderr
    [event] = [strict_json(line) for line in single.stdout.splitlines()]
    assert event["title"] == "Atelier piégé n°1" and event["latitude"] == 43.604

    export = essagenda("export", "--db", str(db), "--out", str(out), "--all", "--format", "json")
    assert export.returncode == 0, export.stderr[-3000:]
    feeds = [strict_json(data) for name, data in files_of(out).items() if name.endswith(".json")]
    items = [item for feed in feeds for item in feed["items"] if "piégé" in item["title"]]
    assert items and all(item["_essagenda"]["latitude"] == 43.604 for item in items)


def test_coordinates_are_finite_and_in_range_or_dropped() -> None:
    from pipelines.normalize.text import clean_coordinates, finite_number

    assert clean_coordinates("43.6", "1.44") == (43.6, 1.44)
    assert clean_coordinates(float("inf"), 1.44) == (None, None)
    assert clean_coordinates("Infinity", "1e999") == (None, None)
    assert clean_coordinates("NaN", 2.0) == (None, None)
    assert clean_coordinates(91, 2.0) == (None, None)
    assert clean_coordinates(45.0, -181) == (None, None)
    assert clean_coordinates(True, 2.0) == (None, None)
    assert finite_number("1e999") is None and finite_number(10**400) is None


def test_json_feed_refuses_an_infinity_that_was_not_dropped() -> None:
    from storage.exporters import FeedInfo
    from storage.exporters.jsonfeed import render_jsonfeed
    from tests.storage.exporters.rows import row as make_row

    info = FeedInfo(title="t", link="https://x.fr/", description="d", feed_url="https://x.fr/f.json",
                    generated_at=datetime(2026, 12, 1, tzinfo=UTC))
    row = make_row(latitude=float("inf"), longitude=float("nan"))
    document = strict_json(render_jsonfeed([row], feed=info))
    assert document["items"][0]["_essagenda"]["latitude"] is None


# --- one record SQLite refuses ------------------------------------------------------------------


def _events(count: int, bad: set[int]) -> list[Any]:
    from tests.reliability.writer import make_event

    events = []
    for n in range(count):
        ev = make_event(n)
        ev.page_url = ev.url
        if n in bad:
            # Past cleaning, as a value it missed would be.
            ev.title = ev.title + SURROGATE
        events.append(ev)
    return events


def _store(db_path: Path, **kwargs: Any) -> Any:
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from pipelines.store import SqliteStorePipeline

    stats = MemoryStatsCollector(get_crawler())
    return SqliteStorePipeline(str(db_path), batch_size=200, stats=stats, **kwargs), stats


def test_a_record_sqlite_refuses_costs_only_itself_even_in_the_last_batch(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from scraper.items import PageSeen
    from storage.read import load_pages

    db_path = tmp_path / "agenda.db"
    events = _events(250, bad={3, 240})
    store, stats = _store(db_path)
    store.open_spider()
    for ev in events:
        store.page_seen(PageSeen(ev.source, ev.page_url, "hash", extractor="jsonld", events=1))
        store.process_item(ev)
    with caplog.at_level(logging.ERROR, logger="pipelines.store"):
        store.close_spider()  # raises nothing: the other events are stored
    assert query(db_path, "SELECT count(*) FROM event_sources") == [(248,)]
    assert stats.get_value("ess/store/failed") == 2
    assert stats.get_value("ess/store/new") == 248
    for n in (3, 240):
        assert any(events[n].url in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    # The pages of the refused events are read again next time; the others are not.
    from storage.db import open_db

    db = open_db(db_path)
    try:
        pages = set().union(*(load_pages(db, source) for source in {ev.source for ev in events}))
    finally:
        db.close()
    assert events[3].page_url not in pages and events[240].page_url not in pages
    assert len(pages) == 248
    # Listed, if not stored: never taken for gone.
    assert {events[3].id, events[240].id} <= store.seen_ids


def test_a_crawl_that_lost_a_write_is_degraded_and_flags_nothing_missing(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(8)]
    with FaultServer(agenda_links=links) as server:
        args = ("crawl", "--url", server.url("/agenda"), "--db", str(db))
        first = essagenda(*args)
        assert first.returncode == 0, first.stderr[-3000:]
        # Stored times are to the second: a second crawl starting within the first one's last
        # second would count the first crawl's rows as seen again.
        time.sleep(1.1)
        second = subprocess.run(
            [sys.executable, "-m", "tests.reliability.unstorable", "Atelier coopératif n°3", *args],
            cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=90, check=False,
        )
    assert second.returncode == 1, second.stderr[-3000:]
    assert "Traceback" not in second.stderr and "OK —" not in second.stderr
    assert "/evenement/lot-3" in second.stderr and "could not be stored" in second.stderr
    status, complete, errors, faults = query(
        db, "SELECT status, complete, errors, faults FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert (status, complete) == ("degraded", 0) and errors >= 1
    assert {"kind": "store/failed", "count": 1} in json.loads(faults)
    # The last and only batch held the refused event: the other ten were stored all the same,
    # and nothing was flagged missing.
    seen = query(db, "SELECT count(*) FROM event_sources WHERE last_seen >= "
                     "(SELECT started_at FROM crawls ORDER BY id DESC LIMIT 1)")
    assert seen == [(10,)]
    assert query(db, "SELECT count(*) FROM event_sources WHERE missing_since IS NOT NULL") == [(0,)]


def test_assess_never_calls_a_crawl_with_lost_writes_complete() -> None:
    from scraper.health import assess, crawl_figures

    figures = crawl_figures({"ess/pages": 10, "ess/events": 250, "ess/store/failed": 200})
    health = assess(figures, previous_events=250, finish_reason="finished", start_urls=1, start_ok=1)
    assert (health.status, health.complete) == ("degraded", False)
    assert figures["errors"] == 200
    figures = crawl_figures({"ess/pages": 10, "ess/events": 250,
                             "ess/store/unavailable": "cannot write x.db: database or disk is full"})
    health = assess(figures, previous_events=250, finish_reason="storage_unavailable", start_urls=1, start_ok=1)
    assert (health.status, health.complete) == ("failed", False)
    assert "disk is full" in health.message


@pytest.mark.parametrize("error", [
    sqlite3.OperationalError("database or disk is full"),
    sqlite3.OperationalError("attempt to write a readonly database"),
    OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
    OSError(errno.EROFS, os.strerror(errno.EROFS)),
])
def test_a_storage_that_refuses_writes_stops_the_crawl_and_saves_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    import storage.write
    from scraper.items import PageSeen
    from storage.read import load_pages

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise error

    stops: list[bool] = []
    db_path = tmp_path / "agenda.db"
    events = _events(5, bad=set())
    store, stats = _store(db_path, stop_crawl=lambda: stops.append(True))
    store.batch_size = 2
    store.open_spider()
    monkeypatch.setattr(storage.write, "upsert_events", refuse)
    for ev in events:
        store.page_seen(PageSeen(ev.source, ev.page_url, "hash", extractor="jsonld", events=1))
        store.process_item(ev)
    store.close_spider()
    monkeypatch.undo()
    assert stops == [True]
    assert str(db_path) in stats.get_value("ess/store/unavailable")
    from storage.db import open_db

    db = open_db(db_path)
    try:
        assert load_pages(db, events[0].source) == {}
    finally:
        db.close()


# --- full disk, read-only database --------------------------------------------------------------


def test_full_disk_during_a_crawl_exits_3_naming_the_database(tmp_path: Path, tmpfs: Any) -> None:
    disk = tmpfs("320k")
    db = disk / "agenda.db"
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(250)]
    with FaultServer(agenda_links=links) as server:
        # The HTTP cache would share the disk; this test is about the database.
        env = crawl_env(ESS_HTTPCACHE="0", ESS_STORE_BATCH_SIZE="25")
        result = essagenda("crawl", "--url", server.url("/agenda"), "--db", str(db), env=env, timeout=180)
    assert result.returncode == 3, result.stderr[-3000:]
    assert f"cannot write {db}" in result.stderr and "full" in result.stderr
    assert "Traceback" not in result.stderr and ": OK —" not in result.stderr
    # What was committed before the disk filled is consistent, and nothing is flagged missing.
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT count(*) FROM event_sources WHERE missing_since IS NOT NULL") == [(0,)]
    assert ("ok", 1) not in query(db, "SELECT status, complete FROM crawls")


def test_full_disk_during_a_demo_publishes_nothing(tmp_path: Path, tmpfs: Any) -> None:
    """Crawl and export in one command: the export never starts."""
    disk = tmpfs("200k")
    db, out = disk / "agenda.db", tmp_path / "demo"
    result = essagenda("demo", "--db", str(db), "--out", str(out), env=crawl_env(ESS_HTTPCACHE="0"), timeout=180)
    assert result.returncode == 3, result.stderr[-3000:]
    assert f"cannot write {db}" in result.stderr and "nothing was exported" in result.stderr
    assert "Traceback" not in result.stderr and "Error caught on signal handler" not in result.stderr
    assert files_of(out) == {}


def test_read_only_database_exits_3_naming_the_file(tmp_path: Path, tmpfs: Any) -> None:
    disk = tmpfs("4m")
    db = disk / "agenda.db"
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "30", "10", "2"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False)
    if remount.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only ({remount.stderr.strip()})")
    for args in (("crawl", "--url", "http://127.0.0.1:9/agenda", "--db", str(db)),
                 ("run", "--db", str(db), "--out", str(tmp_path / "public"))):
        result = essagenda(*args)
        assert result.returncode == 3, (args, result.stderr[-3000:])
        assert f"cannot write {db}.lock" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "public").exists()
    # Commands that only read say so in one line too (SQLite cannot make its WAL index there).
    for args in (("sources", "--db", str(db)), ("history", "evt-x", "--db", str(db))):
        result = essagenda(*args)
        assert result.returncode == 1, (args, result.stderr[-3000:])
        assert f"cannot open {db}" in result.stderr and "Traceback" not in result.stderr


def test_read_only_database_file_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock can be taken but the database refuses writes (its own file read-only)."""
    from click.testing import CliRunner

    import scraper.crawl
    from scraper.cli import cli

    def readonly(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(scraper.crawl, "run_crawl", readonly)
    db = tmp_path / "agenda.db"
    result = CliRunner().invoke(cli, ["crawl", "--url", "http://127.0.0.1:9/agenda", "--db", str(db)])
    assert result.exit_code == 3, result.output
    assert f"cannot write {db}: attempt to write a readonly database" in result.output


# --- export ---------------------------------------------------------------------------------------


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A database, its export (one région, every format), and the files that export wrote."""
    db, out = tmp_path / "agenda.db", tmp_path / "public"
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "30", "30", "3"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    first = essagenda("export", "--db", str(db), "--out", str(out), "--region", "84")
    assert first.returncode == 0, first.stderr[-3000:]
    # New data: every feed of the next export differs from the files on disk.
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "30", "10", "2"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    return db, out, files_of(out)


def test_full_disk_halfway_through_an_export_leaves_the_whole_old_set(
    exported: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from scraper.cli import cli
    from storage.exporters import writer

    db, out, old = exported
    real_fsync = writer.os.fsync
    written: list[int] = []

    def fills_up(fd: int) -> None:
        # Ten files of the new set are written, then the disk is full.
        if len(written) >= 10:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(writer.os, "fsync", fills_up)
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(out), "--region", "84"])
    monkeypatch.undo()
    assert len(written) == 10
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.output
    assert files_of(out) == old, "some files of the new set replaced old ones"


def test_full_disk_export_keeps_old_files_and_says_so_once(tmp_path: Path, tmpfs: Any) -> None:
    # Room for one whole set (feeds, maps, pages with their JSON-LD: about 16.5 MB in 4 KB blocks).
    disk = tmpfs("24m")
    db, out = tmp_path / "agenda.db", disk / "public"
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "30", "30", "3"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    first = essagenda("export", "--db", str(db), "--out", str(out))
    assert first.returncode == 0, first.stderr[-3000:]
    old = files_of(out)
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "30", "10", "2"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    # Leave room for about a third of a new set.
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    used = sum(len(data) for data in old.values())
    (disk / "filler").write_bytes(b"\0" * max(0, free - used // 3))
    result = essagenda("export", "--db", str(db), "--out", str(out))
    assert result.returncode == 3, result.stderr[-3000:]
    assert "No space left on device" in result.stderr
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert files_of(out) == old
    assert not [p for p in out.rglob(".*.tmp")], "temporary files left behind"


# --- inspection commands ----------------------------------------------------------------------------


def test_parse_does_work_in_proportion_to_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Place lookup used to fold the whole text before each candidate commune: quadratic."""
    from pipelines.normalize import places
    from scraper.inspection import parse_text

    folded = [0]
    fold = places.fold

    def counting(text: str) -> str:
        folded[0] += len(text)
        return fold(text)

    monkeypatch.setattr(places, "fold", counting)
    sentence = "Rencontre à Nantes puis Lyon et Brest avec les coopératives de Paris "
    work = []
    for copies in (200, 800):
        folded[0] = 0
        parse_text(sentence * copies, context_date="2026-10-01")
        work.append(folded[0])
    assert work[1] < work[0] * 4 * 1.5, work


def test_extract_gives_up_on_a_url_that_drips(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b" ")
            except OSError:
                break
            stop.wait(0.3)
        conn.close()

    threading.Thread(target=drip, daemon=True).start()
    try:
        result = essagenda("extract", f"http://127.0.0.1:{listener.getsockname()[1]}/agenda", "--timeout", "1",
                           timeout=60)
    finally:
        stop.set()
        listener.close()
    assert result.returncode == 1, result.stderr
    assert "no complete answer within 1 s" in result.stderr and "Traceback" not in result.stderr
