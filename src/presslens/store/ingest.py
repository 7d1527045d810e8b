"""Ingest: inputs (or ready records) into a store, idempotently, each article all-or-nothing.

* An article is known by its URL when it has one, else by its content hash (sha256 of its text). Known
  articles are skipped before any analysis; ``reanalyze=True`` analyses them again and replaces their rows.
* A text already stored under another URL (a syndicated copy) is stored again with its own metadata but the
  stored analysis: an exact duplicate is never analysed twice.
* Each article's rows (article, actors, actor names, quotes, techniques, figures, claims, relations,
  signature) are written inside one
  savepoint, and a small batch of articles is committed at once: a process killed at any moment leaves
  every article either complete or absent, and running the same ingest again completes the job.
* An input that fails becomes a row in ``errors`` (one per source: a retry replaces it, a success deletes it).
* Parquet shards of records (a ``record`` column of record JSON, as written by ``presslens.parallel.run_dask``
  or by ``presslens export --what records --format parquet``) are loaded without analysis.
"""

from __future__ import annotations

import copy
import itertools
import os
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from presslens.inputs import DEFAULT_MAX_BYTES, Document, InputError, iter_inputs
from presslens.record.render import technique_shown
from presslens.store import Store, content_hash, dedup, name_key
from presslens.store.db import storable
from presslens.store.facts import fact_rows
from presslens.store.models import Actor, ActorName, Article, Claim, Error, Figure, Quote, Relation, Technique
from presslens.store.sources import _first_line, _shard_records, _split_inputs, count_inputs

__all__ = ["IngestStats", "count_inputs", "ingest", "ingest_records"]

DEFAULT_BATCH_SIZE = 16
_OPTIMIZE_AFTER = 1000  # articles stored in one run
_JOIN = " … "  # between the pieces of a quote's content or cue (as presslens analyze shows them)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")

Analyser = Callable[[Iterable[Document]], Iterator[dict[str, Any]]]


@dataclass
class IngestStats:
    """What one ingest run did."""

    analysed: int = 0  # articles analysed and stored (new or replaced)
    copied: int = 0  # exact copies of a stored text under a new URL, stored with the stored analysis
    loaded: int = 0  # records loaded from Parquet shards
    replaced: int = 0  # of the above, how many replaced an article's earlier rows (--reanalyze)
    known: int = 0  # skipped: already stored
    errors: int = 0
    error_sources: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.analysed} analysed"]
        if self.copied:
            parts.append(f"{self.copied} copied from identical text")
        if self.loaded:
            parts.append(f"{self.loaded} loaded from shards")
        if self.replaced:
            parts.append(f"{self.replaced} replaced")
        parts += [f"{self.known} skipped as known", f"{self.errors} error{'s' if self.errors != 1 else ''}"]
        return ", ".join(parts)


# --------------------------------------------------------------------------------------------- rows


