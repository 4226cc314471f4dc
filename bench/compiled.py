"""Environment for the benchmarks' child processes: compiled bytecode, as an installed essagenda has.

pip compiles a package's modules when it installs it, and a checkout writes `__pycache__/` on its
first run; a shell with PYTHONDONTWRITEBYTECODE set would instead have every child compile
essagenda's modules from source again (about 50 ms a crawl), which no user pays.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def compiled_env(**overrides: str) -> dict[str, str]:
    """os.environ with bytecode writing allowed and `overrides`, after compiling the project's packages."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(overrides)
    packages = sorted(str(p.name) for p in REPO.iterdir() if (p / "__init__.py").is_file() and p.name != "tests")
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


def sample_run_env(base: str) -> dict[str, str]:
    """The environment of a crawl or cron run pointed at the local sample at `base`, its day fixed
    as the sample's: production settings otherwise (politeness, no HTTP cache override)."""
    from scraper.sample import SAMPLE_CRAWL_DATE

    env = compiled_env(ESS_BASE_URL_OVERRIDE=base, ESS_CRAWL_DATE=SAMPLE_CRAWL_DATE,
                       TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
    for key in ("ESS_DOWNLOAD_DELAY", "ESS_HTTPCACHE", "ESS_REVALIDATE", "ESS_REFRESH"):
        env.pop(key, None)
    return env
