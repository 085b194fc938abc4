"""In-text sources: cues, named and anonymous sources, persons, quotes, relays, attribution."""
from pathlib import Path

import pytest

from rasid.extract.lexmatch import simple_sentences
from rasid.extract.sources import attribute, attribute_all, find_sources, is_relay, source_for
from rasid.models import EntityMention

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

# (sentence, [(type, actor id, cue)])
SOURCES = [
    ("الخميس دفعة ثانية من المقاتلين، وفق ما أفاد المرصد السوري لحقوق الانسان، في إطار هدنة",
     [("ngo_monitor", "rasid:sohr", "وفق ما أفاد")]),
    ("أكثر من 38 ألف شخص إلى النزوح، وفق ما أعلنت الأمم المتحدة الثلاثاء.",
     [("igo", "Q1065", "وفق ما أعلنت")]),
    ("وينص اتفاق التسوية، بحسب المرصد السوري، على إخراج نحو مئة مسلّح",
     [("ngo_monitor", "rasid:sohr", "بحسب")]),
    ('من جهتها، أعلنت وكالة أنباء "سانا" خروج "45 إرهابياً مع بعض أفراد عائلاتهم"',
     [("media", "rasid:sana", "أعلنت")]),
    ("وصرحت وكالة الأنباء السورية (سانا) الموالية لنظام الأسد، إن هذه الخطوة",
     [("media", "rasid:sana", "صرحت")]),
    ("قال شهود عيان ومصادر من المعارضة، إنه تم إجلاء 50 من مقاتلي المعارضة",
     [("witnesses", "", "قال"), ("opposition_sources", "", "قال")]),
    ("وقال شهود ومصادر في جيش النظام إن الفرقة الرابعة أطلقت العشرات من الصواريخ",
     [("witnesses", "", "قال"), ("military_source", "rasid:syrian-army", "قال")]),
    ("وقالت مصادر جيش النظام إن القوات أتت بتعزيزات", [("military_source", "rasid:syrian-army", "قالت")]),
    ("وقال مصدر في مخابرات غربية إن عدة آلاف من الأسر فرّت", [("intelligence_source", "", "قال")]),
    ("وقال مصدر أمني سوري لوكالة الأنباء الألمانية أمس إن 12 حافلة وصلت",
     [("security_source", "", "قال"), ("media", "rasid:dpa", "relay:ل")]),
    ("قال مصدر ميداني يقاتل مع القوات الحكومية إن القوات الحكومية واصلت تقدمها",
     [("military_source", "", "قال")]),
    ("إلا إن ناشطين على مواقع التواصل الاجتماعي تداولوا شريط فيديو قالوا إن بعض العائلات تلقته",
     [("activists", "", "قالوا")]),
    ("كما قال مسؤولون محليون وسكان إن قوات النظام منعت إمدادات الغذاء",
     [("officials", "", "قال"), ("residents", "", "قال")]),
    ("وقال شيوخ عشائر إن أعضاء في المعارضة المسلحة قالوا لوسطاء روس إنهم رفضوا مهلة",
     [("tribal", "rasid:tribal-elders", "قال"), ("opposition_sources", "rasid:syrian-opposition", "قالوا")]),
    ("سكان ومصادر في قوات النظام السوري وفي المعارضة أن قوات خاصة كثفت هجومها",
     [("residents", "", "أن"), ("military_source", "rasid:syrian-army", "أن"),
      ("opposition_sources", "rasid:syrian-opposition", "أن")]),
    ("وعبّرت الولايات المتحدة وحلفاؤها عن القلق من حملة النظام في درعا وقالوا إنها تعد تحديا",
     [("government", "Q30", "قالوا")]),
    ("وتبنى التنظيم الهجوم على السويداء من دون أن يتطرق إلى المخطوفين.", []),
    ("حسب تعبيرها", []),
    ("في إطار اتفاق رعته روسيا وفق اتفاق سابق", []),
    ("تظهر فيه سيدة أعلنت أنها لدى التنظيم", []),
    ("وصلت حافلات إلى محافظة القنيطرة لنقل مسلحي المعارضة وعائلاتهم", []),
]


@pytest.mark.parametrize("text,expected", SOURCES)
def test_sources(text, expected):
    found = [(s.type, s.actor_id, s.cue) for s in find_sources(text)]
    assert found == expected


def test_ids_and_offsets():
    text = "قال شهود عيان ومصادر من المعارضة، إنه تم إجلاء 50. وقالت وكالة سانا إن"
    found = find_sources(text)
    assert [s.id for s in found] == ["s1", "s2", "s3"]
    for s in found:
        assert text[s.start:s.end] == s.text


