"""What every route needs, built once per app: the read model, settings, paging and ingest hook."""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from rasid.api.settings import ServeSettings
from rasid.store.base import Store
from rasid.views.params import page_dependency
from rasid.views.reader import ReadModel

IngestHook = Callable[[Store, list[dict[str, Any]]], Any]


class ApiContext(ReadModel):
    """The read model plus what only a server has: its settings, the page size and the ingest hook."""

    def __init__(self, settings: ServeSettings, store: Store, ingest: Optional[IngestHook] = None):
        super().__init__(store, catalog_max_age=settings.catalog_max_age)
        self.settings = settings
        self.ingest = ingest
        self.page = page_dependency(settings.page_size, settings.max_page_size)

    def endpoint(self, warm: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Fit a plain (sync) handler to the store. A threaded store (PostgreSQL: each query is a
        round trip to the server) keeps it sync, so FastAPI runs it in its thread pool and the
        event loop goes on parsing and answering other requests meanwhile. Any other store
        (SQLite: a query takes a millisecond of this process's CPU, less than a thread hop) gets
        an ``async`` wrapper that calls it on the event loop. ``warm``: the handler reads the
        catalog, brought up to date first (in a worker thread on the event-loop path)."""
        def fit(handler: Callable[..., Any]) -> Callable[..., Any]:
            if self.store.threaded:
                if not warm:
                    return handler

                @functools.wraps(handler)
                def warmed(*args: Any, **kwargs: Any) -> Any:
                    self.catalog.fresh()
                    return handler(*args, **kwargs)
                return warmed

            @functools.wraps(handler)
            async def inline(*args: Any, **kwargs: Any) -> Any:
                if warm:
                    await self.warm()
                return handler(*args, **kwargs)
            return inline
        return fit
