"""What the newsroom shows, as plain JSON-ready dicts: the pages and the API read the store only through here.

Lists that filter quotes or articles are the statements of :mod:`presslens.store.search` (the same full text,
speaker, outlet, date, kind, technique and near-duplicate rules as ``presslens search``), counted and paged
here. Corpus-wide figures (words per article, rates per outlet, the actor index, the network) are computed
in Python from one pass over the store and kept until the store changes (:class:`Cache`).

An actor across articles is known by its *key*: its name case-folded with single spaces, as the store's
``actor_names`` and ``quotes.speaker_key`` hold it. ``/actors/{key}`` shows every quote whose speaker's
name, or any name or alias of its speaker actor, has that key (the rule of ``presslens search --speaker``).
"""

from __future__ import annotations

import bisect
import contextlib
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import combinations
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select

from presslens.store import Store
from presslens.store.models import Actor, ActorName, Article, Quote, Technique
from presslens.store.search import SearchQuery, _article_filters

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

    from presslens.store.models import LshBand, Signature

    with store.session(write=True) as session, session.begin():
        if session.get(Article, article_id) is None:
            return False
        for model in (Technique, Quote, ActorName, Actor, LshBand, Signature):
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


# --------------------------------------------------------------------------------------------- corpus


@dataclass
class _ArticleStat:
    id: int
    outlet: str | None
    day: date | None
    first_of_group: bool
    words: int = 0
    quoted_words: int = 0
    quotes: Counter[str] = field(default_factory=Counter)  # direct/indirect/mixed/named/unnamed
    own: Counter[str] = field(default_factory=Counter)  # techniques in the outlet's voice
    quoted: Counter[str] = field(default_factory=Counter)  # techniques in quotes


@dataclass
class Corpus:
    """One pass over the store: per-article counts, the speakers, and the actor index."""

    articles: dict[int, _ArticleStat]
    speakers: dict[str, dict[str, Any]]  # key -> name, quotes, articles, outlets
    actors: list[dict[str, Any]]  # one per key, most quoted first
    built_s: float


def corpus(store: Store, cache: Cache) -> Corpus:
    return cache.get(("corpus",), lambda: _build_corpus(store))


def _build_corpus(store: Store) -> Corpus:
    t0 = time.perf_counter()
    arts: dict[int, _ArticleStat] = {}
    speakers: dict[str, dict[str, Any]] = {}
    index: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        stream = conn.execution_options(stream_results=True, yield_per=2000)
        for r in stream.execute(
            select(Article.id, Article.outlet, Article.published_date, Article.near_dup_group, Article.text)
        ):
            arts[r.id] = _ArticleStat(
                r.id, r.outlet, r.published_date, (r.near_dup_group or r.id) == r.id, words=words(r.text)
            )
        for r in stream.execute(
            select(Quote.article_id, Quote.kind, Quote.speaker_key, Quote.speaker_name, Quote.content)
        ):
            a = arts.get(r.article_id)
            if a is None:
                continue
            a.quoted_words += words(r.content)
            a.quotes[r.kind] += 1
            a.quotes["named" if r.speaker_key else "unnamed"] += 1
            if r.speaker_key:
                s = speakers.setdefault(
                    r.speaker_key, {"names": Counter(), "quotes": 0, "articles": set(), "outlets": set()}
                )
                s["names"][r.speaker_name] += 1
                s["quotes"] += 1
                s["articles"].add(r.article_id)
                if a.outlet:
                    s["outlets"].add(a.outlet)
        for r in stream.execute(
            select(
                Technique.article_id, Technique.technique, Technique.voice_quote.is_(None).label("own"), func.count()
            ).group_by(Technique.article_id, Technique.technique, Technique.voice_quote.is_(None))
        ):
            a = arts.get(r.article_id)
            if a is not None:
                (a.own if r.own else a.quoted)[r.technique] += r[3]
        for r in stream.execute(select(Actor.article_id, Actor.name, Actor.kind)):
            key = actor_key(r.name)
            if not key:
                continue
            e = index.setdefault(key, {"names": Counter(), "kinds": Counter(), "articles": set(), "outlets": set()})
            e["names"][r.name] += 1
            e["kinds"][r.kind] += 1
            e["articles"].add(r.article_id)
            a = arts.get(r.article_id)
            if a is not None and a.outlet:
                e["outlets"].add(a.outlet)
    speaker_rows = {
        k: {
            "key": k,
            "name": v["names"].most_common(1)[0][0],
            "quotes": v["quotes"],
            "articles": len(v["articles"]),
            "outlets": len(v["outlets"]),
        }
        for k, v in speakers.items()
    }
    actor_rows = []
    for k, v in index.items():
        sp = speaker_rows.get(k)
        actor_rows.append(
            {
                "key": k,
                "name": v["names"].most_common(1)[0][0],
                "kind": v["kinds"].most_common(1)[0][0],
                "articles": len(v["articles"]),
                "outlets": len(v["outlets"]),
                "quotes": sp["quotes"] if sp else 0,
            }
        )
    actor_rows.sort(key=lambda a: (-a["quotes"], -a["articles"], a["key"]))
    return Corpus(arts, speaker_rows, actor_rows, time.perf_counter() - t0)


