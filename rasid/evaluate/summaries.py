"""Extractive summaries scored against EASC's Level-2 gold: ROUGE-2 and Dice, with baselines.

EASC (El-Haj, Kruschwitz and Fox 2010) gives each article five summaries written by Mechanical
Turk workers who picked up to half of its sentences. The summaries are strings, not sentence
numbers: hamza forms flattened, line breaks dropped without a space, first letters sometimes
lost, sentences cut at the annotation tool's length limit, and a cut at every full stop
(including decimal points). So each summary is split at its full stops and every piece is
located, as a letter string, in the article's letter string; the article sentences it overlaps
are the ones the annotator chose. Level 2 = the sentences at least two of the five chose.

Scores compare the chosen article sentences (the full sentences, as the article has them) with
the gold sentences: ROUGE-2 on normalised tokens (``match_key``, punctuation dropped, no
stemming) and Dice on sentence sets and on word sets.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import regex

from rasid.arabic.normalize import match_key
from rasid.errors import InputError
from rasid.summarize.rank import DEFAULT_WEIGHTS, Weights, budget, select, rank_sentences
from rasid.summarize.sentences import sentence_texts
from rasid.summarize.text import tokens

_NOT_LETTER = regex.compile(r"[^\p{L}\p{N}]+")
_MIN_PIECE = 10  # letters; shorter summary pieces ("8 مليار" after a decimal point) are ambiguous
_ANCHOR = 30  # letters used to find a piece that an annotator's typo keeps from matching whole
_FIELDS = ("text", "summaries")
METRICS = ("rouge2_p", "rouge2_r", "rouge2_f", "dice_sentences", "dice_words")


def read_easc(path: str | Path) -> list[dict[str, Any]]:
    """The records of an EASC JSONL file; a bad line raises InputError naming it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} cannot be read as UTF-8 text: {exc}; pass an EASC .jsonl file") from exc
    records = [_parse(path, number, line) for number, line in enumerate(lines, 1) if line.strip()]
    if not records:
        raise InputError(f"{path} holds no records; expected one JSON object per line with 'text' and 'summaries'")
    return records


def _parse(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number} of {path} is not JSON: {exc.msg}; fix or remove that line") from exc
    missing = [f for f in _FIELDS if not isinstance(record, dict) or f not in record]
    if missing:
        raise InputError(
            f"line {number} of {path} lacks {', '.join(missing)}; each line needs 'text' (the article) "
            "and 'summaries' (a list or an object of the annotators' summary strings)"
        )
    return record


def article_sentences(record: dict[str, Any]) -> list[str]:
    return sentence_texts(record["text"])


def annotator_choices(record: dict[str, Any], sentences: list[str] | None = None) -> list[set[int]]:
    """For each summary, the indexes of the article sentences it contains."""
    sentences = article_sentences(record) if sentences is None else sentences
    keys = [_letters(s) for s in sentences]
    starts, doc = [], ""
    for key in keys:
        starts.append(len(doc))
        doc += key
    summaries = record["summaries"]
    texts = summaries.values() if isinstance(summaries, dict) else summaries
    return [_chosen(str(text), doc, starts, keys) for text in texts]


def level2_gold(record: dict[str, Any], sentences: list[str] | None = None, min_votes: int = 2) -> list[int]:
    """Indexes, in article order, of the sentences at least ``min_votes`` annotators chose."""
    votes = Counter(i for chosen in annotator_choices(record, sentences) for i in chosen)
    return sorted(i for i, count in votes.items() if count >= min_votes)


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", match_key(text))


def _chosen(summary: str, doc: str, starts: list[int], keys: list[str]) -> set[int]:
    chosen: set[int] = set()
    for piece in summary.split("."):
        key = _letters(piece)
        span = _locate(doc, key) if len(key) >= _MIN_PIECE else None
        if span:
            chosen.update(_overlapping(span, starts, keys))
    return chosen


def _locate(doc: str, key: str) -> tuple[int, int] | None:
    """Where ``key`` sits in ``doc``: exactly, else by its head, tail or middle letters."""
    at = doc.find(key)
    if at >= 0:
        return at, at + len(key)
    if len(key) < 2 * _ANCHOR:
        return None
    middle = len(key) // 2 - _ANCHOR // 2
    for offset in (0, len(key) - _ANCHOR, middle):
        at = doc.find(key[offset:offset + _ANCHOR])
        if at >= 0:
            return max(0, at - offset), at - offset + len(key)
    return None


