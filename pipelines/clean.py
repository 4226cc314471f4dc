"""Sanitise titles, raw text, HTML descriptions and URLs before anything else reads them."""

from __future__ import annotations

from pipelines.normalize.event import clean_event
from scraper.items import Event, PageSeen


class CleanPipeline:
    """Collapse whitespace, drop control characters, sanitise HTML with nh3, keep http(s) URLs only."""

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        clean_event(item)
        return item
