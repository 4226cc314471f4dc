"""Find the place of an event in French free text: commune, département, région, online or not."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipelines.normalize.fr_data import DEPARTMENTS, MONTHS, REGIONS, WEEKDAYS, region_code_for
from pipelines.normalize.fr_places_data import (
    AREA_AROUND_WORDS,
    AREA_OF_CITY_WORDS,
    ARRIVAL_WORDS,
    ARTICLE_CONTRACTIONS,
    BODY_NAME_WORDS,
    BODY_WORDS,
    COMPOUND_TAILS,
    CREDIT_WORDS,
    EVENT_WORDS,
    EXTRA_COMMON_WORDS,
    FIRST_NAMES,
    GOVERNING_A_WORDS,
    GROUNDS_WORDS,
    GROUP_WORDS,
    INSTITUTION_SUFFIXES,
    INTERCOMMUNAL_WORDS,
    MEETING_HOSTS,
    MIXED_PATTERNS,
    NAMED_PLACE_WORDS,
    NEVER_BARE,
    OFFLINE_PATTERNS,
    ONLINE_FALSE_FRIENDS,
    ONLINE_PATTERNS,
    ORGANISER_CUES,
    ORGANISER_WORDS,
    PLACE_PREPOSITIONS,
    PLACE_PREPOSITIONS_2,
    PRESS_AGENCIES,
    RESIDENCE_WORDS,
    ROLE_WORDS,
    ROMAN_NUMERALS,
    STREET_TYPES,
    TOWN_EVENT_WORDS,
    VENUE_WORDS,
)
from pipelines.normalize.gazetteer import Commune, Entry, fold, load, norm_token, normalize_name

__all__ = ["Commune", "Place", "commune_by_insee", "department_of_postal_code", "find_place", "resolve_commune"]

PLM = {"paris": "75056", "lyon": "69123", "marseille": "13055"}
PLACE_NOUNS = VENUE_WORDS | EVENT_WORDS | EXTRA_COMMON_WORDS
_PLM_ARRONDISSEMENTS = {"75056": 20, "69123": 9, "13055": 16}


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happens, as far as the text tells."""

    venue: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    insee: str | None = None
    department: str | None = None
    region: str | None = None
    """Région name, e.g. 'Occitanie'."""
    region_code: str | None = None
    """INSEE région code, e.g. '76'; fr_data.region_timezone(region_code) gives the zone."""
    latitude: float | None = None
    longitude: float | None = None
    attendance: str | None = None
    """'offline' | 'online' | 'mixed' | None (unknown)."""
    online_url: str | None = None


# --- small helpers -------------------------------------------------------------------------


