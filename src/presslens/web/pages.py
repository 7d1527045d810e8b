"""The HTML pages. Each list pages (``limit``/``offset``), exports (``format=csv`` or ``format=json``: every
row of the filtered list, not just the page) and is its own permalink (its filters are its GET query string).
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

import presslens.web.api as api
import presslens.web.corpus as corpus
import presslens.web.data as data
import presslens.web.facts as facts
import presslens.web.graph as graph
from presslens.web.data import Filters
from presslens.web.facts import FigureFilters
from presslens.web.markup import article_view
from presslens.web.views import (
    Limit,
    Offset,
    export,
    figure_filters,
    filters,
    filters_json,
    here,
    html,
    link,
    paging,
    with_params,
)

router = APIRouter(tags=["pages"])

Fmt = Annotated[
    Literal["html", "csv", "json"],
    Query(description="html (the page), or csv / json: every row of the filtered list, as a download."),
]
PAGE = {"response_class": HTMLResponse}
QUOTE_COLUMNS = [
    "article_id",
    "quote_id",
    "published",
    "outlet",
    "speaker",
    "kind",
    "content",
    "cue",
    "confidence",
    "title",
    "url",
    "near_dup_group",
]
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv", ".txt.gz", ".html.gz", ".jsonl.gz")


def error_page(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    titles = {400: "Bad request", 401: "Token required", 403: "Read-only", 404: "Not found", 405: "Not allowed"}
    titles |= {413: "Too large", 422: "Not valid", 429: "Too many requests"}
    resp = html(request, "error.html", status, status=status, title=titles.get(status, "Error"), detail=detail)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _state(request: Request) -> tuple[Any, Any]:
    return request.app.state.store, request.app.state.cache


def _permalink(request: Request, pairs: list[tuple[str, Any]], path: str | None = None) -> str:
    offset = request.query_params.get("offset")
    limit = request.query_params.get("limit")
    extra = [("limit", limit)] if limit and limit.strip() else []
    extra += [("offset", offset)] if offset and offset.strip() and offset.strip() != "0" else []
    return link(path or here(request), list(pairs) + extra)


# --------------------------------------------------------------------------------------------- overview


@router.get("/", summary="Overview", **PAGE)
def overview(request: Request, format: Fmt = "html") -> Response:
    store, cache = _state(request)
    ov = corpus.overview(store, cache)
    if format == "json":
        return export_json_object(ov, "overview")
    if format == "csv":
        return export(ov["techniques"], "csv", "technique-rates")
    return html(request, "overview.html", ov=ov, url=store.display_url())


def export_json_object(obj: Any, name: str) -> Response:
    import json

    return Response(
        json.dumps(obj, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
    )


# --------------------------------------------------------------------------------------------- articles


@router.get("/articles", summary="Articles", **PAGE)
def articles(
    request: Request,
    f: Annotated[Filters, Depends(filters)],
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    if format != "html":
        return export(data.export_rows(store, f, "articles"), format, "articles")
    page = data.list_articles(store, cache, f, limit, offset)
    return html(
        request,
        "articles.html",
        page=page,
        nav=paging(request, page),
        f=f,
        permalink=_permalink(request, f.params()),
        deleted=request.query_params.get("deleted"),
    )


@router.get("/articles/{article_id}", summary="An article, marked up", **PAGE)
def article(request: Request, article_id: Annotated[int, Path(ge=1, le=2**53)], format: Fmt = "html") -> Response:
    found = data.get_article(request.app.state.store, article_id)
    if found is None:
        raise HTTPException(404, f"There is no article {article_id} in this store.")
    if format == "json":
        return export_json_object(found, f"article-{article_id}")
    view = article_view(found["record"])
    if format == "csv":
        rows = [{k: v for k, v in q.items() if k not in ("spans", "cue_spans", "speaker_span")} for q in view["quotes"]]
        return export(rows, "csv", f"article-{article_id}-quotes")
    return html(
        request,
        "article.html",
        a=view,
        stored=found,
        fresh=False,
        can_write=bool(request.app.state.token),
    )


@router.post("/articles/{article_id}/delete", summary="Delete an article (form; needs the token)", **PAGE)
async def delete_article(request: Request, article_id: Annotated[int, Path(ge=1, le=2**53)]) -> Response:
    form = await request.form()
    given = form.get("token")
    api.check_token(request, given if isinstance(given, str) else None)
    deleted = await run_in_threadpool(data.delete_article, request.app.state.store, article_id)
    if not deleted:
        raise HTTPException(404, f"There is no article {article_id} in this store.")
    request.app.state.cache.clear()
    return RedirectResponse(f"/articles?deleted={article_id}", status_code=303)


# --------------------------------------------------------------------------------------------- quotes


@router.get("/quotes", summary="Quote search with filters and facets", **PAGE)
def quotes(
    request: Request,
    f: Annotated[Filters, Depends(filters)],
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    if format != "html":
        return export(data.export_rows(store, f, "quotes"), format, "quotes", QUOTE_COLUMNS)
    page = data.search_quotes(store, cache, f, limit, offset)
    return html(
        request,
        "quotes.html",
        page=page,
        nav=paging(request, page),
        f=f,
        facets=page.extra.get("facets", {}),
        permalink=_permalink(request, f.params()),
        outlets=[o["outlet"] for o in corpus.overview(store, cache)["outlets"]],
    )


# --------------------------------------------------------------------------------------------- actors


@router.get("/actors", summary="Actors", **PAGE)
def actors(
    request: Request,
    q: Annotated[str | None, Query(max_length=300)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    sort: Annotated[Literal["quotes", "articles", "name"], Query()] = "quotes",
    doubtful: Annotated[Literal["exclude", "include", "only"], Query()] = "exclude",
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    q = (q or "").replace("\x00", "").strip() or None
    kind = (kind or "").strip() or None
    if format != "html":
        page = graph.list_actors(store, cache, q, kind, data.EXPORT_MAX, 0, sort, doubtful)
        return export(page.items, format, "actors")
    page = graph.list_actors(store, cache, q, kind, limit, offset, sort, doubtful)
    pairs = [("q", q), ("kind", kind), ("sort", sort if sort != "quotes" else None),
             ("doubtful", doubtful if doubtful != "exclude" else None)]  # fmt: skip
    return html(
        request,
        "actors.html",
        page=page,
        nav=paging(request, page),
        q=q,
        kind=kind,
        sort=sort,
        doubtful=doubtful,
        permalink=_permalink(request, pairs),
    )


@router.get("/actors/{key:path}", summary="A speaker or actor", **PAGE)
def actor(
    request: Request,
    key: str,
    f: Annotated[Filters, Depends(filters)],
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    key = key.replace("\x00", "")
    if format != "html":
        found = graph.get_actor(store, cache, key, f, 1, 0)
        if found is None:
            raise HTTPException(404, "No actor or speaker with that name in this store.")
        rows = data.export_rows(store, f.with_(speaker=found["key"]), "quotes")
        name = "quotes-" + (re.sub(r"[^a-z0-9]+", "-", found["key"]).strip("-") or "actor")
        return export(rows, format, name, QUOTE_COLUMNS)
    found = graph.get_actor(store, cache, key, f, limit, offset)
    if found is None:
        raise HTTPException(404, "No actor or speaker with that name in this store.")
    page = found["quotes"]
    return html(
        request,
        "actor.html",
        actor=found,
        relations=facts.actor_relations(store, cache, found["key"], f.outlet),
        page=page,
        nav=paging(request, page),
        f=f,
        permalink=_permalink(request, f.params()),
    )


# --------------------------------------------------------------------------------------------- figures


@router.get("/figures", summary="Figures by speaker and by what they count", **PAGE)
def figures(
    request: Request,
    f: Annotated[FigureFilters, Depends(figure_filters)],
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    if format != "html":
        return export(facts.figure_rows(store, f, data.EXPORT_MAX), format, "figures")
    page = facts.figures(store, cache, f, limit, offset)
    return html(
        request,
        "figures.html",
        page=page,
        nav=paging(request, page),
        f=f,
        permalink=_permalink(request, f.params()),
        outlets=[o["outlet"] for o in corpus.overview(store, cache)["outlets"]],
    )


# --------------------------------------------------------------------------------------------- outlets, techniques


@router.get("/outlets", summary="Outlets compared", **PAGE)
def outlets(
    request: Request,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    dedup: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    s, u = api._range(since, until)
    if format != "html":
        return export(corpus.outlets(store, cache, s, u, dedup, data.EXPORT_MAX, 0).items, format, "outlets")
    page = corpus.outlets(store, cache, s, u, dedup, limit, offset)
    pairs = [("since", s), ("until", u), ("dedup", "true" if dedup else None)]
    return html(
        request,
        "outlets.html",
        page=page,
        nav=paging(request, page),
        since=s,
        until=u,
        dedup=dedup,
        permalink=_permalink(request, pairs),
    )


@router.get("/techniques", summary="Technique rates by voice", **PAGE)
def techniques(
    request: Request,
    outlet: Annotated[list[str] | None, Query()] = None,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    dedup: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    s, u = api._range(since, until)
    outlets_ = [o for o in outlet or [] if o.strip()]
    if format != "html":
        rows = api.techniques_page(store, cache, outlets_, s, u, dedup, data.EXPORT_MAX, 0).items
        return export(rows, format, "technique-rates")
    page = api.techniques_page(store, cache, outlets_, s, u, dedup, limit, offset)
    pairs = [("outlet", o) for o in outlets_] + [("since", s), ("until", u), ("dedup", "true" if dedup else None)]
    return html(
        request,
        "techniques.html",
        page=page,
        nav=paging(request, page),
        outlet=outlets_,
        since=s,
        until=u,
        dedup=dedup,
        permalink=_permalink(request, pairs),
        outlets=[o["outlet"] for o in corpus.overview(store, cache)["outlets"]],
    )


# --------------------------------------------------------------------------------------------- network


@router.get("/network", summary="The actor network", **PAGE)
def network(
    request: Request,
    outlet: Annotated[list[str] | None, Query()] = None,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    dedup: bool = False,
    focus: Annotated[str | None, Query(max_length=300)] = None,
    nodes: Annotated[int, Query(ge=2, le=200)] = 40,
    min_weight: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = "html",
) -> Response:
    store, cache = _state(request)
    f = api.network_filters(outlet, since, until, dedup)
    focus = (focus or "").replace("\x00", "").strip() or None
    net = graph.network(store, cache, f, focus, nodes, min_weight)
    names = {n["id"]: n["name"] for n in net["nodes"]}
    edges = [
        {**e, "source_name": names.get(e["source"], e["source"]), "target_name": names.get(e["target"], e["target"])}
        for e in net["edges"]
    ]
    if format != "html":
        return export(edges, format, "network-edges")
    page = data.Page(edges[offset : offset + limit], len(edges), limit, offset)
    pairs: list[tuple[str, Any]] = [(k, v) for k, v in f.params() if k != "dedup"]
    pairs += [("dedup", "true" if dedup else None), ("focus", focus)]
    pairs += [("nodes", nodes if nodes != 40 else None), ("min_weight", min_weight if min_weight != 1 else None)]
    return html(
        request,
        "network.html",
        net=net,
        page=page,
        nav=paging(request, page),
        f=f,
        focus=focus,
        nodes=nodes,
        min_weight=min_weight,
        permalink=_permalink(request, pairs),
        api_url=link("/api/network", pairs),
        filters=filters_json(f),
        outlets=[o["outlet"] for o in corpus.overview(store, cache)["outlets"]],
    )


# --------------------------------------------------------------------------------------------- analyse


@router.get("/analyze", summary="Analyse a text (form)", **PAGE)
def analyze_form(request: Request) -> Response:
    return html(request, "analyze.html", form={}, message=None, can_write=bool(request.app.state.token))


@router.post("/analyze", summary="Analyse a pasted text or an uploaded file; store it on request", **PAGE)
async def analyze(request: Request) -> Response:
    api.rate_limit(request)
    max_body = request.app.state.max_body
    try:
        form = await request.form(max_files=1, max_fields=20, max_part_size=max_body)
    except Exception as exc:
        raise HTTPException(400, f"The form could not be read: {exc}") from None
    fields = {k: str(v).replace("\x00", "").strip() for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    want_store = fields.get("store") in ("1", "on", "true", "yes")

    def again(status: int, message: str) -> Response:
        ctx = {k: v for k, v in fields.items() if k != "token"}
        return html(
            request,
            "analyze.html",
            status,
            form=ctx,
            message=message,
            can_write=bool(request.app.state.token),
        )

    if want_store:
        api.check_token(request, fields.get("token"))
    doc: Any
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read()
        if not raw.strip():
            return again(400, "The uploaded file is empty.")
        doc = await run_in_threadpool(_read_upload, raw, upload.filename, max_body)
        if isinstance(doc, str):
            return again(422, doc)
    else:
        text = (form.get("text") if isinstance(form.get("text"), str) else "") or ""
        text = str(text).replace("\x00", "")
        if not text.strip():
            return again(400, "Paste a text or choose a file to analyse.")
        from presslens.inputs import Document

        doc = Document(text=text, source="web/paste")
    for name in ("title", "url", "outlet", "author", "published"):
        if fields.get(name):
            setattr(doc, name, fields[name][:4000])
    try:
        if want_store:
            article_id, how = await run_in_threadpool(api.store_document, request, doc)
            return RedirectResponse(f"/articles/{article_id}?stored={how}", status_code=303)
        rec = await run_in_threadpool(api.analyse, request, doc)
    except HTTPException as exc:
        if exc.status_code == 422:
            return again(422, str(exc.detail))
        raise
    return html(request, "article.html", a=article_view(rec), stored=None, fresh=True, can_write=False)


def _read_upload(raw: bytes, filename: str, max_body: int) -> Any:
    """The first document of an uploaded file, read by the presslens readers as a file of that type; or a
    message saying why not."""
    from presslens.inputs import Document, iter_inputs

    lower = filename.lower()
    suffix = next((s for s in sorted(UPLOAD_SUFFIXES, key=len, reverse=True) if lower.endswith(s)), ".txt")
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(filename))[:100] or "upload"
    with tempfile.TemporaryDirectory(prefix="presslens-upload-") as tmp:
        path = os.path.join(tmp, "upload" + suffix)
        with open(path, "wb") as fh:
            fh.write(raw)
        for item in iter_inputs([path], max_bytes=max_body):
            if isinstance(item, Document):
                item.source = f"upload/{safe_name}"
                return item
            return f"The file could not be read: {item.kind}: {item.message.replace(path, safe_name)}"
    return "The file holds no article."


# --------------------------------------------------------------------------------------------- docs


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/docs", summary="The API reference (self-contained)", **PAGE)
def docs(request: Request) -> Response:
    spec = request.app.openapi()
    ops = []
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary") or "",
                    "description": op.get("description") or "",
                    "tags": op.get("tags") or [],
                    "params": [
                        {
                            "name": p.get("name"),
                            "in": p.get("in"),
                            "required": p.get("required", False),
                            "type": _schema_type(p.get("schema") or {}),
                            "description": p.get("description") or (p.get("schema") or {}).get("description") or "",
                        }
                        for p in op.get("parameters") or []
                    ],
                    "body": "requestBody" in op,
                    "secured": bool(op.get("security")),
                    "responses": sorted((op.get("responses") or {}).keys()),
                }
            )
    api_ops = [o for o in ops if "api" in o["tags"]]
    page_ops = [o for o in ops if "api" not in o["tags"]]
    return html(request, "docs.html", spec=spec, api_ops=api_ops, page_ops=page_ops)


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_schema_type(schema.get('items') or {})}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    return str(schema.get("type") or schema.get("$ref", "").rsplit("/", 1)[-1] or "any")


__all__ = ["error_page", "router", "with_params"]
