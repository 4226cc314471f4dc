"""Shared helpers for the reliability tests: environment for short crawls, CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Short limits so faults cost seconds, not minutes (settings.py reads these).
FAST_ENV = {
    "ESS_DOWNLOAD_TIMEOUT": "2",
    "ESS_DOWNLOAD_DELAY": "0",
    "ESS_DOWNLOAD_MAXSIZE": str(1024 * 1024),
    "ESS_LOG_LEVEL": "INFO",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "PYTHONUNBUFFERED": "1",
}


def crawl_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESS_")}
    env.update(FAST_ENV)
    env.update(extra)
    return env


def essagenda(*args: str, env: dict[str, str] | None = None, timeout: float = 90,
              ) -> subprocess.CompletedProcess[str]:
    """Run the CLI as cron would: a fresh process, output captured."""
    return subprocess.run(
        [sys.executable, "-c", "from scraper.cli import cli; cli(prog_name='essagenda')", *args],
        cwd=ROOT, env=env or crawl_env(), capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture
def env() -> dict[str, str]:
    return crawl_env()
