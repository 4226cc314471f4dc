"""RSS, JSON Feed and iCalendar exporters: golden files, parsers' verdicts, streaming equivalence."""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
from icalendar.parser.string import _foldline

from storage.exporters.ical import fold_line, iter_ical, render_ical
from storage.exporters.jsonfeed import render_jsonfeed
from storage.exporters.rss import iter_rss, render_rss
from tests.storage.exporters.rows import FEED, GENERATED_AT, row, sample_rows

EXPECTED = Path(__file__).parent / "expected"
# ESSAGENDA_UPDATE_GOLDEN=1 rewrites the golden files; review the diff before committing them.
UPDATE = os.environ.get("ESSAGENDA_UPDATE_GOLDEN") == "1"

RENDERERS = {
    "rss": lambda rows: render_rss(rows, feed=FEED),
    "json": lambda rows: render_jsonfeed(rows, feed=FEED),
    "ics": lambda rows: render_ical(rows, feed=FEED, timezones=["Europe/Paris"]),
}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_golden(fmt: str) -> None:
    rendered = RENDERERS[fmt](sample_rows())
    path = EXPECTED / f"events.{fmt}"
    if UPDATE:
        path.write_bytes(rendered)
    assert rendered == path.read_bytes()


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_rendering_consumes_an_iterator_once(fmt: str) -> None:
    assert RENDERERS[fmt](iter(sample_rows())) == RENDERERS[fmt](sample_rows())


# --- RSS -------------------------------------------------------------------------------------


def test_rss_parses_without_bozo_and_keeps_every_event() -> None:
    parsed = feedparser.parse(render_rss(sample_rows(), feed=FEED))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 6
    assert parsed.feed.link == "https://essagenda.example/"
    assert [e.id for e in parsed.entries] == [r["id"] for r in sample_rows()]
    assert all(e.guidislink is False for e in parsed.entries)


def test_rss_titles_carry_status_date_and_place() -> None:
    titles = [e.title for e in feedparser.parse(render_rss(sample_rows(), feed=FEED)).entries]
    assert titles == [
        "30 nov. – 2 déc. 2026 · Lille · Mois de l'ESS : portes ouvertes des coopératives lilloises",
        "3 déc. 2026 10h00 · En ligne · Webinaire : financer son projet d'entreprise solidaire",
        "[ANNULÉ] 4 déc. 2026 9h30 · Labège + en ligne · Forum régional de l'ESS",
        "5 déc. 2026 14h00 · Saint-Denis · Atelier tiers-lieux et circuits courts",
        "[REPORTÉ] 27 mars – 28 mars 2027 · Rennes · Nuit de l'innovation sociale",
        "[RETIRÉ] 8 avr. 2027 18h00 · Caen · Assemblée générale de la CRESS",
    ]


def test_rss_pubdate_is_first_seen_never_the_event_date() -> None:
    entries = feedparser.parse(render_rss(sample_rows(), feed=FEED)).entries
    published = [datetime(*e.published_parsed[:6]).isoformat() for e in entries]
    assert published == [r["first_seen"].removesuffix("Z") for r in sample_rows()]


def test_rss_category_is_region_and_unsafe_links_are_dropped() -> None:
    entries = feedparser.parse(render_rss(sample_rows(), feed=FEED)).entries
    assert [[t.term for t in e.get("tags", [])] for e in entries] == [
        ["Hauts-de-France"],
        [],
        ["Occitanie"],
        ["La Réunion"],
        ["Bretagne"],
        ["Normandie"],
    ]
    reunion = entries[3]
    assert "link" not in reunion or not reunion.link.startswith("javascript")
    assert "vbscript" not in reunion.description and "ftp:" not in reunion.description


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 200])
def test_rss_chunks_are_identical_to_one_feedgen_document(chunk_size: int) -> None:
    rows = sample_rows() * 3
    whole = b"".join(iter_rss(rows, feed=FEED, chunk_size=10_000))
    assert b"".join(iter_rss(rows, feed=FEED, chunk_size=chunk_size)) == whole
    assert whole.count(b"<item>") == 18


def test_rss_without_rows_is_a_valid_empty_channel() -> None:
    parsed = feedparser.parse(render_rss([], feed=FEED))
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.title == "Agenda de l'ESS"


# --- JSON Feed -------------------------------------------------------------------------------


