"""Corpus of XSS / injection payloads and the checks that prove none survives in an executable form."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import feedparser
import icalendar
import lxml.etree
import lxml.html

MARK = "ESSXSS"
"""Every script payload calls alert('ESSXSS…'): any surviving marker in code position is a hit."""


@dataclass(frozen=True)
class Payload:
    name: str
    text: str


# HTML/markup payloads: placed in titles, descriptions and locations.
MARKUP: list[Payload] = [
    Payload("script", f"<script>alert('{MARK}1')</script>"),
    Payload("script_upper", f"<SCRIPT>alert('{MARK}2')</SCRIPT>"),
    Payload("script_src", f'<script src="https://evil.example/{MARK}3.js"></script>'),
    Payload("script_split", f"<scr<script>ipt>alert('{MARK}4')</scr</script>ipt>"),
    Payload("script_unclosed", f"<script>alert('{MARK}5')"),
    Payload("script_in_attr_break", f"\"><script>alert('{MARK}6')</script>"),
    Payload("script_single_quote_break", f"'><script>alert('{MARK}7')</script>"),
    Payload("img_onerror", f"<img src=x onerror=alert('{MARK}8')>"),
    Payload("img_onerror_nospace", f"<img/src=x/onerror=alert('{MARK}9')>"),
    Payload("body_onload", f"<body onload=alert('{MARK}10')>"),
    Payload("div_onmouseover", f"<div onmouseover=\"alert('{MARK}11')\">survol</div>"),
    Payload("a_javascript", f"<a href=\"javascript:alert('{MARK}12')\">inscription</a>"),
    Payload("a_javascript_case", f"<a href=\"JaVaScRiPt:alert('{MARK}13')\">inscription</a>"),
    Payload("a_javascript_entities", f"<a href=\"&#106;avascript:alert('{MARK}14')\">lien</a>"),
    Payload("a_javascript_tab", f"<a href=\"java\tscript:alert('{MARK}15')\">lien</a>"),
    Payload("a_javascript_leading_space", f"<a href=\" javascript:alert('{MARK}16')\">lien</a>"),
    Payload("a_vbscript", f"<a href=\"vbscript:msgbox('{MARK}17')\">lien</a>"),
    Payload("a_data_html", f"<a href=\"data:text/html,<script>alert('{MARK}18')</script>\">lien</a>"),
    Payload("a_data_b64", "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgnRVNTWFNTMTknKTwvc2NyaXB0Pg==\">"
            f"lien {MARK}19</a>"),
    Payload("img_data_svg", f"<img src=\"data:image/svg+xml,<svg onload=alert('{MARK}20')>\">"),
    Payload("svg_onload", f"<svg onload=alert('{MARK}21')>"),
    Payload("svg_script", f"<svg><script>alert('{MARK}22')</script></svg>"),
    Payload("svg_animate", f"<svg><animate onbegin=alert('{MARK}23') attributeName=x dur=1s>"),
    Payload("svg_xlink", f"<svg><a xlink:href=\"javascript:alert('{MARK}24')\"><text x=20 y=20>X</text></a></svg>"),
    Payload("math_xlink", f"<math><mtext><a xlink:href=\"javascript:alert('{MARK}25')\">m</a></mtext></math>"),
    Payload("iframe", f"<iframe src=\"javascript:alert('{MARK}26')\"></iframe>"),
    Payload("iframe_srcdoc", f"<iframe srcdoc=\"<script>alert('{MARK}27')</script>\"></iframe>"),
    Payload("object", f"<object data=\"javascript:alert('{MARK}28')\"></object>"),
    Payload("embed", f"<embed src=\"javascript:alert('{MARK}29')\">"),
    Payload("form_action", f"<form action=\"javascript:alert('{MARK}30')\"><button>ok</button></form>"),
    Payload("button_formaction", f"<button formaction=\"javascript:alert('{MARK}31')\">ok</button>"),
    Payload("input_autofocus", f"<input autofocus onfocus=alert('{MARK}32')>"),
    Payload("details_ontoggle", f"<details open ontoggle=alert('{MARK}33')>"),
    Payload("marquee_onstart", f"<marquee onstart=alert('{MARK}34')>défilant</marquee>"),
    Payload("video_source_onerror", f"<video><source onerror=\"alert('{MARK}35')\"></video>"),
    Payload("style_expression", f"<div style=\"background:url(javascript:alert('{MARK}36'))\">fond</div>"),
    Payload("style_tag", f"<style>@import 'https://evil.example/{MARK}37.css';</style>"),
    Payload("link_import", f"<link rel=stylesheet href=\"javascript:alert('{MARK}38')\">"),
    Payload("meta_refresh", f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('{MARK}39')\">"),
    Payload("base_href", f"<base href=\"javascript:alert('{MARK}40')//\">"),
    Payload("comment_breakout", f"<!--<img src=\"--><img src=x onerror=alert('{MARK}41')//\">"),
    Payload("cdata_terminator", f"]]><script>alert('{MARK}42')</script><![CDATA["),
    Payload("cdata_in_text", "Tarif : 5 € ]]> gratuit pour les adhérents ]]>"),
    Payload("broken_markup", f"<p><b>Atelier <i>coopératif</b></p><div <img src=x onerror=alert('{MARK}43')>"),
    Payload("unclosed_attr", f"<a href=\"https://exemple.fr/x onmouseover=alert('{MARK}44')>lien"),
    Payload("noscript_breakout", f"<noscript><p title=\"</noscript><img src=x onerror=alert('{MARK}45')>\">"),
    Payload("template_tag", f"<template><script>alert('{MARK}46')</script></template>"),
    Payload("textarea_breakout", f"</textarea><script>alert('{MARK}47')</script>"),
    Payload("title_breakout", f"</title><script>alert('{MARK}48')</script>"),
    Payload("xml_entity", f"<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>&xxe;{MARK}49"),
    Payload("html_entities_script", f"&lt;script&gt;alert('{MARK}50')&lt;/script&gt;"),
    Payload("double_encoded", f"%3Cscript%3Ealert('{MARK}51')%3C/script%3E"),
    Payload("sql_quote", "Atelier d'été'); DROP TABLE events; --"),
    Payload("sql_union", "x' UNION SELECT id, title FROM events --"),
    Payload("json_breakout", f"\"}}, {{\"title\": \"{MARK}54\", \"x\": \""),
    Payload("control_chars", "Réunion\x00 des\x08 adhérents\x0b\x0c\x1b[31m rouge\x7f fin"),
    Payload("c1_controls", "Assemblée\x85 générale\x9b\x90 annuelle"),
    Payload("rtl_override", "Inscription \u202eexe.cod\u202c avant le 3 décembre"),
    Payload("bidi_isolates", "Salle \u2066A\u2069 puis \u2067B\u2069 et \u202dC\u202c"),
    Payload("zero_width", "Forum\u200b\u200d\ufeff de l'ESS"),
    Payload("lone_surrogate_like", "Café \udcff solidaire".encode("utf-8", "surrogateescape").decode("utf-8", "replace")),
    Payload("long_string", "Économie sociale et solidaire " * 4000),
    Payload("unclosed_tag_at_end", f"Atelier <img src=x onerror=alert('{MARK}63')"),
    Payload("long_tag_soup", ("<div>" * 2000) + f"<img src=x onerror=alert('{MARK}62')>" + ("</div>" * 2000)),
]

# URL payloads: placed in url / registration_url / online_url / image and in <a href>.
URLS: list[Payload] = [
    Payload("url_javascript", f"javascript:alert('{MARK}u1')"),
    Payload("url_javascript_case", f"JAVASCRIPT:alert('{MARK}u2')"),
    Payload("url_javascript_ws", f"  \tjavascript:alert('{MARK}u3')"),
    Payload("url_data", f"data:text/html,<script>alert('{MARK}u4')</script>"),
    Payload("url_vbscript", f"vbscript:msgbox('{MARK}u5')"),
    Payload("url_file", "file:///etc/passwd"),
    Payload("url_ftp", "ftp://127.0.0.1/agenda.ics"),
    Payload("url_mailto_script", f"mailto:x@example.org?body=<script>{MARK}u8</script>"),
    Payload("url_quote_break", f"https://exemple.fr/\"><script>alert('{MARK}u9')</script>"),
    Payload("url_attr_break", f"https://exemple.fr/' onmouseover='alert(\"{MARK}u10\")"),
]

CORPUS: list[Payload] = MARKUP + URLS

SAFE_SCHEMES = {"http", "https", ""}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "codebase",
             "cite", "longdesc", "ping", "manifest", "srcset", "lowsrc", "dynsrc", "icon"}
EXECUTABLE_TAGS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset", "base", "meta",
                   "link", "style", "form", "svg", "math", "template", "noscript", "xml", "import"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI_OVERRIDE = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TAG_IN_TEXT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|svg|math|img|style|link|meta|base|form|input|body|a|video|audio|"
    r"details|marquee|template|textarea|button|noscript|frame|frameset|applet)\b",
    re.IGNORECASE,
)


def url_scheme(url: str) -> str:
    """Scheme as a browser would see it: control chars and whitespace inside the scheme are ignored."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return m.group(1).lower() if m else ""


