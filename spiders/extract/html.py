"""Pages with no structured data: one event page (generic) or a page listing events in free text (roundup)."""

from __future__ import annotations

import functools
import html as htmllib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scraper.items import Event
from scraper.urls import absolute, is_event_link, is_internal_page
from spiders.extract import cards, common, phrases, programme
from spiders.extract.reference import published_in_markup

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "main", "header", "footer", "table", "tr", "td", "th", "tbody", "thead", "blockquote", "pre", "figure",
    "figcaption", "address", "aside", "nav", "form", "fieldset", "hr", "details", "summary", "body", "html",
    "center",
})
_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select", "object")
_CHROME = ("nav", "footer", "aside")
_PUBLISHED = re.compile(
    r"(publi[ée]e?|publication|mis[e]?\s+[àa]\s+jour|mise\s+en\s+ligne|mis\s+en\s+ligne|post[ée]|modifi[ée]|actualis[ée]|cr[ée]{2})"
    r"(\s+le)?\s*:?\s*$",
    re.IGNORECASE,
)
_CANCEL_LINE = re.compile(r"^\W*(?:[\wéèà'’-]+\s+){0,3}(?:est\s+)?annul[ée]e?s?\b(?!\s+(?:si|en\s+cas))", re.IGNORECASE)
_POSTPONE_LINE = re.compile(r"^\W*(?:[\wéèà'’-]+\s+){0,3}(?:est\s+)?report[ée]e?s?\b(?!\s+(?:si|en\s+cas))",
                            re.IGNORECASE)
_TIME_IN_TITLE = re.compile(
    r"(?:^|,\s*)(?P<time>(?:à\s+partir\s+de\s+|dès\s+|de\s+|entre\s+)?(?:[01]?\d|2[0-3])\s*h\s*(?:[0-5]\d)?"
    r"(?:\s*(?:à|-|–|et)\s*(?:[01]?\d|2[0-3])\s*h\s*(?:[0-5]\d)?)?)\s*(?::\s*|\.?\s*$|,)",
    re.IGNORECASE,
)
_BULLETS = ("•", "·", "▪", "►", "▶", "➢", "✓")
_BULLET_STRIP = "".join(_BULLETS) + " "
_GROUPS = ("ul", "ol", "dl", "table", "section", "article")
_SPACES = re.compile(r"\s+")
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_PUBLISHED_LINE = re.compile(r"(?i)\s*(publi|mis[e]?\s|post[ée]|cr[ée]{2}|modifi|actualis|information\s+mise|derni)")
_SECTION = re.compile(r"(:|…|\.\.\.)\s*$")
_ONLINE_LEAD = re.compile(r"^(en\s+visio(?:conf[ée]rence)?|en\s+ligne|[àa]\s+distance|en\s+distanciel|webinaire)\b",
                          re.IGNORECASE)
_TIME_LEAD = re.compile(r"^(?:de|entre|à|a|dès)?\s*(?:[01]?\d|2[0-3])\s*[hH:]", re.IGNORECASE)


@dataclass(slots=True)
class Line:
    text: str
    tag: str
    group: int
    item_start: bool = False
    links: list[str] = field(default_factory=list)
    hint: str = ""
    """class, id and itemprop of the block ('tribe-events-meta-group-venue')."""


# ---------------------------------------------------------------- page -> lines


@functools.cache
def _parsers() -> tuple[Any, Any]:
    """(parser for str, parser for UTF-8 bytes), made once: building a parser costs as much as
    reading a small page. Plain lxml elements, not lxml.html's: its element classes are looked up
    by Python code for every element the walk touches, and nothing here needs their methods."""
    from lxml import etree

    # huge_tree: past 256 nested elements libxml2 would drop the rest of the page (bs4 kept it).
    return etree.HTMLParser(huge_tree=True), etree.HTMLParser(encoding="utf-8", huge_tree=True)


def _tree(html: str) -> Any:
    """The page as an lxml tree (libxml2's HTML parser, which bs4's "lxml" builder also drives,
    at a tenth of the cost), or None for a document with no elements."""
    from lxml import etree

    for_text, for_bytes = _parsers()
    try:
        return etree.fromstring(html, for_text)
    except etree.ParserError:  # "Document is empty"
        return None
    except ValueError:
        # A str that still carries its XML encoding declaration: lxml wants it as bytes.
        try:
            return etree.fromstring(html.encode("utf-8"), for_bytes)
        except etree.ParserError:
            return None


