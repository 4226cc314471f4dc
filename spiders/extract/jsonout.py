"""Event to a JSON-ready dict with the stored field names (dates as ISO 8601 text)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any

from scraper.items import Event


def _iso(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_iso(v) for v in value]
    return value


def event_to_json(ev: Event) -> dict[str, Any]:
    """Every Event field by name; `start`/`end` as '2021-11-04T09:00:00+01:00' (timed) or '2021-11-04'."""
    return {f.name: _iso(getattr(ev, f.name)) for f in fields(ev)}
