"""Exact copies: two reports are the same when their normalised text, less punctuation, is."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from rasid.arabic.normalize import content_hash, exact_key
from rasid.models import DuplicateLink

__all__ = ["content_hash", "exact_key", "exact_groups", "exact_links"]


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
