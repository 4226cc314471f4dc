"""Atomic file output: a feed is either the complete new file or the untouched old one."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o644
"""Published feeds are read by a web server running as another user; mkstemp creates 0600."""


class ExportError(Exception):
    """A feed file could not be written; the previous version of `path` is left as it was."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}; the previous file is left unchanged")
        self.path = path
        self.reason = reason


def _reason(exc: OSError) -> str:
    name = errno.errorcode.get(exc.errno or 0)
    text = exc.strerror or str(exc)
    return f"{text} ({name})" if name else text


def write_atomic(path: Path, chunks: Iterable[bytes]) -> int:
    """Write `chunks` to `path` through a temporary file in the same directory.

    The data is flushed and fsynced before `os.replace`, so a crash or a full disk never leaves
    a truncated feed behind. Returns the number of bytes written. Raises `ExportError` on any
    OSError (ENOSPC, EROFS, EACCES...), after removing the temporary file; exceptions raised by
    the chunk producer propagate unchanged, also after cleanup.
    """
    path = Path(path)
    size = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(path, _reason(exc)) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fchmod(handle.fileno(), FILE_MODE)
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        _remove(temp)
        raise ExportError(path, _reason(exc)) from exc
    except BaseException:
        _remove(temp)
        raise
    _sync_directory(path.parent)
    return size


def _remove(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse fsync on a directory.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
