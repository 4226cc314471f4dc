"""Readers (sqlite3, Datasette, the exporters) work while a crawl writes: no "database is locked"."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tests.reliability.conftest import ROOT, crawl_env

WRITE_SECONDS = 5.0


def _loop(name: str, stop: threading.Event, errors: list[str], counts: dict[str, list[int]],
          read: Callable[[], int]) -> None:
    counts[name] = []
    while not stop.is_set():
        try:
            counts[name].append(read())
        except Exception as exc:  # noqa: BLE001 - every failure of a reader is the finding
            errors.append(f"{name}: {exc!r}")
            return


def test_readers_while_crawl_writes(tmp_path: Path) -> None:
    from storage.db import open_db
    from storage.exporters import FeedInfo
    from storage.exporters.ical import render_ical
    from storage.exporters.jsonfeed import render_jsonfeed
    from storage.exporters.rss import render_rss
    from storage.read import iter_events

    db_path = tmp_path / "agenda.db"
    open_db(db_path).close()

    def plain_sqlite() -> int:
        # What an operator's `sqlite3 agenda.db` does: default settings, no busy timeout set by us.
        con = sqlite3.connect(db_path, timeout=0.5)
        try:
            n = con.execute("SELECT count(*) FROM events").fetchone()[0]
            con.execute("SELECT * FROM upcoming_events LIMIT 20").fetchall()
            con.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH 'coopérative' LIMIT 5").fetchall()
            return int(n)
        finally:
            con.close()

    def read_only_uri() -> int:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.5)
        try:
            return int(con.execute("SELECT count(*) FROM event_sources").fetchone()[0])
        finally:
            con.close()

    feed = FeedInfo(title="Agenda", link="https://essagenda.example/", description="Charge",
                    feed_url="https://essagenda.example/feed.xml", generated_at=datetime.now(UTC))

    def exporters() -> int:
        db = open_db(db_path)
        try:
            rows = list(iter_events(db))
            render_rss(rows, feed=feed)
            render_jsonfeed(rows, feed=feed)
            render_ical(rows, feed=feed)
            return len(rows)
        finally:
            db.close()

    def datasette_reader(stop: threading.Event, errors: list[str], counts: dict[str, list[int]]) -> None:
        from datasette.app import Datasette

        async def run() -> None:
            ds = Datasette([str(db_path)])
            await ds.invoke_startup()
            counts["datasette"] = []
            while not stop.is_set():
                r = await ds.client.get("/agenda.json?sql=select+count(*)+as+n+from+events&_shape=array")
                r2 = await ds.client.get("/agenda/events.json?_size=20&_shape=array")
                if r.status_code != 200 or r2.status_code != 200:
                    errors.append(f"datasette: HTTP {r.status_code}/{r2.status_code}: {r.text[:200]} {r2.text[:200]}")
                    return
                counts["datasette"].append(int(r.json()[0]["n"]))

        try:
            asyncio.run(run())
        except Exception as exc:  # noqa: BLE001
            errors.append(f"datasette: {exc!r}")

    stop = threading.Event()
    errors: list[str] = []
    counts: dict[str, list[int]] = {}
    threads = [
        threading.Thread(target=_loop, args=("sqlite3", stop, errors, counts, plain_sqlite)),
        threading.Thread(target=_loop, args=("sqlite3-ro", stop, errors, counts, read_only_uri)),
        threading.Thread(target=_loop, args=("exporters", stop, errors, counts, exporters)),
        threading.Thread(target=datasette_reader, args=(stop, errors, counts)),
    ]
    for t in threads:
        t.start()
    # Every reader is up and reading before the first write.
    deadline = time.monotonic() + 60
    while (len(counts) < len(threads) or not all(counts.values())) and not errors and time.monotonic() < deadline:
        time.sleep(0.05)
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", str(db_path), str(WRITE_SECONDS), "100"],
        cwd=ROOT, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        out, err = writer.communicate(timeout=WRITE_SECONDS + 60)
    finally:
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err[-2000:]
    batches = out.count("batch ")
    assert batches >= 5, out
    assert errors == [], errors
    # Each reader really overlapped the writes: it read many times and saw the count grow.
    for name in ("sqlite3", "sqlite3-ro", "exporters", "datasette"):
        seen = counts.get(name, [])
        assert len(seen) >= 3, (name, len(seen))
        assert seen == sorted(seen), f"{name} saw the count go down: committed data vanished"
        assert len(set(seen)) >= 2, f"{name} never saw a write land while reading"
    final = sqlite3.connect(db_path)
    assert final.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert final.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    final.close()
