"""Programmes: one article that lists several events, read item by item as a careful reader does.

Two layouts are read here, on the lines of a page's main content (or of a feed item's body):

* a day heading followed by timed lines ('Vendredi 31 juillet' / '19h30' / 'Ouverture des fêtes',
  or '20h00 : Banda' on one line): each timed line is an event on the heading's day;
* dated lines that name something ('Stage multi-activités 8/10 ans du 27 au 29/02/2024',
  'Rencontre du 6 mai 2021' as a heading, 'Nuit du conte – 16 février à 20h'): one event each.

A year-less day is read against the nearest full date above it in the article (the festival's
'du jeudi 30 juillet au dimanche 2 août 2026'), else against the page's own reference. An item
that names no place takes the article's. Registration and publication dates are not items.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from scraper.items import Event
from spiders.extract import common, phrases


class _Line(Protocol):
    text: str
    tag: str
    item_start: bool


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# 'Jour 2', '1)', '•' before a day heading.
_DAY_PREFIX = re.compile(r"^\s*(?:(?:jour|journ[ée]e|day)\s*\d+\s*[:.–—-]?\s*|\d+\s*[).]\s*)?", re.IGNORECASE)
_TIME_ONLY = re.compile(r"^\s*(?:[■□▪•·►▶➢✓-]\s*)?(?:à\s+|dès\s+)?((?:[01]?\d|2[0-3])\s*[hH:]\s*(?:[0-5]\d)?)"
                        r"(?:\s*(?:-|–|à)\s*((?:[01]?\d|2[0-3])\s*[hH:]\s*(?:[0-5]\d)?))?\s*(?:[:.,–—-]\s*)?",
                        re.IGNORECASE)
# A date that opens registrations, closes them or dates the post is not an item's date.
_NOT_AN_ITEM = re.compile(
    r"(?i)(?:inscri\w*|r[ée]servations?|billetterie|candidatures?|date\s+limite|cl[ôo]tur\w*|"
    r"publi[ée]\w*|post[ée]\w*|mis[e]?\s+[àa]\s+jour|ferm[ée]e?)\b[^.]{0,40}$"
)
_CONNECTORS = re.compile(r"^(?:\d{1,2}\s*[).]\s+)?[\s,:;.–—\-|/(]+|^\d{1,2}\s*[).]\s+|[\s,:;–—\-|/(]+$")
_TRAILING_WORDS = re.compile(r"(?i)(?:\s+(?:du|le|les|des|au|à|a|de|dès|depuis|ce|ces|the))+\s*$")
_SHOUTED_LEAD = re.compile(r"^(?:[A-ZÀ-Ý][A-ZÀ-Ý'’\-]*(?:\s+|$|(?=[,(]))){1,8}")
_PLACE_IN_TITLE = re.compile(r"\s(?:à|au|aux|chez)\s")
_SENTENCE = re.compile(r"[.!?…]\)?\s*$")


def _clean_title(text: str) -> str:
    text = _TRAILING_WORDS.sub("", _CONNECTORS.sub("", text))
    text = _CONNECTORS.sub("", text).strip()
    m = _SHOUTED_LEAD.match(text)
    if m and len([c for c in m.group(0) if c.isalpha()]) >= 4:
        # Words in capitals open the title ('COURSE LANDAISE (Ganaderia …)'): sentence case.
        lead = m.group(0)
        text = lead[:1] + lead[1:].lower() + text[m.end():]
    return text


def _words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]{2,}", text))


def day_heading(text: str) -> phrases.Phrase | None:
    """The date of a line that is only a date ('Jeudi 30 juillet', 'Jour 3 – samedi 1er août')."""
    m = _DAY_PREFIX.match(text)
    rest = text[m.end():] if m else text
    found = phrases.find_date_phrases(rest)
    if len(found) != 1:
        return None
    p = found[0]
    leftover = (rest[:p.start] + rest[p.end:]).strip(" .,:;–—-")
    if _words(leftover) > 1 or len(leftover) > 12:
        return None
    return p


_PLACE_WORD = re.compile(r"(?i)^\s*[,–—-]?\s*(?:à|au|aux|chez|en\s+ligne|en\s+visio)\b")


_TIME_OF_DAY = re.compile(r"(?i)^\s*[,–—-]?\s*(?:au\s+(?:matin|soir|cours)|à\s+(?:midi|minuit|partir))\b")


def _place_named(text: str, pos: int) -> str:
    """The place an item names right after its title or date ('… à la salle des fêtes'); what
    follows a dash is a detail (prices, performers), not a place."""
    if not _PLACE_WORD.match(text[pos:]) or _TIME_OF_DAY.match(text[pos:]):
        return ""
    return phrases.place_after(text, pos)


def span_before_items(lines: Sequence[_Line]) -> phrases.Phrase | None:
    """The dates of the whole programme ('Du jeudi 30 juillet au dimanche 2 août 2026.'): a line
    that is only a span of days, before the first day heading."""
    for ln in lines:
        p = day_heading(ln.text) if len(ln.text) <= 80 else None
        if p is None:
            continue
        if re.search(r"\b(?:au|jusqu)", p.text, re.IGNORECASE):
            return p
        return None  # the first day heading: the programme has begun
    return None


def _dated_from(text: str) -> date | None:
    """The first day of a line's dates when they carry a year ('Du vendredi 11 juillet au
    dimanche 13 juillet 2025' -> 11 July 2025), else None."""
    got = phrases.phrase_reference(text)
    if got is None:
        return None
    from pipelines.normalize.dates import find_dates

    mentions = find_dates(text, reference=got)
    return min((m.start_date for m in mentions), default=got)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _anchor(title: str, day: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(f"{day} {title}").lower()).strip("-")[:80]


