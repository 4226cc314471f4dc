"""URL rules: season bounds, the sample's local URLs and the real ones, The Events Calendar's start
date, event pages."""

from __future__ import annotations

from datetime import date

import pytest

from scraper.urls import is_event_link, season_start, to_local, to_real, url_out_of_season, with_tribe_start

CRAWL_DATE = date(2026, 10, 15)


def test_season_start() -> None:
    assert season_start(date(2026, 10, 15)) == date(2026, 9, 1)
    assert season_start(date(2027, 2, 1)) == date(2026, 9, 1)
    assert season_start(date(2026, 9, 1)) == date(2026, 9, 1)


@pytest.mark.parametrize(("url", "out"), [
    ("https://x.org/agenda/?mois=2031-04", True),
    ("https://x.org/agenda/?mois=2027-10", False),
    ("https://x.org/agenda/?mois=2026-08", True),
    ("https://x.org/2019/11/mois-de-l-ess/", True),
    ("https://x.org/2026/10/forum/", False),
    ("https://x.org/agenda/?annee=2018", True),
    ("https://x.org/evenements/?tribe-bar-date=2026-11", False),
    ("https://x.org/evenements/mois/2030-01/", True),
    ("https://x.org/agenda/forum-2026", False),
    ("https://x.org/evenement/20588-coup-d-envoi/", False),
    ("https://x.org/agenda/evenement-2045/", False),
    ("https://x.org/agenda/2045-forum-regional/", False),
    ("https://x.org/agenda/forum-2019/", True),
    ("https://x.org/agenda/evenement-1950/", False),
    ("https://x.org/archives/1999/", True),
])
def test_out_of_season_urls(url: str, out: bool) -> None:
    assert url_out_of_season(url, crawl_date=CRAWL_DATE) is out


def test_local_urls_map_back_to_the_real_site() -> None:
    base = "http://127.0.0.1:8123"
    real = "https://www.cress-aura.org/wp-json/tribe/events/v1/events?start_date=2026-09-01&page=2"
    local = to_local(real, base)
    assert local == "http://127.0.0.1:8123/www.cress-aura.org/wp-json/tribe/events/v1/events?start_date=2026-09-01&page=2"
    assert to_real(local, base) == real
    assert to_real("http://127.0.0.1:8123/x.org/a", base, {"x.org": "http"}) == "http://x.org/a"
    assert to_real("http://elsewhere/x.org/a", base) is None


def test_tribe_urls_always_carry_a_start_date() -> None:
    start = date(2026, 9, 1)
    assert with_tribe_start("https://x.org/wp-json/", start) == \
        "https://x.org/wp-json/tribe/events/v1/events?start_date=2026-09-01&per_page=50"
    kept = "https://x.org/wp-json/tribe/events/v1/events?start_date=2026-10-01&page=2"
    assert with_tribe_start(kept, start) == kept
    assert with_tribe_start("https://x.org/agenda/", start) == "https://x.org/agenda/"


def test_event_link_patterns() -> None:
    page = "https://www.cress.example.fr/agenda"
    assert is_event_link("https://cress.example.fr/spip.php?article42", page)
    assert is_event_link("https://www.cress.example.fr/agenda/forum-2021", page)
    assert is_event_link("https://openagenda.cress.example.fr/agendas/1/events/2", "https://openagenda.cress.example.fr/")
    assert not is_event_link("https://cress.example.fr/evenements/mois/2021-12/", page)
    assert not is_event_link("https://cress.example.fr/evenements/?ical=1", page)
    assert not is_event_link("https://cress.example.fr/category/agenda/", page)
    assert not is_event_link("https://ailleurs.example.org/evenement/x/", page)
    assert not is_event_link(page, page)
