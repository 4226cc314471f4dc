"""Read the French date phrase of each event into aware datetimes or all-day dates."""

from __future__ import annotations

from pipelines.counting import CountingPipeline
from pipelines.normalize.event import apply_dates
from scraper.items import Event, PageSeen


class DatesPipeline(CountingPipeline):
    """Parse `start_raw`; an unreadable date is kept as 'unparsed' and counted, never dropped."""

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        assert item.scraped_at is not None, "CrawlContextPipeline must run first"
        crawl_date = item.scraped_at.date()
        if not apply_dates(item, crawl_date=crawl_date):
            self.count("ess/dates/unparsed")
        for flag in item.date_flags:
            self.count(f"ess/dates/flag/{flag}")
        return item
