"""`essagenda export` writes the widgets with the programme: every scope, upcoming only, and a
filtered export only its filter's."""

from __future__ import annotations

from pathlib import Path

from tests.scraper.test_export_scopes import _export, db_path  # noqa: F401  (the fixture)


def _widgets(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in (out / "embed").rglob("*") if p.is_file()} if (out / "embed").exists() else set()


def test_export_writes_every_widget_with_upcoming_events_only(db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "public"
    _export(db_path, out, "--all")
    assert len(_widgets(out)) == 18 + 101
    bretagne = (out / "embed" / "region" / "53-bretagne.html").read_text(encoding="utf-8")
    assert "Rencontres de l&#x27;ESS de Rennes" in bretagne
    assert "Bilan de l" not in bretagne  # 2 October: past on 10 November, even with --all
    assert "Rennes" in (out / "embed" / "departement" / "35.html").read_text(encoding="utf-8")
    assert "Rennes" not in (out / "embed" / "region" / "76-occitanie.html").read_text(encoding="utf-8")
    assert 'href="../../region/53-bretagne.html"' in bretagne
    assert (out / "region" / "53-bretagne.html").exists()
    before = (out / "embed" / "region" / "53-bretagne.html").stat().st_mtime_ns
    _export(db_path, out)
    assert (out / "embed" / "region" / "53-bretagne.html").stat().st_mtime_ns == before  # unchanged: not rewritten


def test_a_filtered_export_writes_only_its_widgets(db_path: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "public"
    _export(db_path, out, "--department", "35")
    assert _widgets(out) == {"embed/departement/35.html"}
    out = tmp_path / "other"
    _export(db_path, out, "--region", "Bretagne")
    assert _widgets(out) == {"embed/region/53-bretagne.html", "embed/departement/22.html",
                             "embed/departement/29.html", "embed/departement/35.html",
                             "embed/departement/56.html"}
    out = tmp_path / "feeds-only"
    _export(db_path, out, "--format", "rss")
    assert _widgets(out) == set()
