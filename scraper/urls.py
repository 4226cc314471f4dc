"""URL rules shared by the spiders, the extractors and the HTTP cache: absolute web URLs,
the offline sample's URLs and the real ones, same site, season bounds, the shapes of event
and calendar URLs, ad-hoc source ids. Standard library only, and no import of the project."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

# ---------------------------------------------------------------- absolute URLs


def absolute(url: object, base: str) -> str | None:
    """Absolute http(s) URL or None (javascript:, mailto:, garbage)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url:
        return None
    try:
        out = urljoin(base, url)
        parts = urlsplit(out)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return out


def external_url(value: object) -> str | None:
    """A URL typed into a form field (registration, website): absolute http(s), or 'www.…'; never relative."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.lower().startswith("www."):
        value = "https://" + value
    if not re.match(r"(?i)https?://[^/\s]", value):
        return None
    return absolute(value, value)


def url_root(url: str) -> str:
    """'https://www.x.org/agenda/?p=2' -> 'https://www.x.org/'."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


# ---------------------------------------------------------------- the offline sample's URLs


def to_local(real_url: str, base: str) -> str:
    """'https://www.x.org/agenda/?p=2' -> 'http://127.0.0.1:8000/www.x.org/agenda/?p=2'."""
    parts = urlsplit(real_url)
    path = parts.path or "/"
    return f"{base.rstrip('/')}/{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def to_real(local_url: str, base: str, schemes: dict[str, str] | None = None) -> str | None:
    """Inverse of `to_local`; None if the URL is not under `base`. Schemes default to https."""
    prefix = base.rstrip("/") + "/"
    if not local_url.startswith(prefix):
        return None
    rest = local_url[len(prefix):]
    host, _, tail = rest.partition("/")
    if not host or "." not in host:
        return None
    scheme = (schemes or {}).get(host, "https")
    return f"{scheme}://{host}/{tail}"


# ---------------------------------------------------------------- same site


