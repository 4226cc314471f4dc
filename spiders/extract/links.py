"""Agenda listing heuristics: which links lead to event pages, which one is the next page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from scraper.urls import (
    AGENDA_WORDS,
    absolute,
    calendar_month,
    is_event_link,
    is_internal_page,
    page_number,
    same_host,
)
from spiders.extract import common, phrases
from spiders.extract.html import main_lines

_ANCHOR = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']([^\"'#]+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h([1-4])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_NOT_CONTENT = re.compile(
    r"/(?:category|categorie|tag|etiquette|author|auteur|page/\d+|feed|wp-json|wp-admin|wp-content)(?:/|$)"
    r"|[?&](?:page|paged|mois|month)=",
    re.IGNORECASE,
)

_LINK_NEXT = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?next["']?[^>]*>""", re.IGNORECASE)
_HREF_ATTR = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_NEXT_TEXT = re.compile(
    r"^\s*(?:page\s+suivante|suivante?s?|suiv\.?|next(?:\s+page)?|plus\s+d['’]événements|voir\s+plus|›|»|>|>>|→)"
    r"\s*(?:›|»|>|→)?\s*$",
    re.IGNORECASE,
)
_MONTH_TEXT = re.compile(r"mois\s+suivant|next\s+month|événements\s+suivants\s+»?\s*$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _anchors(html: str, base: str) -> tuple[tuple[str, str, str, str], ...]:
    """(absolute url, rel, class, text) for every <a href>.

    Listing pages are where markup is at its most broken (unclosed anchors, '>' inside
    attributes, nested inline tags): Beautiful Soup over lxml reads them as a browser would.
    Cached: the event links, the next page and the numbered pages of one listing all read
    the same anchors, and parsing is the costly part."""
    from bs4 import BeautifulSoup, SoupStrainer

    soup = BeautifulSoup(html, "lxml", parse_only=SoupStrainer("a", href=True))
    resolve = _resolver(base)
    out = []
    for a in soup.find_all("a", href=True):
        href = a.get("href")
        full = resolve(href) if isinstance(href, str) else None
        if not full:
            continue
        rel = a.get("rel") or []
        cls = a.get("class") or []
        rel_text = " ".join(rel) if isinstance(rel, list) else str(rel)
        cls_text = " ".join(cls) if isinstance(cls, list) else str(cls)
        text = " ".join(a.get_text(" ").split())
        out.append((urldefrag(full)[0] if "#" in full else full, rel_text.lower(), cls_text.lower(), text))
    return tuple(out)


# A path and a non-empty query of plain characters: no params (';'), fragment, space or
# backslash, which urljoin would rewrite.
_PLAIN_PATH = re.compile(r"/(?!/)[\w\-.~/%!$&'()*+,=:@]*(?:\?[\w\-.~/%!$&'()*+,=:@?]+)?")


def _resolver(base: str) -> Callable[[str], str | None]:
    """`absolute` against one base, with a shortcut for the root-relative paths most
    links are ('/agenda/atelier/'): joining them to the base's origin is all urljoin would do
    when they hold no dot segment."""
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None

    def resolve(href: str) -> str | None:
        href = href.strip()
        if origin and _PLAIN_PATH.fullmatch(href) and "/." not in href:
            return origin + href
        return absolute(href, base)

    return resolve


def agenda_links(html: str, *, url: str) -> list[str]:
    """Links from a home page to the agenda section, judged by their path and their text."""
    out: list[str] = []
    for href, label in _ANCHOR.findall(html):
        target = urljoin(url, href.strip())
        path = urlsplit(target).path
        text = _TAGS.sub(" ", label)
        agenda_like = AGENDA_WORDS.search(path) or AGENDA_WORDS.search(text)
        if agenda_like and target not in out and urlsplit(target).scheme in ("http", "https"):
            out.append(target)
    return out


def heading_links(html: str, *, url: str) -> list[str]:
    """Links in the headings of a listing page (`<h2><a>`): the way blog-style agendas
    (WordPress category archives, Joomla blogs) point to their event posts."""
    out: list[str] = []
    page = urlsplit(url)
    for _level, inner in _HEADING.findall(html):
        for href, _label in _ANCHOR.findall(inner):
            target = urljoin(url, href.strip())
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.path in ("", "/"):
                continue
            if (parts.netloc, parts.path) == (page.netloc, page.path) or _NOT_CONTENT.search(target):
                continue
            if target not in out:
                out.append(target)
    return out


def link_candidates(html: str, url: str, *, kind: str, max_month: date | None) -> dict[str, Any]:
    """Links of an HTML page that may be worth following, before depth and site checks:
    event pages, the next page, agenda sections (start pages). The costly part of reading
    links (it parses the page), kept in `pages` so an unchanged page is not parsed again."""
    if kind == "detail":
        return {"event": [], "next": None, "agenda": []}
    found = find_event_links(html, url=url)
    if kind == "listing":
        found += [u for u in heading_links(html, url=url) if u not in found]
    nxt = find_next_page(html, url=url, max_month=max_month)
    agenda = [u for u in agenda_links(html, url=url) if u != url] if kind == "start" else []
    return {"event": found, "next": nxt, "agenda": agenda}


def find_event_links(html: str | bytes, url: str) -> list[str]:
    """Same-site links to event pages, in page order, without duplicates.

    Paths that look like event pages come first; on sites whose event URLs are bare slugs (SPIP
    '/Atelier-tiers-lieux-Rodez', WordPress posts), links sitting next to a date in the main content count too.
    """
    text = common.decode_body(html) if isinstance(html, bytes) else html
    seen: dict[str, None] = {}
    for link, _rel, _cls, _t in _anchors(text, url):
        if is_event_link(link, url):
            seen.setdefault(link, None)
    if len(seen) < 2:
        for link in _dated_links(text, url):
            seen.setdefault(link, None)
    return list(seen)


def _dated_links(text: str, url: str) -> list[str]:
    lines = main_lines(text, url)
    found: dict[str, None] = {}
    for i, ln in enumerate(lines):
        if not phrases.find_date_phrases(ln.text):
            continue
        for j in range(max(0, i - 2), min(len(lines), i + 3)):
            for link in lines[j].links:
                if is_internal_page(link, url) and urldefrag(link)[0] not in found:
                    found[urldefrag(link)[0]] = None
    return list(found)


def find_next_page(html: str | bytes, url: str, *, max_month: date | None = None) -> str | None:
    """The next page of a listing (rel=next, 'page suivante', '›', ?page=N+1, /page/N+1/).

    Calendar month navigation ('mois suivant', '/mois/2021-12/') never ends by itself: it is followed
    only when `max_month` is given and the target month is not after it.
    """
    text = common.decode_body(html) if isinstance(html, bytes) else html
    candidates: list[str] = []
    for m in _LINK_NEXT.finditer(text):
        h = _HREF_ATTR.search(m.group(0))
        if h:
            got = absolute((h.group(1) or h.group(2) or h.group(3) or "").replace("&amp;", "&"), url)
            if got:
                candidates.append(got)
    month_links: list[str] = []
    for link, rel, cls, label in _anchors(text, url):
        if _MONTH_TEXT.search(label) or "month" in cls and "next" in cls:
            month_links.append(link)
            continue
        if "next" in rel.split() or _NEXT_TEXT.match(label) or re.search(r"\bnext\b|suivant", cls):
            candidates.append(link)
    numbered = _numbered_next(text, url)
    if numbered:
        candidates.append(numbered)
    here = calendar_month(url)
    for cand in candidates:
        if not same_host(cand, url) or cand.rstrip("/") == url.rstrip("/"):
            continue
        month = calendar_month(cand)
        if month is not None and (here is None or month != here) and (max_month is None or month > max_month):
            continue
        return cand
    for cand in month_links:
        month = calendar_month(cand)
        if max_month is not None and month is not None and month <= max_month and same_host(cand, url):
            return cand
    return None


def _numbered_next(html: str, url: str) -> str | None:
    current = page_number(url) or 1
    best = None
    for link, _rel, _cls, _label in _anchors(html, url):
        n = page_number(link)
        if n == current + 1 and same_host(link, url):
            best = link
            break
    return best
