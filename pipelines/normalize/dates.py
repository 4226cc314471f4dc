"""French date and time expressions in agenda text -> normalized date spans (pure, no clock)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.normalize import fr_data

__all__ = [
    "DateMention",
    "find_dates",
    "main_mention",
    "mention_bounds",
    "page_reference_date",
    "parse_dates",
    "parse_reference",
]

PRECISIONS = ("day", "month", "year")
"""How much of a reference is known: a page dated to the day, to its month (a URL's /2024/02/)
or only to its year."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression found in a text, with its normalized value."""

    span: tuple[int, int]
    """Character offsets in the input text."""
    text: str
    """`text[span[0]:span[1]]`."""
    start_date: date
    end_date: date
    """Inclusive last day; equal to `start_date` for a one-day event."""
    start_time: time | None
    end_time: time | None
    all_day: bool
    """True when no time was found: the event is a date, never a fake midnight."""
    flags: tuple[str, ...] = ()
    """Doubts and provenance: "weekday_mismatch", "past_tense", "month_only", "year_guessed",
    "dateparser", "open_start", "open_end", "overnight", "deadline", "legal_reference", "named_day",
    "this_day", "frame", "historical", "anniversary"."""


# --- text folding -------------------------------------------------------------------------------
# Matching runs on a folded copy of the text with exactly one character per input character,
# so that match offsets are offsets in the original text.


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x80, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if base != ch and len(base) == 1 and base.isascii():
            table[cp] = base
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    table.update({ord("Œ"): "o", ord("œ"): "o", ord("Æ"): "a", ord("æ"): "a", ord("ß"): "s"})
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
        table[ord(ch)] = "-"
    for ch in "\u2018\u2019\u201b\u02bc\u00b4`\u2032":
        table[ord(ch)] = "'"
    for ch in "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2008\t\r\u3000":
        table[ord(ch)] = " "
    # "1ᵉʳ" and "1ʳᵉ" as typeset by some CMS.
    table.update({0x1D49: "e", 0x02B3: "r", 0x00BA: "o"})
    return table


_FOLD = _build_fold_table()
# str.translate looks every character up in the table once the text holds a non-ASCII one,
# which French text always does. Instead, the ASCII letters are folded as UTF-8 bytes (every
# other character's bytes are above 0x7F, which the byte table leaves alone), then each distinct
# accented letter of the text is replaced in one pass: a few C passes, no callback per run.
_ASCII_FOLD_BYTES = bytes(ord(_FOLD.get(b, chr(b))) for b in range(0x80)) + bytes(range(0x80, 0x100))
_FOLD_NON_ASCII = {chr(cp): v for cp, v in _FOLD.items() if cp >= 0x80}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The only ASCII characters the table changes besides A-Z, which str.lower() folds alone.
_ASCII_FOLDED = ("\t", "\r", "`")


def _fold(text: str) -> str:
    if text.isascii():  # a third of agenda lines ("03/10/2023 - 09:00", "Le 12 mars")
        low = text.lower()
        if _ASCII_FOLDED[0] in low or _ASCII_FOLDED[1] in low or _ASCII_FOLDED[2] in low:
            return low.translate(_FOLD)
        return low
    low = text.encode("utf-8", "surrogatepass").translate(_ASCII_FOLD_BYTES).decode("utf-8", "surrogatepass")
    for ch in set(_NON_ASCII.findall(low)):
        folded = _FOLD_NON_ASCII.get(ch)
        if folded is not None:
            low = low.replace(ch, folded)
    return low


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words` (folded), longest first, factored as a trie.

    The trie shape lets the regex engine reject a position on its first character instead of
    trying thirty month names one after the other.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in _fold(word):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_MONTH_NUM: dict[str, int] = {_fold(k): v for k, v in fr_data.MONTHS.items()}
_WEEKDAY_NUM: dict[str, int] = {_fold(k): v for k, v in fr_data.WEEKDAYS.items()}
_FIRST_WORDS = {_fold(w) for w in fr_data.FIRST_DAY_WORDS}
_TIME_WORD: dict[str, tuple[int, int]] = {_fold(k): v for k, v in fr_data.TIME_WORDS.items()}

_MON = _alternation(fr_data.MONTHS)
_WD = _alternation(fr_data.WEEKDAYS)
_DAY = rf"(?:{_alternation(fr_data.FIRST_DAY_WORDS)}|0?[1-9]|[12]\d|3[01])"
# A day in words only before its month ("le dix-sept septembre"), never alone: "deux" is a count.
_TXT_DAY = rf"(?:{_alternation([*fr_data.FIRST_DAY_WORDS, *fr_data.DAY_WORDS])}|0?[1-9]|[12]\d|3[01])"
_YEAR = r"(?:19|20)\d{2}"
_MM = r"(?:0?[1-9]|1[0-2])"


# The atom scanners. An atom starts either on a digit or on a word (a weekday before its day, a
# month before its year, "de"/"entre" before an hour, "midi"): one regex per case keeps each
# match attempt short. Within a regex, the first alternative that matches wins.
def _weekday_prefix(name: str, required: bool) -> str:
    if not required:  # keep the group, so that both regexes answer the same group names
        return rf"(?:(?P<{name}>(?!)))?"
    return rf"(?<![a-z])(?P<{name}>{_WD})\.?,?\s+"


def _atom_regex(word_start: bool) -> re.Pattern[str]:
    nwd = _weekday_prefix("nwd", word_start) + (r"(?:le\s+)?" if word_start else "")
    # In words, the day itself may be a word ("le premier décembre"): the weekday stays optional.
    twd = f"(?:{_weekday_prefix('twd', True)})?" if word_start else _weekday_prefix("twd", False)
    pwd = f"(?:{_weekday_prefix('pwd', True)})?" if word_start else _weekday_prefix("pwd", False)
    num = rf"""(?P<num>{nwd}(?<![\d/.:,])(?P<nd>0?[1-9]|[12]\d|3[01])
        (?:/(?P<nm1>{_MM})/(?P<ny1>\d{{4}}|\d{{2}})
          |\.(?P<nm2>{_MM})\.(?P<ny2>\d{{4}}|\d{{2}})
          |-(?P<nm3>{_MM})-(?P<ny3>\d{{4}})
          |/(?P<nm4>0[1-9]|1[0-2])(?!\s*(?:{_MON}))
          |\.(?P<nm5>0[1-9]|1[0-2])
          |[ ]/[ ](?P<nm6>{_MM})[ ]/[ ](?P<ny6>\d{{4}}))
        (?!\d|[/.:]\d|-\d(?!\d?[/.\-]\d)))"""
    txt = rf"""(?P<txt>{twd}(?<![a-z\d/.:,])(?P<td>{_TXT_DAY if word_start else _DAY})(?:er|re)?\s*
        (?:de\s+)?(?P<tm>{_MON})(?:\.|(?![a-z]))(?:,?\s*(?P<ty>{_YEAR})(?![\d:]|\s?h\b))?)"""
    part = rf"""(?P<part>{pwd}(?<![a-z\d/.:,])(?P<pd>{_DAY})(?:er|re)?
        (?![a-z\d]|[/:.,]\d|\s?h(?![a-z])))"""
    if word_start:
        branches = [
            num,
            txt,
            rf"(?P<my>(?<![a-z])(?P<mym>{_MON})\.?,?\s+(?P<myy>{_YEAR})(?![\d:]))",
            r"""(?P<open>(?<![a-z])(?:de|entre)\s+(?P<oh>[01]?\d|2[0-3])\s*(?:a|-|et)\s*
                (?=(?:[01]?\d|2[0-4])\s?(?:h(?![a-z])|heure)))""",
            rf"""(?P<tw>(?:(?<=a\s)|(?<=de\s)|(?<=des\s)|(?<=vers\s)|(?<=et\s)|(?<=-\s)|(?<=,\s)|(?<=\|\s))
                (?P<tww>{_alternation(fr_data.TIME_WORDS)})(?![a-z\-]))""",
            part,
        ]
    else:
        # Clock times first: no date form can match where they do, and they are the most common atom.
        branches = [
            r"""(?P<hm>(?<![\d:.])(?<!\d,)(?P<hh>[01]?\d|2[0-4])[ \t]{0,2}(?:heures?|h)(?:\s?(?P<hmi>[0-5]\d))?
                (?:\s?(?:min|mn))?(?![a-z\d]|/(?:24|7)(?!\d)))""",
            r"""(?P<clk>(?<![\d:./])(?<!\d,)(?P<ch>[01]?\d|2[0-3]):(?P<cm>[0-5]\d)(?::[0-5]\d)?
                (?:\s?(?P<ap>am|pm)\b)?(?![\d:]))""",
            rf"""(?P<iso>(?<![\d.\-/])(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])
                (?:[t\s](?P<ih>[01]\d|2[0-3]):(?P<imi>[0-5]\d)(?::[0-5]\d(?:[.,]\d+)?)?
                (?P<iz>z|[+-][01]\d:?[0-5]\d)?)?(?![\d:]))""",
            num,
            txt,
            part,
            # "09/10 novembre 2024", "les 14/15 septembre": two days of one month
            rf"""(?P<pair>(?<![\d/.:,])(?P<p1>0?[1-9]|[12]\d|3[01])\s?/\s?(?P<p2>0?[1-9]|[12]\d|3[01])\s+
                (?P<pm>{_MON})(?:\.|(?![a-z]))(?:,?\s*(?P<py>{_YEAR})(?![\d:]))?)""",
            # "à partir de 18.45": last, as it is rare and only a cue before it tells it from a price
            r"""(?P<dot>(?:(?<=a\s)|(?<=des\s)|(?<=vers\s)|(?<=partir\sde\s))(?P<dh>[01]?\d|2[0-3])\.(?P<dm>[0-5]\d)
                (?![\d.,]|\s?(?:€|eur)))""",
        ]
    return re.compile("|".join(branches), re.VERBOSE)


_DIGIT_ATOM_RE = _atom_regex(word_start=False)
_WORD_ATOM_RE = _atom_regex(word_start=True)

_RANGE_GAP = re.compile(
    rf"\s*(?:,?\s*(?:et\s+)?jusqu'(?:au|a)|{_alternation(fr_data.RANGE_WORDS)}|-+)\s*(?:le\s+)?", re.ASCII
)
# Two full dates alone on consecutive lines ("01/06/2021\n10/06/2021"): the days of one event.
_LINE_LIST_GAP = re.compile(r"[ \t]*\n\s*", re.ASCII)
_LIST_GAP = re.compile(rf"\s*,?\s*(?:{_alternation(fr_data.LIST_WORDS)})\s*(?:le\s+|les\s+)?", re.ASCII)
_INLINE_TIME_GAP = re.compile(r"\s*(?:,|-|a|@|des|de|\|)?\s*(?:a\s+)?", re.ASCII)
# "de 7h à à 18h": a word typed twice still links the hours.
_TIME_RANGE_GAP = re.compile(
    r"\s*(?:-+|a(?:\s+a)?|au|(?:et\s+)?jusqu'a|>|\u2192|/|et|[-|,]?\s*(?:heure\s+de\s+)?fin\s*:?)?\s*", re.ASCII
)
_BEFORE_AN_END = re.compile(r"(?:(?<![a-z])(?:a|au|jusqu'a)|-|>)\s*$")
_AND_ONLY = re.compile(r"\s*et\s*")
_TIME_SESSION_GAP = re.compile(r"\s*(?:,|et|;|puis|/)\s*(?:de\s+)?", re.ASCII)
_TIME_BEFORE_DATE_GAP = re.compile(r"\s*[-,|:]?\s*(?:le\s+|ce\s+)?", re.ASCII)


def _markers(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z])(?:{_alternation(words)})")


_DURATION_BEFORE = re.compile(
    rf"(?:{_alternation(fr_data.DURATION_WORDS)})(?:\s+(?:maximale?|minimale?|totale?|estimee|environ))?\s*:?\s*"
    r"(?:de\s+|d'\s*)?$"
)
# "une séance d'1h30": an elided "de" before an hour is a length unless a range follows ("d'11h à 12h").
_ELIDED_BEFORE = re.compile(r"(?<![a-z])d'\s*$")
_RANGE_AFTER = re.compile(r"\s*(?:-|a|au|jusqu'a)\s*\d")
_DURATION_AFTER = re.compile(r"\s+d(?:e\s+|')(?!\d|midi|minuit)[a-z]")
_CLOCK_BEFORE = re.compile(r"(?:\ba|des|de|vers)\s*$")
_DAY_INTRO = re.compile(r"(?:le|du|au)\s+$")
_SENTENCE_STOP = re.compile(r"[.!?;]\s")
_UNTIL_TIME_BEFORE = re.compile(r"(?:jusqu'(?:a|au)|avant)\s*$")
# Cheap substring tests that spare the anchored regexes below on almost every atom.
_OPEN_HINTS = re.compile(
    _alternation({_fold(w)[:4] for w in (*fr_data.OPEN_START_WORDS, *fr_data.OPEN_END_WORDS)})
)
_DURATION_HINTS = re.compile(_alternation({_fold(w)[:3] for w in fr_data.DURATION_WORDS}))
# Read on the text itself: its accent tells "débuté ce vendredi" from "débute ce vendredi".
_BEGUN_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, fr_data.BEGUN_WORDS))})\s+(?:depuis\s+)?(?:le\s+|ce\s+)?$",
    re.IGNORECASE,
)
_WHOLE_WEEKEND_AFTER = re.compile(r"[ \t,]*(?:et\s+)?(?:pendant\s+|durant\s+)?tout\s+le\s+week[ -]?end(?![a-z])")
_SINCE_BEFORE = re.compile(rf"(?<![a-z])(?:{_alternation(fr_data.SINCE_WORDS)})\s*$")
_POSTPONEMENT_HINT = re.compile(rf"(?<![a-z])(?:{_alternation(fr_data.POSTPONEMENT_WORDS)})(?![a-z])")
_POSTPONED_BEFORE = re.compile(
    rf"(?<![a-z])(?:{_alternation(fr_data.POSTPONEMENT_WORDS)})\s+(?:(?:au|a|le|pour le|jusqu'au)\s*)?(?:le\s+)?$"
)
_MOVED_FROM_BEFORE = re.compile(
    rf"(?<![a-z])(?:{_alternation(fr_data.POSTPONEMENT_WORDS)})(?![a-z])[^.;!?,\n]{{0,50}}?(?<![a-z])du\s+$"
)
_ORIGINAL_BEFORE = re.compile(
    rf"(?<![a-z])(?:{_alternation(fr_data.ORIGINAL_DATE_MARKERS)})(?![a-z])[^.;!?\n]{{0,30}}?"
    r"(?:(?<![a-z])(?:le|du|pour le|au)\s*|\s)$"
)
_THEN_AGAIN = re.compile(r"\s*,?\s*(?:et|puis)\s+(?:ensuite|de nouveau|a nouveau|encore)\s*,?\s*(?:du|le|les)\s+")
_END_LABEL_BEFORE = re.compile(r"(?<![a-z])(?:fin|date de fin)\s*:?\s*(?:le\s+)?$")
_WEEKEND_RE = re.compile(rf"(?<![a-z])(?:{_alternation(fr_data.WEEKEND_WORDS)})(?![a-z])")
_OPEN_START_BEFORE = re.compile(rf"(?:{_alternation(fr_data.OPEN_START_WORDS)})\s*(?:le\s+)?$")
_OPEN_END_BEFORE = re.compile(rf"(?:{_alternation(fr_data.OPEN_END_WORDS)})\s*(?:le\s+)?$")
_PAST_TENSE = _markers(fr_data.PAST_TENSE_MARKERS)
_FUTURE_TENSE = _markers(fr_data.FUTURE_TENSE_MARKERS)
_TENSE_REACH = 80
"""Characters around a date in which a verb's tense is taken to speak of it."""
_PUBLICATION = _markers(fr_data.PUBLICATION_MARKERS)
_WEAK = _markers(fr_data.WEAK_DATE_MARKERS)
_LEGAL_BEFORE = re.compile(
    rf"(?<![a-z])(?:(?:{_alternation(fr_data.LEGAL_REFERENCE_MARKERS)})"
    rf"|(?:{_alternation(fr_data.LEGAL_TEXT_WORDS)})\s+n\S{{0,2}}\s*[\d\-.]+\s+du)\s*$"
)
_LEGAL_HINTS = re.compile(
    _alternation({_fold(w)[:4] for w in (*fr_data.LEGAL_REFERENCE_MARKERS, *fr_data.LEGAL_TEXT_WORDS)})
)
_CONTEXT_HINTS = re.compile(
    _alternation(
        {
            _fold(w)[:4]
            for w in (
                *fr_data.OPEN_START_WORDS,
                *fr_data.OPEN_END_WORDS,
                *fr_data.DEADLINE_MARKERS,
                *fr_data.LEGAL_REFERENCE_MARKERS,
                *fr_data.LEGAL_TEXT_WORDS,
            )
        }
    )
)
_DEADLINE = re.compile(rf"(?<![a-z])(?:{_alternation(fr_data.DEADLINE_MARKERS)})[^.!?\n]{{0,24}}$")
_DEADLINE_HINTS = re.compile(_alternation({_fold(w)[:5] for w in fr_data.DEADLINE_MARKERS}))
_PAST_AFTER = re.compile(rf"\s+(?:{_alternation(fr_data.PAST_AFTER_WORDS)})(?![a-z])")
_SENTENCE_END = re.compile(r"[.!?\n]\s|\n")
_RELATIVE_RE = re.compile(
    rf"(?=[acdjlmsv])(?<![a-z])(?:{_alternation(fr_data.RELATIVE_DAY_WORDS)}"
    rf"|ce\s+(?P<cwd>{_WD})(?:\s+prochain)?|(?P<nwd>{_WD})\s+prochain)(?![a-z])"
)

_FULL_WEEKDAYS = [w for w in fr_data.WEEKDAYS if len(w) > 3]
_LONE_WEEKDAY_WORDS = frozenset(_fold(w) for w in _FULL_WEEKDAYS)
# A weekday alone ("Vendredi à 20h30", "ce samedi", "mardi dernier"): never one followed by its day
# number, which the atom scanner reads as a date.
_BARE_WEEKDAY_RE = re.compile(
    rf"(?=[cdjlmsv])(?<![a-z\-])(?:(?P<ce>ce|cette)\s+)?(?P<wd>{_alternation(_FULL_WEEKDAYS)})"
    r"(?:\s+(?:matin|soir|apres-midi|midi))?"
    rf"(?:\s+(?P<after>{_alternation(fr_data.RELATIVE_WEEKDAY_AFTER)}))?"
    r"(?![a-z\d\-])(?!\s*(?:(?:[0-2]?\d|3[01])(?![\d:h])|1er|premier))"
)
_WEEKDAY_BLOCKED = re.compile(
    rf"(?:^|[^a-z'])(?:{_alternation(fr_data.RELATIVE_WEEKDAY_BLOCKERS)})\s*$"
)
_TODAY_AND_TOMORROW = re.compile(r"\s*(?:,|et)\s*(?:apres-)?demain")
_UNTIL_BEFORE = re.compile(r"jusqu'(?:a|au)\s*$")
_FROM_BEFORE = re.compile(r"(?:a\s+partir\s+de|des)\s+$")
_AFTER_RELATIVE_WORD = re.compile(
    rf"(?<![a-z])(?:{_alternation((*fr_data.RELATIVE_DAY_WORDS, *fr_data.RELATIVE_DAYS))})\s*,?\s*$"
)
_WEEKDAY_CHAIN_GAP = re.compile(r"\s*(?:,|et|jusqu'(?:a|au)|au|a|-)\s*(?:,?\s*(?:et\s+)?jusqu'(?:a|au)\s*)?$")
_RELATIVE_DAY_RE = re.compile(rf"(?<![a-z\-])(?P<rd>{_alternation(fr_data.RELATIVE_DAYS)})(?![a-z\-])")
_PAST_AUX = re.compile(
    rf"(?<![a-z'])(?:(?:{_alternation(fr_data.PAST_AUXILIARIES)})\s+(?:(?:deja|bien|aussi|ainsi|pu)\s+)?"
    r"|s'est\s+|se\s+sont\s+)(?P<pp>[a-z]+)(?![a-z])"
)
_PAST_PARTICIPLES = frozenset(_fold(w) for w in fr_data.PAST_PARTICIPLES)
_PAST_WORDS = _markers(fr_data.PAST_TENSE_WORDS)
# The reporting phrases and the simple past's words in one search; a word ends where its letters do
# ("fut", not "futur").
_PAST_TENSE_OR_WORD = re.compile(
    rf"(?<![a-z])(?:{_alternation(fr_data.PAST_TENSE_MARKERS)}|(?:{_alternation(fr_data.PAST_TENSE_WORDS)})(?![a-z]))"
)
# A verb in the simple future or the near future ("va se transformer", "accueillera").
_FUTURE_VERB = re.compile(r"\b(?:va|vont|allons)\s+\w+|\b\w{3,}(?:era|eront|erons|ira|iront|ra|ront)\b")
_PAST_HINTS = ("a ", "ont ", "avai", "etai", "s'est", "se sont", "fut", "furent", "hier")
_PAST_HINT_RE = re.compile("|".join(map(re.escape, _PAST_HINTS)))  # one search, not nine `in` tests
# The same on the text itself, where "à 13h" is no "a": the folded "a " is in most French hours.
_PAST_HINT_TEXT = re.compile("|".join(map(re.escape, (*_PAST_HINTS, "étai", "s’est"))), re.IGNORECASE)
_PAST_NEAR = 40
"""Characters around a year-less date in which any passé composé speaks of it ("a été dévoilée le 14 juin")."""

# Atoms only start on a digit or on one of these words: trying the scanner only there is
# several times faster than letting it try every character.
_START_WORDS = [*fr_data.WEEKDAYS, *fr_data.MONTHS, *fr_data.TIME_WORDS, *fr_data.FIRST_DAY_WORDS, *fr_data.DAY_WORDS, "de", "entre"]
# The lookahead on the words' first letters lets the engine pass over most positions
# before it tries the lookbehind and the word list.
_START_RE = re.compile(
    r"[0-9](?<![0-9][0-9])|(?=["
    + "".join(sorted({_fold(w)[0] for w in _START_WORDS}))
    + r"])(?<![a-z])(?:"
    + _alternation(_START_WORDS)
    + r")(?![a-z])"
)

_FAR_TIME_WINDOW = 480
"""Farthest the only hours of a text may sit after its only day."""
_CLOCK_BEFORE_FAR = re.compile(r"(?:\ba|\bdes|\bde|\bvers|partir de|entre)\s*$")
_TIME_WINDOW = 160
"""Farthest a time may sit after its date ("Le 4 novembre en visio / <title> / De 9h à 12h30")."""


# --- atoms --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Atom:
    kind: str  # "date" (day+month), "part" (day only), "month", "time", "open" ("de 10 à")
    start: int
    end: int
    day: int = 0
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    clock: time | None = None
    exact: tuple[date, time] | None = None  # ISO datetime already converted to the target zone
    text_year: bool = False


# Every token the day patterns match ("1er", "07", "31"), looked up rather than converted atom by atom.
_DAY_VALUES: dict[str, int] = {
    **{w: 1 for w in _FIRST_WORDS},
    **{_fold(w): d for w, d in fr_data.DAY_WORDS.items()},
    **{str(d): d for d in range(1, 32)},
    **{f"0{d}": d for d in range(1, 10)},
}
# Clock times are shared: `time` is immutable and building one costs more than finding it.
_CLOCKS = [[time(h, mi) for mi in range(60)] for h in range(24)]


def _two_digit_year(token: str) -> int:
    return int(token) if len(token) == 4 else 2000 + int(token)


def _scan(
    folded: str, tz: ZoneInfo, lone_weekdays: list[int] | None = None, weekday_parts: list[int] | None = None
) -> list[_Atom]:
    """Atoms of `folded`, in order; the offsets of full weekday names that start no atom
    ("Vendredi à 20h30") are appended to `lone_weekdays`, those of a weekday with a day number
    and no month ("dimanche 23") to `weekday_parts`, when they are given."""
    atoms: list[_Atom] = []
    digit, word, next_start = _DIGIT_ATOM_RE.match, _WORD_ATOM_RE.match, _START_RE.search
    # The next start is searched from the end of the atom, so that the engine passes over the
    # numbers and words inside it ("14", "novembre", "2023" of "Mardi 14 novembre 2023") instead of
    # handing each back to be skipped. The starts found are the same: start words are letters only
    # and no atom ends between two letters, so none straddles an atom's end.
    cand = next_start(folded)
    while cand is not None:
        s = cand.start()
        m = (digit if folded[s].isdigit() else word)(folded, s)
        if m is None:
            if lone_weekdays is not None and cand.group() in _LONE_WEEKDAY_WORDS:
                lone_weekdays.append(s)
            cand = next_start(folded, cand.end())
            continue
        e = m.end()
        cand = next_start(folded, e)
        kind = m.lastgroup
        if kind == "iso":
            d = int(m["id"])
            mo, y = int(m["im"]), int(m["iy"])
            if not _valid(y, mo, d):
                continue
            atom = _Atom("date", s, e, d, mo, y, text_year=True)
            if m["ih"] is not None:
                clock = time(int(m["ih"]), int(m["imi"]))
                if m["iz"]:
                    aware = datetime.combine(date(y, mo, d), clock, _offset(m["iz"])).astimezone(tz)
                    atom.exact = (aware.date(), aware.time().replace(tzinfo=None))
                else:
                    atom.exact = (date(y, mo, d), clock)
            atoms.append(atom)
        elif kind == "num":
            for k in "123456":
                if m["nm" + k] is not None:
                    mo = int(m["nm" + k])
                    ytok = m["ny" + k] if k in "1236" else None
                    break
            year = _two_digit_year(ytok) if ytok else None
            wd = _WEEKDAY_NUM[m["nwd"]] if m["nwd"] else None
            if (
                ytok is None
                and wd is None
                and (len(m["nd"]) == 1 or k == "5")
                and not _DAY_INTRO.search(folded, max(0, s - 4), s)
            ):
                continue  # "5/12" alone is as often a ratio as a date, "12.10" a price
            atoms.append(
                _Atom(
                    "date",
                    s if wd is not None else m.start("nd"),
                    e,
                    int(m["nd"]),
                    mo,
                    year,
                    wd,
                    text_year=year is not None,
                )
            )
        elif kind == "txt":
            td, tm, ty, twd = m.group("td", "tm", "ty", "twd")
            year = int(ty) if ty else None
            atoms.append(
                _Atom(
                    "date",
                    s,
                    e,
                    _DAY_VALUES[td],
                    _MONTH_NUM[tm],
                    year,
                    _WEEKDAY_NUM[twd] if twd else None,
                    text_year=year is not None,
                )
            )
        elif kind == "my":
            atoms.append(_Atom("month", s, e, 1, _MONTH_NUM[m["mym"]], int(m["myy"]), text_year=True))
        elif kind == "open":
            atoms.append(_Atom("open", s, e, clock=time(int(m["oh"]))))
        elif kind == "pair":
            year = int(m["py"]) if m["py"] else None
            atoms.append(_Atom("part", s, m.end("p1"), int(m["p1"])))
            atoms.append(_Atom("date", m.start("p2"), e, int(m["p2"]), _MONTH_NUM[m["pm"]], year,
                               text_year=year is not None))
        elif kind == "dot":  # "à partir de 18.45"
            atoms.append(_Atom("time", s, e, clock=_CLOCKS[int(m["dh"])][int(m["dm"])]))
        elif kind in ("hm", "clk", "tw"):
            # The 24 characters before the time; neither pattern looks behind its window or needs \b.
            lo = s - 24 if s > 24 else 0
            if _DURATION_HINTS.search(folded, lo, s) and _DURATION_BEFORE.search(folded, lo, s):
                continue
            if kind == "hm":
                hh, hmi = m.group("hh", "hmi")
                h, mi = int(hh), int(hmi or 0)
            elif kind == "clk":
                h, mi = int(m["ch"]), int(m["cm"])
                if m["ap"] is not None and h <= 12:  # widgets set to English, "2:00 PM"
                    h = h % 12 + (12 if m["ap"] == "pm" else 0)
            else:
                h, mi = _TIME_WORD[m["tww"]]
            if (
                folded.find("d'", s - 3 if s > 3 else 0, s) >= 0  # rare: spares the regex on most times
                and _ELIDED_BEFORE.search(folded, max(0, s - 3), s)
                and not _RANGE_AFTER.match(folded, e)
            ):
                continue
            if _DURATION_AFTER.match(folded, e) and (
                (h <= 6 and mi == 0) or not _CLOCK_BEFORE.search(folded, max(0, s - 6), s)
            ):
                continue  # "2h de formation"
            if h == 24:
                if mi or not _BEFORE_AN_END.search(folded, max(0, s - 10), s):
                    continue  # "24H pour l'emploi": midnight only ends something ("de 20h à 24h")
                h = 0
            atoms.append(_Atom("time", s, e, clock=_CLOCKS[h][mi]))
        elif kind == "part":
            pd, pwd = m.group("pd", "pwd")
            wd = _WEEKDAY_NUM[pwd] if pwd else None
            atoms.append(_Atom("part", s, e, _DAY_VALUES[pd], weekday=wd))
            if wd is not None and weekday_parts is not None:
                weekday_parts.append(s)
    return atoms


_OFFSETS: dict[str, timezone] = {"z": UTC}


def _offset(token: str) -> timezone:
    zone = _OFFSETS.get(token)
    if zone is None:
        sign = -1 if token[0] == "-" else 1
        digits = token[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        if len(_OFFSETS) < 256:  # a handful of offsets exist; keep the cache bounded anyway
            _OFFSETS[token] = zone
    return zone


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


# --- grouping -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    elements: list[_Atom]
    list_like: bool = False
    inline_times: dict[int, time] = field(default_factory=dict)  # element index -> its own time
    inline_ends: dict[int, time] = field(default_factory=dict)  # element index -> its own end, in a list
    times: list[tuple[_Atom, str]] = field(default_factory=list)  # trailing times + link kind
    end: int = 0


def _gap(folded: str, a: _Atom, b: _Atom, pattern: re.Pattern[str]) -> bool:
    return a.end <= b.start and pattern.fullmatch(folded, a.end, b.start) is not None


def _group(folded: str, atoms: list[_Atom]) -> list[_Group]:
    if len(atoms) == 1 and atoms[0].kind == "date":  # "Jeudi 16 novembre 2023" alone: nothing to join
        return [_Group(atoms[:], end=atoms[0].end)]
    groups: list[_Group] = []
    i, n = 0, len(atoms)
    # Atoms after the last day can only end a group ("… 2023 | 9h - 12h"): no need to try them.
    last_day = n - 1
    while last_day >= 0 and atoms[last_day].kind not in ("date", "part"):
        last_day -= 1
    while i < n:
        first = atoms[i]
        if first.kind == "month":
            groups.append(_Group([first], end=first.end))
            i += 1
            continue
        if first.kind not in ("date", "part"):
            i += 1
            continue
        elements = [first]
        inline: dict[int, time] = {}
        inline_ends: dict[int, time] = {}
        list_like = False
        j = i + 1
        while j <= last_day:
            prev, nxt = elements[-1], atoms[j]
            if nxt.kind in ("date", "part"):
                if _gap(folded, prev, nxt, _RANGE_GAP):
                    elements.append(nxt)
                    j += 1
                    continue
                if _gap(folded, prev, nxt, _LIST_GAP) or (
                    prev.text_year and nxt.text_year and _gap(folded, prev, nxt, _LINE_LIST_GAP)
                    # each alone on its line: "…, 29 juin 2023\n3 juil. 2023" is a title's day, then the page's
                    and _ITEM_BEFORE.fullmatch(folded, folded.rfind("\n", 0, prev.start) + 1, prev.start)
                    # "Publié le 1 octobre 2025" above the event's day is not one of its days
                    and not _PUBLICATION.search(folded, folded.rfind("\n", 0, prev.start) + 1, prev.start)
                    and not _WEAK.search(folded, folded.rfind("\n", 0, prev.start) + 1, prev.start)
                ):
                    list_like = True
                    elements.append(nxt)
                    j += 1
                    continue
            # "du 15 novembre à 9h au 19 novembre à 17h", "le 14 de 9h à 12h et le 15 de 14h à 17h":
            # the times between two days belong to the first; the days still make one span.
            if nxt.kind in ("time", "open") and _gap(folded, prev, nxt, _INLINE_TIME_GAP):
                k = j
                while (
                    k + 1 < n
                    and atoms[k + 1].kind == "time"
                    and (
                        (atoms[k].kind == "open" and atoms[k].end == atoms[k + 1].start)
                        or (atoms[k].kind == "time" and _gap(folded, atoms[k], atoms[k + 1], _TIME_RANGE_GAP))
                    )
                ):
                    k += 1
                if k + 1 < n and atoms[k + 1].kind in ("date", "part") and atoms[k].kind == "time":
                    following = atoms[k + 1]
                    is_range = _gap(folded, atoms[k], following, _RANGE_GAP)
                    if is_range or _gap(folded, atoms[k], following, _LIST_GAP):
                        list_like = list_like or not is_range
                        inline[len(elements) - 1] = nxt.clock  # type: ignore[assignment]
                        if k > j and not is_range and not _AND_ONLY.fullmatch(folded, atoms[k - 1].end, atoms[k].start):
                            # "le 14 de 9h à 12h et le 15 …": that day's end ("à 16h et 20h30": two sessions)
                            inline_ends[len(elements) - 1] = atoms[k].clock  # type: ignore[assignment]
                        elements.append(following)
                        j = k + 2
                        continue
            break
        # Only elements up to the last one with a month make a date ("du 15 novembre au 19" ends at 15).
        last_full = len(elements) - 1
        while last_full >= 0 and elements[last_full].kind != "date":
            last_full -= 1
        if last_full < 0:
            i = max(i + 1, j)  # any later start would run to the same end: keep the scan linear
            continue
        elements = elements[: last_full + 1]
        if inline:
            inline = {k: v for k, v in inline.items() if k < last_full}
        consumed = i + 1 if last_full == 0 else atoms.index(elements[-1], i) + 1
        groups.append(_Group(elements, list_like, inline, end=elements[-1].end, inline_ends=inline_ends))
        i = consumed
    return groups


_RELATIVE_DAY_BETWEEN = re.compile(r"(?<![a-z])(?:demain|aujourd'hui|hier)(?![a-z])")


def _other_weekday_between(folded: str, g: _Group, end: int) -> bool:
    """"samedi 7 avril … Ce vendredi, … dès 14 heures": an hour after another day named alone is
    that day's."""
    if _RELATIVE_DAY_BETWEEN.search(folded, g.end, end):
        return True  # "14 mai … ouvrir ses portes demain, mercredi à partir de 18 heures"
    return g.end < end and any(
        _WEEKDAY_NUM[w["wd"]] != g.elements[0].weekday
        and (w["ce"] or folded[max(0, w.start() - 2) : w.start()] in (". ", "\n"))  # not "du mardi au samedi"
        for w in _BARE_WEEKDAY_RE.finditer(folded, g.end, end)
    )


def _range_of(folded: str, a: _Atom, b: _Atom) -> bool:
    """Do clock atoms `a` then `b` make a start and its end ("de 10 à 12h", "10h - 12h")?"""
    if a.kind == "open":
        return b.start == a.end
    return _gap(folded, a, b, _TIME_RANGE_GAP)


def _attach_times(folded: str, atoms: list[_Atom], groups: list[_Group]) -> None:
    clocks = [a for a in atoms if a.kind in ("time", "open")]
    if not clocks:
        return
    clock_starts = [a.start for a in clocks]
    used: set[int] = set()
    last = len(groups) - 1
    for gi, g in enumerate(groups):
        if g.elements[0].kind == "month":
            continue
        lo = bisect_left(clock_starts, g.end)
        hi = bisect_left(clock_starts, groups[gi + 1].elements[0].start) if gi < last else len(clocks)
        candidates = [a for a in clocks[lo:hi] if id(a) not in used] if used else clocks[lo:hi]
        chain: list[tuple[_Atom, str]] = []
        if candidates and candidates[0].start - g.end <= _TIME_WINDOW and not (
            # no day's name fits in a short gap ("… 2021 | 19h"); every weekday's name holds "di"
            candidates[0].start - g.end > 5
            and (folded.find("di", g.end, candidates[0].start) >= 0 or folded.find("demain", g.end, candidates[0].start) >= 0
             or folded.find("aujourd", g.end, candidates[0].start) >= 0
             or folded.find("hier", g.end, candidates[0].start) >= 0)
            and (
                # "du 1er juillet au 31 août, visites les vendredis à 10h": a habit's hour, given
                # to the days on its weekday only (_habitual_hours); "mardi 21 avril … le mardi …
                # entre 16h et 17h30" is that day's
                any(
                    _WEEKDAY_NUM[h["wd"]] != g.elements[0].weekday
                    for h in _HABIT_RE.finditer(folded, g.end, candidates[0].start)
                )
                or _other_weekday_between(folded, g, candidates[0].start)
            )
        ):
            first = candidates[0]
            lo_until = max(0, first.start - 10)
            if not (
                # "jusqu'à"/"avant" are rare: two substring tests spare the regex on most times
                (
                    folded.find("jusqu'", lo_until, first.start) >= 0
                    or folded.find("avant", lo_until, first.start) >= 0
                )
                and _UNTIL_TIME_BEFORE.search(folded, lo_until, first.start)
            ):
                chain.append((first, "start"))
                for nxt in candidates[1:]:
                    prev = chain[-1][0]
                    if _range_of(folded, prev, nxt):
                        chain.append((nxt, "range"))
                    elif _gap(folded, prev, nxt, _TIME_SESSION_GAP):
                        chain.append((nxt, "session"))
                    else:
                        break
        if (
            chain
            and gi + 1 < len(groups)
            and _SENTENCE_STOP.search(folded, g.end, chain[0][0].start)
            and _gap(folded, chain[-1][0], groups[gi + 1].elements[0], _TIME_BEFORE_DATE_GAP)
        ):
            chain = []  # "... Inscription avant 12h le 2 novembre": the time belongs to the next date
        if not chain:
            # "de 9h à 12h le 4 novembre", "18h30 - Jeudi 16 novembre"
            lo = bisect_left(clock_starts, groups[gi - 1].end) if gi else 0
            hi = bisect_left(clock_starts, g.elements[0].start)
            before = [a for a in clocks[lo:hi] if id(a) not in used and a.end <= g.elements[0].start]
            if (
                before
                and before[-1].kind == "time"
                and _gap(folded, before[-1], g.elements[0], _TIME_BEFORE_DATE_GAP)
            ):
                k = len(before) - 1
                while k > 0 and _range_of(folded, before[k - 1], before[k]):
                    k -= 1
                chain = [(a, "start" if n == 0 else "range") for n, a in enumerate(before[k:])]
        for a, _ in chain:
            used.add(id(a))
        g.times = chain
    dated = groups if len(groups) == 1 else [g for g in groups if g.elements[0].kind != "month"]
    if len(dated) == 1 and not dated[0].times and not dated[0].inline_times and dated[0].elements[0].kind != "month":
        # One day in the whole text, its hours further on ("dimanche 3 juin … Rendez-vous à
        # partir de 9 heures"): they are that day's when they are the text's only hours.
        g = dated[0]
        later = [a for a in clocks if a.start >= g.end and id(a) not in used]
        if (
            later and later[0].start - g.end <= _FAR_TIME_WINDOW
            and _CLOCK_BEFORE_FAR.search(folded, max(0, later[0].start - 12), later[0].start)
            and not _other_weekday_between(folded, g, later[0].start)
            and not (folded.find("di", g.end, later[0].start) >= 0 and _HABIT_RE.search(folded, g.end, later[0].start))
        ):
            chain = [(later[0], "start")]
            for nxt in later[1:]:
                prev = chain[-1][0]
                if _range_of(folded, prev, nxt):
                    chain.append((nxt, "range"))
                else:
                    break
            # the text's only hours, or a "de 10 h à 18 h" that opens them (other slots follow)
            if chain[0][0].kind == "time" and (len(chain) == len(later) or len(chain) == 2):
                g.times = chain


# --- years, weekdays ----------------------------------------------------------------------------


def _fill_months(elements: list[_Atom]) -> list[tuple[int, int]] | None:
    """(month, day) for every element; a bare day takes the month of the next full date."""
    out: list[tuple[int, int]] = [(0, 0)] * len(elements)
    month = None
    nxt_md: tuple[int, int] | None = None
    for k in range(len(elements) - 1, -1, -1):
        el = elements[k]
        if el.month is not None:
            month = el.month
            md = (el.month, el.day)
        else:
            assert month is not None and nxt_md is not None
            m = month
            if el.day > nxt_md[1] and nxt_md[0] == month:
                m = 12 if month == 1 else month - 1  # "du 30 au 2 décembre"
            md = (m, el.day)
            month = m
        out[k] = md
        nxt_md = md
    return out


def _year_offsets(mds: list[tuple[int, int]]) -> list[int]:
    offsets = [0] * len(mds)
    for k in range(len(mds) - 2, -1, -1):
        offsets[k] = offsets[k + 1] - (1 if mds[k] > mds[k + 1] else 0)
    return offsets


def _dates_for(
    anchor_year: int, mds: list[tuple[int, int]], offsets: list[int], explicit: list[int | None]
) -> list[date] | None:
    out = []
    for (m, d), off, y in zip(mds, offsets, explicit):
        try:  # one date built, not one to check and one to keep (as _valid would)
            out.append(date(y if y is not None else anchor_year + off, m, d))
        except ValueError:
            return None
    return out


def _is_past_tense(folded: str, start: int, end: int, text: str = "") -> bool:
    """A past-tense verb near the date, in its sentence, and no future-tense one there: one of the
    reporting phrases of fr_data, a simple past ("fut"), or any passé composé within a few words
    of the date; with a future elsewhere in the sentence, a passé composé right before the date
    still sets its clause's tense ("une première s'est tenue le 29 mars …, une seconde est
    prévue …")."""
    reach_lo, reach_hi = max(0, start - _TENSE_REACH), end + _TENSE_REACH
    if _PAST_TENSE_OR_WORD.search(folded, reach_lo, reach_hi) is None and (
        not text or _PAST_HINT_TEXT.search(text, reach_lo, reach_hi) is None
    ):
        return False  # nothing of the past within reach: the sentence's bounds are not needed
    left, right = _sentence_bounds(folded, start, end, _TENSE_REACH)
    lo = max(left, start - _PAST_NEAR)
    if (
        _PAST_TENSE_OR_WORD.search(folded, left, right) is None
        and not (text and _passe_compose(text, folded, lo, min(right, end + _PAST_NEAR)))
    ):
        return False  # most dates: nothing of the past around them
    if _FUTURE_TENSE.search(folded, left, right) is None:
        return True
    return bool(text) and _passe_compose(text, folded, lo, start) and _FUTURE_TENSE.search(folded, lo, start) is None


def _passe_compose(text: str, folded: str, lo: int, hi: int) -> bool:
    """A verb in the passé composé (or "fut") in folded[lo:hi]: "a organisé", "ont été accueillis",
    "s'est réuni". The accent of the participle is read on `text` ("a côté" is not "à côté")."""
    if _PAST_HINT_RE.search(folded, lo, hi) is None or _PAST_HINT_TEXT.search(text, lo, hi) is None:
        return False  # most windows hold no auxiliary at all; "à 13h" holds none either
    if _PAST_WORDS.search(folded, lo, hi):
        return True
    for m in _PAST_AUX.finditer(folded, lo, hi):
        if text[m.start()] == "à" or m.end() > hi:
            continue
        if m.group(0).startswith(("s'est", "se")):
            return True
        pp_text = text[m.start("pp") : m.end("pp")].lower()
        if pp_text.endswith(("é", "ée", "és", "ées")) or m["pp"] in _PAST_PARTICIPLES:
            return True
    return False


def _sentence_bounds(
    folded: str, start: int, end: int, reach: int, stop: re.Pattern[str] = _SENTENCE_END
) -> tuple[int, int]:
    """(left, right) of the sentence around folded[start:end], `reach` characters at most each
    side; `stop` says where sentences (or clauses) end."""
    lo = max(0, start - reach)
    left = lo
    for m in stop.finditer(folded, lo, start):  # the last stop's end: matches come in order
        left = m.end()
    hi = min(len(folded), end + reach)
    right_match = stop.search(folded, max(start, end - 1), hi)  # "le 14 juin." holds its stop
    return left, right_match.start() if right_match else hi


def _is_past_sentence(text: str, folded: str, start: int, end: int) -> bool:
    """The sentence around folded[start:end] speaks of the past and not of the future; a sentence
    with no tense of its own takes that of its paragraph ("On a connu mieux. Mais samedi, …")."""
    left, right = _sentence_bounds(folded, start, end, 200)
    if _FUTURE_TENSE.search(folded, left, right) is not None:
        return False
    if _PAST_TENSE.search(folded, left, right) is not None or _passe_compose(text, folded, left, right):
        return True
    top = folded.rfind("\n", 0, start) + 1
    bottom = folded.find("\n", end)
    bottom = len(folded) if bottom < 0 else bottom
    if _FUTURE_TENSE.search(folded, top, bottom) is not None or _FUTURE_VERB.search(text, top, bottom):
        return False
    if _PAST_TENSE.search(folded, top, bottom) is not None or _passe_compose(text, folded, top, bottom):
        return True
    if top > 0 or bottom == len(folded):
        return False
    # A headline ("Jeu de piste géant ce jeudi à Mamoudzou") takes the tense of the text under it.
    below = min(len(folded), bottom + 300)
    if _FUTURE_TENSE.search(folded, bottom, below) is not None or _FUTURE_VERB.search(text, bottom, below):
        return False
    return _PAST_TENSE.search(folded, bottom, below) is not None or _passe_compose(text, folded, bottom, below)


def _resolve(
    group: _Group, folded: str, reference: date, precision: str = "day", text: str = "", begins: bool = True
) -> tuple[date, date, list[str]] | None:
    """(first day, last day, flags) of `group`; `begins` says the text may hold "commencé" or
    "depuis" (when False, the look for them is spared)."""
    els = group.elements
    y, mo = els[0].year, els[0].month
    if len(els) == 1 and y is not None and mo is not None:
        # The common case, "Jeudi 16 novembre 2023": nothing to infer.
        el = els[0]
        try:
            day = date(y, mo, el.day)
        except ValueError:
            return None
        if el.weekday is not None and el.weekday != day.weekday():
            return day, day, ["weekday_mismatch"]
        return day, day, []
    flags: list[str] = []
    mds = _fill_months(els)
    if mds is None:
        return None
    offsets = _year_offsets(mds)
    explicit = [el.year if el.text_year else None for el in els]
    weekdays = [el.weekday for el in els]
    # Most spans name no weekday: the weekday tests below are then skipped.
    has_weekday = weekdays.count(None) < len(weekdays)
    known = [(k, y) for k, y in enumerate(explicit) if y is not None]
    if known:
        k, y = known[-1]
        anchor = y - offsets[k]
        days = _dates_for(anchor, mds, offsets, explicit)
        if days is None:
            return None
    else:
        flags.append("year_guessed")
        # "commencé le 10 octobre": the first day of an event still going on, so not ahead
        lo = max(0, els[0].start - 24)
        begun = begins and _BEGUN_BEFORE.search(text, lo, els[0].start) is not None
        # "depuis le 10 octobre" said on the 15th is five days ago, "depuis le 5 novembre et
        # jusqu'au 26" said on 2 October is to come: the nearest one
        since = begins and _SINCE_BEFORE.search(folded, max(0, els[0].start - 16), els[0].start) is not None
        past = begun or _PAST_AFTER.match(folded, group.end) is not None or _is_past_tense(
            folded, els[0].start, group.end, text
        )
        if past and _POSTPONED_BEFORE.search(folded, max(0, els[0].start - 40), els[0].start):
            past = False  # "a été reportée au 17 octobre": the new date lies ahead
        if past and not begun:
            flags.append("past_tense")
        options = []
        # A written "29 février" may wait up to four years for its leap year; nothing else may.
        leap_day = any(el.month == 2 and el.day == 29 for el in els)
        for y in range(reference.year - 1, reference.year + (5 if leap_day else 2)):
            days = _dates_for(y, mds, offsets, explicit)
            if days is not None:
                options.append(days)
        if precision == "year":
            # Only the page's year is known: a year-less date falls in it, unless its weekday
            # fits only the year before or after ("jeudi 8 décembre" on a page of 2017 is 2016).
            same_year = [o for o in options if o[0].year == reference.year]
            fitting = [
                o for o in options if all(w is None or w == d.weekday() for w, d in zip(weekdays, o))
            ]
            if same_year and fitting and not any(o in fitting for o in same_year):
                options = sorted(fitting, key=lambda o: abs(o[0].year - reference.year))[:1]
            else:
                options = same_year or options
        if not options:
            return None
        if precision == "year":
            days = options[0]
        elif has_weekday and (
            # A weekday picks a year only near the reference: farther away, the day or the weekday is a typo.
            agreeing := [
                o
                for o in options
                if abs(o[-1].year - reference.year) <= 1
                and all(w is None or w == d.weekday() for w, d in zip(weekdays, o))
            ]
        ):
            # A weekday names one year; prefer the one closest to the reference, the future side first.
            def cost(o: list[date]) -> int:
                lead = (o[0] - reference).days if past else (o[-1] - reference).days
                if past:
                    return -lead if lead <= 0 else lead * 4
                return lead if lead >= 0 else -lead * 4

            days = min(agreeing, key=cost)
        else:
            # A reference known to its month only: any day of that month is "now".
            first = reference.replace(day=1) if precision == "month" else reference
            last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1) if precision == "month" else reference
            if since and not past:
                days = min(options, key=lambda o: abs((o[0] - reference).days))
            elif past:
                before = [o for o in options if o[0] <= last]
                days = before[-1] if before else options[0]
            else:
                after = [o for o in options if o[-1] >= first]
                days = after[0] if after else options[-1]
    if has_weekday and any(w is not None and w != d.weekday() for w, d in zip(weekdays, days)):
        flags.append("weekday_mismatch")
    if days[-1] < days[0]:
        return None
    return days[0], days[-1], flags


# --- public API ---------------------------------------------------------------------------------


_ZONES: dict[str, ZoneInfo] = {}


def _zone(tz: ZoneInfo | str) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    if isinstance(tz, str) and tz:
        zone = _ZONES.get(tz)
        if zone is None:
            try:
                zone = _ZONES[tz] = ZoneInfo(tz)
            except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
                raise ValueError(f"unknown time zone {tz!r}") from exc
        return zone
    raise ValueError(f"tz must be a ZoneInfo or an IANA zone name, not {tz!r}")


def _check_call(text: object, reference: object) -> None:
    if not isinstance(text, str):
        raise ValueError(f"text must be str, not {type(text).__name__}")  # noqa: TRY004 (contract: ValueError)
    if not isinstance(reference, date) or isinstance(reference, datetime):
        raise ValueError("reference must be a datetime.date")  # noqa: TRY004


def find_dates(
    text: str, *, reference: date, tz: ZoneInfo | str = "Europe/Paris", precision: str = "day"
) -> list[DateMention]:
    """Every date expression of `text`, in order, as `DateMention`s.

    `reference` is the best dated context of the page (see `page_reference_date`): year-less
    dates take the nearest year at or after it, unless a weekday or a past tense says otherwise.
    `precision` says how much of `reference` is known (see `PRECISIONS` and `parse_reference`):
    with "year", a year-less date falls in the reference's year and relative days ("demain")
    are not resolved. Times are wall-clock times in `tz` (ISO datetimes with another offset are
    converted to it). Returns [] when the text holds no date.
    """
    _check_call(text, reference)
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    return _find_dates(text, _fold(text), reference, _zone(tz), precision=precision)


def parse_reference(value: str) -> tuple[date, str]:
    """A reference written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` -> (day, precision).

    A year stands for its 1 July and a month for its 15th, the middle of what is known.
    Raises ValueError for anything else.
    """
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*", value or "")
    if match is None:
        raise ValueError(f"{value!r} is not a reference in YYYY, YYYY-MM or YYYY-MM-DD form")
    year, month, day = match.groups()
    if day is not None:
        return date(int(year), int(month), int(day)), "day"
    if month is not None:
        return date(int(year), int(month), 15), "month"
    return date(int(year), 7, 1), "year"


# The words that call for the rarer rules of _find_dates: year headings and years in words, weekly
# series, relative days, "hier" and "week-end". Most texts hold none, and one scan for them all
# costs less than the dozen substring tests it spares.
_RARE_CUES = re.compile(r"\n|l'an |di d|dis d|che d|ches d|aujourd|demain|prochain|ce |cet |hier|week")
_RARER_CUES = re.compile(
    r"occasion|cadre d|agenda|autour|commen|debut|demarr|depuis|ete 2|mne 2|mps 2|jours|tout le week"
    r"|lendemain|anniversaire|commemor|ceremonie|fete|journees|sylvestre"
)


# Flags of a date that dates no event day: the page's, a deadline, a law, a bare month.
_NOT_AN_EVENT_DAY = frozenset({"publication", "deadline", "legal_reference", "month_only"})
# Mentions a plain one outranks: their tense need not be read.
_NOT_A_CANDIDATE = _NOT_AN_EVENT_DAY | {"original_date", "frame", "past_tense"}
# Dates whose year or day was inferred already had their tense read.
_INFERRED_FLAGS = frozenset({"year_guessed", "past_tense", "relative", "dateparser", "month_only", "named_day"})


# Words glued by a page's layout: "octobre21hEspace", "13 h-18hSamedi", "14h18h".
_GLUED_TIME = re.compile(
    r"(?<![\d:.])(?P<hh>[01]?\d|2[0-3])\s?h(?P<mi>[0-5]\d)?(?=[A-ZÀ-Ý]|(?:[01]?\d|2[0-4])h)"
)


_GLUED_HINT = re.compile(r"\dh(?:\d\d)?[A-ZÀ-Ý]|\dh\d\d?h|\d h[A-ZÀ-Ý]")  # a cheaper first look


def _with_glued_times(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """`atoms` with the clock times the scanner passed over because a word is glued to them."""
    glued = [
        _Atom("time", m.start(), m.end(), clock=_CLOCKS[int(m["hh"])][int(m["mi"] or 0)])
        for m in _GLUED_TIME.finditer(text)
        if not any(a.start <= m.start() < a.end for a in atoms)
    ]
    return sorted([*atoms, *glued], key=lambda a: a.start) if glued else atoms


def _find_dates(
    text: str, folded: str, reference: date, zone: ZoneInfo, *, relative: bool = True, precision: str = "day"
) -> list[DateMention]:
    lone_weekdays: list[int] = []
    weekday_parts: list[int] = []
    atoms = _scan(folded, zone, lone_weekdays, weekday_parts)
    if _GLUED_HINT.search(text):
        atoms = _with_glued_times(text, atoms)
    groups = _group(folded, atoms)
    _attach_times(folded, atoms, groups)
    cued = _RARE_CUES.search(folded) is not None
    # One search for the words of the rarer rules below; most texts hold none of them.
    rare = _RARER_CUES.search(folded) is not None
    framed = rare and ("occasion" in folded or "cadre d" in folded or "agenda" in folded or "autour" in folded)
    begins = rare and ("commen" in folded or "debut" in folded or "demarr" in folded or "depuis" in folded)
    headings = _year_headings(folded) if cued and "\n" in folded else []
    if cued and "l'an " in folded:
        headings = sorted([*headings, *_years_in_words(folded)])
    seasons = _season_years(folded) if rare and ("ete 2" in folded or "mne 2" in folded or "mps 2" in folded) else []
    if headings or seasons:
        mentions = []
        for g in groups:
            year = next((y for at, y in reversed(headings) if at < g.elements[0].start), None)
            first = g.elements[0]
            month = next((el.month for el in g.elements if el.month is not None), None)
            if seasons and month is not None and not any(el.text_year for el in g.elements):
                year = next((y for at, y, months in reversed(seasons)
                             if at < first.start <= at + 400 and month in months), year)
            ref, prec = (date(year, 7, 1), "year") if year is not None else (reference, precision)
            if (m := _mention(g, text, folded, ref, prec, framed, begins)) is not None:
                mentions.append(m)
    else:
        mentions = [
            m for g in groups if (m := _mention(g, text, folded, reference, precision, framed, begins)) is not None
        ]
    if (
        # an `or` of substring tests: a generator over the cues costs more than all four
        cued
        and ("di d" in folded or "dis d" in folded or "che d" in folded or "ches d" in folded)
        and (weekly := _weekly_in_month(text, folded, reference, precision))
    ):
        mentions = sorted(
            [*(m for m in mentions if not any(w.span[0] < m.span[1] and m.span[0] < w.span[1] for w in weekly)),
             *weekly],
            key=lambda m: m.span[0],
        )
    if weekday_parts and precision != "year":
        mentions += _monthless_days(text, folded, atoms, groups, reference)
        mentions.sort(key=lambda m: m.span[0])
    if relative and precision == "day":
        extra: list[DateMention] = []
        if (
            # substring tests: several times cheaper than one regex over the text
            cued
            and ("aujourd" in folded or "demain" in folded or "prochain" in folded or "ce " in folded or "cet " in folded)
            and _RELATIVE_RE.search(folded)
        ):
            extra = _relative_mentions(text, folded, atoms, reference, mentions)
        if lone_weekdays or (cued and ("hier" in folded or "week" in folded)):
            extra += _weekday_mentions(text, folded, atoms, mentions, extra, reference)
        if extra:
            mentions = sorted([*mentions, *extra], key=lambda m: m.span[0])
    elif relative and (lone_weekdays or (cued and "week" in folded)) and mentions:
        # Only the year or the month of the page is known: a weekday alone can still be read
        # against a day the text writes in full before it.
        extra = _weekday_mentions(text, folded, atoms, mentions, [], reference, anchored_only=True)
        if extra:
            mentions = sorted([*mentions, *extra], key=lambda m: m.span[0])
    if len(mentions) > 1:  # the marks below flag mentions, never drop one: one length test for all
        if precision != "year":
            mentions = _mark_publication(text, folded, mentions, reference)
        if precision != "day":
            mentions = _mark_header_date(folded, mentions)
        if "apres " in folded:
            mentions = _mark_after_clause(folded, mentions)
        # Loops that replace only what they flag: most texts have nothing to flag, and allocation
        # is what costs in a process that holds Scrapy's or dateparser's heap.
        long_past = reference.year - 2
        for k, m in enumerate(mentions):
            # "la Victoire du 8 mai 1945", "fondée le 12 mars 1998": a year long past is remembered
            if m.end_date.year <= long_past and not _INFERRED_FLAGS.intersection(m.flags):
                mentions[k] = _with(m, flags=(*m.flags, "historical"))
        # A full date's tense matters only where it could be chosen over a later one.
        rivals = [k for k, m in enumerate(mentions) if _NOT_A_CANDIDATE.isdisjoint(m.flags)]
        for k in rivals[:-1]:
            m = mentions[k]
            if _INFERRED_FLAGS.isdisjoint(m.flags) and _is_past_tense(folded, m.span[0], m.span[1], text):
                mentions[k] = _with(m, flags=(*m.flags, "past_tense"))
        mentions = _join_mentions(text, folded, mentions)
    if rare and "jours" in folded and mentions:
        mentions = _for_n_days(folded, mentions)
    if rare and "tout le week" in folded:
        mentions = [_through_the_weekend(folded, m) for m in mentions]
    if rare and "lendemain" in folded:
        mentions = [_and_the_next_day(folded, m) for m in mentions]
    if rare and mentions and ("anniversaire" in folded or "commemor" in folded or "ceremonie" in folded) and all(
        "historical" in m.flags or m.end_date.year <= reference.year - 2 for m in mentions
    ):
        remembered = [m if "historical" in m.flags else _with(m, flags=(*m.flags, "historical")) for m in mentions]
        mentions = [*remembered, *_anniversaries(text, remembered, reference)]
    last_hour = atoms[-1].start if atoms else 0
    for k, m in enumerate(mentions):
        if m.start_time is not None and m.end_time is None and last_hour >= m.span[1]:
            mentions[k] = _end_said_later(folded, atoms, m)
    if (
        (lone_weekdays or "dis " in folded or "dis," in folded or "dimanches" in folded)  # "le mardi", "les mardis"
        and mentions and any(m.start_time is None for m in mentions)
    ):
        mentions = _habitual_hours(folded, atoms, mentions)
    if rare and relative and ("fete" in folded or "journees" in folded or "sylvestre" in folded) and all(
        "month_only" in m.flags for m in mentions
    ):
        mentions = sorted([*mentions, *_named_days(text, folded, reference, precision)], key=lambda m: m.span[0])
    return mentions


_FOR_N_DAYS = re.compile(
    rf"(?<![a-z])(?:pendant|durant|pour|sur)\s+(?:(?P<n>[1-9]\d?)|(?P<w>{_alternation(fr_data.DAY_WORDS)}))\s+jours(?![a-z])"
)


def _for_n_days(folded: str, mentions: list[DateMention]) -> list[DateMention]:
    """"La semaine débute ce lundi 2 octobre. Pendant sept jours, …": a first day and a length
    make the span."""
    for k, m in enumerate(mentions):
        if m.end_date != m.start_date or _NOT_A_START & set(m.flags) or "past_tense" in m.flags:
            continue
        found = _FOR_N_DAYS.search(folded, m.span[1], m.span[1] + 200)
        if found is None or any(found.start() > o.span[0] for o in mentions[k + 1 :]):
            continue
        n = int(found["n"]) if found["n"] else fr_data.DAY_WORDS[found["w"]]
        if 2 <= n <= 31:
            out = list(mentions)
            out[k] = _with(m, end_date=m.start_date + timedelta(days=n - 1), end_time=None)
            return out
    return mentions


_AND_THE_NEXT_DAY = re.compile(r"[^.;!?\n]{0,160}?(?<![a-z])et\s+(?:le\s+)?lendemain(?![a-z])")


def _and_the_next_day(folded: str, m: DateMention) -> DateMention:
    """"le lundi 13 décembre, de 7 h à 11 h 30, …, et le lendemain, …": the span takes the next day."""
    if m.end_date == m.start_date and _AND_THE_NEXT_DAY.match(folded, m.span[1]):
        return _with(m, end_date=m.end_date + timedelta(days=1))
    return m


def _end_said_later(folded: str, atoms: list[_Atom], m: DateMention) -> DateMention:
    """"samedi 29 février à 16h … Débat de 16h à 17h": the same start said again with its end."""
    if m.start_time is None or m.end_time is not None or atoms[-1].start < m.span[1]:
        return m  # most mentions hold the text's last hour
    later = [a for a in atoms if a.kind in ("time", "open") and a.start >= m.span[1]]
    day_after = next((d.start for d in atoms if d.kind in ("date", "part") and d.start >= m.span[1]), len(folded))
    later = [a for a in later if a.start < day_after]  # another day's hours are its own
    for a, b in pairwise(later):
        if a.clock == m.start_time and b.kind == "time" and b.clock != a.clock and _range_of(folded, a, b):
            return _with(m, end_time=b.clock)
    return m


def _anniversaries(text: str, mentions: list[DateMention], reference: date) -> list[DateMention]:
    """"la cérémonie commémorative du 79e anniversaire de la Victoire du 8 mai 1945": a text
    dated only by what it remembers is the anniversary of that day in the page's year."""
    out = []
    for m in mentions:
        if m.start_date == m.end_date and _valid(reference.year, m.start_date.month, m.start_date.day):
            day = date(reference.year, m.start_date.month, m.start_date.day)
            out.append(DateMention(m.span, m.text, day, day, m.start_time, m.end_time, m.all_day, ("anniversary",)))
    return out[:1]


def _through_the_weekend(folded: str, m: DateMention) -> DateMention:
    """"Ce samedi 5 septembre et pendant tout le week-end": the span runs to that Sunday."""
    if m.end_date.weekday() in (4, 5) and _WHOLE_WEEKEND_AFTER.match(folded, m.span[1]):
        return _with(m, end_date=m.end_date + timedelta(days=6 - m.end_date.weekday()))
    return m


_FRAME_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:a l'occasion d(?:e|u|es)|dans le cadre d(?:e|u|es))(?![a-z])[^.;!?,\n]{0,70}?"
    r"(?:(?<![a-z])(?:le|du|les|des)\s+|\(\s*)"
    # a listing's title, "Agenda politique du 6 au 18 juin", not "dans notre agenda le concert du …"
    r"|(?:^|\n)[ \t]*agenda(?:\s+[a-z'-]+){0,2}\s+du\s+"
    r"|(?<![a-z])autour\s+du\s+)$"  # "le point d'orgue aura lieu autour du 25 novembre"
)
_NAMED_DAY_RE = re.compile(rf"(?<![a-z])(?P<name>{_alternation(fr_data.NAMED_DAYS)})(?![a-z])")
_NAMED_DAYS = {_fold(name): value for name, value in fr_data.NAMED_DAYS.items()}


