"""Feed export benchmark: time and peak memory of RSS, JSON Feed and iCalendar at 10,000 and 100,000 events.

Usage: .venv/bin/python bench/export.py [--sizes 10000,100000] [--keep DIR]

Each export runs in its own subprocess (peak RSS of that process, imports included) and streams
`storage.read.iter_events` into `storage.exporters.writer.write_atomic`, as
`storage.exporters.feeds.publish` does. Two exports run at a time (one per core): each export at the
largest size runs beside the same export at the smaller sizes, three times each there (median kept), so both see the same load. Time is the CPU time (user + system) of the export in
its process: on a shared machine wall time moves with the neighbours' load, CPU time does not;
wall time is printed beside it. Exits 1 when an export at the largest size takes more than 12x
the CPU time of the smallest one per 10x events (worse than linear) or peaks above 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

NOW = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
TODAY = date(2026, 11, 29)
FORMATS = ("rss", "json", "ics")
WINDOWS = ("all", "upcoming")
MAX_TIME_RATIO = 12.0
MAX_PEAK_MB = 300.0
SMALL_REPEATS = 3

CITIES = [
    ("Toulouse", "31000", "31555", "31", "Occitanie", "76", "Europe/Paris"),
    ("Lille", "59000", "59350", "59", "Hauts-de-France", "32", "Europe/Paris"),
    ("Rennes", "35000", "35238", "35", "Bretagne", "53", "Europe/Paris"),
    ("Lyon", "69001", "69381", "69", "Auvergne-Rhône-Alpes", "84", "Europe/Paris"),
    ("Marseille", "13001", "13201", "13", "Provence-Alpes-Côte d'Azur", "93", "Europe/Paris"),
    ("Nantes", "44000", "44109", "44", "Pays de la Loire", "52", "Europe/Paris"),
    ("Strasbourg", "67000", "67482", "67", "Grand Est", "44", "Europe/Paris"),
    ("Saint-Denis", "97400", "97411", "974", "La Réunion", "04", "Indian/Reunion"),
    ("Pointe-à-Pitre", "97110", "97120", "971", "Guadeloupe", "01", "America/Guadeloupe"),
]
TOPICS = [
    "Forum de l'ESS",
    "Atelier coopératif",
    "Rencontre tiers-lieux",
    "Webinaire financement solidaire",
    "Portes ouvertes d'une Scop",
    "Marché de producteurs",
    "Conférence sur l'insertion",
]
DESCRIPTION = (
    "<p>Une rencontre entre structures de l'économie sociale et solidaire, collectivités et habitants "
    "pour partager des projets, des outils et des financements.</p>"
    "<ul><li>Table ronde</li><li>Ateliers en petits groupes</li><li>Temps d'échange convivial</li></ul>"
)


def synthetic_rows(count: int, seed: int = 2026) -> Iterator[tuple[object, ...]]:
    """`count` consolidated events spread over a year around TODAY (about a third upcoming)."""
    rng = random.Random(seed)
    for i in range(count):
        city, postcode, insee, dept, region, region_code, tz_name = CITIES[i % len(CITIES)]
        zone = ZoneInfo(tz_name)
        day = TODAY + timedelta(days=rng.randint(-240, 120))
        kind = rng.random()
        attendance = "online" if kind < 0.06 else ("mixed" if kind < 0.1 else "offline")
        if kind > 0.88:  # multi-day all-day event
            end_day = day + timedelta(days=rng.randint(0, 3))
            start, end, all_day = day.isoformat(), end_day.isoformat(), 1
            start_utc = None
        else:
            begin = datetime(day.year, day.month, day.day, rng.choice((9, 10, 14, 18)), 0, tzinfo=zone)
            finish = begin + timedelta(hours=rng.choice((1, 2, 3)))
            start, end, all_day, end_day = begin.isoformat(), finish.isoformat(), 0, day
            start_utc = begin.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        status = "cancelled" if rng.random() < 0.03 else ("postponed" if rng.random() < 0.01 else "scheduled")
        source = f"cress_{region_code}"
        url = f"https://{source}.example/agenda/{i}"
        yield (
            f"evt-{i:016x}",
            json.dumps([{"source": source, "url": url}]),
            rng.randint(0, 4),
            1 if rng.random() < 0.02 else 0,
            f"{TOPICS[i % len(TOPICS)]} n°{i}",
            DESCRIPTION,
            url,
            start,
            end,
            day.isoformat(),
            end_day.isoformat(),
            start_utc,
            all_day,
            tz_name,
            "Maison des associations",
            f"{i % 200 + 1} rue de la Coopération",
            postcode,
            city,
            insee,
            dept,
            region,
            region_code,
            None,
            None,
            attendance,
            f"https://visio.example/{i}" if attendance != "offline" else None,
            status,
            "CRESS",
            None,
            None,
            json.dumps(["ESS"]),
            "ok",
            f"{i:016x}",
            "2026-09-01T06:00:00Z",
            "2026-11-28T06:00:00Z",
            "2026-10-01T06:00:00Z",
        )


COLUMNS = (
    'id, sources, sequence, missing, title, description_html, url, start, "end", start_date, end_date, '
    "start_utc, all_day, timezone, venue, address, postal_code, city, insee, department, region, region_code, "
    "latitude, longitude, attendance, online_url, status, organizer, registration_url, image, tags, "
    "date_status, fingerprint, first_seen, last_seen, updated_at"
)


def build_db(path: Path, count: int) -> float:
    """Create a migrated database at `path` holding `count` events; returns seconds taken."""
    from storage.db import open_db

    started = time.perf_counter()
    db = open_db(path)
    placeholders = ", ".join("?" for _ in COLUMNS.split(","))
    with db.conn:
        db.conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES ({placeholders})", synthetic_rows(count))
    db.close()
    return time.perf_counter() - started


def stored_count(path: Path) -> int | None:
    """Events in a database kept by an earlier run (--keep), None when there is none."""
    if not path.exists():
        return None
    with sqlite3.connect(path) as conn:
        try:
            count: int = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        except sqlite3.Error:
            return None
    return count


def child(db_path: str, fmt: str, window: str, out: str) -> None:
    """Run one export and print its measures as JSON (called in a subprocess)."""
    from storage.db import open_db
    from storage.exporters import FeedInfo
    from storage.exporters.feeds import EXPORTERS, FeedSpec
    from storage.exporters.writer import write_atomic
    from storage.read import iter_events

    db = open_db(db_path)
    spec = FeedSpec("national", None, "Agenda de l'ESS : France", "Banc d'essai", "")
    info = FeedInfo(
        title=spec.title,
        link="https://essagenda.example/",
        description=spec.description,
        feed_url=f"https://essagenda.example/essagenda.{fmt}",
        generated_at=NOW,
    )
    date_from = TODAY if window == "upcoming" else None
    count = 0

    def rows():  # type: ignore[no-untyped-def]
        nonlocal count
        for row in iter_events(db, date_from=date_from, include_all=True):
            count += 1
            yield row

    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    size = write_atomic(Path(out), EXPORTERS[fmt](rows(), info, spec))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    peak_mb = peak_rss_mb(after.ru_maxrss / 1024)
    print(json.dumps({"cpu": cpu, "wall": wall, "events": count, "bytes": size, "peak_mb": peak_mb}))


def peak_rss_mb(fallback: float) -> float:
    """Peak RSS of this process image. ru_maxrss would do, but Linux carries the parent's high-water
    mark across fork + exec into it; VmHWM belongs to the new address space only."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return fallback


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """Median CPU and wall time of repeated runs of one export; the highest peak."""
    merged = dict(runs[0])
    for key in ("cpu", "wall"):
        merged[key] = statistics.median(run[key] for run in runs)
    merged["peak_mb"] = max(run["peak_mb"] for run in runs)
    return merged


