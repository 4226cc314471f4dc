"""Embeddable widgets: scope, upcoming events only, the limit, labels, escaping, the policy, the link back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.exporters import embed
from storage.exporters.paths import embed_path
from tests.storage.exporters.test_html import (
    GENERATED_AT,
    HOSTILE_TITLE,
    hostile_row,
    make_row,
    parse_strict,
    programme_rows,
)

NOW = GENERATED_AT  # 29 November 2026, 18:05 in Paris


def occitanie(index: int, **fields: Any) -> dict[str, Any]:
    """A timed Occitanie event in Toulouse, `index` days after 1 December 2026, at 10:00."""
    day = datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(days=index)
    return make_row(**{
        "id": f"evt-occ-{index:04d}", "title": f"Rencontre numéro {index}",
        "url": f"https://www.cress-occitanie.example/agenda/{index}",
        "start": day.isoformat(), "end": (day + timedelta(hours=2)).isoformat(),
        "start_date": day.date().isoformat(), "end_date": day.date().isoformat(),
        "start_utc": day.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "city": "Toulouse", "department": "31", "region": "Occitanie", "region_code": "76",
        **fields,
    })


def render(rows: list[dict[str, Any]], kind: str = "region", key: str = "76", **kwargs: Any) -> str:
    return embed.render_embed(rows, kind=kind, key=key, now=NOW, **kwargs).decode("utf-8")


def titles(page: str) -> list[str]:
    tree = parse_strict(page.encode("utf-8"))
    return ["".join(h2.itertext()) for h2 in tree.xpath("//li/h2")]


def test_paths_do_not_collide_between_regions_and_departements() -> None:
    assert embed_path("region", "76") == "embed/region/76-occitanie.html"
    assert embed_path("departement", "76") == "embed/departement/76.html"
    assert embed_path("departement", "2A") == "embed/departement/2A.html"
    assert embed_path("departement", "974") == "embed/departement/974.html"
    with pytest.raises(ValueError):
        embed_path("departement", "../x")


def test_a_region_widget_lists_its_own_upcoming_events_soonest_first() -> None:
    rows = programme_rows()
    page = render(list(reversed(rows)))
    assert titles(page) == ["Forum de l’emploi solidaire", "Reporté Café des associations montpelliéraines"]
    assert "Rennes" not in page and "Webinaire" not in page
    assert "jeudi 3 décembre, 9 h – 12 h 30" in page  # French day and time, in the event's zone
    assert "Halle de la Machine, Toulouse, Haute-Garonne (31)" in page
    dept = render(rows, kind="departement", key="34")
    assert titles(dept) == ["Reporté Café des associations montpelliéraines"]
    reunion = render(rows, kind="region", key="04")
    assert "samedi 12 décembre, 9 h – 17 h (heure de La Réunion)" in reunion


def test_past_events_are_left_out_and_ongoing_ones_kept() -> None:
    rows = [
        occitanie(0, id="past", title="Déjà passé", start="2026-11-29T08:00:00+01:00",
                  end="2026-11-29T10:00:00+01:00", start_date="2026-11-29", end_date="2026-11-29",
                  start_utc="2026-11-29T07:00:00Z"),
        occitanie(0, id="ongoing", title="En cours", start="2026-11-29T17:00:00+01:00",
                  end="2026-11-29T21:00:00+01:00", start_date="2026-11-29", end_date="2026-11-29",
                  start_utc="2026-11-29T16:00:00Z"),
        occitanie(0, id="today-all-day", title="Toute la journée", start="2026-11-29", end="2026-11-29",
                  start_date="2026-11-29", end_date="2026-11-29", start_utc=None, all_day=1),
        occitanie(0, id="yesterday", title="Hier", start="2026-11-28", end="2026-11-28",
                  start_date="2026-11-28", end_date="2026-11-28", start_utc=None, all_day=1),
        occitanie(0, id="no-date", title="Sans date", start=None, end=None, start_date=None, end_date=None,
                  start_utc=None),
    ]
    assert titles(render(rows)) == ["Toute la journée", "En cours"]
    assert titles(render(rows[:1] + rows[3:])) == []
    assert "Aucun événement à venir pour le moment." in render(rows[:1])


def test_at_most_the_limit() -> None:
    rows = [occitanie(index) for index in range(25)]
    assert titles(render(rows)) == [f"Rencontre numéro {index}" for index in range(embed.EMBED_LIMIT)]
    assert len(titles(render(rows, limit=3))) == 3
    # The export keeps only the first of each scope as it streams, and renders the same.
    files = dict(embed.iter_embed_files(rows, now=NOW, region="76"))
    assert files[embed_path("region", "76")] == render(rows).encode("utf-8")
    assert len(titles(files[embed_path("departement", "31")].decode("utf-8"))) == embed.EMBED_LIMIT
    assert titles(files[embed_path("departement", "34")].decode("utf-8")) == []


def test_status_labels_and_online() -> None:
    rows = [
        occitanie(1, status="cancelled", title="Annulée"),
        occitanie(2, status="postponed", title="Reportée"),
        occitanie(3, missing=1, title="Retirée"),
        occitanie(4, attendance="online", title="Visio", city=None, department=None),
        occitanie(5, attendance="mixed", title="Hybride"),
    ]
    page = render(rows)
    assert titles(page) == ["Annulé Annulée", "Reporté Reportée", "Plus annoncé Retirée", "Visio", "Hybride"]
    assert '<li class="is-cancelled">' in page and '<li class="is-postponed">' in page
    assert '<p class="where">En ligne</p>' in page
    assert '<p class="where">Toulouse, Haute-Garonne (31) et en ligne</p>' in page


def test_event_links_open_outside_the_frame_and_the_link_back_goes_to_the_region_page() -> None:
    page = render([occitanie(1)], kind="departement", key="34")
    assert ('<a href="https://www.cress-occitanie.example/agenda/1" target="_blank" rel="noopener">'
            "Rencontre numéro 1</a>") not in page  # an Occitanie row outside Hérault
    page = render([occitanie(1, department="34")], kind="departement", key="34")
    assert ('<a href="https://www.cress-occitanie.example/agenda/1" target="_blank" rel="noopener">'
            "Rencontre numéro 1</a>") in page
    tree = parse_strict(page.encode("utf-8"))
    more = tree.xpath("//p[@class='more']/a")[0]
    assert more.get("href") == "../../region/76-occitanie.html"
    assert (more.get("target"), more.get("rel")) == ("_blank", "noopener")
    assert "".join(more.itertext()).startswith("Tout le programme")
    corsica = render([], kind="departement", key="2A")
    assert 'href="../../region/94-corse.html"' in corsica


def test_hostile_rows_cannot_inject() -> None:
    hostile = hostile_row()
    rows = [hostile, occitanie(1, title=HOSTILE_TITLE, venue='"><img src=x onerror=alert(1)>',
                               url='https://ok.example/"><script>alert(2)</script>')]
    page = render(rows)
    tree = parse_strict(page.encode("utf-8"))  # strict: no stray markup
    assert tree.xpath("//script") == [] and tree.xpath("//img") == [] and tree.xpath("//svg") == []
    assert tree.xpath("//*[@onerror or @onload or @onclick or @onmouseover or @onfocus]") == []
    hrefs = tree.xpath("//a/@href")
    assert not any(href.startswith(("javascript:", "data:")) for href in hrefs)
    assert HOSTILE_TITLE in "".join(tree.xpath("//li/h2")[0].itertext())
    assert "<script>" not in page


def test_the_page_loads_nothing_from_elsewhere() -> None:
    page = render(programme_rows())
    tree = parse_strict(page.encode("utf-8"))
    assert tree.getroot().get("lang") == "fr"
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert policy.startswith("default-src 'none';")
    assert "script-src" not in policy and "img-src 'none'" in policy
    # The style is allowed by its hash, so it is the only one: no style attribute, no stylesheet link.
    styles = tree.xpath("//style")
    assert len(styles) == 1 and embed.csp_hash(styles[0].text) in policy
    assert tree.xpath("//@style") == [] and tree.xpath("//link | //img | //iframe | //script | //object") == []
    event_links = {row["url"] for row in programme_rows()}
    urls = re.findall(r"""(?:href|src|action)=["']?([^"' >]+)""", page)
    assert urls and all(url in event_links or url.startswith("../") for url in urls)
    assert "url(" not in embed.EMBED_CSS and "@import" not in embed.EMBED_CSS


def test_scopes_follow_the_filters() -> None:
    everything = embed.embed_scopes()
    assert len(everything) == 18 + 101
    assert embed.embed_scopes(department="34") == [("departement", "34")]
    occitanie_scopes = embed.embed_scopes(region="76")
    assert occitanie_scopes[0] == ("region", "76")
    assert {key for kind, key in occitanie_scopes if kind == "departement"} == {
        "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}
    with pytest.raises(ValueError):
        embed.embed_scopes(department="99")


def test_output_is_deterministic_for_the_same_rows() -> None:
    rows = programme_rows()
    assert render(rows) == render(list(reversed(rows)))
