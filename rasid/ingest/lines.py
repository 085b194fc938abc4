"""Line by line: a file split into lines of bounded size, each decoded on its own.

One damaged line never costs the rest of a file. A line whose bytes do not match the file's
encoding is repaired or read in the encoding it is really in, always with a note that names it,
never silently:

- a few bytes that are not UTF-8 in an otherwise UTF-8 line (a stray 0xFF) are replaced by
  U+FFFD, the rest of the line is kept as it is;
- a Windows-1256 line in a UTF-8 file (or a UTF-8 line in a Windows-1256 file) is read in its own
  encoding;
- anything else (a line of mixed or unknown bytes) is refused with its number.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator, Union

from rasid.errors import EncodingError
from rasid.ingest.decode import SNIFF_BYTES, detect_encoding, is_cp1256

_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
              (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
WIDE_BOMS = tuple(bom for bom, _ in _WIDE_BOMS)
_CHUNK = 65_536
REPLACED = "{n} byte(s) not valid {enc} replaced by U+FFFD"
AS_CP1256 = "read as Windows-1256: the line is not UTF-8 like the rest of the file"
AS_UTF8 = "read as UTF-8: the line is not Windows-1256 like the rest of the file"


class TooLong:
    """A line longer than the limit: skipped without being held in memory."""

    def __init__(self, size: int):
        self.size = size


Line = Union[bytes, TooLong]


@dataclass
class Decoded:
    """A whole text decoded line by line, with a note for each line that was not clean."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def wide_encoding(sample: bytes, name: str) -> tuple[str, int]:
    """UTF-16/32 with an explicit byte order, and the length of the BOM to skip."""
    for bom, explicit in _WIDE_BOMS:
        if sample.startswith(bom) and explicit.startswith(name):
            return explicit, len(bom)
    return (name if name.endswith(("-le", "-be")) else name + "-le"), 0