class _lazy:
    """A regex compiled on first use: importing this module stays cheap for commands that never
    parse a place."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


_TOKEN_RE = _lazy(r"[^\W_]+")
_POSTAL_RE = _lazy(
    r"(?<![\w.,])(?:F-?)?(\d{5})(?![\w]|[.,]\d|\s?(?:€|euros?\b|eur\b|m2|m²|km|ha\b)"
    r"|\s+(?:\w+\s+)?(?:visiteurs|personnes|participants?|habitants|exemplaires|salariés|emplois|adhérents|"
    r"bénévoles|structures|entreprises|spectateurs|inscrits|repas|tonnes|heures|jours)\b)"
)
_HINT_RE = _lazy(r"\(\s*(\d{2,3}|2[ABab])\s*\)")
_BARE_HINT_RE = _lazy(r"\s*[-–]?\s*(\d{2,3}|2[ABab])(?![\w:.,/]|\s*(?:h\b|heures?|%|€|rue|av|bd|place|chemin|all))")
_PAREN_RE = _lazy(r"\(([^()]{3,40})\)")
_URL_RE = _lazy(r"https?://[^\s<>\"'\])]+", re.IGNORECASE)
# A hyphen joins words ('Croix-Rouge'); spaced or long dashes separate segments ('Salle X - Arles').
_SEGMENT_BREAK = _lazy(r"[,;:()\[\]|/\n\r•·–—&+]|\s-|-\s|\.\s")
_SENTENCE_BREAK = _lazy(r"[.!?\n]")
_ADDRESS_RE = _lazy(
    r"(?:(?<=^)|(?<=[\s,:(]))(?P<num>\d{1,4}(?:\s?(?:bis|ter|b|t))?\s*,?\s+)?"
    r"(?P<type>(?:" + "|".join(sorted((re.escape(s) for s in STREET_TYPES), key=len, reverse=True)) + r")\.?)"
    r"\s+(?P<rest>[^,;\n()]{1,80}?)(?=\s*(?:,|;|\n|\(|$|\b\d{5}\b|\s[-–—]\s))",
    re.IGNORECASE,
)
_LABEL_RE = _lazy(r"^\s*(?:lieu|adresse|où|ou|localisation|place|venue|location)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    raw: str
    norm: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), norm_token(m.group())) for m in _TOKEN_RE.finditer(text)]


def department_of_postal_code(code: str) -> str | None:
    """Département of a French postal code ('31670' -> '31', '20000' -> '2A', '97400' -> '974')."""
    if len(code) != 5 or not code.isdigit():
        return None
    if code.startswith("97"):
        dept = code[:3]
    elif code.startswith("20"):
        dept = "2A" if int(code) < 20200 else "2B"
    else:
        dept = code[:2]
    return dept if dept in DEPARTMENTS else None


@cache
def _area_names() -> dict[str, tuple[str, ...]]:
    """Normalized département and région names (with and without article) -> département codes."""
    names: dict[str, list[str]] = {}
    for code, (name, _region) in DEPARTMENTS.items():
        names.setdefault(normalize_name(name), []).append(code)
    for region in REGIONS.values():
        depts = [c for c, (_n, r) in DEPARTMENTS.items() if r == region.code]
        names.setdefault(normalize_name(region.name), []).extend(depts)
    names["reunion"] = ["974"]
    names["ile de la reunion"] = ["974"]
    names["corse"] = ["2A", "2B"]
    return {k: tuple(dict.fromkeys(v)) for k, v in names.items()}


@cache
def _area_first_words() -> dict[str, int]:
    """First word of each area name -> the most words a name starting with it has."""
    first: dict[str, int] = {}
    for key in _area_names():
        words = key.split()
        first[words[0]] = max(first.get(words[0], 0), len(words))
    return first



# --- online detection ----------------------------------------------------------------------

_ONLINE = _lazy("|".join(ONLINE_PATTERNS))
_FALSE_ONLINE = _lazy("|".join(ONLINE_FALSE_FRIENDS))
_MIXED = _lazy("|".join(MIXED_PATTERNS))
_OFFLINE = _lazy("|".join(OFFLINE_PATTERNS))
_SEPARATORS = _lazy(r"[\s'’\-–—_]+")
# Every online or hybrid pattern contains one of these words, every on-site pattern one of the
# others: a folded text with none of them skips the regexes (most descriptions, most phrases).
_REMOTE_WORDS = (
    "ligne", "online", "visio", "webina", "conf", "distan", "zoom", "teams", "meet", "jitsi", "webex", "livestorm",
    "bigbluebutton", "100", "digital", "virtuel", "numerique", "live", "stream", "direct", "virtual", "hybrid",
    "presentiel", "mixte", "facebook",
    "twitch", "youtube", "internet", "sociaux",
)
_ONSITE_WORDS = ("presentiel", "place", "person")


def _flat(text: str) -> str:
    flat: str = _SEPARATORS.sub(" ", fold(text))
    return flat


def _attendance_cues(text: str) -> tuple[bool, bool, bool]:
    """(online, mixed, on-site) cues found in the text."""
    return _folded_cues(fold(text))


def _folded_cues(folded: str) -> tuple[bool, bool, bool]:
    if not any(word in folded for word in _REMOTE_WORDS) and not any(word in folded for word in _ONSITE_WORDS):
        return False, False, False
    flat = _SEPARATORS.sub(" ", folded)
    cleaned = _FALSE_ONLINE.sub(" ", flat)
    return bool(_ONLINE.search(cleaned)), bool(_MIXED.search(flat)), bool(_OFFLINE.search(cleaned))


def _meeting_url(text: str) -> str | None:
    if "://" not in text:  # most texts hold no link at all
        return None
    for match in _URL_RE.finditer(text):
        url: str = match.group().rstrip(".,;:!?")
        lowered = url.lower()
        if any(host in lowered for host in MEETING_HOSTS):
            return url
    return None


def may_be_remote(text: str) -> bool:
    """False when `find_place(text)` cannot answer 'online' or 'mixed': the text has no online or
    hybrid cue and no meeting link. A cheap test before reading a long description whole."""
    folded = fold(text)
    if any(word in folded for word in _REMOTE_WORDS):
        online, mixed, _onsite = _folded_cues(folded)
        if online or mixed:
            return True
    return _meeting_url(text) is not None


# --- commune mentions ----------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    start: int  # token index
    end: int
    entries: list[Entry]
    score: int = 0
    postal_code: str | None = None  # adjacent postal code consistent with the commune
    department: str | None = None  # adjacent département evidence (postal code or hint)
    arrondissement: int | None = None
    char_start: int = 0
    char_end: int = 0
    via_preposition: bool = False
    venue_of: bool = False  # 'Médiathèque de Cholet'
    standalone: bool = False  # the name is a segment of its own ('Salle X, Arles')


def _gap(text: str, tokens: list[_Token], i: int) -> str:
    """Raw text between token i-1 and token i (the text start for i == 0)."""
    start = tokens[i - 1].end if i > 0 else 0
    return text[start : tokens[i].start]


def _is_break(gap: str) -> bool:
    return bool(_SEGMENT_BREAK.search(gap))


def _adjacent_postal(text: str, tokens: list[_Token], m: _Mention) -> tuple[str, bool] | None:
    """A five-digit code right before ('31670 Labège') or right after ('Labège 31670', '(31670)');
    the flag says it came before, the usual order of a French address."""
    if m.start > 0:
        prev = tokens[m.start - 1]
        gap = _gap(text, tokens, m.start)
        if re.fullmatch(r"\d{5}", prev.raw) and not _SENTENCE_BREAK.search(gap) and "," not in gap:
            return prev.raw, True
    if m.end < len(tokens):
        nxt = tokens[m.end]
        gap = _gap(text, tokens, m.end)
        # 'route de Pau, 64121 Serres-Castet': a code after a comma belongs to the next name.
        if re.fullmatch(r"\d{5}", nxt.raw) and gap.strip() in {"", "(", "-"}:
            return nxt.raw, False
    return None


def _adjacent_hint(text: str, tokens: list[_Token], m: _Mention) -> tuple[str, ...]:
    """Départements named right after the commune: '(33)', '(974)', '(Gironde)', ', La Réunion'."""
    tail = text[tokens[m.end - 1].end : tokens[m.end - 1].end + 45]
    code = _HINT_RE.match(tail.lstrip()) if tail.lstrip().startswith("(") else None
    if code:
        dept = code.group(1).upper()
        dept = dept.zfill(2) if len(dept) < 2 else dept
        return (dept,) if dept in DEPARTMENTS else ()
    # 'Saint-Pierre 974', 'Pessac - 33'; not '11e', '14h', '12:30' or a street number.
    bare_code = _BARE_HINT_RE.match(tail)
    if bare_code and bare_code.group(1).upper() in DEPARTMENTS:
        return (bare_code.group(1).upper(),)
    paren = _PAREN_RE.match(tail.lstrip())
    candidate = paren.group(1) if paren else None
    if candidate is None:
        sep = re.match(r"\s*[,\-–—]\s*([^,;\n()]{3,40})", tail)
        candidate = sep.group(1) if sep else None
    if candidate:
        key = normalize_name(candidate)
        for words in range(len(key.split()), 0, -1):
            sub = " ".join(key.split()[:words])
            if sub in _area_names():
                return _area_names()[sub]
    return ()


def _arrondissement(text: str, tokens: list[_Token], m: _Mention) -> int | None:
    """'Paris 11e', 'Lyon 3ème', 'Marseille 1er', 'Paris XIe', '11e arrondissement de Paris'."""
    insee = m.entries[0].commune.insee
    limit = _PLM_ARRONDISSEMENTS.get(insee)
    if limit is None:
        return None
    after = text[tokens[m.end - 1].end : tokens[m.end - 1].end + 30]
    found = re.match(r"\s*[-,]?\s*(\d{1,2})\s*(?:e|er|ère|eme|ème|ieme|ième|em|è)?(?![\w])", after, re.IGNORECASE)
    number = int(found.group(1)) if found else None
    if number is None:
        roman = re.match(r"\s*[-,]?\s*([IVXivx]{1,5})(?:e|er|ème|eme)?\b", after)
        if roman and roman.group(1).lower() in ROMAN_NUMERALS:
            number = ROMAN_NUMERALS[roman.group(1).lower()]
    if number is None:
        before = text[max(0, tokens[m.start].start - 40) : tokens[m.start].start]
        found = re.search(
            r"(\d{1,2})\s*(?:e|er|ère|eme|ème|ieme|ième)\s+arr(?:ondissement|\.)?\s+(?:de\s+)?$",
            before,
            re.IGNORECASE,
        )
        number = int(found.group(1)) if found else None
    if number is not None and 1 <= number <= limit:
        return number
    return None


def _in_street(tokens: list[_Token], text: str, i: int) -> bool:
    """Is token i part of a street name ('rue de Paris', '150 rue Pierre Gilles de Gennes')?"""
    for j in range(i - 1, max(-1, i - 7), -1):
        if _is_break(_gap(text, tokens, j + 1)):
            return False
        norm = tokens[j].norm
        if norm in PLACE_PREPOSITIONS or norm == "a":
            return False
        if norm in STREET_TYPES:
            if norm == "cite" and j > 0 and tokens[j - 1].norm in {"la", "l"}:
                return False  # 'à la Cité internationale de Paris' is a venue; '12 cité Trévise' a street
            numbered = j > 0 and tokens[j - 1].raw.isdigit()
            if not numbered and tokens[i - 1].norm in {"de", "d", "du"} and any(
                tokens[k].norm in VENUE_WORDS and tokens[k].norm not in STREET_TYPES for k in range(j + 1, i - 1)
            ):
                return False  # 'place de la Mairie de Vitré': the square of Vitré's town hall
            # 'Place Bellecour', ', place du Marché' or 'sur la place Mably' is a street, 'la place
            # de l'ESS' in prose is not.
            return (
                norm != "place"
                or j == i - 1
                or tokens[j].raw[0].isupper()
                or numbered
                or j == 0
                or _is_break(_gap(text, tokens, j))
            )
    return False


def _span_from_commune(text: str, tokens: list[_Token], m: _Mention) -> bool:
    """Does 'à X' close a span opened on another commune ('de Marseille à Lille', 'de Lorient à
    Brest')? X is then the far end of a stretch, not a place the text sends people to."""
    gaz = load()
    last = m.start - 2  # the token before 'à'
    for size in range(1, 5):
        first = last - size + 1
        if first < 1 or any(_is_break(_gap(text, tokens, k)) for k in range(first, m.start)):
            return False
        if (
            _capitalized(tokens[first]) and tokens[first - 1].norm in {"de", "d", "depuis"}
            and gaz.has_name(" ".join(t.norm for t in tokens[first : last + 1]))
        ):
            return True
    return False


def _organiser_context(tokens: list[_Token], text: str, i: int) -> bool:
    """Is the name part of an organiser ('académie de Bordeaux', 'organisé par la Ville de Lyon')?"""
    for j in range(i - 1, max(-1, i - 4), -1):
        if tokens[j].norm in ORGANISER_WORDS:
            # 'à l'Université d'Évry', 'à la Chambre de commerce de X': the body's building.
            k = j - 1
            if k >= 0 and tokens[k].norm in {"l", "la", "le", "les"}:
                k -= 1
            return not (k >= 0 and tokens[k].norm in {"a", "au", "aux"})
        if _is_break(_gap(text, tokens, j + 1)):
            break
    start = tokens[i].start
    # Back to the sentence's start, but no further than a long sentence: folding the whole text
    # before each candidate made a text without full stops quadratic (`essagenda parse`).
    floor = max(0, start - 400)
    sentence_start = max(floor, max(text.rfind(c, floor, start) for c in ".!?\n") + 1)
    before = _flat(text[sentence_start:start])
    last_cue = max((before.rfind(cue) for cue in ORGANISER_CUES), default=-1)
    if last_cue < 0:
        return False
    # 'organisé par X à Lyon': the preposition after the cue brings us back to the venue.
    return not re.search(r"\b(?:a|au|aux)\s", before[last_cue:])


def _after_venue_word(tokens: list[_Token], text: str, i: int) -> str | None:
    """'Salle des fêtes de X', 'au FabLab de X', 'Chambre de commerce de X': a venue named after
    its commune. Returns the venue word."""
    if i < 2 or tokens[i - 1].norm not in {"de", "d", "du"}:
        return None
    for j in range(i - 2, max(-1, i - 7), -1):
        if _is_break(_gap(text, tokens, j + 1)):
            return None
        norm = tokens[j].norm
        if norm in VENUE_WORDS or norm in ORGANISER_WORDS or norm in TOWN_EVENT_WORDS or norm == "chambre":
            return norm
    return None


_FUNCTION_WORDS = frozenset(
    {"de", "d", "du", "des", "la", "le", "les", "l", "et", "ou", "a", "au", "aux", "en", "sur", "pour", "par",
     "vers", "entre", "depuis", "avec", "chez", "dans", "sous", "puis", "mais", "donc", "car", "ni", "que", "qu",
     "tout", "toute", "tous", "toutes", "chaque", "cette", "notre", "votre", "leur", "leurs", "plein", "pleine",
     "travers", "partout", "jusqu", "hors", "outre", "contre", "parmi", "selon", "sauf", "pendant", "apres", "avant"}
)


def _eponym_in_prose(text: str, tokens: list[_Token], i: int) -> bool:
    """'un déménagement de barrières Vauban', 'un immeuble style Haussmann': inside a long sentence,
    a capitalised name glued to a lower-case noun names a kind of thing after someone; a title
    line ('Forum de l'emploi Montpellier') is short: five words or fewer before the name."""
    if i == 0 or _is_break(_gap(text, tokens, i)):
        return False
    prev = tokens[i - 1]
    if not prev.raw.isalpha() or not prev.raw.islower() or prev.norm in _FUNCTION_WORDS or len(prev.raw) < 4:
        return False
    if prev.norm.endswith(("er", "ir")):
        return False  # an infinitive and its object ('rejoindre Rennes', 'visiter Lyon')
    run = 0
    for j in range(i - 1, -1, -1):
        run += 1
        if _is_break(_gap(text, tokens, j)):
            break
    return run > 5


_YEAR_AFTER = _lazy(r"\s*(?:\([^()\n]{1,30}\)\s*)?,?\s*en\s+((?:1[0-9]|20)\d\d)\b")
_YEAR_BEFORE = _lazy(
    r"\ben\s+((?:1[0-9]|20)\d\d)\s*,?\s*(?:à|a|au|aux|(?:dans|sur)\s+la\s+(?:commune|ville)\s+(?:de|d['’]))\s*$",
    re.IGNORECASE,
)
_ANY_YEAR = _lazy(r"\b(?:19|20)\d\d\b")


def _in_the_past(text: str, m: _Mention) -> bool:
    """'l'armistice signé à Rethondes (Oise) en 1918', 'fondée en 1901 à Paris': a place given
    with a year long gone is history told in passing, not the event's place. Long gone: before
    2000, or five years or more before another year the text names."""
    found = _YEAR_AFTER.match(text, m.char_end) or _YEAR_BEFORE.search(text[max(0, m.char_start - 40) : m.char_start])
    if found is None:
        return False
    year = int(found.group(1))
    latest = max((int(y) for y in _ANY_YEAR.findall(text)), default=year)
    return year < 2000 or latest - year >= 5


_HEADING_END = _lazy(r"[ \t]*(?:$|\n|[-–—:|.][ \t]|[-–—:|]$)|[ \t]+(?=[A-ZÀ-Ý][a-zà-ÿ'’])")


def _capital_heading(text: str, tokens: list[_Token], m: _Mention) -> bool:
    """Does the text open on a commune's name in capitals, alone on its line, before a dash or
    colon, or before a sentence ('NOUMÉA', 'CARHAIX — …', 'ALÈS La mairie ouvre …')? Regional
    papers head a story with its town that way."""
    if text[: tokens[m.start].start].strip() or _shouting(text):
        return False
    name = text[tokens[m.start].start : tokens[m.end - 1].end]
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 3 and name.isupper() and _HEADING_END.match(text, tokens[m.end - 1].end) is not None


def _attended_named_venue(text: str, tokens: list[_Token], i: int) -> bool:
    """'au parc du Burk de Mérignac', 'à la salle Jean Vilar de Pérols': the text sends people to a
    venue that has a name of its own, then gives the venue's commune. That is where the event is,
    more surely than a city in a headline or in the event's name. Not 'au musée de Cluny', where
    the name after 'de' may be the venue's own."""
    for j in range(i - 2, max(-1, i - 7), -1):
        if _is_break(_gap(text, tokens, j + 1)):
            return False
        if tokens[j].norm in VENUE_WORDS:
            if j >= i - 2:
                return False
            k = j - 1
            while k >= 0 and tokens[k].norm in _ARTICLES:
                k -= 1
            return k >= 0 and tokens[k].norm in {"a", "au", "aux"} and not _is_break(_gap(text, tokens, k + 1))
    return False


# 'installé à Lyon' is where someone lives; 'le forum s'installe à Lyon' is where the event comes.
_RESIDENCE_BEFORE = _lazy(
    r"(?<!\bs )\b(?:" + "|".join(RESIDENCE_WORDS) + r")\b(?:\s+\w+){0,3}\s+(?:a|au|aux|en|de|d)\s*$"
)
_AREA_BEFORE = _lazy(r"\b(?:" + "|".join(AREA_AROUND_WORDS) + r")\s*(?:la |le |les |l )?$")
_CREDIT_BEFORE = _lazy(r"(?:^|[\s(])(?:" + "|".join(re.escape(w) for w in CREDIT_WORDS) + r")\b[^!?\n]*$")
_SAINT_WORDS = frozenset({"saint", "sainte", "saints", "saintes"})
_QUOTES = {"«": "»", "“": "”", '"': '"'}


def _quoted(text: str, start: int, end: int) -> bool:
    """Is text[start:end] inside a short quotation (« A Stazzona », a title in quotes)?"""
    window = text[max(0, start - 60) : start]
    for opening, closing in _QUOTES.items():
        k = window.rfind(opening)
        if k < 0 or closing in window[k + 1 :] or (opening == '"' and window.count('"') % 2 == 0):
            continue
        after = text[end : end + 60]
        if closing in after and "\n" not in after[: after.index(closing)]:
            return True
    return False


_QUOTED_NAME = _lazy(r"[«“\"]\s*(?:(?:l['’]|la|le|les|a|u)\s*)?$", re.IGNORECASE)
_QUOTE_CLOSE = _lazy(r"\s*[»”\"]")


def _quotes_only(text: str, start: int, end: int) -> bool:
    """Do quotes hold nothing but this name (with an article): '« A Stazzona »'?"""
    return bool(_QUOTED_NAME.search(text[max(0, start - 8) : start], 0) and _QUOTE_CLOSE.match(text, end))


_LOCATION_LINE = _lazy(r"\s*(?:[àÀ]|[Aa]u|[Aa]ux|[Ll]ieu\s*:|[Aa]dresse\s*:|[Oo]ù\s*:)\s")


def _not_the_venue(text: str, tokens: list[_Token], m: _Mention, broken_before: bool) -> bool:
    """Places a French reader does not take for the event's commune, even when a commune is spelt:
    where someone lives or was born ('vit à Bordeaux'), the area around ('près de Port-Louis'), a
    photo credit ('photo X/ville d'Arles'), a feast day ('la Saint-Fiacre'), a saint's name written
    in lower case or after a noun ('église Saint-Jean', 'complexe sportif Saint-Sauveur'), the
    proper name of a building or district ('salle Maupertuis', 'quartier Saint-Cosme'), half of a
    hyphenated name ('Vieux-Lyon', 'Paris-Saclay'), a quoted title, or an intercommunal body
    ('agglomération de Fécamp Caux Littoral')."""
    first = tokens[m.start]
    start = first.start
    sentence_start = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    before = _flat(text[max(sentence_start, start - 80) : start])
    if _RESIDENCE_BEFORE.search(before) or _AREA_BEFORE.search(before):
        return True
    # A credit runs to the end of its line whatever its initials ('photo R. Dupont/ville d'Arles').
    if _CREDIT_BEFORE.search(fold(text[max(text.rfind("\n", 0, start) + 1, start - 60) : start])):
        return True
    prev = tokens[m.start - 1] if m.start > 0 else None
    joined_before = prev is not None and not broken_before
    gap_before = _gap(text, tokens, m.start)
    if first.norm in _SAINT_WORDS:
        if first.raw[:1].islower() and not _shouting(text) and (prev is None or prev.norm not in PLACE_PREPOSITIONS):
            return True  # 'la fête de saint victor': a commune is written with a capital
        if joined_before and prev is not None and prev.norm not in PLACE_PREPOSITIONS and prev.norm not in {
            "de", "d", "du", "des", "en", "et", "ou", "pour", "vers", "depuis", "par", "entre",
        }:
            return True  # 'la Saint-Fiacre', 'église Saint-Pierre', 'Comité de quartiers Saint-Cosme'
    if prev is not None and prev.norm in NAMED_PLACE_WORDS and gap_before.strip(" .") == "":
        return True  # 'salle Maupertuis', 'bât. Rabelais'

    if m.start > 0 and gap_before == "-" and prev is not None and prev.raw.isalpha():
        return True
    if m.end < len(tokens) and _gap(text, tokens, m.end) == "-" and tokens[m.end].raw[:1].isupper():
        return True
    end = tokens[m.end - 1].end
    if any(q in text for q in _QUOTES):
        if _quoted(text, start, end):
            return True  # inside a quoted title ('« Carnaval de Cayenne vu par … »')
        name = text[start:end]
        if any(_quotes_only(text, k.start(), k.end()) for k in re.finditer(re.escape(name), text)):
            return True  # a name quoted on its own is a title wherever it appears ('« A Stazzona »')
    for j in range(m.start - 1, max(-1, m.start - 5), -1):
        if _is_break(_gap(text, tokens, j + 1)):
            break
        if tokens[j].norm in INTERCOMMUNAL_WORDS:
            # 'Maison de la Région de Perpignan' is a building in Perpignan.
            if any(tokens[k].norm in VENUE_WORDS for k in range(max(0, j - 3), j)):
                return False
            # 'l'agglomération d'Angers' is Angers' urban area; 'l'agglomération de Fécamp Caux
            # Littoral' is a body named after a wider territory; 'dans l'agglomération de Toulouse'
            # is anywhere in it.
            named_on = (
                m.end < len(tokens) and _capitalized(tokens[m.end]) and not _is_break(_gap(text, tokens, m.end))
            )
            k = j - 1
            while k >= 0 and tokens[k].norm in {"l", "la", "le", "les", "toute", "tout", "tous", "toutes"}:
                k -= 1
            across = k >= 0 and tokens[k].norm in {"dans", "sur", "travers", "partout"}
            # 'la communauté d'agglomération de Douai': a body word may open the name further back.
            body = any(tokens[k].norm in BODY_WORDS for k in range(max(0, j - 2), j + 1))
            return body or named_on or across
    if "(" in text and _initials_follow(text, tokens, m):
        return True
    if _MAKER_BEFORE.search(text, max(0, start - 40), start) and _makers_listed(text, sentence_start, start):
        return True  # 'les poteries de Luc, les fleurs de Daphné': the names are the makers'
    if m.entries[0].commune.insee not in _PLM_ARRONDISSEMENTS and _NUMBERED_BODY.match(text, end):
        return True  # 'à Lille 3', 'Rennes 2': a university numbered after its city, not the city
    if "(" in text and (prev is None or prev.norm not in PLACE_PREPOSITIONS) and _AGENCY_AFTER.match(text, end):
        return True  # 'PARIS (AFP)': an agency's dateline says where the news was written
    # 'salle Pierre de Montesquiou': a person's name, first name then 'de'.
    return (
        m.start > 1
        and tokens[m.start - 1].norm in {"de", "d"}
        and tokens[m.start - 2].norm in FIRST_NAMES
        and _capitalized(tokens[m.start - 2])
        and not _is_break(_gap(text, tokens, m.start - 1))
    )


_MAKER_BEFORE = _lazy(r"\b(?:les|des)\s+[a-zà-ÿ]+\s+(?:de|d['’])\s*$")
_MAKER_ITEM = _lazy(
    r"(?:^|,|\bet)\s*(?:les|des)\s+[a-zà-ÿ]+\s+(?:de|d['’])\s*([A-ZÀ-Ý][^\W\d_]+(?:-[^\W\d_]+)*)(?=\s*(?:,|\bet\b|\.|$))"
)


def _makers_listed(text: str, sentence_start: int, start: int) -> bool:
    """Does the sentence list things by their makers ('les poteries de Luc, les fleurs de
    Daphné'), one of them no commune's name, so that the names are people's?"""
    end = _SENTENCE_BREAK.search(text, start)
    sentence = text[sentence_start : end.start() if end else len(text)]
    items = [k for k in _MAKER_ITEM.finditer(sentence) if k.start(1) + sentence_start != start]
    return any(not load().has_name(normalize_name(k.group(1))) for k in items)


_NUMBERED_BODY = _lazy(r"[ \t]+(?:[1-9]|1[0-3])(?=[ \t]*(?:[.,;:)!?\n]|$))")
_AGENCY_AFTER = _lazy(
    r"\s*(?:,[^()\n]{0,30})?\(\s*(?:" + "|".join(re.escape(a) for a in PRESS_AGENCIES) + r")\s*\)"
)
_INITIALS = _lazy(r"\s*\(\s*([A-Z][\w&]{1,7})\s*\)")
_LINKING_WORDS = frozenset({"de", "d", "du", "des", "la", "le", "les", "l", "et", "en", "pour", "sur", "a", "au", "aux"})


def _initials_follow(text: str, tokens: list[_Token], m: _Mention) -> bool:
    """Is the name the end of a body's name spelt out before its initials ('Institut Catholique de
    Paris (ICP)', 'Institut d'Études Politiques de Lyon (IEP)')? Such a name says whose body it is,
    not where the event is."""
    found = _INITIALS.match(text, tokens[m.end - 1].end)
    if found is None:
        return False
    letters = [c for c in found.group(1) if c.isupper()]
    if len(letters) < 2:
        return False
    initials: list[tuple[str, int]] = []
    for j in range(m.end - 1, -1, -1):
        if j < m.end - 1 and _is_break(_gap(text, tokens, j + 1)):
            break
        if _capitalized(tokens[j]):
            initials.append((fold(tokens[j].raw[0]).upper(), j))
        elif tokens[j].norm not in _LINKING_WORDS:
            break
    initials.reverse()
    first = None
    k = 0
    for initial, j in initials:
        if k < len(letters) and initial == letters[k]:
            first = j if first is None else first
            k += 1
    if k < len(letters) or first is None or first >= m.start:
        return False  # not those initials, or the commune's own ('Saint-Denis (SD)')
    # 'conférence à l'Institut d'Études Politiques de Lyon (IEP)': the body's building.
    k = first - 1
    if k >= 0 and tokens[k].norm in {"l", "la", "le", "les"}:
        k -= 1
    return not (k >= 0 and tokens[k].norm in {"a", "au", "aux"})


def _institution_follows(text: str, tokens: list[_Token], m: _Mention) -> bool:
    """Is the name followed by a body's suffix, right after it or after one or two capitalised
    words of the same name ('Nantes Métropole', 'Montpellier Méditerranée Métropole')?"""
    k = m.end
    while k < len(tokens) and k <= m.end + 2 and not _is_break(_gap(text, tokens, k)):
        if tokens[k].norm in INSTITUTION_SUFFIXES:
            return True
        if not _capitalized(tokens[k]):
            return False
        k += 1
    return False


def _compound_tail(tokens: list[_Token], m: _Mention, key: str) -> bool:
    """Is the name the last word of a compound noun ('Hôtel de Ville', 'centre ville')?"""
    heads = COMPOUND_TAILS.get(key)
    if not heads:
        return False
    before = " ".join(t.norm for t in tokens[max(0, m.start - 3) : m.start])
    return any(before == head or before.endswith(" " + head) for head in heads)


_BUILDING_BEFORE = frozenset({"a", "au", "aux", "chez", "dans", "sur", "en"})


def _named_body(text: str, tokens: list[_Token], i: int) -> bool:
    """Is the name after 'de' the end of a body's name in prose ('responsable au CHU de Poitiers'
    aside, 'le barreau d'Alès', 'le CAAA (Comité …) de Toulon')? Such a name says whose body it is.
    Not when the text goes to the body ('au lycée X de Y', 'à l'IUT de Z'), when a building of it is
    meant ('auditorium du lycée agricole de Sées') or when a short location line names it."""
    if i < 2 or tokens[i - 1].norm not in {"de", "d", "du"} or _shouting(text):
        return False
    j = i - 2
    if _gap(text, tokens, i - 1).strip() == ")":
        # 'le CAAA (Comité Accueil Alphabétisation Animation) de Toulon': initials, then their words.
        opening = text.rfind("(", 0, tokens[j].start)
        if opening < 0:
            return False
        while j >= 0 and tokens[j].start > opening:
            j -= 1
        if j < 0 or not _body_initials(tokens[j]):
            return False
    head = None
    for k in range(j, max(-1, j - 5), -1):
        if k < j and _is_break(_gap(text, tokens, k + 1)):
            break
        if tokens[k].norm in BODY_NAME_WORDS or _body_initials(tokens[k]):
            head = k
            break
    if head is None:
        return False
    k = head - 1
    while k >= 0 and tokens[k].norm in _ARTICLES:
        k -= 1
    if k >= 0 and not _is_break(_gap(text, tokens, k + 1)):
        if tokens[k].norm in _BUILDING_BEFORE:
            return False
        if tokens[k].norm in {"de", "d", "du", "des"} and any(
            tokens[q].norm in VENUE_WORDS and not _is_break(_gap(text, tokens, q + 1)) for q in range(max(0, k - 3), k)
        ):
            return False
    if k >= 0 and not _is_break(_gap(text, tokens, k + 1)):
        return True  # inside a sentence
    # Opening a line or a dash-separated part ('Lycée X de Y', '18h30 - CHU de Y') it is the
    # venue; after a comma it is a person's or a partner's affiliation.
    return k >= 0 and "," in _gap(text, tokens, k + 1)


def _after_group(text: str, tokens: list[_Token], i: int) -> bool:
    """Is the name after 'de' the home town of a band, choir or troupe ('l'Harmonie de Montreuil',
    'la chorale du Bagad de Vannes')?"""
    if i < 2 or tokens[i - 1].norm not in {"de", "d", "du"}:
        return False
    for j in range(i - 2, max(-1, i - 5), -1):
        if _is_break(_gap(text, tokens, j + 1)):
            return False
        if tokens[j].norm in GROUP_WORDS:
            return True
    return False


def _body_initials(token: _Token) -> bool:
    """'CHU', 'CCAS', 'ESSEC': initials of a body, not a commune's name or a roman numeral."""
    raw = token.raw
    return (
        2 <= len(raw) <= 6 and raw.isalpha() and raw.isupper() and token.norm not in ROMAN_NUMERALS
        and token.norm not in VENUE_WORDS and not load().has_name(token.norm)
    )


def _after_brand_ampersand(tokens: list[_Token], m: _Mention, gap_before: str) -> bool:
    """'Moët & Chandon', 'Procter & Gamble': a name after '&' and a capitalised word that is no
    commune is the second half of a firm's name; 'Rennes & Saint-Malo' is a list."""
    if "&" not in gap_before or m.start == 0:
        return False
    prev = tokens[m.start - 1]
    return _capitalized(prev) and not load().has_name(prev.norm)


_ACCENTED = frozenset("àâäéèêëîïôöùûüÿç")


def _accents_differ(text: str, m: _Mention, entries: list[Entry]) -> bool:
    """Is the name spelt with other accents, in lower-case letters, than every commune it could be
    ('Messe' for Messé, 'Cote' for Côte), in a text that writes accents? Then the word is meant."""
    if not any(c in _ACCENTED for c in text):
        return False
    written = [c for c in text[m.char_start : m.char_end] if c.isalpha()]
    for e in entries:
        official = [c for c in e.commune.name if c.isalpha()]
        if e.bare:
            official = official[len(official) - len(written) :]
        if len(official) != len(written):
            return False
        if all(w == o.lower() for w, o in zip(written, official, strict=True) if w.islower()):
            return False
    return True


@cache
def _calendar_words() -> frozenset[str]:
    return frozenset(norm_token(w) for w in (*MONTHS, *WEEKDAYS) if len(w) > 3)


def _runs_on(tokens: list[_Token], m: _Mention) -> bool:
    """Does a capitalised word carry the name on ('la Salle Polyvalente', 'la Côte Sauvageau')?
    A commune spelt as an ordinary word is then the start of a longer proper name, a venue's or
    a park's. Not a heading in capitals ('ALÈS La mairie …') nor a date ('Orange Samedi 3 mai')."""
    nxt = tokens[m.end]
    first = tokens[m.start]
    return (
        _capitalized(nxt) and not nxt.raw.isupper() and not first.raw.isupper()
        and nxt.norm not in _calendar_words()
    )


def _shouting(text: str) -> bool:
    """Is the text written mostly in capitals ('SALLE DES FETES, METZ')?"""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _capitalized(token: _Token) -> bool:
    return token.raw[:1].isupper()


def _acronym(token: _Token) -> bool:
    return token.raw.isupper() and len(token.raw) <= 5


def _score(text: str, tokens: list[_Token], m: _Mention, text_depts: set[str], region: str | None = None) -> None:
    """Set m.score (0 = reject) and the adjacent evidence of a mention."""
    first = tokens[m.start]
    key_len = len(" ".join(t.norm for t in tokens[m.start : m.end]))
    prev1 = tokens[m.start - 1].norm if m.start > 0 else ""
    prev2 = " ".join(t.norm for t in tokens[max(0, m.start - 2) : m.start]) if m.start > 1 else ""
    gap_before = _gap(text, tokens, m.start)
    gap_after = text[tokens[m.end - 1].end : tokens[m.end].start] if m.end < len(tokens) else "\n"
    broken_before = m.start == 0 or _is_break(gap_before)
    broken_after = m.end == len(tokens) or _is_break(gap_after)
    prep_ok = not broken_before and (prev1 in PLACE_PREPOSITIONS or prev2 in PLACE_PREPOSITIONS_2)
    if prep_ok and prev1 in {"a", "au", "aux"} and m.start > 1 and tokens[m.start - 2].norm == "du":
        prep_ok = _capitalized(first)  # 'du lundi au vendredi' is a range of days, not a place
    if prep_ok and prev1 in {"a", "au", "aux"} and m.start > 1 and tokens[m.start - 2].norm in GOVERNING_A_WORDS:
        prep_ok = False  # 'face aux Alliés', 'grâce à Lyon': the 'à' belongs to the word before
    m.via_preposition = prep_ok
    if (prep_ok or prev1 in {"de", "d"}) and _in_the_past(text, m):
        m.score = 0
        return

    adjacent = _adjacent_postal(text, tokens, m)
    postal, before = adjacent if adjacent else (None, False)
    hint_depts = _adjacent_hint(text, tokens, m)
    arrondissement = _arrondissement(text, tokens, m)
    strong = False
    if postal:
        dept = department_of_postal_code(postal)
        consistent = [e for e in m.entries if postal in e.commune.postal_codes]
        score = 100 if before else 98
        if not consistent and dept:
            consistent = [e for e in m.entries if e.commune.department == dept]  # CEDEX codes
            score -= 6
        if consistent:
            m.entries = consistent
            m.postal_code = postal
            m.department = dept
            strong = True
            m.score = score
    if not strong and hint_depts:
        consistent = [e for e in m.entries if e.commune.department in hint_depts]
        if consistent:
            m.entries = consistent
            m.department = consistent[0].commune.department
            strong = True
            m.score = 90
    if arrondissement is not None:
        m.arrondissement = arrondissement
        strong = True
        m.score = max(m.score, 90)
    if strong:
        return

    if _in_street(tokens, text, m.start) or _not_the_venue(text, tokens, m, broken_before):
        m.score = 0
        return
    entries = m.entries
    names = {normalize_name(e.commune.name) for e in entries}
    key = " ".join(t.norm for t in tokens[m.start : m.end])
    if key in NEVER_BARE or any(n in NEVER_BARE for n in names):
        m.score = 0
        return
    # 'à l'Union', 'à la Bastide-de-Sérou': in running text the article keeps its small letter.
    cap = _capitalized(first) or (
        first.norm in {"l", "la", "le", "les"} and m.end - m.start > 1 and _capitalized(tokens[m.start + 1])
    )
    whole_segment = broken_before and broken_after

    contracted = not broken_before and prev1 in ARTICLE_CONTRACTIONS

    def acceptable(e: Entry) -> bool:
        if e.bare:
            # 'au Gosier' (à Le Gosier), 'aux Abymes'; not 'au Marché' for La Marche.
            article = fold(e.commune.name.split(" ", 1)[0])
            agrees = (prev1 in {"au", "du"} and article == "le") or (prev1 in {"aux", "des"} and article == "les")
            if agrees and key in VENUE_WORDS and e.commune.region_code != region:
                return False  # 'aux Halles', 'au Palais': the building, save for a source of that région
            return agrees or (whole_segment and cap)
        if e.common and contracted and fold(e.commune.name).split(" ", 1)[0] not in _ARTICLES:
            return False  # 'au Grand Carbet' is 'à le Grand Carbet': the commune Grand has no article
        # 'au Bar à jeux', 'au Marché': the noun with its article, not the commune ('à Bar').
        return not (e.common and key in PLACE_NOUNS and (prev1 in ARTICLE_CONTRACTIONS or not cap))

    entries = m.entries = [e for e in entries if acceptable(e)]
    if entries and all(e.common for e in entries) and _accents_differ(text, m, entries):
        m.score = 0  # 'Messe' is the mass, not Messé: a text that writes accents would write its accent
        return
    if not entries or _compound_tail(tokens, m, key) or _after_brand_ampersand(tokens, m, gap_before):
        m.score = 0
        return
    common = all(e.common for e in entries)
    big_city_word = False
    if common and cap and not broken_before and all(e.commune.population >= 100_000 for e in entries):
        # 'la Bourse du Travail de Paris': inside a sentence, a capitalised big city is the city
        # whatever English word lists say of 'Paris' or 'Bordeaux' (weak evidence all the same).
        common = False
        big_city_word = True
    if common and not broken_after and _runs_on(tokens, m):
        m.score = 0  # 'à la Salle Polyvalente', 'au parc de la Côte Sauvageau': a longer name runs on
        return
    bare = all(e.bare for e in entries)
    heading = _capital_heading(text, tokens, m) and key not in PLACE_NOUNS
    if (
        _acronym(first) and m.end - m.start == 1 and not prep_ok and not whole_segment and not heading
        and not _shouting(text)
    ):
        m.score = 0  # 'PLIE', 'CCAS': initials that happen to spell a commune
        return
    if key_len <= 2 and not (prep_ok and cap):
        m.score = 0
        return
    if m.start > 1 and prev1 in {"de", "d"} and tokens[m.start - 2].norm in AREA_OF_CITY_WORDS:
        m.score = 0
        return
    followed_by_of = m.end + 1 < len(tokens) and tokens[m.end].norm in {"de", "des", "du", "d"}
    if common and followed_by_of and not tokens[m.end + 1].raw.isdigit() and not broken_after:
        m.score = 0  # 'au Jardin des Plantes', 'Tours de table': a name, not the commune
        return
    venue_of = _after_venue_word(tokens, text, m.start)
    if venue_of in GROUNDS_WORDS and first.norm in _ARTICLES and first.raw.islower() and not prep_ok:
        m.score = 0  # 'le parc de la Villette': a park or a district is named after its lieu-dit
        return
    m.standalone = whole_segment or (broken_before and m.end < len(tokens) and tokens[m.end].raw.isdigit())
    if heading:
        score = 50  # 'ALÈS La mairie ouvre …', 'CARHAIX — …': the story's town, below a venue's
    elif prep_ok:
        # 'sur Orange' is more often a topic than a place: common words need 'à'.
        score = 70 if (not common or (cap and prev1 in {"a", "au", "aux", "in"})) else 0
    elif (
        prev1 in {"du", "le", "au"} and not bare and not broken_before
        and m.end < len(tokens) and tokens[m.end].raw[:1].islower() and not broken_after
    ):
        score = 0  # 'le guide du Marseille désirable': the city as a figure of speech, not a place
    elif prev1 in {"du", "des"} and bare:
        # 'Rencontre du Havre'; not 'Président du Syndicat Mixte', a longer name.
        named_on = m.end < len(tokens) and _capitalized(tokens[m.end]) and not broken_after
        score = 40 if cap and not named_on else 0
    elif venue_of and cap and not (
        common and (m.start == 0 or first.norm in _SAINT_WORDS or (
            venue_of in EVENT_WORDS and (venue_of not in TOWN_EVENT_WORDS or _shouting(text))
        ))
    ):
        # 'Chambre de commerce de Cayenne', but 'Atelier de Saint-Valentin' is a feast day.
        m.venue_of = True
        score = 55 if not common else 45  # 'Médiathèque de Cholet', 'au FabLab de Lannion'
        if _attended_named_venue(text, tokens, m.start):
            score += 17  # 'au parc du Burk de Mérignac' beats a city named loosely ('à Bordeaux')
    elif whole_segment:
        score = 60 if (cap or not common) else 0
    elif broken_before and not common and cap:
        score = 50  # 'Montpellier le 15 novembre'
    elif _eponym_in_prose(text, tokens, m.start):
        score = 0  # 'un déménagement de barrières Vauban, puis …': a thing named after someone
    elif (
        broken_after and not common and cap and prev1 not in {"de", "d", "du", "des", "la", "le", "les"}
        and not (m.start > 0 and _capitalized(tokens[m.start - 1]) and not _acronym(tokens[m.start - 1]))
    ):
        score = 45  # 'Forum de l'emploi Montpellier', but not 'Produits Bio''
    elif broken_after and not common and cap and _LOCATION_LINE.match(
        text, text.rfind("\n", 0, first.start) + 1
    ):
        score = 45  # 'À l'ISPAIA - Zoopôle Ploufragan': a location line ends on its commune
    elif not common and cap:
        neighbours = [tokens[k] for k in (m.start - 1, m.end) if 0 <= k < len(tokens)]
        score = 0 if any(_capitalized(t) and not t.raw.isupper() for t in neighbours) else 35
        if prev1 in {"de", "d", "du"}:
            score = 30
    else:
        score = 0
    if score and prep_ok and m.start > 1 and (
        tokens[m.start - 2].norm in ARRIVAL_WORDS or (prev1 == "a" and _span_from_commune(text, tokens, m))
    ):
        score -= 20  # 'au départ de Lorient pour une arrivée à Brest': the event starts at Lorient
    if score and not prep_ok and _institution_follows(text, tokens, m):
        # 'Saint-Étienne Métropole' is weak evidence of its territory; a post in the body
        # ('président de Grenoble Alpes Métropole') says whom a person works for, not where.
        role = m.start > 1 and tokens[m.start - 1].norm in {"de", "d"} and tokens[m.start - 2].norm in ROLE_WORDS
        score = 0 if role else min(score, 20)
    if score and not prep_ok and _named_body(text, tokens, m.start):
        score = 0
    if score and not prep_ok and _after_group(text, tokens, m.start):
        score = min(score, 20)  # 'l'Harmonie de Montreuil': the band's home town, not the stage
    if score and _organiser_context(tokens, text, m.start):
        score = min(score, 20) if not prep_ok else score - 30
    if score and any(e.former for e in entries) and not any(not e.former for e in entries):
        score -= 5
    if big_city_word and not prep_ok:
        score = min(score, 30)
    if score > 50 and m.start == 0 and gap_after.startswith("."):
        score = 50  # a press dateline ('Figeac. …'): where the story was written, not the venue's commune
    m.score = max(score, 0)


def _scan(text: str, tokens: list[_Token]) -> tuple[list[_Mention], set[str]]:
    """Name mentions (longest match first) and the départements the text names (areas, codes)."""
    gaz = load()
    areas = _area_names()
    area_first = _area_first_words()
    mentions: list[_Mention] = []
    text_depts: set[str] = set()
    n = len(tokens)
    # joins[k]: can a name run from token k-1 into token k?
    joins = [False] + [not _breaks_name(text[tokens[k - 1].end : tokens[k].start]) for k in range(1, n)]
    i = 0
    while i < n:
        norm = tokens[i].norm
        if (
            i + 1 < n and text[tokens[i].end : tokens[i + 1].start] == "-" and _capitalized(tokens[i])
            and not gaz.max_words_from(norm)
        ):
            # 'Maripa-Soula' for Maripasoula: a name cut in two by a stray hyphen.
            glued = norm + tokens[i + 1].norm
            if gaz.has_name(glued):
                mentions.append(
                    _Mention(i, i + 2, gaz.entries(glued), char_start=tokens[i].start, char_end=tokens[i + 1].end)
                )
                i += 2
                continue
        limit = max(gaz.max_words_from(norm), area_first.get(norm, 0))
        if limit == 0 or tokens[i].raw.isdigit():
            i += 1
            continue
        reach = 1
        while reach < limit and i + reach < n and joins[i + reach]:
            reach += 1
        best_commune = 0
        best_area = 0
        for size in range(reach, 0, -1):
            key = " ".join(t.norm for t in tokens[i : i + size])
            if not best_commune and gaz.has_name(key):
                best_commune = size
            if not best_area and key in areas:
                best_area = size
            if best_commune and best_area:
                break
        if best_area and (best_area > best_commune or (best_area == best_commune and _area_wins(tokens, i))):
            if _capitalized(tokens[i]) or tokens[i].norm in {"la", "le", "les", "l"}:
                key = " ".join(t.norm for t in tokens[i : i + best_area])
                text_depts.update(areas[key])
            i += best_area
            continue
        if best_commune and norm in _ARTICLES and _capitalized(tokens[i]) and i + 1 < n and joins[i + 1]:
            # 'LE SAINT ESPRIT' is Saint-Esprit with its article, not Le Saint followed by a word.
            longer = _longest_name(tokens, joins, i + 1)
            if longer >= best_commune:
                key = " ".join(t.norm for t in tokens[i + 1 : i + 1 + longer])
                mentions.append(
                    _Mention(i, i + 1 + longer, gaz.entries(key), char_start=tokens[i].start,
                             char_end=tokens[i + longer].end)
                )
                i += 1 + longer
                continue
        if best_commune:
            key = " ".join(t.norm for t in tokens[i : i + best_commune])
            mentions.append(
                _Mention(i, i + best_commune, gaz.entries(key), char_start=tokens[i].start,
                         char_end=tokens[i + best_commune - 1].end)
            )
            i += best_commune
            continue
        i += 1
    for match in _POSTAL_RE.finditer(text):
        dept = department_of_postal_code(match.group(1))
        if dept and gaz.by_postal_code(match.group(1)):
            text_depts.add(dept)
    for match in _HINT_RE.finditer(text):
        code = match.group(1).upper()
        if code in DEPARTMENTS:
            text_depts.add(code)
    return mentions, text_depts


_ARTICLES = frozenset({"le", "la", "les", "l"})


def _longest_name(tokens: list[_Token], joins: list[bool], i: int) -> int:
    """How many tokens from i make the longest commune name (0 for none)."""
    gaz = load()
    limit = gaz.max_words_from(tokens[i].norm)
    reach = 1
    while reach < limit and i + reach < len(tokens) and joins[i + reach]:
        reach += 1
    for size in range(reach if limit else 0, 0, -1):
        if gaz.has_name(" ".join(t.norm for t in tokens[i : i + size])):
            return size
    return 0


_LIST_GAP = _lazy(
    r"\s*(?:\(\s*\w{2,3}\s*\)\s*)?(?:,|;|&|\bet\b|\bou\b(?:\s+encore)?)\s*(?:a\s+|à\s+)?"
    r"|\s*\)\s*[^\W\d][\w'’ -]{0,24}\s*\(\s*",  # 'Grand Ouest (Rennes) Grand Est (Nancy) …'
    re.IGNORECASE,
)


def _enumerated(text: str, mentions: list[_Mention]) -> set[int]:
    """Mentions that are items of a list of three communes or more ('à Ajaccio, Calvi et
    Porto-Vecchio', '(Tours, Luynes, Fondettes et Joué-lès-Tours)'): the event is in none of them
    in particular. Returns their ids."""
    named = [m for m in mentions if m.entries and text[m.char_start : m.char_start + 1].isupper()]
    out: set[int] = set()
    run: list[_Mention] = []
    for m in [*named, None]:
        if m is not None and run and _LIST_GAP.fullmatch(text, run[-1].char_end, m.char_start):
            run.append(m)
            continue
        items = len({r.entries[0].commune.insee for r in run})
        if items == 2:
            items += _unknown_list_items(text, run[0].char_start, run[-1].char_end)
        if items >= 3:
            out.update(id(r) for r in run)
        run = [m] if m is not None else []
    return out


_ITEM_BEFORE = _lazy(r"(?:(\w+)\s+)?(?<![\w'’-])([A-ZÀ-Ý][^\W\d_]+(?:-[^\W\d_]+)*)\s*,\s*$")
_ITEM_AFTER = _lazy(r"\s*(?:,|\bet\b|\bou\b)\s*([A-ZÀ-Ý][^\W\d_]+(?:-[^\W\d_]+)*)(?![\w'’-])(?!\s*[A-ZÀ-Ýa-zà-ÿ])")


def _unknown_list_items(text: str, start: int, end: int) -> int:
    """List items next to a run of two communes that the gazetteer does not know ('(Montoire,
    Vendôme et Blois)' where Montoire is Montoire-sur-le-Loir): one such word makes three sites.
    A word of the calendar is no item ('Samedi, Lyon et Tours')."""
    found = 0
    before = _ITEM_BEFORE.search(text[max(0, start - 40) : start])
    if before is not None and before.group(1) is not None:
        word = before.group(1)
        if word[:1].isupper() or norm_token(word) in NAMED_PLACE_WORDS or norm_token(word) in VENUE_WORDS:
            before = None  # 'Salle Dupont, Lyon et …': a venue's name, not a list item
    after = _ITEM_AFTER.match(text, end)
    for match in (before, after):
        if match is not None and norm_token(match.group(match.lastindex or 1)) not in _calendar_words():
            found += 1
    return found


def _breaks_name(gap: str) -> bool:
    """Can a commune name run across this gap? Hyphens, apostrophes and the parentheses of
    'Château-Chinon (Campagne)' yes; commas and line breaks no."""
    if not _is_break(gap):
        return False
    return not re.fullmatch(r"\s*(?:[-'’]|\(|\))\s*", gap)


def _area_wins(tokens: list[_Token], i: int) -> bool:
    """A région name beats a commune of the same name ('Bretagne'); a département name does after
    'en'/'dans' ('en Vienne'), except Paris, which is both."""
    key = tokens[i].norm
    if key == "paris":
        return False
    if any(normalize_name(r.name) == key for r in REGIONS.values()):
        return True
    # 'en Vienne', 'dans la Vienne', 'du Var'; but 'de Vienne' is the city (départements take
    # an article after 'de').
    return i > 0 and tokens[i - 1].norm in {"en", "dans", "departement", "du", "la", "le", "l", "les"}


def _rank(m: _Mention, text_depts: set[str], region: str | None) -> Entry:
    """Pick among homonyms: adjacent evidence (already filtered), départements in the text, the
    source's région, then population."""

    def key(e: Entry) -> tuple[bool, bool, bool, bool, int]:
        return (
            e.commune.department not in text_depts,
            region is not None and e.commune.region_code != region,
            e.former,
            e.bare,
            -e.commune.population,
        )

    return min(m.entries, key=key)


_NAME_WITH_DEPARTMENT = _lazy(
    r"(?<![\w-])([A-ZÀ-Ý][^\W\d_]+(?:[-'’][^\W\d_]+){1,5}|[A-ZÀ-Ý][^\W\d_]{5,})\s*\(([^()]{2,30})\)"
)


def _misspelt_with_department(text: str) -> _Mention | None:
    """'Saint-Pierres-sur-Dives (Calvados)', 'Montpelier (34)': a name followed by its département
    is a commune even when misspelt; the closest name of that département (a clear winner only)."""
    for match in _NAME_WITH_DEPARTMENT.finditer(text):
        name, hint = match.group(1), match.group(2).strip()
        if load().has_name(normalize_name(name)):
            continue  # a known name: the ordinary reading already had its chance
        code = hint.upper().zfill(2) if hint.isdigit() or hint.upper() in {"2A", "2B"} else None
        depts = (code,) if code in DEPARTMENTS else _area_names().get(normalize_name(hint), ())
        if not depts or len(depts) > 2:
            continue
        commune = resolve_commune(name, department=depts[0])
        if commune is not None and commune.department in depts:
            entry = Entry(commune, False, False, False)
            return _Mention(0, 0, [entry], score=80, department=commune.department,
                            char_start=match.start(1), char_end=match.end(1))
    return None


def _postal_only(text: str, tokens: list[_Token]) -> _Mention | None:
    """'…, 31670' or '31670 Lieu-dit' with no commune name we know: the code's own commune."""
    gaz = load()
    for match in _POSTAL_RE.finditer(text):
        code = match.group(1)
        communes = gaz.by_postal_code(code)
        if not communes:
            continue
        after = text[match.end() : match.end() + 40]
        before = text[max(0, match.start() - 60) : match.start()]
        # A code stands for a place when a name follows it ('31670 Labege') or an address precedes
        # it ('rue X, 31670'); 'ISO 26000' or 'lot 31000' is not one.
        names_follow = re.match(r"\s*[A-ZÀ-Ý]", after) is not None
        address_before = re.search(r"(?:^|[\s,])(?:" + "|".join(STREET_TYPES) + r")\b[^\n]*,\s*$", fold(before)) is not None
        if not (names_follow or address_before):
            continue
        words = [norm_token(w) for w in _TOKEN_RE.findall(after)[:3]]
        chosen = None
        for commune in communes:
            name_words = normalize_name(commune.name).split()
            if words and name_words and words[0] == name_words[0]:
                chosen = commune
                break
        if chosen is None:
            chosen = max(communes, key=lambda c: c.population)
        entry = Entry(chosen, False, False, False)
        return _Mention(0, 0, [entry], score=75, postal_code=code, department=chosen.department,
                        char_start=match.start(), char_end=match.end())
    return None


# --- venue and address ---------------------------------------------------------------------


def _address(text: str) -> tuple[str | None, tuple[int, int] | None]:
    for match in _ADDRESS_RE.finditer(text):
        street_type = match.group("type")
        at_segment_start = not text[: match.start()].strip() or _is_break(text[max(0, match.start() - 3) : match.start()] + " ")
        if not match.group("num") and not (street_type[0].isupper() or at_segment_start):
            continue
        if not match.group("num") and fold(street_type).rstrip(".") == "place" and not street_type[0].isupper():
            continue
        value = match.group().strip(" ,")
        return value, (match.start(), match.end())
    return None, None


def _venue(text: str, mention: _Mention | None, tokens: list[_Token], address_span: tuple[int, int] | None) -> str | None:
    """The venue's name, read only from location-like text ('Salle des fêtes - Plouër')."""
    if mention is not None and mention.venue_of:
        seg_start = max(text.rfind(c, 0, mention.char_start) for c in ",;:\n(|") + 1
        candidate = _LABEL_RE.sub("", text[seg_start : mention.char_end]).strip()
        candidate = re.sub(r"^(?:à|au|aux|a)\s+(?:la\s+|l['’]\s*)?", "", candidate, flags=re.IGNORECASE)
        return candidate[:1].upper() + candidate[1:] if _venue_like(candidate) else None
    if mention is not None and mention.char_end and not (
        mention.via_preposition or mention.standalone or mention.score >= 90 or mention.postal_code
    ):
        return None  # a name in running text: what precedes it is a sentence, not a venue
    limit = mention.char_start if mention and mention.char_end else len(text)
    if address_span:
        limit = min(limit, address_span[0])
    head = text[:limit]
    line_start = head.rfind("\n") + 1
    head = head[line_start:]
    head = _LABEL_RE.sub("", head)
    if mention and mention.via_preposition:
        head = re.sub(r"\s+(?:à|a|au|aux|sur)\s*$", "", head, flags=re.IGNORECASE)
        # 'De 9h à 18h à Diagora-Labège à Toulouse': keep what follows the last 'à'.
        parts = re.split(r"\s(?:à|au|aux)\s", head)
        head = parts[-1]
    elif mention is not None and mention.postal_code and head.rstrip().endswith(mention.postal_code or ""):
        head = head.rstrip()[: -len(mention.postal_code)]
    pieces = re.split(r"\s*(?:,|;|:|\s[-–—]\s|\|)\s*", head.strip(" ,;-–—|:"))
    segments = [s.strip(" ,;-–—|:") for s in pieces if s.strip(" ,;-–—|:")]
    if not segments:
        return None
    venue = segments[0] if len(segments) <= 2 else segments[-1] if _venue_like(segments[-1]) else segments[0]
    if not _venue_like(venue) or len(venue) > 90:
        return None
    return venue


def _venue_like(segment: str) -> bool:
    words = [norm_token(w) for w in _TOKEN_RE.findall(segment)]
    if not words or not segment[:1].isupper() and words[0] not in VENUE_WORDS:
        return False
    if any(w.isdigit() for w in words[:1]) or re.search(r"\b(?:19|20)\d\d\b", segment):
        return False
    if words[-1] in {"de", "d", "du", "des", "la", "le", "les", "l", "a", "au", "aux", "et", "en", "par"}:
        return False  # cut in mid-phrase
    if (words[0] not in VENUE_WORDS and len(words) > 5) or words[0] in EVENT_WORDS:
        return False
    flat = _flat(segment)
    if any(cue in flat for cue in ORGANISER_CUES):
        return False
    if _ONLINE.search(flat) or re.search(r"\b\d{1,2} ?h\b|\b(?:le|du|au) \d", flat):
        return False
    if re.search(r"\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b", flat):
        return False
    return len(words) <= 12


# --- public API ----------------------------------------------------------------------------


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def find_place(
    text: str, *, region_hint: str | None = None, elsewhere: Sequence[tuple[int, int]] = ()
) -> Place | None:
    """Read a place phrase or an announcement ('Pessac (33)', '150 rue …, 31670 Labège', 'en visio').

    `region_hint` is the source's région (INSEE code such as '76', or its name): it breaks ties
    between homonyms after any postal code or département the text gives. A commune named inside
    one of the `elsewhere` spans (the sentences of another event) is not taken. Returns None when
    the text names no commune, address or online cue.
    """
    if not text or not text.strip():
        return None
    region = region_code_for(region_hint)
    tokens = _tokens(text)
    mentions, text_depts = _scan(text, tokens)
    for m in mentions:
        _score(text, tokens, m, text_depts, region)
    listed = _enumerated(text, mentions)
    scored = [
        m for m in mentions
        if m.score > 0 and m.entries and id(m) not in listed and not _inside(m.char_start, elsewhere)
    ]
    if region is not None:
        # An old commune's name far from the source's région is a homonym, not the place
        # ('le jardin de Villefranche' on an Occitan page is not Villefranche, Yonne).
        scored = [
            m for m in scored
            if m.score >= 90 or not all(e.former and e.commune.region_code != region for e in m.entries)
        ]
    best: _Mention | None = None
    if scored:
        best = max(scored, key=lambda m: (m.score, -m.start))
    if best is not None and region is not None and best.score < 90 and all(
        e.commune.region_code != region for e in best.entries
    ):
        # 'à La Rivière Saint-Louis' on a page from La Réunion: a name of the source's région
        # beats a far homonym of another name.
        local = [
            m for m in scored
            if m is not best and m.score >= best.score - 40 and any(e.commune.region_code == region for e in m.entries)
        ]
        if local:
            best = max(local, key=lambda m: (m.score, -m.start))
            best.entries = [e for e in best.entries if e.commune.region_code == region]
    if (best is None or best.score < 90) and "(" in text:
        spelt = _misspelt_with_department(text)
        # Taken over a weak name, or over the first part of the misspelt one ('Villeneuve').
        if spelt is not None and not _inside(spelt.char_start, elsewhere) and (
            best is None or best.score < 60 or spelt.char_start <= best.char_start < spelt.char_end
        ):
            best = spelt
    if best is None or best.score < 75:
        fallback = _postal_only(text, tokens)
        if fallback is not None and not _inside(fallback.char_start, elsewhere) and (
            best is None or fallback.score > best.score
        ):
            best = fallback

    online, mixed, onsite = _attendance_cues(text)
    url = _meeting_url(text)
    online = online or url is not None
    address, address_span = _address(text)

    if best is not None and online and not mixed and not onsite and best.score < 45:
        best = None  # 'Webinaire de la CRESS … Montpellier': the city is not the venue
    if mixed or (online and (onsite or best is not None)):
        attendance = "mixed"
    elif online:
        attendance = "online"
    elif best is not None or address or onsite:
        attendance = "offline"
    else:
        attendance = None

    if best is None:
        dept = next(iter(sorted(text_depts)), None) if len(text_depts) == 1 and _HINT_RE.search(text) else None
        if attendance is None and dept is None:
            return None
        region_code = DEPARTMENTS[dept][1] if dept else None
        return Place(
            venue=_venue(text, None, tokens, address_span) if address else None,
            address=address,
            department=dept,
            region=REGIONS[region_code].name if region_code else None,
            region_code=region_code,
            attendance=attendance,
            online_url=url,
        )

    entry = _rank(best, text_depts, region)
    commune = entry.commune
    lat, lon = commune.latitude, commune.longitude
    if entry.former and entry.latitude is not None:
        lat, lon = entry.latitude, entry.longitude
    postal_code = best.postal_code
    if best.arrondissement is not None:
        arr = load().arrondissement(commune.insee, best.arrondissement)
        if arr:
            postal_code = postal_code or arr[0]
            if arr[1] is not None:
                lat, lon = arr[1], arr[2]
    if postal_code is None and len(commune.postal_codes) == 1:
        postal_code = commune.postal_codes[0]
    return Place(
        venue=_venue(text, best, tokens, address_span),
        address=address,
        postal_code=postal_code,
        city=commune.name,
        insee=commune.insee,
        department=commune.department,
        region=commune.region,
        region_code=commune.region_code,
        latitude=lat,
        longitude=lon,
        attendance=attendance,
        online_url=url,
    )


def commune_by_insee(insee: str) -> Commune | None:
    """The commune with that INSEE code ('34172' -> Montpellier); an arrondissement code of
    Paris, Lyon or Marseille ('75111', '69383', '13201') gives its city. None if unknown."""
    insee = insee.strip().upper()
    found = load().commune(insee)
    if found is None and len(insee) == 5:
        if insee.startswith("751") and 101 <= int(insee[2:]) <= 120:
            found = load().commune("75056")
        elif insee.startswith("6938") and insee[4] in "123456789":
            found = load().commune("69123")
        elif insee.startswith("132") and 1 <= int(insee[3:]) <= 16:
            found = load().commune("13055")
    return found


@lru_cache(maxsize=64)
def _names_near_length(length: int) -> list[str]:
    """Indexed names that can score 90 against a name of `length` characters, in index order.

    fuzz.ratio is at most 200 * shorter / (sum of both lengths), under 90 (89 for a margin) outside
    these bounds: skipping those names makes the fuzzy fallback several times cheaper, with the same
    matches."""
    shortest, longest = -(-89 * length // 111), 111 * length // 89
    return [name for name in load().name_keys if shortest <= len(name) <= longest]


_ARR_SUFFIX = _lazy(
    r"[\s-]+(?:\d{1,2}|[IVX]{1,5})\s*(?:e|er|ère|eme|ème|ieme|ième)?(?:[\s-]+arrondissement)?\s*$", re.IGNORECASE
)
_CEDEX = _lazy(r"\s+cedex(?:\s*\d{1,2})?\s*$", re.IGNORECASE)


def resolve_commune(
    name: str,
    *,
    postal_code: str | None = None,
    department: str | None = None,
    region_hint: str | None = None,
) -> Commune | None:
    """The commune a structured record means (JSON-LD addressLocality + postalCode, iCal LOCATION).

    `name` is matched case-, accent-, hyphen- and St/Ste-insensitively, with or without its
    article; CEDEX and arrondissement suffixes are ignored. Homonyms are resolved by postal code,
    département, région (INSEE code or name), then population. None when nothing fits.
    """
    gaz = load()
    region = region_code_for(region_hint)
    postal_code = (postal_code or "").strip().replace(" ", "") or None
    dept = department.strip().upper() if department else None
    if dept and dept.isdigit() and len(dept) == 1:
        dept = dept.zfill(2)
    cleaned = _CEDEX.sub("", name or "").strip()
    cleaned = _ARR_SUFFIX.sub("", cleaned) if normalize_name(_ARR_SUFFIX.sub("", cleaned)) in PLM else cleaned
    key = normalize_name(cleaned)
    entries = gaz.entries(key) if key else []
    if not entries and key.startswith(("le ", "la ", "les ", "l ")):
        entries = gaz.entries(key.split(" ", 1)[1])
    by_code = gaz.by_postal_code(postal_code) if postal_code else []
    if entries:
        pool = entries
        if postal_code:
            exact = [e for e in pool if postal_code in e.commune.postal_codes]
            pc_dept = department_of_postal_code(postal_code)
            same_dept = [e for e in pool if e.commune.department == pc_dept]
            pool = exact or same_dept or pool
        if dept:
            pool = [e for e in pool if e.commune.department == dept] or pool
        if region:
            pool = [e for e in pool if e.commune.region_code == region] or pool
        return min(pool, key=lambda e: (e.former, e.bare, -e.commune.population)).commune
    if by_code:
        words = key.split()
        for commune in by_code:
            if words and normalize_name(commune.name).split()[:1] == words[:1]:
                return commune
        if len(by_code) == 1 and not key:
            return by_code[0]
        if key:
            # A misspelt locality next to a postal code: the closest name among that code's communes.
            from rapidfuzz import fuzz, process

            names = {c.insee: normalize_name(c.name) for c in by_code}
            close = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=80)
            if close is not None:
                return gaz.commune(close[2])
    elif len(key) >= 6:
        # A misspelt locality alone ('Montpelier'): accept only a clear winner.
        from rapidfuzz import fuzz, process

        close_names = process.extract(key, _names_near_length(len(key)), scorer=fuzz.ratio, score_cutoff=90, limit=5)
        candidates = [(name, score, gaz.entries(name)) for name, score, _ in close_names]
        candidates = [(name, score, e) for name, score, e in candidates if e]
        if candidates:
            # A typo in a big city's name is likelier than in a village's: weigh by population.
            name, _score, _entries = max(
                candidates, key=lambda c: c[1] + 2 * math.log10(c[2][0].commune.population + 1)
            )
            return resolve_commune(name, department=dept, region_hint=region)
    if key:
        # 'Labège (31)', 'Toulouse, France', 'Paris 11e - 75011': read it as free text.
        place = find_place(cleaned if not postal_code else f"{postal_code} {cleaned}", region_hint=region)
        if place is not None and place.insee:
            found = commune_by_insee(place.insee)
            pc_dept = department_of_postal_code(postal_code) if postal_code else None
            if found is not None and found.department == (pc_dept or dept or found.department):
                return found
    return None
