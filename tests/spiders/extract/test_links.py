"""Listing heuristics: event links and next pages."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.urls import absolute, calendar_month
from spiders.extract.links import (
    _anchors,
    _resolver,
    find_event_links,
    find_next_page,
)
from tests.spiders.extract.helpers import FIXTURES

BASE = "https://cress.example.fr/agenda/"


def test_event_links_are_same_site_event_pages_in_order() -> None:
    html = (FIXTURES / "listing.html").read_bytes()
    assert find_event_links(html, BASE) == [
        "https://cress.example.fr/evenement/forum-emploi/",
        "https://cress.example.fr/evenement/cine-debat/",
        "https://cress.example.fr/evenement/atelier-scic/",
        "https://cress.example.fr/evenement/apero-coop/",
    ]


def test_next_page_from_rel_next() -> None:
    html = (FIXTURES / "listing.html").read_text()
    assert find_next_page(html, BASE) == "https://cress.example.fr/agenda/page/2/"


def test_next_page_from_label_and_numbers() -> None:
    html = '<a href="?page=1">1</a> <a href="?page=3">3</a> <a href="/agenda?page=3" title="x">Suivant ›</a>'
    assert find_next_page(html, "https://s.example/agenda?page=2") == "https://s.example/agenda?page=3"
    numbered = '<a href="/agenda/page/2/">2</a><a href="/agenda/page/3/">3</a>'
    assert find_next_page(numbered, "https://s.example/agenda/page/2/") == "https://s.example/agenda/page/3/"
    assert find_next_page("<p>fin</p>", "https://s.example/agenda") is None


def test_calendar_month_navigation_is_bounded() -> None:
    html = (FIXTURES / "calendar_month.html").read_text()
    url = "https://cress.example.fr/evenements/mois/2021-11/"
    assert calendar_month(url) == date(2021, 11, 1)
    assert find_next_page(html, url) is None
    assert find_next_page(html, url, max_month=date(2021, 12, 1)) == "https://cress.example.fr/evenements/mois/2021-12/"
    assert find_next_page(html, url, max_month=date(2021, 11, 1)) is None
    assert calendar_month("https://x.example/evenements/liste/?tribe-bar-date=2022-03-01") == date(2022, 3, 1)


@settings(max_examples=400, deadline=None)
@given(
    base=st.sampled_from(["http://cress.example/agenda/page/2/", "https://www.cress.example/a/b?c=1",
                          "https://cress.example", "http://127.0.0.1:8000/", "ftp://cress.example/"]),
    href=st.text(alphabet="/ab.?#;:%\\ \t é=&@!~'()*+,$-_", max_size=14).map(lambda s: "/" + s),
)
def test_root_relative_shortcut_agrees_with_urljoin(base: str, href: str) -> None:
    assert _resolver(base)(href) == absolute(href, base)


def test_one_listing_is_parsed_once_for_links_and_next_page() -> None:
    html = "<ul>" + "".join(f'<li><a href="/evenement/e{i}/">E{i}</a></li>' for i in range(3)) + "</ul>"
    html += '<a href="/agenda/page/2/">Page suivante</a>'
    url = "https://cress.example/agenda/"
    _anchors.cache_clear()
    assert find_event_links(html, url) == [f"https://cress.example/evenement/e{i}/" for i in range(3)]
    assert find_next_page(html, url) == "https://cress.example/agenda/page/2/"
    assert _anchors.cache_info().misses == 1
