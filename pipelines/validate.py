"""Drop true garbage: an event with no title or no usable URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from scrapy.exceptions import DropItem

from pipelines.normalize.event import drop_reason
from scraper.items import Event, PageSeen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class ValidatePipeline:
    """Raise DropItem for events that cannot be stored; count each reason."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.stats)

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        reason = drop_reason(item)
        if reason is not None:
            if self.stats is not None:
                self.stats.inc_value(f"ess/validate/{reason}")
            raise DropItem(f"{reason}: {item.url!r}")
        return item
