"""Claims: what each source, in each report, says about one event.

A mention's sentence may cite several sources. Each figure goes to the source the extract stage
gave it (``Figure.source_id``); sources cited together ("قال شهود عيان ومصادر من المعارضة")
make one joint attribution; a figure without a source is the outlet's own voice. All the
statements one attribution makes about one event in one report become one ``Claim``: its
figure (a count of persons first), its most precise date, and the sentence as evidence.

``Claim`` has no field for the source's type, so ``evidence`` carries the attribution:
``sources`` (name, actor id, type, cue, offsets of each cited source), ``source_type``,
``source_key`` (what counts as one independent source), ``mentions`` (the event mentions it
rests on), ``modality`` and, for a sentence retold from an earlier report, ``retold_from``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from rasid.models import Article, Claim, Figure, SourceMention
from rasid.reconcile.figures import figure_dict
from rasid.reconcile.mentions import View, report_voice, source_key
from rasid.reconcile.options import unit_class

JOINT_GAP = 4  # characters between two cited sources that still make one attribution (" و")
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
# (article id, sentence start) -> {"article_id", "start", "end", "outlet_key"} of the earlier report's sentence
Retold = dict[tuple[str, int], dict[str, Any]]


@dataclass(frozen=True)
class Statement:
    """One attribution's statement in one mention: who says it, and the figure, if any."""

    view: View
    sources: tuple[SourceMention, ...]  # () = the outlet's own voice
    figure: Optional[Figure]


def joint_groups(sources: Sequence[SourceMention]) -> list[tuple[SourceMention, ...]]:
    """Sources cited together (adjacent or overlapping in the text) as one attribution."""
    groups: list[list[SourceMention]] = []
    end = -10
    for s in sorted(sources, key=lambda s: (s.start, s.end, s.id)):
        if groups and s.start <= end + JOINT_GAP:
            groups[-1].append(s)
            end = max(end, s.end)
        else:
            groups.append([s])
            end = s.end
    return [tuple(g) for g in groups]


def statements(view: View) -> list[Statement]:
    """Every attribution a mention carries: one per figure, one per source that gives none."""
    groups = joint_groups(view.sources)
    out, used = [], set()
    for fig in view.figures:
        n = next((n for n, g in enumerate(groups) if any(s.id == fig.source_id for s in g)), None)
        out.append(Statement(view, groups[n] if n is not None else (), fig))
        used.add(n)
    out += [Statement(view, g, None) for n, g in enumerate(groups) if n not in used]
    return out or [Statement(view, (), None)]


def outlet_key(article: Article) -> str:
    return "outlet:" + (article.outlet or article.id)


def attribution_key(statement: Statement, article: Article) -> tuple[str, ...]:
    keys = sorted({source_key(s, article.id) for s in statement.sources})
    return tuple(keys) if keys else (outlet_key(article),)


def build_claims(views: Sequence[View], articles: dict[str, Article],
                 framing: Callable[[str, int, int], list[str]], retold: Optional[Retold] = None) -> list[Claim]:
    """One claim per (report, attribution) over the mentions of one event, in report order."""
    grouped: dict[tuple, list[Statement]] = {}
    for view in views:
        for st in statements(view):
            key = (view.order[:2], attribution_key(st, articles[view.article_id]))
            grouped.setdefault(key, []).append(st)
    ordered = sorted(grouped.items(), key=lambda kv: (kv[0][0], min(s.view.start for s in kv[1]), kv[0][1]))
    return [_claim(sts, articles[sts[0].view.article_id], framing, retold or {}) for _, sts in ordered]


def _principal(sts: Sequence[Statement]) -> Statement:
    """The statement whose figure the claim shows: a count of persons first, then the earliest."""
    with_figure = [s for s in sts if s.figure is not None]
    if not with_figure:
        return min(sts, key=lambda s: s.view.start)
    return min(with_figure, key=lambda s: (unit_class(s.figure.unit) != "persons", s.figure.start))


def _claim(sts: Sequence[Statement], article: Article, framing: Callable, retold: Retold) -> Claim:
    main = _principal(sts)
    sources = main.sources
    start, end = main.view.start, main.view.end
    evidence = _evidence(sts, main, article, retold)
    return Claim(
        article_id=article.id, outlet=article.outlet,
        source="، ".join(s.name or s.type for s in sources) or report_voice(article),
        source_actor_id=next((s.actor_id for s in sources if s.actor_id), ""),
        figure=_figure(sts, main), date=_date(sts), evidence=evidence,
        framing=framing(article.text, start, end))


def _figure(sts: Sequence[Statement], main: Statement) -> Optional[dict[str, Any]]:
    if main.figure is None:
        return None
    out = figure_dict(main.figure)
    others = {s.figure.start: s.figure for s in sts if s.figure is not None and s.figure is not main.figure}
    if others:
        out["also"] = [figure_dict(f) for _, f in sorted(others.items())]
    return out


def _date(sts: Sequence[Statement]) -> Optional[dict[str, Any]]:
    dated = [s for s in sts if s.view.date]
    if not dated:
        return None
    best = min(dated, key=lambda s: (PRECISION_RANK.get(s.view.date["precision"], 4), s.view.start))
    return dict(best.view.date)


def _evidence(sts: Sequence[Statement], main: Statement, article: Article, retold: Retold) -> dict[str, Any]:
    start, end = main.view.start, main.view.end
    sources = [{"name": s.name, "actor_id": s.actor_id, "type": s.type, "cue": s.cue,
                "start": s.start, "end": s.end} for s in main.sources]
    out = {"text": article.text[start:end], "start": start, "end": end,
           "mentions": sorted({s.view.mention_id for s in sts}, key=_mention_order),
           "sources": sources, "source_type": "+".join(s["type"] for s in sources) or "outlet",
           "source_key": "+".join(attribution_key(main, article)), "modality": main.view.modality}
    origin = retold.get((article.id, start))
    if origin:
        out["retold_from"] = {k: origin[k] for k in ("article_id", "start", "end")}
        if not sources:  # an outlet retelling another report's sentence is not a second witness
            out["source_key"] = origin["outlet_key"]
    return out


def _mention_order(mention_id: str) -> tuple:
    head, _, part = mention_id.partition("#")
    digits = "".join(ch for ch in head if ch.isdigit())
    return (int(digits) if digits else 0, head, part)
