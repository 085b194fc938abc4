"""Storage behind one small interface, chosen by URL: ``open_store("sqlite:///rasid.db")``."""
from rasid.store.base import Store, open_store, resolve_url

__all__ = ["Store", "open_store", "resolve_url"]
