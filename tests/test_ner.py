"""The ANERcorp NER model: tokens, entities on the seed reports, scoring, file reading, accuracy."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasid.cli.eval_ner import ner as ner_command
from rasid.errors import InputError
from rasid.evaluate.ner import format_table, read_conll, score, score_file, spans
from rasid.extract.ner import find_entities, tag, tag_sentences, tokenize
from rasid.extract.ner.consistency import entity_key, propagate
from rasid.extract.ner.features import sentence_features, split_clitics

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"  # shared/ beside main
DEV = Path(__file__).resolve().parents[1] / "rasid" / "data" / "models" / "ner" / "dev.txt"

# Measured on the shipped model (docs/ner.md); a floor may only rise.
DEV_F1_FLOOR = 0.708  # measured 0.7087


def seed(name: str) -> str:
    path = next(SEEDS.glob(name + "*"))
    return path.read_text(encoding="utf-8")


# --- tokenize ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_tokens_round_trip_on_the_seeds(name):
    text = seed(name)
    toks = tokenize(text)
    assert all(text[s:e] == w for w, s, e in toks)
    # nothing but white space falls between tokens
    covered = "".join(w for w, _, _ in toks)
    assert covered == "".join(text.split())


@pytest.mark.parametrize("text, expected", [
    ("«المرصد السوري»،", ["«", "المرصد", "السوري", "»", "،"]),
    ("“بشار الأسد”", ["“", "بشار", "الأسد", "”"]),
    ('وكالة أنباء "سانا" خروج', ["وكالة", "أنباء", '"', "سانا", '"', "خروج"]),
    ("(سانا):", ["(", "سانا", ")", ":"]),
    ("نحو 2500 شخص; 1.3% منهم.,", ["نحو", "2500", "شخص", ";", "1.3%", "منهم", ".", ","]),
    ("#حمص", ["#", "حمص"]),
    ("مسلّح ٣٠", ["مسلّح", "٣٠"]),
])
def test_tokenize_splits_punctuation_and_keeps_numbers(text, expected):
    assert [w for w, _, _ in tokenize(text)] == expected


# --- features ---------------------------------------------------------------------------------

@pytest.mark.parametrize("word, expected", [
    ("وبالعاصمه", ("وبال", "عاصمه")),
    ("للامم", ("لل", "امم")),
    ("والصادرات", ("وال", "صادرات")),
    ("بدرعا", ("ب", "درعا")),
    ("درعا", ("", "درعا")),
    ("ولد", ("", "ولد")),  # too short to lose its first letter
])
def test_split_clitics(word, expected):
    assert split_clitics(word) == expected


def test_features_are_one_list_per_token():
    words = ["قال", "الرئيس", "بشار", "الأسد", "في", "دمشق"]
    feats = sentence_features(words)
    assert len(feats) == len(words)
    assert "trig=TITLE" in feats[1]
    assert "gaz=PLACE" in feats[5]
    assert "-1:trig=TITLE" in feats[2]


def test_entity_key_drops_particles_but_not_the_article():
    assert entity_key(["للأمم", "المتحدة"]) == entity_key(["الأمم", "المتحدة"])
    assert entity_key(["بدرعا"]) == entity_key(["درعا"])
    assert entity_key(["السورية"]) != entity_key(["سورية"])


# --- the model on the seed reports --------------------------------------------------------------

def entities(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in find_entities(text)}


def test_seed_000_united_nations_and_places():
    found = entities(seed("000"))
    assert ("الأمم المتحدة", "ORG") in found
    assert {("درعا", "LOC"), ("سوريا", "LOC"), ("روسيا", "LOC")} <= found


def test_seed_001_bashar_al_assad_is_a_person():
    found = entities(seed("001"))
    assert ("بشار الأسد", "PERS") in found
    assert ("الأردن", "LOC") in found


def test_seed_004_observatory_director_is_a_person():
    found = entities(seed("004"))
    assert ("رامي عبد الرحمن", "PERS") in found
    assert ("السويداء", "LOC") in found


@pytest.mark.xfail(strict=True, reason="known miss: غير is a common word ('other'), the title is far")
def test_seed_000_envoy_geir_pedersen_is_a_person():
    assert ("غير بيدرسن", "PERS") in entities(seed("000"))


def test_seed_004_syrian_observatory_is_an_organisation():
    assert ("المرصد السوري لحقوق الإنسان", "ORG") in entities(seed("004"))


def test_find_entities_offsets_point_into_the_text():
    text = seed("002")
    ents = find_entities(text)
    assert ents
    for e in ents:
        assert text[e.start:e.end] == e.text
        assert 0.0 <= e.confidence <= 1.0
        assert e.label in {"PERS", "LOC", "ORG", "MISC"}


def test_find_entities_in_a_window_keeps_offsets_into_the_whole_text():
    text = seed("001")
    start = text.index("وصرحت وكالة")
    end = text.index("\n", start)
    ents = find_entities(text, start, end)
    assert ("بشار الأسد", "PERS") in {(e.text, e.label) for e in ents}
    assert all(start <= e.start < e.end <= end and text[e.start:e.end] == e.text for e in ents)


def test_tag_gives_one_iob_tag_per_token():
    tokens = ["التقى", "الرئيس", "السوري", "بشار", "الأسد", "في", "دمشق"]
    tags = tag(tokens)
    assert len(tags) == len(tokens)
    assert ("B-PERS", "I-PERS") == (tags[3], tags[4])
    assert tags[6] == "B-LOC"
    assert tag([]) == []


def test_repeats_in_a_document_share_the_label():
    sents = [["وقال", "رئيس", "نادي", "الوكرة"], ["وفاز", "الوكرة", "أمس"], ["في", "بالوكرة"],
             ["الوكرة"]]
    tags = [["O", "O", "O", "B-ORG"], ["O", "O", "O"], ["O", "O"], ["O"]]
    assert propagate(sents, tags, window=2) == [
        ["O", "O", "O", "B-ORG"], ["O", "B-ORG", "O"], ["O", "B-ORG"], ["O"]]  # 4th: too far


def test_tag_sentences_is_tag_plus_consistency():
    sents = [["التقى", "الرئيس", "بشار", "الأسد", "في", "دمشق"], ["وغادر", "الأسد", "دمشق"]]
    tags = tag_sentences(sents)
    assert tags[0][2:4] == ["B-PERS", "I-PERS"]
    assert [len(t) for t in tags] == [6, 3]


def test_empty_text_has_no_entities():
    assert find_entities("") == []
    assert find_entities("   \n ") == []


# --- score ------------------------------------------------------------------------------------

def test_spans_read_iob_like_conlleval():
    assert spans(["B-PERS", "I-PERS", "O", "B-LOC", "B-LOC"]) == [
        (0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "LOC")]
    # I- without B- opens an entity; I- of another type opens a new one
    assert spans(["O", "I-LOC", "I-LOC", "I-ORG"]) == [(1, 3, "LOC"), (3, 4, "ORG")]


def test_score_counts_exact_span_and_type():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PERS", "I-PERS", "O", "B-ORG"], ["B-ORG", "O", "O"]]
    result = score(gold, pred)
    assert result["overall"]["correct"] == 1
    assert result["overall"]["precision"] == pytest.approx(1 / 3)
    assert result["overall"]["recall"] == pytest.approx(1 / 3)
    assert result["overall"]["f1"] == pytest.approx(1 / 3)
    assert result["per_type"]["PERS"]["f1"] == 1.0
    assert result["per_type"]["LOC"] == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "gold": 1, "pred": 0, "correct": 0}
    assert result["per_type"]["ORG"]["precision"] == 0.0
    assert result["per_type"]["ORG"]["pred"] == 2
    assert result["accuracy"] == pytest.approx(5 / 7)


def test_score_takes_word_tag_pairs_and_a_perfect_match_is_one():
    gold = [[("بشار", "B-PERS"), ("الأسد", "I-PERS"), ("في", "O"), ("دمشق", "B-LOC")]]
    result = score(gold, gold)
    assert result["overall"]["f1"] == 1.0
    table = format_table(result)
    assert "overall" in table and "100.00" in table


def test_score_refuses_misaligned_input():
    with pytest.raises(ValueError):
        score([["O"]], [])
    with pytest.raises(ValueError):
        score([["O", "O"]], [["O"]])


# --- read_conll -------------------------------------------------------------------------------

def test_read_conll_tolerates_bom_crlf_and_extra_columns(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("\ufeffبشار NNP B-PERS\r\nالأسد NNP I-PERS\r\n\r\nفي\tO\r\n".encode("utf-8"))
    assert read_conll(path) == [[("بشار", "B-PERS"), ("الأسد", "I-PERS")], [("في", "O")]]


@pytest.mark.parametrize("content, needle", [
    ("بشار B-PERS\nالأسد\n", "line 2"),
    ("بشار B-PERS\nالأسد PERSON\n", "line 2"),
])
def test_read_conll_names_the_bad_line(tmp_path, content, needle):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_conll(path)
    assert needle in str(err.value) and str(path) in str(err.value)


def test_read_conll_missing_or_binary_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_conll(tmp_path / "missing.txt")
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9 O\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_conll(path)


# --- the CLI ----------------------------------------------------------------------------------

def test_cli_prints_json_with_arabic_readable(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("التقى O\nالرئيس O\nبشار B-PERS\nالأسد I-PERS\nفي O\nدمشق B-LOC\n",
                    encoding="utf-8")
    result = CliRunner().invoke(ner_command, [str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["gold"] == 2
    table = CliRunner().invoke(ner_command, [str(path)])
    assert "overall" in table.output


def test_cli_missing_file_is_an_input_error(tmp_path):
    result = CliRunner().invoke(ner_command, [str(tmp_path / "nope.txt")])
    assert isinstance(result.exception, InputError)
    assert "nope.txt" in str(result.exception)


# --- accuracy gate ----------------------------------------------------------------------------

def test_dev_f1_of_the_plain_crf_stays_above_the_floor():
    result = score_file(DEV, model="crf")
    assert result["overall"]["gold"] > 900
    assert result["overall"]["f1"] >= DEV_F1_FLOOR, format_table(result)