def codec_name(name: str) -> str:
    """The codec's own name ("UTF8" -> "utf-8", "windows-1256" -> "cp1256"); EncodingError if unknown."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise EncodingError(f"unknown encoding '{name}'") from None


def unit_of(name: str) -> int:
    return 4 if name.startswith("utf-32") else 2 if name.startswith("utf-16") else 1


def split_lines(stream: BinaryIO, name: str, limit: int) -> Iterator[Line]:
    """The raw lines of ``stream`` (newline kept), in code units of ``name``; a line over ``limit``
    bytes comes out as TooLong."""
    unit = unit_of(name)
    if unit == 1:
        yield from _byte_lines(stream, limit)
    else:
        yield from _unit_lines(stream, "\n".encode(name), unit, limit)


def _byte_lines(stream: BinaryIO, limit: int) -> Iterator[Line]:
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            yield TooLong(len(line) + _skip_line(stream))
        else:
            yield line


def _skip_line(stream: BinaryIO) -> int:
    skipped = 0
    while True:
        chunk = stream.readline(_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _unit_lines(stream: BinaryIO, newline: bytes, unit: int, limit: int) -> Iterator[Line]:
    buffer, skipping, skipped = b"", False, 0
    while True:
        chunk = stream.read(_CHUNK)
        searched = len(buffer) - len(buffer) % unit  # no newline before this: search only the new bytes
        buffer += chunk
        start = 0
        while (end := _aligned_find(buffer, newline, max(start, searched), unit)) >= 0:
            line, start = buffer[start:end + unit], end + unit
            if skipping:
                yield TooLong(skipped + len(line))
                skipping, skipped = False, 0
            elif len(line) > limit:
                yield TooLong(len(line))
            else:
                yield line
        buffer = buffer[start:]
        if len(buffer) > limit:
            skipping, skipped, buffer = True, skipped + len(buffer) - len(buffer) % unit, buffer[len(buffer) - len(buffer) % unit:]
        if not chunk:
            if skipping:
                yield TooLong(skipped + len(buffer))
            elif buffer:
                yield buffer
            return


def _aligned_find(data: bytes, newline: bytes, start: int, unit: int) -> int:
    while (at := data.find(newline, start)) >= 0:
        if at % unit == 0:
            return at
        start = at + 1
    return -1


class LineDecoder:
    """Decodes the lines of one file: ``(text, note)`` for each, or EncodingError for a line that
    cannot be read. ``forced`` (--encoding) decodes strictly in that encoding, no guessing."""

    def __init__(self, name: str, forced: bool = False):
        self.name, self.forced = name, forced

    def __call__(self, raw: bytes) -> tuple[str, str]:
        if self.forced:
            return _strict(raw, self.name), ""
        if self.name in ("utf-8", "utf-8-sig", "ascii"):
            return _utf8_line(raw)
        if self.name == "cp1256":
            return _cp1256_line(raw)
        return _repairable(raw, self.name)


def _strict(raw: bytes, name: str) -> str:
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"byte {exc.start} is not valid {name}") from None
    except LookupError:
        raise EncodingError(f"unknown encoding '{name}'") from None


def _utf8_line(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    good = sum(1 for c in text if c > "\x7f") - text.count("\ufffd")
    if good and bad <= max(2, good // 10):
        return text, REPLACED.format(n=bad, enc="UTF-8")
    if good <= bad // 4 and is_cp1256(raw):
        return raw.decode("cp1256"), AS_CP1256
    if not good and bad <= 2:
        return text, REPLACED.format(n=bad, enc="UTF-8")
    raise EncodingError(f"{bad} bytes are not valid UTF-8 and the line is not Windows-1256 Arabic either")


def _cp1256_line(raw: bytes) -> tuple[str, str]:
    if raw.isascii():
        return raw.decode("ascii"), ""
    try:
        text = raw.decode("utf-8")
        if sum(1 for c in text if c > "\x7f") >= 2:
            return text, AS_UTF8
    except UnicodeDecodeError:
        pass
    return raw.decode("cp1256"), ""


def _repairable(raw: bytes, name: str) -> tuple[str, str]:
    """UTF-16/32 and the like: a lone surrogate or two is repaired, more is refused."""
    try:
        return raw.decode(name), ""
    except UnicodeDecodeError:
        pass
    except LookupError:
        raise EncodingError(f"unknown encoding '{name}'") from None
    text = raw.decode(name, "replace")
    bad = text.count("\ufffd") - raw.decode(name, "ignore").count("\ufffd")
    if bad <= max(2, len(text) // 100):
        return text, REPLACED.format(n=bad, enc=name.upper())
    raise EncodingError(f"{bad} code units are not valid {name}")


def decode_lines(data: bytes, name: str, forced: bool = False) -> Decoded:
    """A whole text (a report, at most max_article_bytes) decoded line by line."""
    import io

    name = codec_name(name)
    if unit_of(name) > 1:
        name, bom = wide_encoding(data, name)
        data = data[bom:]
    decoder, parts, notes = LineDecoder(name, forced), [], {}
    for number, raw in enumerate(split_lines(io.BytesIO(data), name, len(data) + 1), 1):
        try:
            text, note = decoder(raw)
        except EncodingError as exc:
            raise EncodingError(f"line {number}: {exc}") from None
        parts.append(text)
        if note:
            notes.setdefault(note, []).append(number)
    return Decoded("".join(parts), name, [f"{_line_ranges(n)}: {note}" for note, n in notes.items()])


def _line_ranges(numbers: list[int]) -> str:
    """[3, 5, 6, 7] -> "lines 3, 5-7"."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans[:20])
    return ("line " if len(numbers) == 1 else "lines ") + text + (", ..." if len(spans) > 20 else "")


def has_utf8_lines(data: bytes, minimum: int = 2) -> bool:
    """Whether some line of ``data`` is valid UTF-8 with at least ``minimum`` non-ASCII characters:
    evidence that a file which is not UTF-8 as a whole was meant to be."""
    for raw in data.split(b"\n"):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if sum(1 for c in text if c > "\x7f") >= minimum:
            return True
    return False



def decode_text(data: bytes, fallback: str = "", encoding: str = "") -> Decoded:
    """A whole report: its encoding detected, then decoded line by line (see the module docstring).
    ``encoding`` (--encoding) forces one, strictly; EncodingError names the line that fails."""
    if encoding:
        return decode_lines(data, encoding, forced=True)
    try:
        name = detect_encoding(data[:SNIFF_BYTES], fallback)
    except EncodingError:
        name = ""
    if name.startswith(("utf-16", "utf-32")):
        explicit, bom = wide_encoding(data, name)
        return decode_lines(data[bom:], explicit)
    body = data[len(codecs.BOM_UTF8):] if name == "utf-8-sig" else data
    if name in ("utf-8", "utf-8-sig") or has_utf8_lines(body):
        try:
            return Decoded(body.decode("utf-8"), name)
        except UnicodeDecodeError:
            decoded = decode_lines(body, "utf-8")
            decoded.encoding = name or "utf-8"
            return decoded
    if not name:
        raise EncodingError("the text is neither UTF-8, UTF-16 nor Windows-1256 Arabic")
    return decode_lines(body, name, forced=name != "cp1256")
