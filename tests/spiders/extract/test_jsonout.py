"""JSON view of an Event for the CLI."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date

from scraper.items import Event
from spiders.extract.jsonout import event_to_json
from tests.spiders.extract.helpers import run


def test_timed_event_serialises_with_offset() -> None:
    ev = run("tribe_list.json").events[0]
    out = event_to_json(ev)
    assert set(out) == {f.name for f in fields(Event)}
    assert out["start"] == "2021-11-04T09:00:00+01:00" and out["end"] == "2021-11-04T12:30:00+01:00"
    assert out["reference_date"] == "2021-10-01"
    json.dumps(out)


def test_all_day_event_serialises_as_dates() -> None:
    ev = Event(source="s", url="https://x.example/", title="t", start_raw="x", start=date(2021, 11, 15),
               end=date(2021, 11, 19), all_day=True, tags=["a"])
    out = event_to_json(ev)
    assert (out["start"], out["end"], out["tags"]) == ("2021-11-15", "2021-11-19", ["a"])
