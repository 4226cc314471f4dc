"""Locate each event to its commune, département and région, or mark it online."""

from __future__ import annotations

from pipelines.counting import CountingPipeline
from pipelines.normalize.event import apply_place
from scraper.items import Event, PageSeen


class PlacesPipeline(CountingPipeline):
    """Fill insee/city/department/region/attendance from structured fields or `location_raw`."""

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        apply_place(item)
        if item.insee is None and item.attendance != "online":
            self.count("ess/places/unlocated")
        return item
