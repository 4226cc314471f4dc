"""Text and HTML hygiene: what survives from hostile or messy page content."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize.text import (
    clean_html,
    clean_text,
    display_text,
    html_to_text,
    readable_text,
    safe_url,
    strict_url,
    truncate,
    xml_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Forum   de l'ESS\n à Nantes ", "Forum de l'ESS à Nantes"),
        ("Ciné&nbsp;débat &amp; échanges", "Ciné débat & échanges"),
        ("<b>Atelier</b> compta", "Atelier compta"),
        ("Salon\u202eESS\u202c 2026", "SalonESS 2026"),
        ("Tab\tet\x00nul\x1b", "Tab etnul"),
        ("Cafe\u0301 solidaire", "Café solidaire"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<svg onload=alert(1)><circle/></svg>",
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<object data='x.swf'></object><embed src='x'>",
        "<div onclick='steal()'>clic</div>",
        "<scr<script>ipt>alert(1)</script>",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        "<math><mtext><script>alert(1)</script></mtext></math>",
        "<!-- <script>alert(1)</script> -->",
        '<form action="https://evil.example"><input name=a></form>',
    ],
)
def test_clean_html_removes_everything_executable(payload: str) -> None:
    cleaned = clean_html(f"<p>Avant</p>{payload}<p>Après</p>").lower()
    for marker in ("<script", "onerror", "onload", "onclick", "javascript:", "data:", "<iframe", "<svg",
                   "<style", "<object", "<embed", "style=", "<form", "<input", "<!--"):
        assert marker not in cleaned
    assert "avant" in cleaned and "après" in cleaned


def test_clean_html_keeps_structure_and_marks_links() -> None:
    cleaned = clean_html('<p>Inscription <a href="https://www.helloasso.com/x">ici</a></p><ul><li>un</li></ul>')
    assert '<a href="https://www.helloasso.com/x" rel="noopener noreferrer nofollow">ici</a>' in cleaned
    assert "<ul><li>un</li></ul>" in cleaned


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<p>Un&nbsp;atelier</p><p>Deux</p>") == "Un atelier\n\nDeux"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.cress-aura.org/agenda/", True),
        ("http://127.0.0.1:8000/x", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("ftp://example.org/x", False),
        ("/relative/path", False),
        ("https://exa mple.org/", False),
        ("https:///nohost", False),
        ("", False),
    ],
)
def test_safe_url(url: str, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_truncate_cuts_on_word_boundary() -> None:
    text = "mot " * 100
    cut = truncate(text.strip(), 50)
    assert len(cut) <= 50 and cut.endswith("…") and not cut.endswith(" …")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaners_never_raise_and_drop_controls(text: str) -> None:
    for out in (clean_text(text), html_to_text(text), clean_html(text)):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in out)
        assert "\u202e" not in out


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt; Atelier", "alert(1) Atelier"),
        ("&amp;lt;b&amp;gt;Forum&amp;lt;/b&amp;gt;", "Forum"),
        ("Atelier <img src=x onerror=alert(1)", "Atelier"),
        ("3 < 5 et 7 > 2", "3 < 5 et 7 > 2"),
    ],
)
def test_clean_text_removes_markup_hidden_behind_entities_or_left_open(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_html_sees_markup_hidden_behind_entities() -> None:
    cleaned = clean_html("<p>Avant</p>&lt;script&gt;alert(1)&lt;/script&gt;&amp;lt;img src=x onerror=y&amp;gt;<p>1 &lt; 2</p>")
    assert cleaned == "<p>Avant</p><p>1 &lt; 2</p>"
    assert "<script" not in html_to_text(cleaned)


def test_safe_url_encodes_characters_that_break_out_of_attributes() -> None:
    assert safe_url('https://exemple.fr/"><script>x') == "https://exemple.fr/%22%3E%3Cscript%3Ex"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Exemple.fr:8443/agenda?id=3&p=2#haut", "https://Exemple.fr:8443/agenda?id=3&p=2#haut"),
        ("HTTPS://exemple.fr/", "HTTPS://exemple.fr/"),
        ("https://user@exemple.fr/", "https://user@exemple.fr/"),
        ("https://exemple.fr/l'atelier", "https://exemple.fr/l%27atelier"),
        ("https://exemple.fr/a`b", "https://exemple.fr/a%60b"),
        ("https://exemple.fr/é", "https://exemple.fr/é"),
        ("https://exemple.fr/\u200bx", "https://exemple.fr/x"),
        ("http://:80/", None),
        ("https://exemple.fr/a b", None),
        ("ftp://exemple.fr/", None),
        ("https://exemple.fr/" + "a" * 2_000, None),
    ],
)
def test_safe_url_plain_and_unusual_urls(raw: str, expected: str | None) -> None:
    assert safe_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Forum  de\u00a0l'ESS", "Forum de l'ESS"),
        ("Forum \u202f\t de", "Forum de"),
        (" Forum de ", "Forum de"),
        ("Forum\u2007de", "Forum de"),
        ("Forum\u200bde l'ESS\u202e", "Forumde l'ESS"),
    ],
)
def test_clean_text_collapses_every_kind_of_space(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_html_to_text_keeps_paragraphs_and_collapses_spaces() -> None:
    assert html_to_text("<p>Atelier\u00a0 coopératif</p><ul><li>a  b</li><li> c</li></ul>") == "Atelier coopératif\n\na b\nc"


@pytest.mark.parametrize("space", list(" \t\u00a0\u202f\u2007"))
def test_each_space_character_collapses(space: str) -> None:
    assert clean_text(f"Forum{space}de {space}l'ESS") == "Forum de l'ESS"
    assert html_to_text(f"<p>Forum{space}{space}de</p>") == "Forum de"


def test_form_feeds_and_vertical_tabs_are_dropped_and_carriage_returns_break_lines() -> None:
    assert clean_text("Forum\f de\vl'ESS\r!") == "Forum del'ESS !"
    assert html_to_text("<p>Forum\r\rde</p>") == "Forum\n\nde"


# --- text for feeds and pages -------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://cress.example/a?b=1", "https://cress.example/a?b=1"),
        (" http://cress.example/ ", "http://cress.example/"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>", None),
        ("//cress.example/a", None),
        ("https://", None),
        ("https://cress.example/a b", None),
        ('https://cress.example/"onmouseover=x', None),
        ("https://[::1", None),
        (None, None),
    ],
)
def test_strict_url_for_feeds(url: str | None, expected: str | None) -> None:
    assert strict_url(url) == expected


def test_xml_text_strips_xml_illegal_characters() -> None:
    assert xml_text("a\x00b\x0bc\x1fd\ud800e\ufffef\x85g\tok\n") == "abcdefg\tok\n"


def test_readable_text_keeps_paragraphs_and_drops_scripts() -> None:
    assert readable_text("<p>Un &amp; deux</p><p>trois<br>quatre</p><script>x()</script>") == (
        "Un & deux\n\ntrois\nquatre"
    )


def test_display_text_removes_controls_and_bidi_overrides_and_cuts_long_text() -> None:
    assert display_text("a\u202eb\u2066c\x00d\x1b e\ud800") == "abc d e"
    long = display_text("mot " * 500, 50)
    assert len(long) <= 51 and long.endswith("…")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.cress-bretagne.example/agenda?x=1", True),
        ("http://exemple.fr/", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/", False),
        ("https://ok.example/\nx", False),
        ("https://ok.example/\"><script>", False),
        ("https://ok.example/' onmouseover='x", False),
        ("vbscript:msgbox", False),
        ("https:///nohost", False),
        (None, False),
    ],
)
def test_strict_url_for_pages_allows_only_absolute_http(url: str | None, ok: bool) -> None:
    assert (strict_url(url) is not None) is ok
