"""Candidate tokens first: which tokens of a view can start a number, a date or a dual figure.

Each distinct word is classified once (cached); the scanners then visit only candidate tokens,
which keeps extraction fast on long articles where most words are neither numbers nor dates.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from rasid.extract import lexicon
from rasid.extract.textview import TextView, candidates

NUMBER, DATE, DUAL = 1, 2, 4


@lru_cache(maxsize=1)
def _date_words() -> frozenset:
    D = lexicon.dates()
    words = set(D.months) | set(D.month_heads) | set(D.weekdays) | set(D.deictic) | set(D.named_periods)
    words |= set(D.plural_periods) | set(D.this) | set(D.year_keywords) | set(D.positions)
    words |= {phrase[0] for phrase, _ in D.deictic_phrases} | {"قبل", "منذ"}
    return frozenset(words)


@lru_cache(maxsize=262144)
def word_flags(word: str) -> int:
    if word[0].isdigit():
        return NUMBER | DATE
    from rasid.extract.numbers import is_number_word  # numbers imports this module's users

    flags = NUMBER if is_number_word(word) else 0
    cands = candidates(word, True)
    if any(c in _date_words() for c in cands[: len(candidates(word))]):
        flags |= DATE
    duals = lexicon.units().duals
    if any(c in duals for c in cands):
        flags |= DUAL
    return flags


_FLAGS: dict[str, int] = {}  # word -> word_flags(word): a plain dict hit costs less than an lru_cache hit


def _flags_of(word: str) -> int:
    if len(_FLAGS) >= 262144:
        _FLAGS.clear()
    flags = _FLAGS[word] = word_flags(word)
    return flags


def indexes(view: TextView, flag: int) -> list[int]:
    """Sorted indexes of the tokens of ``view`` carrying ``flag``."""
    found = view.cache.get(flag)
    if found is None:
        flags = view.cache.get("flags")
        if flags is None:
            known = _FLAGS.get
            flags = view.cache["flags"] = [(known(w) if k != "p" else 0) for w, k in zip(view.words, view.kinds)]
            if None in flags:
                flags[:] = [_flags_of(w) if f is None else f for w, f in zip(view.words, flags)]
        found = view.cache[flag] = [i for i, f in enumerate(flags) if f & flag]
    return found


def within(view: TextView, flag: int, lo: int, hi: int) -> list[int]:
    idx = indexes(view, flag)
    return idx[bisect_left(idx, lo):bisect_left(idx, hi)]
