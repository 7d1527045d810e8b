"""The JSON API under /api/: the data of every page, paged, plus analysis and (with the token) writing."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

import presslens.web.corpus as corpus
import presslens.web.data as data
import presslens.web.facts as facts
import presslens.web.graph as graph
from presslens.web.data import Filters
from presslens.web.facts import FigureFilters
from presslens.web.security import client_id, token_matches
from presslens.web.views import Limit, Offset, api_page, figure_filters, filters, filters_json, parse_date

router = APIRouter(prefix="/api", tags=["api"])
_bearer = HTTPBearer(auto_error=False, description="The server's PRESSLENS_TOKEN.")

ArticleId = Annotated[int, Path(ge=1, le=2**53, description="The stored article's id.")]
Day = Annotated[str | None, Query(description="YYYY-MM-DD")]
Outlets = Annotated[list[str] | None, Query(description="Outlets (repeatable).")]


class ArticleIn(BaseModel):
    """An article to analyse: its text and what is known about it."""

    text: str = Field(min_length=1, description="The article text (analysed verbatim).")
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=500)
    author: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=64, description="ISO 8601.")
    id: str | None = Field(None, max_length=200, description="The article's own id, if it has one.")


class Stored(BaseModel):
    id: int
    stored: Literal["new", "known"]
    location: str


# --------------------------------------------------------------------------------------------- guards


def check_token(request: Request, given: str | None) -> None:
    """403 when the server has no token (read-only), 401 unless ``given`` is the token."""
    configured = request.app.state.token
    if not configured:
        raise HTTPException(403, "Writing is disabled: the server was started without PRESSLENS_TOKEN.")
    if not token_matches(configured, given):
        raise HTTPException(401, "A valid token is required to write.", headers={"WWW-Authenticate": "Bearer"})


def writer(request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None) -> None:
    check_token(request, creds.credentials if creds else None)


def rate_limit(request: Request) -> None:
    wait = request.app.state.limiter.take(client_id(request.scope))
    if wait:
        retry = "3600" if math.isinf(wait) else str(max(1, math.ceil(wait)))
        raise HTTPException(
            429, f"Too many analyses from this client: try again in {retry} s.", headers={"Retry-After": retry}
        )


def document(body: ArticleIn, source: str) -> Any:
    from presslens.inputs import Document

    if not body.text.strip():
        raise HTTPException(422, "The text is empty.")
    return Document(
        text=body.text.replace("\x00", ""),
        source=source,
        id=body.id or None,
        title=body.title or None,
        url=body.url or None,
        outlet=body.outlet or None,
        author=body.author or None,
        published=body.published or None,
    )


def analyse(request: Request, doc: Any) -> dict[str, Any]:
    rec = request.app.state.analyse(doc)
    if "error" in rec:
        err = rec["error"]
        raise HTTPException(422, f"The text could not be analysed: {err.get('kind')}: {err.get('message')}")
    return rec


def store_document(request: Request, doc: Any) -> tuple[int, str]:
    """Store a document as ``presslens ingest`` would: known (by URL, else by text) means nothing to do;
    otherwise analyse it and write it through the store's ingest path. (id, "new" or "known")."""
    from presslens.store import content_hash
    from presslens.store.ingest import ingest_records

    store = request.app.state.store
    digest = content_hash(doc.text)
    known = data.find_article(store, doc.url, digest)
    if known is not None:
        return known, "known"
    rec = analyse(request, doc)
    stats = ingest_records(store, [rec], batch_size=1)
    if stats.errors:
        raise HTTPException(500, "The article could not be stored: " + "; ".join(stats.error_sources))
    request.app.state.cache.clear()
    found = data.find_article(store, doc.url, digest)
    if found is None:  # pragma: no cover - stored a moment ago
        raise HTTPException(500, "The article was stored but cannot be found.")
    return found, "new" if stats.loaded else "known"


# --------------------------------------------------------------------------------------------- reading


