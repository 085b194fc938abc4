"""Search terms: normalised, lightly stemmed Arabic tokens for the full-text index."""
from __future__ import annotations

import gzip
import logging
from functools import lru_cache
from itertools import islice
from typing import Optional

import snowballstemmer

from rasid.arabic import lexicons
from rasid.arabic.morphology import ARTICLE, CLITIC_CHAINS
from rasid.arabic.normalize import normalize
from rasid.arabic.search_stems import bare_terms_many
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


_CLITIC_FIRST = frozenset(c[0] for c in CLITIC_CHAINS)  # a word starting otherwise has no proclitic


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


def terms(text: str) -> list[str]:
    """Query terms of a text."""
    return [stem(w) for w in _WORD.findall(text)]


# The index terms of the words Arabic news uses most, shipped (tools/build_search_terms.py
# builds it): a pool worker starts with them instead of stemming each common word once more.
SEARCH_TERMS_FILE = "lexicons/search_terms.tsv.gz"
_CACHE_LIMIT = 2_000_000
_INDEX_CACHE: dict[str, str] = {}
_COMMON: Optional[dict[str, str]] = None
log = logging.getLogger(__name__)


def common_terms() -> dict[str, str]:
    """The shipped table (word -> ``index_terms(word)``), read once a process; empty when the file
    is missing or when a sample of it disagrees with the stemmer installed here (then every word
    is stemmed as it comes, with the same result)."""
    global _COMMON
    if _COMMON is None:
        _COMMON = _read_table()
    return _COMMON


def _read_table() -> dict[str, str]:
    if not lexicons.exists(SEARCH_TERMS_FILE):
        return {}
    text = gzip.decompress(lexicons.path(SEARCH_TERMS_FILE).read_bytes()).decode("utf-8")
    body = text.split("\n", 1)[1] if text.startswith("#") else text  # one comment line, then word<TAB>terms
    cells = body.replace("\t", "\n").split("\n")[:-1]  # no word or term holds a tab or a newline
    table = dict(zip(cells[0::2], cells[1::2]))
    sample = islice(table.items(), 0, None, 500)
    wrong = [word for word, stored in sample if index_terms(word) != stored]
    if wrong:
        log.warning("%s disagrees with this stemmer (e.g. %r); not used: rebuild it with "
                    "tools/build_search_terms.py", SEARCH_TERMS_FILE, wrong[0])
        return {}
    return table


def warm() -> None:
    """Fill this process's cache with the common words' terms: call it before a pool forks, and
    its workers share them."""
    if not _INDEX_CACHE:
        _INDEX_CACHE.update(common_terms())


def search_text(text: str) -> str:
    """The text as the index sees it: stemmed terms, space-separated (hot path of ingest)."""
    if len(_INDEX_CACHE) > _CACHE_LIMIT:
        _INDEX_CACHE.clear()
    warm()
    cache = _INDEX_CACHE
    words = _WORD.findall(text)
    new = list(set(words).difference(cache))  # words not seen before in this process
    if new:
        # index_terms of each, normalised and lower-cased in one call: both map character by
        # character, and a newline (never in a word) neither changes nor lets a case rule see
        # past it; then stemmed in one call (rasid.arabic.search_stems).
        cache.update(zip(new, bare_terms_many(normalize("\n".join(new)).lower().split("\n"))))
    return " ".join(map(cache.__getitem__, words))