def _drop(root: Any, names: tuple[str, ...]) -> None:
    """Remove the elements (and what they hold) but keep the text that follows them
    (lxml.html's drop_tree)."""
    for el in list(root.iterdescendants(*names)):
        parent = el.getparent()
        if el.tail:
            previous = el.getprevious()
            if previous is None:
                parent.text = (parent.text or "") + el.tail
            else:
                previous.tail = (previous.tail or "") + el.tail
        parent.remove(el)


def _elements(root: Any) -> Any:
    from lxml import etree

    return root.iter(etree.Element)


def _text(el: Any, sep: str = "", strip: bool = False) -> str:
    """bs4's get_text: the element's strings (comments left out), optionally stripped."""
    if strip:
        return sep.join(t for t in (s.strip() for s in el.itertext()) if t)
    return sep.join(el.itertext())


def _has_class(el: Any, name: str) -> bool:
    return name in (el.get("class") or "").split()


def _main(root: Any) -> Any:
    """The page's main content: <main>, role=main, the longest <article>, #content, .entry-content…"""
    finders = (
        lambda: root.iter("main"),
        lambda: (e for e in _elements(root) if e.get("role") == "main"),
        lambda: root.iter("article"),
        lambda: (e for e in _elements(root) if e.get("id") == "content"),
        lambda: (e for e in _elements(root) if _has_class(e, "entry-content")),
        lambda: (e for e in _elements(root) if _has_class(e, "content")),
        lambda: (e for e in _elements(root) if e.get("id") == "main"),
        lambda: (e for e in _elements(root) if _has_class(e, "main")),
    )
    for n, find in enumerate(finders):
        found = (f for f in find() if _longer_than(f, 40))
        if n == 2:
            articles = list(found)
            parents = Counter(_card_container(a) for a in articles)
            shared, count = parents.most_common(1)[0] if parents else (None, 0)
            if count >= 3 and shared is not None:
                # Several <article> side by side are a listing's cards: the listing is their parent.
                return shared
            if articles:
                return max(articles, key=lambda f: len(_text(f, " ", True)))
            continue
        first = next(found, None)
        if first is not None:
            return first
    return next(root.iter("body"), root)


def _card_container(article: Any) -> Any:
    """What holds a card: its parent, past the links that wrap a whole card (<a><article>…</a>)."""
    parent = article.getparent()
    while parent is not None and parent.tag == "a" and len(parent) == 1:
        parent = parent.getparent()
    return parent


def _longer_than(el: Any, size: int) -> bool:
    """len(_text(el, " ", True)) > size, reading no more of the element than it takes."""
    total = -1  # the joining spaces number one less than the pieces
    for piece in el.itertext():
        piece = piece.strip()
        if piece:
            total += len(piece) + 1
            if total > size:
                return True
    return False


def _has_block(el: Any) -> bool:
    # Tested in Python: lxml builds a matcher for the names on every filtered iteration, which
    # costs more than walking the few descendants an inline element has.
    return any(d.tag in BLOCK_TAGS for d in el.iterdescendants())


