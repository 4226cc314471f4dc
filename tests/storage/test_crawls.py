"""Crawl rows, source registry mirror and the one path that marks events missing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.read import iter_events, last_crawls, previous_successful_event_count
from storage.write import finish_crawl, mark_missing, start_crawl, sync_sources, upsert_events
from tests.storage.helpers import T0, T1, T2, forum, forum_national, memory_db

WINDOW = {"window_start": date(2026, 11, 1), "window_end": date(2027, 3, 31)}


def _other_event():
    return forum(id="cress_occitanie:aaaaaaaaaaaaaaaa", url="https://www.cress-occitanie.example/agenda/ag",
                 title="Assemblée générale de la CRESS", start=date(2026, 12, 8), end=None, all_day=True)


def _crawl(db, events, *, at, status="ok", complete=True, window=WINDOW, detect_missing=False):
    crawl_id = start_crawl(db, "cress_occitanie", at=at)
    stats = upsert_events(db, events, seen_at=at)
    _crawl.flagged = finish_crawl(
        db, crawl_id, {"pages": 3, "events_seen": len(events), "events_new": stats.new,
                       "events_updated": stats.updated, "by_extractor": {"jsonld": len(events)}, **window},
        status, complete=complete, at=at, detect_missing=detect_missing,
    )
    return crawl_id


def test_crawl_rows_and_source_status():
    db = memory_db()
    sync_sources(db, [{"id": "cress_occitanie", "name": "CRESS Occitanie", "region_code": "76", "kind": "cress",
                       "enabled": True, "strategy": "jsonld", "start_urls": ["https://cress.example/agenda"]}])
    first = _crawl(db, [forum(), _other_event()], at=T0)
    second = _crawl(db, [forum()], at=T1, status="failed", complete=False)
    [latest] = last_crawls(db)
    assert latest["id"] == second
    assert (latest["status"], latest["complete"], latest["events_seen"]) == ("failed", 0, 1)
    assert [c["id"] for c in last_crawls(db, limit_per_source=5)] == [second, first]
    first_row = last_crawls(db, limit_per_source=2)[1]
    assert first_row["by_extractor"] == {"jsonld": 2}
    assert (first_row["events_new"], first_row["pages"], first_row["window_start"]) == (2, 3, "2026-11-01")
    assert first_row["started_at"] == "2026-11-02T06:00:00Z"
    assert previous_successful_event_count(db, "cress_occitanie") == 2
    source = next(db.query("SELECT * FROM sources"))
    assert (source["name"], source["kind"], source["last_status"], source["last_crawl_id"]) == (
        "CRESS Occitanie", "cress", "failed", second,
    )
    assert source["last_complete_at"] == "2026-11-02T06:00:00Z"
    # Re-syncing the registry keeps the crawl status columns.
    sync_sources(db, [{"id": "cress_occitanie", "name": "CRESS d'Occitanie", "kind": "cress"}])
    source = next(db.query("SELECT * FROM sources"))
    assert (source["name"], source["last_status"]) == ("CRESS d'Occitanie", "failed")


def test_source_that_fails_mid_crawl_marks_nothing_missing():
    db = memory_db()
    _crawl(db, [forum(), _other_event()], at=T0)
    _crawl(db, [forum()], at=T1, status="failed", complete=False)
    assert mark_missing(db, "cress_occitanie", seen_record_ids={forum().id}, at=T1, **WINDOW) == 0
    _crawl(db, [forum()], at=T1, status="degraded", complete=True)
    assert mark_missing(db, "cress_occitanie", seen_record_ids={forum().id}, at=T1, **WINDOW) == 0
    _crawl(db, [forum()], at=T1, status="ok", complete=False)
    assert mark_missing(db, "cress_occitanie", seen_record_ids={forum().id}, at=T1, **WINDOW) == 0
    assert db.execute("SELECT count(*) FROM event_sources WHERE missing_since IS NOT NULL").fetchone()[0] == 0
    assert len(list(iter_events(db))) == 2


def test_complete_crawl_marks_unlisted_events_missing_and_a_relisting_clears_it():
    db = memory_db()
    _crawl(db, [forum(), _other_event()], at=T0)
    _crawl(db, [forum()], at=T1)
    assert mark_missing(db, "cress_occitanie", seen_record_ids={forum().id}, at=T1, **WINDOW) == 1
    assert [r["title"] for r in iter_events(db)] == [forum().title]
    gone = [r for r in iter_events(db, include_all=True) if r["missing"]]
    assert [r["title"] for r in gone] == ["Assemblée générale de la CRESS"]
    assert db["event_sources"].count == 2  # nothing is deleted
    assert db.execute("SELECT events_missing FROM crawls ORDER BY id DESC").fetchone()[0] == 1

    _crawl(db, [forum(), _other_event()], at=T2)
    assert {r["title"] for r in iter_events(db)} == {forum().title, "Assemblée générale de la CRESS"}
    assert db.execute("SELECT count(*) FROM event_sources WHERE missing_since IS NOT NULL").fetchone()[0] == 0


def test_events_outside_the_crawl_window_are_not_marked():
    db = memory_db()
    _crawl(db, [forum(), _other_event()], at=T0)
    _crawl(db, [forum()], at=T1)
    assert mark_missing(db, "cress_occitanie", seen_record_ids={forum().id}, at=T1,
                        window_start=date(2026, 11, 1), window_end=date(2026, 11, 30)) == 0


def test_an_event_stays_listed_while_another_source_lists_it():
    db = memory_db()
    upsert_events(db, [forum_national()], seen_at=T0)
    _crawl(db, [forum(), _other_event()], at=T0)
    _crawl(db, [_other_event()], at=T1)
    assert mark_missing(db, "cress_occitanie", seen_record_ids={_other_event().id}, at=T1, **WINDOW) == 1
    [event] = [r for r in iter_events(db) if r["start_date"] == "2026-11-19"]
    assert event["missing"] == 0
    assert [s["source"] for s in event["sources"]] == ["lemois_ess"]


def test_finish_crawl_rejects_running_status_and_measures_duration():
    db = memory_db()
    crawl_id = start_crawl(db, "cress_bretagne", at=datetime(2026, 11, 2, 6, 0, tzinfo=UTC))
    try:
        finish_crawl(db, crawl_id, {}, "running")
    except ValueError:
        pass
    else:
        raise AssertionError("running is not a final status")
    finish_crawl(db, crawl_id, stats={"errors": 2, "message": "HTTP 503 on page 2"}, status="degraded",
                 complete=False, at=datetime(2026, 11, 2, 6, 1, 30, tzinfo=UTC))
    [row] = last_crawls(db)
    assert (row["duration_s"], row["errors"], row["message"], row["complete"]) == (90.0, 2, "HTTP 503 on page 2", 0)
    assert previous_successful_event_count(db, "cress_bretagne") is None


def test_finish_crawl_flags_what_a_complete_healthy_crawl_no_longer_lists():
    db = memory_db()
    past = forum(id="cress_occitanie:bbbbbbbbbbbbbbbb", url="https://www.cress-occitanie.example/agenda/old",
                 title="Portes ouvertes d'une ressourcerie", start=date(2026, 10, 20), end=None, all_day=True)
    far = forum(id="cress_occitanie:cccccccccccccccc", url="https://www.cress-occitanie.example/agenda/far",
                title="Université d'été de l'ESS", start=date(2027, 7, 1), end=None, all_day=True)
    _crawl(db, [forum(), _other_event(), past, far], at=T0, window={}, detect_missing=True)
    assert _crawl.flagged == 0
    # A failed crawl listing only the forum flags nothing, whatever detect_missing says.
    _crawl(db, [forum()], at=T1, status="failed", complete=False, window={}, detect_missing=True)
    assert _crawl.flagged == 0
    # A complete one flags the assembly (between the crawl day and the forum, the latest date
    # it listed) but neither the past open day nor next summer's event, outside that window.
    _crawl(db, [forum(), _other_event()], at=T2, window={}, detect_missing=True)
    assert _crawl.flagged == 0
    _crawl(db, [forum()], at=datetime(2026, 11, 5, 6, 0, tzinfo=UTC), window={}, detect_missing=True)
    assert _crawl.flagged == 0  # the assembly (8 December) is after the forum, the last date listed
    _crawl(db, [forum(), far], at=datetime(2026, 11, 6, 6, 0, tzinfo=UTC), window={}, detect_missing=True)
    assert _crawl.flagged == 1
    missing = {r["id"] for r in db.query("SELECT id FROM event_sources WHERE missing_since IS NOT NULL")}
    assert missing == {_other_event().id}
    assert db.execute("SELECT events_missing FROM crawls ORDER BY id DESC").fetchone()[0] == 1


def test_sync_sources_guesses_a_missing_kind_from_the_id():
    db = memory_db()
    sync_sources(db, [{"id": "cress_corse", "name": "CRESS Corse"}, {"id": "lemois_ess", "name": "Mois de l'ESS"},
                      {"id": "entreprendre_montpellier", "name": "Entreprendre Montpellier"},
                      {"id": "cress_blog_roundup", "name": "Revue de presse", "kind": "other"}])
    kinds = {r["id"]: r["kind"] for r in db.query("SELECT id, kind FROM sources")}
    assert kinds == {"cress_corse": "cress", "lemois_ess": "national", "entreprendre_montpellier": "other",
                     "cress_blog_roundup": "other"}



def test_a_crawl_left_running_by_a_killed_run_is_marked_interrupted():
    db = memory_db()
    killed = start_crawl(db, "cress_occitanie", at=T0)
    start_crawl(db, "cress_occitanie", at=T1)
    row = db.execute("select status, complete, message from crawls where id = ?", [killed]).fetchone()
    assert row[0] == "interrupted" and not row[1] and "stopped" in row[2]
