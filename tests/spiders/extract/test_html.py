"""Pages without structured data: one event page, agenda listings, roundups, encodings."""

from __future__ import annotations

from datetime import date

from spiders.extract import extract
from tests.spiders.extract.helpers import run


def test_generic_event_page_labels() -> None:
    result = run("event_page.html", url="https://cress.example.fr/evenement/matinale-caen/")
    assert result.extractor == "html"
    [ev] = result.events
    assert ev.title == "Matinale de l'ESS : coopérer avec les collectivités"
    assert ev.start is None  # free text: the dates pipeline parses start_raw
    assert ev.start_raw == "mardi 16 novembre, de 8h30 à 10h30"
    assert ev.location_raw == "Maison de l'économie solidaire, 4 rue Saint-Jean, 14000 Caen"
    assert ev.reference_date == date(2021, 10, 12)  # 'Publié le 12/10/2021'
    assert "commande publique responsable" in ev.description_html
    assert "tracker" not in ev.description_html and "<script" not in ev.description_html
    assert "mentions légales" not in ev.description_html
    assert ev.url == "https://cress.example.fr/evenement/matinale-caen/"


def test_listing_page_yields_its_dated_teasers_pointing_to_their_pages() -> None:
    result = run("listing.html")
    assert result.skipped["html/listing"] == 1
    assert [(ev.title, ev.start_raw, ev.url) for ev in result.events] == [
        ("Forum de l'emploi solidaire", "Le 18 novembre 2021", "https://cress.example.fr/evenement/forum-emploi/"),
        ("Ciné-débat", "Le 9 novembre 2021", "https://cress.example.fr/evenement/cine-debat/"),
        ("Atelier SCIC", "Le 17 novembre 2021", "https://cress.example.fr/evenement/atelier-scic/"),
        ("Apéro des coopérateurs", "Le 26 novembre 2021", "https://cress.example.fr/evenement/apero-coop/#details"),
    ]


def test_page_without_date_is_counted() -> None:
    result = run("calendar_month.html")
    assert result.events == [] and result.skipped["html/no_date"] == 1


def test_windows_1252_page_with_meta_charset() -> None:
    [ev] = run("spip_cp1252.html", url="https://cress.example.corsica/spip.php?article12").events
    assert ev.title == "Journée régionale de l\u2019ESS \u2013 édition 2021"
    assert ev.start_raw == "Le jeudi 18 novembre 2021, de 9h à 17h"
    assert ev.location_raw == "Ajaccio"
    assert ev.reference_date == date(2021, 11, 18)
    assert "5\u20ac" in ev.description_html


def test_roundup_in_html_with_links_to_other_sites() -> None:
    page = """<html><head><meta charset="utf-8"></head><body><main>
    <h1>Le programme du Mois de l'ESS dans la Drôme</h1>
    <p>Publié le 20/10/2022</p>
    <p>Voici une sélection d'événements proposés par le réseau.</p>
    <ul>
      <li><strong>Le 8 novembre, à Valence</strong><br>Café-débat sur l'habitat partagé<br>De 18h à 20h à la Maison des sociétés</li>
      <li><strong>Le 15 novembre en ligne</strong><br>Webinaire : créer une coopérative jeunesse</li>
      <li>Du 21 au 23 novembre, Die – <a href="https://marche.example.org">Marché des producteurs solidaires</a></li>
    </ul>
    <h2>Contact</h2><p>Écrivez-nous.</p>
    </main></body></html>""".encode()
    result = extract(page, url="https://pole.example.fr/programme", source="s", reference=date(2022, 11, 29))
    assert result.extractor == "roundup"
    titles = [(ev.title, ev.start_raw, ev.location_raw) for ev in result.events]
    assert titles == [
        ("Café-débat sur l'habitat partagé", "Le 8 novembre, de 18h à 20h", "la Maison des sociétés"),
        ("Webinaire : créer une coopérative jeunesse", "Le 15 novembre", "en ligne"),
        ("Marché des producteurs solidaires", "Du 21 au 23 novembre", "Die"),
    ]
    assert all(ev.reference_date == date(2022, 10, 20) for ev in result.events)
    assert result.events[1].attendance == "online"
    assert result.events[2].registration_url == "https://marche.example.org"
    assert len({ev.url for ev in result.events}) == 3


def test_plain_text_body() -> None:
    text = "Atelier couture solidaire\n\nLe samedi 13 novembre 2021 de 14h à 17h\nLieu : Local associatif, Tulle\n"
    result = extract(text.encode(), url="https://x.example/a", source="s", content_type="text/plain")
    [ev] = result.events
    assert ev.title == "Atelier couture solidaire"
    assert ev.start_raw == "Le samedi 13 novembre 2021, de 14h à 17h"
    assert ev.location_raw == "Local associatif, Tulle"


