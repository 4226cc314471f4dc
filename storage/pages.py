"""What each fetched page produced (`pages` table): lets an unchanged page skip extraction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(slots=True)
class PageRecord:
    """One page as last read: the body's SHA-1 and what extraction made of it."""

    url: str
    body_hash: str
    extractor: str = ""
    events: int = 0
    """Events the page emitted (after deferring to feeds and detail pages)."""
    next_urls: list[str] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    links: dict[str, Any] | None = None
    """Link candidates found in an HTML page (event, next, agenda), so that following an
    unchanged page's links does not parse it again."""


def load_pages(db: Database, source: str) -> dict[str, PageRecord]:
    """Every page recorded for `source`, by real URL."""
    if "pages" not in db.table_names():
        return {}
    out: dict[str, PageRecord] = {}
    for url, body_hash, extractor, events, next_urls, record_ids, links in db.execute(
        "SELECT url, body_hash, extractor, events, next_urls, record_ids, links FROM pages WHERE source = ?",
        [source],
    ):
        out[url] = PageRecord(url, body_hash, extractor or "", int(events or 0), json.loads(next_urls or "[]"),
                              json.loads(record_ids or "[]"), json.loads(links) if links else None)
    return out


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
    from storage.consolidate import refresh_events

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
