"""Crawl cost: CPU per page of essagenda's crawl against a bare Scrapy spider's, on the same local site.

Generates N French event pages (listing pages with pagination, JSON-LD on half the pages, free
text on the others, varied date wording), serves them on 127.0.0.1, then crawls them, each crawl
in one fresh process, alternately: (a) a bare Scrapy spider that yields raw dicts to JSON lines,
(b) `essagenda crawl --url` (its spider and every pipeline into a fresh SQLite database). Both run
with the engine settings of `scraper/settings.py` (AutoThrottle, per-site concurrency, robots.txt)
without the download delay and the HTTP cache: a polite crawl waits, and waiting costs no CPU.

In production the crawl is bounded by politeness, not by CPU (bench/run.py), so what counts is the
CPU a page costs: pages per CPU second (user + system of the whole process, start-up included),
the least of the rounds for each. Target: b/a >= 0.65 (0.8 is the ambition), every page stored.
Exits 1 when missed.

    .venv/bin/python bench/crawl.py [--pages 2000] [--rounds 3]
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
sys.path[:0] = [str(REPO), str(REPO / "bench")]
TARGET = 0.65
AMBITION = 0.8
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


def engine_settings() -> dict[str, object]:
    """The production engine settings both crawls run with, without the delay and the cache."""
    from scraper import settings

    keys = ("AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY",
            "CONCURRENT_ITEMS", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "ROBOTSTXT_OBEY",
            "TELNETCONSOLE_ENABLED")
    common: dict[str, object] = {key: getattr(settings, key) for key in keys}
    common.update(DOWNLOAD_DELAY=0, AUTOTHROTTLE_START_DELAY=0, HTTPCACHE_ENABLED=False, LOG_LEVEL="WARNING",
                  REMOTE_CONTROL_ENABLED=False)
    return common


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


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one crawl in a fresh interpreter."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"crawl failed: {' '.join(args)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="essagenda-bench-") as tmp:
        return bench(Path(tmp), args.pages, args.rounds)


def bench(work: Path, pages: int, rounds: int) -> int:
    from compiled import compiled_env

    build_site(work / "site", pages)
    server, base = serve(work / "site")
    total_pages = pages + (pages + PER_LISTING - 1) // PER_LISTING
    common = engine_settings()
    # essagenda reads its settings from the environment: the same engine, no delay, no cache.
    env = compiled_env(ESS_DOWNLOAD_DELAY="0", ESS_HTTPCACHE="0", ESS_MAX_PAGES_PER_SOURCE="100000",
                       ESS_MAX_DEPTH="3", ESS_CRAWL_DATE="2026-10-01", TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
    bare_script = work / "bare.py"
    bare_script.write_text(BARE)  # a file, not `-c`: Scrapy reads spider callbacks' source code
    results: dict[str, list[tuple[float, float, float]]] = {"a bare spider": [], "b essagenda": []}
    try:
        for n in range(rounds):
            out = work / f"bare-{n}.jsonl"
            results["a bare spider"].append(
                run_child([sys.executable, str(bare_script), base, str(out), json.dumps(common)], env))
            bare_items = sum(1 for _ in out.open())
            db = work / f"full-{n}" / "essagenda.db"
            db.parent.mkdir()
            results["b essagenda"].append(run_child(
                [sys.executable, "-m", "scraper.cli", "crawl", "--url", base + "/agenda/", "--db", str(db),
                 "--no-progress"], env))
    finally:
        server.shutdown()
    import sqlite3

    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from event_sources").fetchone()[0]
    print(f"site: {pages} event pages + listings = {total_pages} pages; "
          f"bare items {bare_items}, essagenda records {stored}; {rounds} rounds, least of each")
    print(f"{'crawl':16} {'wall s':>7} {'CPU s':>7} {'pages/CPU s':>12} {'CPU ms/page':>12} {'peak MB':>8}")
    cpu_rates = {}
    for name, runs in results.items():
        wall = min(w for w, _, _ in runs)
        cpu = min(c for _, c, _ in runs)
        peak = max(p for _, _, p in runs)
        cpu_rates[name] = total_pages / cpu
        print(f"{name:16} {wall:7.2f} {cpu:7.2f} {cpu_rates[name]:12.1f} {cpu / total_pages * 1000:12.2f} "
              f"{peak:8.0f}")
    ratio = cpu_rates["b essagenda"] / cpu_rates["a bare spider"]
    ok = ratio >= TARGET and stored >= pages * 0.95
    print(f"b/a pages per CPU second = {ratio:.2f} (target >= {TARGET}, ambition >= {AMBITION}), "
          f"records {stored}/{pages}: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