def _named_days(text: str, folded: str, reference: date, precision: str) -> list[DateMention]:
    """"Les journées européennes du patrimoine se dérouleront ce week-end": a national day named
    with no day of its own (see `fr_data.NAMED_DAYS`), in the reference's year, or when the
    reference is a day, the coming one (the last one in a past-tense sentence)."""
    m = _NAMED_DAY_RE.search(folded)
    if m is None:
        return []
    rule = _NAMED_DAYS[m["name"]]
    start, end = _named_day_in(reference.year, rule)
    flags: tuple[str, ...] = ("named_day",)
    if precision == "day":
        if _is_past_sentence(text, folded, m.start(), m.end()):
            if start > reference:
                start, end = _named_day_in(reference.year - 1, rule)
            flags = ("named_day", "past_tense")
        elif end < reference:
            start, end = _named_day_in(reference.year + 1, rule)
    return [DateMention(m.span(), text[m.start() : m.end()], start, end, None, None, True, flags)]


def _named_day_in(year: int, rule: tuple[int, int | None, int]) -> tuple[date, date]:
    month, weekday, n = rule
    if weekday is None:
        return date(year, month, n), date(year, month, n)
    first = date(year, month, 1)
    start = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return start, start + timedelta(days=1)


_WEEKLY_IN_MONTH = re.compile(
    rf"(?<![a-z])(?:{_alternation(fr_data.EVERY_WORDS)})\s+(?P<wd>{_alternation(_FULL_WEEKDAYS)})s?"
    rf"\s+(?:d(?:u|es)\s+mois\s+)?(?:d'\s*|de\s+)(?P<mon>{_alternation(fr_data.MONTH_NAMES)})"
    rf"(?:\s*(?:,|et|a|au)\s*(?:d'\s*|de\s+)?(?P<mon2>{_alternation(fr_data.MONTH_NAMES)}))?"
    rf"(?:\s+(?P<y>{_YEAR}))?(?![a-z\d])"
)


