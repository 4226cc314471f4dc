"""The database schema, as an ordered set of sqlite-utils migrations (the only place it is defined)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from sqlite_utils.migrations import Migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

migrations = Migrations("ess_events")

# Bumped with every migration so that `PRAGMA user_version` tells tools outside Python
# (sqlite3 shell, Datasette) which schema a file has without reading `_sqlite_migrations`.
SCHEMA_VERSION = 5

# Normalized event columns shared by `event_sources` (one per source record) and `events`
# (consolidated): names follow `scraper.items.Event`; start/end are ISO text.
# Bookkeeping: `updated_at` moves only when the content (`fingerprint`) changes. On a record,
# `last_seen` moves at every crawl that lists it; on an event it is the time the row was last
# written, so that an unchanged recrawl leaves `events` rows byte-identical - the live value
# is max(event_sources.last_seen), which `storage.read.iter_events` reports.
_EVENT_COLUMNS = """
    title TEXT NOT NULL,
    description_html TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    start TEXT,
    "end" TEXT,
    start_date TEXT,
    end_date TEXT,
    start_utc TEXT,
    all_day INTEGER,
    timezone TEXT,
    venue TEXT,
    address TEXT,
    postal_code TEXT,
    city TEXT,
    insee TEXT,
    department TEXT,
    region TEXT,
    region_code TEXT,
    latitude REAL,
    longitude REAL,
    attendance TEXT,
    online_url TEXT,
    status TEXT NOT NULL DEFAULT 'scheduled',
    organizer TEXT,
    registration_url TEXT,
    image TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    date_status TEXT NOT NULL DEFAULT 'ok',
    fingerprint TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
"""


def _run_script(db: Database, script: str) -> None:
    """Run `script` statement by statement: `executescript` would COMMIT the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:80]!r}")


@migrations()
def m001_create_schema(db: Database) -> None:
    _run_script(
        db,
        f"""
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            name TEXT,
            region_code TEXT,
            home_url TEXT,
            kind TEXT NOT NULL DEFAULT 'other',      -- 'cress' | 'national' | 'other'
            enabled INTEGER NOT NULL DEFAULT 1,
            strategy TEXT,
            notes TEXT,
            start_urls TEXT NOT NULL DEFAULT '[]',   -- JSON list
            last_crawl_id INTEGER,
            last_status TEXT,
            last_crawl_at TEXT,
            last_complete_at TEXT
        );

        CREATE TABLE crawls (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',  -- 'running' | 'ok' | 'degraded' | 'failed'
            complete INTEGER NOT NULL DEFAULT 0,
            pages INTEGER NOT NULL DEFAULT 0,
            events_seen INTEGER NOT NULL DEFAULT 0,
            events_new INTEGER NOT NULL DEFAULT 0,
            events_updated INTEGER NOT NULL DEFAULT 0,
            events_missing INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            http_errors INTEGER NOT NULL DEFAULT 0,
            dates_unparsed INTEGER NOT NULL DEFAULT 0,
            by_extractor TEXT NOT NULL DEFAULT '{{}}',  -- JSON {{extractor: count}}
            faults TEXT NOT NULL DEFAULT '[]',         -- JSON list
            window_start TEXT,
            window_end TEXT,
            duration_s REAL,
            message TEXT,
            stats TEXT NOT NULL DEFAULT '{{}}'          -- JSON: the full stats dict as given
        );
        CREATE INDEX idx_crawls_source ON crawls (source, id);

        CREATE TABLE event_sources (
            id TEXT PRIMARY KEY,                     -- record id '<source>:<16 hex>'
            event_id TEXT NOT NULL,                  -- consolidated events.id
            source TEXT NOT NULL,
            start_raw TEXT NOT NULL DEFAULT '',
            location_raw TEXT NOT NULL DEFAULT '',
            extractor TEXT NOT NULL DEFAULT '',
            reference_date TEXT,
            date_flags TEXT NOT NULL DEFAULT '[]',
            scraped_at TEXT,
            {_EVENT_COLUMNS},
            missing_since TEXT,
            merge_reason TEXT                        -- JSON: why this record joined event_id
        );
        CREATE INDEX idx_event_sources_event ON event_sources (event_id);
        CREATE INDEX idx_event_sources_source ON event_sources (source, start_date);
        CREATE INDEX idx_event_sources_start ON event_sources (start_date);
        -- Multi-day records, the only ones that can overlap a day they do not start on.
        CREATE INDEX idx_event_sources_spans ON event_sources (end_date) WHERE end_date > start_date;

        CREATE TABLE events (
            id TEXT PRIMARY KEY,                     -- 'evt-<16 hex>', stable for ever
            sources TEXT NOT NULL DEFAULT '[]',      -- JSON [{{"source", "url"}}]
            sequence INTEGER NOT NULL DEFAULT 0,
            missing INTEGER NOT NULL DEFAULT 0,
            {_EVENT_COLUMNS}
        );
        CREATE INDEX idx_events_order ON events (coalesce(start_utc, start_date), id);
        CREATE INDEX idx_events_end ON events (end_date);
        CREATE INDEX idx_events_region ON events (region_code);
        CREATE INDEX idx_events_department ON events (department);

        CREATE TABLE event_changes (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT
        );
        CREATE INDEX idx_event_changes_event ON event_changes (event_id, id);

        -- External-content FTS over the consolidated table, named as Datasette and
        -- sqlite-utils expect (`<table>_fts`), so both offer full-text search on `events`.
        CREATE VIRTUAL TABLE events_fts USING fts5 (
            title, description_html, city,
            content='events', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        -- Triggers keep the index exact for any writer. They only fire on real writes, and
        -- an unchanged recrawl writes no `events` row, so their cost is paid on changes only.
        CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN
            INSERT INTO events_fts (rowid, title, description_html, city)
            VALUES (new.rowid, new.title, new.description_html, new.city);
        END;
        CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
            INSERT INTO events_fts (events_fts, rowid, title, description_html, city)
            VALUES ('delete', old.rowid, old.title, old.description_html, old.city);
        END;
        CREATE TRIGGER events_au AFTER UPDATE OF title, description_html, city ON events BEGIN
            INSERT INTO events_fts (events_fts, rowid, title, description_html, city)
            VALUES ('delete', old.rowid, old.title, old.description_html, old.city);
            INSERT INTO events_fts (rowid, title, description_html, city)
            VALUES (new.rowid, new.title, new.description_html, new.city);
        END;

        -- Events still to come, in the viewer's local calendar: an event is upcoming until
        -- the end of its last day (end_date), so a three-day forum stays listed on day two.
        -- Cancelled events stay (labelled by `status`); events no source lists any more
        -- (`missing`) and events without a readable date are left out.
        CREATE VIEW upcoming_events AS
            SELECT * FROM events
            WHERE date_status = 'ok'
              AND missing = 0
              AND coalesce(end_date, start_date) >= date('now', 'localtime')
            ORDER BY coalesce(start_utc, start_date), id;
        """
    )
    db.execute("PRAGMA user_version = 1")


