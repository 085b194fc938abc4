"""The store interface, run against every backend: SQLite always, PostgreSQL when a server is there.

PostgreSQL comes from RASID_TEST_POSTGRES_URL, or else a throwaway server started once per
session by scripts/postgres-test-server.sh. Without PostgreSQL binaries its tests are skipped,
unless RASID_REQUIRE_POSTGRES=1 (CI) turns the skip into a failure.
"""
from __future__ import annotations

from dataclasses import replace
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.errors import NotFound
from rasid.models import (
    ActorMention, Article, Claim, DateMention, DuplicateLink, EntityMention, Event, EventMention,
    Extraction, Figure, PlaceMention, SourceMention, Story,
)
from rasid.store import open_store
from rasid.store.base import ArticleFilter, EventFilter, Rejection


from tests.store_fixtures import backend

# -- data: real Arabic, shaped like the seed reports

TEXT_DARAA = ("خرجت الخميس دفعة ثانية من المقاتلين المعارضين من مدينة درعا في جنوب سوريا، "
              "وفق ما أفاد المرصد السوري لحقوق الانسان، في إطار هدنة برعاية روسية.")
TEXT_HOMS = "بدأت قوات النظام حصار حي الوعر في مدينة حمص، وقال ناشطون إن مئات العائلات محاصرة."
TEXT_ALEPPO = "وصلت قافلة مساعدات إلى ريف حلب الشمالي بعد أسابيع من المفاوضات بين الأطراف."


def article(id: str, text: str = TEXT_DARAA, **fields) -> Article:
    fields.setdefault("title", "إخلاء مقاتلين من درعا")
    fields.setdefault("content_hash", "hash-" + id)
    fields.setdefault("clean_text", text)
    return Article(id=id, text=text, **fields)


# -- articles


def test_put_articles_counts_new_updated_unchanged(store):
    first = store.put_articles([article("a1"), article("a2", TEXT_HOMS)])
    assert [r.status for r in first] == ["new", "new"]
    again = store.put_articles([article("a1"), article("a2", TEXT_HOMS, title="حصار الوعر")])
    assert [r.status for r in again] == ["unchanged", "updated"]
    assert store.get_article("a2").title == "حصار الوعر"
    assert store.count_articles() == 2


def test_update_keeps_the_first_ingest_time(store):
    store.put_articles([article("a1", ingested_at="2017-03-01T10:00:00+00:00")])
    store.put_articles([article("a1", title="عنوان جديد", ingested_at="2020-01-01T00:00:00+00:00")])
    assert store.get_article("a1").ingested_at == "2017-03-01T10:00:00+00:00"


def test_exact_copies_link_to_the_first_occurrence_across_batches(store):
    store.put_articles([article("zz-first", content_hash="same", ingested_at="2017-03-01T10:00:00+00:00")])
    results = store.put_articles([article("aa-copy", content_hash="same"), article("mm-copy", content_hash="same")])
    assert [r.duplicate_of for r in results] == ["zz-first", "zz-first"]
    assert store.get_article("mm-copy").duplicate_of == "zz-first"
    assert store.get_article("zz-first").duplicate_of is None
    assert store.put_articles([article("aa-copy", content_hash="same")])[0].duplicate_of == "zz-first"


def test_exact_copies_in_one_batch_link_to_the_first_by_ingest_order(store, request):
    results = store.put_articles([article(i, content_hash="same") for i in ("c-first", "b-second", "a-third")])
    assert [r.duplicate_of for r in results] == [None, "c-first", "c-first"]


def test_get_article_by_id_and_prefix(store):
    store.put_articles([article("5f3a91"), article("5f3b22", TEXT_HOMS), article("7c0000", TEXT_ALEPPO)])
    assert store.get_article("5f3b22").text == TEXT_HOMS
    assert store.get_article("7c").id == "7c0000"
    assert store.get_article("5F3A").id == "5f3a91"  # the prefix ignores ASCII case, like SQLite's LIKE
    with pytest.raises(NotFound, match="prefix '5f3' matches several articles; give more characters"):
        store.get_article("5f3")
    with pytest.raises(NotFound, match="no article with id 'ffff'"):
        store.get_article("ffff")
    with pytest.raises(NotFound):
        store.get_article("")


