"""Commands end to end: `extract` on a saved file, `crawl --url` on a copy of a site, `history`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "extract"


def test_extract_prints_one_normalized_event_per_line() -> None:
    result = CliRunner().invoke(cli, ["extract", str(FIXTURES / "agenda.ics"), "--context-date", "2021-10-01"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines()]
    assert len(events) >= 3
    first = events[0]
    assert first["start"] == "2021-11-04T09:00:00+01:00" and first["insee"] == "31555"
    for key in ("title", "start", "end", "all_day", "timezone", "venue", "city", "insee", "department", "region",
                "attendance", "online_url", "status", "url"):
        assert key in first
    assert any(e["attendance"] == "online" and e["online_url"] for e in events)


def test_extract_reports_an_unreadable_path_without_traceback() -> None:
    result = CliRunner().invoke(cli, ["extract", "/nonexistent/page.html"])
    assert result.exit_code == 1 and "cannot read" in result.output


@pytest.fixture(scope="module")
def sample_base() -> str:
    from scraper.sample.server import serve_sample

    server, base = serve_sample(port=0)
    yield base
    server.shutdown()


def test_crawl_url_on_a_copy_of_a_sample_site_then_history(sample_base: str, tmp_path: Path) -> None:
    db = tmp_path / "essagenda.db"
    env = {**os.environ, "ESS_BASE_URL_OVERRIDE": sample_base, "ESS_CRAWL_DATE": "2026-10-15",
           "ESS_DOWNLOAD_DELAY": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "crawl", "--url", "https://www.ess-bretagne.org/", "--db", str(db),
         "--no-progress"],
        check=False, capture_output=True, text=True, cwd=REPO, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "url_ess_bretagne_org: OK" in result.stderr
    with sqlite3.connect(db) as conn:
        count, event_id = conn.execute("select count(*), min(id) from events").fetchone()
        assert count >= 5
        assert conn.execute("select count(*) from event_sources where url like '%127.0.0.1%'").fetchone()[0] == 0
    history = CliRunner().invoke(cli, ["history", event_id, "--db", str(db)])
    assert history.exit_code == 0, history.output
    data = json.loads(history.output)
    assert data["sources"] and "changes" in data
    missing = CliRunner().invoke(cli, ["history", "evt-nope", "--db", str(db)])
    assert missing.exit_code == 1 and "no event" in missing.output
