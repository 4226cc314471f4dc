"""Crawl health: ok / degraded / failed rows, and a source that stops returning events is caught."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from scraper.health import assess, crawl_figures
from tests.spiders.samples import crawl_all_sources, crawl_sample


def figures(**stats: int) -> dict:
    return crawl_figures({f"ess/{k}": v for k, v in stats.items()})


def test_ok_crawl() -> None:
    health = assess(figures(pages=4, events=6), previous_events=6, finish_reason="finished",
                    start_urls=1, start_ok=1)
    assert (health.status, health.complete) == ("ok", True)


def test_no_page_is_failed() -> None:
    health = assess(figures(pages=0, http_errors=1), previous_events=6, finish_reason="finished",
                    start_urls=1, start_ok=0)
    assert (health.status, health.complete) == ("failed", False)


def test_events_gone_is_degraded() -> None:
    health = assess(figures(pages=3, events=0), previous_events=12, finish_reason="finished",
                    start_urls=1, start_ok=1)
    assert health.status == "degraded" and "previous crawl had 12" in health.message


def test_a_first_crawl_with_no_events_is_not_degraded() -> None:
    health = assess(figures(pages=3, events=0), previous_events=None, finish_reason="finished",
                    start_urls=1, start_ok=1)
    assert health.status == "ok"


def test_error_ratio_over_threshold_is_degraded() -> None:
    stats = {"ess/pages": 6, "ess/events": 5, "ess/http_errors": 3, "ess/http_errors/500": 3}
    health = assess(crawl_figures(stats), previous_events=5, finish_reason="finished", start_urls=1, start_ok=1)
    assert health.status == "degraded" and "3 of 9" in health.message
    stats["ess/http_errors"] = 2
    assert assess(crawl_figures(stats), previous_events=5, finish_reason="finished",
                  start_urls=1, start_ok=1).status == "ok"


def test_cut_short_crawl_is_not_complete() -> None:
    for kwargs in ({"finish_reason": "closespider_errorcount", "start_ok": 1, "budget_refused": 0},
                   {"finish_reason": "finished", "start_ok": 1, "budget_refused": 4},
                   {"finish_reason": "finished", "start_ok": 1, "budget_refused": 0, "start_urls": 2}):
        health = assess(figures(pages=3, events=2), previous_events=2, **{"start_urls": 1, **kwargs})
        assert health.status == "ok" and not health.complete


def test_figures_count_events_by_extractor() -> None:
    got = crawl_figures({"ess/pages": 3, "ess/events": 5, "ess/events/tribe": 4, "ess/events/html": 1,
                         "ess/dates/unparsed": 2, "ess/http_errors": 1, "ess/http_errors/404": 1})
    assert got["by_extractor"] == {"tribe": 4, "html": 1}
    assert (got["pages"], got["events_seen"], got["dates_unparsed"], got["http_errors"]) == (3, 5, 2, 1)
    assert got["http_errors_by_code"] == {"404": 1}


def test_every_sample_crawl_row_is_ok_with_events() -> None:
    runs = crawl_all_sources()
    db = sqlite3.connect(runs["_db"]["path"])
    rows = db.execute("select source, status, complete, pages, events_seen, by_extractor from crawls").fetchall()
    assert len(rows) == len(runs) - 1
    for source, status, complete, pages, events_seen, by_extractor in rows:
        assert (status, complete) == ("ok", 1), source
        assert pages > 0 and events_seen == runs[source]["stats"]["ess/events"] > 0, source
        assert sum(json.loads(by_extractor).values()) == events_seen, source


def test_source_that_stops_returning_events_is_degraded(tmp_path: Path) -> None:
    """A second crawl into the sample crawl's database finds the site turned into a maintenance page."""
    first_db = Path(crawl_all_sources()["_db"]["path"])
    db_path = tmp_path / "ess.db"
    shutil.copy(first_db, db_path)
    settings = {"ESS_DB_PATH": str(db_path)}
    broken = tmp_path / "broken" / "www.cress-aura.org"
    broken.mkdir(parents=True)
    (broken / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Maintenance</title></head>"
        "<body><h1>Site en maintenance</h1><p>Revenez bientôt.</p></body></html>", encoding="utf-8")
    missing = "https://www.cress-absente.org/agenda/"  # nothing answers there: the crawl fails
    crawl_sample(tmp_path / "second", ["cress_auvergne_rhone_alpes", missing],
                 overlay=tmp_path / "broken", settings=settings)
    db = sqlite3.connect(db_path)
    rows = db.execute(
        "select source, status, events_seen, pages, complete, message, by_extractor from crawls order by id"
    ).fetchall()
    first, second = [r for r in rows if r[0] == "cress_auvergne_rhone_alpes"]
    assert first[1:4] == ("ok", 6, 2) and first[4] == 1 and '"tribe": 6' in first[6]
    assert second[1:3] == ("degraded", 0) and "previous crawl had 6" in second[5]
    failed = [r for r in rows if r[0] == "url_cress_absente_org"]
    assert failed and failed[0][1] == "failed" and failed[0][3] == 0


def test_any_failed_fetch_makes_a_crawl_incomplete() -> None:
    health = assess(figures(pages=9, events=6, http_errors=1), previous_events=6, finish_reason="finished",
                    start_urls=1, start_ok=1)
    assert (health.status, health.complete) == ("ok", False)


def test_a_page_the_cache_stood_in_for_counts_as_a_failed_fetch() -> None:
    stats = crawl_figures({"ess/pages": 4, "ess/events": 6, "httpcache/errorrecovery": 2})
    assert stats["net_errors"] == 2 and stats["errors"] == 2
    health = assess(stats, previous_events=6, finish_reason="finished", start_urls=1, start_ok=1)
    assert health.complete is False


def test_a_failure_in_our_own_code_is_degraded_and_incomplete() -> None:
    stats = {"ess/pages": 5, "ess/events": 8, "ess/item_errors": 2, "spider_exceptions/count": 1}
    health = assess(crawl_figures(stats), previous_events=8, finish_reason="finished", start_urls=1, start_ok=1)
    assert (health.status, health.complete) == ("degraded", False)
    assert "3 pages or events failed" in health.message
