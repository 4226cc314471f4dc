"""apply_place: where the attendance of an event is read from, and when it is not read at all."""

from __future__ import annotations

from pipelines.normalize.event import apply_place, clean_event
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
