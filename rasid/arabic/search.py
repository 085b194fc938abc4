"""Search terms: normalised, lightly stemmed Arabic tokens for the full-text index."""
from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from rasid.arabic.morphology import ARTICLE, CLITIC_CHAINS
from rasid.arabic.normalize import normalize
from rasid.arabic.tokens import SEARCH_WORD

_WORD = SEARCH_WORD
_STEMMER = snowballstemmer.stemmer("arabic")
# Snowball leaves the proclitics (CLITIC_CHAINS: no article) on proper nouns (لدرعا -> لدرع);
# strip them first when what remains is a word of at least three letters.


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The query-side term of a word: Snowball's Arabic stem of its normalised form."""
    word = normalize(word).lower()
    if not word or word.isdigit() or word.isascii():
        return word
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=500_000)
def index_terms(word: str) -> str:
    """The index-side terms: the stem, plus the stem without a proclitic when that differs.

    Indexing both lets a search for درعا find لدرعا without making لبنان match نان: queries
    use ``stem`` alone, so the extra term only ever adds recall for the proclitic form.
    """
    main = stem(word)
    bare = normalize(word).lower()
    for clitic in CLITIC_CHAINS:
        if bare.startswith(clitic) and len(bare) - len(clitic) >= 3 and not bare.startswith(ARTICLE):
            inner = stem(bare[len(clitic):])
            return main if inner == main else f"{main} {inner}"
    return main


def terms(text: str) -> list[str]:
    """Query terms of a text."""
    return [stem(w) for w in _WORD.findall(text)]


_INDEX_CACHE: dict[str, str] = {}


def search_text(text: str) -> str:
    """The text as the index sees it: stemmed terms, space-separated (hot path of ingest)."""
    if len(_INDEX_CACHE) > 2_000_000:
        _INDEX_CACHE.clear()
    cache = _INDEX_CACHE
    out = []
    for word in _WORD.findall(text):
        term = cache.get(word)
        if term is None:
            term = cache[word] = index_terms(word)
        out.append(term)
    return " ".join(out)