def lines_from_html(root: Any, base: str) -> list[Line]:
    out: list[Line] = []
    # Line groups are element identities; the dict keeps each element's proxy alive (and so its
    # id unique) for as long as lines are being made.
    keys: dict[Any, int] = {}

    def key(el: Any) -> int:
        return keys.setdefault(el, len(keys) + 1)

    def group_of(el: Any) -> int:
        if el.tag in _GROUPS:
            return key(el)
        # The nearest grouping ancestor, climbed by hand (see _has_block).
        parent = el.getparent()
        while parent is not None:
            if parent.tag in _GROUPS:
                return key(parent)
            parent = parent.getparent()
        parent = el.getparent()
        return key(parent) if parent is not None else 0

    def hint_of(el: Any) -> str:
        classes, ident, prop = el.get("class"), el.get("id"), el.get("itemprop")
        if not (classes or ident or prop):
            return ""  # most blocks: no list to build
        parts = [*(classes or "").split(), ident or "", prop or ""]
        return " ".join(p for p in parts if p).lower()

    def flush(buf: list[str], hrefs: list[str], block: Any, first: list[bool]) -> None:
        text = "".join(buf)
        tag = block.tag
        group = hint = None
        # Whitespace between blocks is most of what reaches here: it makes no line.
        for piece in text.split("\n") if text and not text.isspace() else ():
            # str.split() cuts at the characters \s matches: this is _SPACES.sub(" ", piece).strip(),
            # at a third of the cost on a paragraph.
            piece = " ".join(piece.split())
            bullet = piece.startswith(_BULLETS)
            piece = piece.lstrip(_BULLET_STRIP) if bullet else piece
            if not piece:
                continue
            if group is None:
                group, hint = group_of(block), hint_of(block)
            out.append(Line(piece, tag, group,
                            item_start=bullet or (first[0] and tag in ("li", "dt", "dd", "tr")),
                            links=list(hrefs), hint=hint))
            first[0] = False
        buf.clear()
        hrefs.clear()

    def walk(block: Any, depth: int, inherited: tuple[str, ...] = ()) -> None:
        if depth > 60:
            return
        if block.tag == "a":
            # Cards wrap a heading in a link: the heading's line carries the link.
            got = absolute(block.get("href"), base)
            inherited = (*inherited, got) if got else inherited
        buf: list[str] = []
        hrefs: list[str] = list(inherited)
        first = [True]
        if block.text:
            buf.append(block.text)
        for child in block:
            tag = child.tag
            if not isinstance(tag, str):
                pass  # comments and processing instructions: only their tail is page text
            elif tag == "br":
                buf.append("\n")
            elif tag in BLOCK_TAGS or _has_block(child):
                # An empty buffer makes no line, and its links are still just the inherited ones.
                if buf:
                    flush(buf, hrefs, block, first)
                    hrefs.extend(inherited)
                walk(child, depth + 1, inherited)
            else:
                buf.append(_text(child))
                for a in ((child,) if tag == "a" else child.iterdescendants("a")):
                    got = absolute(a.get("href"), base)
                    if got:
                        hrefs.append(got)
            if child.tail:
                buf.append(child.tail)
        if buf:
            flush(buf, hrefs, block, first)

    walk(root, 0)
    return out


def lines_from_text(text: str) -> list[Line]:
    """Plain text pages: blank lines separate groups, '•' opens a list item."""
    out: list[Line] = []
    group = 0
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            group += 1
            continue
        bullet = raw.strip().startswith(("•", "·", "- ", "* ", "– "))
        piece = re.sub(r"\s+", " ", raw).strip().lstrip("•·*–- ").strip()
        if piece:
            out.append(Line(piece, "li" if bullet else "p", group, item_start=bullet))
    return out


def main_lines(html: str, base: str) -> list[Line]:
    """The lines of a page's main content (no scripts, navigation, asides or footers)."""
    root = _tree(html)
    if root is None:
        return []
    _drop(root, _DROP)
    main = _main(root)
    _drop(main, _CHROME)
    return lines_from_html(main, base)


# ---------------------------------------------------------------- extraction


