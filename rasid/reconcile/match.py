"""Event mentions of one story grouped into events: constrained single-link agglomeration.

Two mentions may tell the same event only when nothing rules it out (``compatible``): same
type and subtype group, same modality (planned vs done), the same batch when both give one
(دفعة ثانية = 2 never joins الدفعة الأولى = 1), dates at most ``date_tolerance_days`` apart
when both are dated (and no event dated after the other report was published), and
overlapping governorates when both name one. Among compatible pairs,
``score`` adds up the facts they share (batch, day, place, close figures, actors, adjacent
sentences of one report); pairs at or above ``min_merge_score`` are taken best first, and two
groups join only when every member of one is compatible with every member of the other.
Mentions are put in a canonical order first and ties are broken by it, so the events do not
depend on the order the mentions came in.
"""
from __future__ import annotations

from datetime import date as Date
from functools import lru_cache
from itertools import combinations
from typing import Optional, Sequence

from rasid.reconcile.figures import closeness, count_kind
from rasid.reconcile.mentions import View, interval_gap
from rasid.reconcile.options import DEFAULT_OPTIONS, ReconcileOptions, tables

# Weights of the pair score.
SAME_SUBTYPE = 1.0  # the same subtype; 0.5 for another subtype of the group (إجلاء / تهجير)
OTHER_SUBTYPE = 0.5
SAME_BATCH = 2.0  # both say "the second batch": the strongest single sign
SAME_DAY = 1.0
OTHER_DAY = -0.5  # both dated to the day, different days within the tolerance
SHARED_PLACE = 1.0  # the same place id where it happened (origin or location)
SHARED_ADMIN1 = 0.5  # only the same governorate
FIGURES = 0.8  # times the closeness of their closest counts of the same thing
SHARED_ACTOR = 0.5
OTHER_AFFECTED = -1.0  # both name who was moved/hit, and not the same (fighters vs civilians)
ADJACENT = 0.5  # neighbouring sentences of one report: news keeps to one event a paragraph
BOTH_BACKGROUND = 1.0  # history the reports of a story recall together
SAME_REPORT = 1.5  # one report tells a happening once; its other mentions retell it
OTHER_TOLL = -1.0  # one report, two far-apart counts of the same thing: maybe two happenings
BARE_MIN_SCORE = 1.0  # a bare mention joins another report's event of the same subtype (or kind and one fact)


def compatible(a: View, b: View, opts: ReconcileOptions = DEFAULT_OPTIONS) -> bool:
    """Whether two mentions could tell the same real event."""
    if a.article_id == b.article_id:
        if report_family(a) != report_family(b):
            return False
    elif not _story_kin(a, b):
        return False
    lasting = lasting_pair(a, b)
    if not lasting and a.background is not None and b.background is not None and a.background != b.background:
        return False
    if a.batch is not None and b.batch is not None and a.batch != b.batch:
        return False
    ia, ib = a.interval, b.interval
    if ia and ib and interval_gap(ia, ib) > (_lasting()["days"] if lasting else opts.date_tolerance_days):
        return False
    if not lasting and (_after_report(ia, b, opts) or _after_report(ib, a, opts)):
        return False
    return not (a.admins and b.admins and not a.admins & b.admins)


def _story_kin(a: View, b: View) -> bool:
    """Mentions of two reports: the same subtype group and modality, both history, or one
    family that joins across reports (an agreement called هدنة here and اتفاق there)."""
    if (a.group == b.group and a.modality == b.modality) or (a.background and b.background):
        return True
    family = report_family(a)
    return family == report_family(b) and family in _story_families()


def lasting_pair(a: View, b: View) -> bool:
    """Both mentions tell a state that lasts (a siege, an agreement in force, its provisions,
    talks, clashes over weeks)."""
    return lasting(a) and lasting(b)


