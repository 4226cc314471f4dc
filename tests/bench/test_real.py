"""bench/real.py: its scoring on hand-written cases, and a full run on ../shared when present."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ESSAGENDA_SHARED", ROOT.parent / "shared"))


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_real", ROOT / "bench" / "real.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_real"] = module
    spec.loader.exec_module(module)
    return module


real = _load_bench()


def test_commune_names_fold_case_accents_and_hyphens() -> None:
    assert real.same_commune("saint etienne", "Saint-Étienne")
    assert real.same_commune("L'Isle-d'Abeau", "l isle d abeau")
    assert not real.same_commune("Saint-Denis", "Saint-Paul")
    assert not real.same_commune(None, "Lyon")


def test_phrasing_tags_are_folded_and_split() -> None:
    assert real.tags_of("relative-day (demain); Past ; past") == ["relative day", "past"]
    assert real.tags_of(None) == []


def test_announcement_scores() -> None:
    records = [
        {"id": "a", "phrasing": "range; postal code",
         "expected": {"start_date": "2030-05-02", "end_date": "2030-05-04", "start_time": None,
                      "end_time": None, "city": "Saint-Étienne", "online": False}},
        {"id": "b", "phrasing": "past",
         "expected": {"start_date": "2030-01-10", "end_date": None, "start_time": "18:00",
                      "end_time": "20:00", "city": None, "online": True}},
        {"id": "c", "phrasing": "past",
         "expected": {"start_date": "2030-03-01", "end_date": None, "start_time": None,
                      "end_time": None, "city": None, "online": None}},
    ]
    outputs = {
        # right span, right commune written another way, no attendance (= in person)
        "a": {"start_date": "2030-05-02", "end_date": "2030-05-04", "start_time": None, "end_time": None,
              "city": "saint etienne", "attendance": None},
        # one day written as start = end; end time missing; a commune invented; online right
        "b": {"start_date": "2030-01-10", "end_date": "2030-01-10", "start_time": "18:00", "end_time": None,
              "city": "Lyon", "attendance": "online"},
        # "c" has no output: wrong on everything it is judged on
    }
    overall, by_tag, judged = real.score_announcements(records, outputs)
    assert (overall.texts, overall.date_right, overall.times_right) == (3, 2, 1)
    assert (overall.named, overall.commune_right) == (1, 1)
    assert (overall.unnamed, overall.commune_invented) == (2, 1)
    assert (overall.online_known, overall.online_right) == (2, 2)
    assert by_tag["past"].texts == 2 and by_tag["past"].date_right == 1
    assert by_tag["postal code"].commune_right == 1
    assert judged[1][2]["times"] is False


def test_page_matching_and_scores() -> None:
    page = {
        "file": "x.html", "notes": "",
        "expected": [
            {"title": "Assemblée générale de l'association", "start_date": "2030-06-12", "end_date": None,
             "start_time": "18:30", "end_time": None, "city": "Rennes", "online": False},
            {"title": "Fête de quartier", "start_date": "2030-06-20", "end_date": "2030-06-21",
             "start_time": None, "end_time": None, "city": None, "online": False},
            {"title": "Atelier couture", "start_date": "2030-07-01", "end_date": None,
             "start_time": None, "end_time": None, "city": None, "online": False},
        ],
    }
    events = [
        {"title": "Assemblee generale", "start": "2030-06-12T18:30:00+02:00", "end": None, "city": "Rennes"},
        {"title": "Fête de quartier !", "start": "2030-06-20", "end": "2030-06-20", "city": "Brest"},
        {"title": "Newsletter de juin", "start": "2030-06-01", "end": None, "city": None},
    ]
    tally = real.score_page(page, events)
    assert (tally.labelled, tally.found, tally.span_right, tally.times_right) == (3, 2, 1, 2)
    assert (tally.named, tally.commune_right, tally.commune_invented) == (1, 1, 1)
    assert (tally.not_events, tally.unlabelled) == (1, 0)
    partial = real.score_page({**page, "notes": "Partial: 3 of 9 labelled."}, events)
    assert (partial.not_events, partial.unlabelled) == (0, 1)


def test_without_shared_material_the_bench_says_so(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "real.py"), "--shared", str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "no real material" in proc.stdout


def test_bench_runs_on_the_shared_material() -> None:
    if not (SHARED / "corpus" / "real_announcements.jsonl").exists():
        if os.environ.get("ESSAGENDA_REQUIRE_SHARED") == "1":
            pytest.fail(f"ESSAGENDA_REQUIRE_SHARED=1 but {SHARED}/corpus is absent")
        pytest.skip(f"no real material at {SHARED} (../shared beside the checkout)")
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "real.py"), "--shared", str(SHARED)],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    tail = proc.stdout.splitlines()[-6:]
    assert any(line.startswith("ANNOUNCEMENTS, all") for line in tail)
    assert any(line.startswith("PAGES, all") for line in tail)


def test_a_hybrid_event_is_online_too() -> None:
    expected = {"start_date": "2030-02-01", "end_date": None, "start_time": None, "end_time": None,
                "city": None, "online": True}
    got = {"start_date": "2030-02-01", "end_date": "2030-02-01", "attendance": "mixed"}
    assert real.judge_announcement(expected, got)["online"] is True
    assert real.extracted_fields({"title": "x", "start": "2030-02-01", "attendance": "mixed"})["online"] is True
