"""Hostile or broken sites, replayed on a local server: no event is lost silently, no site holds
the run for long, and every fault is counted under its own name in the crawl row."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import crawl_env, essagenda
from tests.reliability.faultserver import (
    AGENDA_EVENTS,
    FaultServer,
    _Handler,
    event_page,
    jsonld_event,
    ok,
    redirect,
    slow,
    status,
)

# The fault server's agenda is dated December 2026: the crawl stands on a day before it.
CRAWL_DATE = "2026-12-01"


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def last_crawl(db: Path) -> dict[str, Any]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return dict(con.execute("SELECT * FROM crawls ORDER BY id DESC LIMIT 1").fetchone())
    finally:
        con.close()


def faults(row: dict[str, Any]) -> dict[str, int]:
    return {f["kind"]: f["count"] for f in json.loads(row["faults"])}


def crawl(server: FaultServer, db: Path, path: str = "/agenda", **env: str) -> Any:
    result = essagenda("crawl", "--url", server.url(path), "--db", str(db),
                       env=crawl_env(ESS_CRAWL_DATE=CRAWL_DATE, ESS_HTTPCACHE="0", **env))
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def many_events(count: int, base: str) -> list[dict[str, Any]]:
    """`count` JSON-LD events of one page, each with a link of its own on that page."""
    out = []
    for n in range(count):
        ev = {**AGENDA_EVENTS[1][0], "name": f"Atelier {n}", "slug": f"lot-{n}",
              "startDate": f"2026-12-{1 + n % 28:02d}T10:00:00+01:00"}
        node = jsonld_event(ev, base)
        node["url"] = f"{base}/agenda#atelier-{n}"
        out.append(node)
    return out


# --- two listed event pages that redirect to each other ---------------------------------------

SITE = "www.ess-bretagne.org"
REAL = f"https://{SITE}"


def _site_detail(h: _Handler, srv: FaultServer) -> None:
    slug = h.route_path.rsplit("/", 1)[-1]
    for e in AGENDA_EVENTS[srv.version]:
        if e["slug"] == slug:
            page = event_page(e["name"], [jsonld_event(e, REAL)])
            h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
            return
    h.reply(404, b"<html><body>Introuvable</body></html>", {"Content-Type": "text/html"})


def _site_home(h: _Handler, srv: FaultServer) -> None:
    events = [jsonld_event(e, REAL) for e in AGENDA_EVENTS[srv.version]]
    h.reply(200, event_page("Agenda", events).encode(), {"Content-Type": "text/html; charset=utf-8"})


def test_listed_pages_redirecting_to_each_other_are_unanswered_not_missing(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    server = FaultServer(agenda_links=[], routes={f"/{SITE}/": _site_home, f"/{SITE}/evenement/": _site_detail})
    with server:
        env = crawl_env(ESS_CRAWL_DATE=CRAWL_DATE, ESS_HTTPCACHE="0", ESS_BASE_URL_OVERRIDE=server.base)

        def run() -> Any:
            result = essagenda("crawl", "cress_bretagne", "--db", str(db), env=env)
            assert "Traceback" not in result.stderr, result.stderr[-3000:]
            return result

        run()
        assert rows(db, "SELECT count(*) FROM event_sources")[0][0] == 3
        # Overnight: one event withdrawn, one added, and two listed pages redirect to each other.
        server.version = 2
        forum, market = (f"/{SITE}/evenement/{s}" for s in ("forum-emploi-solidaire", "marche-noel-circulaire"))
        server.routes[forum] = redirect(market)
        server.routes[market] = redirect(forum)
        run()
        row = last_crawl(db)
        assert faults(row).get("unanswered/redirect_duplicate") == 2, row["faults"]
        assert row["complete"] == 1 and row["status"] == "ok", row["message"]
        missing = dict(rows(db, "SELECT url, missing_since IS NOT NULL FROM event_sources"))
        # The two pages with no answer keep their events; the withdrawn one is flagged.
        assert missing[f"{REAL}/evenement/forum-emploi-solidaire"] == 0
        assert missing[f"{REAL}/evenement/marche-noel-circulaire"] == 0
        assert missing[f"{REAL}/evenement/atelier-scic-rural"] == 1
        run()
        listed = essagenda("sources", "--json", "--db", str(db), env=env)
        (source,) = [json.loads(line) for line in listed.stdout.splitlines()
                     if json.loads(line)["source"] == "cress_bretagne"]
        assert sorted(source["failing_urls"]) == [f"{REAL}/evenement/forum-emploi-solidaire",
                                                  f"{REAL}/evenement/marche-noel-circulaire"]
        table = essagenda("sources", "--db", str(db), env=env)
        assert f"{REAL}/evenement/forum-emploi-solidaire" in table.stdout


# --- a meta refresh to javascript: --------------------------------------------------------------

def test_meta_refresh_to_javascript_is_not_followed_and_the_page_is_read(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    title = "Rencontre des tiers-lieux solidaires"

    def refreshing(h: _Handler, srv: FaultServer) -> None:
        ev = {**AGENDA_EVENTS[1][1], "name": title, "slug": "rafraichi"}
        page = event_page(title, [jsonld_event(ev, srv.url(""))]).replace(
            "<head>", "<head><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('x')\">", 1)
        h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    server = FaultServer(agenda_links=[("/evenement/rafraichi", "Rencontre")],
                         routes={"/evenement/rafraichi": refreshing})
    with server:
        crawl(server, db)
    row = last_crawl(db)
    assert title in [t for (t,) in rows(db, "SELECT title FROM event_sources")]
    assert not [k for k in faults(row) if "ValueError" in k], row["faults"]
    assert faults(row).get("skipped_urls/meta_refresh") == 1
    assert row["complete"] == 1 and row["status"] == "ok", row["message"]


# --- caps -----------------------------------------------------------------------------------------

def test_events_per_page_and_per_source_are_capped(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"

    def crowded(h: _Handler, srv: FaultServer) -> None:
        h.reply(200, event_page("Agenda", many_events(60, srv.url(""))).encode(),
                {"Content-Type": "text/html; charset=utf-8"})

    with FaultServer(agenda_links=[], routes={"/agenda": crowded}) as server:
        crawl(server, db, ESS_MAX_EVENTS_PER_PAGE="50", ESS_MAX_EVENTS_PER_SOURCE="30")
    row = last_crawl(db)
    assert row["events_seen"] == 30
    assert faults(row).get("caps/events_per_page") == 1
    assert faults(row).get("caps/events_per_source", 0) >= 1
    # Events past a cap were not read: the crawl may not judge anything missing.
    assert row["complete"] == 0


def test_bytes_per_source_are_capped(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(30)]
    with FaultServer(agenda_links=links) as server:
        crawl(server, db, ESS_MAX_BYTES_PER_SOURCE="20000")
        fetched = server.hits_under("/evenement/lot-")
    row = last_crawl(db)
    assert fetched < 30
    assert faults(row).get("caps/bytes_per_source", 0) >= 1
    assert row["complete"] == 0


def test_source_deadline_closes_the_crawl(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    links = [(f"/evenement/lot-{n}", f"Atelier {n}") for n in range(40)]
    with FaultServer(agenda_links=links, page_delay=0.5) as server:
        crawl(server, db, ESS_SOURCE_DEADLINE="2")
        fetched = server.hits_under("/evenement/lot-")
    row = last_crawl(db)
    assert fetched < 40
    assert faults(row).get("caps/source_deadline") == 1
    assert row["complete"] == 0 and json.loads(row["stats"])["finish_reason"] == "closespider_timeout"


def test_run_deadline_stops_every_crawl(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    # Every page of every site answers after a minute; each request gives up after 3 s.
    with FaultServer(agenda_links=[], routes={"/": slow(60)}) as server:
        env = crawl_env(ESS_CRAWL_DATE=CRAWL_DATE, ESS_HTTPCACHE="0", ESS_BASE_URL_OVERRIDE=server.base,
                        ESS_DOWNLOAD_TIMEOUT="3", ESS_RUN_DEADLINE="2", ESS_SOURCE_DEADLINE="600")
        result = essagenda("crawl", "cress_bretagne", "ess_france", "--db", str(db), env=env)
        hits = sum(server.hits.values())
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    crawls = rows(db, "SELECT source, complete, faults, stats FROM crawls ORDER BY source")
    assert [c[0] for c in crawls] == ["cress_bretagne", "ess_france"]
    for source, complete, fault_list, stats in crawls:
        assert {"kind": "caps/run_deadline", "count": 1} in json.loads(fault_list), source
        assert complete == 0 and json.loads(stats)["finish_reason"] == "run_deadline", source
    # Without the deadline each site's pages would have been tried three times over.
    assert hits <= 6, server.hits


# --- Retry-After, trickling servers ------------------------------------------------------------

def test_retry_after_is_honoured_up_to_a_bound(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    links = [("/evenement/attente-longue", "Colloque"), ("/evenement/attente-courte", "Forum")]
    routes = {"/evenement/attente-longue": status(429, {"Retry-After": "3600"}),
              "/evenement/attente-courte": status(503, {"Retry-After": "1"})}
    with FaultServer(agenda_links=links, routes=routes) as server:
        result = crawl(server, db)
        hits = dict(server.hits)
    import scraper.settings

    assert hits["/evenement/attente-longue"] == 1
    assert hits["/evenement/attente-courte"] == 1 + scraper.settings.RETRY_TIMES
    row = last_crawl(db)
    assert faults(row).get("caps/retry_after") == 1
    assert row["status"] == "degraded" and "Retry-After" in row["message"], row["message"]
    assert result.returncode == 1


def test_a_trickling_site_stops_paying_full_timeouts_and_retries(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    links = [(f"/evenement/filet-{n}", f"Atelier {n}") for n in range(6)]
    with FaultServer(agenda_links=links, routes={"/evenement/filet-": slow(30)}) as server:
        crawl(server, db, ESS_DOWNLOAD_TIMEOUT="1", ESS_SLOW_SITE_TIMEOUTS="2")
        tries = server.hits_under("/evenement/filet-")
    # Two timeouts make the site slow: past them, one try a page (three each before).
    assert tries <= 6 + 2, tries
    row = last_crawl(db)
    assert faults(row).get("caps/slow_site") == 1


# --- oversize bodies and gzip bombs --------------------------------------------------------------

def test_gzip_bomb_and_oversize_body_have_their_own_names(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    bomb = gzip.compress(b"<html><body>" + b" " * (20 * 1024 * 1024) + b"</body></html>")

    def gzip_bomb(h: _Handler, srv: FaultServer) -> None:
        h.reply(200, bomb, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})

    links = [("/evenement/bombe", "Bombe"), ("/evenement/enorme", "Énorme")]
    with FaultServer(agenda_links=links, routes={"/evenement/bombe": gzip_bomb},
                     huge_size=4 * 1024 * 1024) as server:
        crawl(server, db, ESS_DOWNLOAD_MAXSIZE=str(1024 * 1024))
    found = faults(last_crawl(db))
    assert found.get("net_errors/decompression_bomb") == 1, found
    assert found.get("net_errors/maxsize") == 1, found
    assert "net_errors/IgnoreRequest" not in found, found


# --- declared encodings that lie -----------------------------------------------------------------

TITLE = "Journée régionale de l’économie sociale"


def _utf16_label(body: bytes) -> Any:
    return ok(body, "text/html; charset=utf-16")


def test_page_declared_utf16_in_utf8_is_read(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    detail_ev = {**AGENDA_EVENTS[1][1], "name": TITLE, "slug": "journee"}
    ascii_ev = {**AGENDA_EVENTS[1][2], "name": "Forum ESS", "slug": "forum"}

    def listing(h: _Handler, srv: FaultServer) -> None:
        links = [(srv.url("/evenement/journee"), "Journée"), (srv.url("/evenement/forum"), "Forum")]
        h.reply(200, event_page("Agenda régional", [], links=links).encode(),
                {"Content-Type": "text/html; charset=utf-16"})

    def page(ev: dict[str, str]) -> Any:
        def run(h: _Handler, srv: FaultServer) -> None:
            body = event_page(ev["name"], [jsonld_event(ev, srv.url(""))]).encode()
            h.reply(200, body, {"Content-Type": "text/html; charset=utf-16"})
        return run

    routes = {"/agenda": listing, "/evenement/journee": page(detail_ev), "/evenement/forum": page(ascii_ev)}
    with FaultServer(agenda_links=[], routes=routes) as server:
        crawl(server, db)
    titles = sorted(t for (t,) in rows(db, "SELECT title FROM event_sources"))
    assert titles == ["Forum ESS", TITLE]
    row = last_crawl(db)
    assert faults(row).get("encoding/sniffed") == 3
    assert row["status"] == "ok"


def test_page_in_no_readable_encoding_is_counted_and_degrades(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    # Bytes undefined in windows-1252 (0x81, 0x8d) and invalid in UTF-8, under a UTF-16 label.
    body = event_page("Illisible", []).encode().replace(b"Illisible", b"Ill\x81si\x8dble")
    routes = {"/evenement/illisible": _utf16_label(body)}
    with FaultServer(agenda_links=[("/evenement/illisible", "Illisible")], routes=routes) as server:
        result = crawl(server, db)
    row = last_crawl(db)
    assert faults(row).get("skipped/encoding") == 1
    assert faults(row).get("unanswered/encoding") == 1
    assert row["status"] == "degraded" and result.returncode == 1


# --- bad URLs on the command line ----------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://", "http://[::1", "http://127.0.0.1:99999/agenda", "https:///agenda"])
def test_a_bad_url_is_a_bad_option(url: str, tmp_path: Path) -> None:
    result = essagenda("crawl", "--url", url, "--db", str(tmp_path / "agenda.db"))
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "--url" in result.stderr
    assert not (tmp_path / "agenda.db").exists()


def test_a_listed_page_redirecting_to_another_listed_page_is_answered_by_it(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    links = [("/evenement/ancienne-adresse", "Forum"), ("/evenement/forum-emploi-solidaire", "Forum")]
    routes = {"/evenement/ancienne-adresse": redirect("/evenement/forum-emploi-solidaire")}
    with FaultServer(agenda_links=links, routes=routes) as server:
        crawl(server, db)
    row = last_crawl(db)
    assert not [k for k in faults(row) if k.startswith("unanswered")], row["faults"]
    assert row["complete"] == 1 and row["status"] == "ok", row["message"]


def test_listing_pages_redirecting_to_each_other_make_the_crawl_incomplete(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"

    def listing(h: _Handler, srv: FaultServer) -> None:
        links = [(srv.url("/agenda-des-adherents"), "Agenda des adhérents"), (srv.url("/calendrier/"), "Calendrier")]
        h.reply(200, event_page("Agenda", [], links=links).encode(), {"Content-Type": "text/html; charset=utf-8"})

    routes = {"/agenda": listing, "/agenda-des-adherents": redirect("/calendrier/"),
              "/calendrier/": redirect("/agenda-des-adherents")}
    with FaultServer(agenda_links=[], routes=routes) as server:
        crawl(server, db)
    row = last_crawl(db)
    assert faults(row).get("unanswered_listings/redirect_duplicate") == 2, row["faults"]
    assert row["complete"] == 0


# --- the rules themselves -----------------------------------------------------------------------

def _figures(**stats: int) -> dict[str, Any]:
    from scraper.health import crawl_figures

    return crawl_figures({f"ess/{k}": v for k, v in stats.items()})


def test_a_failed_event_page_leaves_the_crawl_complete_but_a_cap_does_not() -> None:
    from scraper.health import assess

    def health(figures: dict[str, Any]) -> Any:
        return assess(figures, previous_events=6, finish_reason="finished", start_urls=1, start_ok=1)

    event_page_failed = {"pages": 9, "events": 6, "http_errors": 1, "http_errors/500": 1,
                         "unanswered": 1, "unanswered/http_500": 1, "unanswered_fetch_errors": 1}
    got = health(_figures(**event_page_failed))
    assert (got.status, got.complete) == ("ok", True) and "1 event pages unanswered" in got.message
    got = health(_figures(**event_page_failed, **{"caps/events_per_page": 1}))
    assert (got.status, got.complete) == ("ok", False) and "events_per_page" in got.message
    got = health(_figures(pages=9, events=6, **{"caps/retry_after": 1}))
    assert got.status == "degraded" and "Retry-After" in got.message
    got = health(_figures(pages=9, events=6, **{"skipped/encoding": 1}))
    assert got.status == "degraded"


def test_retry_after_reads_seconds_and_dates() -> None:
    from scraper.middlewares import retry_after_seconds

    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now=1767225600) == 60
    assert retry_after_seconds(b"demain") is None and retry_after_seconds(None) is None


def test_a_wrong_utf16_label_is_told_from_a_right_one() -> None:
    from spiders.ess_spider import mislabelled_encoding

    text = "<html><body>Journée</body></html>"
    assert mislabelled_encoding(text.encode("utf-8"), "text/html; charset=utf-16") == "utf-8"
    assert mislabelled_encoding(text.encode("cp1252"), "text/html; charset=UTF-16LE") == "cp1252"
    assert mislabelled_encoding(text.encode("utf-16"), "text/html; charset=utf-16") is None
    assert mislabelled_encoding(text.encode("utf-8"), "text/html; charset=utf-8") is None
    assert mislabelled_encoding(b'<meta charset="utf-16"><p>Journ\xc3\xa9e', "text/html") == "utf-8"
    assert mislabelled_encoding(b"<p>\x81\x8d</p>", "text/html; charset=utf-16") == ""


def test_a_url_fails_when_the_last_two_crawls_left_it_unanswered() -> None:
    from scraper.health import failing_urls

    def crawl_row(*urls: str) -> dict[str, Any]:
        return {"status": "ok", "stats": {"unanswered_urls": {u: "http_500" for u in urls}}}

    assert failing_urls([crawl_row("a", "b"), crawl_row("b")]) == {"b": "http_500"}
    assert failing_urls([crawl_row("a")]) == {}
    assert failing_urls([crawl_row("a"), crawl_row()]) == {}


def test_an_event_page_that_keeps_failing_spares_only_its_own_event(tmp_path: Path) -> None:
    db = tmp_path / "agenda.db"
    with FaultServer(agenda_links=[]) as server:
        crawl(server, db)
        server.version = 2
        server.routes["/evenement/forum-emploi-solidaire"] = status(500)
        crawl(server, db)
    row = last_crawl(db)
    assert faults(row).get("unanswered/http_500") == 1, row["faults"]
    assert row["complete"] == 1, row["message"]
    missing = {url.rsplit("/", 1)[-1]: flagged
               for url, flagged in rows(db, "SELECT url, missing_since IS NOT NULL FROM event_sources")}
    assert missing["forum-emploi-solidaire"] == 0 and missing["atelier-scic-rural"] == 1
