"""One event's own .ics file, as the HTML programme links it (storage/exporters/ical.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from storage.exporters.ical import event_ics
from tests.storage.exporters.test_html import hostile_row, programme_rows


def test_event_ics_timed_event_has_tzid_and_vtimezone() -> None:
    row = programme_rows()[5]
    cal = icalendar.Calendar.from_ical(event_ics(row))
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "evt-f1b2c3d4e5f60718@essagenda"
    assert event["DTSTART"].params["TZID"] == "Indian/Reunion"
    assert event.decoded("DTSTART") == datetime.fromisoformat("2026-12-12T09:00:00+04:00")
    assert event.decoded("DTEND") == datetime.fromisoformat("2026-12-12T17:00:00+04:00")
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Marché de Noël de l’économie sociale"
    assert str(event["LOCATION"]) == "Saint-Denis, La Réunion (974)"
    assert str(event["URL"]) == "https://www.cress-reunion.example/agenda/marche-noel"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Indian/Reunion"]


def test_event_ics_all_day_event_has_exclusive_end_and_status() -> None:
    assises = icalendar.Calendar.from_ical(event_ics(programme_rows()[2])).walk("VEVENT")[0]
    assert assises["DTSTART"].params.get("VALUE") == "DATE"
    assert assises.decoded("DTSTART") == date(2026, 12, 8)
    assert assises.decoded("DTEND") == date(2026, 12, 11)
    cancelled = icalendar.Calendar.from_ical(event_ics(programme_rows()[4])).walk("VEVENT")[0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and "DTEND" not in cancelled
    online = icalendar.Calendar.from_ical(event_ics(programme_rows()[1])).walk("VEVENT")[0]
    assert str(online["LOCATION"]) == "en ligne"


def test_event_ics_of_hostile_row_is_plain_text() -> None:
    data = event_ics(hostile_row())
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert "URL" not in event
    assert "alert(5)" not in str(event.get("DESCRIPTION", ""))
    assert "\u202e" not in data.decode()
