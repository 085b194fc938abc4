"""Exact copies: two reports are the same when their normalised text, less punctuation, is."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable

import regex

from rasid.clean.normalize import match_key
from rasid.models import DuplicateLink

# Punctuation and symbols become spaces, so "سنوات., وشهدت" and "سنوات. وشهدت" fold together
# while "سنوات.وشهدت" does not glue two words into one.
_PUNCT = regex.compile(r"[\p{P}\p{S}]+")
_SPACES = regex.compile(r"\s+")


def exact_key(text: str) -> str:
    """``match_key`` with punctuation and symbols folded into single spaces."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", match_key(text))).strip()


def content_hash(text: str) -> str:
    """SHA-1 (hex) of ``exact_key(text)``: equal hashes are exact copies."""
    return hashlib.sha1(exact_key(text).encode("utf-8")).hexdigest()


def exact_groups(items: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups (of two or more ids) of ``(article_id, text)`` pairs sharing a content hash.

    Each group is sorted, and the groups are sorted by their first id.
    """
    by_hash: dict[str, list[str]] = defaultdict(list)
    for article_id, text in items:
        by_hash[content_hash(text)].append(article_id)
    return sorted(sorted(ids) for ids in by_hash.values() if len(ids) > 1)


def exact_links(items: Iterable[tuple[str, str]]) -> list[DuplicateLink]:
    """A link from every copy to the first id (sorted) of its group, kind ``exact``, score 1."""
    return [DuplicateLink(other, group[0], "exact", 1.0)
            for group in exact_groups(items) for other in group[1:]]
