"""Crawl cost: essagenda's spider and pipelines against a bare Scrapy spider, on the same local site.

Generates N French event pages (listing pages with pagination, JSON-LD on half the pages, free
text on the others, varied date wording), serves them on 127.0.0.1, then crawls them
(a) with a bare spider that yields raw dicts to JSON lines and (b) with essagenda's own spider and
its full pipeline into a fresh SQLite database, each in a fresh process, alternately.
Prints pages per second, the ratio b/a and peak memory. Target: b/a >= 0.8; exits 1 when missed.

    .venv/bin/python bench/crawl.py [--pages 2000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.8
PER_LISTING = 100

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
ABBREVIATIONS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                 "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
TOWNS = [("Rennes", "35000"), ("Montpellier", "34000"), ("Lyon", "69003"), ("Nantes", "44000"),
         ("Lille", "59000"), ("Toulouse", "31000"), ("Dijon", "21000"), ("Rouen", "76000"),
         ("Besançon", "25000"), ("Poitiers", "86000"), ("Saint-Denis", "97400"), ("Ajaccio", "20000")]
KINDS = ["Atelier", "Ciné-débat", "Forum", "Rencontre", "Formation", "Visite", "Conférence", "Apéro"]
TOPICS = ["l'économie circulaire", "les coopératives d'habitants", "l'insertion par l'activité",
          "la finance solidaire", "les tiers-lieux", "l'achat responsable", "l'égalité femmes-hommes"]
FILLER = (
    "Les structures de l'économie sociale et solidaire du territoire ouvrent leurs portes pour "
    "présenter leurs activités, échanger avec les habitants et les partenaires, et partager les "
    "retours d'expérience de l'année écoulée. Entrée libre dans la limite des places disponibles. "
)
NAV = "".join(f'<li><a href="/rubrique-{i}/">Rubrique {i}</a></li>' for i in range(40))


def date_phrase(rng: random.Random, day: int, month: int) -> tuple[str, int, int]:
    weekday = WEEKDAYS[(day + month) % 7]
    start, end = rng.choice([(9, 12), (14, 17), (18, 20), (10, 16)])
    forms = [
        f"Le {weekday} {day} {MONTHS[month - 1]} 2026, de {start}h à {end}h30",
        f"{day} {ABBREVIATIONS[month - 1]} 2026 - {start}h00",
        f"{day:02d}/{month:02d}/2026 de {start}h à {end}h",
        f"Du {day} au {min(day + 2, 28)} {MONTHS[month - 1]} 2026",
        f"{weekday.capitalize()} {day} {MONTHS[month - 1]} | {start}h - {end}h",
    ]
    return rng.choice(forms), start, end


def event_page(i: int, rng: random.Random) -> str:
    month = rng.choice([10, 11, 12])
    day = rng.randint(1, 28)
    town, postcode = rng.choice(TOWNS)
    title = f"{rng.choice(KINDS)} sur {rng.choice(TOPICS)} n°{i}"
    phrase, start, end = date_phrase(rng, day, month)
    body = "".join(f"<p>{FILLER}</p>" for _ in range(8))
    if i % 2 == 0:
        data = {
            "@context": "https://schema.org", "@type": "Event", "name": title,
            "startDate": f"2026-{month:02d}-{day:02d}T{start:02d}:00:00+01:00",
            "endDate": f"2026-{month:02d}-{day:02d}T{end:02d}:30:00+01:00",
            "location": {"@type": "Place", "name": "Maison de l'ESS",
                         "address": {"@type": "PostalAddress", "streetAddress": "3 rue des Coopératives",
                                     "postalCode": postcode, "addressLocality": town}},
            "description": FILLER,
        }
        head = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        main = f"<h1>{title}</h1>{body}"
    else:
        head = ""
        main = (f"<h1>{title}</h1><p class='date'>{phrase}</p>"
                f"<p class='lieu'>Maison de l'ESS, 3 rue des Coopératives, {postcode} {town}</p>{body}")
    return textwrap.dedent(f"""\
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
        <body><header><nav><ul>{NAV}</ul></nav></header><main><article>{main}</article></main>
        <footer><p>CRESS exemple — mentions légales</p></footer></body></html>""")


def build_site(root: Path, pages: int) -> None:
    rng = random.Random(2026)
    agenda = root / "agenda"
    agenda.mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    listings = (pages + PER_LISTING - 1) // PER_LISTING
    for n in range(listings):
        ids = range(n * PER_LISTING, min(pages, (n + 1) * PER_LISTING))
        links = "".join(f'<li><a href="/agenda/evenement-{i}/">Événement {i}</a></li>' for i in ids)
        nxt = f'<a rel="next" href="/agenda/page/{n + 2}/">Page suivante</a>' if n + 1 < listings else ""
        html = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Agenda</title></head>'
                f"<body><main><h1>Agenda</h1><ul>{links}</ul>{nxt}</main></body></html>")
        target = agenda / "index.html" if n == 0 else agenda / "page" / str(n + 1) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    for i in range(pages):
        page = agenda / f"evenement-{i}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(event_page(i, rng), encoding="utf-8")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# Same engine settings for both crawls: only the spider and the pipelines differ.
COMMON = {
    "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "HTTPCACHE_ENABLED": False, "LOG_LEVEL": "WARNING",
    "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "CONCURRENT_ITEMS": 4,
}

BARE = """
import json, sys, scrapy
from scrapy.crawler import CrawlerProcess
base, out, common = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [base + "/agenda/"]
    def parse(self, response):
        for href in response.css("main a::attr(href)").getall():
            yield response.follow(href, self.parse_event if "evenement" in href else self.parse)
    def parse_event(self, response):
        yield {"url": response.url, "title": response.css("h1::text").get(),
               "date": response.css("p.date::text").get(), "body": len(response.body)}

