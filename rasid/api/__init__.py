"""The JSON HTTP API (and the web UI it serves): ``create_app(settings, store)``."""
from rasid.api.app import create_app
from rasid.api.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
