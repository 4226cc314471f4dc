"""schema.org Event (and subtypes) from JSON-LD, microdata and RDFa."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from scraper.items import Event
from scraper.urls import absolute
from spiders.extract import common

# schema.org Event subtypes that are things to attend. Left out on purpose: DeliveryEvent (a parcel),
# OnDemandEvent and the UserInteraction family (blog comments are marked up as UserComments).
EVENT_TYPES = frozenset({
    "Event", "BusinessEvent", "ChildrensEvent", "ComedyEvent", "CourseInstance", "DanceEvent",
    "EducationEvent", "EventSeries", "ExhibitionEvent", "Festival", "FoodEvent", "Hackathon",
    "LiteraryEvent", "MusicEvent", "PublicationEvent", "BroadcastEvent", "SaleEvent", "ScreeningEvent",
    "SocialEvent", "SportsEvent", "TheaterEvent", "VisualArtsEvent",
})
_STATUS = {
    "eventcancelled": "cancelled",
    "eventpostponed": "postponed",
    # A rescheduled event carries its new date in startDate: it is scheduled (at that date).
    "eventrescheduled": "scheduled",
    "eventmovedonline": "scheduled",
    "eventscheduled": "scheduled",
}
_ATTENDANCE = {
    "offlineeventattendancemode": "offline",
    "onlineeventattendancemode": "online",
    "mixedeventattendancemode": "mixed",
}
# The page's visible text, or a function that builds it: it is only read to check a 'Z' time
# against the clock the page shows, and most pages give offsets, so building it is often wasted.
PageText = str | Callable[[], str]

_SCRIPT = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def short_type(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return re.split(r"[/#:]", value.strip())[-1]


def types_of(node: dict[str, Any]) -> list[str]:
    t = node.get("@type", node.get("type"))
    if isinstance(t, list):
        return [short_type(x) for x in t]
    return [short_type(t)]


def is_event(node: object) -> bool:
    return isinstance(node, dict) and any(t in EVENT_TYPES for t in types_of(node))


def loads_lenient(text: str) -> Any:
    """JSON as CMSs write it in <script>: comments, CDATA, trailing commas, raw newlines in strings."""
    text = text.strip()
    text = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", text)
    text = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", text).strip()
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    cleaned = re.sub(r"(?m)^\s*//.*$", "", text)
    cleaned = re.sub(r",\s*([}\]])", r"\1", cleaned)
    try:
        return json.loads(cleaned, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(htmllib.unescape(cleaned), strict=False)
    except ValueError:
        pass
    # Two objects pasted in one script tag: read them one after the other.
    dec = json.JSONDecoder(strict=False)
    out, pos = [], 0
    while pos < len(cleaned):
        while pos < len(cleaned) and cleaned[pos] in " \t\r\n,;":
            pos += 1
        if pos >= len(cleaned):
            break
        try:
            obj, pos = dec.raw_decode(cleaned, pos)
        except ValueError:
            break
        out.append(obj)
    if out:
        return out
    raise ValueError("unreadable JSON-LD")


def iter_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document, depth first (events hide in @graph, ItemList, subEvent…)."""
    if depth > 40:
        return
    if isinstance(data, dict):
        yield data
        for v in data.values():
            if isinstance(v, (dict, list)):
                yield from iter_nodes(v, depth + 1)
    elif isinstance(data, list):
        for v in data:
            yield from iter_nodes(v, depth + 1)


