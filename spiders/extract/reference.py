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

import re
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
# An element marked as the post's date: its datetime/title/content attribute, else its text.
_MARKED = re.compile(
    r"""<(?P<tag>time|abbr|span|div|p|li|small|em|a)\b(?P<attrs>[^>]*?"""
    r"""(?:\bclass\s*=\s*["'][^"']*?\b(?:entry-date|published|post-date|posted-on|date-publication|"""
    r"""date_publication|datepublication|publish-date|pubdate|article-date|post-meta-date|"""
    r"""field--name-created|submitted|info-publi)\b[^"']*["']|\bitemprop\s*=\s*["']datePublished["']|\bpubdate\b)"""
    r"""[^>]*)>(?P<text>[^<]{0,120})""",
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


def published_in_markup(html: str) -> date | None:
    """The publication day a page's markup states (meta, JSON-LD, post-date elements), else None."""
    head = html[:200_000]
    for m in _META.finditer(head):
        if m.group("name").lower() in _META_PUBLISHED:
            got = _iso_day(m.group("value"))
            if got is not None:
                return got
    for m in _JSONLD_DATE.finditer(head):
        if m.group("name") != "dateModified":
            got = _iso_day(m.group("value"))
            if got is not None:
                return got
    for m in _MARKED.finditer(head):
        attrs = m.group("attrs")
        classes = re.search(r"""class\s*=\s*["']([^"']*)""", attrs, re.IGNORECASE)
        if classes and _EVENT_CLASS.search(classes.group(1)):
            continue
        a = _ATTR_DATE.search(attrs)
        got = _iso_day(a.group(1)) if a else phrases.phrase_reference(m.group("text"))
        if got is not None:
            return got
    return None


def edited_in_markup(html: str) -> date | None:
    """The last-edit day of a page's meta tags or JSON-LD (`article:modified_time`, `dateModified`)."""
    head = html[:200_000]
    for m in _META.finditer(head):
        if m.group("name").lower() in _META_EDITED:
            got = _iso_day(m.group("value"))
            if got is not None:
                return got
    for m in _JSONLD_DATE.finditer(head):
        if m.group("name") == "dateModified":
            return _iso_day(m.group("value"))
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
    when it is read, so the latest of its edit, its capture and `fallback` (the crawl's day),
    its first publication only when nothing else is known."""
    known = [d for d in (edited_in_markup(text), captured(text), fallback) if d is not None]
    return max(known) if known else published_in_markup(text)
