"""A story's extractive summary, and the sentences one report retells from an earlier one.

A sentence that a later report retells from an earlier one (rasid.dedupe.rewrite's measure) is
left out of the summary's candidates, so the summary never repeats what duplicate reports
share; rasid.summarize.summarize_story also never takes two sentences that say the same thing.
The same alignment tells the claims which of their sentences are retold (rasid.reconcile.claims).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from rasid.dedupe.exact import exact_key
from rasid.dedupe.rewrite import MIN_WORDS, SENTENCE_THRESHOLD
from rasid.dedupe.tfidf import char_tfidf
from rasid.models import Article
from rasid.reconcile.claims import Retold, outlet_key
from rasid.summarize import summarize_story

Spans = dict[str, list[tuple[int, int]]]


def retold_sentences(articles: Sequence[Article], spans: Spans, max_articles: int) -> Retold:
    """(later article id, sentence start) -> the earlier report's sentence it retells.

    The measure is rasid.dedupe.rewrite's (cosine of character 3–5-gram TF-IDF vectors of the
    folded sentences, at least ``SENTENCE_THRESHOLD``; sentences under ``MIN_WORDS`` words left
    out), with one IDF over the whole story so that it costs one matrix product, not one per pair
    of reports. On the seeds the two sentences seed 001 retells from seed 000 score 0.69, every
    other pair at most 0.32. Reports are in canonical order; a sentence retells its best
    counterpart in an earlier report.
    """
    if len(articles) > max_articles:
        return {}
    folded = ((n, start, end, exact_key(a.text[start:end])) for n, a in enumerate(articles)
              for start, end in spans[a.id])
    kept = [row for row in folded if len(row[3].split()) >= MIN_WORDS]
    rows = [(n, start, end) for n, start, end, _ in kept]
    if len({n for n, _, _ in rows}) < 2:
        return {}
    keys = [key for _, _, _, key in kept]
    vectors = char_tfidf(keys)
    sims = (vectors @ vectors.T).toarray()
    report = np.array([n for n, _, _ in rows])
    out: Retold = {}
    for j, (n_j, start_j, _) in enumerate(rows):
        candidates = np.where((report < n_j) & (sims[:, j] >= SENTENCE_THRESHOLD), sims[:, j], -1.0)
        if candidates.max() < 0:
            continue
        n_i, start_i, end_i = rows[int(candidates.argmax())]  # the first best on a tie
        out[(articles[n_j].id, start_j)] = {"article_id": articles[n_i].id, "start": start_i, "end": end_i,
                                           "outlet_key": outlet_key(articles[n_i])}
    return out


def story_summary(articles: Sequence[Article], spans: Spans, retold: Retold,
                  max_sentences: int) -> list[dict[str, Any]]:
    """[{"article_id", "start", "end", "text"}], most important first."""
    kept = {a.id: [(s, e) for s, e in spans[a.id] if (a.id, s) not in retold] for a in articles}
    docs = [[a.text[s:e] for s, e in kept[a.id]] for a in articles]
    titles = [a.title or "" for a in articles]
    picks = summarize_story(docs, titles, max_sentences)
    out = []
    for d, s in picks:
        article = articles[d]
        start, end = kept[article.id][s]
        out.append({"article_id": article.id, "start": start, "end": end, "text": article.text[start:end]})
    return out
