"""The registry as documentation: every source is a spider, has a sample site and a test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.normalize.fr_data import REGIONS
from scraper.urls import source_id_for_url
from spiders.registry import RegistryError, load_sources, parse_sources

REPO = Path(__file__).resolve().parents[1]


def test_scrapy_lists_every_registry_source() -> None:
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    names = set(SpiderLoader.from_settings(get_project_settings()).list())
    ids = {s.id for s in load_sources()}
    assert ids <= names
    assert len(ids) >= 19


def test_every_region_has_its_cress_and_the_national_sources_exist() -> None:
    sources = load_sources()
    cress = [s for s in sources if s.id.startswith("cress_")]
    assert sorted(s.region_code for s in cress) == sorted(REGIONS)
    assert {"lemois_ess", "ess_france"} <= {s.id for s in sources}
    for source in sources:
        assert source.region_code is None or source.region_code in REGIONS


def test_unconfirmed_domains_say_so() -> None:
    for source in load_sources():
        if source.domain_confidence == "guess":
            assert "NOT found" in source.notes or "guess" in source.notes.lower(), source.id


def test_spider_classes_carry_the_entry() -> None:
    from spiders import registry_spiders

    for source in load_sources():
        cls = next(c for c in vars(registry_spiders).values() if getattr(c, "name", None) == source.id)
        assert cls.start_urls == source.start_urls
        assert cls.region_code == source.region_code
        assert cls.source_hosts == source.hosts


def test_loading_the_registry_does_not_import_scrapy() -> None:
    code = "import sys, spiders.registry as r; r.load_sources(); print('scrapy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("text", "message"), [
    ('[[source]]\nid = "Bad Id"\nhome = "https://x.org/"\ndomain_confidence = "high"\nengine_confidence = "high"',
     "snake_case"),
    ('[[source]]\nid = "x"\nhome = "ftp://x.org/"\ndomain_confidence = "high"\nengine_confidence = "high"',
     "absolute http"),
    (('[[source]]\nid = "x"\nhome = "https://x.org/"\nregion_code = "99"\ndomain_confidence = "high"\n'
     'engine_confidence = "high"'), "région"),
    (('[[source]]\nid = "x"\nhome = "https://x.org/"\nstart_urls = ["https://y.org/"]\n'
     'domain_confidence = "high"\nengine_confidence = "high"'), "not on one of its hosts"),
    (('[[source]]\nid = "x"\nhome = "https://x.org/"\nstrategy = "magic"\ndomain_confidence = "high"\n'
     'engine_confidence = "high"'), "strategy"),
])
def test_registry_rules(text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_sources(text)


def test_one_entry_is_enough_for_a_new_source() -> None:
    entry = parse_sources(
        '[[source]]\nid = "cress_test"\nname = "CRESS Test"\nregion_code = "53"\nhome = "https://www.x.org/"\n'
        'domain_confidence = "high"\nengine_confidence = "low"\n')[0]
    from spiders.registry_spiders import spider_class_for

    cls = spider_class_for(entry)
    assert (cls.name, cls.start_urls, cls.strategy, entry.enabled) == ("cress_test", ("https://www.x.org/",), "auto", True)


def test_source_id_for_url() -> None:
    assert source_id_for_url("https://www.cresspaca.org/agenda/") == "url_cresspaca_org"
    assert source_id_for_url("http://127.0.0.1:8123/x/") == "url_127_0_0_1_8123"
