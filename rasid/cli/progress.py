"""Progress bars for long work: count, rate and time left on stderr (tqdm), silent when stderr is
not a terminal or with -q.

    bar = progress_bar(total, unit="articles")   # total None: count and rate, no time left
    bar(500)                                     # 500 more done
    bar.stage("stories")                         # what it is doing now, after the rate
    bar.close()
"""
from __future__ import annotations

import gzip
import lzma
import sys
import threading
from pathlib import Path
from typing import Optional, TextIO

_LINES = {".jsonl": 0, ".ndjson": 0, ".csv": 1, ".tsv": 1}  # records a line, less a header line
_OPAQUE = {".json", ".xml", ".rss", ".atom"}  # how many records is not known without parsing
_COMPRESSED = {".gz": gzip.open, ".xz": lzma.open}


class Progress:
    """A callback (``bar(count)``) over a tqdm bar; the total may come later (``set_total``)."""

    def __init__(self, bar):
        self.bar = bar

    def __call__(self, count: int) -> None:
        self.bar.update(count)

    @property
    def enabled(self) -> bool:
        return not self.bar.disable

    def set_total(self, total: Optional[int]) -> None:
        if total is not None and self.enabled:
            self.bar.total = total
            self.bar.refresh()

    def stage(self, name: str) -> None:
        """Name what the work is doing now (analysis: extract, then stories) beside the bar's title."""
        if self.enabled:
            self.bar.set_postfix_str(name, refresh=True)

    def close(self) -> None:
        self.bar.close()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress_bar(total: Optional[int] = None, unit: str = "articles", desc: str = "", quiet: bool = False,
                 stream: Optional[TextIO] = None) -> Progress:
    """A bar on ``stream`` (stderr), shown only when it is a terminal and not ``quiet``."""
    from tqdm import tqdm

    stream = stream or sys.stderr
    shown = not quiet and hasattr(stream, "isatty") and stream.isatty()
    return Progress(tqdm(total=total, unit=f" {unit}", desc=desc or None, disable=not shown, file=stream,
                         dynamic_ncols=True, mininterval=0.25, smoothing=0.1, leave=False))


def count_in_background(progress: Progress, inputs: list[str]) -> None:
    """Count the records of ``inputs`` beside the work and give the bar its total (time left) when known."""
    if progress.enabled:
        threading.Thread(target=lambda: progress.set_total(count_records(inputs)), daemon=True).start()


def count_records(inputs: list[str]) -> Optional[int]:
    """About how many records ``rasid ingest`` will read from ``inputs``; None when it cannot tell."""
    total = 0
    for name in inputs:
        if name == "-" or name.startswith(("http://", "https://")):
            return None
        path = Path(name)
        files = [p for p in path.rglob("*") if p.is_file() and not any(
            part.startswith(".") for part in p.relative_to(path).parts)] if path.is_dir() else [path]
        for file in files:
            found = _records_in(file)
            if found is None:
                return None
            total += found
    return total


def _records_in(path: Path) -> Optional[int]:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    opener = _COMPRESSED.get(suffixes[-1]) if suffixes else None
    inner = (suffixes[-2] if len(suffixes) > 1 else "") if opener else (suffixes[-1] if suffixes else "")
    if inner in _OPAQUE:
        return None
    if inner not in _LINES:
        return 1 if path.is_file() else 0
    try:
        with (opener or open)(path, "rb") as handle:
            lines, last = 0, b"\n"
            while chunk := handle.read(1 << 20):
                lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    except (OSError, EOFError, lzma.LZMAError):
        return None
    return max(lines + (last != b"\n") - _LINES[inner], 0)
