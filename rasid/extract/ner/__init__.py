"""Named entities (PERS, LOC, ORG, MISC) in Arabic text, from a CRF trained on ANERcorp.

    >>> from rasid.extract.ner import find_entities
    >>> [(e.text, e.label) for e in find_entities("وقال مدير «المرصد» رامي عبد الرحمن إن المفاوضات في درعا")]
    [('رامي عبد الرحمن', 'PERS'), ('درعا', 'LOC')]
"""
from __future__ import annotations

import re
import threading
from importlib import resources
from typing import Optional

from rasid.errors import InputError
from rasid.evaluate.ner import spans
from rasid.extract.ner.consistency import propagate
from rasid.extract.ner.features import sentence_features
from rasid.models import EntityMention

__all__ = ["tokenize", "tag", "tag_sentences", "find_entities", "MODEL_FILE"]

MODEL_FILE = "anercorp.crfsuite"

# A number keeps its decimal point and percent sign; a word keeps its tashkeel and tatweel;
# every other non-space character (« » “ ” " ، . : ; ( ) # …) is a token of its own, as in ANERcorp.
_TOKEN = re.compile(
    r"\d+(?:[.,٫٬]\d+)*%?"
    r"|[\w\u064B-\u065F\u0670\u06D6-\u06ED]+"
    r"|[^\w\s]"
)
# Where a tagging chunk may end: the CRF was trained on sentences, so long texts are cut there.
_SENTENCE_END = {".", "؟", "?", "!", "\n"}
_MAX_CHUNK = 200

_tagger = None
_lock = threading.RLock()  # re-entrant: _crf holds it while _load may take it


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split text into (token, start, end) with offsets into `text`; `text[start:end] == token`."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _load():
    """The CRF tagger, opened once per process from the file shipped in this package."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                import pycrfsuite

                path = resources.files(__package__).joinpath(MODEL_FILE)
                if not path.is_file():
                    raise InputError(
                        f"the NER model {path} is missing; rebuild it with "
                        "`python -m rasid.extract.ner.train`"
                    )
                tagger = pycrfsuite.Tagger()
                tagger.open(str(path))
                _tagger = tagger
    return _tagger


def _crf(tokens: list[str]) -> tuple[list[str], dict[str, list[float]]]:
    """The CRF's tags for one sentence, and every label's marginal probability at every token."""
    with _lock:  # a pycrfsuite Tagger keeps per-call state, so calls must not interleave
        tagger = _load()
        tags = list(tagger.tag(sentence_features(tokens)))
        probs = {y: [tagger.marginal(y, i) for i in range(len(tokens))] for y in tagger.labels()}
    return tags, probs


def tag_sentences(sentences: list[list[str]]) -> list[list[str]]:
    """IOB tags for consecutive sentences of one text: the CRF, then one-name-one-label.

    Use this rather than `tag` per sentence when the sentences come from one document, so a name
    the model recognised once is also tagged where it repeats (see consistency.py).
    """
    tags = [_crf(list(s))[0] if s else [] for s in sentences]
    return propagate([list(s) for s in sentences], tags)


def tag(tokens: list[str]) -> list[str]:
    """IOB tags (B-PERS, I-LOC, O, …) for one sentence of tokens, one tag per token."""
    return tag_sentences([list(tokens)])[0] if tokens else []


def _chunks(text: str, toks: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Group tokens into sentence-sized runs, cutting after end punctuation or at a line break."""
    out: list[list[tuple[str, int, int]]] = [[]]
    for i, tok in enumerate(toks):
        if out[-1] and ("\n" in text[toks[i - 1][2]:tok[1]] or len(out[-1]) >= _MAX_CHUNK):
            out.append([])
        out[-1].append(tok)
        if tok[0] in _SENTENCE_END:
            out.append([])
    return [c for c in out if c]


def find_entities(text: str, start: int = 0, end: Optional[int] = None) -> list[EntityMention]:
    """Entities in `text[start:end]`, with offsets into `text` and a confidence in [0, 1].

    The confidence is the CRF's mean marginal probability of the entity's tags, so a name the model
    hesitated over (one token more or less, another type, or only copied from a repeat) scores lower.
    """
    end = len(text) if end is None else end
    toks = [(w, s + start, e + start) for w, s, e in tokenize(text[start:end])]
    chunks = _chunks(text, toks)
    words = [[w for w, _, _ in c] for c in chunks]
    crf = [_crf(w) for w in words]
    final = propagate(words, [c[0] for c in crf])
    found: list[EntityMention] = []
    for chunk, tags, (_, probs) in zip(chunks, final, crf):
        for i, j, label in spans(tags):
            s, e = chunk[i][1], chunk[j - 1][2]
            conf = sum(probs[tags[k]][k] for k in range(i, j)) / (j - i)
            found.append(EntityMention(text=text[s:e], start=s, end=e, confidence=round(conf, 4),
                                       label=label))
    return found
