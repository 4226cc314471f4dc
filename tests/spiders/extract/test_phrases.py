"""Date phrase finder: its shortcuts find exactly what the plain patterns find."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.extract import phrases

# Words and separators the date forms are made of, plus near misses (letters that fold to
# ASCII under IGNORECASE, digits that are not ASCII, punctuation that breaks a phrase).
WORDS = [
    "du", "Du", "au", "depuis", "le", "Le", "les", "à", "À", "a", "partir", "dès", "ce", "et", "jusqu'au",
    "jusqu’au", "lundi", "Mardi", "samedi", "1er", "1", "4", "12", "31", "09", "2021", "2026", "21", "janvier",
    "janv.", "fév", "mars", "mai", "août", "sept.", "nov.", "novembre", "déc.", "12/11/2021", "1/2/21", "3/4",
    "9h", "10h30", "de", "x", "ſ", "n°1", "٣", "l'", "(", "-", "–", ",", "/", ".",
]
SEPARATORS = [" ", "", "  ", "\n", ", ", "/", "-", "\xa0", " • "]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)
)
PLAIN_DATE_RX = re.compile(phrases.DATE_RX.pattern.replace(phrases.DAY_AHEAD, ""), phrases.DATE_RX.flags)


def spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_day_ahead_guard_changes_no_match(text: str) -> None:
    assert spans(phrases.DATE_RX, text) == spans(PLAIN_DATE_RX, text)


@pytest.mark.parametrize("text", [
    "à partir du lundi 12 au mardi 13 novembre", "Du 30 novembre au 2 décembre 2021", "les 4, 5 et 6 mai",
    "dès le samedi 1er octobre", "le 12/11/2021 au 14/11/2021", "depuis le  jeudi\n3 au 5 mars",
])
def test_day_ahead_guard_keeps_the_longest_lead_ins(text: str) -> None:
    assert spans(phrases.DATE_RX, text) == spans(PLAIN_DATE_RX, text) == [(0, len(text))]


def leading_phrase(line: str) -> tuple[int, int, str] | None:
    """date_phrase_at_start as first written: the line's first phrase, if it starts the line."""
    stripped = line.lstrip(" \t•·-–—*►▶>")
    lead = len(line) - len(stripped)
    for p in phrases.iter_date_phrases(stripped):
        return (p.start + lead, p.end + lead, p.text) if p.start <= 3 else None
    return None


@settings(max_examples=400, deadline=None)
@given(texts)
def test_date_phrase_at_start_is_the_first_phrase_near_the_start(line: str) -> None:
    got = phrases.date_phrase_at_start(line)
    assert (got and (got.start, got.end, got.text)) == leading_phrase(line)


@pytest.mark.parametrize(("text", "expected"), [
    ("Forum de l'ESS n°3 Du 01 novembre 2021 au 30 novembre 2021", date(2021, 11, 1)),
    ("Atelier le 12 novembre, 14h, salle 2 (20 places)", None),
    ("Réunion publique 12/10/2021 à 18h", date(2021, 10, 12)),
    ("Rencontre le 31 février 2022 puis le 2 mars 2022", date(2022, 3, 2)),
])
def test_phrase_reference(text: str, expected: date | None) -> None:
    assert phrases.phrase_reference(text) == expected
