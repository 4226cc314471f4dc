"""EssSpider: the one crawl loop every source uses, with feed discovery for strategy `auto`.

Crawl order for `auto`: each start page is run through the extractors; its feeds are discovered
(The Events Calendar REST, OpenAgenda, iCal, RSS, then sitemap.xml) and the best one is followed
instead of the HTML pages; with no feed, agenda links, event links and pagination are followed,
same site only, within `ESS_MAX_DEPTH` and `ESS_MAX_PAGES_PER_SOURCE`, skipping URLs dated before
the current season or far ahead of the crawl date (calendar traps, archives).

With `ESS_BASE_URL_OVERRIDE=http://127.0.0.1:PORT` every request goes to
`http://127.0.0.1:PORT/<host>/<path>` (the offline sample); extractors and items only ever see the
real URL, so record ids are the same as in a live crawl.

Incremental crawls: a page the HTTP cache serves unchanged (a fresh hit or a 304) whose body
the `pages` table recorded last time is not extracted again; the spider follows its links (or
its feed's recorded next pages) and yields a `PageSeen` so the store confirms its records.
`ESS_REVALIDATE` sends `Cache-Control: max-age=0` (ask the site about every page; unchanged
ones answer 304), `ESS_REFRESH` sends `Cache-Control: no-cache` and re-extracts every page.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, timedelta
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from pipelines.normalize.fr_data import region_timezone
from scraper.items import Event, PageSeen
from scraper.signals import page_seen
from scraper.urls import (
    AGENDA_WORDS,
    TRIBE_PATH,
    same_site,
    season_start,
    to_local,
    to_real,
    url_out_of_season,
    with_tribe_start,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

    from storage.rows import PageRecord

# Best first: a structured feed carries dates and places the HTML only shows as prose.
FEED_PRIORITY = ("tribe", "openagenda", "ical", "rss")
# Extractors whose events carry a link of their own: a link no other event of the page shares
# identifies the event when the extractor found no native id.
LINKED_EXTRACTORS = ("tribe", "openagenda", "ical", "rss", "jsonld")
# Feeds may live on the agenda service's host rather than on the site itself.
FEED_HOSTS = ("openagenda.com", "api.openagenda.com")
MAX_PAGINATION_HOPS = 30
MAX_SITEMAP_URLS = 60
_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@cache
def _extract_api() -> ModuleType:
    # Imported on first use so that `scrapy list` works without loading every extractor.
    import spiders.extract as api

    return api


@cache
def _links_api() -> ModuleType:
    from spiders.extract import links

    return links


class EssSpider(scrapy.Spider):
    """Base of every source spider; subclasses only set registry attributes (no `name` here)."""

    # Scrapy would otherwise parse the source of every callback of every spider at start-up
    # (a check for `return value` in generators): a second of a recrawl's few seconds.
    custom_settings: ClassVar[dict[str, Any]] = {"WARN_ON_GENERATOR_RETURN_VALUE": False}  # type: ignore[misc]
    region_code: str | None = None
    strategy: str = "auto"
    source_hosts: tuple[str, ...] = ()
    # A tuple, not Scrapy's list: one class per source shares it, and nobody may append to it.
    start_urls: tuple[str, ...] = ()  # type: ignore[assignment]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> EssSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure(crawler.settings)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    def _configure(self, settings: BaseSettings) -> None:
        self.base_override = (settings.get("ESS_BASE_URL_OVERRIDE") or "").rstrip("/")
        self.crawl_date = crawl_date_from(settings.get("ESS_CRAWL_DATE"))
        self.season_start = season_start(self.crawl_date)
        self.max_pages = settings.getint("ESS_MAX_PAGES_PER_SOURCE", 300)
        self.max_depth = settings.getint("ESS_MAX_DEPTH", 3)
        self.max_events_per_page = settings.getint("ESS_MAX_EVENTS_PER_PAGE", 500)
        self.max_events = settings.getint("ESS_MAX_EVENTS_PER_SOURCE", 5000)
        self.max_bytes = settings.getint("ESS_MAX_BYTES_PER_SOURCE", 64 * 1024 * 1024)
        self._events_emitted = 0
        self._bytes = 0
        self._capped = False
        self.unanswered: dict[str, str] = {}
        """Event pages listed but not answered in this crawl (real URL -> why): their records are
        not judged missing, the rest of the source's are. Complete once `settle_dropped` ran."""
        self.unanswered_listings = 0
        """Other pages (listings, feeds) left with no answer by a redirect the duplicate filter
        dropped: the crawl did not read all it meant to, so it is incomplete."""
        self._answered: set[str] = set()
        self._dropped: list[tuple[dict[str, Any], str, str]] = []
        hosts = list(self.source_hosts) or [urlsplit(u).netloc for u in self.start_urls]
        if self.base_override:
            # An ad-hoc URL given on the sample server itself stands for the site it copies.
            for url in self.start_urls:
                real = to_real(url, self.base_override)
                if real:
                    hosts.append(urlsplit(real).netloc)
        self.schemes = {urlsplit(u).netloc: urlsplit(u).scheme for u in self.start_urls}
        self.hosts = tuple(dict.fromkeys(hosts))
        allowed = [h.split(":")[0] for h in self.hosts] + list(FEED_HOSTS)
        if self.base_override:
            allowed.append(urlsplit(self.base_override).hostname or "127.0.0.1")
        self.allowed_domains = allowed
        self._requested: set[str] = set()
        self._feed_chosen: str | None = None
        self._budget_logged = False
        self.refresh = settings.getbool("ESS_REFRESH")
        self.revalidate = settings.getbool("ESS_REVALIDATE")
        self.cache_headers = (
            {"Cache-Control": "no-cache"} if self.refresh
            else {"Cache-Control": "max-age=0"} if self.revalidate else {}
        )
        self.openagenda_key = settings.get("ESS_OPENAGENDA_KEY") or ""
        self.known_pages: dict[str, PageRecord] = {}
        db_path = settings.get("ESS_DB_PATH") or ""
        if db_path and not self.refresh and settings.getbool("HTTPCACHE_ENABLED"):
            self.known_pages = _load_pages(db_path, self.name)

    # Crawl date: the only clock read in the spiders.
    @property
    def stats(self) -> Any:
        return self.crawler.stats

    async def start(self) -> AsyncIterator[Request]:
        # Feed strategies start on the feed itself; page strategies crawl pages without discovery.
        kind = f"feed:{self.strategy}" if self.strategy in FEED_PRIORITY else "start"
        for url in self.start_urls:
            real = (to_real(url, self.base_override) if self.base_override else None) or url
            if self.strategy == "tribe":
                real = with_tribe_start(real, self.season_start)
            request = self._request(real, depth=0, kind=kind, start=True)
            if request is not None:
                yield request

    # -- requests -------------------------------------------------------------------------

    def _request(
        self, real_url: str, *, depth: int, kind: str, start: bool = False, **meta: Any
    ) -> Request | None:
        if real_url in self._requested:
            return None
        if self._capped:
            return None
        if len(self._requested) >= self.max_pages:
            self.stats.inc_value("ess/budget_refused")
            if not self._budget_logged:
                self.logger.warning("%s: page budget of %d reached", self.name, self.max_pages)
                self._budget_logged = True
            return None
        self._requested.add(real_url)
        local = to_local(real_url, self.base_override) if self.base_override else real_url
        if real_url.startswith("http://") and self.base_override:
            self.schemes.setdefault(urlsplit(real_url).netloc, "http")
        meta.update(ess_real_url=real_url, ess_depth=depth, ess_kind=kind, ess_start=start)
        self.stats.inc_value("ess/requests")
        headers = {**self.cache_headers, **_extract_api().openagenda.key_headers(real_url, self.openagenda_key)}
        return Request(local, callback=self.parse, errback=self.on_error, meta=meta,
                       headers=headers or None, priority=10 if kind.startswith("feed") else 0)

    def real_url(self, response: Response) -> str:
        """The real-site URL of a response (after redirects, mapped back from the sample)."""
        real = response.meta.get("ess_real_url")
        local_sent = to_local(real, self.base_override) if (real and self.base_override) else real
        if real and response.url == local_sent:
            return str(real)
        if self.base_override:
            back = to_real(response.url, self.base_override, self.schemes)
            if back:
                return back
            # A cached response keeps the URL it was fetched from: an earlier run's sample port.
            here, there = urlsplit(self.base_override), urlsplit(response.url)
            if there.hostname == here.hostname and there.scheme == here.scheme:
                back = to_real(response.url, f"{there.scheme}://{there.netloc}", self.schemes)
                if back:
                    return back
        return response.url

    # -- callbacks ------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Event | PageSeen | Request]:
        meta = response.meta
        kind: str = meta.get("ess_kind", "start")
        depth: int = meta.get("ess_depth", 0)
        real = self.real_url(response)
        self._bytes += len(response.body)
        self._answered.add(response.url)
        if self.max_bytes and self._bytes > self.max_bytes:
            self._stop_at_cap("bytes_per_source", f"{self._bytes} bytes downloaded")
        self.stats.inc_value("ess/pages")
        self.stats.inc_value(f"ess/pages/{kind.split(':')[0]}")
        if meta.get("ess_start"):
            self.stats.inc_value("ess/start_ok")
        if kind == "sitemap":
            yield from self._follow_sitemap(response.body, depth=depth)
            return
        body_hash = hashlib.sha1(response.body).hexdigest()
        known = self.known_pages.get(real)
        if known is not None and known.body_hash == body_hash and "cached" in response.flags:
            yield from self._parse_unchanged(response, real, known, kind=kind, depth=depth)
            return
        header = response.headers.get(b"Content-Type")
        ctype = header.decode("latin-1") if header else None
        html: str | None = None
        encoding = mislabelled_encoding(response.body, ctype)
        if encoding is not None:
            if not encoding:
                # Bytes no encoding reads: say so rather than extract garbage.
                self.stats.inc_value("ess/skipped/encoding")
                self.logger.warning("%s: %s declares an encoding its bytes are not in", self.name, real)
                self._no_answer(meta, "encoding")
                return
            self.stats.inc_value("ess/encoding/sniffed")
            ctype = f"{(ctype or 'text/html').split(';')[0]}; charset={encoding}"
            html = response.body.decode(encoding)
        result = _extract_api().extract(
            response.body, url=real, source=self.name, content_type=ctype, reference=self.crawl_date,
            tz=region_timezone(self.region_code),
        )
        if self.max_events_per_page and len(result.events) > self.max_events_per_page:
            self.stats.inc_value("ess/caps/events_per_page")
            self.logger.warning("%s: %d events on %s, only the first %d read", self.name,
                                len(result.events), real, self.max_events_per_page)
            del result.events[self.max_events_per_page:]
        for reason, count in result.skipped.items():
            self.stats.inc_value(f"ess/skipped/{reason}", count)
        if kind.startswith("feed") or result.extractor in FEED_PRIORITY:
            emitted = self._emit(result.events, result.extractor, skip_urls=set(), page_url=real)
            yield from emitted
            yield from self._page_seen(PageSeen(self.name, real, body_hash, extractor=result.extractor,
                                                events=len(emitted), next_urls=tuple(result.next_urls)))
            yield from self._after_feed(len(emitted), result.extractor, result.next_urls, kind=kind, meta=meta)
            return
        if html is None:
            html = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        candidates = self._link_candidates(html, real, kind=kind)
        follow = self._html_followups(html, real, depth=depth, kind=kind, meta=meta, candidates=candidates)
        detail_urls = {r.meta["ess_real_url"] for r in follow if r.meta.get("ess_kind") == "detail"}
        feed_followed = any(r.meta.get("ess_kind", "").startswith("feed") for r in follow)
        events = result.events
        if feed_followed and events:
            # The feed announces the same events with structured dates: keep its version only.
            self.stats.inc_value("ess/events_deferred_to_feed", len(events))
            events = []
        elif kind != "detail" and (detail_urls or any(e.url != real and e.url in self._requested for e in events)):
            # Cards of a listing are summaries of the pages this crawl reads in full (now, or
            # from another listing: a calendar's months repeat their long events).
            kept = [e for e in events if e.extractor not in ("html", "roundup")]
            if len(kept) < len(events):
                self.stats.inc_value("ess/events_deferred_to_detail", len(events) - len(kept))
            events = kept
        emitted = self._emit(events, result.extractor, skip_urls=detail_urls, page_url=real)
        yield from emitted
        yield from self._page_seen(PageSeen(self.name, real, body_hash, extractor=result.extractor,
                                            events=len(emitted), links=candidates))
        yield from follow

    def _after_feed(
        self, events: int, extractor: str, next_urls: Iterable[str], *, kind: str, meta: dict[str, Any]
    ) -> Iterator[Request]:
        depth: int = meta.get("ess_depth", 0)
        if events and meta.get("ess_probe"):
            self._feed_chosen = extractor
            self.stats.set_value("ess/feed", extractor)
        if meta.get("ess_probe") and not events:
            yield from self._fallback(meta)
        for nxt in next_urls:
            nxt = with_tribe_start(nxt, self.season_start)
            if same_site(nxt, (*self.hosts, *FEED_HOSTS)):
                req = self._request(nxt, depth=depth, kind=kind if kind.startswith("feed") else "feed:next")
                if req is not None:
                    yield req

    def _page_seen(self, page: PageSeen) -> Iterator[PageSeen]:
        """Hand a page's bookkeeping to whoever listens for `page_seen` (the store); as an item it
        would cost a trip through every pipeline and Scrapy's item machinery (about 0.7 ms a
        page on bench/crawl.py). With no listener (no store, no crawler) it is yielded as before."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.signals.send_catch_log(page_seen, page=page):
            return
        yield page

    def _parse_unchanged(
        self, response: Response, real: str, known: PageRecord, *, kind: str, depth: int
    ) -> Iterator[PageSeen | Request]:
        """A page served unchanged from the cache: its records are confirmed, not re-read;
        its links (or its feed's recorded next pages) are still followed."""
        self.stats.inc_value("ess/pages/unchanged")
        if known.events:
            self.stats.inc_value("ess/events", known.events)
            self.stats.inc_value(f"ess/events/{known.extractor or 'none'}", known.events)
        yield from self._page_seen(PageSeen(self.name, real, known.body_hash, unchanged=True,
                                            extractor=known.extractor, events=known.events,
                                            next_urls=tuple(known.next_urls)))
        if kind.startswith("feed") or known.extractor in FEED_PRIORITY:
            yield from self._after_feed(known.events, known.extractor, known.next_urls, kind=kind,
                                        meta=response.meta)
            return
        html = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        yield from self._html_followups(html, real, depth=depth, kind=kind, meta=response.meta,
                                        candidates=known.links)

    def _emit(
        self, events: Iterable[Event], extractor: str, *, skip_urls: set[str], page_url: str
    ) -> list[Event]:
        events = list(events)
        links = Counter(event.url for event in events)
        out: list[Event] = []
        for event in events:
            # The event's own page will be fetched and read whole: keep that version only.
            if event.url in skip_urls:
                self.stats.inc_value("ess/events_deferred_to_detail")
                continue
            if self.max_events and self._events_emitted >= self.max_events:
                self._stop_at_cap("events_per_source", f"{self._events_emitted} events read")
                break
            self._events_emitted += 1
            if event.source_region is None:
                event.source_region = self.region_code
            name = event.extractor or extractor or "none"
            event.page_url = event.page_url or page_url
            if event.native_id is None and links[event.url] == 1:
                event.native_id = _fallback_native_id(event, name, page_url, single=len(events) == 1)
            self.stats.inc_value("ess/events")
            self.stats.inc_value(f"ess/events/{name}")
            out.append(event)
        return out

    def _html_followups(
        self, html: str, real: str, *, depth: int, kind: str, meta: dict[str, Any],
        candidates: dict[str, Any] | None = None,
    ) -> list[Request]:
        out: list[Request] = []
        if candidates is None:
            candidates = self._link_candidates(html, real, kind=kind)
        links = self._links(candidates, depth=depth, kind=kind, meta=meta)
        # Feeds are advertised on the home and agenda pages; looking again on every event
        # page would cost a scan per page for nothing.
        if self.strategy == "auto" and self._feed_chosen is None and depth <= 1 and kind != "detail":
            if "feeds" not in candidates:
                # Kept with the link candidates (the caller saves them): discovery parses the page.
                candidates["feeds"] = [[f.kind, f.url] for f in _extract_api().discover_feeds(html, url=real)]
                candidates["wordpress"] = _looks_wordpress(html)
            feeds = self._rank_feeds(candidates["feeds"])
            if not feeds and depth == 0 and candidates.get("wordpress"):
                # WordPress that does not advertise its REST root: ask for the events API anyway.
                host = urlsplit(real)
                feeds = [("tribe", with_tribe_start(f"{host.scheme}://{host.netloc}{TRIBE_PATH}", self.season_start))]
            req = self._try_feeds(feeds, links, depth=depth) if feeds else None
            if req is not None:
                return [req]
        if self._feed_chosen is not None and kind != "detail":
            return out
        for url, d, k, hops in links:
            req = self._request(url, depth=d, kind=k, ess_hops=hops)
            if req is not None:
                out.append(req)
        if not out and depth == 0 and kind == "start" and self._feed_chosen is None:
            host = urlsplit(real)
            req = self._request(f"{host.scheme}://{host.netloc}/sitemap.xml", depth=depth, kind="sitemap",
                                ess_probe=True)
            if req is not None:
                out.append(req)
        return out

    def _rank_feeds(self, discovered: Iterable[tuple[str, str] | list[str]]) -> list[tuple[str, str]]:
        """Feeds a page advertises ((kind, url) from discovery), best first; RSS only when it is
        an agenda's own feed."""
        ranked: list[tuple[int, str, str]] = []
        for kind, feed_url in discovered:
            if kind not in FEED_PRIORITY or not same_site(feed_url, (*self.hosts, *FEED_HOSTS)):
                continue
            # A site-wide blog feed (/feed/) is news, not an agenda.
            if kind == "rss" and not AGENDA_WORDS.search(feed_url):
                continue
            if (kind == "openagenda" and not self.openagenda_key and not self.base_override
                    and _extract_api().openagenda.needs_key(feed_url)):
                # (A local copy of a site, as in the demo, answers without a key.)
                self._warn_openagenda("ess/openagenda/no_key", _extract_api().openagenda.MISSING_KEY)
                continue
            url = with_tribe_start(feed_url, self.season_start) if kind == "tribe" else feed_url
            ranked.append((FEED_PRIORITY.index(kind), kind, url))
        ranked.sort(key=lambda item: item[0])
        return [(kind, url) for _, kind, url in ranked]

    def _try_feeds(
        self, feeds: list[tuple[str, str]], links: list[tuple[str, int, str, int]], *, depth: int
    ) -> Request | None:
        """Request the first feed; if it fails or is empty, the next, and at last the HTML links."""
        while feeds:
            (kind, url), rest = feeds[0], feeds[1:]
            req = self._request(url, depth=depth, kind=f"feed:{kind}", ess_probe=True,
                                ess_alternatives=rest, ess_fallback=links)
            if req is not None:
                self._feed_chosen = kind
                self.logger.info("%s: trying %s feed %s", self.name, kind, url)
                return req
            feeds = rest
        return None

    def _link_candidates(self, html: str, real: str, *, kind: str) -> dict[str, Any]:
        return _links_api().link_candidates(html, real, kind=kind, max_month=self._max_month())

    def _max_month(self) -> date:
        """The last calendar month worth paging to: a year ahead of the crawl."""
        return (self.crawl_date + timedelta(days=366)).replace(day=1)

    def _links(
        self, candidates: dict[str, Any], *, depth: int, kind: str, meta: dict[str, Any]
    ) -> list[tuple[str, int, str, int]]:
        """(url, depth, kind, pagination hops) of the pages worth fetching from this page."""
        if kind == "detail":
            return []
        out: list[tuple[str, int, str, int]] = []
        hops = int(meta.get("ess_hops", 0))
        if depth + 1 <= self.max_depth:
            for url in candidates.get("event") or []:
                if self._followable(url):
                    out.append((url, depth + 1, "detail", 0))
        nxt = candidates.get("next")
        if nxt and hops < MAX_PAGINATION_HOPS and self._followable(nxt):
            out.append((nxt, depth, "listing", hops + 1))
        if kind == "start" and depth + 1 <= self.max_depth:
            known = {u for u, *_ in out}
            for url in candidates.get("agenda") or []:
                if url not in known and self._followable(url):
                    out.append((url, depth + 1, "listing", 0))
        return out

    def _followable(self, url: str) -> bool:
        if urlsplit(url).scheme not in ("http", "https") or not same_site(url, self.hosts):
            return False
        if url_out_of_season(url, crawl_date=self.crawl_date):
            self.stats.inc_value("ess/skipped_urls/out_of_season")
            return False
        return True

    def _fallback(self, meta: dict[str, Any]) -> Iterator[Request]:
        self._feed_chosen = None
        self.stats.inc_value("ess/feeds/fallback")
        links = meta.get("ess_fallback") or []
        alternatives = meta.get("ess_alternatives") or []
        if alternatives:
            req = self._try_feeds(alternatives, links, depth=meta.get("ess_depth", 0))
            if req is not None:
                yield req
                return
        for url, depth, kind, hops in links:
            req = self._request(url, depth=depth, kind=kind, ess_hops=hops)
            if req is not None:
                yield req

    def _follow_sitemap(self, body: bytes, *, depth: int) -> Iterator[Request]:
        count = 0
        for raw in _LOC.findall(body):
            url = raw.decode("utf-8", "replace")
            if url.endswith(".xml") and AGENDA_WORDS.search(url) and same_site(url, self.hosts):
                req = self._request(url, depth=depth, kind="sitemap")
            elif (AGENDA_WORDS.search(urlsplit(url).path) and self._followable(url)
                  and depth + 1 <= self.max_depth):
                req = self._request(url, depth=depth + 1, kind="detail")
            else:
                continue
            if req is not None:
                count += 1
                yield req
            if count >= MAX_SITEMAP_URLS:
                break

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on errbacks
        meta = request.meta
        exc = failure.value
        if (isinstance(exc, HttpError) and exc.response.status in (401, 403)
                and _extract_api().openagenda.needs_key(meta.get("ess_real_url") or "")):
            self._warn_openagenda("ess/openagenda/key_refused",
                                  _extract_api().openagenda.REFUSED_KEY.format(status=exc.response.status))
        if meta.get("ess_probe"):
            # A missing optional endpoint is an answer, not an error.
            self.stats.inc_value("ess/probes/miss")
            yield from self._fallback(meta)
            return
        exc = failure.value
        if isinstance(exc, HttpError):
            status = exc.response.status
            self.stats.inc_value("ess/http_errors")
            self.stats.inc_value(f"ess/http_errors/{status}")
            self.logger.warning("%s: HTTP %s on %s", self.name, status, meta.get("ess_real_url"))
            reason = f"http_{status}"
        else:
            reason = fault_name(exc)
            self.stats.inc_value("ess/net_errors")
            self.stats.inc_value(f"ess/net_errors/{reason}")
            self.logger.warning("%s: %s on %s", self.name, reason, meta.get("ess_real_url"))
        if self._no_answer(meta, reason):
            self.stats.inc_value("ess/unanswered_fetch_errors")

    def _warn_openagenda(self, stat: str, message: str) -> None:
        """Say once per crawl why an OpenAgenda feed is not read (no key, or a refused one)."""
        if not self.stats.get_value(stat):
            self.logger.warning("%s: %s", self.name, message)
        self.stats.inc_value(stat)

    def _stop_at_cap(self, cap: str, what: str) -> None:
        """Close this crawl once a per-source cap is reached: `ess/caps/<cap>`, counted once."""
        if self._capped:
            return
        self._capped = True
        self.stats.inc_value(f"ess/caps/{cap}")
        self.logger.warning("%s: %s, the %s cap: crawl closed", self.name, what, cap)
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.engine is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(crawler.engine.close_spider_async(reason=f"cap_{cap}"))

    def request_dropped(self, request: Request, spider: scrapy.Spider) -> None:
        """The scheduler's duplicate filter dropped a request: after a redirect, the page it
        stood for has no answer unless the page it redirects to was read (settled at the end)."""
        if spider is not self or "ess_real_url" not in request.meta:
            return
        reason = "redirect_duplicate" if request.meta.get("redirect_urls") else "duplicate"
        self._dropped.append((request.meta, request.url, reason))

    def settle_dropped(self) -> None:
        """At the end of the crawl: a dropped redirect whose target was read was answered by it
        (two links to one page); one whose target never answered (two listed pages redirecting
        to each other) was not. Called by the health extension before it reads the figures."""
        for meta, target, reason in self._dropped:
            if target in self._answered:
                continue
            if not self._no_answer(meta, reason):
                self.unanswered_listings += 1
                self.stats.inc_value(f"ess/unanswered_listings/{reason}")
        self._dropped.clear()

    def _no_answer(self, meta: dict[str, Any], reason: str) -> bool:
        """Remember a listed event page that got no answer; True when it was one."""
        if meta.get("ess_kind") != "detail":
            return False
        url = str(meta["ess_real_url"])
        if url not in self.unanswered:
            self.unanswered[url] = reason
            self.stats.inc_value("ess/unanswered")
            self.stats.inc_value(f"ess/unanswered/{reason}")
        return True


def fault_name(exc: BaseException) -> str:
    """A failed download's name in the stats: the exception's class, except for the limits
    Scrapy reports with generic ones (a body past DOWNLOAD_MAXSIZE, a compressed body that
    inflates past it)."""
    if isinstance(exc, DownloadCancelledError) and "max size" in str(exc):
        return "maxsize"
    if isinstance(exc, IgnoreRequest) and "decompression" in str(exc):
        return "decompression_bomb"
    return type(exc).__name__


def mislabelled_encoding(body: bytes, content_type: str | None) -> str | None:
    """The encoding to read a page in when its declared UTF-16 or UTF-32 is wrong: None when
    the declaration holds (or is another encoding), '' when the bytes read in no encoding.

    Seen on hostile pages: `charset=utf-16` on UTF-8 bytes, which Scrapy and the extractors
    would read as Chinese-looking garbage, losing the page's events and links.
    """
    match = _CHARSET.search(content_type or "")
    declared = match.group(1) if match else None
    if declared is None:
        meta = _META_CHARSET.search(body[:4096])
        declared = meta.group(1).decode("ascii", "replace") if meta else None
    if not declared or not declared.lower().replace("_", "-").startswith(("utf-16", "utf-32", "utf16", "utf32")):
        return None
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            body.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return ""


def _fallback_native_id(event: Event, extractor: str, page_url: str, *, single: bool) -> str | None:
    """The event's own URL as its identity when the extractor found no native id: a feed item
    or card linking to a page of its own, or the only event of its own page."""
    if extractor in LINKED_EXTRACTORS and event.url != page_url:
        return event.url
    if extractor in ("html", "jsonld") and event.url == page_url and single:
        return page_url
    return None


def _load_pages(db_path: str, source: str) -> dict[str, PageRecord]:
    from pathlib import Path

    if str(db_path) != ":memory:" and not Path(db_path).exists():
        return {}
    from storage.db import open_db
    from storage.read import load_pages

    db = open_db(db_path)
    try:
        return load_pages(db, source)
    finally:
        db.close()


def _looks_wordpress(html: str) -> bool:
    return "/wp-content/" in html or "wp-json" in html or 'content="WordPress' in html


def crawl_date_from(value: str | None) -> date:
    """`ESS_CRAWL_DATE` (ISO) if set, else today: the one place spiders read the clock."""
    if value:
        return date.fromisoformat(str(value))
    return date.today()
