"""The presslens newsroom: a web app and a REST API over a presslens store (``presslens serve``, docs/web.md).

    from presslens.web import create_app
    app = create_app("sqlite:///corpus.db")          # an ASGI app (FastAPI); run it with uvicorn

Importing this package is cheap: FastAPI and the templates load only when an app is made, so that the
``presslens`` command line (which imports :mod:`presslens.cli.web` to register ``serve``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db: str | None = None, **options: Any) -> FastAPI:
    """The newsroom app over the store at ``db`` (see :func:`presslens.web.app.create_app`)."""
    from presslens.web.app import create_app as make

    return make(db, **options)
