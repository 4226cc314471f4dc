"""Static HTML programme: French dates, places, escaping, structure, per-event iCalendar."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from storage.exporters import html as site
from storage.exporters.display import TITLE_LIMIT
from tests.storage.exporters.rows import row as feed_row

GENERATED_AT = datetime(2026, 11, 29, 17, 5, tzinfo=UTC)

HOSTILE_TITLE = '<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(2)>'


def make_row(**fields: Any) -> dict[str, Any]:
    """An EventRow with every contract key: a timed Paris event on 3 December; `fields` override."""
    defaults: dict[str, Any] = {
        "id": "evt-0000000000000000",
        "url": "https://www.cress-exemple.org/agenda/rencontre",
        "start": "2026-12-03T09:00:00+01:00",
        "end": "2026-12-03T12:30:00+01:00",
        "start_date": "2026-12-03",
        "end_date": "2026-12-03",
        "start_utc": "2026-12-03T08:00:00Z",
        "fingerprint": "f" * 16,
        "first_seen": "2026-11-20T10:00:00Z",
        "last_seen": "2026-11-29T06:00:00Z",
        "updated_at": "2026-11-28T06:00:00Z",
    }
    return feed_row(**{**defaults, **fields})


def programme_rows() -> list[dict[str, Any]]:
    """A small programme in programme order: several régions, online, hybrid, cancelled, multi-day."""
    return [
        make_row(
            id="evt-a1b2c3d4e5f60718",
            title="Forum de l’emploi solidaire",
            description_html="<p>Une matinée pour rencontrer <strong>30 structures</strong> de l’insertion"
            " qui recrutent dans la métropole.</p>",
            url="https://www.cress-occitanie.example/agenda/forum-emploi-solidaire",
            start="2026-12-03T09:00:00+01:00", end="2026-12-03T12:30:00+01:00",
            start_date="2026-12-03", end_date="2026-12-03", start_utc="2026-12-03T08:00:00Z",
            venue="Halle de la Machine", city="Toulouse", postal_code="31400", insee="31555",
            department="31", region="Occitanie", region_code="76",
            organizer="CRESS Occitanie",
            registration_url="https://www.cress-occitanie.example/inscription/forum",
            sources=[
                {"source": "cress_occitanie", "url": "https://www.cress-occitanie.example/agenda/forum-emploi-solidaire",
                 "name": "CRESS Occitanie"},
                {"source": "mois_ess", "url": "https://lemois-ess.example/evenement/4211", "name": "Mois de l’ESS"},
            ],
        ),
        make_row(
            id="evt-b1b2c3d4e5f60718",
            title="Webinaire : financer son projet coopératif",
            description_html="<p>Prêts d’honneur, finance solidaire et titres participatifs expliqués"
            " par des praticiens.</p>",
            url="https://www.ess-france.example/agenda/webinaire-financement",
            start="2026-12-03T14:00:00+01:00", end="2026-12-03T15:30:00+01:00",
            start_date="2026-12-03", end_date="2026-12-03", start_utc="2026-12-03T13:00:00Z",
            attendance="online", online_url="https://visio.example/salle-ess", tags=["Numérique"],
            organizer="ESS France",
            sources=[{"source": "ess_france", "url": "https://www.ess-france.example/agenda/webinaire-financement",
                      "name": "ESS France"}],
        ),
        make_row(
            id="evt-c1b2c3d4e5f60718",
            title="Assises bretonnes de la coopération",
            description_html="<p>Trois jours d’ateliers sur les SCIC et les coopératives d’habitants.</p>",
            url="https://www.cress-bretagne.example/agenda/assises",
            start="2026-12-08", end="2026-12-10", start_date="2026-12-08", end_date="2026-12-10",
            start_utc=None, all_day=1,
            venue="Le Couvent des Jacobins", city="Rennes", postal_code="35000", insee="35238",
            department="35", region="Bretagne", region_code="53",
            organizer="CRESS Bretagne",
            sources=[{"source": "cress_bretagne", "url": "https://www.cress-bretagne.example/agenda/assises",
                      "name": "CRESS Bretagne"}],
        ),
        make_row(
            id="evt-d1b2c3d4e5f60718",
            title="Atelier tiers-lieux et alimentation durable",
            description_html="<p>Visite d’une épicerie coopérative puis échange, sur place ou à distance.</p>",
            url="https://www.cress-aura.example/agenda/tiers-lieux",
            start="2026-12-09T18:00:00+01:00", end="2026-12-09T20:00:00+01:00",
            start_date="2026-12-09", end_date="2026-12-09", start_utc="2026-12-09T17:00:00Z",
            attendance="mixed", city="Lyon", postal_code="69007", insee="69387",
            department="69", region="Auvergne-Rhône-Alpes", region_code="84",
            organizer="Réseau des tiers-lieux",
            sources=[{"source": "cress_aura", "url": "https://www.cress-aura.example/agenda/tiers-lieux",
                      "name": "CRESS Auvergne-Rhône-Alpes"}],
        ),
        make_row(
            id="evt-e1b2c3d4e5f60718",
            title="Soirée ciné-débat sur le commerce équitable",
            url="https://www.cress-hdf.example/agenda/cine-debat",
            start="2026-12-10T19:00:00+01:00", end=None,
            start_date="2026-12-10", end_date="2026-12-10", start_utc="2026-12-10T18:00:00Z",
            status="cancelled", city="Lille", postal_code="59000", insee="59350",
            department="59", region="Hauts-de-France", region_code="32",
            sources=[{"source": "cress_hdf", "url": "https://www.cress-hdf.example/agenda/cine-debat",
                      "name": "CRESS Hauts-de-France"}],
        ),
        make_row(
            id="evt-f1b2c3d4e5f60718",
            title="Marché de Noël de l’économie sociale",
            url="https://www.cress-reunion.example/agenda/marche-noel",
            start="2026-12-12T09:00:00+04:00", end="2026-12-12T17:00:00+04:00",
            start_date="2026-12-12", end_date="2026-12-12", start_utc="2026-12-12T05:00:00Z",
            timezone="Indian/Reunion", city="Saint-Denis", postal_code="97400", insee="97411",
            department="974", region="La Réunion", region_code="04",
            organizer="CRESS La Réunion",
            sources=[{"source": "cress_reunion", "url": "https://www.cress-reunion.example/agenda/marche-noel",
                      "name": "CRESS La Réunion"}],
        ),
        make_row(
            id="evt-g1b2c3d4e5f60718",
            title="Café des associations montpelliéraines",
            url="https://www.cress-occitanie.example/agenda/cafe-associations",
            start="2026-12-15T08:30:00+01:00", end="2026-12-15T10:00:00+01:00",
            start_date="2026-12-15", end_date="2026-12-15", start_utc="2026-12-15T07:30:00Z",
            status="postponed", city="Montpellier", postal_code="34000", insee="34172",
            department="34", region="Occitanie", region_code="76",
            sources=[{"source": "cress_occitanie",
                      "url": "https://www.cress-occitanie.example/agenda/cafe-associations",
                      "name": "CRESS Occitanie"}],
        ),
        make_row(
            id="evt-h1b2c3d4e5f60718",
            title="Université d’hiver de l’ESS",
            url="https://www.cress-idf.example/agenda/universite-hiver",
            start="2027-01-14", end="2027-01-15", start_date="2027-01-14", end_date="2027-01-15",
            start_utc=None, all_day=1, city="Paris", postal_code="75011", insee="75111",
            department="75", region="Île-de-France", region_code="11",
            sources=[{"source": "cress_idf", "url": "https://www.cress-idf.example/agenda/universite-hiver",
                      "name": "CRESS Île-de-France"}],
        ),
    ]


def hostile_row() -> dict[str, Any]:
    """Every field a page could inject through, filled with something nasty."""
    return make_row(
        id='evt-"><script>alert(3)</script>',
        title=HOSTILE_TITLE + "\u202eevil\u202c\x00\x07" + "A" * 5000,
        description_html='<p onclick="alert(4)">ok</p><script>alert(5)</script><iframe src="javascript:alert(6)">'
        "</iframe><svg><script>alert(7)</script></svg><a href='javascript:alert(8)'>x</a></div></section>",
        url="javascript:alert(9)",
        registration_url="data:text/html,<script>alert(10)</script>",
        organizer="</article><script>alert(11)</script>",
        venue='"><img src=x onerror=alert(12)>',
        city="<b>Toulouse</b>",
        department='31" onmouseover="alert(13)',
        region_code="76",
        attendance='offline" onfocus="alert(14)',
        status="<script>",
        start="not a date",
        start_date="2026-12-03",
        sources=[
            {"source": "x", "url": "javascript:alert(15)", "name": "<script>alert(16)</script>"},
            {"source": "y", "url": "https://ok.example/page?a=1&b=2", "name": "Source \u202eesrever"},
            {"source": "z", "url": "https://ok.example/\"><script>alert(17)</script>", "name": "Piège"},
            "not a mapping",
        ],
    )


# --------------------------------------------------------------------------- pages


def parse_strict(document: bytes) -> Any:
    """Parse with html5lib in strict mode: any HTML parse error raises."""
    parser = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("lxml"), namespaceHTMLElements=False)
    return parser.parse(document)


def render_index(rows: list[dict[str, Any]]) -> bytes:
    return site.render_index_html(rows, generated_at=GENERATED_AT)


def test_index_is_valid_html_with_unique_ids_and_french_language() -> None:
    page = render_index(programme_rows())
    tree = parse_strict(page)
    assert tree.getroot().get("lang") == "fr"
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    for target in tree.xpath("//@aria-labelledby"):
        for ref in target.split():
            assert ref in ids
    for label in tree.xpath("//label[@for]"):
        assert label.get("for") in ids
    assert tree.xpath("//main") and tree.xpath("//meta[@name='viewport']")


def test_index_groups_by_day_in_french_without_raw_iso_text() -> None:
    tree = parse_strict(render_index(programme_rows()))
    days = [h.text for h in tree.xpath("//section[@class='day']/h2")]
    assert days == [
        "jeudi 3 décembre", "mardi 8 décembre", "mercredi 9 décembre", "jeudi 10 décembre",
        "samedi 12 décembre", "mardi 15 décembre", "jeudi 14 janvier 2027",
    ]
    visible_text = " ".join(tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", visible_text)
    whens = [" ".join(p.itertext()) for p in tree.xpath("//p[@class='when']")]
    assert "Quand :  jeudi 3 décembre, 9 h – 12 h 30" in whens
    assert "Quand :  du mardi 8 décembre au jeudi 10 décembre" in whens
    assert "Quand :  samedi 12 décembre, 9 h – 17 h (heure de La Réunion)" in whens
    times = tree.xpath("//p[@class='when']/time/@datetime")
    assert times[0] == "2026-12-03T09:00+01:00" and "2026-12-08" in times


def test_event_article_carries_everything_a_reader_needs() -> None:
    tree = parse_strict(render_index(programme_rows()))
    forum = tree.xpath("//article[@id='e-evt-a1b2c3d4e5f60718']")[0]
    assert forum.get("data-region") == "76" and forum.get("data-dept") == "31"
    assert forum.get("data-date") == "2026-12-03" and forum.get("data-attendance") == "offline"
    assert "forum de l'emploi solidaire" in forum.get("data-search").replace("’", "'")
    assert "toulouse" in forum.get("data-search")
    text = " ".join(forum.itertext())
    assert "Halle de la Machine, Toulouse, Haute-Garonne (31)" in text
    assert "Organisé par CRESS Occitanie" in text
    assert "30 structures" in text and "<strong>" not in text
    hrefs = forum.xpath(".//a/@href")
    assert "https://lemois-ess.example/evenement/4211" in hrefs
    assert "https://www.cress-occitanie.example/agenda/forum-emploi-solidaire" in hrefs
    assert "events/evt-a1b2c3d4e5f60718.ics" in hrefs
    assert "https://www.cress-occitanie.example/inscription/forum" in hrefs

    webinar = tree.xpath("//article[@id='e-evt-b1b2c3d4e5f60718']")[0]
    assert webinar.xpath(".//span[contains(@class,'badge-online')]/text()") == ["En ligne"]
    assert webinar.xpath(".//a[text()='Suivre en ligne']/@href") == ["https://visio.example/salle-ess"]
    assert "finance solidaire" in webinar.get("data-search") and "numerique" in webinar.get("data-search")
    hybrid = tree.xpath("//article[@id='e-evt-d1b2c3d4e5f60718']")[0]
    assert hybrid.xpath(".//span[contains(@class,'badge-mixed')]/text()") == ["Hybride"]
    cancelled = tree.xpath("//article[@id='e-evt-e1b2c3d4e5f60718']")[0]
    assert "is-cancelled" in cancelled.get("class")
    assert cancelled.xpath(".//span[contains(@class,'badge')]/text()") == ["Annulé"]
    postponed = tree.xpath("//article[@id='e-evt-g1b2c3d4e5f60718']")[0]
    assert postponed.xpath(".//span[contains(@class,'badge')]/text()") == ["Reporté"]


def test_index_has_chart_filters_and_feed_links() -> None:
    tree = parse_strict(render_index(programme_rows()))
    chart = tree.xpath("//*[local-name()='svg']")[0]
    assert chart.get("role") == "img"
    values = dict(zip(chart.xpath(".//*[@class='chart-label']/text()"),
                      chart.xpath(".//*[@class='chart-value']/text()"), strict=True))
    assert values["Occitanie"] == "2" and values["Bretagne"] == "1" and values["Normandie"] == "0"
    assert values["Sans région"] == "1"
    assert tree.xpath("//select[@id='f-region']/option[@value='76']/text()") == ["Occitanie (2)"]
    assert tree.xpath("//select[@id='f-dept']/option/@value") == ["", "31", "34", "35", "59", "69", "75", "974"]
    hrefs = set(tree.xpath("//a/@href"))
    assert {"essagenda.rss", "essagenda.json", "essagenda.ics", "feeds/online.rss", "feeds.opml"} <= hrefs
    assert {"essagenda.geojson", "feeds/online.geojson", "feeds/region/76-occitanie.geojson"} <= hrefs
    assert tree.xpath("//a[@href='essagenda.geojson']/@type") == ["application/geo+json"]
    assert "region/76-occitanie.html" in hrefs and "region/11-ile-de-france.html" in hrefs
    assert {"feeds/region/76-occitanie.rss", "feeds/region/04-la-reunion.ics"} <= hrefs
    alternates = tree.xpath("//link[@rel='alternate']/@href")
    assert alternates == ["essagenda.rss", "essagenda.json"]


def test_page_loads_nothing_from_outside() -> None:
    page = render_index(programme_rows()).decode()
    tree = parse_strict(page.encode())
    assert not tree.xpath("//script[@src] | //link[@rel='stylesheet'] | //img | //iframe | //object")
    assert "@import" not in page and "url(" not in page and "@font-face" not in page
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_hostile_content_is_inert() -> None:
    rows = [*programme_rows(), hostile_row()]
    page = render_index(rows)
    tree = parse_strict(page)
    scripts = tree.xpath("//script[not(@type='application/ld+json')]")
    assert len(scripts) == 1 and "alert" not in (scripts[0].text or "")
    # The events' JSON-LD carries the hostile text as data only: no '<' to end its block early.
    blocks = tree.xpath("//script[@type='application/ld+json']")
    assert len(blocks) == len(rows) and not any("<" in (block.text or "") for block in blocks)
    assert any("<script>alert(1)</script>" in json.loads(block.text)["name"] for block in blocks)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert value.startswith(("https://", "http://", "events/", "region/", "feeds", "essagenda.",
                                         "index.html", "#")), value
    assert not tree.xpath("//img | //iframe | //article//*[local-name()='svg'] | //article//b")
    text = page.decode()
    assert "\u202e" not in text and "\x00" not in text and "\x07" not in text
    hostile = tree.xpath("//article[@data-region='76' and starts-with(@id, 'e-evt-__')]")
    assert len(hostile) == 1
    title = hostile[0].xpath(".//h3")[0]
    assert "<script>alert(1)</script>" in title.text and len(title.text) <= TITLE_LIMIT + 1
    assert hostile[0].get("data-dept") == "" and hostile[0].get("data-attendance") == ""
    assert hostile[0].xpath(".//a[text()='Source \u202cesrever'] | .//a[text()='Source esrever']")


def test_region_page_lists_only_its_events_and_its_feeds() -> None:
    rows = [row for row in programme_rows() if row["region_code"] == "76"]
    page = b"".join(
        site.iter_region_html("76", rows, summary=site.summarize(rows), generated_at=GENERATED_AT)
    )
    tree = parse_strict(page)
    assert tree.xpath("//h1/text()") == ["Occitanie : agenda de l’ESS"]
    assert len(tree.xpath("//article")) == 2 and not tree.xpath("//select[@id='f-region']")
    hrefs = set(tree.xpath("//a/@href"))
    assert {"../feeds/region/76-occitanie.rss", "../feeds/departement/31.ics", "../feeds/departement/09.json",
            "../index.html", "../events/evt-a1b2c3d4e5f60718.ics", "../feeds.opml",
            "../feeds/region/76-occitanie.geojson", "../feeds/departement/31.geojson"} <= hrefs
    assert tree.xpath("//a[@aria-current='page']/text()") == ["Occitanie"]
    with pytest.raises(ValueError):
        next(site.iter_region_html("99", [], summary=site.SiteSummary(), generated_at=GENERATED_AT))


def test_empty_programme_says_so() -> None:
    tree = parse_strict(render_index([]))
    assert tree.xpath("//p[@class='empty']/text()") == ["Aucun événement à venir pour le moment."]
    assert tree.xpath("//p[@id='counter']/text()") == ["0 événement"]


def test_ongoing_events_are_listed_under_today() -> None:
    ongoing = make_row(start="2026-11-27", end="2026-12-01", start_date="2026-11-27", end_date="2026-12-01",
                       all_day=1)
    tree = parse_strict(render_index([ongoing]))
    assert tree.xpath("//section[@class='day']/h2/text()") == ["Aujourd’hui, dimanche 29 novembre"]
    assert "du vendredi 27 novembre au mardi 1er décembre" in " ".join(tree.xpath("//p[@class='when']//text()"))


def test_a_programme_with_past_events_keeps_them_on_their_own_day() -> None:
    past = make_row(id="evt-past", start="2026-09-24T14:00:00+02:00", end="2026-09-24T17:00:00+02:00",
                    start_date="2026-09-24", end_date="2026-09-24")
    ongoing = make_row(id="evt-ongoing", start="2026-11-27", end="2026-12-01", start_date="2026-11-27",
                       end_date="2026-12-01", all_day=1)
    tree = parse_strict(render_index([past, ongoing, *programme_rows()]))
    days = tree.xpath("//section[@class='day']/h2/text()")
    assert days[:3] == ["jeudi 24 septembre", "vendredi 27 novembre", "jeudi 3 décembre"]
    assert tree.xpath("//p[@class='intro']/text()")[0].startswith("10 événements, passés et à venir, dont 2")


def test_source_without_a_registry_name_shows_its_site() -> None:
    row = make_row(sources=[
        {"source": "cress_bretagne", "url": "https://www.cress-bretagne.example/agenda/x", "name": "cress_bretagne"},
        {"source": "lemois_ess", "url": "https://lemois-ess.example/e/1", "name": "Le Mois de l’ESS"},
    ])
    tree = parse_strict(render_index([row]))
    assert tree.xpath("//div[@class='sources']//a/text()") == ["cress-bretagne.example", "Le Mois de l’ESS"]


def test_streaming_render_yields_several_chunks_and_matches_the_joined_render() -> None:
    rows = programme_rows()
    chunks = list(site.iter_index_html(iter(rows), summary=site.summarize(rows), generated_at=GENERATED_AT))
    assert len(chunks) > len(rows) and all(isinstance(c, bytes) for c in chunks)
    assert b"".join(chunks) == render_index(rows)


# --------------------------------------------------------------------------- the whole site


def test_iter_site_files_lists_every_page_and_event_file() -> None:
    rows = programme_rows()
    calls: list[str | None] = []

    def fetch(region_code: str | None) -> list[dict[str, Any]]:
        calls.append(region_code)
        return [row for row in rows if region_code is None or row["region_code"] == region_code]

    files = {path: b"".join(chunks) for path, chunks in site.iter_site_files(fetch, generated_at=GENERATED_AT)}
    assert "index.html" in files and len([p for p in files if p.startswith("region/")]) == 18
    assert {f"events/{row['id']}.ics" for row in rows} <= set(files)
    assert calls.count(None) == 2 and len(calls) == 20
    occitanie = parse_strict(files["region/76-occitanie.html"])
    assert {a.get("id") for a in occitanie.xpath("//article")} == {
        "e-evt-a1b2c3d4e5f60718", "e-evt-g1b2c3d4e5f60718"}
    normandie = parse_strict(files["region/28-normandie.html"])
    assert normandie.xpath("//p[@class='empty']")
    for path, data in files.items():
        if path.endswith(".html"):
            parse_strict(data)
        else:
            assert etree is not None and data.startswith(b"BEGIN:VCALENDAR")


# --------------------------------------------------------------------------- properties

ALLOWED_IN_ARTICLE = {"article", "h3", "a", "p", "span", "time", "div", "ul", "li"}
PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "'><b>x</b>",
    "</p><a href=javascript:alert(1)>x</a>", "<b>gras</b>", "&lt;i&gt;", "<!--", "]]>", "</article>",
    "<math><mi>x</mi></math>", "<iframe srcdoc='<script>'>", "\u202e", "<",
]
markupish = st.one_of(
    st.text(alphabet=st.sampled_from(list("<>\"'&=/ :;ajsvgcriptonerol\u202e\x00\n")), max_size=60),
    st.builds(lambda a, p, b: a + p + b, st.text(max_size=8), st.sampled_from(PAYLOADS), st.text(max_size=8)),
)


@settings(max_examples=150, deadline=None)
@given(title=markupish, organizer=markupish, city=markupish, description=markupish, url=markupish)
def test_any_text_stays_text(title: str, organizer: str, city: str, description: str, url: str) -> None:
    row = make_row(title=title, organizer=organizer, city=city, venue=city, description_html=description,
                   url=url, registration_url=url, sources=[{"source": organizer, "url": url, "name": title}])
    fragment = site.render_event(row, current_year=2026)
    tree = html5lib.parse(f"<!DOCTYPE html><html lang=fr><title>t</title><body>{fragment}</body>",
                          treebuilder="lxml", namespaceHTMLElements=False)
    body = tree.getroot().find("body")
    assert len(body) == 1 and body[0].tag == "article"
    # The only script is the article's own data block, last, whole: JSON whatever the text was.
    data = body[0][-1]
    assert data.tag == "script" and data.attrib == {"type": "application/ld+json"}
    assert "<" not in data.text and json.loads(data.text)["@type"] == "Event"
    for element in body[0].iter():
        if element is data:
            continue
        assert element.tag in ALLOWED_IN_ARTICLE, element.tag
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            if name == "href":
                assert value.startswith(("https://", "http://", "events/")), value
