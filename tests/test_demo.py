"""End to end: `essagenda demo` crawls the offline sample into SQLite and publishes valid feeds."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import atoma
import feedparser
import icalendar
import pytest

REPO = Path(__file__).resolve().parents[1]


def run_demo(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", "demo", "--out", str(out), "--no-progress", *extra],
        check=False, capture_output=True, text=True, cwd=REPO, timeout=600,
    )


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = run_demo(out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_every_source_reports_events_in_its_health_row(demo_out: Path) -> None:
    from spiders.registry import load_registry

    db = sqlite3.connect(demo_out / "essagenda.db")
    rows = {r[0]: r[1:] for r in db.execute(
        "select source, status, events_seen, pages from crawls c where id = "
        "(select max(id) from crawls where source = c.source)")}
    everyone = [e.id for e in load_registry()]
    assert len(everyone) >= 19
    for source in everyone:
        status, events_seen, pages = rows[source]
        assert status == "ok", source
        assert events_seen > 0 and pages > 0, source


def test_feeds_parse_with_real_consumers(demo_out: Path) -> None:
    db = sqlite3.connect(demo_out / "essagenda.db")
    count = db.execute("select count(*) from events where date_status = 'ok'").fetchone()[0]
    assert count >= 40
    rss = feedparser.parse((demo_out / "public" / "essagenda.rss").read_bytes())
    assert not rss.bozo, rss.get("bozo_exception")
    assert len(rss.entries) == count
    data = json.loads((demo_out / "public" / "essagenda.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert len(data["items"]) == count
    # feedparser's releases (6.0.x) do not read JSON Feed yet; atoma is a JSON Feed consumer.
    jf = atoma.parse_json_feed_bytes((demo_out / "public" / "essagenda.json").read_bytes())
    assert len(jf.items) == count
    assert all(item.id_ and item.title and item.content_html for item in jf.items)
    calendar = icalendar.Calendar.from_ical((demo_out / "public" / "essagenda.ics").read_bytes())
    vevents = list(calendar.walk("VEVENT"))
    assert len(vevents) == count
    for vevent in vevents:
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            assert prop in vevent
    assert (demo_out / "public" / "index.html").exists()
    assert not [p for p in (demo_out / "public").rglob("*") if p.name.startswith("essagenda.db") or "httpcache" in p.parts]


def test_demo_is_a_recrawl_the_second_time(demo_out: Path) -> None:
    db_path = demo_out / "essagenda.db"
    with sqlite3.connect(db_path) as db:
        before = db.execute("select count(*), max(updated_at) from events").fetchone()
        records_before = db.execute("select count(*) from event_sources").fetchone()[0]
    result = run_demo(demo_out)
    assert result.returncode == 0, result.stderr[-4000:]
    with sqlite3.connect(db_path) as db:
        after = db.execute("select count(*), max(updated_at) from events").fetchone()
        records_after = db.execute("select count(*) from event_sources").fetchone()[0]
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert after == before
    assert records_after == records_before


def test_one_event_announced_by_three_sources_is_published_once(demo_out: Path) -> None:
    db = sqlite3.connect(demo_out / "essagenda.db")
    widest = db.execute("select max(json_array_length(sources)) from events").fetchone()[0]
    assert widest >= 3


def test_a_run_uses_one_clock_its_crawl_day_everywhere(demo_out: Path) -> None:
    from scraper.sample import SAMPLE_CRAWL_DATE

    with sqlite3.connect(demo_out / "essagenda.db") as db:
        stamps = [
            *(value for row in db.execute("SELECT started_at, finished_at FROM crawls") for value in row),
            *(row[0] for row in db.execute("SELECT last_crawl_at FROM sources WHERE last_crawl_at IS NOT NULL")),
            *(value for row in db.execute("SELECT first_seen, last_seen FROM event_sources") for value in row),
        ]
    assert stamps
    assert {stamp[:10] for stamp in stamps} == {SAMPLE_CRAWL_DATE}


def test_the_demo_writes_a_digest_per_region_for_the_samples_week(demo_out: Path) -> None:
    from pipelines.normalize.fr_data import REGIONS

    digests = sorted((demo_out / "public" / "digest").glob("*-2026-W46.md"))
    assert len(digests) == len(REGIONS)
    occitanie = (demo_out / "public" / "digest" / "76-occitanie-2026-W46.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in occitanie and "novembre</h2>" in occitanie and "<a href=" in occitanie
    assert "<script" not in occitanie and "class=" not in occitanie
