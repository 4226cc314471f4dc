"""The Events Calendar REST API payloads."""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from spiders.extract import tribe
from tests.spiders.extract.helpers import by_title, run

PARIS = ZoneInfo("Europe/Paris")
API = "https://cress.example.fr/wp-json/tribe/events/v1/events/?per_page=4&start_date=2021-11-01"


def test_list_payload_events_and_next_page() -> None:
    result = run("tribe_list.json", url=API)
    assert result.extractor == "tribe"
    assert len(result.events) == 4
    assert result.next_urls == [
        "https://cress.example.fr/wp-json/tribe/events/v1/events/?page=2&per_page=4&start_date=2021-11-01%2000:00:00"
    ]


def test_timed_event_with_venue_organizer_and_terms() -> None:
    ev = by_title(run("tribe_list.json", url=API), "Rencontre régionale")
    assert ev.title == "Rencontre régionale des SCOP \u2013 édition 2021"
    assert ev.url == "https://cress.example.fr/evenement/rencontre-des-scop/"
    assert ev.start == datetime(2021, 11, 4, 9, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 4, 12, 30, tzinfo=PARIS)
    assert ev.timezone == "Europe/Paris" and ev.all_day is False
    assert ev.start_raw == "2021-11-04 09:00:00 / 2021-11-04 12:30:00"
    assert (ev.venue, ev.address, ev.postal_code, ev.city) == (
        "Salle polyvalente Jean Moulin", "14 avenue de la République", "21000", "Dijon")
    assert ev.latitude == 47.3216
    assert ev.organizer == "Union régionale des SCOP"
    assert ev.image == "https://cress.example.fr/wp-content/uploads/2021/10/scop.jpg"
    assert ev.registration_url.startswith("https://www.helloasso.com/")  # type: ignore[union-attr]
    assert ev.tags == ["Mois de l'ESS", "coopération"]
    assert "<p>" in ev.description_html
    assert ev.date_flags == []


def test_all_day_multi_day_has_inclusive_end_date() -> None:
    ev = by_title(run("tribe_list.json", url=API), "Semaine de la finance")
    assert ev.all_day is True
    assert ev.start == date(2021, 11, 15) and ev.end == date(2021, 11, 19)
    assert ev.venue is None and ev.image is None


def test_utc_offset_zone_keeps_the_wall_clock_and_title_cancellation() -> None:
    ev = by_title(run("tribe_list.json", url=API), "ANNULÉ")
    assert ev.status == "cancelled"
    # 'UTC+0' is a WordPress site left on a manual offset: 14h stays 14h local, not 15h.
    assert ev.start == datetime(2021, 11, 27, 14, 0, tzinfo=PARIS)
    assert ev.timezone == "Europe/Paris"
    assert "timezone_not_iana" in ev.date_flags


def test_online_venue() -> None:
    ev = by_title(run("tribe_list.json", url=API), "Webinaire")
    assert ev.attendance == "online"
    assert ev.start == datetime(2021, 11, 30, 11, 0, tzinfo=PARIS)


def test_single_event_in_its_own_zone() -> None:
    result = run("tribe_single.json", url="https://ess.example.re/wp-json/tribe/events/v1/events/5001")
    assert result.next_urls == []
    [ev] = result.events
    assert ev.timezone == "Indian/Reunion"
    assert ev.start == datetime(2022, 11, 7, 8, 30, tzinfo=ZoneInfo("Indian/Reunion"))
    assert ev.postal_code == "97400"


def test_list_url_always_asks_from_a_start_date() -> None:
    url = tribe.list_url("https://cress.example.fr/wp-json/tribe/events/v1/events?page=3", date(2021, 10, 1))
    q = parse_qs(urlsplit(url).query)
    assert q["start_date"] == ["2021-10-01"] and q["per_page"] == ["50"] and "page" not in q


def test_empty_list_is_not_an_error() -> None:
    from spiders.extract import extract

    result = extract(b'{"events": [], "rest_url": "https://x.example/wp-json/tribe/events/v1/events/", "total": 0}',
                     url="https://x.example/wp-json/tribe/events/v1/events/", source="s")
    assert result.extractor == "tribe" and result.events == [] and result.next_urls == []


def test_payload_with_only_utc_fields_and_virtual_flag() -> None:
    from spiders.extract import extract

    body = json.dumps({"events": [
        {"id": 1, "title": "<strong>Café des possibles</strong>", "utc_start_date": "2021-11-08 17:30:00",
         "utc_end_date": "2021-11-08 19:00:00", "is_virtual": True, "venue": []},
        "not an object",
    ]}).encode()
    result = extract(body, url="https://x.example/wp-json/tribe/events/v1/events", source="s")
    [ev] = result.events
    assert ev.title == "Café des possibles"
    assert ev.start == datetime(2021, 11, 8, 18, 30, tzinfo=PARIS)
    assert ev.attendance == "online"
    assert result.skipped == {"tribe/not_an_object": 1}


def test_native_ids() -> None:
    result = run("tribe_list.json", url=API)
    assert [ev.native_id for ev in result.events] == [
        "tribe:cress.example.fr?id=4121", "tribe:4130", "tribe:4133", "tribe:4140"]