def _weekly_in_month(text: str, folded: str, reference: date, precision: str) -> list[DateMention]:
    """"tous les jeudis du mois d'août", "chaque samedi de juin 2024": the span from the first such
    weekday of that month to the last; the month is the reference's year's, or the next one to come
    when the reference is a day past it."""
    out = []
    for m in _WEEKLY_IN_MONTH.finditer(folded):
        month = _MONTH_NUM[m["mon"]]
        if m["y"]:
            year = int(m["y"])
        elif precision == "day" and month < reference.month:
            year = reference.year + 1
        else:
            year = reference.year
        weekday = _WEEKDAY_NUM[m["wd"]]
        month2 = _MONTH_NUM[m["mon2"]] if m["mon2"] else month
        if month2 < month:
            continue  # "de décembre à février" crosses a year: too rare to guess which
        first = date(year, month, 1)
        first += timedelta(days=(weekday - first.weekday()) % 7)
        last = first
        while (last + timedelta(days=7)).month <= month2 and (last + timedelta(days=7)).year == year:
            last += timedelta(days=7)
        out.append(DateMention(m.span(), text[m.start() : m.end()], first, last, None, None, True,
                               () if m["y"] else ("year_guessed",)))
    return out


_AFTER_CLAUSE = re.compile(r"[\s\-–—:•*>]*apres\s")
_CLAUSE_END = re.compile(r"[ \t]*,")


