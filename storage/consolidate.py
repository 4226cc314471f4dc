"""Cross-source consolidation: which records are one real event, and what that event says.

Records (`event_sources`) are grouped into consolidated events (`events`). A new record joins
the existing event it matches best, else it starts one whose id derives from its own record id.
A record keeps its `event_id` for ever (so feed ids never change when a source is added or
removed, or a source edits a time or a title), unless it now clearly describes another event
(another day, another commune, an unrelated title); then it leaves for a better match or a new
event. Where sources disagree, the event says what the most authoritative one says (between
equals, the most recently changed) and each record keeps its own version. Every join stores
why (`event_sources.merge_reason`, JSON).

Matching: same day (or overlapping spans), compatible places (same INSEE commune, same
city name, or both online; a record with an unknown place needs a near-identical title),
start times within an hour when both are timed, and titles alike after accent folding and
stop-word removal (rapidfuzz `token_set_ratio`, guarded by plain `ratio` for one-word titles).
Two records from the same source are never merged: a source listing two sessions of one
workshop on one day means two events.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from storage.rows import CONTENT_FIELDS, EVENT_FIELDS, UpsertStats, fingerprint

if TYPE_CHECKING:
    from sqlite_utils import Database

# Thresholds on a 0-100 scale, set on pairs of real titles: the same event announced by a
# CRESS and by a roundup scores 85-100 ("Forum ESS Toulouse" / "Le forum de l'ESS à
# Toulouse"); two workshops of one town on one day score below 70.
TITLE_THRESHOLD = 80.0
TITLE_THRESHOLD_UNKNOWN_PLACE = 95.0
# Lower bar when both records start at the very same minute in the same commune.
INSTANT_THRESHOLD = 65.0
# Lower bar when both titles share a distinctive word (the event's name) in the same commune.
NAME_THRESHOLD = 55.0
MAX_START_GAP = timedelta(hours=1)

KIND_RANK = {"cress": 0, "national": 1, "other": 2}
NATIONAL_SOURCES = frozenset({"lemois_ess", "ess_france"})
STRUCTURED_EXTRACTORS = frozenset({"jsonld", "tribe", "ical", "openagenda"})

# Articles and prepositions, plus the status words sites prepend to a title ("ANNULÉ -"):
# a cancelled event is still the same event.
_STOP_VOCABULARY = """le la les l un une des du de d et a au aux en dans sur pour par avec sans chez ou
    the of and for in on at annule annulee annules annulees annulation reporte reportee reportes
    reportees report complet complete cancelled canceled postponed"""
_STOP_WORDS = frozenset(_STOP_VOCABULARY.split())
_NON_WORD = re.compile(r"[\W_]+")
# Words any ESS event title may use: sharing one says nothing. A shared word outside this
# list ("coventis", "esspresso", "rifress") is usually the event's own name.
_COMMON_VOCABULARY = """forum forums atelier ateliers rencontre rencontres webinaire webinar conference conferences
    table ronde rondes visite visites soiree journee journees semaine semaines economie sociale
    solidaire solidaires lancement ouverture cloture salon marche marches assemblee generale festival
    formation formations reunion reunions matinale matinales aperitif apero cooperatif cooperative
    cooperatives cooperatifs emploi emplois metiers finance financer financement projet projets
    association associations associatif associative entreprise entreprises entreprendre acteurs
    actrices reseau reseaux territoire territoires territorial regional regionale national nationale
    transition ecologique innovation sociale impact achats responsables responsable citoyen citoyenne
    debat debats cine echanges echange presentation decouverte portes ouvertes petit dejeuner
    rendez affaires convention edition premiere deuxieme novembre decembre octobre janvier fevrier
    benevoles benevolat jeunes jeunesse insertion circulaire developpement durable solidarite
    partenaires grand public gratuit inscription programme"""
_COMMON_WORDS = frozenset(_COMMON_VOCABULARY.split())


@lru_cache(maxsize=65_536)
def normalize_title(title: str) -> str:
    """Accent-, case- and punctuation-free title without French stop words ('Le forum de l'ESS' -> 'forum ess')."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = [w for w in _NON_WORD.sub(" ", plain).split() if w not in _STOP_WORDS]
    return " ".join(words)


_NUMBER = re.compile(r"\b\d+\b")


def title_similarity(a: str, b: str, *, score_cutoff: float = 0.0) -> float:
    """0-100 likeness of two titles, after `normalize_title` (0 below `score_cutoff`).

    token_set_ratio forgives a roundup's extra words ("Mois de l'ESS : ..."), but scores 100
    whenever one title's words are a subset of the other's, so a one-word title ("Forum")
    is compared with plain `ratio` instead. Titles whose numbers disagree ("Atelier 1" /
    "Atelier 2", "Session 3") are different events whatever their words.
    """
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return 0.0
    numbers_a, numbers_b = _numbers(na), _numbers(nb)
    if numbers_a and numbers_b and not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        return 0.0
    if " " not in na or " " not in nb:
        return float(fuzz.ratio(na, nb, score_cutoff=score_cutoff))
    return float(fuzz.token_set_ratio(na, nb, score_cutoff=score_cutoff))


@lru_cache(maxsize=65_536)
def _numbers(normalized: str) -> frozenset[str]:
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(normalized))


