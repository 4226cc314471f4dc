"""Discovery with strategy `auto`: which feed or pages each engine leads the spider to."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.utils.test import get_crawler

from scraper.urls import source_id_for_url
from spiders.extract.links import agenda_links, heading_links
from spiders.registry_spiders import make_url_spider
from tests.spiders.samples import TRAP_URL, crawl_all_sources, crawl_changed_sites


def run(source: str) -> dict:
    return crawl_all_sources()[source]


# ---------------------------------------------------------------- one test per engine

def test_events_calendar_rest_asks_from_season_start() -> None:
    r = run("cress_auvergne_rhone_alpes")
    assert r["stats"]["ess/feed"] == "tribe"
    tribe = [u for u in r["requested"] if "/wp-json/tribe/events/v1/events" in u]
    assert tribe and all(parse_qs(urlsplit(u).query)["start_date"] == ["2026-09-01"] for u in tribe)
    # the September event (before the crawl date, same season) is kept
    assert any(i["start"].startswith("2026-09-24") for i in r["items"])
    # HTML event pages are not fetched once the API answers
    assert not [u for u in r["requested"] if "/evenement/" in u]


def test_events_calendar_follows_next_rest_url() -> None:
    r = run("cress_bretagne")
    assert r["stats"]["ess/pages/feed"] == 2
    assert any("page=2" in u for u in r["requested"])


def test_openagenda_embed_leads_to_the_v2_api_and_its_after_cursor() -> None:
    r = run("cress_grand_est")
    assert r["stats"]["ess/feed"] == "openagenda"
    api = [u for u in r["requested"] if u.startswith("https://api.openagenda.com/v2/agendas/91544720/events")]
    assert len(api) == 2 and any("after" in u for u in api)


def test_spip_ical_feed_is_preferred_to_the_site_rss() -> None:
    r = run("cress_occitanie")
    assert r["stats"]["ess/feed"] == "ical"
    assert any("spip.php?page=ical" in u for u in r["requested"])
    assert not any("page=backend" in u for u in r["requested"])


def test_events_calendar_without_rest_falls_back_to_its_ical_export() -> None:
    r = run("cress_guyane")
    assert r["stats"]["ess/probes/miss"] == 1
    assert r["stats"]["ess/feed"] == "ical"
    assert not r["stats"].get("ess/http_errors")  # a missing optional endpoint is not an error


def test_wordpress_category_feed_is_used_not_the_blog_feed() -> None:
    r = run("cress_normandie")
    assert r["stats"]["ess/feed"] == "rss"
    assert "https://www.essnormandie.org/category/agenda/feed/" in r["requested"]
    assert "https://www.essnormandie.org/feed/" not in r["requested"]


def test_joomla_category_feed() -> None:
    r = run("cress_reunion")
    assert r["stats"]["ess/feed"] == "rss"
    assert any("format=feed" in u for u in r["requested"])


def test_yoast_posts_are_read_page_by_page_without_archives() -> None:
    r = run("cress_ile_de_france")
    assert r["stats"]["ess/events/jsonld"] == 5
    assert "https://www.cressidf.org/category/agenda/page/2/" in r["requested"]
    assert not [u for u in r["requested"] if "/2018/" in u or "/2019/" in u]
    assert r["stats"]["ess/skipped_urls/out_of_season"] >= 1


def test_plain_html_agenda_pagination() -> None:
    r = run("cress_bourgogne_franche_comte")
    assert "https://ess-bfc.org/agenda?page=1" in r["requested"]
    assert r["stats"]["ess/pages/detail"] == 5


def test_national_platform_listing_and_detail_pages() -> None:
    r = run("lemois_ess")
    assert "https://lemois-ess.org/evenements/page/2/" in r["requested"]
    assert r["stats"]["ess/events/jsonld"] == 8
    # listing cards are not counted twice: the detail page's JSON-LD wins
    assert all("/evenement/" in i["url"] for i in r["items"])
    assert len(r["items"]) == 8


def test_roundup_article_is_found_from_the_home_page() -> None:
    r = run("cress_mayotte")
    assert r["stats"]["ess/events/roundup"] == 4


def test_calendar_trap_and_ad_hoc_url() -> None:
    """`crawl --url` on a month calendar whose 'next month' link never ends."""
    r = crawl_changed_sites()[source_id_for_url(TRAP_URL)]
    months = sorted(parse_qs(urlsplit(u).query)["mois"][0] for u in r["requested"] if "mois=" in u)
    assert months[0] >= "2026-09" and months[-1] <= "2027-10"
    assert len(r["requested"]) < 30
    assert len(r["items"]) == 5
    assert {i["source"] for i in r["items"]} == {"url_cresspaca_org"}


# ---------------------------------------------------------------- the pieces

def test_link_helpers() -> None:
    html = ('<nav><a href="/agenda/">Agenda</a><a href="/contact/">Contact</a>'
            '<a href="/les-rendez-vous">Tous nos évènements</a></nav>'
            '<h2 class="entry-title"><a href="/forum-2026/">Forum</a></h2><h2><a href="/category/x/">Cat</a></h2>')
    assert agenda_links(html, url="https://x.org/") == ["https://x.org/agenda/", "https://x.org/les-rendez-vous"]
    assert heading_links(html, url="https://x.org/category/agenda/") == ["https://x.org/forum-2026/"]


def test_url_spider_is_same_site_and_http_only() -> None:
    cls = make_url_spider("http://127.0.0.1:8080/agenda/")
    assert cls.name == "url_127_0_0_1_8080"
    assert cls.start_urls == ("http://127.0.0.1:8080/agenda/",)
    with pytest.raises(ValueError):
        make_url_spider("ftp://example.org/agenda")
    with pytest.raises(ValueError):
        source_id_for_url("file:///etc/passwd")


def test_page_budget_is_enforced() -> None:
    cls = make_url_spider("https://www.example.org/agenda/")
    crawler = get_crawler(cls, {"ESS_MAX_PAGES_PER_SOURCE": 3, "ESS_CRAWL_DATE": "2026-10-15"})
    spider = cls.from_crawler(crawler)
    made = [spider._request(f"https://www.example.org/agenda/?page={n}", depth=0, kind="listing") for n in range(6)]
    assert sum(r is not None for r in made) == 3
    assert crawler.stats.get_value("ess/budget_refused") == 3
    assert spider._request("https://www.example.org/agenda/?page=0", depth=0, kind="listing") is None


def test_url_on_the_sample_server_stands_for_the_copied_site() -> None:
    cls = make_url_spider("http://127.0.0.1:8123/www.ess-bretagne.org/")
    crawler = get_crawler(cls, {"ESS_BASE_URL_OVERRIDE": "http://127.0.0.1:8123", "ESS_CRAWL_DATE": "2026-10-15"})
    spider = cls.from_crawler(crawler)
    assert "www.ess-bretagne.org" in spider.hosts
    plain = make_url_spider("http://127.0.0.1:8123/www.ess-bretagne.org/")
    alone = plain.from_crawler(get_crawler(plain, {"ESS_CRAWL_DATE": "2026-10-15"}))
    assert "www.ess-bretagne.org" not in alone.hosts  # without the override nothing leaves the given host


def test_sitemap_leads_to_event_pages_only() -> None:
    cls = make_url_spider("https://www.example.org/")
    spider = cls.from_crawler(get_crawler(cls, {"ESS_CRAWL_DATE": "2026-10-15"}))
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://www.example.org/agenda/forum-de-l-ess/</loc></url>
<url><loc>https://www.example.org/mentions-legales/</loc></url>
<url><loc>https://www.example.org/agenda/2019/11/vieux-forum/</loc></url>
<url><loc>https://ailleurs.org/agenda/autre/</loc></url>
</urlset>"""
    got = [r.meta["ess_real_url"] for r in spider._follow_sitemap(body, depth=0)]
    assert got == ["https://www.example.org/agenda/forum-de-l-ess/"]


