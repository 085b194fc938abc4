"""Sources of figures (issue 11, error class 4), pinned by real sentences.

Each row is taken from a SaudiNewsNet report that is NOT in the record gold (its url in the
comment) or from the seeds: the figure, and the source the gold guide asks for ("" = the outlet's
own voice), compared by containment as `rasid eval figures` compares them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.arabic.normalize import match_key
from rasid.clean import clean
from rasid.extract.run import extract_article
from rasid.extract.sources import find_sources, gave_no_figure
from rasid.models import Article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def _figure_sources(body: str, title: str = "خبر") -> dict[str, str]:
    text = title + "\n" + body
    x = extract_article(Article(id="t", text=text), clean(text).sentences)
    names = {s.id: s.name or s.text for s in x.sources}
    return {f.text: names.get(f.source_id, "") if f.source_id else "" for f in x.figures if f.value}


def _contains(a: str, b: str) -> bool:
    a, b = match_key(a), match_key(b)
    return bool(a and b) and (a in b or b in a)


CLAUSE = [
    # alweeam.com.sa/348912 (قتلى حوثيون بتعز): the attribution covers its clause after «أن»
    ("وأفادت مصادر في اليمن أن 13 عنصراً من الحوثيين وقوات صالح قتلوا في اشتباكات متفرقة في مدينة تعز، "
     "مشيرة كذلك إلى سقوط 4 قتلى من أفراد المقاومة الشعبية.", "13 عنصراً", "مصادر في اليمن"),
    # aawsat.com/home/article/408681 (نيجيريا): «على ما أفاد» after the figure covers the sentence,
    # and a speaker no lexicon knows is taken as written
    ("قتل 13 شخصا على الأقل، اليوم (الجمعة)، وأصيب العديدون بجروح في ثلاثة تفجيرات في داماتورو عاصمة "
     "ولاية يوبي بشمال شرقي نيجيريا، على ما أفاد متطوع ومصدر طبي.", "13 شخصا على الأقل", "متطوع ومصدر طبي"),
    # aawsat.com/home/article/411261 (دار سعد): a reporting verb inside the clause («أبلغت حتى أمس»)
    # whose subject came first is no new source; the speaker of «قال بوسنين، إن» is
    ("قال بوسنين، إن منظمته التي تتخذ من جنيف مقرا لها، أبلغت حتى أمس الاثنين عن وقوع زهاء 100 قتيل، "
     "وهو ضعف عدد القتلى في اليوم السابق.", "زهاء 100 قتيل", "بوسنين"),
]


@pytest.mark.parametrize("body, figure, source", CLAUSE, ids=[c[1] for c in CLAUSE])
def test_attribution_covers_its_clause(body, figure, source):
    got = _figure_sources(body)
    assert _contains(source, got[figure]), got


def test_a_continuing_sentence_carries_the_speaker():
    # aawsat.com/home/article/411261: «وأضاف أن …» continues Bousnine, the next sentence's figure is his
    body = ("قال بوسنين، إن منظمته التي تتخذ من جنيف مقرا لها، أبلغت حتى أمس الاثنين عن وقوع زهاء 100 قتيل، "
            "وهو ضعف عدد القتلى في اليوم السابق.\n"
            "وأضاف أن عدد الجرحى وصل إلى 200 حاليا، بينهم 80 مدنيين، وكثير من النساء الحوامل والمسنين والأطفال.")
    got = _figure_sources(body)
    assert _contains("بوسنين", got["80 مدنيين"]), got


def test_the_outlets_own_voice_stays_own():
    # aawsat.com/home/article/408681: a figure in a sentence with no cue is the outlet's
    body = "قتل 13 شخصا على الأقل في ثلاثة تفجيرات في داماتورو عاصمة ولاية يوبي بشمال شرقي نيجيريا."
    assert _figure_sources(body) == {"13 شخصا على الأقل": ""}


WRITTEN = [
    # a long name no lexicon holds is kept whole, up to the «أن/إن» that opens its words
    ("وأفادت إذاعة وتلفزيون / تي أر تي / التركية أن شخصين فتحا النار", "إذاعة وتلفزيون / تي أر تي / التركية"),
    # a UN agency no dictionary entry holds keeps its whole name, not «الأمم المتحدة» inside it
    ("وقال صندوق الأمم المتحدة للسكان إن 500 امرأة نزحن", "صندوق الأمم المتحدة للسكان"),
    # «كان X قد صرح بأنه»: the subject written before the verb
    ("وكان مصدر سوري قد صرح لوسائل إعلام عربية قبيل وصول دي ميستورا، بأن دمشق سبق وأبلغت المبعوث الدولي",
     "مصدر سوري"),
    # okaz.com.sa/new/Issues/20150724/Con20150724785283: after «وفق» the document noun is skipped and
    # the construct-state name ends at the first word that is not definite
    ("يذكر أنه وفق إحصائيات وزارة التعليم هناك 34749 مدرسة", "وزارة التعليم"),
    # «، كما افادت الشرطة.» ends the sentence
    ("قتل شخصان واصيب تسعة آخرون برصاص مسلح اطلق النار داخل صالة سينما، كما افادت الشرطة.", "الشرطة"),
]


@pytest.mark.parametrize("sentence, name", WRITTEN, ids=[w[1] for w in WRITTEN])
def test_the_source_name_as_written(sentence, name):
    found = find_sources(sentence)
    assert found and match_key(found[0].name) == match_key(name), [(s.name, s.cue) for s in found]
    assert all(sentence[s.start:s.end] == s.text for s in found)


def test_a_dictionary_actor_keeps_its_canonical_name():
    # seed 000: «وكالة أنباء "سانا"» is SANA's dictionary name, «المرصد» alone the Observatory
    text = (SEEDS / "000_53797e54239e2537.txt").read_text(encoding="utf-8")
    names = {s.name for s in find_sources(text)}
    assert {"المرصد السوري لحقوق الإنسان", "الوكالة العربية السورية للأنباء (سانا)"} <= names


def test_a_speaker_who_gives_no_number_is_not_its_source():
    # no report of SaudiNewsNet says it with a figure near (searched: «دون أن/لم يحدد/يذكر عدد»);
    # the sentence follows the construction of the wire copy
    sentence = ("قال المتحدث باسم الشرطة إن قتلى سقطوا دون أن يحدد عددهم، "
                "في حين قتل 12 شخصا في هجوم آخر على مدينة حلب.")
    assert gave_no_figure(sentence, 0, sentence.index("12"))
    assert _figure_sources(sentence) == {"12 شخصا": ""}
    # the same speaker giving the number is its source
    assert _contains("المتحدث باسم الشرطة",
                     _figure_sources("قال المتحدث باسم الشرطة إن 12 شخصا قتلوا في هجوم على مدينة حلب.")["12 شخصا"])


def test_seed_sources_unchanged():
    # seed 000: the UN's figure stays the UN's, the Observatory's the Observatory's
    text = (SEEDS / "000_53797e54239e2537.txt").read_text(encoding="utf-8")
    x = extract_article(Article(id="s", text=text, published="2021-08-26"), clean(text).sentences)
    names = {s.id: s.name for s in x.sources}
    by_text = {f.text: names.get(f.source_id, "") for f in x.figures if f.value}
    assert by_text["53 شخصاً"] == "المرصد السوري لحقوق الإنسان"
    assert by_text["أكثر من 38 ألف شخص"] == "الأمم المتحدة"
