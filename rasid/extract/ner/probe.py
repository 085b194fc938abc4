"""A small classifier over contextual e5 word vectors whose guesses become CRF features.

The CRF reads words, affixes and lists; it cannot know that `دروجين` is a surname or that
`الاهلي` after `فاز` is a club. multilingual-e5-small has seen such names in context across
100 languages. `Probe` is a multinomial logistic regression from a word's e5 vector and its two
neighbours' (layer 8 of 12: the middle layers carry more about a word's role than the last
one, which is shaped for whole-text similarity) to the nine IOB tags. Its probabilities are
added to the CRF's features (stacking): the CRF learns how far to trust them, and keeps the
label sequence well formed.

Trained by `python -m tools.train_ner`, shipped as `e5probe.npz` (numpy only at run time).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rasid.arabic import lexicons

PROBE_FILE = "e5probe.npz"
LAYER = 8


def with_neighbours(vectors: np.ndarray) -> np.ndarray:
    """[v_i, v_i-1, v_i+1] per word of one sentence (zeros beyond its ends)."""
    zero = np.zeros((1, vectors.shape[1]), dtype=vectors.dtype)
    prev = np.vstack([zero, vectors[:-1]])
    nxt = np.vstack([vectors[1:], zero])
    return np.hstack([vectors, prev, nxt])


@dataclass
class Probe:
    labels: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray       # (n_labels, 3 * H)
    intercept: np.ndarray  # (n_labels,)
    layer: int = LAYER

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(len(words), n_labels) tag probabilities for one sentence's word vectors."""
        return self.probabilities_rows(with_neighbours(vectors))

    def probabilities_rows(self, rows: np.ndarray) -> np.ndarray:
        """The same, from rows already built by `with_neighbours`."""
        if len(rows) == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        z = ((rows - self.mean) / self.scale) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(1, keepdims=True))
        return (z / z.sum(1, keepdims=True)).astype(np.float32)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), mean=self.mean.astype(np.float32),
                            scale=self.scale.astype(np.float32), coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32), layer=np.array(self.layer))

    @classmethod
    def load(cls, path) -> "Probe":
        with np.load(path) as z:
            return cls(labels=[str(x) for x in z["labels"]], mean=z["mean"], scale=z["scale"],
                       coef=z["coef"], intercept=z["intercept"], layer=int(z["layer"]))


def fit(x: np.ndarray, y: list[str], c: float = 0.1) -> Probe:
    """Fit the probe on rows from `with_neighbours` and their gold tags (scikit-learn, training only)."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(0)
    scale = x.std(0) + 1e-6
    model = LogisticRegression(C=c, max_iter=300)
    model.fit((x - mean) / scale, y)
    return Probe(labels=[str(c) for c in model.classes_], mean=mean, scale=scale,
                 coef=model.coef_, intercept=model.intercept_)


@lru_cache(maxsize=1)
def shipped() -> Probe | None:
    """The probe shipped in the package, or None if it is missing."""
    path = lexicons.location(f"models/ner/{PROBE_FILE}")
    return Probe.load(path) if path.is_file() else None


def probe_features(probs: np.ndarray, labels: list[str]) -> list[dict[str, float]]:
    """Per word: each tag's probability, the probe's best tag, and its neighbours' best tags."""
    best = [labels[j] for j in probs.argmax(1)] if len(probs) else []
    out = []
    for i, row in enumerate(probs):
        feats = {"e5p=" + lab: float(p) for lab, p in zip(labels, row)}
        feats["e5=" + best[i]] = 1.0
        if i > 0:
            feats["-1e5=" + best[i - 1]] = 1.0
        if i + 1 < len(best):
            feats["1e5=" + best[i + 1]] = 1.0
        out.append(feats)
    return out


def merge(features: list[list[str]], extra: list[dict[str, float]]) -> list[dict[str, float]]:
    """The CRF's binary features of each word (value 1) together with the probe's."""
    return [{**dict.fromkeys(f, 1.0), **e} for f, e in zip(features, extra)]