def is_published_url_ok(url: str | None) -> bool:
    """A URL we publish (link, enclosure, registration, image) must be absolute http(s)."""
    if url in (None, ""):
        return True
    s = urlsplit(url)
    # '<', '>', '"' and spaces are never valid in a URL (RFC 3986 wants them percent-encoded);
    # left raw they break out of attributes and read as markup in plain-text feeds.
    return (s.scheme in ("http", "https") and bool(s.netloc) and not _CONTROL.search(url)
            and not re.search(r"[\s<>\"`]", url))


def _data_block_problems(text: str, *, where: str) -> list[str]:
    if "<" in text:
        return [f"{where}: '<' in a JSON-LD block: {text[:120]!r}"]
    try:
        json.loads(text)
    except ValueError as exc:
        return [f"{where}: JSON-LD block is no JSON ({exc}): {text[:120]!r}"]
    return []


def html_problems(markup: str, *, where: str, own_scripts_ok: bool = False) -> list[str]:
    """Executable constructs in an HTML fragment or document, as found by a real HTML parser.

    `own_scripts_ok`: a full page may carry the exporter's own <script>/<style>/<meta>/<link>;
    those are allowed as long as no payload marker is in them.
    """
    if not markup.strip():
        return []
    problems: list[str] = []
    doc = lxml.html.document_fromstring(markup) if "<html" in markup[:2000].lower() else lxml.html.fragment_fromstring(
        markup, create_parent="div")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower().rsplit("}", 1)[-1]
        blob = lxml.html.tostring(el, encoding="unicode")
        always_bad = {"iframe", "object", "embed", "applet", "math", "base", "frame", "frameset"}
        if own_scripts_ok and tag == "script" and el.attrib == {"type": "application/ld+json"}:
            # The programme's JSON-LD: a data block, never executed, so payload text in it is data,
            # as long as the block is whole JSON and holds no '<' that could end it early.
            problems += _data_block_problems(el.text or "", where=where)
            continue
        if tag in EXECUTABLE_TAGS and (not own_scripts_ok or MARK in blob or tag in always_bad):
            problems.append(f"{where}: <{tag}> element survives: {blob[:120]!r}")
        for name, value in el.attrib.items():
            lname = name.lower().rsplit("}", 1)[-1]
            if lname.startswith("on"):
                problems.append(f"{where}: event handler {name}={value[:80]!r} on <{tag}>")
            if lname in URL_ATTRS or name.lower() == "xlink:href":
                for part in value.split(",") if lname == "srcset" else [value]:
                    if url_scheme(part.strip()) not in SAFE_SCHEMES | {"mailto", "tel"} or url_scheme(part.strip()) in {"mailto", "tel"} and MARK in part:
                        problems.append(f"{where}: {name}={value[:80]!r} on <{tag}>")
            if lname == "style" and re.search(r"(javascript|vbscript|expression\s*\(|url\s*\()", value, re.IGNORECASE):
                problems.append(f"{where}: style={value[:80]!r} on <{tag}>")
            if lname == "srcdoc":
                problems.append(f"{where}: srcdoc on <{tag}>")
    return problems


