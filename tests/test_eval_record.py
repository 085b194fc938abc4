"""The record gold (tests/gold) is frozen, and `rasid eval figures` / `rasid eval events` score against it."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

GOLD = Path(__file__).parent / "gold"


def _sums() -> list[tuple[str, str]]:
    rows = (line.split() for line in (GOLD / "SHA256SUMS").read_text(encoding="utf-8").splitlines() if line.strip())
    return [(name, digest) for digest, name in rows]


@pytest.mark.parametrize("name,digest", _sums())
def test_gold_file_is_frozen(name, digest):
    data = (GOLD / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest, (
        f"tests/gold/{name} changed after the gold was frozen; a gold set is fixed before Rasid is scored on it")


def test_every_frozen_gold_file_is_listed():
    assert {n for n, _ in _sums()} == {"reports.jsonl", "figures.txt", "figures.jsonl", "seed_events.json"}
