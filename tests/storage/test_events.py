"""Upserting source records and streaming consolidated `EventRow`s."""

from __future__ import annotations

import json
import tracemalloc
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.normalize.event import apply_status
from storage import consolidate
from storage.read import count_events, iter_events
from storage.rows import event_to_row
from storage.write import upsert_events
from tests.storage.helpers import PARIS, T0, T1, T2, forum, forum_national, memory_db

EVENT_ROW_KEYS = {
    "id", "title", "description_html", "url", "start", "end", "start_date", "end_date", "start_utc",
    "all_day", "timezone", "venue", "address", "postal_code", "city", "insee", "department", "region",
    "region_code", "region_from", "latitude", "longitude", "attendance", "online_url", "status", "missing", "organizer",
    "registration_url", "image", "tags", "sources", "fingerprint", "sequence", "first_seen", "last_seen",
    "updated_at", "date_status",
}


def _log_event_writes(db):
    db.execute("CREATE TEMP TABLE event_writes (op TEXT, id TEXT)")
    for op in ("INSERT", "UPDATE", "DELETE"):
        ref = "old" if op == "DELETE" else "new"
        db.execute(
            f"CREATE TEMP TRIGGER log_{op.lower()} AFTER {op} ON main.events "
            f"BEGIN INSERT INTO event_writes VALUES ('{op}', {ref}.id); END"
        )


def test_event_row_has_the_contract_keys_and_iso_values():
    db = memory_db()
    stats = upsert_events(db, [forum()], seen_at=T0)
    assert (stats.new, stats.updated, stats.unchanged) == (1, 0, 0)
    [row] = list(iter_events(db))
    assert set(row) == EVENT_ROW_KEYS
    assert row["id"].startswith("evt-")
    assert row["start"] == "2026-11-19T09:00:00+01:00"
    assert row["end"] == "2026-11-19T17:30:00+01:00"
    assert row["start_utc"] == "2026-11-19T08:00:00Z"
    assert (row["start_date"], row["end_date"], row["all_day"]) == ("2026-11-19", "2026-11-19", 0)
    assert row["tags"] == ["forum"]
    assert row["sources"] == [{
        "source": "cress_occitanie",
        "url": "https://www.cress-occitanie.example/agenda/forum-ess-toulouse",
        "name": "cress_occitanie",
    }]
    assert (row["sequence"], row["missing"], row["status"]) == (0, 0, "scheduled")
    assert row["first_seen"] == row["last_seen"] == row["updated_at"] == "2026-11-02T06:00:00Z"


def test_unchanged_second_upsert_writes_no_event_row_but_moves_last_seen():
    db = memory_db()
    upsert_events(db, [forum(), forum_national()], seen_at=T0)
    before = list(db.query("SELECT * FROM events ORDER BY id"))
    _log_event_writes(db)

    stats = upsert_events(db, [forum(), forum_national()], seen_at=T1)

    assert (stats.new, stats.updated, stats.unchanged) == (0, 0, 2)
    assert db.execute("SELECT count(*) FROM event_writes").fetchone()[0] == 0
    assert list(db.query("SELECT * FROM events ORDER BY id")) == before
    assert db.execute("SELECT count(*) FROM event_changes WHERE field != 'created'").fetchone()[0] == 0
    [row] = list(iter_events(db))
    assert row["first_seen"] == "2026-11-02T06:00:00Z"
    assert row["last_seen"] == "2026-11-03T06:00:00Z"
    assert row["updated_at"] == "2026-11-02T06:00:00Z"
    assert {r["last_seen"] for r in db.query("SELECT last_seen FROM event_sources")} == {"2026-11-03T06:00:00Z"}


def test_changed_time_updates_event_and_increments_sequence():
    db = memory_db()
    upsert_events(db, [forum()], seen_at=T0)
    [before] = list(iter_events(db))
    moved = forum(start=datetime(2026, 11, 19, 9, 30, tzinfo=PARIS))

    stats = upsert_events(db, [moved], seen_at=T1)
    assert (stats.new, stats.updated, stats.unchanged) == (0, 1, 0)
    [after] = list(iter_events(db))
    assert after["id"] == before["id"]
    assert after["start"] == "2026-11-19T09:30:00+01:00"
    assert after["sequence"] == before["sequence"] + 1
    assert after["updated_at"] == "2026-11-03T06:00:00Z" != before["updated_at"]
    assert after["first_seen"] == before["first_seen"]
    assert after["fingerprint"] != before["fingerprint"]
    changes = {r["field"]: (r["old"], r["new"]) for r in db.query(
        "SELECT field, old, new FROM event_changes WHERE event_id = ? AND field != 'created'", [after["id"]]
    )}
    assert changes == {
        "start": ("2026-11-19T09:00:00+01:00", "2026-11-19T09:30:00+01:00"),
        "start_utc": ("2026-11-19T08:00:00Z", "2026-11-19T08:30:00Z"),
    }

    # The same content again is not a change.
    upsert_events(db, [moved], seen_at=T2)
    [again] = list(iter_events(db))
    assert (again["sequence"], again["updated_at"]) == (after["sequence"], after["updated_at"])


