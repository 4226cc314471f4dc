"""The write path: source records (with consolidation), page records, the source registry and crawls."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from storage.consolidate import refresh_events, source_kind, store_records
from storage.db import write_transaction
from storage.read import latest_crawl
from storage.rows import RECORD_FIELDS, PageRecord, UpsertStats, event_to_row, fingerprint, stamp_iso, utc_iso

if TYPE_CHECKING:
    from sqlite_utils import Database

    from scraper.items import Event

# Small batches keep each write transaction short, so readers (exports, Datasette) and a
# second writer wait milliseconds, not the whole crawl; one batch is all-or-nothing.
DEFAULT_BATCH_SIZE = 200


# --- source records --------------------------------------------------------------


def _batches(items: Iterable[Event], size: int) -> Iterator[list[Event]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def upsert_events(
    db: Database,
    events: Iterable[Event],
    *,
    seen_at: datetime | None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> UpsertStats:
    """Store source records and keep their consolidated events up to date; returns counts.

    Each batch is one transaction: records, consolidated events, change history and the
    full-text index are written together or not at all. A record seen again unchanged only
    moves its `event_sources.last_seen` (and clears `missing_since`); its `events` row is not
    written, so `updated_at`, `sequence` and `fingerprint` move only on real changes.
    """
    # The crawl's own clock when given (a naive stamp is UTC), else now: a missing stamp
    # must not lose the batch.
    seen = stamp_iso(seen_at) or utc_iso(datetime.now(UTC))
    total = UpsertStats()
    for batch in _batches(events, batch_size):
        rows: dict[str, dict[str, Any]] = {}
        for ev in batch:
            row = event_to_row(ev)
            row["fingerprint"] = fingerprint(row, RECORD_FIELDS)
            rows[row["id"]] = row  # a record listed twice in one batch: the last one wins
        with write_transaction(db):
            total += store_records(db, list(rows.values()), seen_at=seen)
    return total


# --- pages -------------------------------------------------------------------------


def save_pages(db: Database, source: str, pages: Iterable[PageRecord], *, at: str) -> int:
    """Insert or replace the rows of pages read in full by this crawl (`at`: ISO UTC); returns the count."""
    rows = [
        (source, p.url, p.body_hash, p.extractor, p.events,
         json.dumps(list(p.next_urls), ensure_ascii=False),
         json.dumps(sorted(set(p.record_ids)), ensure_ascii=False),
         None if p.links is None else json.dumps(p.links, ensure_ascii=False), at)
        for p in pages
    ]
    if not rows:
        return 0
    with db.atomic():
        db.conn.executemany(
            """INSERT INTO pages (source, url, body_hash, extractor, events, next_urls, record_ids, links, read_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (source, url) DO UPDATE SET body_hash = excluded.body_hash,
                   extractor = excluded.extractor, events = excluded.events,
                   next_urls = excluded.next_urls, record_ids = excluded.record_ids,
                   links = excluded.links, read_at = excluded.read_at""",
            rows,
        )
    return len(rows)


def touch_records(db: Database, record_ids: Iterable[str], *, seen_at: str) -> set[str]:
    """Confirm records as still listed by their source (`last_seen = seen_at`, missing cleared),
    the same bookkeeping `upsert_events` does for a record seen again unchanged; a record that
    had been flagged missing brings its consolidated event back. Writes no `events` row
    otherwise. Returns the ids that exist."""
    ids = list(dict.fromkeys(record_ids))
    found: set[str] = set()
    back: set[str] = set()
    with db.atomic():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for rid, event_id, missing_since in db.conn.execute(
                f"SELECT id, event_id, missing_since FROM event_sources WHERE id IN ({marks})", chunk
            ):
                found.add(rid)
                if missing_since is not None:
                    back.add(event_id)
        db.conn.executemany(
            "UPDATE event_sources SET last_seen = ?, missing_since = NULL WHERE id = ?",
            [(seen_at, rid) for rid in found],
        )
        if back:
            refresh_events(db, back, at=seen_at)
    return found


# --- sources and crawls -------------------------------------------------------------

CRAWL_STATUSES = ("running", "ok", "degraded", "failed", "interrupted")
_COUNTERS = (
    "pages", "events_seen", "events_new", "events_updated", "events_missing", "errors",
    "http_errors", "dates_unparsed",
)
_SOURCE_KEYS = ("name", "region_code", "home_url", "kind", "enabled", "strategy", "notes")


def _now(at: datetime | None) -> str:
    return utc_iso(at or datetime.now(UTC))


def sync_sources(db: Database, entries: Iterable[dict[str, Any]]) -> int:
    """Mirror registry entries (dicts with id, name, region_code, home_url, kind, enabled,
    strategy, notes, start_urls) into `sources`; crawl status columns are left alone. A
    missing `kind` is guessed from the id ('cress_*' -> 'cress', 'lemois_ess'/'ess_france' ->
    'national', else 'other'): it decides which source's values win in consolidation.

    Returns the number of entries written.
    """
    rows = []
    for entry in entries:
        row: dict[str, Any] = {"id": entry["id"]}
        for key in _SOURCE_KEYS:
            if key in entry:
                row[key] = entry[key]
        if not row.get("kind"):
            row["kind"] = source_kind(row["id"], {})
        if "enabled" in row:
            row["enabled"] = int(bool(row["enabled"]))
        if "start_urls" in entry:
            row["start_urls"] = json.dumps(list(entry["start_urls"] or []), ensure_ascii=False)
        rows.append(row)
    with write_transaction(db):
        for row in rows:
            columns = list(row)
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
            db.execute(
                "INSERT INTO sources ({}) VALUES ({}) ON CONFLICT (id) DO {}".format(
                    ", ".join(columns), ", ".join("?" for _ in columns),
                    f"UPDATE SET {updates}" if updates else "NOTHING",
                ),
                [row[c] for c in columns],
            )
    return len(rows)


def start_crawl(db: Database, source: str, *, at: datetime | None = None) -> int:
    """Open a 'running' crawl row for `source` and return its id; rows a killed run left
    'running' become 'interrupted'."""
    started = _now(at)
    with write_transaction(db):
        db.execute(
            "INSERT INTO sources (id, kind) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            [source, source_kind(source, {})],
        )
        # Runs hold an exclusive lock, so a row still 'running' belongs to a killed run.
        _interrupt(db, [source])
        cursor = db.execute(
            "INSERT INTO crawls (source, started_at, status) VALUES (?, ?, 'running')", [source, started]
        )
        crawl_id = int(cursor.lastrowid or 0)
        db.execute(
            "UPDATE sources SET last_crawl_id = ?, last_status = 'running', last_crawl_at = ? WHERE id = ?",
            [crawl_id, started, source],
        )
    return crawl_id


def mark_interrupted(db: Database, sources: Iterable[str]) -> int:
    """Crawl rows of `sources` still 'running' (their run was stopped before they closed)
    become 'interrupted' and incomplete; returns how many."""
    with write_transaction(db):
        return _interrupt(db, list(sources))


def _interrupt(db: Database, sources: list[str]) -> int:
    count = 0
    for source in sources:
        count += db.execute(
            "UPDATE crawls SET status = 'interrupted', complete = 0, "
            "message = coalesce(message, 'the run was stopped before this crawl finished') "
            "WHERE source = ? AND status = 'running'",
            [source],
        ).rowcount
        db.execute("UPDATE sources SET last_status = 'interrupted' WHERE id = ? AND last_status = 'running'",
                   [source])
    return count


def finish_crawl(
    db: Database,
    crawl_id: int,
    stats: dict[str, Any] | None = None,
    status: str = "ok",
    *,
    complete: bool | None = None,
    at: datetime | None = None,
    detect_missing: bool = True,
) -> int:
    """Close a crawl row: counters from `stats` (keys named as the `crawls` columns: pages,
    events_seen, events_new, events_updated, errors, http_errors, dates_unparsed, by_extractor
    dict, faults list, window_start/window_end dates, message), the status ('ok', 'degraded',
    'failed') and whether the crawl walked the whole listing (`complete`, default: status 'ok').

    Only a complete crawl with status 'ok' lets `mark_missing` flag anything; with
    `detect_missing` (the default) such a crawl flags, through `mark_missing_for_crawl`, the
    records it no longer listed. Returns how many records were flagged missing.
    """
    if status not in CRAWL_STATUSES or status == "running":
        raise ValueError(f"finish status must be ok, degraded, failed or interrupted, not {status!r}")
    stats = dict(stats or {})
    complete = status == "ok" if complete is None else bool(complete)
    finished = _now(at)
    row = db.execute("SELECT source, started_at FROM crawls WHERE id = ?", [crawl_id]).fetchone()
    if row is None:
        raise ValueError(f"no crawl {crawl_id}")
    source, started = row
    duration = stats.get("duration_s")
    if duration is None:
        duration = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    values: dict[str, Any] = {
        "finished_at": finished,
        "status": status,
        "complete": int(complete),
        "duration_s": round(float(duration), 3),
        "stats": json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True),
    }
    for key in _COUNTERS:
        if key in stats:
            values[key] = int(stats[key] or 0)
    if "by_extractor" in stats:
        values["by_extractor"] = json.dumps(dict(stats["by_extractor"] or {}), ensure_ascii=False, sort_keys=True)
    if "faults" in stats:
        values["faults"] = json.dumps(list(stats["faults"] or []), ensure_ascii=False, default=str)
    for key in ("window_start", "window_end"):
        if stats.get(key) is not None:
            value = stats[key]
            values[key] = value.isoformat() if isinstance(value, date) else str(value)
    if stats.get("message") is not None:
        values["message"] = str(stats["message"])
    with write_transaction(db):
        db.execute(
            "UPDATE crawls SET {} WHERE id = ?".format(", ".join(f"{k} = ?" for k in values)),
            [*values.values(), crawl_id],
        )
        db.execute(
            """UPDATE sources SET last_crawl_id = ?, last_status = ?,
                   last_complete_at = CASE WHEN ? THEN ? ELSE last_complete_at END
               WHERE id = ?""",
            [crawl_id, status, complete and status == "ok", finished, source],
        )
    if detect_missing and complete and status == "ok":
        return mark_missing_for_crawl(db, crawl_id, at=datetime.fromisoformat(finished))
    return 0



def mark_missing(
    db: Database,
    source: str,
    *,
    window_start: date,
    window_end: date,
    seen_record_ids: set[str],
    at: datetime,
) -> int:
    """Flag the source's records dated inside [window_start, window_end] that this crawl did not
    list (`event_sources.missing_since = at`), and their events once no source lists them.

    The only path that marks anything missing, and it refuses unless the source's latest
    crawl finished 'ok' and complete: a failed, degraded, partial or still-running crawl
    marks nothing, nor does a crawl that listed no record at all. Nothing is deleted; a
    record listed again is cleared by `upsert_events`. Returns how many records were flagged.
    """
    when = utc_iso(at)
    # Reads and writes in one write transaction: a record another process lists again
    # meanwhile is never flagged from a stale read.
    with write_transaction(db):
        crawl = latest_crawl(db, source)
        if crawl is None or crawl["status"] != "ok" or not crawl["complete"] or not seen_record_ids:
            return 0
        cursor = db.execute(
            """SELECT id, event_id FROM event_sources
               WHERE source = ? AND start_date BETWEEN ? AND ? AND missing_since IS NULL""",
            [source, window_start.isoformat(), window_end.isoformat()],
        )
        gone = [(rid, event_id) for rid, event_id in cursor if rid not in seen_record_ids]
        if not gone:
            return 0
        db.conn.executemany(
            "UPDATE event_sources SET missing_since = ? WHERE id = ?", [(when, rid) for rid, _ in gone]
        )
        refresh_events(db, {event_id for _, event_id in gone}, at=when)
        db.execute(
            "UPDATE crawls SET events_missing = events_missing + ? WHERE id = ?", [len(gone), crawl["id"]]
        )
    return len(gone)


def mark_missing_for_crawl(db: Database, crawl_id: int, *, at: datetime | None = None) -> int:
    """`mark_missing` for a finished crawl, from what the database knows of it.

    Seen records are the source's records whose `last_seen` is not older than the crawl's
    start. The window is the crawl's `window_start`/`window_end` when its stats gave them,
    else from the crawl's start day to the latest start date it listed: a listing shows
    upcoming events, so events already past, or later than anything listed, are not judged.
    """
    crawl = db.execute(
        "SELECT source, started_at, window_start, window_end FROM crawls WHERE id = ?", [crawl_id]
    ).fetchone()
    if crawl is None:
        raise ValueError(f"no crawl {crawl_id}")
    source, started, window_start, window_end = crawl
    seen = {
        rid
        for (rid,) in db.execute(
            "SELECT id FROM event_sources WHERE source = ? AND last_seen >= ?", [source, started]
        )
    }
    if not seen:
        return 0
    if window_end is None:
        window_end = db.execute(
            "SELECT max(start_date) FROM event_sources WHERE source = ? AND last_seen >= ?", [source, started]
        ).fetchone()[0]
    if window_start is None:
        window_start = started[:10]
    if window_end is None:
        return 0
    return mark_missing(
        db,
        source,
        window_start=date.fromisoformat(window_start[:10]),
        window_end=date.fromisoformat(window_end[:10]),
        seen_record_ids=seen,
        at=at or datetime.now(UTC),
    )
