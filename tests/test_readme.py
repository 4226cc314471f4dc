"""What the README tells an operator holds: the cron line and the set-up of `essagenda serve`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_cron_example_links_the_feeds_to_the_operators_site() -> None:
    cron_lines = [line for line in README.splitlines() if re.match(r"^\S+ \S+ \* \* \*\s", line)]
    assert cron_lines, "the README shows a cron line"
    for line in cron_lines:
        assert "essagenda run" in line and "--site-url" in line, line


def test_serve_is_installed_by_make_as_the_readme_says() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert "datasette" in " ".join(extras["serve"])
    assert re.search(r"pip install -q -e '\.\[[^\]]*\bserve\b", makefile)
    assert "which `make` installs" in README
    assert "pip install 'essagenda[serve]'" not in README, "the package is installed from the checkout"
