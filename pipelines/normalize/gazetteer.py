"""Offline gazetteer of French communes, loaded lazily from the packaged data file."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipelines.normalize.fr_data import DEPARTMENTS, REGIONS
from pipelines.normalize.fr_places_data import COLLOQUIAL_NAMES, FORMER_NAMES

DATA_FILE = "communes.json.gz"

_SAINT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Commune:
    """One commune of the Code officiel géographique."""

    insee: str
    name: str
    """Official name with its article, e.g. 'Le Gosier'."""
    postal_codes: tuple[str, ...]
    department: str
    """Département code as text: '01', '2A', '974'."""
    region_code: str
    latitude: float | None
    longitude: float | None
    population: int

    @property
    def region(self) -> str:
        """Région name, e.g. 'Occitanie'."""
        return REGIONS[self.region_code].name

    @property
    def department_name(self) -> str:
        return DEPARTMENTS[self.department][0]


@dataclass(frozen=True, slots=True)
class Entry:
    """A name under which a commune can be written in text."""

    commune: Commune
    common: bool
    """The name is also an ordinary French or English word ('Orange', 'Mars', 'Rue')."""
    bare: bool
    """The official article was dropped ('Gosier' for 'Le Gosier'): weaker evidence."""
    former: bool
    """Name of a commune déléguée/associée, pointing to the commune it merged into."""
    latitude: float | None = None
    longitude: float | None = None


def _fold_table() -> list[str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char:
            table[code] = base.lower()
    table.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae", ord("’"): "'"})
    # str.translate looks a list up twice as fast as a dict, which raises KeyError for every
    # character it leaves alone; characters past the list's end are left alone too.
    return [table.get(code, chr(code)) for code in range(max(table) + 1)]


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Plouër' -> 'plouer', 'Œuvre' -> 'oeuvre'."""
    if text.isascii():
        return text.lower()
    text = text.translate(_FOLD).lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    if max(decomposed) <= "\uffff":
        # A regex drops the marks at C speed (7x the generator below); it covers the BMP only.
        return _bmp_combining().sub("", decomposed)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _bmp_combining() -> re.Pattern[str]:
    """Character class of every BMP code point with a non-zero combining class."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


@lru_cache(maxsize=1 << 16)
def norm_token(token: str) -> str:
    """Normalized form of one word: folded, 'St'/'Ste' spelled out."""
    folded = fold(token)
    return _SAINT.get(folded, folded)


def normalize_name(name: str) -> str:
    """Key under which a place name is indexed: 'Saint-Étienne' and 'st etienne' -> 'saint etienne'."""
    return " ".join(norm_token(t) for t in _WORD_RE.findall(name))


class Gazetteer:
    """Indexes over the data file; `Commune` objects are made on demand and cached."""

    def __init__(self, document: dict[str, dict[str, Any]]) -> None:
        self._rows = document["communes"]
        self._names = document["names"]
        self._postal = document["postal"]
        self._arrondissements = document["arrondissements"]
        self._first = document["first_words"]
        for key, insee in COLLOQUIAL_NAMES.items():
            existing = self._names.get(key, "")
            flag = "c" if existing and existing.split("/")[1].startswith("c") else ""
            self._names[key] = f"{existing}|{insee}/{flag}" if existing else f"{insee}/{flag}"
            first = key.split()[0]
            self._first[first] = max(self._first.get(first, 0), len(key.split()))
        for key, insee in FORMER_NAMES.items():
            existing = self._names.get(key, "")
            if insee in existing.replace("|", "/").split("/"):
                continue  # a later build of the data file already has it
            self._names[key] = f"{existing}|{insee}/f" if existing else f"{insee}/f"
            first = key.split()[0]
            self._first[first] = max(self._first.get(first, 0), len(key.split()))
        self._communes: dict[str, Commune] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[str]:
        """INSEE codes of all communes."""
        return iter(self._rows)

    @property
    def name_keys(self) -> Iterable[str]:
        return self._names.keys()

    def commune(self, insee: str) -> Commune | None:
        """The commune with that INSEE code, None if unknown."""
        found = self._communes.get(insee)
        if found is None:
            row = self._rows.get(insee)
            if row is None:
                return None
            name, codes, dept, lat, lon, pop = row.split("\t")
            found = Commune(
                insee, name, tuple(codes.split()), dept, DEPARTMENTS[dept][1], _float(lat), _float(lon), int(pop or 0)
            )
            self._communes[insee] = found
        return found

    def max_words_from(self, word: str) -> int:
        """The most words a name starting with `word` (normalized) has; 0 if none does."""
        found: int = self._first.get(word, 0)
        return found

    def has_name(self, key: str) -> bool:
        return key in self._names

    def entries(self, key: str) -> list[Entry]:
        """Communes written `key` (a normalized name): living before former, full names before
        bare, then most populous first."""
        packed = self._names.get(key)
        if not packed:
            return []
        result = []
        for item in packed.split("|"):
            insee, flags, *point = item.split("/")
            commune = self.commune(insee)
            if commune is None:
                continue
            lat, lon = (_float(point[0]), _float(point[1])) if point else (None, None)
            result.append(Entry(commune, "c" in flags, "b" in flags, "f" in flags, lat, lon))
        result.sort(key=lambda e: (e.former, e.bare))
        return result

    def by_postal_code(self, code: str) -> list[Commune]:
        """Communes served by a postal code (arrondissement codes map to their city)."""
        return [c for insee in self._postal.get(code, "").split() if (c := self.commune(insee))]

    def arrondissement(self, insee: str, number: int) -> tuple[str, float | None, float | None] | None:
        """(postal code, lat, lon) of arrondissement `number` of Paris/Lyon/Marseille `insee`."""
        row = self._arrondissements.get(f"{insee}/{number}")
        if row is None:
            return None
        code, lat, lon = row.split("\t")
        return code, _float(lat), _float(lon)


def _float(value: str) -> float | None:
    return float(value) if value else None


@cache
def load() -> Gazetteer:
    """Read the packaged data file once; later calls return the same object."""
    # Imported here so that commands that never read a place do not pay for it.
    from importlib.resources import files

    raw = files("pipelines.normalize").joinpath("data", DATA_FILE).read_bytes()
    return Gazetteer(json.loads(gzip.decompress(raw)))
