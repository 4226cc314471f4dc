"""RSS 2.0 feed of events, written by feedgen one chunk of items at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from pipelines.normalize.text import strict_url, xml_line
from storage.exporters import FeedInfo, Row
from storage.exporters.display import content_html, event_times, item_title, parse_utc

CHUNK_SIZE = 200
"""Items per temporary FeedGenerator: feedgen keeps a whole lxml tree (~9 KB per item) in memory."""

_CHANNEL_END = b"  </channel>\n"


def _generator(feed: FeedInfo) -> FeedGenerator:
    fg = FeedGenerator()
    fg.title(xml_line(feed.title) or "essagenda")
    # feedgen takes the channel <link> from the last link added: the self link must come first.
    fg.link(href=feed.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=feed.link, rel="alternate")
    fg.description(xml_line(feed.description) or xml_line(feed.title) or "essagenda")
    fg.language(feed.language)
    fg.generator("essagenda")
    fg.lastBuildDate(feed.generated_at)
    return fg


def _add_item(fg: FeedGenerator, row: Row) -> None:
    times = event_times(row)
    entry = fg.add_entry(order="append")
    entry.guid(xml_line(row.get("id")), permalink=False)
    entry.title(item_title(row, times))
    url = strict_url(row.get("url"))
    if url:
        entry.link(href=url)
    entry.description(content_html(row, times))
    # pubDate is when we first saw the event: readers sort by it, and a future date would pin
    # the item at the top of their list until the event happens.
    seen = parse_utc(row.get("first_seen")) or parse_utc(row.get("updated_at"))
    if seen is not None:
        entry.pubDate(seen)
    region = xml_line(row.get("region"))
    if region:
        entry.category(term=region)


def _items_xml(rows: list[Row], feed: FeedInfo) -> bytes:
    fg = _generator(feed)
    for row in rows:
        _add_item(fg, row)
    document: bytes = fg.rss_str(pretty=True)
    first = document.index(b"<item>")
    first = document.rindex(b"\n", 0, first) + 1
    last = document.rindex(b"</item>\n") + len(b"</item>\n")
    return document[first:last]


def iter_rss(rows: Iterable[Row], *, feed: FeedInfo, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """RSS 2.0 document as byte chunks, items in the order of `rows`.

    The channel is rendered once by feedgen without items and split at `</channel>`; items are
    rendered `chunk_size` at a time by throw-away FeedGenerators and sliced out of their
    documents, so the output is byte-identical to one feedgen document holding every item.
    """
    head: bytes = _generator(feed).rss_str(pretty=True)
    cut = head.rindex(_CHANNEL_END)
    yield head[:cut]
    iterator = iter(rows)
    while chunk := list(islice(iterator, chunk_size)):
        yield _items_xml(chunk, feed)
    yield head[cut:]


def render_rss(rows: Iterable[Row], *, feed: FeedInfo) -> bytes:
    """Whole RSS 2.0 document (see `iter_rss`)."""
    return b"".join(iter_rss(rows, feed=feed))
