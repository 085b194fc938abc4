"""Valid-IOB Viterbi: the best tag sequence a token classifier allows, never `O I-X` or `B-X I-Y`.

A fine-tuned encoder scores each word's tags independently, so its argmax can open a name with
I- or switch type mid-name. Decoding under the IOB constraints (an I-X only after B-X or I-X)
repairs that with the model's own scores: it picks the best-scoring path that is a valid tagging.
"""
from __future__ import annotations

import numpy as np

_BLOCKED = -1e9


def allowed(labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(start, transition): 0 where allowed and -1e9 where the IOB scheme forbids it.

    `start[j]` scores tag j at the first word, `transition[i, j]` tag j after tag i.
    """
    n = len(labels)
    start = np.zeros(n)
    trans = np.zeros((n, n))
    for j, tag in enumerate(labels):
        if not tag.startswith("I-"):
            continue
        start[j] = _BLOCKED
        kind = tag[2:]
        for i, prev in enumerate(labels):
            if prev not in (f"B-{kind}", f"I-{kind}"):
                trans[i, j] = _BLOCKED
    return start, trans


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


def viterbi(scores: np.ndarray, start: np.ndarray, trans: np.ndarray) -> list[int]:
    """Indices of the best path through `scores` (words × tags, log-probabilities)."""
    n = len(scores)
    if n == 0:
        return []
    best = scores[0] + start
    back = np.zeros((n, scores.shape[1]), dtype=np.int64)
    for t in range(1, n):
        cand = best[:, None] + trans
        back[t] = cand.argmax(0)
        best = cand.max(0) + scores[t]
    path = [int(best.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def decode(logits: np.ndarray, labels: list[str], other: np.ndarray | None = None,
           weight: float = 1.0) -> tuple[list[str], np.ndarray]:
    """(tags, probabilities): the valid IOB tags for one sentence's word logits, and each
    word's probabilities (words × tags) for confidences.

    With `other` (words × tags probabilities from a second model, e.g. the CRF's marginals), the
    probabilities decoded are `weight` × the softmax of `logits` + (1 − `weight`) × `other`.
    """
    probs = np.exp(log_softmax(np.asarray(logits, dtype=np.float64)))
    if other is not None:
        probs = weight * probs + (1.0 - weight) * np.asarray(other, dtype=np.float64)
    start, trans = allowed(labels)
    path = viterbi(np.log(probs + 1e-12), start, trans)
    return [labels[k] for k in path], probs


def is_valid(tags: list[str]) -> bool:
    """True when every I-X follows a B-X or an I-X."""
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True
