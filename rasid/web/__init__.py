"""The web UI: server-rendered Arabic (right-to-left) pages with an English toggle, and an offline map."""
from __future__ import annotations

from importlib import resources
from typing import Callable

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from rasid.views.params import Page
from rasid.views.reader import ReadModel
from rasid.web import pages, safety


def install_web(app: FastAPI, model: ReadModel, page: Callable[..., Page]) -> Callable[[Request, int, str], Response]:
    """Mount the pages (reading ``model``, paged by the ``page`` dependency) and static files on ``app``;
    returns the HTML error renderer for the error handlers."""
    root = resources.files("rasid.web")
    env = Environment(loader=FileSystemLoader(str(root / "templates")), autoescape=True,  # article text is data
                      finalize=safety.contain)  # no bidi control in a value acts past it
    env.filters.update(safety.FILTERS)
    templates = Jinja2Templates(env=env)
    render = pages.Renderer(templates)
    app.mount("/static", StaticFiles(directory=str(root / "static")), name="static")
    app.include_router(pages.build(model, page, render))

    def html_error(request: Request, status: int, message: str):
        return render(request, "error.html", "", status=status, status_code=status, message=message)

    return html_error


__all__ = ["install_web"]