def lasting(v: View) -> bool:
    kinds = _lasting()["types"]
    return v.type in kinds or f"{v.type}/{v.subtype}" in kinds or (
        v.modality == "planned" and report_family(v) in _story_families())


def _after_report(dated: Optional[tuple[Date, Date]], other: View, opts: ReconcileOptions) -> bool:
    """A report cannot tell an event that began after it was published."""
    published = other.published_day
    return bool(dated and published and (dated[0] - published[1]).days > opts.date_tolerance_days)


def score(a: View, b: View, opts: ReconcileOptions = DEFAULT_OPTIONS) -> float:
    """How strongly two compatible mentions look like one event."""
    total = SAME_SUBTYPE if a.subtype == b.subtype else OTHER_SUBTYPE
    if a.background and b.background:
        total += BOTH_BACKGROUND
    if a.batch is not None and a.batch == b.batch:
        total += SAME_BATCH
    total += _day_score(a, b) + _place_score(a, b) + _actor_score(a, b)
    total += FIGURES * _figure_closeness(a, b, opts)
    if a.article_id == b.article_id:
        total += SAME_REPORT + (ADJACENT if abs(a.sentence - b.sentence) <= 1 else 0.0)
        if report_family(a) == "violence" and _figures_differ(a, b, opts):
            total += OTHER_TOLL
    return round(total, 6)


def report_family(v: View) -> str:
    """The happenings one report's mention may merge with: its type family, or the report's
    agreement for a planned mention (a provision of the deal)."""
    return _family(bool(v.background), v.modality, v.type, v.group)


@lru_cache(maxsize=4096)
def _family(background: bool, modality: str, type_: str, group: str) -> str:
    """``report_family`` of a mention with these fields (asked for every pair of a story's mentions)."""
    fam = _families()
    if background:
        return fam["background"]
    if modality == "planned" and type_ not in fam.get(fam["planned"], ()):
        return fam["planned"]
    return next((name for name, types in fam.items() if isinstance(types, list) and type_ in types), group)


@lru_cache(maxsize=1)
def _lasting() -> dict:
    return tables()["lasting_types"]


@lru_cache(maxsize=1)
def _story_families() -> frozenset:
    return frozenset(tables()["story_families"]["families"])


@lru_cache(maxsize=1)
def _affected_split() -> frozenset:
    return frozenset(tables()["affected_split"]["types"])


@lru_cache(maxsize=1)
def _families() -> dict:
    return {k: v for k, v in tables()["report_families"].items() if not k.startswith("_")}


def _figures_differ(a: View, b: View, opts: ReconcileOptions) -> bool:
    """Both give a count of the same thing and the counts are far apart: two tolls, not one."""
    pairs = [(fa, fb) for fa in a.counts for fb in b.counts if count_kind(fa, a.type) == count_kind(fb, b.type)]
    return bool(pairs) and all(closeness(fa, fb, opts) == 0.0 for fa, fb in pairs)


def _day_score(a: View, b: View) -> float:
    if not (a.date and b.date and a.date["precision"] == "day" == b.date["precision"]):
        return 0.0
    return SAME_DAY if a.date["value"] == b.date["value"] else OTHER_DAY


def _place_score(a: View, b: View) -> float:
    if a.place_ids & b.place_ids:
        return SHARED_PLACE
    return SHARED_ADMIN1 if a.admins & b.admins else 0.0


def _actor_score(a: View, b: View) -> float:
    total = SHARED_ACTOR if a.actor_ids & b.actor_ids else 0.0
    split = a.type == b.type and a.type in _affected_split() and not (a.background and b.background)
    if split and a.affected and b.affected and not a.affected & b.affected:
        total += OTHER_AFFECTED
    return total


def _figure_closeness(a: View, b: View, opts: ReconcileOptions) -> float:
    best = 0.0
    for fa in a.counts:
        for fb in b.counts:
            if count_kind(fa, a.type) == count_kind(fb, b.type):
                best = max(best, closeness(fa, fb, opts))
    return best


