"""Sanitise titles, raw text, HTML descriptions and URLs before anything else reads them; settle the status."""

from __future__ import annotations

from pipelines.normalize.event import apply_status, clean_event
from scraper.items import Event, PageSeen


class CleanPipeline:
    """Collapse whitespace, drop control characters, sanitise HTML with nh3, keep http(s) URLs only;
    then read the status the cleaned title and description state ("ANNULÉ")."""

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        clean_event(item)
        apply_status(item)
        return item
