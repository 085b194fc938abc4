"""Entities of an article's quoting sentences, read as one text and remembered per process.

The extract stage tags only the sentences that quote or cite someone. They are read together, as
one text, as `find_entities` reads a whole article: a graph trained in context (tools/
train_ner_finetune.py --context) reads each with the ones around it, and one-name-one-label
copies a name the model found in one of them to its repeats in the others. Their entities depend
on that text only (the runs never cross texts, and the tuned graph's fixed activation scales make
a window's logits independent of its batch; docs/ner.md), so the same quoting sentences, which
agencies' copies of one report share, are tagged once a process.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

KEPT = 4096  # texts a process remembers (least recently used dropped first)

Found = tuple[tuple[str, int, int, float, str], ...]  # (text, start, end, confidence, label)
_cache: OrderedDict[tuple[str, str], Found] = OrderedDict()
_lock = threading.Lock()


def text_entities(sentences: Sequence[str], model: str) -> list[Found]:
    """(text, start, end, confidence, label) of each entity of each sentence, offsets into it,
    the sentences read as one text (joined by line breaks, which end a tagging chunk).

    `model` should be what `resolve_model` returned (the memory keys on the model that runs)."""
    from rasid.extract.ner import find_entities_batch

    if not sentences:
        return []
    joined = "\n".join(s.replace("\n", " ") for s in sentences)  # a line break ends a chunk
    key = "\x00".join(sentences)
    with _lock:
        found = _hit(key, model)
    if found is None:
        found = tuple((e.text, e.start, e.end, e.confidence, e.label)
                      for e in find_entities_batch([joined], model=model)[0])
        with _lock:
            _cache[(key, model)] = found
            while len(_cache) > KEPT:
                _cache.popitem(last=False)
    out: list[list] = [[] for _ in sentences]
    starts, at = [], 0
    for s in sentences:
        starts.append(at)
        at += len(s) + 1
    k = 0
    for text, start, end, conf, label in found:  # in text order, so sentence by sentence
        while k + 1 < len(starts) and start >= starts[k + 1]:
            k += 1
        out[k].append((text, start - starts[k], end - starts[k], conf, label))
    return [tuple(f) for f in out]


def _hit(key: str, model: str) -> Found | None:
    found = _cache.get((key, model))
    if found is not None:
        _cache.move_to_end((key, model))
    return found


def clear() -> None:
    """Forget every remembered text (tests; a model file replaced in a running process)."""
    with _lock:
        _cache.clear()
