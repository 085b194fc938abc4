"""Map a Wojood nested-NER file to ANERcorp's four types, for `rasid eval ner`.

    python tools/wojood_to_anercorp.py ../shared/data/wojood-sample/val.txt /tmp/wojood-val-4.txt
    python -m rasid eval ner /tmp/wojood-val-4.txt --model tuned

Wojood gives each token one or more nested IOB tags of 21 types. Mapped: PERS -> PERS,
ORG -> ORG, GPE / LOC / FAC -> LOC, EVENT / CURR -> MISC; every other type (DATE, OCC, NORP,
numbers...) -> O. Of nested mapped spans the outermost is kept, as ANERcorp tags one level.
A LOC span loses its leading place-type nouns (`مدينة نابلس` -> `نابلس`), as in ANERcorp.
The `$#$` document-break tokens are dropped. Conventions still differ (Wojood tags a country
acting as an agent ORG; ANERcorp mostly LOC), so the score measures transfer, not the model alone.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.arabic.normalize import match_key  # noqa: E402
from rasid.evaluate.ner import spans  # noqa: E402

MAP = {"PERS": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
       "EVENT": "MISC", "CURR": "MISC"}
# Place-type nouns that Wojood puts inside a GPE/LOC/FAC span (`مدينة نابلس`, `قضاء مدينة جنين`)
# and ANERcorp leaves outside the name (`مدينة` O, `نابلس` B-LOC: in ANERcorp's train file each of
# these is O before a LOC name at least nine times in ten; بلدة، قضاء، ناحية by analogy). Names
# that keep their noun in ANERcorp (بحر، جبل، جزيرة، مملكة، جمهورية) are not listed. match_key form.
PLACE_NOUNS = frozenset(match_key(w) for w in (
    "مدينة قرية بلدة مخيم محافظة قضاء ولاية منطقة إقليم ناحية حي نهر مطار شارع ميناء "
    "عاصمة دولة مسجد مستشفى حارة").split())
CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "لل", "ال", "وال", "بال", "فال", "كال")


def place_noun(word: str) -> bool:
    """True for a place-type noun, also with a proclitic or the article (`بمدينة`, `والمدينة`)."""
    key = match_key(word)
    return key in PLACE_NOUNS or any(
        key.startswith(c) and key[len(c):] in PLACE_NOUNS for c in CLITICS)


def sentences(path: Path) -> list[list[list[str]]]:
    out, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if not cols:
            if cur:
                out.append(cur)
            cur = []
        elif cols[0] != "$#$":
            cur.append(cols)
    if cur:
        out.append(cur)
    return out


def four_types(rows: list[list[str]]) -> list[str]:
    """The outermost mapped span of each nesting level, as one IOB column."""
    depth = max(len(r) for r in rows) - 1
    found = []
    for c in range(1, depth + 1):
        column = [r[c] if len(r) > c else "O" for r in rows]
        found += [(i, j, MAP[t]) for i, j, t in spans(column) if t in MAP]
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    tags, end = ["O"] * len(rows), 0
    for i, j, label in found:
        while label == "LOC" and j - i > 1 and place_noun(rows[i][0]):
            i += 1
        if i >= end:
            tags[i:j] = ["B-" + label] + ["I-" + label] * (j - i - 1)
            end = j
    return tags


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.exit(__doc__)
    src, dst = Path(argv[0]), Path(argv[1])
    with open(dst, "w", encoding="utf-8") as out:
        for rows in sentences(src):
            for r, tag in zip(rows, four_types(rows)):
                out.write(f"{r[0]} {tag}\n")
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
