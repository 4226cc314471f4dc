"""Start-up cost: `essagenda --help` and `essagenda sources` against a bare `import click`.

Runs each command alternately in fresh interpreters, on compiled bytecode as an installed
essagenda has it, and compares medians measured in the same run.
Target: `essagenda --help` within 1.2x of `python -c "import click"`. Exits 1 when missed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
ROUNDS = 15
TARGET = 1.2


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    from compiled import compiled_env

    env = compiled_env()
    db = Path(tempfile.mkdtemp()) / "none.db"
    commands = {
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "essagenda --help": [sys.executable, "-m", "scraper.cli", "--help"],
        "essagenda sources": [sys.executable, "-m", "scraper.cli", "sources", "--json", "--db", str(db)],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for name, args in commands.items():
        timed(args, env)  # warm the file cache
    for _ in range(ROUNDS):
        for name, args in commands.items():
            samples[name].append(timed(args, env))
    base = statistics.median(samples["python -c 'import click'"])
    print(f"{'command':28} {'median ms':>10} {'ratio':>7}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:28} {median * 1000:10.1f} {median / base:7.2f}")
    ratio = statistics.median(samples["essagenda --help"]) / base
    ok = ratio <= TARGET
    print(f"essagenda --help / import click = {ratio:.2f} (target <= {TARGET}): {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
