"""Drop true garbage: an event with no title or no usable URL."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from pipelines.counting import CountingPipeline
from pipelines.normalize.event import drop_reason
from scraper.items import Event, PageSeen


class ValidatePipeline(CountingPipeline):
    """Raise DropItem for events that cannot be stored; count each reason."""

    def process_item(self, item: Event | PageSeen) -> Event | PageSeen:
        if not isinstance(item, Event):
            return item
        reason = drop_reason(item)
        if reason is not None:
            self.count(f"ess/validate/{reason}")
            raise DropItem(f"{reason}: {item.url!r}")
        return item
