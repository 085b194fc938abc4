"""The Wojood span evaluation: reading nested IOB files, scoring, the CLI, and an accuracy gate."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasid.cli.eval_spans import spans
from rasid.errors import InputError
from rasid.evaluate.spans import detokenize, format_table, read_wojood, score_spans

WOJOOD = Path(__file__).resolve().parents[2] / "shared" / "data" / "wojood-sample"

SAMPLE = """\
وصل O
الوفد O
يوم B-DATE
الثلاثاء I-DATE
، O
وخرج O
53 B-CARDINAL
شخصاً O
في O
الدفعة O
الثانية B-ORDINAL
عام B-DATE
( I-DATE
1948 I-DATE
) I-DATE
$#$ O

جامعة B-ORG
بيرزيت I-ORG B-GPE
بتاريخ B-DATE
15 I-DATE
/ I-DATE
1 I-DATE
/ I-DATE
1959 I-DATE
"""


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_read_wojood_nested_tags(sample):
    first, second = read_wojood(sample)
    assert first.tokens[:4] == ["وصل", "الوفد", "يوم", "الثلاثاء"]
    assert ("DATE", 2, 4) in first.spans and ("CARDINAL", 6, 7) in first.spans
    assert ("ORDINAL", 10, 11) in first.spans and ("DATE", 11, 15) in first.spans
    assert {("ORG", 0, 2), ("GPE", 1, 2), ("DATE", 2, 8)} == second.spans


def test_detokenize_restores_print_spacing():
    text, offsets = detokenize(["بتاريخ", "(", "15", "/", "1", "/", "1959", ")", "،", "2", ",", "000", "$#$"])
    assert text == "بتاريخ (15/1/1959)، 2,000\n"
    assert text[offsets[2][0]:offsets[2][1]] == "15"


def test_perfect_sample_scores(sample):
    result = score_spans(sample, "DATE,CARDINAL,ORDINAL")
    for etype in ("DATE", "CARDINAL", "ORDINAL"):
        assert result["types"][etype]["exact"]["f1"] == 1.0, (etype, result["types"][etype])
    assert "DATE" in format_table(result)


@pytest.mark.parametrize("content,fragment", [
    ("وصل O\nالوفد\n", "line 2"),
    ("وصل O\nالوفد B_DATE\n", "line 2"),
    ("", "no sentences"),
])
def test_bad_input_names_the_line(tmp_path, content, fragment):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=fragment) as err:
        read_wojood(path)
    assert str(path) in str(err.value)


def test_missing_file_and_unknown_type(tmp_path, sample):
    with pytest.raises(InputError, match="does not exist"):
        read_wojood(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="PERS"):
        score_spans(sample, "PERS")


def test_cli_json(sample):
    result = CliRunner().invoke(spans, [str(sample), "--types", "DATE,CARDINAL", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["types"]) == {"DATE", "CARDINAL"}


def test_cli_table_and_examples(sample):
    result = CliRunner().invoke(spans, [str(sample), "--examples", "3"])
    assert result.exit_code == 0 and "ORDINAL" in result.output


def test_cli_bad_file_raises_input_error(tmp_path):
    result = CliRunner().invoke(spans, [str(tmp_path / "missing.txt")])
    assert isinstance(result.exception, InputError)


# Floors just under the scores measured when this gate was set (docs/extraction-figures-dates.md);
# they may only rise.
FLOORS = {
    "val.txt": {"DATE": 0.87, "CARDINAL": 0.85, "ORDINAL": 0.92},
    "train.txt": {"DATE": 0.90, "CARDINAL": 0.62, "ORDINAL": 0.86},
}


@pytest.mark.skipif(not WOJOOD.exists(), reason="shared Wojood sample not beside the repo")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_wojood_accuracy_gate(name):
    result = score_spans(WOJOOD / name)
    for etype, floor in FLOORS[name].items():
        f1 = result["types"][etype]["exact"]["f1"]
        assert f1 >= floor, f"{name} {etype}: exact F1 {f1} fell below {floor}"
