"""Give each record its stable id, derived from raw fields only."""

from __future__ import annotations

from pipelines.normalize.event import record_id
from scraper.items import Event, PageSeen


class IdentityPipeline:
    """Set `id` to '<source>:<16 hex>' of url, date phrase and title."""

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        item.id = record_id(item)
        return item
