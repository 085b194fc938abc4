"""Token features for the Arabic NER CRF: forms, clitic-stripped stems, affixes, shape, context."""
from __future__ import annotations

import re
from functools import lru_cache

from rasid.arabic import lexicons
from rasid.arabic import morphology
from rasid.arabic.morphology import ARTICLE, CONJUNCTIONS
from rasid.arabic.normalize import match_key

# Arabic attaches conjunctions, prepositions and the article to the word, so "وبالعاصمة" must
# look like "عاصمة" for the model to share what it learned.
_MIN_STEM = 2

_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"^[^\w]+$")
_TOPICS = ("SPORT", "ECON")
_MAX_PLACE_TOKENS = 4


def _data_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a NER lexicon (rasid/data/lexicons/ner/)."""
    return lexicons.lines(f"lexicons/ner/{name}")


@lru_cache(maxsize=None)
def _trigger_table() -> tuple[dict[str, str], dict[str, str]]:
    """(word -> trigger category, word -> topic) from triggers.txt (hand-written, see its header)."""
    words: dict[str, str] = {}
    topics: dict[str, str] = {}
    for line in _data_lines("triggers.txt"):
        category, word = line.split(None, 1)
        table = topics if category in _TOPICS else words
        table.setdefault(match_key(word), category)
    return words, topics


@lru_cache(maxsize=None)
def _places() -> frozenset[tuple[str, ...]]:
    """Place names from GeoNames, CLDR and Who's On First, as token tuples (see tools/build_ner_places.py)."""
    return frozenset(tuple(line.split()) for line in _data_lines("places.txt"))


@lru_cache(maxsize=None)
def _given_names() -> frozenset[str]:
    """Common given names (hand-written, see names.txt)."""
    return frozenset(match_key(line) for line in _data_lines("names.txt"))


@lru_cache(maxsize=200_000)
def split_clitics(key: str) -> tuple[str, str]:
    """Split a normalised word into (proclitics, stem), e.g. "وبالعاصمه" -> ("وبال", "عاصمه").

    ``rasid.arabic.morphology.split_clitics``, cached. The model also sees the unstripped word,
    so a wrong split (for a name that really starts with و) costs little.
    """
    return morphology.split_clitics(key, _MIN_STEM)


@lru_cache(maxsize=200_000)
def forms(key: str) -> tuple[str, ...]:
    """The word, without its conjunction, and without all proclitics: the forms to look up.

    Lookups try all three because the greedy split is sometimes wrong ("ولاعب" is و + لاعب, not
    و + ل + اعب) and a list word can itself start with a clitic letter ("بيروت").
    """
    out = [key]
    if key[:1] and key[:1] in CONJUNCTIONS and len(key) > _MIN_STEM + 1:
        out.append(key[1:])
    stem = split_clitics(key)[1]
    for form in (stem, ARTICLE + stem):
        if form not in out:
            out.append(form)
    return tuple(out)


def skeleton(stem: str) -> str:
    """The stem with consonants as C and long vowels kept: "مدريد" -> "CCCيC".

    Arabic words follow root-and-pattern templates, transliterated foreign names mostly do not
    (many long vowels, odd consonant runs), so the skeleton tells a new name from a new word.
    """
    return "".join(c if c in "اوي" else "C" for c in stem)


_NISBA = re.compile(r"^ال.{2,}ي(ه|ين|ون|ان|تان|تين)?$")


def is_nisba(stem_with_article: str) -> bool:
    """True for a relative adjective with the article, "الفرنسي", "الروسية": the word that follows a
    club, company or party ("ليون الفرنسي") or that marks a person's nationality."""
    return bool(_NISBA.match(stem_with_article))


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
    trig = _trigger_table()[0]
    feats = [
        "w=" + key,
        "stem=" + stem,
        "pre=" + pre,
        "shape=" + shape(word),
        "len=" + str(min(len(stem), 8)),
        "skel=" + skeleton(stem),
    ]
    if is_nisba("ال" + stem) and pre.endswith(("ال", "لل")):
        feats.append("nisba")
    feats += [f"p{n}={stem[:n]}" for n in (1, 2, 3) if len(stem) > n]
    feats += [f"s{n}={stem[-n:]}" for n in (1, 2, 3, 4) if len(stem) > n]
    feats += [f"ws{n}={key[-n:]}" for n in (1, 2) if len(key) > n]
    looked_up = forms(key)
    cats = sorted({trig[f] for f in looked_up if f in trig})
    feats += ["trig=" + c for c in cats]
    if any(f in _given_names() for f in looked_up):
        feats.append("gaz=NAME")
    if any((f,) in _places() for f in looked_up):
        feats.append("gaz=PLACE")
    return tuple(feats)


_NEIGHBOUR = ("w=", "stem=", "pre=", "trig=", "shape=", "gaz=", "nisba")


def _context(word: str, off: str) -> list[str]:
    """The features a neighbour contributes: its form, stem, clitics, class and list matches.

    Affixes of neighbours were tried and dropped: they added features but no dev F1.
    """
    return [off + f for f in word_features(word) if f.startswith(_NEIGHBOUR)]


def place_matches(keys: list[str]) -> list[str]:
    """B/I marks of the longest place names found in a sentence ("" where none).

    The first token may carry proclitics ("بالضفة الغربية"), so it is also tried stripped.
    """
    places = _places()
    marks = [""] * len(keys)
    i = 0
    while i < len(keys):
        firsts = forms(keys[i])
        for n in range(min(_MAX_PLACE_TOKENS, len(keys) - i), 1, -1):
            if any((f, *keys[i + 1:i + n]) in places for f in firsts):
                marks[i:i + n] = ["B"] + ["I"] * (n - 1)
                i += n - 1
                break
        i += 1
    return marks


def sentence_topics(keys: list[str]) -> list[str]:
    """Topics (SPORT, ECON) whose words occur in the sentence, clitics stripped."""
    topics = _trigger_table()[1]
    found = {topics.get(f) for k in keys for f in forms(k)}
    return sorted(t for t in found if t)


def sentence_features(words: list[str]) -> list[list[str]]:
    """Features for every token of a sentence: its own, then a window of two tokens each side."""
    n = len(words)
    out = []
    keys = [match_key(w) for w in words]
    multi = place_matches(keys)
    topics = ["topic=" + t for t in sentence_topics(keys)]
    for i, word in enumerate(words):
        own = word_features(word)
        feats = ["bias", *own, *topics]
        feats += [t + "|" + f for t in topics for f in own if f.startswith(("gaz=", "nisba"))]
        if i + 1 < n and topics and "nisba" in word_features(words[i + 1]):
            feats += [t + "|+1:nisba" for t in topics]
        if multi[i]:
            feats.append("gazm=" + multi[i])
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
