"""Helpers shared by the pages and the API: query strings (filters, permalinks, paging links), exports, and
what the templates may call."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from presslens.version import __version__
from presslens.web.data import KINDS, NEGATED, TECHNIQUES, Filters, Page
from presslens.web.facts import FigureFilters
from presslens.web.markup import actor_path, safe_url

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000

# ------------------------------------------------------------------------------------------ parameters

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def _clean(value: str | None, limit: int = 500) -> str | None:
    """A query-string value without NULs and surrounding space; None when empty; 422 when too long."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        raise HTTPException(422, f"a value is longer than {limit} characters")
    return value or None


def parse_date(value: str | None, name: str) -> date | None:
    value = _clean(value, 40)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def filters(
    q: Annotated[
        str | None,
        Query(description='Full text: words (all must appear, stemmed), "a phrase", a OR b, -word.'),
    ] = None,
    speaker: Annotated[str | None, Query(description="A speaker's name or alias (any case).")] = None,
    outlet: Annotated[list[str] | None, Query(description="Outlets (repeatable; any case).")] = None,
    since: Annotated[str | None, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Published on or before (YYYY-MM-DD).")] = None,
    kind: Annotated[list[str] | None, Query(description="Quote kinds: direct, indirect, mixed (repeatable).")] = None,
    technique: Annotated[list[str] | None, Query(description="Techniques voiced (repeatable).")] = None,
    dedup: Annotated[bool, Query(description="One article per group of near-duplicates.")] = False,
    negated: Annotated[
        str | None,
        Query(
            description='Quotes of what a source did not say ("declined to comment"): exclude (default), '
            "include (each marked) or only."
        ),
    ] = None,
    unsure: Annotated[
        str | None,
        Query(
            description="Quotes of low confidence (most likely narration, or a speaker left unresolved): exclude "
            "(default), include or only."
        ),
    ] = None,
) -> Filters:
    """The filters of a quote or article list (a FastAPI dependency). Empty values are ignored, as HTML forms
    send them."""
    kinds = tuple(dict.fromkeys(k for k in (_clean(x, 20) for x in kind or []) if k))
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise HTTPException(422, f"kind: {bad[0]!r} is not one of {', '.join(KINDS)}")
    said = _clean(negated, 20) or "exclude"
    if said not in NEGATED:
        raise HTTPException(422, f"negated: {said!r} is not one of {', '.join(NEGATED)}")
    sure = _clean(unsure, 20) or "exclude"
    if sure not in NEGATED:
        raise HTTPException(422, f"unsure: {sure!r} is not one of {', '.join(NEGATED)}")
    return Filters(
        q=_clean(q),
        speaker=_clean(speaker, 300),
        outlet=tuple(dict.fromkeys(o for o in (_clean(x, 300) for x in outlet or []) if o)),
        since=parse_date(since, "since"),
        until=parse_date(until, "until"),
        kind=kinds,
        technique=tuple(dict.fromkeys(t for t in (_clean(x, 100) for x in technique or []) if t)),
        dedup=dedup,
        negated=said,
        unsure=sure,
    )


def figure_filters(
    outlet: Annotated[list[str] | None, Query(description="Outlets (repeatable; any case).")] = None,
    since: Annotated[str | None, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Published on or before (YYYY-MM-DD).")] = None,
    speaker: Annotated[str | None, Query(description="Who gives the figure: a name or alias (any case).")] = None,
    counts: Annotated[str | None, Query(description="What the figure counts contains this, e.g. members.")] = None,
    dedup: Annotated[bool, Query(description="One article per group of near-duplicates.")] = False,
) -> FigureFilters:
    """The filters of the figures page (a FastAPI dependency); empty values are ignored."""
    return FigureFilters(
        outlet=tuple(dict.fromkeys(o for o in (_clean(x, 300) for x in outlet or []) if o)),
        since=parse_date(since, "since"),
        until=parse_date(until, "until"),
        speaker=_clean(speaker, 300),
        counts=_clean(counts, 300),
        dedup=dedup,
    )


# ------------------------------------------------------------------------------------------ links


def query_string(pairs: Iterable[tuple[str, Any]]) -> str:
    return urlencode([(k, str(v)) for k, v in pairs if v is not None and v != ""])


def link(path: str, pairs: Iterable[tuple[str, Any]] = ()) -> str:
    qs = query_string(pairs)
    return f"{path}?{qs}" if qs else path


def current_pairs(request: Request, drop: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The request's query pairs, empty values and ``drop`` left out (in their order)."""
    dropped = set(drop)
    return [(k, v) for k, v in request.query_params.multi_items() if v.strip() and k not in dropped]


def here(request: Request) -> str:
    """The request's path, percent-encoded again (an actor key may hold spaces, '?' or '#')."""
    return quote(request.url.path, safe="/")


def with_params(request: Request, path: str | None = None, **changes: Any) -> str:
    """This request's URL (or ``path`` with its query) with some parameters replaced (None removes them)."""
    pairs = current_pairs(request, drop=changes)
    pairs += [(k, v) for k, v in changes.items() if v is not None]
    return link(path or here(request), pairs)


def paging(request: Request, page: Page, path: str | None = None) -> dict[str, Any]:
    """Links and numbers for a page of a list: next/prev/first/last as relative URLs (None where none)."""
    limit, offset, total = page.limit, page.offset, page.total
    nxt = with_params(request, path, offset=offset + limit) if offset + limit < total else None
    prev = with_params(request, path, offset=max(0, offset - limit) or None) if offset > 0 else None
    last_offset = ((total - 1) // limit) * limit if total else 0
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": nxt,
        "prev": prev,
        "first": with_params(request, path, offset=None) if offset > 0 else None,
        "last": with_params(request, path, offset=last_offset or None) if offset < last_offset else None,
        "page": offset // limit + 1,
        "pages": max(1, (total + limit - 1) // limit),
        "start": offset + 1 if total else 0,
        "end": min(offset + limit, total),
    }


def api_page(request: Request, page: Page, **extra: Any) -> dict[str, Any]:
    """The JSON of a page of a list: totals, next/prev links and the items."""
    p = paging(request, page)
    return {
        "total": p["total"],
        "limit": p["limit"],
        "offset": p["offset"],
        "next": p["next"],
        "prev": p["prev"],
        **extra,
        "items": page.items,
    }


def filters_json(f: Filters) -> dict[str, Any]:
    return {
        "q": f.q,
        "speaker": f.speaker,
        "outlet": list(f.outlet),
        "since": f.since.isoformat() if f.since else None,
        "until": f.until.isoformat() if f.until else None,
        "kind": list(f.kind),
        "technique": list(f.technique),
        "dedup": f.dedup,
        "negated": f.negated,
        "unsure": f.unsure,
    }


# ------------------------------------------------------------------------------------------ exports

def _cell(value: Any) -> Any:
    """A CSV cell: nested values as JSON; text that a spreadsheet would run as a formula gets a leading ' (the
    store's ``defuse``, which ``presslens export`` uses too)."""
    from presslens.store.export import defuse

    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return defuse(value)


def export(rows: Iterable[dict[str, Any]], fmt: str, name: str, columns: list[str] | None = None) -> StreamingResponse:
    """A list as a CSV or JSON download, streamed."""
    if fmt == "csv":
        return StreamingResponse(
            _csv(rows, columns),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return StreamingResponse(
        _json(rows),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
    )


def _csv(rows: Iterable[dict[str, Any]], columns: list[str] | None) -> Iterator[str]:
    buf = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buf, fieldnames=columns or list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in row.items()})
        if buf.tell() > 1 << 16:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    if writer is None and columns:
        csv.DictWriter(buf, fieldnames=columns).writeheader()
    yield buf.getvalue()


def _json(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


# ------------------------------------------------------------------------------------------ templates


def nice(technique: Any) -> str:
    """A technique's readable name ("Name calling or labelling" for ``Name_Calling,Labeling``)."""
    from presslens.techniques.names import label

    return label(str(technique or ""))


def num(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) or digits:
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def month_range(month: str) -> tuple[str, str] | None:
    """("YYYY-MM-01", "YYYY-MM-last") for a "YYYY-MM" facet value, or None."""
    import calendar

    try:
        y, m = int(month[:4]), int(month[5:7])
        last = calendar.monthrange(y, m)[1]
    except (ValueError, IndexError, calendar.IllegalMonthError):
        return None
    return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}"


def chips(path: str, f: Filters) -> list[dict[str, str]]:
    """The active filters, each with a link to the same list without it."""
    pairs = f.params()
    out = []
    for i, (k, v) in enumerate(pairs):
        label = {"q": "text", "dedup": "near-duplicates", "negated": "did not say", "unsure": "less certain"}.get(k, k)
        value = "one per group" if k == "dedup" else (nice(v) if k == "technique" else v)
        out.append({"label": label, "value": value, "remove": link(path, pairs[:i] + pairs[i + 1 :])})
    return out


def template_globals() -> dict[str, Any]:
    return {
        "safe_url": safe_url,
        "actor_path": actor_path,
        "link": link,
        "with_params": with_params,
        "paging": paging,
        "chips": chips,
        "month_range": month_range,
        "KINDS": KINDS,
        "TECHNIQUES": TECHNIQUES,
        "version": __version__,
        "max": max,
        "min": min,
    }


def template_filters() -> dict[str, Any]:
    return {"nice": nice, "num": num, "pct": pct}


# --------------------------------------------------------------------------------------------- rendering


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resources.files("presslens.web") / "templates")),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(template_globals())
    env.filters.update(template_filters())
    return env


def html(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    body = env.get_template(template).render(request=request, **context)
    return HTMLResponse(body, status_code=status_code)
