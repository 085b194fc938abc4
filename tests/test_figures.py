"""Figures (number + unit + term + qualifier) pinned by real Arabic sentences from the seeds and beyond."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.extract.figures import find_figures
from rasid.extract.numbers import find_numbers

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

# (sentence, figure span, value, unit, term, qualifier, vague, ordinal)
FIGURES = [
    # seed 000
    ('وأفاد المرصد عن "تهجير" قوات النظام دفعة ثانية ضمّت 53 شخصاً، غالبيتهم من "المسلحين"',
     "53 شخصاً", 53, "people", "evacuated", "exact", False, None),
    ('وأفاد المرصد عن "تهجير" قوات النظام دفعة ثانية ضمّت 53 شخصاً، غالبيتهم من "المسلحين"',
     "دفعة ثانية", None, "batches", "evacuated", "exact", False, 2),
    ('أعلنت وكالة أنباء "سانا" خروج "45 إرهابياً مع بعض أفراد عائلاتهم" من درعا البلد',
     "45 إرهابياً", 45, "fighters", "evacuated", "exact", False, None),
    ("وكانت دفعة أولى خرجت الثلاثاء من درعا وضمت نحو 10 مقاتلين.",
     "نحو 10 مقاتلين", 10, "fighters", "evacuated", "approx", False, None),
    ("وكانت دفعة أولى خرجت الثلاثاء من درعا وضمت نحو 10 مقاتلين.",
     "دفعة أولى", None, "batches", "evacuated", "exact", False, 1),
    ("ودفع التصعيد العسكري بين قوات النظام والمقاتلين المعارضين منذ نهاية تموز/يوليو أكثر من 38 ألف "
     "شخص إلى النزوح خلال شهر تقريباً", "أكثر من 38 ألف شخص", 38000, "people", "displaced", "more_than",
     False, None),
    ("وينص اتفاق التسوية على إخراج نحو مئة مسلّح من المطلوبين من قوات النظام",
     "نحو مئة مسلّح", 100, "fighters", "evacuated", "approx", False, None),
    ("تمهيداً لفك الحصار عن المنطقة حيث يقيم 40 ألف شخص عانوا خلال الأسبوعين الماضيين",
     "40 ألف شخص", 40000, "people", "residents", "exact", False, None),
    # seed 001
    ("وصلت حافلتان تقلان مقاتلين رفضوا الاستقرار في درعا وعائلاتهم إلى مناطق سيطرة المعارضة",
     "حافلتان", 2, "buses", "", "exact", False, None),
    ("قال شهود عيان إنه تم إجلاء 50 من مقاتلي المعارضة وعائلاتهم، اليوم الخميس",
     "50 من مقاتلي", 50, "fighters", "evacuated", "exact", False, None),
    ("يهدف النظام السوري إلى السيطرة الكاملة على درعا وتهجير عشرات الآلاف من سكانها إلى شمال سوريا.",
     "عشرات الآلاف من سكانها", 10000, "people", "evacuated", "exact", True, None),
    ("وتمثل هاتان الحافلتان الدفعة الثانية من مقاتلي المعارضة السورية من درعا",
     "الدفعة الثانية", None, "batches", "", "exact", False, 2),
    # seed 002
    ("ومن المتوقع أن يليهم عشرات آخرون ليخرج نحو 2500 شخص من الحي",
     "نحو 2500 شخص", 2500, "people", "evacuated", "approx", False, None),
    ("إن الاتفاق سيؤدي عند استكماله إلى خروج ما يصل إلى 20 ألف شخص من الحي.",
     "ما يصل إلى 20 ألف شخص", 20000, "people", "evacuated", "up_to", False, None),
    ("وغادرت حافلة واحدة على الأقل تقل مقاتلي المعارضة وأفراد عائلاتهم حي الوعر",
     "حافلة واحدة على الأقل", 1, "buses", "evacuated", "at_least", False, None),
    # seed 003
    ("قال جيش النظام السوري إن أربعة جنود على الأقل قتلوا في كمائن تعرضت لها القوات",
     "أربعة جنود على الأقل", 4, "soldiers", "killed", "at_least", False, None),
    ("وقال مصدر إن عدة آلاف من الأسر في البلدات الواقعة في مناطق الاضطرابات فرّت لمناطق أكثر أمناً",
     "عدة آلاف من الأسر", 1000, "families", "displaced", "at_least", True, None),
    # seed 004
    ("وقال مصدر أمني سوري أمس إن 12 حافلة وصلت إلى ممر قرية أوفانيا",
     "12 حافلة", 12, "buses", "", "exact", False, None),
    ("وتوقع المصدر خروج نحو ألف شخص من المسلحين وعائلاتهم إلى محافظة حماة",
     "نحو ألف شخص", 1000, "people", "evacuated", "approx", False, None),
    ("مفاوضات تتضمن نقلهم إلى البادية السورية مقابل إطلاق سراح 30 سيدة وطفلا اختطفهم التنظيم",
     "30 سيدة وطفلا", 30, "women_children", "abducted", "exact", False, None),
    ("هجوماً واسعاً على محافظة السويداء قتل خلاله أكثر من 250 شخصاً قبل أن يختطف المتطرفون 30 سيدة وطفلا",
     "أكثر من 250 شخصاً", 250, "people", "killed", "more_than", False, None),
    ("هجوماً واسعاً على محافظة السويداء قتل خلاله أكثر من 250 شخصاً قبل أن يختطف المتطرفون 30 سيدة وطفلا",
     "30 سيدة وطفلا", 30, "women_children", "abducted", "exact", False, None),
    ("مفاوضات لإجلاء نحو مائة مقاتل مع أفراد من عائلاتهم يتحصنون في أقصى حوض اليرموك",
     "نحو مائة مقاتل", 100, "fighters", "evacuated", "approx", False, None),
    ("مقابل إطلاق التنظيم المختطفين الـ30 من السويداء",
     "المختطفين الـ30", 30, "people", "abducted", "exact", False, None),
    ("انكفأ عشرات من «داعش» إلى جيب محدود في أقصى محافظة درعا",
     "عشرات من «داعش»", 10, "fighters", "", "exact", True, None),
    # beyond the seeds
    ("قتل 5 مدنيين وأصيب 12 آخرون بجروح في قصف على المدينة", "5 مدنيين", 5, "civilians", "killed",
     "exact", False, None),
    ("نزح ٣٨٬٠٠٠ شخص من القرى الحدودية", "٣٨٬٠٠٠ شخص", 38000, "people", "displaced", "exact", False, None),
    ("فرّ ما يزيد عن 3,500 شخص من المخيم", "ما يزيد عن 3,500 شخص", 3500, "people", "displaced",
     "more_than", False, None),
    ("سجلت الأمم المتحدة ما لا يقل عن ثلاثة آلاف وخمسمائة نازح", "ما لا يقل عن ثلاثة آلاف وخمسمائة نازح",
     3500, "people", "displaced", "at_least", False, None),
    ("قتل خمسة وأربعين شخصا في الغارات", "خمسة وأربعين شخصا", 45, "people", "killed", "exact", False, None),
    ("وصلت عائلتان إلى المخيم", "عائلتان", 2, "families", "", "exact", False, None),
    ("وفرّ مئات الأشخاص من البلدة", "مئات الأشخاص", 100, "people", "displaced", "exact", True, None),
    ("يستضيف الأردن حوالي 2.5 مليون لاجئ", "حوالي 2.5 مليون لاجئ", 2500000, "people", "displaced", "approx",
     False, None),
    ("أصيب قرابة 70 عنصراً من قوات النظام", "قرابة 70 عنصراً", 70, "fighters", "injured", "approx", False, None),
    ("وخرجت الدفعة الأولى من المهجرين", "الدفعة الأولى", None, "batches", "evacuated", "exact", False, 1),
    ("وغادر الآلاف على عدة مراحل", "الآلاف", 1000, "people", "evacuated", "exact", True, None),
]


def _by_span(text: str, span: str):
    figures = find_figures(text)
    found = [f for f in figures if f.text == span]
    assert found, f"no figure {span!r}; got {[f.text for f in figures]}"
    return found[0]


@pytest.mark.parametrize("text,span,value,unit,term,qualifier,vague,ordinal", FIGURES)
def test_figure(text, span, value, unit, term, qualifier, vague, ordinal):
    f = _by_span(text, span)
    assert (f.value, f.unit, f.term, f.qualifier, f.vague, f.ordinal) == (
        value, unit, term, qualifier, vague, ordinal)
    assert text[f.start:f.end] == f.text


def test_range():
    f = _by_span("نزحت بين 50 و60 عائلة من القرية", "50 و60 عائلة")
    assert (f.value, f.value_max, f.unit, f.term) == (50, 60, "families", "displaced")


def test_percent_is_not_people():
    # the gold guide: percentages are not figures (neither people nor a figure of their own)
    assert find_figures("ارتفعت نسبة النازحين نحو 20 بالمئة من السكان") == []


NOT_FIGURES = [
    ("بعد ثلاث سنوات من هدوء أرسته تسوية استثنائية", "ثلاث"),
    ("استعادة قوات النظام السيطرة عليها في تموز/يوليو 2018، إذ وضع اتفاق", "2018"),
    ("استعادة السيطرة على بعض المناطق في المحافظة خلال عامي 2017 و 2018.", "2017"),
    ("في العام السابع من الحرب الأهلية بالبلاد", "السابع"),
    ("بقيادة الفرقة الرابعة من قوات النخبة", "الرابعة"),
    ("جاءت بعد سلسلة من الهجمات خلال الساعات الـ24 الماضية من عناصر", "24"),
    ("تنتهي سيطرة تنظيم داعش على الشريط المحتل بعد وجود استمر نحو 4 سنوات.", "4"),
    ("«حالة انهيار بين صفوف الإرهابيين» بعد محاصرتهم من 3 جهات", "3"),
    ("منذ 25 حزيران الماضي، فرضت قوات النظام السوري حصاراً", "25"),
    ("التي تحاصرها منذ أكثر من شهرين", "شهرين"),
    ("قدمت الحكومة مساعدات بقيمة 500 ألف دولار", "500"),
    ("على بعد 30 كيلومترا من الحدود", "30"),
    ("للاستفسار اتصل على 0112345678", "0112345678"),
    ("طفل يبلغ من العمر 12 عاما قتل في القصف", "12"),
]


@pytest.mark.parametrize("text,part", NOT_FIGURES)
def test_not_a_figure(text, part):
    assert not [f for f in find_figures(text) if part in f.text]


NUMBERS = [
    ("ثلاثة آلاف وخمسمائة", 3500, "cardinal"),
    ("خمسة وأربعين", 45, "cardinal"),
    ("38 ألف", 38000, "cardinal"),
    ("٣٨٬٠٠٠", 38000, "cardinal"),
    ("38.000", 38000, "cardinal"),
    ("2.5 مليون", 2500000, "cardinal"),
    ("الـ30", 30, "cardinal"),
    ("مئة وخمسون ألفا", 150000, "cardinal"),
    ("ثلاث مئة", 300, "cardinal"),
    ("خمسة عشر", 15, "cardinal"),
    ("ستة وثلاثين مليون وأربعمائة ألف", 36400000, "cardinal"),
    ("عشرات الآلاف", 10000, "vague"),
    ("مئات", 100, "vague"),
    ("الحادي عشر", 11, "ordinal"),
    ("الخامس والعشرين", 25, "ordinal"),
]


@pytest.mark.parametrize("text,value,kind", NUMBERS)
def test_number(text, value, kind):
    found = find_numbers(text)
    assert [(n.text, n.value, n.kind) for n in found] == [(text, value, kind)]


def test_numbers_flags():
    years = find_numbers("عام 2018")
    assert years[0].is_year
    assert find_numbers("المادة 18")[0].kind == "ordinal"
    assert find_numbers("عدة آلاف")[0].qualifier == "at_least"
    assert find_numbers("يوم الاثنين") == []  # Monday, not two
    assert find_numbers("بدأت منذ الاثنين")[0:] == []


def test_numbers_window_offsets():
    text = "خرج 53 شخصاً ثم 45 مقاتلاً"
    found = find_numbers(text, start=text.index("ثم"))
    assert [n.text for n in found] == ["45"]
    assert text[found[0].start:found[0].end] == "45"


@pytest.mark.skipif(not SEEDS.exists(), reason="shared seeds not beside the repo")
def test_seed_000_figures():
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    got = {(f.text, f.value, f.unit) for f in find_figures(text)}
    for want in [("53 شخصاً", 53, "people"), ("45 إرهابياً", 45, "fighters"), ("نحو مئة مسلّح", 100, "fighters"),
                 ("أكثر من 38 ألف شخص", 38000, "people"), ("40 ألف شخص", 40000, "people")]:
        assert want in got
    assert not any("2018" in f.text or "ثلاث" in f.text for f in find_figures(text))


def test_sentence_spans_limit_figures():
    text = "قتل 5 مدنيين. ونزح 300 شخص."
    second = (text.index("ونزح"), len(text))
    assert [f.value for f in find_figures(text, [second])] == [300]


ARABIC_BITS = ["قتل", "نحو", "مئة", "ألف", "38", "٣٨٬٠٠٠", "شخصاً", "الـ30", "حافلتان", "دفعة", "ثانية", "،", ".",
               "عشرات", "الآلاف", "من", "على", "الأقل", "مسلّح", "2018", "عام", "و", "(", ")", "\n", "ـ", "ً", "/"]


@given(st.lists(st.sampled_from(ARABIC_BITS), max_size=30), st.sampled_from([" ", "", "  "]))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_spans_into_the_text(bits, sep):
    text = sep.join(bits)
    for f in find_figures(text):
        assert text[f.start:f.end] == f.text
    for n in find_numbers(text):
        assert text[n.start:n.end] == n.text