def _mark_after_clause(folded: str, mentions: list[DateMention]) -> list[DateMention]:
    """Flag "past_tense" on a date inside a sentence's opening "Après …," clause ("Après une
    saison close par la fête du 20 janvier, la médiathèque propose …"): it names what came
    before the event the sentence announces, when another date follows."""
    out = list(mentions)
    for k, m in enumerate(mentions[:-1]):
        s, e = m.span
        left, _right = _sentence_bounds(folded, s, e, 200)
        if (
            "past_tense" not in m.flags
            and _AFTER_CLAUSE.match(folded, left)
            and "," not in folded[left:s]
            and _CLAUSE_END.match(folded, e)
            and any(o.span[0] >= e and "past_tense" not in o.flags for o in mentions[k + 1 :])
        ):
            out[k] = _with(m, flags=(*m.flags, "past_tense"))
    return out


def _monthless_days(
    text: str, folded: str, atoms: list[_Atom], groups: list[_Group], reference: date
) -> list[DateMention]:
    """"dimanche 23 et lundi 24": weekdays with a day number and no month are in the month,
    around the reference, where those days fall on those weekdays (the nearest, ahead first)."""
    grouped = {id(a) for g in groups for a in g.elements}
    out: list[DateMention] = []
    run: list[_Atom] = []
    parts = [a for a in atoms if a.kind == "part" and a.weekday is not None and id(a) not in grouped]
    for k, a in enumerate(parts):
        run.append(a)
        nxt = parts[k + 1] if k + 1 < len(parts) else None
        if nxt is not None and (_gap(folded, a, nxt, _LIST_GAP) or _gap(folded, a, nxt, _RANGE_GAP)):
            continue
        options = []
        for shift in (-1, 0, 1, 2):
            y, mo = divmod(reference.year * 12 + reference.month - 1 + shift, 12)
            mo += 1
            if all(_valid(y, mo, b.day) and date(y, mo, b.day).weekday() == b.weekday for b in run):
                options.append(date(y, mo, run[0].day))
        if options:
            first = min(options, key=lambda d: (d - reference).days if d >= reference else (reference - d).days * 4)
            last = first.replace(day=run[-1].day) if run[-1].day >= first.day else None
            if last is not None:
                span = (run[0].start, run[-1].end)
                out.append(DateMention(span, text[span[0] : span[1]], first, last, None, None, True,
                                       ("year_guessed", "month_guessed")))
        run = []
    return out


