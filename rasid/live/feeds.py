"""What to poll: feed URLs given on the command line, or files listing them one per line."""
from __future__ import annotations

from pathlib import Path

from rasid.errors import InputError

_URL = ("http://", "https://")


def feed_urls(arguments: list[str]) -> list[str]:
    """Every feed URL, in order, once. A file lists URLs one per line; blank lines and # comments are skipped."""
    urls: list[str] = []
    for argument in arguments:
        urls += [argument] if argument.startswith(_URL) else _listed(Path(argument))
    if not urls:
        raise InputError(f"no feed URL in {', '.join(arguments)}; give https://... URLs or a file listing them")
    return list(dict.fromkeys(urls))


def _listed(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError(f"'{path}' is neither a URL (https://...) nor a file listing feed URLs; check the argument")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the feed list '{path}': {exc}; give a UTF-8 text file, one URL a line") from None
    if lines and lines[0].lstrip().startswith("<"):
        raise InputError(f"'{path}' looks like a feed itself, not a list of feed URLs; "
                         "ingest it with 'rasid ingest', or put it in a folder and 'rasid watch' it")
    urls = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(_URL):
            raise InputError(f"line {number} of '{path}' is not a feed URL: {line!r}; write one http(s):// URL a line")
        urls.append(line)
    return urls
