"""`write_site` end to end: events stored through `storage.write`, the programme written to a folder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from scraper.items import Event
from storage.db import open_db
from storage.exporters import html as site
from storage.write import upsert_events
from tests.storage.exporters.test_html import parse_strict

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)


def stored_events() -> list[Event]:
    def timed(day: date, hour: int, hours: int) -> tuple[datetime, datetime]:
        start = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
        return start, start + timedelta(hours=hours)

    forum_start, forum_end = timed(date(2026, 12, 3), 9, 3)
    past_start, past_end = timed(date(2026, 11, 20), 14, 2)
    visio_start, visio_end = timed(date(2026, 12, 4), 10, 1)
    return [
        Event(
            source="cress_occitanie", url="https://www.cress-occitanie.example/agenda/forum",
            title="Forum des coopératives d’activité", start_raw="3 décembre, 9h-12h",
            start=forum_start, end=forum_end, all_day=False, timezone="Europe/Paris",
            city="Toulouse", postal_code="31000", department="31", region="Occitanie", region_code="76",
            attendance="offline", organizer="CRESS Occitanie", date_status="ok",
            description_html="<p>Présentation des CAE de la région et témoignages d’entrepreneurs salariés.</p>",
        ),
        Event(
            source="cress_bretagne", url="https://www.cress-bretagne.example/agenda/semaine",
            title="Semaine de la finance solidaire en Bretagne", start_raw="du 7 au 9 décembre",
            start=date(2026, 12, 7), end=date(2026, 12, 9), all_day=True, timezone="Europe/Paris",
            city="Brest", department="29", region="Bretagne", region_code="53", attendance="offline",
            date_status="ok",
        ),
        Event(
            source="ess_france", url="https://www.ess-france.example/agenda/visio",
            title="Visio : les achats publics responsables", start_raw="4 décembre, 10h",
            start=visio_start, end=visio_end, all_day=False, timezone="Europe/Paris",
            attendance="online", date_status="ok",
        ),
        Event(
            source="cress_occitanie", url="https://www.cress-occitanie.example/agenda/passe",
            title="Rencontre déjà passée", start_raw="20 novembre",
            start=past_start, end=past_end, all_day=False, timezone="Europe/Paris",
            city="Albi", department="81", region="Occitanie", region_code="76", date_status="ok",
        ),
    ]


@pytest.fixture
def db(tmp_path: Path):
    database = open_db(tmp_path / "essagenda.db")
    upsert_events(database, stored_events(), seen_at=NOW - timedelta(hours=2))
    yield database
    database.close()


def test_write_site_publishes_upcoming_events_pages_and_ics(db, tmp_path: Path) -> None:
    out = tmp_path / "public"
    report = site.write_site(db, out, now=NOW)
    assert (report.events, report.pages, report.ics_files) == (3, 19, 3)
    assert "3 event(s)" in str(report)

    index = parse_strict((out / "index.html").read_bytes())
    titles = index.xpath("//article//h3//text()")
    assert titles == [
        "Forum des coopératives d’activité",
        "Visio : les achats publics responsables",
        "Semaine de la finance solidaire en Bretagne",
    ]
    assert "Rencontre déjà passée" not in (out / "index.html").read_text(encoding="utf-8")
    forum = index.xpath("//article[.//h3//text()='Forum des coopératives d’activité']")[0]
    ics_href = forum.xpath(".//a[@download]/@href")[0]
    assert (out / ics_href).is_file()
    event = icalendar.Calendar.from_ical((out / ics_href).read_bytes()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 9, tzinfo=PARIS)
    assert str(event["UID"]).startswith(forum.get("id")[2:])

    occitanie = parse_strict((out / "region" / "76-occitanie.html").read_bytes())
    assert occitanie.xpath("//article//h3//text()") == ["Forum des coopératives d’activité"]
    assert (out / "region" / "94-corse.html").is_file()


def test_write_site_leaves_unchanged_event_files_alone(db, tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = site.write_site(db, out, now=NOW)
    ics = sorted((out / "events").iterdir())
    stamps = [p.stat().st_mtime_ns for p in ics]
    second = site.write_site(db, out, now=NOW + timedelta(hours=1))
    assert [p.stat().st_mtime_ns for p in ics] == stamps
    assert second.bytes_written < first.bytes_written
    assert "généré le dimanche 29 novembre 2026 à 19 h" in (out / "index.html").read_text(encoding="utf-8")  # the pages themselves are fresh


def test_write_site_date_window(db, tmp_path: Path) -> None:
    out = tmp_path / "public"
    report = site.write_site(db, out, now=NOW, date_from=date(2026, 11, 1), date_to=date(2026, 12, 5))
    assert report.events == 3
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "Rencontre déjà passée" in text and "Semaine de la finance solidaire" not in text


def test_write_site_include_all_publishes_past_events_too(db, tmp_path: Path) -> None:
    out = tmp_path / "public"
    report = site.write_site(db, out, now=NOW, include_all=True)
    assert report.events == 4
    index = parse_strict((out / "index.html").read_bytes())
    assert index.xpath("//section[@class='day']/h2/text()")[0] == "vendredi 20 novembre"
