"""Place names the gazetteer lacks, read from the place noun before them: «إقليم بلوشستان»، «جزيرة أوتويا».

A figure whose place the gazetteer does not know would otherwise take the report's main place, a
wrong place; the name as written is the right answer, even without coordinates.

    >>> [p.text for p in unlinked_places("قتل 69 شخصا على جزيرة أوتويا النرويجية.", [])]
    ['أوتويا']
"""
from __future__ import annotations

from typing import Sequence

import regex

from rasid.extract import place_context as ctx
from rasid.extract.gazetteer import load_gazetteer
from rasid.extract.gazetteer.keys import key_of
from rasid.models import PlaceMention

__all__ = ["unlinked_places", "PLACE_NOUNS"]

# Nouns of units that are always followed by their proper name (a province, an island, a state);
# town nouns (مدينة، قرية) are not here: they are followed by words too often («مدينة ذكية»).
# The precision each noun gives its name: a province is a first-level unit, an island a locality.
PLACE_NOUNS = {"إقليم": "governorate", "ولاية": "governorate", "مقاطعة": "governorate", "جزيرة": "locality"}
_NOUN = "|".join(PLACE_NOUNS)
# The noun (with و ف ب ل clitics), then one word that is not definite: a proper name
# («إقليم كردستان») and not an adjective or a common noun («ولاية الفقيه»، «الجزيرة العربية»).
_PATTERN = regex.compile(rf"(?<![\p{{Arabic}}])(?:[وف]?[بل]?)({_NOUN})\s+(?!ال)(\p{{Arabic}}{{3,}})(?![\p{{Arabic}}])")
_SUFFIXED = ("ها", "هم", "هما", "كم", "نا")  # «ولايته»، «جزيرتها» are not followed by names


def unlinked_places(text: str, places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Names after a place noun that are no gazetteer name, no stoplisted or common word, and
    overlap no place already found. ``place_id`` is "", ``feature`` "unlinked", ``precision``
    the noun's (PLACE_NOUNS)."""
    gaz, stop, common, cues = load_gazetteer(), ctx.load_stoplist(), ctx.load_common_words(), ctx.load_cues()
    taken = [(p.start, p.end) for p in places]
    out = []
    for m in _PATTERN.finditer(text):
        start, end = m.span(2)
        word = m.group(2)
        key = key_of(word)
        if key in gaz.names or key in stop or key in common or word.endswith(_SUFFIXED) \
                or cues.has("direction", key) or cues.has("the_country", key):
            continue  # «إقليم شمال …» is a direction, «الإقليم البلاد» no name
        if any(a < end and start < b for a, b in taken):
            continue
        out.append(PlaceMention(text=word, start=start, end=end, confidence=0.5, name=word,
                                feature="unlinked", precision=PLACE_NOUNS[m.group(1)]))
    return out