def group_mentions(views: Sequence[View], opts: ReconcileOptions = DEFAULT_OPTIONS) -> list[list[View]]:
    """The mentions grouped into events, each group and the list in canonical order."""
    ordered = sorted(views, key=lambda v: v.order)
    pairs = sorted(_candidate_pairs(ordered, opts))
    parent = list(range(len(ordered)))
    members = {i: [i] for i in range(len(ordered))}
    known: dict[tuple[int, int], bool] = {}  # compatible(ordered[i], ordered[j]): merging asks a pair again and again
    for _, i, j in pairs:
        ri, rj = _find(parent, i), _find(parent, j)
        if ri != rj and _joinable(ordered, members[ri], members[rj], opts, known):
            _union(parent, members, ri, rj)
    _attach_bare(ordered, parent, members, opts, known)
    return [[ordered[i] for i in group] for _, group in sorted(members.items())]


def _union(parent: list[int], members: dict[int, list[int]], ri: int, rj: int) -> None:
    keep, gone = min(ri, rj), max(ri, rj)
    parent[gone] = keep
    members[keep] = sorted(members[keep] + members.pop(gone))


def bare(v: View) -> bool:
    """A mention that says nothing to tell its happening apart: no date, no place where it
    happened, no count, no batch («حصار», «هجوم.», «التي تحاصرها»)."""
    return v.interval is None and not v.where and not v.counts and v.batch is None


def _attach_bare(ordered: Sequence[View], parent: list[int], members: dict[int, list[int]],
                 opts: ReconcileOptions, known: dict[tuple[int, int], bool]) -> None:
    """A group of one report made only of bare mentions tells the story's happening of its kind
    that another report anchors: it joins the compatible group of other reports that scores
    best with it (at least the same subtype, or another subtype and one shared fact)."""
    for root in sorted(members):
        group = members.get(root)
        if not group or len({ordered[i].article_id for i in group}) > 1 or not all(bare(ordered[i]) for i in group):
            continue
        best = None
        for other, them in sorted(members.items()):
            if other == root or not any(ordered[j].article_id != ordered[group[0]].article_id for j in them):
                continue
            pair = max((score(ordered[i], ordered[j], opts) for i in group for j in them
                        if ordered[i].article_id != ordered[j].article_id and compatible(ordered[i], ordered[j], opts)),
                       default=None)
            if pair is not None and pair >= BARE_MIN_SCORE and _joinable(ordered, group, them, opts, known):
                if best is None or (pair, len(them)) > best[:2]:
                    best = (pair, len(them), other)
        if best is not None:
            _union(parent, members, _find(parent, root), _find(parent, best[2]))


def _candidate_pairs(ordered: Sequence[View], opts: ReconcileOptions) -> list[tuple[float, int, int]]:
    buckets: dict[tuple[str, ...], list[int]] = {}
    for i, v in enumerate(ordered):
        buckets.setdefault((v.group, v.modality), []).append(i)
        buckets.setdefault(("report", v.article_id, report_family(v)), []).append(i)
        if v.background:
            buckets.setdefault(("background",), []).append(i)
    out, seen = [], set()
    for indexes in buckets.values():
        for i, j in combinations(indexes, 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            a, b = ordered[i], ordered[j]
            if compatible(a, b, opts):
                s = score(a, b, opts)
                if s >= opts.min_merge_score:
                    out.append((-s, i, j))
    return out


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _joinable(ordered: Sequence[View], left: list[int], right: list[int], opts: ReconcileOptions,
              known: dict[tuple[int, int], bool]) -> bool:
    """Every mention of ``left`` compatible with every one of ``right`` (answers kept in ``known``)."""
    for i in left:
        for j in right:
            ok = known.get((i, j))
            if ok is None:
                ok = known[i, j] = compatible(ordered[i], ordered[j], opts)
            if not ok:
                return False
    return True
