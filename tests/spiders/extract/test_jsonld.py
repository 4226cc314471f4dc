"""schema.org Event in JSON-LD, microdata and RDFa."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tests.spiders.extract.helpers import by_title, run

PARIS = ZoneInfo("Europe/Paris")


def test_graph_event_with_place_offer_organizer_and_relative_urls() -> None:
    result = run("jsonld_events.html", url="https://cress.example.fr/agenda/")
    assert result.extractor == "jsonld"
    assert len(result.events) == 6
    ev = by_title(result, "Forum de l")
    assert ev.title == "Forum de l\u2019emploi solidaire"  # entity decoded
    assert ev.url == "https://cress.example.fr/evenement/forum-emploi-solidaire/"
    assert ev.image == "https://cress.example.fr/wp-content/uploads/forum.jpg"
    assert ev.registration_url == "https://cress.example.fr/inscription/forum"
    assert ev.start == datetime(2021, 11, 18, 14, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 18, 17, 30, tzinfo=PARIS)
    assert ev.all_day is False and ev.timezone == "Europe/Paris" and ev.date_status == "ok"
    assert (ev.venue, ev.address, ev.postal_code, ev.city) == (
        "Maison des associations", "6 rue de la Coopération", "35000", "Rennes")
    assert ev.location_raw == "Maison des associations, 6 rue de la Coopération, 35000 Rennes"
    assert (ev.latitude, ev.longitude) == (48.11, -1.68)
    assert ev.organizer == "Pôle ESS du pays de Rennes"
    assert ev.attendance == "offline" and ev.status == "scheduled"
    assert ev.tags == ["emploi", "insertion"]
    assert ev.start_raw.startswith("2021-11-18T14:00:00+01:00")
    assert ev.extractor == "jsonld" and ev.source == "test_source"


def test_online_event_floating_time_gets_source_zone() -> None:
    ev = by_title(run("jsonld_events.html"), "Webinaire")
    assert ev.attendance == "online"
    assert ev.online_url == "https://visio.example.org/salle-ess"
    assert ev.start == datetime(2021, 11, 9, 10, 0, tzinfo=PARIS)
    assert ev.organizer == "Claire Martin"


def test_floating_time_in_an_overseas_source_zone() -> None:
    ev = by_title(run("jsonld_events.html", tz="Indian/Reunion"), "Webinaire")
    assert ev.start is not None and ev.start.utcoffset().total_seconds() == 4 * 3600  # type: ignore[union-attr]
    assert ev.timezone == "Indian/Reunion"


def test_cancelled_with_short_status_and_string_location() -> None:
    ev = by_title(run("jsonld_events.html"), "Apéro")
    assert ev.status == "cancelled"
    assert ev.location_raw.startswith("Bar associatif Le Chantier")
    assert (ev.postal_code, ev.city) == ("29200", "Brest")
    assert ev.attendance == "offline"


def test_mixed_multi_day_rescheduled_all_day() -> None:
    ev = by_title(run("jsonld_events.html"), "Village")
    assert ev.attendance == "mixed"
    assert ev.online_url == "https://live.example.org/village"
    assert ev.start == date(2021, 11, 20) and ev.end == date(2021, 11, 21)
    assert ev.all_day is True
    # Rescheduled: the new date is in startDate, so the event is on.
    assert ev.status == "scheduled"


def test_postponed_and_implausible_end_dropped() -> None:
    ev = by_title(run("jsonld_events.html"), "Assemblée")
    assert ev.status == "postponed"
    assert ev.end is None
    assert "end_implausible" in ev.date_flags
    assert ev.start == datetime(2021, 12, 2, 9, 0, tzinfo=PARIS)


def test_event_nested_in_an_organization() -> None:
    ev = by_title(run("jsonld_events.html"), "Petit-déjeuner")
    assert ev.venue == "Le Tiers-Lieu"
    assert (ev.postal_code, ev.city) == ("44000", "Nantes")


def test_z_on_local_time_is_read_as_local_and_broken_scripts_are_counted() -> None:
    result = run("jsonld_quirks.html")
    assert result.skipped["jsonld/bad_json"] == 1
    [ev] = result.events
    # The page says 9h-18h; '09:00Z' would be 10h in Paris: the Z is a CMS slip.
    assert ev.start == datetime(2021, 11, 25, 9, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 25, 18, 0, tzinfo=PARIS)
    assert "z_as_local" in ev.date_flags
    # Free text fills what structured data left empty.
    assert "parc des expositions" in ev.description_html


def test_midnight_utc_dates_are_days() -> None:
    [ev] = run("jsonld_midnight.html").events
    assert ev.start == date(2021, 11, 2) and ev.end == date(2021, 11, 30)
    assert ev.all_day is True


def test_microdata() -> None:
    result = run("microdata.html", url="https://cine.example.fr/programme/")
    assert result.extractor == "jsonld"
    [ev] = result.events
    assert ev.title == "Ciné-débat « Les coopératives en campagne »"
    assert ev.start == datetime(2021, 11, 9, 20, 0, tzinfo=PARIS)
    assert ev.url == "https://cine.example.fr/agenda/cine-debat-cooperatives"
    assert (ev.venue, ev.postal_code, ev.city) == ("Cinéma Le Royal", "31000", "Toulouse")


def test_rdfa() -> None:
    [ev] = run("rdfa.html").events
    assert ev.title == "Atelier « Créer sa SCIC »"
    assert ev.start == datetime(2021, 11, 17, 14, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 17, 16, 0, tzinfo=PARIS)
    assert ev.city == "Clermont-Ferrand" and ev.venue == "Pépinière d'entreprises"


def test_json_ld_file_body() -> None:
    from spiders.extract import extract

    body = (b'{"@context":"https://schema.org","@type":"MusicEvent","name":"Concert solidaire",'
            b'"startDate":"2021-11-27T20:30:00+01:00","location":{"@type":"Place","name":"Salle Pleyel"}}')
    result = extract(body, url="https://x.example/e.json", source="s", content_type="application/ld+json")
    assert result.extractor == "jsonld"
    assert result.events[0].venue == "Salle Pleyel"


def test_zero_offset_on_local_time_is_read_as_local() -> None:
    from spiders.extract import extract

    page = """<html><head><script type="application/ld+json">[{"@context":"http://schema.org","@type":"Event",
    "name":"Ciné-débat","startDate":"2021-11-09T20:00:00+00:00","endDate":"2021-11-09T22:30:00+00:00",
    "location":{"@type":"Place","name":"Cinéma Le Méliès"}}]</script></head>
    <body><main><h1>Ciné-débat</h1><p>Mardi 9 novembre à 20h00, projection suivie d'un débat.</p></main></body></html>"""
    [ev] = extract(page.encode(), url="https://x.example/e", source="s").events
    assert ev.start == datetime(2021, 11, 9, 20, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 9, 22, 30, tzinfo=PARIS)


