"""Why a source's crawl went wrong, in plain words an operator can act on, from its Scrapy stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

# Exception class names (as the spider counts them under `ess/net_errors/<name>`) by what an
# operator would call them, with what to do about it.
NETWORK_CAUSES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("DNS failure", ("DNSLookupError", "CannotResolveHostError"),
     "check that the site's domain still exists and that this machine resolves names"),
    ("connection refused", ("ConnectionRefusedError", "DownloadConnectionRefusedError"),
     "the site's server is down or refuses connections; it is retried next run"),
    ("timeout", ("TimeoutError", "TCPTimedOutError", "DownloadTimeoutError"),
     "the site answered too slowly; it is retried next run"),
    ("connection lost", ("ResponseNeverReceived", "ConnectionLost", "ConnectionDone", "ResponseFailed",
                         "PartialDownloadError", "ResponseDataLossError", "DownloadFailedError"),
     "the site dropped the connection; it is retried next run"),
    ("TLS error", ("SSLError",),
     "the site's certificate or TLS set-up is broken; check it in a browser"),
    ("page too large", ("maxsize", "decompression_bomb"),
     "a page is larger than ESS_DOWNLOAD_MAXSIZE, or its compressed body inflates past it; check it"),
)


def crawl_problem(stats: Mapping[str, Any]) -> tuple[str, str] | None:
    """(cause, what to do) for the main problem of one crawl, or None when nothing is wrong.

    The cause counts failed URLs, each once: `ess/net_errors/<exception>` and
    `ess/http_errors/<status>` as the spider records them, robots.txt fetches that failed
    (`robotstxt/exception_count/...`), code errors, and an agenda that stopped listing events.
    """
    causes: Counter[str] = Counter()
    advice: dict[str, str] = {}
    robots_failures = 0
    for key, value in stats.items():
        if not isinstance(value, int) or not value:
            continue
        if key.startswith("ess/net_errors/"):
            name = key.removeprefix("ess/net_errors/")
            label, todo = _network_cause(name)
            causes[label] += value
            advice[label] = todo
        elif key.startswith("ess/http_errors/"):
            status = key.removeprefix("ess/http_errors/")
            label = f"HTTP {status}"
            causes[label] += value
            advice[label] = (
                "a page the agenda listed is gone or moved: check the source's start URLs"
                if status in ("404", "410") else
                "the site refuses the crawler or is overloaded; it is retried next run"
                if status in ("403", "429", "503") else
                "the site answered with an error; check its agenda page in a browser"
            )
        elif key.startswith("robotstxt/exception_count/"):
            robots_failures += value
    if robots_failures and not causes:
        # The pages' own failures say more when there are any: robots.txt fails with them.
        causes["robots.txt unreachable"] = robots_failures
        advice["robots.txt unreachable"] = "the site's robots.txt could not be fetched: the site is down or blocks it"
    code_errors = int(stats.get("spider_exceptions/count", 0) or 0) + int(stats.get("ess/item_errors", 0) or 0)
    if code_errors:
        causes["error in essagenda's code"] += code_errors
        advice["error in essagenda's code"] = "run the crawl again with --verbose to see the traceback"
    if causes:
        label, count = causes.most_common(1)[0]
        what = f"{label} ({count} URL{'s' if count > 1 else ''})" if label != "error in essagenda's code" else (
            f"{count} error{'s' if count > 1 else ''} in essagenda's code")
        return what, advice[label]
    return None


def _network_cause(exception_name: str) -> tuple[str, str]:
    for label, names, todo in NETWORK_CAUSES:
        if exception_name in names:
            return label, todo
    return f"network error ({exception_name})", "check that the site answers in a browser"
