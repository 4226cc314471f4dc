"""The published feeds (storage/exporters/feeds.py): every scope on disk, window, filters, OPML, file names."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from storage.db import open_db
from storage.exporters.feeds import feed_specs, publish
from storage.exporters.paths import OPML_PATH, feed_paths
from storage.write import upsert_events
from tests.storage.exporters.rows import sample_rows
from tests.storage.helpers import PARIS, forum

NOW = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)
BASE = "https://essagenda.example/"


def stored_events() -> list[Any]:
    return [
        forum(
            id="cress_occitanie:0000000000000001",
            url="https://cress-occitanie.example/agenda/forum",
            start=datetime(2026, 12, 4, 9, 0, tzinfo=PARIS),
            end=datetime(2026, 12, 4, 17, 0, tzinfo=PARIS),
            start_raw="4 décembre 2026",
            latitude=43.5326,
            longitude=1.5319,
        ),
        forum(
            id="cress_occitanie:0000000000000002",
            url="https://cress-occitanie.example/agenda/bilan",
            title="Bilan du Mois de l'ESS",
            start=datetime(2026, 11, 3, 9, 0, tzinfo=PARIS),
            end=datetime(2026, 11, 3, 12, 0, tzinfo=PARIS),
            start_raw="3 novembre 2026",
        ),
        forum(
            id="ess_france:0000000000000003",
            source="ess_france",
            url="https://ess-france.example/webinaire",
            title="Webinaire agrément ESUS",
            start=datetime(2026, 12, 8, 10, 0, tzinfo=PARIS),
            end=datetime(2026, 12, 8, 11, 0, tzinfo=PARIS),
            start_raw="8 décembre 2026",
            attendance="online",
            online_url="https://visio.example/esus",
            venue=None,
            address=None,
            postal_code=None,
            city=None,
            insee=None,
            department=None,
            region=None,
            region_code=None,
        ),
        forum(
            id="cress_la_reunion:0000000000000004",
            source="cress_la_reunion",
            url="https://cress-reunion.example/agenda/atelier",
            title="Atelier circuits courts",
            start=datetime(2026, 12, 5, 14, 0, tzinfo=ZoneInfo("Indian/Reunion")),
            end=None,
            start_raw="5 décembre 2026",
            timezone="Indian/Reunion",
            city="Saint-Denis",
            postal_code="97400",
            insee="97411",
            department="974",
            region="La Réunion",
            region_code="04",
            status="cancelled",
            latitude=-20.8823,
            longitude=55.4504,
        ),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    database = open_db(tmp_path_factory.mktemp("db") / "essagenda.db")
    upsert_events(database, stored_events(), seen_at=NOW)
    yield database
    database.close()


@pytest.fixture(scope="module")
def published(db: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("site")
    return out, publish(db, out, now=NOW, base_url=BASE)


def rss_titles(path: Path) -> list[str]:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [e.title for e in parsed.entries]


def test_every_scope_is_written_and_parses(published: tuple[Path, Any]) -> None:
    out, report = published
    assert len(report.feeds) == 2 + len(REGIONS) + len(DEPARTMENTS)
    assert report.files == 4 * len(report.feeds) + 1
    for feed in report.feeds:
        rss = feedparser.parse((out / feed.paths["rss"]).read_bytes())
        assert not rss.bozo and len(rss.entries) == feed.events, feed.paths["rss"]
        assert len(json.loads((out / feed.paths["json"]).read_bytes())["items"]) == feed.events
        calendar = icalendar.Calendar.from_ical((out / feed.paths["ics"]).read_bytes())
        assert len(calendar.walk("VEVENT")) == feed.events
    assert not list(out.rglob("*.tmp"))


def test_default_window_is_upcoming_events(published: tuple[Path, Any]) -> None:
    out, report = published
    titles = rss_titles(out / "essagenda.rss")
    assert report.events == 3 and report.date_from == date(2026, 11, 29)
    assert str(report).startswith("Feeds: 3 event(s) (from 2026-11-29), 121 feeds, 485 files")
    assert not any("Bilan du Mois" in t for t in titles)
    assert titles[0].startswith("4 déc. 2026 9h00 · Labège · ")
    assert titles[-1].startswith("8 déc. 2026 10h00 · En ligne · ")


def test_scoped_feeds_hold_their_events(published: tuple[Path, Any]) -> None:
    out, _ = published
    assert len(rss_titles(out / "feeds/region/76-occitanie.rss")) == 1
    assert len(rss_titles(out / "feeds/departement/31.rss")) == 1
    assert rss_titles(out / "feeds/departement/34.rss") == []
    (reunion,) = rss_titles(out / "feeds/region/04-la-reunion.rss")
    assert reunion.startswith("[ANNULÉ] ")
    assert [t.split(" · ")[1] for t in rss_titles(out / "feeds/online.rss")] == ["En ligne"]
    ics = (out / "feeds/region/04-la-reunion.ics").read_bytes()
    assert b"STATUS:CANCELLED" in ics and b"TZID:Indian/Reunion" in ics


def test_each_feed_has_a_map_of_exactly_its_located_events(published: tuple[Path, Any]) -> None:
    from tests.storage.exporters.test_geojson import strict_geojson

    out, report = published
    maps = 0
    for feed in report.feeds:
        assert feed.paths["geojson"] == feed.paths["rss"].removesuffix(".rss") + ".geojson"
        document = strict_geojson((out / feed.paths["geojson"]).read_bytes())
        items = json.loads((out / feed.paths["json"]).read_bytes())["items"]
        expected = [item["id"] for item in items
                    if item["_essagenda"]["latitude"] is not None and item["_essagenda"]["longitude"] is not None]
        assert [f["id"] for f in document["features"]] == expected, feed.paths["geojson"]
        maps += bool(expected)
    national = json.loads((out / "essagenda.geojson").read_bytes())["features"]
    assert [f["geometry"]["coordinates"] for f in national] == [[1.5319, 43.5326], [55.4504, -20.8823]]
    # The online feed's only event has no place: its map is an empty collection.
    assert json.loads((out / "feeds/online.geojson").read_bytes())["features"] == []
    assert maps == 5  # national, Occitanie, Haute-Garonne (31), La Réunion and its département (974)


def test_feed_metadata_points_at_published_urls(published: tuple[Path, Any]) -> None:
    out, _ = published
    doc = json.loads((out / "feeds/region/76-occitanie.json").read_bytes())
    assert doc["feed_url"] == BASE + "feeds/region/76-occitanie.json"
    assert doc["home_page_url"] == BASE + "region/76-occitanie.html"
    assert doc["title"] == "Agenda de l'ESS : Occitanie"


def test_opml_lists_every_feed(published: tuple[Path, Any]) -> None:
    out, report = published
    root = ET.fromstring((out / OPML_PATH).read_bytes())
    assert root.get("version") == "2.0"
    rss = [o.get("xmlUrl") for o in root.iter("outline") if o.get("type") == "rss"]
    links = {o.get("url") for o in root.iter("outline") if o.get("type") == "link"}
    assert rss == [BASE + f.paths["rss"] for f in report.feeds]
    assert {BASE + f.paths["ics"] for f in report.feeds} <= links
    # A map is no subscription: the OPML list leaves the GeoJSON files out.
    assert b".geojson" not in (out / OPML_PATH).read_bytes()
    assert [o.get("text") for o in list(root.find("body"))]  # type: ignore[arg-type] == ["France", "En ligne", "Régions", "Départements"]


def test_include_all_and_filters(db: Any, tmp_path: Path) -> None:
    report = publish(
        db, tmp_path, now=NOW, base_url=BASE, include_all=True, region="Occitanie", formats=("rss",)
    )
    # A filtered export writes only the feeds named for its filter: never the national, online
    # or OPML files, which a subset would overwrite.
    assert [f.kind for f in report.feeds][:2] == ["region", "departement"]
    assert {f.key for f in report.feeds if f.kind == "departement"} == {
        code for code, (_, parent) in DEPARTMENTS.items() if parent == "76"
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds"]
    titles = rss_titles(tmp_path / "feeds" / "region" / "76-occitanie.rss")
    assert len(titles) == 2 and "Bilan du Mois" in titles[0]


def test_date_range_filter(db: Any, tmp_path: Path) -> None:
    report = publish(
        db,
        tmp_path,
        now=NOW,
        date_from=date(2026, 12, 5),
        date_to=date(2026, 12, 6),
        formats=("json",),
        department="974",
    )
    assert [(f.kind, f.key, f.events) for f in report.feeds] == [("departement", "974", 1)]


def test_each_feed_runs_its_own_narrow_query(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []

    def fake_iter_events(db: object, **filters: Any) -> Iterator[dict[str, Any]]:
        calls.append(filters)
        for row in sample_rows():
            if filters["region"] and row["region_code"] != filters["region"]:
                continue
            if filters["department"] and row["department"] != filters["department"]:
                continue
            if filters["online_only"] and row["attendance"] not in ("online", "mixed"):
                continue
            yield row

    report = publish(None, tmp_path, now=NOW, formats=("rss",), iter_events=fake_iter_events)  # type: ignore[arg-type]
    assert len(calls) == len(report.feeds)
    assert all(c["include_all"] and c["date_from"] == date(2026, 11, 29) for c in calls)
    by_scope = {(f.kind, f.key): c for f, c in zip(report.feeds, calls, strict=True)}
    assert by_scope[("region", "28")]["region"] == "28"
    assert by_scope[("departement", "974")]["department"] == "974"
    assert by_scope[("online", None)]["online_only"] is True
    titles = rss_titles(tmp_path / "essagenda.rss")
    assert titles[-1].startswith("[RETIRÉ] ")  # no longer listed, still published, labelled
    assert len(rss_titles(tmp_path / "feeds/online.rss")) == 2


def test_feed_paths_match_the_html_programme_links() -> None:
    from storage.exporters.feedlinks import default_feed_links

    links = default_feed_links()
    assert {link.kind: link.href for link in links.all} == feed_paths("national")
    assert {link.kind: link.href for link in links.online} == feed_paths("online")
    assert links.opml == OPML_PATH
    for code, trio in links.regions.items():
        assert {link.kind: link.href for link in trio} == feed_paths("region", code)
    for code, trio in links.departments.items():
        assert {link.kind: link.href for link in trio} == feed_paths("departement", code)
    assert (
        feed_paths("region", "Provence-Alpes-Côte d'Azur")["rss"]
        == "feeds/region/93-provence-alpes-cote-d-azur.rss"
    )


def test_bad_scopes_are_refused() -> None:
    with pytest.raises(ValueError):
        feed_paths("region", "Atlantide")
    with pytest.raises(ValueError):
        feed_specs(department="99")
    with pytest.raises(ValueError):
        feed_specs(region="76", department="75")
