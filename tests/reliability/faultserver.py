"""Loopback HTTP server that misbehaves on purpose, one fault per URL, for crawl reliability tests."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit

Behaviour = Callable[["_Handler", "FaultServer"], None]

# The agenda the server publishes; version 2 is "the site changed overnight": one event
# renamed, one withdrawn, one added.
AGENDA_EVENTS: dict[int, list[dict[str, str]]] = {
    1: [
        {
            "name": "Forum de l'emploi solidaire",
            "startDate": "2026-12-08T09:30:00+01:00",
            "endDate": "2026-12-08T17:00:00+01:00",
            "venue": "Halle des coopératives",
            "street": "12 rue des Tanneurs",
            "postcode": "69007",
            "city": "Lyon",
            "description": "<p>Rencontres entre structures d'insertion et personnes en recherche "
            "d'emploi, ateliers CV et table ronde sur les métiers du réemploi.</p>",
            "slug": "forum-emploi-solidaire",
        },
        {
            "name": "Atelier : créer une SCIC en milieu rural",
            "startDate": "2026-12-10T14:00:00+01:00",
            "endDate": "2026-12-10T16:30:00+01:00",
            "venue": "Maison des associations",
            "street": "3 place du Marché",
            "postcode": "35000",
            "city": "Rennes",
            "description": "<p>Un après-midi pour comprendre la société coopérative d'intérêt "
            "collectif : gouvernance, collèges d'associés, financement.</p>",
            "slug": "atelier-scic-rural",
        },
        {
            "name": "Marché de Noël de l'économie circulaire",
            "startDate": "2026-12-19",
            "endDate": "2026-12-20",
            "venue": "Parc des expositions",
            "street": "1 avenue de la Foire",
            "postcode": "21000",
            "city": "Dijon",
            "description": "<p>Ressourceries, ateliers de réparation et artisans du territoire "
            "réunis le temps d'un week-end.</p>",
            "slug": "marche-noel-circulaire",
        },
    ],
}
AGENDA_EVENTS[2] = [
    {**AGENDA_EVENTS[1][0], "name": "Forum de l'emploi solidaire (nouvelle salle)", "venue": "Salle Rameau"},
    AGENDA_EVENTS[1][2],
    {
        "name": "Petit-déjeuner des dirigeants de coopératives",
        "startDate": "2026-12-15T08:30:00+01:00",
        "endDate": "2026-12-15T10:00:00+01:00",
        "venue": "Café associatif Le Lien",
        "street": "8 rue Gambetta",
        "postcode": "44000",
        "city": "Nantes",
        "description": "<p>Échanges informels sur la transmission d'entreprise en SCOP.</p>",
        "slug": "petit-dejeuner-cooperatives",
    },
]

ROBOTS_TXT = b"User-agent: *\nDisallow: /prive/\n"

# Text with letters that differ between UTF-8 and windows-1252 (é, è, à, ’, –, œ).
MOJIBAKE_TITLE = "Journée régionale de l’économie sociale – cœur de métier à Besançon"


def jsonld_event(ev: dict[str, str], base: str) -> dict[str, Any]:
    """A schema.org Event object for one agenda entry."""
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": ev["name"],
        "startDate": ev["startDate"],
        "endDate": ev["endDate"],
        "url": f"{base}/evenement/{ev['slug']}",
        "description": ev["description"],
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": ev["venue"],
            "address": {
                "@type": "PostalAddress",
                "streetAddress": ev["street"],
                "postalCode": ev["postcode"],
                "addressLocality": ev["city"],
                "addressCountry": "FR",
            },
        },
        "organizer": {"@type": "Organization", "name": "CRESS de démonstration"},
    }


def event_page(title: str, events: list[dict[str, Any]], *, links: list[tuple[str, str]] = (),
               next_url: str | None = None, charset: str = "utf-8") -> str:
    """An HTML page with JSON-LD events, visible cards and links."""
    scripts = "\n".join(
        '<script type="application/ld+json">' + json.dumps(e, ensure_ascii=False).replace("</", "<\\/")
        + "</script>" for e in events
    )
    cards = "\n".join(
        f'<article class="evenement"><h2><a href="{e["url"]}">{e["name"]}</a></h2>'
        f'<p class="date">{e["startDate"]}</p>'
        f'<p class="lieu">{e["location"]["name"]}, {e["location"]["address"]["addressLocality"]}</p></article>'
        for e in events
    )
    anchors = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    nxt = f'<link rel="next" href="{next_url}">' if next_url else ""
    nxt_a = f'<a class="suivant" rel="next" href="{next_url}">Mois suivant</a>' if next_url else ""
    return (
        f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="{charset}">'
        f"<title>{title}</title>{nxt}\n{scripts}\n</head>\n<body><h1>{title}</h1>\n{cards}\n"
        f"<ul>{anchors}</ul>\n{nxt_a}\n</body></html>\n"
    )


# --- behaviours: each answers one request ---------------------------------------------------------


def ok(body: bytes | str, content_type: str = "text/html; charset=utf-8", *, delay: float = 0.0) -> Behaviour:
    """200 with a fixed body (after an optional delay, to make overlapping requests visible)."""
    data = body.encode() if isinstance(body, str) else body

    def run(h: _Handler, srv: FaultServer) -> None:
        if delay:
            srv.sleep(delay)
        h.reply(200, data, {"Content-Type": content_type})

    return run


def status(code: int, headers: dict[str, str] | None = None) -> Behaviour:
    """An HTTP error page with the given status (e.g. 503 + Retry-After)."""
    body = f"<html><body><h1>Erreur {code}</h1></body></html>".encode()

    def run(h: _Handler, srv: FaultServer) -> None:
        h.reply(code, body, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})

    return run


def slow(seconds: float, body: bytes = b"<html><body>trop tard</body></html>") -> Behaviour:
    """Answers only after `seconds` (past the crawler's download timeout)."""

    def run(h: _Handler, srv: FaultServer) -> None:
        srv.sleep(seconds)
        h.reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

    return run


def reset() -> Behaviour:
    """Reads the request, then aborts the TCP connection (RST) without a byte of answer."""

    def run(h: _Handler, srv: FaultServer) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.abort()

    return run


def truncated(body: bytes) -> Behaviour:
    """Declares the full Content-Length, sends half the body, then drops the connection."""

    def run(h: _Handler, srv: FaultServer) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[: len(body) // 2])
        h.wfile.flush()
        # A clean FIN after half the body: the client sees a short read, not a reset.
        h.abort()

    return run


def huge(size: int, *, declare_length: bool = True) -> Behaviour:
    """A body of `size` bytes streamed until the client hangs up (for the max-size limit)."""
    chunk = b"<p>" + b"x" * 65_530 + b"</p>\n"

    def run(h: _Handler, srv: FaultServer) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            h.send_header("Content-Length", str(size))
        h.end_headers()
        sent = 0
        try:
            while sent < size and not srv.stopping.is_set():
                part = chunk[: size - sent]
                h.wfile.write(part)
                sent += len(part)
        except OSError:
            pass
        srv.note("huge_bytes_sent", sent)
        h.abort()

    return run


def redirect(location: str, code: int = 302) -> Behaviour:
    """A redirect (two of them pointing at each other make a loop)."""

    def run(h: _Handler, srv: FaultServer) -> None:
        h.reply(code, b"", {"Location": location})

    return run


def calendar_month(h: _Handler, srv: FaultServer) -> None:
    """An endless month view: /agenda/mois/YYYY-MM always links to the next month."""
    ym = h.route_path.rsplit("/", 1)[-1]
    try:
        year, month = (int(x) for x in ym.split("-"))
    except ValueError:
        h.reply(404, b"", {})
        return
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    base = srv.url("")
    ev = {
        "name": f"Permanence conseil aux associations ({month:02d}/{year})",
        "startDate": f"{year:04d}-{month:02d}-05T10:00:00+01:00",
        "endDate": f"{year:04d}-{month:02d}-05T12:00:00+01:00",
        "venue": "Locaux de la CRESS",
        "street": "5 rue de la Solidarité",
        "postcode": "31000",
        "city": "Toulouse",
        "description": "<p>Rendez-vous individuel avec une chargée de mission.</p>",
        "slug": f"permanence-{year:04d}-{month:02d}",
    }
    node = jsonld_event(ev, base)
    node["url"] = srv.url(h.route_path)
    page = event_page(f"Calendrier {month:02d}/{year}", [node], next_url=f"{base}/agenda/mois/{ny:04d}-{nm:02d}")
    h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


def encoded_page(declared: str, actual: str) -> Behaviour:
    """An event page whose bytes are in `actual` while header and <meta> say `declared`."""

    def run(h: _Handler, srv: FaultServer) -> None:
        base = srv.url("")
        ev = {
            "name": MOJIBAKE_TITLE,
            "startDate": "2026-12-03T09:00:00+01:00",
            "endDate": "2026-12-03T18:00:00+01:00",
            "venue": "Kursaal",
            "street": "2 place du Théâtre",
            "postcode": "25000",
            "city": "Besançon",
            "description": "<p>Journée d’échanges – coopération, réemploi, œuvres sociales.</p>",
            "slug": h.route_path.rsplit("/", 1)[-1],
        }
        page = event_page(MOJIBAKE_TITLE, [jsonld_event(ev, base)], charset=declared)
        h.reply(200, page.encode(actual), {"Content-Type": f"text/html; charset={declared}"})

    return run


def empty(h: _Handler, srv: FaultServer) -> None:
    """200 OK with a zero-length body."""
    h.reply(200, b"", {"Content-Type": "text/html; charset=utf-8"})


def agenda(h: _Handler, srv: FaultServer) -> None:
    """The site's agenda page: JSON-LD events of the current version plus links to every fault."""
    base = srv.url("")
    events = [jsonld_event(e, base) for e in AGENDA_EVENTS[srv.version]]
    links = [(base + p, label) for p, label in srv.agenda_links]
    page = event_page("Agenda de l'ESS", events, links=links,
                      next_url=base + srv.calendar_start if srv.calendar_start else None)
    if srv.agenda_delay:
        srv.sleep(srv.agenda_delay)
    h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


def detail(h: _Handler, srv: FaultServer) -> None:
    """An event detail page /evenement/<slug> (only for events of the current version)."""
    slug = h.route_path.rsplit("/", 1)[-1]
    for e in AGENDA_EVENTS[srv.version]:
        if e["slug"] == slug:
            ev = jsonld_event(e, srv.url(""))
            if srv.page_delay:
                srv.sleep(srv.page_delay)
            h.reply(200, event_page(e["name"], [ev]).encode(), {"Content-Type": "text/html; charset=utf-8"})
            return
    h.reply(404, b"<html><body>Introuvable</body></html>", {"Content-Type": "text/html"})


def numbered_event(h: _Handler, srv: FaultServer) -> None:
    """/evenement/lot-N: one event page per N (a site with many events, for crash and load tests)."""
    try:
        n = int(h.route_path.rsplit("-", 1)[-1])
    except ValueError:
        h.reply(404, b"", {})
        return
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    ev = {
        "name": f"Atelier coopératif n°{n}",
        "startDate": f"2027-{month:02d}-{day:02d}T{9 + n % 8:02d}:00:00+01:00",
        "endDate": f"2027-{month:02d}-{day:02d}T{11 + n % 8:02d}:00:00+01:00",
        "venue": f"Tiers-lieu n°{n % 7}",
        "street": f"{n} rue de la Coopération",
        "postcode": "31000",
        "city": "Toulouse",
        "description": f"<p>Atelier {n} : gouvernance partagée et finances solidaires.</p>",
        "slug": f"lot-{n}",
    }
    if srv.page_delay:
        srv.sleep(srv.page_delay)
    page = event_page(ev["name"], [jsonld_event(ev, srv.url(""))])
    h.reply(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


FAULT_LINKS: list[tuple[str, str]] = [
    ("/evenement/panne-500", "Conférence (erreur 500)"),
    ("/evenement/panne-503", "Colloque (503 Retry-After)"),
    ("/evenement/disparu", "Page disparue (404)"),
    ("/evenement/lent", "Page trop lente"),
    ("/evenement/coupure", "Connexion coupée"),
    ("/evenement/tronque", "Page tronquée"),
    ("/evenement/enorme", "Page énorme"),
    ("/evenement/boucle-a", "Boucle de redirections"),
    ("/prive/evenement/reunion-adherents", "Agenda réservé (robots.txt)"),
    ("/evenement/journee-cp1252", "Journée régionale (encodage)"),
    ("/evenement/journee-utf8", "Journée régionale (encodage inverse)"),
    ("/evenement/vide", "Page vide"),
]
"""Fault pages the agenda links to; their paths look like event pages so a crawler follows them."""


@dataclass
class FaultServer:
    """Threaded loopback server with a `{path: behaviour}` table; counts hits and concurrency.

    Use as a context manager; `url(path)` gives absolute URLs. Paths match exactly, then by the
    longest registered prefix ending in '/' or '-'.
    """

    slow_seconds: float = 6.0
    huge_size: int = 40 * 1024 * 1024
    version: int = 1
    agenda_delay: float = 0.0
    page_delay: float = 0.0
    routes: dict[str, Behaviour] = field(default_factory=dict)
    agenda_links: list[tuple[str, str]] = field(default_factory=lambda: list(FAULT_LINKS))
    calendar_start: str | None = None
    """Path of the first month view the agenda's "Mois suivant" link points to (None: no link)."""
    hits: Counter[str] = field(default_factory=Counter)
    user_agents: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    active: int = 0
    peak: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        defaults: dict[str, Behaviour] = {
            "/robots.txt": ok(ROBOTS_TXT, "text/plain"),
            "/agenda": agenda,
            "/evenement/": detail,
            "/evenement/panne-500": status(500),
            "/evenement/panne-503": status(503, {"Retry-After": "1"}),
            "/evenement/disparu": status(404),
            "/evenement/lent": slow(self.slow_seconds),
            "/evenement/coupure": reset(),
            "/evenement/tronque": truncated(
                event_page("Page tronquée", [jsonld_event(AGENDA_EVENTS[1][0], "http://x")]).encode() * 4
            ),
            "/evenement/enorme": huge(self.huge_size),
            "/evenement/enorme-sans-longueur": huge(self.huge_size, declare_length=False),
            "/evenement/boucle-a": redirect("/evenement/boucle-b"),
            "/evenement/boucle-b": redirect("/evenement/boucle-a"),
            "/agenda/mois/": calendar_month,
            "/prive/": ok("<html><body>Réservé aux adhérents</body></html>"),
            "/evenement/journee-cp1252": encoded_page("utf-8", "cp1252"),
            "/evenement/journee-utf8": encoded_page("windows-1252", "utf-8"),
            "/evenement/vide": empty,
            "/evenement/lot-": numbered_event,
        }
        self.routes = {**defaults, **self.routes}

    # -- lifecycle -------------------------------------------------------------------------------
    def __enter__(self) -> Self:
        handler = type("Handler", (_Handler,), {"fault_server": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        # http.server keeps 5 pending connections by default: a crawl bursting past that
        # would see dropped connections that are the test server's fault, not the site's.
        httpd.request_queue_size = 128
        httpd.daemon_threads = True
        httpd.allow_reuse_address = True
        httpd.server_bind()
        httpd.server_activate()
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    # -- helpers for behaviours ------------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server stops (so teardown is quick)."""
        self.stopping.wait(seconds)

    def note(self, key: str, value: Any) -> None:
        with self._lock:
            self.notes[key] = value

    def route(self, path: str) -> Behaviour | None:
        if path in self.routes:
            return self.routes[path]
        prefixes = [p for p in self.routes if p.endswith(("/", "-")) and path.startswith(p)]
        return self.routes[max(prefixes, key=len)] if prefixes else None

    def _enter(self, path: str, ua: str) -> None:
        with self._lock:
            self.hits[path] += 1
            self.user_agents.append(ua)
            self.active += 1
            self.peak = max(self.peak, self.active)

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1

    def hits_under(self, prefix: str) -> int:
        with self._lock:
            return sum(n for p, n in self.hits.items() if p.startswith(prefix))


class _Abort(Exception):
    """Raised by a behaviour that killed the connection on purpose."""


class _Handler(BaseHTTPRequestHandler):
    fault_server: FaultServer
    protocol_version = "HTTP/1.0"
    route_path = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reply(self, code: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(code)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            # The client gave up first (download timeout): that is the point of a slow page.
            pass

    def abort(self) -> None:
        raise _Abort

    def do_GET(self) -> None:
        srv = self.fault_server
        self.route_path = urlsplit(self.path).path
        srv._enter(self.route_path, self.headers.get("User-Agent", ""))
        started = time.monotonic()
        try:
            behaviour = srv.route(self.route_path)
            if behaviour is None:
                self.reply(404, b"<html><body>Introuvable</body></html>", {"Content-Type": "text/html"})
            else:
                behaviour(self, srv)
        except _Abort:
            self.close_connection = True
            try:
                self.connection.close()
            except OSError:
                pass
        finally:
            srv._leave()
            srv.note(f"duration:{self.route_path}", time.monotonic() - started)

    do_HEAD = do_GET

    def finish(self) -> None:
        try:
            super().finish()
        except (OSError, ValueError):
            pass
