"""The extractors stay pure: no Scrapy, no clock, no I/O, no logging (checked on the AST)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "spiders" / "extract"
BANNED_MODULES = {"scrapy", "twisted", "logging", "requests", "urllib.request", "http.client", "socket", "itemadapter"}
BANNED_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time"), ("os", "getenv")}


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name.split(".")[0] not in BANNED_MODULES and alias.name not in BANNED_MODULES, alias.name
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            assert mod.split(".")[0] not in BANNED_MODULES and mod not in BANNED_MODULES, mod
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                assert func.id not in ("open", "print", "input"), f"{path.name}: {func.id}()"
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                assert (func.value.id, func.attr) not in BANNED_CALLS, f"{path.name}: {func.value.id}.{func.attr}()"
                assert func.attr not in ("read_text", "read_bytes", "write_text", "write_bytes"), path.name
    first = tree.body[0]
    assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant), f"{path.name}: no docstring"


def test_package_imports_without_scrapy() -> None:
    import subprocess
    import sys

    code = ("import sys; sys.modules['scrapy'] = None; sys.modules['twisted'] = None\n"
            "import spiders.extract, spiders.extract.links, spiders.extract.jsonout\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parents[1])