def with_references(data: Any) -> list[dict[str, Any]]:
    """Event nodes of a document, with {"@id": …} references (Yoast-style @graph) replaced by their node."""
    all_nodes = list(iter_nodes(data))
    ids = {n["@id"]: n for n in all_nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    out = []
    for node in all_nodes:
        if not is_event(node):
            continue
        if ids:
            node = dict(node)
            for key in ("location", "organizer", "image", "offers", "performer"):
                node[key] = _resolve(node.get(key), ids)
        out.append(node)
    return out


def _resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return ids.get(value["@id"], value)
    return value


def scripts(html: str) -> list[str]:
    return [m.group(1) for m in _SCRIPT.finditer(html)]


def events_from_html(html: str, *, url: str, source: str, tz: str, reference: date | None,
                     skipped: Counter[str], page_text: PageText = "") -> list[Event]:
    """Events from every JSON-LD script, then microdata and RDFa when no JSON-LD event was found."""
    nodes: list[dict[str, Any]] = []
    for raw in scripts(html):
        try:
            data = loads_lenient(raw)
        except ValueError:
            skipped["jsonld/bad_json"] += 1
            continue
        nodes.extend(with_references(data))
    if not nodes and (re.search(r"itemscope|typeof\s*=|vocab\s*=", html, re.IGNORECASE)):
        nodes.extend(_structured_html(html, url, skipped))
    return events_from_nodes(nodes, url=url, source=source, tz=tz, reference=reference, skipped=skipped,
                             page_text=page_text)


def events_from_nodes(nodes: list[dict[str, Any]], *, url: str, source: str, tz: str,
                      reference: date | None, skipped: Counter[str], page_text: PageText = "") -> list[Event]:
    out: list[Event] = []
    seen: set[tuple[str, str, str]] = set()
    id_counts = Counter(n.get("@id") for n in nodes if isinstance(n.get("@id"), str))
    for node in nodes:
        key = (common.text_of(node.get("name")), str(node.get("startDate")), str(node.get("url")))
        if key in seen:
            continue
        seen.add(key)
        ev = event_from_node(node, url=url, source=source, tz=tz, reference=reference,
                             skipped=skipped, page_text=page_text)
        if ev is not None:
            node_id = node.get("@id")
            # An @id naming this event alone identifies it; a page URL shared by several does not.
            if isinstance(node_id, str) and id_counts[node_id] == 1 and node_id.strip() not in ("", url):
                ev.native_id = f"jsonld:{node_id.strip()}"
            out.append(ev)
    return out


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _name(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return common.text_of(value.get("name") or value.get("legalName") or value.get("@value"))
    return common.text_of(value)


def _url(value: Any, base: str) -> str | None:
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            v = v.get("url") or v.get("contentUrl") or v.get("@id")
        got = absolute(v, base)
        if got:
            return got
    return None


def event_from_node(node: dict[str, Any], *, url: str, source: str, tz: str, reference: date | None,
                    skipped: Counter[str], page_text: PageText = "") -> Event | None:
    title = common.text_of(node.get("name")) or common.text_of(node.get("headline"))
    if not title:
        skipped["jsonld/no_name"] += 1
        return None
    start_txt = common.text_of(_first(node.get("startDate")))
    end_txt = common.text_of(_first(node.get("endDate")))
    ev = Event(
        source=source,
        url=_url(node.get("url"), url) or _url(node.get("@id"), url) or url,
        title=title,
        start_raw=start_txt if not end_txt else f"{start_txt} / {end_txt}",
        extractor="jsonld",
        reference_date=reference,
    )
    desc = node.get("description")
    desc_text = common.text_of(desc)
    if desc_text:
        ev.description_html = desc_text if "<" in desc_text else common.text_to_html(desc_text)
    ev.image = _url(node.get("image"), url)
    ev.organizer = _name(node.get("organizer")) or None
    _read_location(ev, node.get("location"), url)
    _read_offers(ev, node.get("offers"), url)
    status = short_type(common.text_of(_first(node.get("eventStatus")))).lower()
    if status in _STATUS:
        ev.status = _STATUS[status]
    mode = short_type(common.text_of(_first(node.get("eventAttendanceMode")))).lower()
    if mode in _ATTENDANCE:
        ev.attendance = _ATTENDANCE[mode]
    elif status == "eventmovedonline":
        ev.attendance = "online"
    kw = node.get("keywords")
    if isinstance(kw, str):
        ev.tags = [k.strip() for k in kw.split(",") if k.strip()][:20]
    elif isinstance(kw, list):
        ev.tags = [common.text_of(k) for k in kw if common.text_of(k)][:20]

    def shown_text() -> str:
        return (page_text() if callable(page_text) else page_text) + " " + desc_text

    _read_dates(ev, start_txt, end_txt, tz=tz, page_text=shown_text)
    duration = common.parse_duration(common.text_of(node.get("duration")))
    if ev.end is None and isinstance(ev.start, datetime) and duration is not None and not end_txt:
        ev.end = ev.start + duration
    if ev.start is None:
        skipped["jsonld/no_start"] += 1
        if not start_txt:
            ev.date_status = "unparsed"
    return common.finish(ev)


def _read_dates(ev: Event, start_txt: str, end_txt: str, *, tz: str, page_text: Callable[[], str]) -> None:
    s = common.parse_iso(start_txt) or common.parse_dmy(start_txt)
    if s is None:
        return
    e = common.parse_iso(end_txt) or common.parse_dmy(end_txt)
    local = common.zone(None, tz)
    start, end = s.value, e.value if e else None
    if s.utc_marked and isinstance(start, datetime):
        if common.z_is_local(start, page_text(), local):
            start = start.replace(tzinfo=None)
            if isinstance(end, datetime) and e is not None and e.utc_marked:
                end = end.replace(tzinfo=None)
            common.flag(ev, "z_as_local")
        elif start.time() == datetime.min.time() and (end is None or (isinstance(end, datetime)
                                                                      and end.time() in _DAY_ENDS)):
            # Date pickers that store a plain day as midnight UTC: the day is what was meant.
            start = start.date()
            end = end.date() if isinstance(end, datetime) else end
            common.flag(ev, "z_midnight_as_date")
    all_day = not isinstance(start, datetime)
    if all_day and isinstance(end, datetime):
        end = end.date()
    if isinstance(start, datetime) and isinstance(end, date) and not isinstance(end, datetime):
        end = None if end <= start.date() else end
    common.set_dates(ev, start, end, tz=local, all_day=all_day)


_DAY_ENDS = {datetime.min.time(), datetime.max.time().replace(microsecond=0), datetime(1, 1, 1, 23, 59).time()}


def _read_location(ev: Event, loc: Any, base: str) -> None:
    items = loc if isinstance(loc, list) else [loc] if loc is not None else []
    offline = online = False
    raw_parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            text = common.text_of(item)
            if re.match(r"https?://", text):
                online = True
                ev.online_url = ev.online_url or absolute(text, base)
            elif text:
                offline = True
                raw_parts.append(text)
                pc, city = common.postcode_city(text)
                ev.postal_code = ev.postal_code or pc
                ev.city = ev.city or city
            continue
        if not isinstance(item, dict):
            continue
        kinds = types_of(item)
        if "VirtualLocation" in kinds:
            online = True
            ev.online_url = ev.online_url or _url(item.get("url"), base)
            continue
        offline = True
        name = common.text_of(item.get("name"))
        addr = item.get("address") if "PostalAddress" not in kinds else item
        parts = [name] if name else []
        if isinstance(addr, dict):
            street = common.text_of(addr.get("streetAddress"))
            pc = common.text_of(addr.get("postalCode"))
            city = common.text_of(addr.get("addressLocality"))
            ev.address = ev.address or street or None
            ev.postal_code = ev.postal_code or pc or None
            ev.city = ev.city or city or None
            parts.extend(p for p in (street, " ".join(x for x in (pc, city) if x)) if p)
        elif isinstance(addr, (str, list)):
            text = common.text_of(addr)
            if text:
                parts.append(text)
                pc, city = common.postcode_city(text)
                ev.postal_code = ev.postal_code or pc
                ev.city = ev.city or city
        if name and "PostalAddress" not in kinds:
            ev.venue = ev.venue or name
        geo = item.get("geo")
        if isinstance(geo, dict):
            try:
                ev.latitude = float(geo.get("latitude"))  # type: ignore[arg-type]
                ev.longitude = float(geo.get("longitude"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                ev.latitude = ev.longitude = None
        if parts:
            raw_parts.append(", ".join(dict.fromkeys(parts)))
    ev.location_raw = " ; ".join(dict.fromkeys(raw_parts))
    if online and offline:
        ev.attendance = "mixed"
    elif online:
        ev.attendance = "online"
    elif offline:
        ev.attendance = "offline"


def _read_offers(ev: Event, offers: Any, base: str) -> None:
    for offer in offers if isinstance(offers, list) else [offers]:
        if isinstance(offer, dict):
            got = _url(offer.get("url"), base)
            if got:
                ev.registration_url = got
                return


# ---------------------------------------------------------------- microdata / RDFa


def _structured_html(html: str, url: str, skipped: Counter[str]) -> list[dict[str, Any]]:
    import extruct  # heavy (rdflib): only loaded for pages that carry microdata or RDFa

    out: list[dict[str, Any]] = []
    wanted = []
    if re.search(r"itemscope", html, re.IGNORECASE):
        wanted.append("microdata")
    if re.search(r"\btypeof\s*=|\bvocab\s*=", html, re.IGNORECASE):
        wanted.append("rdfa")  # rdflib is slow: only for pages that declare RDFa
    for syntax in wanted:
        try:
            data = extruct.extract(html, base_url=url, syntaxes=[syntax], errors="ignore")
        except Exception:  # noqa: BLE001 - extruct raises anything its parsers raise; one syntax failing is a skip
            skipped[f"jsonld/{syntax}_error"] += 1
            continue
        items = data.get(syntax) or []
        if syntax == "microdata":
            converted = [_from_microdata(i) for i in items]
        else:
            converted = _from_rdfa(items)
        out.extend(n for c in converted for n in iter_nodes(c) if is_event(n))
        if out:
            break
    return out


def _from_microdata(item: Any) -> Any:
    if isinstance(item, list):
        return [_from_microdata(i) for i in item]
    if not isinstance(item, dict):
        return item
    node: dict[str, Any] = {"@type": item.get("type")}
    props = item.get("properties")
    if isinstance(props, dict):
        for k, v in props.items():
            node[k] = _from_microdata(v)
    elif "value" in item:
        return item["value"]
    return node


def _from_rdfa(items: list[Any]) -> list[dict[str, Any]]:
    by_id = {i.get("@id"): i for i in items if isinstance(i, dict)}

    def compact(node: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": [short_type(t) for t in node.get("@type", [])]}
        for k, vals in node.items():
            if k.startswith("@"):
                continue
            key = short_type(k)
            conv = []
            for v in vals if isinstance(vals, list) else [vals]:
                if isinstance(v, dict) and "@value" in v:
                    conv.append(v["@value"])
                elif isinstance(v, dict) and "@id" in v:
                    target = by_id.get(v["@id"])
                    if target is not None and depth < 6 and target.get("@type"):
                        conv.append(compact(target, depth + 1))
                    else:
                        conv.append(v["@id"])
            out[key] = conv[0] if len(conv) == 1 else conv
        return out

    return [compact(i, 0) for i in items if isinstance(i, dict) and i.get("@type")]
