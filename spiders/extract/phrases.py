"""Finding French date, time and place phrases in free text (spans only; the dates pipeline parses them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_MONTH = MONTH + r"\.?"
WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_WEEKDAY = WEEKDAY
_DAY = r"(?:1er|[0-3]?\d)"
_YEAR = r"(?:19|20)\d{2}"
_DM = rf"(?:{_WEEKDAY}\s+)?{_DAY}\s+{_MONTH}(?:\s+{_YEAR})?"
_NUM = r"(?:[0-3]?\d/[01]?\d/(?:19|20)?\d{2})"
# Every form below reaches a day number after at most four words ('à partir du lundi 12'): this
# cheap test spares most positions of a long text the costly alternatives. A longer lead-in
# added below must widen it (tests/spiders/extract/test_phrases.py checks both agree). The
# possessive quantifiers keep a failing test from trying every shorter split of the same words.
DAY_AHEAD = r"(?=(?:[^\W\d_]++\s++){0,4}+\d)"

DATE_RX = re.compile(
    rf"""(?ix)
    (?<![\w/])
    {DAY_AHEAD}
    (?:
        (?:(?:du|depuis\s+le|à\s+partir\s+du|a\s+partir\s+du)\s+)?
        (?:{_WEEKDAY}\s+)?{_DAY}(?:\s+{_MONTH}(?:\s+{_YEAR})?)?
        \s*(?:au|jusqu['’]au|[-–—])\s*{_DM}
      |
        (?:les\s+)?(?:{_WEEKDAY}\s+)?{_DAY}(?:\s*,\s*{_DAY})*\s+et\s+(?:{_WEEKDAY}\s+)?{_DM}
      |
        (?:(?:le|les|ce|du|dès\s+le)\s+)?{_DM}
      |
        (?:du\s+)?{_DAY}(?:/[01]?\d)?\s*au\s*{_DAY}/[01]?\d(?:/(?:19|20)?\d{{2}})?
      |
        (?:(?:le|du)\s+)?{_NUM}(?:\s*(?:au|[-–])\s*{_NUM})?
    )
    (?![\w/])
    """
)
_H = r"(?:[01]?\d|2[0-3])\s*(?:h|H|:)\s*(?:[0-5]\d)?"
TIME_RX = re.compile(
    rf"""(?ix)
    (?<![\w])
    (?:
        (?:de|entre)\s+{_H}\s*(?:à|a|et|-|–)\s*{_H}
      | {_H}\s*(?:-|–|à)\s*{_H}
      | (?:à|a|dès|des)\s+{_H}
      | {_H}
    )
    (?![\w])
    """
)
_YEAR_IN = re.compile(rf"\b({_YEAR})\b")
_ANY_YEAR = re.compile(_YEAR)
_DIGIT = re.compile(r"\d")
_WORD_OR_SLASH = re.compile(r"[a-zéû]{3}|/", re.IGNORECASE)
_ONLINE = re.compile(r"\b(en\s+visio(?:conf[ée]rence)?|en\s+ligne|webinaire?s?|distanciel|zoom)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Phrase:
    start: int
    end: int
    text: str


def find_date_phrases(text: str) -> list[Phrase]:
    """Every French date phrase ('Du 30 novembre au 2 décembre', 'le 4 nov. 2021', '12/11/2021')."""
    return list(iter_date_phrases(text))


def iter_date_phrases(text: str) -> Iterator[Phrase]:
    """The date phrases of `text` in order, found as they are asked for: a caller that wants the
    first one does not scan the rest of a long text."""
    if not _DIGIT.search(text):
        return  # every form has a day number: most lines of a page are passed over here
    for m in DATE_RX.finditer(text):
        t = m.group(0).strip()
        if not t:
            continue
        if not _WORD_OR_SLASH.search(t):
            continue
        yield Phrase(m.start(), m.end(), t)


def find_time_phrases(text: str) -> list[Phrase]:
    out = []
    for m in TIME_RX.finditer(text):
        t = m.group(0).strip()
        if re.fullmatch(r"\d{1,2}\s*:\s*", t):
            continue
        out.append(Phrase(m.start(), m.end(), t))
    return out


def date_phrase_at_start(line: str) -> Phrase | None:
    """The date phrase a list item opens with ('Le 23 novembre, Candillargues'), allowing a bullet."""
    stripped = line.lstrip(" \t•·-–—*►▶>")
    lead = len(line) - len(stripped)
    # The first phrase counts only if it starts within three characters: trying those starts
    # spares a paragraph with no leading date the scan of its whole length.
    if not any(DATE_RX.match(stripped, pos) for pos in range(4)):
        return None
    for p in iter_date_phrases(stripped):
        if p.start <= 3:
            return Phrase(p.start + lead, p.end + lead, p.text)
        break
    return None


def phrase_reference(text: str) -> date | None:
    """First full date with a year in `text` (e.g. a page's own 'Du 01 novembre 2021 au …')."""
    if not _ANY_YEAR.search(text):
        return None  # both forms below need a year: a head without one is not scanned for phrases
    for p in iter_date_phrases(text):
        m = re.search(rf"(?i)({_DAY})\s+({_MONTH})\s+({_YEAR})", p.text)
        if m:
            day = 1 if m.group(1).lower() == "1er" else int(m.group(1))
            month = MONTHS.get(m.group(2).lower().rstrip("."))
            if month:
                try:
                    return date(int(m.group(3)), month, day)
                except ValueError:
                    continue
        m = re.search(r"([0-3]?\d)/([01]?\d)/((?:19|20)\d{2})", p.text)
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return None


def is_online_phrase(text: str) -> bool:
    return bool(_ONLINE.search(text))


_ON_SITE = re.compile(r"(?i)\b(?:sur place|en pr[ée]sentiel|hybride)\b")


def is_on_site_phrase(text: str) -> bool:
    """True when the text also says the event happens on site ('en ligne et sur place')."""
    return bool(_ON_SITE.search(text))


def attendance_of_place(text: str) -> str | None:
    """'online' for 'en visio', 'mixed' for 'Salle X, Lyon (et en ligne)', None without an online marker."""
    if not _ONLINE.search(text):
        return None
    if _ON_SITE.search(text):
        return "mixed"
    rest = _ONLINE.sub(" ", text)
    rest = re.sub(r"(?i)\b(et|ou|aussi|également|ainsi|qu['’]|sur|place|retransmis|diffusé|accessible)\b", " ", rest)
    return "mixed" if re.search(r"[A-Za-zÀ-ÿ]{4,}", rest) else "online"


_PLACE_LABEL = re.compile(r"(?im)^\s*(?:lieu|adresse|où|ou|localisation|emplacement)\s*:\s*(.+)$")
_PLACE_AFTER = re.compile(r"(?:^|\s)(?:à|au|aux|a)\s+((?:l[ae']\s*|la\s+)?[A-ZÉÈÎ][^\n.;!?]{1,80})")


def find_place_phrase(text: str) -> str:
    """A place phrase: a 'Lieu :' label, an online marker, or 'à <Capitalised…>'."""
    m = _PLACE_LABEL.search(text)
    if m:
        return m.group(1).strip()
    m = _ONLINE.search(text)
    if m:
        return m.group(0)
    m = _PLACE_AFTER.search(text)
    if m:
        return m.group(1).strip(" ,")
    return ""


_PLACE_NEXT = re.compile(
    r"^\s*[,–—-]?\s*(?:(en\s+visio(?:conf[ée]rence)?|en\s+ligne)\b|(?:à|au|aux|chez)\s+"
    r"([^.;!?\n()]{2,90}?)(?=\s+(?:pour|avec|afin|sur|dans\s+le\s+cadre|organis)\b|\s*[.;!?\n(]|\s*$"
    r"|\s*,\s*(?:de|dès|à|a|le|du|entre)\s+\d))",
    re.IGNORECASE,
)


_VENUE_WORDS = (r"salle|espace|maison|front\s+de\s+mer|place|parc|centre|théâtre|cinéma|médiathèque|mairie|"
                r"hôtel|halle|halles|lycée|collège|école|gymnase|stade|jardin|ferme|tiers-lieu|local|auditorium|"
                r"amphithéâtre|bibliothèque|chapiteau|galerie|musée|palais|pôle|campus|site|quai|port|"
                r"église|chapelle|cathédrale|château|abbaye|temple|marché|square|esplanade|parvis|cour|plage|"
                r"foyer|résidence|cité|piscine|complexe|base|boulodrome|gare|bar|café|restaurant|librairie|"
                r"atelier|ressourcerie|recyclerie|épicerie|boutique|magasin|zone|parking|rue|avenue|boulevard|"
                r"allée|chemin|impasse|route")
_PLACE_LISTED = re.compile(
    rf"^\s*[,–—-]\s*((?:[A-ZÀ-Ý]|(?:{_VENUE_WORDS})\b)[^\n]{{2,160}}?)\s*(?=[.;:!?]\s|[.;!?]?\s*$|\n)"
)


def place_after(text: str, pos: int) -> str:
    """The place phrase that directly follows a date or time phrase ('… à la salle des fêtes de Roubaix',
    '…, de 10h à 12h – Fabrique de Rodez, 12000 Rodez')."""
    window = re.sub(r"^\s*\([^)]{0,60}\)", "", text[pos:pos + 200])
    m = _PLACE_NEXT.match(window)
    if m:
        return (m.group(1) or m.group(2) or "").strip(" ,")
    m = _PLACE_LISTED.match(window)
    if m and not find_date_phrases(m.group(1)[:30]):
        return m.group(1).strip(" ,")
    return ""