def _event(*, title: str, start_raw: str, place: str, body: list[str], url: str, source: str,
           ref: date | None) -> Event:
    base = url.split("#")[0]
    anchor = _anchor(title, start_raw)
    ev = Event(source=source, url=f"{base}#{anchor}" if anchor else base, title=title, start_raw=start_raw,
               location_raw=place, description_html="".join(f"<p>{htmllib.escape(t)}</p>" for t in body[:8]),
               extractor="roundup", reference_date=ref)
    ev.attendance = phrases.attendance_of_place(place)
    return common.finish(ev)


def _timed_items(lines: Sequence[_Line], *, place: str, url: str, source: str,
                 ref: date | None) -> list[Event]:
    events: list[Event] = []
    day: str | None = None
    day_ref = ref
    seen_ref = ref
    i = 0
    while i < len(lines):
        text = lines[i].text
        got = _dated_from(text)
        if got is not None:
            seen_ref = got
        heading = day_heading(text) if len(text) <= 60 else None
        if heading is not None and not re.search(r"\b(?:au|jusqu)\b", heading.text, re.IGNORECASE):
            day, day_ref = heading.text, seen_ref
            i += 1
            continue
        if lines[i].tag in HEADINGS:
            day = None  # a new section that is not a day
        m = _TIME_ONLY.match(text) if day else None
        if m is None or day is None:
            i += 1
            continue
        rest = text[m.end():].strip()
        clock = m.group(1) + (f" à {m.group(2)}" if m.group(2) else "")
        j = i + 1
        if not rest and j < len(lines) and not _TIME_ONLY.match(lines[j].text) and day_heading(lines[j].text) is None:
            rest = lines[j].text
            j += 1
        body: list[str] = []
        while (j < len(lines) and not _TIME_ONLY.match(lines[j].text) and lines[j].tag not in HEADINGS
               and day_heading(lines[j].text) is None and len(body) < 4):
            body.append(lines[j].text)
            j += 1
        title, _sep, detail = rest.partition(" — ")
        own_place = ""
        at = _PLACE_IN_TITLE.search(title)
        if at is not None:
            own_place = phrases.place_after(title, at.start())
            title = title[:at.start()] if own_place else title
        title = _clean_title(title)
        if title:
            events.append(_event(title=title, start_raw=f"{day}, {clock}", place=own_place or place,
                                 body=[detail, *body] if detail else body, url=url, source=source, ref=day_ref))
        i = j
    return events


def _days(text: str) -> set[str]:
    return set(re.findall(r"\b([0-3]?\d)(?:er)?\b", text))


_WEEKDAY_DAY = re.compile(rf"(?i)\b(?:le\s+)?{phrases.WEEKDAY}\s+(?:1er|[0-3]?\d)\b(?!\s*(?:/|[-–]\s*\d|\w*\s*(?:{phrases.MONTH})))")
_MONTH_WORD = re.compile(rf"(?i)\b{phrases.MONTH}")


def _with_section_month(text: str, section: Event) -> list[phrases.Phrase]:
    """'le samedi 21 au matin' in a section dated 'les vendredi 20 et samedi 21 septembre': the
    day of the section's month, written in full ('le samedi 21 septembre')."""
    month = _MONTH_WORD.search(section.start_raw)
    if month is None:
        return []
    days = _days(section.start_raw.split(",")[0])
    out = []
    for m in _WEEKDAY_DAY.finditer(text):
        if _days(m.group(0)) <= days:
            out.append(phrases.Phrase(m.start(), m.end(), f"{m.group(0)} {month.group(0)}"))
    return out


