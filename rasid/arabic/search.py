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
    return _stem_bare(normalize(word).lower())


@lru_cache(maxsize=500_000)
def _stem_bare(bare: str) -> str:
    """``stem`` of a word already normalised and lower-cased (both idempotent)."""
    if not bare or bare.isdigit() or bare.isascii():
        return bare
    return _STEMMER.stemWord(bare)


def index_terms(word: str) -> str:
    """The index-side terms: the stem, plus the stem without a proclitic when that differs.

    Indexing both lets a search for درعا find لدرعا without making لبنان match نان: queries
    use ``stem`` alone, so the extra term only ever adds recall for the proclitic form.
    """
    return _bare_terms(normalize(word).lower())


@lru_cache(maxsize=500_000)
def _bare_terms(bare: str) -> str:
    # Keyed by the normalised form: the spellings of one word (with tashkeel, hamza forms)
    # are normalised once and stemmed once.
    main = _stem_bare(bare)
    if bare[:1] in _CLITIC_FIRST and not bare.startswith(ARTICLE):
        for clitic in CLITIC_CHAINS:
            if bare.startswith(clitic) and len(bare) - len(clitic) >= 3:
                inner = _stem_bare(bare[len(clitic):])
                return main if inner == main else f"{main} {inner}"
    return main


_CLITIC_FIRST = frozenset(c[0] for c in CLITIC_CHAINS)


def terms(text: str) -> list[str]:
    """Query terms of a text."""
    return [stem(w) for w in _WORD.findall(text)]


_INDEX_CACHE: dict[str, str] = {}


def search_text(text: str) -> str:
    """The text as the index sees it: stemmed terms, space-separated (hot path of ingest)."""
    if len(_INDEX_CACHE) > 2_000_000:
        _INDEX_CACHE.clear()
    get = _INDEX_CACHE.get
    words = _WORD.findall(text)
    found = list(map(get, words))
    if None in found:  # words not seen before in this process
        for i, term in enumerate(found):
            if term is None:
                found[i] = _INDEX_CACHE[words[i]] = index_terms(words[i])
    return " ".join(found)
