"""Reconcile: the Daraa story of the seeds (000, 001, 003) through the real extract stage, the
semantics of figures, dates and recommendations by table, and order independence by property."""
from __future__ import annotations

import itertools
import json
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.clean import clean
from rasid.arabic.normalize import match_key
from rasid.extract.run import extract_article
from rasid.models import Article, Claim, Event, EventMention, Extraction, Figure, SourceMention
from rasid.reconcile import build_story, compatible, group_mentions
from rasid.reconcile.contradictions import find_contradictions, recommend
from rasid.reconcile.figures import agree
from rasid.reconcile.mentions import View, _modality
from rasid.reconcile.story import with_headline
from rasid.reconcile.summary import retold_sentences

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT.parent.parent / "shared" / "corpus" / "seeds"
GOLD = ROOT / "gold" / "seeds.json"
DARAA = ("000", "001", "003")
A000, A001, A003 = "000_53797e54239e2537.txt", "001_fae6d0f5455e8ef5.txt", "003_14322abae7a1adab.txt"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed reports live in ../shared")


def seed_articles(prefixes=DARAA) -> list[Article]:
    """The seed reports with the publication dates the gold worked out (the files carry none)."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    return [Article(id=e["file"], text=(SEEDS / e["file"]).read_text(encoding="utf-8"), published=e["published"],
                    published_precision="day") for e in gold if e["file"][:3] in prefixes]


@pytest.fixture(scope="module")
def articles():
    return seed_articles()


@pytest.fixture(scope="module")
def extractions(articles):
    return {a.id: extract_article(a, clean(a.text).sentences) for a in articles}


@pytest.fixture(scope="module")
def story(articles, extractions):
    return build_story("story-daraa", articles, extractions)


def people(claim: Claim):
    """The count of persons a claim gives, or None."""
    f = claim.figure or {}
    return f.get("value") if f.get("unit") in ("people", "fighters", "civilians") else None


def event_with(story, value):
    [event] = [e for e in story.events if any(people(c) == value for c in e.claims)]
    return event


# ---- the Daraa story --------------------------------------------------------------------------


@needs_seeds
def test_second_batch_is_one_event_with_a_claim_per_source(story, articles):
    event = event_with(story, 53)
    assert event is event_with(story, 45) is event_with(story, 50)
    assert event.type == "displacement" and event.summary == "خروج الدفعة الثانية من درعا البلد"
    assert event.date["value"] == "2021-08-26" and event.date["precision"] == "day"
    counted = {people(c): c for c in event.claims if people(c) is not None}
    assert sorted(counted) == [45, 50, 53]
    assert (counted[53].article_id, counted[53].source_actor_id) == (A000, "rasid:sohr")
    assert (counted[45].article_id, counted[45].source_actor_id) == (A000, "rasid:sana")
    assert counted[50].article_id == A001 and counted[50].evidence["source_type"] == "witnesses+opposition_sources"
    texts = {a.id: a.text for a in articles}
    for claim in counted.values():
        ev, fig = claim.evidence, claim.figure
        assert texts[claim.article_id][ev["start"]:ev["end"]] == ev["text"]
        assert texts[claim.article_id][fig["start"]:fig["end"]] == fig["text"]
        assert fig["qualifier"] == "exact" and fig["term"] == "evacuated"
    assert counted[53].date["value"] == counted[50].date["value"] == "2021-08-26"


@needs_seeds
def test_second_batch_figures_are_flagged(story):
    event = event_with(story, 53)
    [flag] = [c for c in event.contradictions if c["kind"] == "figure"]
    assert flag["values"] == [45, 50, 53] and flag["range"] == [45, 53]
    assert flag["most_conservative"] == 45
    assert flag["recommended"]["value"] == 53 and flag["recommended"]["rule_id"] == "credibility"
    by_value = {s["value"]: s for s in flag["sides"]}
    assert by_value[45]["sources"] == ["الوكالة العربية السورية للأنباء (سانا)"]
    assert by_value[53]["sources"] == ["المرصد السوري لحقوق الإنسان"] and by_value[53]["tier"] == 1
    assert by_value[50]["article_ids"] == [A001]
    assert flag in story.contradictions and flag["event_id"] == event.id


@needs_seeds
def test_first_batch_is_apart_and_its_day_is_disputed(story):
    first, second = event_with(story, 10), event_with(story, 53)
    assert first.id != second.id and first.summary == "خروج الدفعة الأولى من درعا"
    assert {c.article_id for c in first.claims} == {A000, A001}
    [flag] = [c for c in first.contradictions if c["kind"] == "date"]
    assert flag["values"] == ["2021-08-24", "2021-08-25"]
    assert [s["article_ids"] for s in flag["sides"]] == [[A000], [A001]]
    assert [s["text"] for s in flag["sides"]] == ["الثلاثاء", "يوم الأربعاء"]
    assert flag["recommended"]["value"] is None and first.date["disputed"] is True
    assert not [c for c in second.contradictions if c["kind"] == "date"]


@needs_seeds
def test_framing_sets_sana_against_the_observatory(story):
    people_rows = next(g for g in story.framing if g["group"] == "people")["by_source"]
    terms = {(r["article_id"], r["source_actor_id"]): {t["term"] for t in r["terms"]} for r in people_rows}
    assert "إرهابيين" in terms[(A000, "rasid:sana")]
    sohr = terms[(A000, "rasid:sohr")]
    assert {"مسلحين", "مقاتلين"} & sohr and "إرهابيين" not in sohr
    acts = next(g for g in story.framing if g["group"] == "acts")["by_source"]
    assert "تهجير" in next({t["term"] for t in r["terms"]} for r in acts if r["source_actor_id"] == "rasid:sohr")


@needs_seeds
def test_framing_evidence_points_at_the_words(story, articles):
    texts = {a.id: a.text for a in articles}
    for group in story.framing:
        for row in group["by_source"]:
            for term in row["terms"]:
                start, end = term["evidence"]
                assert match_key(texts[row["article_id"]][start:end]), term
                assert term["count"] == len(term["spans"])


@needs_seeds
def test_story_fields(story, articles):
    assert story.article_ids == [A003, A000, A001]  # by publication date
    assert story.title == "مسلحو المعارضة يبدأون إخلاء آخر معقل لهم في جنوب سوريا"
    assert (story.first_date, story.last_date) == ("2021-07-27", "2021-08-26")
    top = story.places[0]
    assert top.place_id == "rasid:daraa-al-balad" and top.admin1 == "محافظة درعا" and top.lat
    assert top.articles == 3
    assert story.actors[0]["count"] >= story.actors[-1]["count"]
    assert story.contradictions == [c for e in story.events for c in e.contradictions]


@needs_seeds
def test_timeline_orders_the_batches(story):
    labels = [t["label"] for t in story.timeline]
    assert labels.index("خروج الدفعة الأولى من درعا") < labels.index("خروج الدفعة الثانية من درعا البلد")
    dated = [t for t in story.timeline if t["date"]]
    assert story.timeline[: len(dated)] == dated  # undated events last
    second = story.timeline[labels.index("خروج الدفعة الثانية من درعا البلد")]
    assert second["claims"] >= 3 and second["precision"] == "day" and second["disputed"]


@needs_seeds
def test_summary_quotes_the_reports_and_skips_retold_sentences(story, articles):
    texts = {a.id: a.text for a in articles}
    assert 0 < len(story.summary) <= 5
    for item in story.summary:
        assert texts[item["article_id"]][item["start"]:item["end"]] == item["text"]
    assert len({i["text"] for i in story.summary}) == len(story.summary)
    body = {a.id: [(s.start, s.end) for s in clean(a.text).sentences] for a in articles}
    retold = retold_sentences(sorted(articles, key=lambda a: a.published), body, 300)
    police = next(k for k, v in retold.items() if k[0] == A001 and v["article_id"] == A000)
    assert "الشرطة العسكرية الروسية" in texts[A001][police[1]:police[1] + 80]
    assert not any((i["article_id"], i["start"]) in retold for i in story.summary)


@needs_seeds
@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_story_does_not_depend_on_input_order(story, articles, extractions, order):
    shuffled = [articles[i] for i in order]
    again = build_story("story-daraa", shuffled, {a.id: extractions[a.id] for a in reversed(shuffled)})
    assert asdict(again) == asdict(story)


@needs_seeds
def test_story_does_not_depend_on_mention_order(story, articles, extractions):
    reversed_x = {k: replace(x, events=list(reversed(x.events))) for k, x in extractions.items()}
    assert asdict(build_story("story-daraa", articles, reversed_x)) == asdict(story)


@needs_seeds
def test_event_ids_hash_the_story_and_earliest_mention(story):
    other = build_story("story-other", seed_articles(), {})
    assert {e.id for e in story.events}.isdisjoint({e.id for e in other.events})
    assert len({e.id for e in story.events}) == len(story.events)
    assert all(e.story_id == "story-daraa" for e in story.events)


@needs_seeds
def test_exact_copy_adds_no_claims(articles, extractions, story):
    copy = replace(articles[1], id="zzz-copy", duplicate_of=articles[1].id)
    more = build_story("story-daraa", articles + [copy], dict(extractions))
    assert "zzz-copy" in more.article_ids
    assert [len(e.claims) for e in more.events] == [len(e.claims) for e in story.events]


# ---- hand-built extractions: the second batch as a careful extractor gives it ------------------


def _mention(article_id, mid, start, end, figures=(), sources=(), batch=None, date=None, trigger="خروج"):
    return EventMention(text="", start=start, end=end, id=mid, type="displacement", subtype="evacuation",
                        trigger=trigger, figures=list(figures), sources=list(sources), batch=batch, date=date,
                        places=[{"place_id": "rasid:daraa-al-balad", "name": "درعا البلد", "role": "origin"}])


def test_hand_built_extractions_merge_and_flag():
    text_a = "خرج 53 شخصاً من درعا البلد في الدفعة الثانية، وفق ما أفاد المرصد. وأعلنت سانا خروج 45 إرهابياً من درعا البلد."
    text_b = "قال شهود عيان إنه تم إجلاء 50 من مقاتلي المعارضة من درعا البلد اليوم الخميس."
    a = Article(id="a", text=text_a, published="2021-08-26")
    b = Article(id="b", text=text_b, published="2021-08-26")
    thursday = {"value": "2021-08-26", "precision": "day", "text": "الخميس"}
    split = text_a.index("وأعلنت")
    xa = Extraction("a", figures=[
        Figure("53 شخصاً", 4, 12, value=53, unit="people", term="evacuated", source_id="s1"),
        Figure("45 إرهابياً", text_a.index("45"), text_a.index("45") + 10, value=45, unit="fighters",
               term="evacuated", source_id="s2")],
        sources=[SourceMention("المرصد", text_a.index("المرصد"), text_a.index("المرصد") + 6, id="s1",
                               actor_id="rasid:sohr", name="المرصد السوري لحقوق الإنسان", type="ngo_monitor"),
                 SourceMention("سانا", text_a.index("سانا"), text_a.index("سانا") + 4, id="s2",
                               actor_id="rasid:sana", name="سانا", type="media")],
        events=[_mention("a", "e1", 0, split - 1, [0], ["s1"], batch=2),
                _mention("a", "e2", split, len(text_a), [1], ["s2"])])
    xb = Extraction("b", figures=[Figure("50 من مقاتلي", text_b.index("50"), text_b.index("50") + 12, value=50,
                                         unit="fighters", term="evacuated", source_id="s1")],
                    sources=[SourceMention("شهود عيان", 4, 13, id="s1", name="شهود عيان", type="witnesses")],
                    events=[_mention("b", "e1", 0, len(text_b), [0], ["s1"], date=thursday, trigger="إجلاء")])
    s = build_story("s", [b, a], {"a": xa, "b": xb})
    [event] = s.events
    assert sorted(people(c) for c in event.claims) == [45, 50, 53]
    [flag] = event.contradictions
    assert (flag["most_conservative"], flag["range"], flag["recommended"]["value"]) == (45, [45, 53], 53)


# ---- semantics by table -----------------------------------------------------------------------


def fig(value, qualifier="exact", vague=False, unit="people", value_max=None):
    return {"value": value, "qualifier": qualifier, "vague": vague, "unit": unit, "value_max": value_max}


@pytest.mark.parametrize("a, b, expected", [
    (fig(53), fig(45), False),  # exact against exact
    (fig(53), fig(50), False),
    (fig(50, "approx"), fig(53), True),  # "نحو 50" covers 45..55
    (fig(50, "approx"), fig(58), False),
    (fig(38000, "more_than"), fig(40000), True),  # "أكثر من 38 ألف"
    (fig(38000, "more_than"), fig(100000), False),  # not any larger number
    (fig(38000, "more_than"), fig(30000), False),
    (fig(40000), fig(41000), True),  # "40 ألف" is rounded
    (fig(10, vague=True), fig(40), True),  # عشرات
    (fig(10, vague=True), fig(120), False),
    (fig(20000, "up_to"), fig(15000), True),
    (fig(50, value_max=60), fig(55), True),  # "بين 50 و60"
])
def test_figures_agree(a, b, expected):
    assert agree(a, b) is expected and agree(b, a) is expected


def side(value, support=1, tier=2):
    return {"value": value, "support": support, "tier": tier}


@pytest.mark.parametrize("sides, kind, expected", [
    ([side(45, tier=3), side(50, tier=2), side(53, tier=1)], "figure", (53, "credibility")),
    ([side(45, support=2, tier=3), side(53, tier=1)], "figure", (45, "corroboration")),
    ([side(45), side(53)], "figure", (45, "conservative")),
    (["2021-08-24", "2021-08-25"], "date", (None, "undecided")),
])
def test_recommend_rules(sides, kind, expected):
    sides = [side(s) if isinstance(s, str) else s for s in sides]
    got = recommend(sides, kind)
    assert (got["value"], got["rule_id"]) == expected and got["rule"]


def claim(value=None, date=None, source="x", key=None, qualifier="exact"):
    figure = dict(fig(value, qualifier), term="evacuated", text=str(value)) if value is not None else None
    return Claim(article_id="a", outlet="", source=source, source_actor_id="", figure=figure, date=date,
                 evidence={"source_key": key or source, "sources": [{"type": "outlet"}]})


def day(value, precision="day"):
    return {"value": value, "precision": precision, "text": value}


@pytest.mark.parametrize("claims, kinds", [
    ([claim(53, source="a"), claim(50, qualifier="approx", source="b")], []),  # "نحو 50" and 53 agree
    ([claim(53, source="a"), claim(45, source="b")], ["figure"]),
    ([claim(date=day("2021-08-24"), source="a"), claim(date=day("2021-08-25"), source="b")], ["date"]),
    ([claim(date=day("2021-08-24"), source="a"), claim(date=day("2021-08-01", "month"), source="b")], []),
    ([claim(date=day("2018-07-01", "month"), source="a"), claim(date=day("2018-01-01", "year"), source="b")], []),
])
def test_contradiction_kinds(claims, kinds):
    event = Event(id="e", story_id="s", type="displacement", claims=claims)
    assert [c["kind"] for c in find_contradictions(event)] == kinds


@pytest.mark.parametrize("text, trigger, expected", [
    ("غادرت دفعة ثانية درعا البلد الخميس.", "غادرت", "asserted"),
    ("دخلت الشرطة الروسية مع توفير ممر آمن لمغادرة مسلحي المعارضة.", "لمغادرة", "planned"),
    ("وينص اتفاق التسوية، بحسب المرصد، على إخراج نحو مئة مسلّح.", "إخراج", "planned"),
    ("يهدف النظام السوري إلى السيطرة الكاملة على درعا وتهجير عشرات الآلاف.", "وتهجير", "planned"),
    ("وتوقع المصدر خروج نحو ألف شخص.", "خروج", "planned"),
    ("في إطار هدنة برعاية روسية وضعت حداً لتصعيد غير مسبوق.", "لتصعيد", "asserted"),
])
def test_modality(text, trigger, expected):
    mention = EventMention(text=text, start=0, end=len(text), id="e1", type="displacement",
                           subtype="evacuation", trigger=trigger)
    assert _modality(text, mention) == expected


def test_headline_is_read_as_a_sentence():
    text = "عنوان الخبر\n\nالجملة الأولى."
    assert with_headline(text, [(13, 27)]) == [(0, 11), (13, 27)]
    assert with_headline(text, [(0, 11), (13, 27)]) == [(0, 11), (13, 27)]


# ---- order independence, by property ----------------------------------------------------------


PLACES = [("rasid:daraa-al-balad", "محافظة درعا"), ("wof:421197257", "محافظة درعا"), ("wof:1", "محافظة حمص")]
DATES = [None, "2021-08-24", "2021-08-25", "2021-08-26", "2021-07-01"]


@st.composite
def views(draw):
    n = draw(st.integers(min_value=1, max_value=9))
    out = []
    for i in range(n):
        article = draw(st.sampled_from("abc"))
        place_id, admin1 = draw(st.sampled_from(PLACES))
        date = draw(st.sampled_from(DATES))
        value = draw(st.sampled_from([None, 10, 45, 50, 53]))
        figures = (Figure(str(value), 0, 2, value=value, unit="people", term="evacuated"),) if value else ()
        out.append(View(
            article_id=article, mention_id=f"e{i}", order=("2021-08-26", article, i, f"e{i}"),
            type="displacement", subtype=draw(st.sampled_from(["evacuation", "forced_displacement"])),
            group="displacement/departure", batch=draw(st.sampled_from([None, 1, 2])),
            date={"value": date, "precision": "day", "text": ""} if date else None,
            places=({"place_id": place_id, "admin1": admin1, "role": "origin"},), actors=(), figures=figures,
            sources=(), start=i * 10, end=i * 10 + 9, sentence=i, modality="asserted", published="2021-08-26"))
    return out


def keys(groups):
    return [[v.key for v in g] for g in groups]


@given(views(), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_any_permutation_of_the_mentions_gives_the_same_events(mentions, rnd):
    shuffled = list(mentions)
    rnd.shuffle(shuffled)
    assert keys(group_mentions(shuffled)) == keys(group_mentions(mentions))


@given(views())
@settings(max_examples=150, deadline=None)
def test_every_event_is_consistent(mentions):
    for group in group_mentions(mentions):
        for a, b in itertools.combinations(group, 2):
            assert compatible(a, b) and compatible(b, a)
            assert a.batch is None or b.batch is None or a.batch == b.batch


# ---- what the next stages read ----------------------------------------------------------------


@needs_seeds
def test_story_survives_a_store_round_trip(story, articles, tmp_path):
    from rasid.store import open_store

    store = open_store(str(tmp_path / "rasid.db"))
    try:
        store.put_articles(articles)
        store.replace_stories([story])
        assert asdict(store.get_story(story.id)) == asdict(story)
    finally:
        store.close()


@needs_seeds
def test_exports_see_the_disputed_claims(story):
    from rasid.views.records import event_record, row_from_event

    record = event_record(row_from_event(event_with(story, 53)))
    disputed = {people(c_obj): c["disputed"] for c, c_obj in zip(record["claims"], event_with(story, 53).claims)}
    assert disputed[53] == disputed[45] == disputed[50] == ["figure"]
    assert record["figures"]["evacuated"]["min"] == 45
