"""Feed exporters: pure functions from EventRows to RSS, JSON Feed, iCalendar and OPML bytes."""

from __future__ import annotations

from storage.exporters.feedinfo import FeedInfo

__all__ = ["FeedInfo"]
