"""Decoding, zones and structured date helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scraper.items import Event
from spiders.extract import common


@pytest.mark.parametrize(
    ("body", "ctype", "expected"),
    [
        ("Événement".encode("utf-8-sig"), None, "Événement"),
        ("Événement".encode("cp1252"), None, "Événement"),
        ("<meta charset='iso-8859-1'>Été – 5€".encode("cp1252"), None, "<meta charset='iso-8859-1'>Été – 5€"),
        ("Été".encode("cp1252"), "text/html; charset=ISO-8859-1", "Été"),
        ('<?xml version="1.0" encoding="utf-8"?><a>é</a>'.encode(), None, '<?xml version="1.0" encoding="utf-8"?><a>é</a>'),
        ("Ça".encode("utf-16"), None, "Ça"),
        # A UTF-8 header is read first: the page's latin-1 meta is not consulted...
        ("<meta charset='iso-8859-1'>Été".encode(), "text/html; charset=utf-8", "<meta charset='iso-8859-1'>Été"),
        # ...and bytes that are not UTF-8 after all read as windows-1252.
        ("<meta charset='utf-8'>Été – 5€".encode("cp1252"), "text/html; charset=UTF8",
         "<meta charset='utf-8'>Été – 5€"),
    ],
)
def test_decode_body(body: bytes, ctype: str | None, expected: str) -> None:
    assert common.decode_body(body, ctype) == expected


def test_zones() -> None:
    assert common.zone("Europe/Paris") == ZoneInfo("Europe/Paris")
    assert common.zone("UTC+1").utcoffset(None) == timedelta(hours=1)  # type: ignore[union-attr]
    assert common.zone("GMT-04:00").utcoffset(None) == timedelta(hours=-4)  # type: ignore[union-attr]
    assert common.zone("Romance Standard Time") == ZoneInfo("Europe/Paris")
    assert common.zone("/freeassociation.sourceforge.net/Europe/Paris") == ZoneInfo("Europe/Paris")
    assert common.zone("Nowhere/Atlantis", "Indian/Reunion") == ZoneInfo("Indian/Reunion")
    assert common.tz_name(common.zone("UTC+2")) == "Etc/GMT-2"
    assert common.is_iana("America/Cayenne") and not common.is_iana("UTC+3")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2021-11-04", date(2021, 11, 4)),
        ("2021-11-04T09:00", datetime(2021, 11, 4, 9, 0)),
        ("2021-11-04 09:00:00", datetime(2021, 11, 4, 9, 0)),
        ("2021-11-04T09:00:00+01:00", datetime(2021, 11, 4, 9, 0, tzinfo=timezone(timedelta(hours=1)))),
        ("2021-11-04T08:00:00.000Z", datetime(2021, 11, 4, 8, 0, tzinfo=UTC)),
        ("2021-11-24T14:00:00+0100", datetime(2021, 11, 24, 14, 0, tzinfo=timezone(timedelta(hours=1)))),
        ("20211104T090000", datetime(2021, 11, 4, 9, 0)),
    ],
)
def test_parse_iso(text: str, value: date) -> None:
    got = common.parse_iso(text)
    assert got is not None and got.value == value


@pytest.mark.parametrize("text", ["", "demain", "2021-02-30", "2021-11-04T25:00", None, 12, "2021-11-04T09:00+19:00"])
def test_parse_iso_rejects(text: object) -> None:
    assert common.parse_iso(text) is None


def test_parse_dmy() -> None:
    assert common.parse_dmy("04/11/2021").value == date(2021, 11, 4)  # type: ignore[union-attr]
    assert common.parse_dmy("4.11.21 14h30").value == datetime(2021, 11, 4, 14, 30)  # type: ignore[union-attr]
    assert common.parse_dmy("31/02/2021") is None


def test_span_checks() -> None:
    paris = ZoneInfo("Europe/Paris")
    ev = Event(source="s", url="https://x.example/", title="t", start_raw="x")
    common.set_dates(ev, datetime(2021, 11, 4, 9, 0), datetime(2021, 11, 4, 8, 0), tz=paris)
    assert ev.end is None and ev.date_flags == ["end_before_start"]
    ev = Event(source="s", url="https://x.example/", title="t", start_raw="x")
    common.set_dates(ev, date(2021, 11, 4), date(2061, 11, 4), tz=paris, all_day=True)
    assert ev.end is None and ev.date_flags == ["end_implausible"]
    ev = Event(source="s", url="https://x.example/", title="t", start_raw="x")
    common.set_dates(ev, date(2021, 11, 4), date(2022, 3, 4), tz=paris, all_day=True)
    assert ev.end == date(2022, 3, 4) and ev.date_flags == []


def test_status_from_title() -> None:
    assert common.status_from_title("ANNULÉ - Forum") == "cancelled"
    assert common.status_from_title("[Annulé] Atelier") == "cancelled"
    assert common.status_from_title("Reporté : salon") == "postponed"
    assert common.status_from_title("Complet : atelier") is None
    assert common.status_from_title("Annuler ses dettes : conférence") is None


def test_an_end_at_the_very_start_states_no_end() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from scraper.items import Event
    from spiders.extract import common

    paris = ZoneInfo("Europe/Paris")
    ev = Event(source="s", url="https://x.example/e", title="Lecture publique", start_raw="")
    at = datetime(2026, 6, 2, 18, 30, tzinfo=paris)
    common.set_dates(ev, at, at, tz=paris)
    assert (ev.start, ev.end) == (at, None)