def extract(text: str, *, url: str, source: str, reference: date | None, skipped: Counter[str],
            plain: bool = False, listing_ref: date | None = None) -> tuple[list[Event], str]:
    """(events, extractor name) for a page with no structured events.

    `reference` dates the page (its publication); `listing_ref`, when given, dates what a
    listing shows (see reference.listing_reference)."""
    title = ""
    if plain:
        lines = lines_from_text(text)
    else:
        root = _tree(text)
        lines = []
        if root is not None:
            _drop(root, _DROP)
            title = _page_title(root)
            main = _main(root)
            _drop(main, _CHROME)
            lines = lines_from_html(main, url)
    if not lines:
        skipped["html/empty"] += 1
        return [], "none"
    h1_index = _title_index(lines, title)
    if not title:
        title = lines[h1_index].text if h1_index is not None else ""
    openers = [i for i, ln in enumerate(lines) if _is_opener(lines, i, h1_index)]
    ref = _reference(lines, h1_index, reference, title=title)
    events: list[Event] = []
    page_ev = _page_event(lines, h1_index, openers, title=title, url=url, source=source, ref=ref)
    if page_ev is not None and not plain and _is_post_date(page_ev, text):
        # The date under the title is the post's own (its markup says so): news, not an event.
        page_ev = None
    body = lines[(h1_index or 0):]
    timed = programme.timed_events(body, place=page_ev.location_raw if page_ev else "", url=url, source=source,
                                   ref=ref)
    if timed:
        span = programme.span_before_items(body) if page_ev is None and title else None
        if span is not None:
            page_ev = common.finish(Event(source=source, url=url, title=title, start_raw=span.text,
                                          extractor="html", reference_date=ref))
        return _with_page_event(timed, page_ev), "roundup"
    # A page whose own dates follow its title is an event page, whatever it links to below.
    if page_ev is None and _is_listing(lines, openers, url):
        skipped["html/listing"] += 1
        teasers = cards.card_events(lines, url=url, source=source, ref=listing_ref or ref)
        return teasers, "roundup" if teasers else "none"
    if len(openers) >= 2:
        if page_ev is not None:
            events.append(page_ev)
        for n, i in enumerate(openers):
            if page_ev is not None and any(is_internal_page(link, url) for link in lines[i].links):
                # An event page's 'related' list: teasers of other pages, read on their own.
                skipped["html/related_teaser"] += 1
                continue
            stop = openers[n + 1] if n + 1 < len(openers) else len(lines)
            ev = _item_event(lines, i, stop, url=url, source=source, ref=ref)
            if ev is not None:
                events.append(ev)
            else:
                skipped["roundup/no_title"] += 1
        return events, "roundup"
    items = programme.dated_events(body, place=page_ev.location_raw if page_ev else "", url=url, source=source,
                                   ref=ref)
    if items:
        return _with_page_event(items, page_ev), "roundup"
    if page_ev is None:
        # No dates under a title: a page whose dated text sits in cards (a calendar with one
        # upcoming card) gives its teasers, not an event of its own.
        teasers = cards.card_events(lines, url=url, source=source, ref=ref)
        if teasers:
            return teasers, "roundup"
        page_ev = _page_event(lines, h1_index, [], title=title, url=url, source=source, ref=ref, anywhere=True)
        if page_ev is not None and not plain and _is_post_date(page_ev, text):
            page_ev = None  # the only date found is the post's own
    if page_ev is None:
        skipped["html/no_date" if title else "html/no_title"] += 1
        return [], "none"
    return [page_ev], "html"


def _with_page_event(items: list[Event], page_ev: Event | None) -> list[Event]:
    """A programme's items, after the article's own event when its dates are not one of the
    items' (a festival around its programme); a page event dated like an item is that item."""
    days = {ev.start_raw.split(",")[0].lower() for ev in items}
    if page_ev is not None and page_ev.start_raw.split(",")[0].lower() not in days:
        return [page_ev, *items]
    return items


def _is_post_date(ev: Event, page: str) -> bool:
    """True when an event's only date, a bare full date, is the day the page's markup says it was published."""
    if re.search(r"\d\s*[hH:]", ev.start_raw):
        return False
    published = published_in_markup(page)
    return published is not None and phrases.phrase_reference(ev.start_raw) == published


def _page_title(root: Any) -> str:
    h1 = next(root.iter("h1"), None)
    text = _text(h1, " ", True) if h1 is not None else ""
    if text:
        return _SPACES.sub(" ", text)
    # Joomla and some themes title the article with an h2 (itemprop="headline").
    head = next((e for e in _elements(root) if e.get("itemprop") == "headline"), None)
    text = _text(head, " ", True) if head is not None else ""
    if head is not None and 3 <= len(text) <= 200:
        return _SPACES.sub(" ", text)
    og = next((e for e in root.iter("meta") if e.get("property") == "og:title"), None)
    if og is not None and og.get("content"):
        return htmllib.unescape(str(og.get("content"))).strip()
    title = next(root.iter("title"), None)
    if title is not None and len(title) == 0 and title.text:
        return re.split(r"\s+[|–—-]\s+", title.text.strip())[0]
    return ""


_DATEISH_LEAD = re.compile(r"^\s*(?:à\s+partir|a\s+partir|du|le|les|au|jusqu|depuis|dès|de|publi|mis|information)\b",
                           re.IGNORECASE)