_HABIT_RE = re.compile(
    rf"(?<![a-z])(?:le|les|du|chaque|tous\s+les)\s+(?P<wd>{_alternation(_FULL_WEEKDAYS)})s?"
    r"(?:\s+(?:apres-midi|matins?|soirs?))?(?![a-z])"  # "les jeudis après-midi de 14 h 30 à 16 h"
    r"(?!\s+au\s)"  # "du mercredi au vendredi" is a span of days, not a habit
)


def _habitual_hours(folded: str, atoms: list[_Atom], mentions: list[DateMention]) -> list[DateMention]:
    """"Les conférences ont lieu le vendredi de 15h à 17h … Vendredi 8 janvier": the hours of a
    weekday given as a habit are those of the dates on that weekday that have none."""
    hours: dict[int, tuple[time, time | None]] = {}
    for m in _HABIT_RE.finditer(folded):
        # "tous les vendredis, place de la Mairie, de 15 h à 17 h": the hours in the habit's clause
        start_time, end_time, _end = _times_after(folded, atoms, m.end())
        if start_time is not None and not any(  # "le samedi 1er mars, de 9h à 19h" is a day, not a habit
            a.kind in ("date", "part") and a.end > m.start() and a.start < _end for a in atoms
        ):
            hours.setdefault(_WEEKDAY_NUM[m["wd"]], (start_time, end_time))
    if not hours:
        return mentions
    return [
        # a habit's hours are those of each of its sessions, the first as the others
        _with(m, start_time=hours[wd][0], end_time=hours[wd][1], all_day=False)
        if m.start_time is None and (wd := m.start_date.weekday()) in hours and "relative" not in m.flags
        else m
        for m in mentions
    ]


