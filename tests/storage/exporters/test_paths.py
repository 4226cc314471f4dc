"""Where published files go (storage/exporters/paths.py)."""

from __future__ import annotations

import re

from storage.exporters import paths


def test_event_file_id_is_safe_and_distinct() -> None:
    assert paths.event_file_id("evt-0123abcd") == "evt-0123abcd"
    odd = paths.event_file_id("evt/../../etc")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", odd)
    assert odd != paths.event_file_id("evt_.._.._etc")


# --------------------------------------------------------------------------- pages
