"""BIO decoding: entity spans from the tagger's IOB tags (used by the tagger and its scorer)."""
from __future__ import annotations

from typing import Sequence


def spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans (start, end exclusive, type) from IOB tags, read the way conlleval reads them.

    An I- tag after O or after another type opens a new entity (it is not dropped), so a model
    that forgets B- is scored on the spans it meant.
    """
    out: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind
        if start is not None and not continues:
            out.append((start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and not continues:
            start, kind = i, label
    return out
