"""Search a store: quotes (default) or articles, by full text and filters.

Full text: SQLite FTS5 (``quotes_fts``, ``articles_fts``, porter stemming) or PostgreSQL ``to_tsvector`` /
``websearch_to_tsquery`` over GIN indexes (migration 0002). The query syntax is the same on both, web-search
style: words must all appear (stemmed), ``"a phrase"`` must appear as written, ``OR`` between two terms
accepts either, and ``-word`` excludes.

``speaker`` matches a quote whose speaker name, or any name or alias of its speaker actor, equals it
(ignoring case and extra spaces). ``outlet`` is compared ignoring case; ``since``/``until`` bound the
published date (inclusive). ``technique`` keeps quotes that voice that technique (articles that contain
it); ``kind`` is direct, indirect or mixed. ``dedup`` keeps, within each group of near-duplicate articles,
only the results from the first matching article. ``negated`` says what to do with the quotes that report what
a source did *not* say ("declined to comment", "did not reveal the crash location"): left out (``exclude``, the
default: a list of what someone said holds only what they said), listed with the others, each marked
(``include``), or listed alone (``only``). ``unsure`` does the same with the quotes whose confidence is under the
level the record's views list at (``record.quote_confidence``: most likely narration, or a speaker left unresolved
or wrong): left out by default. A quote with no stored confidence is never unsure. Article lists count and match
statements the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal_column, or_, select, union
from sqlalchemy import text as sql

from presslens.record.quote_confidence import QuoteConfidence
from presslens.store import Store, name_key
from presslens.store.models import ActorName, Article, Quote, Technique

__all__ = [
    "FACTS", "NEGATED", "FactQuery", "SearchQuery", "fact_statement", "fts5_query", "listed_quotes", "search",
    "search_facts",
]  # fmt: skip

What = Literal["quotes", "articles"]
Negated = Literal["exclude", "include", "only"]
NEGATED: tuple[Negated, ...] = ("exclude", "include", "only")
# PostgreSQL: the stored tsvector columns of migration 0003 (GIN-indexed).
_PG_QUOTE_TSV = "quotes.content_tsv"
_PG_ARTICLE_TSV = "articles.text_tsv"
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDS = re.compile(r"\w+")


@dataclass
class SearchQuery:
    text: str | None = None
    speaker: str | None = None
    outlet: list[str] | None = None
    since: date | None = None
    until: date | None = None
    technique: list[str] | None = None
    kind: list[str] | None = None
    what: What = "quotes"
    limit: int = 50
    dedup: bool = False
    negated: Negated = "exclude"
    unsure: Negated = "exclude"


def _said(q: SearchQuery) -> list[ColumnElement[bool]]:
    """The conditions on ``quotes.negated`` and ``quotes.confidence`` that *q* asks for (none for ``include``)."""
    for name, value in (("negated", q.negated), ("unsure", q.unsure)):
        if value not in NEGATED:
            raise ValueError(f"{name}: {value!r} is not one of {', '.join(NEGATED)}")
    conds: list[ColumnElement[bool]] = []
    if q.negated != "include":
        conds.append(Quote.negated.is_(q.negated == "only"))
    shown_at = QuoteConfidence.load().shown_at
    if q.unsure == "exclude":
        conds.append(or_(Quote.confidence.is_(None), Quote.confidence >= shown_at))
    elif q.unsure == "only":
        conds.append(Quote.confidence < shown_at)
    return conds


def listed_quotes() -> list[ColumnElement[bool]]:
    """The conditions on a quote row for the lists a reader sees by default: what a source said (not what it did
    not say), with a confidence at or above the listing level (or none stored)."""
    return _said(SearchQuery())


def fts5_query(text: str) -> str | None:
    """The web-search syntax (see the module docstring) as an FTS5 query; None when it has no words.

    Every term is quoted, so no input can be an FTS5 syntax error or reach column filters or operators."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(text):
        neg, phrase, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None and bare == "OR":
            pending_or = bool(positive)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            neg, bare = "-", bare[1:]
        words = _WORDS.findall(phrase if phrase is not None else bare or "")
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if neg:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"{positive[-1]} OR {term}"
        else:
            positive.append(term)
        pending_or = False
    if not positive:
        return None
    query = " AND ".join(f"({p})" if " OR " in p else p for p in positive)
    for n in negative:
        query = f"{query} NOT {n}"
    return query


