"""extract_article pauses Python's cycle collector while it reads an article and leaves it as it found it."""
from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from rasid.extract.run import extract_article
from rasid.models import Article

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds" / "000_53797e54239e2537.txt"


def _article() -> Article:
    return Article(id="seed0", text=SEED.read_text(encoding="utf-8"), published="2021-08-26")


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        x = extract_article(_article())
        assert x.figures and x.events
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_collector_is_off_during_extraction_and_on_after_threads():
    seen: list[bool] = []
    import rasid.extract.run as run

    original = run.find_figures

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    run.find_figures = spy
    try:
        threads = [threading.Thread(target=extract_article, args=(_article(),)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        run.find_figures = original
    assert seen == [False] * 4
    assert gc.isenabled()


def test_same_result_with_collector_paused_or_not():
    a = extract_article(_article()).to_dict()
    gc.disable()
    try:
        b = extract_article(_article()).to_dict()
    finally:
        gc.enable()
    assert a == b