@pytest.mark.parametrize(("strategy", "kind"), [("auto", "start"), ("html", "start"), ("roundup", "start"),
                                                 ("tribe", "feed:tribe"), ("ical", "feed:ical")])
def test_start_requests_follow_the_strategy(strategy: str, kind: str) -> None:
    import asyncio

    from spiders.registry import parse_sources
    from spiders.registry_spiders import spider_class_for

    entry = parse_sources(
        f'[[source]]\nid = "cress_test"\nhome = "https://www.x.org/"\nstart_urls = ["https://www.x.org/wp-json/"]\n'
        f'strategy = "{strategy}"\ndomain_confidence = "high"\nengine_confidence = "high"\n')[0]
    cls = spider_class_for(entry)
    spider = cls.from_crawler(get_crawler(cls, {"ESS_CRAWL_DATE": "2026-10-15"}))

    async def collect() -> list:
        return [r async for r in spider.start()]

    (request,) = asyncio.run(collect())
    assert request.meta["ess_kind"] == kind
    if strategy == "tribe":
        assert request.url == "https://www.x.org/wp-json/tribe/events/v1/events?start_date=2026-09-01&per_page=50"


def test_cards_of_pages_this_crawl_already_reads_are_left_to_them() -> None:
    """The PACA agenda's index lists the events the month page already sent for: its cards are not
    emitted a second time, whichever of the two pages answers first."""
    from pathlib import Path

    from scrapy.http import HtmlResponse

    from scraper.items import Event

    site = Path(__file__).resolve().parents[2] / "scraper/sample/sites/www.cresspaca.org/s-informer"
    cls = make_url_spider(TRAP_URL)
    spider = cls.from_crawler(get_crawler(cls, {"ESS_CRAWL_DATE": "2026-10-15"}))
    emitted = []
    for url, path in (("https://www.cresspaca.org/s-informer/agenda/?mois=2026-11", "agenda__q/mois=2026-11.html"),
                      ("https://www.cresspaca.org/s-informer/agenda/", "agenda/index.html")):
        request = spider._request(url, depth=1, kind="listing")
        assert request is not None
        out = list(spider.parse(HtmlResponse(url, body=(site / path).read_bytes(), request=request, encoding="utf-8")))
        emitted += [o for o in out if isinstance(o, Event)]
    assert emitted == []
    assert spider.crawler.stats.get_value("ess/events_deferred_to_detail") == 5
