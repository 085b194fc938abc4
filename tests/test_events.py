"""Events: types and subtypes from triggers, one per type and sentence, with their actors, places,
date, figures, sources and batch; then the whole extract stage on the seed reports."""
from pathlib import Path

import pytest

from rasid.extract.actors import find_actors
from rasid.extract.events import EVENT_TYPES, find_events
from rasid.extract.run import extract_article, fallback_sentences, infer_focus_country
from rasid.extract.sources import find_sources
from rasid.models import Article, DateMention, Figure, PlaceMention

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

# (sentence, [(type, subtype)])
TYPES = [
    ("وأفاد المرصد عن تهجير قوات النظام دفعة ثانية", [("displacement", "forced_displacement")]),
    ("تم إجلاء 50 من مقاتلي المعارضة", [("displacement", "evacuation")]),
    ("مسلحو المعارضة يبدأون إخلاء آخر معقل لهم", [("displacement", "evacuation")]),
    ("عدة آلاف من الأسر فرّت لمناطق أكثر أمناً", [("displacement", "flight")]),
    ("أكثر من 38 ألف شخص إلى النزوح", [("displacement", "flight")]),
    ("مع حصار فرضته قوات النظام على درعا البلد", [("siege", "siege")]),
    ("شنّت الطائرات الحربية الروسية غارات ضد مقاتلي التنظيم", [("assault", "air_strike")]),
    ("قتلوا في كمائن تعرضت لها القوات", [("killing", "casualties"), ("assault", "ambush")]),
    ("محاولة اقتحام درعا البلد", [("assault", "storming")]),
    ("مع استمرار مناوشات واشتباكات متقطعة وتبادل القصف", [("assault", "clashes")]),
    ("في إطار هدنة برعاية روسية", [("agreement", "truce")]),
    ("وينص اتفاق التسوية على أن يسلّم بقية المقاتلين سلاحهم", [("agreement", "settlement")]),
    ("وسيظل بعضهم في الوعر وسيسلمون أسلحتهم", [("agreement", "handover_of_weapons")]),
    ("تدور منذ الاثنين مفاوضات بين قوات النظام وتنظيم الدولة الإسلامية", [("negotiation", "negotiation")]),
    ("30 سيدة وطفلا اختطفهم التنظيم", [("abduction", "abduction")]),
    ("هجوماً واسعاً قتل خلاله أكثر من 250 شخصاً", [("assault", "attack"), ("killing", "casualties")]),
    ("قاطعوا الانتخابات الرئاسية والتظاهرات التي رفضتها", [("protest", "protest")]),
    ("دخلت وحدة من الشرطة العسكرية الروسية درعا البلد", [("deployment", "entry")]),
    ("أتت بتعزيزات أمس الاثنين", [("deployment", "reinforcement")]),
    ("وبسطت سيطرتها الاثنين على بلدات الشجرة وعابدين", [("control_change", "take_control")]),
    # negated, hypothetical or inside a name: no event
    ("لم يخرج منها كل مقاتلي الفصائل المعارضة", []),
    ("يأتي ذلك بعد عدم التوصل إلى اتفاق حتى الآن", []),
    ("لتجنب مواجهة عسكرية في المنطقة", []),
    ("بإتاحة دخول المساعدات الإنسانية", []),
    ("لإخراج المسلحين الرافضين للتسوية", [("displacement", "evacuation")]),
    ("الاحتجاجات السلمية التي خرجت ضد حكم الأسد", [("protest", "protest")]),
]


@pytest.mark.parametrize("text,expected", TYPES)
def test_types(text, expected):
    actors = find_actors(text)
    found = [(e.type, e.subtype) for e in find_events(text, actors=actors)]
    assert found == expected


def test_every_type_is_known():
    assert set(EVENT_TYPES) == {"displacement", "siege", "assault", "agreement", "negotiation", "abduction",
                                "killing", "protest", "deployment", "control_change"}


def _at(text, part):
    return text.index(part), text.index(part) + len(part)