def _article_filters(q: SearchQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if q.outlet:
        conds.append(func.lower(Article.outlet).in_([o.lower() for o in q.outlet]))
    if q.since:
        conds.append(Article.published_date >= q.since)
    if q.until:
        conds.append(Article.published_date <= q.until)
    return conds


def _speaker_ids(name: str) -> Select[Any]:
    key = name_key(name)
    by_name = select(Quote.id).where(Quote.speaker_key == key)
    by_alias = (
        select(Quote.id)
        .join(ActorName, and_(ActorName.article_id == Quote.article_id, ActorName.actor_id == Quote.speaker_actor))
        .where(ActorName.key == key)
    )
    return union(by_name, by_alias)


def search(store: Store, query: SearchQuery | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """Run a search (a :class:`SearchQuery`, or its fields as keyword arguments); rows as plain dicts."""
    q = query or SearchQuery(**kwargs)
    stmt = _quotes(store, q) if q.what == "quotes" else _articles(store, q)
    if stmt is None:
        return []
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


def _match(store: Store, stmt: Select[Any], text: str, fts: str, key: Any, pg_tsv: str) -> tuple[Any, Any] | None:
    """``stmt`` narrowed to the rows whose full text matches, and the rank to sort by (best first); None when
    the text has no words. SQLite: the FTS5 table ``fts`` (rowid = ``key``); PostgreSQL: the ``pg_tsv``
    expression of a GIN index."""
    if store.dialect == "sqlite":
        match = fts5_query(text)
        if match is None:
            return None
        hits = (
            select(literal_column("rowid").label("rowid"), literal_column("rank").label("rank"))
            .select_from(sql(fts))
            .where(sql(f"{fts} MATCH :match").bindparams(match=match))
            .subquery("fts")
        )
        return stmt.join(hits, hits.c.rowid == key), hits.c.rank  # bm25: lower is better
    tsq = func.websearch_to_tsquery(literal_column("'english'::regconfig"), text)
    tsv = literal_column(pg_tsv)
    return stmt.where(tsv.op("@@")(tsq)), -func.ts_rank(tsv, tsq)


def _quotes(store: Store, q: SearchQuery) -> Select[Any] | None:
    cols = [
        Article.id.label("article_id"),
        Article.published.label("published"),
        Article.outlet.label("outlet"),
        Article.title.label("title"),
        Article.url.label("url"),
        Quote.quote_id.label("quote_id"),
        Quote.kind.label("kind"),
        func.coalesce(Quote.speaker_name, Quote.speaker_text).label("speaker"),
        Quote.cue.label("cue"),
        Quote.content.label("content"),
        Quote.confidence.label("confidence"),
        Quote.negated.label("negated"),
        Article.near_dup_group.label("near_dup_group"),
    ]
    stmt = select(*cols).select_from(Quote).join(Article, Article.id == Quote.article_id).where(*_said(q))
    order = [(Article.published_date, True), (Article.id, True), (Quote.id, False)]
    if q.text:
        matched = _match(store, stmt, q.text, "quotes_fts", Quote.id, _PG_QUOTE_TSV)
        if matched is None:
            return None
        stmt, rank = matched
        order.insert(0, (rank, False))
    stmt = stmt.where(*_article_filters(q))
    if q.speaker:
        stmt = stmt.where(Quote.id.in_(_speaker_ids(q.speaker)))
    if q.kind:
        stmt = stmt.where(Quote.kind.in_(q.kind))
    if q.technique:
        stmt = stmt.where(
            exists().where(
                Technique.article_id == Quote.article_id,
                Technique.voice_quote == Quote.quote_id,
                Technique.technique.in_(q.technique),
            )
        )
    return _finish(stmt, q, order)


def _articles(store: Store, q: SearchQuery) -> Select[Any] | None:
    quotes = select(func.count()).where(Quote.article_id == Article.id, *_said(q)).scalar_subquery()
    cols = [
        Article.id.label("article_id"),
        Article.published.label("published"),
        Article.outlet.label("outlet"),
        Article.title.label("title"),
        Article.url.label("url"),
        Article.source.label("source"),
        quotes.label("quotes"),
        Article.near_dup_group.label("near_dup_group"),
    ]
    stmt = select(*cols).select_from(Article)
    order = [(Article.published_date, True), (Article.id, True)]
    if q.text:
        matched = _match(store, stmt, q.text, "articles_fts", Article.id, _PG_ARTICLE_TSV)
        if matched is None:
            return None
        stmt, rank = matched
        order.insert(0, (rank, False))
    stmt = stmt.where(*_article_filters(q))
    if q.speaker:
        speaker_articles = select(Quote.article_id).where(Quote.id.in_(_speaker_ids(q.speaker)), *_said(q))
        stmt = stmt.where(Article.id.in_(speaker_articles))
    if q.kind:
        stmt = stmt.where(exists().where(Quote.article_id == Article.id, Quote.kind.in_(q.kind), *_said(q)))
    if q.technique:
        stmt = stmt.where(exists().where(Technique.article_id == Article.id, Technique.technique.in_(q.technique)))
    return _finish(stmt, q, order)


def _sorted(expr: Any, descending: bool) -> Any:
    return expr.desc().nulls_last() if descending else expr


def _finish(stmt: Select[Any], q: SearchQuery, order: list[tuple[Any, bool]]) -> Select[Any]:
    """Order (expression, descending) and limit; with dedup, keep only the rows of the first matching article
    of each near-duplicate group."""
    if not q.dedup:
        return stmt.order_by(*[_sorted(e, d) for e, d in order]).limit(q.limit)
    first = func.min(Article.id).over(partition_by=func.coalesce(Article.near_dup_group, Article.id))
    sub = stmt.add_columns(first.label("_first"), *[e.label(f"_o{i}") for i, (e, _) in enumerate(order)]).subquery()
    keep = [c for c in sub.c if not c.name.startswith("_")]
    return (
        select(*keep)
        .where(sub.c.article_id == sub.c._first)
        .order_by(*[_sorted(sub.c[f"_o{i}"], d) for i, (_, d) in enumerate(order)])
        .limit(q.limit)
    )


# ------------------------------------------------------------------------------- figures, claims, relations

Facts = Literal["figures", "claims", "relations"]
FACTS = ("figures", "claims", "relations")


@dataclass
class FactQuery:
    """A search of figures, claims or relations.

    ``text``: a part of the item's words (any case). ``speaker``: who gives it (name or alias of its source).
    ``actor`` (relations): the subject or the object, by name or alias. ``relation``: relation types.
    ``counts`` (figures): a part of what the figure counts ("members"). ``unit`` (figures). ``checkworthy``
    (claims): only those judged check-worthy. ``include_negated`` (relations): also "X does not lead Y".
    ``order``: ``newest`` first, or by ``outlet`` then date.
    """

    what: Facts = "figures"
    text: str | None = None
    speaker: str | None = None
    actor: str | None = None
    relation: list[str] | None = None
    counts: str | None = None
    unit: list[str] | None = None
    checkworthy: bool = False
    include_negated: bool = True
    outlet: list[str] | None = None
    since: date | None = None
    until: date | None = None
    dedup: bool = False
    order: Literal["newest", "outlet"] = "newest"
    limit: int = 50


def _contains(column: Any, needle: str) -> ColumnElement[bool]:
    return func.lower(column).contains(" ".join(needle.casefold().split()), autoescape=True)


def _named(model: Any, key_col: Any, actor_col: Any, name: str) -> ColumnElement[bool]:
    """The rows whose actor (``actor_col``, with its name key in ``key_col``) has this name or alias."""
    key = name_key(name)
    alias = exists().where(
        ActorName.article_id == model.article_id, ActorName.actor_id == actor_col, ActorName.key == key
    )
    return or_(key_col == key, alias)


def fact_statement(q: FactQuery) -> Select[Any]:
    """The statement behind :func:`search_facts` (no limit when ``q.limit`` is 0)."""
    from presslens.store.models import Claim, Figure, Relation

    model: Any = {"figures": Figure, "claims": Claim, "relations": Relation}[q.what]
    context = [
        Article.id.label("article_id"),
        Article.published.label("published"),
        Article.outlet.label("outlet"),
        Article.title.label("title"),
        Article.url.label("url"),
    ]
    own = [c for c in model.__table__.columns if c.name not in ("id", "article_id")]
    stmt = select(*context, *own).select_from(model).join(Article, Article.id == model.article_id)
    stmt = stmt.where(*_article_filters(SearchQuery(outlet=q.outlet, since=q.since, until=q.until)))
    if q.dedup:
        stmt = stmt.where(Article.id == func.coalesce(Article.near_dup_group, Article.id))
    if q.text:
        stmt = stmt.where(_contains(model.text, q.text))
    if q.speaker:
        stmt = stmt.where(_named(model, model.speaker_key, model.source_actor, q.speaker))
    if q.what == "figures":
        if q.counts:
            stmt = stmt.where(_contains(model.counts, q.counts))
        if q.unit:
            stmt = stmt.where(model.unit.in_(q.unit))
    if q.what == "claims" and q.checkworthy:
        stmt = stmt.where(model.checkworthy.is_(True))
    if q.what == "relations":
        if q.actor:
            stmt = stmt.where(
                or_(
                    _named(model, model.subject_key, model.subject_actor, q.actor),
                    _named(model, model.object_key, model.object_actor, q.actor),
                )
            )
        if q.relation:
            stmt = stmt.where(model.relation.in_(q.relation))
        if not q.include_negated:
            stmt = stmt.where(model.negated.is_(False))
    newest = [Article.published_date.desc().nulls_last(), Article.id.desc()]
    if q.order == "outlet":
        newest = [func.lower(Article.outlet).asc().nulls_last(), *newest]
    stmt = stmt.order_by(*newest, model.id)
    return stmt.limit(q.limit) if q.limit else stmt


def search_facts(store: Store, query: FactQuery | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """Figures, claims or relations (a :class:`FactQuery`, or its fields as keyword arguments), as plain dicts:
    the item's columns with its article's ``outlet``, ``published``, ``title`` and ``url``."""
    q = query or FactQuery(**kwargs)
    if q.what not in FACTS:
        raise ValueError(f"cannot search {q.what!r}: choose one of {', '.join(FACTS)}")
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(fact_statement(q))]
