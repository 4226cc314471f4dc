"""An exclusive lock per database, so two cron runs never write at the same time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_LOCKED = 75
"""Exit status when another run holds the lock (EX_TEMPFAIL: try again later)."""


class LockBusy(RuntimeError):
    """Another essagenda process holds the lock on this database."""


@contextmanager
def run_lock(db_path: str | Path) -> Iterator[Path]:
    """Hold `<db>.lock` exclusively for the duration of the block; raise LockBusy at once if taken.

    flock locks vanish with their process, so a run killed with SIGKILL never leaves a stale lock.
    """
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown pid"
            raise LockBusy(f"another essagenda run holds {lock_path} ({holder})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        yield lock_path
    finally:
        os.close(fd)
