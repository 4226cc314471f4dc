"""Properties: no input raises out of extract(); every event has a title and a start or a raw date."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spiders.extract import Extraction, discover_feeds, extract
from spiders.extract.links import find_event_links, find_next_page
from tests.spiders.extract.helpers import FIXTURES

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
URL = "https://cress.example.fr/agenda/"


def check(result: Extraction) -> None:
    assert isinstance(result, Extraction)
    for ev in result.events:
        assert ev.title.strip()
        assert ev.start is not None or ev.start_raw.strip() or ev.date_status == "unparsed"
        assert ev.url.startswith(("http://", "https://"))
        if ev.start is not None:
            assert ev.date_status == "ok"
            assert ev.end is None or type(ev.end) is type(ev.start)
            if hasattr(ev.start, "tzinfo"):
                assert getattr(ev.start, "tzinfo", None) is not None
        assert "<script" not in ev.description_html.lower()
    assert all(v > 0 for v in result.skipped.values())
    # The top-level guard in extract() is a last resort: real inputs must not reach it.
    assert not [k for k in result.skipped if k.startswith("error/")], result.skipped


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes(body: bytes) -> None:
    check(extract(body, url=URL, source="s", reference=date(2021, 10, 1)))


@SETTINGS
@given(st.text(max_size=1500), st.sampled_from([None, "text/html", "text/calendar", "application/json",
                                                 "application/rss+xml", "text/plain", "application/ld+json"]))
def test_any_text_any_content_type(text: str, ctype: str | None) -> None:
    check(extract(text.encode("utf-8", "surrogatepass"), url=URL, source="s", content_type=ctype))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["events", "@type", "@graph", "name", "startDate", "endDate", "location", "title",
                         "start_date", "end_date", "all_day", "timezone", "venue", "timings", "uid", "begin",
                         "end", "status", "attendanceMode", "utc_start_date", "next_rest_url", "after",
                         "address", "url", "image", "eventStatus", "offers", "organizer"]) | st.text(max_size=8),
        children, max_size=6),
    max_leaves=25,
)


@SETTINGS
@given(json_values)
def test_any_json_shaped_like_our_formats(value: object) -> None:
    check(extract(json.dumps(value).encode(), url=URL, source="s", content_type="application/json"))


@SETTINGS
@given(st.lists(st.sampled_from([
    "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "SUMMARY:Atelier",
    "DTSTART:20211104T090000Z", "DTSTART;VALUE=DATE:20211104", "DTEND;VALUE=DATE:20211101",
    "DTSTART;TZID=Nowhere:20211104T090000", "DTEND:99991231T235959", "DURATION:P1D", "STATUS:CANCELLED",
    "LOCATION:Salle\\, 31000 Toulouse", "RRULE:FREQ=WEEKLY", "DTSTART:garbage", " folded", "GEO:abc",
    "BEGIN:VTIMEZONE", "END:VTIMEZONE", "TZID:X",
]), max_size=25))
def test_any_ical_shaped_input(lines: list[str]) -> None:
    body = "\r\n".join(["BEGIN:VCALENDAR", *lines]).encode()
    check(extract(body, url=URL, source="s", content_type="text/calendar"))


@SETTINGS
@given(st.lists(st.sampled_from([
    "<item>", "</item>", "<title>Forum</title>", "<ev:startdate>2021-11-04</ev:startdate>",
    "<date_debut>31/02/2021</date_debut>", "<description>le 4 novembre à Lyon</description>", "&eacute;",
    "<link>/x</link>", "<entry>", "</entry>", "<pubDate>garbage</pubDate>", "<![CDATA[", "]]>", "&",
]), max_size=30))
def test_any_feed_shaped_input(parts: list[str]) -> None:
    body = ("<?xml version='1.0'?><rss><channel>" + "".join(parts)).encode()
    check(extract(body, url=URL, source="s", content_type="application/rss+xml"))


@SETTINGS
@given(st.lists(st.sampled_from([
    "<h1>Forum</h1>", "<p>Le 4 novembre</p>", "<li>Le 5 novembre, Lyon</li>", "<li>Atelier</li>", "<ul>",
    "</ul>", "<br>", "<p>De 9h à 12h</p>", '<a href="/evenement/x/">x</a>', "<script>alert(1)</script>",
    '<script type="application/ld+json">{"@type":"Event","name":"E","startDate":"2021-11-04"}</script>',
    '<script type="application/ld+json">{"@type":"Event",</script>', "<div itemscope itemtype='https://schema.org/Event'>",
    "</div>", "Du 30 au 2 décembre", "• Le 1er décembre en visio", "<table><tr><td>", "</td></tr></table>",
]), max_size=30))
def test_any_html_shaped_input(parts: list[str]) -> None:
    body = "".join(parts).encode()
    check(extract(body, url=URL, source="s", content_type="text/html"))
    assert isinstance(discover_feeds(body, URL), list)
    assert isinstance(find_event_links(body, URL), list)
    find_next_page(body, URL)


def test_every_fixture_satisfies_the_properties() -> None:
    for path in sorted(FIXTURES.iterdir()):
        check(extract(path.read_bytes(), url=URL, source="s", reference=date(2021, 10, 1)))


def test_guard_turns_a_crash_into_a_counted_skip(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spiders.extract import ical

    def boom(*_a: object, **_k: object) -> list[object]:
        raise RuntimeError("bug")

    monkeypatch.setattr(ical, "extract", boom)
    result = extract(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", url=URL, source="s")
    assert result.events == [] and result.skipped == {"error/RuntimeError": 1}