def test_an_event_takes_figures_places_date_sources_and_batch_from_its_sentence():
    text = ("وأفاد المرصد السوري عن تهجير قوات النظام دفعة ثانية ضمّت 53 شخصاً من درعا البلد "
            "إلى مناطق الشمال السوري الخميس، في إطار هدنة برعاية روسية.")
    s, e = _at(text, "53 شخصاً")
    figures = [Figure(text="53 شخصاً", start=s, end=e, value=53, unit="people", term="evacuated"),
               Figure(text="دفعة ثانية", start=text.index("دفعة"), end=text.index("دفعة") + 10,
                      unit="batches", ordinal=2)]
    s, e = _at(text, "الخميس")
    dates = [DateMention(text="الخميس", start=s, end=e, value="2021-08-26", precision="day", resolved=True)]
    s1, e1 = _at(text, "درعا البلد")
    s2, e2 = _at(text, "مناطق الشمال السوري")
    places = [PlaceMention(text="درعا البلد", start=s1, end=e1, name="درعا البلد", place_id="rasid:daraa-al-balad",
                           admin1="محافظة درعا", role="origin"),
              PlaceMention(text="مناطق الشمال السوري", start=s2, end=e2, name="الشمال السوري",
                           place_id="rasid:north-syria", role="destination")]
    actors = find_actors(text)
    sources = find_sources(text, actors=actors)
    events = find_events(text, None, figures, dates, places, actors, sources, published="2021-08-26")
    displacement, truce = events
    assert (displacement.type, displacement.subtype, displacement.batch) == ("displacement", "forced_displacement", 2)
    assert displacement.figures == [0]
    assert [(p["name"], p["role"]) for p in displacement.places] == [("درعا البلد", "origin"), ("الشمال السوري", "destination")]
    assert displacement.date["value"] == "2021-08-26" and not displacement.date["background"]
    assert displacement.sources == [sources[0].id] and sources[0].actor_id == "rasid:sohr"
    roles = {a["actor_id"]: a["role"] for a in displacement.actors}
    assert roles["rasid:syrian-army"] == "actor1"
    assert (truce.type, truce.subtype) == ("agreement", "truce")
    assert {a["actor_id"]: a["role"] for a in truce.actors}["Q159"] == "guarantor"
    assert truce.figures == []  # an evacuated count is no truce's figure
    assert displacement.start == 0 and displacement.end == len(text)


def test_roles_between_mediator_supporter_and_subject():
    text = "وتصاعد التصعيد العسكري بين قوات النظام ومجموعات مسلحة محلية."
    [e] = find_events(text, actors=find_actors(text))
    assert [(a["actor_id"], a["role"]) for a in e.actors] == [
        ("rasid:syrian-army", "actor1"), ("rasid:local-armed-groups", "actor2")]
    text = "خرقت اتفاقًا بوساطة روسية عام 2018"
    [e] = find_events(text, actors=find_actors(text))
    assert e.actors == [{"actor_id": "Q159", "name": "روسيا", "type": "government", "role": "mediator"}]
    text = "هجوم عنيف تشنه قوات النظام بدعم روسي"
    [e] = find_events(text, actors=find_actors(text))
    assert {a["actor_id"]: a["role"] for a in e.actors} == {"rasid:syrian-army": "actor1", "Q159": "supporter"}
    text = "انكفأ عشرات من «داعش». 30 سيدة وطفلا اختطفهم التنظيم من محافظة السويداء"
    events = find_events(text, actors=find_actors(text))
    abduction = next(e for e in events if e.type == "abduction")
    assert abduction.actors == [{"actor_id": "Q2429253", "name": "تنظيم الدولة الإسلامية", "type": "jihadist",
                                 "role": "actor1"}]


def test_a_background_event_keeps_its_own_date_and_loses_confidence():
    text = "بعد استعادة قوات النظام السيطرة عليها في تموز/يوليو 2018."
    s, e = _at(text, "تموز/يوليو 2018")
    dates = [DateMention(text=text[s:e], start=s, end=e, value="2018-07-01", precision="month", resolved=True)]
    [old] = find_events(text, dates=dates, actors=find_actors(text), published="2021-08-26")
    [new] = find_events(text, dates=dates, actors=find_actors(text), published="2018-08-01")
    assert old.type == "control_change" and old.date["background"] and not new.date["background"]
    assert old.confidence < new.confidence


def test_figures_go_to_the_event_their_term_fits():
    text = "تمهيداً لإخراج نحو مئة مسلّح ولفك الحصار عن المنطقة حيث يقيم 40 ألف شخص."
    f1, f2 = _at(text, "نحو مئة مسلّح"), _at(text, "40 ألف شخص")
    figures = [Figure(text="", start=f1[0], end=f1[1], value=100, unit="fighters", term="evacuated"),
               Figure(text="", start=f2[0], end=f2[1], value=40000, unit="people", term="residents")]
    events = {e.type: e for e in find_events(text, figures=figures)}
    assert events["displacement"].figures == [0] and events["siege"].figures == [1]


