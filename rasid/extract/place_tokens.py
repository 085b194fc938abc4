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


def tokenize(text: str, spans: list[tuple[int, int]]) -> Tokens:
    toks = Tokens(text=text)
    for n, (lo, hi) in enumerate(spans):
        found = list(TOKEN.finditer(text, lo, hi))
        if not found:
            continue
        if toks.keys:
            toks.joinable[-1] = False
        toks.breaks.append(True)
        previous = None
        for m in found:
            if previous is not None:
                gap = text[previous:m.start()]
                plain = gap == " "
                toks.joinable.append(plain or _JOIN.fullmatch(gap) is not None)
                toks.breaks.append(not plain and _STRONG.search(gap) is not None)
            previous = m.end()
        toks.joinable.append(False)
        toks.starts += [m.start() for m in found]
        toks.ends += [m.end() for m in found]
        toks.keys += keys_of([m.group() for m in found])
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
