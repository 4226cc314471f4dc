"""GeoJSON maps of the feeds (storage/exporters/geojson.py): RFC 7946's rules, golden file, properties."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.exporters.geojson import iter_geojson, render_geojson
from storage.exporters.jsonfeed import EXTENSION, feed_item
from tests.storage.exporters.rows import row, sample_rows

EXPECTED = Path(__file__).parent / "expected"
UPDATE = os.environ.get("ESSAGENDA_UPDATE_GOLDEN") == "1"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_geojson(data: bytes) -> Any:
    """Parse as RFC 8259 JSON (no NaN or Infinity) and check RFC 7946's rules for a
    FeatureCollection of Points; returns the document."""
    document = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # RFC 7946, section 4: the member is removed from the format
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert feature["type"] == "Feature" and "crs" not in feature
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature["id"], str | int | float)  # section 3.2
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]  # section 3.1.1: [longitude, latitude]
        assert all(isinstance(n, int | float) and math.isfinite(n) for n in (longitude, latitude))
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
    return document


def located(**fields: Any) -> dict[str, Any]:
    return row(start="2026-12-03T09:00:00+01:00", start_date="2026-12-03", end_date="2026-12-03", **fields)


def test_golden() -> None:
    rendered = render_geojson(sample_rows())
    path = EXPECTED / "events.geojson"
    if UPDATE:
        path.write_bytes(rendered)
    assert rendered == path.read_bytes()
    strict_geojson(rendered)


def test_points_are_longitude_then_latitude_with_the_json_feed_properties() -> None:
    rows = sample_rows()
    document = strict_geojson(render_geojson(rows))
    located_rows = [r for r in rows if r["latitude"] is not None and r["longitude"] is not None]
    assert [f["id"] for f in document["features"]] == [r["id"] for r in located_rows]
    lille = document["features"][0]
    assert lille["geometry"]["coordinates"] == [3.0468, 50.6311]
    properties = lille["properties"]
    extension = feed_item(rows[0])[EXTENSION]
    assert set(properties) == {"title", "url", *extension}
    assert {key: properties[key] for key in extension} == extension
    assert properties["title"] == "Mois de l'ESS : portes ouvertes des coopératives lilloises"
    assert properties["url"] == "https://cress-hdf.example/agenda/portes-ouvertes"
    assert (properties["start"], properties["end"], properties["all_day"]) == (
        "2026-11-30",
        "2026-12-02",
        True,
    )


def test_online_and_unlocated_events_are_left_out() -> None:
    rows = [
        located(id="a", latitude=43.6045, longitude=1.444),
        located(id="online", attendance="online", online_url="https://visio.example/x"),
        located(id="half", latitude=43.6, longitude=None),
        located(id="nan", latitude=float("nan"), longitude=1.4),
        located(id="inf", latitude=43.6, longitude=float("inf")),
        located(id="out-of-range", latitude=91.0, longitude=1.4),
        located(id="swapped", latitude=1.4, longitude=-190.0),
        located(id="text", latitude="Infinity", longitude="1.4"),
        located(id="numeric-text", latitude="43.6", longitude="1.4"),
        located(id="b", latitude=-20.8789, longitude=55.4481, attendance="mixed"),
    ]
    document = strict_geojson(render_geojson(rows))
    assert [f["id"] for f in document["features"]] == ["a", "b"]
    assert document["features"][1]["geometry"]["coordinates"] == [55.4481, -20.8789]


def test_an_empty_collection_is_still_a_feature_collection() -> None:
    data = render_geojson([located(id="online", attendance="online")])
    assert strict_geojson(data) == {"type": "FeatureCollection", "features": []}
    assert data == b'{"type": "FeatureCollection", "features": []}\n'


def test_text_is_utf8_unescaped_and_output_deterministic() -> None:
    rows = [
        located(id="x", title="Café coopératif à Besançon", city="Besançon", latitude=47.24, longitude=6.02)
    ]
    data = render_geojson(rows)
    assert "Café coopératif à Besançon".encode() in data
    assert data == render_geojson(rows) == b"".join(iter_geojson(iter(rows)))


def test_coordinates_are_rounded_to_six_decimals() -> None:
    document = strict_geojson(
        render_geojson([located(id="x", latitude=43.604500123456, longitude=1.444209876)])
    )
    assert document["features"][0]["geometry"]["coordinates"] == [1.44421, 43.6045]


@settings(max_examples=200, deadline=None)
@given(
    latitude=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8)),
    longitude=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8)),
    title=st.text(max_size=30),
)
def test_any_row_gives_valid_geojson(latitude: Any, longitude: Any, title: str) -> None:
    document = strict_geojson(
        render_geojson([located(id="x", latitude=latitude, longitude=longitude, title=title)])
    )
    assert len(document["features"]) <= 1
