"""Datasette for `essagenda serve`: metadata covers the schema, canned queries run, a real server answers."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scraper.items import Event
from storage.datasette import database_name, serve_command_args, write_metadata
from storage.datasette.metadata import QUERIES, TABLES, metadata
from storage.db import open_db
from storage.write import upsert_events

PARIS = ZoneInfo("Europe/Paris")


def sqlite_today(db_path: Path) -> date:
    """'Today' as the canned queries see it (SQLite's localtime), so the test never straddles midnight."""
    with sqlite3.connect(db_path) as conn:
        return date.fromisoformat(conn.execute("select date('now', 'localtime')").fetchone()[0])


def make_db(path: Path) -> Path:
    db = open_db(path)
    today = sqlite_today(path)
    monday = today - timedelta(days=today.weekday())

    def at(day: date, hour: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)

    events = [
        Event(source="cress_occitanie", url="https://www.cress-occitanie.example/agenda/forum",
              title="Forum des coopératives d’activité", start_raw="cette semaine",
              start=at(today, 9), end=at(today, 12), all_day=False, timezone="Europe/Paris",
              city="Toulouse", department="31", region="Occitanie", region_code="76",
              attendance="offline", date_status="ok",
              description_html="<p>Témoignages d’entrepreneurs salariés de CAE.</p>"),
        Event(source="cress_bretagne", url="https://www.cress-bretagne.example/agenda/visite",
              title="Visite d’une recyclerie", start_raw="lundi", start=monday, end=monday, all_day=True,
              timezone="Europe/Paris", city="Brest", department="29", region="Bretagne", region_code="53",
              attendance="offline", date_status="ok"),
        Event(source="ess_france", url="https://www.ess-france.example/agenda/webinaire",
              title="Webinaire achats responsables", start_raw="dans trois semaines",
              start=at(today + timedelta(days=21), 10), end=at(today + timedelta(days=21), 11),
              all_day=False, timezone="Europe/Paris", attendance="online", date_status="ok"),
        Event(source="cress_occitanie", url="https://www.cress-occitanie.example/agenda/annule",
              title="Marché solidaire (annulé)", start_raw="dans dix jours",
              start=today + timedelta(days=10), end=today + timedelta(days=10), all_day=True,
              timezone="Europe/Paris", city="Albi", department="81", region="Occitanie", region_code="76",
              status="cancelled", date_status="ok"),
        Event(source="cress_occitanie", url="https://www.cress-occitanie.example/agenda/prochain",
              title="Assemblée des SCIC", start_raw="dans un mois",
              start=today + timedelta(days=30), end=today + timedelta(days=30), all_day=True,
              timezone="Europe/Paris", city="Nîmes", department="30", region="Occitanie", region_code="76",
              date_status="ok"),
    ]
    upsert_events(db, events, seen_at=datetime.now(PARIS))
    db.close()
    return path


# --------------------------------------------------------------------------- metadata


def test_metadata_describes_every_table_and_column(tmp_path: Path) -> None:
    db = open_db(tmp_path / "essagenda.db")
    shadow = ("events_fts_data", "events_fts_idx", "events_fts_docsize", "events_fts_config")
    names = [t for t in db.table_names() if t not in shadow] + db.view_names()
    missing = []
    for name in names:
        assert name in TABLES, f"table {name} has no description"
        assert TABLES[name].get("description")
        if TABLES[name].get("hidden") or name in db.view_names():
            continue
        described = TABLES[name].get("columns", {})
        missing += [f"{name}.{c.name}" for c in db[name].columns if not described.get(c.name)]
        stale = set(described) - {c.name for c in db[name].columns}
        assert not stale, f"{name}: described columns that do not exist: {stale}"
    assert missing == []
    db.close()


def test_canned_queries_run_on_the_schema(tmp_path: Path) -> None:
    path = make_db(tmp_path / "essagenda.db")
    with sqlite3.connect(path) as conn:
        for name, query in QUERIES.items():
            params = {p: "" for p in ("region", "depuis") if f":{p}" in query["sql"]}
            conn.execute(query["sql"], params).fetchall()
            assert query["title"] and query["description"], name
        week = conn.execute(QUERIES["semaine_par_region"]["sql"], {"region": "Occitanie"}).fetchall()
        assert [row[4] for row in week] == ["Forum des coopératives d’activité"]


def test_metadata_is_keyed_by_the_database_file_name(tmp_path: Path) -> None:
    assert database_name("data/agenda-2026.db") == "agenda-2026"
    written = write_metadata(tmp_path / "data" / "agenda-2026.db", tmp_path)
    loaded = json.loads(written.read_text(encoding="utf-8"))
    assert loaded == metadata("agenda-2026")
    assert loaded["databases"]["agenda-2026"]["tables"]["events"]["fts_table"] == "events_fts"
    args = serve_command_args(tmp_path / "x.db", "127.0.0.1", 8123, metadata_dir=tmp_path)
    assert args[1:4] == ["-m", "datasette", "serve"]
    assert args[args.index("--port") + 1] == "8123" and args[args.index("--host") + 1] == "127.0.0.1"
    assert Path(args[args.index("--metadata") + 1]) == tmp_path / "x-metadata.json"


# --------------------------------------------------------------------------- a real server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def datasette(tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("datasette")
    db_path = make_db(tmp_path / "essagenda.db")
    port = free_port()
    args = serve_command_args(db_path, "127.0.0.1", port, metadata_dir=tmp_path)
    log = (tmp_path / "datasette.log").open("wb")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Datasette did not start:\n" + (tmp_path / "datasette.log").read_text())
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_datasette_serves_canned_queries_search_and_metadata(datasette: str) -> None:
    week = get_json(f"{datasette}/essagenda/semaine_par_region.json?region=76&_shape=array")
    assert [row["title"] for row in week] == ["Forum des coopératives d’activité"]
    everywhere = get_json(f"{datasette}/essagenda/semaine_par_region.json?_shape=array")
    assert [row["region"] for row in everywhere] == ["Bretagne", "Occitanie"]

    online = get_json(f"{datasette}/essagenda/en_ligne.json?_shape=array")
    assert [row["title"] for row in online] == ["Webinaire achats responsables"]
    cancelled = get_json(f"{datasette}/essagenda/annules.json?_shape=array")
    assert [row["title"] for row in cancelled] == ["Marché solidaire (annulé)"]
    per_source = {row["source"]: row for row in get_json(f"{datasette}/essagenda/par_source.json?_shape=array")}
    assert per_source["cress_occitanie"]["evenements"] == 3 and per_source["ess_france"]["a_venir"] == 1

    found = get_json(f"{datasette}/essagenda/events.json?_search=cooperatives&_shape=array")
    assert [row["title"] for row in found] == ["Forum des coopératives d’activité"]

    served = get_json(f"{datasette}/-/metadata.json")
    assert served["title"] == "essagenda"
    assert served["databases"]["essagenda"]["tables"]["events"]["columns"]["start_utc"]