def distinctive_words(title: str, *, place_words: Iterable[str | None] = ()) -> frozenset[str]:
    """Words of a title that name this event rather than describe it: five letters or more, not
    common ESS event vocabulary, not the commune's or région's name."""
    ignored = _COMMON_WORDS.union(*(normalize_title(w).split() for w in place_words if w))
    return frozenset(
        w for w in normalize_title(title).split() if len(w) >= 5 and not w.isdigit() and w not in ignored
    )


def source_kind(source: str, kinds: dict[str, str]) -> str:
    """'cress' | 'national' | 'other': from the `sources` table, else from the id's shape."""
    kind = kinds.get(source)
    if kind in KIND_RANK:
        return kind
    if source.startswith("cress_"):
        return "cress"
    return "national" if source in NATIONAL_SOURCES else "other"


def source_kinds(db: Database) -> dict[str, str]:
    """Kinds the registry declared (`sync_sources`); rows a crawl created on the fly have no
    name and fall back to `source_kind`'s guess from the id."""
    return {row[0]: row[1] for row in db.execute("SELECT id, kind FROM sources WHERE name IS NOT NULL")}


def record_rank(rec: dict[str, Any], kinds: dict[str, str]) -> tuple[Any, ...]:
    """Sort key of a record as a witness: listed now, a page of its own (not a roundup), the
    CRESS before national platforms before others, structured data before text; between
    equals the most recently changed; then ids."""
    extractor = rec.get("extractor") or ""
    updated = rec.get("updated_at")
    return (
        rec.get("missing_since") is not None,
        extractor == "roundup",
        KIND_RANK[source_kind(rec["source"], kinds)],
        extractor not in STRUCTURED_EXTRACTORS,
        -datetime.fromisoformat(updated).timestamp() if updated else 0.0,
        rec["source"],
        rec["id"],
    )


def event_id_for(record_id: str, salt: str = "") -> str:
    """Consolidated id derived from the record that started the event."""
    return "evt-" + hashlib.sha1(f"{record_id}{salt}".encode()).hexdigest()[:16]


# --- matching -------------------------------------------------------------------------


def _city_key(rec: dict[str, Any]) -> str | None:
    return normalize_title(rec["city"]) if rec.get("city") else None


def place_relation(a: dict[str, Any], b: dict[str, Any]) -> str:
    """'same', 'conflict' or 'unknown' for the places of two records."""
    online_a, online_b = a.get("attendance") == "online", b.get("attendance") == "online"
    if online_a and online_b:
        return "same"
    if a.get("insee") and b.get("insee"):
        return "same" if a["insee"] == b["insee"] else "conflict"
    ca, cb = _city_key(a), _city_key(b)
    if ca and cb:
        return "same" if ca == cb else "conflict"
    # Online-only against a located, offline event: two events (a webinar and a meeting).
    if (online_a and b.get("attendance") == "offline") or (online_b and a.get("attendance") == "offline"):
        return "conflict"
    return "unknown"


def _times_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if not (a.get("start_utc") and b.get("start_utc")):
        return True
    gap = abs(datetime.fromisoformat(a["start_utc"]) - datetime.fromisoformat(b["start_utc"]))
    return gap <= MAX_START_GAP