def test_roundup_items_titled_by_the_heading_above_their_date() -> None:
    page = """<html><body><main><h1>Mois de l'ESS en Bretagne : nos coups de cœur</h1>
    <h3>Forum de l'emploi solidaire</h3><p>Le 18 novembre, à Rennes</p><p>Rencontres avec les recruteurs.</p>
    <h3>Visite d'une recyclerie</h3><p>Le 20 novembre, à Quimper</p><p>Visite guidée des ateliers.</p>
    </main></body></html>""".encode()
    result = extract(page, url="https://b.example/coups-de-coeur", source="s")
    assert result.extractor == "roundup"
    assert [(ev.title, ev.start_raw, ev.location_raw) for ev in result.events] == [
        ("Forum de l'emploi solidaire", "Le 18 novembre", "Rennes"),
        ("Visite d'une recyclerie", "Le 20 novembre", "Quimper"),
    ]
    assert result.events[1].description_html == "<p>Visite guidée des ateliers.</p>"


def test_listing_cards_with_plain_paths_yield_nothing() -> None:
    page = b"""<html><body><main><h1>Agenda</h1>
    <div><p>Le 18 novembre</p><a href="/fr/forum-emploi-123">Forum</a></div>
    <div><p>Le 19 novembre</p><a href="/fr/visite-456">Visite</a></div>
    <div><p>Le 20 novembre</p><a href="/fr/atelier-789">Atelier</a></div>
    </main></body></html>"""
    result = extract(page, url="https://b.example/fr/agenda", source="s")
    assert result.events == [] and result.skipped == {"html/listing": 1}


def test_event_page_linking_to_other_events_keeps_its_own_event() -> None:
    page = """<html><body><main><h1>Assemblée générale de la CRESS</h1>
    <p>Le mardi 30 novembre 2021, de 14h à 17h, à Lyon</p><p>Ordre du jour : rapport moral.</p>
    <h2>Autres rendez-vous</h2>
    <p>Le 2 décembre <a href="/evenement/a/">Atelier A</a></p>
    <p>Le 3 décembre <a href="/evenement/b/">Atelier B</a></p>
    <p>Le 4 décembre <a href="/evenement/c/">Atelier C</a></p>
    </main></body></html>""".encode()
    result = extract(page, url="https://cress.example.fr/evenement/ag/", source="s")
    assert result.events[0].title == "Assemblée générale de la CRESS"
    assert result.events[0].start_raw == "Le mardi 30 novembre 2021, de 14h à 17h"
    assert result.events[0].location_raw == "Lyon"


def test_spip_article_dash_place_and_cancellation_line() -> None:
    page = """<html><head><meta charset="utf-8"></head><body><div class="main"><h1 class="titre">Atelier compostage</h1>
    <p class="info-publi">Publié le 5 octobre 2021</p>
    <div class="chapo"><p>Samedi 20 novembre 2021, de 10h à 12h – Jardin partagé, 3 rue Verte, 12000 Rodez</p></div>
    <div class="texte"><p>Atelier annulé.</p></div></div></body></html>""".encode()
    [ev] = extract(page, url="https://cress.example.fr/Atelier-compostage", source="s").events
    assert ev.start_raw == "Samedi 20 novembre 2021, de 10h à 12h"
    assert ev.location_raw == "Jardin partagé, 3 rue Verte, 12000 Rodez"
    assert ev.status == "cancelled"
    assert ev.reference_date == date(2021, 11, 20)


def test_joomla_article_publication_date_is_not_the_event_date() -> None:
    page = """<html><head><title>Forum de l'insertion | CRESS La Réunion</title></head><body>
    <div class="item-page" itemscope itemtype="https://schema.org/Article"><h2 itemprop="headline">Forum de l'insertion</h2>
    <dl class="article-info"><dd class="published">Publication : 12/10/2021</dd></dl>
    <div itemprop="articleBody"><p>Mardi 23 novembre 2021, 8h30-15h30, salle des fêtes du Port.</p></div></div>
    </body></html>""".encode()
    [ev] = extract(page, url="https://cress.example.re/agenda/12-forum", source="s").events
    assert ev.title == "Forum de l'insertion"
    assert ev.start_raw == "Mardi 23 novembre 2021, 8h30-15h30"
    assert ev.location_raw == "salle des fêtes du Port"


def test_venue_block_with_online_mention_is_mixed() -> None:
    page = """<html><body><main><h1>Vingt ans de communs</h1>
    <div class="event-date">Vendredi 5 novembre 2021, de 14h à 18h</div>
    <div class="description"><p>Ateliers puis table ronde.</p></div>
    <div class="event-venue">Médiathèque, 21 rue Sembat, 62300 Lens (et en ligne)</div></main></body></html>""".encode()
    [ev] = extract(page, url="https://x.example/e", source="s").events
    assert ev.location_raw == "Médiathèque, 21 rue Sembat, 62300 Lens (et en ligne)"
    assert ev.attendance == "mixed"