_YEAR_HEADING = re.compile(
    r"^[ \t]*(?:annee|saison|edition|programme)?[ \t]*((?:19|20)\d\d)[ \t]*:?[ \t]*$", re.MULTILINE
)


_ITEM_BEFORE = re.compile(r"[ \t]*(?:[-*\u2022\u2013\u2014>]+[ \t]*)?")
_ITEM_AFTER = re.compile(r"[ \t]*(?::|-|\u2013|\u2014)[ \t]")
_SESSION_BEFORE = re.compile(_ITEM_BEFORE.pattern + r"(?:le[ \t]+)?")  # an item's bullet, then "le"
_DATE_ALONE = re.compile(
    rf"(?:(?:{_WD})\.?\s+)?\d{{1,2}}(?:er|re)?(?:\s*(?:{_MON})\.?|/\d{{1,2}})?(?:\s+\d{{4}})?[ \t.,;:]*"
)
_SESSION_AFTER = re.compile(r"[ \t.,;:]*(?:\n|$)")


def _year_headings(folded: str) -> list[tuple[int, int]]:
    """(offset, year) of the years standing alone on their line ("2024", "Année 2018"): the
    year-less dates below such a heading are in that year."""
    return [(m.start(), int(m[1])) for m in _YEAR_HEADING.finditer(folded)]


_UNDER_TWENTY = {"un": 1} | {_fold(w): n for w, n in fr_data.DAY_WORDS.items() if n < 20 and " " not in w}
_YEAR_IN_WORDS = re.compile(
    rf"(?<![a-z])l'an\s+deux\s+mille(?:[\s\-]+(?P<tens>{_alternation(fr_data.TENS_WORDS)}))?"
    rf"(?:[\s\-]+(?:et[\s\-]+)?(?P<unit>{_alternation(_UNDER_TWENTY)}))?(?![a-z])"
)


def _years_in_words(folded: str) -> list[tuple[int, int]]:
    """(offset, year) of the years minutes write out ("L'an deux mille vingt, le dix-sept
    septembre"): the year-less dates after them are in that year."""
    out = []
    for m in _YEAR_IN_WORDS.finditer(folded):
        unit = _UNDER_TWENTY[m["unit"]] if m["unit"] else 0
        if m["tens"] is None or unit < 10:
            out.append((m.start(), 2000 + (fr_data.TENS_WORDS[m["tens"]] if m["tens"] else 0) + unit))
    return out


_SEASON_YEAR = re.compile(r"(?<![a-z])(?P<season>printemps|ete|automne)\s+(?P<y>20\d\d)(?!\d)")
_SEASON_MONTHS = {"printemps": (3, 4, 5, 6), "ete": (6, 7, 8, 9), "automne": (9, 10, 11, 12)}


def _season_years(folded: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """(offset, year, months) of a season with its year ("à l'automne 2023"): a year-less date of
    that season written after it ("… du 17 au 25 octobre") is in that year."""
    return [(m.start(), int(m["y"]), _SEASON_MONTHS[m["season"]]) for m in _SEASON_YEAR.finditer(folded)]


def _with(m: DateMention, **changes: Any) -> DateMention:
    return replace(m, **changes)


_NOT_A_START = _NOT_AN_EVENT_DAY | {"original_date", "open_start"}


_VENUE_LIST_GAP = re.compile(
    r"\s*,?\s*(?:a|au|aux|chez|sur|dans)\s[^,;.!?\n\d]{2,40}?\s*(?:,\s*(?:et\s+)?|et\s+)(?:le\s+)?", re.ASCII
)
_FIRST_OF_SERIES_BEFORE = re.compile(r"(?<![a-z])(?:la|le|les)\s+premi(?:er|ere|ers|eres)(?![a-z])[^.;!?\n]{0,40}$")
_LAST_OF_SERIES_BEFORE = re.compile(r"(?<![a-z])(?:la|le|les)\s+derni(?:er|ere|ers|eres)(?![a-z])[^.;!?\n]{0,40}$")


def _first_and_last(folded: str, mentions: list[DateMention]) -> list[DateMention]:
    """"La première distribution aura lieu le 23 avril et la dernière le 17 décembre": one series
    from the first day to the last."""
    first = next((k for k, m in enumerate(mentions) if _FIRST_OF_SERIES_BEFORE.search(folded, max(0, m.span[0] - 60), m.span[0])), None)
    if first is None:
        return mentions
    for k in range(first + 1, len(mentions)):
        m = mentions[k]
        if _LAST_OF_SERIES_BEFORE.search(folded, max(0, m.span[0] - 60), m.span[0]) and m.end_date > mentions[first].end_date:
            out = list(mentions)
            out[first] = _with(out[first], end_date=m.end_date)
            out[k] = _with(m, flags=(*m.flags, "joined"))
            return out
    return mentions


def _join_mentions(text: str, folded: str, mentions: list[DateMention]) -> list[DateMention]:
    """Read mentions that only make sense together.

    - "depuis le 5 novembre … jusqu'au 26 novembre", "Début : … fin : …": one span;
    - "prévue le 13 juin, … reportée au 17 octobre": the first is the original date
      ("original_date", passed over), the second the new one ("postponed").
    """
    out = list(mentions)
    if _POSTPONEMENT_HINT.search(folded) is not None:
        marks = []
        for m in out:
            before = folded[max(0, m.span[0] - 60) : m.span[0]]
            marks.append(
                "postponed" if _POSTPONED_BEFORE.search(before)
                else "original_date" if _ORIGINAL_BEFORE.search(before) else None
            )
        first_original = marks.index("original_date") if "original_date" in marks else len(marks)
        if "postponed" in marks or any(mark is None for mark in marks[first_original + 1 :]):
            # Only a new day makes the planned one past: with none ("prévues aujourd'hui et
            # demain … reportées à des dates ultérieures"), the planned days stay the event's.
            out = [_with(m, flags=(*m.flags, mark)) if mark else m for m, mark in zip(out, marks, strict=True)]
    labelled = "fin" in folded
    again_hint = any(w in folded for w in ("ensuite", "nouveau", "encore"))
    for k, m in enumerate(out):
        before = folded[max(0, m.span[0] - 60) : m.span[0]]
        if k == 0:
            continue
        prev = out[k - 1]
        joins = (
            ("open_end" in prev.flags and "open_start" in m.flags)
            # "Ce vendredi 19 novembre, le salon a ouvert … Jusqu'au dimanche 21 novembre, il se tient …"
            or (
                "open_start" in m.flags and not _NOT_A_START & set(prev.flags)
                and prev.start_date < m.end_date <= prev.start_date + timedelta(days=62)
            )
            or (labelled and _END_LABEL_BEFORE.search(before) is not None)
            or (
                "dateparser" in prev.flags and "dateparser" in m.flags  # "aujourd'hui et demain"
                and _TODAY_AND_TOMORROW.fullmatch(folded, prev.span[1], m.span[1])
            )
        )
        # "du 2 au 3 mars et ensuite du 9 au 10 mars": two parts of one event
        again = (
            again_hint and prev.span[1] <= m.span[0] and _THEN_AGAIN.fullmatch(folded, prev.span[1], m.span[0]) is not None
        )
        # "samedi 14 avril à la Maïf, samedi 26 mai au bar associatif et samedi 16 juin au centre
        # social": a list of sessions, each with its place
        listed = (
            prev.span[1] < m.span[0] and prev.end_date < m.start_date
            and _VENUE_LIST_GAP.fullmatch(folded, prev.span[1], m.span[0]) is not None
        )
        if (joins and prev.end_date == prev.start_date or again or listed) and prev.start_date <= m.end_date:
            span = (prev.span[0], m.span[1])
            flags = tuple(f for f in prev.flags if f not in ("open_end", "since"))
            start_time, end_time = prev.start_time, m.end_time
            if prev.start_time is None:  # "… jusqu'au 18, de 6h à 15h": the later hours, whole
                start_time, end_time = m.start_time, m.end_time if m.start_time is not None else None
                if "open_start" in m.flags and m.end_time is None:
                    start_time = None  # "… jusqu'au 24 décembre à 18h": when it closes, not an hour of each day
            # The whole stands where its last part was, so that a third part joins it in turn.
            out[k] = _with(prev, span=span, text=text[span[0] : span[1]], end_date=m.end_date, flags=flags,
                           start_time=start_time, end_time=end_time, all_day=start_time is None)
            out[k - 1] = _with(prev, flags=(*prev.flags, "joined"))
    begun = [m for m in out if "begun" in m.flags]
    for b in begun:
        # "Ce samedi 5 septembre, le salon, débuté ce vendredi, continue": the event going on in
        # that sentence began that day.
        left, right = _sentence_bounds(folded, b.span[0], b.span[1], 400)
        for k, p in enumerate(out):
            if (
                p is not b and "begun" not in p.flags and "joined" not in p.flags
                and left <= p.span[0] < right
                and b.start_date < p.end_date <= b.start_date + timedelta(days=366)
                and not {"publication", "deadline", "legal_reference", "original_date", "past_tense"} & set(p.flags)
            ):
                out[k] = _with(p, start_date=b.start_date, start_time=None, end_time=None, all_day=True,
                               flags=tuple(f for f in p.flags if f != "open_start"))
                out[out.index(b)] = _with(b, flags=(*b.flags, "joined"))
                break
    if "premi" in folded and "derni" in folded:
        out = _first_and_last(folded, out)
    items = [] if "\n" not in folded else [
        k for k, m in enumerate(out)
        if "joined" not in m.flags and m.start_date == m.end_date
        and _ITEM_BEFORE.fullmatch(folded, folded.rfind("\n", 0, m.span[0]) + 1, m.span[0])
        and _ITEM_AFTER.match(folded, m.span[1])
    ]
    if len(items) >= 3 and all(out[a].start_date < out[b].start_date for a, b in pairwise(items)):
        # A programme, one day a line ("- 27 septembre : …", "- 4 octobre : …"): its days are
        # those of one event, from the first to the last.
        first, last = out[items[0]], out[items[-1]]
        out[items[0]] = _with(first, end_date=last.end_date, end_time=None)
        for k in items[1:]:
            out[k] = _with(out[k], flags=(*out[k].flags, "joined"))
    elif "\n" in folded:
        # Sessions, each day alone on its line with its hours and nothing else ("Le 25 mai de 10h
        # à 21h" / a venue line / "Le 1er juin de 16h à 1h"): one event from the first to the
        # last, with the first session's hours. A line that also names what happens is an event
        # of its own, and a day without hours heads the lines below it.
        sessions = [
            k for k, m in enumerate(out)
            if "joined" not in m.flags and m.start_time is not None
            and (m.start_date == m.end_date or "overnight" in m.flags)
            and _SESSION_BEFORE.fullmatch(folded, folded.rfind("\n", 0, m.span[0]) + 1, m.span[0])
            # its line ends with it, or with the day whose hours open the next line ("Samedi 8 octobre\n10 h : …")
            and (
                _SESSION_AFTER.match(folded, m.span[1])
                or 0 <= (nl := folded.find("\n", m.span[0])) < m.span[1] and _DATE_ALONE.fullmatch(folded, m.span[0], nl)
            )
        ]
        if len(sessions) >= 2 and all(out[a].start_date < out[b].start_date for a, b in pairwise(sessions)):
            first, last = out[sessions[0]], out[sessions[-1]]
            out[sessions[0]] = _with(first, end_date=max(first.end_date, last.start_date))
            for k in sessions[1:]:
                out[k] = _with(out[k], flags=(*out[k].flags, "joined"))
    return [m for m in out if "joined" not in m.flags]


def _mention(
    g: _Group, text: str, folded: str, reference: date, precision: str = "day", framed: bool = False,
    begins: bool = True,
) -> DateMention | None:
    """The DateMention of group `g`; `framed` says the text holds a frame's cue ("à l'occasion de"),
    `begins` one of a start already made ("commencé", "depuis")."""
    first = g.elements[0]
    if first.kind == "month":
        assert first.month is not None and first.year is not None
        start = date(first.year, first.month, 1)
        end = (date(first.year + (first.month == 12), first.month % 12 + 1, 1)) - timedelta(days=1)
        return DateMention(
            (first.start, first.end),
            text[first.start : first.end],
            start,
            end,
            None,
            None,
            True,
            ("month_only",),
        )
    resolved = _resolve(g, folded, reference, precision, text, begins)
    if resolved is None:
        return None
    start_date, end_date, flags = resolved
    if (
        len(g.elements) == 2 and not g.list_like and folded.endswith("du ", 0, first.start)
        and _MOVED_FROM_BEFORE.search(folded, max(0, first.start - 70), first.start)
    ):
        # "reporter les festivités du 13 juillet au samedi 17 juillet": moved from one day to the other
        start_date = end_date
        flags.append("postponed")
    if g.inline_times:
        start_time = g.inline_times.get(0)
        # a list's first day has its own end, its later days hours of their own sessions; a
        # range's last day has the end
        if g.list_like:
            end_time = g.inline_ends.get(0)
        else:
            end_time = g.inline_times.get(len(g.elements) - 1) if len(g.elements) > 1 else None
    else:  # most groups: no time between their days
        start_time = end_time = None
    span_end = g.end
    last = g.elements[-1]
    if first.exact is not None:
        start_date, start_time = first.exact
        if len(g.elements) == 1:
            end_date = start_date
    if len(g.elements) > 1 and last.exact is not None:
        end_date, end_time = last.exact
    if g.times:
        chain_first, chain_last = g.times[0][0], g.times[-1][0]
        span_end = max(span_end, chain_last.end)
        if start_time is None:
            start_time = chain_first.clock
        # "de 10h à 12h30 et de 14h à 18h": the first session's end, not the day's last hour
        k = 1
        while k < len(g.times) and g.times[k][1] != "session":
            k += 1
        session_end = g.times[k - 1][0] if k > 1 else None
        if g.list_like and g.inline_times.get(0) is not None:
            session_end = None  # "le 27 à 10 h …, ou le 28 de 10 h à 20 h": the last day's hours
        if session_end is not None and session_end.kind == "time":
            end_time = session_end.clock
        elif len(g.elements) > 1 and g.inline_times.get(0) is not None and end_time is None and not g.list_like:
            end_time = chain_first.clock  # "du 15 novembre à 9h au 19 novembre à 17h"
    span_start = min(first.start, g.times[0][0].start) if g.times else first.start
    if start_time is not None and end_time is not None and start_date == end_date and end_time <= start_time:
        if end_time == start_time:
            end_time = None
        else:
            end_date = end_date + timedelta(days=1)  # "de 22h à 2h"
            flags.append("overnight")
    if start_time is None:
        end_time = None
    if framed and _FRAME_BEFORE.search(
        folded, max(0, first.start - 90), first.start
    ):
        flags.append("frame")  # "à l'occasion de la Fête du jeu le 28 mai, la ludothèque ouvrira le 25"
    if (
        first.weekday is not None
        and folded.endswith("ce ", 0, first.start)
        and (first.start == 3 or not folded[first.start - 4].isalpha())  # not "place samedi"
    ):
        flags.append("this_day")  # "en ce samedi 5 août": the day the text speaks from
    lo = first.start - 48 if first.start > 48 else 0
    if _CONTEXT_HINTS.search(folded, lo, first.start):  # most dates have none of these words before them
        window = folded[lo : first.start]
        prefix = window[-24:]  # "se poursuivra le " is 17 characters
        if not _OPEN_HINTS.search(prefix):
            pass
        elif _OPEN_START_BEFORE.search(prefix) and len(g.elements) == 1:
            flags.append("open_start")
            if precision == "day" and reference < start_date and (start_date - reference).days <= 366:
                start_date = reference
        elif _OPEN_END_BEFORE.search(prefix):
            flags.append("open_end")
            if len(g.elements) == 1 and _SINCE_BEFORE.search(prefix):
                flags.append("since")
        if _DEADLINE_HINTS.search(window) and _DEADLINE.search(window):
            flags.append("deadline")
        elif _LEGAL_HINTS.search(window) and _LEGAL_BEFORE.search(window[-40:]):
            flags.append("legal_reference")
    if begins and _BEGUN_BEFORE.search(text, lo, first.start):
        flags.append("begun")  # "le salon, commencé le 10 octobre, …"
    return DateMention(
        (span_start, span_end),
        text[span_start:span_end],
        start_date,
        end_date,
        start_time,
        end_time,
        start_time is None,
        tuple(flags),
    )


def _relative_mentions(
    text: str, folded: str, atoms: list[_Atom], reference: date, dated: list[DateMention] = ()  # type: ignore[assignment]
) -> list[DateMention]:
    out: list[DateMention] = []
    for m in _RELATIVE_RE.finditer(folded):
        if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in (d.span for d in dated)):
            continue
        phrase = m.group(0)
        if dated and phrase.startswith("aujourd") and not _TODAY_AND_TOMORROW.match(folded, m.end()):
            continue  # beside written dates, "aujourd'hui" means "nowadays" ("elle est aujourd'hui animée")
        weekday = m["cwd"] or m["nwd"]
        if weekday:
            phrase = weekday if len(weekday) > 3 else None  # type: ignore[assignment]
            # "ce samedi" said on a Saturday, or in a past-tense report, is not next week's:
            # _weekday_mentions reads those.
            if phrase is not None and m["cwd"] and (
                _WEEKDAY_NUM[weekday] == reference.weekday()
                or _is_past_sentence(text, folded, m.start(), m.end())
                or _BEGUN_BEFORE.search(text, max(0, m.start() - 24), m.start())
            ):
                continue
        if phrase is None:
            continue
        day = _dateparser_day(phrase, reference)
        if day is None:
            continue
        start_time, end_time, end = _times_after(folded, atoms, m.end(), dated)
        if start_time is None:
            start_time, end_time = _times_before(folded, atoms, m.start())
        out.append(
            DateMention(
                (m.start(), end),
                text[m.start() : end],
                day,
                day,
                start_time,
                end_time,
                start_time is None,
                ("dateparser",),
            )
        )
    return out


