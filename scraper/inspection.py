"""What `essagenda parse` and `essagenda extract` print: normalizers and extractors on one input."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

PLACE_FIELDS = ("venue", "address", "city", "insee", "postal_code", "department", "region", "region_code",
                "latitude", "longitude", "attendance", "online_url")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def parse_text(text: str, *, context_date: date | str, region: str | None = None) -> dict[str, Any]:
    """Dates (main one and every mention, with spans) and place of a French text, as JSON-ready dict.

    `context_date` is a day, or a string `YYYY`, `YYYY-MM` or `YYYY-MM-DD` when only the year or
    the month of the page is known (ValueError otherwise)."""
    from pipelines.normalize.dates import find_dates, main_mention, other_event_scopes, parse_reference
    from pipelines.normalize.fr_data import REGIONS, region_timezone
    from pipelines.normalize.places import find_place

    zone = region_timezone(region)
    if isinstance(context_date, str):
        reference, precision = parse_reference(context_date)
    else:
        reference, precision = context_date, "day"
    mentions = find_dates(text, reference=reference, tz=zone, precision=precision)
    main = main_mention(mentions)
    result: dict[str, Any] = {
        "start_date": _iso(main.start_date) if main else None,
        "end_date": _iso(main.end_date) if main else None,
        "start_time": main.start_time.strftime("%H:%M") if main and main.start_time else None,
        "end_time": main.end_time.strftime("%H:%M") if main and main.end_time else None,
        "all_day": main.all_day if main else None,
        "timezone": zone,
        "flags": list(main.flags) if main else [],
        "mentions": [
            {
                "span": list(m.span),
                "text": m.text,
                "start_date": m.start_date.isoformat(),
                "end_date": m.end_date.isoformat(),
                "start_time": m.start_time.strftime("%H:%M") if m.start_time else None,
                "end_time": m.end_time.strftime("%H:%M") if m.end_time else None,
                "all_day": m.all_day,
                "flags": list(m.flags),
            }
            for m in mentions
        ],
    }
    place = find_place(text, region_hint=region, elsewhere=other_event_scopes(text, mentions, main))
    for name in PLACE_FIELDS:
        result[name] = getattr(place, name, None) if place is not None else None
    if result["region"] is None and result["region_code"] in REGIONS:
        result["region"] = REGIONS[result["region_code"]].name
    return result


FETCH_TIMEOUT_S = 60.0
"""How long `essagenda extract URL` waits for the whole answer, name lookup and body included."""
MAX_FETCH_BYTES = 32 * 1024 * 1024


def read_input(path_or_url: str, *, timeout: float = FETCH_TIMEOUT_S) -> tuple[bytes, str, str | None]:
    """(body, url, content type) of a saved file, or of one http(s) fetch given up after
    `timeout` seconds in all (TimeoutError, an OSError)."""
    if path_or_url.lower().startswith(("http://", "https://")):
        return _fetch(path_or_url, timeout=timeout)
    path = Path(path_or_url)
    return path.read_bytes(), path.resolve().as_uri(), None


def _fetch(url: str, *, timeout: float) -> tuple[bytes, str, str | None]:
    """One GET in a thread the caller stops waiting for after `timeout` seconds.

    urllib's own timeout bounds each socket operation, not the whole: a server that sends a
    byte every few seconds, or a name lookup that hangs, would keep it waiting for ever."""
    import http.client
    import threading
    import urllib.request

    outcome: list[tuple[bytes, str, str | None] | OSError] = []

    def get() -> None:
        request = urllib.request.Request(url, headers={"User-Agent": "essagenda (extract)"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # the scheme is checked above
                outcome.append((response.read(MAX_FETCH_BYTES), response.geturl(),
                                response.headers.get("Content-Type")))
        except (OSError, ValueError, http.client.HTTPException) as exc:
            outcome.append(exc if isinstance(exc, OSError) else OSError(str(exc) or type(exc).__name__))

    # A daemon thread: one still stuck in a lookup or a read does not keep the process alive.
    thread = threading.Thread(target=get, name="essagenda-fetch", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive() or not outcome:
        raise TimeoutError(f"no complete answer within {timeout:g} s")
    result = outcome[0]
    if isinstance(result, OSError):
        raise result
    return result


def extract_file(
    path_or_url: str,
    *,
    original_url: str | None = None,
    context_date: date | None = None,
    source: str = "local",
    region: str | None = None,
    timeout: float = FETCH_TIMEOUT_S,
) -> Iterator[dict[str, Any]]:
    """Every event the extractors find in one input, normalized as the pipelines would, as dicts;
    a URL is given up after `timeout` seconds."""
    from pipelines.normalize.event import normalize_event
    from spiders.extract import extract
    from spiders.extract.jsonout import event_to_json

    body, fetched_url, content_type = read_input(path_or_url, timeout=timeout)
    url = original_url or fetched_url
    now = datetime.now(UTC)
    crawl_date = context_date or now.date()
    # The crawler reads a page against its crawl day: so does this, unless told another day.
    result = extract(body, url=url, source=source, content_type=content_type, reference=crawl_date)
    for event in result.events:
        event.source_region = event.source_region or region
        if context_date is not None and event.reference_date is None:
            event.reference_date = context_date
        if normalize_event(event, crawl_date=crawl_date, scraped_at=now,
                           require_web_url=original_url is not None or fetched_url.startswith("http")) is None:
            continue
        yield event_to_json(event)