def test_get_articles_by_exact_ids_in_the_order_given(store):
    store.put_articles([article("5f3a91"), article("5f3b22", TEXT_HOMS), article("7c0000", TEXT_ALEPPO)])
    found = store.get_articles(["7c0000", "missing", "5f3a91", "5f3b"])  # a prefix is no id here
    assert [a.id for a in found] == ["7c0000", "5f3a91"]
    assert found[0].text == TEXT_ALEPPO
    assert store.get_articles([]) == []


def test_list_and_count_articles_with_filters(store):
    store.put_articles([
        article("a1", outlet="enab", language="ar", published="2017-03-01T09:00:00"),
        article("a2", TEXT_HOMS, outlet="sana", language="ar", published="2017-03-15"),
        article("a3", TEXT_ALEPPO, outlet="enab", language="en", published="2017-04-02"),
        article("a4", TEXT_ALEPPO + " ", outlet="enab", language="ar"),  # no date: listed last
    ])
    ids = lambda flt=ArticleFilter(), **kw: [a.id for a in store.list_articles(flt, **kw)]  # noqa: E731
    assert ids() == ["a3", "a2", "a1", "a4"]
    assert ids(limit=2, offset=1) == ["a2", "a1"]
    cases = {
        ArticleFilter(outlet="enab"): ["a3", "a1", "a4"],
        ArticleFilter(since="2017-03-15"): ["a3", "a2"],
        ArticleFilter(until="2017-03-01"): ["a1"],  # a datetime counts by its date
        ArticleFilter(since="2017-03-01", until="2017-03-31"): ["a2", "a1"],
        ArticleFilter(language="en"): ["a3"],
        ArticleFilter(outlet="enab", language="ar"): ["a1", "a4"],
        ArticleFilter(outlet="nobody"): [],
    }
    for flt, expected in cases.items():
        assert ids(flt) == expected, flt
        assert store.count_articles(flt) == len(expected), flt
    assert store.article_ids() == ["a1", "a2", "a3", "a4"]


def test_list_articles_by_story(store):
    store.put_articles([article("a1"), article("a2", TEXT_HOMS), article("a3", TEXT_ALEPPO)])
    store.replace_stories([Story(id="s1", title="درعا", article_ids=["a1", "a3"])])
    assert {a.id for a in store.list_articles(ArticleFilter(story_id="s1"))} == {"a1", "a3"}
    assert store.count_articles(ArticleFilter(story_id="s1")) == 2


# -- search


@pytest.mark.parametrize("text", [
    "أعلن المرصد خروج مقاتلي المعارضة من المدينة.",
    "وقال إن مقاتلو الفصائل رفضوا الاتفاق.",
    "غادر المقاتلين الحي صباحاً.",
])
def test_search_finds_other_forms_of_a_word(store, text):
    store.put_articles([article("hit", text, title="خبر"), article("miss", TEXT_ALEPPO, title="قافلة")])
    hits = store.search("المقاتلين")
    assert [h.article.id for h in hits] == ["hit"]
    assert "مقاتل" in hits[0].snippet
    assert hits[0].score > 0


def test_search_needs_every_word_and_reads_the_title(store):
    store.put_articles([article("a1", TEXT_DARAA, title="هدنة"), article("a2", TEXT_HOMS, title="حصار الوعر")])
    assert [h.article.id for h in store.search("درعا المرصد")] == ["a1"]
    assert store.search("درعا حمص") == []
    assert [h.article.id for h in store.search("الوعر")] == ["a2"]
    assert [h.article.id for h in store.search("حصار")] == ["a2"]


