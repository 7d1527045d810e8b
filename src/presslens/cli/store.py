"""Store commands of the ``presslens`` CLI: ingest, search, export, errors, stats (see docs/store.md).

Imported by ``presslens.cli`` (its command-module block); each command registers on its ``app``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from presslens.cli.app import app

if TYPE_CHECKING:
    from presslens.store import Store


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="PRESSLENS_DB",
        help="Store: a SQLite path or sqlite:///PATH, or postgresql://USER@HOST/DB. Default ./presslens.db.",
    ),
]


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportWhat(str, Enum):
    articles = "articles"
    quotes = "quotes"
    actors = "actors"
    techniques = "techniques"
    figures = "figures"
    claims = "claims"
    relations = "relations"
    records = "records"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class NotSaid(str, Enum):
    exclude = "exclude"
    include = "include"
    only = "only"


class SearchIn(str, Enum):
    quotes = "quotes"
    articles = "articles"
    figures = "figures"
    claims = "claims"
    relations = "relations"


_FACT_COLUMNS = {
    "figures": [
        ("published", "published"),
        ("outlet", "outlet"),
        ("speaker_name", "given by"),
        ("text", "figure"),
        ("unit", "unit"),
        ("counts", "counts"),
        ("title", "article"),
    ],
    "claims": [
        ("published", "published"),
        ("outlet", "outlet"),
        ("speaker_name", "source"),
        ("score", "check-worthy"),
        ("text", "claim"),
        ("title", "article"),
    ],
    "relations": [
        ("outlet", "outlet"),
        ("published", "published"),
        ("subject_name", "subject"),
        ("relation", "relation"),
        ("object_name", "object"),
        ("negated", "negated"),
        ("voice", "voice"),
        ("speaker_name", "said by"),
        ("text", "evidence"),
    ],
}


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def _store(db: str | None, *, create: bool) -> Iterator[Store]:
    """The open store; a store that cannot be opened or a database error is one line on stderr, exit 2."""
    from sqlalchemy.exc import SQLAlchemyError

    from presslens.store import Store, StoreError

    try:
        store = Store.open(db, create=create)
    except StoreError as exc:
        _err().print(f"presslens: {exc}", style="red", markup=False)
        raise typer.Exit(2) from None
    try:
        yield store
    except SQLAlchemyError as exc:
        detail = (str(exc.orig) if getattr(exc, "orig", None) else str(exc)).strip().splitlines()[0]
        _err().print(f"presslens: database error ({store.display_url()}): {detail}", style="red", markup=False)
        raise typer.Exit(2) from None
    finally:
        store.close()


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _emit(rows: list[dict[str, Any]], fmt: OutFormat, columns: list[tuple[str, str]], title: str) -> None:
    """Rows as a Rich table (article text is untrusted: never markup), a JSON array, or CSV, on stdout."""
    if fmt is OutFormat.json:
        print(json.dumps([{k: _jsonable(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=2))
        return
    if fmt is OutFormat.csv:  # cells a spreadsheet would run as formulas get a leading ' (as in `export`)
        from presslens.store.export import defuse

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [c for c, _ in columns])
        w.writeheader()
        for r in rows:
            w.writerow({k: defuse(_jsonable(v)) for k, v in r.items()})
        return
    from rich.table import Table
    from rich.text import Text

    from presslens.record.render import _clip, _safe

    tty = sys.stdout.isatty()
    table = Table(title=title, expand=tty, show_lines=False)
    for _, header in columns:
        table.add_column(header, overflow="fold")
    for r in rows:
        table.add_row(*[_safe(_clip(str(r[c]), 300) if r.get(c) is not None else "") for c, _ in columns])
    console = Console(highlight=False, width=None if tty else 160)
    console.print(table if rows else Text("no results"))


# --------------------------------------------------------------------------------------------- ingest


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files, directories, - for stdin, or Parquet shards of records (a file or a directory)."),
    ],
    db: DbOption = None,
    reanalyze: Annotated[bool, typer.Option(help="Analyse known articles again and replace their rows.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Analyse in this many processes (presslens.parallel).")] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            help="Analyse on a Dask cluster: a scheduler ADDRESS, or 'local' for a local cluster (of --workers "
            "processes when given, else one per CPU)."
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per commit (and per spaCy batch).")] = 16,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")] = 10_000_000,
    accurate: Annotated[
        bool,
        typer.Option(
            help="Find technique spans with the slower, more accurate span tagger and resolve pronouns, both over "
            "the MPNet encoder, here, in the --workers processes and on --dask (make install-accurate)."
        ),
    ] = False,
) -> None:
    """Analyse inputs into a store, skipping articles it already holds (known by URL, else by text)."""
    from presslens.store.ingest import count_inputs
    from presslens.store.ingest import ingest as run_ingest

    err = _err()
    if accurate:
        try:  # fail now, with a clear message, not in every worker
            from presslens.coref.model import accurate_scorer
            from presslens.techniques.detector import accurate_model

            accurate_model()
            accurate_scorer().encoder()
        except (ValueError, RuntimeError, ImportError, OSError) as exc:
            err.print(f"presslens: --accurate: {exc}", markup=False)
            raise typer.Exit(2) from exc
    options: dict[str, Any] = {
        "reanalyze": reanalyze,
        "workers": workers,
        "dask": dask,
        "batch_size": batch_size,
        "max_bytes": max_bytes,
        "stdin": sys.stdin.buffer if "-" in inputs else None,
        "nlp_options": {"accurate": True} if accurate else None,
    }
    with _store(db, create=True) as store:
        try:
            if sys.stderr.isatty():
                with _progress(err, count_inputs(inputs)) as (on_item, warn):
                    stats = run_ingest(store, inputs, on_item=on_item, warn=warn, **options)
            else:
                stats = run_ingest(store, inputs, **options)
        except KeyboardInterrupt:
            err.print("presslens: interrupted; what was committed stays: run the same command to finish")
            raise typer.Exit(130) from None
    for line in stats.error_sources[:20]:
        err.print(f"presslens: {line}", markup=False)
    if len(stats.error_sources) > 20:
        err.print(f"presslens: ... and {len(stats.error_sources) - 20} more (presslens errors)", markup=False)
    err.print(f"presslens: {stats.summary()} ({store.display_url()})", markup=False)
    if stats.errors:
        raise typer.Exit(1)


@contextmanager
def _progress(console: Console, total: int | None) -> Iterator[tuple[Callable[[int], None], Callable[[str], None]]]:
    """A Rich progress bar on stderr with count, rate and ETA; yields (advance, print a warning)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            rate = task.completed / task.elapsed if task.elapsed and task.completed else None  # since the start
            return Text(f"{rate:.1f} art/s" if rate else "– art/s", style="progress.data.speed")

    columns = [
        SpinnerColumn(),
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("ingest", total=total)
        yield (
            lambda n: progress.advance(task, n),
            lambda msg: progress.console.print(f"presslens: {msg}", markup=False),
        )


# --------------------------------------------------------------------------------------------- errors


@app.command()
def errors(
    db: DbOption = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="table, json or csv.")] = OutFormat.table,
) -> None:
    """List the inputs that could not be ingested (a later successful ingest of one removes it)."""
    from sqlalchemy import select

    from presslens.store.models import Error

    with _store(db, create=False) as store, store.engine.connect() as conn:
        stmt = select(Error.source, Error.kind, Error.message, Error.at, Error.batch).order_by(Error.id)
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    cols = [("source", "source"), ("kind", "kind"), ("message", "message"), ("at", "at"), ("batch", "batch")]
    _emit(rows, fmt, cols, f"{len(rows)} error(s)")


