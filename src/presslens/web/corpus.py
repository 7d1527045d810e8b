"""Corpus-wide figures for the newsroom: words per article, technique rates, outlets, the overview."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from presslens.store import Store
from presslens.store.models import Actor, Article, Quote, Technique
from presslens.store.search import listed_quotes
from presslens.web.data import KINDS, Cache, Page, actor_key, plain, words

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
            select(Quote.article_id, Quote.kind, Quote.speaker_key, Quote.speaker_name, Quote.content).where(
                *listed_quotes()  # not "declined to comment", nor a quote of low confidence: what the lists show
            )
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
        for r in stream.execute(select(Actor.article_id, Actor.name, Actor.kind, Actor.confidence)):
            key = actor_key(r.name)
            if not key:
                continue
            e = index.setdefault(
                key, {"names": Counter(), "kinds": Counter(), "articles": set(), "outlets": set(), "confidence": None}
            )
            if r.confidence is not None and (e["confidence"] is None or r.confidence > e["confidence"]):
                e["confidence"] = float(r.confidence)
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
                "confidence": v["confidence"],  # the best of its articles; None when none was stored
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