def match_score(row: dict[str, Any], other: dict[str, Any]) -> dict[str, Any] | None:
    """Why `row` and `other` are the same event (a JSON-able dict with the title score), or None."""
    if row["source"] == other["source"]:
        return None
    if not (row["start_date"] <= other["end_date"] and other["start_date"] <= row["end_date"]):
        return None
    place = place_relation(row, other)
    if place == "conflict" or not _times_compatible(row, other):
        return None
    threshold = TITLE_THRESHOLD if place == "same" else TITLE_THRESHOLD_UNKNOWN_PLACE
    same_day = row["start_date"] == other["start_date"]
    rule, shared = "title+day+place", None
    if place == "same" and row.get("start_utc") and row["start_utc"] == other.get("start_utc"):
        # Same commune, same minute: two wordings of one launch ("Lancement du Mois de l'ESS à
        # La Réunion" / "Coup d'envoi du Mois de l'ESS réunionnais") need less title evidence.
        rule, threshold = "title+instant+place", INSTANT_THRESHOLD
    score = title_similarity(row["title"], other["title"], score_cutoff=NAME_THRESHOLD)
    if score < threshold:
        # A roundup's sentence-like title ("Coventis, le rendez-vous d'affaires de l'ESS. De
        # 9h à 18h ...") scores low against the page title; the event's own name, shared on
        # the same day in the same commune, is enough.
        if not (same_day and place == "same" and score >= NAME_THRESHOLD and row.get("attendance") != "online"):
            return None
        place_words = (row.get("city"), other.get("city"), row.get("region"), other.get("region"))
        shared = distinctive_words(row["title"], place_words=place_words) & distinctive_words(
            other["title"], place_words=place_words
        )
        if not shared:
            return None
        rule, threshold = "name+day+place", NAME_THRESHOLD
    reason = {
        "rule": rule,
        "with": other["id"],
        "day": "same" if same_day else "overlap",
        "place": place if place == "unknown" else (
            "online" if row.get("attendance") == "online" and other.get("attendance") == "online"
            else f"insee {row['insee']}" if row.get("insee") and other.get("insee") else "city"
        ),
        "title_score": round(score, 1),
        "threshold": threshold,
    }
    if shared:
        reason["shared_name"] = sorted(shared)
    return reason


_CANDIDATE_COLUMNS = (
    "id, event_id, source, title, start_date, end_date, start_utc, insee, city, attendance, region"
)


def find_match(db: Database, row: dict[str, Any], *, exclude_event: str | None = None) -> tuple[str, dict[str, Any]] | None:
    """Best existing event for a record row: (event_id, reason) or None.

    Among matching records, the highest title score wins, then the smallest event id, so the
    choice does not depend on row order. Events already holding a record of the same source
    are skipped.
    """
    if row.get("date_status") != "ok" or not row.get("start_date"):
        return None
    # Records starting within the row's span, plus longer records that began before it and
    # still run (served by the partial index on multi-day records); places that cannot be
    # the same (two known, different communes) are left out by SQL already.
    place = "AND (insee IS NULL OR ? IS NULL OR insee = ?)"
    cursor = db.conn.execute(
        f"""SELECT {_CANDIDATE_COLUMNS} FROM event_sources
            WHERE start_date BETWEEN ? AND ? AND date_status = 'ok' AND source != ? {place}
            UNION ALL
            SELECT {_CANDIDATE_COLUMNS} FROM event_sources
            WHERE end_date > start_date AND end_date >= ? AND start_date < ?
              AND date_status = 'ok' AND source != ? {place}""",
        [row["start_date"], row["end_date"], row["source"], row["insee"], row["insee"],
         row["start_date"], row["start_date"], row["source"], row["insee"], row["insee"]],
    )
    columns = [d[0] for d in cursor.description]
    found: list[tuple[float, str, dict[str, Any]]] = []
    title = row["title"]
    for values in cursor:
        # Titles reject almost every candidate: score them before building a dict.
        if values[1] == exclude_event or title_similarity(title, values[3], score_cutoff=NAME_THRESHOLD) == 0:
            continue
        other = dict(zip(columns, values))
        reason = match_score(row, other)
        if reason is not None:
            found.append((-reason["title_score"], other["event_id"], reason))
    for _, event_id, reason in sorted(found, key=lambda f: (f[0], f[1])):
        taken = db.conn.execute(
            "SELECT 1 FROM event_sources WHERE event_id = ? AND source = ? AND id != ? LIMIT 1",
            [event_id, row["source"], row["id"]],
        ).fetchone()
        if not taken:
            return event_id, reason
    return None


def another_event(row: dict[str, Any], other: dict[str, Any]) -> str | None:
    """What shows that `row`, a record of the same event as `other`, now describes another
    event ('day', 'place', 'title'), or None while it may still be the same.

    Looser than `match_score`, which decides joins: a moved start time or an edited title is
    a change of the event, not a new one."""
    if not (row["start_date"] <= other["end_date"] and other["start_date"] <= row["end_date"]):
        return "day"
    if place_relation(row, other) == "conflict":
        return "place"
    if title_similarity(row["title"], other["title"], score_cutoff=NAME_THRESHOLD) == 0:
        place_words = (row.get("city"), other.get("city"), row.get("region"), other.get("region"))
        if not distinctive_words(row["title"], place_words=place_words) & distinctive_words(
            other["title"], place_words=place_words
        ):
            return "title"
    return None


