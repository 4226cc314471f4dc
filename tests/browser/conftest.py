"""What every browser test shares: the Chromium it drives (or why it cannot), and one browser per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ESSAGENDA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM}: apt-get install chromium, or point ESSAGENDA_CHROMIUM "
                "at another Chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


if (_missing := _browser_missing()) is not None and os.environ.get("ESSAGENDA_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"{_missing}; ESSAGENDA_REQUIRE_BROWSER=1 requires the browser tests to run")
requires_browser = pytest.mark.skipif(_missing is not None, reason=_missing or "")
"""Mark of every browser test module (`pytestmark = requires_browser`)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    import playwright.sync_api as playwright_api

    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
