"""Fixture access for the extractor tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from spiders.extract import Extraction, extract

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extract"
REFERENCE = date(2021, 10, 1)


def run(name: str, *, url: str = "https://cress.example.fr/agenda/", content_type: str | None = None,
        tz: str = "Europe/Paris") -> Extraction:
    return extract((FIXTURES / name).read_bytes(), url=url, source="test_source", content_type=content_type,
                   reference=REFERENCE, tz=tz)


def by_title(result: Extraction, start: str):  # type: ignore[no-untyped-def]
    found = [ev for ev in result.events if ev.title.startswith(start)]
    assert len(found) == 1, [ev.title for ev in result.events]
    return found[0]
