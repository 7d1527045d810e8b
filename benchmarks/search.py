"""Search latency on a 10,000-article SQLite store.

    python benchmarks/search.py [--db PATH] [--articles 10000] [--queries 200] [--rebuild]
    python benchmarks/search.py --url postgresql://USER@HOST/DB?options=-csearch_path%3Dbench   # PostgreSQL

The store is built once (and reused while it holds --articles articles) without running spaCy on 10,000
texts: a few dozen real texts are analysed (../shared/data/polnear/train/text when present, else examples/),
and their records are replicated with other ids, URLs, outlets, dates and speaker names, and with words of the
text swapped for words of the same length (so every offset stays valid and the quotes' text varies). About
one replica in twenty is a light edit of an earlier one, so near-duplicate groups exist. The records go in
through ``presslens.store.ingest.ingest_records``, the path ``presslens ingest`` uses for shards.

Then --queries searches run in this process through ``presslens.store.search.search`` (what ``presslens
search`` calls): a mix of text, phrase, speaker, outlet, date-range, kind and dedup filters. It prints p50 and
p95 latency in milliseconds; the last line is a JSON object. The target is p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from presslens.store import Store
from presslens.store.ingest import ingest_records
from presslens.store.search import SearchQuery, search

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT.parent / "shared/data/polnear/train/text", ROOT / "examples"]
DEFAULT_DB = Path(tempfile.gettempdir()) / "presslens-search-bench.db"
OUTLETS = [
    "North Times",
    "South Post",
    "Harbour Courier",
    "Daily Ledger",
    "Evening Star",
    "Metro Wire",
    "Capital Review",
    "Coast Herald",
    "Valley News",
    "Global Dispatch",
    "Morning Sentinel",
    "River Gazette",
    "The Observer Line",
    "Plains Journal",
    "Island Chronicle",
    "Union Tribune",
    "Border Bulletin",
    "Summit Press",
    "Lake Examiner",
    "Frontier Report",
]
FIRST = "Ana Jonas Priya Tom Helen Marek Lucia Omar Ingrid Kwame Sara Lena Ivan Maya Paolo Yusuf Nadia Ken Rosa Amir"
LAST = "Berg Costa Natarajan Ellery Achterberg Novak Ferreira Haddad Solberg Mensah Okafor Reyes Milstein Qaani Lund"
LAST += " Duarte Petrov Tanaka Moreau Kowalski Abebe Larsen Silva Nakamura Hughes"
_WORD = re.compile(r"[A-Za-z]{3,}")


def real_records(max_texts: int) -> tuple[list[dict[str, Any]], str]:
    """Analyse up to max_texts real articles (the first source directory that has any)."""
    from presslens.inputs import Document, iter_inputs
    from presslens.record.pipeline import analyze_many

    for d in SOURCES:
        if not d.is_dir():
            continue
        docs = [x for x in iter_inputs([str(d)]) if isinstance(x, Document)][:max_texts]
        if docs:
            recs = [r for r in analyze_many(docs) if "error" not in r and r["quotes"]]
            if recs:
                return recs, str(d)
    raise SystemExit("no article texts found (../shared/data/polnear/train/text or examples/)")


def perturb(rec: dict[str, Any], r: random.Random, vocab: dict[int, list[str]], rate: float) -> str:
    """The record's text with a share of its words swapped for words of the same length."""

    def swap(m: re.Match[str]) -> str:
        w = m.group(0)
        if r.random() >= rate:
            return w
        new = r.choice(vocab.get(len(w)) or [w])
        return new.capitalize() if w[0].isupper() else new

    return _WORD.sub(swap, rec["article"]["text"])


def replicate(base: dict[str, Any], k: int, r: random.Random, vocab: dict[int, list[str]], text: str) -> dict[str, Any]:
    rec = copy.deepcopy(base)
    outlet = r.choice(OUTLETS)
    art = rec["article"]
    art.update(
        id=f"bench-{k}",
        source=f"bench/{k}.txt",
        url=f"https://{outlet.lower().replace(' ', '-')}.example/{k}",
        outlet=outlet,
        published=(date(2020, 1, 1) + timedelta(days=r.randrange(6 * 365))).isoformat(),
        title=f"{art.get('title') or 'Untitled'} ({k})",
        text=text,
    )
    names = {}
    for a in rec["actors"]:
        if a["kind"] == "person":
            first, last = r.choice(FIRST.split()), r.choice(LAST.split())
            names[a["id"]] = f"{first} {last}"
            a["name"], a["aliases"] = f"{first} {last}", [last]
    for q in rec["quotes"]:
        if q["speaker"]["actor"] in names:
            q["speaker"]["name"] = names[q["speaker"]["actor"]]
    return rec


