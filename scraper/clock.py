"""The crawl's clock: one "now" for everything a run writes, real or fixed by ESS_CRAWL_DATE."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta


def crawl_clock(setting: str) -> datetime:
    """The crawl's 'now' as it starts: ESS_CRAWL_DATE (YYYY-MM-DD, samples fixed in time) at
    noon UTC, or the real clock."""
    if setting:
        day = date.fromisoformat(setting)
        return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
    return datetime.now(UTC)


class CrawlClock:
    """The time on the crawl's clock: the real time, or ESS_CRAWL_DATE plus the time elapsed
    since the clock was made. Crawl rows, source timestamps and missing flags all read it, so
    a crawl of a sample frozen in time never mixes its day with today's."""

    def __init__(self, setting: str) -> None:
        self.fixed = bool(setting)
        self.start = crawl_clock(setting)
        self.started = time.monotonic()

    def now(self) -> datetime:
        if not self.fixed:
            return datetime.now(UTC)
        return self.start + timedelta(seconds=time.monotonic() - self.started)
