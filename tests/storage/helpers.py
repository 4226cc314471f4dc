"""Builders shared by the storage tests: a migrated in-memory database and realistic events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from scraper.items import Event
from storage.db import configure

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 3, 6, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 4, 6, 0, tzinfo=UTC)


def memory_db() -> Database:
    return configure(Database(memory=True))


def forum(**overrides: Any) -> Event:
    """The Toulouse ESS forum as the Occitanie CRESS announces it (structured data, timed)."""
    fields: dict[str, Any] = {
        "source": "cress_occitanie",
        "url": "https://www.cress-occitanie.example/agenda/forum-ess-toulouse",
        "title": "Forum de l'économie sociale et solidaire de Toulouse",
        "start_raw": "2026-11-19T09:00:00+01:00",
        "location_raw": "Diagora, 150 rue Pierre-Gilles de Gennes, Labège",
        "description_html": "<p>Une journée d'échanges entre structures de l'ESS et collectivités.</p>",
        "extractor": "jsonld",
        "start": datetime(2026, 11, 19, 9, 0, tzinfo=PARIS),
        "end": datetime(2026, 11, 19, 17, 30, tzinfo=PARIS),
        "all_day": False,
        "timezone": "Europe/Paris",
        "venue": "Diagora",
        "address": "150 rue Pierre-Gilles de Gennes",
        "postal_code": "31670",
        "city": "Labège",
        "insee": "31254",
        "department": "31",
        "region": "Occitanie",
        "region_code": "76",
        "attendance": "offline",
        "tags": ["forum"],
        "date_status": "ok",
        "id": "cress_occitanie:1a2b3c4d5e6f7a8b",
    }
    fields.update(overrides)
    return Event(**fields)


def forum_national() -> Event:
    """The same forum on the national Mois de l'ESS platform: all-day, commune only."""
    return forum(
        source="lemois_ess",
        url="https://lemois-ess.example/evenements/forum-ess-toulouse-labege",
        title="Forum ESS de Toulouse",
        start_raw="19 novembre 2026",
        location_raw="Labège (31)",
        description_html="<p>Forum régional.</p>",
        extractor="openagenda",
        start=date(2026, 11, 19),
        end=date(2026, 11, 19),
        all_day=True,
        venue=None,
        address=None,
        postal_code=None,
        tags=["Mois de l'ESS"],
        id="lemois_ess:0f0e0d0c0b0a0908",
    )


def forum_roundup() -> Event:
    """The same forum inside a press roundup listing the month's events."""
    return forum(
        source="ess_toulouse_roundup",
        url="https://presse.example/2026/11/agenda-ess-novembre",
        title="Mois de l'ESS : le forum de l'économie sociale et solidaire à Toulouse",
        start_raw="le 19 novembre",
        location_raw="Labège",
        description_html="",
        extractor="roundup",
        start=date(2026, 11, 19),
        end=None,
        all_day=True,
        venue=None,
        address=None,
        postal_code=None,
        tags=[],
        id="ess_toulouse_roundup:7766554433221100",
    )


def forum_rennes(**overrides: Any) -> Event:
    """A Breton event of the CRESS Bretagne in Rennes (commune only), on 20 November 2026."""
    fields: dict[str, Any] = {
        "source": "cress_bretagne", "id": "cress_bretagne:1", "url": "https://cress-bretagne.example/forum",
        "title": "Rencontres de l'ESS de Rennes", "city": "Rennes", "insee": "35238", "department": "35",
        "region": "Bretagne", "region_code": "53", "postal_code": "35000", "venue": None, "address": None,
        "start": datetime(2026, 11, 20, 9, 0, tzinfo=PARIS), "end": None,
    }
    fields.update(overrides)
    return forum(**fields)
