"""Loopback HTTP server for the offline sample: `http://127.0.0.1:PORT/<host>/<path>`.

Layout of the sample tree (`scraper/sample/sites/<host>/...`):
- `/` and paths ending in `/` serve `index.html` (or another `index.*`) of that directory;
- a query string selects a file in the sibling directory `<path>__q/`: the file whose stem
  (`page=2&per_page=10`) has the most `key=value` pairs all present in the request wins, and a
  stem `_` matches any query. So `/wp-json/tribe/events/v1/events?start_date=2026-09-01&page=2`
  serves `events__q/page=2.json` and `spip.php?page=ical` serves `spip.php__q/page=ical.ics`;
- `variant="v2"` overlays `scraper/sample/v2/<host>/...` on the base tree (a site that changed).

Responses carry a Content-Type from the extension, a content-hash ETag and a fixed Last-Modified,
and answer 304 to matching If-None-Match / If-Modified-Since, as the incremental crawl expects.
Like most real sites they send no Cache-Control: a cache judges freshness heuristically from
Last-Modified, and a crawl that must see changes revalidates (`--revalidate`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from scraper.sample import SAMPLE_DIR, SITES_DIR

CONTENT_TYPES = {
    ".html": "text/html; charset=UTF-8",
    ".json": "application/json; charset=UTF-8",
    ".ics": "text/calendar; charset=utf-8",
    ".rss": "application/rss+xml; charset=UTF-8",
    ".xml": "application/xml; charset=UTF-8",
    ".txt": "text/plain; charset=utf-8",
}
# Fixed stamps: the sample is frozen in time, and a v2 file must look newer than its base.
BASE_MODIFIED = datetime(2026, 10, 14, 8, 0, tzinfo=UTC)
V2_MODIFIED = datetime(2026, 10, 16, 8, 0, tzinfo=UTC)
ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\nAllow: /\n"


class SampleServer(ThreadingHTTPServer):
    """Threading server with a deep accept queue (http.server's default of 5 drops connections)."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], roots: list[tuple[Path, datetime]]) -> None:
        super().__init__(address, SampleHandler)
        self.roots = roots
        self.requests = 0
        self.conditional = 0
        self.not_modified = 0
        self._lock = threading.Lock()

    def count(self, headers: Any, *, not_modified: bool) -> None:
        """Tally requests for existing pages: all, conditional, answered 304 (tests read them)."""
        with self._lock:
            self.requests += 1
            self.conditional += bool(headers.get("If-None-Match") or headers.get("If-Modified-Since"))
            self.not_modified += not_modified


class SampleHandler(BaseHTTPRequestHandler):
    server: SampleServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # tests and the demo would drown in access lines

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _serve(self, *, send_body: bool) -> None:
        found = resolve(self.server.roots, self.path)
        if found is None:
            if urlsplit(self.path).path.rstrip("/").endswith("robots.txt"):
                self._send_file(ROBOTS, ".txt", BASE_MODIFIED, send_body)
                return
            body = b"<!DOCTYPE html><html><head><title>Page introuvable</title></head><body><h1>404</h1></body></html>"
            self._send(HTTPStatus.NOT_FOUND, body, {"Content-Type": CONTENT_TYPES[".html"]}, send_body)
            return
        path, modified = found
        body = path.read_bytes()
        self._send_file(body, path.suffix, modified, send_body, _engine_headers(self.path, path, body))

    def _send_file(self, body: bytes, suffix: str, modified: datetime, send_body: bool,
                   extra: dict[str, str] | None = None) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers = {
            "Content-Type": CONTENT_TYPES.get(suffix, CONTENT_TYPES[".html"]),
            "ETag": etag,
            "Last-Modified": format_datetime(modified, usegmt=True),
            **(extra or {}),
        }
        not_modified = _not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified
        )
        self.server.count(self.headers, not_modified=not_modified)
        if not_modified:
            kept = ("ETag", "Last-Modified")
            self._send(HTTPStatus.NOT_MODIFIED, b"", {k: headers[k] for k in kept}, False)
            return
        self._send(HTTPStatus.OK, body, headers, send_body)

    def _send(self, status: HTTPStatus, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


def _not_modified(inm: str | None, ims: str | None, etag: str, modified: datetime) -> bool:
    if inm is not None:
        return any(tag.strip() in (etag, "*", "W/" + etag) for tag in inm.split(","))
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since is not None and since >= modified
    return False


def _engine_headers(request_path: str, path: Path, body: bytes) -> dict[str, str]:
    """Headers a real engine adds: The Events Calendar's totals, WordPress's API link."""
    if "/wp-json/tribe/events/v1/" not in request_path or path.suffix != ".json":
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(data, dict) or "total" not in data:
        return {}
    host = urlsplit(request_path).path.lstrip("/").split("/", 1)[0]
    return {
        "X-TEC-Total": str(data["total"]),
        "X-TEC-TotalPages": str(data.get("total_pages", 1)),
        "Link": f'<https://{host}/wp-json/>; rel="https://api.w.org/"',
    }


def resolve(roots: list[tuple[Path, datetime]], request_path: str) -> tuple[Path, datetime] | None:
    """File (and its Last-Modified) that answers `request_path`, first root winning."""
    parts = urlsplit(request_path)
    rel = unquote(parts.path).lstrip("/")
    if ".." in rel.split("/"):
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    for root, modified in roots:
        hit = _resolve_in(root, rel, query)
        if hit is not None:
            return hit, modified
    return None


def _resolve_in(root: Path, rel: str, query: list[tuple[str, str]]) -> Path | None:
    target = root / rel
    qdir = Path(str(target).rstrip("/") + "__q")
    if query and qdir.is_dir():
        return _match_query(qdir, query)
    if target.is_file():
        return target
    if target.is_dir():
        for candidate in sorted(target.glob("index.*")):
            if candidate.is_file():
                return candidate
    if qdir.is_dir():
        return _match_query(qdir, query)
    return None


def _match_query(qdir: Path, query: list[tuple[str, str]]) -> Path | None:
    have = {f"{k}={v}" for k, v in query}
    best: tuple[int, Path] | None = None
    for candidate in sorted(qdir.iterdir()):
        stem = candidate.name.rsplit(".", 1)[0] if "." in candidate.name else candidate.name
        wanted = set() if stem == "_" else set(stem.split("&"))
        if wanted <= have and (best is None or len(wanted) > best[0]):
            best = (len(wanted), candidate)
    return best[1] if best else None


def serve_sample(
    port: int = 0, *, variant: str | None = None, overlay: Path | None = None
) -> tuple[SampleServer, str]:
    """Start the sample server on 127.0.0.1 in a daemon thread; returns (server, base_url).

    `variant` "v2" serves the changed pages of `scraper/sample/v2/` ("v1" or None: the base
    tree); `overlay` is one more tree on top (tests use it to break a site on purpose).
    Stop it with `server.shutdown(); server.server_close()`.
    """
    roots = [(SITES_DIR, BASE_MODIFIED)]
    if variant and variant != "v1":
        overlay_dir = SAMPLE_DIR / variant
        if not overlay_dir.is_dir():
            raise ValueError(f"no sample variant {variant!r} in {SAMPLE_DIR}")
        roots.insert(0, (overlay_dir, V2_MODIFIED))
    if overlay is not None:
        roots.insert(0, (Path(overlay), V2_MODIFIED))
    server = SampleServer(("127.0.0.1", port), roots)
    thread = threading.Thread(target=server.serve_forever, name="essagenda-sample", daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
