"""The clean stage on the real seeds: headlines, footers, paragraph joins, hashtags, sentences."""
import pytest
from hypothesis import given, strategies as st

from rasid.clean import clean
from tests.conftest import seed_text


def test_seed_004_has_one_headline_and_no_footer():
    cleaned = clean(seed_text(4))
    assert cleaned.title == "«داعش» يتقهقر في وادي اليرموك... وتهجير معارضين إلى شمال سوريا"
    assert "لم تشترك بعد" not in cleaned.clean_text
    assert "انشئ حساباً" not in cleaned.clean_text
    assert "يتقهقر في وادي اليرموك" not in cleaned.clean_text
    reasons = [why for _, _, why in cleaned.removed]
    assert reasons == ["repeated headline", "repeated headline", "boilerplate", "boilerplate"]
    assert cleaned.clean_text.startswith("انكفأ عشرات من «داعش»")  # its long first line is body text


@pytest.mark.parametrize("number", [0, 2, 3])
def test_paragraph_joins_are_repaired(number):
    text = seed_text(number)
    assert ".," in text
    cleaned = clean(text)
    assert ".," not in cleaned.clean_text
    assert cleaned.clean_text.count("\n\n") >= 10


def test_seed_000_paragraphs():
    cleaned = clean(seed_text(0))
    paragraphs = cleaned.clean_text.split("\n\n")
    assert paragraphs[1].startswith("وشهدت مدينة درعا")
    assert all(not p.startswith((",", " ")) for p in paragraphs)


def test_hashtags_become_words():
    cleaned = clean(seed_text(2))
    assert "#" not in cleaned.clean_text
    assert "بمدينة حمص اليوم السبت" in cleaned.clean_text
    assert "محافظة إدلب" in cleaned.clean_text


def test_sentence_offsets_point_into_the_original():
    text = seed_text(0)
    cleaned = clean(text)
    first = cleaned.sentences[0]
    assert text[first.start:first.end].startswith("الخميس دفعة ثانية")
    assert text[first.start:first.end].endswith("منذ سنوات.")
    for sentence in cleaned.sentences:
        piece = text[sentence.start:sentence.end]
        assert piece == piece.strip() and not piece.startswith(",")
    assert len(cleaned.analysis_text) == len(text)


def test_title_is_not_a_sentence():
    text = seed_text(1)
    cleaned = clean(text)
    assert cleaned.title.startswith("وصلت حافلتان")
    assert all(s.start > len(cleaned.title) for s in cleaned.sentences)


def test_given_title_keeps_all_lines_as_body():
    cleaned = clean("سطر أول من الخبر.\nسطر ثان.", title="عنوان")
    assert cleaned.title == "عنوان"
    assert cleaned.clean_text == "سطر أول من الخبر.\n\nسطر ثان."


@pytest.mark.parametrize("line", ["شارك على فيسبوك", "اقرأ أيضاً: تفاصيل أخرى", "Share this", "لم تشترك بعد"])
def test_boilerplate_lines(line):
    cleaned = clean(f"عنوان\nنص الخبر هنا.\n{line}")
    assert line not in cleaned.clean_text and "نص الخبر هنا." in cleaned.clean_text


@given(st.text(max_size=300))
def test_any_text_cleans_without_error_and_offsets_hold(text):
    cleaned = clean(text)
    assert len(cleaned.analysis_text) == len(text)
    for sentence in cleaned.sentences:
        assert 0 <= sentence.start < sentence.end <= len(text)


_joins = st.text(alphabet=st.sampled_from(".!?؟\"»”,،  \t\nابت."), max_size=60)


@given(_joins)
def test_join_commas_are_the_ones_the_join_pattern_finds(text):
    # The analysis text blanks each join's comma, found from its end mark instead of a lookbehind.
    from rasid.clean import _JOIN_COMMA
    from rasid.clean.sentences import JOIN

    assert [m.end() - 1 for m in _JOIN_COMMA.finditer(text)] == [m.end() - 1 for m in JOIN.finditer(text)]


_chrome = st.sampled_from(["لم تشترك بعد", "شارك هذا الخبر على تويتر", "اقرأ أيضا", "Share this", "tags: a",
                           "جميع الحقوق محفوظة", "مواضيع ذات صلة:", "قال المرصد", "", "share"])


@given(_chrome, st.text(alphabet=st.sampled_from("ابت :.xS"), max_size=12))
def test_boilerplate_patterns_joined_match_as_each_alone(head, tail):
    from rasid.arabic.normalize import match_key
    from rasid.clean.boilerplate import is_boilerplate_key, load_patterns

    key = match_key(head + tail)
    patterns = load_patterns()
    assert is_boilerplate_key(key, patterns) == any(p.match(key) for p in patterns)


def test_boilerplate_patterns_with_a_backreference_are_matched_one_by_one():
    import re

    from rasid.clean.boilerplate import is_boilerplate_key

    patterns = (re.compile(r"^(\w+) \1$", re.IGNORECASE), re.compile(r"^(a)(b)$", re.IGNORECASE))
    assert is_boilerplate_key("تابع تابع", patterns) and is_boilerplate_key("ab", patterns)
    assert not is_boilerplate_key("تابع غدا", patterns)
    assert not is_boilerplate_key("anything", ())