def test_cards_wrapping_headings_in_links_are_a_listing() -> None:
    cards = "".join(
        f'<li class="card"><a href="/evenement/{n}-x/"><h3>Titre {n}</h3></a>'
        f"<p>Mardi {d} novembre 2021, de 18h à 20h</p><p>Ville {n}</p></li>"
        for n, d in ((1, 2), (2, 9), (3, 16))
    )
    page = f"<html><body><main><h1>Tous les évènements</h1><ul>{cards}</ul></main></body></html>".encode()
    result = extract(page, url="https://mois.example.org/evenements/", source="s")
    assert result.skipped == {"html/listing": 1}
    assert [(ev.title, ev.start_raw, ev.url) for ev in result.events] == [
        (f"Titre {n}", f"Mardi {d} novembre 2021, de 18h à 20h", f"https://mois.example.org/evenement/{n}-x/")
        for n, d in ((1, 2), (2, 9), (3, 16))
    ]


def test_roundup_opener_with_time_before_the_title() -> None:
    page = """<html><body><main><h1>Nos rendez-vous</h1><p>Une sélection.</p><ul>
    <li>Le 9 novembre, 18h30 : Apéro des coopératives</li>
    <li>Le 16 novembre, de 9h à 12h – Matinale de l'insertion</li></ul></main></body></html>""".encode()
    result = extract(page, url="https://x.example/rdv", source="s")
    assert [(ev.title, ev.start_raw) for ev in result.events] == [
        ("Apéro des coopératives", "Le 9 novembre, 18h30"),
        ("Matinale de l'insertion", "Le 16 novembre, de 9h à 12h"),
    ]


def test_roundup_items_with_place_colon_title_and_times_inside() -> None:
    page = """<html><body><main><article><h1>Le programme à Mayotte</h1><p>Publié le 12/10/2021</p>
    <p>Les rendez-vous :</p><ul>
    <li>Le 7 novembre, Mamoudzou : ouverture du Mois au comité du tourisme, de 8h30 à 12h.</li>
    <li>Du 16 au 20 novembre, communes du sud : ESS Tour, une étape par jour.</li>
    <li>Le 21 novembre en ligne, de 9h à 11h : webinaire sur le financement participatif.</li>
    <li>Le 28 novembre, Dzaoudzi : journée de clôture, à partir de 14h.</li>
    </ul></article></main></body></html>""".encode()
    result = extract(page, url="https://cress.example.yt/programme", source="s")
    assert [(ev.title, ev.start_raw, ev.location_raw, ev.attendance) for ev in result.events] == [
        ("Ouverture du Mois au comité du tourisme", "Le 7 novembre, de 8h30 à 12h", "Mamoudzou", None),
        ("ESS Tour, une étape par jour.", "Du 16 au 20 novembre", "communes du sud", None),
        ("Webinaire sur le financement participatif", "Le 21 novembre, de 9h à 11h", "en ligne", "online"),
        ("Journée de clôture", "Le 28 novembre, à partir de 14h", "Dzaoudzi", None),
    ]
    assert {ev.reference_date for ev in result.events} == {date(2021, 10, 12)}


def test_two_card_listing_yields_nothing() -> None:
    page = """<html><body><main><h1>Tous les événements</h1><div class="liste">
    <div class="evt"><a href="/fr/evenements/mois-ess">Mois de l'ESS</a> <span>Du 01/11/21 au 30/11/21</span></div>
    <div class="evt"><a href="/fr/evenements/atelier">Atelier</a> <span>17/11/21</span></div></div></main></body></html>"""
    result = extract(page.encode(), url="https://m.example/fr/evenements", source="s")
    assert result.events == [] and result.skipped == {"html/listing": 1}


def test_roundup_item_on_site_and_online_is_hybrid() -> None:
    from spiders.extract import phrases

    assert phrases.attendance_of_place("en ligne et sur place") == "mixed"
    assert phrases.attendance_of_place("en visio") == "online"
    assert phrases.is_on_site_phrase("Salon au Corum, en ligne et sur place.")
    assert not phrases.is_on_site_phrase("Du 15 au 19 novembre en ligne")


def test_bracketed_dateline_is_the_posts_and_the_text_dates_the_event() -> None:
    page = """<html><body><main><h1>Nos actualités</h1>
    <div>Soirée de soutien à l'épicerie solidaire</div>
    <div>[9 mars 2024] - Collectif Entraide</div>
    <p>La soirée de soutien a eu lieu vendredi 8 mars à la salle polyvalente : merci à tous !</p>
    </main></body></html>""".encode()
    [ev] = extract(page, url="https://entraide.example.fr/actus/soiree", source="s").events
    assert ev.start_raw.startswith("vendredi 8 mars")