def test_real_utc_instant_is_kept_when_the_page_shows_local_time() -> None:
    from spiders.extract import extract

    page = """<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Event",
    "name":"Conférence","startDate":"2021-11-09T19:00:00Z"}</script></head>
    <body><main><h1>Conférence</h1><p>Mardi 9 novembre à 20h.</p></main></body></html>"""
    [ev] = extract(page.encode(), url="https://x.example/e", source="s").events
    assert ev.start == datetime(2021, 11, 9, 20, 0, tzinfo=PARIS)
    assert ev.date_flags == []


def test_postal_address_as_location_and_scripts_removed_from_description() -> None:
    from spiders.extract import extract

    page = """<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Event",
    "name":"Braderie solidaire","startDate":"2021-11-20","description":"<p>Vente<\\/p><script>alert(1)<\\/script>",
    "location":{"@type":"PostalAddress","streetAddress":"2 place du Marché","postalCode":"87000",
    "addressLocality":"Limoges"}}</script></head><body></body></html>"""
    [ev] = extract(page.encode(), url="https://x.example/e", source="s").events
    assert (ev.address, ev.postal_code, ev.city, ev.venue) == ("2 place du Marché", "87000", "Limoges", None)
    assert ev.location_raw == "2 place du Marché, 87000 Limoges"
    assert ev.description_html == "<p>Vente</p>"
    assert ev.start == date(2021, 11, 20) and ev.all_day is True


