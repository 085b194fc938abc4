"""CSV rows from decoded lines, with strict quoting: a bad row is refused alone.

A quoted field may span lines (article text often does), so an unterminated quote would swallow
the rows after it. Parsing is strict (a quote must close before a delimiter or the end of the
line), and a row that breaks it, or grows past the size of one record, is refused with the line
it starts on; reading resumes on the next line, so the rows after it are kept.
"""
from __future__ import annotations

import csv
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator, Union

from rasid.models import Rejection

_QUOTE_FIX = "close the quote on that row (a \" inside a field is written \"\"); the rows after it were read"


@dataclass
class Row:
    line: int  # the line the row starts on
    cells: list[str]
    note: str = ""  # a decoding note for one of its lines


class _BadLine(Exception):
    def __init__(self, rejection: Rejection):
        self.rejection = rejection


class _TooBig(Exception):
    pass


class _Lines:
    """The lines csv.reader pulls, remembering those of the row being read so that a bad row can
    be given back, all but its first line, to be read again."""

    def __init__(self, lines: Iterator, limit: int):
        self.lines, self.limit = lines, limit
        self.pending: deque = deque()
        self.taken: list[tuple[int, str, str]] = []
        self.size = 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.pending.popleft() if self.pending else next(self.lines)
        if isinstance(line, Rejection):
            raise _BadLine(line)
        self.taken.append(line)
        self.size += len(line[1])
        if self.size > self.limit:
            raise _TooBig()
        return line[1]

    def row(self, cells: list[str]) -> Row:
        note = "; ".join(n for _, _, n in self.taken if n)
        row = Row(self.taken[0][0], cells, note)
        self.taken, self.size = [], 0
        return row

    def give_back(self) -> int:
        """Forget the row being read, keeping its lines after the first; its first line number."""
        first = self.taken[0][0] if self.taken else 0
        self.pending.extendleft(reversed(self.taken[1:]))
        self.taken, self.size = [], 0
        return first


def csv_rows(lines: Iterable, origin: str, delimiter: str, limit: int) -> Iterator[Union[Row, Rejection]]:
    """Rows of cells (the header first), and a Rejection for each row or line that cannot be read."""
    source = _Lines(iter(lines), limit)
    while True:
        try:
            for cells in csv.reader(source, delimiter=delimiter, strict=True):
                if cells:
                    yield source.row(cells)
                else:
                    source.row(cells)
            return
        except _BadLine as bad:
            first = source.give_back()
            if first:
                yield _rejected(origin, first, f"a line of it cannot be read ({bad.rejection.origin})")
            yield bad.rejection
        except _TooBig:
            first = source.give_back()
            yield Rejection(f"{origin}:{first}", f"the row starting on line {first} runs past {limit:,} bytes, "
                            "more than one record may take: most often a quote that is never closed", _QUOTE_FIX)
        except csv.Error as exc:
            first = source.give_back()
            yield _rejected(origin, first, _why(exc))


def _why(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "a quote opened on it is never closed"
    if "expected after" in text:
        return f"a quote closes in the middle of a field ({text})"
    return f"not CSV: {text}"


def _rejected(origin: str, first: int, why: str) -> Rejection:
    return Rejection(f"{origin}:{first}", f"the row starting on line {first} is refused: {why}", _QUOTE_FIX)