def _title_index(lines: list[Line], title: str) -> int | None:
    for i, ln in enumerate(lines):
        if ln.tag == "h1" or (title and ln.text == title):
            return i
    # No h1: the page title is the last plain line before the page's first date line.
    first_dated = next((i for i, ln in enumerate(lines[:10]) if phrases.find_date_phrases(ln.text)), None)
    if first_dated is None:
        return None
    for i in range(first_dated - 1, -1, -1):
        text = lines[i].text
        if 12 <= len(text) <= 200 and not _DATEISH_LEAD.match(text) and re.search(r"[A-Za-zÀ-ÿ]{3}", text):
            return i
    return None


_RANGE_END = re.compile(r"^\s*(au|jusqu)", re.IGNORECASE)


_REGISTRATION = re.compile(
    r"(?i)(?:inscri\w*|r[ée]servations?|billetterie|candidatures?|date\s+limite|cl[ôo]tur\w*)\b"
    r"(?:\s+(?:\w+\s+){0,2}?(?:à\s+partir|d[èe]s|avant|jusqu['’]au|ouvertes?|ferm[ée]es?)\w*)?\s*(?:du|le|au|:)?\s*$"
)


def _published_context(text: str, start: int) -> bool:
    """True when the date at `start` dates the post or its registrations, not the event."""
    before = text[max(0, start - 40):start]
    # '[18 octobre 2023] - Fonds …': a bracketed date under a title is the post's dateline.
    return bool(_PUBLISHED.search(before[-30:]) or _REGISTRATION.search(before) or _POSTED_ON_END.search(before)
                or before.rstrip().endswith("["))


def _is_opener(lines: list[Line], i: int, title_index: int | None = None) -> bool:
    ln = lines[i]
    if (title_index is not None and title_index < i <= title_index + 4 and not ln.item_start
            and not any(x.tag in _HEADINGS for x in lines[title_index + 1:i])):
        return False
    if i + 1 < len(lines) and _RANGE_END.match(lines[i + 1].text) and ln.group == lines[i + 1].group:
        return False
    p = phrases.date_phrase_at_start(ln.text)
    if p is None or len(ln.text) > 260:
        return False
    if _published_context(ln.text, p.start) or ln.tag == "h1" or _POSTED_ON.match(ln.text):
        return False
    # A page's own date block ('Du 01 novembre 2021' / 'au 30 novembre 2021') is not a list item.
    if _RANGE_END.match(ln.text):
        return False
    prev_same = i > 0 and lines[i - 1].group == ln.group and not lines[i - 1].item_start
    return ln.item_start or ln.tag in ("li", "h2", "h3", "h4", "h5", "h6", "dt", "strong") or not prev_same or (
        len(ln.text) < 120
    )


_DOCUMENT = re.compile(r"(?i)\.(?:pdf|docx?|odt|xlsx?|ods|pptx?|zip|jpe?g|png|gif|mp3|mp4)(?:[?#]|$)")
# 'on 26/01/2024' under a blog teaser's title: the post's date, printed by English-language themes.
_POSTED_ON = re.compile(r"(?i)\s*on\s+\d")
_POSTED_ON_END = re.compile(r"(?i)(?:^|\s)on\s*$")


def _is_listing(lines: list[Line], openers: list[int], url: str) -> bool:
    """Agenda listings: dated entries that each link to their own event page on the site."""
    dated = set(openers)
    for i, ln in enumerate(lines):
        if phrases.find_date_phrases(ln.text) and len(ln.text) < 200:
            dated.add(i)
    dated = {i for i in dated if not _PUBLISHED.search(lines[i].text[:40] + " ")
             and not re.match(r"(?i)\s*(publi|mis|post|cr[ée]{2})", lines[i].text)}
    linked: set[str] = set()
    own: set[str] = set()
    with_own_link = 0
    for i in dated:
        found = False
        for j in range(max(0, i - 2), min(len(lines), i + 3)):
            for link in lines[j].links:
                if is_event_link(link, url):
                    linked.add(link)
                if j in (i - 1, i, i + 1) and is_internal_page(link, url):
                    own.add(link)
                    found = True
        with_own_link += found
    if len(linked) >= 3:
        return True
    # Cards titled by headings that each link to their own page (blog and agenda listings).
    headings = [ln for ln in lines if ln.tag in _HEADINGS]
    titled = {link for ln in headings for link in ln.links[:1]
              if is_internal_page(link, url) and not _DOCUMENT.search(link)}
    if len(titled) >= 3 and len(titled) * 2 >= len(headings):
        return True
    # Cards on sites whose event URLs have no telltale path: each dated entry links to its own page.
    if len(own) >= 2 and dated and with_own_link == len(dated):
        return True
    return len(own) >= 3 and with_own_link * 2 >= len(dated)


