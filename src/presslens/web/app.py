"""The newsroom app: FastAPI with server-rendered Jinja2 pages (autoescaped), a JSON API under /api/, and a
self-contained API reference at /docs (no asset from outside: FastAPI's own docs pages, which load theirs
from a CDN, are switched off).

``create_app(db, token=..., max_body=..., rate=..., burst=...)``; ``presslens serve`` runs it with uvicorn.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import presslens.web.api as api
import presslens.web.corpus as corpus
import presslens.web.pages as pages
import presslens.web.views as views
from presslens.store import Store
from presslens.version import __version__
from presslens.web.data import Cache
from presslens.web.security import BodyLimit, HeadAsGet, RateLimiter, SecurityHeaders, TrustedHosts

TOKEN_ENV = "PRESSLENS_TOKEN"
MAX_BODY = 2 * 1024 * 1024
HERE = resources.files("presslens.web")

Analyser = Callable[[Any], dict[str, Any]]


def default_analyser(accurate: bool = False) -> Analyser:
    """Analyse one Document with the presslens pipeline; one analysis at a time (spaCy is loaded once).
    *accurate*: technique spans from the accurate span tagger over MPNet states (``load_nlp(accurate=True)``)."""
    lock = threading.Lock()
    loaded: dict[str, Any] = {}

    def run(doc: Any) -> dict[str, Any]:
        from presslens.record.pipeline import analyze_many, load_nlp

        with lock:
            if accurate and "nlp" not in loaded:
                loaded["nlp"] = load_nlp(accurate=True)
            return next(iter(analyze_many([doc], nlp=loaded.get("nlp"))))

    return run


def create_app(
    db: str | None = None,
    *,
    store: Store | None = None,
    token: str | None = None,
    max_body: int = MAX_BODY,
    rate: float = 0.2,
    burst: int = 5,
    analyser: Analyser | None = None,
    cache_check_every: float = 1.0,
    warm: bool = False,
    accurate: bool = False,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The app over the store at ``db`` (a URL or SQLite path; default $PRESSLENS_DB or ./presslens.db) or over
    an open ``store``.

    ``token``: the write token (default $PRESSLENS_TOKEN; none: read-only). ``max_body``: the largest request
    body in bytes (413 over it). ``rate``/``burst``: the analysis rate limit per client (requests per second,
    and at once). ``analyser``: Document -> record (default: the presslens pipeline). ``warm``: compute the
    corpus figures in the background at once (``presslens serve`` does). ``accurate``: the default analyser
    finds technique spans with the accurate span tagger over MPNet states (``presslens serve --accurate``).
    ``allowed_hosts``: the host names answered (others get 400; ``*.example.org`` for subdomains); None answers
    any (``presslens serve`` always gives its list: 127.0.0.1, localhost, ::1, the bind address, --allowed-host).
    """
    if store is None:
        store = Store.open(db, create=False)
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    app = FastAPI(
        title="presslens newsroom",
        version=__version__,
        description=(
            "Read-only by default: the articles, quotes, actors and outlets of a presslens store as JSON. "
            "Lists page with `limit` and `offset` and give `total`, `next` and `prev`. Writing (`POST "
            "/api/articles`, `DELETE /api/articles/{id}`) needs `Authorization: Bearer TOKEN` (the server's "
            "PRESSLENS_TOKEN). Pages tagged *pages* are HTML; add `format=csv` or `format=json` to a list "
            "page to export it."
        ),
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.store = store
    app.state.cache = Cache(store, check_every=cache_check_every)
    app.state.token = token
    app.state.max_body = max_body
    app.state.limiter = RateLimiter(rate, burst)
    app.state.analyse = analyser or default_analyser(accurate)
    app.state.templates = views.templates()
    if warm:
        app.state.cache.warm(lambda: corpus.overview(store, app.state.cache))


    import presslens.web.techhelp as techhelp

    app.include_router(api.router)
    app.include_router(techhelp.router)  # /techniques/help before pages' routes
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return pages.error_page(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": str(e.get("type"))} for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        lines = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in errors)
        return pages.error_page(request, 422, f"Some of the request's values are not valid: {lines}")

    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(HeadAsGet)
    app.add_middleware(TrustedHosts, allowed=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"
