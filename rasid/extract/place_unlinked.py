"""Place names the gazetteer lacks, read from the place noun before them: «إقليم بلوشستان»، «جزيرة أوتويا».

A figure whose place the gazetteer does not know would otherwise take the report's main place, a
wrong place; the name as written is the right answer, even without coordinates.

    >>> [p.text for p in unlinked_places("قتل 69 شخصا على جزيرة أوتويا النرويجية.", [])]
    ['أوتويا']
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import regex

from rasid.arabic import lexicons
from rasid.extract import place_context as ctx
from rasid.extract.gazetteer import load_gazetteer
from rasid.extract.gazetteer.keys import key_of
from rasid.models import PlaceMention

__all__ = ["unlinked_places", "place_nouns"]


@lru_cache(maxsize=1)
def place_nouns() -> dict[str, str]:
    """rasid/data/lexicons/place_nouns.tsv: each noun with the precision it gives the name after it."""
    rows = (line.split("\t") for line in lexicons.text("lexicons/place_nouns.tsv").splitlines()
            if line.strip() and not line.startswith("#"))
    return {row[0]: row[1] for row in rows}


@lru_cache(maxsize=1)
def _pattern() -> regex.Pattern:
    """The noun (with و ف ب ل clitics), then one word that is not definite: a proper name
    («إقليم كردستان») and not an adjective or a common noun («ولاية الفقيه»، «الجزيرة العربية»)."""
    nouns = "|".join(map(regex.escape, place_nouns()))
    return regex.compile(rf"(?<![\p{{Arabic}}])(?:[وف]?[بل]?)({nouns})\s+(?!ال)(\p{{Arabic}}{{3,}})(?![\p{{Arabic}}])")


_SUFFIXED = ("ها", "هم", "هما", "كم", "نا")  # «ولايته»، «جزيرتها» are not followed by names


def unlinked_places(text: str, places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Names after a place noun that are no gazetteer name, no stoplisted or common word, and
    overlap no place already found. ``place_id`` is "", ``feature`` "unlinked", ``precision``
    the noun's (``place_nouns``)."""
    gaz, stop, common, cues = load_gazetteer(), ctx.load_stoplist(), ctx.load_common_words(), ctx.load_cues()
    taken = [(p.start, p.end) for p in places]
    out = []
    nouns = place_nouns()
    for m in _pattern().finditer(text):
        start, end = m.span(2)
        word = m.group(2)
        key = key_of(word)
        if key in gaz.names or key in stop or key in common or word.endswith(_SUFFIXED) \
                or cues.has("direction", key) or cues.has("the_country", key):
            continue  # «إقليم شمال …» is a direction, «الإقليم البلاد» no name
        if any(a < end and start < b for a, b in taken):
            continue
        out.append(PlaceMention(text=word, start=start, end=end, confidence=0.5, name=word,
                                feature="unlinked", precision=nouns[m.group(1)]))
    return out
