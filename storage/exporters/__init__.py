"""Exporters: pure functions from EventRows to feeds (RSS, JSON Feed, iCalendar, OPML) and HTML pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Row = Mapping[str, Any]
"""An EventRow as `storage.read.iter_events` yields it (its keys are the `events` columns)."""


@dataclass(frozen=True)
class FeedInfo:
    """Channel-level data of one feed; `generated_at` is the only clock the exporters see."""

    title: str
    link: str
    """Absolute URL of the HTML page the feed mirrors."""
    description: str
    feed_url: str
    """Absolute URL at which this very file is published."""
    generated_at: datetime
    """Aware datetime of the publication run (RSS lastBuildDate, iCalendar DTSTAMP)."""
    language: str = "fr"


__all__ = ["FeedInfo", "Row"]
