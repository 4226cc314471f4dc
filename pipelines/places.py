"""Locate each event to its commune, département and région, or mark it online."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from pipelines.normalize.event import apply_place
from scraper.items import Event, PageSeen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class PlacesPipeline:
    """Fill insee/city/department/region/attendance from structured fields or `location_raw`."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.stats)

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        apply_place(item)
        if self.stats is not None and item.insee is None and item.attendance != "online":
            self.stats.inc_value("ess/places/unlocated")
        return item
