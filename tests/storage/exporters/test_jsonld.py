"""schema.org Event JSON-LD in the programme (storage/exporters/jsonld.py): mapping, escaping, and the
pages read back with extruct against the database rows they were rendered from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import extruct
import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize.fr_data import REGIONS
from scraper.items import Event
from storage.db import open_db
from storage.exporters import html as site
from storage.exporters.jsonld import ATTENDANCE_MODES, EVENT_STATUSES, event_jsonld, jsonld_script
from storage.exporters.paths import region_page_path
from storage.read import iter_events
from storage.write import upsert_events
from tests.storage.exporters.test_html import hostile_row, make_row, programme_rows

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
SCHEMA = "https://schema.org/"


# --------------------------------------------------------------------------- one event


def by_id(event_id: str) -> dict[str, Any]:
    (found,) = [row for row in programme_rows() if row["id"] == event_id]
    data = event_jsonld(found)
    assert data is not None
    return data


def test_offline_event_has_a_place_with_its_postal_address() -> None:
    data = by_id("evt-a1b2c3d4e5f60718")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Forum de l’emploi solidaire"
    assert (data["startDate"], data["endDate"]) == ("2026-12-03T09:00:00+01:00", "2026-12-03T12:30:00+01:00")
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Halle de la Machine",
        "address": {
            "@type": "PostalAddress",
            "postalCode": "31400",
            "addressLocality": "Toulouse",
            "addressRegion": "Occitanie",
            "addressCountry": "FR",
        },
    }
    assert data["organizer"] == {"@type": "Organization", "name": "CRESS Occitanie"}
    assert data["description"] == (
        "Une matinée pour rencontrer 30 structures de l’insertion qui recrutent dans la métropole."
    )
    assert data["url"] == "https://www.cress-occitanie.example/agenda/forum-emploi-solidaire"
    assert data["sameAs"] == [
        "https://www.cress-occitanie.example/agenda/forum-emploi-solidaire",
        "https://lemois-ess.example/evenement/4211",
    ]
    assert "offers" not in data and "image" not in data and "performer" not in data


def test_online_mixed_and_all_day_events() -> None:
    online = by_id("evt-b1b2c3d4e5f60718")
    assert online["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://visio.example/salle-ess"}
    hybrid = by_id("evt-d1b2c3d4e5f60718")
    assert hybrid["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    place, virtual = hybrid["location"]
    assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Lyon"
    # No link to join given: the event's page, which says how to, stands in.
    assert virtual == {"@type": "VirtualLocation", "url": "https://www.cress-aura.example/agenda/tiers-lieux"}
    assises = by_id("evt-c1b2c3d4e5f60718")
    assert (assises["startDate"], assises["endDate"]) == ("2026-12-08", "2026-12-10")
    reunion = by_id("evt-f1b2c3d4e5f60718")
    assert reunion["startDate"] == "2026-12-12T09:00:00+04:00"
    assert reunion["location"]["address"]["addressRegion"] == "La Réunion"
    assert reunion["location"]["address"]["addressCountry"] == "FR"


def test_statuses_and_what_is_left_unsaid() -> None:
    assert by_id("evt-e1b2c3d4e5f60718")["eventStatus"] == SCHEMA + "EventCancelled"
    assert by_id("evt-g1b2c3d4e5f60718")["eventStatus"] == SCHEMA + "EventPostponed"
    cancelled = by_id("evt-e1b2c3d4e5f60718")
    assert "endDate" not in cancelled and "organizer" not in cancelled and "description" not in cancelled
    bare = event_jsonld(make_row(attendance="offline", city=None, venue=None, region_code=None))
    assert bare is not None
    assert bare["location"] == {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressCountry": "FR"},
    }
    assert event_jsonld(make_row(start=None, start_date=None)) is None


def test_image_and_coordinates_when_known() -> None:
    data = event_jsonld(
        make_row(image="https://cress.example/affiche.jpg", city="Lille", latitude=50.6311, longitude=3.0468)
    )
    assert data is not None and data["image"] == ["https://cress.example/affiche.jpg"]
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 50.6311, "longitude": 3.0468}
    hostile = event_jsonld(hostile_row())
    assert hostile is not None
    # Only http(s) URLs that need no repair: the javascript: page and the one holding markup are left out.
    assert "url" not in hostile and hostile["sameAs"] == ["https://ok.example/page?a=1&b=2"]
    assert "eventAttendanceMode" not in hostile and hostile["eventStatus"] == SCHEMA + "EventScheduled"


# --------------------------------------------------------------------------- escaping


def read_block(fragment: str) -> Any:
    """The data of the only script element of `fragment`, as an HTML parser sees it."""
    tree = html5lib.parse(
        f"<!DOCTYPE html><title>t</title><body><p>{fragment}<i>after</i></p>",
        treebuilder="lxml",
        namespaceHTMLElements=False,
    )
    (script,) = tree.xpath("//script")
    assert script.get("type") == "application/ld+json"
    assert tree.xpath("//i/text()") == ["after"]  # the block ended where it should
    return json.loads(script.text)


def test_no_text_can_end_the_block() -> None:
    data = {
        "name": "</script><script>alert(1)</script>",
        "d": "<!--<script>",
        "e": "a & b > c",
        "u": "\u2028",
    }
    block = jsonld_script(data)
    assert "<" not in block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "\\u003c/script\\u003e" in block and "\\u0026" in block
    assert read_block(block) == data


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&/!-scriptSCRIPT \"'\\\u2028é")), max_size=40))
def test_any_text_round_trips_through_the_block(text: str) -> None:
    assert read_block(jsonld_script({"name": text})) == {"name": text}


# --------------------------------------------------------------------------- the pages


def stored_events() -> list[Event]:
    def paris(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)

    common: dict[str, Any] = {"date_status": "ok", "timezone": "Europe/Paris", "all_day": False}
    return [
        Event(
            source="cress_occitanie",
            url="https://www.cress-occitanie.example/agenda/forum",
            title="Forum des coopératives d’activité & d’emploi",
            start_raw="3 décembre, 9h-12h30",
            start=paris(3, 9),
            end=paris(3, 12, 30),
            venue="Diagora",
            address="150 rue Pierre-Gilles de Gennes",
            postal_code="31670",
            city="Labège",
            department="31",
            region="Occitanie",
            region_code="76",
            latitude=43.5326,
            longitude=1.5319,
            attendance="offline",
            organizer="CRESS Occitanie",
            image="https://www.cress-occitanie.example/forum.jpg",
            description_html="<p>Présentation des <strong>CAE</strong> de la région.</p>",
            **common,
        ),
        Event(
            source="cress_bretagne",
            url="https://www.cress-bretagne.example/agenda/semaine",
            title="Semaine de la finance solidaire",
            start_raw="du 7 au 9 décembre",
            start=date(2026, 12, 7),
            end=date(2026, 12, 9),
            all_day=True,
            timezone="Europe/Paris",
            city="Brest",
            postal_code="29200",
            department="29",
            region="Bretagne",
            region_code="53",
            attendance="offline",
            date_status="ok",
        ),
        Event(
            source="ess_france",
            url="https://www.ess-france.example/agenda/visio",
            title="Visio : les achats publics responsables",
            start_raw="4 décembre, 10h",
            start=paris(4, 10),
            end=paris(4, 11),
            attendance="online",
            online_url="https://visio.example/achats",
            **common,
        ),
        Event(
            source="cress_auvergne_rhone_alpes",
            url="https://www.cress-aura.example/agenda/hybride",
            title="Atelier <tiers-lieux> </script> hybride",
            start_raw="9 décembre, 18h",
            start=paris(9, 18),
            end=paris(9, 20),
            city="Lyon",
            postal_code="69007",
            department="69",
            region="Auvergne-Rhône-Alpes",
            region_code="84",
            attendance="mixed",
            online_url="https://visio.example/tiers-lieux",
            **common,
        ),
        Event(
            source="cress_hauts_de_france",
            url="https://www.cress-hdf.example/agenda/cine",
            title="Ciné-débat commerce équitable",
            start_raw="10 décembre, 19h",
            start=paris(10, 19),
            city="Lille",
            postal_code="59000",
            department="59",
            region="Hauts-de-France",
            region_code="32",
            attendance="offline",
            status="cancelled",
            **common,
        ),
        Event(
            source="cress_occitanie",
            url="https://www.cress-occitanie.example/agenda/cafe",
            title="Café des associations",
            start_raw="15 décembre, 8h30",
            start=paris(15, 8, 30),
            end=paris(15, 10),
            city="Montpellier",
            postal_code="34000",
            department="34",
            region="Occitanie",
            region_code="76",
            attendance="offline",
            status="postponed",
            **common,
        ),
        Event(
            source="cress_reunion",
            url="https://www.cress-reunion.example/agenda/marche",
            title="Marché de Noël solidaire",
            start_raw="12 décembre, 9h",
            start=datetime(2026, 12, 12, 9, tzinfo=REUNION),
            end=datetime(2026, 12, 12, 17, tzinfo=REUNION),
            all_day=False,
            timezone="Indian/Reunion",
            city="Saint-Denis",
            postal_code="97400",
            department="974",
            region="La Réunion",
            region_code="04",
            attendance="offline",
            date_status="ok",
        ),
    ]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    folder = tmp_path_factory.mktemp("programme")
    db = open_db(folder / "essagenda.db")
    try:
        upsert_events(db, stored_events(), seen_at=NOW - timedelta(hours=2))
        site.write_site(db, folder / "public", now=NOW)
        rows = [dict(row) for row in iter_events(db, date_from=NOW.date(), include_all=True)]
    finally:
        db.close()
    assert len(rows) == len(stored_events())
    yield folder / "public", rows


def events_of(page: Path) -> list[dict[str, Any]]:
    found = extruct.extract(
        page.read_text(encoding="utf-8"),
        base_url="https://essagenda.example/",
        syntaxes=["json-ld"],
        uniform=True,
    )["json-ld"]
    assert all(item["@type"] == "Event" for item in found)
    return found


def check_against_row(event: dict[str, Any], row: dict[str, Any]) -> None:
    """The JSON-LD of one event says what its database row says."""
    assert event["name"] == row["title"]
    if row["all_day"]:
        assert (event["startDate"], event["endDate"]) == (row["start_date"], row["end_date"])
    else:
        start = datetime.fromisoformat(event["startDate"])
        assert start.utcoffset() is not None and start == datetime.fromisoformat(row["start"])
        assert start.utcoffset() == datetime.fromisoformat(row["start"]).utcoffset()  # the event's own zone
        if row["end"]:
            assert datetime.fromisoformat(event["endDate"]) == datetime.fromisoformat(row["end"])
        else:
            assert "endDate" not in event
    assert event["eventStatus"] == EVENT_STATUSES[row["status"]]
    assert event["eventAttendanceMode"] == ATTENDANCE_MODES[row["attendance"]]
    locations = event["location"] if isinstance(event["location"], list) else [event["location"]]
    kinds = sorted(location["@type"] for location in locations)
    assert (
        kinds
        == {"offline": ["Place"], "online": ["VirtualLocation"], "mixed": ["Place", "VirtualLocation"]}[
            row["attendance"]
        ]
    )
    for location in locations:
        if location["@type"] == "VirtualLocation":
            assert location["url"] == row["online_url"]
            continue
        address = location["address"]
        assert address["@type"] == "PostalAddress" and address["addressCountry"] == "FR"
        assert address["addressLocality"] == row["city"] and address["postalCode"] == row["postal_code"]
        assert address["addressRegion"] == REGIONS[row["region_code"]].name
        assert address.get("streetAddress") == row["address"]
        assert location["name"] == (row["venue"] or row["city"])
    assert event.get("organizer", {}).get("name") == row["organizer"]
    assert event.get("image", [None]) == [row["image"]]
    assert event["url"] == row["url"]
    assert event["sameAs"] == [source["url"] for source in row["sources"]]


def test_every_event_of_the_index_matches_its_row(published: tuple[Path, list[dict[str, Any]]]) -> None:
    out, rows = published
    events = events_of(out / "index.html")
    assert [event["url"] for event in events] == [row["url"] for row in rows]  # programme order
    for event, row in zip(events, rows, strict=True):
        check_against_row(event, row)
    forum = events[0]
    assert forum["description"] == "Présentation des CAE de la région."
    assert forum["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 43.5326, "longitude": 1.5319}


def test_every_region_page_carries_exactly_its_events(published: tuple[Path, list[dict[str, Any]]]) -> None:
    out, rows = published
    for code in REGIONS:
        events = events_of(out / region_page_path(code))
        expected = [row for row in rows if row["region_code"] == code]
        assert [event["url"] for event in events] == [row["url"] for row in expected], code
        for event, row in zip(events, expected, strict=True):
            check_against_row(event, row)


def test_the_pages_still_parse_and_keep_one_executable_script(published: tuple[Path, Any]) -> None:
    from tests.storage.exporters.test_html import parse_strict

    out, rows = published
    tree = parse_strict((out / "index.html").read_bytes())
    assert len(tree.xpath("//script[not(@type)]")) == 1
    assert len(tree.xpath("//article/script[@type='application/ld+json']")) == len(rows)
    hybrid = tree.xpath("//article[.//a[@href='https://www.cress-aura.example/agenda/hybride']]")[0]
    assert json.loads(hybrid.xpath("script")[0].text)["name"] == "Atelier <tiers-lieux> </script> hybride"
