"""Word tokens with character offsets, and the token patterns of the readers that need their own.

``tokenize`` is the tokeniser: word tokens with their match keys and offsets into the text,
for the lexicon matchers (actors, sources, events, framing). The readers that cut text their
own way name their pattern here, so every tokenising rule lives in this module:

- ``WORD``: a word keeps its tashkeel and tatweel; digits are words too ("الـ30" gives "ال", "30").
- ``NAME_WORD``: a word of a place name (gazetteer keys): letters, digits, tashkeel, tatweel.
- ``VIEW_TOKEN``: the figure and date extractors' tokens of normalised text: numbers keep their
  separators (38,000 / 2.5), words are letter runs, a newline or any other character is one token.
- ``SEARCH_WORD``: what the full-text index stems (any \\w or Arabic-block run).
- ``SUMMARY_TOKEN``: what ROUGE and TF-IDF count (letters with their marks, numbers).
- ``NER_TOKEN``: the NER tagger's tokens, as in ANERcorp: a number keeps its decimal point and
  percent sign, a word its tashkeel and tatweel, and every other non-space character
  (« » “ ” " ، . : ; ( ) # …) is a token of its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional

import regex

from rasid.arabic.normalize import normalize

WORD = re.compile(r"[\w\u064B-\u065F\u0670\u06D6-\u06ED]+")
NAME_WORD = re.compile(r"[\w\u0640\u064b-\u065f\u0670]+")
VIEW_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\n|\S")
SEARCH_WORD = re.compile(r"[\w\u0600-\u06FF]+")
SUMMARY_TOKEN = regex.compile(r"[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*")
NER_TOKEN = re.compile(
    r"\d+(?:[.,٫٬]\d+)*%?"
    r"|[\w\u064B-\u065F\u0670\u06D6-\u06ED]+"
    r"|[^\w\s]"
)


class Token(NamedTuple):
    key: str  # the word's match key
    start: int  # character offsets into the text
    end: int


@lru_cache(maxsize=500_000)
def word_key(word: str) -> str:
    """The match key of one word (no spaces inside, so match_key's space rule is moot)."""
    return normalize(word).lower()


def tokenize(text: str, spans: Optional[Iterable[tuple[int, int]]] = None) -> list[list[Token]]:
    """Word tokens with match keys, one list per span (the whole text when no spans).

    The last few results are kept: actors, sources and events tokenize the same sentences.
    """
    return _tokenize(text, tuple(spans) if spans is not None else ((0, len(text)),))


_KEYS: dict[str, str] = {}  # word -> match key: a plain dict hit costs less than an lru_cache hit
_MAX_KEYS = 500_000


def _key_of(word: str) -> str:
    if len(_KEYS) >= _MAX_KEYS:
        _KEYS.clear()
    key = _KEYS[word] = normalize(word).lower()
    return key


def keys_of(words: Iterable[str]) -> list[str]:
    """``word_key`` of each word, from the tokeniser's cache."""
    known = _KEYS.get
    return [known(w) or _key_of(w) for w in words]


@lru_cache(maxsize=8)
def _tokenize(text: str, spans: tuple[tuple[int, int], ...]) -> list[list[Token]]:
    new, known = tuple.__new__, _KEYS.get  # tuple.__new__ skips NamedTuple's Python-level __new__
    return [[new(Token, (known(w) or _key_of(w), m.start(), m.end()))
             for m in WORD.finditer(text, start, end) for w in (m.group(),)]
            for start, end in spans]
