"""Dates resolved against the publication date, pinned by real Arabic sentences."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.extract.dates import find_dates, find_durations

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

P000 = "2021-08-26"  # seed 000 and 001: a Thursday
P003 = "2021-07-27"  # seed 003: a Tuesday ("اليوم الثلاثاء")
P004 = "2018-07-31"  # seed 004: a Tuesday

# (sentence, published, span in the text, value, precision, relative)
DATES = [
    # seed 000
    ("الخميس دفعة ثانية من المقاتلين المعارضين من مدينة درعا", P000, "الخميس", "2021-08-26", "day", True),
    ("وكانت دفعة أولى خرجت الثلاثاء من درعا وضمت نحو 10 مقاتلين.", P000, "الثلاثاء", "2021-08-24", "day", True),
    ("دخلت وحدة من الشرطة العسكرية الروسية درعا البلد يوم الثلاثاء لفرض خطة", P000, "يوم الثلاثاء",
     "2021-08-24", "day", True),
    ("وتعد المواجهات التي اندلعت في نهاية تموز/يوليو في مناطق متفرقة", P000, "نهاية تموز/يوليو",
     "2021-07-01", "month", True),
    ("بعد استعادة قوات النظام السيطرة عليها في تموز/يوليو 2018، إذ وضع اتفاق", P000, "تموز/يوليو 2018",
     "2018-07-01", "month", False),
    ("شهدت مدينة درعا تصعيداً عسكرياً بعد ثلاث سنوات من هدوء أرسته تسوية", P000, None, None, None, None),
    # seed 001
    ("منذ 25 حزيران الماضي، فرضت قوات النظام السوري حصاراً", P000, "منذ 25 حزيران الماضي", "2021-06-25",
     "day", True),
    ("إنه تم إجلاء 50 من مقاتلي المعارضة وعائلاتهم، اليوم الخميس، من آخر معقل", P000, "اليوم الخميس",
     "2021-08-26", "day", True),
    ("بعد مغادرة الدفعة الأولى يوم الأربعاء.", P000, "يوم الأربعاء", "2021-08-25", "day", True),
    ("مهد الثورة السورية التي اندلعت منتصف آذار 2011، قبل أن تتحول", P000, "منتصف آذار 2011", "2011-03-01",
     "month", False),
    ("قاطعوا الانتخابات الرئاسية التي جرت نهاية أيار الماضي", P000, "نهاية أيار الماضي", "2021-05-01",
     "month", True),
    ("بوساطة روسية عام 2018.", P000, "عام 2018", "2018-01-01", "year", False),
    # seed 002
    ("وبدأ تنفيذ اتفاق الوعر، الذي دعمته روسيا، في مارس/ آذار.", "2017-05-20", "مارس/ آذار", "2017-03-01",
     "month", True),
    ("في حلب نهاية العام الماضي، باتفاقات مصالحة", "2017-05-20", "نهاية العام الماضي", "2016-01-01",
     "year", True),
    # seed 003
    ("أتت بتعزيزات أمس الاثنين قبل شن هجوم نهائي على قلب درعا", P003, "أمس الاثنين", "2021-07-26", "day", True),
    ("وتصاعدت حدة القتال هذا الأسبوع بعد انهيار خطة سلام روسية", P003, "هذا الأسبوع", "2021-07-26", "week",
     True),
    # seed 004
    ("اختطفهم التنظيم من محافظة السويداء المجاورة الأسبوع الماضي.", P004, "الأسبوع الماضي", "2018-07-23",
     "week", True),
    ("وشنّ التنظيم الأربعاء الماضي، انطلاقاً من نقاط وجوده", P004, "الأربعاء الماضي", "2018-07-25", "day", True),
    ("شنّت الطائرات الحربية الروسية (أمس) الثلاثاء غارات", P004, "(أمس) الثلاثاء", "2018-07-31", "day", True),
    ("وشنّت قبل أسبوعين هجوماً عنيفاً بدعم روسي", P004, "قبل أسبوعين", "2018-07-16", "week", True),
    ("وأفادت وكالة الأنباء السورية الرسمية (سانا) أول من أمس بـ«حالة انهيار»", P004, "أول من أمس",
     "2018-07-29", "day", True),
    ("ففي مايو (أيار) الماضي، طردت قوات النظام التنظيم", P004, "مايو (أيار) الماضي", "2018-05-01", "month",
     True),
    ("«تدور منذ الاثنين مفاوضات بين قوات النظام", P004, "منذ الاثنين", "2018-07-30", "day", True),
    # beyond the seeds
    ("وعاد النازحون الشهر الماضي إلى قراهم", "2021-01-15", "الشهر الماضي", "2020-12-01", "month", True),
    ("ارتفع عدد النازحين العام الماضي", P000, "العام الماضي", "2020-01-01", "year", True),
    ("ووقعت الهجمات في 2018 على البلدة", P000, "2018", "2018-01-01", "year", False),
    ("صدر القرار بتاريخ 15/1/1959 عن المحكمة", P000, "بتاريخ 15/1/1959", "1959-01-15", "day", False),
    ("انتهت المعارك في 12 كانون الأول ثم عاد السكان", P000, "12 كانون الأول", "2020-12-12", "day", True),
    ("وصل الوفد يوم 3 سبتمبر إلى دمشق", P000, "يوم 3 سبتمبر", "2020-09-03", "day", True),
    ("تستأنف المفاوضات الخميس المقبل", P000, "الخميس المقبل", "2021-09-02", "day", True),
    ("يصل الوفد غداً إلى المدينة", P000, "غداً", "2021-08-27", "day", True),
    ("قتل ثلاثة مدنيين قبل ثلاثة أيام في قصف", P000, "قبل ثلاثة أيام", "2021-08-23", "day", True),
    ("تم الاتفاق في جانفي 2020 على وقف إطلاق النار", P000, "جانفي 2020", "2020-01-01", "month", False),
    ("وقال إن المعارك مستمرة حتى اليوم في الريف", P000, "اليوم", "2021-08-26", "day", True),
    ("ولد في 24 أكتوبر / تشرين الأول 2008 في حلب", P000, "24 أكتوبر / تشرين الأول 2008", "2008-10-24",
     "day", False),
    ("سجل ذلك عام 1325 هجري في الدفتر", P000, "عام 1325 هجري", "1907-02-14", "year", False),
]


def _date(text, published, span):
    dates = find_dates(text, published)
    found = [d for d in dates if d.text == span]
    assert found, f"no date {span!r}; got {[d.text for d in dates]}"
    return found[0]


@pytest.mark.parametrize("text,published,span,value,precision,relative", DATES)
def test_date(text, published, span, value, precision, relative):
    if span is None:
        assert find_dates(text, published) == []
        return
    d = _date(text, published, span)
    assert (d.value, d.precision, d.relative, d.resolved) == (value, precision, relative, True)
    assert text[d.start:d.end] == d.text


def test_two_years():
    text = "استعادت قوات النظام السيطرة على بعض المناطق خلال عامي 2017 و 2018."
    assert [(d.value, d.precision) for d in find_dates(text, P000)] == [("2017-01-01", "year"),
                                                                          ("2018-01-01", "year")]


@pytest.mark.parametrize("text,note", [
    ("وتعد المواجهات التي اندلعت في نهاية تموز/يوليو", "end"),
    ("التي اندلعت منتصف آذار 2011", "mid"),
    ("شنّت الطائرات (أمس) الثلاثاء غارات", "disagrees"),
    ("وشهدت المدينة خلال الأسابيع الماضية تصعيداً", "period of unknown length"),
    ("عانوا خلال الأسبوعين الماضيين تحديداً", "period: 2 week"),
])
def test_notes(text, note):
    assert note in find_dates(text, P004 if "أمس" in text else P000)[0].note


@pytest.mark.parametrize("text,span", [
    ("وكانت دفعة أولى خرجت الثلاثاء من درعا", "الثلاثاء"),
    ("أتت بتعزيزات أمس الاثنين قبل شن هجوم", "أمس الاثنين"),
    ("اختطفهم التنظيم الأسبوع الماضي", "الأسبوع الماضي"),
    ("منذ 25 حزيران الماضي، فرضت قوات النظام", "منذ 25 حزيران الماضي"),
    ("وشنّت قبل أسبوعين هجوماً", "قبل أسبوعين"),
])
def test_unresolved_without_publication_date(text, span):
    d = _date(text, None, span)
    assert (d.value, d.resolved, d.relative) == (None, False, True)
    assert "unknown" in d.note


def test_absolute_dates_need_no_publication_date():
    d = _date("في تموز/يوليو 2018، إذ وضع اتفاق", None, "تموز/يوليو 2018")
    assert (d.value, d.precision, d.resolved, d.relative) == ("2018-07-01", "month", True, False)


def test_publication_month_only():
    d = _date("وكانت دفعة أولى خرجت الثلاثاء من درعا", "2021-08", "الثلاثاء")
    assert d.value is None and "month" in d.note
    assert _date("نهاية تموز/يوليو", "2021-08", "نهاية تموز/يوليو").value == "2021-07-01"


@pytest.mark.parametrize("text", [
    "اجتمعت قوى 14 آذار في بيروت",
    "مارس الضغوط على الحكومة",
    "في اليوم الأول من الهدنة",
    "احتجاز سوق الجمعة في المدينة",
    "في العام السابع من الحرب الأهلية",
    "بقيادة الفرقة الرابعة",
])
def test_not_a_date(text):
    assert find_dates(text, P000) == []


def test_weekday_equal_to_publication_weekday_is_publication_day():
    assert _date("الخميس دفعة ثانية", P000, "الخميس").value == P000


def test_durations():
    text = "بعد ثلاث سنوات من هدوء، ووجود استمر نحو 4 سنوات، وحصار دام شهرين"
    got = [(text[s:e], count, unit) for s, e, count, unit in find_durations(text)]
    assert got == [("ثلاث سنوات", 3, "year"), ("4 سنوات", 4, "year"), ("شهرين", 2, "month")]


def test_sentence_spans_limit_dates():
    text = "خرجت الدفعة الأولى الثلاثاء. ووصلت الثانية الخميس."
    second = (text.index("ووصلت"), len(text))
    assert [d.text for d in find_dates(text, P000, [second])] == ["الخميس"]


@pytest.mark.skipif(not SEEDS.exists(), reason="shared seeds not beside the repo")
def test_seed_000_dates():
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    got = {(d.text, d.value, d.precision) for d in find_dates(text, P000)}
    assert ("الخميس", "2021-08-26", "day") in got
    assert ("الثلاثاء", "2021-08-24", "day") in got
    assert ("نهاية تموز/يوليو", "2021-07-01", "month") in got
    assert ("تموز/يوليو 2018", "2018-07-01", "month") in got


DATE_BITS = ["الخميس", "أمس", "(", ")", "تموز", "/", "يوليو", "2018", "25", "حزيران", "الماضي", "قبل", "أسبوعين",
             "عام", "عامي", "و", "اليوم", "نهاية", "بتاريخ", "15", "1", "الأسابيع", "الماضية", "٢٠١٨", "ـ", "ً", "."]


@given(st.lists(st.sampled_from(DATE_BITS), max_size=25), st.sampled_from([None, "2021-08-26", "2021-08", "bad"]))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_dates_inside_the_text(bits, published):
    text = " ".join(bits)
    for d in find_dates(text, published):
        assert text[d.start:d.end] == d.text
        assert d.precision in ("day", "week", "month", "year", "unknown")
        assert d.value is None or len(d.value) == 10
