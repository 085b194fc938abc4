"""Token features for the Arabic NER CRF: forms, clitic-stripped stems, affixes, shape, context."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from rasid.clean.normalize import match_key

# Proclitic chains, longest first: Arabic attaches conjunctions, prepositions and the article to
# the word, so "وبالعاصمة" must look like "عاصمة" for the model to share what it learned.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
_MIN_STEM = 2

_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"^[^\w]+$")


@lru_cache(maxsize=None)
def _triggers() -> dict[str, str]:
    """Word -> trigger category, read once from triggers.txt (a hand-written list, see its header)."""
    table: dict[str, str] = {}
    text = resources.files(__package__).joinpath("triggers.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        category, word = line.split(None, 1)
        table.setdefault(match_key(word), category)
    return table


@lru_cache(maxsize=200_000)
def split_clitics(key: str) -> tuple[str, str]:
    """Split a normalised word into (proclitics, stem), e.g. "وبالعاصمه" -> ("وبال", "عاصمه").

    Greedy but guarded: a clitic is stripped only if at least two letters remain, so short words
    like "ولد" keep their first letter. The model also sees the unstripped word, so a wrong split
    (for a name that really starts with و) costs little.
    """
    pre, rest = "", key
    if rest[:1] in _CONJ and len(rest) - 1 >= _MIN_STEM + 1:
        pre, rest = pre + rest[0], rest[1:]
    if rest.startswith("لل") and len(rest) - 2 >= _MIN_STEM:
        return pre + "لل", rest[2:]
    if rest[:1] in _PREP and rest[1:3] == "ال" and len(rest) - 3 >= _MIN_STEM:
        return pre + rest[:3], rest[3:]
    if rest.startswith("ال") and len(rest) - 2 >= _MIN_STEM:
        return pre + "ال", rest[2:]
    if rest[:1] in _PREP and len(rest) - 1 >= _MIN_STEM + 1:
        return pre + rest[0], rest[1:]
    return pre, rest


def shape(word: str) -> str:
    """A coarse class of the characters: names are Arabic words, so shape mostly marks the others."""
    if _PUNCT.match(word):
        return "P"
    kinds = ""
    kinds += "A" if _ARABIC.search(word) else ""
    kinds += "L" if _LATIN.search(word) else ""
    kinds += "D" if _DIGIT.search(word) else ""
    return kinds or "O"


@lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[str, ...]:
    """Features of one word on its own; cached because news repeats its words."""
    key = match_key(word)
    pre, stem = split_clitics(key)
    trig = _triggers()
    feats = [
        "w=" + key,
        "stem=" + stem,
        "pre=" + pre,
        "shape=" + shape(word),
        "len=" + str(min(len(stem), 8)),
    ]
    feats += [f"p{n}={stem[:n]}" for n in (1, 2, 3) if len(stem) > n]
    feats += [f"s{n}={stem[-n:]}" for n in (1, 2, 3, 4) if len(stem) > n]
    feats += [f"ws{n}={key[-n:]}" for n in (1, 2) if len(key) > n]
    for form in (key, stem, "ال" + stem):
        if form in trig:
            feats.append("trig=" + trig[form])
            break
    return tuple(feats)


def _context(word: str, off: str) -> list[str]:
    """The features a neighbour contributes: its form, stem, clitics and trigger category."""
    feats = word_features(word)
    keep = [f for f in feats if f.startswith(("w=", "stem=", "pre=", "trig=", "shape="))]
    return [off + f for f in keep]


def sentence_features(words: list[str]) -> list[list[str]]:
    """Features for every token of a sentence: its own, then a window of two tokens each side."""
    n = len(words)
    out = []
    keys = [match_key(w) for w in words]
    for i, word in enumerate(words):
        feats = ["bias", *word_features(word)]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                feats += _context(words[j], f"{off:+d}:")
            else:
                feats.append(f"{off:+d}:" + ("BOS" if j < 0 else "EOS"))
        if i > 0:
            feats.append("bi-1=" + keys[i - 1] + "|" + keys[i])
        if i + 1 < n:
            feats.append("bi+1=" + keys[i] + "|" + keys[i + 1])
        out.append(feats)
    return out
