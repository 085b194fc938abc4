"""What makes stored text safe to show: links only to http(s), bidi controls kept inside their value.

An outlet or title holding U+202E (right-to-left override) would otherwise reverse the page text
after it. Every value a template prints goes through ``contain`` (the environment's finalize): a
value with explicit controls is closed and wrapped in FSI...PDI, so no control reaches past it, in
text, attributes or the window title alike. Names and titles are also printed in ``<bdi>``, so a
Latin outlet in an Arabic line (or the reverse) keeps its own direction.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from rasid.views.bidi import BIDI_CONTROLS, contain

LINK_SCHEMES = ("http", "https")


def bdi(value: Any) -> Markup:
    """The value escaped inside ``<bdi>``: its direction, and any control in it, stay inside."""
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>") + escape(contain(str(value))) + Markup("</bdi>")


def http_url(value: Any) -> Optional[str]:
    """The URL when it is an http(s) link to a host; None for javascript:, data: and the rest."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc or BIDI_CONTROLS.search(text):
        return None
    return text


FILTERS = {"bdi": bdi, "http_url": http_url}
