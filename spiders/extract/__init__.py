"""The extractors' front door: a fetched body (bytes + URL + reference date) to events, whatever the engine publishes.

Order of preference on a page: schema.org JSON-LD/microdata/RDFa, then the free text of the page.
Payloads are sniffed: The Events Calendar REST JSON, OpenAgenda JSON, JSON-LD files, iCalendar, RSS/Atom.
Nothing here imports Scrapy, reads the clock or does I/O. This module only dispatches; what the
extractors share lives below it (`common`), and none of them imports it back.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from datetime import date

from scraper.items import Event
from spiders.extract import common, html, ical, jsonld, openagenda, rss, tribe
from spiders.extract.common import Extraction
from spiders.extract.discovery import FeedLink, discover_feeds
from spiders.extract.reference import listing_reference, page_reference

__all__ = ["Extraction", "FeedLink", "discover_feeds", "extract"]


def extract(body: bytes | str, *, url: str, source: str, content_type: str | None = None,
            reference: date | None = None, tz: str = common.DEFAULT_TZ) -> Extraction:
    """Sniff the body's format and run the matching extractor; never raises.

    `tz` is the source's zone, used for floating times (no offset, no TZID).
    """
    try:
        return _extract(body, url=url, source=source, content_type=content_type, reference=reference, tz=tz)
    except (RecursionError, MemoryError) as exc:
        return Extraction([], Counter({f"error/{type(exc).__name__}": 1}))
    except Exception as exc:  # noqa: BLE001 - the contract is "no input raises": a crash is one counted skip
        return Extraction([], Counter({f"error/{type(exc).__name__}": 1}))


def _extract(body: bytes | str, *, url: str, source: str, content_type: str | None, reference: date | None,
             tz: str) -> Extraction:
    text = common.decode_body(body or b"", content_type)
    ct = (content_type or "").split(";")[0].strip().lower()
    head = text.lstrip("\ufeff \t\r\n")[:200]
    skipped: Counter[str] = Counter()
    if not head:
        skipped["empty_body"] += 1
        return Extraction([], skipped)
    if "json" in ct or head[:1] in "{[":
        try:
            data = json.loads(text.lstrip("\ufeff"), strict=False)
        except ValueError:
            data = None
            if "json" in ct:
                skipped["json/unreadable"] += 1
                return Extraction([], skipped)
        if data is not None:
            return _from_json(data, url=url, source=source, reference=reference, tz=tz, skipped=skipped)
    # looks_like_ical upper-cases the whole text to read its first characters: past leading
    # whitespace, the first 2,000 give the same answer (str.upper maps each character on its own).
    if ct in ("text/calendar", "application/ics") or ical.looks_like_ical(
            text if text[:1].isspace() else text[:2000]):
        events = ical.extract(text, url=url, source=source, tz=tz, reference=reference, skipped=skipped)
        return Extraction(events, skipped, "ical")
    # Pages and feeds are read against their own date (publication, address, capture), the
    # caller's day (the crawl's) only when they state none.
    crawl_day = reference
    reference = page_reference(text, url=url, fallback=crawl_day)
    if rss.looks_like_feed(text) or "rss" in ct or "atom" in ct:
        events = rss.extract(text, url=url, source=source, tz=tz, reference=reference, skipped=skipped)
        return Extraction(events, skipped, "rss")
    if head.startswith("<?xml") and "<html" not in text[:2000].lower() or ct in ("application/xml", "text/xml"):
        # Sitemaps and other XML documents: not events; the spider reads sitemaps itself.
        skipped["xml/not_a_feed"] += 1
        return Extraction([], skipped)
    if ct == "text/plain" or not re.search(r"<[a-zA-Z!/]", text[:5000]):
        # Plain text, whatever the header says: pages saved as text, or served with a wrong type.
        events, name = html.extract(text, url=url, source=source, reference=reference, skipped=skipped, plain=True)
        return Extraction(events, skipped, name)
    return _from_html(text, url=url, source=source, reference=reference, tz=tz, skipped=skipped,
                      listing_ref=listing_reference(text, fallback=crawl_day))


def _from_json(data: object, *, url: str, source: str, reference: date | None, tz: str,
               skipped: Counter[str]) -> Extraction:
    if tribe.looks_like_list(data) or tribe.looks_like_event(data):
        events, nxt = tribe.extract(data, url=url, source=source, tz=tz, reference=reference, skipped=skipped)
        return Extraction(events, skipped, "tribe", nxt)
    if (openagenda.looks_like_list(data) or openagenda.looks_like_event(data) or openagenda.ods_rows(data)
            or isinstance(data, dict) and openagenda.looks_like_event(data.get("event"))):
        events, nxt = openagenda.extract(data, url=url, source=source, tz=tz, reference=reference,
                                         skipped=skipped)
        return Extraction(events, skipped, "openagenda", nxt)
    nodes = jsonld.with_references(data)
    if nodes:
        events = jsonld.events_from_nodes(nodes, url=url, source=source, tz=tz, reference=reference,
                                          skipped=skipped)
        return Extraction(events, skipped, "jsonld")
    skipped["json/no_events"] += 1
    return Extraction([], skipped)


_SCRIPT_STYLE = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _from_html(text: str, *, url: str, source: str, reference: date | None, tz: str,
               skipped: Counter[str], listing_ref: date | None = None) -> Extraction:
    events: list[Event] = []
    # JSON-LD scripts, microdata and RDFa all need one of these words; most free-text pages have
    # none, and are spared the structured-data pass and the visible text it reads. The words are
    # ASCII: lower-casing the UTF-8 bytes finds them where str.lower would, at a third of the cost.
    low = text.encode("utf-8", "surrogatepass").lower()
    if b"ld+json" in low or b"itemscope" in low or b"typeof" in low or b"vocab" in low:

        @functools.cache
        def visible() -> str:
            return common.strip_tags(_SCRIPT_STYLE.sub(" ", text))

        events = jsonld.events_from_html(text, url=url, source=source, tz=tz, reference=reference,
                                         skipped=skipped, page_text=visible)
    if events:
        if len(events) == 1:
            _fill_from_text(events[0], text, url=url, source=source, reference=reference)
        return Extraction(events, skipped, "jsonld")
    events, name = html.extract(text, url=url, source=source, reference=reference, skipped=skipped,
                                listing_ref=listing_ref)
    return Extraction(events, skipped, name)


def _fill_from_text(ev: Event, text: str, *, url: str, source: str, reference: date | None) -> None:
    """Structured data wins; the page's free text fills what it left empty."""
    if ev.location_raw and ev.description_html and ev.start is not None:
        return
    found, _name = html.extract(text, url=url, source=source, reference=reference, skipped=Counter())
    page = next((e for e in found if e.extractor == "html"), None)
    if page is None:
        return
    if not ev.location_raw and page.location_raw:
        ev.location_raw = page.location_raw
    if not ev.description_html and page.description_html:
        ev.description_html = page.description_html
    if ev.start is None and page.start_raw:
        ev.start_raw = page.start_raw
        ev.date_status = None
    if ev.reference_date is None:
        ev.reference_date = page.reference_date
