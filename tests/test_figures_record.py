"""Figures and their terms on the error classes of issue 11, pinned by real sentences.

The sentences come from SaudiNewsNet reports that are NOT in the record gold (tests/gold: its urls
are excluded) and from the seeds. Each row names what a careful analyst records by
../shared/GOLD-GUIDE.md: every figure about people, with the term of its own predicate.
"""
import json
from pathlib import Path

import pytest

from rasid.extract.figures import find_figures
from rasid.extract.human_units import human_unit
from rasid.arabic.normalize import match_key

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
GOLD_REPORTS = Path(__file__).resolve().parent / "gold" / "reports.jsonl"


def _figures(text):
    return [(f.value, f.term) for f in find_figures(text)]


# Class 1, open units: any noun for people (nisba, sound plural, partitive «N من X», «N منهم»).
OPEN_UNITS = [
    ("تبنى تنظيم القاعدة في بلاد المغرب الاسلامي قتل 14 جنديا جزائريا في كمين نصبه في ولاية عين الدفلى",
     (14, "killed")),
    ("رابط الخبر بصحيفة الوئام: حكومة اليمن: قوات الحوثي تقصف عدن وتقتل 43 مدنياً", (43, "killed")),
    ("نشرت الشبكة السورية لحقوق الإنسان تقريرًا بعنوان «مقتل 39 طفلاً خلال أيام عيد الفطر 36 منهم على "
     "يد القوات الحكومية»", (36, "killed")),
    ("مواجهات عنيفة أسفرت عن سقوط ١٦ من الحوثيين وقوات صالح ومقتل ٨ وإصابة 35 من المقاومة",
     (35, "injured")),
    ("أسفرت عن مقتل 29 وجرح 15 من مسلحي التنظيم المتطرف وتدمير مركبتين تابعتين لهم", (15, "injured")),
]


@pytest.mark.parametrize("text, expected", OPEN_UNITS)
def test_open_units(text, expected):
    assert expected in _figures(text)


# The forms read as human, and the forms of things that look like them.
HUMAN_WORDS = [
    ("حوثياً", "fighters"), ("داعشيا", "fighters"), ("مصلياً", "people"), ("المسيحيين", "people"),
    ("المتدربين", "people"), ("العاملين", "people"), ("فلسطينيين", "people"), ("شاباً", "people"),
    ("يومياً", None), ("سنويا", None), ("ملايين", None), ("ميادين", None), ("الكيلومترات", None),
    ("غارة", None), ("برميلا", None), ("دولارات", None),
]


@pytest.mark.parametrize("word, unit", HUMAN_WORDS)
def test_human_unit_by_form(word, unit):
    assert human_unit(match_key(word)) == unit


def test_singular_nisba_counts_only_after_hundreds():
    assert human_unit(match_key("يمني"), 1_300_000) == "people"
    assert human_unit(match_key("أراضي"), 5) is None  # after 3-10 Arabic counts with a plural


def test_construct_plural_after_min():
    assert _figures("ونتج عنه استشهاد عشرة من منسوبي قوات الطوارئ الخاصة") == [(10, "killed")]


# Class 2, word order and coordination: the number before its verb; each coordinated figure kept.
WORD_ORDER = [
    ("من بينهم 250 ألف نزحوا من الرمادي عاصمة محافظة الأنبار منذ أبريل الماضي، و75 ألف نزحوا من منطقة "
     "الفلوجة", [(250000, "displaced"), (75000, "displaced")]),
    ("وكان 5 قتلوا وأصيب 11 آخرين من الحوثيين وقوات صالح في كمين للمقاومة", [(5, "killed"), (11, "injured")]),
    ("وأكدت مصادر طبية مقتل 14 وإصابة 33 من ميليشيات الحوثي وقوات الرئيس المخلوع",
     [(14, "killed"), (33, "injured")]),
    ("واسفرت المواجهات التي وقعت امس عن مقتل 29 وجرح 15 من المتطرفين وتدمير مركبتين تابعة للمسلحين",
     [(29, "killed"), (15, "injured")]),
    ("مما أسفر عن مقتل 6 وإصابة 4 آخرين", [(6, "killed"), (4, "injured")]),
    ("ووصل عدد الضحايا في تفجير مسجد الإمام الصادق بمنطقة الصوابر في الكويت إلى 26 قتيلا على الأقل "
     "وأصيب 202 آخرون", [(26, "killed"), (202, "injured")]),
]


@pytest.mark.parametrize("text, expected", WORD_ORDER)
def test_word_order_and_coordination(text, expected):
    assert _figures(text) == expected