def test_search_pages_and_ranks(store):
    store.put_articles([article(f"a{i}", TEXT_DARAA + " درعا" * i, title=str(i)) for i in range(5)])
    hits = store.search("درعا", limit=2)
    assert len(hits) == 2 and hits[0].score >= hits[1].score
    assert len(store.search("درعا", limit=10, offset=3)) == 2


@pytest.mark.parametrize("query", ["", "   ", "!!! ،؟ «»", "ًٌٍ", "' OR 1=1 --", 'NEAR("a" "b")', "a & !b | c:*", "\\"])
def test_search_of_nothing_searchable_or_syntax_is_safe(store, query):
    store.put_articles([article("a1")])
    hits = store.search(query)
    assert all(h.article.id == "a1" for h in hits)
    if query.strip(" !،؟«»ًٌٍ") == "":
        assert hits == []


# -- stats and rejections


def test_stats(store):
    store.put_articles([
        article("a1", outlet="enab", language="ar", published="2017-03-01"),
        article("a2", outlet="sana", language="ar", content_hash="hash-a1"),
        article("a3", TEXT_HOMS, outlet="enab", published="2017-04-02"),
    ])
    store.add_rejections([Rejection("feed.jsonl:3", "empty text")])
    stats = store.stats()
    assert stats["articles"] == 3 and stats["exact_copies"] == 1
    assert stats["outlets"] == {"enab": 2, "sana": 1}
    assert stats["languages"] == {"ar": 2, "(unknown)": 1}
    assert stats["published"] == {"first": "2017-03-01", "last": "2017-04-02", "unknown": 1}
    assert (stats["rejections"], stats["extracted"], stats["events"], stats["stories"]) == (1, 0, 0, 0)
    assert stats["database"] == store.url


def test_rejections_newest_first(store):
    store.add_rejections([Rejection("a.txt", "empty text", "add text"), Rejection("b.txt", "not Arabic")])
    store.add_rejections([Rejection("c.jsonl:17", "line is not JSON: Expecting value", "fix the line")])
    store.add_rejections([])
    assert store.list_rejections() == [
        Rejection("c.jsonl:17", "line is not JSON: Expecting value", "fix the line"),
        Rejection("b.txt", "not Arabic", ""), Rejection("a.txt", "empty text", "add text"),
    ]
    assert len(store.list_rejections(limit=1)) == 1


# -- analysis results


def full_extraction(article_id: str) -> Extraction:
    return Extraction(
        article_id=article_id,
        figures=[Figure("نحو مئة مسلّح", 20, 32, 0.9, value=100.0, unit="fighters", term="evacuated",
                        qualifier="approx", source_id="s1"),
                 Figure("بين 50 و60 عائلة", 40, 55, value=50.0, value_max=60.0, unit="families", ordinal=2)],
        dates=[DateMention("الخميس", 0, 6, value="2017-03-02", precision="day", resolved=True, relative=True,
                           note="weekday before publication")],
        places=[PlaceMention("درعا", 60, 64, name="درعا", name_en="Daraa", place_id="rasid:daraa", lat=32.62,
                             lon=36.1, country="SY", admin1="درعا", admin2="درعا", feature="locality",
                             precision="locality", role="origin")],
        actors=[ActorMention("قوات النظام", 70, 81, actor_id="Q1", name="الجيش السوري", name_en="Syrian Army",
                             type="state_forces")],
        entities=[EntityMention("المرصد السوري", 90, 103, 0.75, label="ORG")],
        sources=[SourceMention("المرصد السوري", 90, 103, id="s1", actor_id="Q2", name="المرصد السوري",
                               type="ngo_monitor", cue="أفاد", quote="خرج نحو مئة مسلح")],
        events=[EventMention("خرجت", 0, 4, 0.8, id="e1", type="displacement", subtype="evacuation", trigger="خرجت",
                             actors=[{"actor_id": "Q1", "role": "actor"}],
                             places=[{"place_id": "rasid:daraa", "name": "درعا", "role": "origin"}],
                             date={"value": "2017-03-02", "precision": "day", "text": "الخميس"},
                             figures=[0, 1], sources=["s1"], batch=2)],
    )


