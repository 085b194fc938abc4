"""Entity-level NER scoring (exact span and type, as conlleval counts) and CoNLL file reading."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Sequence, Union

from rasid.errors import InputError
from rasid.extract.ner.bio import spans

Sentence = list[tuple[str, str]]
_TAG = re.compile(r"^(O|[BI]-[A-Za-z_]+)$")
_SKIP = ("-DOCSTART-",)

__all__ = ["Sentence", "read_conll", "spans", "score", "score_file", "format_table"]


def read_conll(path: Union[str, Path]) -> list[Sentence]:
    """Read `word TAG` lines into sentences; a blank line ends a sentence.

    Tolerant of what real files carry (a BOM, Windows line ends, extra middle columns: the word is
    the first column and the tag the last), strict about what would silently skew a score: a
    line with one column or a tag that is not IOB stops with the file and line named.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give the path of a `word TAG` CoNLL file") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path} is not UTF-8 ({err}); re-save it as UTF-8") from None
    sents: list[Sentence] = []
    current: Sentence = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        cols = line.split()
        if not cols or cols[0] in _SKIP:
            if current:
                sents.append(current)
                current = []
            continue
        current.append(_parse_line(path, lineno, cols))
    if current:
        sents.append(current)
    return sents


def _parse_line(path: Path, lineno: int, cols: list[str]) -> tuple[str, str]:
    """One token line -> (word, tag), or an InputError that says which line and why."""
    if len(cols) < 2:
        raise InputError(
            f"line {lineno} of {path} has one column ({cols[0]!r}); "
            "each token line needs `word TAG` separated by a space or tab"
        )
    tag = cols[-1]
    if not _TAG.match(tag):
        raise InputError(
            f"line {lineno} of {path} has tag {tag!r}, which is not IOB; "
            "use O, B-TYPE or I-TYPE (e.g. B-PERS) in the last column"
        )
    return cols[0], tag


def _tags(sent: Sequence) -> list[str]:
    """Accept a sentence as tags or as (word, tag) pairs."""
    return [t[-1] if isinstance(t, tuple) else t for t in sent]


def _prf(correct: int, gold: int, pred: int) -> dict[str, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "gold": gold, "pred": pred, "correct": correct}


def score(gold_sents: Sequence[Sequence], pred_sents: Sequence[Sequence]) -> dict:
    """Precision, recall and F1 per entity type and overall; an entity counts only if exact.

    Values are fractions in [0, 1]; `gold`, `pred` and `correct` are entity counts, so results
    from several files can be added up.
    """
    if len(gold_sents) != len(pred_sents):
        raise ValueError(f"{len(gold_sents)} gold sentences but {len(pred_sents)} predicted")
    gold_n, pred_n, correct_n = Counter(), Counter(), Counter()
    tokens = token_ok = 0
    for i, (gold, pred) in enumerate(zip(gold_sents, pred_sents)):
        g_tags, p_tags = _tags(gold), _tags(pred)
        if len(g_tags) != len(p_tags):
            raise ValueError(f"sentence {i}: {len(g_tags)} gold tags but {len(p_tags)} predicted")
        g_spans, p_spans = set(spans(g_tags)), set(spans(p_tags))
        gold_n.update(s[2] for s in g_spans)
        pred_n.update(s[2] for s in p_spans)
        correct_n.update(s[2] for s in g_spans & p_spans)
        tokens += len(g_tags)
        token_ok += sum(g == p for g, p in zip(g_tags, p_tags))
    types = sorted(set(gold_n) | set(pred_n))
    per_type = {t: _prf(correct_n[t], gold_n[t], pred_n[t]) for t in types}
    overall = _prf(sum(correct_n.values()), sum(gold_n.values()), sum(pred_n.values()))
    return {
        "per_type": per_type,
        "overall": overall,
        "tokens": tokens,
        "accuracy": token_ok / tokens if tokens else 0.0,
    }


def score_file(path: Union[str, Path], model: str = "auto") -> dict:
    """Tag the file's tokens with the shipped model and score against the file's own tags.

    The file is tagged as one running text (as `find_entities` tags an article), so a name found in
    one sentence is also tagged where it repeats in the sentences around it.
    """
    from rasid.extract.ner import resolve_model, tag_sentences  # the model loads only when needed

    model = resolve_model(model)
    gold = read_conll(path)
    pred = tag_sentences([[w for w, _ in sent] for sent in gold], model=model)
    result = score(gold, pred)
    result["file"] = str(path)
    result["model"] = model
    result["sentences"] = len(gold)
    return result


def format_table(result: dict) -> str:
    """A fixed-width table of P/R/F1 in percent, one row per type and one overall."""
    rows = [("type", "precision", "recall", "F1", "gold", "pred")]
    for name, m in [*result["per_type"].items(), ("overall", result["overall"])]:
        rows.append((
            name,
            f"{100 * m['precision']:.2f}",
            f"{100 * m['recall']:.2f}",
            f"{100 * m['f1']:.2f}",
            str(m["gold"]),
            str(m["pred"]),
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                       enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(-1, "-" * len(lines[0]))
    footer = f"{result['tokens']} tokens, token accuracy {100 * result['accuracy']:.2f}%"
    return "\n".join([*lines, footer])
