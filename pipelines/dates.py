"""Read the French date phrase of each event into aware datetimes or all-day dates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from pipelines.normalize.event import apply_dates
from scraper.items import Event, PageSeen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class DatesPipeline:
    """Parse `start_raw`; an unreadable date is kept as 'unparsed' and counted, never dropped."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.stats)

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        assert item.scraped_at is not None, "StampPipeline must run first"
        crawl_date = item.scraped_at.date()
        if not apply_dates(item, crawl_date=crawl_date) and self.stats is not None:
            self.stats.inc_value("ess/dates/unparsed")
        for flag in item.date_flags:
            if self.stats is not None:
                self.stats.inc_value(f"ess/dates/flag/{flag}")
        return item