def test_graph_references_by_id_are_resolved() -> None:
    from spiders.extract import extract

    body = """{"@context":"https://schema.org","@graph":[
      {"@type":"Event","@id":"https://x.example/e#event","name":"Assemblée des SCIC","startDate":"2021-11-25T18:00:00+01:00",
       "location":{"@id":"https://x.example/#lieu"},"organizer":[{"@id":"https://x.example/#org"}]},
      {"@type":"Place","@id":"https://x.example/#lieu","name":"Salle Jean Vilar",
       "address":{"@type":"PostalAddress","postalCode":"84000","addressLocality":"Avignon"}},
      {"@type":"Organization","@id":"https://x.example/#org","name":"Union régionale des SCIC"}]}"""
    [ev] = extract(body.encode(), url="https://x.example/e", source="s", content_type="application/ld+json").events
    assert (ev.venue, ev.city, ev.postal_code) == ("Salle Jean Vilar", "Avignon", "84000")
    assert ev.organizer == "Union régionale des SCIC"


def test_native_id_only_from_an_id_naming_one_event() -> None:
    from spiders.extract import extract

    page = """<html><head><script type="application/ld+json">[
    {"@context":"https://schema.org","@type":"Event","@id":"https://x.example/agenda#a","name":"A","startDate":"2021-11-02"},
    {"@context":"https://schema.org","@type":"Event","@id":"https://x.example/agenda","name":"B","startDate":"2021-11-03"},
    {"@context":"https://schema.org","@type":"Event","@id":"https://x.example/agenda","name":"C","startDate":"2021-11-04"}
    ]</script></head><body></body></html>"""
    result = extract(page.encode(), url="https://x.example/agenda", source="s")
    assert [ev.native_id for ev in result.events] == ["jsonld:https://x.example/agenda#a", None, None]


def test_comments_and_deliveries_are_not_events() -> None:
    from spiders.extract import extract

    page = """<html><head><script type="application/ld+json">[
    {"@context":"https://schema.org","@type":"UserComments","name":"Bravo !","startDate":"2021-11-02"},
    {"@context":"https://schema.org","@type":"DeliveryEvent","name":"Colis","startDate":"2021-11-03"}
    ]</script></head><body><main><h1>Article</h1><p>Sans date.</p></main></body></html>"""
    result = extract(page.encode(), url="https://x.example/a", source="s")
    assert result.events == []


def test_duration_gives_the_end() -> None:
    from spiders.extract import extract

    body = (b'{"@context":"https://schema.org","@type":"Event","name":"Atelier","startDate":"2021-11-17T14:00:00+01:00",'
            b'"duration":"PT2H30M"}')
    [ev] = extract(body, url="https://x.example/e", source="s", content_type="application/ld+json").events
    assert ev.end == datetime(2021, 11, 17, 16, 30, tzinfo=PARIS)


def test_events_nested_in_an_organization_and_an_item_list() -> None:
    from spiders.extract import extract

    page = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "Organization", "name": "Réseau des ressourceries", "event": [
        {"@type": "Event", "name": "Atelier réparation vélo", "startDate": "2025-05-17T10:00:00+02:00",
         "location": {"@type": "Place", "name": "Ressourcerie du Lac", "address": "12 rue du Port, 74000 Annecy"}}]},
      {"@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@type": "SocialEvent", "name": "Disco soupe",
         "startDate": "2025-05-24", "location": {"@type": "Place", "name": "Place du marché, Annecy"}}}]}
    ]}</script></head><body><h1>Nos rendez-vous</h1></body></html>"""
    result = extract(page.encode(), url="https://ressourceries.example.fr/agenda/", source="t")
    assert result.extractor == "jsonld"
    assert sorted(ev.title for ev in result.events) == ["Atelier réparation vélo", "Disco soupe"]
