"""Listing pages: the dated teasers of their cards, each pointing to its own page.

A card opens with a heading that links to a page of the site ('<h4><a href="/stage/">Stage …</a></h4>')
and runs to the next such heading. A careful reader takes from it:

* the title: the heading (or the card's other linked heading when the first is only a date);
* the post's date, which is not the event's: a line that is only a date, introduced by 'on',
  'le', 'publié le'…, or that follows the excerpt, as blog listings print it;
* the event's date: the one in the title, else the excerpt's; the excerpt's wins when only it
  names the year or weekday. An excerpt that lists several dated items gives one event each;
* nothing at all when the card names no date of its own: a news teaser is not an event.

Teasers carry the linked page as their URL: a crawler that also reads that page keeps the page's
fuller version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from scraper.items import Event
from scraper.urls import is_internal_page
from spiders.extract import common, phrases, programme


class _Line(Protocol):
    text: str
    tag: str
    links: list[str]
    hint: str


@dataclass(slots=True)
class _Piece:
    """A stretch of an excerpt, read as a line of its own."""

    text: str
    tag: str = "p"
    item_start: bool = False


_TITLES = ("h2", "h3", "h4", "h5", "h6")
_POST_DATE_LEAD = re.compile(r"(?i)^\s*(?:on|le|publi[ée]e?\s+le|post[ée]\s+le|mis\s+en\s+ligne\s+le|by\s+.*)\s*")
_POST_HINT = re.compile(r"post|publi|entry-date|entry-meta|meta-date|byline|posted")
_LONG_EXCERPT = 80
_PRECISE = re.compile(rf"(?i)\b(?:19|20)\d{{2}}\b|\b{phrases.WEEKDAY}\b")
_NOT_EVENT_DATE = re.compile(
    r"(?i)(?:inscri\w*|r[ée]servations?|billetterie|date\s+limite|cl[ôo]tur\w*|publi[ée]\w*|post[ée])\b[^.]{0,30}$"
)
_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")
_DEPARTMENT = re.compile(r"^[A-ZÀ-Ý][\w'’\- ]{1,40}\s*\((?:\d{2,3}|2A|2B)\)$")


def _own_link(line: _Line, url: str) -> str | None:
    return next((link for link in line.links if is_internal_page(link, url)), None)


def _bare_date(text: str) -> bool:
    """True for a line that is only a date, possibly introduced ('on 26/01/2024', 'Le 12 mars 2024')."""
    rest = _POST_DATE_LEAD.sub("", text, count=1)
    found = phrases.find_date_phrases(rest)
    if len(found) != 1:
        return False
    leftover = rest[:found[0].start] + " " + rest[found[0].end:]
    for t in phrases.find_time_phrases(leftover):
        leftover = leftover.replace(t.text, " ")  # 'Samedi 02 mars à 17:00' is a date too
    return not leftover.strip(" .,|-–—")


def _dated(text: str) -> phrases.Phrase | None:
    for p in phrases.iter_date_phrases(text):
        if not _NOT_EVENT_DATE.search(text[max(0, p.start - 40):p.start]):
            return p
    return None


def _cards(lines: Sequence[_Line], url: str) -> list[tuple[str, list[_Line]]]:
    cards: list[tuple[str, list[_Line]]] = []
    loose: list[_Line] = []  # the lines before the first card
    for ln in lines:
        link = _own_link(ln, url) if ln.tag in _TITLES else None
        if link is not None and (not cards or cards[-1][0] != link):
            # Lines above the heading inside the same link (a date block) open the card.
            above = cards[-1][1] if cards else loose
            lead: list[_Line] = []
            while above and link in above[-1].links and len(lead) < 4:
                lead.insert(0, above.pop())
            cards.append((link, [*lead, ln]))
        elif not cards:
            loose.append(ln)
        elif cards and len(cards[-1][1]) < 12:
            if ln.tag in _TITLES and link is None and _own_link(ln, url) is None and ln.text and not _bare_date(ln.text):
                cards.append(("", []))  # a heading of another section closes the card
                continue
            cards[-1][1].append(ln)
    return [(link, card) for link, card in cards if link]


def _post_date(card: list[_Line]) -> tuple[set[int], date | None]:
    """(indexes of the card's post-date lines, the post's day)."""
    excerpt_seen = False
    marked: set[int] = set()
    day: date | None = None
    for n, ln in enumerate(card):
        if len(ln.text) >= _LONG_EXCERPT:
            excerpt_seen = True
            continue
        if not _bare_date(ln.text):
            continue
        introduced = _POST_DATE_LEAD.match(ln.text) is not None and _POST_DATE_LEAD.match(ln.text).end() > 0  # type: ignore[union-attr]
        if introduced or excerpt_seen or _POST_HINT.search(ln.hint or ""):
            marked.add(n)
            day = day or phrases.phrase_reference(ln.text)
    return marked, day


def _excerpt_items(text: str, *, link: str, source: str, ref: date | None) -> list[Event]:
    """Several dated items run together in one excerpt ('Stage A du 26/02 au 8/03 Stage B du 27 au 29/02')."""
    pieces: list[_Piece] = []
    start = 0
    for p in phrases.iter_date_phrases(text):
        pieces.append(_Piece(text[start:p.end].strip()))
        start = p.end
    if len(pieces) < 2:
        return []
    return programme.dated_events(pieces, place="", url=link, source=source, ref=ref)


def card_events(lines: Sequence[_Line], *, url: str, source: str, ref: date | None) -> list[Event]:
    """The dated teasers of a listing's cards."""
    events: list[Event] = []
    for link, card in _cards(lines, url):
        post_lines, posted = _post_date(card)
        card_ref = posted or ref
        titles = [ln.text for ln in card if ln.tag in _TITLES and not _bare_date(ln.text)]
        title = titles[0] if titles else ""
        if not title:
            continue
        years = set(_YEAR.findall(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", title)))
        if posted is None and ref is None and len(years) == 1:
            # 'Anniversaire des promotions 2024': the card's year-less days are in its title's year.
            card_ref = date(int(years.pop()), 1, 1)
        rest = [ln for n, ln in enumerate(card) if n not in post_lines and ln.text not in titles]
        excerpt = " ".join(ln.text for ln in rest)
        items = _excerpt_items(excerpt, link=link, source=source, ref=card_ref)
        if items:
            events.extend(items)
            continue
        in_title, in_excerpt = _dated(title), _dated(excerpt)
        chosen, text = in_title, title
        if in_excerpt is not None and (chosen is None or (_PRECISE.search(in_excerpt.text)
                                                          and not _PRECISE.search(in_title.text))):  # type: ignore[union-attr]
            chosen, text = in_excerpt, excerpt
        if chosen is None:
            continue  # a news teaser: no date of its own
        start_raw = chosen.text
        times = [t for t in phrases.find_time_phrases(text[chosen.end:chosen.end + 40]) if t.start <= 12]
        if times:
            start_raw += ", " + times[0].text
        place = phrases.place_after(text, chosen.end + (times[0].end if times else 0))
        if not place:
            place = next((ln.text for ln in rest if _DEPARTMENT.match(ln.text)), "")
        ev = Event(source=source, url=link, title=title, start_raw=start_raw, location_raw=place,
                   extractor="roundup", reference_date=card_ref)
        ev.attendance = phrases.attendance_of_place(place)
        events.append(common.finish(ev))
    return events
