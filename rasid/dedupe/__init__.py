"""The dedupe stage: exact copies (content hash), near copies (MinHash LSH) and rewritten copies
(sentence alignment). Every link says its kind (exact, near, rewrite) and its score."""
from rasid.dedupe.exact import content_hash, exact_groups, exact_key, exact_links
from rasid.dedupe.near import NearDuplicateIndex, jaccard, near_link, shingles
from rasid.dedupe.rewrite import align, aligned_fraction, rewrite_link

__all__ = [
    "NearDuplicateIndex", "align", "aligned_fraction", "content_hash", "exact_groups",
    "exact_key", "exact_links", "jaccard", "near_link", "rewrite_link", "shingles",
]
