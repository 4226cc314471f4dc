"""Crash safety: SIGKILL at random moments, overlapping runs, unwritable output, full disk."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest

from tests.reliability.conftest import ROOT, crawl_env, essagenda
from tests.reliability.faultserver import FaultServer

EVENTS = 24
KILLS = 3
CLI = [sys.executable, "-c", "from scraper.cli import cli; cli(prog_name='essagenda')"]


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_consistent(db: Path) -> int:
    """Integrity, no half-written event, no orphan; returns the number of events."""
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []
    # Every source record points at an event, every event has at least one record.
    assert query(db, """SELECT count(*) FROM event_sources s
                        WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = s.event_id)""") == [(0,)]
    assert query(db, """SELECT count(*) FROM events e
                        WHERE NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id)""") == [(0,)]
    # No half-written row: the fields every writer sets together are all there.
    assert query(db, """SELECT count(*) FROM events WHERE title IS NULL OR title = '' OR url IS NULL
                        OR fingerprint IS NULL OR first_seen IS NULL OR sources IS NULL""") == [(0,)]
    assert query(db, "SELECT count(*) - count(DISTINCT id) FROM event_sources") == [(0,)]
    # The full-text index matches its table.
    con = sqlite3.connect(db)
    try:
        con.execute("INSERT INTO events_fts(events_fts) VALUES('integrity-check')")
    finally:
        con.close()
    return int(query(db, "SELECT count(*) FROM events")[0][0])


@pytest.fixture
def slow_site() -> Any:
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(EVENTS)]
    with FaultServer(agenda_links=links, page_delay=0.05) as server:
        yield server


def test_sigkill_during_crawl_leaves_consistent_database(slow_site: FaultServer, tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    # Small store batches: many commits, so the kills land between and inside write transactions.
    env = crawl_env(ESS_STORE_BATCH_SIZE="3")
    args = [*CLI, "crawl", "--url", slow_site.url("/agenda"), "--db", str(db)]
    rnd = random.Random(20261129)
    counts = []
    for i in range(KILLS):
        before = slow_site.hits_under("/evenement/lot-")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i == 0:
            # Anywhere in start-up, migrations or the first pages.
            time.sleep(rnd.uniform(0.5, 3.0))
        else:
            # Mid-crawl: after a random number of event pages, plus a random fraction of a batch.
            target = before + rnd.randint(2, 12)
            deadline = time.monotonic() + 60
            while slow_site.hits_under("/evenement/lot-") < target and time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                time.sleep(0.02)
            time.sleep(rnd.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if db.exists():
            counts.append(assert_consistent(db))
    assert counts, "no kill happened after the database was created"
    assert counts == sorted(counts), f"stored events vanished between killed runs: {counts}"
    assert max(counts) > 0, "every kill came before the first commit: the test proved nothing"
    # A killed run leaves no stale lock and the next run completes, without duplicates.
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert assert_consistent(db) == EVENTS + 3
    assert query(db, "SELECT count(*) - count(DISTINCT url) FROM event_sources") == [(0,)]
    assert query(db, "SELECT count(*) - count(DISTINCT url) FROM events") == [(0,)]
    last = query(db, "SELECT status, complete FROM crawls ORDER BY id DESC LIMIT 1")[0]
    assert last[0] in ("ok", "degraded")


def _feed_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and p.suffix in (".rss", ".json", ".ics", ".xml", ".html")}


def _complete(name: str, data: bytes) -> bool:
    """Does the file parse to its end?"""
    if name.endswith((".rss", ".xml")):
        parsed = feedparser.parse(data)
        return not parsed.bozo
    if name.endswith(".json"):
        try:
            json.loads(data)
        except ValueError:
            return False
        return True
    if name.endswith(".ics"):
        try:
            icalendar.Calendar.from_ical(data)
        except ValueError:
            return False
        return data.rstrip().endswith(b"END:VCALENDAR")
    return data.rstrip().endswith(b"</html>")


def test_sigkill_during_export_leaves_old_or_new_feeds(tmp_path: Path) -> None:
    db, out = tmp_path / "agenda.db", tmp_path / "public"
    writer = [sys.executable, "-m", "tests.reliability.writer", str(db)]
    subprocess.run([*writer, "0.2", "40"], cwd=ROOT, env=crawl_env(), check=True, capture_output=True)
    # One région's feeds in the three formats: every kind of file, in seconds rather than a minute.
    export = [*CLI, "export", "--db", str(db), "--out", str(out), "--region", "84",
              "--format", "rss", "--format", "json", "--format", "ics"]
    t0 = time.monotonic()
    first = subprocess.run(export, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=120,
                           check=False)
    full = time.monotonic() - t0
    assert first.returncode == 0, first.stderr[-2000:]
    old = _feed_files(out)
    assert any(n.endswith(".rss") for n in old) and any(n.endswith(".ics") for n in old)
    # Change the data so that a new export differs from the old files.
    subprocess.run([*writer, "0.1", "10"], cwd=ROOT, env=crawl_env(), check=True, capture_output=True)
    rnd = random.Random(75)
    landed = 0
    for _ in range(3):
        stamp = _newest_write(out)
        proc = subprocess.Popen(export, cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        # Kill once the export has begun writing (a temp file or a replaced file appears),
        # after a random part of the writing phase.
        deadline = time.monotonic() + full * 3 + 10
        while _newest_write(out) <= stamp and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rnd.uniform(0.0, max(0.05, full * 0.3)))
        if proc.poll() is None:
            landed += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        now = _feed_files(out)
        assert set(old) <= set(now), "a published file disappeared"
        broken = [n for n, data in now.items() if data != old.get(n) and not _complete(n, data)]
        assert broken == [], broken
        assert_consistent(db)
    assert landed >= 1, "every export had finished before its kill: the test proved nothing"


def _newest_write(out: Path) -> float:
    """Latest modification time of any file in `out`, temporary files included."""
    newest = 0.0
    for dirpath, _dirs, files in os.walk(out):
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime)
            except FileNotFoundError:
                continue
    return newest


def test_overlapping_run_exits_75_and_touches_nothing(tmp_path: Path) -> None:
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(12)]
    with FaultServer(agenda_links=links, page_delay=0.3) as server:
        _overlap(server, tmp_path / "agenda.db")


def _overlap(slow_site: FaultServer, db: Path) -> None:
    args = [*CLI, "crawl", "--url", slow_site.url("/agenda"), "--db", str(db)]
    first = subprocess.Popen(args, cwd=ROOT, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 30
        while slow_site.hits_under("/evenement/") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert slow_site.hits_under("/evenement/") >= 3, "first crawl never got going"
        crawls_before = query(db, "SELECT id, status FROM crawls")
        second = essagenda("crawl", "--url", slow_site.url("/agenda"), "--db", str(db))
        assert second.returncode == 75, second.stderr[-2000:]
        assert "another essagenda run holds" in second.stderr
        assert "Traceback" not in second.stderr
        assert query(db, "SELECT id, status FROM crawls") == crawls_before
    finally:
        _out, err = first.communicate(timeout=120)
    assert first.returncode in (0, 1), err[-2000:]
    assert query(db, "SELECT count(*) FROM crawls") == [(1,)]


def test_lock_held_blocks_run_and_demo(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "0.2", "20"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    fd = os.open(f"{db}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for args in (("run", "--db", str(db), "--out", str(tmp_path / "out")),
                     ("demo", "--db", str(db), "--out", str(tmp_path / "demo"))):
            result = essagenda(*args)
            assert result.returncode == 75, (args, result.stderr[-2000:])
            assert "another essagenda run holds" in result.stderr
            assert "Traceback" not in result.stderr
    finally:
        os.close(fd)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "agenda.db"
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(db), "0.2", "30"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    return db


def test_unwritable_output_folder_is_a_clear_error(small_db: Path, tmp_path: Path) -> None:
    # Tests run as root, for whom chmod 0o555 means nothing: a path under a regular file is
    # unwritable for everyone.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    digest = hashlib.sha256(small_db.read_bytes()).hexdigest()
    result = essagenda("export", "--db", str(small_db), "--out", str(blocker / "public"))
    assert result.returncode == 3, result.stderr[-2000:]
    assert "export failed" in result.stderr and "not-a-dir" in result.stderr
    assert "Traceback" not in result.stderr
    assert query(small_db, "PRAGMA integrity_check") == [("ok",)]
    assert hashlib.sha256(small_db.read_bytes()).hexdigest() == digest


def test_full_disk_keeps_old_feeds_and_database(small_db: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from scraper.cli import cli
    from storage.exporters import writer

    out = tmp_path / "public"
    runner = CliRunner()
    args = ["export", "--db", str(small_db), "--out", str(out), "--region", "84", "--format", "rss",
            "--format", "ics"]
    ok = runner.invoke(cli, args)
    assert ok.exit_code == 0, ok.output
    old = _feed_files(out)
    assert old

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writer.os, "fsync", no_space)
    full = runner.invoke(cli, args)
    monkeypatch.undo()
    assert full.exit_code == 3, full.output
    assert "No space left on device" in full.output
    assert not isinstance(full.exception, OSError) or isinstance(full.exception, SystemExit)
    assert _feed_files(out) == old
    assert not [p for p in out.rglob(".*.tmp")], "temporary files left behind"
    assert query(small_db, "PRAGMA integrity_check") == [("ok",)]
