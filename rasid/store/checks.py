"""The record's invariants, as queries both backends run (``rasid check``).

Each check is a query that returns the offending ids; none returning any means the record is
consistent: every analysed article in exactly one story, nothing pointing at a missing article,
exact copies pointing at an original, the search index agreeing with the table, an empty queue.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

ANALYSE_ALL = "rasid analyse --all"

# name, what is wrong, the query returning the offending ids, how to repair
CHECKS: list[tuple[str, str, str, str]] = [
    ("analysed_without_story", "analysed articles in no story",
     "SELECT article_id AS id FROM cluster_features WHERE article_id NOT IN (SELECT article_id FROM story_articles)",
     ANALYSE_ALL),
    ("story_of_unanalysed", "stories hold articles that were never analysed or no longer exist",
     "SELECT article_id AS id FROM story_articles WHERE article_id NOT IN (SELECT article_id FROM cluster_features) "
     "OR article_id NOT IN (SELECT id FROM articles)", ANALYSE_ALL),
    ("story_without_row", "story memberships of a story that does not exist",
     "SELECT DISTINCT story_id AS id FROM story_articles WHERE story_id NOT IN (SELECT id FROM stories)", ANALYSE_ALL),
    ("empty_story", "stories with no articles",
     "SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)", ANALYSE_ALL),
    ("story_count", "stories whose article count disagrees with their members",
     "SELECT s.id FROM stories s WHERE s.n_articles != (SELECT COUNT(*) FROM story_articles m WHERE m.story_id = s.id)",
     ANALYSE_ALL),
    ("mention_of_missing_article", "event mentions of a missing article",
     "SELECT id FROM events WHERE kind = 'mention' AND article_id NOT IN (SELECT id FROM articles)", ANALYSE_ALL),
    ("mention_in_wrong_story", "event mentions filed under another story than their article's",
     "SELECT e.id FROM events e JOIN story_articles m ON m.article_id = e.article_id "
     "WHERE e.kind = 'mention' AND (e.story_id IS NULL OR e.story_id != m.story_id)", ANALYSE_ALL),
    ("event_of_missing_story", "merged events of a missing story",
     "SELECT id FROM events WHERE kind = 'event' AND story_id NOT IN (SELECT id FROM stories)", ANALYSE_ALL),
    ("link_to_missing_article", "duplicate links to a missing article",
     "SELECT article_id || ' ' || other_id AS id FROM duplicates WHERE article_id NOT IN (SELECT id FROM articles) "
     "OR other_id NOT IN (SELECT id FROM articles)", ANALYSE_ALL),
    ("extraction_of_missing_article", "extractions of a missing article",
     "SELECT article_id AS id FROM extractions WHERE article_id NOT IN (SELECT id FROM articles)", ANALYSE_ALL),
    ("copy_of_no_original", "exact copies whose duplicate_of is missing, itself a copy (a chain or a cycle), "
     "or of other content",
     "SELECT a.id FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of WHERE a.duplicate_of IS NOT NULL "
     "AND (o.id IS NULL OR o.duplicate_of IS NOT NULL OR o.content_hash != a.content_hash)", ANALYSE_ALL),
    ("two_originals", "contents stored more than once with no copy link between them",
     "SELECT content_hash AS id FROM articles WHERE duplicate_of IS NULL GROUP BY content_hash HAVING COUNT(*) > 1",
     ANALYSE_ALL),
    ("queued", "articles still waiting in the analysis queue (an interrupted or skipped analysis)",
     "SELECT article_id AS id FROM analysis_queue", "rasid analyse"),
]


@dataclass
class Problem:
    name: str
    message: str
    count: int
    examples: list[str] = field(default_factory=list)
    repair: str = ANALYSE_ALL

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        shown = ", ".join(self.examples)
        return f"{self.count:,} {self.message} (e.g. {shown}); repair: {self.repair}"


def run_checks(rows: Callable[[str], list], extra: list[Problem]) -> list[Problem]:
    """Every invariant; ``rows`` runs a query and returns its rows; ``extra`` are backend checks."""
    problems = []
    for name, message, sql, repair in CHECKS:
        ids = [str(r[0]) for r in rows(sql)]
        if ids:
            problems.append(Problem(name, message, len(ids), ids[:5], repair))
    problems += payload_problems(rows)
    return problems + extra


def payload_problems(rows: Callable[[str], list]) -> list[Problem]:
    """Stories whose stored payload lists other articles than their membership rows."""
    members: dict[str, set[str]] = {}
    for story_id, article_id in rows("SELECT story_id, article_id FROM story_articles"):
        members.setdefault(story_id, set()).add(article_id)
    wrong = [story_id for story_id, data in rows("SELECT id, data FROM stories ORDER BY id")
             if set(json.loads(data).get("article_ids", [])) != members.get(story_id, set())]
    if not wrong:
        return []
    return [Problem("story_payload", "stories whose served article list disagrees with their members",
                    len(wrong), wrong[:5])]
