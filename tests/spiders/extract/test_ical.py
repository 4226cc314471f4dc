"""iCalendar feeds (RFC 5545)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from spiders.extract import extract
from tests.spiders.extract.helpers import by_title, run

PARIS = ZoneInfo("Europe/Paris")


def test_counts_and_skips() -> None:
    result = run("agenda.ics", content_type="text/calendar; charset=utf-8")
    assert result.extractor == "ical"
    assert len(result.events) == 8
    assert result.skipped == {"ical/no_dtstart": 1, "ical/no_summary": 1}


def test_tzid_event_with_escaped_text_folding_and_properties() -> None:
    ev = by_title(run("agenda.ics"), "Conférence d'ouverture")
    assert ev.start == datetime(2021, 11, 4, 9, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 4, 12, 30, tzinfo=PARIS)
    assert ev.location_raw == "Hôtel de Région, 22 boulevard du Maréchal Juin, 31400 Toulouse"
    assert (ev.postal_code, ev.city) == ("31400", "Toulouse")
    assert "économie circulaire et les achats responsables" in ev.description_html
    assert ev.url == "https://cress.example.fr/evenement/conference-ouverture/"
    assert ev.organizer == "CRESS Occitanie"
    assert ev.tags == ["Conférence", "Mois de l'ESS"]
    assert (ev.latitude, ev.longitude) == (43.5841, 1.4554)
    assert ev.start_raw == "20211104T090000"


def test_utc_event_shown_in_calendar_zone() -> None:
    ev = by_title(run("agenda.ics"), "Ciné-débat")
    assert ev.start == datetime(2021, 11, 9, 18, 0, tzinfo=PARIS)
    assert ev.timezone == "Europe/Paris"


def test_floating_time_uses_calendar_zone_and_url_location_is_online() -> None:
    ev = by_title(run("agenda.ics", tz="America/Cayenne"), "Soirée des bénévoles")
    # X-WR-TIMEZONE names Paris, which beats the source default.
    assert ev.start == datetime(2021, 11, 12, 18, 30, tzinfo=PARIS)
    assert ev.attendance == "online" and ev.online_url == "https://visio.example.org/benevoles"


def test_all_day_dtend_is_exclusive() -> None:
    result = run("agenda.ics")
    multi = by_title(result, "Salon des solutions")
    assert multi.start == date(2021, 11, 22) and multi.end == date(2021, 11, 24) and multi.all_day is True
    one = by_title(result, "Journée portes ouvertes")
    assert one.start == one.end == date(2021, 11, 10)


def test_cancelled_windows_zone_duration_and_implausible_end() -> None:
    result = run("agenda.ics")
    assert by_title(result, "Matinale").status == "cancelled"
    atelier = by_title(result, "Atelier mécénat")
    assert atelier.start == datetime(2021, 11, 25, 14, 0, tzinfo=PARIS)
    assert atelier.end == datetime(2021, 11, 25, 16, 30, tzinfo=PARIS)
    assises = by_title(result, "Assises")
    assert assises.end is None and "end_implausible" in assises.date_flags


def test_lf_only_file_and_unknown_tzid() -> None:
    body = (
        b"BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nSUMMARY:Permanence juridique\n"
        b"DTSTART;TZID=Heure de Paris:20211108T140000\nDTEND;TZID=Heure de Paris:20211108T170000\n"
        b"END:VEVENT\nEND:VCALENDAR\n"
    )
    [ev] = extract(body, url="https://x.example/spip.php?page=ical", source="s").events
    assert ev.start == datetime(2021, 11, 8, 14, 0, tzinfo=PARIS)


def test_broken_component_costs_one_event_not_the_feed() -> None:
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        b"BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Bon\r\nDTSTART:20211108T140000Z\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Mauvais\r\nDTSTART:2021-13-45\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    result = extract(body, url="https://x.example/a.ics", source="s")
    assert [ev.title for ev in result.events] == ["Bon"]
    assert sum(result.skipped.values()) >= 1


def test_utc_stamp_on_local_time_shown_in_the_description() -> None:
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:z1\r\nSUMMARY:Permanence SCOP\r\n"
        "DTSTART:20211108T140000Z\r\nDTEND:20211108T170000Z\r\n"
        "DESCRIPTION:Permanence de 14h à 17h sans rendez-vous.\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    [ev] = extract(body, url="https://x.example/spip.php?page=ical", source="s").events
    assert ev.start == datetime(2021, 11, 8, 14, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 8, 17, 0, tzinfo=PARIS)
    assert ev.date_flags == ["z_as_local"]


def test_native_ids_from_uid_and_recurrence_id() -> None:
    result = run("agenda.ics")
    assert by_title(result, "Ciné-débat").native_id == "ical:evt-102@cress.example.fr"
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:serie-1\r\nSUMMARY:Permanence\r\nDTSTART:20211108T130000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:serie-1\r\nRECURRENCE-ID:20211115T130000Z\r\nSUMMARY:Permanence (décalée)\r\n"
        "DTSTART:20211116T130000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    first, moved = extract(body, url="https://x.example/a.ics", source="s").events
    assert first.native_id == "ical:serie-1" and "recurring" in first.date_flags
    assert moved.native_id == "ical:serie-1#20211115T130000Z"


def test_bare_offset_tzid_keeps_the_wall_clock() -> None:
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:o1\r\nSUMMARY:Atelier vélo\r\n"
        "DTSTART;TZID=UTC+0:20211113T100000\r\nDTEND;TZID=UTC+0:20211113T120000\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:o2\r\nSUMMARY:Atelier couture\r\n"
        "DTSTART;TZID=\"UTC+01:00\":20211113T140000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    velo, couture = extract(body, url="https://x.example/a.ics", source="s").events
    assert velo.start == datetime(2021, 11, 13, 10, 0, tzinfo=PARIS)
    assert velo.end == datetime(2021, 11, 13, 12, 0, tzinfo=PARIS)
    assert velo.date_flags == ["timezone_not_iana"]
    assert couture.start == datetime(2021, 11, 13, 14, 0, tzinfo=PARIS) and couture.date_flags == []
