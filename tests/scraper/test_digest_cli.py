"""`essagenda digest`, and the weekly digests `essagenda export` writes beside the feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from pipelines.normalize.fr_data import REGIONS
from scraper.cli import cli
from storage.db import open_db
from storage.write import upsert_events
from tests.storage.helpers import PARIS, T0, forum, forum_rennes


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "essagenda.db"
    path.parent.mkdir()
    db = open_db(path)
    upsert_events(db, [
        forum(),  # Labège, Occitanie, Thursday 19 November 2026 (2026-W47)
        forum(source="cress_occitanie", id="cress_occitanie:2", url="https://cress-occitanie.example/annule",
              title='<script>alert("x")</script>Atelier', status="cancelled",
              start=datetime(2026, 11, 17, 14, 0, tzinfo=PARIS), end=None),
        forum_rennes(),
    ], seen_at=T0)
    db.close()
    return path


def _invoke(*args: str) -> tuple[int, str]:
    with freeze_time(datetime(2026, 11, 18, 8, 0, tzinfo=UTC)):
        result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_digest_writes_the_weeks_html_and_markdown(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "news"
    code, output = _invoke("digest", "--db", str(db_path), "--out", str(out), "--region", "Occitanie",
                           "--week", "2026-W47")
    assert code == 0, output
    html = (out / "digest" / "76-occitanie-2026-W47.html").read_text(encoding="utf-8")
    markdown = (out / "digest" / "76-occitanie-2026-W47.md").read_text(encoding="utf-8")
    assert str(out / "digest" / "76-occitanie-2026-W47.html") in output
    assert "Mardi 17 novembre</h2>" in html and "Jeudi 19 novembre</h2>" in html
    assert html.index("Mardi 17 novembre") < html.index("Jeudi 19 novembre")
    assert ">Annulé</span>" in html and "<script" not in html and "&lt;script&gt;" in html
    assert "Rennes" not in html
    assert "## Jeudi 19 novembre" in markdown and "[Forum de l'économie sociale" in markdown
    assert not list(out.rglob("*.tmp"))


def test_digest_defaults_to_the_current_week_and_national_scope(db_path: Path, tmp_path: Path) -> None:
    code, output = _invoke("digest", "--db", str(db_path), "--out", str(tmp_path / "o"))
    assert code == 0, output
    national = (tmp_path / "o" / "digest" / "essagenda-2026-W47.md").read_text(encoding="utf-8")
    assert "Rennes" in national and "Labège" in national
    code, output = _invoke("digest", "--db", str(db_path), "--out", str(tmp_path / "o"), "--department", "35",
                           "--week", "2026-W01")
    assert code == 0, output
    assert "Aucun événement annoncé cette semaine." in (
        tmp_path / "o" / "digest" / "departement" / "35-2026-W01.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("options", [
    ("--week", "2026-W60"), ("--week", "2027-W53"), ("--week", "46"), ("--region", "Atlantide"),
    ("--department", "999"),
])
def test_digest_refuses_bad_options_with_exit_2(db_path: Path, tmp_path: Path, options: tuple[str, ...]) -> None:
    code, output = _invoke("digest", "--db", str(db_path), "--out", str(tmp_path / "o"), *options)
    assert code == 2, output
    assert not (tmp_path / "o").exists()


def test_export_writes_one_digest_per_region_for_the_current_week(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    code, output = _invoke("export", "--db", str(db_path), "--out", str(out))
    assert code == 0, output
    written = sorted(p.relative_to(out / "digest").as_posix() for p in (out / "digest").rglob("*") if p.is_file())
    assert len(written) == 2 * len(REGIONS)
    assert "76-occitanie-2026-W47.html" in written and "53-bretagne-2026-W47.md" in written
    assert all(name.endswith(("-2026-W47.html", "-2026-W47.md")) for name in written)
    assert "Labège" in (out / "digest" / "76-occitanie-2026-W47.html").read_text(encoding="utf-8")
    assert "Aucun événement" in (out / "digest" / "84-auvergne-rhone-alpes-2026-W47.md").read_text(encoding="utf-8")


def test_a_filtered_export_writes_only_its_filters_digest(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    code, output = _invoke("export", "--db", str(db_path), "--out", str(out), "--region", "53")
    assert code == 0, output
    assert sorted(p.name for p in (out / "digest").rglob("*") if p.is_file()) == [
        "53-bretagne-2026-W47.html", "53-bretagne-2026-W47.md"]
    code, output = _invoke("export", "--db", str(db_path), "--out", str(tmp_path / "dept"), "--department", "31")
    assert code == 0, output
    assert sorted(p.name for p in (tmp_path / "dept" / "digest").rglob("*") if p.is_file()) == [
        "31-2026-W47.html", "31-2026-W47.md"]


def test_format_digest_writes_the_digests_alone(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    code, output = _invoke("export", "--db", str(db_path), "--out", str(out), "--format", "digest")
    assert code == 0, output
    assert {p.parent.name for p in out.rglob("*") if p.is_file()} == {"digest"}