def _times_after(
    folded: str, atoms: list[_Atom], end: int, dated: Iterable[DateMention] = ()
) -> tuple[time | None, time | None, int]:
    """(start time, end time, end offset) of the clock times right after a relative day, in its
    sentence and paragraph, and not those of a date written in full (`dated`)."""
    times = [
        a for a in atoms
        if a.kind in ("time", "open") and end <= a.start <= end + 40
        and not any(d.span[0] <= a.start < d.span[1] for d in dated)
    ]
    if not times or _SENTENCE_STOP.search(folded, end, times[0].start) or "\n\n" in folded[end : times[0].start]:
        return None, None, end  # "… demain\n\nPublié : 13 octobre à 7h05": another line's hour
    if len(times) > 1 and _range_of(folded, times[0], times[1]):
        return times[0].clock, times[1].clock, times[1].end
    if times[0].kind == "open":
        return None, None, end
    return times[0].clock, None, times[0].end


_TIMES_THEN_DAY_GAP = re.compile(r"\s*,?\s*", re.ASCII)


def _times_before(folded: str, atoms: list[_Atom], start: int) -> tuple[time | None, time | None]:
    """(start time, end time) written right before a relative day ("Entre 9 et 16 heures, ce
    dimanche")."""
    before = [a for a in atoms if a.kind in ("time", "open") and start - 40 <= a.end <= start]
    if not before or before[-1].kind != "time" or not _TIMES_THEN_DAY_GAP.fullmatch(folded, before[-1].end, start):
        return None, None
    last = before[-1]
    if len(before) > 1 and _range_of(folded, before[-2], last):
        return before[-2].clock, last.clock
    return last.clock, None


def _anchor_day(folded: str, dated: list[DateMention], start: int) -> date | None:
    """The first day of the last date written in full before `start` (not a page's publication
    date, a deadline or a law), when the weekday there follows it within the same paragraph."""
    for d in reversed(dated):
        if d.span[1] > start:
            continue
        if {"month_only", "deadline", "legal_reference", "original_date", "since"} & set(d.flags):
            return None
        window = folded[max(0, d.span[0] - 40) : d.span[0]]
        if _PUBLICATION.search(window) or _WEAK.search(window):
            return None
        if "\n\n" in folded[d.span[1] : start] or start - d.span[1] > 600:
            return None
        return d.start_date
    return None


def _weekend_day(dated: list[DateMention], start: int) -> date | None:
    """The Friday, Saturday or Sunday written in full nearest to `start` (the only such day of the
    text), for a "ce week-end" on a page whose own day is unknown."""
    days = {
        d.start_date for d in dated
        if d.start_date.weekday() >= 4 and abs(d.span[0] - start) < 600
        and not {"month_only", "publication", "deadline", "legal_reference", "original_date"} & set(d.flags)
    }
    return days.pop() if len(days) == 1 else None


def _chained(folded: str, chain: DateMention, word_end: int, start: int) -> bool:
    """Does the weekday at `start` continue `chain` ("samedi et dimanche", "vendredi 20h, samedi")?"""
    return any(
        end <= start and _WEEKDAY_CHAIN_GAP.fullmatch(folded, end, start) for end in (word_end, chain.span[1])
    )


_THE_BEFORE = re.compile(r"(?<![a-z'])le\s+$")
_FUTURE_BE = re.compile(rf"(?<![a-z])(?:{_alternation(fr_data.FUTURE_AUXILIARIES)})(?![a-z])")
# "animera", "accueilleront", "finira": not _FUTURE_VERB's bare "-ra", which "l'Opéra" also ends with.
_REGULAR_FUTURE = re.compile(r"(?<![a-z])[a-z]{3,}(?:era|eront|ira|iront)(?![a-z])")
_HABIT_WORDS = re.compile(rf"(?<![a-z])(?:{_alternation(fr_data.HABIT_WORDS)})(?![a-z])")


def _one_timed_weekday(text: str, folded: str, atoms: list[_Atom], before: str, start: int, end: int) -> bool:
    """"… seront là, avec le vendredi à 21 heures le grand loto": "le" + weekday + its hour in a
    sentence in the future tense is one coming day, not a weekly habit ("le samedi à 10h")."""
    if not _THE_BEFORE.search(before) or not any(a.kind == "time" and end < a.start <= end + 4 for a in atoms):
        return False
    left, right = _sentence_bounds(folded, start, end, 200)
    if _HABIT_WORDS.search(folded, left, right):
        return False
    return _FUTURE_BE.search(folded, left, right) is not None or _REGULAR_FUTURE.search(folded, left, right) is not None


def _weekday_mentions(
    text: str,
    folded: str,
    atoms: list[_Atom],
    dated: list[DateMention],
    others: list[DateMention],
    reference: date,
    *,
    anchored_only: bool = False,
) -> list[DateMention]:
    """Weekdays written alone and days before the reference, resolved against it.

    A weekday alone after a day written in full is read against that day: "Samedi 23 février …
    dimanche, …" is the 24th, "ouvre le vendredi 12 mai. Samedi, …" the 13th. With
    `anchored_only`, only those are returned (the reference is not a day).

    "samedi dernier" is the last Saturday before the reference and "samedi prochain" the next one
    after it; a weekday alone ("Vendredi à 20h30", "ce samedi") is the next such day from the
    reference on, or the last one up to it when its sentence is in the past tense ("a organisé ce
    samedi"). Weekdays chained by "et", "," or "jusqu'à" make one span ("vendredi, samedi et
    dimanche"). "hier" is the day before the reference. Weekdays of habits, opening hours and
    deadlines ("le samedi", "du mardi au samedi", "avant vendredi") are left alone.
    """
    taken = [m.span for m in (*dated, *others)]
    out: list[DateMention] = []
    for m in _RELATIVE_DAY_RE.finditer(folded) if "hier" in folded else ():
        if any(a <= m.start() < b for a, b in taken):
            continue
        day = reference + timedelta(days=fr_data.RELATIVE_DAYS[m["rd"]])
        start_time, end_time, end = _times_after(folded, atoms, m.end())
        out.append(DateMention((m.start(), end), text[m.start() : end], day, day, start_time, end_time,
                               start_time is None, ("relative",)))
    if len(folded.strip()) < 24:
        return out  # "Samedi" alone is a label or a heading, not a day: only a sentence says which one
    relative_days = [o.span for o in out]
    chain: DateMention | None = None
    word_end = 0  # end of the chain's last day word: times after it do not break the chain
    found = list(_BARE_WEEKDAY_RE.finditer(folded))
    if "week" in folded:
        found = sorted([*found, *_WEEKEND_RE.finditer(folded)], key=lambda m: m.start())
    for m in found:
        s = m.start()
        if any(a <= s < b for a, b in taken) or any(a <= s < b for a, b in relative_days):
            continue
        before = folded[max(0, s - 16) : s]
        weekend = m.re is _WEEKEND_RE
        weekday = 6 if weekend else _WEEKDAY_NUM[m["wd"]]
        if weekend and not (chain is not None and _chained(folded, chain, word_end, s)):
            # "ce week-end": the coming Saturday and Sunday, the current ones from Saturday on,
            # the last ones in a past-tense sentence.
            wd = reference.weekday()
            if anchored_only:
                # The page's day is unknown: the weekend is that of a Friday, Saturday or Sunday
                # the text writes in full ("… ce week-end. Tout commencera ce vendredi 2
                # septembre"), from that Friday on.
                written = _weekend_day(dated, s)
                if written is None:
                    continue
                saturday = written + timedelta(days=5 - written.weekday())
                chain = DateMention((s, m.end()), text[s : m.end()], min(written, saturday),
                                    saturday + timedelta(days=1), None, None, True, ("relative",))
                word_end = m.end()
                out.append(chain)
                continue
            if wd >= 5:
                saturday = reference - timedelta(days=wd - 5)
            elif _is_past_sentence(text, folded, s, m.end()):
                saturday = reference - timedelta(days=wd + 2)
            else:
                saturday = reference + timedelta(days=5 - wd)
            chain = DateMention((s, m.end()), text[s : m.end()], saturday, saturday + timedelta(days=1), None,
                                None, True, ("relative",))
            word_end = m.end()
            out.append(chain)
            continue
        if chain is not None and _chained(folded, chain, word_end, s):
            last = chain.start_date + timedelta(days=(weekday - chain.start_date.weekday()) % 7)
            word_end = m.end()
            if last > chain.end_date:
                start_time, end_time, end = _times_after(folded, atoms, m.end())
                end = max(end, m.end(), chain.span[1])
                if chain.start_time is None and start_time is not None:
                    # "samedi et dimanche à 15h": the hours said once for the days before them
                    chain = _with(chain, start_time=start_time, end_time=end_time, all_day=False)
                chain = _with(chain, span=(chain.span[0], end), text=text[chain.span[0] : end], end_date=last)
                out[-1] = chain
            continue
        if not m["ce"] and not m["after"]:
            if _AFTER_RELATIVE_WORD.search(before):
                continue  # "demain mercredi": the relative word already says which day
            if (
                _WEEKDAY_BLOCKED.search(before)
                and not _FROM_BEFORE.search(before)
                and not _one_timed_weekday(text, folded, atoms, before, s, m.end())
            ):
                if chain is not None and _UNTIL_BEFORE.search(before):
                    # "Ce lundi … toute la semaine et jusqu'à dimanche": the end of that span.
                    last = chain.start_date + timedelta(days=(weekday - chain.start_date.weekday()) % 7)
                    if last > chain.end_date:
                        chain = _with(chain, end_date=last)
                        out[-1] = chain
                continue
        anchor = None if (m["ce"] or m["after"]) else _anchor_day(folded, dated, s)
        if anchor is None and anchored_only:
            continue
        if anchor is not None:
            day = anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
            start_time, end_time, end = _times_after(folded, atoms, m.end())
            end = max(end, m.end())
            chain = DateMention((s, end), text[s:end], day, day, start_time, end_time, start_time is None,
                                ("relative",))
            word_end = m.end()
            out.append(chain)
            continue
        direction = fr_data.RELATIVE_WEEKDAY_AFTER.get(m["after"] or "", "")
        begun = not direction and _BEGUN_BEFORE.search(text, max(0, s - 24), s) is not None
        if not direction:
            direction = "last" if begun or _is_past_sentence(text, folded, s, m.end()) else "coming"
        shift = (weekday - reference.weekday()) % 7
        if direction == "past":
            day = reference - timedelta(days=(reference.weekday() - weekday) % 7 or 7)
        elif direction == "last":
            day = reference - timedelta(days=(reference.weekday() - weekday) % 7)
        elif direction == "next":
            day = reference + timedelta(days=shift or 7)
        else:
            day = reference + timedelta(days=shift)
        start_time, end_time, end = _times_after(folded, atoms, m.end())
        if start_time is None:
            start_time, end_time = _times_before(folded, atoms, s)
        end = max(end, m.end())
        if begun:
            flags: tuple[str, ...] = ("relative", "begun")
        elif direction in ("past", "last"):
            flags = ("relative", "past_tense")
        else:
            flags = ("relative",)
        chain = DateMention((s, end), text[s:end], day, day, start_time, end_time, start_time is None, flags)
        word_end = m.end()
        out.append(chain)
    return out