process = CrawlerProcess({**common, "FEEDS": {out: {"format": "jsonlines"}}})
process.crawl(Bare)
process.start()
"""

FULL = """
import json, os, sys
os.environ["SCRAPY_SETTINGS_MODULE"] = "scraper.settings"
from scraper.crawl import run_crawl
from spiders.registry_spiders import make_url_spider
base, db, common = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
common.update(ESS_MAX_PAGES_PER_SOURCE=100000, ESS_MAX_DEPTH=3, ESS_CRAWL_DATE="2026-10-01")
run_crawl([make_url_spider(base + "/agenda/")], db_path=db, overrides=common, progress=False)
"""


def run_child(script: Path, *args: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one crawl in a fresh interpreter."""
    started = time.perf_counter()
    # A script file, not `-c`: Scrapy reads spider callbacks' source code.
    child = subprocess.Popen([sys.executable, str(script), *args], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"crawl failed: {' '.join(args)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="essagenda-bench-") as tmp:
        return bench(Path(tmp), args.pages, args.rounds)


def bench(work: Path, pages: int, rounds: int) -> int:
    build_site(work / "site", pages)
    server, base = serve(work / "site")
    total_pages = pages + (pages + PER_LISTING - 1) // PER_LISTING
    common = json.dumps(COMMON)
    bare_script, full_script = work / "bare.py", work / "full.py"
    bare_script.write_text(BARE)
    full_script.write_text(f"import sys; sys.path.insert(0, {str(REPO)!r})\n" + FULL)
    results: dict[str, list[tuple[float, float, float]]] = {"a bare spider": [], "b essagenda": []}
    try:
        for n in range(rounds):
            out = work / f"bare-{n}.jsonl"
            results["a bare spider"].append(run_child(bare_script, base, str(out), common))
            bare_items = sum(1 for _ in out.open())
            db = work / f"full-{n}.db"
            results["b essagenda"].append(run_child(full_script, base, str(db), common))
    finally:
        server.shutdown()
    import sqlite3

    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from event_sources").fetchone()[0]
    print(f"site: {pages} event pages + listings = {total_pages} pages; "
          f"bare items {bare_items}, essagenda records {stored}")
    print(f"{'crawl':16} {'seconds':>8} {'pages/s':>8} {'CPU s':>8} {'pages/CPU s':>12} {'peak MB':>8}")
    rates, cpu_rates = {}, {}
    for name, runs in results.items():
        wall = min(w for w, _, _ in runs)
        cpu = min(c for _, c, _ in runs)
        peak = max(p for _, _, p in runs)
        rates[name] = total_pages / wall
        cpu_rates[name] = total_pages / cpu
        print(f"{name:16} {wall:8.2f} {rates[name]:8.1f} {cpu:8.2f} {cpu_rates[name]:12.1f} {peak:8.0f}")
    ratio = rates["b essagenda"] / rates["a bare spider"]
    cpu_ratio = cpu_rates["b essagenda"] / cpu_rates["a bare spider"]
    # The crawl is CPU-bound: on a machine busy with other work, CPU time is the steadier measure.
    print(f"b/a by CPU time = {cpu_ratio:.2f}")
    ok = ratio >= TARGET and stored >= pages * 0.95
    print(f"b/a = {ratio:.2f} (target >= {TARGET}), records {stored}/{pages}: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
