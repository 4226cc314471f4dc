"""A page's own date, read from its markup, is what its year-less dates are read against."""

from __future__ import annotations

from datetime import date

from spiders.extract import extract
from spiders.extract.reference import captured, date_in_url, page_reference, published_in_markup

CRAWL_DAY = date(2026, 12, 6)


def _post(head: str, body: str) -> str:
    return (f"<html><head><meta charset='utf-8'>{head}</head><body><main><article>"
            f"<h1>Assemblée générale de l'association</h1>{body}</article></main></body></html>")


def test_open_graph_publication_time() -> None:
    page = _post('<meta property="article:published_time" content="2021-12-03T10:13:58+00:00">'
                 '<meta property="article:modified_time" content="2022-02-11T08:00:00+00:00">', "")
    assert published_in_markup(page) == date(2021, 12, 3)
    assert page_reference(page, url="https://asso.example.fr/ag/", fallback=CRAWL_DAY) == date(2021, 12, 3)


def test_content_before_property_and_json_ld() -> None:
    assert published_in_markup('<meta content="2019-03-02" name="DC.date">') == date(2019, 3, 2)
    ld = '<script type="application/ld+json">{"@type":"Article","datePublished":"2018-05-14T09:00:00+02:00"}</script>'
    assert published_in_markup(ld) == date(2018, 5, 14)


def test_post_date_markup_of_blog_engines() -> None:
    wordpress = '<time class="entry-date published" datetime="2023-12-21T18:02:11+01:00">21 décembre 2023</time>'
    assert published_in_markup(wordpress) == date(2023, 12, 21)
    spip = '<abbr class="published" title="2019-09-11T12:30:39Z">mercredi 11 septembre 2019</abbr>'
    assert published_in_markup(spip) == date(2019, 9, 11)
    text_only = '<span class="date-publication">4 avril 2022</span>'
    assert published_in_markup(text_only) == date(2022, 4, 4)


def test_an_events_own_start_is_not_the_posts_date() -> None:
    # The Events Calendar marks the event's start 'published dtstart'.
    tec = '<abbr class="tribe-events-abbr tribe-events-start-date published dtstart" title="2026-06-02">2 juin</abbr>'
    assert published_in_markup(tec) is None


def test_address_and_mirror_capture() -> None:
    assert date_in_url("https://asso.example.fr/2017/05/fete-du-quartier/") == date(2017, 5, 1)
    assert date_in_url("https://asso.example.fr/2017/05/12/fete/") == date(2017, 5, 12)
    assert date_in_url("https://asso.example.fr/agenda/2017-fete/") is None
    page = ("<html><!-- Mirrored from asso.example.fr/agenda/ by HTTrack Website Copier/3.x [XR&CO'2014], "
            "Sun, 03 Mar 2024 14:36:40 GMT --><body></body></html>")
    assert captured(page) == date(2024, 3, 3)
    assert page_reference(page, url="https://asso.example.fr/agenda/", fallback=CRAWL_DAY) == date(2024, 3, 3)


def test_crawl_day_is_the_last_resort() -> None:
    assert page_reference("<html><body><p>Bonjour</p></body></html>", url="https://a.example.fr/",
                          fallback=CRAWL_DAY) == CRAWL_DAY


def test_year_less_date_of_a_post_is_read_against_its_publication() -> None:
    page = _post('<meta property="article:published_time" content="2021-12-03T10:13:58+00:00">',
                 "<p>Rendez-vous en ligne le mercredi 8 décembre à 20h30 pour notre grande soirée.</p>")
    [ev] = extract(page.encode(), url="https://asso.example.fr/soiree/", source="t", reference=CRAWL_DAY).events
    assert ev.reference_date == date(2021, 12, 3)


def test_a_listing_is_read_as_of_now_not_as_of_its_first_publication() -> None:
    from spiders.extract.reference import listing_reference

    head = ('<meta property="article:published_time" content="2019-01-10T08:00:00+00:00">'
            '<meta property="article:modified_time" content="2026-11-02T08:00:00+00:00">')
    assert listing_reference(head, fallback=CRAWL_DAY) == CRAWL_DAY
    assert listing_reference(head, fallback=None) == date(2026, 11, 2)
    cards = "".join(f'<article><h3><a href="/agenda/{n}/">Atelier {n}</a></h3><p>Jeudi {d} janvier</p></article>'
                    for n, d in ((1, 7), (2, 14), (3, 21)))
    page = f"<html><head>{head}</head><body><main><h1>Agenda</h1>{cards}</main></body></html>"
    events = extract(page.encode(), url="https://asso.example.fr/agenda/", source="t", reference=CRAWL_DAY).events
    assert [ev.reference_date for ev in events] == [CRAWL_DAY] * 3


def test_a_saved_listing_is_read_as_of_the_day_it_was_captured_not_today() -> None:
    from spiders.extract.reference import listing_reference

    mirror = ("<html><!-- Mirrored from asso.example.fr/agenda/ by HTTrack Website Copier/3.x [XR&CO'2014], "
              "Sun, 03 Mar 2019 14:36:40 GMT --><body></body></html>")
    assert listing_reference(mirror, fallback=CRAWL_DAY) == date(2019, 3, 3)


def test_extract_command_reads_a_page_against_the_crawl_day_as_the_crawler_does(tmp_path) -> None:
    import json
    from datetime import UTC, datetime

    from click.testing import CliRunner

    from scraper.cli import cli

    cards = "".join(f'<article><h3><a href="/agenda/{n}/">Atelier {n}</a></h3><p>Jeudi {d} janvier</p></article>'
                    for n, d in ((1, 7), (2, 14)))
    page = tmp_path / "agenda.html"
    page.write_text(f"<html><body><main><h1>Agenda</h1>{cards}</main></body></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://asso.example.fr/agenda/"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines()]
    today = datetime.now(UTC).date()
    assert events and all(ev["start"][:4] in (str(today.year), str(today.year + 1)) for ev in events)