def same_site(url: str, hosts: Iterable[str]) -> bool:
    """The URL's host is one of `hosts` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h.lower() or host.endswith("." + h.lower()) for h in hosts)


def same_host(a: str, b: str) -> bool:
    """Two URLs on the same host, with or without 'www.'."""
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return ha.removeprefix("www.") == hb.removeprefix("www.")


# ---------------------------------------------------------------- season bounds

_YEAR_MONTH = re.compile(r"(?<!\d)(20\d{2})[-/_.]?(0[1-9]|1[0-2])(?![0-9])")
# A 19xx year only as a whole path segment ('/1999/'): at the end of a slug it is a record
# number ('/agenda/evenement-1950/'), not an archive of last century.
_YEAR_ONLY = re.compile(r"(?:^|[/=_-])(20\d{2}|(?<=/)19\d{2}(?=$|/))(?=$|[/&_-])")
_MONTH_PARAMS = ("mois", "month", "tribe-bar-date", "date", "eventDate", "ym", "periode")
_YEAR_PARAMS = ("annee", "year", "an", "saison")


def season_start(crawl_date: date) -> date:
    """1 September of the season the crawl date belongs to: the Mois de l'ESS programme starts
    appearing in September, so events from then on are kept even once past."""
    year = crawl_date.year if crawl_date.month >= 9 else crawl_date.year - 1
    return date(year, 9, 1)


def url_out_of_season(url: str, *, crawl_date: date) -> bool:
    """True for URLs dated before the current season or more than a year after the crawl date.

    Catches endless 'next month' calendars (`?mois=2031-04`, `/agenda/2030/07/`) and year
    archives (`/2019/11/...`, `?annee=2018`); undated URLs pass.
    """
    first = season_start(crawl_date)
    last = crawl_date + timedelta(days=366)
    parts = urlsplit(url)
    months: list[tuple[int, int]] = []
    years: list[int] = []
    for key, value in parse_qsl(parts.query):
        if key in _MONTH_PARAMS or key in _YEAR_PARAMS:
            months += [(int(y), int(m)) for y, m in _YEAR_MONTH.findall(value)]
            if key in _YEAR_PARAMS and value.isdigit() and len(value) == 4:
                years.append(int(value))
    months += [(int(y), int(m)) for y, m in _YEAR_MONTH.findall(parts.path)]
    if not months:
        # A number far from the crawl's year is a record id ('/evenement-2045/'), not a year.
        years += [y for y in map(int, _YEAR_ONLY.findall(parts.path))
                  if crawl_date.year - 30 <= y <= crawl_date.year + 5]
    for year, month in months:
        if date(year, month, 1) < first.replace(day=1) or date(year, month, 1) > last:
            return True
    return any(year < first.year or year > last.year for year in years)


# ---------------------------------------------------------------- The Events Calendar's REST API

TRIBE_PATH = "/wp-json/tribe/events/v1/events"


def with_tribe_start(url: str, start: date) -> str:
    """The Events Calendar answers only upcoming events unless `start_date` is given; the first
    page also asks for 50 events a page (next pages keep what `next_rest_url` says)."""
    parts = urlsplit(url)
    path = parts.path
    if path.rstrip("/").endswith("/wp-json"):
        path = path.rstrip("/").removesuffix("/wp-json") + TRIBE_PATH
    if TRIBE_PATH not in path:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    if not any(k == "start_date" for k, _ in query):
        query.append(("start_date", start.isoformat()))
    if not any(k in ("per_page", "page") for k, _ in query):
        # The API's default of 10 per page would cost a request per ten events.
        query.append(("per_page", "50"))
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


# ---------------------------------------------------------------- shapes of agenda URLs

# Paths of event pages on the engines the sources run: WordPress/The Events Calendar (/evenement/slug/),
# SPIP (spip.php?article12, /Mon-evenement, ?page=evenement&id_evenement=3), Drupal (/agenda/slug, /node/12),
# Joomla (/agenda/12-slug), OpenAgenda (/agendas/1/events/2).
_EVENT_PATH = re.compile(
    r"""(?ix)
    (?:^|/)(?:evenements?|[ée]v[èée]nements?|events?|agenda|agendas|manifestations?|rendez-vous|rdv|
          animations?|ateliers?|webinaires?|conferences?|formations?|programme|mois-de-l-?ess)/[^/?#]+
    | spip\.php\?(?:article|page=evenement|evenement)\d*
    | [?&]id_evenement=\d+
    | /agendas/\d+/events/\d+
    """
)
_NOT_EVENT = re.compile(
    r"""(?ix)
    (?:^|/)(?:categor(?:y|ie)|tag|etiquette|feed|rss|wp-json|wp-content|wp-admin|page|auteur|author|
            liste|list|mois|month|semaine|week|jour|day|photo|map|carte|recherche|search)(?:/|$)
    | [?&](?:ical|outlook-ical|tribe-bar-date|eventDisplay|month|mois|week|paged?|s|format)=
    | \.(?:ics|xml|pdf|jpe?g|png|gif|webp|docx?|zip|mp4)$
    | /(?:\d{4}-\d{2}|\d{4}/\d{2})/?$
    """
)
AGENDA_WORDS = re.compile(
    r"agenda|[ée]v[èée]nements?|evenements?|events?|calendrier|manifestations|rendez-vous|mois-de-l-?ess",
    re.IGNORECASE,
)
"""Words of an agenda's URL or link text ('/agenda/', 'Nos événements', '/mois-de-l-ess/')."""
_MONTH_IN_URL = re.compile(r"(?:[?&](?:tribe-bar-date|month|mois|date)=|/(?:mois|month|events?|evenements?|agenda)/)"
                           r"(\d{4})-(\d{1,2})(?:-\d{1,2})?")


def is_event_link(link: str, page: str) -> bool:
    """A same-site URL whose path looks like one event's page (not a category, feed, month view)."""
    if not same_host(link, page) or urldefrag(link)[0].rstrip("/") == urldefrag(page)[0].rstrip("/"):
        return False
    parts = urlsplit(link)
    path = parts.path + ("?" + parts.query if parts.query else "")
    if _NOT_EVENT.search(path):
        return False
    return bool(_EVENT_PATH.search(path))


def is_internal_page(link: str, page: str) -> bool:
    """A same-site page other than `page` that is not a feed, a taxonomy or a calendar view."""
    if not same_host(link, page) or urldefrag(link)[0].rstrip("/") == urldefrag(page)[0].rstrip("/"):
        return False
    parts = urlsplit(link)
    path = parts.path + ("?" + parts.query if parts.query else "")
    return not _NOT_EVENT.search(path) and parts.path not in ("", "/")


def calendar_month(url: str) -> date | None:
    """The month a calendar view URL shows ('/evenements/mois/2021-12/', '?tribe-bar-date=2021-12')."""
    m = _MONTH_IN_URL.search(url)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def page_number(url: str) -> int | None:
    """The number a listing page's URL gives it ('?page=3', '?paged=3', '/page/3/'); None if it gives none."""
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query))
    for key in ("page", "paged", "pg"):
        if key in q and q[key].isdigit():
            return int(q[key])
    m = re.search(r"/page/(\d+)/?$", parts.path)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- ad-hoc sources


def source_id_for_url(url: str) -> str:
    """Source id for an ad-hoc agenda URL, from its host and port: 'url_www_example_org_8080'.

    Raises ValueError unless the URL is absolute http(s).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower()
    host = host.removeprefix("www.")
    slug = re.sub(r"[^a-z0-9]+", "_", host).strip("_")
    if parts.port:
        slug = f"{slug}_{parts.port}"
    return f"url_{slug}"