# Class 3, one term per figure from its own predicate, with the new terms.
OWN_PREDICATE = [
    ("وفي حلب، قال المرصد السوري لحقوق الإنسان إن 18 شخصا قتلوا وأصيب 50 آخرون جراء سقوط صاروخ على حي "
     "المغاير", [(18, "killed"), (50, "injured")]),
    ("ارتكبت الميليشيات الحوثية مجزرة في مدينة عدن، جنوب اليمن، بعدما أمطرت ضاحية دار سعد شمال المدينة "
     "بصواريخ الكاتيوشا وقنابل الهاون مما أدى إلى مقتل 43 مدنيا على الأقل وإصابة 173",
     [(43, "killed"), (173, "injured")]),
    ("فيما قتل 57 مدنيا على الأقل وأصيب أكثر من 200 آخرين بجروح في قصف نسب إلى الحوثيين على المدينة",
     [(57, "killed"), (200, "injured")]),
]


@pytest.mark.parametrize("text, expected", OWN_PREDICATE)
def test_term_from_own_predicate(text, expected):
    assert _figures(text) == expected


def test_new_terms():
    # the forms of the examples, built of corpus words
    assert _figures("ثلاثة جنود قتلوا وفقد 9 آخرون") == [(3, "killed"), (9, "missing")]
    assert _figures("لا يزال مجهولا مصير 230 مواطنا من النازحين") == [(230, "missing")]
    assert ("present" in {t for _, t in _figures("بعدما اقتحمه ثلاثة مسلحين")})


SUBSETS = [
    ("وكان مدير عام الصحة والسكان في عدن الخضر لصور أعلن في حصيلة سابقة أن عدد الضحايا الذين سقطوا "
     "بفعل القصف هو 57 قتيلا، بينهم 12 طفلا و6 نساء", [(57, "killed"), (12, "killed"), (6, "killed")]),
    # a part shares the term of its whole, but not across «فيما»: «عدد المصابين» is its own predicate
    ("وأفادت مصادر أن حالة من التململ بدأت تظهر في صفوف مقاتلي حزب الله، بعد ازدياد أعداد القتلى التي "
     "وصلت إلى 120 قتيلاً، بينهم قيادات، فيما وصل عدد المصابين إلى 210 عناصر",
     [(120, "killed"), (210, "injured")]),
]


@pytest.mark.parametrize("text, expected", SUBSETS)
def test_subsets_take_their_term(text, expected):
    assert _figures(text) == expected


def test_dual_verb_gives_the_term():
    assert _figures("وأمرت بحبس اثنين ضبطا في السعودية") == [(2, "detained")]


def test_parts_of_a_figure_share_its_term():
    text = ("استشهاد (15) خمسة عشر مصلياً, خمسة منهم من رجال الأمن العاملين بالمقر، وستة متدربين من "
            "الملتحقين بالدورات الخاصة بأعمال الحج")
    assert _figures(text) == [(15, "killed"), (5, "killed"), (6, "killed")]


# Class 6, not figures: percentages, «رجل واحد», a population, people counted with no happening.
NOT_FIGURES = [
    ("وقالت المنظمة في بيان لها ان 67% من النازحين العراقيين يعيشون لدي الأسر المضيفة", 67),
    ("وقالت المنظمة في بيان لها إن 67 في المائة من النازحين العراقيين يعيشون لدى الأسر المضيفة أو "
     "يستأجرون المساكن، بينما يسكن 20 في المائة منهم في المباني المهدمة", 20),
    ("أن يقفوا وقفة رجل واحد في كتلة يد واحدة، لمواجهة خطر الإرهاب ومكافحته", 1),
    ("وعلى أثر الهجوم سادت أجواء من الحزن على المدينة التي تضم 168 ألف نسمة", 168000),
    ("ويقدر عدد الدروز في سوريا بـ700 ألف نسمة، يحتاجهم النظام في ظل هزائمه المتكررة", 700000),
    ("وشارك في الحفل 21 طالبا من المدارس", 21),  # a noun for people, but nothing happened to them
    ("وبدأ إجلاء الجرحى عند الساعة 10:30 صباحا", 10),
    ("وفر المدنيون عشرات من الكيلومترات سيرا", 10),  # a distance after «من» (the form)  # a clock time (the form, not a corpus sentence)
]


@pytest.mark.parametrize("text, value", NOT_FIGURES)
def test_not_figures(text, value):
    assert value not in [v for v, _ in _figures(text)]


def test_seed_dual_still_counts():
    text = next(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) if "حافلتان" in p.read_text(encoding="utf-8"))
    i = text.index("وصلت حافلتان")
    figs = [f for f in find_figures(text) if i <= f.start < i + 40]
    assert [(f.value, f.unit) for f in figs] == [(2, "buses")]


def test_table_sentences_are_not_from_the_gold():
    gold = "\n".join(json.loads(line)["text"] for line in GOLD_REPORTS.read_text(encoding="utf-8").splitlines())
    rows = [t for t, _ in OPEN_UNITS + WORD_ORDER + OWN_PREDICATE + SUBSETS] + [t for t, _ in NOT_FIGURES]
    assert not [t for t in rows if t[:40] in gold]