def _in_range(a: _ArticleStat, since: date | None, until: date | None, dedup: bool) -> bool:
    if dedup and not a.first_of_group:
        return False
    if since and (a.day is None or a.day < since):
        return False
    return not (until and (a.day is None or a.day > until))


def _per_1000(n: int, words_: int) -> float | None:
    return round(1000 * n / words_, 3) if words_ else None


def technique_rates(c: Corpus, arts: Iterable[_ArticleStat] | None = None) -> list[dict[str, Any]]:
    """Per technique: how often in the outlets' own voice and in quotes, and per 1,000 words of each."""
    arts = list(c.articles.values()) if arts is None else list(arts)
    own_words = sum(max(a.words - a.quoted_words, 0) for a in arts)
    quoted_words = sum(min(a.quoted_words, a.words) for a in arts)
    own: Counter[str] = Counter()
    quoted: Counter[str] = Counter()
    for a in arts:
        own.update(a.own)
        quoted.update(a.quoted)
    rows = [
        {
            "technique": t,
            "own": own[t],
            "quoted": quoted[t],
            "own_per_1000_words": _per_1000(own[t], own_words),
            "quoted_per_1000_words": _per_1000(quoted[t], quoted_words),
        }
        for t in sorted(set(own) | set(quoted))
    ]
    rows.sort(key=lambda r: -(r["own"] + r["quoted"]))
    return rows


def overview(store: Store, cache: Cache) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        c = corpus(store, cache)
        arts = list(c.articles.values())
        days = [a.day for a in arts if a.day]
        outlets = Counter(a.outlet for a in arts if a.outlet)
        months = Counter(a.day.strftime("%Y-%m") for a in arts if a.day)
        total_words = sum(a.words for a in arts)
        quoted_words = sum(min(a.quoted_words, a.words) for a in arts)
        n_quotes = sum(a.quotes[k] for a in arts for k in KINDS)
        with store.engine.connect() as conn:
            recent = [
                {k: plain(v) for k, v in r._mapping.items()}
                for r in conn.execute(
                    select(Article.id, Article.title, Article.outlet, Article.published, Article.url)
                    .order_by(Article.published_date.desc().nulls_last(), Article.id.desc())
                    .limit(10)
                )
            ]
        speakers = sorted(c.speakers.values(), key=lambda s: (-s["quotes"], s["key"]))[:10]
        return {
            "totals": {
                "articles": len(arts),
                "without_near_duplicates": sum(a.first_of_group for a in arts),
                "quotes": n_quotes,
                "actors": len(c.actors),
                "speakers": len(c.speakers),
                "outlets": len(outlets),
                "words": total_words,
                "quoted_words": quoted_words,
                "techniques": sum(sum(a.own.values()) + sum(a.quoted.values()) for a in arts),
                "first_published": plain(min(days)) if days else None,
                "last_published": plain(max(days)) if days else None,
            },
            "outlets": [{"outlet": o, "articles": n} for o, n in outlets.most_common(10)],
            "months": [{"month": m, "articles": months[m]} for m in sorted(months)],
            "speakers": speakers,
            "techniques": technique_rates(c, arts),
            "recent": recent,
        }

    return cache.get(("overview",), compute)


# --------------------------------------------------------------------------------------------- outlets


