"""The web UI's two languages: Arabic (right to left, the default) and English, from i18n.json."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import Request

LANGS = ("ar", "en")
COOKIE = "rasid_lang"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, Any]]:
    return json.loads(resources.files("rasid.web").joinpath("i18n.json").read_text("utf-8"))


def choose(request: Request) -> str:
    """?lang= wins (and is remembered in a cookie by the page), then the cookie, then Arabic."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value in LANGS:
            return value
    return "ar"


class Messages:
    """``t.key`` in templates; English falls back to Arabic, unknown keys to the key itself."""

    def __init__(self, lang: str):
        self.lang = lang
        self._own = catalogue()[lang]
        self._ar = catalogue()["ar"]

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        return self._own.get(key) or self._ar.get(key) or key

    def label(self, group: str, value: str) -> str:
        """A translated vocabulary word (event type, figure term, precision), or the word itself."""
        if not value:
            return ""
        return (self._own.get(group) or {}).get(value) or value.replace("_", " ")
