"""Issue 11, item 6: one event per happening, merged across a story's reports, and no event
without a happening of the conflict.

The classes the record gold showed (docs/evaluation.md, "Events"), each pinned with real
sentences: SaudiNewsNet reports that are NOT in the gold (their urls are in the comments), and
the seeds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.clean import clean
from rasid.extract.run import extract_article
from rasid.models import Article
from rasid.reconcile import build_story
from rasid.reconcile.match import bare
from rasid.reconcile.mentions import mention_views

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT.parent.parent / "shared" / "corpus" / "seeds"
GOLD = ROOT / "gold" / "seeds.json"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed reports live in ../shared")


def extracted(text: str, published: str = "2015-08-01"):
    return extract_article(Article(id="t", text=text, published=published))


def story_of(text: str, published: str = "2015-08-01"):
    article = Article(id="t", text=text, published=published, published_precision="day")
    return build_story("s", [article], {"t": extract_article(article, clean(text).sentences)})


# ---- words that tell no happening of the conflict ------------------------------------------------

NOT_EVENTS = [
    # a transfer to hospital is medical care, not a displacement (alriyadh.com/1067543, 1067400)
    ("أخمدت فرق الدفاع المدني حريقاً نشب في عمارة سكنية بحي الخالدي بمدينة الرياض، ونتج عن الحريق 15 حالة "
     "اختناق وحالتين إصابة بحروق بسيطة وتم نقلهم إلى المستشفى.", "displacement"),
    ("وذكر الناطق باسم اللجنة الشعبية أن أبو ماريا أصيب بثلاث رصاصات في الصدر فيما عرقل جنود الاحتلال نقله "
     "إلى المستشفى.", "displacement"),
    # an animal's attack is no violence between people (aawsat.com/home/article/386856)
    ("وبطل فيلم يحذر من كارثة هجوم سمكة قرش ضخمة، لكن المسؤولين لا يصدّقونه.", "assault"),
    # a meeting without parties is a session, not a negotiation (aleqt.com/2015/07/20/article_974847,
    # aawsat.com/home/article/411911)
    ("وتابع المصدر أن بلاتيني حضر اجتماعات في وقت متأخر من مساء الأحد في أحد الفنادق الفاخرة في زوريخ.", "negotiation"),
    ("وطبقا للقرار الصادر عن اجتماع مجلس الوزراء أمس فقد جاءت نسب التخفيضات كما يلي.", "negotiation"),
    # the collapse of a truce or of talks is no retreat (aawsat.com/home/article/422166, 424021)
    ("فإنّ 19 عنصرًا على الاقل من الجيش والشرطة التركيين، قتلوا في هجمات لحزب العمال الكردستاني منذ انهيار الهدنة.",
     "control_change"),
    ("تبدلت مساء الأحد الماضي إلى هجوم واسع، تجدد إثر انهيار المفاوضات.", "control_change"),
    # the wounded cared for are no happening (okaz.com.sa/new/Issues/20150720/Con20150720784651.htm)
    ("وأوضح المتحدث الرسمي لهيئة الهلال الأحمر السعودي بمنطقة مكة المكرمة علي بن عبدالله الغامدي، أنه تمت "
     "معالجة المصابين ونقلهم لمستشفى الأمير منصور العسكري.", "killing"),
    # a military convoy that is attacked is not an evacuation (aleqt.com/2015/07/26/article_976284)
    ("واعلنت مصادر رسمية مقتل عسكريين تركيين اثنين وجرح اربعة آخرين مساء السبت في انفجار سيارة مفخخة استهدف "
     "قافلة عسكرية في محافظة دياربكر.", "displacement"),
]


@pytest.mark.parametrize("text,kind", NOT_EVENTS)
def test_no_event_from_words_that_tell_no_happening(text, kind):
    assert kind not in [e.type for e in extracted(text).events]


HAPPENINGS = [
    # opening fire is an attack (aawsat.com/home/article/410596, 408046)
    ("وكان عبد العزيز، 24 عامًا، أطلق النار الخميس على مركزين عسكريين في مدينة تشاتانوغا.", "assault"),
    ("وكشف مصدر أمني أن الانتحاري أطلق النار على خاله، وسلب سيارته، واستخدمها في عملية التفجير.", "assault"),
    # the attack on the convoy is still an attack, with its dead (aleqt.com/2015/07/26/article_976284)
    ("واعلنت مصادر رسمية مقتل عسكريين تركيين اثنين وجرح اربعة آخرين مساء السبت في انفجار سيارة مفخخة استهدف "
     "قافلة عسكرية في محافظة دياربكر.", "killing"),
    # talks between parties are a negotiation (seed 001)
    ("ورغم عدة اجتماعات عقدتها اللجنة التفاوضية بشأن المعارضة في محافظة درعا مع ممثلين عن النظام وروسيا، "
     "لم يتم التوصل إلى اتفاق.", "negotiation"),
]


@pytest.mark.parametrize("text,kind", HAPPENINGS)
def test_happenings_still_found(text, kind):
    assert kind in [e.type for e in extracted(text).events]


# ---- the date of a trigger ---------------------------------------------------------------------

def test_a_date_past_a_clause_break_is_another_clauses():
    # seed 000: «خلال الأسبوعين الماضيين» dates the suffering of the residents, not the agreement
    text = ("وينص اتفاق التسوية، بحسب المرصد، على إخراج نحو مئة مسلّح من المطلوبين من درعا البلد، على أن يسلّم "
            "بقية المقاتلين سلاحهم، تمهيداً لفك الحصار عن المنطقة حيث يقيم 40 ألف شخص عانوا خلال الأسبوعين "
            "الماضيين تحديداً من انقطاع المياه.")
    agreement = next(e for e in extracted(text, "2021-08-26").events if e.type == "agreement")
    assert not (agreement.date or {}).get("value")


def test_a_happening_named_by_a_case_is_background_without_the_cases_date():
    # alweeam.com.sa/347480: the police arrested five in the case of the boy's killing
    text = ("واوقفت الشرطة في بنغلادش اليوم خمسة اشخاص في قضية مقتل الفتى سميع العالم راجون بعد تقييده الى عمود "
            "وضربه حتى الموت.")
    killing = next(e for e in extracted(text).events if e.type == "killing")
    assert killing.date["background"] is True and killing.date["value"] is None


def test_a_cause_is_not_a_case():
    # alriyadh.com/1067295: «أنصار القضية الكردية» (the Kurdish cause), then the bombing's toll
    text = ("ويأتي تبادل إطلاق النار بعد ثلاثة أيام على هجوم انتحاري في سوروتش (جنوب) استهدف مجموعة ناشطين شباب "
            "من اليسار من أنصار القضية الكردية وأسفر عن مقتل 32 شخصا.")
    killing = next(e for e in extracted(text).events if e.type == "killing")
    assert not (killing.date or {}).get("background")


def test_a_relative_clause_dates_its_trigger():
    # seed 001: the revolution «التي اندلعت منتصف آذار 2011»
    text = "تمثل محافظة درعا مهد الثورة السورية التي اندلعت منتصف آذار 2011، قبل أن تتحول إلى مواجهات مسلحة."
    protest = next(e for e in extracted(text, "2021-08-26").events if e.type == "protest")
    assert protest.date["value"].startswith("2011-03")


# ---- an attack and its toll are one happening ---------------------------------------------------

ONE_VIOLENT_HAPPENING = [
    # deaths counted: the event is a killing (aawsat.com/home/article/415346)
    ("أعلنت مصادر رسمية مقتل عسكريين تركيين اثنين وجرح اربعة آخرين مساء أمس السبت، في انفجار سيارة مفخخة "
     "استهدف قافلة عسكرية في محافظة دياربكر ذات الغالبية الكردية جنوب شرقي تركيا.", "killing"),
    # (aleqt.com/2015/07/26/article_976245)
    ("أعلنت سلطات دياربكر مقتل جنديين تركيين وجرح أربعة آخرين في انفجار سيارة مفخخة عند مرور قافلة عسكرية في "
     "هذه المحافظة ذات الغالبية الكردية جنوب شرق تركيا.", "killing"),
    # injuries alone do not make a killing: the event is the attack (aawsat.com/home/article/408046)
    ("في غضون ذلك، أكد مصدر أمني أن حادثة إطلاق النار وسرعة العمل الأمني في البحث عن المجهول الذي أطلق النار، "
     "ساعدت في الحيلولة دون وصوله بسيارته إلى سجن الحائر.", "assault"),
]


@pytest.mark.parametrize("text,kind", ONE_VIOLENT_HAPPENING)
def test_an_attack_and_its_toll_are_one_event(text, kind):
    story = story_of(text)
    violent = [e for e in story.events if e.type in ("assault", "killing")]
    assert [e.type for e in violent] == [kind]


# ---- the Daraa story of the seeds --------------------------------------------------------------

def seed_articles(prefixes=("000", "001", "003")) -> list[Article]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    return [Article(id=e["file"], text=(SEEDS / e["file"]).read_text(encoding="utf-8"), published=e["published"],
                    published_precision="day") for e in gold if e["file"][:3] in prefixes]


@pytest.fixture(scope="module")
def daraa():
    articles = seed_articles()
    extractions = {a.id: extract_article(a, clean(a.text).sentences) for a in articles}
    return articles, extractions, build_story("story-daraa", articles, extractions)


@needs_seeds
def test_daraa_has_at_most_fifteen_events(daraa):
    # 50 before issue 11, 22 before this work; the gold has 14 happenings, an analyst records ~10-14
    assert len(daraa[2].events) <= 15


@needs_seeds
def test_one_agreement_whatever_each_report_calls_it(daraa):
    # هدنة (seed 000), اتفاق (seed 001): one agreement of 2021, told by both reports
    news = [e for e in daraa[2].events if e.type == "agreement" and not e.summary.endswith("(خلفية)")]
    assert len(news) == 1
    assert len({c.article_id for c in news[0].claims}) >= 2


@needs_seeds
def test_lasting_states_hold_no_date_dispute(daraa):
    # a siege and an agreement are dated at several points; only the batches' days are disputed
    story = daraa[2]
    lasting = {e.id for e in story.events if e.type in ("siege", "agreement", "negotiation")}
    assert not [c for c in story.contradictions if c["kind"] == "date" and c["event_id"] in lasting]
    dates = [c["values"] for c in story.contradictions if c["kind"] == "date"]
    assert ["2021-08-24", "2021-08-25"] in dates  # Tuesday (seed 000) against Wednesday (seed 001)


@needs_seeds
def test_only_counts_told_as_done_disagree(daraa):
    # «ينص الاتفاق على إخراج نحو مئة» and «يهدف إلى تهجير عشرات الآلاف» are plans, no toll to dispute
    figures = [c["values"] for c in daraa[2].contradictions if c["kind"] == "figure"]
    assert figures == [[45, 50, 53]]


@needs_seeds
def test_a_bare_mention_joins_the_anchored_event(daraa):
    # seed 001: «والمخيمات التي تحاصرها منذ أكثر من شهرين» names no date or place of its own
    articles, extractions, story = daraa
    a001 = next(a for a in articles if a.id.startswith("001"))
    spans = [(s.start, s.end) for s in clean(a001.text).sentences]
    views = [v for v in mention_views(a001, extractions[a001.id], spans) if "تحاصرها" in v.trigger]
    assert views and all(bare(v) for v in views)
    siege = next(e for e in story.events if any(v.mention_id in c.evidence.get("mentions", [])
                                                  for c in e.claims if c.article_id == a001.id for v in views))
    assert siege.type == "siege" and len({c.article_id for c in siege.claims}) == 3
