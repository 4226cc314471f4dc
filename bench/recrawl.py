"""Recrawl cost: crawl the offline sample, then crawl it again unchanged, with production politeness.

Both crawls are `essagenda crawl` (every enabled source) in fresh processes against the bundled
sample server, into the same database and HTTP cache, as cron would run them on two nights in a
row; the politeness settings are those of `scraper/settings.py`. The server records every request
it receives (pages, robots.txt, 404s), so "over the network" is what the sites would see.

Prints the requests over the network and the wall time of each crawl (process start to exit; the
least of the rounds, each a first and a second crawl into a fresh folder), and the ratios second /
first. Targets: at most 0.10 of the requests and 0.2 of the wall time, and no event row changed.
Exits 1 when missed.

    .venv/bin/python bench/recrawl.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]
REQUESTS_TARGET = 0.10
WALL_TARGET = 0.2


class CountingServer:
    """The sample server of `essagenda demo`, counting every request by what it asked for."""

    def __init__(self) -> None:
        from scraper.sample.server import resolve, serve_sample

        self.paths: list[str] = []
        lock = threading.Lock()
        self.server, self.base = serve_sample(port=0)
        handler = self.server.RequestHandlerClass
        paths = self.paths

        class Counting(handler):  # type: ignore[misc, valid-type]
            def parse_request(self) -> bool:
                ok = super().parse_request()
                if ok:
                    with lock:
                        paths.append(self.path)
                return bool(ok)

        self.server.RequestHandlerClass = Counting
        self.resolve = lambda path: resolve(self.server.roots, path)

    def kinds(self, paths: list[str]) -> Counter[str]:
        return Counter("robots.txt" if p == "/robots.txt" else "page" if self.resolve(p) else "404"
                       for p in paths)


def events_digest(db_path: Path) -> tuple[int, str]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("select * from events order by id").fetchall()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def crawl(env: dict[str, str], db: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--no-progress"],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"essagenda crawl exited {done.returncode}")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = CountingServer()
    first_walls: list[float] = []
    second_walls: list[float] = []
    unchanged = True
    try:
        from compiled import sample_run_env

        env = sample_run_env(server.base)
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="essagenda-recrawl-") as tmp:
                db = Path(tmp) / "essagenda.db"
                mark = len(server.paths)
                first_walls.append(crawl(env, db))
                first = server.paths[mark:]
                before = events_digest(db)
                second_walls.append(crawl(env, db))
                second = server.paths[mark + len(first):]
                after = events_digest(db)
                unchanged = unchanged and before == after
    finally:
        server.server.shutdown()
    first_wall, second_wall = min(first_walls), min(second_walls)
    print(f"{'crawl':8} {'wall s':>7} {'requests':>9}   by kind")
    for name, wall, paths in (("first", first_wall, first), ("second", second_wall, second)):
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(server.kinds(paths).items()))
        print(f"{name:8} {wall:7.2f} {len(paths):9}   {kinds}")
    requests_ratio = len(second) / len(first)
    wall_ratio = second_wall / first_wall
    print(f"events: {before[0]} before, {after[0]} after; rows unchanged: {unchanged}")
    ok = requests_ratio <= REQUESTS_TARGET and wall_ratio <= WALL_TARGET and unchanged
    print(f"second/first: requests over the network {len(second)}/{len(first)} = {requests_ratio:.2f} "
          f"(target <= {REQUESTS_TARGET}), wall {wall_ratio:.2f} (target <= {WALL_TARGET}): "
          f"{'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
