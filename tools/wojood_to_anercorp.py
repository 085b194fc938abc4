"""Map a Wojood nested-NER file to ANERcorp's four types, for `rasid eval ner`.

    python tools/wojood_to_anercorp.py ../shared/data/wojood-sample/val.txt /tmp/wojood-val-4.txt
    python -m rasid eval ner /tmp/wojood-val-4.txt --model tuned

Wojood gives each token one or more nested IOB tags of 21 types. Mapped: PERS -> PERS,
ORG -> ORG, GPE / LOC / FAC -> LOC, EVENT / CURR -> MISC; every other type (DATE, OCC, NORP,
numbers...) -> O. Of nested mapped spans the outermost is kept, as ANERcorp tags one level.
Words ANERcorp leaves outside a name are cut from the span's start: place-type nouns from a LOC
(`مدينة نابلس` -> `نابلس`), descriptive heads from an ORG (`جريدة فلسطين` -> `فلسطين`; `قوات`
only before an organisation of its own, `قوات الأمم المتحدة`, not from `قوات سورية الديمقراطية`;
troops named by their origin, `القوات الأمريكية`, are no name at all), and
`بلدية` from a municipality, whose town ANERcorp tags LOC (`بلدية نابلس` -> `نابلس` LOC), and
titles from a PERS (`الملك حسين بن طلال` -> `حسين بن طلال`); and a currency's adjective of origin
from its end (`دولار أمريكي` -> `دولار`).
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
# Head nouns that Wojood puts inside an ORG span (`جريدة فلسطين`, `حركة حماس`) and ANERcorp leaves
# outside (`جريدة` O, `القدس` B-ORG): in ANERcorp's train file each is O before an ORG name at
# least seven times in ten (شركة 21 of 22, صحيفة 20 of 20, فريق 34 of 34, حركة 18 of 23, نادي 25
# of 34, جريدة 6 of 6, مدرسة 6 of 6, مجلة 7 of 9, قناة 5 of 5; إذاعة as قناة).
# Names whose head ANERcorp keeps inside (حزب، مجلس، منظمة، جامعة، بنك، اتحاد) are not listed.
ORG_HEADS = frozenset(match_key(w) for w in (
    "جريدة صحيفة مجلة شركة حركة فريق نادي قناة إذاعة مدرسة").split())
# `قوات` names other troops than the name after it: ANERcorp leaves it outside (6 of 6) only as
# the forces *of* an organisation that is a name of its own (`قوات الأمم المتحدة` ×4, `قوات حزب
# الله`, `قوات الاتحاد الأفريقي`). A force whose own name starts with it (`قوات سورية الديمقراطية`)
# keeps it, like ANERcorp's armed groups (`جبهة الخلاص الوطني`, `الجبهة الشعبية لتحرير فلسطين`,
# B-ORG on the head): cut only when Wojood marks the rest of the span as an ORG of its own.
FORCE_HEADS = frozenset({match_key("قوات")})
# ANERcorp tags no troops named by their origin (`القوات الإسرائيلية`, `قوات إثيوبية`: قوات before
# an adjective of origin is O, and the adjective O, 49 times of 49); Wojood marks them ORG.
DEFINITE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")
# `بلدية نابلس` is an ORG in Wojood; ANERcorp tags the town alone, as LOC (`رئيس بلدية باريس`:
# بلدية O, باريس B-LOC, twice in its train file), so the span becomes the place.
TOWN_HEADS = frozenset({match_key("بلدية")})
# Titles Wojood sometimes keeps in a PERS span (`الملك حسين بن طلال`); ANERcorp never does (each is
# O before a person 8 to 48 times in its train file, inside a name at most twice).
TITLES = frozenset(match_key(w) for w in "ملك أمير شيخ رئيس سيد دكتور إمام".split())
CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "لل", "ال", "وال", "بال", "فال", "كال")


def head_word(word: str, nouns: frozenset) -> bool:
    """True for one of `nouns`, also with a proclitic or the article (`بمدينة`, `والمدينة`)."""
    key = match_key(word)
    return key in nouns or any(key.startswith(c) and key[len(c):] in nouns for c in CLITICS)


def nisba(word: str) -> bool:
    """An adjective of origin (`أمريكي`, `أردنية`, `المصري`): ends in ي or ية after two letters."""
    key = match_key(word)
    return len(key) > 3 and key.endswith(("ي", "يه"))


def definite(word: str) -> bool:
    return match_key(word).startswith(DEFINITE)


def troops_by_origin(words: list[str]) -> bool:
    """`القوات الأمريكية`, `قوات إثيوبية`: قوات and adjectives of origin agreeing with it (all
    with the article or none: `قوات سورية الديمقراطية` is a name, سورية a noun)."""
    return (len(words) > 1 and head_word(words[0], FORCE_HEADS)
            and all(nisba(w) and definite(w) == definite(words[0]) for w in words[1:]))


def trim(rows: list[list[str]], i: int, j: int, label: str, kind: str,
         orgs: frozenset = frozenset()) -> tuple[int, int, str]:
    """The span's new start, end and type once the words ANERcorp leaves outside a name are cut.

    `orgs`: the (start, end) of every ORG span Wojood marks in the sentence, nested ones too."""
    while kind == "CURR" and j - i > 1 and nisba(rows[j - 1][0]):
        j -= 1  # ANERcorp: `دولار` B-MISC, `أمريكي` O
    if label == "ORG" and j - i > 1 and head_word(rows[i][0], TOWN_HEADS):
        i, label = i + 1, "LOC"
    elif label == "ORG" and j - i > 1 and head_word(rows[i][0], ORG_HEADS):
        i += 1
    elif label == "ORG" and (i + 1, j) in orgs and head_word(rows[i][0], FORCE_HEADS):
        i += 1
    elif label == "ORG" and troops_by_origin([r[0] for r in rows[i:j]]):
        j = i  # not a name in ANERcorp
    while label == "LOC" and j - i > 1 and head_word(rows[i][0], PLACE_NOUNS):
        i += 1
    while label == "PERS" and j - i > 1 and head_word(rows[i][0], TITLES):
        i += 1
    return i, j, label


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
        found += [(i, j, MAP[t], t) for i, j, t in spans(column) if t in MAP]
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    orgs = frozenset((i, j) for i, j, _, kind in found if kind == "ORG")
    tags, end = ["O"] * len(rows), 0
    for i, j, label, kind in found:
        i, j, label = trim(rows, i, j, label, kind, orgs)
        if i >= end and j > i:
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