def test_extraction_round_trip(store):
    store.put_articles([article("a1")])
    extraction = full_extraction("a1")
    store.put_extraction(extraction, story_id="s1")
    assert store.get_extraction("a1") == extraction
    assert store.get_extraction("a2") is None
    [mention] = store.list_events(EventFilter(article_id="a1"))
    assert (mention.id, mention.story_id, mention.type, mention.date) == ("a1:e1", "s1", "displacement", "2017-03-02")
    assert mention.data["source_details"][0]["name"] == "المرصد السوري"
    assert mention.data["actors"][0]["name"] == "الجيش السوري"
    # Putting it again replaces the mentions, it does not add to them.
    extraction.events[0].type = "siege"
    store.put_extraction(extraction)
    assert [e.type for e in store.list_events(EventFilter(article_id="a1"))] == ["siege"]
    assert store.stats()["extracted"] == 1 and store.stats()["event_mentions"] == 1


def test_duplicate_links_are_seen_from_both_sides(store):
    store.put_duplicate_links([DuplicateLink("a1", "a2", "near", 0.91), DuplicateLink("a3", "a1", "rewrite", 0.62)])
    store.put_duplicate_links([DuplicateLink("a1", "a2", "near", 0.93)])  # upsert, not a second link
    assert store.get_duplicate_links("a1") == [DuplicateLink("a1", "a2", "near", 0.93),
                                               DuplicateLink("a1", "a3", "rewrite", 0.62)]
    assert store.get_duplicate_links("a2") == [DuplicateLink("a2", "a1", "near", 0.93)]
    assert store.get_duplicate_links("a9") == []
    assert store.stats()["duplicate_links"] == 2


def claim(article_id: str, outlet: str, source: str, source_id: str) -> Claim:
    return Claim(article_id=article_id, outlet=outlet, source=source, source_actor_id=source_id,
                 figure={"value": 100, "unit": "fighters"}, date={"value": "2017-03-02", "precision": "day"},
                 evidence={"text": "نحو مئة مسلّح", "start": 20, "end": 32}, framing=["مسلحين"])


def story_daraa(story_id: str = "s-daraa", article_ids=("a1", "a2")) -> Story:
    event = Event(id=f"{story_id}:e1", story_id=story_id, type="displacement", subtype="evacuation",
                  date={"value": "2017-03-02", "precision": "day"},
                  places=[{"place_id": "rasid:daraa", "name": "درعا", "name_en": "Daraa", "admin1": "درعا"}],
                  actors=[{"actor_id": "Q1", "name": "الجيش السوري"}],
                  claims=[claim("a1", "enab", "المرصد السوري", "Q2"), claim("a2", "sana", "سانا", "Q3")],
                  contradictions=[{"field": "figure", "values": [100, 120]}], summary="خرجت دفعة ثانية")
    return Story(id=story_id, title="إخلاء درعا", article_ids=list(article_ids), first_date="2017-03-01",
                 last_date="2017-03-02", places=event.places, actors=event.actors, events=[event],
                 contradictions=event.contradictions, framing=[{"outlet": "sana", "terms": ["إرهابيين"]}],
                 summary=[{"text": "خرجت دفعة ثانية", "article_id": "a1"}],
                 timeline=[{"date": "2017-03-02", "event_id": event.id}])


