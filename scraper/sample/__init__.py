"""Offline copy of the source sites, served by `essagenda demo` and the spider tests
(written by `python -m tools.sample.build` from the event table in `tools/sample/events.py`)."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent
SITES_DIR = SAMPLE_DIR / "sites"
SAMPLE_CRAWL_DATE = "2026-10-15"
"""The day the sample stands for: its events are dated around it (ESS_CRAWL_DATE for the demo)."""
SAMPLE_V2_CRAWL_DATE = "2026-10-17"
"""The day the changed sites (`variant="v2"`, modified 16 October) are crawled: a later crawl."""
