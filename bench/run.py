"""The nightly job as cron runs it: `essagenda run` (crawl every enabled source, then export) over
the offline sample served locally, with the production politeness of `scraper/settings.py`.

Every source of the sample is served on 127.0.0.1 (as `essagenda demo` does) and the real spiders
are pointed at it with `ESS_BASE_URL_OVERRIDE`; nothing else is changed: the download delay,
AutoThrottle and per-site concurrency are those of `scraper.settings`. The server records every
request it receives, so the figures are what the sites would see.

A polite crawl cannot end before its busiest site has been asked for all its pages one delay
apart: the floor is the largest number of requests one source sends (its robots.txt included)
times the download delay. Prints the requests per source, the run's wall time (process start to
exit, export included; the least of the rounds, each into a fresh database and output folder)
and wall / floor. Target: wall / floor <= 1.3; exits 1 when missed.

    .venv/bin/python bench/run.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]
TARGET = 1.3
ESSAGENDA = [sys.executable, "-m", "scraper.cli"]


def production_politeness() -> dict[str, object]:
    """The politeness settings a cron run uses, read from the project's settings module."""
    from scraper import settings

    keys = ("DOWNLOAD_DELAY", "DOWNLOAD_DELAY_JITTER", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY",
            "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY", "CONCURRENT_REQUESTS",
            "CONCURRENT_REQUESTS_PER_DOMAIN", "ROBOTSTXT_OBEY")
    return {key: getattr(settings, key) for key in keys if hasattr(settings, key)}


class RequestLog:
    """(time, path, referer) of every request the sample server answers, in arrival order."""

    def __init__(self) -> None:
        self.entries: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()

    def add(self, path: str, referer: str) -> None:
        with self._lock:
            self.entries.append((time.perf_counter(), path, referer))


def serve(log: RequestLog) -> tuple[object, str]:
    """The sample server of `essagenda demo`, logging every request it receives."""
    from scraper.sample.server import serve_sample

    server, base = serve_sample(port=0)
    handler = server.RequestHandlerClass

    class LoggingHandler(handler):  # type: ignore[misc, valid-type]
        def parse_request(self) -> bool:
            ok = super().parse_request()
            if ok:
                log.add(self.path, self.headers.get("Referer") or "")
            return ok

    server.RequestHandlerClass = LoggingHandler
    return server, base


def sources(env: dict[str, str]) -> list[dict[str, object]]:
    """The registry as the CLI lists it: id, home URL, enabled."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([*ESSAGENDA, "sources", "--json", "--db", str(Path(tmp) / "none.db")], cwd=REPO,
                             env=env, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def requests_by_source(log: RequestLog, base: str, owners: dict[str, str]) -> tuple[Counter[str], int]:
    """Requests per source: a page of a source's host is the source's; a page of another host
    (an agenda service's API) belongs to the source whose page linked to it (Referer).
    robots.txt has no host in the local layout; returns its count apart."""
    counts: Counter[str] = Counter()
    owner_of_path: dict[str, str] = {}
    robots = 0
    for _, path, referer in log.entries:
        if path == "/robots.txt":
            robots += 1
            continue
        host = path.lstrip("/").split("/", 1)[0]
        owner = owners.get(host)
        if owner is None and referer.startswith(base):
            ref_path = referer[len(base):]
            owner = owner_of_path.get(ref_path) or owners.get(ref_path.lstrip("/").split("/", 1)[0])
        owner = owner or f"? {host}"
        owner_of_path[path] = owner
        counts[owner] += 1
    return counts, robots


def run_once(env: dict[str, str], work: Path, log: RequestLog) -> dict[str, float]:
    first_entry = len(log.entries)
    started = time.perf_counter()
    done = subprocess.run([*ESSAGENDA, "run", "--db", str(work / "essagenda.db"), "--out", str(work / "out"),
                           "--no-progress"], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    ended = time.perf_counter()
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"essagenda run exited {done.returncode}")
    times = [t for t, _, _ in log.entries[first_entry:]]
    return {"wall": ended - started, "to_first": times[0] - started, "crawling": times[-1] - times[0],
            "after_last": ended - times[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="runs, each into a fresh database")
    args = parser.parse_args()
    politeness = production_politeness()
    delay = float(politeness["DOWNLOAD_DELAY"])  # type: ignore[arg-type]
    log = RequestLog()
    server, base = serve(log)
    from compiled import sample_run_env

    env = sample_run_env(base)
    registry = sources(env)
    crawled = [s for s in registry if s["enabled"]]
    owners = {urlsplit(str(s["url"])).netloc: str(s["source"]) for s in registry}
    runs: list[dict[str, float]] = []
    try:
        for n in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="essagenda-run-") as tmp:
                first_entry = len(log.entries)
                runs.append(run_once(env, Path(tmp), log))
                if n == 0:
                    first_log = RequestLog()
                    first_log.entries = log.entries[first_entry:]
    finally:
        server.shutdown()  # type: ignore[attr-defined]
    counts, robots = requests_by_source(first_log, base, owners)
    print("politeness (scraper/settings.py): " + ", ".join(f"{k}={v}" for k, v in politeness.items()))
    print(f"sources crawled: {len(crawled)} enabled of {len(registry)} in the registry; "
          f"robots.txt fetched {robots} times (one per source)")
    print(f"{'source':32} {'requests':>8}")
    for source in sorted(counts, key=lambda s: (-counts[s], s)):
        print(f"{source:32} {counts[source]:8}")
    busiest, most = counts.most_common(1)[0]
    floor = (most + 1) * delay
    wall = min(r["wall"] for r in runs)
    print(f"total {sum(counts.values()) + robots} requests; busiest source {busiest}: {most} pages "
          f"+ robots.txt = {most + 1} requests x {delay} s = floor {floor:.1f} s")
    print(f"{'run':4} {'wall s':>7} {'to 1st request':>15} {'1st to last':>12} {'last to exit':>13}")
    for n, r in enumerate(runs, start=1):
        print(f"{n:<4} {r['wall']:7.2f} {r['to_first']:15.2f} {r['crawling']:12.2f} {r['after_last']:13.2f}")
    print(f"least wall of {len(runs)} runs: {wall:.2f} s")
    ratio = wall / floor
    ok = ratio <= TARGET
    print(f"wall / politeness floor = {wall:.2f} / {floor:.1f} = {ratio:.2f} (target <= {TARGET}): "
          f"{'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