def _paragraph_items(text: str, section: Event) -> list[tuple[str, str, str]]:
    """(title, start_raw, place) of the announcements a paragraph of a dated section makes with a
    weekday ('Elle appelle à une AG le mardi 24 septembre à 17h …'), other than the section's own."""
    out = []
    found = list(phrases.iter_date_phrases(text))
    found += [p for p in _with_section_month(text, section)
              if not any(q.start <= p.start < q.end for q in found)]
    for p in sorted(found, key=lambda p: p.start):
        if not re.search(phrases.WEEKDAY, p.text, re.IGNORECASE) or _NOT_AN_ITEM.search(text[max(0, p.start - 60):p.start]):
            continue
        times = [t for t in phrases.find_time_phrases(text[p.end:p.end + 30]) if t.start <= 8]
        same_day = _days(p.text) == _days(section.start_raw.split(",")[0])
        if same_day and (not times or "," in section.start_raw):
            continue  # the section's own date, said again
        start_raw = p.text + (", " + times[0].text if times else "")
        sentence_start = max(text.rfind(". ", 0, p.start), text.rfind("; ", 0, p.start)) + 1
        title = _clean_title(text[sentence_start:p.start])[:120]
        if same_day and _fold(section.title).lower() in _fold(title).lower():
            # 'organise une conférence de presse mercredi 11 septembre à 13h30' under
            # 'Conférence de presse du mercredi 11 septembre': the section's event, now timed.
            section.start_raw = start_raw
            continue
        if _words(title) >= 2:
            out.append((title, start_raw, _place_named(text, p.end + (times[0].end if times else 0))))
    return out


def _dated_items(lines: Sequence[_Line], *, place: str, url: str, source: str, ref: date | None) -> list[Event]:
    events: list[Event] = []
    paragraphs: list[tuple[int, Event]] = []  # (index of the section's item, item)
    section: int | None = None
    seen_ref = ref
    for n, ln in enumerate(lines):
        text = ln.text
        heading = ln.tag in (*HEADINGS, "dt", "strong")
        if len(text) > (200 if heading else 120) or (not heading and _SENTENCE.search(text)):
            got = phrases.phrase_reference(text)
            seen_ref = got or seen_ref
            if section is not None:
                for title, start_raw, own_place in _paragraph_items(text, events[section]):
                    paragraphs.append((section, _event(title=title, start_raw=start_raw, place=own_place or place,
                                                       body=[text], url=url, source=source, ref=seen_ref)))
            continue
        found = phrases.find_date_phrases(text)
        if (not found or ln.tag == "h1") and (heading or len(text) < 120):
            section = None  # an undated heading, or the page's title, opens no dated section
        if not found:
            continue
        p = found[0]
        if _NOT_AN_ITEM.search(text[:p.start]):
            continue
        title = _clean_title(text[:p.start] + " " + text[p.end:] if p.start < 3 else text[:p.start])
        if _words(title) < 2 and not (heading and _words(title) >= 1):
            continue
        start_raw = p.text
        times = [t for t in phrases.find_time_phrases(text[p.end:]) if t.start <= 12]
        if times:
            start_raw += ", " + times[0].text
            title = _clean_title(re.sub(re.escape(times[0].text), " ", title, count=1))
        own_place = _place_named(text, p.end + (times[0].end if times else 0))
        body = [x.text for x in lines[n + 1:n + 4] if x.tag not in HEADINGS]
        item_ref = phrases.phrase_reference(p.text) or seen_ref
        events.append(_event(title=title, start_raw=start_raw, place=own_place or place, body=body, url=url,
                             source=source, ref=item_ref))
        section = len(events) - 1 if ln.tag != "h1" else None
    if len(events) < 2 or not paragraphs:
        return events
    # A section spanning several days whose paragraphs date each of its events is a heading, not one.
    covered = {k for k, _ev in paragraphs
               if _days(events[k].start_raw) <= set().union(*(_days(ev.start_raw) for j, ev in paragraphs if j == k))
               and len(_days(events[k].start_raw)) > 1}
    out: list[Event] = []
    for k, ev in enumerate(events):
        if k not in covered:
            out.append(ev)
        out.extend(item for j, item in paragraphs if j == k)
    return out


def timed_events(lines: Sequence[_Line], *, place: str, url: str, source: str, ref: date | None) -> list[Event]:
    """The timed items under day headings, or [] when the lines hold fewer than two."""
    timed = _timed_items(lines, place=place, url=url, source=source, ref=ref)
    return timed if len(timed) >= 2 else []


def dated_events(lines: Sequence[_Line], *, place: str, url: str, source: str, ref: date | None) -> list[Event]:
    """The dated lines that name an item, or [] when the lines hold fewer than two distinct ones."""
    dated = _dated_items(lines, place=place, url=url, source=source, ref=ref)
    distinct = {(ev.title.lower(), ev.start_raw) for ev in dated}
    return dated if len(distinct) >= 2 else []


def programme_events(lines: Sequence[_Line], *, place: str, url: str, source: str,
                     ref: date | None) -> list[Event]:
    """The items of a programme (timed items first, else dated lines), or []."""
    return (timed_events(lines, place=place, url=url, source=source, ref=ref)
            or dated_events(lines, place=place, url=url, source=source, ref=ref))
