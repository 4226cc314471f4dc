"""The départements map: one linked, shaded, titled path per département, offline, valid SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from storage.exporters.map import (
    ATTRIBUTION,
    count_class,
    department_href,
    map_data,
    render_department_map,
)
from storage.exporters.paths import region_page_path

SVG = "{http://www.w3.org/2000/svg}"
OVERSEAS = ("971", "972", "973", "974", "976")


def _svg(text: str) -> ET.Element:
    match = re.search(r"<svg.*?</svg>", text, re.DOTALL)
    assert match
    return ET.fromstring(match.group(0))


def _links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.attrib["data-dept"]: a for a in root.iter(f"{SVG}a")}


def test_every_department_has_an_outline() -> None:
    data = map_data()
    assert set(data["departments"]) == set(DEPARTMENTS)
    assert len(DEPARTMENTS) == 101
    for code, entry in data["departments"].items():
        assert re.fullmatch(r"(M[-\d. ]+L[-\d. ]+Z)+", entry["d"]), code
        x0, y0, x1, y1 = entry["bbox"]
        assert x1 > x0 and y1 > y0, code


def test_index_map_links_titles_and_classes() -> None:
    counts = {"34": 5, "75": 1, "2A": 3, "974": 7}
    text = render_department_map(counts)
    root = _svg(text)
    links = _links(root)
    assert set(links) == set(DEPARTMENTS)
    assert links["34"].attrib["href"] == "region/76-occitanie.html#departement=34"
    assert links["2A"].attrib["href"] == f"{region_page_path('94')}#departement=2A"
    assert links["974"].attrib["href"] == f"{region_page_path('04')}#departement=974"
    titles = {code: a.find(f"{SVG}title").text for code, a in links.items()}  # type: ignore[union-attr]
    assert titles["34"] == "Hérault (34) : 5 événements"
    assert titles["75"] == "Paris (75) : 1 événement"
    assert titles["01"] == "Ain (01) : 0 événement"
    classes = {code: a.find(f"{SVG}path").attrib["class"] for code, a in links.items()}  # type: ignore[union-attr]
    assert classes["34"] == "map-c2" and classes["75"] == "map-c1" and classes["974"] == "map-c3"
    assert classes["01"] == "map-c0"
    assert "6 et plus" in text and ATTRIBUTION.split(" (")[0] in text


@pytest.mark.parametrize(("count", "shade"), [(0, 0), (1, 1), (2, 1), (3, 2), (5, 2), (6, 3), (400, 3)])
def test_count_classes(count: int, shade: int) -> None:
    assert count_class(count) == shade


def test_overseas_insets_present() -> None:
    root = _svg(render_department_map({}))
    assert len([r for r in root.iter(f"{SVG}rect") if r.attrib.get("class") == "map-inset"]) == 5
    insets = map_data()["insets"]
    for code in OVERSEAS:
        x, y, width, height = insets[code]
        bx0, by0, bx1, by1 = map_data()["departments"][code]["bbox"]
        assert x <= bx0 and bx1 <= x + width and y <= by0 and by1 <= y + height, code
    mainland_bottom = map_data()["mainland"][3]
    assert all(map_data()["departments"][c]["bbox"][1] >= mainland_bottom for c in OVERSEAS)


def test_region_map_shows_only_its_departments() -> None:
    root = _svg(render_department_map({"34": 2}, region_code="76", root="../"))
    links = _links(root)
    assert set(links) == {code for code, (_, region) in DEPARTMENTS.items() if region == "76"}
    assert links["34"].attrib["href"] == "../region/76-occitanie.html#departement=34"
    assert root.attrib["viewBox"] != map_data()["viewBox"]
    for code in REGIONS:
        assert _links(_svg(render_department_map({}, region_code=code)))


def test_no_external_reference_and_escaped() -> None:
    text = render_department_map({"34": 1})
    assert "http:" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https:" not in text and "//" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "style=" not in text and "<script" not in text and "xlink" not in text
    assert department_href("2B") == f"{region_page_path('94')}#departement=2B"
    with pytest.raises(ValueError):
        render_department_map({}, region_code="99")


def test_whole_figure_is_well_formed() -> None:
    ET.fromstring(render_department_map({"13": 9}))


def test_index_and_region_pages_carry_their_map() -> None:
    from storage.exporters.html import iter_region_html, render_index_html, summarize
    from tests.storage.exporters.test_html import GENERATED_AT, programme_rows

    rows = programme_rows()
    index = render_index_html(rows, generated_at=GENERATED_AT).decode()
    links = _links(_svg(index[index.index('<svg class="dept-map"') :]))
    assert len(links) == 101
    assert links["34"].find(f"{SVG}title").text == "Hérault (34) : 1 événement"  # type: ignore[union-attr]
    occitanie = [row for row in rows if row.get("region_code") == "76"]
    page = b"".join(
        iter_region_html("76", occitanie, summary=summarize(occitanie), generated_at=GENERATED_AT)
    )
    text = page.decode()
    links = _links(_svg(text[text.index('<svg class="dept-map"') :]))
    assert links["34"].attrib["href"] == "../region/76-occitanie.html#departement=34"
    assert len(links) == 13
    # Every département the map links to can be selected, those without events too.
    assert '<option value="48" data-region="76">48 – Lozère (0)</option>' in text
