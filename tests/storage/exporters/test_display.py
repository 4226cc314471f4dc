"""How rows read in pages: French dates and places (storage/exporters/display.py)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from storage.exporters import display
from storage.exporters.ical import event_ics
from tests.storage.exporters.test_html import make_row


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"start": "2021-11-04T09:00:00+01:00", "end": "2021-11-04T12:30:00+01:00"},
         "jeudi 4 novembre, 9 h – 12 h 30"),
        ({"start": "2021-11-04T09:00:00+01:00", "end": None}, "jeudi 4 novembre, 9 h"),
        ({"start": "2021-11-04T08:00:00Z", "end": "2021-11-04T11:30:00Z"},
         "jeudi 4 novembre, 9 h – 12 h 30"),
        ({"start": "2021-11-30", "end": "2021-12-02", "all_day": 1},
         "du mardi 30 novembre au jeudi 2 décembre"),
        ({"start": "2021-11-01", "end": "2021-11-01", "all_day": 1}, "lundi 1er novembre"),
        ({"start": "2021-11-30T18:00:00+01:00", "end": "2021-12-02T13:00:00+01:00"},
         "du mardi 30 novembre à 18 h au jeudi 2 décembre à 13 h"),
        ({"start": "2021-11-04T09:00:00+04:00", "end": "2021-11-04T12:00:00+04:00", "timezone": "Indian/Reunion"},
         "jeudi 4 novembre, 9 h – 12 h (heure de La Réunion)"),
        ({"start": "2021-11-04T00:05:00+01:00", "end": None}, "jeudi 4 novembre, 0 h 05"),
    ],
)
def test_format_when_in_the_generation_year(fields: dict[str, Any], expected: str) -> None:
    assert display.format_when(make_row(**fields), current_year=2021) == expected


def test_format_when_shows_the_year_when_it_is_not_the_generation_year() -> None:
    row = make_row(start="2021-11-30", end="2021-12-02", all_day=1)
    assert display.format_when(row, current_year=2026) == "du mardi 30 novembre au jeudi 2 décembre 2021"
    timed = make_row(start="2021-11-04T09:00:00+01:00", end="2021-11-04T12:30:00+01:00")
    assert display.format_when(timed, current_year=2022) == "jeudi 4 novembre 2021, 9 h – 12 h 30"
    across = make_row(start="2026-12-30", end="2027-01-02", all_day=1)
    assert display.format_when(across, current_year=2026) == (
        "du mercredi 30 décembre 2026 au samedi 2 janvier 2027"
    )


def test_format_when_falls_back_on_the_region_zone() -> None:
    row = make_row(start="2026-12-12T05:00:00Z", end=None, timezone=None, region_code="04")
    assert display.format_when(row, current_year=2026) == "samedi 12 décembre, 9 h (heure de La Réunion)"
    odd = make_row(start="2026-12-12T08:00:00Z", end=None, timezone=42)
    assert display.format_when(odd, current_year=2026) == "samedi 12 décembre, 9 h"
    unknown = make_row(start="2026-12-12T08:00:00Z", end=None, timezone="Mars/Olympus")
    assert display.format_when(unknown, current_year=2026) == "samedi 12 décembre, 9 h"


def test_format_when_survives_missing_or_broken_dates() -> None:
    assert display.format_when(make_row(start=None, start_date=None), current_year=2026) == "date à préciser"
    broken = make_row(start="bientôt", start_date="2026-12-03", end="n'importe quoi")
    assert display.format_when(broken, current_year=2026) == "jeudi 3 décembre"
    extreme = make_row(start="9999-12-31T23:59:59-23:00", start_date="2026-12-03", end="0001-01-01")
    assert display.format_when(extreme, current_year=2026) == "jeudi 3 décembre"
    assert event_ics(make_row(start="9999-12-31", end="9999-12-31", start_date=None, all_day=1))
    backwards = make_row(start="2026-12-03", end="2026-12-01", all_day=1)
    assert display.format_when(backwards, current_year=2026) == "jeudi 3 décembre"


def test_every_weekday_and_month_is_french() -> None:
    words = {display.format_day(date(2026, month, day)) for month in range(1, 13) for day in (1, 8, 15, 22)}
    joined = " ".join(words)
    for name in (*display.WEEKDAYS, *display.MONTHS):
        assert name in joined
    assert not re.search(r"[A-Z]|monday|january", joined)


# --------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"venue": "Halle de la Machine", "city": "Toulouse", "department": "31"},
         "Halle de la Machine, Toulouse, Haute-Garonne (31)"),
        ({"city": "Paris", "department": "75"}, "Paris (75)"),
        ({"department": "2A"}, "Corse-du-Sud (2A)"),
        ({"region_code": "53"}, "Bretagne"),
        ({"venue": "Lyon", "city": "Lyon", "department": "69"}, "Lyon, Rhône (69)"),
        ({}, ""),
    ],
)
def test_format_place(fields: dict[str, Any], expected: str) -> None:
    assert display.format_place(make_row(**fields)) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("76", "en Occitanie"), ("04", "à La Réunion"), ("44", "dans le Grand Est"), ("11", "en Île-de-France")],
)
def test_region_locative(code: str, expected: str) -> None:
    assert display.region_locative(code) == expected
