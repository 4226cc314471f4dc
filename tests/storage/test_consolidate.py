"""Cross-source deduplication: one real event, however many sources announce it."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.normalize.event import apply_status
from storage.consolidate import normalize_title, title_similarity
from storage.read import iter_events
from storage.write import sync_sources, upsert_events
from tests.storage.helpers import PARIS, T0, T1, T2, forum, forum_national, forum_roundup, memory_db


def _reasons(db):
    return {r["id"]: json.loads(r["merge_reason"]) for r in db.query("SELECT id, merge_reason FROM event_sources")}


def test_duplicate_from_three_sources_becomes_one_event_with_three_sources():
    db = memory_db()
    stats = upsert_events(db, [forum(), forum_national(), forum_roundup()], seen_at=T0)
    assert (stats.new, stats.merged, stats.events_created) == (3, 2, 1)
    [event] = list(iter_events(db))
    assert [s["source"] for s in event["sources"]] == ["cress_occitanie", "lemois_ess", "ess_toulouse_roundup"]
    assert {s["url"] for s in event["sources"]} == {forum().url, forum_national().url, forum_roundup().url}
    # Most precise value wins, field by field: the CRESS's timed start and street address.
    assert event["start"] == "2026-11-19T09:00:00+01:00"
    assert event["address"] == "150 rue Pierre-Gilles de Gennes"
    assert event["url"] == forum().url
    assert event["title"] == "Forum de l'économie sociale et solidaire de Toulouse"
    assert event["tags"] == ["forum", "Mois de l'ESS"]
    reasons = _reasons(db)
    assert reasons[forum().id]["rule"] == "new"
    for joined in (forum_national().id, forum_roundup().id):
        assert reasons[joined]["rule"] == "title+day+place"
        assert reasons[joined]["place"] == "insee 31254"
        assert reasons[joined]["title_score"] >= reasons[joined]["threshold"]


def test_field_choice_does_not_depend_on_arrival_order():
    first, second = memory_db(), memory_db()
    upsert_events(first, [forum(), forum_national(), forum_roundup()], seen_at=T0)
    upsert_events(second, [forum_roundup()], seen_at=T0)
    upsert_events(second, [forum_national()], seen_at=T1)
    upsert_events(second, [forum()], seen_at=T2)
    [a], [b] = list(iter_events(first)), list(iter_events(second))
    content = ("title", "url", "start", "end", "address", "venue", "insee", "status", "tags", "sources")
    assert {k: a[k] for k in content} == {k: b[k] for k in content}
    assert a["fingerprint"] == b["fingerprint"]


def test_regional_cress_beats_national_beats_other_when_equally_precise():
    db = memory_db()
    sync_sources(db, [
        {"id": "zz_cress_page", "name": "CRESS Occitanie (agenda)", "kind": "cress"},
        {"id": "lemois_ess", "name": "Le Mois de l'ESS", "kind": "national"},
    ])
    national = forum(source="lemois_ess", id="lemois_ess:1", url="https://lemois-ess.example/e/1",
                     title="Forum ESS Toulouse Labège", extractor="jsonld")
    regional = forum(source="zz_cress_page", id="zz_cress_page:1", url="https://cress.example/e/1",
                     title="Forum de l'ESS de Toulouse à Labège", extractor="jsonld")
    upsert_events(db, [national, regional], seen_at=T0)
    [event] = list(iter_events(db))
    assert event["url"] == "https://cress.example/e/1"
    assert event["sources"][0] == {"source": "zz_cress_page", "url": "https://cress.example/e/1",
                                   "name": "CRESS Occitanie (agenda)"}


def test_consolidated_id_is_stable_when_sources_come_and_go():
    db = memory_db()
    upsert_events(db, [forum_national()], seen_at=T0)
    [alone] = list(iter_events(db))
    upsert_events(db, [forum(), forum_roundup()], seen_at=T1)
    [joined] = list(iter_events(db))
    assert joined["id"] == alone["id"]
    assert len(joined["sources"]) == 3
    assert joined["sequence"] == alone["sequence"] + 1  # sources and precise time are real changes

    # The founding record disappears from its source: the id stays, the others carry the event.
    db.execute("UPDATE event_sources SET missing_since = ? WHERE id = ?", ["2026-11-04T06:00:00Z", forum_national().id])
    from storage.consolidate import refresh_events

    with db.atomic():
        refresh_events(db, {alone["id"]}, at="2026-11-04T06:00:00Z")
    [left] = list(iter_events(db))
    assert left["id"] == alone["id"]
    assert left["missing"] == 0
    assert [s["source"] for s in left["sources"]] == ["cress_occitanie", "ess_toulouse_roundup"]


def test_two_different_events_same_day_same_town_stay_two():
    db = memory_db()
    workshop = forum(source="lemois_ess", id="lemois_ess:2", url="https://lemois-ess.example/e/2",
                     title="Atelier comptabilité pour les associations employeuses")
    upsert_events(db, [forum(), workshop], seen_at=T0)
    assert len(list(iter_events(db))) == 2


def test_same_title_in_two_towns_or_two_sessions_stays_two():
    db = memory_db()
    montpellier = forum(source="lemois_ess", id="lemois_ess:3", url="https://lemois-ess.example/e/3",
                        city="Montpellier", insee="34172", department="34", postal_code="34000")
    afternoon = forum(source="ess_france", id="ess_france:4", url="https://ess-france.example/e/4",
                      start=datetime(2026, 11, 19, 14, 0, tzinfo=PARIS), end=None)
    upsert_events(db, [forum(), montpellier, afternoon], seen_at=T0)
    assert len(list(iter_events(db))) == 3


def test_numbered_sessions_are_not_merged():
    assert title_similarity("Atelier 1 : créer sa SCOP", "Atelier 2 : créer sa SCOP") == 0
    assert title_similarity("Forum ESS 2026", "Le forum de l'ESS") > 80


def test_same_source_never_merges_with_itself():
    db = memory_db()
    twin = forum(id="cress_occitanie:2", url="https://www.cress-occitanie.example/agenda/forum-ess-toulouse-bis")
    upsert_events(db, [forum(), twin], seen_at=T0)
    assert len(list(iter_events(db))) == 2


def test_online_events_merge_and_unknown_place_needs_a_near_identical_title():
    db = memory_db()
    webinar = {"insee": None, "city": None, "postal_code": None, "department": None, "venue": None, "address": None,
                   "attendance": "online", "title": "Webinaire : financer son projet d'ESS"}
    upsert_events(db, [
        forum(**webinar),
        forum(**{**webinar, "source": "lemois_ess", "id": "lemois_ess:5", "url": "https://lemois-ess.example/e/5",
                 "title": "Webinaire - Financer son projet ESS"}),
    ], seen_at=T0)
    [_event] = list(iter_events(db))
    assert json.loads(db.execute("SELECT merge_reason FROM event_sources WHERE id = 'lemois_ess:5'").fetchone()[0])[
        "place"] == "online"

    nowhere = {"insee": None, "city": None, "postal_code": None, "department": None, "venue": None, "address": None,
                   "attendance": None}
    upsert_events(db, [
        forum(**nowhere, id="cress_occitanie:6", url="https://c.example/6", start=date(2026, 11, 25), end=None,
              title="Petit-déjeuner des dirigeants de l'ESS"),
        forum(**nowhere, source="lemois_ess", id="lemois_ess:6", url="https://l.example/6", start=date(2026, 11, 25),
              end=None, title="Petit déjeuner des dirigeants ESS"),
        forum(**nowhere, source="ess_france", id="ess_france:6", url="https://e.example/6", start=date(2026, 11, 25),
              end=None, title="Petit-déjeuner des dirigeantes et dirigeants de coopératives"),
    ], seen_at=T0)
    assert len(list(iter_events(db, date_from=date(2026, 11, 25)))) == 2


def test_a_record_whose_date_moves_away_leaves_its_event_and_says_why():
    db = memory_db()
    upsert_events(db, [forum(), forum_national()], seen_at=T0)
    [event] = list(iter_events(db))
    moved = forum_national()
    moved.start = moved.end = date(2026, 12, 10)
    upsert_events(db, [moved], seen_at=T1)
    rows = list(iter_events(db))
    assert len(rows) == 2
    assert event["id"] in {r["id"] for r in rows}
    reason = _reasons(db)[moved.id]
    assert reason["rule"] == "new" and event["id"] in reason["detail"]


def test_cancelled_by_any_listed_source_is_cancelled_and_stays_listed():
    db = memory_db()
    upsert_events(db, [forum(), forum_national()], seen_at=T0)
    cancelled = forum_national()
    cancelled.status = "cancelled"
    upsert_events(db, [forum(), cancelled], seen_at=T1)
    [event] = list(iter_events(db))
    assert event["status"] == "cancelled"
    assert event["missing"] == 0


def test_normalize_title_folds_accents_and_drops_stop_words():
    assert normalize_title("Le Forum de l'Économie Sociale & Solidaire") == "forum economie sociale solidaire"


def test_a_roundup_sentence_joins_the_event_it_names():
    db = memory_db()
    convention = forum(title="Convergences 2026 : la convention d'affaires de l'ESS en Occitanie")
    sentence = forum_roundup()
    sentence.title = "Convergences, le rendez-vous d'affaires de l'ESS. De 9h à 18h au centre de congrès Diagora."
    upsert_events(db, [convention, sentence], seen_at=T0)
    [event] = list(iter_events(db))
    assert len(event["sources"]) == 2
    reason = _reasons(db)[sentence.id]
    assert (reason["rule"], reason["shared_name"]) == ("name+day+place", ["convergences"])


def test_shared_vocabulary_or_town_name_is_not_a_name():
    db = memory_db()
    market = forum_roundup()
    market.title = "Marché de Noël solidaire de Labège, avec les associations du territoire"
    upsert_events(db, [forum(title="Forum des associations employeuses de Labège"), market], seen_at=T0)
    assert len(list(iter_events(db))) == 2


def test_a_source_flagging_its_record_cancelled_keeps_it_in_the_event():
    db = memory_db()
    upsert_events(db, [forum(), forum_national()], seen_at=T0)
    [before] = list(iter_events(db))
    flagged = forum_national()
    flagged.title = "ANNULÉ - Forum ESS de Toulouse"
    apply_status(flagged)  # as the clean pipeline does before storage
    upsert_events(db, [flagged], seen_at=T1)
    [after] = list(iter_events(db))
    assert after["id"] == before["id"]
    assert len(after["sources"]) == 2
    assert after["status"] == "cancelled"
    assert after["title"] == before["title"]  # the CRESS's title still leads


def test_same_minute_same_commune_needs_less_title_evidence():
    db = memory_db()
    reunion = ZoneInfo("Indian/Reunion")
    place = {"city": "Saint-Denis", "insee": "97411", "postal_code": "97490", "department": "974", "region": "La Réunion",
                 "region_code": "04", "timezone": "Indian/Reunion", "venue": None, "address": None}
    launch = forum(**place, title="Lancement du Mois de l'ESS à La Réunion", id="cress_reunion:d1",
                   source="cress_reunion", url="https://c.example/lancement",
                   start=datetime(2026, 11, 3, 17, 0, tzinfo=reunion), end=None)
    # The national platform shows the same minute in Paris time.
    kickoff = forum(**place, source="lemois_ess", id="lemois_ess:d1", url="https://l.example/coup-d-envoi",
                    title="Coup d'envoi du Mois de l'ESS réunionnais",
                    start=datetime(2026, 11, 3, 14, 0, tzinfo=PARIS), end=None)
    later = forum(**place, source="ess_france", id="ess_france:d1", url="https://e.example/coup-d-envoi",
                  title="Coup d'envoi du Mois de l'ESS réunionnais",
                  start=datetime(2026, 11, 3, 19, 30, tzinfo=reunion), end=None)
    upsert_events(db, [launch, kickoff, later], seen_at=T0)
    events = list(iter_events(db))
    assert sorted(len(e["sources"]) for e in events) == [1, 2]
    assert _reasons(db)["lemois_ess:d1"]["rule"] == "title+instant+place"


def test_a_source_moving_its_start_time_stays_in_the_event_which_follows_the_cress():
    db = memory_db()
    national = forum_national()
    national.start = datetime(2026, 11, 19, 9, 0, tzinfo=PARIS)
    national.all_day = False
    upsert_events(db, [forum(), national], seen_at=T0)
    [event] = list(iter_events(db))
    later = forum_national()
    later.start = datetime(2026, 11, 19, 11, 30, tzinfo=PARIS)  # more than the hour two joining records may differ
    later.all_day = False
    upsert_events(db, [later], seen_at=T1)
    [same] = list(iter_events(db))
    assert same["id"] == event["id"]
    assert same["start"] == "2026-11-19T09:00:00+01:00"  # the CRESS, the better witness, says 9:00
    # The disagreement is kept: each record says what its source says.
    starts = dict(db.execute("SELECT source, start FROM event_sources").fetchall())
    assert starts == {"cress_occitanie": "2026-11-19T09:00:00+01:00", "lemois_ess": "2026-11-19T11:30:00+01:00"}
    moved = forum(start=datetime(2026, 11, 19, 10, 0, tzinfo=PARIS), title="Forum de l'ESS de Toulouse (nouvel horaire)")
    upsert_events(db, [moved], seen_at=T2)
    [after] = list(iter_events(db))
    assert after["id"] == event["id"] and after["start"] == "2026-11-19T10:00:00+01:00"


def test_between_equal_witnesses_the_most_recent_change_wins():
    db = memory_db()
    sync_sources(db, [{"id": "asso_a", "name": "A", "kind": "other"}, {"id": "asso_b", "name": "B", "kind": "other"}])
    a = forum(source="asso_a", id="asso_a:1", url="https://a.example/forum")
    b = forum(source="asso_b", id="asso_b:1", url="https://b.example/forum")
    upsert_events(db, [a, b], seen_at=T0)
    b_moved = forum(source="asso_b", id="asso_b:1", url="https://b.example/forum",
                    start=datetime(2026, 11, 19, 9, 30, tzinfo=PARIS))
    upsert_events(db, [b_moved], seen_at=T1)
    [event] = list(iter_events(db))
    assert event["start"] == "2026-11-19T09:30:00+01:00"
    a_moved = forum(source="asso_a", id="asso_a:1", url="https://a.example/forum",
                    start=datetime(2026, 11, 19, 9, 45, tzinfo=PARIS))
    upsert_events(db, [a_moved], seen_at=T2)
    [event] = list(iter_events(db))
    assert event["start"] == "2026-11-19T09:45:00+01:00"


_EDITS = st.lists(st.tuples(
    st.integers(min_value=-3, max_value=8),  # start hour shift
    st.sampled_from(["", " (complet)", " : nouvel horaire", " – 2e édition", " avec les coopératives"]),
    st.text(alphabet="abcdefghij éè", max_size=30),
), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
def test_edits_of_one_sources_record_never_add_events(edits):
    db = memory_db()
    upsert_events(db, [forum(), forum_national()], seen_at=T0)
    before = len(list(iter_events(db)))
    for step, (shift, suffix, words) in enumerate(edits, start=1):
        edited = forum_national()
        edited.start = datetime(2026, 11, 19, 9 + shift, 0, tzinfo=PARIS)
        edited.all_day = False
        edited.title = edited.title + suffix
        edited.description_html = f"<p>{words}</p>"
        upsert_events(db, [edited], seen_at=datetime(2026, 11, 3 + step, 6, 0, tzinfo=T0.tzinfo))
        assert len(list(iter_events(db))) <= before
