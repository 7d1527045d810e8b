"""What the newsroom shows, as plain JSON-ready dicts: filters, the cache, paging, articles and quotes."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select

from presslens.store import Store
from presslens.store.models import Actor, ActorName, Article, Quote, Technique
from presslens.store.search import NEGATED, SearchQuery

__all__ = [
    "KINDS",
    "NEGATED",
    "TECHNIQUES",
    "Cache",
    "Filters",
    "Page",
    "actor_key",
    "delete_article",
    "export_rows",
    "find_article",
    "get_article",
    "list_articles",
    "plain",
    "search_quotes",
    "words",
]

KINDS = ("direct", "indirect", "mixed")
#: The 14 technique names of the Propaganda Techniques Corpus, for the filter forms (stored names also show).
TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
#: Rows a CSV or JSON export holds at most (the export says when it was cut).
EXPORT_MAX = 100_000


def actor_key(name: str | None) -> str:
    """The key of a name: case-folded, single spaces (what ``actor_names.key`` and ``speaker_key`` hold)."""
    return " ".join((name or "").casefold().split())


def words(text: str | None) -> int:
    return len(text.split()) if text else 0


def plain(value: Any) -> Any:
    """A value as JSON can carry it (dates as ISO 8601)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """The filters of the quote and article lists, as the query string carries them."""

    q: str | None = None
    speaker: str | None = None
    outlet: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    kind: tuple[str, ...] = ()
    technique: tuple[str, ...] = ()
    dedup: bool = False
    negated: str = "exclude"  # quotes of what a source did not say: exclude, include or only (store.search)
    unsure: str = "exclude"  # quotes under the quote confidence's listing level: likewise

    def params(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (empty ones left out), in a fixed order: a permalink."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        if self.speaker:
            out.append(("speaker", self.speaker))
        out += [("outlet", o) for o in self.outlet]
        if self.since:
            out.append(("since", self.since.isoformat()))
        if self.until:
            out.append(("until", self.until.isoformat()))
        out += [("kind", k) for k in self.kind]
        out += [("technique", t) for t in self.technique]
        if self.dedup:
            out.append(("dedup", "true"))
        if self.negated != "exclude":
            out.append(("negated", self.negated))
        if self.unsure != "exclude":
            out.append(("unsure", self.unsure))
        return out

    def active(self) -> bool:
        return bool(self.params())

    def query(self, what: str, limit: int = 50) -> SearchQuery:
        return SearchQuery(
            text=self.q or None,
            speaker=self.speaker or None,
            outlet=list(self.outlet) or None,
            since=self.since,
            until=self.until,
            technique=list(self.technique) or None,
            kind=list(self.kind) or None,
            what=what,  # type: ignore[arg-type]
            limit=limit,
            dedup=self.dedup,
            negated=self.negated,  # type: ignore[arg-type]
            unsure=self.unsure,  # type: ignore[arg-type]
        )

    def with_(self, **changes: Any) -> Filters:
        return replace(self, **changes)


@dataclass
class Page:
    """One page of a list: its items, how many there are in all, and where it starts."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------- cache


class Cache:
    """Results kept while the store is unchanged.

    The store's fingerprint (article count, highest id, latest analysis time) is read at most every
    ``check_every`` seconds; when it changes, everything kept is dropped. At most ``size`` results are kept
    (least recently used go first). Thread-safe; two threads may compute the same result once each.
    """

    def __init__(self, store: Store, *, check_every: float = 1.0, size: int = 256) -> None:
        self.store = store
        self.check_every = check_every
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._computing: dict[Any, threading.Lock] = {}
        self._fingerprint: Any = None
        self._checked = 0.0

    def _read_fingerprint(self) -> Any:
        stmt = select(func.count(), func.max(Article.id), func.max(Article.analysed_at))
        with self.store.engine.connect() as conn:
            return tuple(conn.execute(stmt).one())

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < self.check_every:
            return
        fp = self._read_fingerprint()
        with self._lock:
            self._checked = now
            if fp != self._fingerprint:
                self._fingerprint = fp
                self._items.clear()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The kept result for ``key``, else ``compute()`` (once: threads asking for the same key meanwhile
        wait for it rather than compute it again)."""
        self.refresh()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            fp = self._fingerprint
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._items and fp == self._fingerprint:
                    return self._items[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                if fp == self._fingerprint:
                    self._items[key] = value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        return value

    def warm(self, *computations: Callable[[], Any]) -> threading.Thread:
        """Run ``computations`` (e.g. the overview) in a background thread, so that the first visitor after a
        start does not wait for the corpus figures."""

        def run() -> None:
            for c in computations:
                with contextlib.suppress(Exception):  # a failed warm-up only makes a first request slower
                    c()

        thread = threading.Thread(target=run, name="presslens-web-warm", daemon=True)
        thread.start()
        return thread

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._checked = 0.0


# --------------------------------------------------------------------------------------------- paging


def _statement(store: Store, f: Filters, what: str) -> Select[Any] | None:
    """The statement of ``presslens search`` for these filters (None: a text query with no words)."""
    from presslens.store.search import _articles, _quotes

    q = f.query(what)
    return _quotes(store, q) if what == "quotes" else _articles(store, q)


def _count(conn: Any, stmt: Select[Any]) -> int:
    return int(conn.scalar(select(func.count()).select_from(stmt.order_by(None).limit(None).subquery())) or 0)


def _page(store: Store, stmt: Select[Any] | None, limit: int, offset: int) -> Page:
    if stmt is None:
        return Page([], 0, limit, offset)
    with store.engine.connect() as conn:
        total = _count(conn, stmt)
        rows = [{k: plain(v) for k, v in r._mapping.items()} for r in conn.execute(stmt.limit(limit).offset(offset))]
    return Page(rows, total, limit, offset)


def export_rows(store: Store, f: Filters, what: str) -> Iterator[dict[str, Any]]:
    """Every row of a filtered list (at most :data:`EXPORT_MAX`), streamed."""
    stmt = _statement(store, f, what)
    if stmt is None:
        return
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt.limit(EXPORT_MAX))
        for r in result:
            yield {k: plain(v) for k, v in r._mapping.items()}


# --------------------------------------------------------------------------------------------- articles


def list_articles(store: Store, cache: Cache, f: Filters, limit: int, offset: int) -> Page:
    return cache.get(
        ("articles", f, limit, offset), lambda: _page(store, _statement(store, f, "articles"), limit, offset)
    )


def get_article(store: Store, article_id: int) -> dict[str, Any] | None:
    """The stored article: its record, its store metadata, and its near-duplicates."""
    cols = [
        Article.id,
        Article.record,
        Article.near_dup_group,
        Article.analysed_at,
        Article.presslens_version,
        Article.model_version,
        Article.content_hash,
    ]
    with store.engine.connect() as conn:
        row = conn.execute(select(*cols).where(Article.id == article_id)).one_or_none()
        if row is None:
            return None
        group = row.near_dup_group or row.id
        dups = [
            {"id": r.id, "title": r.title, "outlet": r.outlet, "published": r.published}
            for r in conn.execute(
                select(Article.id, Article.title, Article.outlet, Article.published)
                .where(Article.near_dup_group == group, Article.id != row.id)
                .order_by(Article.id)
                .limit(50)
            )
        ]
    return {
        "id": row.id,
        "record": row.record,
        "near_dup_group": row.near_dup_group,
        "near_duplicates": dups,
        "analysed_at": plain(row.analysed_at),
        "presslens_version": row.presslens_version,
        "model_version": row.model_version,
        "content_hash": row.content_hash,
    }


def find_article(store: Store, url: str | None, digest: str) -> int | None:
    """The id of the stored article that is this one (by URL, else by text), as ingest knows articles."""
    stmt = select(Article.id)
    if url:
        stmt = stmt.where(Article.url == url)
    else:
        stmt = stmt.where(Article.content_hash == digest).order_by(Article.url.is_not(None), Article.id)
    with store.engine.connect() as conn:
        return conn.scalar(stmt.limit(1))


def delete_article(store: Store, article_id: int) -> bool:
    from sqlalchemy import delete

    from presslens.store.models import Claim, Figure, LshBand, Relation, Signature

    with store.session(write=True) as session, session.begin():
        if session.get(Article, article_id) is None:
            return False
        for model in (Figure, Claim, Relation, Technique, Quote, ActorName, Actor, LshBand, Signature):
            session.execute(delete(model).where(model.article_id == article_id))
        session.execute(delete(Article).where(Article.id == article_id))
    return True


# --------------------------------------------------------------------------------------------- quotes


def search_quotes(store: Store, cache: Cache, f: Filters, limit: int, offset: int, facets: bool = True) -> Page:
    """A page of quotes (``presslens search`` rules), with speaker keys, voiced techniques and facets."""

    def compute() -> Page:
        stmt = _statement(store, f, "quotes")
        page = _page(store, stmt, limit, offset)
        _enrich_quotes(store, page.items)
        if facets:
            page.extra["facets"] = _facets(store, cache, f, stmt)
        return page

    return cache.get(("quotes", f, limit, offset, facets), compute)


def _enrich_quotes(store: Store, rows: list[dict[str, Any]]) -> None:
    """Add each quote's speaker name and key, and the techniques it voices."""
    if not rows:
        return
    ids = sorted({r["article_id"] for r in rows})
    speakers: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    techs: dict[tuple[int, str], list[str]] = defaultdict(list)
    with store.engine.connect() as conn:
        for r in conn.execute(
            select(Quote.article_id, Quote.quote_id, Quote.speaker_name, Quote.speaker_key).where(
                Quote.article_id.in_(ids)
            )
        ):
            speakers[(r.article_id, r.quote_id)] = (r.speaker_name, r.speaker_key)
        for r in conn.execute(
            select(Technique.article_id, Technique.voice_quote, Technique.technique)
            .where(Technique.article_id.in_(ids), Technique.voice_quote.is_not(None))
            .order_by(Technique.id)
        ):
            techs[(r.article_id, r.voice_quote)].append(r.technique)
    for row in rows:
        name, key = speakers.get((row["article_id"], row["quote_id"]), (None, None))
        row["speaker_name"] = name
        row["speaker_key"] = key
        row["techniques"] = sorted(set(techs.get((row["article_id"], row["quote_id"]), [])))


def _facets(store: Store, cache: Cache, f: Filters, stmt: Select[Any] | None) -> dict[str, list[dict[str, Any]]]:
    """Counts of the filtered quotes by speaker, outlet, month, kind and technique voiced (the top ones).

    One pass over the matching quotes (the search statement with only the columns the facets need), counted
    in Python; the techniques each quote voices come from a map of the whole store kept in the cache."""
    if stmt is None:
        return {"speaker": [], "outlet": [], "month": [], "kind": [], "technique": []}
    wanted = (Quote.speaker_key, Quote.speaker_name, Quote.kind, Article.outlet, Article.published)
    if f.dedup:  # the statement is a select over a subquery: join the quotes back
        base = stmt.order_by(None).limit(None).subquery("hits")
        rows_stmt = (
            select(base.c.article_id, base.c.quote_id, *wanted)
            .select_from(base)
            .join(Quote, and_(Quote.article_id == base.c.article_id, Quote.quote_id == base.c.quote_id))
            .join(Article, Article.id == base.c.article_id)
        )
    else:
        rows_stmt = stmt.with_only_columns(Quote.article_id, Quote.quote_id, *wanted).order_by(None).limit(None)
    voiced = _voiced(store, cache)
    outlets: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    months: Counter[str] = Counter()
    speakers: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    techniques: Counter[str] = Counter()
    with store.engine.connect() as conn:
        for article_id, quote_id, key, name, kind, outlet, published in conn.execute(rows_stmt):
            if outlet is not None:
                outlets[outlet] += 1
            kinds[kind] += 1
            if published:
                months[published[:7]] += 1
            if key:
                speakers[key] += 1
                labels[key][name] += 1
            for t in voiced.get((article_id, quote_id), ()):
                techniques[t] += 1

    def top(c: Counter[str], n: int) -> list[tuple[str, int]]:
        return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    return {
        "speaker": [{"value": k, "label": labels[k].most_common(1)[0][0], "count": n} for k, n in top(speakers, 10)],
        "outlet": [{"value": k, "count": n} for k, n in top(outlets, 10)],
        "month": [{"value": m, "count": months[m]} for m in sorted(months, reverse=True)[:24]],
        "kind": [{"value": k, "count": n} for k, n in top(kinds, 10)],
        "technique": [{"value": k, "count": n} for k, n in top(techniques, 14)],
    }


def _voiced(store: Store, cache: Cache) -> dict[tuple[int, str], tuple[str, ...]]:
    """(article id, quote id) -> the techniques that quote voices, for the whole store (kept in the cache)."""

    def compute() -> dict[tuple[int, str], tuple[str, ...]]:
        found: dict[tuple[int, str], set[str]] = defaultdict(set)
        stmt = select(Technique.article_id, Technique.voice_quote, Technique.technique).where(
            Technique.voice_quote.is_not(None)
        )
        with store.engine.connect() as conn:
            for article_id, quote_id, technique in conn.execute(stmt):
                found[(article_id, quote_id)].add(technique)
        return {k: tuple(sorted(v)) for k, v in found.items()}

    return cache.get(("voiced",), compute)
