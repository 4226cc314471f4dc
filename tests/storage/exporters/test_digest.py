"""The weekly newsletter digest: days in order, labels, places, e-mail-safe HTML, Markdown, escaping."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from storage.exporters.digest import (
    EMPTY_WEEK,
    IsoWeek,
    digest_days,
    parse_iso_week,
    render_digest_html,
    render_digest_markdown,
    week_of,
    week_span_text,
)
from storage.exporters.paths import digest_paths
from tests.storage.exporters.rows import row

WEEK = IsoWeek(2026, 46)  # Monday 9 to Sunday 15 November 2026
TITLE = "L'agenda de l'ESS en Occitanie"


def _timed(day: str, start: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    return row(start=f"{day}T{start}:00+01:00", end=f"{day}T{end}:00+01:00" if end else None,
               start_date=day, end_date=day, **fields)


def _all_day(first: str, last: str | None = None, **fields: Any) -> dict[str, Any]:
    return row(start=first, end=last or first, start_date=first, end_date=last or first, all_day=1, **fields)


def week_rows() -> list[dict[str, Any]]:
    return [
        _timed("2026-11-12", "14:00", "17:30", id="e:thu", title="Atelier coopératives", city="Montpellier",
               department="34", region_code="76"),
        _timed("2026-11-09", "09:00", "12:30", id="e:mon", title="Forum de l'ESS", venue="Diagora",
               city="Labège", department="31", region_code="76", url="https://cress.example/forum"),
        _all_day("2026-11-09", id="e:mon-all", title="Journée portes ouvertes", city="Albi", department="81"),
        _timed("2026-11-10", "18:00", id="e:tue-online", title="Webinaire finance solidaire", attendance="online"),
        _timed("2026-11-11", "10:00", id="e:wed-cancelled", title="Visite annulée", city="Nîmes",
               department="30", status="cancelled"),
        _timed("2026-11-13", "10:00", id="e:fri-postponed", title="Conférence reportée", city="Sète",
               department="34", status="postponed"),
        _all_day("2026-11-14", id="e:sat-missing", title="Marché solidaire", city="Perpignan", department="66",
                 missing=1),
        _all_day("2026-11-02", "2026-11-30", id="e:month", title="Exposition du Mois de l'ESS",
                 city="Toulouse", department="31"),
        _timed("2026-11-16", "09:00", id="e:next-week", title="La semaine suivante", city="Toulouse"),
        _timed("2026-11-06", "09:00", id="e:last-week", title="La semaine précédente", city="Toulouse"),
    ]


def html_text() -> str:
    return render_digest_html(week_rows(), title=TITLE, week=WEEK).decode("utf-8")


def markdown() -> str:
    return render_digest_markdown(week_rows(), title=TITLE, week=WEEK).decode("utf-8")


def test_iso_weeks_parse_and_bad_ones_are_refused() -> None:
    assert parse_iso_week("2026-W46") == WEEK
    assert parse_iso_week("2026w46") == WEEK
    assert WEEK.monday == date(2026, 11, 9) and WEEK.sunday == date(2026, 11, 15)
    assert str(IsoWeek(2027, 1)) == "2027-W01"
    assert week_of(date(2026, 11, 15)) == WEEK and week_of(date(2027, 1, 1)) == IsoWeek(2026, 53)
    for bad in ("2026-W60", "2026-W00", "2027-W53", "2026-46", "semaine 46", ""):
        assert parse_iso_week(bad) is None, bad
    assert week_span_text(WEEK) == "Semaine du lundi 9 au dimanche 15 novembre 2026"
    assert week_span_text(IsoWeek(2026, 53)) == "Semaine du lundi 28 décembre 2026 au dimanche 3 janvier 2027"


def test_days_in_order_each_event_once_and_only_the_week() -> None:
    days = digest_days(week_rows(), WEEK)
    assert [day for day, _ in days] == [date(2026, 11, d) for d in (9, 10, 11, 12, 13, 14)]
    titles = [[entry.title for entry in entries] for _, entries in days]
    # All-day events first; an event that began before the week appears once, on Monday.
    assert titles[0] == ["Exposition du Mois de l'ESS", "Journée portes ouvertes", "Forum de l'ESS"]
    assert not any("semaine" in title for day in titles for title in day)
    assert sum(len(day) for day in titles) == 8


def test_french_day_headings_times_and_all_day_in_html_and_markdown() -> None:
    page, text = html_text(), markdown()
    for heading in ("Lundi 9 novembre", "Mardi 10 novembre", "Mercredi 11 novembre", "Jeudi 12 novembre",
                    "Vendredi 13 novembre", "Samedi 14 novembre"):
        assert f">{heading}</h2>" in page
        assert f"\n## {heading}\n" in text
    assert page.index("Lundi 9 novembre") < page.index("Mardi 10 novembre") < page.index("Samedi 14 novembre")
    assert "Dimanche 15 novembre</h2>" not in page  # a day with no event has no heading
    assert "9 h – 12 h 30" in page and "14 h – 17 h 30" in page
    assert "Toute la journée" in page
    assert "Toute la journée, jusqu&#x27;au lundi 30 novembre" in page
    assert "- **9 h – 12 h 30** · Diagora, Labège, Haute-Garonne (31) : [Forum de l'ESS](https://cress.example/forum)" in text


def test_cancelled_postponed_and_withdrawn_events_are_labelled() -> None:
    page, text = html_text(), markdown()
    for label, title in (("Annulé", "Visite annulée"), ("Reporté", "Conférence reportée"),
                         ("Plus annoncé par la source", "Marché solidaire")):
        assert re.search(rf">{label}</span> – <a [^>]*>{title}</a>", page), label
        assert re.search(rf"\*\*{label}\*\* – \[{title}\]", text), label
    assert page.count("Annulé<") == 1 and page.count("Reporté<") == 1


def test_online_events_say_so_instead_of_a_place() -> None:
    days = dict(digest_days(week_rows(), WEEK))
    (webinar,) = days[date(2026, 11, 10)]
    assert webinar.place == "En ligne" and webinar.when == "18 h"
    mixed = _timed("2026-11-10", "18:00", city="Lyon", department="69", attendance="mixed")
    assert digest_days([mixed], WEEK)[0][1][0].place == "Lyon, Rhône (69) et en ligne"
    unknown = _timed("2026-11-10", "18:00")
    assert digest_days([unknown], WEEK)[0][1][0].place == "Lieu à préciser"


def test_html_is_email_safe_inline_styles_only() -> None:
    page = html_text()
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    lowered = page.lower()
    for banned in ("<script", "<style", "class=", "<link", "<img", "@import", "url(", "javascript:"):
        assert banned not in lowered, banned
    assert "style=" in page
    assert 'src=' not in lowered
    # Every element that shows text carries its own style.
    for tag in ("h1", "h2", "p", "a"):
        assert all("style=" in match for match in re.findall(rf"<{tag}\b[^>]*>", page)), tag


def test_hostile_titles_and_urls_cannot_inject_markup() -> None:
    hostile = _timed("2026-11-10", "10:00", title='<script>alert("x")</script> & <b>gras</b>',
                     city='<img src=x onerror=alert(1)>', url="javascript:alert(1)")
    quoted = _timed("2026-11-11", "10:00", title="[clic](https://evil.example) *gras*",
                    url='https://cress.example/a"onmouseover="x')
    page = render_digest_html([hostile, quoted], title="<b>Titre</b>", week=WEEK).decode("utf-8")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in page
    assert "javascript:" not in page
    assert 'onmouseover="' not in page
    text = render_digest_markdown([hostile, quoted], title="<b>Titre</b>", week=WEEK).decode("utf-8")
    assert not re.search(r"(?<!\\)[<>\[\]*&]", text.replace("**", "").replace("](", "").replace("- [", "")), text
    assert "javascript:" not in text
    assert r'\<script\>alert("x")\</script\> \& \<b\>gras\</b\>' in text
    assert r"\[clic\](https://evil.example) \*gras\*" in text


def test_an_empty_week_says_so_in_one_line() -> None:
    for render in (render_digest_html, render_digest_markdown):
        output = render([week_rows()[-1]], title=TITLE, week=WEEK).decode("utf-8")
        assert output.count(EMPTY_WEEK) == 1
        assert "novembre</h2>" not in output and "\n## " not in output
    assert render_digest_markdown([], title=TITLE, week=WEEK).decode("utf-8") == (
        "# L'agenda de l'ESS en Occitanie\n\nSemaine du lundi 9 au dimanche 15 novembre 2026\n\n"
        f"{EMPTY_WEEK}\n"
    )


def test_rendering_is_deterministic_whatever_the_row_order() -> None:
    rows = week_rows()
    assert render_digest_html(rows, title=TITLE, week=WEEK) == render_digest_html(rows[::-1], title=TITLE, week=WEEK)
    assert render_digest_markdown(rows, title=TITLE, week=WEEK) == render_digest_markdown(
        rows[::-1], title=TITLE, week=WEEK)


@pytest.mark.parametrize(("kind", "key", "expected"), [
    ("region", "76", "digest/76-occitanie-2026-W46"),
    ("region", "Occitanie", "digest/76-occitanie-2026-W46"),
    ("departement", "34", "digest/departement/34-2026-W46"),
    ("national", None, "digest/essagenda-2026-W46"),
])
def test_digest_file_names(kind: str, key: str | None, expected: str) -> None:
    assert digest_paths(kind, key, str(WEEK)) == {"html": f"{expected}.html", "md": f"{expected}.md"}
    with pytest.raises(ValueError):
        digest_paths("region", "Atlantide", str(WEEK))
