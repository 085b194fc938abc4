"""rasid.dedupe.tfidf gives scikit-learn's TF-IDF matrix bit for bit, so the story stages that
moved to it (retold sentences, summary similarities, rewritten copies) score exactly as before."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from rasid.arabic.normalize import exact_key, match_key
from rasid.clean import clean
from rasid.dedupe.tfidf import char_tfidf

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"


def _seed_sentences() -> list[list[str]]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append([text[s.start:s.end] for s in clean(text).sentences])
    return out


def _sklearn(texts):
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)


def _identical(a, b) -> bool:
    return (type(a) is type(b) and a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data)
            and np.array_equal((a @ a.T).toarray(), (b @ b.T).toarray()))


@pytest.mark.parametrize("key", [exact_key, match_key])
@pytest.mark.parametrize("reports", [[0], [0, 1], [0, 1, 2, 3, 4], [4, 2, 0]])
def test_same_matrix_as_scikit_learn_on_the_seeds(key, reports):
    sentences = _seed_sentences()
    texts = [key(s) for r in reports for s in sentences[r] if key(s).strip()]
    assert _identical(char_tfidf(texts), _sklearn(texts))


def test_repeated_texts_and_latin_letters_count_as_scikit_learn_counts():
    texts = ["قال المرصد إن 53 شخصاً خرجوا", "قال المرصد إن 53 شخصاً خرجوا", "SANA said 45 Terrorists left",
             "وقال شهود عيان ان 50 مسلحا خرجوا مع عائلاتهم"]
    assert _identical(char_tfidf(texts), _sklearn(texts))


def test_no_ngrams_is_the_same_error_as_scikit_learn():
    with pytest.raises(ValueError, match="empty vocabulary"):
        char_tfidf(["", " "])
    with pytest.raises(ValueError, match="empty vocabulary"):
        _sklearn(["", " "])
