"""Rasid (راصد): Arabic news reports in, a sourced record of conflict and displacement events out.

    >>> from rasid import open_store, load_settings, ingest, analyse
    >>> store = open_store("sqlite:///rasid.db")
    >>> report = ingest(store, ["../shared/corpus/seeds"], load_settings())
    >>> analyse(store, load_settings(), report.changed_ids)
"""
import importlib
import logging

__version__ = "0.1.0"
__all__ = [
    "__version__", "open_store", "load_settings", "ingest", "analyse", "extract_article",
    "build_story", "Article", "Extraction", "Story", "Event", "Claim", "RasidError",
]

# Names resolved on first use, so that `import rasid` stays light.
_LAZY = {
    "open_store": "rasid.store", "load_settings": "rasid.settings", "ingest": "rasid.pipeline",
    "analyse": "rasid.pipeline", "extract_article": "rasid.extract.run",
    "build_story": "rasid.reconcile", "Article": "rasid.models", "Extraction": "rasid.models",
    "Story": "rasid.models", "Event": "rasid.models", "Claim": "rasid.models", "RasidError": "rasid.errors",
}

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rasid' has no attribute {name!r}")
