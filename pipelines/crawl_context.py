"""Give each event its crawl's context: the crawl time, the source's région, and the crawl date
as the last-resort reference for year-less dates."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Self

from scraper.clock import crawl_clock
from scraper.items import Event, PageSeen

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class CrawlContextPipeline:
    """Set `scraped_at`, the source's région and, when the page gave none, `reference_date`."""

    def __init__(self, now: datetime, source_region: str | None = None) -> None:
        self.now = now
        self.source_region = source_region

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        # One crawler runs one source, so the spider class carries the région of every item.
        return cls(
            crawl_clock(crawler.settings.get("ESS_CRAWL_DATE", "")),
            getattr(crawler.spidercls, "region_code", None),
        )

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        item.scraped_at = self.now
        if item.source_region is None:
            item.source_region = self.source_region
        if item.reference_date is None:
            item.reference_date = self.now.date()
        return item