def test_fallback_sentences_drop_the_footer_and_repeated_headline():
    text = "سطر أول.\nخبر ثان.\nعنوان مكرر\nعنوان مكرر\nلم تشترك بعد\nانشئ حساباً"
    assert [text[s.start:s.end] for s in fallback_sentences(text)] == ["سطر أول.", "خبر ثان.", "عنوان مكرر"]


def test_focus_country():
    assert infer_focus_country("قصفت قوات النظام ريف درعا في جنوب سوريا") == "SY"
    assert infer_focus_country("lorem ipsum") is None


def _seed(name, published):
    from rasid.clean import clean

    text = (SEEDS / name).read_text(encoding="utf-8")
    article = Article(id=name, text=text, published=published, published_precision="day")
    return extract_article(article, clean(text).sentences)


def _source(x, figure):
    return next((s for s in x.sources if s.id == figure.source_id), None)


def _figure(x, value, unit):
    return next(f for f in x.figures if f.value == value and f.unit == unit)


def _event_with(x, value):
    return next(e for e in x.events if any(x.figures[i].value == value for i in e.figures))


pytestmark_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed reports live in ../shared")


@pytestmark_seeds
def test_seed_000_the_issue_facts():
    x = _seed("000_53797e54239e2537.txt", "2021-08-26")
    f53 = _figure(x, 53, "people")
    assert _source(x, f53).actor_id == "rasid:sohr"
    e53 = _event_with(x, 53)
    assert e53.type == "displacement" and e53.batch == 2
    assert ("درعا البلد", "origin", "محافظة درعا") in [(p["name"], p["role"], p["admin1"]) for p in e53.places]
    assert ("الشمال السوري", "destination") in [(p["name"], p["role"]) for p in e53.places]
    f45 = _figure(x, 45, "fighters")
    assert _source(x, f45).actor_id == "rasid:sana"
    f10 = _figure(x, 10, "fighters")
    assert f10.qualifier == "approx" and f10.source_id is None
    e10 = _event_with(x, 10)
    assert e10.batch == 1 and e10.date["value"] == "2021-08-24" and e10.date["precision"] == "day"
    f38 = _figure(x, 38000, "people")
    assert f38.qualifier == "more_than" and _source(x, f38).actor_id == "Q1065"
    assert _event_with(x, 38000).type == "displacement"
    f100 = _figure(x, 100, "fighters")
    assert f100.qualifier == "approx" and _source(x, f100).actor_id == "rasid:sohr"
    assert _event_with(x, 100).type == "displacement"
    assert _event_with(x, 40000).type == "siege"
    bg = next(e for e in x.events if e.date and e.date["value"] == "2018-07-01")
    assert bg.date["background"]


@pytestmark_seeds
def test_seed_004_the_issue_facts():
    x = _seed("004_069b54a7a92f7f3a.txt", "2018-08-01")
    buses = _figure(x, 12, "buses")
    assert _source(x, buses).type == "security_source"
    e12 = _event_with(x, 12)
    relay = [s for s in x.sources if s.id in e12.sources and s.cue.startswith("relay:")]
    assert [s.actor_id for s in relay] == ["rasid:dpa"]
    assert ("جباتا الخشب", "origin", "محافظة القنيطرة") in [(p["name"], p["role"], p["admin1"]) for p in e12.places]
    thousand = _figure(x, 1000, "people")
    assert thousand.qualifier == "approx" and _source(x, thousand).type == "security_source"
    e1000 = _event_with(x, 1000)
    assert e1000.type == "displacement"
    destinations = [p["name"] for p in e1000.places if p["role"] == "destination"]
    assert destinations == ["محافظة حماة", "ريف إدلب"]
    thirty = _figure(x, 30, "women_children")
    assert thirty.term == "abducted"
    e30 = _event_with(x, 30)
    assert e30.type == "abduction" and "محافظة السويداء" in [p["name"] for p in e30.places]
    killed = _figure(x, 250, "people")
    assert killed.qualifier == "more_than" and _event_with(x, 250).type == "killing"
    hundred = _figure(x, 100, "fighters")
    assert _source(x, hundred).actor_id == "rasid:sohr"
    e100 = _event_with(x, 100)
    assert e100.type == "displacement"
    assert "البادية السورية" in [p["name"] for p in e100.places if p["role"] == "destination"]
    assert {"actor_id": "Q2429253", "name": "تنظيم الدولة الإسلامية", "type": "jihadist",
            "role": "actor2"} in e100.actors
    assert not [f for f in x.figures if f.value == 4]  # "نحو 4 سنوات" is a duration
