"""Rewritten copies: reports that retell some of another's sentences in other words.

Two sentences are counterparts when the cosine of their character 3–5-gram TF-IDF vectors
(normalised text, IDF over the sentences of the two reports) reaches ``SENTENCE_THRESHOLD``.
Sentences are paired one to one, best pairs first. On the seeds, the two sentences seed 001
retells from seed 000 score 0.68 and every other cross-report pair at most 0.30, hence 0.45.
A link needs ``MIN_ALIGNED`` counterpart sentences and ``MIN_FRACTION`` of the shorter report's
sentences (seed 001 retells 2 of seed 000's 14 sentences: 0.14).
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from rasid.dedupe.exact import exact_key
from rasid.dedupe.tfidf import char_tfidf
from rasid.models import DuplicateLink

SENTENCE_THRESHOLD = 0.45
MIN_ALIGNED = 2
MIN_FRACTION = 0.10
MIN_WORDS = 4  # shorter pieces ("هجوم.") say too little to be a retold sentence


def _keys(sentences: Sequence[str]) -> list[tuple[int, str]]:
    """(index, folded text) of the sentences long enough to align."""
    keys = ((i, exact_key(s)) for i, s in enumerate(sentences))
    return [(i, k) for i, k in keys if len(k.split()) >= MIN_WORDS]


def _similarity(keys_a: list[str], keys_b: list[str]) -> np.ndarray:
    matrix = char_tfidf(keys_a + keys_b)
    return (matrix[: len(keys_a)] @ matrix[len(keys_a):].T).toarray()


def _greedy(scores: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs, best first; ties go to the lower indexes."""
    rows, cols = np.nonzero(scores >= threshold)
    order = sorted(zip(rows.tolist(), cols.tolist()), key=lambda p: (-scores[p], p))
    used_a, used_b, pairs = set(), set(), []
    for i, j in order:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, float(scores[i, j])))
    return pairs


def align(sents_a: Sequence[str], sents_b: Sequence[str],
          threshold: float = SENTENCE_THRESHOLD) -> list[tuple[int, int, float]]:
    """Counterpart sentences ``(i, j, cosine)``: i indexes ``sents_a``, j ``sents_b``.

    Symmetric by construction: the pair is always computed in one canonical order, so
    ``align(b, a)`` is ``align(a, b)`` with i and j swapped.
    """
    keys_a, keys_b = _keys(sents_a), _keys(sents_b)
    if not keys_a or not keys_b:
        return []
    if [k for _, k in keys_b] < [k for _, k in keys_a]:
        return sorted((i, j, s) for j, i, s in align(sents_b, sents_a, threshold))
    scores = _similarity([k for _, k in keys_a], [k for _, k in keys_b])
    pairs = _greedy(scores, threshold)
    return sorted((keys_a[i][0], keys_b[j][0], round(s, 6)) for i, j, s in pairs)


def aligned_fraction(sents_a: Sequence[str], sents_b: Sequence[str],
                     pairs: Optional[list] = None) -> float:
    """Share of the shorter report's (alignable) sentences that have a counterpart."""
    pairs = align(sents_a, sents_b) if pairs is None else pairs
    shorter = min(len(_keys(sents_a)), len(_keys(sents_b)))
    return len(pairs) / shorter if shorter else 0.0


def rewrite_link(a_id: str, sents_a: Sequence[str], b_id: str,
                 sents_b: Sequence[str]) -> Optional[DuplicateLink]:
    """A ``rewrite`` link from a to b scored by the aligned fraction, or None."""
    pairs = align(sents_a, sents_b)
    fraction = aligned_fraction(sents_a, sents_b, pairs)
    if len(pairs) < MIN_ALIGNED or fraction < MIN_FRACTION:
        return None
    return DuplicateLink(a_id, b_id, "rewrite", round(fraction, 4))


def story_rewrite_links(sentences: dict[str, Sequence[str]], pairs: Sequence[tuple[str, str]]) -> list[DuplicateLink]:
    """``rewrite_link`` for many pairs of one story, with one TF-IDF fit over all its sentences.

    The IDF then comes from the whole story rather than each pair, which only sharpens it
    (more sentences to learn what is common); the thresholds are the same. A story of k reports
    costs one fit instead of k(k-1)/2.
    """
    keys = {aid: _keys(sents) for aid, sents in sentences.items()}
    ids = [aid for aid in sorted(keys) if keys[aid]]
    if len(ids) < 2:
        return []
    offsets, texts = {}, []
    for aid in ids:
        offsets[aid] = len(texts)
        texts += [k for _, k in keys[aid]]
    matrix = char_tfidf(texts)
    links = []
    for a, b in pairs:
        if a not in offsets or b not in offsets:
            continue
        rows_a = matrix[offsets[a]: offsets[a] + len(keys[a])]
        rows_b = matrix[offsets[b]: offsets[b] + len(keys[b])]
        found = _greedy((rows_a @ rows_b.T).toarray(), SENTENCE_THRESHOLD)
        fraction = len(found) / min(len(keys[a]), len(keys[b]))
        if len(found) >= MIN_ALIGNED and fraction >= MIN_FRACTION:
            links.append(DuplicateLink(a, b, "rewrite", round(fraction, 4)))
    return links
