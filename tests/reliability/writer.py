"""A stand-in crawl writer: upserts batches of events into a database until told to stop.

`python -m tests.reliability.writer DB SECONDS [BATCH [BATCHES]]` writes new and changed events
in batches the size the store pipeline uses, through `storage.write.upsert_events`, for SECONDS
or BATCHES batches, whichever comes first (a test that needs a known amount of data gives
BATCHES: how much fits in SECONDS depends on the machine), and prints one line per committed
batch (`batch N total M`), so a test can kill it at any moment and know what was committed.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def make_event(n: int, *, revision: int = 0):  # type: ignore[no-untyped-def]
    """Event number `n` (deterministic: same n, same record id); `revision` changes its description."""
    from pipelines.normalize.event import record_id
    from scraper.items import Event

    day = date.today() + timedelta(days=2 + n % 90)
    start = datetime.combine(day, datetime.min.time(), PARIS).replace(hour=9 + n % 9)
    ev = Event(
        source=f"charge_{n % 3}",
        url=f"https://cress-exemple.fr/agenda/evenement-{n}",
        title=f"Rencontre coopérative n°{n}",
        start_raw=start.isoformat(),
        start=start,
        end=start + timedelta(hours=2),
        all_day=False,
        timezone="Europe/Paris",
        location_raw="Lyon",
        description_html=f"<p>Atelier d'échanges numéro {n} (version {revision}).</p>"
        + "<p>Texte de présentation.</p>" * 10,
        city="Lyon",
        postal_code="69003",
        insee="69383",
        department="69",
        region="Auvergne-Rhône-Alpes",
        region_code="84",
        attendance="offline",
        extractor="jsonld",
        date_status="ok",
        scraped_at=datetime.now(UTC),
    )
    ev.id = record_id(ev)
    return ev


def main(db_path: str, seconds: float, batch: int = 200, most: int | None = None) -> None:
    from storage.db import open_db
    from storage.write import upsert_events

    db = open_db(db_path)
    deadline = time.monotonic() + seconds
    n = batches = 0
    while time.monotonic() < deadline and (most is None or batches < most):
        events = [make_event(i) for i in range(n, n + batch)]
        # Re-send some earlier events with a change, as a recrawl does.
        events += [make_event(i, revision=batches) for i in range(min(n, batch // 4))]
        upsert_events(db, events, seen_at=datetime.now(UTC))
        n += batch
        batches += 1
        print(f"batch {batches} total {n}", flush=True)
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 200,
         int(sys.argv[4]) if len(sys.argv) > 4 else None)
