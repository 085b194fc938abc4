"""Actors: longest match on the dictionary, clitics and quotes tolerated, anaphora licensed."""
from pathlib import Path

import pytest

from rasid.errors import InputError
from rasid.extract.actors import ACTOR_TYPES, find_actors, load_actors

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

# (text, [(mention text, actor id)])
ACTORS = [
    ("دخلت وحدة من الشرطة العسكرية الروسية درعا البلد",
     [("الشرطة العسكرية الروسية", "rasid:russian-military-police")]),
    ("لفرض خطة تسمح لجيش الأسد بالسيطرة عليها", [("لجيش الأسد", "rasid:syrian-army")]),
    ("بين قوات النظام ومجموعات مسلحة محلية",
     [("قوات النظام", "rasid:syrian-army"), ("ومجموعات مسلحة محلية", "rasid:local-armed-groups")]),
    ("واصلت القوات الحكومية تقدمها", [("القوات الحكومية", "rasid:syrian-army")]),
    ("وقال جيش النظام السوري إن", [("جيش النظام السوري", "rasid:syrian-army")]),
    ("بقيادة الفرقة الرابعة من قوات النخبة", [("الفرقة الرابعة", "rasid:fourth-division")]),
    ("من جانب وحدات عسكرية موالية لإيران", [("وحدات عسكرية موالية لإيران", "rasid:iran-backed-militias")]),
    ("قوات النظام وميليشيات إيران تكثف هجومها",
     [("قوات النظام", "rasid:syrian-army"), ("وميليشيات إيران", "rasid:iran-backed-militias")]),
    ("وفق ما أفاد «المرصد السوري لحقوق الإنسان» الذي", [("المرصد السوري لحقوق الإنسان", "rasid:sohr")]),
    ('أعلنت وكالة أنباء "سانا" خروج', [('وكالة أنباء "سانا', "rasid:sana")]),
    ("وصرحت وكالة الأنباء السورية (سانا) الموالية", [("وكالة الأنباء السورية (سانا)", "rasid:sana")]),
    ("وقال مصدر أمني سوري لوكالة الأنباء الألمانية أمس", [("لوكالة الأنباء الألمانية", "rasid:dpa")]),
    ("وفق ما أعلنت الأمم المتحدة الثلاثاء", [("الأمم المتحدة", "Q1065")]),
    ("خلال جلسة لمجلس الأمن الدولي", [("لمجلس الأمن الدولي", "Q37470")]),
    ("ويسيطر تنظيم داعش على مساحات", [("تنظيم داعش", "Q2429253")]),
    ("مقاتلون تدعهم الولايات المتحدة", [("الولايات المتحدة", "Q30")]),
    ("حيث تأهب الجيش الأردني", [("الجيش الأردني", "rasid:jordanian-armed-forces")]),
    ("هيئة تحرير الشام وقسد", [("هيئة تحرير الشام", "rasid:hts"), ("وقسد", "rasid:sdf")]),
    ("نقلته رويترز ووكالة فرانس برس", [("رويترز", "Q130879"), ("ووكالة فرانس برس", "Q40464")]),
    ("في إطار هدنة برعاية روسية", [("روسية", "Q159")]),
    ("مسلحو المعارضة يبدأون إخلاء", [("مسلحو المعارضة", "rasid:syrian-opposition")]),
    ("والمقاتلين المعارضين", [("والمقاتلين المعارضين", "rasid:syrian-opposition")]),
    ("مقاتلي الفصائل المعارضة", [("مقاتلي الفصائل المعارضة", "rasid:syrian-opposition")]),
    # tashkeel and hamza forms do not matter
    ("قوّات النِّظام", [("قوّات النِّظام", "rasid:syrian-army")]),
    ("الامم المتحده", [("الامم المتحده", "Q1065")]),
]


@pytest.mark.parametrize("text,expected", ACTORS)
def test_actor_mentions(text, expected):
    found = [(a.text, a.actor_id) for a in find_actors(text)]
    assert found == expected


def test_offsets_point_into_the_text():
    text = "وقال مدير «المرصد» رامي عبد الرحمن إن «داعش» و«المرصد السوري» ..."
    for a in find_actors(text):
        assert text[a.start:a.end] == a.text


def test_longest_match_wins():
    [a] = find_actors("الجيش السوري الحر")
    assert a.actor_id == "rasid:fsa"
    [a] = find_actors("المرصد السوري لحقوق الإنسان")
    assert a.text == "المرصد السوري لحقوق الإنسان"


def test_the_organisation_only_after_is_was_named():
    assert find_actors("أكد القضاء على التنظيم في وادي اليرموك") == []
    found = find_actors("انكفأ عشرات من «داعش»، وأكد القضاء على التنظيم")
    assert [a.actor_id for a in found] == ["Q2429253", "Q2429253"]
    assert found[1].confidence < found[0].confidence


def test_the_observatory_short_form_needs_the_full_name_first():
    assert find_actors("وأفاد المرصد عن") == []
    found = find_actors("وفق ما أفاد المرصد السوري لحقوق الانسان. وأفاد المرصد عن")
    assert [a.text for a in found] == ["المرصد السوري لحقوق الانسان", "المرصد"]


def test_spans_limit_the_search():
    text = "قوات النظام. لم تشترك بعد الأمم المتحدة"
    assert [a.actor_id for a in find_actors(text, [(0, 12)])] == ["rasid:syrian-army"]


def test_the_shipped_dictionary_is_well_formed():
    lexicon = load_actors()
    assert len(lexicon) > 50
    for actor in lexicon.actors.values():
        assert actor.type in ACTOR_TYPES
        assert actor.id.startswith(("Q", "rasid:"))


def test_a_user_file_adds_actors(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("# my actors\nrasid:ahrar	armed_opposition	أحرار الشام	Ahrar al-Sham	حركة أحرار الشام|أحرار الشام	\n",
                     encoding="utf-8")
    text = "وقالت حركة أحرار الشام إن"
    assert find_actors(text) == []
    [a] = find_actors(text, extra=[extra])
    assert (a.actor_id, a.type, a.text) == ("rasid:ahrar", "armed_opposition", "حركة أحرار الشام")
    [a] = find_actors(text, extra=load_actors((str(extra),)))
    assert a.actor_id == "rasid:ahrar"


def test_a_bad_user_file_says_which_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("rasid:x	rebels	اسم	name	اسم\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1 of .*bad.tsv.*rebels"):
        load_actors((str(bad),))
    with pytest.raises(InputError, match="cannot be read"):
        load_actors((str(tmp_path / "missing.tsv"),))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed reports live in ../shared")
def test_seed_004_names_is_sohr_sana_dpa():
    text = (SEEDS / "004_069b54a7a92f7f3a.txt").read_text(encoding="utf-8")
    ids = {a.actor_id for a in find_actors(text)}
    assert {"Q2429253", "rasid:sohr", "rasid:sana", "rasid:dpa", "rasid:syrian-army",
            "rasid:russian-forces"} <= ids