def build(store: Store, n: int, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    bases, where = real_records(40)
    analysed_s = time.perf_counter() - t0
    vocab: dict[int, set[str]] = {}
    for b in bases:
        for w in _WORD.findall(b["article"]["text"]):
            vocab.setdefault(len(w), set()).add(w.lower())
    vocab_lists = {k: sorted(v) for k, v in vocab.items()}
    r = random.Random(seed)
    made: list[dict[str, Any]] = []

    def records() -> Any:
        for k in range(n):
            if made and r.random() < 0.05:  # a light edit of an earlier replica: a near-duplicate
                earlier = r.choice(made[-500:])
                text = perturb(earlier, r, vocab_lists, 0.01)
                rec = replicate(earlier, k, r, vocab_lists, text)
            else:
                base = bases[k % len(bases)]
                rec = replicate(base, k, r, vocab_lists, perturb(base, r, vocab_lists, 0.3))
            made.append(rec)
            if len(made) > 1000:
                del made[:500]
            yield rec

    t1 = time.perf_counter()
    stats = ingest_records(store, records(), batch_size=200)
    return {
        "source": where,
        "real_texts": len(bases),
        "analyse_s": round(analysed_s, 1),
        "insert_s": round(time.perf_counter() - t1, 1),
        "stored": stats.loaded,
        "errors": stats.errors,
    }


def make_queries(store: Store, count: int, seed: int) -> list[SearchQuery]:
    """A reproducible mix of searches drawn from what the store holds."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        speakers = [s for (s,) in conn.execute(text("SELECT DISTINCT speaker_name FROM quotes LIMIT 2000")) if s]
        words = []
        for (content,) in conn.execute(text("SELECT content FROM quotes ORDER BY id LIMIT 3000")):
            words += [w.lower() for w in _WORD.findall(content) if len(w) > 4]
    r = random.Random(seed)
    queries = []
    for i in range(count):
        day = date(2020, 1, 1) + timedelta(days=r.randrange(5 * 365))
        kind = i % 10
        if kind < 3:
            q = SearchQuery(text=" ".join(r.sample(words, r.choice([1, 1, 2]))))
        elif kind == 3:
            q = SearchQuery(text=r.choice(words), speaker=r.choice(speakers))
        elif kind == 4:
            q = SearchQuery(speaker=r.choice(speakers))
        elif kind == 5:
            q = SearchQuery(speaker=r.choice(LAST.split()), since=day)  # an alias (surname)
        elif kind == 6:
            q = SearchQuery(outlet=[r.choice(OUTLETS)], since=day, until=day + timedelta(days=90))
        elif kind == 7:
            q = SearchQuery(text=r.choice(words), outlet=[r.choice(OUTLETS)], since=day)
        elif kind == 8:
            q = SearchQuery(text=f'"{r.choice(words)} {r.choice(words)}" OR {r.choice(words)}', kind=["direct"])
        else:
            q = SearchQuery(text=r.choice(words), dedup=True, what=r.choice(["quotes", "articles"]))
        queries.append(q)
    return queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help="the SQLite file (default in $TMPDIR)")
    ap.add_argument("--url", help="another store URL instead (PostgreSQL); --rebuild does not empty it")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rebuild", action="store_true", help="build the store again even if it exists")
    a = ap.parse_args()

    if a.rebuild and not a.url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{a.db}{suffix}").unlink(missing_ok=True)
    store = Store.open(a.url or f"sqlite:///{a.db}")
    built: dict[str, Any] = {"reused": True}
    with store.engine.connect() as conn:
        from sqlalchemy import text

        have = conn.scalar(text("SELECT count(*) FROM articles"))
    if have < a.articles:
        if have:
            sys.exit(f"{store.display_url()} holds {have} articles, fewer than {a.articles}: pass --rebuild")
        print(f"building {a.articles} articles in {store.display_url()} ...", flush=True)
        built = build(store, a.articles, a.seed)
        print(f"built: {json.dumps(built)}", flush=True)
    with store.engine.connect() as conn:
        from sqlalchemy import text

        n_articles = conn.scalar(text("SELECT count(*) FROM articles"))
        n_quotes = conn.scalar(text("SELECT count(*) FROM quotes"))
        n_groups = conn.scalar(text("SELECT count(DISTINCT near_dup_group) FROM articles"))

    queries = make_queries(store, a.queries, a.seed)
    for q in make_queries(store, 10, a.seed + 1):  # warm the page cache and the statement cache
        search(store, q)
    times, hits = [], 0
    for q in queries:
        t0 = time.perf_counter()
        hits += len(search(store, q))
        times.append((time.perf_counter() - t0) * 1000)
    store.close()
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    result = {
        "db": store.display_url(),
        "articles": n_articles,
        "quotes": n_quotes,
        "near_dup_groups": n_groups,
        "queries": len(times),
        "results": hits,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(times[-1], 2),
        "target_p95_ms": 100,
        "build": built,
    }
    print(f"{len(times)} searches over {n_articles} articles / {n_quotes} quotes: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