def _why_it_left(db: Database, row: dict[str, Any], event_id: str) -> str | None:
    """None when `row` may still describe its event (or is its only source), else why not."""
    cursor = db.conn.execute(
        f"SELECT {_CANDIDATE_COLUMNS}, date_status FROM event_sources WHERE event_id = ? AND id != ?",
        [event_id, row["id"]],
    )
    columns = [d[0] for d in cursor.description]
    others = [dict(zip(columns, values)) for values in cursor if values[-1] == "ok"]
    if not others or row.get("date_status") != "ok":
        return None  # an unreadable date is no evidence of a different event
    reasons = [another_event(row, o) for o in others]
    return None if None in reasons else reasons[0]


def _fresh_event_id(db: Database, record_id: str) -> str:
    for attempt in range(100):
        candidate = event_id_for(record_id, f"#{attempt}" if attempt else "")
        taken = db.conn.execute(
            "SELECT 1 FROM event_sources WHERE event_id = ? AND id != ? LIMIT 1", [candidate, record_id]
        ).fetchone()
        if not taken:
            return candidate
    raise RuntimeError(f"no free event id for {record_id}")


def _assign(db: Database, row: dict[str, Any], *, exclude_event: str | None = None,
            why: str = "content") -> tuple[str, str, bool]:
    """(event_id, merge_reason JSON, joined_existing) for a record that needs an event."""
    found = find_match(db, row, exclude_event=exclude_event)
    if found is not None:
        return found[0], json.dumps(found[1], ensure_ascii=False, sort_keys=True), True
    reason = {"rule": "new", "detail": "no other source announces a matching event"}
    if exclude_event is not None:
        reason["detail"] = f"left {exclude_event}: its {why} no longer matches the other sources"
    # A record never stored before cannot have given its own hash to an event yet.
    event_id = _fresh_event_id(db, row["id"]) if exclude_event is not None else event_id_for(row["id"])
    return event_id, json.dumps(reason, ensure_ascii=False, sort_keys=True), False


# --- storing records ------------------------------------------------------------------

_RECORD_COLUMNS = (
    "id", "event_id", "source", "start_raw", "location_raw", "extractor", "reference_date",
    "date_flags", "scraped_at", *CONTENT_FIELDS, "fingerprint", "first_seen", "last_seen",
    "updated_at", "missing_since", "merge_reason",
)
_INSERT_RECORD = "INSERT INTO event_sources ({}) VALUES ({})".format(
    ", ".join(f'"{c}"' for c in _RECORD_COLUMNS), ", ".join("?" for _ in _RECORD_COLUMNS)
)
_UPDATABLE = [c for c in _RECORD_COLUMNS if c not in ("id", "first_seen")]
_UPDATE_RECORD = "UPDATE event_sources SET {} WHERE id = ?".format(
    ", ".join(f'"{c}" = ?' for c in _UPDATABLE)
)


