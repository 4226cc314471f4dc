"""Listing cards: dated teasers are events, undated news teasers are not, post dates are not event dates."""

from __future__ import annotations

from datetime import date

from spiders.extract import extract

BLOG = """<html><head><meta charset="utf-8"></head><body><main><h1>Actualités</h1>
<article><h3><a href="/actus/forum-asso/">Forum des associations</a></h3>
<ul class="post-meta"><li>Par l'équipe</li><li>on 02/09/2024</li></ul>
<p>Rendez-vous le samedi 7 septembre de 10h à 17h au gymnase Jean-Moulin pour rencontrer les bénévoles.</p>
<a href="/actus/forum-asso/">Lire la suite</a></article>
<article><h3><a href="/actus/bilan-saison/">Bilan de la saison</a></h3>
<ul class="post-meta"><li>Par l'équipe</li><li>on 28/06/2024</li></ul>
<p>Merci à toutes et à tous, la saison s'achève avec plus de 300 adhérents, un record pour le club.</p>
<a href="/actus/bilan-saison/">Lire la suite</a></article>
<article><h3><a href="/actus/vide-grenier/">Vide-grenier – 22 septembre</a></h3>
<p>Le vide-grenier du quartier revient. Exposants : réservation avant le 15 septembre au secrétariat.</p>
<div class="entry-date">20 août 2024</div></article>
</main></body></html>"""


def test_blog_listing_teasers() -> None:
    result = extract(BLOG.encode(), url="https://club.example.fr/actus/", source="t", reference=date(2026, 12, 6))
    assert result.skipped["html/listing"] == 1
    got = [(ev.title, ev.start_raw, ev.url, ev.reference_date) for ev in result.events]
    assert got == [
        # The excerpt's date, read against the post's own date ('on 02/09/2024').
        ("Forum des associations", "le samedi 7 septembre, de 10h à 17h", "https://club.example.fr/actus/forum-asso/",
         date(2024, 9, 2)),
        # The title's day; the booking deadline is not the event's, the post date only a reference.
        ("Vide-grenier – 22 septembre", "22 septembre", "https://club.example.fr/actus/vide-grenier/",
         date(2024, 8, 20)),
    ]


def test_agenda_cards_with_the_date_under_the_title() -> None:
    cards = "".join(
        f'<div class="card"><h4><a href="/evenement/{slug}/">{title}</a></h4><div>{when}</div>'
        f"<div>{where}</div></div>"
        for slug, title, when, where in (
            ("congres", "Congrès annuel", "11-14 octobre 2023", "Cotonou (Bénin)"),
            ("seminaire", "Séminaire des élus", "28 janvier – 1er février 2024", "Dakar"),
            ("concert", "Concert de printemps", "12 Avr", "Tours (37)"),
        )
    )
    page = f"<html><body><main><h1>Agenda</h1>{cards}</main></body></html>"
    result = extract(page.encode(), url="https://reseau.example.org/agenda/", source="t",
                     reference=date(2024, 3, 4))
    assert [(ev.title, ev.start_raw, ev.location_raw) for ev in result.events] == [
        ("Congrès annuel", "11-14 octobre 2023", ""),
        ("Séminaire des élus", "28 janvier – 1er février 2024", ""),
        ("Concert de printemps", "12 Avr", "Tours (37)"),
    ]


def test_cards_wrapped_in_links_with_the_date_above_the_title() -> None:
    cards = "".join(
        f'<a class="date" href="/concerts/{slug}/"><article class="row"><div class="day">{day}</div>'
        f'<div class="month">{month}</div><h2>{title}</h2><div class="sub-title">{where}</div></article></a>'
        for slug, day, month, title, where in (
            ("vepres", "12", "Avr", "Vêpres de la Vierge", "Chinon (37)"),
            ("bal", "14", "Juin", "Bal renaissance", "Blois (41)"),
            ("cantates", "11", "Juil", "Cantates d'été", "Amboise (37)"),
        )
    )
    page = f"<html><body><div class='agenda'><h1>Agenda</h1>{cards}</div></body></html>"
    result = extract(page.encode(), url="https://ensemble.example.fr/concerts/", source="t",
                     reference=date(2024, 3, 4))
    assert [(ev.title, ev.start_raw, ev.location_raw, ev.url) for ev in result.events] == [
        ("Vêpres de la Vierge", "12 Avr", "Chinon (37)", "https://ensemble.example.fr/concerts/vepres/"),
        ("Bal renaissance", "14 Juin", "Blois (41)", "https://ensemble.example.fr/concerts/bal/"),
        ("Cantates d'été", "11 Juil", "Amboise (37)", "https://ensemble.example.fr/concerts/cantates/"),
    ]


def test_a_calendar_with_one_card_gives_its_teaser_in_the_titles_year() -> None:
    page = """<html><head><title>Anciens élèves - Calendrier</title></head><body>
    <h6>Filtres</h6><ul><li><a href="/agenda.html?quand=demain">Demain</a></li></ul>
    <h6><a href="/agenda/gala-des-diplomes-2025-12.html">Samedi 15 mars à 19:00</a></h6>
    <h5><a href="/agenda/gala-des-diplomes-2025-12.html">Gala des diplômés 2025</a></h5>
    <p>Une soirée pour fêter les promotions, le samedi 15 mars au soir, dans le grand hall de l'école.</p>
    <div>Noisy-le-Grand</div><div>87 inscrits</div></body></html>"""
    [ev] = extract(page.encode(), url="https://anciens.example.fr/agenda.html", source="t").events
    assert (ev.title, ev.start_raw) == ("Gala des diplômés 2025", "Samedi 15 mars, à 19:00")
    assert ev.url == "https://anciens.example.fr/agenda/gala-des-diplomes-2025-12.html"
    assert ev.reference_date == date(2025, 1, 1)  # the page states no date: the title's year
