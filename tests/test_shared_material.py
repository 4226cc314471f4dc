"""Tests that read the real material beside the checkout skip without it, unless CI requires it."""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.conftest
from tests.conftest import shared_path


def test_present_material_is_given_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "seeds").mkdir()
    monkeypatch.setattr(tests.conftest, "SHARED", tmp_path)
    assert shared_path("seeds") == tmp_path / "seeds"


def test_absent_material_skips_the_test_and_names_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tests.conftest, "SHARED", tmp_path / "shared")
    monkeypatch.delenv("ESSAGENDA_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"shared/seeds is absent"):
        shared_path("seeds")


def test_absent_material_fails_when_it_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tests.conftest, "SHARED", tmp_path / "shared")
    monkeypatch.setenv("ESSAGENDA_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="ESSAGENDA_REQUIRE_SHARED=1"):
        shared_path("corpus", "real_announcements.jsonl")