def _overlapping(span: tuple[int, int], starts: list[int], keys: list[str]) -> list[int]:
    """Sentences sharing at least 10 letters (or half their letters) with ``span``."""
    a, b = span
    return [
        i for i, (s, key) in enumerate(zip(starts, keys))
        if key and min(b, s + len(key)) - max(a, s) >= min(_MIN_PIECE, len(key) / 2)
    ]


def ngrams(items: list[str], n: int) -> Counter:
    return Counter(tuple(items[i:i + n]) for i in range(len(items) - n + 1))


def rouge_n(system_tokens: list[str], reference_tokens: list[str], n: int = 2) -> tuple[float, float, float]:
    """ROUGE-N precision, recall and F1 (Lin 2004) with clipped n-gram counts, one reference."""
    system, reference = ngrams(system_tokens, n), ngrams(reference_tokens, n)
    overlap = sum((system & reference).values())
    p = overlap / sum(system.values()) if system else 0.0
    r = overlap / sum(reference.values()) if reference else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def dice(a: Iterable, b: Iterable) -> float:
    """Dice coefficient 2|A∩B| / (|A| + |B|) of two sets; two empty sets agree fully."""
    a, b = set(a), set(b)
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def score(sentences: list[str], chosen: list[int], gold: list[int]) -> dict[str, float]:
    """Every metric in ``METRICS`` for one article's chosen sentence indexes."""
    system = [t for i in chosen for t in tokens(sentences[i])]
    reference = [t for i in gold for t in tokens(sentences[i])]
    p, r, f = rouge_n(system, reference, 2)
    values = (p, r, f, dice(chosen, gold), dice(system, reference))
    return dict(zip(METRICS, values))


SYSTEMS = ("rasid", "first sentence", "first k sentences")


def article_scores(
    path: str | Path, ratio: float | None = None, weights: Weights = DEFAULT_WEIGHTS, heldout: bool = False
) -> list[dict[str, dict[str, float]]]:
    """Per article, each system's metrics (see ``evaluate`` for the arguments)."""
    articles = []
    for record in read_easc(path):
        sentences = article_sentences(record)
        articles.append((sentences, level2_gold(record, sentences)))
    per_article = _leave_one_out(articles) if heldout else [weights] * len(articles)
    return [_score_article(s, g, w, ratio) for (s, g), w in zip(articles, per_article)]


def _leave_one_out(articles: list[tuple[list[str], list[int]]]) -> list[Weights]:
    from rasid.summarize.tune import article_matrix, leave_one_out

    return leave_one_out([article_matrix(sentences, gold) for sentences, gold in articles])


def _score_article(sentences: list[str], gold: list[int], weights: Weights, ratio: float | None) -> dict:
    k = len(gold) if ratio is None else budget(len(sentences), ratio=ratio)
    picks = {
        "rasid": select(rank_sentences(sentences, weights=weights), k),
        "first sentence": [0] if sentences else [],
        "first k sentences": list(range(min(k, len(sentences)))),
    }
    return {name: score(sentences, chosen, gold) for name, chosen in picks.items()}


def evaluate(
    path: str | Path, ratio: float | None = None, weights: Weights = DEFAULT_WEIGHTS, heldout: bool = False
) -> dict[str, Any]:
    """Mean scores over the file for the system and the baselines.

    ``ratio=None`` keeps as many sentences as the gold has (the length is an input, as in the
    usual EASC protocol); a ratio keeps that share of each article's sentences instead. With
    ``heldout`` each article is summarised with weights fitted on all the other articles of the
    file (leave-one-out) instead of ``weights``; it needs scikit-learn.
    """
    rows = article_scores(path, ratio, weights, heldout)
    n = len(rows)
    return {
        "file": str(path),
        "articles": n,
        "length": "gold sentence count" if ratio is None else f"{ratio:.0%} of sentences",
        "weights": "leave-one-out" if heldout else ("shipped" if weights == DEFAULT_WEIGHTS else "given"),
        "systems": {name: {m: sum(r[name][m] for r in rows) / n for m in METRICS} for name in SYSTEMS},
    }


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table of ``evaluate``'s result, scores in percent."""
    head = ["system", "R-2 P", "R-2 R", "R-2 F", "Dice sent", "Dice words"]
    rows = [[name] + [f"{100 * scores[m]:.1f}" for m in METRICS] for name, scores in result["systems"].items()]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    title = (
        f"{result['file']}: {result['articles']} articles, Level-2 gold, "
        f"length = {result['length']}, weights = {result['weights']}"
    )
    return "\n".join([title, line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])
