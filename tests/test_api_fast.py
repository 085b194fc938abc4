"""rasid.api.fast gives byte for byte the JSON of the pydantic response models it stands in for."""
from __future__ import annotations

from rasid.api import fast, shapes
from rasid.api import schemas as s
from rasid.store.base import EventFilter
from rasid.views import stories
from rasid.views.reader import ReadModel
from web_fixtures import fresh_store


def every_record(store) -> list[dict]:
    reader = ReadModel(store)
    rows = store.list_events(EventFilter(), limit=1000)
    for article_id in store.article_ids():
        rows += store.list_events(EventFilter(article_id=article_id), limit=1000)
    records = reader.records(rows)
    for story in store.list_stories(limit=100):
        records += reader.story_records(story)
    return records


def test_events_as_eventout_gives_them():
    store, _ = fresh_store()
    records = every_record(store)
    assert {r["kind"] for r in records} == {"event", "mention"} and len(records) > 5
    assert any(r["places"] for r in records) and any(r["figures"] for r in records)
    for record in records:
        assert fast.event_json(record) == shapes.event_out(record).model_dump_json().encode()
    pydantic = "[" + ",".join(shapes.event_out(r).model_dump_json() for r in records) + "]"
    assert fast.events_json(records) == pydantic.encode()


def test_articles_search_hits_and_story_summaries():
    store, _ = fresh_store()
    for article in store.list_articles(limit=100):
        assert fast.dumps(fast.article_summary_dict(article)) == shapes.article_summary(article).model_dump_json()
    hits = store.search("درعا", limit=10)
    assert hits
    for hit in hits:
        model = s.SearchHitOut(article=shapes.article_summary(hit.article), snippet=hit.snippet, score=hit.score)
        assert fast.dumps(fast.search_hit_dict(hit)) == model.model_dump_json()
    for row in store.list_story_summaries(limit=100):
        assert fast.dumps(fast.story_summary_dict(row)) == s.StorySummary(**row).model_dump_json()


def test_story_detail():
    store, info = fresh_store()
    reader = ReadModel(store)
    for story_id in info["stories"]:
        story = store.get_story(story_id)
        articles = store.get_articles(story.article_ids)
        events = reader.story_records(story)
        want = shapes.story_detail(story, articles, events).model_dump_json().encode()
        assert fast.story_detail_json(stories.story_summary(story), story, articles, events) == want