_PUBLISHED_DMY = re.compile(r"(?i)publi[ée]e?\s+le\s+(\d{1,2})/(\d{1,2})/(\d{4})")


_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")


def _reference(lines: list[Line], h1: int | None, fallback: date | None, *, title: str = "") -> date | None:
    """The page's own full dates, else its publication date, else the one year its title names
    ('Anniversaire des promotions 2024') when the caller's reference is of another year, else
    the caller's reference."""
    # A year between brackets is a side note ('(Création 2023)'), not the event's.
    years = set(_YEAR.findall(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", title)))
    if len(years) == 1:
        year = int(years.pop())
        if fallback is None or fallback.year != year:
            fallback = date(year, 1, 1)
    start = h1 or 0
    head = " ".join(ln.text for ln in lines[start:start + 8] if not _PUBLISHED_LINE.match(ln.text))
    got = phrases.phrase_reference(head)
    if got is not None:
        return got
    top = " ".join(ln.text for ln in lines[:40])
    m = _PUBLISHED_DMY.search(top) if "/" in top else None  # a cheap test before a scan of 40 lines
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    if fallback is not None:
        from pipelines.normalize.dates import page_reference_date

        return page_reference_date(" ".join(ln.text for ln in lines[:60]), fallback=fallback)
    return fallback


def _header_zone(lines: list[Line], h1: int | None, openers: list[int], *, anywhere: bool,
                 url: str = "") -> list[Line]:
    start = (h1 + 1) if h1 is not None else 0
    limit = min(openers) if openers else len(lines)
    span = 40 if anywhere else 6
    zone: list[Line] = []
    for k in range(start, min(limit, start + span, len(lines))):
        ln = lines[k]
        if not anywhere and (len(ln.text) > 220 or ln.tag in _HEADINGS):
            break
        near = [ln] + ([lines[k + 1]] if k + 1 < len(lines) and not anywhere else [])
        if url and any(is_internal_page(link, url) for x in near for link in x.links):
            # Listing cards: their dates are not the page's own.
            if not anywhere:
                break
            continue
        zone.append(ln)
    return zone


def _first_date(text: str) -> phrases.Phrase | None:
    for p in phrases.iter_date_phrases(text):
        if _published_context(text, p.start):
            continue
        return p
    return None


@functools.cache
def _label_rx(label: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{label})\s*:\s*(.+)$", re.IGNORECASE)


def _labelled(lines: list[Line], label: str) -> str:
    rx = _label_rx(label)
    for ln in lines:
        m = rx.match(ln.text)
        if m:
            return m.group(1).strip()
    return ""


def _page_event(lines: list[Line], h1: int | None, openers: list[int], *, title: str, url: str, source: str,
                ref: date | None, anywhere: bool = False) -> Event | None:
    if not title:
        return None
    zone = _header_zone(lines, h1, openers, anywhere=anywhere, url=url)
    if h1 is not None and not anywhere and not any(_first_date(ln.text) for ln in zone):
        # 'Congrès annuel | 14-16 novembre 2013' printed just above the title.
        zone = [ln for ln in lines[max(0, h1 - 2):h1] if len(ln.text) < 80 and not ln.links
                and _first_date(ln.text)][-1:] + zone
    labelled = _labelled(zone, "date|dates|quand|le|horaires?")
    # Lines joined by newlines: a date may run over two lines, a place must not.
    with_breaks = "\n".join(ln.text for ln in zone)
    joined = with_breaks.replace("\n", " ")
    p = _first_date(labelled) if labelled else None
    source_text = labelled if p else with_breaks
    if p is None:
        p = _first_date(joined)
    if p is None:
        return None
    start_raw = p.text
    after = joined[p.end:p.end + 60] if source_text is with_breaks else source_text[p.end:p.end + 60]
    times = [t for t in phrases.find_time_phrases(after) if t.start <= 25]
    time_end = p.end
    if times:
        start_raw += ", " + times[0].text
        time_end = p.end + times[0].end
    else:
        hours = _labelled(zone, "horaires?|heure")
        if hours:
            start_raw += ", " + hours
        else:
            timed = _time_line_below(lines, h1, p.text)
            if timed:
                start_raw += ", " + timed
    place = _labelled(zone, "lieu|adresse|où|localisation")
    if not place:
        place = _place_line(lines[(h1 + 1 if h1 is not None else 0):][:40])
    if not place:
        place = phrases.place_after(source_text, p.end) or phrases.place_after(source_text, time_end)
    desc_lines = [ln.text for ln in lines[(h1 + 1 if h1 is not None else 0):(min(openers) if openers else None)]]
    ev = Event(source=source, url=url, title=title, start_raw=start_raw, location_raw=place,
               description_html="".join(f"<p>{htmllib.escape(t)}</p>" for t in desc_lines[:40]),
               extractor="html", reference_date=ref)
    ev.attendance = phrases.attendance_of_place(place)
    for ln in zone[:6] + lines[(h1 + 1 if h1 is not None else 0):][:8]:
        # 'Atelier annulé.' / 'Événement reporté' said in a short line near the top.
        if len(ln.text) < 100 and ev.status == "scheduled":
            if _CANCEL_LINE.search(ln.text):
                ev.status = "cancelled"
            elif _POSTPONE_LINE.search(ln.text):
                ev.status = "postponed"
    return common.finish(ev)


_TIME_LINE = re.compile(r"(?i)^\s*[–—•■▪·-]?\s*(?:(?:à\s+partir\s+de|a\s+partir\s+de|dès|des|de|à|a)\s+)?"
                        r"(?:[01]?\d|2[0-3])\s*[hH:]\s*(?:[0-5]\d)?\b")


def _time_line_below(lines: list[Line], h1: int | None, day: str) -> str:
    """The time a line opens with a few lines below the page's date ('A partir de 20h30 – Tarif',
    '20:00 – Église Notre-Dame', '– 9h : course nature', the first of a morning's programme)."""
    start = (h1 + 1) if h1 is not None else 0
    key = day.split()[-1].lower()
    dated = next((k for k in range(start, min(len(lines), start + 12)) if key in lines[k].text.lower()), start)
    for ln in lines[dated:dated + 7]:
        if _TIME_LINE.match(ln.text):
            found = phrases.find_time_phrases(ln.text)
            if found and found[0].start <= 14:
                return found[0].text
    return ""


_PLACE_HINT = re.compile(r"venue|lieu|location|adresse|address|place|where|localisation")
_TOWN_DEPARTMENT = re.compile(r"^[A-ZÀ-Ý][\w'’\- ]{1,40}\s*\((?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97\d)\)$")
_POSTCODE_LINE = re.compile(r"\b(?:0[1-9]|[1-8]\d|9[0-8])\d{3}\s+[A-ZÀ-Ý]")


def _place_line(lines: list[Line]) -> str:
    """A block marked as the venue (class or itemprop), else a short line ending in 'postcode City'."""
    for ln in lines:
        if _PLACE_HINT.search(ln.hint) and len(ln.text) < 200 and not phrases.find_date_phrases(ln.text):
            return re.sub(r"^(?:lieu|adresse|où)\s*:\s*", "", ln.text, flags=re.IGNORECASE)
    for ln in lines:
        if _POSTCODE_LINE.search(ln.text) and len(ln.text) < 160 and not phrases.find_date_phrases(ln.text):
            return ln.text
    for ln in lines[:8]:
        if _TOWN_DEPARTMENT.match(ln.text):
            return ln.text  # 'Tours (37)': a commune and its département number, near the title
    return ""


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _split_opener(rest: str) -> tuple[str, str]:
    """Rest of an opener line after its date -> (place, title)."""
    rest = rest.strip(" ,:;-–—")
    if not rest:
        return "", ""
    m = _ONLINE_LEAD.match(rest)
    if m:
        return m.group(0), rest[m.end():].strip(" ,:;-–—")
    m = re.match(r"^([^,:;–—]{2,40}?)\s+:\s+(.+)$", rest)
    if m and len(m.group(1).split()) <= 5 and not phrases.find_time_phrases(m.group(1)):
        # 'communes du sud : ESS Tour…' — a short place, a colon, the title.
        return re.sub(r"^(?:à|a|au)\s+", "", m.group(1)).strip(), m.group(2).strip()
    m = re.match(r"^(?:à|a|au)\s+([^,:;–—]+)(?:[,:;–—]\s*(.*))?$", rest)
    if m:
        return m.group(1).strip(), (m.group(2) or "").strip()
    m = re.match(r"^([A-ZÉÈÎ][\w'’\-]+(?:[ -](?:[A-ZÉÈÎ][\w'’\-]+|sur|sous|en|de|la|le|les|d['’]\w+)){0,4})\s*"
                 r"(?:[,:;–—-]\s*(.*))?$", rest)
    if m and (m.group(2) or len(rest.split()) <= 4):
        return m.group(1).strip(), (m.group(2) or "").strip()
    m = re.search(r"\s(?:à|au)\s+([A-ZÉÈ][^,;.]{1,50})$", rest)
    if m:
        return m.group(1).strip(), rest[:m.start()].strip(" ,")
    return "", rest


def _item_event(lines: list[Line], i: int, stop: int, *, url: str, source: str, ref: date | None) -> Event | None:
    opener = lines[i]
    p = phrases.date_phrase_at_start(opener.text)
    if p is None:
        return None
    rest = opener.text[p.end:]
    start_raw = p.text
    lead_time = phrases.find_time_phrases(rest)
    if lead_time and not rest[:lead_time[0].start].strip(" ,:–—-"):
        start_raw += ", " + lead_time[0].text
        rest = rest[lead_time[0].end:]
    place, title = _split_opener(rest)
    if title and start_raw == p.text:
        # A time inside the opener's title belongs to the date: 'de 9h à 11h : webinaire…',
        # 'ouverture du Mois, de 8h30 à 12h.', '… à partir de 14h.'
        t = _TIME_IN_TITLE.search(title)
        if t:
            start_raw += ", " + t.group("time").strip()
            title = (title[:t.start()] + " " + title[t.end():]).strip(" ,:;–—-.")
            title = title[:1].upper() + title[1:]
    if not title and i > 0 and lines[i - 1].tag in ("h2", "h3", "h4", "h5", "h6"):
        # '<h3>Forum …</h3><p>Le 18 novembre, à Rennes</p>': the heading names the dated item below it.
        title = lines[i - 1].text
    body: list[str] = []
    link = next((ln for ln in opener.links if absolute(ln, url)), None)
    groups = {opener.group}
    for j in range(i + 1, min(stop, i + 12)):
        ln = lines[j]
        if ln.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            break
        if ln.group not in groups and title:
            break
        if not title:
            title = ln.text
            groups.add(ln.group)
            link = link or next(iter(ln.links), None)
            continue
        if ln.group != opener.group and (_SECTION.search(ln.text) or _shouting(ln.text)):
            break
        if _TIME_LEAD.match(ln.text) and start_raw == p.text:
            t = phrases.find_time_phrases(ln.text)
            if t and t[0].start <= 6:
                start_raw += ", " + t[0].text[0].lower() + t[0].text[1:]
                rest = ln.text[t[0].end:].strip(" ,")
                m = re.match(r"^(?:à|au)\s+(.+)$", rest)
                if m:
                    place = m.group(1).strip()
                elif rest and not place:
                    place = rest
                continue
        body.append(ln.text)
    if not title:
        return None
    # Items share the page: a fragment from the title keeps their record ids apart (ids hash url + start_raw).
    anchor = re.sub(r"[^a-z0-9]+", "-", _fold(title).lower()).strip("-")[:60]
    ev = Event(source=source, url=f"{url.split('#')[0]}#{anchor}" if anchor else url, title=title,
               start_raw=start_raw, location_raw=place,
               description_html="".join(f"<p>{htmllib.escape(t)}</p>" for t in body), extractor="roundup",
               reference_date=ref)
    if link and link != url:
        ev.registration_url = link
    ev.attendance = phrases.attendance_of_place(place) or (
        ("mixed" if phrases.is_on_site_phrase(opener.text) else "online")
        if phrases.is_online_phrase(opener.text) else None)
    return common.finish(ev)
