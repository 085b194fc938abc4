"""Numbers in Arabic text: digits, number words, vague quantities and ordinals, with their spans.

``find_numbers`` is the general number finder beneath ``find_figures`` (which adds units, terms
and qualifiers) and the Wojood CARDINAL/ORDINAL evaluation. It reads:

* digits, Western or Arabic-Indic, with thousands separators (38,000 / 38.000 / ٣٨٬٠٠٠), decimals
  before a multiplier (2.5 مليون), a multiplier word after digits (38 ألف), a joined article or
  clitic (الـ30, بـ30);
* number words and their compounds (ثلاثة آلاف وخمسمائة, خمسة وأربعين, ثلاث مئة, خمسة عشر);
* vague quantities with ACLED's values (عشرات = 10, عشرات الآلاف = 10,000, عدة آلاف = 1,000 at
  least);
* ordinals (الثانية, الخامس والعشرين, الحادي عشر) and index numbers (المادة 18, رقم 435, a list
  item "2 -" at the start of a line), which are ordinals too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from rasid.arabic.morphology import NUMBER_PREFIXES
from rasid.extract import lexicon, triggers
from rasid.extract.textview import TextView, candidates, view_of

# Clitics written joined to digits: "الـ30" (tatweel dropped in the view), "بـ30", "و1".
_JOINED = frozenset(NUMBER_PREFIXES)
_LIST_MARKS = frozenset(("-", ".", ")", '"', "«"))


@dataclass(slots=True)
class NumberSpan:
    text: str
    start: int
    end: int
    value: Optional[float]
    kind: str = "cardinal"  # cardinal, ordinal, vague, fraction
    is_year: bool = False
    is_code: bool = False  # phone, reference or identifier: never a count
    digits: bool = False
    definite: bool = False  # الـ30, الثلاثة
    qualifier: str = ""  # "at_least" for عدة آلاف
    first: int = 0  # first token in the view
    last: int = 0  # token after the last one


def find_numbers(text: str, start: int = 0, end: Optional[int] = None) -> list[NumberSpan]:
    """Every number in ``text[start:end]``, in order; offsets are into ``text``."""
    view = view_of(text)
    lo = view.token_at(start)
    hi = len(view) if end is None else view.token_at(end)
    return scan(view, lo, hi)


def scan(view: TextView, lo: int, hi: int) -> list[NumberSpan]:
    """Numbers starting in tokens ``lo .. hi-1`` of ``view``."""
    out: list[NumberSpan] = []
    done = lo
    for i in triggers.within(view, triggers.NUMBER, lo, hi):
        if i < done:
            continue
        n = _digits(view, i, hi) if view.kinds[i] == "n" else _words(view, i, hi)
        if n is not None:
            out.append(n)
            done = max(n.last, i + 1)
    return out


def is_number_word(word: str) -> bool:
    return _num_word(word) is not None


def _make(view: TextView, i: int, j: int, value, **kw) -> NumberSpan:
    s, e = view.span(i, j)
    return NumberSpan(view.text[s:e], s, e, value, first=i, last=j, **kw)


# ---------------------------------------------------------------- digits


def parse_digits(token: str, before_multiplier: bool = False) -> float:
    """38,000 -> 38000; 38.000 -> 38000 (a 3-digit group); 2.5 -> 2.5; 1.500 مليون -> 1.5."""
    if token.isdigit():
        return int(token)
    seps = [c for c in token if not c.isdigit()]
    groups = token.replace(",", ".").split(".")
    grouped = all(len(g) == 3 for g in groups[1:])
    if grouped and (len(groups) > 2 or seps[0] == "," or not before_multiplier):
        return int("".join(groups))
    return float(groups[0] + "." + "".join(groups[1:]))


def _digits(view: TextView, i: int, hi: int) -> NumberSpan:
    N = lexicon.numbers()
    words = view.words
    first, definite = i, False
    if view.joined(i) and view.kinds[i - 1] == "w" and words[i - 1] in _JOINED:
        first, definite = i - 1, "ال" in words[i - 1]
    j = i + 1
    mult = N.multipliers.get(words[j]) if j < hi and view.kinds[j] == "w" else None
    value = parse_digits(words[i], before_multiplier=mult is not None)
    if mult:
        value, j = value * mult, j + 1
    if not mult and _clock(view, j, hi):
        n = _make(view, first, j + 2, value, digits=True)
        n.is_code = True  # "الساعة 10:30": a time of day
        return n
    index = _is_index(view, first, i, j, hi)
    if index and j + 1 < hi and words[j] in ("/", "-") and view.kinds[j + 1] == "n":
        j += 2  # "رقم 24 / 66", "صفحة 58 - 59"
    n = _make(view, first, j, value, digits=True, definite=definite)
    n.is_code = _is_code(words[i]) or _latin_neighbour(view, first, j, hi) or (
        not index and _slashed(view, first, j, hi))
    n.is_year = not mult and not index and _is_year(view, first, i, j, hi)
    if index:
        n.kind = "ordinal"
    return n


def _clock(view: TextView, j: int, hi: int) -> bool:
    return (j + 1 < hi and view.words[j] == ":" and view.kinds[j + 1] == "n" and view.joined(j)
            and view.joined(j + 1) and len(view.words[j + 1]) == 2)


def _slashed(view: TextView, first: int, j: int, hi: int) -> bool:
    """Digits in a slashed group ("14/15/2/1941", "11/111947") are parts of a date or reference."""
    w = view.words
    return (j + 1 < hi and w[j] == "/" and view.kinds[j + 1] == "n") or (
        first > 1 and w[first - 1] == "/" and view.kinds[first - 2] == "n")


def _latin_neighbour(view: TextView, first: int, j: int, hi: int) -> bool:
    """Digits glued to Latin letters ("www2", "R44716") belong to an identifier."""
    before = first > 0 and view.joined(first) and view.words[first - 1].isascii() and view.kinds[first - 1] == "w"
    after = j < hi and view.joined(j) and view.words[j].isascii() and view.kinds[j] == "w"
    return before or after


def _is_code(token: str) -> bool:
    plain = token.isdigit()
    return (plain and len(token) >= 7) or (plain and len(token) >= 3 and token[0] == "0")


def _prev_word(view: TextView, i: int) -> str:
    return view.words[i - 1] if i > 0 else ""


def _is_year(view: TextView, first: int, i: int, j: int, hi: int) -> bool:
    tok = view.words[i]
    if not (tok.isdigit() and len(tok) == 4):
        return False
    value = int(tok)
    D = lexicon.dates()
    prev = _prev_word(view, first)
    if prev == "(":
        prev = _prev_word(view, first - 1)
    nxt = view.words[j] if j < hi else ""
    if nxt == ")" and j + 1 < hi:
        nxt = view.words[j + 1]  # "( 1343 ) هجري"
    if nxt == "م" and j + 1 < hi and view.words[j + 1] in ("مربع", "مكعب"):
        return False  # "1000 م مربع": metres
    if prev in D.year_keywords or nxt in D.era_gregorian or nxt in D.era_hijri:
        return 1000 <= value <= 2100
    return 1800 <= value <= 2100 and not counting_noun(nxt)


def counting_noun(word: str) -> bool:
    """A noun that counts things (شخص، حافلة، دولار، كلم): the number before it is no year."""
    U = lexicon.units()
    for c in candidates(word, True):
        if c in U.units or c in U.duals or (c in U.excluded and U.excluded[c] != "time"):
            return True
    return False


def _is_index(view: TextView, first: int, i: int, j: int, hi: int) -> bool:
    """Index numbers are ordinals: "المادة 18", "رقم ( 61 )", "الذكرى الـ70", a list item "2 -"."""
    N = lexicon.numbers()
    prev = _prev_word(view, first)
    if prev in ("(", "."):
        prev = _prev_word(view, first - 1)
    if prev in N.index_nouns or (first != i and prev in N.ordinal_nouns):
        return True
    return view.line_start(first) and j < hi and view.words[j] in _LIST_MARKS and (
        j + 1 >= hi or view.kinds[j + 1] != "n")


# ---------------------------------------------------------------- words


@lru_cache(maxsize=65536)
def _num_word(word: str) -> Optional[tuple[str, float, str, str]]:
    """(category, value, prefix, base) of a number word, or None."""
    N = lexicon.numbers()
    tables = (("card", N.cardinals), ("dmult", N.dual_multipliers), ("mult", N.multipliers),
              ("vague", N.vague), ("ord", N.ordinals), ("teen_unit", N.teen_units))
    for base in candidates(word):
        if "ك" in word[: len(word) - len(base)]:
            continue  # "كمية" is no ك + مية
        for cat, table in tables:
            if base in table:
                return cat, table[base], word[: len(word) - len(base)], base
        if base in N.vague_at_least:
            return "atleast", 0, word[: len(word) - len(base)], base
    for base in candidates(word, True):
        if base in N.fractions:
            return "frac", N.fractions[base], "", base
    return None


def _words(view: TextView, i: int, hi: int) -> Optional[NumberSpan]:
    info = _num_word(view.words[i])
    if info is None or _prev_word(view, i) in lexicon.numbers().name_particles:
        return None
    cat, value, prefix, base = info
    if value == 1 and _prev_word(view, i) == "كل":
        return None  # "كل واحد": each one
    if base in lexicon.numbers().hundreds and (prefix == "بال" or prefix == "ال" and _prev_word(view, i) == "في"):
        return None  # "بالمئة", "في المئة": per cent
    if cat == "ord":
        return _ordinal(view, i, hi, value, prefix, base)
    if cat == "frac":
        return _make(view, i, i + 1, value, kind="fraction")
    if cat == "atleast":
        return _vague(view, i + 1, hi, start=i, qualifier="at_least")
    if cat == "vague" or (cat == "mult" and base in lexicon.numbers().vague):
        return _vague(view, i, hi, start=i)
    if cat == "teen_unit":
        return _teen_unit(view, i, hi, value)
    if cat == "card" and value == 2 and prefix.endswith("ال") and base.startswith("اثن"):
        return None  # الاثنين is Monday
    return _cardinal(view, i, hi, cat, value, prefix)


def _teen_unit(view: TextView, i: int, hi: int, value: float) -> Optional[NumberSpan]:
    if i + 1 < hi and view.words[i + 1] in lexicon.numbers().teens:
        return _make(view, i, i + 2, value + 10)
    return None


def _vague(view: TextView, i: int, hi: int, start: int, qualifier: str = "") -> Optional[NumberSpan]:
    """عشرات، مئات، آلاف، العشرات، عشرات الآلاف، عدة آلاف."""
    if i >= hi:
        return None
    info = _num_word(view.words[i])
    if info is None or info[0] not in ("vague", "mult") or info[3] not in lexicon.numbers().vague:
        return None
    value, j = info[1], i + 1
    if j < hi:
        nxt = _num_word(view.words[j])
        if nxt and nxt[0] == "mult" and nxt[2] in ("", "ال") and nxt[1] > value:
            value, j = value * nxt[1], j + 1
    return _make(view, start, j, value, kind="vague", qualifier=qualifier,
                 definite=view.words[i].startswith("ال"))


def _cardinal(view, i, hi, cat, value, prefix) -> Optional[NumberSpan]:
    state = _Compose()
    state.start(cat, value)
    j = i + 1
    while j < hi:
        step = state.feed(view, j, hi)
        if not step:
            break
        j += step
    total = state.total + state.cur
    if not total:
        return None
    return _make(view, i, j, total, definite=prefix.endswith("ال") or prefix.endswith("لل"))


class _Compose:
    """Adds up a run of number words the way Arabic orders them (units before tens)."""

    __slots__ = ("total", "cur", "last", "last_mult")

    def start(self, cat: str, value: float) -> None:
        self.total, self.cur, self.last, self.last_mult = 0, 0, None, 10**12
        if cat == "card":
            self.cur = self.last = value
        else:  # ألف، مليون، ألفين at the start
            self.total = value * (2 if cat == "dmult" else 1)
            self.last_mult = value

    def feed(self, view: TextView, j: int, hi: int) -> int:
        """Tokens consumed by the continuation at ``j`` (0: the number ends before ``j``)."""
        N = lexicon.numbers()
        word = view.words[j]
        if word == "و" and j + 1 < hi:
            info = _num_word(view.words[j + 1])
            return 2 if info and info[2] == "" and self._add(info[0], info[1]) else 0
        info = _num_word(word)
        if info is None:
            return 0
        cat, value, prefix, base = info
        if prefix == "" and base in N.teens and self.last is not None and 1 <= self.last <= 9:
            self.cur, self.last = self.cur + 10, 10
            return 1
        if prefix == "" and base in N.hundreds and self.last is not None and 3 <= self.last <= 9:
            self.cur, self.last = self.cur + self.last * 99, 100
            return 1
        if prefix == "" and cat == "mult" and self.cur > 0 and value < self.last_mult:
            self.total, self.cur, self.last, self.last_mult = self.total + self.cur * value, 0, None, value
            return 1
        if prefix == "و":
            return 1 if self._add(cat, value) else 0
        return 0

    def _add(self, cat: str, value: float) -> bool:
        if cat in ("mult", "dmult"):
            if self.cur or value >= self.last_mult:
                return False
            self.total += value * (2 if cat == "dmult" else 1)
            self.last_mult, self.last = value, None
            return True
        if cat != "card" or not self._additive_ok(value):
            return False
        self.cur, self.last = self.cur + value, value
        return True

    def _additive_ok(self, value: float) -> bool:
        last = self.last
        if last is None:  # right after a multiplier: "ثلاثة آلاف وخمسمائة"
            return self.total > 0 and value < self.last_mult
        if last >= 100:  # "مئة وخمسون", "مئة وخمسة"
            return value < 100
        if 1 <= last <= 9:  # "خمسة وأربعين"
            return value in (20, 30, 40, 50, 60, 70, 80, 90)
        return False


def _ordinal(view, i, hi, value, prefix, base) -> Optional[NumberSpan]:
    N = lexicon.numbers()
    prev = _prev_word(view, i)
    if prev in N.month_ordinal_heads or (i > 0 and view.kinds[i - 1] == "n"):
        return None  # تشرين الأول; "30 ثانية" is a duration
    if not prefix and base in N.ordinal_bare_stop:
        return None
    if base == "اول" and (view.words[i + 1:i + 2] == ["امس"] or view.words[i + 1:i + 3] == ["من", "امس"]):
        return None  # أول من أمس, أول أمس: a date
    j = i + 1
    if j < hi and view.words[j] in N.teens:
        value, j = value + 10, j + 1
    elif j < hi and view.words[j].startswith("و"):
        info = _num_word(view.words[j])
        if info and info[0] == "card" and info[1] in (20, 30, 40, 50, 60, 70, 80, 90):
            value, j = value + info[1], j + 1
    return _make(view, i, j, value, kind="ordinal", definite="ال" in prefix)
