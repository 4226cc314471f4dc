"""Downloader middleware: a redirect that comes back to a URL already visited is a fault, said so."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


class RedirectLoop(IgnoreRequest):
    """The site redirects in a circle (/a -> /b -> /a)."""


class RedirectLoopMiddleware:
    """Turn a circular redirect into a RedirectLoop failure.

    Without it Scrapy's duplicate filter drops the second visit silently and the crawl row
    never says the page could not be reached. It must see 3xx responses before
    RedirectMiddleware (600) does, so it is ordered after it.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not 300 <= response.status < 400 or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        visited = [*request.meta.get("redirect_urls", ()), request.url]
        if target in visited:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*visited, target])}")
        return response