@migrations()
def m002_drop_write_heavy_indexes(db: Database) -> None:
    # Each index is one more B-tree write per new event; these served filters the planner
    # answers from idx_events_order anyway (iter_events sorts by it) and a per-crawl query.
    for name in (
        "idx_events_end", "idx_events_region", "idx_events_department", "idx_event_sources_source",
    ):
        db.execute(f"DROP INDEX IF EXISTS {name}")
    db.execute("PRAGMA user_version = 2")


@migrations()
def m003_fts_detectable(db: Database) -> None:
    # Datasette and sqlite-utils find a table's FTS index by the text `content="events"`
    # (double quotes) in its schema; m001 wrote content='events', which they miss.
    _run_script(
        db,
        """
        DROP TRIGGER IF EXISTS events_ai;
        DROP TRIGGER IF EXISTS events_ad;
        DROP TRIGGER IF EXISTS events_au;
        DROP TABLE IF EXISTS events_fts;
        CREATE VIRTUAL TABLE events_fts USING fts5 (
            title, description_html, city,
            content="events", content_rowid="rowid",
            tokenize="unicode61 remove_diacritics 2"
        );
        CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN
            INSERT INTO events_fts (rowid, title, description_html, city)
            VALUES (new.rowid, new.title, new.description_html, new.city);
        END;
        CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
            INSERT INTO events_fts (events_fts, rowid, title, description_html, city)
            VALUES ('delete', old.rowid, old.title, old.description_html, old.city);
        END;
        CREATE TRIGGER events_au AFTER UPDATE OF title, description_html, city ON events BEGIN
            INSERT INTO events_fts (events_fts, rowid, title, description_html, city)
            VALUES ('delete', old.rowid, old.title, old.description_html, old.city);
            INSERT INTO events_fts (rowid, title, description_html, city)
            VALUES (new.rowid, new.title, new.description_html, new.city);
        END;
        INSERT INTO events_fts (events_fts) VALUES ('rebuild');
        """,
    )
    db.execute("PRAGMA user_version = 3")


@migrations()
def m004_create_pages_table(db: Database) -> None:
    # What each fetched page produced, so that a page served unchanged (HTTP cache, 304) is
    # not extracted again: its records are confirmed as still listed (`storage.write.touch_records`).
    # The table is a cache of extraction results: dropping a stale one costs one full read.
    _run_script(
        db,
        """
        DROP TABLE IF EXISTS pages;
        CREATE TABLE pages (
            source TEXT NOT NULL,
            url TEXT NOT NULL,                       -- real page URL (Event.page_url)
            body_hash TEXT NOT NULL,                 -- SHA-1 of the body that was extracted
            extractor TEXT NOT NULL DEFAULT '',
            events INTEGER NOT NULL DEFAULT 0,       -- events the page emitted
            next_urls TEXT NOT NULL DEFAULT '[]',    -- JSON: pagination the payload pointed to
            record_ids TEXT NOT NULL DEFAULT '[]',   -- JSON: event_sources ids read from it
            links TEXT,                              -- JSON: link candidates of an HTML page
            read_at TEXT NOT NULL,
            PRIMARY KEY (source, url)
        );
        """,
    )
    db.execute("PRAGMA user_version = 4")


@migrations()
def m005_region_from(db: Database) -> None:
    # Where an event's région comes from: its commune, its département, the page, or (an event
    # with no commune, online ones included) its source's région.
    _run_script(
        db,
        """
        ALTER TABLE event_sources ADD COLUMN region_from TEXT;
        ALTER TABLE events ADD COLUMN region_from TEXT;
        UPDATE event_sources SET region_from = CASE
            WHEN insee IS NOT NULL THEN 'commune' WHEN department IS NOT NULL THEN 'department'
            WHEN region_code IS NOT NULL THEN 'page' END;
        UPDATE events SET region_from = CASE
            WHEN insee IS NOT NULL THEN 'commune' WHEN department IS NOT NULL THEN 'department'
            WHEN region_code IS NOT NULL THEN 'page' END;
        """,
    )
    db.execute("PRAGMA user_version = 5")
