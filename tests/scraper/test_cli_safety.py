"""Typos and bad days at the command line: errors that name the problem, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import scraper.crawl
from scraper.cli import cli


def test_a_database_in_a_missing_folder_is_refused_and_the_folder_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "mistyped" / "deeper"
    result = CliRunner().invoke(cli, ["crawl", "--db", str(missing / "x.db"), "cress_bretagne"])
    assert result.exit_code == 2
    assert str(tmp_path / "mistyped" / "deeper") in result.output
    assert not (tmp_path / "mistyped").exists()


def test_the_default_database_folder_is_still_accepted_when_missing(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["history", "evt-0"])
    assert "Invalid value for --db" not in result.output


@pytest.mark.parametrize("window", [["--from", "2026-12-01", "--to", "2026-11-01"], ["--to", "2001-01-01"]])
def test_an_empty_or_inverted_export_window_is_an_error_and_writes_nothing(tmp_path: Path, window: list[str]) -> None:
    db = tmp_path / "essagenda.db"
    db.touch()
    out = tmp_path / "public"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(out), *window])
    assert result.exit_code == 2, result.output
    assert "holds no day" in result.output
    assert not out.exists()


def test_a_bad_json_line_reports_its_own_number_and_no_other_lines_id() -> None:
    lines = [
        json.dumps({"id": "first", "text": "le 3 mars à Lille", "context_date": "2024-01-10"}),
        "{ not json",
        json.dumps({"id": "third", "text": "le 5 mars", "context_date": "2024-01-10"}),
    ]
    result = CliRunner().invoke(cli, ["parse"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    first, bad, third = (json.loads(line) for line in result.output.splitlines())
    assert first["id"] == "first" and third["id"] == "third"
    assert bad["id"] is None and bad["error"].startswith("line 2:")


def test_run_refuses_an_output_folder_it_cannot_write_before_crawling(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    crawled: list[Any] = []
    monkeypatch.setattr(scraper.crawl, "run_crawl", lambda *a, **k: crawled.append(a) or [])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli, ["run", "--db", str(tmp_path / "x.db"), "--out", str(blocker / "public")])
    assert result.exit_code == 3, result.output
    assert "cannot write the output folder" in result.output and str(blocker) in result.output
    assert crawled == []


def test_run_prints_the_sources_summary_before_the_export_and_even_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scraper.cli

    outcome = scraper.crawl.SourceOutcome(source="cress_bretagne", status="ok", pages=3, events=7)
    monkeypatch.setattr(scraper.crawl, "run_crawl", lambda *a, **k: [outcome])

    def failing_export(*_a: Any, **_k: Any) -> None:
        scraper.cli.click.echo("essagenda: export failed: disk full", err=True)
        raise SystemExit(3)

    monkeypatch.setattr(scraper.cli, "_export", failing_export)
    result = CliRunner().invoke(cli, ["run", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "public")])
    assert result.exit_code == 3
    assert result.output.index("cress_bretagne: OK") < result.output.index("export failed")


@pytest.mark.parametrize("command", ["run", "export"])
def test_an_output_folder_that_would_publish_the_database_is_refused(tmp_path: Path, command: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scraper.crawl, "run_crawl", lambda *a, **k: pytest.fail("crawled"))
    web_root = tmp_path / "www"
    web_root.mkdir()
    (web_root / "essagenda.db").touch()
    result = CliRunner().invoke(cli, [command, "--db", str(web_root / "essagenda.db"), "--out", str(web_root)])
    assert result.exit_code == 2, result.output
    assert "would publish the database" in result.output


def test_the_demo_works_in_its_own_folder_by_default() -> None:
    out = next(p for p in cli.commands["demo"].params if p.name == "out_dir")
    assert out.default == "demo-output"
