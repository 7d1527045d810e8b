"""Export a store's tables as CSV, JSON Lines or Parquet, streaming (a corpus need not fit in memory).

``articles``, ``quotes``, ``actors``, ``techniques``, ``figures``, ``claims``, ``relations``: the table's
columns, each row but an article's with the article's ``outlet``, ``published`` and ``url`` alongside. JSON
columns stay nested in JSON Lines and are JSON text in CSV and Parquet. ``records``: the stored ``presslens/1``
records, one per article: JSON Lines exactly as ``presslens analyze`` prints them, or Parquet with a ``record``
column that ``presslens ingest`` loads again without analysis. ``dedup`` keeps only the first article of each
near-duplicate group (and its rows).

In CSV, a text cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) gets a leading ``'``, as the web app's exports do: article text is untrusted.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any, Literal

from sqlalchemy import Boolean, Float, Integer, Select, func, select

from presslens.store import Store
from presslens.store.models import Actor, Article, Claim, Figure, Quote, Relation, Technique

__all__ = ["EXPORTS", "defuse", "export"]

What = Literal["articles", "quotes", "actors", "techniques", "figures", "claims", "relations", "records"]
Format = Literal["csv", "jsonl", "parquet"]
EXPORTS = ("articles", "quotes", "actors", "techniques", "figures", "claims", "relations", "records")
_MODELS: dict[str, Any] = {
    "quotes": Quote,
    "actors": Actor,
    "techniques": Technique,
    "figures": Figure,
    "claims": Claim,
    "relations": Relation,
}

_ARTICLE_CONTEXT = (Article.outlet, Article.published, Article.url)
_JSON_COLUMNS = {
    "record",
    "ignored",
    "titles",
    "roles",
    "aliases",
    "mentions",
    "spans",
    "cue_spans",
    "speaker_span",
    "span",
    "counts_span",
    "evidence",
}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 1000


def _statement(what: str, dedup: bool) -> Select[Any]:
    if what in ("articles", "records"):
        cols = (
            [Article.record] if what == "records" else [c for c in Article.__table__.columns if c.name != "record"]  # type: ignore[attr-defined]
        )
        stmt = select(*cols).order_by(Article.id)
    else:
        model = _MODELS[what]
        table_cols = list(model.__table__.columns)  # type: ignore[attr-defined]
        if what == "techniques":  # how readers see it: "possible <readable name>" (score: its probability)
            table_cols.append(_shown_as())
        stmt = (
            select(*table_cols, *_ARTICLE_CONTEXT)
            .join(Article, Article.id == model.article_id)
            .order_by(model.article_id, model.id)
        )
    if dedup:
        stmt = stmt.where(Article.id == func.coalesce(Article.near_dup_group, Article.id))
    return stmt


def _shown_as() -> Any:
    """SQL for a technique row's ``shown_as`` column: "possible name calling or labelling" (never a verdict)."""
    from sqlalchemy import case, literal

    from presslens.techniques.names import LABELS

    readable = {k: v[:1].lower() + v[1:] for k, v in LABELS.items()}
    return (literal("possible ") + case(readable, value=Technique.technique, else_=Technique.technique)).label(
        "shown_as"
    )


def _rows(store: Store, stmt: Select[Any]) -> Iterator[dict[str, Any]]:
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=_CHUNK).execute(stmt)
        for row in result:
            yield dict(row._mapping)


def _plain(value: Any, name: str, *, nested: bool) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if name in _JSON_COLUMNS and not nested:
        return json.dumps(value, ensure_ascii=False) if value is not None else None
    return value


def defuse(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @``, a tab or a CR gets a
    leading ``'``; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def export(store: Store, what: str, fmt: str, out: str | IO[str], *, dedup: bool = False) -> int:
    """Write ``what`` in ``fmt`` to ``out`` (a path, or a text stream for csv/jsonl); the number of rows."""
    if what not in EXPORTS:
        raise ValueError(f"cannot export {what!r}: choose one of {', '.join(EXPORTS)}")
    stmt = _statement(what, dedup)
    rows = _rows(store, stmt)
    if fmt == "parquet":
        if not isinstance(out, str):
            raise ValueError("Parquet is written to a file: give -o FILE")
        return _parquet(rows, out, stmt)
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown format {fmt!r}: choose csv, jsonl or parquet")
    if isinstance(out, str):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return _text(rows, fh, fmt, what)
    return _text(rows, out, fmt, what)


def _text(rows: Iterator[dict[str, Any]], fh: IO[str], fmt: str, what: str) -> int:
    n = 0
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        n += 1
        if fmt == "jsonl":
            payload = row["record"] if what == "records" else {k: _plain(v, k, nested=True) for k, v in row.items()}
            fh.write(json.dumps(payload, ensure_ascii=False) + "\n")
            continue
        flat = {k: defuse(_plain(v, k, nested=False)) for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(fh, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)
    return n


def _parquet(rows: Iterator[dict[str, Any]], path: str, stmt: Select[Any]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(stmt)
    n = 0
    chunk: list[dict[str, Any]] = []
    with pq.ParquetWriter(path, schema) as writer:
        for row in rows:
            n += 1
            chunk.append({k: _plain(v, k, nested=False) for k, v in row.items()})
            if len(chunk) >= _CHUNK:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk.clear()
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    return n


def _arrow_schema(stmt: Select[Any]) -> Any:
    """Integers, floats and booleans as such; everything else (text, dates, JSON) as strings."""
    import pyarrow as pa

    fields = []
    for col in stmt.selected_columns:
        if isinstance(col.type, Integer):
            t = pa.int64()
        elif isinstance(col.type, Float):
            t = pa.float64()
        elif isinstance(col.type, Boolean):
            t = pa.bool_()
        else:
            t = pa.string()
        fields.append(pa.field(col.name, t))
    return pa.schema(fields)
