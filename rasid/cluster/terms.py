"""Story terms: normalised, lightly stemmed content words of a report, and their character n-grams.

Speed matters here (31,000 reports in seconds), so a report is split on white space and each
distinct raw token is analysed once (cached): folded (``exact_key``), stop words dropped, the
article and conjunction proclitics stripped, a few plural and pronoun suffixes stripped. Terms and
n-grams are hashed with crc32 into fixed columns, so a report's vector does not depend on which
other reports came before it (the clusterer's order-independence rests on this).
"""
from __future__ import annotations

import zlib
from functools import lru_cache
from itertools import chain

import numpy as np

from rasid.arabic import lexicons
from rasid.arabic.morphology import PROCLITICS, light_stem
from rasid.arabic.normalize import exact_key, match_key

WORD_BITS = 22  # 4M columns: ~300k distinct terms in 31k reports collide rarely
CHAR_BITS = 20
_CACHE_MAX = 1_000_000


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The story stop words (``rasid/data/lexicons/cluster_stopwords.txt``), normalised."""
    text = lexicons.text("lexicons/cluster_stopwords.txt")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(match_key(line) for line in lines if line and not line.startswith("#"))


def stem(word: str) -> str:
    """Light stem of a folded word: one prefix, then one suffix, keeping three letters."""
    return light_stem(word)


def _is_stop(word: str, stop: frozenset[str]) -> bool:
    if word in stop or len(word) < 2:
        return True
    bare = word[1:] if word[0] in PROCLITICS and len(word) > 3 else ""
    return bare in stop or (bare[:2] == "ال" and bare[2:] in stop)


def _column(token: str, bits: int) -> int:
    """crc32, not ``hash``: the same column in every process and every run."""
    return zlib.crc32(token.encode("utf-8")) & ((1 << bits) - 1)


def _analyse(raw: str) -> tuple[str, ...]:
    """The folded content words of one white-space token."""
    stop = stopwords()
    return tuple(w for w in exact_key(raw).split() if not _is_stop(w, stop))


class _Cache(dict):
    """raw token -> its analysis, computed on first sight; cleared when it grows too big."""

    def __init__(self, analyse):
        super().__init__()
        self.analyse = analyse

    def __missing__(self, raw: str):
        if len(self) > _CACHE_MAX:
            self.clear()
        value = self[raw] = self.analyse(raw)
        return value


_WORDS = _Cache(_analyse)
_COLUMNS = _Cache(lambda raw: tuple(_column(stem(w), WORD_BITS) for w in _WORDS[raw]))


def words(text: str) -> list[str]:
    """The folded content words of ``text``, in order."""
    return list(chain.from_iterable(map(_WORDS.__getitem__, text.split())))


def term_columns(text: str) -> list[int]:
    """The hashed term (stem) column of every content word of ``text``, in order.

    Each distinct white-space token is analysed once and cached: the cache is what makes
    31,000 reports take seconds rather than minutes.
    """
    return list(chain.from_iterable(map(_COLUMNS.__getitem__, text.split())))


@lru_cache(maxsize=500_000)
def _char_columns(word: str) -> np.ndarray:
    padded = f" {word} "
    grams = {padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)}
    return np.fromiter((_column(g, CHAR_BITS) for g in grams), dtype=np.uint32, count=len(grams))


def bag(columns) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique columns as uint32, their counts as float32)."""
    if not len(columns):
        return np.zeros(0, np.uint32), np.zeros(0, np.float32)
    cols, counts = np.unique(np.asarray(columns, dtype=np.uint32), return_counts=True)
    return cols, counts.astype(np.float32)


def word_bag(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Hashed term counts of a text."""
    return bag(term_columns(text))


def char_bag(folded_words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashed character 3–5-gram counts (word-bounded) of the folded words given."""
    if not folded_words:
        return bag([])
    return bag(np.concatenate([_char_columns(w) for w in folded_words]))