def _published_date(published: str | None) -> date | None:
    m = _ISO_DATE.match(published or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _joined(text: str, spans: Iterable[Sequence[int]]) -> str:
    return _JOIN.join(text[s:e] for s, e in spans)


def _write_article(session: Session, rec: dict[str, Any], *, replace: bool, analysed_at: datetime | None) -> str:
    """Store one record's rows in the session's current transaction: ``"inserted"``, ``"replaced"`` or
    ``"known"`` (an article with the same identity is stored and ``replace`` is false)."""
    art = rec["article"]
    text: str = art["text"]
    digest = content_hash(text)
    url = art.get("url") or None
    if url:
        existing = session.scalar(select(Article).where(Article.url == url))
    else:
        existing = session.scalar(
            select(Article)
            .where(Article.content_hash == digest)
            .order_by(Article.url.is_not(None), Article.id)
            .limit(1)
        )
    if existing is not None and not replace:
        return "known"
    row = existing or Article()
    meta = {k: art.get(k) for k in ("source", "url", "title", "outlet", "author", "published", "language")}
    if existing is not None:  # a replacement keeps what the new input leaves unknown (and so its identity)
        meta = {k: v if v is not None else getattr(existing, k) for k, v in meta.items()}
        for model in (Actor, ActorName, Quote, Technique, Figure, Claim, Relation):
            session.execute(delete(model).where(model.article_id == existing.id))
    provenance = rec.get("presslens") or {}
    row.record_id = str(art.get("id") or digest[:16])
    for name, value in meta.items():
        setattr(row, name, value)
    row.published_date = _published_date(row.published)
    row.content_hash = digest
    row.presslens_version = provenance.get("version")
    row.model_version = provenance.get("model")
    row.analysed_at = analysed_at or datetime.now(UTC)
    row.ignored = art.get("ignored") or []
    row.text = text
    row.record = rec
    if existing is None:
        session.add(row)
    session.flush()
    _write_children(session, row.id, rec)
    dedup.assign(session, row, text, fresh=existing is None)
    session.flush()
    return "inserted" if existing is None else "replaced"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _write_children(session: Session, article_id: int, rec: dict[str, Any]) -> None:
    text = rec["article"]["text"]
    actors, names, quotes, techniques = [], [], [], []
    for a in rec.get("actors") or []:
        actors.append(
            {
                "article_id": article_id,
                "actor_id": a["id"],
                "name": a["name"],
                "kind": a["kind"],
                "titles": a.get("titles") or [],
                "roles": a.get("roles") or [],
                "aliases": a.get("aliases") or [],
                "mentions": a.get("mentions") or [],
                "kb_id": a.get("kb_id"),
                "confidence": _number(a.get("confidence")),
            }
        )
        keys = {name_key(n) for n in [a["name"], *(a.get("aliases") or [])]} - {None, ""}
        names += [{"article_id": article_id, "actor_id": a["id"], "key": k} for k in sorted(keys)]
    for q in rec.get("quotes") or []:
        sp = q.get("speaker") or {}
        span = sp.get("span")
        quotes.append(
            {
                "article_id": article_id,
                "quote_id": q["id"],
                "kind": q["kind"],
                "content": _joined(text, q["content"]),
                "spans": q["content"],
                "cue": _joined(text, q.get("cue") or []) or None,
                "cue_spans": q.get("cue") or [],
                "speaker_text": text[span[0] : span[1]] if span else None,
                "speaker_span": span,
                "speaker_actor": sp.get("actor"),
                "speaker_name": sp.get("name"),
                "speaker_key": name_key(sp.get("name")),
                "confidence": q.get("confidence"),
                "negated": q.get("negated") is True,
            }
        )
    for t in rec.get("techniques") or []:
        if not technique_shown(t):
            continue  # under the display bar: kept in the stored record, not in the corpus views (docs/store.md)
        voice = t.get("voice") or {}
        s, e = t["span"]
        techniques.append(
            {
                "article_id": article_id,
                "technique": t["technique"],
                "span": t["span"],
                "score": t.get("score"),
                "voice_quote": voice.get("quote"),
                "voice_actor": voice.get("actor"),
                "text": text[s:e],
            }
        )
    facts = fact_rows(rec, article_id)
    for model, rows in (
        (Actor, actors),
        (ActorName, names),
        (Quote, quotes),
        (Technique, techniques),
        (Figure, facts["figures"]),
        (Claim, facts["claims"]),
        (Relation, facts["relations"]),
    ):
        if rows:
            session.execute(insert(model), rows)


# --------------------------------------------------------------------------------------------- writer


@dataclass
class _Op:
    kind: str  # "record" | "copy" | "error" | "known"
    record: dict[str, Any] | None = None
    doc: Document | None = None
    digest: str | None = None
    source: str | None = None
    error_kind: str = ""
    message: str = ""
    loaded: bool = False


class _Writer:
    """Collects outcomes and writes them in small committed batches, each article in its own savepoint."""

    def __init__(self, store: Store, stats: IngestStats, *, replace: bool, batch_size: int, run_id: str) -> None:
        self.store = store
        self.stats = stats
        self.replace = replace
        self.batch_size = max(1, batch_size)
        self.run_id = run_id
        self.pending: list[_Op] = []
        self.deferred: list[_Op] = []  # copies whose original is not stored yet
        self.fresh: set[str] = set()  # with replace: the texts this run has analysed (copies come from these)

    def add(self, op: _Op) -> None:
        self.pending.append(op)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def finish(self) -> None:
        """Write what is pending; after many new rows, refresh the planner's statistics."""
        self.flush()
        if self.stats.analysed + self.stats.copied + self.stats.loaded >= _OPTIMIZE_AFTER:
            self.store.optimize()

    def flush(self) -> None:
        ops = self.deferred + self.pending
        self.deferred, self.pending = [], []
        if not ops:
            return
        with self.store.session(write=True) as session, session.begin():
            done = [op.source for op in ops if op.kind == "known" and op.source is not None]
            for op in ops:
                if self._apply(session, op) and op.source is not None:
                    done.append(op.source)
            if done:  # a success clears the errors that earlier runs stored for its input
                session.execute(
                    delete(Error).where(Error.source.in_(done), or_(Error.batch.is_(None), Error.batch != self.run_id))
                )

    def _apply(self, session: Session, op: _Op) -> bool:
        """Write one outcome; whether it stored an article."""
        if op.kind in ("known", "error"):
            if op.kind == "error":
                self._error(session, op.source, op.error_kind, op.message)
            return False
        analysed_at = None
        if op.kind == "copy":
            assert op.doc is not None and op.digest is not None
            original = session.scalar(  # the newest analysis of this text
                select(Article)
                .where(Article.content_hash == op.digest)
                .order_by(Article.analysed_at.desc().nulls_last(), Article.id)
                .limit(1)
            )
            if original is None or (self.replace and op.digest not in self.fresh):
                self.deferred.append(op)
                return False
            rec = _copied_record(original.record, op.doc)
            analysed_at = original.analysed_at
        else:
            assert op.record is not None
            rec = op.record
        rec = storable(rec)  # NUL and lone surrogates out, the same on every backend
        op.source = rec["article"].get("source")
        try:
            with session.begin_nested():
                outcome = _write_article(session, rec, replace=self.replace, analysed_at=analysed_at)
        except IntegrityError as exc:  # another ingest stored the same article just now (PostgreSQL)
            if not _stored(session, rec):
                self._error(session, op.source, "store", f"{type(exc).__name__}: {_first_line(exc)}")
                return False
            outcome = "known"
        except (SQLAlchemyError, KeyError, TypeError, ValueError, IndexError) as exc:
            self._error(session, op.source, "store", f"{type(exc).__name__}: {_first_line(exc)}")
            return False
        if outcome == "known":
            self.stats.known += 1
            return True
        if outcome == "replaced":
            self.stats.replaced += 1
        if op.kind == "copy":
            self.stats.copied += 1
            return True
        if self.replace:
            self.fresh.add(content_hash(rec["article"]["text"]))
        if op.loaded:
            self.stats.loaded += 1
        else:
            self.stats.analysed += 1
        return True

    def _error(self, session: Session, source: str | None, kind: str, message: str) -> None:
        source, message = storable(source), storable(message)
        with session.begin_nested():
            if source is not None:
                session.execute(delete(Error).where(Error.source == source))
            session.execute(
                insert(Error),
                [{"source": source, "kind": kind, "message": message, "at": datetime.now(UTC), "batch": self.run_id}],
            )
        self.stats.errors += 1
        self.stats.error_sources.append(f"{source}: {kind}: {message}")


def _stored(session: Session, rec: dict[str, Any]) -> bool:
    """Whether an article with this record's identity (URL, else text) is stored."""
    art = rec["article"]
    where = Article.url == art["url"] if art.get("url") else Article.content_hash == content_hash(art["text"])
    return session.scalar(select(Article.id).where(where).limit(1)) is not None




def _copied_record(original: dict[str, Any], doc: Document) -> dict[str, Any]:
    """The stored record of a text, with the article metadata of another input of the same text."""
    rec = copy.deepcopy(original)
    art = rec["article"]
    art.update(
        id=doc.id or content_hash(doc.text)[:16],
        source=doc.source,
        title=doc.title or art.get("title"),
        url=doc.url,
        outlet=doc.outlet,
        author=doc.author,
        published=doc.published,
        language=doc.language or art.get("language"),
    )
    return rec


# --------------------------------------------------------------------------------------------- planning


class _Planner:
    """Decides, before any analysis, what each document needs: analysis, a copy of a stored analysis, or
    nothing (known). Remembers what this run has already scheduled, so repeats within a run are free too."""

    def __init__(self, store: Store, replace: bool) -> None:
        self.store = store
        self.replace = replace
        self.urls: set[str] = set()
        self.hashes: set[bytes] = set()

    def decide(self, doc: Document) -> tuple[str, str]:
        digest = content_hash(doc.text)
        seen_text = bytes.fromhex(digest[:32]) in self.hashes
        if doc.url:
            if doc.url in self.urls or (not self.replace and self.store.has_url(doc.url)):
                return "known", digest
            self.urls.add(doc.url)
            if seen_text or (not self.replace and self.store.has_hash(digest)):
                return "copy", digest
        elif seen_text or (not self.replace and self.store.has_hash(digest)):
            return "known", digest
        self.hashes.add(bytes.fromhex(digest[:32]))
        return "analyse", digest


# --------------------------------------------------------------------------------------------- analysis


def _analyser(
    workers: int, batch_size: int, warn: Callable[[str], None], nlp_options: dict[str, Any] | None = None
) -> Analyser:
    import presslens.record.pipeline as pipeline

    if workers > 1:
        try:
            from presslens.parallel import analyze_parallel, nlp_loader
        except ImportError:
            warn("presslens.parallel is not available: analysing in this process (--workers ignored)")
        else:
            loader = nlp_loader(**(nlp_options or {}))
            return lambda docs: analyze_parallel(docs, workers, batch_size=batch_size, loader=loader)
    if nlp_options:  # e.g. {"accurate": True}: a pipeline with load_nlp's options, loaded on first use
        loaded: dict[str, Any] = {}

        def run(docs: Iterable[Document]) -> Iterator[dict[str, Any]]:
            if "nlp" not in loaded:
                loaded["nlp"] = pipeline.load_nlp(**nlp_options)
            return pipeline.analyze_many(docs, nlp=loaded["nlp"], batch_size=batch_size)

        return run
    return lambda docs: pipeline.analyze_many(docs, batch_size=batch_size)


def _run_dask(
    docs: list[Document],
    address: str,
    out_dir: str,
    batch_size: int,
    workers: int,
    nlp_options: dict[str, Any] | None = None,
) -> list[str]:
    """Analyse ``docs`` on a Dask cluster (``presslens.parallel.run_dask_items``) into Parquet record shards
    under ``out_dir``; the shard paths, in order."""
    from presslens.parallel import run_dask_items

    n_workers = workers if address == "local" and workers > 1 else None  # a local cluster's size
    paths = run_dask_items(
        docs, address, out_dir, batch_size=batch_size, n_workers=n_workers, nlp_options=nlp_options or None
    )
    return [str(p) for p in paths]


# --------------------------------------------------------------------------------------------- ingest


def _run_id() -> str:
    """An ingest run's name in ``errors.batch``: its start time (UTC), process id and a random suffix."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def ingest(
    store: Store,
    inputs: Sequence[str],
    *,
    reanalyze: bool = False,
    workers: int = 1,
    dask: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: Any = None,
    on_item: Callable[[int], None] | None = None,
    warn: Callable[[str], None] | None = None,
    nlp_options: dict[str, Any] | None = None,
) -> IngestStats:
    """Ingest files, directories, ``-`` (stdin) and record shards into ``store``; see the module docstring.

    ``on_item(n)`` is called as n more inputs are dealt with (for a progress bar). *nlp_options*: keyword
    arguments of ``load_nlp`` for the analysis, in this process, the workers and on Dask (``{"accurate": True}``).
    """
    stats = IngestStats()
    writer = _Writer(store, stats, replace=reanalyze, batch_size=batch_size, run_id=_run_id())
    tick = on_item or (lambda n: None)
    say = warn or (lambda msg: print(f"presslens: {msg}", file=sys.stderr))
    shards, others = _split_inputs(inputs)
    for path in shards:
        _load(writer, _shard_records(path), tick)
    if others:
        loaded = set(shards)
        items = (
            item
            for item in iter_inputs(others, max_bytes=max_bytes, stdin=stdin)
            if not (isinstance(item, InputError) and item.source in loaded)
        )
        planner = _Planner(store, reanalyze)
        if dask:
            _ingest_dask(writer, planner, items, dask, batch_size, workers, tick, nlp_options)
        else:
            _ingest_stream(writer, planner, items, _analyser(workers, batch_size, say, nlp_options), tick)
    writer.flush()
    _finish_deferred(writer, _analyser(1, batch_size, say, nlp_options), tick)
    writer.finish()
    return stats


def ingest_records(
    store: Store, records: Iterable[dict[str, Any]], *, replace: bool = False, batch_size: int = 64
) -> IngestStats:
    """Store ready records (no analysis) through the same path as ``ingest``; error records become error rows."""
    stats = IngestStats()
    writer = _Writer(store, stats, replace=replace, batch_size=batch_size, run_id=_run_id())
    _load(writer, records, lambda n: None)
    writer.finish()
    return stats


def _load(writer: _Writer, records: Iterable[dict[str, Any] | InputError], tick: Callable[[int], None]) -> None:
    for rec in records:
        writer.add(_record_op(rec, loaded=True))
        tick(1)


def _record_op(rec: dict[str, Any] | InputError, *, loaded: bool = False) -> _Op:
    if isinstance(rec, InputError):
        return _Op("error", source=rec.source, error_kind=rec.kind, message=rec.message)
    if "error" in rec:
        err = rec["error"]
        source = (rec.get("article") or {}).get("source")
        return _Op("error", source=source, error_kind=str(err.get("kind")), message=str(err.get("message")))
    return _Op("record", record=rec, loaded=loaded)


def _plan(
    planner: _Planner, items: Iterable[Document | InputError], other: Callable[[_Op], None]
) -> Iterator[Document]:
    """The documents that need analysis; everything else (errors, known, copies) goes to ``other`` at once.
    Both analysers read their input in the calling thread, so ``other`` may write to the store."""
    for item in items:
        if isinstance(item, InputError):
            other(_record_op(item))
            continue
        item = storable(item)  # hashed, planned and analysed as it will be stored
        decision, digest = planner.decide(item)
        if decision == "analyse":
            yield item
        elif decision == "copy":
            other(_Op("copy", doc=item, digest=digest, source=item.source))
        else:
            other(_Op("known", source=item.source))


def _other(writer: _Writer, tick: Callable[[int], None]) -> Callable[[_Op], None]:
    def add(op: _Op) -> None:
        if op.kind == "known":
            writer.stats.known += 1
        writer.add(op)
        tick(1)

    return add


def _ingest_stream(
    writer: _Writer,
    planner: _Planner,
    items: Iterable[Document | InputError],
    analyse: Analyser,
    tick: Callable[[int], None],
) -> None:
    todo = _plan(planner, items, _other(writer, tick))
    first = next(todo, None)  # nothing new to analyse: the analyser (and spaCy) is never started
    if first is None:
        return
    for rec in analyse(itertools.chain([first], todo)):
        writer.add(_record_op(rec))
        tick(1)


def _ingest_dask(
    writer: _Writer,
    planner: _Planner,
    items: Iterable[Document | InputError],
    address: str,
    batch_size: int,
    workers: int,
    tick: Callable[[int], None],
    nlp_options: dict[str, Any] | None = None,
) -> None:
    docs = list(_plan(planner, items, _other(writer, tick)))
    if not docs:
        return
    with tempfile.TemporaryDirectory(prefix="presslens-dask-") as tmp:
        for path in _run_dask(docs, address, tmp, batch_size, workers, nlp_options):
            for rec in _shard_records(path):
                writer.add(_record_op(rec))
                tick(1)


def _finish_deferred(writer: _Writer, analyse: Analyser, tick: Callable[[int], None]) -> None:
    """Copies whose original never got stored (its analysis failed): analyse them after all."""
    while writer.deferred:  # a copy may have come before its original in the last batch
        before = len(writer.deferred)
        writer.flush()
        if len(writer.deferred) == before:
            break
    if not writer.deferred:
        return
    docs = [op.doc for op in writer.deferred if op.doc is not None]
    writer.deferred = []
    for rec in analyse(docs):
        writer.add(_record_op(rec))
    writer.flush()
    writer.deferred = []
