"""The page the project started from: a roundup announcing the 2021 Mois de l'ESS and seven events."""

from __future__ import annotations

from datetime import date, datetime, time

from pipelines.normalize.event import normalize_event
from spiders.extract import extract
from tests.conftest import SEED_URL

CRAWL_DAY = date(2026, 11, 29)

# (start date, end date, start time, end time, commune INSEE codes accepted, attendance)
EXPECTED = [
    (date(2021, 11, 15), date(2021, 11, 15), None, None, {"34172"}, "offline"),
    (date(2021, 11, 23), date(2021, 11, 23), None, None, {"34050"}, "offline"),
    (date(2021, 11, 30), date(2021, 12, 2), None, None, {"34172"}, "offline"),
    (date(2021, 12, 2), date(2021, 12, 2), None, None, {"34172"}, "offline"),
    (date(2021, 11, 4), date(2021, 11, 4), time(9, 0), time(12, 30), {None}, "online"),
    (date(2021, 11, 15), date(2021, 11, 19), None, None, {None}, "online"),
    (date(2021, 11, 25), date(2021, 11, 25), time(9, 0), time(18, 0), {"31254", "31555"}, "offline"),
]


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _time(value: date | datetime | None) -> time | None:
    return value.time().replace(tzinfo=None) if isinstance(value, datetime) else None


def test_seed_page_yields_its_own_span_and_seven_events(seed_page: bytes) -> None:
    result = extract(seed_page, url=SEED_URL, source="entreprendre_montpellier")
    events = [normalize_event(ev, crawl_date=CRAWL_DAY) for ev in result.events]
    assert all(ev is not None for ev in events)
    spans = {(_day(ev.start), _day(ev.end) or _day(ev.start)) for ev in events if ev is not None}
    assert (date(2021, 11, 1), date(2021, 11, 30)) in spans
    listed = [ev for ev in events if ev is not None and (_day(ev.start), _day(ev.end)) != (date(2021, 11, 1), date(2021, 11, 30))]
    assert len(listed) == 7, [(ev.title, ev.start_raw) for ev in listed]
    by_start = sorted(listed, key=lambda ev: (_day(ev.start), ev.title))
    for start, end, start_time, end_time, insee, attendance in EXPECTED:
        matches = [
            ev for ev in by_start
            if _day(ev.start) == start and (_day(ev.end) or _day(ev.start)) == end
            and _time(ev.start) == start_time and ev.insee in insee and ev.attendance == attendance
        ]
        assert matches, f"no event {start}..{end} {start_time} at {insee} ({attendance}) in " + repr(
            [(ev.title[:30], ev.start, ev.end, ev.insee, ev.attendance) for ev in by_start])
        if end_time is not None:
            assert _time(matches[0].end) == end_time
    assert len({ev.id for ev in listed}) == 7