def store_records(db: Database, rows: Sequence[dict[str, Any]], *, seen_at: str) -> UpsertStats:
    """Write record rows (each with its `fingerprint`) and refresh the events they touch.

    Call inside a transaction. `seen_at` is the crawl time as ISO UTC.
    """
    stats = UpsertStats()
    existing: dict[str, tuple[str, str, str | None]] = {}
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for rid, event_id, fp, missing_since in db.conn.execute(
            f"SELECT id, event_id, fingerprint, missing_since FROM event_sources WHERE id IN ({marks})", chunk
        ):
            existing[rid] = (event_id, fp, missing_since)

    touched: set[str] = set()
    # Events this batch creates from one record: known without reading them back.
    fresh: dict[str, dict[str, Any]] = {}
    seen_only: list[tuple[str, str]] = []
    for row in rows:
        old = existing.get(row["id"])
        if old is not None and old[1] == row["fingerprint"]:
            stats.unchanged += 1
            seen_only.append((seen_at, row["id"]))
            if old[2] is not None:
                touched.add(old[0])  # listed again: no longer missing
            continue
        row = dict(row, last_seen=seen_at, updated_at=seen_at, missing_since=None)
        if old is None:
            row["event_id"], row["merge_reason"], joined = _assign(db, row)
            row["first_seen"] = seen_at
            db.conn.execute(_INSERT_RECORD, [*map(row.get, _RECORD_COLUMNS)])
            stats.new += 1
            stats.merged += joined
            if joined:
                fresh.pop(row["event_id"], None)  # no longer a one-record event
            else:
                fresh[row["event_id"]] = row
        else:
            old_event = old[0]
            row["event_id"] = old_event
            row["merge_reason"] = db.conn.execute(
                "SELECT merge_reason FROM event_sources WHERE id = ?", [row["id"]]
            ).fetchone()[0]
            fresh.pop(old_event, None)
            elsewhere = _why_it_left(db, row, old_event)
            if elsewhere is not None:
                row["event_id"], row["merge_reason"], _ = _assign(db, row, exclude_event=old_event, why=elsewhere)
                fresh.pop(row["event_id"], None)
            db.conn.execute(_UPDATE_RECORD, [*map(row.get, _UPDATABLE), row["id"]])
            touched.add(old_event)
            stats.updated += 1
        touched.add(row["event_id"])
    if seen_only:
        db.conn.executemany(
            "UPDATE event_sources SET last_seen = ?, missing_since = NULL WHERE id = ?", seen_only
        )
    created, changed = refresh_events(db, touched, at=seen_at, fresh=fresh)
    stats.events_created += created
    stats.events_changed += changed
    return stats


# --- building consolidated events -----------------------------------------------------

_TIME_FIELDS = ("start", "end", "start_date", "end_date", "start_utc", "all_day", "timezone")
_PLACE_FIELDS = (
    "venue", "address", "postal_code", "city", "insee", "department", "region", "region_code",
    "region_from", "latitude", "longitude",
)
_FIRST_FILLED = ("title", "description_html", "online_url", "organizer", "registration_url", "image")
_SEVERITY = {"cancelled": 2, "postponed": 1, "scheduled": 0}


def _place_precision(rec: dict[str, Any]) -> int:
    return (
        4 * bool(rec.get("address"))
        + 2 * bool(rec.get("insee"))
        + bool(rec.get("venue"))
        + bool(rec.get("city"))
        + bool(rec.get("latitude") is not None)
    )


def build_event(records: Sequence[dict[str, Any]], kinds: dict[str, str]) -> dict[str, Any]:
    """Consolidated content of one event from its records (`event_sources` rows).

    Field by field the most precise value wins, ties going to the better witness
    (`record_rank`): a timed start beats an all-day one, a street address beats a venue
    beats a bare commune; title, description, links come from the best-ranked record that
    has them; the most severe status any listed record reports wins (a cancellation is
    news no source writes by accident). Records no longer listed only count when all are.
    """
    ranked = sorted(records, key=lambda r: record_rank(r, kinds))
    listed = [r for r in ranked if r.get("missing_since") is None] or ranked
    best = listed[0]
    event: dict[str, Any] = {"url": best["url"]}

    dated = [r for r in listed if r.get("date_status") == "ok" and r.get("start")]
    if dated:
        when = min(dated, key=lambda r: (r.get("all_day") != 0, r.get("end") is None))
        event.update({f: when.get(f) for f in _TIME_FIELDS})
        event["date_status"] = "ok"
    else:
        event.update({f: best.get(f) for f in _TIME_FIELDS})
        event["date_status"] = best.get("date_status") or "unparsed"

    where = max(listed, key=_place_precision)  # max() keeps the first (best-ranked) of equals
    event.update({f: where.get(f) for f in _PLACE_FIELDS})
    for rec in listed:
        if rec is where or (rec.get("insee") and where.get("insee") and rec["insee"] != where["insee"]):
            continue
        for f in _PLACE_FIELDS:
            if event[f] is None and rec.get(f) is not None:
                event[f] = rec[f]
    event["attendance"] = where.get("attendance") or next(
        (r["attendance"] for r in listed if r.get("attendance")), None
    )
    for f in _FIRST_FILLED:
        event[f] = next((r[f] for r in listed if r.get(f)), best.get(f))
    event["title"] = event["title"] or ""
    event["description_html"] = event["description_html"] or ""
    event["status"] = max((r.get("status") or "scheduled" for r in listed), key=lambda s: _SEVERITY.get(s, 0))

    tags: list[str] = []
    folded: set[str] = set()
    for rec in listed:
        for tag in json.loads(rec.get("tags") or "[]"):
            if tag.casefold() not in folded:
                folded.add(tag.casefold())
                tags.append(tag)
    event["tags"] = json.dumps(tags, ensure_ascii=False)

    # Feeds list the pages that announce the event now; a record no longer listed drops out
    # (its history stays in `event_sources`).
    sources: list[dict[str, str]] = []
    for rec in listed:
        entry = {"source": rec["source"], "url": rec["url"]}
        if entry not in sources:
            sources.append(entry)
    event["sources"] = json.dumps(sources, ensure_ascii=False)
    event["missing"] = int(all(r.get("missing_since") is not None for r in records))
    event["first_seen"] = min(r["first_seen"] for r in records)
    event["fingerprint"] = fingerprint(event, EVENT_FIELDS)
    return event


