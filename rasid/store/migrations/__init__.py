"""Named migrations: ``<backend>/NNNN_name.sql`` files applied once each, in name order."""
from __future__ import annotations

from importlib import resources
from typing import Iterator


def pending_migrations(backend: str, done: set[str]) -> Iterator[tuple[str, str]]:
    folder = resources.files(__package__).joinpath(backend)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = entry.name.removesuffix(".sql")
        if entry.name.endswith(".sql") and name not in done:
            yield name, entry.read_text(encoding="utf-8")
