"""Hostile sample pages, crawled and exported by the real CLI: nothing executable is published, only
http(s) URLs are followed or published, and no file:, data: or ftp: link is ever fetched."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import essagenda
from tests.reliability.faultserver import FaultServer, _Handler, event_page
from tests.reliability.hostile import MARKUP, URLS, is_published_url_ok, output_problems
from tests.reliability.test_hostile import KNOWN_GAPS

SECRET_TITLE = "Réunion secrète lue sur le disque"
DATA_TITLE = "Événement venu d'une URL data"


def _event(i: int, *, name: str, description: str, location: str, url: str) -> dict[str, Any]:
    day = date.today() + timedelta(days=5 + i)
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "startDate": f"{day.isoformat()}T14:00:00+01:00",
        "endDate": f"{day.isoformat()}T16:00:00+01:00",
        "url": url,
        "description": description,
        "location": {"@type": "Place", "name": location,
                     "address": {"@type": "PostalAddress", "streetAddress": location[:300],
                                 "postalCode": "69007", "addressLocality": "Lyon", "addressCountry": "FR"}},
        "organizer": {"@type": "Organization", "name": location[:200], "url": url},
        "offers": {"@type": "Offer", "url": url},
        "image": url,
    }


def hostile_site(tmp: Path) -> FaultServer:
    secret_dir = tmp / "secret" / "evenement"
    secret_dir.mkdir(parents=True)
    secret = secret_dir / "reunion.html"
    data_page = event_page(DATA_TITLE, [_event(0, name=DATA_TITLE, description="", location="Lyon",
                                               url="https://exemple.fr/data")])
    data_url = "data:text/html;base64," + base64.b64encode(data_page.encode()).decode()

    def agenda(h: _Handler, srv: FaultServer) -> None:
        base = srv.url("/agenda")
        secret.write_text(event_page(SECRET_TITLE, [_event(1, name=SECRET_TITLE, description="",
                                                           location="Lyon", url=base + "#secret")]))
        markup = [p for p in MARKUP if p.name not in KNOWN_GAPS]
        events = [
            _event(i, name=f"Atelier {i} {p.text}", description=f"<p>Intro {i}</p>{p.text}",
                   location=f"Salle {p.text}", url=f"{base}#evenement-{i}")
            for i, p in enumerate(markup)
        ]
        events += [
            _event(len(markup) + j, name=f"Lien piégé {j}", description=f'<a href="{p.text}">programme</a>',
                   location="Lyon", url=p.text)
            for j, p in enumerate(u for u in URLS if u.name not in KNOWN_GAPS)
        ]
        events.append(_event(90, name="Lien local", description="", location="Lyon", url=secret.as_uri()))
        links = [(secret.as_uri(), "Réunion"), (data_url, "Données"), ("ftp://127.0.0.1/evenement/x", "FTP"),
                 ("javascript:alert('ESSXSS')//evenement/x", "JS"), ("vbscript:msgbox(1)", "VB")]
        page = event_page("Agenda hostile", events, links=links)
        h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    return FaultServer(routes={"/agenda": agenda}, agenda_links=[])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("hostile_crawl")
    db, out = tmp / "agenda.db", tmp / "public"
    with hostile_site(tmp) as server:
        crawl = essagenda("crawl", "--url", server.url("/agenda"), "--db", str(db))
        hits = dict(server.hits)
    export = essagenda("export", "--db", str(db), "--out", str(out), "--region", "84")
    return {"db": db, "out": out, "crawl": crawl, "export": export, "hits": hits}


def test_crawl_and_export_succeed(crawled: dict[str, Any]) -> None:
    crawl, export = crawled["crawl"], crawled["export"]
    assert crawl.returncode in (0, 1) and "Traceback" not in crawl.stderr, crawl.stderr[-3000:]
    assert export.returncode == 0, export.stderr[-3000:]
    con = sqlite3.connect(crawled["db"])
    try:
        n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        con.close()
    # The markup events were stored (cleaned), not dropped: the checks below are not vacuous.
    assert n >= len([p for p in MARKUP if p.name not in KNOWN_GAPS]), n


def test_only_http_urls_followed_or_stored(crawled: dict[str, Any]) -> None:
    # No non-http link was turned into a request against the site either (e.g. resolved as a path).
    odd_path = re.compile(r"javascript|vbscript|alert|ESSXSS|data:|ftp|file:|secret", re.IGNORECASE)
    odd = [p for p in crawled["hits"] if odd_path.search(p)]
    assert odd == [], crawled["hits"]
    con = sqlite3.connect(crawled["db"])
    try:
        titles = [t for (t,) in con.execute("SELECT title FROM event_sources")]
        urls = [u for row in con.execute(
            "SELECT url, registration_url, online_url, image FROM event_sources") for u in row]
    finally:
        con.close()
    assert SECRET_TITLE not in titles and DATA_TITLE not in titles
    assert [u for u in urls if not is_published_url_ok(u)] == []


def test_every_output_file_is_well_formed_and_inert(crawled: dict[str, Any]) -> None:
    out: Path = crawled["out"]
    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".rss", ".json", ".ics", ".html"} <= kinds, kinds
    problems: list[str] = []
    for p in files:
        problems += output_problems(str(p.relative_to(out)), p.read_bytes())
    assert not problems, "\n".join(problems[:50])
    # The national JSON feed carries the hostile events (cleaned), so the files were really checked.
    feeds = [json.loads(p.read_bytes()) for p in files if p.suffix == ".json"]
    assert max(len(f.get("items", [])) for f in feeds) >= 40