def outlets(
    store: Store, cache: Cache, since: date | None, until: date | None, dedup: bool, limit: int, offset: int
) -> Page:
    """The outlet comparison: quotes per article, kinds, named sources, technique rates by voice."""

    def compute() -> list[dict[str, Any]]:
        c = corpus(store, cache)
        by: dict[str, list[_ArticleStat]] = defaultdict(list)
        for a in c.articles.values():
            if _in_range(a, since, until, dedup):
                by[a.outlet or ""].append(a)
        rows = []
        for outlet, arts in by.items():
            q: Counter[str] = Counter()
            own: Counter[str] = Counter()
            quoted: Counter[str] = Counter()
            for a in arts:
                q.update(a.quotes)
                own.update(a.own)
                quoted.update(a.quoted)
            n = sum(q[k] for k in KINDS)
            w = sum(a.words for a in arts)
            qw = sum(min(a.quoted_words, a.words) for a in arts)
            own_total, quoted_total = sum(own.values()), sum(quoted.values())
            rows.append(
                {
                    "outlet": outlet or None,
                    "articles": len(arts),
                    "words": w,
                    "quotes": n,
                    "quotes_per_article": round(n / len(arts), 2),
                    "direct": q["direct"],
                    "indirect": q["indirect"],
                    "mixed": q["mixed"],
                    "direct_share": round(q["direct"] / n, 3) if n else None,
                    "named": q["named"],
                    "unnamed": q["unnamed"],
                    "named_share": round(q["named"] / n, 3) if n else None,
                    "quoted_words_share": round(qw / w, 3) if w else None,
                    "techniques_own": own_total,
                    "techniques_quoted": quoted_total,
                    "own_per_1000_words": _per_1000(own_total, w - qw),
                    "quoted_per_1000_words": _per_1000(quoted_total, qw),
                    "top_own": [t for t, _ in own.most_common(3)],
                    "top_quoted": [t for t, _ in quoted.most_common(3)],
                }
            )
        rows.sort(key=lambda r: (-r["articles"], r["outlet"] or ""))
        return rows

    rows = cache.get(("outlets", since, until, dedup), compute)
    return Page(rows[offset : offset + limit], len(rows), limit, offset)


# --------------------------------------------------------------------------------------------- actors


def list_actors(
    store: Store, cache: Cache, q: str | None, kind: str | None, limit: int, offset: int, sort: str = "quotes"
) -> Page:
    """The actor index: one row per key, with articles, outlets and quotes; ``q`` filters names."""

    def compute() -> list[dict[str, Any]]:
        rows = corpus(store, cache).actors
        if q:
            needle = actor_key(q)
            rows = [r for r in rows if needle in r["key"]]
        if kind:
            rows = [r for r in rows if r["kind"] == kind]
        if sort == "name":
            rows = sorted(rows, key=lambda r: r["key"])
        elif sort == "articles":
            rows = sorted(rows, key=lambda r: (-r["articles"], r["key"]))
        return rows

    rows = cache.get(("actors", q, kind, sort), compute)
    return Page(rows[offset : offset + limit], len(rows), limit, offset)


