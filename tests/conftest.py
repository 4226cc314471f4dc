"""Shared test helpers: the seed page, wrapped in HTML as it would be served."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_DIR = SHARED / "seeds"
SEED_URL = "https://www.entreprendre-montpellier.com/fr/evenements/14eme-edition-du-mois-de-leconomie-sociale-et-solidaire"


def shared_path(*parts: str) -> Path:
    """A file or folder of the real material kept beside the checkout (`../shared`).

    A plain clone has no `../shared`: the test is skipped, saying so. CI has it and sets
    ESSAGENDA_REQUIRE_SHARED=1, where its absence fails the test instead of hiding it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is absent (real material kept beside the checkout, not in it)"
        if os.environ.get("ESSAGENDA_REQUIRE_SHARED") == "1":
            pytest.fail(f"{reason}; ESSAGENDA_REQUIRE_SHARED=1 requires it")
        pytest.skip(reason)
    return path


def seed_html() -> bytes:
    """The seed page's text wrapped in a minimal HTML page: paragraphs, and bullets as list items."""
    path = next(shared_path("seeds").glob("000_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next(line.strip() for line in lines[1:] if line.strip())
    parts: list[str] = []
    in_list = False
    item: list[str] = []

    def close_item() -> None:
        if item:
            parts.append("<li>" + "<br>".join(html.escape(x) for x in item) + "</li>")
            item.clear()

    body_started = False
    for raw in lines:
        line = raw.strip()
        if not body_started:
            body_started = line == title
            continue
        if line.startswith("•"):
            close_item()
            if not in_list:
                parts.append("<ul>")
                in_list = True
            item.append(line.lstrip("• ").strip())
        elif in_list and line and item:
            item.append(line)
        else:
            close_item()
            if in_list and not line:
                continue
            if in_list:
                parts.append("</ul>")
                in_list = False
            if line:
                parts.append(f"<p>{html.escape(line)}</p>")
    close_item()
    if in_list:
        parts.append("</ul>")
    page = (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><main><article>"
        f"<h1>{html.escape(title)}</h1>{''.join(parts)}</article></main></body></html>"
    )
    return page.encode("utf-8")


@pytest.fixture
def seed_page() -> bytes:
    return seed_html()
