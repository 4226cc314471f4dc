"""OpenAgenda API v2 events and agenda exports."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from spiders.extract import openagenda
from tests.spiders.extract.helpers import by_title, run

PARIS = ZoneInfo("Europe/Paris")
API = "https://api.openagenda.com/v2/agendas/90001234/events?size=5&detailed=1"


def test_list_and_after_cursor() -> None:
    result = run("openagenda_v2_list.json", url=API)
    assert result.extractor == "openagenda"
    assert len(result.events) == 5
    [nxt] = result.next_urls
    q = parse_qs(urlsplit(nxt).query)
    assert q["after[]"] == ["1637999999000", "51234590"]
    assert q["size"] == ["5"]


def test_offline_event_with_several_timings() -> None:
    ev = by_title(run("openagenda_v2_list.json", url=API), "Atelier compost")
    assert ev.url == "https://openagenda.com/agendas/90001234/events/51234567"
    assert ev.start == datetime(2021, 11, 6, 10, 0, tzinfo=PARIS)
    assert ev.end == datetime(2021, 11, 13, 12, 0, tzinfo=PARIS)
    assert "multiple_timings" in ev.date_flags
    assert (ev.venue, ev.postal_code, ev.city, ev.insee) == ("Jardin partagé des Capucins", "49100", "Angers", "49007")
    assert ev.latitude == 47.478
    assert ev.attendance == "offline"
    assert ev.image == "https://cdn.openagenda.com/main/3f2a1b.base.image.jpg"
    assert ev.registration_url == "https://inscription.example.org/compost"
    assert ev.tags == ["environnement", "économie circulaire"]
    assert "maître composteur" in ev.description_html


def test_online_event_utc_timings_shown_in_zone() -> None:
    ev = by_title(run("openagenda_v2_list.json", url=API), "Webinaire")
    assert ev.attendance == "online"
    assert ev.online_url == "https://visio.example.org/tiers-lieux"
    assert ev.start == datetime(2021, 11, 16, 14, 30, tzinfo=PARIS)
    assert ev.start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert ev.city is None


def test_mixed_rescheduled_cancelled_postponed() -> None:
    result = run("openagenda_v2_list.json", url=API)
    mixed = by_title(result, "Forum de la finance")
    assert mixed.attendance == "mixed" and mixed.status == "scheduled"
    assert mixed.online_url == "https://live.example.org/forum"
    assert by_title(result, "Balade").status == "cancelled"
    salon = by_title(result, "Salon de l'ESS")
    assert salon.status == "postponed"
    assert salon.end == datetime(2021, 11, 28, 18, 0, tzinfo=PARIS)


def test_single_event_overseas_moved_online() -> None:
    result = run("openagenda_v2_event.json", url="https://api.openagenda.com/v2/agendas/1/events/61000001")
    [ev] = result.events
    assert ev.timezone == "America/Martinique"
    assert ev.start == datetime(2022, 11, 17, 8, 0, tzinfo=ZoneInfo("America/Martinique"))
    assert ev.attendance == "online"  # status 3: moved online
    assert ev.status == "scheduled"


def test_agenda_export_with_flat_fields() -> None:
    [ev] = run("openagenda_export.json", url="https://openagenda.com/agendas/33/events.json").events
    assert ev.url == "https://openagenda.com/ess-grand-est/events/portes-ouvertes-epicerie-solidaire"
    assert ev.start == datetime(2021, 11, 24, 14, 0, tzinfo=PARIS)
    assert (ev.venue, ev.city, ev.postal_code) == ("Épicerie solidaire du Faubourg", "Metz", "57000")
    assert "<strong>" in ev.description_html
    assert ev.image == "https://cibul.s3.amazonaws.com/evtbevent_portes-ouvertes_1.jpg"


def test_events_url() -> None:
    url = openagenda.events_url(123)
    assert url.startswith("https://api.openagenda.com/v2/agendas/123/events?")


def test_native_ids_are_openagenda_uids() -> None:
    result = run("openagenda_v2_list.json", url=API)
    assert [ev.native_id for ev in result.events][:2] == ["openagenda:51234567", "openagenda:51234570"]


ODS = ("https://public.opendatasoft.com/api/records/1.0/search/"
       "?dataset=evenements-publics-openagenda&q=ESS&rows=2&start=0")


def test_opendatasoft_records_of_the_public_aggregate() -> None:
    result = run("ods_openagenda_records.json", url=ODS)
    assert result.extractor == "openagenda"
    forum = by_title(result, "Forum de l'emploi")
    # Local times come from the JSON-string timings, first begin to last end.
    assert forum.start == datetime(2025, 11, 13, 9, 30, tzinfo=PARIS)
    assert forum.end == datetime(2025, 11, 14, 17, 0, tzinfo=PARIS)
    assert (forum.city, forum.postal_code, forum.insee) == ("Clermont-Ferrand", "63000", "63113")
    assert forum.latitude == 45.777
    assert forum.attendance == "offline"
    assert forum.url == "https://openagenda.com/cress-test/events/80000001"
    assert forum.tags == ["ESS", "coopération"]
    webinar = by_title(result, "Webinaire")
    assert webinar.status == "cancelled"
    assert webinar.attendance == "online"
    [nxt] = result.next_urls
    assert parse_qs(urlsplit(nxt).query)["start"] == ["2"]


def test_opendatasoft_status_label_says_what_the_code_means() -> None:
    item = openagenda.item_from_ods({"uid": "1", "title_fr": "Atelier", "timings": "[]",
                                     "firstdate_begin": "2025-05-02T08:00:00+00:00",
                                     "firstdate_end": "2025-05-02T10:00:00+00:00",
                                     "status": '{"id": 9, "label": {"en": "Postponed"}}'})
    ev = openagenda.event_from_item(item, url=ODS, source="t", tz="Europe/Paris", reference=None,
                                    skipped=Counter())
    assert ev is not None and ev.status == "postponed"
    assert ev.start == datetime(2025, 5, 2, 10, 0, tzinfo=PARIS)


def test_the_api_key_travels_in_a_header_and_only_to_the_api() -> None:
    api = openagenda.events_url(90001234)
    assert openagenda.needs_key(api)
    assert openagenda.key_headers(api, "cle-publique") == {"key": "cle-publique"}
    assert openagenda.key_headers(api, "") == {}
    assert openagenda.key_headers("https://openagenda.com/agendas/90001234/events.json", "cle-publique") == {}
    assert not openagenda.needs_key(ODS)
    assert "ESS_OPENAGENDA_KEY" in openagenda.MISSING_KEY
    assert "HTTP 403" in openagenda.REFUSED_KEY.format(status=403)
