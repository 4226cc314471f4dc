"""Benchmark the place parser: lookups per second and the cold cost of loading the gazetteer.

Usage: python bench/places.py [--max-lookup-ms 1.0] [--max-cold-s 1.0] [--rounds 3]

Exits 1 if a lookup averages over --max-lookup-ms or the cold load (import + first lookup, in a
fresh interpreter) takes over --max-cold-s, both in CPU time so that a busy shared runner does not
fail the check. On a CI-class 2-core machine a lookup takes ~0.2-0.4 ms and the cold load
~0.2-0.3 s of CPU, so the default limits leave a 2-3x margin.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHRASES = [
    "à Labège", "Diagora-Labège à Toulouse", "Pessac (33)", "Saint-Denis", "Saint-Pierre (974)",
    "150 rue Pierre Gilles de Gennes, 31670 Labège", "en visio", "100% digital", "webinaire",
    "en présentiel et à distance", "Maison de l'ESS, 12 rue des Olivettes, 44000 Nantes",
    "Salle des fêtes - Plouër-sur-Rance", "Lieu : Tiers-lieu La Mine, Arles", "Rennes (35)",
    "Hôtel de Région, Montpellier", "Le Gosier", "Fort-de-France", "Cayenne", "Mamoudzou", "Ajaccio",
    "en ligne / Zoom", "Paris 20e", "75011 Paris", "Lyon 7e", "13001 Marseille",
    "Conférence organisée par la Ville de Paris à Montreuil", "Vendredi 12 mars à 14h",
    ("Le 25 novembre, à Toulouse\nCoventis : le salon des achats responsables\nDe 9h à 18h à "
    "Diagora-Labège à Toulouse\nCo-organisé tous les deux ans par la CRESS, ce salon de 2 200 m2 "
    "vise à améliorer la visibilité des entreprises de l'ESS."),
]

# CPU time of the child: wall time on a shared 2-core runner swings with its neighbours' load.
COLD = (
    "import time; w0 = time.perf_counter(); t0 = time.process_time();"
    "from pipelines.normalize.places import find_place; t1 = time.process_time();"
    "find_place('à Labège'); t2 = time.process_time(); w2 = time.perf_counter();"
    "print(t1 - t0, t2 - t1, w2 - w0)"
)


def corpus(size: int) -> list[str]:
    """The fixed phrases plus `size` random communes written in five common ways."""
    from pipelines.normalize.gazetteer import load

    gaz = load()
    rng = random.Random(7)
    communes = [c for i in rng.sample(sorted(gaz), size) if (c := gaz.commune(i))]
    out = list(PHRASES)
    for n, c in enumerate(communes):
        code = c.postal_codes[0] if c.postal_codes else ""
        out.append([
            f"à {c.name}",
            f"{c.name} ({c.department})",
            f"Salle des fêtes, {c.name}",
            f"1 place de la Mairie, {code} {c.name}",
            f"Le 4 mai, {c.name}",
        ][n % 5])
    return out


def bench_lookups(texts: list[str], rounds: int) -> tuple[float, float]:
    from pipelines.normalize.places import find_place

    for text in texts:  # warm: load the gazetteer, fill caches
        find_place(text, region_hint="76")
    timings = []
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            find_place(text, region_hint="76")
        timings.append((time.process_time() - start) / len(texts))
    per_lookup = statistics.median(timings)
    return per_lookup, 1 / per_lookup


def bench_cold(rounds: int) -> tuple[float, float, float]:
    """Median (import CPU s, first lookup CPU s, wall s) over `rounds` fresh interpreters."""
    imports, firsts, walls = [], [], []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, check=True, capture_output=True, text=True)
        imp, first, wall = (float(x) for x in out.stdout.split())
        imports.append(imp)
        firsts.append(first)
        walls.append(wall)
    return statistics.median(imports), statistics.median(firsts), statistics.median(walls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-lookup-ms", type=float, default=1.0)
    parser.add_argument("--max-cold-s", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=2000, help="random communes in the lookup corpus")
    args = parser.parse_args(argv)

    imp, first, wall = bench_cold(args.rounds)
    cold = imp + first
    texts = corpus(args.size)
    per_lookup, rate = bench_lookups(texts, args.rounds)
    data = ROOT / "pipelines" / "normalize" / "data" / "communes.json.gz"

    rows = [
        ("data file size", f"{data.stat().st_size / 1024:.0f} KiB", ""),
        ("import places (no data read), CPU", f"{imp * 1000:.0f} ms", ""),
        ("first lookup (loads gazetteer), CPU", f"{first * 1000:.0f} ms", ""),
        ("cold total, CPU", f"{cold * 1000:.0f} ms", f"limit {args.max_cold_s * 1000:.0f} ms"),
        ("cold total, wall", f"{wall * 1000:.0f} ms", "for information: depends on machine load"),
        ("lookup, warm (mean CPU)", f"{per_lookup * 1000:.3f} ms", f"limit {args.max_lookup_ms:.3f} ms"),
        ("lookups per CPU second", f"{rate:,.0f}", f"{len(texts)} texts x {args.rounds}"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>12}  {note}")
    failed = per_lookup * 1000 > args.max_lookup_ms or cold > args.max_cold_s
    if failed:
        print("FAIL: over the limit", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
