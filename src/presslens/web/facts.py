"""Figures and relations across the store, for the newsroom: the figures page (by speaker, by what they count),
an actor's relations, and relations that outlets state differently (one says X leads Y, another that Z does).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from presslens.store import Store
from presslens.store.models import ActorName, Article, Relation
from presslens.store.search import FactQuery, fact_statement
from presslens.web.data import Cache, Page, _count, actor_key, plain

#: Relation types drawn on the network, by kind (others, such as based_in, are listed but not drawn).
NETWORK_KINDS = {
    "allied_with": "alliance",
    "leads": "command",
    "member_of": "membership",
    "part_of": "membership",
    "works_for": "membership",
    "opposes": "hostility",
    "attacked": "hostility",
    "killed": "hostility",
}
#: Relations one actor can have with only one other: (the relation, the end that is fixed). Two outlets naming
#: different actors at the other end disagree ("X leads Y" against "Z leads Y").
SINGLE = {"leads": "object", "part_of": "subject", "based_in": "subject"}
RELATION_LABELS = {
    "leads": "leads",
    "works_for": "works for",
    "member_of": "is a member of",
    "part_of": "is part of",
    "allied_with": "is allied with",
    "opposes": "opposes",
    "based_in": "is based in",
    "lives_in": "lives in",
    "located_in": "is located in",
    "killed": "killed",
    "attacked": "attacked",
}


@dataclass(frozen=True)
class FigureFilters:
    """The filters of the figures page, as its query string carries them."""

    outlet: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    speaker: str | None = None
    counts: str | None = None
    dedup: bool = False

    def params(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = [("outlet", o) for o in self.outlet]
        if self.since:
            out.append(("since", self.since.isoformat()))
        if self.until:
            out.append(("until", self.until.isoformat()))
        if self.speaker:
            out.append(("speaker", self.speaker))
        if self.counts:
            out.append(("counts", self.counts))
        if self.dedup:
            out.append(("dedup", "true"))
        return out

    def query(self, limit: int = 0) -> FactQuery:
        return FactQuery(
            what="figures",
            speaker=self.speaker,
            counts=self.counts,
            outlet=list(self.outlet) or None,
            since=self.since,
            until=self.until,
            dedup=self.dedup,
            limit=limit,
        )

    def json(self) -> dict[str, Any]:
        return {
            "outlet": list(self.outlet),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "speaker": self.speaker,
            "counts": self.counts,
            "dedup": self.dedup,
        }


_FIGURE_COLUMNS = (
    "article_id",
    "figure_id",
    "published",
    "outlet",
    "title",
    "text",
    "value",
    "high",
    "qualifier",
    "change",
    "unit",
    "counts",
    "speaker_name",
    "speaker_key",
    "source_quote",
)


def _figure_row(r: Any) -> dict[str, Any]:
    m = r._mapping
    return {k: plain(m[k]) for k in _FIGURE_COLUMNS}


def figures(store: Store, cache: Cache, f: FigureFilters, limit: int, offset: int) -> Page:
    """A page of figures (newest first) with, over all that match, counts by speaker and by what they count."""

    def compute() -> Page:
        stmt = fact_statement(f.query())
        with store.engine.connect() as conn:
            total = _count(conn, stmt)
            items = [_figure_row(r) for r in conn.execute(stmt.limit(limit).offset(offset))]
            speakers: dict[str, dict[str, Any]] = {}
            counted: dict[str, dict[str, Any]] = {}
            for r in conn.execute(stmt):
                key = r.speaker_key or ""
                s = speakers.setdefault(key, {"key": r.speaker_key, "names": Counter(), "figures": 0, "outlets": set()})
                s["figures"] += 1
                if r.speaker_name:
                    s["names"][r.speaker_name] += 1
                if r.outlet:
                    s["outlets"].add(r.outlet)
                if r.counts_key:
                    c = counted.setdefault(r.counts_key, {"names": Counter(), "figures": 0, "values": []})
                    c["figures"] += 1
                    c["names"][r.counts] += 1
                    c["values"] += [v for v in (r.value, r.high) if v is not None]
        by_speaker = sorted(
            (
                {
                    "speaker_key": s["key"],
                    "speaker_name": s["names"].most_common(1)[0][0] if s["names"] else None,
                    "figures": s["figures"],
                    "outlets": len(s["outlets"]),
                }
                for s in speakers.values()
            ),
            key=lambda x: (-x["figures"], x["speaker_key"] or "~"),
        )
        by_counts = sorted(
            (
                {
                    "counts_key": k,
                    "counts": c["names"].most_common(1)[0][0],
                    "figures": c["figures"],
                    "lowest": min(c["values"]) if c["values"] else None,
                    "highest": max(c["values"]) if c["values"] else None,
                }
                for k, c in counted.items()
            ),
            key=lambda x: (-x["figures"], x["counts_key"]),
        )
        return Page(items, total, limit, offset, {"by_speaker": by_speaker[:50], "by_counts": by_counts[:50]})

    return cache.get(("figures", f, limit, offset), compute)


def figure_rows(store: Store, f: FigureFilters, cap: int) -> list[dict[str, Any]]:
    """Every figure that matches (at most ``cap``), for the exports."""
    with store.engine.connect() as conn:
        return [_figure_row(r) for r in conn.execute(fact_statement(f.query(cap)))]


# --------------------------------------------------------------------------------------------- relations


def _relation_row(r: Any) -> dict[str, Any]:
    return {
        "article_id": r.article_id,
        "relation_id": r.relation_id,
        "published": plain(r.published),
        "outlet": r.outlet,
        "title": r.title,
        "subject_key": r.subject_key,
        "subject_name": r.subject_name,
        "relation": r.relation,
        "relation_label": RELATION_LABELS.get(r.relation, r.relation),
        "object_key": r.object_key,
        "object_name": r.object_name,
        "negated": bool(r.negated),
        "confidence": r.confidence,
        "text": r.text,
        "voice": r.voice,
        "speaker_name": r.speaker_name,
        "speaker_key": r.speaker_key,
        "source_quote": r.source_quote,
    }


def actor_relations(store: Store, cache: Cache, key: str, outlet: tuple[str, ...] = (), limit: int = 200) -> dict:
    """An actor's relations (as subject or object, by name or alias; by outlet, then newest first) and the
    relations that outlets state differently about it (see :data:`SINGLE`)."""
    key = actor_key(key)

    def compute() -> dict[str, Any]:
        q = FactQuery(what="relations", actor=key, outlet=list(outlet) or None, order="outlet", limit=limit)
        stmt = fact_statement(q)
        with store.engine.connect() as conn:
            rows = [_relation_row(r) for r in conn.execute(stmt)]
            total = _count(conn, fact_statement(replace(q, limit=0)))
        return {"total": total, "items": rows, "conflicts": conflicts(store, key)}

    return cache.get(("actor-relations", key, outlet, limit), compute)


def conflicts(store: Store, key: str) -> list[dict[str, Any]]:
    """Relations about ``key`` that the store's articles state differently, each with its versions side by
    side: for "leads", different leaders of one organisation; for "part_of" and "based_in", different wholes or
    places of one actor; and any relation that one article states and another denies."""
    key = actor_key(key)
    aliases = select(ActorName.article_id, ActorName.actor_id).where(ActorName.key == key)
    alias_pairs = {(a, b) for a, b in _rows(store, aliases)}
    involved = or_(Relation.subject_key == key, Relation.object_key == key)
    if alias_pairs:
        involved = or_(involved, Relation.article_id.in_({a for a, _ in alias_pairs}))
    cols = [Relation, Article.outlet, Article.published]
    stmt = select(*cols).join(Article, Article.id == Relation.article_id)

    def mine(r: Relation) -> bool:
        return key in (r.subject_key, r.object_key) or any(
            (r.article_id, a) in alias_pairs for a in (r.subject_actor, r.object_actor)
        )

    # the fixed ends (relation, role, key) this actor takes part in, then every relation at those ends
    with store.session() as session:
        own = [r for r, _, _ in session.execute(stmt.where(involved)) if mine(r)]
        ends: set[tuple[str, str, str]] = set()
        triples: set[tuple[str, str, str]] = set()
        for r in own:
            if r.relation in SINGLE:
                fixed = r.object_key if SINGLE[r.relation] == "object" else r.subject_key
                if fixed:
                    ends.add((r.relation, SINGLE[r.relation], fixed))
            triples.add((r.subject_key or "", r.relation, r.object_key or ""))
        if not ends and not triples:
            return []
        wanted = [
            (Relation.relation == rel) & ((Relation.object_key if role == "object" else Relation.subject_key) == k)
            for rel, role, k in ends
        ] + [
            (Relation.subject_key == s) & (Relation.relation == rel) & (Relation.object_key == o)
            for s, rel, o in triples
        ]
        found = list(session.execute(stmt.where(or_(*wanted))))
    out: list[dict[str, Any]] = []
    # different actors at the other end of a single-valued relation
    groups: dict[tuple[str, str, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r, outlet, published in found:
        if r.negated or r.relation not in SINGLE:
            continue
        role = SINGLE[r.relation]
        fixed, other = (r.object_key, r.subject_key) if role == "object" else (r.subject_key, r.object_key)
        if (r.relation, role, fixed) in ends and other:
            groups[(r.relation, role, fixed)][other].append((r, outlet, published))
    for (relation, role, fixed), versions in sorted(groups.items()):
        if len(versions) < 2:
            continue
        sample = next(iter(versions.values()))[0][0]
        fixed_name = sample.object_name if role == "object" else sample.subject_name
        out.append(
            {
                "kind": "different",
                "relation": relation,
                "relation_label": RELATION_LABELS.get(relation, relation),
                "fixed_role": role,
                "fixed_key": fixed,
                "fixed_name": fixed_name,
                "versions": [_version(other, items, role) for other, items in sorted(versions.items())],
            }
        )
    # stated and denied
    by_triple: dict[tuple[str, str, str], dict[bool, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r, outlet, published in found:
        t = (r.subject_key or "", r.relation, r.object_key or "")
        if t in triples:
            by_triple[t][bool(r.negated)].append((r, outlet, published))
    for (s, rel, o), sides in sorted(by_triple.items()):
        if len(sides) < 2:
            continue
        first = sides[False][0][0]
        out.append(
            {
                "kind": "denied",
                "relation": rel,
                "relation_label": RELATION_LABELS.get(rel, rel),
                "subject_key": s,
                "subject_name": first.subject_name,
                "object_key": o,
                "object_name": first.object_name,
                "versions": [
                    {"says": "states it", **_sources(sides[False])},
                    {"says": "denies it", **_sources(sides[True])},
                ],
            }
        )
    for c in out:
        c["across_outlets"] = len({o for v in c["versions"] for o in v["outlets"]}) > 1
    return out


def _rows(store: Store, stmt: Any) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(stmt))


def _version(other: str, items: list[Any], role: str) -> dict[str, Any]:
    r = items[0][0]
    name = r.subject_name if role == "object" else r.object_name
    return {"key": other, "name": name or other, **_sources(items)}


def _sources(items: list[Any]) -> dict[str, Any]:
    """Where a version is stated: its outlets, and each statement with its evidence and voice."""
    outlets = sorted({o for _, o, _ in items if o})
    said = [
        {
            "article_id": r.article_id,
            "outlet": outlet,
            "published": published,
            "text": r.text,
            "voice": r.voice,
            "speaker_name": r.speaker_name,
            "speaker_key": r.speaker_key,
        }
        for r, outlet, published in sorted(items, key=lambda x: (x[1] or "", x[2] or "", x[0].article_id))
    ]
    return {"outlets": outlets, "articles": len({r.article_id for r, _, _ in items}), "statements": said[:20]}


# --------------------------------------------------------------------------------------------- network


def relation_edges(
    store: Store, conds: list[Any]
) -> tuple[Counter[tuple[str, str, str]], dict[str, str], dict[tuple[str, str, str], list[str]]]:
    """Typed, directed edges between actor keys from the stored relations of the filtered articles (negated
    ones left out): (source, target, kind) -> how many articles state it; each key's name; and the relation
    types behind each edge. Alliances are undirected (their ends sorted)."""
    stmt = (
        select(
            Relation.article_id,
            Relation.subject_key,
            Relation.subject_name,
            Relation.relation,
            Relation.object_key,
            Relation.object_name,
        )
        .join(Article, Article.id == Relation.article_id)
        .where(Relation.negated.is_(False), Relation.relation.in_(list(NETWORK_KINDS)), *conds)
    )
    seen: set[tuple[int, str, str, str]] = set()
    edges: Counter[tuple[str, str, str]] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    relations: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    with store.engine.connect() as conn:
        for r in conn.execution_options(stream_results=True, yield_per=2000).execute(stmt):
            a, b = r.subject_key, r.object_key
            if not a or not b or a == b:
                continue
            names[a][r.subject_name] += 1
            names[b][r.object_name] += 1
            kind = NETWORK_KINDS[r.relation]
            if kind == "alliance":
                a, b = sorted((a, b))
            relations[(a, b, kind)].add(r.relation)
            if (r.article_id, a, b, kind) not in seen:
                seen.add((r.article_id, a, b, kind))
                edges[(a, b, kind)] += 1
    return edges, {k: c.most_common(1)[0][0] for k, c in names.items()}, {k: sorted(v) for k, v in relations.items()}
