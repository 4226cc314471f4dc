"""A page's own date from its markup: the day its year-less dates ('vendredi 19 janvier') are read against.

A careful reader dates a page by its publication before anything else: the meta tags of
Open Graph and schema.org (`article:published_time`, JSON-LD `datePublished`), the post-date
markup of WordPress, SPIP and Drupal themes (`<time class="entry-date" datetime=…>`,
`<abbr class="published" title=…>`, `date-publication`), a date in the address (`/2017/05/`),
and, for a saved copy, the day the mirror captured it (`<!-- Mirrored from … by HTTrack …,
Sun, 03 Mar 2024 … -->`). An edit date (`article:modified_time`, `og:updated_time`) only says
the page was alive then: it is used when nothing better is found. The crawl's own day is the
caller's last resort. "Publié le …" lines of the page text are read by the free-text
extractor, which sees the text beside the page's own dates.

Markup is read with regular expressions over the raw page, in two passes over the text at most:
no tree is built, so a page whose events come from JSON-LD pays only these searches.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from datetime import date
from email.utils import parsedate_to_datetime

from spiders.extract import phrases

# <meta property="article:published_time" content="2021-12-03T10:13:58+00:00">, either order.
_META = re.compile(
    r"""<meta\b(?=[^>]*?\b(?:property|name|itemprop)\s*=\s*["']\s*(?P<name>[\w:.\-]+)\s*["'])"""
    r"""(?=[^>]*?\bcontent\s*=\s*["']\s*(?P<value>[^"']{6,40})["'])[^>]*>""",
    re.IGNORECASE,
)
_META_PUBLISHED = frozenset({
    "article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.issued", "dcterms.date", "pubdate", "publishdate", "publication_date", "sailthru.date",
    "parsely-pub-date", "citation_publication_date",
})
_META_EDITED = frozenset({"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
                          "last-modified", "lastmod"})
_JSONLD_DATE = re.compile(r'"(?P<name>datePublished|dateCreated|dateModified)"\s*:\s*"(?P<value>[^"]{6,40})"')
# An element marked as the post's date: its datetime/title/content attribute, else its text. The
# marker words are found first (a plain search), then the tag around each is read.
# Every marker below holds one of these stems: plain searches for them (in lower case) are ten
# times cheaper than the regular expression of all markers run over the text.
_STEMS = ("publi", "date", "posted-on", "submitted", "created")
# A post's date sits by its title: the markup is searched from a little before the first <h1>.
_AROUND_TITLE = 30_000
_SCANNED = 200_000  # the part of a page its own date is looked for in
_TAG = re.compile(r"<(?P<tag>time|abbr|span|div|p|li|small|em|a)\b(?P<attrs>[^<>]*)>(?P<text>[^<]{0,120})",
                  re.IGNORECASE)
_MARKED_ATTRS = re.compile(
    r"""(?:\bclass\s*=\s*["'][^"']*?\b(?:entry-date|published|post-date|posted-on|date-publication|"""
    r"""date_publication|datepublication|publish-date|pubdate|article-date|post-meta-date|"""
    r"""field--name-created|submitted|info-publi)\b[^"']*["']|\bitemprop\s*=\s*["']datePublished["']|\bpubdate\b)""",
    re.IGNORECASE,
)
_ATTR_DATE = re.compile(r"""\b(?:datetime|title|content)\s*=\s*["']\s*(\d{4}-\d{2}-\d{2})""", re.IGNORECASE)
# The Events Calendar marks an event's own start 'published dtstart': not the post's date.
_EVENT_CLASS = re.compile(r"(?i)\b(?:dtstart|dtend|start|end|event|tribe-events)")
_ISO_DAY = re.compile(r"^\s*((?:19|20)\d{2})-(\d{2})-(\d{2})")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/(?:(0[1-9]|[12]\d|3[01])/)?")
_MIRROR = re.compile(r"<!--\s*Mirrored from [^>]{0,600}?,\s*(?P<stamp>(?:\w{3},\s*)?\d{1,2} \w{3} \d{4}[^>]{0,30}?)\s*-->")


def _iso_day(value: str) -> date | None:
    m = _ISO_DAY.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _positions(text: str, word: str) -> list[int]:
    found = []
    at = text.find(word)
    while at >= 0 and len(found) < 500:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def _json_date(text: str, name: str) -> date | None:
    """The first JSON-LD `"name": "YYYY-MM-DD…"` of a page (found with a plain search first)."""
    at = text.find(f'"{name}"', 0, _SCANNED)
    while at >= 0:
        m = _JSONLD_DATE.match(text, at)
        got = _iso_day(m.group("value")) if m else None
        if got is not None:
            return got
        at = text.find(f'"{name}"', at + 1, _SCANNED)
    return None


def _document_head(html: str) -> str:
    """The <head> of a page, where meta tags live (the whole text when it has no </head>)."""
    end = html.find("</head>", 0, _SCANNED)
    if end < 0:
        end = html.find("</HEAD>", 0, _SCANNED)
    return html[:end] if end >= 0 else html[:_SCANNED]


@functools.lru_cache(maxsize=8)  # the extractors ask again for the same page
def published_in_markup(html: str) -> date | None:
    """The publication day a page's markup states (meta, JSON-LD, post-date elements), else None."""
    got = _meta_day(html, _META_PUBLISHED)
    if got is not None:
        return got
    for name in ("datePublished", "dateCreated"):
        got = _json_date(html, name)
        if got is not None:
            return got
    h1 = html.find("<h1", 0, _SCANNED)
    begin = max(0, h1 - 5_000) if h1 >= 0 else 0
    window = html[begin:begin + _AROUND_TITLE]
    # Class names are written in lower case (itemprop's 'datePublished' holds 'date' too).
    hits = sorted(at for stem in _STEMS for at in _positions(window, stem))
    seen: set[int] = set()
    for hit in hits:
        tag_start = window.rfind("<", 0, hit)
        if tag_start in seen:
            continue
        seen.add(tag_start)
        m = _TAG.match(window, tag_start)
        if m is None or m.end("attrs") < hit or not _MARKED_ATTRS.search(m.group("attrs")):
            continue
        attrs = m.group("attrs")
        classes = re.search(r"""class\s*=\s*["']([^"']*)""", attrs, re.IGNORECASE)
        if classes and _EVENT_CLASS.search(classes.group(1)):
            continue
        a = _ATTR_DATE.search(attrs)
        got = _iso_day(a.group(1)) if a else phrases.phrase_reference(m.group("text"))
        if got is not None:
            return got
    return None


@functools.lru_cache(maxsize=8)  # the extractors ask again for the same page
def edited_in_markup(html: str) -> date | None:
    """The last-edit day of a page's meta tags or JSON-LD (`article:modified_time`, `dateModified`)."""
    return _meta_day(html, _META_EDITED) or _json_date(html, "dateModified")


def _meta_day(html: str, names: Collection[str]) -> date | None:
    """The first day a meta tag of the page's head named in `names` gives."""
    for m in _META.finditer(_document_head(html)):
        if m.group("name").lower() in names:
            got = _iso_day(m.group("value"))
            if got is not None:
                return got
    return None


def date_in_url(url: str) -> date | None:
    """The day (or the month's first day) of a dated address: '/2017/05/', '/2017/05/12/'."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)  # the extractors ask again for the same page
def captured(text: str) -> date | None:
    """The day a mirror (HTTrack) saved the page, from its comment; None for a page fetched live."""
    m = _MIRROR.search(text[:3000]) or _MIRROR.search(text[-3000:])
    if not m:
        return None
    try:
        return parsedate_to_datetime(m.group("stamp").strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


def page_reference(text: str, *, url: str, fallback: date | None) -> date | None:
    """The day to read a page's year-less dates against: its publication, else the date in its
    address, else its last edit, else the day a mirror captured it, else `fallback` (the crawl's day)."""
    return (published_in_markup(text) or date_in_url(url) or edited_in_markup(text) or captured(text)
            or fallback)


def listing_reference(text: str, *, fallback: date | None) -> date | None:
    """The day to read a listing's year-less teasers against: a listing shows what is current
    when it is read, so the later of its last edit and the day it was read (a saved copy's
    capture, else `fallback`, the crawl's day), its first publication only when nothing else
    is known."""
    read_on = captured(text) or fallback
    known = [d for d in (edited_in_markup(text), read_on) if d is not None]
    return max(known) if known else published_in_markup(text)
