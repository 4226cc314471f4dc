"""The CLI: every command documented, cheap to start, and safe against overlapping runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.lock import EXIT_LOCKED, LockBusy, run_lock

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_commands_have_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from scraper.cli import cli; "
        "sys.argv=['essagenda','--help']\n"
        "try:\n cli()\nexcept SystemExit: pass\n"
        "heavy=[m for m in ('scrapy','twisted','dateparser','pipelines.normalize.gazetteer','sqlite_utils') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_sources_command_does_not_import_scrapy(tmp_path: Path) -> None:
    code = (
        "import sys; from scraper.cli import cli\n"
        f"sys.argv=['essagenda','sources','--json','--db',{str(tmp_path / 'none.db')!r}]\n"
        "try:\n cli()\nexcept SystemExit: pass\n"
        "print([m for m in ('scrapy','twisted','dateparser','pipelines.normalize.gazetteer') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[-1] == "[]"
    rows = [json.loads(line) for line in lines[:-1]]
    assert len(rows) >= 19
    assert {"source", "region", "url", "last_crawl", "events", "status"} <= set(rows[0])


def test_second_run_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    db = tmp_path / "essagenda.db"
    with run_lock(db):
        with pytest.raises(LockBusy), run_lock(db):
            pass
        result = subprocess.run(
            [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "cress_bretagne"],
            check=False, capture_output=True, text=True, cwd=REPO,
        )
    assert result.returncode == EXIT_LOCKED
    assert "another essagenda run holds" in result.stderr
    assert not db.exists()


def test_crawl_rejects_unknown_source_and_non_http_url(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["crawl", "--db", str(tmp_path / "x.db"), "cress_atlantide"])
    assert result.exit_code == 2 and "unknown source" in result.output
    result = runner.invoke(cli, ["crawl", "--db", str(tmp_path / "x.db"), "--url", "file:///etc/passwd"])
    assert result.exit_code == 2 and "only http and https" in result.output


def test_parse_reads_text_and_json_lines() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["parse", "Le 4 novembre en visio, de 9h à 12h30", "--context-date", "2021-10-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["start_date"] == "2021-11-04" and data["start_time"] == "09:00" and data["end_time"] == "12:30"
    assert data["attendance"] == "online"
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "a", "text": "Du 30 novembre au 2 décembre, Montpellier", "context_date": "2021-10-01"},
        {"id": "b", "text": "pas de date ici", "context_date": "2021-10-01"},
    ))
    result = runner.invoke(cli, ["parse"], input=lines + "\n")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["id"] == "a" and (first["start_date"], first["end_date"]) == ("2021-11-30", "2021-12-02")
    assert first["insee"] == "34172" and first["department"] == "34"
    for key in ("id", "start_date", "end_date", "start_time", "end_time", "all_day", "mentions", "city",
                "insee", "department", "region", "attendance"):
        assert key in first
    assert second["id"] == "b" and second["start_date"] is None and second["mentions"] == []


def test_parse_takes_a_reference_of_year_or_month_precision() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["parse", "la fête du 3 février", "--context-date", "2019"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["start_date"] == "2019-02-03"
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"id": "y", "text": "le 3 février", "context_date": "2019"},
        {"id": "m", "text": "le 3 février", "context_date": "2019-02"},
        {"id": "bad", "text": "le 3 février", "context_date": "19/02"},
    ))
    result = runner.invoke(cli, ["parse"], input=lines + "\n")
    year, month, bad = (json.loads(line) for line in result.output.splitlines())
    assert year["start_date"] == month["start_date"] == "2019-02-03"
    assert bad["id"] == "bad" and "YYYY" in bad["error"]
    result = runner.invoke(cli, ["parse", "le 3 février", "--context-date", "2019-2-3"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("text", "day", "city"),
    [
        # the commune belongs to the other day's sentence; the event's own names only a venue
        (("Samedi 15 juillet, rendez-vous à l'esplanade du lac de 8h à 17h pour le vide-grenier. "
         "Le 16 juillet Pessac accueille le bal des pompiers."), "2023-07-15", None),
        # the place of the plan that was changed is not the event's
        ("Prévu à Lyon le 5 juin, le forum a été reporté au 9 octobre et se tiendra en ligne.", "2023-10-09", None),
        # the event's own sentence names its commune
        ("Samedi 15 juillet, vide-grenier à Talence. Le 16 juillet Pessac accueille le bal des pompiers.",
         "2023-07-15", "Talence"),
        # a past report, a deadline and the same day written again keep their commune
        (("La saison du théâtre de Pessac a été présentée le 14 juin. Le premier spectacle sera joué le "
         "20 septembre."), "2023-09-20", "Pessac"),
        ("Inscriptions avant le 10 novembre à la mairie de Pessac. Atelier compost le 18 novembre.",
         "2023-11-18", "Pessac"),
        # a registration date dates no event, and a date ending with its own stop keeps its sentence short
        ("La semaine du jeu se tient du 6 au 12 novembre. Les inscriptions à Pessac ouvrent dès ce lundi 23 octobre.",
         "2023-11-06", "Pessac"),
        (("Concert de la chorale, dimanche 19 novembre à 16h\nmer. 8 nov. / La chorale chantera en l'église de "
         "Talence, le dimanche 19 novembre à 16h."), "2023-11-19", "Talence"),
    ],
)
def test_parse_leaves_a_commune_to_the_other_event_it_belongs_to(text: str, day: str, city: str | None) -> None:
    result = CliRunner().invoke(cli, ["parse", text, "--context-date", "2023-06-01", "--region", "75"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["start_date"], data["city"]) == (day, city)