def get_actor(store: Store, cache: Cache, key: str, f: Filters, limit: int, offset: int) -> dict[str, Any] | None:
    """A speaker or actor across the store: names, titles and roles by outlet, quotes over time, the outlets
    quoting them, and who is quoted alongside them. None when nothing in the store has that key."""
    key = actor_key(key)
    if not key:
        return None

    def compute() -> dict[str, Any] | None:
        f2 = f.with_(speaker=key)
        stmt = _statement(store, f2, "quotes")
        rows_stmt = (
            select(Actor.article_id, Actor.name, Actor.kind, Actor.titles, Actor.roles, Actor.aliases, Article.outlet)
            .join(ActorName, and_(ActorName.article_id == Actor.article_id, ActorName.actor_id == Actor.actor_id))
            .join(Article, Article.id == Actor.article_id)
            .where(ActorName.key == key)
        )
        names: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        by_outlet: dict[str, dict[str, Any]] = {}
        articles: set[int] = set()
        with store.engine.connect() as conn:
            for a in conn.execute(rows_stmt):
                names[a.name] += 1
                kinds[a.kind] += 1
                articles.add(a.article_id)
                o = by_outlet.setdefault(
                    a.outlet or "",
                    {"outlet": a.outlet, "articles": set(), "titles": Counter(), "roles": Counter(), "aliases": set()},
                )
                o["articles"].add(a.article_id)
                o["titles"].update(set(a.titles or []))
                o["roles"].update(
                    {(x.get("role"), x.get("organization")) for x in a.roles or [] if isinstance(x, dict)}
                )
                o["aliases"].update(a.aliases or [])
            quote_names: Counter[str] = Counter()
            own_keys: set[str] = {key}
            for r in conn.execute(
                select(Quote.speaker_name, Quote.speaker_key, func.count())
                .where(Quote.id.in_(_speaker_quote_ids(key)))
                .group_by(Quote.speaker_name, Quote.speaker_key)
            ):
                if r.speaker_name:
                    quote_names[r.speaker_name] += r[2]
                if r.speaker_key:
                    own_keys.add(r.speaker_key)
            if not names and not quote_names:
                return None
            timeline: list[dict[str, Any]] = []
            quoting: list[dict[str, Any]] = []
            alongside: list[dict[str, Any]] = []
            total_quotes = 0
            if stmt is not None:
                base = stmt.order_by(None).limit(None).subquery("hits")
                month = func.substr(base.c.published, 1, 7)
                n = func.count().label("quotes")
                timeline = [
                    {"month": r.month, "quotes": r.quotes}
                    for r in conn.execute(
                        select(month.label("month"), n)
                        .where(base.c.published.is_not(None))
                        .group_by(month)
                        .order_by(month)
                    )
                ]
                quoting = [
                    {"outlet": r.outlet, "quotes": r.quotes, "articles": r.articles}
                    for r in conn.execute(
                        select(base.c.outlet, n, func.count(distinct(base.c.article_id)).label("articles"))
                        .group_by(base.c.outlet)
                        .order_by(n.desc(), base.c.outlet)
                    )
                ]
                total_quotes = sum(o["quotes"] for o in quoting)
                arts = select(base.c.article_id).distinct()
                m = func.count(distinct(Quote.article_id)).label("articles")
                alongside = [
                    {"key": r.speaker_key, "name": r.name, "articles": r.articles}
                    for r in conn.execute(
                        select(Quote.speaker_key, func.max(Quote.speaker_name).label("name"), m)
                        .where(
                            Quote.article_id.in_(arts),
                            Quote.speaker_key.is_not(None),
                            Quote.speaker_key.not_in(sorted(own_keys)),
                        )
                        .group_by(Quote.speaker_key)
                        .order_by(m.desc(), Quote.speaker_key)
                        .limit(25)
                    )
                ]
        page = _page(store, stmt, limit, offset)
        _enrich_quotes(store, page.items)
        name = (names.most_common(1) or quote_names.most_common(1))[0][0]
        outlets_ = sorted(by_outlet.values(), key=lambda o: (-len(o["articles"]), o["outlet"] or ""))
        return {
            "key": key,
            "name": name,
            "names": [n for n, _ in (names + quote_names).most_common()],
            "kind": kinds.most_common(1)[0][0] if kinds else None,
            "articles": len(articles),
            "quotes_total": total_quotes,
            "as_outlets_give_them": [
                {
                    "outlet": o["outlet"],
                    "articles": len(o["articles"]),
                    "titles": [t for t, _ in o["titles"].most_common()],
                    "roles": [
                        {"role": r, "organization": org}
                        for (r, org), _ in o["roles"].most_common()
                        if org or not any(actor_key(r) == actor_key(t) for t in o["titles"])  # not a title again
                    ],
                    "aliases": sorted(o["aliases"]),
                }
                for o in outlets_
            ],
            "timeline": timeline,
            "outlets_quoting": quoting,
            "alongside": alongside,
            "quotes": page,
        }

    return cache.get(("actor", key, f, limit, offset), compute)


def _speaker_quote_ids(key: str) -> Any:
    from presslens.store.search import _speaker_ids

    return _speaker_ids(key)


# --------------------------------------------------------------------------------------------- network


