"""Words of a text for the place extractor: offsets, match keys, sentences, and mentions in progress."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from rasid.arabic.tokens import keys_of
from rasid.extract.gazetteer import Place
from rasid.extract.gazetteer.keys import TOKEN

_SENTENCE = re.compile(r"[^.!?؟\n]+")
_STRONG = re.compile(r"[.!?؟؛;:…\n]")
_JOIN = re.compile(r"[\s\u0640#-]*")  # what may separate the tokens of one name ("محافظة #إدلب")


@dataclass


class Tokens:
    """The words of the text: offsets, match keys, sentence index, and what lies between them."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    joinable: list[bool] = field(default_factory=list)  # token i and i+1 may belong to one name
    breaks: list[bool] = field(default_factory=list)  # strong punctuation before token i


@dataclass


class Hit:
    """A place mention while it is being resolved."""

    first: int
    last: int
    start: int
    end: int
    candidates: list[Place]
    loose: bool = False
    prefix: str = ""
    sentence: int = 0
    cue: str = ""
    place: Optional[Place] = None
    score_margin: float = 0.0
    kind: str = "place"  # place, countryside, direction
    label: str = ""  # Arabic name of a countryside or direction mention
    label_en: str = ""
    role: str = ""


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


_GAPS: dict[str, tuple[bool, bool]] = {" ": (True, False)}  # the text between two tokens -> (joinable, break)


def _gap(gap: str) -> tuple[bool, bool]:
    found = _GAPS.get(gap)
    if found is None:
        found = (_JOIN.fullmatch(gap) is not None, _STRONG.search(gap) is not None)
        if len(_GAPS) < 100_000:
            _GAPS[gap] = found
    return found


def tokenize(text: str, spans: list[tuple[int, int]]) -> Tokens:
    toks = Tokens(text=text)
    for n, (lo, hi) in enumerate(spans):
        found = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, lo, hi)]
        if not found:
            continue
        if toks.keys:
            toks.joinable[-1] = False
        starts = [start for start, _, _ in found]
        ends = [end for _, end, _ in found]
        gaps = [_GAPS.get(g) or _gap(g) for g in map(text.__getitem__, map(slice, ends, starts[1:]))]
        toks.breaks.append(True)
        toks.breaks += [strong for _, strong in gaps]
        toks.joinable += [joins for joins, _ in gaps]
        toks.joinable.append(False)
        toks.starts += starts
        toks.ends += ends
        toks.keys += keys_of([word for _, _, word in found])
        toks.sentence += [n] * len(found)
    return toks


def skip_letters(toks: Tokens, i: int, letters: int) -> int:
    """Offset after the first `letters` letters of token i (tashkeel after a letter goes with it)."""
    return toks.starts[i] + letters if letters == 0 else offset_after(toks, i, letters)


def offset_after(toks: Tokens, i: int, letters: int) -> int:
    text = toks.text
    pos, seen = toks.starts[i], 0
    while seen < letters and pos < toks.ends[i]:
        pos += 1
        seen += 1
        while pos < toks.ends[i] and ("\u064b" <= text[pos] <= "\u065f" or text[pos] in "\u0640\u0670"):
            pos += 1
    return pos


def bounds(toks: Tokens, sentence: int, at: int) -> tuple[int, int]:
    lo = at
    while lo > 0 and toks.sentence[lo - 1] == sentence:
        lo -= 1
    hi = at
    while hi + 1 < len(toks.keys) and toks.sentence[hi + 1] == sentence:
        hi += 1
    return lo, hi + 1
