"""Schema creation, migrations and connection pragmas."""

from __future__ import annotations

import sqlite3

from storage.db import open_db
from storage.schema import SCHEMA_VERSION, migrations
from tests.storage.helpers import memory_db


def test_schema_tables_view_and_fts():
    db = memory_db()
    tables = set(db.table_names())
    assert {"events", "event_sources", "sources", "crawls", "event_changes", "events_fts"} <= tables
    assert "upcoming_events" in db.view_names()
    assert db["events"].detect_fts() == "events_fts"  # what Datasette and sqlite-utils look for
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    crawl_columns = set(db["crawls"].columns_dict)
    assert {"started_at", "finished_at", "pages", "events_seen", "events_new", "events_updated",
            "errors", "status", "complete"} <= crawl_columns
    assert {"event_id", "merge_reason", "missing_since", "first_seen", "last_seen"} <= set(
        db["event_sources"].columns_dict
    )


def test_open_db_creates_parent_dir_uses_wal_and_is_rerunnable(tmp_path):
    path = tmp_path / "data" / "essagenda.db"
    db = open_db(path)
    assert path.exists()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    applied = [m.name for m in migrations.applied(db)]
    db.close()
    again = open_db(path)  # applying migrations twice is a no-op
    assert [m.name for m in migrations.applied(again)] == applied
    assert migrations.pending(again) == []
    again.close()


def test_second_connection_reads_while_first_holds_a_write_transaction(tmp_path):
    path = tmp_path / "agenda.db"
    writer = open_db(path)
    reader = sqlite3.connect(path)
    writer.execute("BEGIN")
    writer.execute("INSERT INTO sources (id) VALUES ('cress_bretagne')")
    # WAL: the reader sees the last committed state instead of waiting for the writer.
    assert reader.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
    writer.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    reader.close()
    writer.close()


def test_fts_index_stays_consistent_through_updates_and_vacuum(tmp_path):
    from datetime import datetime

    from storage.db import vacuum
    from storage.write import upsert_events
    from tests.storage.helpers import PARIS, T0, T1, forum, forum_national

    db = open_db(tmp_path / "agenda.db")
    upsert_events(db, [forum(), forum_national()], seen_at=T0)
    upsert_events(db, [forum(title="Forum de l'ESS", start=datetime(2026, 11, 19, 10, 0, tzinfo=PARIS))],
                  seen_at=T1)
    db.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")
    vacuum(db)
    db.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")
    hits = db.execute(
        "SELECT e.title FROM events_fts JOIN events e ON e.rowid = events_fts.rowid WHERE events_fts MATCH 'labege'"
    ).fetchall()
    assert hits == [("Forum de l'ESS",)]
    db.close()


def test_processes_opening_a_new_file_at_once_migrate_it_once(tmp_path):
    import threading

    path = tmp_path / "new.db"
    errors: list[str] = []

    def opener() -> None:
        try:
            open_db(path).close()
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = open_db(path)
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    db.close()
