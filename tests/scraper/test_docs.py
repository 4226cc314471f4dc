"""The README stays true: every setting documented, the set-up commands exist, CI runs the test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_environment_setting_is_documented() -> None:
    names = set()
    for path in (REPO / "scraper" / "settings.py", REPO / "scraper" / "cli.py"):
        names |= set(re.findall(r"""(?:getenv\(|envvar=)\s*["'](ESS_[A-Z_]+)["']""", path.read_text()))
    assert names, "no ESS_* variable found: the pattern is stale"
    missing = sorted(n for n in names if f"`{n}`" not in README)
    assert not missing, f"undocumented settings: {missing}"


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_readme_lists_the_sources_as_the_registry_has_them() -> None:
    from spiders.registry import sources_markdown

    assert sources_markdown() in README
