"""A normalised, tokenised view of a text whose token offsets map back to the original text.

The extractors match lexicon words on the normalised view (hamza, ta marbuta, alef maqsura,
digits and tashkeel unified by ``rasid.arabic.normalize``) and report offsets into the original,
so evidence spans always point at the text as ingested.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from rasid.arabic import morphology
from rasid.arabic.normalize import normalize
from rasid.arabic.tokens import VIEW_TOKEN

# normalize() deletes these (tashkeel, Quranic marks, tatweel); every other change is 1:1.
_DROPPED = re.compile("[\u064B-\u0652\u0670\u06D6-\u06ED\u0640]")
# Numbers keep their separators (38,000 / 2.5); words are letter runs; anything else is one char.
_TOKEN = VIEW_TOKEN
# The Arabic comma becomes ";" in the view so that "2017،2018" is never read as one number.
CLAUSE_PUNCT = frozenset(".;:!?\n,")
QUOTES = frozenset("\"'«»“”()[]")

_KIND = {str(d): "n" for d in range(10)}


class TextView:
    """Tokens of the normalised text: ``words[i]`` spans ``starts[i]:ends[i]`` of ``norm``."""

    __slots__ = ("text", "norm", "_shift", "starts", "ends", "words", "kinds", "cache")

    def __init__(self, text: str):
        self.text = text
        self.norm = norm = normalize(text.replace("،", "؛"))
        drops = [m.start() for m in _DROPPED.finditer(text)] if len(norm) != len(text) else []
        self._shift = [pos - k for k, pos in enumerate(drops)]
        spans = [m.span() for m in _TOKEN.finditer(norm)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.words = [norm[s:e] for s, e in spans]
        # "n" number, "w" word, "p" punctuation or newline
        self.kinds = [_KIND.get(w[0]) or ("w" if w[0].isalpha() else "p") for w in self.words]
        self.cache: dict = {}  # per-view results the extractors share (trigger indexes)

    def __len__(self) -> int:
        return len(self.words)

    def orig(self, i: int) -> int:
        """Original offset of normalised offset ``i``."""
        return i + bisect_right(self._shift, i) if self._shift else i

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original (start, end) of tokens ``i .. j-1``, with the tashkeel that ends the last one."""
        return self.orig(self.starts[i]), self.orig(self.ends[j - 1])

    def surface(self, i: int, j: int) -> str:
        s, e = self.span(i, j)
        return self.text[s:e]

    def token_at(self, offset: int) -> int:
        """Index of the first token starting at or after original ``offset``."""
        return bisect_left(self.starts, self._norm_offset(offset))

    def _norm_offset(self, offset: int) -> int:
        if not self._shift:
            return offset
        lo, hi = 0, offset
        while lo < hi:  # smallest normalised i with orig(i) >= offset
            mid = (lo + hi) // 2
            if self.orig(mid) < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def joined(self, i: int) -> bool:
        """True when token ``i`` touches token ``i-1`` (no space between, as in "الـ30")."""
        return i > 0 and self.starts[i] == self.ends[i - 1]

    def is_break(self, i: int) -> bool:
        return self.kinds[i] == "p" and self.words[i] in CLAUSE_PUNCT

    def line_start(self, i: int) -> bool:
        return i == 0 or self.words[i - 1] == "\n"


@lru_cache(maxsize=32)
def view_of(text: str) -> TextView:
    """The view of ``text``, cached: figures and dates of one article share it."""
    return TextView(text)


_PRONOUNS = frozenset(morphology.PRONOUN_SUFFIXES)


@lru_cache(maxsize=262144)
def candidates(word: str, suffixes: bool = False) -> tuple[str, ...]:
    """The word, then the word without clitic prefixes (and pronoun suffixes, when asked)."""
    return morphology.candidates(word, _PRONOUNS if suffixes else ())


def lookup(word: str, table: dict, suffixes: bool = False):
    """The entry of the first candidate form of ``word`` found in ``table``, or None."""
    for c in candidates(word, suffixes):
        v = table.get(c)
        if v is not None:
            return v
    return None


def lookup_base(word: str, table: dict, suffixes: bool = False) -> str | None:
    for c in candidates(word, suffixes):
        if c in table:
            return c
    return None


def key(word: str) -> str:
    """The normalised form of a lexicon word."""
    return normalize(word).replace("؛", ";")
