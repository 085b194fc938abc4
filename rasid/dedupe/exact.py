"""Exact copies: two texts are the same report when their normalised words are the same."""
from __future__ import annotations

import hashlib
import re

from rasid.clean.normalize import match_key

_WORDS = re.compile(r"[\w\u0600-\u06FF]+")


def content_hash(text: str) -> str:
    """sha1 over the normalised words: white space, punctuation and spelling variants fold away."""
    words = _WORDS.findall(match_key(text))
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