_EVENT_COLUMNS = ("id", *EVENT_FIELDS, "fingerprint", "sequence", "first_seen", "last_seen", "updated_at")
_INSERT_EVENT = "INSERT INTO events ({}) VALUES ({})".format(
    ", ".join(f'"{c}"' for c in _EVENT_COLUMNS), ", ".join("?" for _ in _EVENT_COLUMNS)
)
_EVENT_UPDATABLE = (*EVENT_FIELDS, "fingerprint", "sequence", "last_seen", "updated_at")
_UPDATE_EVENT = "UPDATE events SET {} WHERE id = ?".format(", ".join(f'"{c}" = ?' for c in _EVENT_UPDATABLE))


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def refresh_events(
    db: Database, event_ids: Iterable[str], *, at: str, fresh: dict[str, dict[str, Any]] | None = None
) -> tuple[int, int]:
    """Recompute the given events from their records; write only those whose content changed.

    A changed event gets `updated_at = at`, `sequence + 1` and one `event_changes` row per
    changed field (a new event gets one 'created' row). Returns (created, changed).
    """
    kinds = source_kinds(db)
    created = changed = 0
    record_columns: list[str] | None = None
    fresh = fresh or {}
    for event_id in sorted(event_ids):
        if event_id in fresh:
            # Created in this batch by a single record: nothing to read back or compare.
            event = build_event([fresh[event_id]], kinds)
            event.update(id=event_id, sequence=0, last_seen=at, updated_at=at)
            db.conn.execute(_INSERT_EVENT, [*map(event.get, _EVENT_COLUMNS)])
            _write_changes(db, event_id, at, [("created", None, None)])
            created += 1
            continue
        cursor = db.conn.execute("SELECT * FROM event_sources WHERE event_id = ?", [event_id])
        record_columns = record_columns or [d[0] for d in cursor.description]
        records = [dict(zip(record_columns, values)) for values in cursor]
        old_cursor = db.conn.execute("SELECT * FROM events WHERE id = ?", [event_id])
        old_values = old_cursor.fetchone()
        if not records:
            # Every record left for other events: nothing describes this one any more. It is
            # kept (ids are for ever) but flagged missing so feeds drop it.
            if old_values is not None:
                old = dict(zip([d[0] for d in old_cursor.description], old_values))
                if not old["missing"]:
                    _write_changes(db, event_id, at, [("missing", old["missing"], 1)])
                    db.conn.execute(
                        "UPDATE events SET missing = 1, sequence = sequence + 1, updated_at = ? WHERE id = ?",
                        [at, event_id],
                    )
                    changed += 1
            continue
        event = build_event(records, kinds)
        if old_values is None:
            event.update(id=event_id, sequence=0, last_seen=at, updated_at=at)
            db.conn.execute(_INSERT_EVENT, [*map(event.get, _EVENT_COLUMNS)])
            _write_changes(db, event_id, at, [("created", None, None)])
            created += 1
            continue
        old = dict(zip([d[0] for d in old_cursor.description], old_values))
        if old["fingerprint"] == event["fingerprint"]:
            continue
        diffs = [(f, old[f], event[f]) for f in EVENT_FIELDS if old[f] != event[f]]
        event.update(sequence=old["sequence"] + 1, last_seen=at, updated_at=at)
        db.conn.execute(_UPDATE_EVENT, [*map(event.get, _EVENT_UPDATABLE), event_id])
        _write_changes(db, event_id, at, diffs)
        changed += 1
    return created, changed


def _write_changes(db: Database, event_id: str, at: str, diffs: Iterable[tuple[str, Any, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO event_changes (event_id, changed_at, field, old, new) VALUES (?, ?, ?, ?, ?)",
        [(event_id, at, f, _as_text(old), _as_text(new)) for f, old, new in diffs],
    )
