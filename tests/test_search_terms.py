"""The shipped table of common words' search terms is a cache: it gives exactly what stemming gives."""
import gzip
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from rasid.arabic import lexicons, search
from rasid.arabic.morphology import CLITIC_CHAINS
from rasid.arabic.search_stems import bare_terms_many
from rasid.arabic.normalize import _PUNCT, exact_key, match_key, normalize

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"
arabic = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" \t\n.،_a1Σ\u2029"),
                 max_size=80)


def test_every_word_of_the_table_has_the_terms_stemming_gives():
    table = search.common_terms()
    assert len(table) > 30_000, "the table is missing or the stemmer disagrees with it: tools/build_search_terms.py"
    wrong = [(word, terms) for word, terms in table.items() if search.index_terms(word) != terms]
    assert not wrong, f"{len(wrong)} stale lines, e.g. {wrong[:3]}: rebuild with tools/build_search_terms.py"


def test_the_table_holds_only_search_words():
    raw = gzip.decompress(lexicons.path(search.SEARCH_TERMS_FILE).read_bytes()).decode("utf-8")
    lines = raw.splitlines()
    assert lines[0].startswith("# ") and "build_search_terms.py" in lines[0]
    assert all(search.SEARCH_WORD.fullmatch(line.split("\t")[0]) and line.count("\t") == 1 for line in lines[1:])


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_search_text_is_the_same_with_and_without_the_table(seed, monkeypatch):
    text = seed.read_text(encoding="utf-8")
    with_table = search.search_text(text)
    monkeypatch.setattr(search, "_COMMON", {})
    monkeypatch.setattr(search, "_INDEX_CACHE", {})
    assert search.search_text(text) == with_table
    assert with_table == " ".join(search.index_terms(w) for w in search.SEARCH_WORD.findall(text))


def test_a_table_that_disagrees_with_the_stemmer_is_not_used(tmp_path, monkeypatch, caplog):
    word = "المقاتلين"
    bad = tmp_path / "search_terms.tsv.gz"
    bad.write_bytes(gzip.compress(f"# a stale table\n{word}\tنان\n".encode("utf-8")))
    monkeypatch.setattr(lexicons, "path", lambda name: bad)
    monkeypatch.setattr(search, "_COMMON", None)
    monkeypatch.setattr(search, "_INDEX_CACHE", {})
    assert search.common_terms() == {}
    assert "rebuild it with tools/build_search_terms.py" in caplog.text
    assert search.search_text(word) == search.index_terms(word) != "نان"


@given(arabic)
def test_keys_fold_spaces_as_the_regex_did(text):
    # match_key and exact_key fold white space with split/join, where they used these regexes:
    old_match = re.sub(r"\s+", " ", normalize(text).lower()).strip()
    assert match_key(text) == old_match
    assert exact_key(text) == re.sub(" {2,}", " ", _PUNCT.sub(" ", old_match)).strip()


@given(st.text(alphabet=st.characters() | st.sampled_from("ΣσςΑ\u0307İ\u064e\u0640 \n"), max_size=60))
def test_search_text_gives_each_words_index_terms(text):
    # New words are normalised and lower-cased together, joined by newlines: the same as one by one.
    search._INDEX_CACHE.clear()
    assert search.search_text(text) == " ".join(search.index_terms(w) for w in search.SEARCH_WORD.findall(text))


# Words as search_text hands them to the stemmer (normalised, lower-cased): a proclitic chain or
# none, then a few letters (the chain is stripped only when three are left), digits, Latin.
_chain = st.sampled_from(("", "ال", "لل", "وال") + CLITIC_CHAINS)
_rest = st.text(alphabet=st.sampled_from("ابتدرعكلمنهويسشص0123456789ax\u0660"), max_size=6)
bare_words = st.builds(lambda chain, rest: normalize(chain + rest).lower(), _chain, _rest)


@given(st.lists(bare_words, max_size=40))
def test_new_words_stemmed_together_get_the_terms_of_one_by_one(bares):
    assert bare_terms_many(bares) == [search._bare_terms(bare) for bare in bares]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_the_words_of_a_report_stemmed_together_get_their_terms(seed):
    words = sorted(set(search.SEARCH_WORD.findall(seed.read_text(encoding="utf-8"))))
    bares = [normalize(word).lower() for word in words]
    assert bare_terms_many(bares) == [search._bare_terms(bare) for bare in bares]
