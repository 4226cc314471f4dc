"""Feed discovery: the machine-readable sources a page (or a robots.txt) points to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.urls import absolute, url_root
from spiders.extract import common, openagenda, tribe


@dataclass(frozen=True, slots=True)
class FeedLink:
    url: str
    kind: str
    """'tribe' | 'ical' | 'rss' | 'openagenda' | 'sitemap'."""


_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_HREFS = re.compile(r"""(?:href|src|data-src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_OA_AGENDA = re.compile(r"openagenda\.com/(?:[a-z]{2}/)?agendas/(\d+)", re.IGNORECASE)
_OA_SLUG = re.compile(r"openagenda\.com/(?:[a-z]{2}/)?(?!agendas\b|js\b|api\b|embeds?\b|static\b)([a-z0-9][a-z0-9_-]{2,})",
                      re.IGNORECASE)
_OA_CBCTL = re.compile(r"data-cbctl\s*=\s*[\"'](\d+)", re.IGNORECASE)
_SITEMAP_LINE = re.compile(r"(?im)^\s*sitemap\s*:\s*(\S+)")
# A substring each href test of _discover needs (OpenAgenda links, iCal/webcal links and SPIP
# ical pages, SPIP/Joomla backends and feeds): an href without any of them is passed over.
_FEEDISH_HREF = re.compile(r"openagenda\.com|ical|\.ics|webcal:|backend|format=feed", re.IGNORECASE)
_FEEDISH_WORDS = ("openagenda.com", "ical", ".ics", "webcal:", "backend", "format=feed")


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(tag)}


def discover_feeds(html_or_text: str | bytes, url: str) -> list[FeedLink]:
    """Machine-readable sources a page (or a robots.txt) points to, best first, without duplicates."""
    try:
        text = common.decode_body(html_or_text) if isinstance(html_or_text, bytes) else html_or_text
        return _discover(text, url)
    except Exception:  # noqa: BLE001 - discovery is best effort on arbitrary pages
        return []


def _discover(text: str, url: str) -> list[FeedLink]:
    found: dict[str, FeedLink] = {}

    def add(href: str | None, kind: str) -> None:
        if not href:
            return
        href = href.strip().replace("&amp;", "&")
        if href.lower().startswith("webcal://"):
            href = "https://" + href[9:]
        full = absolute(href, url)
        if full and full not in found:
            found[full] = FeedLink(full, kind)

    for m in _SITEMAP_LINE.finditer(text):
        add(m.group(1), "sitemap")
    for tag in _LINK_TAG.findall(text):
        a = _attrs(tag)
        rel = a.get("rel", "").lower()
        typ = a.get("type", "").lower()
        href = a.get("href")
        if rel == "https://api.w.org/" and href:
            root = href if href.endswith("/") else href + "/"
            if "rest_route=" in root:
                add(url_root(url) + "?rest_route=/" + tribe.ENDPOINT, "tribe")
            else:
                add(root + tribe.ENDPOINT, "tribe")
        elif "alternate" in rel.split() and "text/calendar" in typ:
            add(href, "ical")
        elif "alternate" in rel.split() and typ in ("application/rss+xml", "application/atom+xml"):
            title = a.get("title", "").lower()
            if "comment" not in title and "/comments/" not in (href or ""):
                add(href, "rss")
        elif rel == "sitemap":
            add(href, "sitemap")
    low = text.lower()
    hrefs = _HREFS.finditer(text) if any(word in low for word in _FEEDISH_WORDS) else ()
    for m in hrefs:
        href = (m.group(1) or m.group(2) or m.group(3) or "").replace("&amp;", "&")
        if not _FEEDISH_HREF.search(href):
            continue  # most links of a page: none of the tests below can match
        low = href.lower()
        if not low or low.startswith(("javascript:", "mailto:", "#")):
            continue
        oa = _OA_AGENDA.search(href)
        if oa:
            add(f"{openagenda.API_ROOT}/agendas/{oa.group(1)}/events", "openagenda")
            continue
        if "openagenda.com" in low:
            host = (urlsplit(absolute(href, url) or "").hostname or "").lower()
            slug = _OA_SLUG.search(href)
            if slug and host in ("openagenda.com", "www.openagenda.com"):
                add(f"https://openagenda.com/{slug.group(1)}", "openagenda")
            continue
        if re.search(r"[?&](ical|outlook-ical)=1\b", low) or re.search(r"\.ics(\?|$)", low) or low.startswith("webcal:") \
                or re.search(r"spip\.php\?page=ical", low):
            add(href, "ical")
        elif re.search(r"spip\.php\?page=backend|/backend\.php|[?&]format=feed", low):
            add(href, "rss")
    for m in _OA_CBCTL.finditer(text):
        add(f"{openagenda.API_ROOT}/agendas/{m.group(1)}/events", "openagenda")
    order = {k: i for i, k in enumerate(("tribe", "openagenda", "ical", "rss", "sitemap"))}
    return sorted(found.values(), key=lambda f: order.get(f.kind, 9))
