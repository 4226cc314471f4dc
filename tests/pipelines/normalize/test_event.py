"""apply_place: where the attendance of an event is read from, and when it is not read at all; apply_status."""

from __future__ import annotations

from pipelines.normalize.event import apply_place, apply_status, clean_event
from scraper.items import Event


def _event(**fields: str) -> Event:
    values = {"source": "test", "url": "https://exemple.fr/agenda/1", "title": "Atelier", "start_raw": ""}
    values.update(fields)
    ev = Event(**values)  # type: ignore[arg-type]
    clean_event(ev)
    return ev


def test_title_cue_makes_an_unlocated_event_online() -> None:
    ev = _event(title="Atelier coopératif en visio", start_raw="le 4 novembre, de 9h à 12h")
    apply_place(ev)
    assert ev.attendance == "online"
    assert ev.insee is None


def test_no_cue_and_no_place_leaves_attendance_unknown() -> None:
    ev = _event(title="Assemblée générale de la coopérative", start_raw="le 4 novembre",
                description_html="<p>Ordre du jour et vote des comptes.</p>")
    apply_place(ev)
    assert ev.attendance is None


def test_description_link_to_a_meeting_room_is_kept() -> None:
    ev = _event(description_html='<p>Connexion : <a href="https://zoom.us/j/123">https://zoom.us/j/123</a></p>')
    apply_place(ev)
    assert ev.attendance == "online"
    assert ev.online_url == "https://zoom.us/j/123"


def test_hybrid_description_of_a_located_event_makes_it_mixed() -> None:
    ev = _event(location_raw="Salle des fêtes, 31670 Labège",
                description_html="<p>Rencontre sur place ou à distance.</p>")
    apply_place(ev)
    assert (ev.city, ev.attendance) == ("Labège", "mixed")


def test_located_event_without_online_cue_is_offline() -> None:
    ev = _event(location_raw="Salle des fêtes, 31670 Labège",
                description_html="<p>Inscription en ligne obligatoire, places limitées.</p>")
    apply_place(ev)
    assert (ev.city, ev.attendance) == ("Labège", "offline")


def test_wording_marks_a_scheduled_event_cancelled() -> None:
    ev = _event(title="ANNULÉ - Forum de l'économie sociale et solidaire de Toulouse")
    apply_status(ev)
    assert ev.status == "cancelled"


def test_complet_is_not_a_cancellation_and_a_structured_status_is_kept() -> None:
    # "complet" (sold out) is not a cancellation.
    sold_out = _event(title="Forum ESS (complet)")
    apply_status(sold_out)
    assert sold_out.status == "scheduled"
    postponed = _event(title="Forum ESS", status="postponed")
    apply_status(postponed)
    assert postponed.status == "postponed"


def test_the_description_states_a_cancellation_and_an_unknown_status_is_scheduled() -> None:
    ev = _event(title="Forum ESS", description_html="<p>Malheureusement, l'événement est annulé.</p>")
    apply_status(ev)
    assert ev.status == "cancelled"
    odd = _event(title="Forum ESS", status="maybe")
    apply_status(odd)
    assert odd.status == "scheduled"


def test_the_status_marker_leaves_the_title_so_that_the_label_appears_once() -> None:
    from storage.exporters.display import item_title

    ev = _event(title="ANNULÉ – Réunion publique sur le budget participatif")
    apply_status(ev)
    assert (ev.status, ev.title) == ("cancelled", "Réunion publique sur le budget participatif")
    title = item_title({"title": ev.title, "status": ev.status}, None)
    assert title.count("ANNUL") == 1 and title.startswith("[ANNULÉ] ")
    moved = _event(title="Atelier compost (reporté)")
    apply_status(moved)
    assert (moved.status, moved.title) == ("postponed", "Atelier compost")
    # A word that only looks like a marker stays, and so does a scheduled event's title.
    kept = _event(title="Annulé pour cause de pluie, le bal revient")
    apply_status(kept)
    assert kept.title == "Annulé pour cause de pluie, le bal revient"


def test_a_roundup_items_title_is_the_events_name_not_its_whole_sentence() -> None:
    from pipelines.normalize.event import READABLE_TITLE_CHARS, readable_title

    assert readable_title("Bourse aux vélos") == "Bourse aux vélos"
    assert readable_title(
        "Atelier de réparation de vélos et de petit électroménager, organisé par l'association "
        "Roue Libre avec le soutien de la mairie de quartier"
    ) == "Atelier de réparation de vélos et de petit électroménager"
    assert readable_title(
        "« Nuit des coopératives » : une soirée pour rencontrer les coopératives de la métropole et "
        "découvrir leurs métiers"
    ) == "« Nuit des coopératives »"
    long = readable_title("Grande journée " + "de rencontres et d'échanges entre structures " * 5)
    assert len(long) <= READABLE_TITLE_CHARS + 1 and long.endswith("…") and not long[:-1].endswith(" ")
    ev = _event(title="Marché de Noël solidaire, proposé par le collectif des épiceries solidaires du "
                      "département et ses nombreux partenaires locaux")
    ev.extractor = "roundup"
    clean_event(ev)
    assert ev.title == "Marché de Noël solidaire"


def test_a_roundup_item_whose_text_holds_its_hour_is_not_all_day() -> None:
    from datetime import date

    from pipelines.normalize.event import apply_dates

    ev = _event(title="Ciné-débat sur l'habitat participatif", start_raw="Le 23 novembre")
    ev.extractor = "roundup"
    ev.description_html = "<p>Projection du documentaire à 20h30, suivie d'un échange avec les habitants.</p>"
    assert apply_dates(ev, crawl_date=date(2021, 10, 1))
    assert ev.all_day is False and (ev.start.day, ev.start.hour, ev.start.minute) == (23, 20, 30)
    other_day = _event(title="Forum des associations", start_raw="Le 23 novembre")
    other_day.extractor = "roundup"
    other_day.description_html = "<p>Inscriptions jusqu'au 20 novembre à 12h.</p>"
    assert apply_dates(other_day, crawl_date=date(2021, 10, 1))
    assert other_day.all_day is True


def test_a_better_title_never_changes_the_records_id() -> None:
    from datetime import date

    from pipelines.normalize.event import normalize_event, record_id

    sentence = ("Marché de Noël solidaire, proposé par le collectif des épiceries solidaires du "
                "département et ses nombreux partenaires locaux")
    as_written = _event(title=sentence, start_raw="Le 12 décembre")
    as_written.extractor = "roundup"
    before = record_id(as_written)  # the id an event got before its title was shortened
    shortened = normalize_event(as_written, crawl_date=date(2026, 11, 1))
    assert shortened is not None and shortened.title == "Marché de Noël solidaire"
    assert shortened.id == before
    cancelled = _event(title="ANNULÉ – Marché de Noël solidaire", start_raw="Le 12 décembre")
    flagged = record_id(cancelled)
    cleaned = normalize_event(cancelled, crawl_date=date(2026, 11, 1))
    assert cleaned is not None and cleaned.title == "Marché de Noël solidaire" and cleaned.id == flagged