def text_problems(text: str | None, *, where: str) -> list[str]:
    """Problems in a plain-text field (title, location, iCal text): tags, controls, bidi overrides."""
    if not text:
        return []
    problems = []
    if _TAG_IN_TEXT.search(text):
        problems.append(f"{where}: markup in plain text: {_TAG_IN_TEXT.search(text).group(0)!r} in {text[:100]!r}")
    if _CONTROL.search(text):
        problems.append(f"{where}: control character {_CONTROL.search(text).group(0)!r} in {text[:60]!r}")
    if _BIDI_OVERRIDE.search(text):
        problems.append(f"{where}: bidi override U+{ord(_BIDI_OVERRIDE.search(text).group(0)):04X} in {text[:60]!r}")
    if any(unicodedata.category(c) == "Cs" for c in text):
        problems.append(f"{where}: lone surrogate in {text[:60]!r}")
    return problems


def control_chars(text: str) -> list[str]:
    return _CONTROL.findall(text)


# --- whole-file checks: (number of entries, problems) ---------------------------------------------


def rss_problems(data: bytes, where: str = "rss") -> tuple[int, list[str]]:
    """Well-formed for feedparser, and inert in the raw XML text (feedparser itself sanitises)."""
    parsed = feedparser.parse(data)
    if parsed.bozo:
        return 0, [f"{where}: not well-formed: {parsed.get('bozo_exception')!r}"]
    root = lxml.etree.fromstring(data)
    problems: list[str] = []
    items = list(root.iter("item"))
    for item in items:
        for child in item:
            tag = lxml.etree.QName(child).localname
            text = child.text or ""
            if tag in ("description", "encoded"):
                problems += html_problems(text, where=f"{where} {tag}")
            elif tag in ("link", "comments") or (tag == "guid" and child.get("isPermaLink", "true") != "false"):
                if not is_published_url_ok(text):
                    problems.append(f"{where} {tag} {text!r}")
            elif tag == "enclosure":
                if not is_published_url_ok(child.get("url")):
                    problems.append(f"{where} enclosure {child.get('url')!r}")
            else:
                problems += text_problems(text, where=f"{where} {tag}")
    problems += [f"{where}: raw control char {c!r}" for c in control_chars(data.decode("utf-8").replace("\t", ""))]
    return len(items), problems