def test_dates_printed_just_above_the_title_are_the_pages() -> None:
    page = """<html><body><main><ul><li>Séminaire</li><li>| 3-5 avril 2019</li></ul>
    <h1>Les coopératives d'habitants</h1><h4>Trois jours d'échanges entre élus et habitants.</h4>
    <h3><a href="/docs/programme.pdf">Programme</a></h3><h3><a href="/docs/actes.pdf">Actes</a></h3>
    <h3><a href="/docs/photos.pdf">Photos</a></h3>
    <p>Ces articles pourraient vous intéresser</p><ul>
    <li>12/02/24 — <a href="/actualite/a/">Un forum en juin</a></li>
    <li>03/05/23 — <a href="/actualite/b/">Bilan de l'année</a></li></ul>
    </main></body></html>""".encode()
    result = extract(page, url="https://reseau.example.org/evenement/habitat/", source="s")
    assert [(ev.title, ev.start_raw) for ev in result.events] == [("Les coopératives d'habitants", "3-5 avril 2019")]
    assert result.skipped["html/related_teaser"] == 2


def test_time_opening_a_line_just_below_the_date() -> None:
    page = """<html><body><main><h1>Soirée contes au jardin</h1>
    <p>Posté le 2 mai 2024 dans agenda.</p>
    <p>Retrouvez-nous le vendredi 17 mai pour une soirée de contes sous les tilleuls.</p>
    <p>A partir de 19h30 – entrée libre</p></main></body></html>""".encode()
    [ev] = extract(page, url="https://jardin.example.fr/contes/", source="s").events
    assert ev.start_raw == "le vendredi 17 mai, 19h30"
    programme = """<html><body><main><h1>Course des Coteaux</h1>
    <p>Départ du stade le dimanche matin 9 juin 2024.</p><p>Le programme :</p>
    <p>– 9h : trail de 20 km</p><p>– 10h30 : course des familles</p></main></body></html>""".encode()
    [run] = extract(programme, url="https://coteaux.example.fr/course/", source="s").events
    assert run.start_raw == "9 juin 2024, 9h"  # the morning's first start


def test_town_with_its_departement_number_near_the_title_is_the_place() -> None:
    page = """<html><body><main><h2>Concert</h2><h1>Motets pour la Toussaint</h1>
    <div class="day">3</div><div class="month">Nov</div><h3>Loches (37)</h3>
    <div>17:00 – Collégiale Saint-Ours</div><p>Un programme de motets de la Renaissance.</p></main></body></html>""".encode()
    [ev] = extract(page, url="https://ensemble.example.fr/agenda/motets/", source="s").events
    assert ev.location_raw == "Loches (37)"
    assert ev.start_raw == "3 Nov, 17:00"


def test_the_one_year_of_a_title_dates_its_year_less_days_unless_it_is_a_side_note() -> None:
    named = """<html><body><main><h1>Rencontres des jardins partagés 2025</h1>
    <p>Rendez-vous le samedi 14 juin au jardin des Lilas.</p></main></body></html>""".encode()
    [ev] = extract(named, url="https://jardins.example.fr/rencontres/", source="s", reference=date(2026, 12, 6)).events
    assert ev.reference_date == date(2025, 1, 1)
    aside = """<html><body><main><h1>Bal folk (création 2023)</h1>
    <p>Rendez-vous le samedi 14 juin à la salle des fêtes.</p></main></body></html>""".encode()
    [ev] = extract(aside, url="https://bal.example.fr/bal/", source="s", reference=date(2024, 3, 4)).events
    assert ev.reference_date == date(2024, 3, 4)


def test_a_news_post_dated_only_by_its_publication_is_not_an_event() -> None:
    page = """<html><head><meta property="article:published_time" content="2024-03-12T09:00:00+01:00"></head>
    <body><main><article><h1>Bienvenue à notre nouvelle coordinatrice</h1>
    <div class="intro">Toute l'équipe est heureuse d'accueillir Léa, qui rejoint l'association.</div>
    <p>Elle coordonnera les bénévoles des ateliers de réparation.</p>
    <footer><time class="entry-date published" datetime="2024-03-12">12 mars 2024</time></footer>
    <p class="meta">Article mis en ligne : 12 mars 2024</p>
    <p>Mardi 12 mars 2024</p></article></main></body></html>""".encode()
    result = extract(page, url="https://asso.example.fr/actus/bienvenue-lea/", source="s")
    assert result.events == []
