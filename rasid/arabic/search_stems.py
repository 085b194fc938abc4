"""The index terms of many new words at once: what ``search_text`` does with the words of a text
that no cache knows yet (the ingest pool's hot path).

``bare_terms_many(bares)`` gives exactly ``[search._bare_terms(b) for b in bares]``, with
Snowball called once for the whole list (``stemWords``) instead of once per word through two
``lru_cache`` layers: on SaudiNewsNet a pool worker met about 216,000 such words, and the Python
around each stem (the caches, the proclitic loop) cost three times the stemming itself.
``tests/test_search_terms.py`` checks the two give the same terms.
"""
from __future__ import annotations

import re

import snowballstemmer

from rasid.arabic.morphology import ARTICLE, CLITIC_CHAINS

_STEMMER = snowballstemmer.stemmer("arabic")
if hasattr(_STEMMER, "maxCacheSize"):  # PyStemmer: every word here is new, its cache only costs
    _STEMMER.maxCacheSize = 0
# The first chain of CLITIC_CHAINS (in its order) that opens the word and leaves at least three
# characters: the alternation tries the chains in order and backtracks past one that leaves fewer,
# as the loop of ``search._bare_terms`` does. A word never holds a newline, so "." is any character.
_CLITIC = re.compile("(?:" + "|".join(map(re.escape, CLITIC_CHAINS)) + ")(?=.{3})")
_CLITIC_FIRST = frozenset(c[0] for c in CLITIC_CHAINS)


def stems_many(bares: list[str]) -> list[str]:
    """``search._stem_bare`` of each word (normalised, lower-cased): Snowball's stem, or the word
    itself when it is empty, digits or ASCII."""
    out = list(bares)
    at = [i for i, bare in enumerate(bares) if bare and not bare.isdigit() and not bare.isascii()]
    for i, stem in zip(at, _STEMMER.stemWords([bares[i] for i in at])):
        out[i] = stem
    return out


def bare_terms_many(bares: list[str]) -> list[str]:
    """``search._bare_terms`` of each word: its stem, plus the stem without a proclitic chain
    when that differs."""
    terms = stems_many(bares)
    at, inners = [], []
    for i, bare in enumerate(bares):
        if bare[:1] in _CLITIC_FIRST and not bare.startswith(ARTICLE):
            clitic = _CLITIC.match(bare)
            if clitic:
                at.append(i)
                inners.append(bare[clitic.end():])
    for i, inner in zip(at, stems_many(inners)):
        if inner != terms[i]:
            terms[i] = f"{terms[i]} {inner}"
    return terms
