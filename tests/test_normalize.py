"""Arabic normalisation, rule by rule, and its properties."""
import pytest
from hypothesis import given, strategies as st

from rasid.arabic.normalize import match_key, normalize, normalize_digits
from rasid.arabic.search import search_text, stem, terms

arabic = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" .،a1"), max_size=80)


@pytest.mark.parametrize("raw, key", [
    ("مسلّح", "مسلح"),  # rule 1: shadda
    ("إرهابياً", "ارهابيا"),  # rules 1-2: tanween, hamza under alef
    ("جـيش", "جيش"),  # rule 1: tatweel
    ("أفاد", "افاد"), ("آذار", "اذار"), ("ٱلله", "الله"),  # rule 2
    ("مؤسسات", "موسسات"), ("لائحة", "لايحه"),  # rule 3 (and 5)
    ("إلى", "الي"),  # rule 4
    ("مدرسة", "مدرسه"),  # rule 5
    ("کتاب", "كتاب"),  # rule 6
    ("٤٥ شخصاً", "45 شخصا"), ("۳۸", "38"),  # rule 7
    ("  درعا \n البلد ", "درعا البلد"), ("SANA", "sana"),  # rule 8
])
def test_match_key_rules(raw, key):
    assert match_key(raw) == key


def test_spelling_variants_share_a_key():
    assert match_key("أوفانيا") == match_key("اوفانيا")
    assert match_key("حماة") == match_key("حماه")
    assert match_key("مستشفى") == match_key("مستشفي")


def test_digits_keep_length_and_offsets():
    text = "خروج ٤٥ شخصاً"
    assert normalize_digits(text) == "خروج 45 شخصاً"
    assert len(normalize_digits(text)) == len(text)


@given(arabic)
def test_normalising_twice_changes_nothing(text):
    assert normalize(normalize(text)) == normalize(text)
    assert match_key(match_key(text)) == match_key(text)


@given(arabic)
def test_match_key_is_stable_under_tashkeel(text):
    with_marks = "".join(c + "\u064E" if "\u0621" <= c <= "\u064A" else c for c in text)
    assert match_key(with_marks) == match_key(text)


@pytest.mark.parametrize("word", ["مقاتلي", "مقاتلو", "المقاتلين", "المقاتلون", "مقاتل"])
def test_stems_of_a_fighter_meet(word):
    assert stem(word) == stem("المقاتلين")


def test_index_terms_cover_proclitic_forms():
    assert terms("درعا")[0] in search_text("لدرعا").split()
    assert terms("لبنان")[0] != terms("نان")[0]