def test_all_day_and_overseas_dates_are_computed_in_the_events_own_zone():
    all_day = event_to_row(forum(start=date(2026, 11, 19), end=date(2026, 11, 21), all_day=True))
    assert (all_day["start"], all_day["end"], all_day["start_utc"], all_day["all_day"]) == (
        "2026-11-19", "2026-11-21", None, 1,
    )
    assert (all_day["start_date"], all_day["end_date"]) == ("2026-11-19", "2026-11-21")
    flagged = event_to_row(forum(start=datetime(2026, 11, 19, 0, 0, tzinfo=PARIS),
                                 end=datetime(2026, 11, 20, 0, 0, tzinfo=PARIS), all_day=True))
    assert (flagged["start"], flagged["end"], flagged["all_day"], flagged["start_utc"]) == (
        "2026-11-19", "2026-11-20", 1, None,
    )
    assert event_to_row(forum(start=date(2026, 11, 19), all_day=False, end=None))["all_day"] == 1
    reunion = ZoneInfo("Indian/Reunion")
    late = event_to_row(forum(
        start=datetime(2026, 11, 20, 1, 0, tzinfo=reunion), end=None, timezone="Indian/Reunion",
        region="La Réunion", region_code="04",
    ))
    # 01:00 in Saint-Denis is still the 19th in UTC: the local day is the 20th.
    assert (late["start_date"], late["end_date"], late["start_utc"]) == ("2026-11-20", "2026-11-20", "2026-11-19T21:00:00Z")
    assert late["end"] is None


def test_a_cancellation_the_wording_states_is_a_change_and_the_event_stays_listed():
    db = memory_db()
    upsert_events(db, [forum()], seen_at=T0)
    cancelled = forum(title="ANNULÉ - Forum de l'économie sociale et solidaire de Toulouse")
    apply_status(cancelled)  # as the clean pipeline does before storage
    upsert_events(db, [cancelled], seen_at=T1)
    [row] = list(iter_events(db))
    assert row["status"] == "cancelled"
    assert row["sequence"] == 1
    assert ("status", "scheduled", "cancelled") in [
        (r["field"], r["old"], r["new"]) for r in db.query("SELECT * FROM event_changes")
    ]
    assert event_to_row(forum(status="postponed"))["status"] == "postponed"


def test_unparsed_dates_are_stored_but_not_streamed():
    db = memory_db()
    vague = forum(id="cress_occitanie:ffffffffffffffff", url="https://www.cress-occitanie.example/agenda/x",
                  title="Café citoyen", start=None, end=None, start_raw="courant décembre", date_status="unparsed")
    upsert_events(db, [forum(), vague], seen_at=T0)
    assert db["events"].count == 2
    assert [r["title"] for r in iter_events(db)] == ["Forum de l'économie sociale et solidaire de Toulouse"]
    assert count_events(db) == 1
    assert db.execute("SELECT date_status FROM event_sources WHERE id = ?", [vague.id]).fetchone()[0] == "unparsed"


def _event(i, **kw):
    base = {"id": f"cress_occitanie:{i:016x}", "url": f"https://www.cress-occitanie.example/agenda/{i}",
                "title": f"Rencontre {i}", "tags": []}
    base.update(kw)
    return forum(**base)


def test_filters_and_order():
    db = memory_db()
    online = ZoneInfo("Europe/Paris")
    events = [
        _event(1, start=datetime(2026, 11, 20, 14, 0, tzinfo=online), end=None),
        _event(2, start=date(2026, 11, 20), end=None, all_day=True),
        _event(3, start=datetime(2026, 11, 20, 9, 0, tzinfo=online), end=None, attendance="online",
               insee=None, city=None, department=None, venue=None, address=None, postal_code=None),
        _event(4, start=date(2026, 12, 3), end=date(2026, 12, 5), all_day=True, region="Bretagne",
               region_code="53", department="35", insee="35238", city="Rennes"),
    ]
    upsert_events(db, events, seen_at=T0)
    titles = [r["title"] for r in iter_events(db)]
    # All-day events open their day, then timed ones by UTC start.
    assert titles == ["Rencontre 2", "Rencontre 3", "Rencontre 1", "Rencontre 4"]
    assert [r["title"] for r in iter_events(db, region="53")] == ["Rencontre 4"]
    assert [r["title"] for r in iter_events(db, region="Bretagne")] == ["Rencontre 4"]
    assert [r["title"] for r in iter_events(db, department="31")] == ["Rencontre 2", "Rencontre 1"]
    assert [r["title"] for r in iter_events(db, online_only=True)] == ["Rencontre 3"]
    # A span overlapping the range counts.
    assert [r["title"] for r in iter_events(db, date_from=date(2026, 12, 4))] == ["Rencontre 4"]
    assert [r["title"] for r in iter_events(db, date_to=date(2026, 11, 30))] == titles[:3]
    assert count_events(db, date_from=date(2026, 11, 21), date_to=date(2026, 12, 3)) == 1


