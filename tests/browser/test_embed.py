"""The embeddable widget inside a partner's <iframe> in a real headless Chromium: it renders, breaks no
policy, asks for nothing outside the files and sets no cookie."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storage.exporters import embed
from storage.exporters.paths import embed_path
from tests.browser.conftest import requires_browser
from tests.browser.test_programme import write_site
from tests.storage.exporters.test_html import GENERATED_AT, hostile_row, programme_rows

pytestmark = requires_browser

WIDGET = embed_path("region", "76")

# Recorded in every frame before the page's own code: the policy violations the frame reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def write_partner_site(out: Path, width: int) -> Path:
    """The programme and its widgets in `out/site`, and a partner page in `out/partner` that
    frames the Occitanie widget with the README's <iframe> line."""
    rows = [*programme_rows(), hostile_row()]
    write_site(out / "site", rows)
    for relpath, data in embed.iter_embed_files(rows, now=GENERATED_AT):
        target = out / "site" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    partner = out / "partner" / "index.html"
    partner.parent.mkdir(parents=True)
    partner.write_text(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Partenaire</title></head>"
        "<body><h1>Notre agenda</h1>"
        f'<iframe src="../site/{WIDGET}" title="Agenda de l’ESS en Occitanie" loading="lazy"'
        f' width="{width}" height="480"></iframe></body></html>',
        encoding="utf-8",
    )
    return partner


def open_partner(browser: Any, tmp_path: Path, width: int) -> tuple[Any, Any, dict[str, list[str]]]:
    partner = write_partner_site(tmp_path, width)
    context = browser.new_context(viewport={"width": 900, "height": 800}, locale="fr-FR")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    seen: dict[str, list[str]] = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda msg: seen["errors"].append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.goto(partner.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.querySelector('iframe') !== null")
    frame = page.frame(url=lambda url: url.endswith(WIDGET))
    assert frame is not None, [f.url for f in page.frames]
    frame.wait_for_load_state("load")
    frame.wait_for_function("() => document.querySelectorAll('li').length > 0")
    return context, frame, seen


def test_widget_renders_inside_the_iframe_without_errors_requests_or_cookies(browser: Any, tmp_path: Path) -> None:
    context, frame, seen = open_partner(browser, tmp_path, width=360)
    try:
        titles = frame.eval_on_selector_all("li h2", "els => els.map(e => e.textContent)")
        # Occitanie's upcoming events, the hostile row (which claims Occitanie) inert among them.
        assert "Forum de l’emploi solidaire" in titles
        assert "Reporté Café des associations montpelliéraines" in titles
        assert not any("Rennes" in title or "Webinaire" in title for title in titles)
        assert any("<script>alert(1)</script>" in title for title in titles)
        assert frame.evaluate("() => document.querySelectorAll('script').length") == 0
        # The link back leads to the région page of the programme, opened outside the frame.
        href = frame.evaluate("() => document.querySelector('p.more a').href")
        assert href.startswith("file://") and href.endswith("/site/region/76-occitanie.html")
        assert (tmp_path / "site" / "region" / "76-occitanie.html").exists()
        targets = frame.eval_on_selector_all("a", "els => els.map(e => e.target + ' ' + e.rel)")
        assert targets and set(targets) == {"_blank noopener"}

        assert frame.evaluate("() => window.__violations") == []
        assert seen["errors"] == [] and seen["dialogs"] == []
        assert seen["requests"] and all(url.startswith("file://") for url in seen["requests"]), seen["requests"]
        assert any(url.endswith(WIDGET) for url in seen["requests"])
        assert frame.evaluate("() => document.cookie") == ""
        assert context.cookies() == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [300, 400])
def test_widget_fits_a_narrow_iframe(browser: Any, tmp_path: Path, width: int) -> None:
    context, frame, seen = open_partner(browser, tmp_path, width=width)
    try:
        assert frame.evaluate("() => window.innerWidth") <= width
        assert frame.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert frame.evaluate("() => window.__violations") == [] and seen["errors"] == []
        frame.page.screenshot(path=str(tmp_path / f"widget-{width}.png"))
    finally:
        context.close()
