"""``create_app(settings, store)``: the API under /api/ and the web UI at /, built on demand, never at import.

The one place that puts ``rasid.api`` and ``rasid.web`` together; neither imports the other.
"""
from __future__ import annotations

from typing import Optional

from fastapi import FastAPI

from rasid.api.app import build_api, secure
from rasid.api.deps import IngestHook
from rasid.api.settings import ServeSettings
from rasid.store.base import Store
from rasid.web import install_web

__all__ = ["ServeSettings", "create_app"]


def create_app(settings: ServeSettings, store: Store, ingest: Optional[IngestHook] = None,
               web: bool = True) -> FastAPI:
    """Build the application. ``ingest(store, records)`` is the pipeline hook behind POST /api/articles."""
    app = build_api(settings, store, ingest)
    html_error = None
    if web:
        ctx = app.state.ctx
        html_error = install_web(app, ctx, ctx.page)
    return secure(app, settings, html_error)
