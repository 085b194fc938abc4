"""What several commands share beyond output flags: the per-command --db option."""
from __future__ import annotations

from typing import Any, Optional

import click

with_db = click.option("--db", "db_option", default=None, metavar="URL",
                         help="Database, when not given to rasid itself.")


def db_url(obj: Any, given: Optional[str]) -> str:
    """--db on this command, else the group's (which already fell back on RASID_DB and settings)."""
    return given or obj.db_url
