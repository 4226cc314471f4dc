"""Behaviour of the dates API: mentions, time zones, page reference, seed page, call errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipelines.normalize.dates import (
    DateMention,
    find_dates,
    main_mention,
    mention_bounds,
    page_reference_date,
    parse_dates,
)
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[3]
PARIS = ZoneInfo("Europe/Paris")


# --- seed page ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    return shared_path("seeds", "000_f31cc45b9343e887.txt").read_text(encoding="utf-8")


def test_seed_reference_is_the_page_own_span_not_the_edit_date(seed_text: str) -> None:
    ref = page_reference_date(seed_text, fallback=date(2026, 11, 29))
    assert ref == date(2021, 11, 1)


def test_seed_seven_events_are_in_2021(seed_text: str) -> None:
    ref = page_reference_date(seed_text, fallback=date(2026, 11, 29))
    bullets = [
        line.strip().removeprefix("\u2022").strip()
        for line in seed_text.splitlines()
        if line.strip().startswith("\u2022")
    ]
    got = []
    for line in bullets:
        m = parse_dates(line, reference=ref)
        assert m is not None, line
        got.append((m.start_date, m.end_date))
    assert got == [
        (date(2021, 11, 15), date(2021, 11, 15)),
        (date(2021, 11, 23), date(2021, 11, 23)),
        (date(2021, 11, 30), date(2021, 12, 2)),
        (date(2021, 12, 2), date(2021, 12, 2)),
        (date(2021, 11, 4), date(2021, 11, 4)),
        (date(2021, 11, 15), date(2021, 11, 19)),
        (date(2021, 11, 25), date(2021, 11, 25)),
    ]


def test_seed_whole_page_attaches_times_and_ignores_plan_years(seed_text: str) -> None:
    ref = page_reference_date(seed_text, fallback=date(2026, 11, 29))
    mentions = find_dates(seed_text, reference=ref)
    by_day = {m.start_date: m for m in mentions}
    assert by_day[date(2021, 11, 4)].start_time == time(9, 0)
    assert by_day[date(2021, 11, 4)].end_time == time(12, 30)
    assert by_day[date(2021, 11, 25)].start_time == time(9, 0)
    assert by_day[date(2021, 11, 25)].end_time == time(18, 0)
    assert by_day[date(2021, 11, 15)].all_day
    # Nothing from "2021-2025", "(2019-2020)", "En 2020", "Du lundi au vendredi".
    assert all(m.start_date.year in (2021, 2022) for m in mentions)
    assert len(mentions) == 9  # page span, edit date, seven events


def test_seed_without_page_reference_goes_forward_from_crawl_date(seed_text: str) -> None:
    m = parse_dates("Le 15 Novembre, Montpellier", reference=date(2026, 11, 29))
    assert m is not None and m.start_date == date(2027, 11, 15)


# --- page reference -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publié le 12/10/2021\nDu 01 novembre 2021 au 30 novembre 2021\nLe 4 novembre", date(2021, 11, 1)),
        ("Publié le 12/10/2021\nLe 4 novembre à Lyon", date(2021, 10, 12)),
        ("Article publié le 3 septembre 2022 par l'équipe", date(2022, 9, 3)),
        ("Mis à jour le 31/03/2022\nLe 4 novembre", date(2022, 3, 31)),
        ("Mis à jour le 31/03/2022\nPublié le 02/10/2021\nLe 4 novembre", date(2021, 10, 2)),
        ("Information mise à jour le 31/03/22\nDu 01 novembre 2021 au 30 novembre 2021", date(2021, 11, 1)),
        ("Le 4 novembre à Lyon", date(2026, 11, 29)),
        ("Rien de daté ici", date(2026, 11, 29)),
        ("Depuis la loi du 31 juillet 2014, l'ESS est reconnue.\nPublié le 12/10/2021", date(2021, 10, 12)),
        ("Association fondée le 3 mars 1998.\nLe 4 novembre à Lyon", date(2026, 11, 29)),
        ("Mis à jour le 31/03/2027", date(2026, 11, 29)),
    ],
)
def test_page_reference_date(text: str, expected: date) -> None:
    assert page_reference_date(text, fallback=date(2026, 11, 29)) == expected


# --- mentions -----------------------------------------------------------------------------------


def test_find_dates_returns_every_mention_in_order_with_spans() -> None:
    text = "Atelier le 14 novembre 2023 de 9h à 12h, puis forum les 22 et 23 novembre 2023."
    mentions = find_dates(text, reference=date(2023, 10, 1))
    assert [(m.start_date, m.end_date) for m in mentions] == [
        (date(2023, 11, 14), date(2023, 11, 14)),
        (date(2023, 11, 22), date(2023, 11, 23)),
    ]
    for m in mentions:
        assert m.text == text[m.span[0] : m.span[1]]
    assert mentions[0].text == "14 novembre 2023 de 9h à 12h"
    assert (mentions[0].start_time, mentions[0].end_time) == (time(9), time(12))
    assert mentions[1].all_day and mentions[1].start_time is None


def test_parse_dates_prefers_a_day_over_a_month_only_mention() -> None:
    m = parse_dates("Novembre 2023 : le forum aura lieu le 14 novembre 2023", reference=date(2023, 10, 1))
    assert m is not None and m.start_date == date(2023, 11, 14) and "month_only" not in m.flags
    only = parse_dates("Novembre 2023", reference=date(2023, 10, 1))
    assert only is not None and only.flags == ("month_only",)
    assert (only.start_date, only.end_date) == (date(2023, 11, 1), date(2023, 11, 30))


def test_non_dates_give_none() -> None:
    for text in ("Durée 22:00", "du mardi au samedi", "01 23 45 67 89", "Plan 2021-2025", ""):
        assert parse_dates(text, reference=date(2023, 10, 1)) is None
        assert find_dates(text, reference=date(2023, 10, 1)) == []


def test_dateparser_is_not_imported_for_plain_dates() -> None:
    code = (
        "import sys; from datetime import date; from pipelines.normalize.dates import find_dates;"
        "find_dates('Le jeudi 16 novembre 2023 à 18h30', reference=date(2023, 10, 1));"
        "print('dateparser' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_relative_words_fall_back_to_dateparser_with_the_reference() -> None:
    m = parse_dates("demain à 18h", reference=date(2023, 11, 15))
    assert m is not None and m.flags == ("dateparser",)
    assert (m.start_date, m.start_time) == (date(2023, 11, 16), time(18))
    assert parse_dates("demain", reference=date(2024, 2, 28)).start_date == date(2024, 2, 29)  # type: ignore[union-attr]


# --- time zones ---------------------------------------------------------------------------------


def test_bounds_are_aware_in_paris_winter_and_summer() -> None:
    winter = parse_dates("le 14 novembre 2023 de 9h à 12h", reference=date(2023, 10, 1))
    summer = parse_dates("le 14 juin 2024 de 9h à 12h", reference=date(2023, 10, 1))
    assert winter is not None and summer is not None
    ws, we = mention_bounds(winter, "Europe/Paris")
    ss, se = mention_bounds(summer, PARIS)
    assert isinstance(ws, datetime) and isinstance(we, datetime)
    assert ws.isoformat() == "2023-11-14T09:00:00+01:00" and we.isoformat() == "2023-11-14T12:00:00+01:00"
    assert isinstance(ss, datetime) and ss.isoformat() == "2024-06-14T09:00:00+02:00"
    assert isinstance(se, datetime) and se.utcoffset() == timedelta(hours=2)


def test_bounds_across_daylight_saving_changes() -> None:
    spring = parse_dates("dimanche 26 mars 2023 de 1h à 4h", reference=date(2023, 1, 1))
    autumn = parse_dates("samedi 28 octobre 2023 de 22h à 4h", reference=date(2023, 1, 1))
    assert spring is not None and autumn is not None
    s0, s1 = mention_bounds(spring, "Europe/Paris")
    assert isinstance(s0, datetime) and isinstance(s1, datetime)
    assert (s0.utcoffset(), s1.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert s1.astimezone(UTC) - s0.astimezone(UTC) == timedelta(hours=2)  # 2:00-3:00 does not exist
    a0, a1 = mention_bounds(autumn, "Europe/Paris")
    assert isinstance(a0, datetime) and isinstance(a1, datetime)
    assert a1.date() == date(2023, 10, 29)
    assert (a0.utcoffset(), a1.utcoffset()) == (timedelta(hours=2), timedelta(hours=1))
    assert a1.astimezone(UTC) - a0.astimezone(UTC) == timedelta(hours=7)  # 2:00-3:00 happens twice


@pytest.mark.parametrize(
    ("zone", "offset"),
    [
        ("America/Guadeloupe", -4),
        ("America/Martinique", -4),
        ("America/Cayenne", -3),
        ("Indian/Reunion", 4),
        ("Indian/Mayotte", 3),
    ],
)
def test_overseas_events_keep_their_own_zone(zone: str, offset: int) -> None:
    m = parse_dates("le 14 novembre 2023 à 18h30", reference=date(2023, 10, 1), tz=zone)
    assert m is not None and m.start_time == time(18, 30)
    start, end = mention_bounds(m, ZoneInfo(zone))
    assert isinstance(start, datetime) and end is None
    assert start.utcoffset() == timedelta(hours=offset)
    assert start.hour == 18


def test_iso_datetime_with_offset_is_converted_to_the_source_zone() -> None:
    m = parse_dates("2023-11-14T22:30:00Z", reference=date(2023, 10, 1), tz="Indian/Reunion")
    assert m is not None and (m.start_date, m.start_time) == (date(2023, 11, 15), time(2, 30))
    paris = parse_dates("2023-11-14T22:30:00Z", reference=date(2023, 10, 1), tz=PARIS)
    assert paris is not None and (paris.start_date, paris.start_time) == (date(2023, 11, 14), time(23, 30))


def test_all_day_bounds_are_dates_never_midnight() -> None:
    m = parse_dates("du 15 au 19 novembre 2023", reference=date(2023, 10, 1))
    assert m is not None and m.all_day
    start, end = mention_bounds(m, "Europe/Paris")
    assert type(start) is date and type(end) is date
    assert (start, end) == (date(2023, 11, 15), date(2023, 11, 19))


def test_multi_day_without_end_time_ends_on_last_day() -> None:
    m = parse_dates("du 15 au 17 novembre 2023 à partir de 9h", reference=date(2023, 10, 1))
    assert m is not None
    start, end = mention_bounds(m, "Europe/Paris")
    assert isinstance(start, datetime) and isinstance(end, datetime)
    assert (start.date(), end.date()) == (date(2023, 11, 15), date(2023, 11, 17))


# --- wrong calls --------------------------------------------------------------------------------


def test_wrong_calls_raise_value_error() -> None:
    with pytest.raises(ValueError):
        find_dates("le 4 novembre", reference=date(2023, 1, 1), tz="Mars/Olympus_Mons")
    with pytest.raises(ValueError):
        find_dates("le 4 novembre", reference=datetime(2023, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        find_dates(None, reference=date(2023, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        page_reference_date("x", fallback="2023-01-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        find_dates("le 4 novembre", reference=date(2023, 1, 1), tz=3)  # type: ignore[arg-type]


def test_mentions_are_frozen() -> None:
    m = parse_dates("le 4 novembre 2023", reference=date(2023, 1, 1))
    assert isinstance(m, DateMention)
    with pytest.raises(AttributeError):
        m.start_date = date(2020, 1, 1)  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["le 1 et " * 4000 + "novembre", "le 4 novembre 9h " * 2000, "1 " * 10000, "du 1 au " * 4000],
    ids=["unfinished-list", "many-dates", "numbers", "unfinished-ranges"],
)
def test_long_adversarial_text_stays_linear(text: str) -> None:
    # Quadratic scans took over a minute on these; linear ones take well under a second.
    import time as clock

    t0 = clock.perf_counter()
    find_dates(text, reference=date(2023, 10, 1))
    assert clock.perf_counter() - t0 < 20


def test_main_mention_passes_over_deadlines_law_dates_and_bare_months() -> None:
    text = (
        "Novembre 2023. Depuis la loi du 31 juillet 2014, l'ESS a un cadre. "
        "Inscriptions avant le 10 novembre. Atelier le 14 novembre 2023 à 9h."
    )
    mentions = find_dates(text, reference=date(2023, 10, 1))
    assert [m.start_date for m in mentions] == [
        date(2023, 11, 1),
        date(2014, 7, 31),
        date(2023, 11, 10),
        date(2023, 11, 14),
    ]
    main = main_mention(mentions)
    assert main is not None and main.start_date == date(2023, 11, 14) and main.start_time == time(9)
    assert parse_dates(text, reference=date(2023, 10, 1)) == main
    assert main_mention([]) is None
    assert main_mention(mentions[:1]) == mentions[0]
