"""The clusterer's per-process caches never change a result: whatever set was clustered before
(a smaller one, a larger one, one where a report had other features), the matrices and the
stories are those of a process that never clustered anything."""
from __future__ import annotations

import json
import lzma
import random
from dataclasses import asdict, replace

import numpy as np
import pytest

from rasid.cluster import StoryClusterer, vectors
from rasid.cluster.features import article_features
from rasid.models import Article
from tests.conftest import SEED_FILES, SHARED

SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"


@pytest.fixture(scope="module")
def features():
    """The five seeds and 400 SaudiNewsNet reports (22 days of news: many shared stories)."""
    found = [article_features(Article(id=p.stem, text=p.read_text(encoding="utf-8"),
                                      title=p.read_text(encoding="utf-8").split("\n", 1)[0]))
             for p in SEED_FILES]
    with lzma.open(SAUDINEWSNET, "rt", encoding="utf-8") as lines:
        for number, line in zip(range(400), lines):
            row = json.loads(line)
            found.append(article_features(Article(
                id=f"snn-{number:04d}", text=row["content"], title=row["title"],
                published=row["date_extracted"][:10], published_precision="day")))
    return found


def _fresh_process(run):
    """``run()`` as in a process with empty caches; the caches are put back afterwards."""
    kept = dict(vectors._STACKS)
    vectors._STACKS.clear()
    try:
        return run()
    finally:
        vectors._STACKS.clear()
        vectors._STACKS.update(kept)


def _stories(features):
    return [asdict(s) for s in StoryClusterer.from_features(features).stories()]


def _same_matrix(a, b) -> bool:
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and a.data.tobytes() == b.data.tobytes())


def _sets(features):
    """A run of sets as a live record sees them: growing a few reports at a time, a report
    re-analysed (its features replaced), reports removed, and a set in another order."""
    rng = random.Random(13)
    yield features[:300]
    yield features[:301]
    yield features[:305]
    changed = replace(features[3], places=frozenset({"rasid:other-place"}),
                      word_cols=features[3].word_cols[:-5], word_counts=features[3].word_counts[:-5])
    yield features[:3] + [changed] + features[4:305]
    yield features[:3] + features[4:250] + features[260:405]
    yield rng.sample(features, 405)
    yield features[100:160]


def test_stacked_bags_are_the_fresh_matrices_bit_for_bit(features):
    vectors._STACKS.clear()
    for part in _sets(features):
        ordered = sorted(part, key=lambda f: f.sort_key)
        for kind, build in (("word", vectors.word_matrix), ("char", vectors.char_matrix)):
            cached = build(ordered)
            reference = vectors.tfidf(vectors._bags_to_csr(
                [getattr(f, f"{kind}_cols") for f in ordered], [getattr(f, f"{kind}_counts") for f in ordered]))
            assert _same_matrix(cached, reference), f"{kind} matrix of {len(ordered)} reports"


def test_stories_after_any_earlier_set_are_those_of_a_fresh_process(features):
    vectors._STACKS.clear()
    for part in _sets(features):
        assert _stories(part) == _fresh_process(lambda: _stories(part))


def test_a_replaced_report_is_restacked_not_reused(features):
    vectors._STACKS.clear()
    _stories(features[:50])
    moved = replace(features[7], word_cols=features[20].word_cols, word_counts=features[20].word_counts,
                    char_cols=features[20].char_cols, char_counts=features[20].char_counts)
    part = features[:7] + [moved] + features[8:50]
    assert _stories(part) == _fresh_process(lambda: _stories(part))


def test_top_k_packed_sort_keeps_the_lexsort_order(features):
    matrix = vectors.word_matrix(sorted(features, key=lambda f: f.sort_key))
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    reference = np.lexsort((matrix.indices, -matrix.data, rows))
    assert np.array_equal(vectors._by_row_then_weight(matrix, rows), reference)
    tied = matrix.copy()
    tied.data = np.ceil(tied.data * 100) / 100  # many equal weights in a row: ties by column
    assert np.array_equal(vectors._by_row_then_weight(tied, rows),
                          np.lexsort((tied.indices, -tied.data, rows)))


def test_extraction_scores_of_many_pairs_are_the_per_pair_scores_exactly(features):
    from rasid.cluster.scoring import ClusterOptions, extraction_score, extraction_scores

    rng = random.Random(7)
    places = ["wof:85676851", "rasid:daraa-al-balad", "wof:85676833", "rasid:al-waer", "wof:85676855"]
    actors = ["Q1345474", "Q1140934", "Q2291648"]
    days = [737900, 737903, 737950, 738100]
    signed = [replace(f, places=frozenset(rng.sample(places, rng.randint(0, 3))),
                      actors=frozenset(rng.sample(actors, rng.randint(0, 2))),
                      event_types=frozenset(rng.sample(["attack", "protest", "arrest"], rng.randint(0, 2))),
                      event_days=tuple(sorted(rng.sample(days, rng.randint(0, 4)))))
              for f in features[:120]]
    left, right = np.triu_indices(len(signed), 1)
    options = ClusterOptions()
    expected = np.array([extraction_score(signed[i], signed[j], options) for i, j in zip(left, right)])
    assert extraction_scores(signed, left, right, options).tobytes() == expected.tobytes()