def jsonfeed_problems(data: bytes, where: str = "json") -> tuple[int, list[str]]:
    try:
        doc = json.loads(data)
    except ValueError as exc:
        return 0, [f"{where}: not JSON: {exc}"]
    problems: list[str] = []
    if not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/1"):
        problems.append(f"{where}: version {doc.get('version')!r}")
    for item in doc.get("items", []):
        problems += html_problems(item.get("content_html") or "", where=f"{where} content_html")
        for key in ("title", "summary", "content_text"):
            problems += text_problems(item.get(key), where=f"{where} {key}")
        for key in ("url", "external_url", "image", "banner_image"):
            if not is_published_url_ok(item.get(key)):
                problems.append(f"{where} {key} {item.get(key)!r}")
        for tag in item.get("tags", []):
            problems += text_problems(tag, where=f"{where} tag")
        for ext_key, ext in item.items():
            if ext_key.startswith("_") and isinstance(ext, dict):
                for k, v in ext.items():
                    if isinstance(v, str) and k.endswith("url") and not is_published_url_ok(v):
                        problems.append(f"{where} {ext_key}.{k} {v!r}")
                    elif isinstance(v, str):
                        problems += text_problems(v, where=f"{where} {ext_key}.{k}")
    return len(doc.get("items", [])), problems


