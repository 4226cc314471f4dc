"""Where the HTTP cache goes when the project runs from a deployed egg, with no scrapy.cfg around."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from scraper.httpcache import EssCacheStorage


def test_relative_cache_dir_goes_beside_the_database_without_a_project_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scrapyd runs a job in its own working directory, where no scrapy.cfg is found.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    settings = Settings({"HTTPCACHE_DIR": "httpcache", "ESS_DB_PATH": "data/essagenda.db"})
    assert EssCacheStorage(settings).cachedir == str(tmp_path / "data" / "httpcache")


def test_absolute_cache_dir_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings({"HTTPCACHE_DIR": str(tmp_path / "cache"), "ESS_DB_PATH": "data/essagenda.db"})
    assert EssCacheStorage(settings).cachedir == str(tmp_path / "cache")


def test_relative_cache_dir_stays_in_the_project_folder_of_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = scraper.settings\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    settings = Settings({"HTTPCACHE_DIR": "httpcache", "ESS_DB_PATH": "data/essagenda.db"})
    assert EssCacheStorage(settings).cachedir == str(tmp_path / ".scrapy" / "httpcache")
