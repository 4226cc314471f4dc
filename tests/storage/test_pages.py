"""The pages table: what a page produced, and confirming its records when it comes back unchanged."""

from __future__ import annotations

from datetime import date

from storage.read import load_pages
from storage.rows import PageRecord, utc_iso
from storage.write import finish_crawl, mark_missing, save_pages, start_crawl, touch_records, upsert_events
from tests.storage.helpers import T0, T1, T2, forum, memory_db


def test_pages_round_trip_and_replace() -> None:
    db = memory_db()
    page = PageRecord("https://www.cress-occitanie.example/agenda/", "a" * 40, "html", 2,
                      [], ["cress_occitanie:1", "cress_occitanie:2"], {"event": ["x"], "next": None, "agenda": []})
    assert save_pages(db, "cress_occitanie", [page], at=utc_iso(T0)) == 1
    assert load_pages(db, "cress_occitanie") == {page.url: page}
    page.body_hash, page.record_ids = "b" * 40, ["cress_occitanie:3"]
    save_pages(db, "cress_occitanie", [page], at=utc_iso(T1))
    assert load_pages(db, "cress_occitanie")[page.url].record_ids == ["cress_occitanie:3"]
    assert load_pages(db, "cress_bretagne") == {}


def test_touch_records_moves_last_seen_only_and_brings_a_missing_event_back() -> None:
    db = memory_db()
    ev = forum()
    upsert_events(db, [ev], seen_at=T0)
    rid, event_id = db.execute("select id, event_id from event_sources").fetchone()
    crawl = start_crawl(db, "cress_occitanie", at=T1)
    finish_crawl(db, crawl, {}, "ok", complete=True, at=T1, detect_missing=False)
    assert mark_missing(db, "cress_occitanie", window_start=date(2026, 11, 1), window_end=date(2026, 11, 30),
                        seen_record_ids={"cress_occitanie:other"}, at=T1) == 1
    assert db.execute("select missing from events").fetchone()[0] == 1

    assert touch_records(db, [rid, "cress_occitanie:unknown"], seen_at=utc_iso(T2)) == {rid}
    assert db.execute("select last_seen, missing_since from event_sources").fetchone() == (utc_iso(T2), None)
    assert db.execute("select missing from events where id = ?", [event_id]).fetchone()[0] == 0

    # Seen again while listed: only the record's last_seen moves, no events row is written.
    before = db.execute("select * from events").fetchall()
    touch_records(db, [rid], seen_at="2026-11-05T06:00:00Z")
    assert db.execute("select * from events").fetchall() == before