def geojson_problems(data: bytes, where: str = "geojson") -> tuple[int, list[str]]:
    """A GeoJSON map of ours: JSON, a FeatureCollection, the same checks as the JSON Feed's
    `_essagenda` object on the properties (which share its names), plus the title and URL."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        return 0, [f"{where}: not JSON: {exc}"]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return 0, [f"{where}: not a FeatureCollection"]
    problems: list[str] = []
    for feature in doc.get("features", []):
        for key, value in (feature.get("properties") or {}).items():
            if isinstance(value, str) and key.endswith("url") and not is_published_url_ok(value):
                problems.append(f"{where} {key} {value!r}")
            elif isinstance(value, str):
                problems += text_problems(value, where=f"{where} {key}")
    return len(doc.get("features", [])), problems


def ical_problems(data: bytes, where: str = "ics") -> tuple[int, list[str]]:
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        return 0, [f"{where}: does not parse: {exc}"]
    events = list(cal.walk("VEVENT"))
    problems: list[str] = []
    for ev in events:
        for key in ("SUMMARY", "LOCATION", "DESCRIPTION", "ORGANIZER", "CATEGORIES", "COMMENT"):
            value = ev.get(key)
            for v in value if isinstance(value, list) else [value]:
                if v is None:
                    continue
                text = v.to_ical().decode() if key == "CATEGORIES" else str(v)
                problems += text_problems(text, where=f"{where} {key}")
        for key in ("URL", "ATTACH", "IMAGE"):
            if ev.get(key) is not None and not is_published_url_ok(str(ev.get(key))):
                problems.append(f"{where} {key} {ev.get(key)!r}")
        if ev.get("X-ALT-DESC") is not None:
            problems += html_problems(str(ev.get("X-ALT-DESC")), where=f"{where} X-ALT-DESC")
    problems += [f"{where}: raw control char {c!r}" for c in control_chars(data.decode("utf-8").replace("\t", ""))]
    return len(events), problems


def page_problems(data: bytes, where: str = "html") -> list[str]:
    """A full HTML page of ours: its own scripts allowed, nothing executable from the payloads."""
    text = data.decode("utf-8")
    problems = html_problems(text, where=where, own_scripts_ok=True)
    doc = lxml.html.document_fromstring(text)
    problems += [f"{where}: control char {c!r}" for c in control_chars(doc.text_content().replace("\t", ""))]
    for a in doc.iter("a"):
        href = a.get("href") or ""
        if href.startswith(("http:", "https:")) and not is_published_url_ok(href):
            problems.append(f"{where}: link {href!r}")
    return problems


def output_problems(path_name: str, data: bytes) -> list[str]:
    """Dispatch on the file's extension (an output folder's .rss/.xml, .json, .geojson, .ics, .html, .opml)."""
    if path_name.endswith((".rss", ".xml")):
        return rss_problems(data, path_name)[1] if b"<rss" in data[:500] else []
    if path_name.endswith(".json"):
        return jsonfeed_problems(data, path_name)[1]
    if path_name.endswith(".geojson"):
        return geojson_problems(data, path_name)[1]
    if path_name.endswith(".ics"):
        return ical_problems(data, path_name)[1]
    if path_name.endswith(".html"):
        return page_problems(data, path_name)
    if path_name.endswith(".opml"):
        try:
            root = lxml.etree.fromstring(data)
        except lxml.etree.XMLSyntaxError as exc:
            return [f"{path_name}: not well-formed: {exc}"]
        return [f"{path_name}: outline {o.get('xmlUrl')!r}" for o in root.iter("outline")
                if o.get("xmlUrl") and not is_published_url_ok(o.get("xmlUrl"))]
    return []
