"""The JSON HTTP API: ``build_api(settings, store)``; ``rasid.app.create_app`` adds the web UI."""
from rasid.api.app import build_api
from rasid.api.settings import ServeSettings

__all__ = ["ServeSettings", "build_api"]
