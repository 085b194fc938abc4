"""The one loader of the data files shipped in rasid/data (lexicons, gazetteer, models).

Every module reads its data through these functions, by a name relative to rasid/data
("lexicons/numbers.json"), so the files can move without touching their readers and each file
is read from the package once (the text is cached; parsed JSON is a fresh copy per call).
A missing file is a broken install, and the error says so and names the file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rasid.errors import ConfigError

__all__ = ["location", "path", "exists", "text", "lines", "load_json"]


def _entry(name: str):
    return resources.files("rasid").joinpath("data", *name.split("/"))


def exists(name: str) -> bool:
    """True when rasid/data/``name`` is shipped."""
    return _entry(name).is_file()


def location(name: str) -> Path:
    """Where rasid/data/``name`` is (or would be) on the file system, whether or not it exists."""
    return Path(str(_entry(name)))


def path(name: str) -> Path:
    """The file system path of rasid/data/``name``, for readers that need one (gzip, crfsuite)."""
    if not exists(name):
        raise ConfigError(f"the data file rasid/data/{name} is missing from the installed package; "
                          "reinstall rasid (pip install --force-reinstall rasid) or restore the file")
    return location(name)


@lru_cache(maxsize=None)
def text(name: str) -> str:
    """The UTF-8 text of rasid/data/``name``."""
    return path(name).read_text(encoding="utf-8")


def lines(name: str, comment: str = "#") -> list[str]:
    """The non-blank lines of a text file, stripped, without the ones opening with ``comment``."""
    out = (line.strip() for line in text(name).splitlines())
    return [line for line in out if line and not line.startswith(comment)]


def load_json(name: str) -> Any:
    """The parsed JSON of rasid/data/``name`` (a new object each call: callers may change it)."""
    return json.loads(text(name))
