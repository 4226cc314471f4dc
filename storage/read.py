"""The read path: every query of stored events, their history, pages and crawls (nothing here writes)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from storage.rows import EventRow, PageRecord

if TYPE_CHECKING:
    from sqlite_utils import Database


# --- consolidated events --------------------------------------------------------------

_FILTERS_DOC = """Filters: `date_from`/`date_to` keep events whose local span [start_date, end_date]
    overlaps the range; `region` is a région code ('76') or name ('Occitanie'); `department` an
    INSEE code ('31', '2A'); `online_only` keeps online and mixed events. Events no source lists
    any more (`missing`) are left out unless `include_all`; events whose date could not be read
    (`date_status='unparsed'`) are always left out: they have no start to publish."""


def _where(
    date_from: date | None,
    date_to: date | None,
    region: str | None,
    department: str | None,
    online_only: bool,
    include_all: bool,
) -> tuple[str, list[Any]]:
    clauses = ["e.date_status = 'ok'"]
    params: list[Any] = []
    if not include_all:
        clauses.append("e.missing = 0")
    if date_from is not None:
        clauses.append("coalesce(e.end_date, e.start_date) >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append("e.start_date <= ?")
        params.append(date_to.isoformat())
    if region:
        clauses.append("(e.region_code = ? OR e.region = ?)")
        params += [region, region]
    if department:
        clauses.append("e.department = ?")
        params.append(department)
    if online_only:
        clauses.append("e.attendance IN ('online', 'mixed')")
    return " AND ".join(clauses), params


def iter_events(
    db: Database,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    online_only: bool = False,
    include_all: bool = False,
) -> Iterator[EventRow]:
    """Stream consolidated events as `EventRow` dicts ordered by (start_utc or start_date, id).

    Rows come straight off an SQLite cursor (no fetchall), so memory stays flat at any size.
    `sources` is decoded to [{"source", "url", "name"}] and `tags` to a list; `last_seen` is the
    latest time any source listed the event (its records' `last_seen`), which unchanged
    recrawls move without rewriting the `events` row.
    """
    where, params = _where(date_from, date_to, region, department, online_only, include_all)
    names = {row[0]: row[1] or row[0] for row in db.execute("SELECT id, name FROM sources")}
    sql = f"""
        SELECT e.*,
               coalesce((SELECT max(s.last_seen) FROM event_sources s WHERE s.event_id = e.id),
                        e.last_seen) AS live_last_seen
        FROM events e
        WHERE {where}
        ORDER BY coalesce(e.start_utc, e.start_date), e.id
    """
    cursor = db.conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    try:
        for values in cursor:
            yield _event_row(dict(zip(columns, values)), names)
    finally:
        cursor.close()


iter_events.__doc__ = (iter_events.__doc__ or "") + "\n    " + _FILTERS_DOC


def _event_row(raw: dict[str, Any], names: dict[str, str]) -> EventRow:
    raw["last_seen"] = raw.pop("live_last_seen", None) or raw["last_seen"]
    raw["tags"] = json.loads(raw["tags"] or "[]")
    raw["sources"] = [
        {"source": s["source"], "url": s["url"], "name": names.get(s["source"], s["source"])}
        for s in json.loads(raw["sources"] or "[]")
    ]
    return raw  # type: ignore[return-value]


def get_event(db: Database, event_id: str) -> EventRow | None:
    """One consolidated event as an `EventRow` (whatever its status or date), or None."""
    names = {row[0]: row[1] or row[0] for row in db.execute("SELECT id, name FROM sources")}
    cursor = db.conn.execute(
        """SELECT e.*, coalesce((SELECT max(s.last_seen) FROM event_sources s WHERE s.event_id = e.id),
                                e.last_seen) AS live_last_seen
           FROM events e WHERE e.id = ?""",
        [event_id],
    )
    columns = [d[0] for d in cursor.description]
    values = cursor.fetchone()
    return _event_row(dict(zip(columns, values)), names) if values else None


def count_events(
    db: Database,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    region: str | None = None,
    department: str | None = None,
    online_only: bool = False,
    include_all: bool = False,
) -> int:
    """How many events `iter_events` would yield with the same filters."""
    where, params = _where(date_from, date_to, region, department, online_only, include_all)
    return int(db.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0])


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


# --- pages -------------------------------------------------------------------------


def load_pages(db: Database, source: str) -> dict[str, PageRecord]:
    """Every page recorded for `source`, by real URL."""
    out: dict[str, PageRecord] = {}
    for url, body_hash, extractor, events, next_urls, record_ids, links in db.execute(
        "SELECT url, body_hash, extractor, events, next_urls, record_ids, links FROM pages WHERE source = ?",
        [source],
    ):
        out[url] = PageRecord(url, body_hash, extractor or "", int(events or 0), json.loads(next_urls or "[]"),
                              json.loads(record_ids or "[]"), json.loads(links) if links else None)
    return out



# --- crawls ------------------------------------------------------------------------


def _crawl_dict(columns: list[str], values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(columns, values))
    for key, empty in (("by_extractor", "{}"), ("faults", "[]"), ("stats", "{}")):
        if key in row:
            row[key] = json.loads(row[key] or empty)
    return row


def last_crawls(db: Database, limit_per_source: int = 1) -> list[dict[str, Any]]:
    """The latest `limit_per_source` crawls of every source, newest first within a source,
    sources in id order; JSON columns decoded."""
    cursor = db.execute(
        """SELECT * FROM (
               SELECT c.*, row_number() OVER (PARTITION BY source ORDER BY id DESC) AS _rank FROM crawls c
           ) WHERE _rank <= ? ORDER BY source, id DESC""",
        [limit_per_source],
    )
    columns = [d[0] for d in cursor.description]
    rows = [_crawl_dict(columns, values) for values in cursor]
    for row in rows:
        del row["_rank"]
    return rows


def previous_successful_event_count(db: Database, source: str, *, before: int | None = None) -> int | None:
    """`events_seen` of the source's latest complete 'ok' crawl (before crawl id `before`), or None."""
    row = db.execute(
        """SELECT events_seen FROM crawls
           WHERE source = ? AND status = 'ok' AND complete = 1 AND id < ?
           ORDER BY id DESC LIMIT 1""",
        [source, before if before is not None else 2**62],
    ).fetchone()
    return None if row is None else int(row[0])


def latest_crawl(db: Database, source: str) -> dict[str, Any] | None:
    """The source's most recent crawl row (JSON columns decoded), or None before its first crawl."""
    cursor = db.execute("SELECT * FROM crawls WHERE source = ? ORDER BY id DESC LIMIT 1", [source])
    values = cursor.fetchone()
    return _crawl_dict([d[0] for d in cursor.description], values) if values else None

