"""`essagenda export` with a window or a filter: the programme follows it like the feeds, and a
subset never goes out under the national file names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from scraper.cli import cli
from storage.db import open_db
from storage.write import upsert_events
from tests.storage.helpers import PARIS, T0, forum, forum_rennes


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "essagenda.db"
    path.parent.mkdir()
    db = open_db(path)
    upsert_events(db, [
        forum(),  # Labège, Occitanie, 19 November 2026
        forum_rennes(),
        forum_rennes(id="cress_bretagne:2", url="https://cress-bretagne.example/bilan",
                     title="Bilan de l'année des coopératives", start=datetime(2026, 10, 2, 9, 0, tzinfo=PARIS)),
    ], seen_at=T0)
    db.close()
    return path


def _export(db_path: Path, out: Path, *options: str) -> None:
    with freeze_time(datetime(2026, 11, 10, 8, 0, tzinfo=UTC)):
        result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "--out", str(out), *options])
    assert result.exit_code == 0, result.output


def test_the_programme_follows_the_feeds_window(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _export(db_path, out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Rencontres de l&#x27;ESS de Rennes" in index or "Rencontres de l'ESS de Rennes" in index
    assert "Bilan de l" not in index  # past: out of the default window, as in the feeds
    assert "Bilan de l" not in (out / "essagenda.rss").read_text(encoding="utf-8")
    _export(db_path, out, "--all")
    assert "Bilan de l" in (out / "index.html").read_text(encoding="utf-8")


def test_a_filtered_export_never_replaces_the_national_files(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _export(db_path, out)
    national = {name: (out / name).read_bytes() for name in ("essagenda.rss", "essagenda.json", "essagenda.ics",
                                                             "feeds.opml", "index.html")}
    _export(db_path, out, "--region", "Occitanie")
    assert {name: (out / name).read_bytes() for name in national} == national
    region_feed = (out / "feeds" / "region" / "76-occitanie.rss").read_text(encoding="utf-8")
    assert "Labège" in region_feed or "Forum de l" in region_feed
    assert "Rennes" not in region_feed
    page = (out / "region" / "76-occitanie.html").read_text(encoding="utf-8")
    assert "Rennes" not in page
    _export(db_path, out, "--department", "35", "--to", str(date(2026, 12, 31)))
    assert {name: (out / name).read_bytes() for name in national} == national


def test_format_geojson_writes_the_maps_alone_and_all_includes_them(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _export(db_path, out, "--format", "geojson")
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written and all(name.endswith(".geojson") for name in written)  # no OPML: a map is no feed
    assert {"essagenda.geojson", "feeds/online.geojson", "feeds/region/53-bretagne.geojson",
            "feeds/departement/35.geojson"} <= set(written)
    _export(db_path, out)
    assert (out / "essagenda.geojson").exists() and (out / "feeds.opml").exists()
    assert b'href="essagenda.geojson" type="application/geo+json"' in (out / "index.html").read_bytes()
