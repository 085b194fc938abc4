"""What several commands share beyond output flags: the per-command --db and --executor options."""
from __future__ import annotations

from typing import Any, Optional

import click

with_db = click.option("--db", "db_option", default=None, metavar="URL",
                         help="Database, when not given to rasid itself.")


def db_url(obj: Any, given: Optional[str]) -> str:
    """--db on this command, else the group's (which already fell back on RASID_DB and settings)."""
    return given or obj.db_url


def _set_executor(ctx: click.Context, _param: Any, value: Optional[str]) -> Optional[str]:
    if value:
        ctx.obj.settings = ctx.obj.settings.replace("executor", kind=value)
    return value


with_executor = click.option(
    "--executor", type=click.Choice(["local", "dask"]), default=None, expose_value=False, callback=_set_executor,
    help="Where cleaning, extraction and story building run: local (this machine's process pool) or dask "
         "(RASID_SCHEDULER's cluster, else a LocalCluster of executor.dask_workers). Default: [executor] kind.")
