"""Wojood's nested annotation mapped to ANERcorp's four types (tools/wojood_to_anercorp.py), and
the NER error kinds (tools/ner_errors.py), on the real Wojood sample."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import ner_errors  # noqa: E402
import wojood_to_anercorp as wojood  # noqa: E402

VAL = ROOT.parent / "shared" / "data" / "wojood-sample" / "val.txt"


@pytest.fixture(scope="module")
def mapped():
    if not VAL.is_file():
        pytest.skip(f"{VAL} is missing (../shared/data)")
    return [[(r[0], tag) for r, tag in zip(rows, wojood.four_types(rows))]
            for rows in wojood.sentences(VAL)]


def tags_of(mapped, words: str) -> list[list[str]]:
    """The mapped tags of every occurrence of the word sequence `words` in the sample."""
    want = words.split()
    out = []
    for sent in mapped:
        ws = [w for w, _ in sent]
        for i in range(len(ws) - len(want) + 1):
            if ws[i:i + len(want)] == want:
                out.append([t for _, t in sent[i:i + len(want)]])
    assert out, f"{words!r} is not in {VAL}"
    return out


def test_place_type_nouns_stay_outside_the_place(mapped):
    # Wojood: مدينة نابلس one GPE; ANERcorp: مدينة O, نابلس B-LOC
    assert tags_of(mapped, "جنوب مدينة نابلس") == [["O", "O", "B-LOC"]]
    assert tags_of(mapped, "قضاء مدينة جنين") == [["O", "O", "B-LOC"]]
    assert ["O", "B-LOC", "I-LOC"] in tags_of(mapped, "قرية كوكب الهوا")


def test_descriptive_heads_stay_outside_an_organisation(mapped):
    assert set(map(tuple, tags_of(mapped, "جريدة فلسطين"))) == {("O", "B-ORG")}
    assert tags_of(mapped, "لشركة روتنبرغ") == [["O", "B-ORG"]]
    # a head ANERcorp keeps inside the name (مجلس, منظمة) stays
    assert tags_of(mapped, "المجلس التشريعي الفلسطيني") == [["B-ORG", "I-ORG", "I-ORG"]]


def test_a_force_keeps_its_head_unless_it_is_the_forces_of_an_organisation(mapped):
    # قوات is part of the SDF's own name; ANERcorp cuts it only before an organisation of its own
    assert tags_of(mapped, "قوات سورية الديمقراطية") == [["B-ORG", "I-ORG", "I-ORG"]]
    rows = [["قوات", "B-ORG"], ["الأمم", "I-ORG", "B-ORG"], ["المتحدة", "I-ORG", "I-ORG"]]
    assert wojood.four_types(rows) == ["O", "B-ORG", "I-ORG"]
    # troops named by their origin are no name in ANERcorp (O 49 times of 49)
    rows = [["اعتقلت", "O"], ["القوات", "B-ORG"], ["الإسرائيلية", "I-ORG"], ["شابا", "O"]]
    assert wojood.four_types(rows) == ["O", "O", "O", "O"]
    assert wojood.four_types([["قوات", "B-ORG"], ["إثيوبية", "I-ORG"]]) == ["O", "O"]


def test_a_municipality_is_its_town(mapped):
    assert set(map(tuple, tags_of(mapped, "مضابط بلدية نابلس"))) == {("O", "O", "B-LOC")}


def test_titles_and_currency_adjectives_are_cut(mapped):
    assert tags_of(mapped, "الملك حسين بن طلال") == [["O", "B-PERS", "I-PERS", "I-PERS"]]
    assert tags_of(mapped, "دولار أمريكي") == [["B-MISC", "O"], ["B-MISC", "O"]]


def test_a_single_word_is_never_cut_to_nothing():
    rows = [["مدينة", "B-GPE"], ["في", "O"], ["شركة", "B-ORG"]]
    assert wojood.four_types(rows) == ["B-LOC", "O", "B-ORG"]


def test_error_kinds():
    gold = [(0, 2, "LOC"), (3, 4, "ORG"), (5, 6, "PERS"), (7, 9, "ORG")]
    pred = [(1, 2, "LOC"), (3, 4, "LOC"), (7, 8, "LOC"), (10, 11, "MISC")]
    kinds = [(k, t) for k, t, _, _ in ner_errors.classify(gold, pred)]
    assert kinds == [("boundary", "LOC"), ("type", "ORG"), ("missed", "PERS"),
                     ("boundary and type", "ORG"), ("spurious", "MISC")]
    assert ner_errors.classify(gold, gold) == []
