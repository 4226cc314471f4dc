"""Each pipeline does its one job, built from Scrapy settings as a crawl builds it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.clean import CleanPipeline
from pipelines.crawl_context import CrawlContextPipeline
from pipelines.dates import DatesPipeline
from pipelines.identity import IdentityPipeline
from pipelines.places import PlacesPipeline
from pipelines.store import SqliteStorePipeline
from pipelines.validate import ValidatePipeline
from scraper.items import Event

NOW = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)


def make_event(**fields: object) -> Event:
    values: dict[str, object] = {
        "source": "cress_occitanie",
        "url": "https://www.cressoccitanie.org/agenda/forum-achats-responsables",
        "title": "  Forum  des achats responsables ",
        "start_raw": "Le jeudi 19 novembre, de 9h à 12h30",
        "location_raw": "Salle Pagézy, 34000 Montpellier",
        "description_html": "<p>Rencontres acheteurs et SIAE.</p><script>alert(1)</script>",
        "scraped_at": NOW,
        "reference_date": date(2026, 10, 15),
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def run_chain(event: Event, crawler_settings: dict[str, object] | None = None) -> Event:
    crawler = get_crawler(settings_dict={"ESS_CRAWL_DATE": "2026-10-15", **(crawler_settings or {})})
    for cls in (CrawlContextPipeline, CleanPipeline, PlacesPipeline, DatesPipeline, ValidatePipeline,
                IdentityPipeline):
        event = build_from_crawler(cls, crawler).process_item(event)
    return event


def test_crawl_context_sets_crawl_time_and_reference_from_the_crawl_date() -> None:
    crawler = get_crawler(settings_dict={"ESS_CRAWL_DATE": "2026-10-15"})
    pipe = build_from_crawler(CrawlContextPipeline, crawler)
    event = pipe.process_item(make_event(scraped_at=None, reference_date=None))
    assert event.scraped_at == NOW
    assert event.reference_date == date(2026, 10, 15)


def test_full_chain_normalizes_a_free_text_event() -> None:
    event = run_chain(make_event(scraped_at=None))
    assert event.title == "Forum des achats responsables"
    assert "<script" not in event.description_html and "Rencontres acheteurs" in event.description_html
    assert event.start == datetime(2026, 11, 19, 9, 0, tzinfo=event.start.tzinfo)  # type: ignore[union-attr]
    assert event.start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert event.end.hour == 12 and event.end.minute == 30  # type: ignore[union-attr]
    assert (event.all_day, event.timezone, event.date_status) == (False, "Europe/Paris", "ok")
    assert (event.insee, event.city, event.department, event.region) == ("34172", "Montpellier", "34", "Occitanie")
    assert event.attendance == "offline"
    assert event.id is not None and event.id.startswith("cress_occitanie:")


def test_an_unreadable_date_is_kept_and_counted_not_dropped() -> None:
    crawler = get_crawler(settings_dict={"ESS_CRAWL_DATE": "2026-10-15"})
    pipeline = build_from_crawler(DatesPipeline, crawler)
    event = pipeline.process_item(make_event(start_raw="Date à venir", title="Assemblée générale"))
    assert event.date_status == "unparsed" and event.start is None
    assert crawler.stats.get_value("ess/dates/unparsed") == 1


def test_overseas_source_reads_local_time_in_its_own_zone() -> None:
    event = run_chain(make_event(source="cress_reunion", source_region="04", scraped_at=None,
                                 url="https://www.cress-reunion.com/agenda/42-forum",
                                 start_raw="Samedi 14 novembre, 9h", location_raw="Saint-Pierre"))
    assert event.timezone == "Indian/Reunion"
    assert event.start.utcoffset().total_seconds() == 4 * 3600  # type: ignore[union-attr]
    assert event.insee == "97416"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"title": "   "}, "no_title"), ({"url": "javascript:alert(1)"}, "bad_url"), ({"url": "/agenda/x"}, "bad_url")],
)
def test_validate_drops_garbage_and_counts_why(fields: dict[str, object], reason: str) -> None:
    crawler = get_crawler()
    event = build_from_crawler(CleanPipeline, crawler).process_item(make_event(**fields))
    with pytest.raises(DropItem, match=reason):
        build_from_crawler(ValidatePipeline, crawler).process_item(event)
    assert crawler.stats.get_value(f"ess/validate/{reason}") == 1


def test_identity_is_stable_and_follows_the_sources_own_id() -> None:
    first = IdentityPipeline().process_item(make_event())
    again = IdentityPipeline().process_item(make_event())
    moved = IdentityPipeline().process_item(make_event(start_raw="Le vendredi 20 novembre"))
    assert first.id == again.id and first.id != moved.id
    with_uid = IdentityPipeline().process_item(make_event(native_id="tribe:1234"))
    moved_uid = IdentityPipeline().process_item(make_event(native_id="tribe:1234", start_raw="Le 20 novembre"))
    assert with_uid.id == moved_uid.id != first.id


def test_store_batches_and_a_second_identical_crawl_changes_nothing(tmp_path: Path) -> None:
    from storage.db import open_db

    db_path = tmp_path / "essagenda.db"
    events = [run_chain(make_event(scraped_at=None, title=f"Atelier coopératif n°{n}",
                                   url=f"https://www.cressoccitanie.org/agenda/atelier-{n}")) for n in range(5)]

    def crawl_once() -> dict[str, object]:
        crawler = get_crawler(settings_dict={"ESS_DB_PATH": str(db_path), "ESS_STORE_BATCH_SIZE": 2})
        store = build_from_crawler(SqliteStorePipeline, crawler)
        store.open_spider()
        for event in events:
            store.process_item(event)
        store.close_spider()
        return crawler.stats.get_stats()

    first = crawl_once()
    db = open_db(db_path)
    snapshot = db.execute("select * from events order by id").fetchall()
    assert first.get("ess/store/new") == 5 and len(snapshot) == 5
    second = crawl_once()
    assert second.get("ess/store/new", 0) == 0 and second.get("ess/store/updated", 0) == 0
    assert db.execute("select * from events order by id").fetchall() == snapshot
    db.close()


def test_a_recent_past_date_seen_on_crawl_day_stays_in_the_season() -> None:
    crawler = get_crawler(settings_dict={"ESS_CRAWL_DATE": "2026-11-29"})
    context = build_from_crawler(CrawlContextPipeline, crawler)
    dates = build_from_crawler(DatesPipeline, crawler)
    past = dates.process_item(context.process_item(make_event(scraped_at=None, reference_date=None,
                                                             start_raw="Le 25 novembre, de 9h à 12h")))
    coming = dates.process_item(context.process_item(make_event(scraped_at=None, reference_date=None,
                                                              start_raw="Le 12 janvier")))
    assert past.start.date() == date(2026, 11, 25)  # type: ignore[union-attr]
    assert coming.start == date(2027, 1, 12)


def test_a_batch_that_cannot_be_written_is_reported_and_its_pages_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.write
    from scraper.items import PageSeen
    from storage.db import open_db
    from storage.read import load_pages

    db_path = tmp_path / "essagenda.db"
    events = [run_chain(make_event(scraped_at=None, title=f"Atelier coopératif n°{n}",
                                   url=f"https://www.cressoccitanie.org/agenda/atelier-{n}",
                                   page_url=f"https://www.cressoccitanie.org/agenda/atelier-{n}"))
              for n in range(6)]
    real_upsert = storage.write.upsert_events
    calls = []

    def second_batch_fails(db: Any, batch: Any, **kwargs: Any) -> Any:
        calls.append(len(batch))
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return real_upsert(db, batch, **kwargs)

    monkeypatch.setattr(storage.write, "upsert_events", second_batch_fails)
    crawler = get_crawler(settings_dict={"ESS_DB_PATH": str(db_path), "ESS_STORE_BATCH_SIZE": 2})
    store = build_from_crawler(SqliteStorePipeline, crawler)
    store.open_spider()
    raised = 0
    for event in events:
        store.page_seen(PageSeen(event.source, event.page_url, "hash", extractor="jsonld", events=1))
        try:
            store.process_item(event)
        except sqlite3.OperationalError:
            raised += 1
    try:
        store.close_spider()
    except sqlite3.OperationalError:
        raised += 1
    assert raised == 1 and calls == [2, 2, 2]
    db = open_db(db_path)
    assert db.execute("select count(*) from event_sources").fetchone()[0] == 4
    assert load_pages(db, events[0].source) == {}
    db.close()
    assert crawler.stats.get_value("ess/store/new") == 4