# "- Ouest-France - Le 14/07/20": a source's name may stand before the page's day
_LINE_BEFORE_PUBLICATION = re.compile(
    r"[\s\-|:,.>]*(?:[^\d\n|:,]{2,30}?\s[\-|:,]\s*)?(?:(?:le|on|du|date|par\s+[^\n]{0,40}?)\s*:?\s*)?[\s\-|:,.]*"
)
_LINE_AFTER_PUBLICATION = re.compile(
    r"(?:\s*(?:a|-)?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?(?::\d{2})?\s*(?:[-,|/]\s*)?(?:par\s[^\n]*)?[\s.:|\-]*"
)
_TIMESTAMP = re.compile(r"\d:[0-5]\d:[0-5]\d")
_BYLINE = re.compile(r"(?:,|-|\|)\s*par\s")
_BRIEF_PREFIX_AFTER = re.compile(r"\s*(?::|\||-|–)\s")


def _mark_publication(text: str, folded: str, mentions: list[DateMention], reference: date) -> list[DateMention]:
    """Flag "publication" on dates that date the page rather than an event, when the text has others:
    after "Publié le"/"Posté le"; a line holding only the page's own day (with a byline or a posting
    time: "lundi 12 octobre 2020", "06-01-2022 par …"); the date that opens a brief ("14/09/21 : …")."""
    out = list(mentions)
    for k, m in enumerate(mentions):
        if "relative" in m.flags or "dateparser" in m.flags or "month_only" in m.flags:
            continue
        s, e = m.span
        line_start = folded.rfind("\n", 0, s) + 1
        line_end = folded.find("\n", s)
        line_end = len(folded) if line_end < 0 else line_end
        before = folded[max(line_start, s - 40) : s]
        published = (
            _PUBLICATION.search(before) is not None or _WEAK.search(before) is not None
            or _TIMESTAMP.search(folded, s, e) is not None  # "[20/04/2012 11:16:56] PARIS (AFP)": no event gives seconds
        )
        if not published and m.start_date == m.end_date == reference:
            published = bool(
                _LINE_BEFORE_PUBLICATION.fullmatch(folded, line_start, s)
                and (
                    _LINE_AFTER_PUBLICATION.fullmatch(folded, e, line_end)
                    # hours found further down lengthen the mention: the line's byline still tells
                    or (e > line_end and _BYLINE.search(folded, s, line_end) is not None)
                )
            )
        if (
            not published and s == line_start and s > 0 and m.start_date == m.end_date <= reference
            and folded.startswith(" | ", e) and folded[s].isdigit()
        ):
            published = True  # "14/06/2019 | La course se tiendra le 16 juin": a dateline under a title
        if (
            not published and m.start_date == m.end_date == reference and line_start == 0
            and folded.endswith("(", 0, s) and folded.startswith(")", e)
        ):
            published = True  # "Agenda du 6 au 18 juin (05 juin 2011)": the title's own day
        if not published and s == 0 and _BRIEF_PREFIX_AFTER.match(folded, e):
            # "14/09/21 : …" dates the brief; a span, or a day after the page's own, is its subject
            published = m.start_date == m.end_date <= reference
        if published and (k > 0 or any(o.span[0] >= e for o in mentions[k + 1 :])):
            out[k] = DateMention(m.span, m.text, m.start_date, m.end_date, m.start_time, m.end_time,
                                 m.all_day, (*m.flags, "publication"))
    if out[0].start_date == reference and any("publication" in m.flags for m in out):
        # "Agenda du 8 novembre / mardi 8 novembre 2022 par …": the page's day said again in its
        # title is still the page's, when the text goes on to other days.
        for k, m in enumerate(out):
            if (
                m.start_date != reference or m.end_date != reference or m.start_time is not None
                or "relative" in m.flags or "dateparser" in m.flags
            ):
                break
            if "publication" not in m.flags and any(
                o.start_date != reference and "publication" not in o.flags for o in out[k + 1 :]
            ):
                out[k] = _with(m, flags=(*m.flags, "publication"))
    return out


_UNWRITTEN = ("relative", "dateparser", "month_only", "publication", "since", "deadline", "legal_reference")
_FULL_WEEKDAY_NAMES = tuple(_fold(w) for w in _FULL_WEEKDAYS)


def _mark_header_date(folded: str, mentions: list[DateMention]) -> list[DateMention]:
    """Flag "publication" on a day standing alone on the text's first line ("Jeudi 25 avril",
    a news site's date of the day or the page's own) when a day is written further down: when
    the page's day is unknown, that header dates the page, not the event."""
    first = mentions[0]
    s, e = first.span
    if (
        folded[:s].strip()
        or set(_UNWRITTEN) & set(first.flags)
        or first.start_time is not None
        or not folded.startswith(_FULL_WEEKDAY_NAMES, s)  # such headers always name the weekday
    ):
        return mentions
    line_end = folded.find("\n", e)
    if line_end < 0 or not _LINE_AFTER_PUBLICATION.fullmatch(folded, e, line_end):
        return mentions
    if not any(m.span[0] > line_end and not set(_UNWRITTEN) & set(m.flags) for m in mentions[1:]):
        return mentions
    return [_with(first, flags=(*first.flags, "publication")), *mentions[1:]]


def _dateparser_day(phrase: str, reference: date) -> date | None:
    """dateparser for relative words only; imported here because it costs ~0.2 s to load."""
    import dateparser  # type: ignore[import-untyped]

    settings = {
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day, 12, 0),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(phrase, languages=["fr"], settings=settings)
    return parsed.date() if parsed is not None else None


def parse_dates(text: str, *, reference: date, tz: ZoneInfo | str = "Europe/Paris") -> DateMention | None:
    """The main date of `text` (see `main_mention`), or None."""
    if type(text) is not str or type(reference) is not date:  # the exact types pass without a call
        _check_call(text, reference)  # find_dates' checks, less its `precision`
    zone = _ZONES.get(tz) if type(tz) is str else None  # the default zone, known after the first call
    return main_mention(_find_dates(text, _fold(text), reference, zone or _zone(tz)))



def _standing(m: DateMention) -> tuple[bool, ...]:
    """How likely `m` is the event's own date, best first (see `main_mention`)."""
    return (
        "month_only" in m.flags,
        "deadline" in m.flags or "legal_reference" in m.flags or "original_date" in m.flags or "frame" in m.flags
        or "historical" in m.flags,
        "publication" in m.flags,
        "relative" in m.flags or "dateparser" in m.flags or "since" in m.flags,
        "past_tense" in m.flags,
    )


def main_mention(mentions: list[DateMention]) -> DateMention | None:
    """The event's own date among `find_dates` results: the first mention with a day that is not
    a registration deadline ("inscriptions avant le 10 novembre"), the date of a law or the page's
    publication date, written in full rather than relative ("ce samedi"), and not in a past-tense
    report when an announcement is there too, and a day the text speaks from ("en ce samedi 5
    août") over others, which then are more often references to something else ("les traces du 28
    mars"); failing that the best of those, then a bare month ("Novembre 2023"); None for no
    mention."""
    if not mentions:
        return None
    if len(mentions) == 1:
        return mentions[0]
    best = min(mentions, key=_standing)
    if "this_day" not in best.flags and best.start_date == best.end_date:
        # "… en ce samedi 5 août": among days of equal standing, the one the text speaks from
        rank = _standing(best)
        best = next(
            (m for m in mentions if "this_day" in m.flags and m.start_date == m.end_date and _standing(m) == rank),
            best,
        )
    if "relative" in best.flags and _WEEKEND_RE.search(_fold(best.text)):
        # "ce week-end" is approximate: days the text names within it, or on its eve
        # ("prévues ce week-end" … "prévues aujourd'hui et demain", said on a Friday), say which.
        friday = best.start_date - timedelta(days=1)
        rank = _standing(best)[:4]
        best = next(
            (m for m in mentions if m is not best and _standing(m)[:4] == rank and _WEEKEND_RE.search(_fold(m.text)) is None
             and friday <= m.start_date and m.end_date <= best.end_date),
            best,
        )
    if len(mentions) > 1:
        # The same first day written again as a span ("Mercredi 15 juin … du 15 au 18 juin"):
        # the span is the event's.
        longer = [
            m for m in mentions
            if m.start_date == best.start_date and m.end_date > best.end_date
            and not {"publication", "deadline", "legal_reference", "original_date"} & set(m.flags)
        ]
        if longer:
            end = max(m.end_date for m in longer)
            best = DateMention(best.span, best.text, best.start_date, end, best.start_time,
                               best.end_time if best.end_date == best.start_date else None, best.all_day,
                               best.flags)
    if best.start_time is None and len(mentions) > 1:
        # The same day written again with its hours ("le 18 mars … les activités du 18 mars
        # auront lieu de 9h30 à 22h30"): those are the event's hours.
        for m in mentions:
            if (
                m is not best
                and m.start_time is not None
                and m.start_date == best.start_date
                and m.end_date <= best.end_date
                and not {"publication", "deadline", "legal_reference"} & set(m.flags)
            ):
                # its end too when it covers the same days ("13-14 décembre … les 13 et 14, de 10 h à 17 h")
                same_days = m.end_date == m.start_date or (m.start_date, m.end_date) == (best.start_date, best.end_date)
                return DateMention(best.span, best.text, best.start_date, best.end_date, m.start_time,
                                   m.end_time if same_days else None, False, best.flags)
    return best


_REGISTRATION = re.compile(r"(?<!\w)(?:inscri|réserv|reserv|billett|candidat)", re.IGNORECASE)
_SCOPE_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
_SCOPE_CLAUSE_END = re.compile(r"[.!?;,]\s|\n")
_NOT_ANOTHER_EVENT = _NOT_AN_EVENT_DAY | {"past_tense", "relative", "dateparser"}


def other_event_scopes(text: str, mentions: list[DateMention], main: DateMention | None) -> list[tuple[int, int]]:
    """Spans of `text` that speak of another event than the one `main` dates: the sentence of
    each day that `main` does not cover ("Le 21 juin Baie-Mahault accueille la fête de la musique.
    Samedi 22 juin, …"), or only its clause when `main` is in the same sentence ("Prévue à Paris
    le 13 juin, elle a été reportée au 17 octobre"). A place named there is that event's. The
    page's own date, deadlines and laws date no event, and past reports and relative days ("a été
    dévoilée le 14 juin", "samedi, …") mostly speak of the same event: their sentences stay."""
    if main is None or len(mentions) < 2:
        return []
    scopes = []
    for m in mentions:
        if m is main or _NOT_ANOTHER_EVENT & set(m.flags):
            continue
        if m.start_date <= main.end_date and main.start_date <= m.end_date and "original_date" not in m.flags:
            continue  # the same days written again
        left, right = _sentence_bounds(text, m.span[0], m.span[1], len(text), _SCOPE_SENTENCE_END)
        if _REGISTRATION.search(text, left, right):
            continue  # "les inscriptions … débutent dès ce lundi": the date of no event
        if left <= main.span[0] < right:
            left, right = _sentence_bounds(text, m.span[0], m.span[1], len(text), _SCOPE_CLAUSE_END)
            if left <= main.span[0] < right:
                continue
        scopes.append((left, right))
    return scopes


def mention_bounds(m: DateMention, tz: ZoneInfo | str) -> tuple[datetime | date, datetime | date | None]:
    """(start, end) of a mention: aware datetimes in `tz` when timed, dates when all-day.

    All-day: (start_date, end_date), end inclusive. Timed: end is None when no end time was
    given for a one-day event; a multi-day event without an end time ends at its start time
    on its last day.
    """
    zone = _zone(tz)
    if m.all_day or m.start_time is None:
        return m.start_date, m.end_date
    start = datetime.combine(m.start_date, m.start_time, zone)
    if m.end_time is not None:
        return start, datetime.combine(m.end_date, m.end_time, zone)
    if m.end_date != m.start_date:
        return start, datetime.combine(m.end_date, m.start_time, zone)
    return start, None


_ANY_DIGIT = re.compile(r"[0-9]")


def page_reference_date(text: str, *, fallback: date) -> date:
    """The best date to resolve a page's year-less dates against.

    Order of evidence: the page's own full dates (day, month and year, e.g. an event block
    "Du 01 novembre 2021 au 30 novembre 2021"), then its publication date ("Publié le
    12/10/2021"), then `fallback` (the crawl date). An edit date ("mis à jour le 31/03/22") is
    weak: it is used only when nothing else is dated and it is older than `fallback`.
    """
    _check_call(text, fallback)
    folded = _fold(text)
    if not _ANY_DIGIT.search(folded):
        return fallback  # every date it could hold lacks a year
    strong: date | None = None
    published: date | None = None
    edited: date | None = None
    # Relative dates ("demain") are never evidence: dateparser is not asked for them.
    for m in _find_dates(text, folded, fallback, _zone("Europe/Paris"), relative=False):
        if "year_guessed" in m.flags or "month_only" in m.flags or "dateparser" in m.flags:
            continue
        line_start = folded.rfind("\n", 0, m.span[0]) + 1
        before = folded[max(line_start, m.span[0] - 40) : m.span[0]]
        if "legal_reference" in m.flags:
            continue
        if _WEAK.search(before):
            edited = edited or m.start_date
        elif _PUBLICATION.search(before):
            published = published or m.start_date
        elif strong is None:
            strong = m.start_date
    if strong is not None:
        return strong
    if published is not None:
        return published
    if edited is not None and edited < fallback:
        return edited
    return fallback
