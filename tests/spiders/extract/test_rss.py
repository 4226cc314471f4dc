"""RSS 2.0, RSS 1.0 (event module) and Atom items of agenda sections."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from spiders.extract import extract
from tests.spiders.extract.helpers import by_title, run

PARIS = ZoneInfo("Europe/Paris")


def test_event_module_with_undeclared_prefix_entities_and_bare_ampersand() -> None:
    result = run("rss_events.xml", url="https://ville.example.fr/agenda.rss", content_type="application/rss+xml")
    assert result.extractor == "rss"
    assert len(result.events) == 3
    assert result.skipped == {"rss/no_date": 1}  # the news item without any date
    ev = by_title(result, "Forum des associations")
    assert ev.url == "https://ville.example.fr/agenda/forum-associations"
    assert ev.start == datetime(2021, 11, 13, 10, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 13, 18, 0, tzinfo=PARIS)
    assert ev.location_raw == "Gymnase Léo-Lagrange, 59000 Lille"
    assert (ev.postal_code, ev.city) == ("59000", "Lille")
    assert ev.organizer == "Service vie associative"
    assert ev.tags == ["Solidarité"]
    assert ev.reference_date == date(2021, 10, 18)  # pubDate: context, never the event date
    assert ev.description_html == "<p>Plus de 40 associations présentes.</p>"


def test_custom_ddmmyyyy_fields_and_enclosure() -> None:
    ev = by_title(run("rss_events.xml"), "Repair café")
    assert ev.start == date(2021, 11, 20) and ev.end == date(2021, 11, 20) and ev.all_day is True
    assert ev.location_raw == "Maison de quartier Saint-Michel"
    assert ev.image == "https://ville.example.fr/images/repair.jpg"
    assert "électriques" in ev.description_html


def test_date_written_in_the_description_is_left_to_the_dates_pipeline() -> None:
    ev = by_title(run("rss_events.xml"), "Conférence : consommer local & solidaire")
    assert ev.start is None and ev.date_status is None
    assert ev.start_raw == "le jeudi 25 novembre, de 18h30 à 20h"
    assert ev.reference_date == date(2021, 11, 3)
    assert "salle des fêtes de Roubaix" in ev.location_raw


def test_rss10_event_module_and_utf8_declared_latin1() -> None:
    [ev] = run("rss10_events.xml").events
    assert ev.start == date(2021, 11, 25) and ev.end == date(2021, 11, 26)
    assert ev.location_raw == "Diagora, Labège"
    assert ev.url == "https://ess.example.fr/agenda/salon-achats"


def test_atom_latin1_relative_link() -> None:
    result = run("atom_latin1.xml", url="https://mairie.example.fr/agenda.atom")
    [ev] = result.events
    assert ev.title == "Réunion publique : projet de ressourcerie"
    assert ev.url == "https://mairie.example.fr/agenda/reunion-ressourcerie"
    assert ev.start_raw == "Le mardi 16 novembre, à 18h"
    assert ev.reference_date == date(2021, 11, 2)


def test_truncated_feed_keeps_complete_items() -> None:
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><item><title>Atelier vélo</title>'
            '<link>https://v.example/a</link><description>Samedi 6 novembre 2021 à 10h</description></item>'
            '<item><title>Coup').encode()
    result = extract(body, url="https://v.example/rss", source="s")
    assert result.extractor == "rss"
    assert [ev.title for ev in result.events][:1] == ["Atelier vélo"]
    assert result.events[0].start_raw == "Samedi 6 novembre 2021, à 10h"


def test_google_when_and_z_on_local_time() -> None:
    body = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:gd="http://schemas.google.com/g/2005">'
        "<entry><title>Permanence création d'activité</title><link href='https://p.example/e1'/>"
        '<gd:when startTime="2021-11-08T14:00:00Z" endTime="2021-11-08T17:00:00Z"/>'
        "<summary>Accueil sans rendez-vous de 14h à 17h.</summary></entry></feed>"
    ).encode()
    [ev] = extract(body, url="https://p.example/feed", source="s").events
    assert ev.start == datetime(2021, 11, 8, 14, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 8, 17, 0, tzinfo=PARIS)
    assert ev.date_flags == ["z_as_local"]


def test_rfc822_event_dates_from_wordpress_plugins() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel>'
            b"<item><title>Atelier tricot solidaire</title><link>https://t.example/a</link>"
            b"<ev:startdate>Thu, 04 Nov 2021 14:00:00 +0100</ev:startdate>"
            b"<ev:enddate>Thu, 04 Nov 2021 16:00:00 +0100</ev:enddate></item></channel></rss>")
    [ev] = extract(body, url="https://t.example/feed", source="s").events
    assert ev.start == datetime(2021, 11, 4, 14, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 4, 16, 0, tzinfo=PARIS)


def test_sitemap_is_not_a_feed() -> None:
    body = (b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>https://x.example/evenement/a/</loc><lastmod>2021-11-04</lastmod></url></urlset>")
    result = extract(body, url="https://x.example/sitemap.xml", source="s", content_type="application/xml")
    assert result.events == [] and result.skipped == {"xml/not_a_feed": 1}


def test_category_feed_items_announce_their_own_events() -> None:
    result = run("rss_category_news.xml", url="https://mq-tilleuls.example.fr/category/agenda/feed/")
    got = [(ev.title, ev.start_raw) for ev in result.events]
    assert got == [
        # The text's date, with its year and weekday, beats the title's bare day.
        ("Trail des Tilleuls – 8 mars", "10 mars 2024, 9h"),
        # A post listing two stages is two events; the registration date is neither.
        ("Stage théâtre 8/12 ans", "du 15 au 19/04/2024"),
        ("Stage robotique 12/15 ans", "du 22/04 au 24/04/2024"),
    ]
    assert result.events[0].reference_date == date(2024, 2, 12)  # pubDate: only the reference
    # A news post with no date of its own is not an event: its pubDate never becomes one.
    assert result.skipped["rss/no_date"] == 1
