"""The generated programme in a real headless Chromium: filters, search, no network, screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.exporters import html as site
from tests.browser.conftest import requires_browser
from tests.storage.exporters.test_html import GENERATED_AT, hostile_row, make_row, programme_rows

pytestmark = requires_browser


def write_site(out: Path, rows: list[dict[str, Any]]) -> Path:
    def fetch(region_code: str | None) -> list[dict[str, Any]]:
        return [row for row in rows if region_code is None or row.get("region_code") == region_code]

    for relpath, chunks in site.iter_site_files(fetch, generated_at=GENERATED_AT):
        target = out / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(chunks))
    return out / "index.html"


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """The index of a freshly written site; records every request and every script dialog."""
    index = write_site(tmp_path / "site", [*programme_rows(), hostile_row()])
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.requests = []
    page.dialogs = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.goto(index.as_uri())
    page.wait_for_load_state("load")
    try:
        yield page
    finally:
        context.close()


def visible_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all("article.event:not([hidden])", "els => els.map(e => e.id)")


def test_region_filter_keeps_only_that_region(page: Any, tmp_path: Path) -> None:
    everything = visible_ids(page)
    assert len(everything) == len(programme_rows()) + 1
    assert page.text_content("#counter") == f"{len(everything)} événements affichés"

    page.select_option("#f-region", "76")
    shown = visible_ids(page)
    expected = {f"e-{row['id']}" for row in programme_rows() if row["region_code"] == "76"}
    assert expected <= set(shown) and len(shown) == len(expected) + 1  # the hostile row claims Occitanie too
    regions = page.eval_on_selector_all("article.event:not([hidden])", "els => els.map(e => e.dataset.region)")
    assert set(regions) == {"76"}
    # Day headings with nothing left under them disappear too.
    assert page.is_hidden("section.day[data-day='2026-12-08']")
    # Only Occitanie's départements remain offered.
    offered = page.eval_on_selector_all(
        "#f-dept option:not([hidden])", "els => els.map(e => e.value).filter(Boolean)"
    )
    assert offered == ["31", "34"]
    page.select_option("#f-dept", "34")
    assert visible_ids(page) == ["e-evt-g1b2c3d4e5f60718"]
    page.screenshot(path=str(tmp_path / "programme-occitanie.png"), full_page=True)
    assert (tmp_path / "programme-occitanie.png").stat().st_size > 10_000


def test_search_online_and_date_range(page: Any, tmp_path: Path) -> None:
    page.fill("#f-q", "cooperatif")  # the title says "coopératif": accents are folded on both sides
    assert visible_ids(page) == ["e-evt-b1b2c3d4e5f60718"]
    page.fill("#f-q", "RENNES")
    assert visible_ids(page) == ["e-evt-c1b2c3d4e5f60718"]
    page.fill("#f-q", "mot-absent-du-programme")
    assert visible_ids(page) == []
    assert page.text_content("#counter") == "Aucun événement ne correspond à ces filtres"
    page.fill("#f-q", "")

    page.check("#f-online")
    assert set(visible_ids(page)) == {"e-evt-b1b2c3d4e5f60718", "e-evt-d1b2c3d4e5f60718"}
    page.uncheck("#f-online")

    # A three-day event overlapping the range stays; those entirely outside it go.
    page.fill("#f-from", "2026-12-09")
    page.fill("#f-to", "2026-12-09")
    assert visible_ids(page) == ["e-evt-c1b2c3d4e5f60718", "e-evt-d1b2c3d4e5f60718"]

    page.click("button[type=reset]")
    page.wait_for_function("() => document.querySelectorAll('article.event[hidden]').length === 0")
    page.screenshot(path=str(tmp_path / "programme.png"), full_page=True)
    assert (tmp_path / "programme.png").stat().st_size > 10_000


def test_filters_are_kept_in_the_address(page: Any) -> None:
    page.select_option("#f-region", "53")
    page.fill("#f-q", "assises")
    assert page.evaluate("window.location.hash") == "#region=53&q=assises"
    shared = page.evaluate("window.location.href")
    other = page.context.new_page()
    other.goto(shared)
    assert other.input_value("#f-region") == "53" and other.input_value("#f-q") == "assises"
    assert other.eval_on_selector_all("article.event:not([hidden])", "els => els.map(e => e.id)") == [
        "e-evt-c1b2c3d4e5f60718"
    ]
    page.click("button[type=reset]")
    page.wait_for_function("() => !window.location.hash")


def test_no_network_no_script_from_content_and_keyboard_reachable(page: Any) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au programme"
    page.focus("#f-region")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-dept"

    page.hover("article.event >> nth=-1")
    page.click("article.event >> nth=-1 >> h3")
    assert page.dialogs == []
    assert page.evaluate("typeof window.alert") == "function"
    assert all(url.startswith("file://") for url in page.requests), page.requests
    assert page.errors == []


def test_structured_data_is_inert_data_under_the_csp(page: Any) -> None:
    # Each article's JSON-LD block reads back whole in the browser, hostile title included...
    names = page.eval_on_selector_all(
        "article.event > script[type='application/ld+json']",
        "els => els.map(e => { const d = JSON.parse(e.textContent); return d['@type'] + ':' + d.name; })",
    )
    assert len(names) == page.eval_on_selector_all("article.event", "els => els.length")
    assert all(name.startswith("Event:") for name in names)
    assert any("<script>alert(1)</script>" in name for name in names)
    # ...runs nothing, and the policy that allows only the programme's script refuses nothing:
    # Chromium reports a refused inline script on the console, which the fixture records.
    assert page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content").startswith("default-src 'none'")
    assert page.text_content("#counter") == f"{len(names)} événements affichés"  # the programme's script ran
    assert page.dialogs == [] and page.errors == []


def test_phone_width_has_no_horizontal_scroll(browser: Any, tmp_path: Path) -> None:
    index = write_site(tmp_path / "site", [*programme_rows(), hostile_row()])
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="fr-FR")
    try:
        phone = context.new_page()
        phone.goto(index.as_uri())
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        phone.screenshot(path=str(tmp_path / "programme-telephone.png"), full_page=False)
    finally:
        context.close()


def corpus_rows() -> list[dict[str, Any]]:
    """The reliability corpus placed raw (not normalized) in every text and URL field of a row."""
    from tests.reliability.hostile import MARKUP, URLS

    rows = []
    for index, payload in enumerate(MARKUP):
        rows.append(make_row(
            id=f"evt-corpus-{index:03d}", title=f"Atelier {index} {payload.text}",
            description_html=payload.text, organizer=payload.text, venue=payload.text, city=payload.text,
            region_code="76", department="31", start_date="2026-12-03",
            sources=[{"source": payload.text, "url": "https://www.cress-occitanie.example/", "name": payload.text}],
        ))
    for index, payload in enumerate(URLS):
        rows.append(make_row(
            id=f"evt-url-{index:03d}", title=f"Lien {index}", url=payload.text, registration_url=payload.text,
            online_url=payload.text, image=payload.text, attendance="online",
            sources=[{"source": "x", "url": payload.text, "name": "Source"}],
        ))
    return rows


def test_hostile_corpus_does_not_execute_even_without_csp(browser: Any, tmp_path: Path) -> None:
    index = write_site(tmp_path / "site", corpus_rows())
    # Without the page's Content-Security-Policy, only the escaping stands between a payload and the page.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        dialogs: list[str] = []
        requests: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(index.as_uri())
        page.wait_for_load_state("load")
        for article in page.query_selector_all("article.event")[:80]:
            article.hover()
        page.keyboard.press("Tab")
        page.wait_for_timeout(300)
        assert dialogs == []
        assert all(url.startswith("file://") for url in requests), requests
        count = page.eval_on_selector_all("article.event", "els => els.length")
        assert count == len(corpus_rows())
        page.fill("#f-q", "atelier 12")
        assert page.eval_on_selector_all("article.event:not([hidden])", "els => els.length") >= 1
    finally:
        context.close()