# --------------------------------------------------------------------------------------------- search


@app.command()
def search(
    text: Annotated[str | None, typer.Argument(help='Words (all must appear), "a phrase", a OR b, -word.')] = None,
    speaker: Annotated[str | None, typer.Option(help="Quotes whose speaker's name or alias is this.")] = None,
    outlet: Annotated[list[str] | None, typer.Option(help="Only this outlet (repeatable; any case).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    technique: Annotated[list[str] | None, typer.Option(help="Voicing this technique (repeatable).")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Quote kind: direct, indirect, mixed (repeatable).")] = None,
    what: Annotated[
        SearchIn, typer.Option("--in", help="Search quotes, articles, figures, claims or relations.")
    ] = SearchIn.quotes,
    actor: Annotated[
        str | None, typer.Option(help="Relations: those whose subject or object has this name or alias.")
    ] = None,
    relation: Annotated[
        list[str] | None, typer.Option(help="Relations: only this type, e.g. leads, allied_with (repeatable).")
    ] = None,
    counts: Annotated[str | None, typer.Option(help="Figures: what they count contains this (any case).")] = None,
    unit: Annotated[list[str] | None, typer.Option(help="Figures: only this unit, e.g. person (repeatable).")] = None,
    checkworthy: Annotated[bool, typer.Option(help="Claims: only those judged check-worthy.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many results.")] = 50,
    dedup: Annotated[bool, typer.Option(help="One result set per group of near-duplicate articles.")] = False,
    negated: Annotated[
        NotSaid,
        typer.Option(
            help='Quotes of what a source did not say ("declined to comment"): exclude (default), include '
            "(marked in a column) or only."
        ),
    ] = NotSaid.exclude,
    unsure: Annotated[
        NotSaid,
        typer.Option(
            help="Quotes of low confidence (under the level tables list at: most likely narration, or a speaker "
            "left unresolved): exclude (default), include or only."
        ),
    ] = NotSaid.exclude,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="table, json or csv.")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Search the store's quotes (or articles, figures, claims, relations) by text, speaker, outlet, date, ...

    Relations of an actor, by outlet: --in relations --actor Hamas. Figures by what they count or who gives
    them: --in figures --counts members --speaker "Michael Milstein". With figures, claims and relations, TEXT
    is a part of their words (any case), and --speaker matches who gives them (the outlet's voice has none).
    """
    from presslens.store.search import SearchQuery
    from presslens.store.search import search as run_search

    if what.value in _FACT_COLUMNS:
        _search_facts(
            what.value, text, speaker, outlet, since, until, actor, relation, counts, unit, checkworthy, limit, dedup,
            fmt, db,
        )
        return

    query = SearchQuery(
        text=text,
        speaker=speaker,
        outlet=outlet or None,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        technique=technique or None,
        kind=kind or None,
        what=what.value,  # type: ignore[arg-type]
        limit=limit,
        dedup=dedup,
        negated=negated.value,  # type: ignore[arg-type]
        unsure=unsure.value,  # type: ignore[arg-type]
    )
    with _store(db, create=False) as store:
        rows = run_search(store, query)
    if what is SearchIn.quotes:
        cols = [
            ("published", "published"),
            ("outlet", "outlet"),
            ("speaker", "speaker"),
            ("kind", "kind"),
            *([("negated", "did not say")] if negated is NotSaid.include else []),
            ("content", "content"),
            ("title", "article"),
        ]
    else:
        cols = [("published", "published"), ("outlet", "outlet"), ("title", "title"), ("quotes", "quotes")]
    _emit(rows, fmt, cols, f"{len(rows)} {what.value}")


def _search_facts(
    what: str,
    text: str | None,
    speaker: str | None,
    outlet: list[str] | None,
    since: str | None,
    until: str | None,
    actor: str | None,
    relation: list[str] | None,
    counts: str | None,
    unit: list[str] | None,
    checkworthy: bool,
    limit: int,
    dedup: bool,
    fmt: OutFormat,
    db: str | None,
) -> None:
    from presslens.record.schema import RELATIONS
    from presslens.store.search import FactQuery, search_facts

    bad = [r for r in relation or [] if r not in RELATIONS]
    if bad:
        raise typer.BadParameter(f"{bad[0]!r} is not one of {', '.join(RELATIONS)}", param_hint="--relation")
    query = FactQuery(
        what=what,  # type: ignore[arg-type]
        text=text,
        speaker=speaker,
        actor=actor,
        relation=relation or None,
        counts=counts,
        unit=unit or None,
        checkworthy=checkworthy,
        outlet=outlet or None,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        dedup=dedup,
        order="outlet" if what == "relations" else "newest",
        limit=limit,
    )
    with _store(db, create=False) as store:
        rows = search_facts(store, query)
    _emit(rows, fmt, _FACT_COLUMNS[what], f"{len(rows)} {what}")


# --------------------------------------------------------------------------------------------- export


@app.command()
def export(
    what: Annotated[ExportWhat, typer.Option(help="Which rows.")] = ExportWhat.quotes,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, jsonl or parquet.")] = ExportFormat.jsonl,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file (stdout for csv/jsonl if omitted).")
    ] = None,
    dedup: Annotated[bool, typer.Option(help="Only the first article of each near-duplicate group.")] = False,
    db: DbOption = None,
) -> None:
    """Export articles, quotes, actors, techniques, figures, claims, relations or full records as CSV, JSON Lines
    or Parquet (CSV cells that a spreadsheet would run as formulas get a leading ')."""
    from presslens.store.export import export as run_export

    if fmt is ExportFormat.parquet and output is None:
        raise typer.BadParameter("Parquet is written to a file", param_hint="--output")
    with _store(db, create=False) as store:
        n = run_export(store, what.value, fmt.value, output or sys.stdout, dedup=dedup)
    if output:
        _err().print(f"presslens: {n} {what.value} written to {output}", markup=False)


# --------------------------------------------------------------------------------------------- stats


@app.command()
def stats(
    db: DbOption = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="table, json or csv.")] = OutFormat.table,
) -> None:
    """Count what the store holds, with and without near-duplicate articles."""
    from sqlalchemy import func, select

    from presslens.store.models import Actor, Article, Claim, Error, Figure, Quote, Relation, Technique

    unique = Article.id == func.coalesce(Article.near_dup_group, Article.id)

    def count(conn: Any, model: Any, dedup: bool) -> int:
        stmt = select(func.count()).select_from(model)
        if model is not Article:
            stmt = stmt.join(Article, Article.id == model.article_id)
        return int(conn.scalar(stmt.where(unique) if dedup else stmt) or 0)

    with _store(db, create=False) as store, store.engine.connect() as conn:
        rows = [
            {"table": m.__tablename__, "rows": count(conn, m, False), "without_near_duplicates": count(conn, m, True)}
            for m in (Article, Quote, Actor, Technique, Figure, Claim, Relation)
        ]
        n_errors = int(conn.scalar(select(func.count()).select_from(Error)) or 0)
        rows.append({"table": "errors", "rows": n_errors, "without_near_duplicates": n_errors})
    cols = [("table", "table"), ("rows", "rows"), ("without_near_duplicates", "without near-duplicates")]
    _emit(rows, fmt, cols, store.display_url())
