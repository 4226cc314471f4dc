"""OPML 2.0 list of every published feed, grouped by scope (France, en ligne, régions, départements)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from pipelines.normalize.text import strict_url, xml_line

FORMAT_LABELS = {"rss": "RSS", "json": "JSON Feed", "ics": "iCalendar"}


@dataclass(frozen=True)
class OpmlFeed:
    """One feed scope and the absolute URL of each of its formats ('rss', 'json', 'ics')."""

    title: str
    html_url: str
    urls: Mapping[str, str] = field(default_factory=dict)


def _outline(parent: ET.Element, feed: OpmlFeed) -> None:
    title = xml_line(feed.title)
    html_url = strict_url(feed.html_url)
    for fmt, url in feed.urls.items():
        if strict_url(url) is None:
            continue
        text = f"{title} ({FORMAT_LABELS.get(fmt, fmt)})"
        if fmt == "rss":
            # Readers import type="rss" outlines as subscriptions: RSS only, so that an import
            # does not subscribe twice to the same events through the JSON Feed.
            attrs = {"type": "rss", "version": "RSS", "text": text, "title": title, "xmlUrl": url}
            if html_url:
                attrs["htmlUrl"] = html_url
        else:
            attrs = {"type": "link", "text": text, "url": url}
        ET.SubElement(parent, "outline", attrs)


def render_opml(
    groups: Sequence[tuple[str, Sequence[OpmlFeed]]], *, title: str, generated_at: datetime
) -> bytes:
    """OPML 2.0 document: one folder outline per group, one outline per feed format inside it."""
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = xml_line(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(generated_at)
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    for name, feeds in groups:
        if not feeds:
            continue
        folder = ET.SubElement(body, "outline", {"text": xml_line(name)})
        for feed in feeds:
            _outline(folder, feed)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