def story_homs(story_id: str = "s-homs", article_ids=("a3",)) -> Story:
    event = Event(id=f"{story_id}:e1", story_id=story_id, type="siege", date={"value": "2017-04-10", "precision": "day"},
                  places=[{"place_id": "rasid:waer", "name": "حي الوعر", "name_en": "Al-Waer", "admin1": "حمص"}],
                  actors=[{"actor_id": "rasid:hay-tahrir", "name": "هيئة تحرير الشام"}],
                  claims=[claim("a3", "orient", "ناشطون", "")])
    return Story(id=story_id, title="حصار الوعر", article_ids=list(article_ids), first_date="2017-04-10",
                 last_date="2017-04-10", events=[event])


def test_stories_replace_list_get_count(store):
    store.replace_stories([story_daraa(), story_homs()])
    assert store.count_stories() == 2
    assert [s.id for s in store.list_stories()] == ["s-homs", "s-daraa"]  # latest first
    assert [s.id for s in store.list_stories(limit=1, offset=1)] == ["s-daraa"]
    assert store.get_story("s-daraa") == story_daraa()
    assert store.get_story("s-h").id == "s-homs"
    with pytest.raises(NotFound, match="no single story with id 's-'"):
        store.get_story("s-")
    with pytest.raises(NotFound):
        store.get_story("nothing")
    # Re-clustered under the same id: the story is replaced, not doubled.
    store.replace_stories([Story(id="s-daraa", title="إخلاء درعا (محدّث)", article_ids=["a1", "a2"])])
    assert store.get_story("s-daraa").title == "إخلاء درعا (محدّث)"
    assert store.count_stories() == 2
    assert store.count_events(EventFilter(story_id="s-daraa")) == 0


def test_stories_left_without_articles_are_removed(store):
    store.replace_stories([story_daraa(), story_homs()])
    merged = story_daraa("s-merged", ("a1", "a2", "a3"))
    store.replace_stories([merged])
    assert [s.id for s in store.list_stories()] == ["s-merged"]
    assert [e.id for e in store.list_events()] == ["s-merged:e1"]
    assert store.stats()["stories"] == 1
    # An article moved to another story leaves the first one, which stays while it has others.
    store.replace_stories([story_homs("s-homs", ("a3",))])
    assert sorted(s.id for s in store.list_stories()) == ["s-homs", "s-merged"]
    assert [e.id for e in store.list_events(EventFilter(story_id="s-homs"))] == ["s-homs:e1"]


@pytest.mark.parametrize("flt, expected", [
    (EventFilter(), ["s-homs:e1", "s-daraa:e1"]),
    (EventFilter(type="siege"), ["s-homs:e1"]),
    (EventFilter(place="rasid:daraa"), ["s-daraa:e1"]),
    (EventFilter(place="درع"), ["s-daraa:e1"]),  # the start of a name
    (EventFilter(place="daraa"), ["s-daraa:e1"]),  # English names ignore ASCII case
    (EventFilter(place="حي الوعر"), ["s-homs:e1"]),
    (EventFilter(admin1="حمص"), ["s-homs:e1"]),
    (EventFilter(actor="Q1"), ["s-daraa:e1"]),
    (EventFilter(actor="هيئة تحرير"), ["s-homs:e1"]),
    (EventFilter(source="Q2"), ["s-daraa:e1"]),
    (EventFilter(source="ناشطون"), ["s-homs:e1"]),
    (EventFilter(outlet="sana"), ["s-daraa:e1"]),
    (EventFilter(since="2017-04-01"), ["s-homs:e1"]),
    (EventFilter(until="2017-03-31"), ["s-daraa:e1"]),
    (EventFilter(story_id="s-homs"), ["s-homs:e1"]),
    (EventFilter(type="siege", place="درعا"), []),
    (EventFilter(place="50%"), []),  # LIKE wildcards in a value do not widen the match much
])
def test_list_events_filters(store, flt, expected):
    store.replace_stories([story_daraa(), story_homs()])
    rows = store.list_events(flt)
    assert [r.id for r in rows] == expected
    assert store.count_events(flt) == len(expected)


