"""`event_history`: sources, merge reasons and changes of one event."""

from __future__ import annotations

from datetime import datetime

from storage.read import event_history, iter_events
from storage.write import upsert_events
from tests.storage.helpers import PARIS, T0, T1, forum, forum_national, memory_db


def test_history_lists_sources_reasons_and_changes():
    db = memory_db()
    upsert_events(db, [forum()], seen_at=T0)
    upsert_events(db, [forum(start=datetime(2026, 11, 19, 10, 0, tzinfo=PARIS)), forum_national()], seen_at=T1)
    [event] = list(iter_events(db))
    history = event_history(db, event["id"])
    assert history is not None
    assert history["event"]["id"] == event["id"]
    assert [s["source"] for s in history["sources"]] == ["cress_occitanie", "lemois_ess"]
    assert history["sources"][0]["merge_reason"]["rule"] == "new"
    assert history["sources"][1]["merge_reason"]["with"] == forum().id
    fields = [c["field"] for c in history["changes"]]
    assert fields[0] == "created"
    assert {"start", "start_utc", "sources"} <= set(fields[1:])
    assert all(c["changed_at"] == "2026-11-03T06:00:00Z" for c in history["changes"][1:])
    # A record id leads to its event too.
    assert event_history(db, forum_national().id)["event"]["id"] == event["id"]
    assert event_history(db, "evt-0000000000000000") is None
