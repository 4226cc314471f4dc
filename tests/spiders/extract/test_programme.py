"""Articles that list several events: day headings with timed lines, dated lines, dated headings."""

from __future__ import annotations

from datetime import date

from spiders.extract import extract
from spiders.extract.html import lines_from_text
from spiders.extract.programme import dated_events, day_heading, timed_events

URL = "https://comite-fetes.example.fr/fete-patronale/"

FESTIVAL = """<html><head><title>Fête patronale</title></head><body>
<header><h1>Comité des fêtes de Saint-Ybars</h1></header>
<main>
<h2>Le programme 2025</h2>
<p>Du vendredi 11 juillet au dimanche 13 juillet 2025.</p>
<p>Jour 1</p><h3>Vendredi 11 juillet</h3>
<ul><li>21h00</li><li>BAL DISCO avec DJ Manu</li></ul>
<p>Jour 2</p><h3>Samedi 12 juillet</h3>
<ul><li>14h30</li><li>CONCOURS DE BELOTE à la salle des fêtes</li>
<li>20h00</li><li>Grillades — 12 € adulte</li><li>Magret, frites et tarte aux pommes.</li></ul>
<p>Jour 3</p><h3>Dimanche 13 juillet</h3>
<ul><li>10h30 : Messe de la Saint-Jacques</li><li>23h00 : Feu d'artifice</li></ul>
</main></body></html>"""


def test_day_headings_give_their_day_to_the_timed_lines_below() -> None:
    result = extract(FESTIVAL.encode(), url=URL, source="t", reference=date(2026, 12, 6))
    assert result.extractor == "roundup"
    starts = [(ev.title, ev.start_raw) for ev in result.events]
    assert starts[0] == ("Comité des fêtes de Saint-Ybars", "Du vendredi 11 juillet au dimanche 13 juillet 2025")
    assert starts[1:] == [
        ("Bal disco avec DJ Manu", "Vendredi 11 juillet, 21h00"),
        ("Concours de belote", "Samedi 12 juillet, 14h30"),
        ("Grillades", "Samedi 12 juillet, 20h00"),
        ("Messe de la Saint-Jacques", "Dimanche 13 juillet, 10h30"),
        ("Feu d'artifice", "Dimanche 13 juillet, 23h00"),
    ]
    # The year-less days read against the programme's full date above them, not the crawl day.
    assert {ev.reference_date for ev in result.events[1:]} == {date(2025, 7, 11)}
    belote = result.events[2]
    assert belote.location_raw == "la salle des fêtes"
    assert result.events[3].location_raw == ""  # a price after a dash is not a place
    assert len({ev.url for ev in result.events}) == len(result.events)


def test_a_single_events_schedule_is_not_a_programme() -> None:
    lines = lines_from_text("Samedi 5 avril 2025, soirée des anciens\n\nProgramme\n17h00 : accueil\n18h00 : apéritif\n")
    assert timed_events(lines, place="", url=URL, source="t", ref=None) == []


def test_day_heading_is_a_line_that_is_only_a_date() -> None:
    assert day_heading("Jour 3 – samedi 1er août").text == "samedi 1er août"  # type: ignore[union-attr]
    assert day_heading("Samedi 12 juillet").text == "Samedi 12 juillet"  # type: ignore[union-attr]
    assert day_heading("Inscriptions jusqu'au samedi 12 juillet pour le repas") is None


VACATIONS = """<html><body><main><article><h1>Vacances de printemps à la maison de quartier</h1>
<p>Inscriptions à partir du samedi 29 mars 2025 (9h-12h)</p>
<p>Accueil de loisirs 6/11 ans du 14/04 au 25/04/2025</p>
<p>Stage cirque 8/12 ans du 15 au 17/04/2025</p>
<p>Stage vidéo 12/15 ans du 22/04 au 24/04/2025 : « Tourne ton court-métrage »</p>
<p>Dossier d'inscription à remplir en ligne.</p>
</article></main></body></html>"""


def test_dated_lines_are_one_event_each_and_registration_is_not_one() -> None:
    result = extract(VACATIONS.encode(), url="https://mq.example.fr/vacances/", source="t",
                     reference=date(2025, 3, 20))
    got = [(ev.title, ev.start_raw) for ev in result.events]
    assert got == [
        ("Accueil de loisirs 6/11 ans", "du 14/04 au 25/04/2025"),
        ("Stage cirque 8/12 ans", "du 15 au 17/04/2025"),
        ("Stage vidéo 12/15 ans", "du 22/04 au 24/04/2025"),
    ]


def test_dated_headings_name_their_item() -> None:
    lines = lines_from_text("Rencontre du 6 mai 2021\nUn auteur parle de son roman.\n\n"
                            "Rencontre du 13 avril 2021\nUne éditrice présente sa collection.\n")
    for ln in lines:
        if ln.text.startswith("Rencontre"):
            ln.tag = "h4"
    events = dated_events(lines, place="", url=URL, source="t", ref=None)
    assert [(ev.title, ev.start_raw) for ev in events] == [("Rencontre", "du 6 mai 2021"),
                                                          ("Rencontre", "du 13 avril 2021")]


SPIP_DECISIONS = """<html><head><meta charset="utf-8"></head><body><div class="main">
<h1>Décisions du collectif des parents du jeudi 3 octobre</h1>
<p><abbr class="published" title="2024-10-04T09:00:00Z">vendredi 4 octobre 2024</abbr></p>
<p>Le collectif a réuni le jeudi 3 octobre une soixantaine de parents venus de douze écoles du quartier.</p>
<p>1) Réunion publique du mardi 8 octobre</p>
<p>Le collectif organise une réunion publique mardi 8 octobre à 18h30 à la maison de quartier, pour faire le point.</p>
<p>2) Journée de mobilisation les vendredi 11 et samedi 12 octobre</p>
<p>Il soutient le rassemblement des enseignants du vendredi 11 octobre devant le rectorat.</p>
<p>Il appelle aussi au pique-nique revendicatif du samedi 12 octobre dans le parc de la mairie.</p>
<p>Il propose de se retrouver le samedi 12 au matin pour une chaîne humaine (détails à venir.)</p>
<p>3) Prochaines étapes</p>
<p>Une lettre sera envoyée au maire lundi 14 octobre, avant la fin du mois.</p>
</div></body></html>"""


def test_dated_sections_and_the_announcements_of_their_paragraphs() -> None:
    result = extract(SPIP_DECISIONS.encode(), url="https://collectif.example.fr/spip.php?article12", source="t")
    got = [(ev.title, ev.start_raw) for ev in result.events]
    assert got == [
        ("Décisions du collectif des parents", "du jeudi 3 octobre"),
        # The paragraph that times the section's own event times it, it does not double it.
        ("Réunion publique", "mardi 8 octobre, à 18h30"),
        # A two-day section whose paragraphs date each of its events is only their heading.
        ("Il soutient le rassemblement des enseignants", "du vendredi 11 octobre"),
        ("Il appelle aussi au pique-nique revendicatif", "du samedi 12 octobre"),
        # 'le samedi 12' with no month: the month of the section it is written under.
        ("Il propose de se retrouver", "le samedi 12 octobre"),
    ]
    assert result.events[-1].location_raw == ""  # 'au matin' is a time of day, not a place
    # The post's date (SPIP 'published' markup) is the reference, not an event.
    assert {ev.reference_date for ev in result.events} == {date(2024, 10, 4)}
