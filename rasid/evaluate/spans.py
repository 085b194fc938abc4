"""Scores Rasid's date and number spans against Wojood-format gold (SinaLab/ArabicNER sample).

The format: one token a line, then one or more nested IOB tags (``word TAG [TAG ...]``), a blank
line between sentences; the token ``$#$`` marks a line break inside a sentence. Each sentence is
rebuilt as text (``detokenize``: no space before closing punctuation, none inside "15/1/1959"),
the extractors run on it, and each predicted character span becomes the tokens it overlaps.

Predictions: DATE <- ``find_dates`` (incl. bare years) and ``find_durations`` (Wojood labels
"ثلاث سنوات" DATE); CARDINAL <- ``find_numbers`` cardinals and vague amounts (not years, codes, money, measures, per cent);
ORDINAL <- ``find_numbers`` ordinals (incl. index numbers: المادة 18). Numbers inside a predicted
DATE are not scored as numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rasid.errors import InputError
from rasid.extract.dates import find_dates, find_durations
from rasid.extract.figures import percent_after, unit_of
from rasid.extract.numbers import find_numbers
from rasid.extract.textview import view_of

SUPPORTED = ("DATE", "CARDINAL", "ORDINAL")
_TAG = re.compile(r"^(O|[BI]-[A-Z_]+)$")
_NO_SPACE_BEFORE = frozenset(".,،؛;:!?؟)]»%")
_NO_SPACE_AFTER = frozenset("([«")
BREAK = "$#$"


@dataclass
class GoldSentence:
    tokens: list[str]
    spans: set[tuple[str, int, int]] = field(default_factory=set)  # (type, first, end) token indexes
    line: int = 0  # line of the first token in the file


def read_wojood(path: str | Path) -> list[GoldSentence]:
    """Sentences with their gold spans; InputError names the file and line of anything unreadable."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist; pass a Wojood-format file (token TAG [TAG ...] a line)")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 ({exc}); convert it with: iconv -t UTF-8")
    sentences: list[GoldSentence] = []
    rows: list[tuple[str, list[str]]] = []
    start = 0
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            if rows:
                sentences.append(_sentence(rows, start))
                rows = []
            continue
        _check(path, number, parts)
        if not rows:
            start = number
        rows.append((parts[0], parts[1:]))
    if rows:
        sentences.append(_sentence(rows, start))
    if not sentences:
        raise InputError(f"{path} holds no sentences; expected lines 'token TAG [TAG ...]'")
    return sentences


def _check(path: Path, number: int, parts: list[str]) -> None:
    if len(parts) < 2:
        raise InputError(f"line {number} of {path} has a token but no tag ({parts[0]!r}); "
                         "each line must be 'token TAG [TAG ...]' with O for no entity")
    for tag in parts[1:]:
        if not _TAG.match(tag):
            raise InputError(f"line {number} of {path} has the tag {tag!r}; tags are O, B-TYPE or I-TYPE")


def _sentence(rows: list[tuple[str, list[str]]], line: int) -> GoldSentence:
    spans: set[tuple[str, int, int]] = set()
    open_spans: dict[str, list[int]] = {}
    for i, (_, tags) in enumerate(rows):
        by_type: dict[str, list[str]] = {}
        for tag in tags:
            if tag != "O":
                by_type.setdefault(tag[2:], []).append(tag[0])
        for etype in set(open_spans) | set(by_type):
            marks = by_type.get(etype, [])
            stack = open_spans.get(etype, [])
            keep = min(marks.count("I"), len(stack))
            for first in stack[keep:]:
                spans.add((etype, first, i))
            open_spans[etype] = stack[:keep] + [i] * (len(marks) - keep)
    for etype, stack in open_spans.items():
        for first in stack:
            spans.add((etype, first, len(rows)))
    return GoldSentence([t for t, _ in rows], spans, line)


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text of the tokens, spaced as print would space them, and each token's character span."""
    out: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, tok in enumerate(tokens):
        tok = "\n" if tok == BREAK else tok
        if i and _space(tokens, i):
            out.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        out.append(tok)
        pos += len(tok)
    return "".join(out), offsets


def _numeric_sep(tokens: list[str], i: int) -> bool:
    """Token ``i`` is a "/" or "," between two digit tokens ("15/1/1959", "2,000")."""
    return (0 < i < len(tokens) - 1 and tokens[i] in ("/", ",") and tokens[i - 1].isdigit()
            and tokens[i + 1][:1].isdigit())


def _space(tokens: list[str], i: int) -> bool:
    prev, tok = tokens[i - 1], tokens[i]
    if tok == BREAK or prev == BREAK or tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
        return False
    return not (_numeric_sep(tokens, i) or _numeric_sep(tokens, i - 1))


def predict(text: str, durations: bool = True) -> dict[str, list[tuple[int, int]]]:
    """Character spans Rasid predicts, by Wojood type."""
    dates = [(d.start, d.end) for d in find_dates(text, None)]
    if durations:
        dates += [(s, e) for s, e, _, _ in find_durations(text) if not _overlaps((s, e), dates)]
    view = view_of(text)
    numbers = [n for n in find_numbers(text) if not (n.is_year or n.is_code or _measure(view, n))
               and not _overlaps((n.start, n.end), dates)]
    return {
        "DATE": dates,
        "CARDINAL": [(n.start, n.end) for n in numbers if n.kind in ("cardinal", "vague")],
        "ORDINAL": [(n.start, n.end) for n in numbers if n.kind == "ordinal"],
    }


