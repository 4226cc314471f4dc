"""Incremental crawls of the offline sample: cache hits and 304s, updates, cancellations, missing events.

Each test drives `essagenda crawl` in a subprocess against a sample server started here, so
the server outlives a crawl and its request counters tell what the crawler asked. One first
crawl (database + HTTP cache) is made per module and copied for each test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from scraper.sample import SAMPLE_CRAWL_DATE, SAMPLE_V2_CRAWL_DATE
from scraper.sample.server import SampleHandler, SampleServer, serve_sample

REPO = Path(__file__).resolve().parents[2]
# Tribe feed with pagination and the v2 changes, a SPIP iCal feed, WordPress pages with JSON-LD
# (listing + detail pages).
SOURCES = ("cress_bretagne", "cress_occitanie", "cress_centre_val_de_loire")
BRETAGNE_TIME_CHANGED = "https://www.ess-bretagne.org/evenement/degustation-de-projets-brest/"
BRETAGNE_CANCELLED = "https://www.ess-bretagne.org/evenement/monnaie-locale-treguer/"
BRETAGNE_DROPPED = "https://www.ess-bretagne.org/evenement/webinaire-esus-agrement/"


def crawl(db: Path, base: str, *sources: str, revalidate: bool = False,
          crawl_date: str = SAMPLE_CRAWL_DATE) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ESS_BASE_URL_OVERRIDE=base, ESS_CRAWL_DATE=crawl_date, ESS_DOWNLOAD_DELAY="0")
    args = [sys.executable, "-m", "scraper.cli", "crawl", *(sources or SOURCES), "--db", str(db), "--no-progress"]
    if revalidate:
        args.append("--revalidate")
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False)


def export(db: Path, out: Path) -> None:
    """The national RSS and iCalendar feeds of every stored event, as `essagenda export --all` writes them."""
    from storage.db import open_db
    from storage.exporters import FeedInfo
    from storage.exporters.ical import render_ical
    from storage.exporters.rss import render_rss
    from storage.read import iter_events

    out.mkdir(parents=True, exist_ok=True)
    feed = FeedInfo(title="essagenda", link="https://example.org/", description="Agenda de l'ESS",
                    feed_url="https://example.org/essagenda.rss", generated_at=datetime.now(UTC))
    conn = open_db(db)
    try:
        (out / "essagenda.rss").write_bytes(render_rss(iter_events(conn, include_all=True), feed=feed))
        (out / "essagenda.ics").write_bytes(render_ical(iter_events(conn, include_all=True), feed=feed))
    finally:
        conn.close()


def events_digest(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select * from events order by id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def last_crawls(db: Path) -> dict[str, dict]:
    rows = query(db, "select source, status, complete, events_new, events_updated, events_missing, stats "
                     "from crawls c where id = (select max(id) from crawls where source = c.source)")
    return {r[0]: {"status": r[1], "complete": r[2], "new": r[3], "updated": r[4], "missing": r[5],
                   **json.loads(r[6])} for r in rows}


def counters(server: SampleServer) -> tuple[int, int, int]:
    return server.requests, server.conditional, server.not_modified


@pytest.fixture(scope="module")
def sample() -> Iterator[SampleServer]:
    server, _ = serve_sample(0)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def first_crawl(sample: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (database and HTTP cache) after one crawl of SOURCES."""
    data = tmp_path_factory.mktemp("first")
    result = crawl(data / "essagenda.db", base_of(sample))
    assert result.returncode == 0, result.stderr[-3000:]
    return data


@pytest.fixture
def db(first_crawl: Path, tmp_path: Path) -> Path:
    shutil.copytree(first_crawl, tmp_path / "data")
    return tmp_path / "data" / "essagenda.db"


