"""Actors across articles and the network between them, for the newsroom."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from sqlalchemy import and_, distinct, func, select

from presslens.record.actor_confidence import shown
from presslens.store import Store
from presslens.store.models import Actor, ActorName, Article, Quote
from presslens.store.search import _article_filters
from presslens.web.corpus import corpus
from presslens.web.data import Cache, Filters, Page, _enrich_quotes, _page, _statement, actor_key
from presslens.web.facts import relation_edges

# --------------------------------------------------------------------------------------------- actors


def list_actors(
    store: Store,
    cache: Cache,
    q: str | None,
    kind: str | None,
    limit: int,
    offset: int,
    sort: str = "quotes",
    doubtful: str = "exclude",
) -> Page:
    """The actor index: one row per key, with articles, outlets and quotes; ``q`` filters names. ``doubtful``:
    names whose best confidence in any article is under the level the record lists actors at (most likely no
    actor: a product, an event, a fragment of a name) are left out (``exclude``, the default), kept
    (``include``) or the only ones listed (``only``); a name with no stored confidence is never doubtful."""

    def compute() -> list[dict[str, Any]]:
        rows = corpus(store, cache).actors
        if doubtful != "include":
            rows = [r for r in rows if shown(r) != (doubtful == "only")]  # a row holds its best "confidence"
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

    rows = cache.get(("actors", q, kind, sort, doubtful), compute)
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
                .where(Quote.id.in_(_speaker_quote_ids(key)), Quote.negated.is_(False))
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
    """Typed, directed relations between actors (alliance, command, membership, hostility: the ``relation``
    layer, from the stored relations) and co-occurrence (the ``cooccurrence`` layer): who is quoted alongside
    whom (both quoted in one article) and about whom (a quote's content holds a mention of another actor).
    Nodes: actors by key, the most connected ``max_nodes``; with ``focus``, that actor and its neighbours."""
    focus_key = actor_key(focus) if focus else None

    def compute() -> dict[str, Any]:
        edges, info = _edges(store, f)
        typed, typed_names, typed_relations = relation_edges(store, _conditions(f))
        edges.update(typed)
        for key, name in typed_names.items():
            info.setdefault(key, {"quotes": 0, "mentioned": 0, "name": name, "kind": None})
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
            {
                "source": a,
                "target": b,
                "type": t,
                "layer": "relation" if (a, b, t) in typed else "cooccurrence",
                "relations": typed_relations.get((a, b, t), []),
                "weight": w,
            }
            for (a, b, t), w in sorted(kept.items(), key=lambda kv: (kv[0] not in typed, -kv[1], kv[0]))
        ]
        return {"nodes": node_rows, "edges": edge_rows}

    return cache.get(("network", f, focus_key, max_nodes, min_weight), compute)


def _conditions(f: Filters) -> list[Any]:
    """The article conditions of the network's filters (outlet, dates, dedup)."""
    conds: list[Any] = _article_filters(f.query("articles"))
    if f.dedup:
        conds.append(Article.id == func.coalesce(Article.near_dup_group, Article.id))
    return conds


def _edges(store: Store, f: Filters) -> tuple[Counter[tuple[str, str, str]], dict[str, dict[str, Any]]]:
    """All edges of the filtered articles (outlet, dates, dedup), with what is known of each actor key."""
    conds = _conditions(f)
    quotes: dict[int, list[tuple[str | None, list[Any]]]] = defaultdict(list)
    mentions: dict[int, list[tuple[str, list[Any]]]] = defaultdict(list)
    info: dict[str, dict[str, Any]] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    with store.engine.connect() as conn:
        stream = conn.execution_options(stream_results=True, yield_per=2000)
        q_stmt = select(Quote.article_id, Quote.speaker_key, Quote.speaker_name, Quote.spans).where(
            Quote.negated.is_(False)
        )
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
