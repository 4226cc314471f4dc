"""The départements map in a real headless Chromium: drawn offline, each département a link to
its région page filtered on it, nothing refused by the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import requires_browser
from tests.browser.test_programme import visible_ids, write_site
from tests.storage.exporters.test_html import hostile_row, programme_rows

pytestmark = requires_browser


def _watch(page: Any) -> Any:
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # A Content-Security-Policy refusal is reported as a console error, which this records too.
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type in ("error", "warning") else None)
    return page


@pytest.fixture
def map_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    index = write_site(tmp_path / "site", [*programme_rows(), hostile_row()])
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
    try:
        page = _watch(context.new_page())
        page.goto(index.as_uri())
        page.wait_for_load_state("load")
        yield page
    finally:
        context.close()


def test_map_renders_on_the_index(map_page: Any, tmp_path: Path) -> None:
    page = map_page
    assert page.eval_on_selector_all("svg.dept-map a.map-dept", "els => els.length") == 101
    box = page.eval_on_selector("svg.dept-map", "el => el.getBoundingClientRect().toJSON()")
    assert box["width"] > 300 and box["height"] > 300
    herault = page.eval_on_selector(
        "a[data-dept='34']", "el => { const b = el.getBBox(); return {width: b.width, height: b.height}; }"
    )
    assert herault["width"] > 10 and herault["height"] > 10
    assert page.text_content("a[data-dept='34'] > title") == "Hérault (34) : 1 événement"
    # The shade comes from the hashed stylesheet: a département with events is not the empty grey.
    empty = page.eval_on_selector("a[data-dept='01'] path", "el => getComputedStyle(el).fill")
    assert page.eval_on_selector("a[data-dept='34'] path", "el => getComputedStyle(el).fill") != empty
    page.locator("figure.map").screenshot(path=str(tmp_path / "carte.png"))
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests


def test_department_link_opens_its_filtered_region_page(map_page: Any) -> None:
    from playwright.sync_api import expect

    page = map_page
    page.click("a[data-dept='34']")
    page.wait_for_load_state("load")
    assert page.url.endswith("region/76-occitanie.html#departement=34")
    assert page.input_value("#f-dept") == "34"
    shown = visible_ids(page)
    assert shown
    depts = page.eval_on_selector_all("article.event:not([hidden])", "els => els.map(e => e.dataset.dept)")
    assert set(depts) == {"34"}
    assert len(page.query_selector_all("article.event")) > len(shown)  # the région has others
    # The région page's map shows its own départements; one of them filters in place.
    assert page.eval_on_selector_all("svg.dept-map a.map-dept", "els => els.length") == 13
    page.click("a[data-dept='31']")
    page.wait_for_url("**#departement=31")
    # the page's hashchange handler runs after the address changes: wait for it, not for a race
    expect(page.locator("#f-dept")).to_have_value("31", timeout=5000)
    depts = page.eval_on_selector_all("article.event:not([hidden])", "els => els.map(e => e.dataset.dept)")
    assert set(depts) == {"31"}
    # A département without events shows none, not the whole région.
    page.click("a[data-dept='48']")
    page.wait_for_url("**#departement=48")
    expect(page.locator("#f-dept")).to_have_value("48", timeout=5000)
    assert visible_ids(page) == []
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests
