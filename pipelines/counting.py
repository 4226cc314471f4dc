"""What the counting pipelines share: Scrapy's stats collector, or None outside a crawl."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class CountingPipeline:
    """Base of pipelines that count what they saw under `ess/<concern>/...`."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.stats)

    def count(self, key: str, value: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, value)