def test_full_text_search_ignores_accents_and_follows_updates():
    db = memory_db()
    upsert_events(db, [forum()], seen_at=T0)
    hits = lambda q: [r[0] for r in db.execute(
        "SELECT e.title FROM events_fts JOIN events e ON e.rowid = events_fts.rowid WHERE events_fts MATCH ?", [q]
    )]
    assert hits("economie") == ["Forum de l'économie sociale et solidaire de Toulouse"]
    assert hits("labege") == ["Forum de l'économie sociale et solidaire de Toulouse"]
    upsert_events(db, [forum(title="Salon des coopératives")], seen_at=T1)
    assert hits("economie") == []
    assert hits("cooperatives") == ["Salon des coopératives"]


def test_upcoming_view_keeps_events_until_their_last_day():
    db = memory_db()
    today = date.today()
    upsert_events(db, [
        _event(1, start=date(today.year - 1, 1, 10), end=None, all_day=True),
        _event(2, start=today.replace(day=1) if today.day > 1 else today, end=today, all_day=True),
        _event(3, start=date(today.year + 1, 6, 1), end=None, all_day=True),
    ], seen_at=T0)
    assert [r["title"] for r in db.query("SELECT title FROM upcoming_events")] == ["Rencontre 2", "Rencontre 3"]


def test_a_failing_batch_leaves_nothing_half_written(monkeypatch):
    db = memory_db()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(consolidate, "refresh_events", boom)
    with pytest.raises(RuntimeError):
        upsert_events(db, [forum()], seen_at=T0)
    assert db["event_sources"].count == 0
    assert db["events"].count == 0
    assert not db.conn.in_transaction


def test_batches_are_separate_transactions():
    db = memory_db()
    events = [_event(i, start=date(2026, 11, 1 + i % 28), all_day=True, end=None) for i in range(25)]
    stats = upsert_events(db, events, seen_at=T0, batch_size=10)
    assert (stats.new, stats.events_created) == (25, 25)
    assert db["events"].count == 25


def test_iter_events_streams_with_flat_memory():
    db = memory_db()
    template = {c: None for c in db["events"].columns_dict}
    rows = []
    for i in range(10_000):
        rows.append({**template, "id": f"evt-{i:016x}", "title": f"Événement {i}", "description_html": "<p>x</p>" * 20,
                     "url": f"https://x.example/{i}", "start": "2026-11-19", "start_date": "2026-11-19",
                     "end_date": "2026-11-19", "all_day": 1, "status": "scheduled", "tags": "[]", "sources": "[]",
                     "date_status": "ok", "fingerprint": "0", "sequence": 0, "missing": 0,
                     "first_seen": "x", "last_seen": "x", "updated_at": "x"})
    columns = list(template)
    db.execute("DROP TRIGGER events_ai")  # indexing is not what this test measures
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO events ({}) VALUES ({})".format(
                ", ".join(f'"{c}"' for c in columns), ", ".join("?" for _ in columns)
            ),
            ([row[c] for c in columns] for row in rows),
        )
    del rows
    tracemalloc.start()
    count = 0
    for row in iter_events(db):
        count += 1
        json.dumps(row["sources"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 10_000
    assert peak < 2_000_000, peak  # a fetchall of these rows would take tens of MB


def test_records_listed_twice_in_one_batch_count_once():
    db = memory_db()
    stats = upsert_events(db, [forum(), replace(forum(), title="Forum ESS Toulouse (mis à jour)")], seen_at=T0)
    assert stats.new == 1
    assert db.execute("SELECT title FROM event_sources").fetchone()[0] == "Forum ESS Toulouse (mis à jour)"


def test_concurrent_writers_wait_their_turn_instead_of_failing(tmp_path):
    import threading
    from datetime import timedelta

    from storage.db import open_db

    path = tmp_path / "agenda.db"
    open_db(path).close()
    errors: list[str] = []

    def crawl(source: str) -> None:
        db = open_db(path)
        try:
            for batch in range(8):
                events = [
                    forum(source=source, id=f"{source}:{batch}-{i}", url=f"https://{source}.example/{batch}/{i}",
                          title=f"Rencontre {batch} {i}", start=date(2026, 11, 1) + timedelta(days=i % 20),
                          end=None, all_day=True)
                    for i in range(25)
                ]
                # Each batch reads (matching) before it writes: with a deferred transaction a
                # concurrent commit in between fails it with "database is locked".
                upsert_events(db, events, seen_at=T0)
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(repr(exc))
        finally:
            db.close()

    threads = [threading.Thread(target=crawl, args=(s,)) for s in ("cress_bretagne", "cress_corse", "lemois_ess")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = open_db(path)
    assert db["event_sources"].count == 3 * 8 * 25
    db.close()
