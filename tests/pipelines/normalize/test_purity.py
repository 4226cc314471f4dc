"""Pure modules never import Scrapy, Twisted or logging and never read the clock (AST walk)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PURE_DIRS = ("pipelines/normalize", "spiders/extract", "storage/exporters")
BANNED_MODULES = {"scrapy", "twisted", "itemadapter", "logging"}
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def _pure_files() -> list[Path]:
    return sorted(p for d in PURE_DIRS for p in (REPO / d).rglob("*.py"))


def _dotted(node: ast.AST) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return parts[::-1]


def violations(source: str) -> list[str]:
    """Banned imports and clock reads in a module's source, as 'line: what' strings."""
    found: list[str] = []
    clock_names: set[str] = set()  # names bound by "from time import time" and the like
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in BANNED_MODULES:
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in BANNED_MODULES:
                found.append(f"{node.lineno}: from {node.module} import")
            for alias in node.names:
                if (node.module, alias.name) in CLOCK_CALLS:
                    clock_names.add(alias.asname or alias.name)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        path = _dotted(node.func)
        if len(path) >= 2 and (path[-2], path[-1]) in CLOCK_CALLS:
            found.append(f"{node.lineno}: {'.'.join(path)}()")
        elif len(path) == 1 and path[0] in clock_names:
            found.append(f"{node.lineno}: {path[0]}()")
    return found


def test_pure_dirs_have_modules() -> None:
    assert (REPO / "pipelines/normalize/dates.py") in _pure_files()


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_module_is_pure(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import scrapy",
        "from scrapy.http import HtmlResponse",
        "import twisted.internet",
        "from itemadapter import ItemAdapter",
        "import logging",
        "import datetime\nx = datetime.datetime.now()",
        "from datetime import datetime\nx = datetime.now()",
        "from datetime import date\nx = date.today()",
        "import time\nx = time.time()",
        "from time import time\nx = time()",
        "from time import time as clock\nx = clock()",
        "from datetime import datetime\nx = datetime.utcnow()",
    ],
)
def test_checker_catches(source: str) -> None:
    assert violations(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import date\nx = date(2021, 11, 4)",
        "from datetime import datetime\nx = datetime.fromisoformat('2021-11-04')",
        "import time as t\nx = t.struct_time",
        "def now():\n    return 1\nx = now()",
    ],
)
def test_checker_allows(source: str) -> None:
    assert violations(source) == []
