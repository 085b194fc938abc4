"""Exact, near and rewritten copies, on the seed reports and on generated texts."""
from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings, strategies as st

from rasid.clean import clean
from rasid.dedupe import (NearDuplicateIndex, align, content_hash, exact_groups, exact_links,
                          near_link, rewrite_link)
from rasid.errors import InputError
from tests.conftest import SEED_FILES, seed_text

SEEDS = {f"{n:03d}": seed_text(n) for n in range(len(SEED_FILES))}


def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in clean(text).sentences]


SEED_SENTENCES = {k: sentences(v) for k, v in SEEDS.items()}

# Same text after normalisation: white space, punctuation, hamza/alef forms, tashkeel, tatweel,
# ى/ي, ة/ه, Arabic-Indic digits and the ".," paragraph-join artefact all fold away.
SAME = [
    ("خرج 53 مسلّحاً من درعا البلد.", "خرج ٥٣ مسلحا من درعا البلد"),
    ("منذ سنوات., وشهدت مدينة درعا", "منذ سنوات. وشهدت مدينة درعا"),
    ("أعلنت وكالة «سانا»", "اعلنت وكاله \"سانا\""),
    ("جـيش   الأسد\n\nفي درعا", "جيش الاسد في درعا"),
    ("مستشفى إدلب", "مستشفي ادلب"),
    ("سنوات.وشهدت", "سنوات وشهدت"),  # punctuation is a word break
]
DIFFERENT = [
    ("خرج 53 مسلحاً من درعا", "خرج 45 مسلحاً من درعا"),
    ("دخلت الشرطة درعا", "دخلت الشرطة حمص"),
    ("سنواتوشهدت", "سنوات وشهدت"),  # two words glued together are another word
]


@pytest.mark.parametrize("a, b", SAME)
def test_content_hash_folds_spelling_and_punctuation(a, b):
    assert content_hash(a) == content_hash(b)


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_content_hash_keeps_different_texts_apart(a, b):
    assert content_hash(a) != content_hash(b)


def test_content_hash_is_sha1_hex():
    assert len(content_hash(SEEDS["000"])) == 40
    assert content_hash(SEEDS["000"]) != content_hash(SEEDS["001"])


def test_exact_groups_and_links():
    items = [("b", SEEDS["000"]), ("a", SEEDS["000"] + "\n"), ("c", SEEDS["001"]),
             ("d", SEEDS["000"].replace("أ", "ا"))]
    assert exact_groups(items) == [["a", "b", "d"]]
    links = exact_links(items)
    assert {(l.article_id, l.other_id, l.kind, l.score) for l in links} == {
        ("b", "a", "exact", 1.0), ("d", "a", "exact", 1.0)}


def test_near_index_links_an_edited_copy_and_not_the_other_seeds():
    index = NearDuplicateIndex()
    for key, text in SEEDS.items():
        assert index.add(key, text) == []
    edited = SEEDS["000"].replace("الخميس", "الجمعة").replace("53 شخصاً", "55 شخصاً")
    links = index.add("copy", edited)
    assert [(l.other_id, l.kind) for l in links] == [("000", "near")]
    assert 0.8 <= links[0].score < 1.0
    exact = index.add("exact", SEEDS["003"] + "  ")
    assert [(l.other_id, l.kind, l.score) for l in exact] == [("003", "exact", 1.0)]


def test_near_index_round_trips_and_goes_on():
    index = NearDuplicateIndex(threshold=0.7)
    index.add("000", SEEDS["000"])
    restored = NearDuplicateIndex.from_bytes(index.to_bytes())
    assert len(restored) == 1 and "000" in restored and restored.threshold == 0.7
    links = restored.add("copy", SEEDS["000"] + " وأضاف المرصد.")
    assert [l.other_id for l in links] == ["000"]
    assert pickle.loads(pickle.dumps(restored)).add("copy", "")[0].other_id == "000"


def test_near_index_adding_an_id_again_does_not_duplicate_it():
    index = NearDuplicateIndex()
    index.add("000", SEEDS["000"])
    assert index.add("000", SEEDS["000"]) == []
    assert len(index) == 1
    assert index.add("empty", "  ،.  ") == [] and "empty" in index


def test_near_index_rejects_a_bad_threshold():
    with pytest.raises(InputError, match="threshold"):
        NearDuplicateIndex(threshold=1.5)


