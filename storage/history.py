"""What happened to one event: its sources, why they were merged, and every recorded change."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from storage.events import get_event

if TYPE_CHECKING:
    from sqlite_utils import Database


def event_history(db: Database, event_id: str) -> dict[str, Any] | None:
    """History of a consolidated event, or None if unknown. `event_id` may also be a record id
    ('<source>:<hex>'): the event that record belongs to is shown.

    Returns {"event": EventRow, "sources": [record dicts with source, url, title, start,
    first_seen, last_seen, updated_at, missing_since, merge_reason (decoded)], "changes":
    [{"changed_at", "field", "old", "new"}] oldest first}.
    """
    event = get_event(db, event_id)
    if event is None:
        row = db.execute("SELECT event_id FROM event_sources WHERE id = ?", [event_id]).fetchone()
        if row is None:
            return None
        event = get_event(db, row[0])
        if event is None:
            return None
    names = {rid: name or rid for rid, name in db.execute("SELECT id, name FROM sources")}
    cursor = db.execute(
        """SELECT id, source, url, title, start, end, start_raw, location_raw, extractor, status,
                  fingerprint, first_seen, last_seen, updated_at, missing_since, merge_reason
           FROM event_sources WHERE event_id = ? ORDER BY first_seen, id""",
        [event["id"]],
    )
    columns = [d[0] for d in cursor.description]
    sources = []
    for values in cursor:
        record = dict(zip(columns, values))
        record["name"] = names.get(record["source"], record["source"])
        record["merge_reason"] = json.loads(record["merge_reason"]) if record["merge_reason"] else None
        sources.append(record)
    changes = [
        {"changed_at": changed_at, "field": field, "old": old, "new": new}
        for changed_at, field, old, new in db.execute(
            "SELECT changed_at, field, old, new FROM event_changes WHERE event_id = ? ORDER BY id",
            [event["id"]],
        )
    ]
    return {"event": event, "sources": sources, "changes": changes}