def run_child(db_path: Path, fmt: str, window: str, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(db_path), fmt, window, str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    measures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return measures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", type=Path, help="keep databases and feeds here (and reuse the databases)")
    parser.add_argument("--child", nargs=4, metavar=("DB", "FORMAT", "WINDOW", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    total = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="essagenda-bench-") as temp:
        work = args.keep or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        results: dict[tuple[int, str, str], dict[str, float]] = {}
        databases = {}
        for size in sizes:
            databases[size] = db_path = work / f"events-{size}.db"
            if stored_count(db_path) == size:
                print(f"reusing {db_path} ({size:,} events)", flush=True)
            else:
                db_path.unlink(missing_ok=True)
                print(f"building {size:,} events ... {build_db(db_path, size):.1f} s", flush=True)
        # The neighbours' load changes from minute to minute and moves CPU time too (shared caches),
        # so the sizes of one export run side by side: the largest on one core while the smaller
        # ones run SMALL_REPEATS times on the other (median kept, as short runs are noisy).
        with ThreadPoolExecutor(max_workers=2) as pool:
            for fmt in FORMATS:
                for window in WINDOWS:
                    futures = {
                        size: [
                            pool.submit(
                                run_child, databases[size], fmt, window, work / f"out-{size}-{window}.{fmt}"
                            )
                            for _ in range(1 if size == sizes[-1] else SMALL_REPEATS)
                        ]
                        for size in reversed(sizes)
                    }
                    for size in sizes:
                        results[size, fmt, window] = measures = median_run(
                            [f.result() for f in futures[size]]
                        )
                        print(
                            f"  {size:>7,} {fmt:4} {window:8} {measures['events']:>7,.0f} events"
                            f" cpu {measures['cpu']:6.2f} s wall {measures['wall']:6.2f} s"
                            f" {measures['peak_mb']:5.0f} MB peak {measures['bytes'] / 1e6:6.1f} MB out",
                            flush=True,
                        )
    failures = report(results, sizes)
    print(f"total {time.perf_counter() - total:.0f} s")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


def report(results: dict[tuple[int, str, str], dict[str, float]], sizes: list[int]) -> list[str]:
    small, large = sizes[0], sizes[-1]
    allowed = MAX_TIME_RATIO * large / small / 10
    print(
        f"\n{'format':6} {'window':9} "
        + " ".join(f"{s:>12,}: events cpu s  MB" for s in sizes)
        + "  cpu ratio  wall ratio"
    )
    failures = []
    for fmt in FORMATS:
        for window in WINDOWS:
            cells = " ".join(
                f"{results[s, fmt, window]['events']:>20,.0f} {results[s, fmt, window]['cpu']:6.2f}"
                f" {results[s, fmt, window]['peak_mb']:5.0f}"
                for s in sizes
            )
            ratio = results[large, fmt, window]["cpu"] / max(results[small, fmt, window]["cpu"], 1e-6)
            wall = results[large, fmt, window]["wall"] / max(results[small, fmt, window]["wall"], 1e-6)
            print(f"{fmt:6} {window:9} {cells}   {ratio:7.1f}x  {wall:9.1f}x")
            if len(sizes) > 1 and ratio > allowed:
                failures.append(
                    f"{fmt} {window}: {large:,} events took {ratio:.1f}x the {small:,} export"
                    f" (limit {allowed:.0f}x)"
                )
            peak = results[large, fmt, window]["peak_mb"]
            if peak > MAX_PEAK_MB:
                failures.append(
                    f"{fmt} {window}: peak memory {peak:.0f} MB at {large:,} events (limit {MAX_PEAK_MB:.0f})"
                )
    return failures


if __name__ == "__main__":
    sys.exit(main())