def test_rewrite_finds_the_sentences_seed_001_retells_from_seed_000():
    pairs = align(SEED_SENTENCES["000"], SEED_SENTENCES["001"])
    retold = {(SEED_SENTENCES["000"][i], SEED_SENTENCES["001"][j]) for i, j, _ in pairs}
    assert any("الشرطة العسكرية" in a and "الشرطة العسكرية" in b for a, b in retold)
    assert any("التحرك الروسي" in a and "التحرك الروسي" in b for a, b in retold)
    link = rewrite_link("000", SEED_SENTENCES["000"], "001", SEED_SENTENCES["001"])
    assert link is not None and link.kind == "rewrite"
    assert link.score == pytest.approx(2 / 14, abs=0.02)


@pytest.mark.parametrize("a, b", [("000", "002"), ("000", "003"), ("000", "004"), ("001", "003"),
                                  ("001", "004"), ("002", "004"), ("003", "004")])
def test_rewrite_does_not_link_reports_that_do_not_retell_each_other(a, b):
    assert rewrite_link(a, SEED_SENTENCES[a], b, SEED_SENTENCES[b]) is None


def test_rewrite_of_itself_is_total():
    link = rewrite_link("a", SEED_SENTENCES["002"], "b", SEED_SENTENCES["002"])
    assert link.score == 1.0


# --- the duplicate relation is symmetric -------------------------------------------------------

WORDS = sorted({w for text in SEEDS.values() for w in text.split() if len(w) > 2})[:400]
ALL_SENTENCES = [s for key in sorted(SEED_SENTENCES) for s in SEED_SENTENCES[key]]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join)


@st.composite
def text_pairs(draw):
    """A text and a copy of it with a few words changed, dropped or added."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=80))
    other = list(words)
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(0, max(0, len(other) - 1)))
        action = draw(st.sampled_from(["swap", "drop", "add"]))
        if action == "swap" and other:
            other[position] = draw(st.sampled_from(WORDS))
        elif action == "drop" and other:
            del other[position]
        else:
            other.insert(position, draw(st.sampled_from(WORDS)))
    return " ".join(words), " ".join(other)


def _key(link):
    return None if link is None else (link.kind, link.score)


@settings(max_examples=150, deadline=None)
@given(text_pairs())
def test_near_link_is_symmetric(pair):
    a, b = pair
    assert _key(near_link("a", a, "b", b)) == _key(near_link("b", b, "a", a))
    assert (content_hash(a) == content_hash(b)) == (content_hash(b) == content_hash(a))


@settings(max_examples=60, deadline=None)
@given(text_pairs())
def test_near_index_finds_a_pair_in_either_order(pair):
    a, b = pair
    forward, backward = NearDuplicateIndex(), NearDuplicateIndex()
    forward.add("a", a)
    backward.add("b", b)
    found_forward = [_key(l) for l in forward.add("b", b)]
    found_backward = [_key(l) for l in backward.add("a", a)]
    assert found_forward == found_backward


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ALL_SENTENCES), max_size=12),
       st.lists(st.sampled_from(ALL_SENTENCES), max_size=12))
def test_rewrite_is_symmetric(sents_a, sents_b):
    forward = align(sents_a, sents_b)
    backward = align(sents_b, sents_a)
    assert sorted((j, i, s) for i, j, s in backward) == forward
    assert _key(rewrite_link("a", sents_a, "b", sents_b)) == _key(rewrite_link("b", sents_b, "a", sents_a))


def test_story_rewrite_links_match_pairwise_links_on_the_seeds():
    """One fit per story finds the same rewrite as the pairwise function: 001 retells 000."""
    from rasid.clean import clean
    from rasid.dedupe.rewrite import rewrite_link, story_rewrite_links
    from tests.conftest import seed_text

    sentences = {}
    for n in (0, 1, 3):
        text = seed_text(n)
        sentences[f"s{n}"] = [text[s.start:s.end] for s in clean(text).sentences]
    pairs = [("s0", "s1"), ("s0", "s3"), ("s1", "s3")]
    found = {(l.article_id, l.other_id) for l in story_rewrite_links(sentences, pairs)}
    pairwise = {(a, b) for a, b in pairs if rewrite_link(a, sentences[a], b, sentences[b])}
    assert found == pairwise == {("s0", "s1")}
