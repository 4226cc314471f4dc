"""Atomic file output: a feed is either the complete new file or the untouched old one, and a
publication (every feed, list and page of one export) either the whole new set or the old one."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
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


class Staging:
    """The files of one publication written so far: (hidden temporary file, target) pairs."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []

    def commit(self) -> None:
        """Rename every file into place (a rename needs no space), then make the renames durable."""
        for number, (temp, target) in enumerate(self.files):
            try:
                os.replace(temp, target)
            except OSError as exc:
                for rest, _ in self.files[number:]:
                    _remove(rest)
                raise ExportError(target, _reason(exc)) from exc
        for directory in dict.fromkeys(target.parent for _, target in self.files):
            _sync_directory(directory)

    def discard(self) -> None:
        for temp, _ in self.files:
            _remove(temp)


_STAGING: ContextVar[Staging | None] = ContextVar("essagenda_staging", default=None)


@contextlib.contextmanager
def staged() -> Iterator[Staging]:
    """Publish the files `write_atomic` writes inside the block as one set.

    Each file is written and fsynced beside its target as a hidden `.<name>.*.tmp` file while
    every target stays as it was; once the block ends, all of them are renamed into place, so
    readers see the old set until then, and a full disk halfway through the set leaves the whole
    old set in place. When the block raises, every temporary file is removed. The temporary
    files sit in the target's own folder: on the same file system, whatever is mounted where,
    and needing no more permission than the files themselves."""
    staging = Staging()
    token = _STAGING.set(staging)
    try:
        yield staging
    except BaseException:
        staging.discard()
        raise
    finally:
        _STAGING.reset(token)
    staging.commit()


def write_atomic(path: Path, chunks: Iterable[bytes]) -> int:
    """Write `chunks` to `path` through a temporary file in the same directory.

    The data is flushed and fsynced before `os.replace`, so a crash or a full disk never leaves
    a truncated feed behind; inside `staged()`, the rename waits for the whole set. Returns
    the number of bytes written. Raises `ExportError` on any OSError (ENOSPC, EROFS,
    EACCES...), after removing the temporary file and closing the chunk producer (so the
    database cursor it reads from closes now, not after the database); exceptions raised by
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
        staging = _STAGING.get()
        if staging is not None:
            staging.files.append((temp, path))
            return size
        os.replace(temp, path)
    except OSError as exc:
        _remove(temp)
        _close(chunks)
        raise ExportError(path, _reason(exc)) from exc
    except BaseException:
        _remove(temp)
        _close(chunks)
        raise
    _sync_directory(path.parent)
    return size


def _close(chunks: Iterable[bytes]) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


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
