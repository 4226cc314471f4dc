"""Text hygiene: for everything copied from pages we do not control, and for everything we publish."""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

MAX_TITLE_CHARS = 300
MAX_TEXT_CHARS = 2_000
MAX_HTML_CHARS = 50_000

# Descriptions keep their structure (paragraphs, lists, emphasis, links) and nothing that can run,
# load a resource or restyle the reader's page: no img (tracking pixels, data: URLs), no style.
ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
     "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "u", "ul"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template",
                                  "svg", "math", "textarea", "select", "title", "head"})
SAFE_URL_SCHEMES = frozenset({"http", "https"})

# Bidirectional marks, embeddings, overrides and isolates, and the BOM: they let a title display
# reversed text ("RTL override" spoofing).
_BIDI_CODEPOINTS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF)
_BIDI_CHARS = "".join(map(chr, _BIDI_CODEPOINTS))
# C0/C1 controls (keeping tab and newline), zero-width marks, the bidi characters, lone
# surrogates (no encoder accepts them) and the noncharacters U+FFFE/U+FFFF.
_UNSAFE_CHARS = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d{_BIDI_CHARS}\ud800-\udfff\ufffe\uffff]"
)
_SPACE_CHARS = " \t\r\f\v\u00a0\u202f\u2007"
# Runs of spaces that collapse to one " ": a lone " " already is one, and skipping it spares a
# replacement per word.
_SPACES = re.compile(f"(?! (?![{_SPACE_CHARS}]))[{_SPACE_CHARS}]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
# A tag the page left open at the very end ("Atelier <img src=x onerror=…").
_OPEN_TAG_AT_END = re.compile(r"<[A-Za-z/!?][^>]*$")
# Markup hidden behind entities ("&lt;script&gt;", even "&amp;lt;…") turns into real markup when a
# reader converts the description to plain text: reveal it so the sanitiser sees it.
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;(/?[A-Za-z!?][^<>]*?)&(?:amp;)*gt;", re.IGNORECASE)
_URL_UNSAFE = str.maketrans({'"': "%22", "<": "%3C", ">": "%3E", "`": "%60", "'": "%27"})
_PARAGRAPH_END = re.compile(r"</(p|div|h[1-6]|blockquote|pre|ul|ol|table)\s*>", re.IGNORECASE)
_LINE_END = re.compile(r"</(li|tr|dd|dt)\s*>|<br\s*/?>", re.IGNORECASE)
# An absolute http(s) URL with a plain host and only characters that need no escaping: what
# `safe_url` would return unchanged, recognised without urlsplit.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][!#-&(-;=?-_a-~]*)?")


def _sanitiser(*, drop_content: bool) -> Callable[[str], str]:
    """nh3 with our policy, built once: a reusable nh3.Cleaner halves the cost of each call."""
    tags = set(ALLOWED_TAGS)
    content = set(DROPPED_WITH_CONTENT) if drop_content else None
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    schemes = set(SAFE_URL_SCHEMES)
    rel = "noopener noreferrer nofollow"
    if hasattr(nh3, "Cleaner"):
        cleaner = nh3.Cleaner(tags=tags, clean_content_tags=content, attributes=attributes, url_schemes=schemes,
                              link_rel=rel)
        return cleaner.clean
    return partial(nh3.clean, tags=tags, clean_content_tags=content, attributes=attributes, url_schemes=schemes,
                   link_rel=rel)


_sanitise = _sanitiser(drop_content=True)
_resanitise = _sanitiser(drop_content=False)


def strip_unsafe_chars(text: str) -> str:
    """Remove control characters, zero-width marks and bidi overrides; NFC-normalize."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # Every unsafe character is unprintable, and this test is ten times cheaper than the regex;
    # line breaks, tabs and non-breaking spaces are unprintable but safe.
    if text.replace("\n", " ").replace("\t", " ").replace("\u00a0", " ").replace("\u202f", " ").isprintable():
        return text
    return _UNSAFE_CHARS.sub("", text)


_UNENCODABLE = re.compile("[\ud800-\udfff]")


def drop_unencodable(text: str) -> str:
    """`text` without lone surrogates ('\\ud800', valid in JSON): no UTF-8 encoder, SQLite, nh3 or
    feed parser accepts them. For values kept verbatim otherwise (ids, zone names, page URLs)."""
    if text.isascii():
        return text
    return _UNENCODABLE.sub("", text)


def _collapse_spaces(text: str) -> str:
    """Each run of spaces, tabs and non-breaking spaces as one " "."""
    # Most text has single ASCII spaces only: looking for anything else is far cheaper than the regex.
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text or (
        not text.isascii() and ("\u00a0" in text or "\u202f" in text or "\u2007" in text)
    ):
        return _SPACES.sub(" ", text)
    return text


def clean_text(text: str | None, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Single-line plain text: entities decoded, tags dropped, unsafe characters removed,
    whitespace collapsed, cut at `max_chars` on a word boundary with an ellipsis."""
    if not text:
        return ""
    text = strip_tags(text)
    text = _collapse_spaces(strip_unsafe_chars(text).replace("\n", " ")).strip()
    return truncate(text, max_chars)


def strip_tags(text: str) -> str:
    """Text with its markup removed, entities decoded; markup hidden behind entities
    ('&lt;script&gt;', even escaped twice) is decoded and removed too."""
    for _ in range(3):
        if "<" not in text and "&" not in text:
            break
        stripped = _OPEN_TAG_AT_END.sub(" ", _TAG.sub(" ", text))
        decoded = html.unescape(stripped)
        if decoded == text:
            break
        text = decoded
    return _OPEN_TAG_AT_END.sub(" ", _TAG.sub(" ", text)) if "<" in text else text


def clean_multiline(text: str | None, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Like `clean_text` but keeps line breaks (one blank line at most between paragraphs)."""
    if not text:
        return ""
    # A line break is no space: collapsing the spaces of the whole text collapses each line's.
    text = _collapse_spaces("\n".join(strip_unsafe_chars(text).splitlines()))
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n" in text:  # stripped lines only leave blank ones empty
        text = _BLANK_LINES.sub("\n\n", text)
    return truncate(text.strip(), max_chars)


def truncate(text: str, max_chars: int) -> str:
    """Cut `text` to at most `max_chars` characters, at a word boundary when one is near."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def clean_html(fragment: str | None, *, max_chars: int = MAX_HTML_CHARS) -> str:
    """Sanitised HTML fragment: only structural tags, http(s) links with rel=noopener,
    no script/style/iframe/SVG, no event handler, no javascript:/data: URL, no comment."""
    if not fragment:
        return ""
    if len(fragment) > max_chars * 4:
        fragment = fragment[: max_chars * 4]
    if "lt;" in fragment:
        fragment = _ESCAPED_TAG.sub(lambda m: "<" + html.unescape(m.group(1)) + ">", fragment)
    cleaned = _sanitise(strip_unsafe_chars(fragment)).strip()
    if len(cleaned) > max_chars:
        # Re-sanitising the cut text closes any tag the cut left open.
        cleaned = _resanitise(cleaned[:max_chars])
    return cleaned


def html_to_text(fragment: str | None, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Readable plain text of an HTML fragment, paragraphs separated by blank lines."""
    if not fragment:
        return ""
    text = _LINE_END.sub("\n", _PARAGRAPH_END.sub("\n\n", fragment))
    return clean_multiline(strip_tags(text), max_chars=max_chars)


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None."""
    if not url:
        return None
    if len(url) <= 2_000 and _PLAIN_WEB_URL.fullmatch(url):
        return url
    url = strip_unsafe_chars(url).strip()
    if any(c.isspace() for c in url) or len(url) > 2_000:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.hostname:
        return None
    # Characters that could close an attribute or open a tag where the URL is printed.
    return url.translate(_URL_UNSAFE)


def strict_url(value: object) -> str | None:
    """The URL, stripped, when `safe_url` would keep it as it is and it holds no backslash and no
    control, format, surrogate, private-use or unassigned character; else None.

    What the exporters print: they never repair a URL, a row whose URL needs repair shows none."""
    if not value or not isinstance(value, str):
        return None
    url = value.strip()
    # isprintable() is False for every control, format, surrogate, private-use and unassigned character.
    if safe_url(url) != url or "\\" in url or not url.isprintable():
        return None
    return url


# --- numbers copied from pages ----------------------------------------------------------


def finite_number(value: object, *, low: float = -math.inf, high: float = math.inf) -> float | None:
    """`value` as a float when it is a finite number (or its text) within [low, high], else None.

    float() reads 'Infinity', 'NaN' and '1e999' from a page without complaint; JSON cannot
    carry what it makes of them, and no coordinate is that far."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def clean_coordinates(latitude: object, longitude: object) -> tuple[float | None, float | None]:
    """(latitude, longitude) as finite degrees within -90..90 and -180..180, or (None, None):
    one half of a point is no place."""
    lat = finite_number(latitude, low=-90.0, high=90.0)
    lon = finite_number(longitude, low=-180.0, high=180.0)
    return (lat, lon) if lat is not None and lon is not None else (None, None)


# --- text for feeds and pages ---------------------------------------------------------

# XML 1.0 allows TAB, LF, CR and the ranges below; everything else (C0 controls, lone
# surrogates, U+FFFE/U+FFFF) makes lxml refuse the string and strict parsers reject the feed.
# C1 controls (U+007F-U+009F) are legal XML but only ever appear as mojibake from windows-1252 pages.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WHITESPACE = re.compile(r"\s+")
_BIDI_TABLE = dict.fromkeys(_BIDI_CODEPOINTS)


def xml_text(value: object) -> str:
    """Any value as text legal in XML 1.0, otherwise unchanged: illegal and C1 control characters removed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # no control character, surrogate or noncharacter: the common case
        return text
    return _XML_ILLEGAL.sub("", text)


def xml_line(value: object) -> str:
    """`xml_text` with all whitespace runs (newlines included) collapsed to one space."""
    return " ".join(xml_text(value).split())


_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
     "table", "tr", "ul"}
)


class _ReadableText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "li" else "\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS and tag != "li":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(_WHITESPACE.sub(" ", data))


_READABLE_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")


def readable_text(fragment: str) -> str:
    """Plain text of an HTML fragment for a reader (iCalendar DESCRIPTION): paragraphs kept, list
    items dashed, tags dropped, nothing cut."""
    if "<" not in fragment and "&" not in fragment:
        return _WHITESPACE.sub(" ", fragment).strip()
    parser = _ReadableText()
    parser.feed(fragment)
    parser.close()
    text = _LINE_EDGES.sub("\n", "".join(parser.parts))
    return _READABLE_BLANK_LINES.sub("\n\n", text).strip()


def display_text(value: object, limit: int | None = None) -> str:
    """One line of text for a page: bidi characters removed, control, surrogate and line-separator
    characters turned into spaces, whitespace collapsed, cut on a word boundary with an ellipsis
    when longer than `limit`. Not escaped."""
    if value is None:
        return ""
    text = str(value).translate(_BIDI_TABLE)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in text)
    text = _WHITESPACE.sub(" ", text).strip()
    if limit is not None and len(text) > limit:
        cut = text[:limit]
        space = cut.rfind(" ")
        if space > limit * 0.6:
            cut = cut[:space]
        text = cut.rstrip(" ,;:.-–") + "…"
    return text


class _DisplayText(HTMLParser):
    """Collects the text of an HTML fragment, dropping the bodies of elements that are not text."""

    _SKIP = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object"})
    _BREAKS = frozenset({"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def display_html_text(fragment: object, limit: int | None = None) -> str:
    """The text of an HTML fragment as one `display_text` line (tags dropped, entities decoded)."""
    if not fragment:
        return ""
    parser = _DisplayText()
    parser.feed(str(fragment))
    parser.close()
    return display_text("".join(parser.parts), limit)
