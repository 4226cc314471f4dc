"""Helpers that crawl the offline sample in a subprocess (Scrapy's reactor starts once per process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]


def crawl_sample(
    out: Path, spiders: list[str], *, variant: str | None = None, overlay: Path | None = None,
    settings: dict[str, Any] | None = None, timeout: float = 180,
) -> dict[str, dict[str, Any]]:
    """Crawl `spiders` (registry ids or agenda URLs) against the sample; per spider name:
    {"items": [Event as dict, ISO dates], "stats": Scrapy stats, "requested": real URLs}."""
    out.mkdir(parents=True, exist_ok=True)
    config = out / "crawl.json"
    config.write_text(json.dumps({"out": str(out), "spiders": spiders, "variant": variant,
                                  "overlay": str(overlay) if overlay else None, "settings": settings or {}}))
    result = subprocess.run([sys.executable, "-m", "tests.spiders.samples.runner", str(config)],
                            check=False, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"sample crawl failed ({result.returncode}):\n{result.stderr[-4000:]}")
    runs = {}
    for path in out.glob("*.json"):
        if path.name != "crawl.json":
            runs[path.stem] = json.loads(path.read_text())
    return runs


_CACHE: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}


TRAP_URL = "https://www.cresspaca.org/s-informer/agenda/?mois=2026-10"


def crawl_all_sources() -> dict[str, dict[str, Any]]:
    """Every registry source crawled once per test session (one Scrapy process, ~20 s), with
    crawl rows written to `ALL_SOURCES_DB` by the health extension."""
    import tempfile

    from spiders.registry import load_sources

    names = tuple(s.id for s in load_sources())
    if names not in _CACHE:
        out = Path(tempfile.mkdtemp(prefix="ess-sample-crawl-"))
        runs = crawl_sample(out, list(names), settings={"ESS_DB_PATH": str(out / "health.db")})
        runs["_db"] = {"path": str(out / "health.db")}
        _CACHE[names] = runs
    return _CACHE[names]


def crawl_changed_sites() -> dict[str, dict[str, Any]]:
    """The v2 ("site changed") sample for Bretagne and Occitanie, plus an ad-hoc URL crawl of the
    PACA month calendar (unchanged in v2), in one Scrapy process per test session."""
    import tempfile

    key = ("v2", TRAP_URL)
    if key not in _CACHE:
        out = Path(tempfile.mkdtemp(prefix="ess-sample-v2-"))
        _CACHE[key] = crawl_sample(out, ["cress_bretagne", "cress_occitanie", TRAP_URL], variant="v2")
    return _CACHE[key]
