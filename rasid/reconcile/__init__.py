"""The reconcile stage: the event mentions of one story's reports become events with a claim per
source, their contradictions are flagged, and each source's framing words are set side by side."""
from rasid.reconcile.contradictions import find_contradictions, recommend
from rasid.reconcile.framing import find_terms, story_framing, terms_in
from rasid.reconcile.match import compatible, group_mentions, score
from rasid.reconcile.mentions import View, mention_views
from rasid.reconcile.options import DEFAULT_OPTIONS, ReconcileOptions
from rasid.reconcile.story import build_story, reconcile_events

__all__ = [
    "DEFAULT_OPTIONS", "ReconcileOptions", "View", "build_story", "compatible", "find_contradictions",
    "find_terms", "group_mentions", "mention_views", "recommend", "reconcile_events", "score",
    "story_framing", "terms_in",
]
