"""Every event has a région when anything says which: its commune, its département, the page,
or else the région of the source that announces it; and the data says which it was."""

from __future__ import annotations

import pytest

from pipelines.normalize.event import apply_place
from scraper.items import Event


def _event(source_region: str | None, **fields: str) -> Event:
    return Event(source="cress_occitanie", url="https://cress.example/agenda/ouverture",
                 title=fields.pop("title", "Ouverture du Mois de l'ESS"), start_raw="le 3 novembre",
                 source_region=source_region, **fields)


def test_an_online_event_of_a_regional_source_belongs_to_the_sources_region() -> None:
    ev = _event("76", location_raw="En ligne, sur Zoom")
    apply_place(ev)
    assert (ev.attendance, ev.insee) == ("online", None)
    assert (ev.region_code, ev.region, ev.region_from) == ("76", "Occitanie", "source")


def test_an_online_event_of_a_national_source_stays_national() -> None:
    ev = _event(None, location_raw="Webinaire en ligne")
    apply_place(ev)
    assert (ev.region_code, ev.region, ev.region_from) == (None, None, None)


@pytest.mark.parametrize(("fields", "region_code", "origin"), [
    ({"location_raw": "Salle des fêtes, 35000 Rennes"}, "53", "commune"),  # a commune beats the source's région
    ({"department": "29"}, "53", "department"),
    ({"region_code": "84"}, "84", "page"),
])
def test_a_located_event_keeps_the_region_of_its_place_and_says_where_it_came_from(
    fields: dict[str, str], region_code: str, origin: str
) -> None:
    ev = _event("76", **fields)
    apply_place(ev)
    assert (ev.region_code, ev.region_from) == (region_code, origin)


def test_a_timed_event_is_shown_in_its_communes_zone_at_the_same_instant() -> None:
    from datetime import date, datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from pipelines.normalize.event import apply_dates

    written = datetime(2026, 11, 3, 17, 0, tzinfo=timezone(timedelta(hours=4)))
    # The extractor read the page's '+04:00' in its source's default zone (a national page: Paris).
    ev = _event(None, city="Saint-Denis", postal_code="97400")
    ev.start, ev.end = written.astimezone(ZoneInfo("Europe/Paris")), None
    ev.timezone, ev.all_day = "Europe/Paris", False
    apply_place(ev)
    apply_dates(ev, crawl_date=date(2026, 10, 1))
    assert ev.timezone == "Indian/Reunion"
    assert ev.start == written and (ev.start.hour, ev.start.utcoffset()) == (17, timedelta(hours=4))


@pytest.mark.parametrize(("written", "zone", "hour"), [
    ("2026-11-05T17:00:00+04:00", "Indian/Reunion", 17),  # the page's offset is a French zone's
    ("2026-11-05T16:00:00Z", "Europe/Paris", 17),  # a UTC timestamp is no one's local time
    ("2026-11-05T13:00:00-03:00", "America/Cayenne", 13),
])
def test_without_a_commune_the_pages_offset_gives_the_zone_before_the_sources(
    written: str, zone: str, hour: int
) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from pipelines.normalize.event import apply_dates
    from spiders.extract.common import set_dates

    ev = _event("76", title="Webinaire des coopératives", location_raw="en ligne")
    set_dates(ev, datetime.fromisoformat(written), None, tz=ZoneInfo("Europe/Paris"))
    apply_place(ev)
    apply_dates(ev, crawl_date=date(2026, 10, 1))
    assert (ev.region_code, ev.region_from) == ("76", "source")
    assert ev.timezone == zone and ev.start.hour == hour
    assert ev.start == datetime.fromisoformat(written)


@pytest.mark.parametrize(
    ("extractor", "city"),
    [
        ("html", "Albi"),  # an event page that gives its place only in its text
        ("jsonld", "Albi"),
        ("roundup", None),  # an article's item: its text speaks of more than the event
        ("rss", None),
    ],
)
def test_an_event_page_without_a_place_field_is_placed_by_its_text(extractor: str, city: str | None) -> None:
    ev = _event("76", description_html="<p>Les bénévoles vous attendent à la salle des fêtes d'Albi pour "
                                       "un atelier de réparation de vélos.</p>", extractor=extractor)
    apply_place(ev)
    assert ev.city == city
    if city is None:
        assert ev.region_from == "source"


def test_an_event_page_with_a_place_field_is_not_placed_by_its_text() -> None:
    ev = _event("76", location_raw="Maison des associations, Castres",
                description_html="<p>Après l'édition d'Albi, l'atelier vient à vous.</p>", extractor="html")
    apply_place(ev)
    assert ev.city == "Castres"
