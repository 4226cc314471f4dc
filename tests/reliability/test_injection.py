"""SQL is parameterized everywhere a user value reaches it: storage filters and every CLI filter."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reliability.conftest import ROOT, crawl_env

SQL_PAYLOADS = [
    "' OR '1'='1",
    "84' OR 1=1 --",
    "69'); DROP TABLE events; --",
    '" OR ""="',
    "%' OR 'a' LIKE '%",
    "69\x00' OR 1=1",
    "1 UNION SELECT name, sql FROM sqlite_master --",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inject") / "agenda.db"
    subprocess.run([sys.executable, "-m", "tests.reliability.writer", str(path), "0.2", "25"], cwd=ROOT,
                   env=crawl_env(), check=True, capture_output=True)
    return path


def _snapshot(db: Path) -> tuple[object, ...]:
    con = sqlite3.connect(db)
    try:
        schema = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        counts = tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("events", "event_sources", "event_changes", "crawls"))
        return (schema, counts)
    finally:
        con.close()


@pytest.mark.parametrize("payload", SQL_PAYLOADS)
def test_storage_filters_bind_values(db: Path, payload: str) -> None:
    from storage.db import open_db
    from storage.read import iter_events

    before = _snapshot(db)
    handle = open_db(db)
    try:
        # The same filters with honest values do match (so the empty results below mean something).
        assert list(iter_events(handle, region="84")) and list(iter_events(handle, department="69"))
        assert list(iter_events(handle, region=payload)) == []
        assert list(iter_events(handle, department=payload)) == []
        assert list(iter_events(handle, region=payload, department=payload, include_all=True)) == []
    finally:
        handle.close()
    assert _snapshot(db) == before


@pytest.mark.parametrize("payload", SQL_PAYLOADS)
def test_cli_filters_bind_values(db: Path, tmp_path: Path, payload: str) -> None:
    from scraper.cli import cli

    before = _snapshot(db)
    runner = CliRunner()
    out = tmp_path / "out"
    base = ["export", "--db", str(db), "--out", str(out), "--format", "json"]

    reg = runner.invoke(cli, [*base, "--region", payload])
    assert reg.exit_code != 0 and "région" in reg.output, reg.output
    assert reg.exception is None or isinstance(reg.exception, SystemExit), reg.exception

    day = runner.invoke(cli, [*base, "--from", f"2026-01-01{payload}"])
    assert day.exit_code == 2, day.output  # usage error, not an SQL error

    hist = runner.invoke(cli, ["history", payload, "--db", str(db)])
    assert hist.exit_code == 1 and "no event" in hist.output, hist.output

    assert _snapshot(db) == before


def test_cli_department_filter_binds_values(db: Path, tmp_path: Path) -> None:
    from scraper.cli import cli

    before = _snapshot(db)
    runner = CliRunner()
    for payload in SQL_PAYLOADS:
        out = tmp_path / str(SQL_PAYLOADS.index(payload))
        dep = runner.invoke(cli, ["export", "--db", str(db), "--out", str(out), "--format", "json",
                                  "--department", payload])
        # Either refused with a message, or feeds with none of the events: never every event.
        assert dep.exception is None or isinstance(dep.exception, SystemExit), repr(dep.exception)
        if dep.exit_code == 0:
            for feed in out.rglob("*.json"):
                assert json.loads(feed.read_bytes())["items"] == [], feed
        else:
            assert dep.exit_code in (1, 2, 3) and "partement" in dep.output, dep.output
    assert _snapshot(db) == before