def _measure(view, n) -> bool:
    """Money, measures and percentages: Wojood's MONEY, QUANTITY and PERCENT, not CARDINAL."""
    if n.last >= len(view):
        return False
    unit = unit_of(view.words[n.last])
    return unit in ("-money", "-measure") or percent_after(view, n.last, len(view)) is not None


def _overlaps(span: tuple[int, int], others) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _to_tokens(span: tuple[int, int], offsets: list[tuple[int, int]]) -> tuple[int, int] | None:
    hit = [i for i, (s, e) in enumerate(offsets) if s < span[1] and span[0] < e]
    return (hit[0], hit[-1] + 1) if hit else None


def score_spans(path: str | Path, types=SUPPORTED, durations: bool = True, examples: int = 0) -> dict:
    """Entity-level precision, recall and F1 per type: exact token spans, and lenient (overlap)."""
    types = _check_types(types)
    counts = {t: {"gold": [], "pred": []} for t in types}
    errors = {t: {"missed": [], "spurious": []} for t in types}
    sentences = read_wojood(path)
    for k, sent in enumerate(sentences):
        text, offsets = detokenize(sent.tokens)
        predicted = predict(text, durations)
        for t in types:
            gold = {(a, b) for et, a, b in sent.spans if et == t}
            pred = {p for p in (_to_tokens(s, offsets) for s in predicted[t]) if p}
            counts[t]["gold"].extend((k, g) for g in gold)
            counts[t]["pred"].extend((k, p) for p in pred)
            if examples:
                _collect(errors[t], sent, gold, pred, examples)
    result = {"file": str(path), "sentences": len(sentences), "durations": durations,
              "types": {t: _score(counts[t]["gold"], counts[t]["pred"]) for t in types}}
    if examples:
        result["errors"] = errors
    return result


def _check_types(types) -> tuple[str, ...]:
    if isinstance(types, str):
        types = [t.strip() for t in types.split(",") if t.strip()]
    bad = [t for t in types if t not in SUPPORTED]
    if bad or not types:
        raise InputError(f"cannot score type(s) {', '.join(bad) or '(none)'}; "
                         f"Rasid predicts {', '.join(SUPPORTED)}: pass e.g. --types DATE,CARDINAL")
    return tuple(types)


def _collect(errors: dict, sent: GoldSentence, gold: set, pred: set, limit: int) -> None:
    show = lambda a, b: " ".join(sent.tokens[max(0, a - 2):a]) + " [" + " ".join(sent.tokens[a:b]) + "] " + " ".join(sent.tokens[b:b + 2])  # noqa: E731
    for a, b in sorted(gold - pred):
        if len(errors["missed"]) < limit:
            errors["missed"].append(f"line {sent.line + a}: {show(a, b)}")
    for a, b in sorted(pred - gold):
        if len(errors["spurious"]) < limit:
            errors["spurious"].append(f"line {sent.line + a}: {show(a, b)}")


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def _score(gold: list, pred: list) -> dict:
    gold_set, pred_set = set(gold), set(pred)
    tp = len(gold_set & pred_set)
    exact = _prf(tp, len(pred_set), tp, len(gold_set)) | {"tp": tp, "fp": len(pred_set) - tp,
                                                          "fn": len(gold_set) - tp}
    by_sent: dict[int, list] = {}
    for k, g in gold_set:
        by_sent.setdefault(k, []).append(g)
    hit = lambda k, s: any(s[0] < b and a < s[1] for a, b in by_sent.get(k, []))  # noqa: E731
    pred_ok = sum(1 for k, s in pred_set if hit(k, s))
    pred_by: dict[int, list] = {}
    for k, s in pred_set:
        pred_by.setdefault(k, []).append(s)
    gold_ok = sum(1 for k, g in gold_set if any(g[0] < b and a < g[1] for a, b in pred_by.get(k, [])))
    return {"gold": len(gold_set), "pred": len(pred_set), "exact": exact,
            "lenient": _prf(pred_ok, len(pred_set), gold_ok, len(gold_set))}


def format_table(result: dict) -> str:
    """A plain-text table of the scores."""
    head = f"{'type':<9} {'gold':>5} {'pred':>5}  {'P':>6} {'R':>6} {'F1':>6}   {'P~':>6} {'R~':>6} {'F1~':>6}"
    lines = [f"{result['file']}: {result['sentences']} sentences (exact spans; ~ = overlap)", head,
             "-" * len(head)]
    for t, s in result["types"].items():
        e, le = s["exact"], s["lenient"]
        lines.append(f"{t:<9} {s['gold']:>5} {s['pred']:>5}  {e['p']:>6.3f} {e['r']:>6.3f} {e['f1']:>6.3f}"
                     f"   {le['p']:>6.3f} {le['r']:>6.3f} {le['f1']:>6.3f}")
    return "\n".join(lines)
