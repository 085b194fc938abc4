"""Longest-match lookup of phrase lexicons in Arabic text, on normalised tokens, clitics tolerated.

A lexicon (actors, event triggers, source nouns) is indexed by the match key of its first token,
so the text is scanned once and each token costs a few dictionary look-ups, whatever the size of
the lexicon. A text token also tries its forms without the proclitics و ف (conjunctions) and
ب ل ك (prepositions), so "وللمرصد" finds "المرصد"; lexicons built with ``article=True`` also
try the form without the article ال, and with ``suffix=True`` the form without a pronoun suffix
(ها هم هما ه) or the accusative alef ("هجوماً"), for trigger words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Optional, Sequence

from rasid.arabic.morphology import ARTICLE, CONJUNCTIONS, LEXICON_SUFFIXES, PREPOSITIONS
from rasid.arabic.normalize import match_key
from rasid.arabic.tokens import WORD, Token, keys_of, tokenize, word_key

__all__ = ["Match", "PhraseIndex", "Token", "forms", "simple_sentences", "span_pairs", "tokenize",
           "word_key"]

# What may stand between two words of one name: spaces, quotation marks, the tatweel of "الـ".
_GAP = re.compile(r"[\s«»\"“”'‘’ـ]*")


@dataclass(frozen=True)
class Match:
    start: int  # character offsets into the text
    end: int
    first: int  # token indexes, end exclusive
    last: int
    payload: Any
    stripped: str  # the proclitic(s) stripped from the first word, "" when none


def span_pairs(spans: Optional[Sequence[Any]]) -> Optional[list[tuple[int, int]]]:
    """Sentences, (start, end) tuples or None, as sorted (start, end) tuples."""
    if spans is None:
        return None
    pairs = [(s.start, s.end) if hasattr(s, "start") else (int(s[0]), int(s[1])) for s in spans]
    return sorted(pairs)


def _strip_prep(key: str, stripped: str) -> Iterator[tuple[str, str]]:
    if len(key) > 2 and key[0] in PREPOSITIONS:
        rest = key[1:]
        yield rest, stripped + key[0]
        if key[0] == "ل" and rest.startswith("ل"):  # ل + ال -> لل: للمرصد, للجنة
            yield "ا" + rest, stripped + "ل"
            yield ARTICLE + rest, stripped + "ل"


@lru_cache(maxsize=200_000)
def forms(key: str, article: bool = False, suffix: bool = False) -> tuple[tuple[str, str], ...]:
    """(form, stripped proclitics) pairs a text word may stand for, the word itself first."""
    found = [(key, "")]
    if len(key) > 2 and key[0] in CONJUNCTIONS:
        found.append((key[1:], key[0]))
    for form, stripped in list(found):
        found.extend(_strip_prep(form, stripped))
    if article:
        found.extend((f[2:], s + ARTICLE) for f, s in list(found) if f.startswith(ARTICLE) and len(f) > 4)
    if suffix:
        for form, stripped in list(found):
            for x in LEXICON_SUFFIXES:
                if form.endswith(x) and len(form) - len(x) >= 3:
                    base = form[: -len(x)]
                    found.append((base, stripped))
                    if base.endswith("ت") and x != "ا":  # سيطرتها -> سيطره (ta marbuta restored)
                        found.append((base[:-1] + "ه", stripped))
    seen, out = set(), []
    for pair in found:
        if pair[0] not in seen:
            seen.add(pair[0])
            out.append(pair)
    return tuple(out)


class PhraseIndex:
    """Phrases (token-key tuples) indexed by their first key; ``find`` returns longest matches."""

    def __init__(self, article: bool = False, suffix: bool = False):
        self.article = article
        self.suffix = suffix
        self._first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._candidates: dict[str, tuple] = {}  # text word key -> ((stripped, bucket), ...)

    def add(self, phrase: str, payload: Any) -> None:
        keys = tuple(m.group() for m in WORD.finditer(match_key(phrase)))
        if not keys:
            return
        bucket = self._first.setdefault(keys[0], [])
        bucket[:] = [(k, p) for k, p in bucket if k != keys]  # a later file overrides an earlier one
        bucket.append((keys, payload))
        bucket.sort(key=lambda item: -len(item[0]))
        self._candidates.clear()

    def __len__(self) -> int:
        return sum(len(b) for b in self._first.values())

    def candidates(self, key: str) -> tuple:
        """The phrase buckets a text word may open, with the proclitics stripped to reach them."""
        found = self._candidates.get(key)
        if found is None:
            if len(self._candidates) > 300_000:
                self._candidates.clear()
            found = tuple((stripped, self._first[form]) for form, stripped
                          in forms(key, self.article, self.suffix) if form in self._first)
            self._candidates[key] = found
        return found

    def opens_any(self, text: str, start: int, end: int) -> bool:
        """Whether some word of ``text[start:end]`` may open a phrase; when none does, ``find`` on
        the span's tokens finds nothing, so a caller skips making them (most sentences)."""
        known, candidates = self._candidates.get, self.candidates
        for key in keys_of(WORD.findall(text, start, end)):
            found = known(key)
            if found is None:
                found = candidates(key)
            if found:
                return True
        return False

    def match_at(self, text: str, toks: Sequence[Token], i: int) -> Optional[Match]:
        """The longest phrase starting at token i, or None."""
        found = self._candidates.get(toks[i].key)  # most words open nothing: no call for them
        if found == ():
            return None
        best = None
        for stripped, bucket in found or self.candidates(toks[i].key):
            for keys, payload in bucket:
                n = len(keys)
                if best is not None and n <= best.last - best.first:
                    break
                if self._rest_matches(text, toks, i, keys):
                    best = Match(toks[i].start, toks[i + n - 1].end, i, i + n, payload, stripped)
                    break
        return best

    @staticmethod
    def _rest_matches(text: str, toks: Sequence[Token], i: int, keys: tuple[str, ...]) -> bool:
        if i + len(keys) > len(toks):
            return False
        for j in range(1, len(keys)):
            a, b = toks[i + j - 1], toks[i + j]
            if b.key != keys[j] or _GAP.fullmatch(text, a.end, b.start) is None:
                return False
        return True

    def find(self, text: str, toks: Sequence[Token]) -> list[Match]:
        """Non-overlapping longest matches, left to right."""
        out, i, n = [], 0, len(toks)
        candidates = self._candidates
        while i < n:
            if candidates.get(toks[i].key) == ():  # the common case: a word that opens nothing
                i += 1
                continue
            m = self.match_at(text, toks, i)
            if m is None:
                i += 1
            else:
                out.append(m)
                i = m.last
        return out


# A sentence ends at . ! ? ؟ (not a decimal point) or a line break; ".," paragraph joins too.
_SENTENCE_END = re.compile(r"(?<!\d)[.!?؟]+(?:\s*[,،])?|(?<=\d)[.!?؟]+(?!\d)(?:\s*[,،])?|\n+")
_TRIM = " \t\r\n,،"


def simple_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, for callers that have no sentences from the clean stage."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        _add_sentence(text, start, m.start() + (1 if text[m.start()] != "\n" else 0), out)
        start = m.end()
    _add_sentence(text, start, len(text), out)
    return out


def _add_sentence(text: str, start: int, end: int, out: list) -> None:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end > start:
        out.append((start, end))