def network(
    store: Store,
    cache: Cache,
    f: Filters,
    focus: str | None = None,
    max_nodes: int = 40,
    min_weight: int = 1,
) -> dict[str, Any]:
    """Who is quoted alongside whom (both quoted in one article) and about whom (a quote's content holds a
    mention of another actor). Nodes: actors by key, the most connected ``max_nodes``; with ``focus``, that
    actor and its neighbours."""
    focus_key = actor_key(focus) if focus else None

    def compute() -> dict[str, Any]:
        edges, info = _edges(store, f)
        kept = {k: w for k, w in edges.items() if w >= min_weight}
        if focus_key:
            kept = {k: w for k, w in kept.items() if focus_key in (k[0], k[1])}
        degree: Counter[str] = Counter()
        for (a, b, _), w in kept.items():
            degree[a] += w
            degree[b] += w
        ranked = [k for k, _ in degree.most_common()]
        if focus_key:
            ranked = [focus_key] + [k for k in ranked if k != focus_key]
        nodes = set(ranked[:max_nodes])
        kept = {k: w for k, w in kept.items() if k[0] in nodes and k[1] in nodes}
        node_rows = []
        for k in ranked[:max_nodes]:
            i = info.get(k, {})
            node_rows.append(
                {
                    "id": k,
                    "name": i.get("name") or k,
                    "kind": i.get("kind"),
                    "quotes": i.get("quotes", 0),
                    "mentioned": i.get("mentioned", 0),
                    "degree": degree[k],
                }
            )
        edge_rows = [
            {"source": a, "target": b, "type": t, "weight": w}
            for (a, b, t), w in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return {"nodes": node_rows, "edges": edge_rows}

    return cache.get(("network", f, focus_key, max_nodes, min_weight), compute)


def _edges(store: Store, f: Filters) -> tuple[Counter[tuple[str, str, str]], dict[str, dict[str, Any]]]:
    """All edges of the filtered articles (outlet, dates, dedup), with what is known of each actor key."""
    conds: list[Any] = _article_filters(f.query("articles"))
    if f.dedup:
        conds.append(Article.id == func.coalesce(Article.near_dup_group, Article.id))
    quotes: dict[int, list[tuple[str | None, list[Any]]]] = defaultdict(list)
    mentions: dict[int, list[tuple[str, list[Any]]]] = defaultdict(list)
    info: dict[str, dict[str, Any]] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    with store.engine.connect() as conn:
        stream = conn.execution_options(stream_results=True, yield_per=2000)
        q_stmt = select(Quote.article_id, Quote.speaker_key, Quote.speaker_name, Quote.spans)
        a_stmt = select(Actor.article_id, Actor.name, Actor.kind, Actor.mentions)
        if conds:
            q_stmt = q_stmt.join(Article, Article.id == Quote.article_id).where(*conds)
            a_stmt = a_stmt.join(Article, Article.id == Actor.article_id).where(*conds)
        for r in stream.execute(q_stmt):
            quotes[r.article_id].append((r.speaker_key, r.spans or []))
            if r.speaker_key:
                info.setdefault(r.speaker_key, {"quotes": 0, "mentioned": 0})["quotes"] += 1
                names[r.speaker_key][r.speaker_name] += 1
        for r in stream.execute(a_stmt):
            key = actor_key(r.name)
            if key:
                mentions[r.article_id].append((key, r.mentions or []))
                i = info.setdefault(key, {"quotes": 0, "mentioned": 0})
                i.setdefault("kinds", Counter())[r.kind] += 1
                names[key][r.name] += 1
    edges: Counter[tuple[str, str, str]] = Counter()
    for article_id, qs in quotes.items():
        speakers = sorted({k for k, _ in qs if k})[:40]
        for a, b in combinations(speakers, 2):
            edges[(a, b, "alongside")] += 1
        spans = sorted(
            (int(s), int(e), k)
            for k, pieces in qs
            if k
            for s, e in (p for p in pieces if isinstance(p, list | tuple) and len(p) == 2)
        )
        if not spans:
            continue
        starts = [s for s, _, _ in spans]
        about: set[tuple[str, str]] = set()
        for key, ms in mentions.get(article_id, []):
            for m in ms:
                if not (isinstance(m, list | tuple) and len(m) == 2):
                    continue
                ms_, me = int(m[0]), int(m[1])
                last = bisect.bisect_right(starts, ms_) - 1
                for i in range(last, max(-1, last - 50), -1):  # the pieces that start before it (quotes rarely nest)
                    s, e, speaker = spans[i]
                    if s <= ms_ and me <= e and speaker != key:
                        about.add((speaker, key))
        for speaker, key in about:
            edges[(speaker, key, "about")] += 1
            info.setdefault(key, {"quotes": 0, "mentioned": 0})["mentioned"] += 1
    for key, i in info.items():
        i["name"] = names[key].most_common(1)[0][0] if names[key] else key
        kinds = i.pop("kinds", None)
        i["kind"] = kinds.most_common(1)[0][0] if kinds else None
    return edges, info
