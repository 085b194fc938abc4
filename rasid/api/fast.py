"""Event records serialised straight to JSON, byte for byte what ``EventOut`` gives, without pydantic.

An event record (rasid.views.records.event_record) is already built to the API's shape; running it
through ``EventOut.model_validate(...).model_dump_json()`` only reorders keys, fills defaults and
turns numbers into floats, and it was the largest cost of /api/events (a page of 50 events took
longer to validate than to read). ``event_json`` does exactly those steps on plain dicts and hands
the result to orjson; ``tests/test_api_fast.py`` checks it against the pydantic path on the seeds,
and the benchmark record was checked whole (docs/benchmarks.md).
"""
from __future__ import annotations

from typing import Any, Optional

import orjson

from rasid.api import schemas as s

_PLACE_TEXT = ("name", "name_en", "role", "admin1", "admin2", "country")
_CLAIM_FIELDS = tuple(s.ClaimOut.model_fields)


def _float(value: Any) -> Optional[float]:
    return None if value is None else float(value)


def _place(place: dict[str, Any]) -> dict[str, Any]:
    get = place.get
    out: dict[str, Any] = {"place_id": get("place_id")}
    for key in _PLACE_TEXT:
        out[key] = get(key, "")
    out["lat"], out["lon"] = _float(get("lat")), _float(get("lon"))
    out["precision"], out["feature"] = get("precision", "unknown"), get("feature", "")
    return out


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    get = claim.get
    out = {"article_id": get("article_id"), "outlet": get("outlet", ""), "source": get("source", ""),
           "source_actor_id": get("source_actor_id", ""), "figure": get("figure"), "date": get("date"),
           "evidence": get("evidence"), "framing": list(get("framing") or []), "disputed": list(get("disputed") or [])}
    for key, value in claim.items():  # extra keys follow the declared ones, as pydantic keeps them
        if key not in out:
            out[key] = value
    return out


def _figures(figures: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {term: {"min": float(f["min"]), "max": float(f["max"]), "unit": f["unit"], "values": f["values"]}
            for term, f in figures.items()}


def event_dict(record: dict[str, Any]) -> dict[str, Any]:
    """The record in ``EventOut``'s field order, with its defaults and float fields."""
    return {
        "id": record["id"], "kind": record["kind"], "story_id": record["story_id"], "article_id": record["article_id"],
        "type": record["type"], "subtype": record["subtype"], "date": record["date"],
        "places": [_place(p) for p in record["places"]], "actors": record["actors"],
        "claims": [_claim(c) for c in record["claims"]], "contradictions": record["contradictions"],
        "disputed": record["disputed"], "figures": _figures(record["figures"]), "summary": record["summary"],
        "outlets": record["outlets"],
    }


def event_json(record: dict[str, Any]) -> bytes:
    return orjson.dumps(event_dict(record))


def events_json(records: list[dict[str, Any]]) -> bytes:
    return orjson.dumps([event_dict(r) for r in records])


def article_summary_dict(article: Any) -> dict[str, Any]:
    """``ArticleSummary``'s fields, in its order, from a stored Article (every field a str or None)."""
    return {"id": article.id, "title": article.title, "outlet": article.outlet, "url": article.url,
            "language": article.language, "published": article.published,
            "published_precision": article.published_precision, "duplicate_of": article.duplicate_of,
            "ingested_at": article.ingested_at}


def story_summary_dict(row: dict[str, Any]) -> dict[str, Any]:
    """``StorySummary``'s fields, in its order, from a row of ``Store.list_story_summaries``."""
    return {"id": row["id"], "title": row["title"], "first_date": row["first_date"], "last_date": row["last_date"],
            "n_articles": row["n_articles"], "n_sources": row["n_sources"], "n_events": row["n_events"],
            "n_contradictions": row["n_contradictions"], "places": row["places"]}


def search_hit_dict(hit: Any) -> dict[str, Any]:
    return {"article": article_summary_dict(hit.article), "snippet": hit.snippet, "score": float(hit.score)}


def dumps(value: Any) -> "Raw":
    return raw(orjson.dumps(value))


def raw(data: bytes) -> "Raw":
    """orjson's bytes as the text the envelope puts in as it is."""
    return Raw(data.decode("utf-8"))


class Raw(str):
    """JSON text already made: the envelope puts it in as it is."""


def story_detail_json(summary: dict[str, Any], story: Any, articles: list[Any], events: list[dict[str, Any]]) -> bytes:
    """``StoryDetail``'s fields, in its order: the summary (rasid.views.stories.story_summary),
    then the story's lists as they are stored."""
    out = story_summary_dict(summary)
    out.update(article_ids=story.article_ids, articles=[article_summary_dict(a) for a in articles],
               actors=story.actors, events=[event_dict(e) for e in events], contradictions=story.contradictions,
               framing=story.framing, summary=story.summary, timeline=story.timeline)
    return orjson.dumps(out)