def _state(request: Request) -> tuple[Any, Any]:
    return request.app.state.store, request.app.state.cache


def _routes(routes: list[Any]) -> list[Any]:
    """Every route, those of included routers too (FastAPI 0.165 keeps an included router as one entry)."""
    out: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _routes(list(inner.routes)) if inner is not None else [route]
    return out


@router.get("/", summary="The API's routes: method, path and what each returns")
def api_index(request: Request) -> dict[str, Any]:
    routes = []
    for route in _routes(request.app.routes):
        path = getattr(route, "path", "")
        if not path.startswith("/api/"):
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                routes.append({"method": method, "path": path, "summary": getattr(route, "summary", None)})
    return {"api": "presslens", "docs": "/docs", "openapi": "/openapi.json", "routes": routes}


@router.get("/overview", summary="Totals, outlets, dates, top speakers and technique rates")
def api_overview(request: Request) -> dict[str, Any]:
    store, cache = _state(request)
    return corpus.overview(store, cache)


@router.get("/articles", summary="Articles, filtered and paged (newest first; by relevance with q)")
def api_articles(
    request: Request, f: Annotated[Filters, Depends(filters)], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    store, cache = _state(request)
    page = data.list_articles(store, cache, f, limit, offset)
    return api_page(request, page, filters=filters_json(f))


@router.get("/articles/{article_id}", summary="One stored article: its presslens/1 record and store metadata")
def api_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    found = data.get_article(request.app.state.store, article_id)
    if found is None:
        raise HTTPException(404, f"No article {article_id}.")
    return found


@router.get("/quotes", summary="Quotes: full text and filters, with facets, paged")
def api_quotes(
    request: Request, f: Annotated[Filters, Depends(filters)], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    store, cache = _state(request)
    page = data.search_quotes(store, cache, f, limit, offset)
    return api_page(request, page, filters=filters_json(f), facets=page.extra.get("facets", {}))


ActorSort = Literal["quotes", "articles", "name"]
Doubtful = Annotated[
    Literal["exclude", "include", "only"],
    Query(
        description="Names whose best actor confidence is under the level the record lists actors at (most likely "
        "no actor: products, events, fragments of names): left out (exclude, the default), kept, or only these."
    ),
]


@router.get("/actors", summary="Actors across articles (one per name key), paged")
def api_actors(
    request: Request,
    q: Annotated[str | None, Query(max_length=300, description="Part of the name.")] = None,
    kind: Annotated[
        Literal["person", "organization", "country", "group", "other"] | None, Query(description="Actor kind.")
    ] = None,
    sort: ActorSort = "quotes",
    doubtful: Doubtful = "exclude",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    store, cache = _state(request)
    name = (q or "").replace("\x00", "").strip() or None
    page = graph.list_actors(store, cache, name, kind, limit, offset, sort, doubtful)
    return api_page(request, page)


@router.get(
    "/actors/{key:path}",
    summary="A speaker or actor: quotes over time, titles and roles by outlet, relations and their conflicts",
)
def api_actor(
    request: Request,
    key: Annotated[str, Path(description="The actor's name key (any case), e.g. 'michael milstein'.")],
    f: Annotated[Filters, Depends(filters)],
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    store, cache = _state(request)
    found = graph.get_actor(store, cache, key.replace("\x00", ""), f, limit, offset)
    if found is None:
        raise HTTPException(404, "No actor or speaker with that name in the store.")
    page = found["quotes"]  # (the cached dict itself is left as it is)
    relations = facts.actor_relations(store, cache, found["key"], f.outlet)
    return {**found, "quotes": api_page(request, page, filters=filters_json(f)), "relations": relations}


@router.get("/figures", summary="Figures, filtered and paged (newest first), counted by speaker and by what they count")
def api_figures(
    request: Request, f: Annotated[FigureFilters, Depends(figure_filters)], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    store, cache = _state(request)
    page = facts.figures(store, cache, f, limit, offset)
    return api_page(request, page, filters=f.json(), **page.extra)


def _range(since: str | None, until: str | None) -> tuple[Any, Any]:
    return parse_date(since, "since"), parse_date(until, "until")


@router.get("/outlets", summary="Outlets compared: quotes, sources and technique rates by voice")
def api_outlets(
    request: Request,
    since: Day = None,
    until: Day = None,
    dedup: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    store, cache = _state(request)
    s, u = _range(since, until)
    return api_page(request, corpus.outlets(store, cache, s, u, dedup, limit, offset))


@router.get("/techniques", summary="Technique rates per 1,000 words, in the outlets' own voice and in quotes")
def api_techniques(
    request: Request,
    outlet: Outlets = None,
    since: Day = None,
    until: Day = None,
    dedup: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    store, cache = _state(request)
    s, u = _range(since, until)
    page = techniques_page(store, cache, outlet, s, u, dedup, limit, offset)
    return api_page(request, page)


def techniques_page(
    store: Any, cache: Any, outlet: list[str] | None, since: Any, until: Any, dedup: bool, limit: int, offset: int
) -> data.Page:
    c = corpus.corpus(store, cache)
    wanted = {o.casefold() for o in outlet or [] if o.strip()}
    arts = [
        a
        for a in c.articles.values()
        if corpus._in_range(a, since, until, dedup) and (not wanted or (a.outlet or "").casefold() in wanted)
    ]
    rows = corpus.technique_rates(c, arts)
    return data.Page(rows[offset : offset + limit], len(rows), limit, offset)


@router.get("/network", summary="Who is quoted alongside and about whom: nodes and weighted edges")
def api_network(
    request: Request,
    outlet: Outlets = None,
    since: Day = None,
    until: Day = None,
    dedup: bool = False,
    focus: Annotated[str | None, Query(max_length=300, description="Only this actor and its neighbours.")] = None,
    nodes: Annotated[int, Query(ge=2, le=200, description="At most this many actors.")] = 40,
    min_weight: Annotated[int, Query(ge=1, le=10_000, description="Only edges this heavy.")] = 1,
) -> dict[str, Any]:
    store, cache = _state(request)
    f = network_filters(outlet, since, until, dedup)
    focus = (focus or "").replace("\x00", "").strip() or None
    return {"filters": filters_json(f), "focus": focus, **graph.network(store, cache, f, focus, nodes, min_weight)}


def network_filters(outlet: list[str] | None, since: str | None, until: str | None, dedup: bool) -> Filters:
    s, u = _range(since, until)
    outlets = tuple(dict.fromkeys(o.replace("\x00", "").strip() for o in outlet or [] if o.strip()))
    return Filters(outlet=outlets, since=s, until=u, dedup=dedup)


# --------------------------------------------------------------------------------------------- analysis, writing


@router.post(
    "/analyze",
    summary="Analyse a text without storing it: its presslens/1 record (rate-limited per client)",
    dependencies=[Depends(rate_limit)],
)
def api_analyze(request: Request, body: ArticleIn) -> dict[str, Any]:
    return analyse(request, document(body, "api"))


@router.post(
    "/articles",
    summary="Analyse and store an article (needs the token; rate-limited)",
    status_code=201,
    dependencies=[Depends(writer), Depends(rate_limit)],
)
def api_store(request: Request, response: Response, body: ArticleIn) -> Stored:
    article_id, how = store_document(request, document(body, "api"))
    location = f"/api/articles/{article_id}"
    response.headers["Location"] = location
    if how == "known":
        response.status_code = 200
    return Stored(id=article_id, stored=how, location=location)  # type: ignore[arg-type]


@router.delete(
    "/articles/{article_id}",
    summary="Delete a stored article and its rows (needs the token)",
    status_code=204,
    dependencies=[Depends(writer)],
)
def api_delete(request: Request, article_id: ArticleId) -> Response:
    if not data.delete_article(request.app.state.store, article_id):
        raise HTTPException(404, f"No article {article_id}.")
    request.app.state.cache.clear()
    return Response(status_code=204)
