"""Hand-built EventRows for the feed exporter tests: the shapes `storage.read.iter_events` yields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage.exporters import FeedInfo

GENERATED_AT = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)

FEED = FeedInfo(
    title="Agenda de l'ESS",
    link="https://essagenda.example/",
    description="Les rendez-vous de l'économie sociale et solidaire, région par région.",
    feed_url="https://essagenda.example/essagenda.rss",
    generated_at=GENERATED_AT,
)


def row(**fields: Any) -> dict[str, Any]:
    """An EventRow with every contract key, defaults for a scheduled offline event."""
    base: dict[str, Any] = {
        "id": "evt:0000000000000000",
        "title": "Rencontre",
        "description_html": "",
        "url": "https://cress.example/agenda/rencontre",
        "start": None,
        "end": None,
        "start_date": None,
        "end_date": None,
        "start_utc": None,
        "all_day": 0,
        "timezone": "Europe/Paris",
        "venue": None,
        "address": None,
        "postal_code": None,
        "city": None,
        "insee": None,
        "department": None,
        "region": None,
        "region_code": None,
        "latitude": None,
        "longitude": None,
        "attendance": "offline",
        "online_url": None,
        "status": "scheduled",
        "missing": 0,
        "organizer": None,
        "registration_url": None,
        "image": None,
        "tags": [],
        "sources": [],
        "fingerprint": "0" * 16,
        "sequence": 0,
        "first_seen": "2026-10-12T07:15:00Z",
        "last_seen": "2026-11-28T07:15:00Z",
        "updated_at": "2026-10-12T07:15:00Z",
        "date_status": "ok",
    }
    unknown = set(fields) - set(base)
    assert not unknown, unknown
    base.update(fields)
    return base


def sample_rows() -> list[dict[str, Any]]:
    """Six events in iter_events order (start_utc/start_date, id) covering the labelled cases."""
    return [
        row(
            id="evt:1a2b3c4d5e6f7081",
            title="Mois de l'ESS : portes ouvertes des coopératives lilloises",
            description_html="<p>Trois jours pour visiter des <strong>Scop</strong> et des Scic de la métropole.</p>"
            "<ul><li>Ateliers de découverte</li><li>Marché des producteurs</li></ul>",
            url="https://cress-hdf.example/agenda/portes-ouvertes",
            start="2026-11-30",
            end="2026-12-02",
            start_date="2026-11-30",
            end_date="2026-12-02",
            all_day=1,
            venue="Halle de la Filature",
            address="12 rue du Faubourg",
            postal_code="59000",
            city="Lille",
            insee="59350",
            department="59",
            region="Hauts-de-France",
            region_code="32",
            latitude=50.6311,
            longitude=3.0468,
            tags=["Mois de l'ESS", "coopératives"],
            sources=[
                {
                    "source": "cress_hauts_de_france",
                    "url": "https://cress-hdf.example/agenda/portes-ouvertes",
                    "name": "CRESS Hauts-de-France",
                },
                {"source": "lemois_ess", "url": "https://lemois.example/e/9123", "name": "Le Mois de l'ESS"},
            ],
            sequence=1,
            first_seen="2026-10-03T05:00:00Z",
            updated_at="2026-10-20T05:00:00Z",
        ),
        row(
            id="evt:2b3c4d5e6f708192",
            title="Webinaire : financer son projet d'entreprise solidaire",
            description_html="<p>Présentation des prêts d'honneur et de l'agrément ESUS.</p>",
            url="https://ess-france.example/webinaires/financer",
            start="2026-12-03T10:00:00+01:00",
            end="2026-12-03T11:30:00+01:00",
            start_date="2026-12-03",
            end_date="2026-12-03",
            start_utc="2026-12-03T09:00:00Z",
            attendance="online",
            online_url="https://visio.example/rejoindre/financer",
            organizer="ESS France",
            registration_url="https://ess-france.example/inscription/financer",
            sources=[
                {
                    "source": "ess_france",
                    "url": "https://ess-france.example/webinaires/financer",
                    "name": "ESS France",
                }
            ],
        ),
        row(
            id="evt:3c4d5e6f70819203",
            title="Forum régional de l'ESS",
            description_html="<p>Le forum est annulé en raison des intempéries.</p>",
            url="https://cress-occitanie.example/agenda/forum",
            start="2026-12-04T09:30:00+01:00",
            end="2026-12-04T17:00:00+01:00",
            start_date="2026-12-04",
            end_date="2026-12-04",
            start_utc="2026-12-04T08:30:00Z",
            venue="Diagora",
            address="150 rue Pierre-Gilles de Gennes",
            postal_code="31670",
            city="Labège",
            insee="31254",
            department="31",
            region="Occitanie",
            region_code="76",
            attendance="mixed",
            online_url="https://visio.example/forum",
            status="cancelled",
            sequence=3,
            updated_at="2026-11-25T16:40:00Z",
            sources=[
                {
                    "source": "cress_occitanie",
                    "url": "https://cress-occitanie.example/agenda/forum",
                    "name": "CRESS Occitanie",
                }
            ],
        ),
        row(
            id="evt:4d5e6f7081920314",
            title="Atelier\x0b tiers-lieux\x00 et circuits courts",
            description_html="<p>Échanges entre porteurs de projets réunionnais.\x1f</p>",
            url="javascript:alert(1)",
            start="2026-12-05T14:00:00+04:00",
            end="2026-12-05T17:00:00+04:00",
            start_date="2026-12-05",
            end_date="2026-12-05",
            start_utc="2026-12-05T10:00:00Z",
            timezone="Indian/Reunion",
            venue="Case des associations",
            postal_code="97400",
            city="Saint-Denis",
            insee="97411",
            department="974",
            region="La Réunion",
            region_code="04",
            image="data:image/png;base64,AAAA",
            registration_url="ftp://cress-reunion.example/inscription",
            sources=[{"source": "cress_la_reunion", "url": "vbscript:msgbox", "name": "CRESS La Réunion"}],
        ),
        row(
            id="evt:5e6f708192031425",
            title="Nuit de l'innovation sociale",
            description_html="<p>De la soirée du samedi au déjeuner du dimanche, passage à l'heure d'été compris.</p>",
            url="https://cress-bretagne.example/agenda/nuit",
            start="2027-03-27T18:00:00+01:00",
            end="2027-03-28T12:00:00+02:00",
            start_date="2027-03-27",
            end_date="2027-03-28",
            start_utc="2027-03-27T17:00:00Z",
            venue="Le Jardin moderne",
            postal_code="35000",
            city="Rennes",
            insee="35238",
            department="35",
            region="Bretagne",
            region_code="53",
            status="postponed",
            sequence=2,
            sources=[
                {
                    "source": "cress_bretagne",
                    "url": "https://cress-bretagne.example/agenda/nuit",
                    "name": "CRESS Bretagne",
                }
            ],
        ),
        row(
            id="evt:6f70819203142536",
            title="Assemblée générale de la CRESS",
            url="https://cress-normandie.example/agenda/ag",
            start="2027-04-08T18:00:00+02:00",
            start_date="2027-04-08",
            end_date="2027-04-08",
            start_utc="2027-04-08T16:00:00Z",
            city="Caen",
            postal_code="14000",
            department="14",
            region="Normandie",
            region_code="28",
            missing=1,
            sources=[
                {
                    "source": "cress_normandie",
                    "url": "https://cress-normandie.example/agenda/ag",
                    "name": "CRESS Normandie",
                }
            ],
        ),
    ]
