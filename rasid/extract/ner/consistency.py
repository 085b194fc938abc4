"""One name, one label within a document: copy the CRF's entities to their untagged repeats.

A news report names its main actors many times, but only some mentions carry the context (a
title, "نادي", "شركة") that lets the CRF see them; the rest are missed. Copying each entity the
model found to the same words in nearby sentences raised dev F1 by about 1.5 points (docs/ner.md).
The last word of a person's full name is copied too, since reports go on by the surname alone.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from rasid.arabic.normalize import match_key, strip_diacritics
from rasid.extract.ner.bio import spans
from rasid.extract.ner.features import split_clitics

WINDOW = 10  # sentences each side that count as "the same document"
_MAX_LEN = 4
_MIN_CHARS = 3


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """match_key, except that a final alef maqsura stays: the preposition على is not the name
    علي, and a name found as علي must not be copied onto every على in the report."""
    key = match_key(word)
    if strip_diacritics(word).endswith("ى") and key.endswith("ي"):
        key = key[:-1] + "ى"
    return key


def entity_key(words: list[str]) -> tuple[str, ...]:
    """Match key of a name, its first word stripped of attached particles but not of the article.

    "للبنك التجاري" and "والبنك التجاري" = "البنك التجاري", "بدرعا" = "درعا"; but "السورية" (Syrian)
    stays apart from "سورية" (Syria).
    """
    keys = [word_key(w) for w in words]
    pre, stem = split_clitics(keys[0])
    keys[0] = "ال" + stem if pre.endswith(("ال", "لل")) else stem
    return tuple(keys)


def _found(sents: list[list[str]], tags: list[list[str]]) -> list[list[tuple[tuple[str, ...], str]]]:
    """Per sentence, the (key, label) of every entity the model tagged, if the key is a word."""
    out = []
    for words, sent_tags in zip(sents, tags):
        found = spans(sent_tags)
        ents = [(entity_key(words[i:j]), label) for i, j, label in found]
        # A person named in full is later named by the surname alone ("بشار الأسد" ... "الأسد").
        ents += [(entity_key(words[j - 1:j]), label) for i, j, label in found
                 if label == "PERS" and j - i >= 2]
        out.append([(k, lab) for k, lab in ents if len("".join(k)) >= _MIN_CHARS and k[0].isalpha()])
    return out


def _fill(words: list[str], tags: list[str], lexicon: dict[tuple[str, ...], Counter]) -> list[str]:
    """Tag runs of O tokens that spell a known entity, longest match first."""
    tags = list(tags)
    i = 0
    while i < len(words):
        for n in range(min(_MAX_LEN, len(words) - i), 0, -1):
            if all(t == "O" for t in tags[i:i + n]):
                votes = lexicon.get(entity_key(words[i:i + n]))
                if votes:
                    label = votes.most_common(1)[0][0]
                    tags[i:i + n] = ["B-" + label] + ["I-" + label] * (n - 1)
                    i += n - 1
                    break
        i += 1
    return tags


def propagate(sents: list[list[str]], tags: list[list[str]], window: int = WINDOW) -> list[list[str]]:
    """Tags with each sentence's untagged repeats of entities found within `window` sentences."""
    found = _found(sents, tags)
    out = []
    for si, (words, sent_tags) in enumerate(zip(sents, tags)):
        lexicon: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for ents in found[max(0, si - window):si + window + 1]:
            for key, label in ents:
                lexicon[key][label] += 1
        out.append(_fill(words, sent_tags, lexicon) if lexicon else list(sent_tags))
    return out
