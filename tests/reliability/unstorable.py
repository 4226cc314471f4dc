"""`essagenda` whose database refuses some events: `python -m tests.reliability.unstorable MARK ARGS...`.

Every event whose title holds MARK reaches SQLite with a lone surrogate in its title, as one that
slipped past cleaning would; SQLite refuses that row (UnicodeEncodeError) and only that row. The
rest of the command runs unchanged.
"""

from __future__ import annotations

import sys
from typing import Any


def refuse(mark: str) -> None:
    import storage.write

    row_of = storage.write.event_to_row

    def refusing(ev: Any) -> dict[str, Any]:
        row = row_of(ev)
        if mark in (ev.title or ""):
            row["title"] = row["title"] + "\ud800"
        return row

    storage.write.event_to_row = refusing  # type: ignore[assignment]


if __name__ == "__main__":
    refuse(sys.argv[1])
    from scraper.cli import cli

    cli(args=sys.argv[2:], prog_name="essagenda")
