"""What every route needs, built once per app: the read model, settings, paging and ingest hook."""
from __future__ import annotations

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