def test_jsonfeed_document() -> None:
    doc = json.loads(render_jsonfeed(sample_rows(), feed=FEED))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == FEED.feed_url and doc["home_page_url"] == FEED.link
    assert [i["id"] for i in doc["items"]] == [r["id"] for r in sample_rows()]
    first = doc["items"][0]
    assert first["date_published"] == "2026-10-03T05:00:00Z"
    assert first["date_modified"] == "2026-10-20T05:00:00Z"
    assert first["tags"] == ["Mois de l'ESS", "coopératives"]
    ext = first["_essagenda"]
    assert ext["start"] == "2026-11-30" and ext["end"] == "2026-12-02" and ext["all_day"] is True
    assert (ext["city"], ext["insee"], ext["department"], ext["region"]) == (
        "Lille",
        "59350",
        "59",
        "Hauts-de-France",
    )
    assert [s["url"] for s in ext["sources"]] == [
        "https://cress-hdf.example/agenda/portes-ouvertes",
        "https://lemois.example/e/9123",
    ]
    assert doc["items"][1]["_essagenda"]["online_url"] == "https://visio.example/rejoindre/financer"
    assert doc["items"][2]["title"].startswith("[ANNULÉ] ")
    assert doc["items"][2]["_essagenda"]["status"] == "cancelled"


def test_jsonfeed_publishes_only_http_urls_and_no_control_characters() -> None:
    data = render_jsonfeed(sample_rows(), feed=FEED)
    reunion = json.loads(data)["items"][3]
    assert "url" not in reunion and "image" not in reunion
    assert reunion["_essagenda"]["registration_url"] is None
    assert reunion["_essagenda"]["sources"] == [{"source": "cress_la_reunion", "name": "CRESS La Réunion"}]
    assert reunion["title"] == "5 déc. 2026 14h00 · Saint-Denis · Atelier tiers-lieux et circuits courts"
    assert not any(ord(c) < 32 and c not in "\n" for c in data.decode())


def test_jsonfeed_items_are_one_per_line_and_empty_feed_is_valid() -> None:
    lines = render_jsonfeed(sample_rows(), feed=FEED).decode().splitlines()
    assert sum(1 for line in lines if line.startswith('{"id": "evt:')) == 6
    assert json.loads(render_jsonfeed([], feed=FEED))["items"] == []


# --- iCalendar -------------------------------------------------------------------------------


def events_of(data: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_ical_every_event_has_uid_dtstamp_dtstart() -> None:
    events = events_of(render_ical(sample_rows(), feed=FEED))
    assert len(events) == 6
    for event in events:
        assert event.get("UID") and event.get("DTSTAMP") and event.get("DTSTART")
        assert event.decoded("DTSTAMP") == GENERATED_AT
    assert [str(e["UID"]) for e in events] == [f"{r['id']}@essagenda" for r in sample_rows()]


def test_ical_all_day_dtend_is_exclusive() -> None:
    data = render_ical(sample_rows(), feed=FEED)
    first = events_of(data)[0]
    assert first.decoded("DTSTART") == date(2026, 11, 30)
    assert first.decoded("DTEND") == date(2026, 12, 3)
    assert b"DTSTART;VALUE=DATE:20261130\r\nDTEND;VALUE=DATE:20261203\r\n" in data


def test_ical_one_day_all_day_event_lasts_one_day() -> None:
    single = row(start="2026-12-10", start_date="2026-12-10", end_date="2026-12-10", all_day=1)
    (event,) = events_of(render_ical([single], feed=FEED))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1)


def test_ical_timed_events_use_tzid_with_a_vtimezone_per_zone() -> None:
    data = render_ical(sample_rows(), feed=FEED)
    cal = icalendar.Calendar.from_ical(data)
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == ["Europe/Paris", "Indian/Reunion"]
    events = events_of(data)
    reunion = events[3]
    assert reunion["DTSTART"].params["TZID"] == "Indian/Reunion"
    assert reunion.decoded("DTSTART").utcoffset() == timedelta(hours=4)
    night = events[4]
    assert b"DTSTART;TZID=Europe/Paris:20270327T180000\r\nDTEND;TZID=Europe/Paris:20270328T120000\r\n" in data
    start, end = night.decoded("DTSTART"), night.decoded("DTEND")
    assert (start.utcoffset(), end.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=17)  # one hour lost to DST


def test_ical_declared_zones_come_before_events_others_after() -> None:
    data = render_ical(sample_rows(), feed=FEED, timezones=["Europe/Paris"])
    first_event = data.index(b"BEGIN:VEVENT")
    assert data.index(b"TZID:Europe/Paris") < first_event < data.index(b"TZID:Indian/Reunion")
    assert data.count(b"BEGIN:VTIMEZONE") == 2


