"""find_place / resolve_commune / commune_by_insee: fields, seed page, properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.normalize import places
from pipelines.normalize.fr_data import REGIONS, region_timezone
from pipelines.normalize.fr_places_data import MIXED_PATTERNS, OFFLINE_PATTERNS, ONLINE_PATTERNS
from pipelines.normalize.gazetteer import load, normalize_name
from pipelines.normalize.places import (
    Place,
    commune_by_insee,
    department_of_postal_code,
    find_place,
    resolve_commune,
)
from tests.conftest import shared_path

SEED_NAME = "000_f31cc45b9343e887.txt"


def _seed_items() -> list[str]:
    """The seed page wrapped in a minimal HTML page, then cut into its bulleted event items."""
    seed = shared_path("seeds", SEED_NAME).read_text(encoding="utf-8")
    html = "<html><body><main>" + seed + "</main></body></html>"
    body = re.sub(r"<[^>]+>", "", html)
    items = [chunk.split("\n\n")[0] for chunk in body.split("•")[1:]]
    return [item.strip() for item in items]


def test_seed_page_events_land_in_the_right_places() -> None:
    items = _seed_items()
    assert len(items) == 7
    places = [find_place(item, region_hint="76") for item in items]
    assert all(p is not None for p in places)
    insee = [p.insee for p in places if p]
    assert insee[:4] == ["34172", "34050", "34172", "34172"]
    assert [p.attendance for p in places if p][4:6] == ["online", "online"]
    assert insee[4:6] == [None, None]
    assert insee[6] in {"31254", "31555"}  # Labège or Toulouse
    assert all(p.region == "Occitanie" for p in places if p and p.insee)


def test_full_address_fields() -> None:
    place = find_place("Coventis, Diagora, 150 rue Pierre Gilles de Gennes, 31670 Labège")
    assert place == Place(
        venue=place.venue,
        address="150 rue Pierre Gilles de Gennes",
        postal_code="31670",
        city="Labège",
        insee="31254",
        department="31",
        region="Occitanie",
        region_code="76",
        latitude=place.latitude,
        longitude=place.longitude,
        attendance="offline",
    )
    assert place.venue in {"Coventis", "Diagora"}
    assert place.latitude is not None and place.longitude is not None
    assert 43.4 < place.latitude < 43.7 and 1.4 < place.longitude < 1.7


def test_venue_and_address_from_a_location_line() -> None:
    place = find_place("Maison de l'ESS, 12 rue des Olivettes, 44000 Nantes")
    assert place is not None
    assert (place.venue, place.address, place.postal_code) == ("Maison de l'ESS", "12 rue des Olivettes", "44000")
    place = find_place("Salle des fêtes - Plouër-sur-Rance")
    assert place is not None and place.venue == "Salle des fêtes"
    place = find_place("Lieu : Tiers-lieu La Mine, Arles")
    assert place is not None and place.venue == "Tiers-lieu La Mine"


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Diagora-Labège à Toulouse", "Diagora-Labège"),
        ("Hôtel de Région, Montpellier", "Hôtel de Région"),
        ("Médiathèque de Cholet", "Médiathèque de Cholet"),
        ("Mairie de Saint-Lô, salle du conseil", "Mairie de Saint-Lô"),
        ("SALLE DES FETES, METZ", "SALLE DES FETES"),
        ("Rendez-vous sur Toulouse", None),
        ("Conférence à Lyon", None),
        ("La Ville de Bordeaux organise une rencontre à Talence", None),
        ("Le 15 novembre, Montpellier", None),
        ("Les acteurs de Saint-Étienne Métropole se retrouvent au Zénith", None),
    ],
)
def test_venue(text: str, venue: str | None) -> None:
    place = find_place(text)
    assert place is not None and place.venue == venue


def test_arrondissement_gives_its_postal_code_and_point() -> None:
    p11 = find_place("Paris 11e")
    p16 = find_place("Paris 16ème")
    assert p11 is not None and p16 is not None
    assert (p11.insee, p11.postal_code) == ("75056", "75011")
    assert p16.postal_code == "75016"
    assert p11.longitude is not None and p16.longitude is not None and p11.longitude > p16.longitude
    lyon = find_place("Lyon 3ème")
    assert lyon is not None and (lyon.insee, lyon.postal_code) == ("69123", "69003")


def test_overseas_region_code_gives_the_timezone() -> None:
    cases = {"Saint-Pierre (974)": "Indian/Reunion", "Le Gosier": "America/Guadeloupe",
             "Fort-de-France": "America/Martinique", "Cayenne": "America/Cayenne",
             "Mamoudzou": "Indian/Mayotte", "Ajaccio": "Europe/Paris"}
    for text, zone in cases.items():
        place = find_place(text)
        assert place is not None and region_timezone(place.region_code) == zone, text


def test_homonym_order_postal_code_then_region_then_population() -> None:
    assert find_place("93200 Saint-Denis", region_hint="04").insee == "93066"  # type: ignore[union-attr]
    assert find_place("Saint-Denis", region_hint="11").insee == "93066"  # type: ignore[union-attr]
    assert find_place("Saint-Denis", region_hint="Île-de-France").insee == "93066"  # type: ignore[union-attr]
    assert find_place("Saint-Denis", region_hint="04").insee == "97411"  # type: ignore[union-attr]
    # With no hint at all, the most populous one: Saint-Denis de La Réunion.
    assert find_place("Saint-Denis").insee == "97411"  # type: ignore[union-attr]
    # A département named elsewhere in the text counts before the source's région.
    text = "Le 6B, Saint-Denis. Navette depuis la gare, Seine-Saint-Denis"
    assert find_place(text, region_hint="04").insee == "93066"  # type: ignore[union-attr]


def test_online_url_http_only() -> None:
    place = find_place("Webinaire sur Zoom : https://us02web.zoom.us/j/8123456789?pwd=abc.")
    assert place is not None and place.attendance == "online"
    assert place.online_url == "https://us02web.zoom.us/j/8123456789?pwd=abc"
    place = find_place("En visio : ftp://meet.google.com/abc ou https://meet.google.com/abc-defg-hij")
    assert place is not None and place.online_url == "https://meet.google.com/abc-defg-hij"
    place = find_place("à Lyon, inscriptions sur https://www.helloasso.com/associations/x")
    assert place is not None and place.online_url is None and place.attendance == "offline"


def test_nothing_found() -> None:
    assert find_place("") is None
    assert find_place("   ") is None
    assert find_place("Remise des trophées de l'innovation sociale") is None


def test_department_hint_alone() -> None:
    place = find_place("Quelque part en Gironde (33)")
    assert place is not None and place.city is None
    assert (place.department, place.region_code, place.region) == ("33", "75", "Nouvelle-Aquitaine")


def test_department_of_postal_code() -> None:
    assert department_of_postal_code("31670") == "31"
    assert department_of_postal_code("20000") == "2A"
    assert department_of_postal_code("20167") == "2A"
    assert department_of_postal_code("20200") == "2B"
    assert department_of_postal_code("97400") == "974"
    assert department_of_postal_code("97600") == "976"
    assert department_of_postal_code("98000") is None
    assert department_of_postal_code("3100") is None


# --- resolve_commune / commune_by_insee -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "insee"),
    [
        ("Labège", {"postal_code": "31670"}, "31254"),
        ("LABEGE", {}, "31254"),
        ("Saint-Denis", {"postal_code": "93200"}, "93066"),
        ("Saint-Denis", {"postal_code": "97490"}, "97411"),
        ("St Denis", {"department": "93"}, "93066"),
        ("Saint-Denis", {"region_hint": "11"}, "93066"),
        ("Saint-Denis", {}, "97411"),
        ("Gosier", {}, "97113"),
        ("Le Gosier", {"postal_code": "97190"}, "97113"),
        ("Abymes", {}, "97101"),
        ("Paris 11e", {"postal_code": "75011"}, "75056"),
        ("Paris-11E-Arrondissement", {}, "75056"),
        ("Lyon 3ème", {}, "69123"),
        ("Marseille 1er Arrondissement", {}, "13055"),
        ("Montpellier Cedex 2", {"postal_code": "34064"}, "34172"),
        ("MONTPELLIER CEDEX", {}, "34172"),
        ("Valence", {"postal_code": "26000"}, "26362"),
        ("Valence", {"department": "82"}, "82186"),
        ("Sainte-Colombe", {"postal_code": "69560"}, "69189"),
        ("Cherbourg-Octeville", {}, "50129"),
        ("", {"postal_code": "31670"}, "31254"),
        ("Labege centre", {"postal_code": "31670"}, "31254"),
        ("Labège (31)", {}, "31254"),
        ("Toulouse, France", {}, "31555"),
        ("Montpelier", {}, "34172"),
        ("Toulouze", {"postal_code": "31000"}, "31555"),
        ("Plouer sur Rence", {"postal_code": "22490"}, "22213"),
        ("Paris 11e - 75011", {}, "75056"),
    ],
)
def test_resolve_commune(name: str, kwargs: dict[str, str], insee: str) -> None:
    commune = resolve_commune(name, **kwargs)
    assert commune is not None and commune.insee == insee


def test_resolve_commune_unknown() -> None:
    assert resolve_commune("Atlantis") is None
    assert resolve_commune("Salle des fêtes") is None
    assert resolve_commune("Zoom") is None
    assert resolve_commune("Atlantis", postal_code="99999") is None


def test_commune_by_insee() -> None:
    montpellier = commune_by_insee("34172")
    assert montpellier is not None
    assert (montpellier.name, montpellier.department, montpellier.region_code) == ("Montpellier", "34", "76")
    assert "34000" in montpellier.postal_codes and montpellier.population > 200_000
    assert commune_by_insee("2a004").name == "Ajaccio"  # type: ignore[union-attr]
    assert commune_by_insee("75111").insee == "75056"  # type: ignore[union-attr]
    assert commune_by_insee("69383").insee == "69123"  # type: ignore[union-attr]
    assert commune_by_insee("13216").insee == "13055"  # type: ignore[union-attr]
    assert commune_by_insee("00000") is None


# --- properties -----------------------------------------------------------------------------


def _all_communes() -> list[tuple[str, str]]:
    gaz = load()
    return [(insee, c.name) for insee in sorted(gaz) if (c := gaz.commune(insee))]


def commune_names() -> st.SearchStrategy[tuple[str, str]]:
    """(INSEE code, official name) of any commune of the gazetteer."""
    return st.sampled_from(_all_communes())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commune_names())
def test_any_commune_after_a_is_found(pair: tuple[str, str]) -> None:
    insee, name = pair
    place = find_place(f"à {name}")
    commune = commune_by_insee(insee)
    assert commune is not None
    if normalize_name(name) in {"mars", "avril"}:
        assert place is None  # month names need a postal code or département
        return
    assert place is not None and place.city is not None, name
    # The same commune, a homonym of it, or the commune its name colloquially means ('Salon').
    written_so = {e.commune.insee for e in load().entries(normalize_name(name))}
    assert normalize_name(place.city) == normalize_name(name) or place.insee in written_so


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commune_names())
def test_any_commune_with_its_postal_code_is_exact(pair: tuple[str, str]) -> None:
    insee, name = pair
    commune = commune_by_insee(insee)
    assert commune is not None
    if not commune.postal_codes:
        return
    code = commune.postal_codes[0]
    place = find_place(f"Salle polyvalente, 1 place de l'Église, {code} {name.upper()}")
    assert place is not None and place.insee == insee, (code, name)
    assert resolve_commune(name, postal_code=code).insee == insee  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    place = find_place(text, region_hint="76")
    assert place is None or place.attendance in {None, "offline", "online", "mixed"}
    if place is not None and place.region_code is not None:
        assert place.region_code in REGIONS


@pytest.mark.parametrize(
    ("pattern", "words"),
    [(p, places._REMOTE_WORDS) for p in ONLINE_PATTERNS + MIXED_PATTERNS]
    + [(p, places._ONSITE_WORDS) for p in OFFLINE_PATTERNS],
)
def test_attendance_patterns_contain_a_cue_word(pattern: str, words: tuple[str, ...]) -> None:
    """The cue words decide whether the attendance regexes run at all: a pattern none of them
    is part of would be silently skipped."""

    @settings(max_examples=40, deadline=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def matches_contain_a_word(text: str) -> None:
        assert any(word in text for word in words), text

    matches_contain_a_word()


@pytest.mark.parametrize(
    "text",
    [
        "Rencontre en visio, lien envoyé après inscription",
        "Webinaire de la CRESS",
        "Format hybride : sur place ou à distance",
        "Présentiel et distanciel",
        "Inscription en ligne obligatoire, salle des fêtes de Pessac",
        "Rejoignez-nous sur https://zoom.us/j/123456",
        "Atelier à la Maison de l'ESS, places limitées",
        "Forum 100 % numérique",
        "Live Facebook de la coopérative",
    ],
)
def test_may_be_remote_agrees_with_find_place(text: str) -> None:
    place = find_place(text)
    reads_remote = place is not None and place.attendance in {"online", "mixed"}
    assert places.may_be_remote(text) or not reads_remote


@pytest.mark.parametrize("typo", ["montpelier", "tolouse", "strasbour", "saint etiene", "clermont ferand", "pesac"])
def test_fuzzy_fallback_sees_the_same_close_names_as_a_search_of_every_name(typo: str) -> None:
    from rapidfuzz import fuzz, process

    every = process.extract(typo, list(load().name_keys), scorer=fuzz.ratio, score_cutoff=90, limit=5)
    near = process.extract(typo, places._names_near_length(len(typo)), scorer=fuzz.ratio, score_cutoff=90, limit=5)
    assert [(name, score) for name, score, _ in near] == [(name, score) for name, score, _ in every]
