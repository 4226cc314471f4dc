"""The programme's inline stylesheet and script, and the Content-Security-Policy that lets only them run."""

from __future__ import annotations

import base64
import hashlib
from importlib import resources


def _asset(name: str) -> str:
    return resources.files("storage.exporters").joinpath("static", name).read_text(encoding="utf-8")


PROGRAMME_CSS = _asset("programme.css")
PROGRAMME_JS = _asset("programme.js")


def csp_hash(source: str) -> str:
    """CSP source expression allowing one inline block: "'sha256-<base64 digest>'"."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


# Defence in depth behind the escaping: only our own inline style and script may run.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {csp_hash(PROGRAMME_JS)}; style-src {csp_hash(PROGRAMME_CSS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)
