"""What a reader yields: a raw record to build an article from, or the reason one was refused."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from rasid.models import Rejection


@dataclass
class RawRecord:
    origin: str  # "path", "path:line 17", "https://…"
    text: str
    title: Optional[str] = None  # None: the cleaner takes the headline from the text itself
    outlet: str = ""
    url: str = ""
    author: str = ""
    published: Optional[str] = None  # as the source gave it; parsed by rasid.ingest.identity
    published_field: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


Item = Union[RawRecord, Rejection]
