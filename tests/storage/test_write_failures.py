"""Which failures mean the storage refuses every write, and files published as one set."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import StorageUnavailable, storage_failure
from storage.exporters.writer import ExportError, staged, write_atomic


@pytest.mark.parametrize("error", [
    sqlite3.OperationalError("database or disk is full"),
    sqlite3.OperationalError("attempt to write a readonly database"),
    sqlite3.OperationalError("unable to open database file"),
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EROFS, "Read-only file system"),
    OSError(errno.EACCES, "Permission denied"),
    StorageUnavailable("x.db", "database or disk is full"),
])
def test_storage_failures(error: BaseException) -> None:
    assert storage_failure(error)


@pytest.mark.parametrize("error", [
    UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
    OverflowError("Python int too large to convert to SQLite INTEGER"),
    sqlite3.IntegrityError("UNIQUE constraint failed: events.id"),
    sqlite3.OperationalError("disk I/O error"),
    sqlite3.OperationalError("database is locked"),
    ValueError("naive datetime"),
    OSError(errno.ECONNRESET, "Connection reset"),
])
def test_failures_of_a_record_or_a_transaction_are_not_the_storages(error: BaseException) -> None:
    assert storage_failure(error) is None


def test_a_staged_set_replaces_every_file_at_the_end(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_bytes(b"old a")
    with staged():
        write_atomic(tmp_path / "a.rss", [b"new a"])
        write_atomic(tmp_path / "sub" / "b.json", [b"new b"])
        # Nothing is in place before the set is whole.
        assert (tmp_path / "a.rss").read_bytes() == b"old a"
        assert not (tmp_path / "sub" / "b.json").exists()
    assert (tmp_path / "a.rss").read_bytes() == b"new a"
    assert (tmp_path / "sub" / "b.json").read_bytes() == b"new b"
    assert [p.name for p in tmp_path.rglob(".*.tmp")] == []


def test_a_staged_set_that_fails_leaves_the_old_files_and_no_temporary_one(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_bytes(b"old a")
    (tmp_path / "b.rss").write_bytes(b"old b")
    closed: list[bool] = []

    def full_disk() -> Iterator[bytes]:
        try:
            yield b"new b, part one"
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        finally:
            closed.append(True)

    with pytest.raises(ExportError, match="No space left"), staged():
        write_atomic(tmp_path / "a.rss", [b"new a"])
        write_atomic(tmp_path / "b.rss", full_disk())
    assert (tmp_path / "a.rss").read_bytes() == b"old a"
    assert (tmp_path / "b.rss").read_bytes() == b"old b"
    assert [p.name for p in tmp_path.rglob(".*.tmp")] == []
    assert closed == [True]


def test_a_failed_write_closes_the_stream_it_was_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream holds a database cursor: closed now, not after the database (at exit)."""
    from storage.exporters import writer

    closed: list[bool] = []

    def rows() -> Iterator[bytes]:
        try:
            while True:
                yield b"x" * 1000
        finally:
            closed.append(True)

    real_fdopen = writer.os.fdopen

    def filling_up(fd: int, mode: str) -> object:
        handle = real_fdopen(fd, mode)
        written = [0]
        write = handle.write

        def write_some(data: bytes) -> int:
            if written[0] > 5000:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written[0] += len(data)
            return write(data)

        handle.write = write_some
        return handle

    monkeypatch.setattr(writer.os, "fdopen", filling_up)
    try:
        write_atomic(tmp_path / "f.json", rows())
    except ExportError as exc:
        # Kept, as a caller keeps it while it reports: its frames hold the stream.
        error = exc
    assert "No space left" in str(error)
    assert closed == [True]
    assert [p.name for p in tmp_path.iterdir()] == []