def test_ical_status_sequence_and_last_modified() -> None:
    events = events_of(render_ical(sample_rows(), feed=FEED))
    assert [str(e["STATUS"]) for e in events] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
        "CONFIRMED",
        "TENTATIVE",
        "TENTATIVE",
    ]
    assert [int(e["SEQUENCE"]) for e in events] == [r["sequence"] for r in sample_rows()]
    assert events[2].decoded("LAST-MODIFIED").isoformat() == "2026-11-25T16:40:00+00:00"
    assert str(events[2]["SUMMARY"]) == "[ANNULÉ] Forum régional de l'ESS"


def test_ical_text_is_plain_and_urls_are_http_only() -> None:
    events = events_of(render_ical(sample_rows(), feed=FEED))
    lille = events[0]
    assert str(lille["LOCATION"]) == "Halle de la Filature, 12 rue du Faubourg, 59000 Lille"
    assert str(lille["DESCRIPTION"]).startswith(
        "Trois jours pour visiter des Scop et des Scic de la métropole.\n\n- Ateliers de découverte\n"
    )
    reunion = events[3]
    assert "URL" not in reunion
    assert "vbscript" not in str(reunion["DESCRIPTION"]) and "ftp:" not in str(reunion["DESCRIPTION"])
    assert str(reunion["SUMMARY"]) == "Atelier tiers-lieux et circuits courts"


def test_ical_skips_rows_without_a_start() -> None:
    assert events_of(render_ical([row(start=None), *sample_rows()[:1]], feed=FEED)) != []
    assert len(events_of(render_ical([row(start=None), *sample_rows()[:1]], feed=FEED))) == 1


def test_fold_line_matches_icalendar() -> None:
    rng = random.Random(5545)
    alphabet = "ab ,;é€𝄞\\^:"
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 260)))
        assert fold_line(line) == _foldline(line).encode()


def test_ical_stream_yields_header_before_reading_rows() -> None:
    def rows() -> Any:
        raise AssertionError("rows read too early")
        yield  # pragma: no cover

    chunks = iter_ical(rows(), feed=FEED)
    assert next(chunks).startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def random_row(rng: random.Random, i: int) -> dict[str, Any]:
    pieces = ["Forum", "é", "€", "𝄞", ",", ";", "\\", "\\N", "\n", "\r\n", "  ", "^", ":", '"', "ESS "]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
    zone = rng.choice(["Europe/Paris", "Indian/Reunion", "America/Cayenne", "America/Guadeloupe"])
    all_day = rng.random() < 0.3
    day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 700))
    start = (
        day.isoformat() if all_day else f"{day}T{rng.randint(0, 23):02d}:{rng.choice((0, 30)):02d}:00+01:00"
    )
    return row(
        id=f"evt:{i:04d}{text[:5]}",
        title=text,
        description_html=f"<p>{text * rng.randint(1, 4)}</p>",
        url=rng.choice([None, "https://cress.example/a,b;c", "javascript:x"]),
        start=start,
        start_date=day.isoformat(),
        end_date=(day + timedelta(days=rng.randint(0, 2))).isoformat(),
        all_day=int(all_day),
        timezone=zone,
        venue=text[:20],
        city=rng.choice([None, "Saint-Denis", "Labège"]),
        region=rng.choice([None, "La Réunion", "Provence-Alpes-Côte d'Azur"]),
        status=rng.choice(["scheduled", "cancelled", "postponed"]),
        missing=rng.randint(0, 1),
        sequence=rng.randint(0, 9),
        updated_at=rng.choice([None, "2026-11-02T08:00:00Z"]),
    )


def test_fast_vevent_matches_icalendar_component() -> None:
    from storage.exporters.ical import _fast_vevent, _fields, _to_ical, vevent_component

    rng = random.Random(2445)
    rows = sample_rows() + [random_row(rng, i) for i in range(400)]
    for event_row in rows:
        decided = _fields(event_row, dtstamp=GENERATED_AT)
        assert decided is not None
        fields, _ = decided
        assert _fast_vevent(fields) == _to_ical(vevent_component(fields)), event_row["id"]


def test_zones_outside_the_regions_go_through_icalendar() -> None:
    utc_row = row(start="2026-12-04T09:00:00+00:00", timezone="UTC", start_date="2026-12-04")
    (event,) = events_of(render_ical([utc_row], feed=FEED))
    assert event.decoded("DTSTART") == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    assert b"BEGIN:VTIMEZONE" not in render_ical([utc_row], feed=FEED)
