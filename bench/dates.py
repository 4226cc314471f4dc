"""Benchmark: our French date parser against dateparser on the same strings, speed and accuracy.

Run: .venv/bin/python bench/dates.py   (exits 1 when ours is not at least 20x faster)
"""

from __future__ import annotations

import random
import sys
import time as clock
from datetime import date, datetime, time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.normalize.dates import parse_dates
from pipelines.normalize.fr_data import MONTH_NAMES
from tests.pipelines.normalize.test_dates_table import _EXPECT, CASES

N_STRINGS = 1000
MIN_RATIO = 20.0
REPEATS = 5
MONTHS = list(MONTH_NAMES)
SHORT = ["janv.", "fév.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
PLACES = ["à Toulouse", "en visio", "Maison de l'ESS, Lyon", "salle des fêtes de Rezé", "en ligne", "au Mans"]
TITLES = [
    "Atelier coopératives",
    "Forum emploi ESS",
    "Ciné-débat",
    "Webinaire finance solidaire",
    "Rencontre des tiers-lieux",
    "Conférence régionale",
]


def agenda_strings(n: int, seed: int = 20231114) -> list[str]:
    """`n` agenda phrases in the shapes French event pages use, reproducible from `seed`."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        d = date(rnd.randint(2021, 2026), rnd.randint(1, 12), rnd.randint(1, 28))
        wd, m, y = WEEKDAYS[d.weekday()], MONTHS[d.month - 1], d.year
        h = rnd.randint(8, 19)
        mi = rnd.choice([0, 0, 15, 30])
        hm = f"{h}h{mi:02d}" if mi else f"{h}h"
        end = f"{min(h + rnd.randint(1, 4), 23)}h"
        shape = rnd.randrange(12)
        if shape == 0:
            s = f"{wd.capitalize()} {d.day} {m} {y} | {hm} - {end}"
        elif shape == 1:
            s = f"{d.day:02d}/{d.month:02d}/{y} - {h:02d}:{mi:02d}"
        elif shape == 2:
            s = f"Le {wd} {d.day} {m} de {hm} à {end}"
        elif shape == 3:
            s = f"{wd.capitalize()} {d.day} {m} {y} à {hm}"
        elif shape == 4:
            s = f"Du {d.day} au {min(d.day + rnd.randint(1, 4), 28)} {m} {y}"
        elif shape == 5:
            s = f"Date : {d.day} {m} {y}"
        elif shape == 6:
            s = f"Le {d.day} {SHORT[d.month - 1]} {y}, {rnd.choice(PLACES)}"
        elif shape == 7:
            s = f"{d.isoformat()}T{h:02d}:{mi:02d}:00+01:00"
        elif shape == 8:
            s = f"{rnd.choice(TITLES)} le {d.day} {m} {y} à {hm} {rnd.choice(PLACES)}"
        elif shape == 9:
            s = f"Les {d.day} et {d.day + 1} {m} {y}"
        elif shape == 10:
            s = f"{d.day} {m} {y} {hm}"
        else:
            s = f"{wd} {d.day:02d}/{d.month:02d}/{y} de {hm} à {end}"
        out.append(s)
    return out


def dateparser_settings(reference: date) -> dict[str, object]:
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day),
    }


def speed(strings: list[str]) -> tuple[float, float]:
    import dateparser

    reference = date(2023, 10, 2)
    settings = dateparser_settings(reference)
    parse_dates(strings[0], reference=reference)
    dateparser.parse(strings[0], languages=["fr"], settings=settings)  # first call loads its data

    # CPU time of this process, best of REPEATS, both sides interleaved: on a shared machine wall-clock
    # time mostly measures the other processes, and a burst of load would land on one side only.
    ours = theirs = float("inf")
    for _ in range(REPEATS):
        t0 = clock.process_time()
        for s in strings:
            parse_dates(s, reference=reference)
        ours = min(ours, clock.process_time() - t0)
        t0 = clock.process_time()
        for s in strings:
            dateparser.parse(s, languages=["fr"], settings=settings)
        theirs = min(theirs, clock.process_time() - t0)
    return len(strings) / ours, len(strings) / theirs


def accuracy() -> dict[str, dict[str, float]]:
    """Share of table cases each parser gets right: start day, whole span, times, and non-dates."""
    import dateparser

    scores = {name: {"day": 0, "span": 0, "time": 0} for name in ("ours", "dateparser")}
    dated = nondated = timed = 0
    nondate_ok = {"ours": 0, "dateparser": 0}
    for _group, text, reference, expected in CASES:
        if expected == "-":
            nondated += 1
            nondate_ok["ours"] += parse_dates(text, reference=reference) is None
            nondate_ok["dateparser"] += (
                dateparser.parse(text, languages=["fr"], settings=dateparser_settings(reference)) is None
            )
            continue
        m = _EXPECT.match(expected)
        assert m is not None
        dated += 1
        start = date.fromisoformat(m["s"])
        end = date.fromisoformat(m["e"]) if m["e"] else start
        t0 = time.fromisoformat(m["t0"]) if m["t0"] else None
        t1 = time.fromisoformat(m["t1"]) if m["t1"] else None
        timed += t0 is not None
        ours = parse_dates(text, reference=reference)
        if ours is not None:
            scores["ours"]["day"] += ours.start_date == start
            scores["ours"]["span"] += (ours.start_date, ours.end_date) == (start, end)
            scores["ours"]["time"] += t0 is not None and (ours.start_time, ours.end_time) == (t0, t1)
        theirs = dateparser.parse(text, languages=["fr"], settings=dateparser_settings(reference))
        if theirs is not None:
            scores["dateparser"]["day"] += theirs.date() == start
            scores["dateparser"]["span"] += theirs.date() == start == end
            # dateparser has no end time: only single times can be right
            scores["dateparser"]["time"] += t0 is not None and t1 is None and theirs.time() == t0
    result: dict[str, dict[str, float]] = {}
    for name, s in scores.items():
        result[name] = {
            "start day": s["day"] / dated,
            "span": s["span"] / dated,
            "times": s["time"] / timed,
            "non-dates": nondate_ok[name] / nondated,
        }
    result["counts"] = {"dated": dated, "timed": timed, "non-dates": nondated}
    return result


def main() -> int:
    strings = agenda_strings(N_STRINGS)
    assert len(set(strings)) > N_STRINGS * 0.9
    ours, theirs = speed(strings)
    ratio = ours / theirs
    print(f"strings: {len(strings)} (CPU time, best of {REPEATS} passes each)")
    print(f"ours:       {ours:12,.0f} strings/s")
    print(f"dateparser: {theirs:12,.0f} strings/s")
    print(f"ratio:      {ratio:12.1f}x (required >= {MIN_RATIO:.0f}x)")
    acc = accuracy()
    counts = acc.pop("counts")
    print(
        f"accuracy on the table ({int(counts['dated'])} dated cases, {int(counts['timed'])} with times, "
        f"{int(counts['non-dates'])} non-dates):"
    )
    for name, figures in acc.items():
        print(f"  {name:<11}" + "  ".join(f"{k} {v:6.1%}" for k, v in figures.items()))
    if ratio < MIN_RATIO:
        print("FAIL: our parser is not fast enough", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
