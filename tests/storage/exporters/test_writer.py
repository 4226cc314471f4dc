"""Atomic writer: complete new file or untouched old one, never a temp file left behind."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.exporters import writer
from storage.exporters.writer import ExportError, write_atomic


def test_writes_chunks_and_replaces_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "feeds" / "essagenda.rss"
    assert write_atomic(target, [b"<rss>", b"v1", b"</rss>"]) == 13
    assert write_atomic(target, iter([b"<rss>v2</rss>"])) == 13
    assert target.read_bytes() == b"<rss>v2</rss>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["essagenda.rss"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_failed_replace_keeps_old_file_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "essagenda.ics"
    target.write_bytes(b"old calendar")

    def refuse(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(writer.os, "replace", refuse)
    with pytest.raises(ExportError) as info:
        write_atomic(target, [b"new calendar"])
    assert info.value.path == target
    assert errno.errorcode[code] in info.value.reason
    assert str(target) in str(info.value)
    assert target.read_bytes() == b"old calendar"
    assert [p.name for p in tmp_path.iterdir()] == ["essagenda.ics"]


def test_disk_full_while_writing_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "essagenda.json"
    target.write_bytes(b'{"old": true}')

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer.os, "fsync", full)
    with pytest.raises(ExportError, match="ENOSPC"):
        write_atomic(target, [b"{}"])
    assert target.read_bytes() == b'{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["essagenda.json"]


def test_failing_producer_propagates_and_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "essagenda.rss"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"<rss>"
        raise ValueError("row without id")

    with pytest.raises(ValueError, match="row without id"):
        write_atomic(target, chunks())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["essagenda.rss"]


def test_unwritable_directory_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "feeds"
    blocker.write_bytes(b"a file where a directory should be")
    with pytest.raises(ExportError) as info:
        write_atomic(blocker / "region" / "76-occitanie.rss", [b"x"])
    assert info.value.path == blocker / "region" / "76-occitanie.rss"
    assert blocker.read_bytes() == b"a file where a directory should be"
