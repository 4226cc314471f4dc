"""Recrawl cost: crawl the offline sample, then crawl it again unchanged, with default politeness.

Both crawls run in fresh processes against the bundled sample server, into the same database and
HTTP cache (as cron would); the time measured is the crawl itself, from reactor start to stop.
Target: the second crawl takes at most 0.3x the first's wall time and writes no event row.
Exits 1 when missed.

    .venv/bin/python bench/recrawl.py
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.3

CHILD = """
import json, sys, time
from scraper.crawl import run_crawl
from scraper.sample import SAMPLE_CRAWL_DATE
from spiders.registry import enabled_sources
base, db = sys.argv[1], sys.argv[2]
started = time.perf_counter()
outcomes = run_crawl([s.id for s in enabled_sources()], db_path=db, progress=False,
                     overrides={"ESS_BASE_URL_OVERRIDE": base, "ESS_CRAWL_DATE": SAMPLE_CRAWL_DATE,
                                "LOG_LEVEL": "WARNING"})
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "pages": sum(o.pages for o in outcomes),
                  "stats": {k: sum(o.stats.get(k, 0) for o in outcomes) for k in (
                      "downloader/request_count", "httpcache/hit", "httpcache/revalidate",
                      "httpcache/miss", "downloader/response_status_count/304")}}))
"""


def events_digest(db_path: Path) -> tuple[int, str]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("select * from events order by id").fetchall()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def crawl(base: str, db: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD, base, str(db)], cwd=REPO, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    from scraper.sample.server import serve_sample

    work = Path(tempfile.mkdtemp(prefix="essagenda-recrawl-"))
    db = work / "essagenda.db"
    server, base = serve_sample(port=0)
    try:
        first = crawl(base, db)
        before = events_digest(db)
        second = crawl(base, db)
        after = events_digest(db)
    finally:
        server.shutdown()
    print(f"{'crawl':8} {'seconds':>8} {'requests':>9} {'cache hits':>11} {'304':>5}")
    for name, run in (("first", first), ("second", second)):
        stats = run["stats"]
        print(f"{name:8} {run['seconds']:8.2f} {stats['downloader/request_count']:9} "
              f"{stats['httpcache/hit']:11} {stats['downloader/response_status_count/304']:5}")
    ratio = float(second["seconds"]) / float(first["seconds"])
    unchanged = before == after
    print(f"events: {before[0]} before, {after[0]} after; rows unchanged: {unchanged}")
    ok = ratio <= TARGET and unchanged
    print(f"second/first = {ratio:.2f} (target <= {TARGET}): {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