def base_of(server: SampleServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_unchanged_recrawls_cost_cache_hits_or_304s_and_write_no_event(sample: SampleServer, db: Path) -> None:
    digest, records = events_digest(db), query(db, "select count(*) from event_sources")[0][0]
    seen_first = {s: c["events_seen"] for s, c in last_crawls(db).items()}
    assert records > 15

    # Default: the cache's own judgement; the sample's pages are weeks old, so still fresh.
    before = counters(sample)
    second = crawl(db, base_of(sample))
    assert second.returncode == 0, second.stderr[-3000:]
    rows = last_crawls(db)
    fetched = sample.requests - before[0]
    answered_by_cache = sum(r["requests_cached"] + r["requests_revalidated"] for r in rows.values())
    assert answered_by_cache / (answered_by_cache + fetched) >= 0.9
    # Not re-extracted: every page came back unchanged, yet every record was confirmed.
    assert all(r["pages_unchanged"] == r["pages"] for r in rows.values()), rows
    assert {s: r["events_seen"] for s, r in rows.items()} == seen_first
    assert all((r["status"], r["complete"], r["new"], r["updated"], r["missing"]) == ("ok", 1, 0, 0, 0)
               for r in rows.values()), rows
    assert events_digest(db) == digest
    assert query(db, "select count(*) from event_sources")[0][0] == records

    # --revalidate: every page is asked again, conditionally, and the site answers 304.
    before = counters(sample)
    third = crawl(db, base_of(sample), revalidate=True)
    assert third.returncode == 0, third.stderr[-3000:]
    requests, conditional, not_modified = (a - b for a, b in zip(counters(sample), before, strict=True))
    assert requests >= 10
    assert conditional / requests >= 0.9 and not_modified / requests >= 0.9, (requests, conditional, not_modified)
    assert events_digest(db) == digest
    assert all(r["new"] == 0 and r["updated"] == 0 and r["missing"] == 0 for r in last_crawls(db).values())


def test_a_probes_404_is_not_asked_again_until_revalidation(sample: SampleServer, db: Path) -> None:
    """The WordPress sample of cress_centre_val_de_loire has no The Events Calendar API: the
    first crawl's probe got a 404, which the next crawl takes from the cache."""
    asked: list[str] = []
    handler = sample.RequestHandlerClass

    class Recording(handler):  # type: ignore[misc, valid-type]
        def parse_request(self) -> bool:
            ok = super().parse_request()
            if ok:
                asked.append(self.path)
            return bool(ok)

    sample.RequestHandlerClass = Recording
    try:
        second = crawl(db, base_of(sample), "cress_centre_val_de_loire")
        assert second.returncode == 0, second.stderr[-3000:]
        assert not [p for p in asked if "/wp-json/tribe/" in p], asked
        row = last_crawls(db)["cress_centre_val_de_loire"]
        assert (row["status"], row["complete"], row["new"], row["missing"]) == ("ok", 1, 0, 0)

        third = crawl(db, base_of(sample), "cress_centre_val_de_loire", revalidate=True)
        assert third.returncode == 0, third.stderr[-3000:]
        assert [p for p in asked if "/www.cresscentre.org/wp-json/tribe/" in p], asked
    finally:
        sample.RequestHandlerClass = handler


def _event_of(db: Path, url: str) -> dict:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(
            "select e.*, s.missing_since from events e join event_sources s on s.event_id = e.id "
            "where s.url = ? and s.source = 'cress_bretagne'", [url]).fetchone()
    assert row is not None, url
    return dict(row)


def _vevent(ics: Path, uid: str) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    found = [v for v in calendar.walk("VEVENT") if str(v["UID"]).startswith(uid)]
    assert len(found) == 1, uid
    return found[0]


def test_site_change_updates_cancels_and_marks_missing_without_deleting(
    sample: SampleServer, db: Path, tmp_path: Path
) -> None:
    export(db, tmp_path / "v1")
    moved_v1 = _event_of(db, BRETAGNE_TIME_CHANGED)
    cancelled_v1 = _event_of(db, BRETAGNE_CANCELLED)
    dropped_v1 = _event_of(db, BRETAGNE_DROPPED)
    events_v1 = query(db, "select count(*) from events")[0][0]
    records_v1 = query(db, "select count(*) from event_sources")[0][0]
    assert cancelled_v1["status"] == "scheduled" and dropped_v1["missing"] == 0

    server, base = serve_sample(0, variant="v2")  # another port: the cache key is the real URL
    try:
        result = crawl(db, base, "cress_bretagne", revalidate=True, crawl_date=SAMPLE_V2_CRAWL_DATE)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    row = last_crawls(db)["cress_bretagne"]
    assert (row["status"], row["complete"], row["new"], row["missing"]) == ("ok", 1, 0, 1), row
    export(db, tmp_path / "v2")

    # The moved event is the same event, updated, with its change recorded.
    moved = _event_of(db, BRETAGNE_TIME_CHANGED)
    assert moved["id"] == moved_v1["id"]
    assert moved["start"] == "2026-11-10T18:30:00+01:00" != moved_v1["start"]
    assert moved["sequence"] == moved_v1["sequence"] + 1
    assert query(db, "select count(*) from event_changes where event_id = ? and field = 'start'", moved["id"])[0][0] == 1
    before, after = _vevent(tmp_path / "v1" / "essagenda.ics", moved["id"]), _vevent(tmp_path / "v2" / "essagenda.ics", moved["id"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt

    # The cancelled event stays, labelled; the dropped one stays, flagged missing; nothing deleted.
    cancelled = _event_of(db, BRETAGNE_CANCELLED)
    assert cancelled["id"] == cancelled_v1["id"] and cancelled["status"] == "cancelled" and cancelled["missing"] == 0
    rss = (tmp_path / "v2" / "essagenda.rss").read_text(encoding="utf-8")
    assert "<title>[ANNULÉ] " in rss
    dropped = _event_of(db, BRETAGNE_DROPPED)
    assert dropped["id"] == dropped_v1["id"] and dropped["missing"] == 1 and dropped["missing_since"]
    assert query(db, "select count(*) from event_sources where missing_since is not null")[0][0] == 1
    assert query(db, "select count(*) from events")[0][0] == events_v1
    assert query(db, "select count(*) from event_sources")[0][0] == records_v1

    # Listed again (the site reverted): no longer missing.
    assert crawl(db, base_of(sample), "cress_bretagne", revalidate=True, crawl_date="2026-10-18").returncode == 0
    back = _event_of(db, BRETAGNE_DROPPED)
    assert back["missing"] == 0 and back["missing_since"] is None


class _FailingFeedPage(SampleHandler):
    """The sample, except that the Bretagne feed's second page answers 500 (a site failing mid-crawl)."""

    def _serve(self, *, send_body: bool) -> None:
        if "www.ess-bretagne.org/wp-json/tribe/events/v1/events" in self.path and "page=2" in self.path:
            body = b"<h1>Erreur interne</h1>"
            self.send_response(500)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        super()._serve(send_body=send_body)


def test_a_source_failing_mid_crawl_marks_nothing_missing(db: Path) -> None:
    records = query(db, "select count(*) from event_sources")[0][0]
    # v2 no longer lists one event, but the page after the first one fails: nothing may be judged.
    server, base = serve_sample(0, variant="v2")
    server.RequestHandlerClass = _FailingFeedPage
    try:
        crawl(db, base, "cress_bretagne", revalidate=True, crawl_date=SAMPLE_V2_CRAWL_DATE)
    finally:
        server.shutdown()
        server.server_close()
    row = last_crawls(db)["cress_bretagne"]
    assert row["complete"] == 0 and row["http_errors"] >= 1, row
    assert row["missing"] == 0
    assert query(db, "select count(*) from event_sources where missing_since is not null")[0][0] == 0
    assert query(db, "select count(*) from events where missing = 1")[0][0] == 0
    assert query(db, "select count(*) from event_sources")[0][0] == records