def test_event_rows_carry_their_data(store):
    store.replace_stories([story_daraa()])
    [row] = store.list_events()
    assert (row.article_id, row.story_id, row.type, row.subtype, row.date, row.date_precision) == (
        None, "s-daraa", "displacement", "evacuation", "2017-03-02", "day")
    assert row.data["outlets"] == ["enab", "sana"]
    assert row.data["claims"][0]["evidence"]["text"] == "نحو مئة مسلّح"
    assert store.list_events(limit=1, offset=1) == []


# -- state


def test_state_get_and_set(store):
    assert store.get_state("minhash") is None
    blob = bytes(range(256)) + "فهرس".encode()
    store.set_state("minhash", blob)
    assert store.get_state("minhash") == blob
    store.set_state("minhash", b"")
    assert store.get_state("minhash") == b""
    store.set_state("other", b"\x00\x01")
    assert store.get_state("other") == b"\x00\x01" and store.get_state("minhash") == b""


# -- properties

# Any Unicode but NUL (PostgreSQL text cannot hold it) and lone surrogates (not encodable), with
# Arabic, emoji, directional marks and control characters drawn often.
SPECIAL = list("مقاتليندرعاًٌٍَُِّْـ٠١٢٣\u200f\u200e\u061c\u202b\u202e\u2066\u2069\u200d\ufeff😀🇸🇾\t\r\n\x01\x1b\x7f\u0085\u2028")
TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), st.sampled_from(SPECIAL)))


def examples(store) -> int:
    return 50 if backend(store) == "postgresql" else 100


def test_any_text_survives_a_round_trip(store):
    @settings(max_examples=examples(store), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=TEXT, title=TEXT, meta=st.dictionaries(TEXT, TEXT, max_size=3))
    def check(text, title, meta):
        item = Article(id=uuid.uuid4().hex, text=text, title=title, clean_text=text, content_hash=uuid.uuid4().hex,
                       outlet=title[:20], meta=meta)
        assert store.put_articles([item])[0].status == "new"
        stored = store.get_article(item.id)
        assert (stored.text, stored.title, stored.clean_text, stored.outlet, stored.meta) == (text, title, text, title[:20], meta)
        assert stored == replace(item, ingested_at=stored.ingested_at) and stored.ingested_at
        assert item.ingested_at == ""  # the store does not change the caller's article
        assert store.put_articles([item])[0].status == "unchanged"

    check()


def test_any_query_is_safe(store):
    store.put_articles([article("a1")])

    @settings(max_examples=examples(store), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=TEXT)
    def check(query):
        assert all(h.article.id == "a1" for h in store.search(query))

    check()


def test_story_summaries_agree_with_stories(store):
    stories = [Story(id=f"st-{i}", title=f"قصة {i}", article_ids=[f"a{i}"], last_date=f"2021-08-2{i}",
                     places=[{"place_id": f"p{j}", "name": "درعا"} for j in range(12)],
                     events=[Event(id=f"e{i}{k}", story_id=f"st-{i}", type="siege") for k in range(i)])
               for i in range(1, 4)]
    store.replace_stories(stories)
    summaries = store.list_story_summaries()
    assert [s["id"] for s in summaries] == [s.id for s in store.list_stories()]
    first = summaries[0]
    assert first["n_events"] == 3 and first["n_articles"] == 1 and len(first["places"]) == 10
    assert first["title"] == "قصة 3"



def _open_fresh(args) -> str:
    path, barrier = args
    barrier.wait()
    try:
        open_store(str(path)).close()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - the message is the test's evidence
        return repr(exc)


def test_processes_opening_a_new_sqlite_file_at_once_all_succeed(tmp_path):
    """Switching a new file to WAL and migrating it: the others wait, none says "locked"."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for trial in range(3):
        barrier = context.Manager().Barrier(4)
        path = tmp_path / f"race{trial}.db"
        with context.Pool(4) as pool:
            assert pool.map(_open_fresh, [(path, barrier)] * 4) == ["ok"] * 4
