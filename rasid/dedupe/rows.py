"""The near-copy index as rows: each report's shingles and MinHash LSH band keys, kept by the
store, so the index grows and changes one report at a time (and a changed text replaces its row).

The rule is the one of ``NearDuplicateIndex``: LSH bands propose candidates with a lowered bar
(``threshold - slack``) and the exact Jaccard of the shingles decides, so links are symmetric
and do not depend on the order reports arrive in.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from rasid.dedupe.exact import content_hash
from rasid.dedupe.near import DEFAULT_THRESHOLD, _identity, jaccard, shingles
from rasid.models import DuplicateLink

NUM_PERM = 128
SLACK = 0.1
SEED = 1

Candidates = Callable[[list[int]], dict[int, set[str]]]  # band keys -> indexed reports
Signatures = Callable[[list[str]], dict[str, tuple[str, bytes]]]  # ids -> (content hash, shingles)


@dataclass(frozen=True)
class NearEntry:
    article_id: str
    content_hash: str
    shingles: np.ndarray
    band_keys: tuple[int, ...]

    def shingle_bytes(self) -> bytes:
        return self.shingles.astype("<u4").tobytes()


@lru_cache(maxsize=8)  # the optimisation integrates numerically: tens of milliseconds a call
def _bands(threshold: float) -> tuple[int, int]:
    return _optimal_param(max(0.05, threshold - SLACK), NUM_PERM, 0.5, 0.5)


def band_keys(grams: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> tuple[int, ...]:
    """One signed 64-bit key per LSH band of the report's MinHash (none for an empty text)."""
    if not len(grams):
        return ()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity)
    minhash.update_batch(grams.tolist())
    values = minhash.hashvalues.astype("<u8")
    b, r = _bands(threshold)
    return tuple(int.from_bytes(hashlib.blake2b(bytes([i]) + values[i * r:(i + 1) * r].tobytes(),
                                                digest_size=8).digest(), "big", signed=True) for i in range(b))


def entry(article_id: str, text: str, threshold: float = DEFAULT_THRESHOLD) -> NearEntry:
    grams = shingles(text)
    return NearEntry(article_id, content_hash(text), grams, band_keys(grams, threshold))


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def links(entries: list[NearEntry], candidates: Candidates, signatures: Signatures,
          threshold: float = DEFAULT_THRESHOLD) -> list[DuplicateLink]:
    """Every near (or exact) copy link of the given reports, to indexed reports and to each other.

    Indexed rows of the given reports are stale (their text may have changed) and are ignored.
    """
    mine = {e.article_id for e in entries}
    by_key = candidates([k for e in entries for k in e.band_keys])
    wanted = {a for ids in by_key.values() for a in ids} - mine
    known = {a: (digest, from_bytes(data)) for a, (digest, data) in signatures(sorted(wanted)).items()}
    local: dict[int, list[NearEntry]] = {}
    found: list[DuplicateLink] = []
    for e in entries:
        others = {a for k in e.band_keys for a in by_key.get(k, ())} - mine
        pairs = [(a, known[a]) for a in sorted(others) if a in known]
        pairs += [(o.article_id, (o.content_hash, o.shingles))
                  for o in {id(o): o for k in e.band_keys for o in local.get(k, [])}.values()]
        found += _confirmed(e, pairs, threshold)
        for k in e.band_keys:
            local.setdefault(k, []).append(e)
    return found


def _confirmed(e: NearEntry, pairs: list[tuple[str, tuple[str, np.ndarray]]], threshold: float) -> list[DuplicateLink]:
    out = []
    for other, (digest, grams) in pairs:
        score = jaccard(e.shingles, grams)
        if score >= threshold:
            kind = "exact" if digest == e.content_hash else "near"
            out.append(DuplicateLink(e.article_id, other, kind, round(score, 4)))
    return sorted(out, key=lambda link: (-link.score, link.other_id))
