"""Feed discovery on a page or a robots.txt."""

from __future__ import annotations

from spiders.extract import FeedLink, discover_feeds
from tests.spiders.extract.helpers import FIXTURES


def test_discovers_every_kind_best_first() -> None:
    found = discover_feeds((FIXTURES / "discovery.html").read_bytes(), url="https://cress.example.fr/")
    assert found == [
        FeedLink("https://cress.example.fr/wp-json/tribe/events/v1/events", "tribe"),
        FeedLink("https://api.openagenda.com/v2/agendas/12345678/events", "openagenda"),
        FeedLink("https://openagenda.com/mois-ess-bretagne", "openagenda"),
        FeedLink("https://api.openagenda.com/v2/agendas/55554444/events", "openagenda"),
        FeedLink("https://cress.example.fr/evenements/?ical=1", "ical"),
        FeedLink("https://cress.example.fr/agenda.ics", "ical"),
        FeedLink("https://cress.example.fr/spip.php?page=ical", "ical"),
        FeedLink("https://cress.example.fr/feed/", "rss"),
        FeedLink("https://cress.example.fr/agenda.atom", "rss"),
        FeedLink("https://cress.example.fr/spip.php?page=backend&id_rubrique=4", "rss"),
    ]


def test_robots_sitemaps_and_nothing_on_plain_pages() -> None:
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://cress.example.fr/sitemap_index.xml\n"
    assert discover_feeds(robots, "https://cress.example.fr/robots.txt") == [
        FeedLink("https://cress.example.fr/sitemap_index.xml", "sitemap")
    ]
    assert discover_feeds("<html><body><a href='/contact'>x</a></body></html>", "https://a.example/") == []
    assert discover_feeds(b"\xff\xfe\x00garbage", "https://a.example/") == []


def test_openagenda_assets_are_not_agendas() -> None:
    page = ('<img src="https://cdn.openagenda.com/main/abc.jpg">'
            '<script src="https://openagenda.com/js/embed/cibulBodyWidget.js"></script>'
            '<a href="https://openagenda.com/fr/ess-occitanie/events/forum">Voir</a>')
    assert discover_feeds(page, "https://cress.example.fr/") == [
        FeedLink("https://openagenda.com/ess-occitanie", "openagenda")
    ]
