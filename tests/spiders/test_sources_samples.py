"""Every source against its offline sample: how many events, and one event field by field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from spiders.registry import load_sources
from tests.spiders.samples import crawl_all_sources, crawl_changed_sites

# Structured extractors (tribe, openagenda, ical, jsonld) give dates and places, checked here;
# free-text ones (html, rss, roundup) give raw phrases, which the dates and places pipelines read.
EXPECTED: dict[str, tuple[int, dict[str, Any]]] = {
    "cress_auvergne_rhone_alpes": (6, {
        "url": "https://www.cress-aura.org/evenement/rencontres-solidaires-drome/",
        "title": "Rencontres solidaires de la Drôme", "extractor": "tribe",
        "start": date(2026, 11, 27), "end": date(2026, 11, 28), "all_day": True, "timezone": "Europe/Paris",
        "venue": "Salle des fêtes", "city": "Crest", "postal_code": "26400", "status": "scheduled"}),
    "cress_bourgogne_franche_comte": (5, {
        "url": "https://ess-bfc.org/agenda/semaine-finance-solidaire-auxerre",
        "title": "Semaine de la finance solidaire à Auxerre", "extractor": "html",
        "start_raw": "Du lundi 16 novembre au vendredi 20 novembre 2026",
        "location_raw": "Médiathèque Jacques Lacarrière, 2 bis place des Cordeliers, 89000 Auxerre"}),
    "cress_bretagne": (7, {
        "url": "https://www.ess-bretagne.org/evenement/forum-finance-solidaire-lorient/",
        "title": "Forum de la finance solidaire", "extractor": "tribe",
        "start": datetime.fromisoformat("2026-11-25T09:30:00+01:00"),
        "end": datetime.fromisoformat("2026-11-26T17:00:00+01:00"), "all_day": False,
        "venue": "Espace Nayel", "city": "Lorient", "postal_code": "56100", "status": "scheduled"}),
    "cress_centre_val_de_loire": (4, {
        "url": "https://www.cresscentre.org/soiree-cooperatives-bourges/",
        "title": "Soirée des coopératives", "extractor": "jsonld",
        "start": datetime.fromisoformat("2026-11-27T18:30:00+01:00"),
        "end": datetime.fromisoformat("2026-11-27T21:00:00+01:00"),
        "venue": "Maison de la Culture", "city": "Bourges", "postal_code": "18000", "attendance": "mixed",
        "online_url": "https://www.cresscentre.org/direct-cooperatives"}),
    "cress_corse": (3, {
        "url": "https://www.cress-corsica.org/agenda/conference-regionale-ess-ajaccio.html",
        "title": "Conférence régionale de l'ESS", "extractor": "html",
        "start_raw": "Vendredi 4 décembre 2026, de 9h à 17h30",
        "location_raw": "Palais des congrès d'Ajaccio, Quai l'Herminier, 20000 Ajaccio (et en ligne)"}),
    "cress_grand_est": (5, {
        "url": "https://openagenda.com/agendas/91544720/events/51120460",
        "title": "Remise des Prix de l'ESS Grand Est", "extractor": "openagenda",
        "start": datetime.fromisoformat("2026-11-24T17:30:00+01:00"),
        "end": datetime.fromisoformat("2026-11-24T20:00:00+01:00"),
        "venue": "Maison de la Région", "city": "Strasbourg", "postal_code": "67000", "attendance": "mixed",
        "online_url": "https://www.cress-grandest.org/prix-direct"}),
    "cress_guadeloupe": (4, {
        "url": "https://www.cress-guadeloupe.org/agenda/rencontre-jeunes-entrepreneurs-pointe-a-pitre.html",
        "title": "Rencontre des jeunes entrepreneurs sociaux", "extractor": "html",
        "start_raw": "Mercredi 25 novembre 2026, de 14h à 17h"}),
    "cress_guyane": (3, {
        "url": "https://www.cress-guyane.org/evenement/salon-ess-cayenne/",
        "title": "Salon de l'ESS de Guyane", "extractor": "ical",
        "start": datetime.fromisoformat("2026-11-20T09:00:00-03:00"),
        "end": datetime.fromisoformat("2026-11-21T17:00:00-03:00"), "timezone": "America/Cayenne"}),
    "cress_hauts_de_france": (5, {
        "url": "https://cresshdf.org/evenement/communs-numeriques-lens/",
        "title": "Vingt ans de communs numériques", "extractor": "tribe",
        "start": datetime.fromisoformat("2026-11-06T14:00:00+01:00"),
        "end": datetime.fromisoformat("2026-11-06T18:00:00+01:00"), "city": "Lens", "postal_code": "62300"}),
    "cress_ile_de_france": (5, {
        "url": "https://www.cressidf.org/webinaire-ess-et-quartiers/",
        "title": "Webinaire : l'ESS dans les quartiers prioritaires", "extractor": "jsonld",
        "start": datetime.fromisoformat("2026-11-17T09:45:00+01:00"),
        "end": datetime.fromisoformat("2026-11-17T11:15:00+01:00"), "attendance": "online",
        "online_url": "https://www.cressidf.org/webinaire-quartiers"}),
    "cress_martinique": (3, {
        "url": "https://www.cress-martinique.org/forum-ess-fort-de-france/",
        "title": "Forum de l'ESS de Martinique", "extractor": "jsonld",
        "start": datetime.fromisoformat("2026-11-14T08:30:00-04:00"), "timezone": "America/Martinique",
        "city": "Schœlcher", "postal_code": "97233"}),
    "cress_mayotte": (4, {
        "extractor": "roundup", "start_raw": "Le 21 novembre, de 9h à 11h", "attendance": "online",
        "url": "https://www.cress-mayotte.org/actualites/mois-de-l-ess-2026-le-programme/"
               "#webinaire-sur-le-financement-participatif"}),
    "cress_normandie": (4, {
        "url": "https://www.essnormandie.org/rencontre-scic-rouen/",
        "title": "Rencontre des SCIC normandes", "extractor": "rss",
        "start_raw": "Jeudi 19 novembre, de 14h à 17h30"}),
    "cress_nouvelle_aquitaine": (5, {
        "url": "https://openagenda.com/agendas/48213679/events/73016355",
        "title": "Forum de l'ESS de Niort", "extractor": "openagenda", "status": "cancelled",
        "start": datetime.fromisoformat("2026-12-03T09:00:00+01:00"),
        "end": datetime.fromisoformat("2026-12-04T17:00:00+01:00"), "city": "Niort", "postal_code": "79000"}),
    "cress_occitanie": (6, {
        "url": "https://www.cressoccitanie.org/Coventis-2026",
        "title": "Coventis 2026 : la convention d'affaires de l'ESS en Occitanie", "extractor": "ical",
        "start": datetime.fromisoformat("2026-11-26T09:00:00+01:00"),
        "end": datetime.fromisoformat("2026-11-26T18:00:00+01:00"), "status": "scheduled"}),
    "cress_paca": (5, {
        "url": "https://www.cresspaca.org/s-informer/agenda/festival-alternatives-gap",
        "title": "ANNULÉ – Festival des alternatives", "extractor": "html", "status": "cancelled",
        "start_raw": "Du samedi 21 novembre au dimanche 22 novembre 2026"}),
    "cress_pays_de_la_loire": (4, {
        "url": "https://www.cress-pdl.org/evenement/atelier-cooperatives-habitants-le-mans/",
        "title": "Atelier : créer une coopérative d’habitants", "extractor": "tribe",
        "start": datetime.fromisoformat("2026-11-19T18:30:00+01:00")}),
    "cress_reunion": (4, {
        "url": "https://www.cress-reunion.com/agenda/818-webinaire-scop-scic",
        "title": "Webinaire SCOP et SCIC", "extractor": "rss",
        "start_raw": "Mercredi 18 novembre 2026, de 9h à 10h30"}),
    "entreprendre_montpellier": (7, {
        "extractor": "roundup", "start_raw": "Le 26 novembre", "location_raw": "Labège"}),
    "ess_france": (4, {
        "url": "https://www.ess-france.org/agenda/semaine-achats-responsables-2026",
        "title": "Semaine des achats socialement et écologiquement responsables", "extractor": "html",
        "start_raw": "Du lundi 16 novembre au vendredi 20 novembre 2026"}),
    "lemois_ess": (8, {
        "url": "https://lemois-ess.org/evenement/20588-coup-d-envoi-du-mois-de-l-ess-reunionnais/",
        "title": "Coup d'envoi du Mois de l'ESS réunionnais", "extractor": "jsonld",
        "start": datetime.fromisoformat("2026-11-03T17:00:00+04:00"), "city": "Saint-Denis",
        "postal_code": "97490"}),
}
PICK = {  # which event of each source is checked in full
    "cress_mayotte": "webinaire", "entreprendre_montpellier": "coventis",
}


def _value(field: str, raw: Any) -> Any:
    if field in ("start", "end") and isinstance(raw, str):
        return date.fromisoformat(raw) if len(raw) == 10 else datetime.fromisoformat(raw)
    return raw


def _pick(items: list[dict[str, Any]], source: str) -> dict[str, Any]:
    expected = EXPECTED[source][1]
    if "url" in expected:
        found = [i for i in items if i["url"] == expected["url"]]
    else:
        found = [i for i in items if PICK[source] in i["title"].lower()]
    assert len(found) == 1, [i["url"] for i in items]
    return found[0]


def test_every_source_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(s.id for s in load_sources())


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_source_against_its_sample(source: str) -> None:
    run = crawl_all_sources()[source]
    count, fields = EXPECTED[source]
    items = run["items"]
    assert len(items) == count, sorted(i["title"] for i in items)
    assert all(i["source"] == source for i in items)
    # Items carry real-site URLs, never the loopback server's.
    assert not [i["url"] for i in items if "127.0.0.1" in i["url"]]
    event = _pick(items, source)
    got = {k: _value(k, event[k]) for k in fields}
    assert got == fields
    stats = run["stats"]
    assert stats["ess/health/status"] == "ok"
    assert stats["ess/events"] == count
    assert not stats.get("ess/http_errors")


def test_the_same_event_is_announced_by_three_sources() -> None:
    """Coventis: its CRESS, the national platform and a roundup article, titles worded differently."""
    runs = crawl_all_sources()
    titles = {
        source: [i["title"] for i in runs[source]["items"] if "coventis" in i["title"].lower()]
        for source in ("cress_occitanie", "lemois_ess", "entreprendre_montpellier")
    }
    assert all(len(t) == 1 for t in titles.values()), titles
    assert len({t[0] for t in titles.values()}) == 3


def test_overseas_events_keep_their_zone() -> None:
    runs = crawl_all_sources()
    guyane = runs["cress_guyane"]["items"]
    assert {i["timezone"] for i in guyane} == {"America/Cayenne"}
    assert all(i["start"].endswith("-03:00") for i in guyane)


def test_changed_site_variant() -> None:
    """v2 of the sample: in Bretagne (tribe) a moved time, a cancellation and an event taken off
    the agenda; a cancellation in Occitanie (SPIP iCal)."""
    runs = crawl_changed_sites()
    bretagne = {i["url"].rsplit("/", 2)[-2]: i for i in runs["cress_bretagne"]["items"]}
    assert len(bretagne) == 6 and "webinaire-esus-agrement" not in bretagne
    assert bretagne["degustation-de-projets-brest"]["start"] == "2026-11-10T18:30:00+01:00"
    assert bretagne["monnaie-locale-treguer"]["status"] == "cancelled"
    occitanie = {i["url"].rsplit("/", 1)[-1]: i for i in runs["cress_occitanie"]["items"]}
    assert occitanie["Cine-debat-Toulouse"]["status"] == "cancelled"
    assert occitanie["Coventis-2026"]["status"] == "scheduled"
