"""Opening the essagenda SQLite database: pragmas for concurrent crawls and readers, then migrations."""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from storage.schema import migrations

DEFAULT_DB_PATH = Path("data") / "essagenda.db"
BUSY_TIMEOUT_MS = 30_000

# SQLite's primary result codes for a file that cannot take a write, whatever the row:
# SQLITE_PERM, SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN. An I/O error (SQLITE_IOERR) may
# pass: it loses its transaction, not the run.
_STORAGE_SQLITE_CODES = frozenset({3, 8, 13, 14})
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class StorageUnavailable(RuntimeError):
    """The database (or a file beside it) cannot be written at all: full disk, read-only file
    system or file, no permission. No row is to blame and none would fare better."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = str(path)
        self.reason = reason


def storage_failure(exc: BaseException) -> str | None:
    """Why `exc` means the storage itself refuses writes ("database or disk is full",
    "attempt to write a readonly database", ENOSPC, EROFS...), or None when it is about what
    was written (a bad value, a constraint) and other rows may still be stored."""
    if isinstance(exc, StorageUnavailable):
        return exc.reason
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _STORAGE_SQLITE_CODES:
            return str(exc)
        text = str(exc).lower()
        if any(cue in text for cue in ("disk is full", "readonly database", "unable to open database file")):
            return str(exc)
        return None
    if isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS:
        name = errno.errorcode.get(exc.errno or 0, "")
        return f"{exc.strerror or exc} ({name})" if name else str(exc)
    return None


def configure(db: Database) -> Database:
    """Apply connection pragmas and pending migrations to an open `Database`; returns it.

    WAL lets exporters read while a crawl writes; `synchronous=NORMAL` is durable across
    application crashes in WAL mode (only an OS crash can lose the last commits); the busy
    timeout makes a second writer wait instead of failing with "database is locked".
    """
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if not db.memory:
        _enable_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
    if migrations.pending(db):
        # Two processes opening a new file at once: the second waits, then finds nothing to do.
        with write_transaction(db):
            migrations.apply(db)
    return db


def _enable_wal(db: Database, *, attempts: int = 50, pause_s: float = 0.05) -> None:
    """Switch to WAL. Switching needs an exclusive lock, and SQLite refuses it at once, without
    waiting out the busy timeout, while another connection opens the same new file: retry briefly."""
    for attempt in range(attempts):
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(pause_s)


def open_db(path: str | Path = DEFAULT_DB_PATH) -> Database:
    """Open (creating parent directories and the file if needed) and migrate the database at `path`.

    `path` may be ":memory:" for a throwaway database.
    """
    if str(path) == ":memory:":
        return configure(Database(memory=True))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return configure(Database(path))


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A transaction that takes the write lock up front (`BEGIN IMMEDIATE`); nested, a savepoint.

    sqlite-utils' `atomic()` opens a deferred transaction: one that reads, then writes, fails
    at once with "database is locked" when another connection committed in between, whatever
    the busy timeout. Taking the lock first makes a second writer wait its turn instead.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise


def rebuild_fts(db: Database) -> None:
    """Rebuild the `events_fts` index from the `events` table (cheap: seconds for 100,000 rows)."""
    with write_transaction(db):
        db.execute("INSERT INTO events_fts (events_fts) VALUES ('rebuild')")


def vacuum(db: Database) -> None:
    """VACUUM the database, then rebuild the full-text index.

    `events` has a text primary key, so VACUUM may renumber its rowids, which the
    external-content `events_fts` index points at: always vacuum through this function.
    """
    db.execute("VACUUM")
    rebuild_fts(db)
