"""essagenda's own crawl signals, kept apart as Scrapy keeps its own in `scrapy.signals`.

Plain objects with nothing to import: spiders send them, pipelines and extensions connect to
them, and none of those has to import another to share one.
"""

page_seen = object()
"""Sent by EssSpider for every page it fetched: `page` (a `PageSeen`). The store pipeline
keeps it, to save the page or confirm the records of an unchanged one."""

records_seen = object()
"""Sent by the store pipeline on close: `source`, `record_ids` (frozenset of the
`event_sources` ids this crawl listed, read in full or confirmed from unchanged pages).
The health extension uses it to find the events a source no longer lists."""