def test_director_of_the_observatory_and_his_quote():
    text = ("انكفأ عشرات من «داعش» إلى جيب، وفق ما أفاد «المرصد السوري لحقوق الإنسان».\n"
            "وقال مدير «المرصد» رامي عبد الرحمن: «تدور منذ الاثنين مفاوضات بين قوات النظام وتنظيم الدولة».\n"
            "وأوضح عبد الرحمن: «تزامناً مع هذه المفاوضات الصعبة، شنّت الطائرات الحربية الروسية غارات».")
    s = find_sources(text)
    assert [(x.name, x.actor_id) for x in s] == [
        ("المرصد السوري لحقوق الإنسان", "rasid:sohr"), ("رامي عبد الرحمن", "rasid:sohr"),
        ("رامي عبد الرحمن", "rasid:sohr")]
    assert s[1].quote.startswith("تدور منذ الاثنين مفاوضات")
    assert s[2].cue == "أوضح" and s[2].quote.startswith("تزامناً مع هذه المفاوضات")


def test_a_person_without_a_title_and_a_quote_across_a_full_stop():
    text = ('وقال سيرجي دروجين عبر مترجم إلى اللغة العربية: "تقوم #روسيا بدور الضامن في هذا الاتفاق. '
            'ستبقى الشرطة العسكرية الروسية وستقوم بواجبات داخل الحي".')
    [s] = find_sources(text)
    assert (s.type, s.name) == ("person", "سيرجي دروجين")
    assert s.quote.startswith("تقوم #روسيا بدور الضامن") and s.quote.endswith("داخل الحي")


def test_the_envoy_named_by_ner():
    text = ("طالب المبعوث الخاص للأمم المتحدة إلى سوريا غير بيدرسن بإتاحة دخول المساعدات "
            '"فوراً وبشكل آمن ومن دون عراقيل"')
    start = text.index("غير")
    ner = [EntityMention(text="غير بيدرسن", start=start, end=start + 10, label="PERS")]
    [s] = find_sources(text, entities=ner)
    assert (s.name, s.actor_id, s.cue) == ("غير بيدرسن", "rasid:un-envoy-syria", "طالب")
    assert s.quote == "فوراً وبشكل آمن ومن دون عراقيل"


def test_a_quoted_name_is_no_quote():
    [s] = find_sources('وقال شهود إن "الفرقة الرابعة" أطلقت الصواريخ')
    assert s.quote == ""


def test_the_source_named_earlier():
    text = "وقال مصدر أمني سوري أمس إن 12 حافلة وصلت. وتوقع المصدر خروج نحو ألف شخص."
    found = find_sources(text)
    assert [(s.type, s.cue) for s in found] == [("security_source", "قال"), ("security_source", "توقع")]


def test_the_subject_of_the_previous_sentence():
    text = "وتصف الحكومة السورية اتفاقات الإجلاء باتفاقات مصالحة. وتقول إنها تسمح بإعادة الخدمات."
    [s] = find_sources(text)
    assert (s.actor_id, s.cue) == ("rasid:syrian-government", "تقول")


def test_relayed_by_an_agency():
    text = "نقلت وكالة سانا عن مصدر عسكري أن الجيش تقدم"
    s = find_sources(text)
    assert [(x.type, x.cue, is_relay(x)) for x in s] == [
        ("media", "relay:نقلت", True), ("military_source", "عن", False)]
    assert attribute((0, len(text)), s) == s[1].id


def test_attribution_of_sentences():
    text = ("دخلت وحدة من الشرطة العسكرية الروسية درعا البلد. "
            "وقال مصدر أمني لوكالة الأنباء الألمانية إن 12 حافلة وصلت. "
            "وغادر الآلاف ويقول المرصد السوري إن ما يصل إلى 20 ألف شخص سيخرجون. "
            "خرج نحو مئة مسلح، وفق المرصد السوري.")
    sentences = simple_sentences(text)
    sources = find_sources(text, sentences)
    assert attribute(sentences[0], sources) is None  # the outlet's own word
    assert attribute(sentences[1], sources) == "s1"
    assert attribute_all(sentences[1], sources) == ["s1", "s2"]  # the relay comes last
    third = sentences[2]
    assert source_for(text.index("الآلاف"), third, sources) is None  # before "يقول": the outlet's
    assert source_for(text.index("20 ألف"), third, sources) == "s3"
    fourth = sentences[3]
    assert source_for(text.index("نحو مئة"), fourth, sources) == "s4"  # "وفق" covers the sentence


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed reports live in ../shared")
def test_seed_003_sources():
    text = (SEEDS / "003_14322abae7a1adab.txt").read_text(encoding="utf-8")
    types = {s.type for s in find_sources(text)}
    assert {"residents", "military_source", "opposition_sources", "witnesses", "intelligence_source",
            "officials"} <= types


def test_ner_gate_words_are_source_cues():
    """The NER gate (source_cues.json "ner_gate") names a subset of the cue words, not a second list."""
    from rasid.arabic import lexicons
    from rasid.arabic.normalize import match_key

    raw = lexicons.load_json("lexicons/source_cues.json")
    cues = {match_key(w) for k in ("verbs", "relay_verbs", "prepositions") for w in raw[k]}
    assert raw["ner_gate"] and {match_key(w) for w in raw["ner_gate"]} <= cues
