"""Near copies: MinHash LSH over word shingles, confirmed by the exact Jaccard of the shingles.

The index is incremental: each ``add`` links the new report to the earlier ones whose shingle
sets overlap by at least ``threshold`` (Jaccard), and the whole state pickles to bytes so the
next run goes on where this one stopped. LSH only proposes candidates, with a lowered bar
(``threshold - slack``) so that a pair whose MinHash estimate falls just under the threshold is
still checked; the decision is always the exact Jaccard, so it is symmetric and reproducible.
"""
from __future__ import annotations

import pickle
import zlib
from typing import Optional

import numpy as np
from datasketch import MinHash, MinHashLSH

from rasid.dedupe.exact import content_hash, exact_key
from rasid.errors import InputError
from rasid.models import DuplicateLink

DEFAULT_THRESHOLD = 0.8
_FORMAT = 1  # bumped when the pickled state changes shape


def _identity(value: int) -> int:
    """Shingles are hashed once with crc32 (stable across processes, unlike ``hash``)."""
    return value


def shingles(text: str, size: int = 3) -> np.ndarray:
    """Sorted unique crc32 hashes of the word ``size``-grams of the folded text."""
    words = exact_key(text).split()
    if not words:
        return np.zeros(0, dtype=np.uint32)
    grams = [" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))]
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams),
                                 dtype=np.uint32, count=len(grams)))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique shingle arrays (0 when both are empty)."""
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def near_link(a_id: str, text_a: str, b_id: str, text_b: str,
              threshold: float = DEFAULT_THRESHOLD, size: int = 3) -> Optional[DuplicateLink]:
    """The near (or exact) copy link between two texts, or None: the pairwise rule of the index."""
    score = jaccard(shingles(text_a, size), shingles(text_b, size))
    if score < threshold:
        return None
    kind = "exact" if content_hash(text_a) == content_hash(text_b) else "near"
    return DuplicateLink(a_id, b_id, kind, round(score, 4))


class NearDuplicateIndex:
    """Incremental near-copy index; ``to_bytes``/``from_bytes`` carry it across runs."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, num_perm: int = 128,
                 shingle_size: int = 3, slack: float = 0.1, seed: int = 1):
        if not 0 < threshold <= 1:
            raise InputError(f"near-duplicate threshold {threshold} must be in (0, 1]; 0.8 is usual")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - slack), num_perm=num_perm)
        self._shingles: dict[str, np.ndarray] = {}
        self._hashes: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._hashes

    def add(self, article_id: str, text: str) -> list[DuplicateLink]:
        """Index a report; return its links to earlier reports, best first.

        Adding an id again returns its links without indexing it twice (give "" as its text);
        a different text replaces the indexed one. A text with no words (empty after folding) is
        remembered but links to nothing.
        """
        if article_id in self._hashes and text and self._hashes[article_id] != content_hash(text):
            self._forget(article_id)  # the text changed: index the new one
        known = article_id in self._hashes
        digest = self._hashes[article_id] if known else content_hash(text)
        grams = self._shingles.get(article_id) if known else None
        grams = shingles(text, self.shingle_size) if grams is None else grams
        if not len(grams):
            self._hashes[article_id] = digest
            return []
        minhash = self._minhash(grams)
        links = self._links(article_id, grams, digest, self._lsh.query(minhash))
        if not known:
            self._lsh.insert(article_id, minhash)
            self._shingles[article_id] = grams
            self._hashes[article_id] = digest
        return links

    def _forget(self, article_id: str) -> None:
        if article_id in self._shingles:
            self._lsh.remove(article_id)
            del self._shingles[article_id]
        del self._hashes[article_id]

    def _minhash(self, grams: np.ndarray) -> MinHash:
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, hashfunc=_identity)
        minhash.update_batch(grams.tolist())
        return minhash

    def _links(self, article_id: str, grams: np.ndarray, digest: str,
               candidates: list[str]) -> list[DuplicateLink]:
        links = []
        for other in candidates:
            if other == article_id:
                continue
            score = jaccard(grams, self._shingles[other])
            if score >= self.threshold:
                kind = "exact" if self._hashes[other] == digest else "near"
                links.append(DuplicateLink(article_id, other, kind, round(score, 4)))
        return sorted(links, key=lambda link: (-link.score, link.other_id))

    def to_bytes(self) -> bytes:
        """The whole index as bytes (pickle): store it and ``from_bytes`` it next run."""
        return pickle.dumps((_FORMAT, self.__dict__), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> "NearDuplicateIndex":
        """An index restored from ``to_bytes``; only load bytes this program wrote."""
        version, state = pickle.loads(data)
        if version != _FORMAT:
            raise InputError(f"near-duplicate index format {version} is not {_FORMAT}; "
                             "rebuild the index by re-adding the articles")
        index = cls.__new__(cls)
        index.__dict__.update(state)
        return index
