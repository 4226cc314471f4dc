"""The seed page: a roundup with its own span (November 2021) and seven events listed in free text."""

from __future__ import annotations

import html
from datetime import date

import pytest

from spiders.extract import extract
from tests.conftest import shared_path

URL = "https://www.entreprendre-montpellier.com/fr/evenements/mois-ess"

# (title start, start_raw, location_raw, online, expected dates once parsed)
LISTED = [
    ("Remise des Diplômes", "Le 15 Novembre", "Montpellier", False, (date(2021, 11, 15), date(2021, 11, 15))),
    ("Forum achats socialement", "Le 23 novembre", "Candillargues", False, (date(2021, 11, 23), date(2021, 11, 23))),
    ("Les Rencontres Internationales", "Du 30 novembre au 2 décembre", "Montpellier", False,
     (date(2021, 11, 30), date(2021, 12, 2))),
    ("Le Réseau Régional", "Le 2 décembre", "Montpellier", False, (date(2021, 12, 2), date(2021, 12, 2))),
    ("Conférence régionale de l", "Le 4 novembre, de 9h à 12h30", "en visio", True,
     (date(2021, 11, 4), date(2021, 11, 4))),
    ('"Semaine des achats', "Du 15 au 19 novembre", "en ligne", True, (date(2021, 11, 15), date(2021, 11, 19))),
    ("Coventis", "Le 25 novembre, de 9h à 18h", "Diagora-Labège à Toulouse", False,
     (date(2021, 11, 25), date(2021, 11, 25))),
]


def _seed_text() -> str:
    seeds = shared_path("seeds")
    path = next(seeds.glob("000_*.txt"), None)
    if path is None:
        pytest.fail(f"seed page missing under {seeds}")
    return path.read_text(encoding="utf-8")


def wrap(text: str, *, one_line_per_block: bool = False) -> bytes:
    """Minimal HTML: the first line as breadcrumb, paragraphs in <p>, '•' lines (and what follows) as <li>."""
    parts: list[str] = []
    for para in (p for p in text.split("\n\n") if p.strip()):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        if not any(ln.startswith("•") for ln in lines):
            if one_line_per_block:
                parts.extend(f"<p>{html.escape(ln)}</p>" for ln in lines)
            else:
                parts.append("<p>" + "<br>".join(html.escape(ln) for ln in lines) + "</p>")
            continue
        items: list[list[str]] = []
        for ln in lines:
            if ln.startswith("•") or not items:
                items.append([ln.lstrip("• ").strip()])
            else:
                items[-1].append(ln)
        if one_line_per_block:
            for item in items:
                parts.append(f"<ul><li>{html.escape(item[0])}</li></ul>")
                parts.extend(f"<p>{html.escape(ln)}</p>" for ln in item[1:])
        else:
            parts.append("<ul>" + "".join("<li>" + "<br>".join(html.escape(x) for x in item) + "</li>"
                                          for item in items) + "</ul>")
    return ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'></head><body><main>"
            + "\n".join(parts) + "</main></body></html>").encode("utf-8")


@pytest.mark.parametrize("variant", ["grouped", "one_line_per_block", "plain_text", "text_as_html", "pre", "br"])
def test_seed_page_span_and_seven_listed_events(variant: str) -> None:
    text = _seed_text()
    if variant == "plain_text":
        body, ctype = text.encode("utf-8"), "text/plain; charset=utf-8"
    elif variant == "text_as_html":  # the bare text served as text/html
        body, ctype = text.encode("utf-8"), "text/html; charset=utf-8"
    elif variant == "pre":
        body, ctype = f"<html><body><pre>{html.escape(text)}</pre></body></html>".encode(), "text/html"
    elif variant == "br":
        lines = "<br>\n".join(html.escape(ln) for ln in text.split("\n"))
        body, ctype = f"<html><body><div class='content'>{lines}</div></body></html>".encode(), "text/html"
    else:
        body, ctype = wrap(text, one_line_per_block=variant == "one_line_per_block"), "text/html"
    result = extract(body, url=URL, source="entreprendre_montpellier", content_type=ctype,
                     reference=date(2026, 11, 29))
    assert result.extractor == "roundup"
    assert len(result.events) == 8
    page, *listed = result.events
    assert page.title == "14ème édition du Mois de l'Economie Sociale et Solidaire"
    assert page.start_raw == "Du 01 novembre 2021 au 30 novembre 2021"
    assert page.url == URL and page.extractor == "html"
    for ev, (title, start_raw, place, online, _dates) in zip(listed, LISTED, strict=True):
        assert ev.title.startswith(title), ev.title
        assert ev.start_raw == start_raw
        assert ev.location_raw == place
        assert (ev.attendance == "online") is online
        assert ev.extractor == "roundup" and ev.start is None
    # The year-less items are read against the page's own dates, not the crawl date.
    assert {ev.reference_date for ev in result.events} == {date(2021, 11, 1)}
    assert len({(ev.url, ev.start_raw) for ev in result.events}) == 8


def test_seed_dates_parse_to_2021() -> None:
    dates = pytest.importorskip("pipelines.normalize.dates")
    result = extract(wrap(_seed_text()), url=URL, source="s", reference=date(2026, 11, 29))
    page, *listed = result.events
    got = dates.parse_dates(page.start_raw, reference=page.reference_date)
    assert (got.start_date, got.end_date) == (date(2021, 11, 1), date(2021, 11, 30))
    for ev, (*_rest, expected) in zip(listed, LISTED, strict=True):
        m = dates.parse_dates(ev.start_raw, reference=ev.reference_date)
        assert m is not None, ev.start_raw
        assert (m.start_date, m.end_date) == expected
