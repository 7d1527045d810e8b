"""Finding technique spans in a parsed doc, labelling them, and saying whose voice each one is in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.tokens import Doc

from presslens.techniques.domain import in_domain
from presslens.techniques.evidence import ANY_TECHNIQUE, effective_evidence, word_facts
from presslens.techniques.features import DocView, span_features, token_weight_sums
from presslens.techniques.model import TechniqueModel
from presslens.text.clean import Span
from presslens.text.quotemarks import straight_single_pairs
from presslens.text.tokens import doc_text

_CONTENT_POS = {"ADJ", "NOUN", "VERB", "ADV", "PROPN", "NUM", "INTJ"}


@dataclass
class Technique:
    technique: str
    span: Span
    score: float
    quote: int | None = None  # index into doc._.presslens_quotes (None: the outlet's own voice)
    shown: bool = True  # clears the display bar (``calibrate``): what the table and the web app show by default

    def to_dict(self, quotes: Sequence[Any] = ()) -> dict[str, Any]:
        """The record item; *quotes* are ``doc._.presslens_quotes`` (quote ids are ``q1``, ``q2``, ... in order)."""
        from presslens.techniques.names import DESCRIPTIONS

        quote_id = actor = None
        if self.quote is not None and self.quote < len(quotes):
            quote_id = f"q{self.quote + 1}"
            a = quotes[self.quote].actor
            actor = a.id if a is not None else None
        return {
            "technique": self.technique,
            "description": DESCRIPTIONS.get(self.technique, ""),
            "span": list(self.span),
            "score": round(float(self.score), 3),
            "voice": {"quote": quote_id, "actor": actor},
            "shown": self.shown,
        }


@lru_cache(maxsize=1)
def load_model() -> TechniqueModel:
    """The model shipped in the package (``presslens/data/techniques``)."""
    return TechniqueModel.load()


def encoder() -> Any:
    """The MiniLM encoder (``presslens.tagger.minilm``) of the fine-tuned parts, loaded once and shared."""
    from presslens.tagger.minilm import MiniLM

    return MiniLM.shared()


ENCODERS = ("minilm", "mpnet")  # the encoders whose token states a span tagger can read ("dense" in its meta)


def accurate_model(model: TechniqueModel | None = None) -> TechniqueModel:
    """*model* (the shipped one by default) in its accurate mode, with the encoders it reads loaded: raises
    ``ValueError`` when it has no accurate tagger and ``tagger.minilm.EncoderMissing`` (a ``RuntimeError``)
    when an encoder package is missing, so callers fail before the first document."""
    from presslens.tagger.mpnet import shared_encoder

    acc = (model or load_model()).accurate()
    for name in acc.span_tagger.meta.get("dense", ()):
        if name in ENCODERS:
            shared_encoder(name)
    if acc.classifier is not None or acc.span_encoder is not None:
        encoder()
    return acc


def encoder_states(doc: Doc, name: str, scale: float = 1.0) -> np.ndarray:
    """(len(doc), width) token states the accurate span tagger reads, times *scale*: "minilm", MiniLM's last
    layer; "mpnet", the mean of MPNet's layers ``mpnet.MIX`` (shared with the accurate coreference, so computed
    once per document)."""
    if name == "mpnet":
        from presslens.tagger.mpnet import mixed_token_states

        states = mixed_token_states(doc)
    elif name == "minilm":
        states = encoder().token_states(doc)
    else:
        raise ValueError(f"unknown encoder {name!r}: expected one of {ENCODERS}")
    return states * np.float32(scale)


def voice_of(span: Span, contents: Sequence[Sequence[Span]]) -> int | None:
    """The index of the quote whose content holds *span*, or None for the outlet's own voice.

    *contents* lists each quote's content pieces. A span belongs to the quote holding most of its characters,
    if that is at least half of them; otherwise it is the outlet's."""
    s, e = span
    length = max(1, e - s)
    best, best_overlap = None, 0
    for k, pieces in enumerate(contents):
        overlap = sum(max(0, min(e, pe) - max(s, ps)) for ps, pe in pieces)
        if overlap > best_overlap:
            best, best_overlap = k, overlap
    return best if best is not None and 2 * best_overlap >= length else None


def decode_spans(
    v: DocView, proba: np.ndarray, threshold: float, smooth: int, min_mean: float = 0.0
) -> list[tuple[int, int, float]]:
    """Token probabilities to spans: a moving average over ``2*smooth+1`` tokens, runs at or above *threshold*
    inside one sentence, edge punctuation and spaces trimmed, kept only if they hold a content word and their
    mean token probability is at least *min_mean*. Returns ``(start_char, end_char, mean_proba)``."""
    if v.n == 0:
        return []
    p = proba
    if smooth:
        p = np.convolve(proba, np.ones(2 * smooth + 1) / (2 * smooth + 1), mode="same")
    out = []

    def close(a: int, b: int) -> None:
        while a <= b and (v.space[a] or v.pos[a] == "PUNCT"):
            a += 1
        while b >= a and (v.space[b] or v.pos[b] == "PUNCT"):
            b -= 1
        if a <= b and any(v.pos[i] in _CONTENT_POS for i in range(a, b + 1)):
            mean = float(proba[a : b + 1].mean())
            if mean >= min_mean:
                out.append((v.idx[a], v.end[b], mean))

    for s, e in v.sents:
        cur: list[int] | None = None
        for i in range(s, e):
            if p[i] >= threshold:
                cur = [i, i] if cur is None else [cur[0], i]
            elif cur is not None:
                close(cur[0], cur[1])
                cur = None
        if cur is not None:
            close(cur[0], cur[1])
    return out


PEAK = 0.6  # inside a long span, a run of tokens this likely is reported on its own too
PEAK_MIN_TOKENS = 8


def add_peaks(v: DocView, proba: np.ndarray, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Long spans hide the words that made them ("... to reach its dirty goals ..."): runs of tokens at or
    above ``PEAK`` inside a span of ``PEAK_MIN_TOKENS`` tokens or more are added as spans of their own
    (nested spans leave the SI figure unchanged: the scorer merges overlapping spans)."""
    import bisect

    out = list(spans)
    for s, e, _ in spans:
        i, j = bisect.bisect_left(v.idx, s), bisect.bisect_left(v.idx, e)
        if j - i < PEAK_MIN_TOKENS:
            continue
        for a, b, p in decode_spans(v, np.where(np.arange(v.n) >= i, proba, 0.0), PEAK, 0):
            if s <= a and b <= e and (a, b) != (s, e):
                out.append((a, b, p))
            if a >= e:
                break
    return sorted(out)


def find_spans(v: DocView, model: TechniqueModel, proba: np.ndarray | None = None) -> list[tuple[int, int, float]]:
    """Technique spans, with the peaks inside long ones. *proba*: token probabilities of lying in a span
    (default: the linear tagger's); with the model's span tagger, pass ``tagger_proba`` and no smoothing is
    applied."""
    if model.span_tagger is not None:
        if proba is None:
            raise ValueError("a model with a span tagger needs the tagger's token probabilities (tagger_proba)")
        return add_peaks(v, proba, decode_spans(v, proba, model.tagger_threshold, 0, model.tagger_min_mean))
    if proba is None:
        proba = linear_proba(v, model)
    return add_peaks(v, proba, decode_spans(v, proba, model.threshold, model.smooth))


def tagger_proba(doc: Doc, model: TechniqueModel, v: DocView | None = None) -> np.ndarray:
    """P(token inside a technique span): the model's BiLSTM-CRF span tagger (1 - P(O)), mixed with the linear
    tagger's probability by ``model.tagger_weight``."""
    from presslens.attribution.features import featurize_again
    from presslens.text.quotemarks import pair_quotes

    quoted = doc._.presslens_quoted
    if quoted is None:
        quoted = pair_quotes(doc_text(doc), doc._.presslens_paragraphs or [], [])
    resolver = doc._.presslens_resolver
    feats = featurize_again(doc, quoted, resolver.token_actor if resolver is not None else {})
    meta = model.span_tagger.meta
    for name in (n for n in meta.get("dense", ()) if n in ENCODERS):
        feats.dense = np.concatenate([feats.dense, encoder_states(doc, name, meta.get(f"{name}_scale", 1.0))], axis=1)
    p = 1.0 - model.span_tagger.proba(feats)[:, 0]
    tuned = None
    if (span_encoder := model.span_encoder) is not None:
        tuned = lambda: span_encoder.token_proba(doc.text, [(t.idx, t.idx + len(t)) for t in doc])  # noqa: E731
    return model.span_proba(p, lambda: linear_proba(v or DocView(doc), model), tuned)


def linear_proba(v: DocView, model: TechniqueModel) -> np.ndarray:
    """The linear tagger's token probabilities (``model.si_proba`` of hashed ``token_features``, computed without
    building the feature rows)."""
    return model.token_proba_of(token_weight_sums(v, model.si_weights_of))


def span_evidence(v: DocView, model: TechniqueModel, start: int, end: int) -> float:
    """The word evidence of the span ``[start, end)`` (``evidence``); 1.0 when the model has no evidence table."""
    return word_facts(v, start, end, model.evidence).evidence


def classify(v: DocView, spans: Sequence[Span], model: TechniqueModel) -> np.ndarray:
    """Technique probabilities for each ``(start, end)`` span (rows follow ``model.techniques``); in the accurate
    mode, mixed with the fine-tuned classifier's (``TechniqueModel.classify``)."""
    return model.classify(v.doc.text, spans, [span_features(v, s, e) for s, e in spans])


def _quote_contents(doc: Doc) -> list[list[Span]]:
    return [list(q.content) for q in (doc._.presslens_quotes or [])]


def quotation_marks(text: str, pieces: Sequence[Span]) -> list[Span]:
    """The quoted stretches the voice rule reads: *pieces* (the quotation-mark stage's) and straight single quotes
    outside them, as headlines use them ("Trump Wants To Do Things 'A Hell Of A Lot Worse ...'")."""
    return [*pieces, *straight_single_pairs(text, 0, len(text), pieces)]


def in_quotation_marks(span: Span, pieces: Sequence[Span]) -> bool:
    """Whether at least half of *span*'s characters lie between paired quotation marks (``pieces``: the pieces of
    ``doc._.presslens_quoted``)."""
    s, e = span
    inside = sum(max(0, min(e, pe) - max(s, ps)) for ps, pe in pieces)
    return 2 * inside >= max(1, e - s)


def detect(
    doc: Doc, model: TechniqueModel | None = None, accurate: bool = False, keep: str = "likely"
) -> list[Technique]:
    """Technique spans of a doc parsed by presslens (quotes found), each with its most likely technique, its
    calibrated probability (``calibrate``) and whether it is shown by default. *keep*: "likely" (default) keeps the
    spans whose probability clears their technique's record threshold (out-of-fold SI precision 0.6) and every span
    shown, "f1" the best-F1 cut (PTC benchmark), "all" every span found. An uncalibrated model keeps every span,
    scored by its raw score, all shown. *accurate*: find spans with the model's accurate span tagger (slower).
    Shown, whatever *keep*: spans over the display bar (``Calibration.shows``), one per passage and technique, in
    a text about public affairs (``domain.in_domain``), and none in quotation marks that no quote holds: those
    words are somebody's, but nobody the record can name. "likely" keeps the same passages in the record, and keeps
    nothing outside public affairs."""
    from presslens.techniques.calibrate import check_keep

    check_keep(keep)
    public = in_domain(doc_text(doc))
    if keep == "likely" and not public:
        return []  # a review, a recipe, a film's plot: the labels there are praise and description, not persuasion
    model = model or load_model()
    if accurate:
        model = model.accurate()
    v = DocView(doc)
    spans = find_spans(v, model, tagger_proba(doc, model, v) if model.span_tagger is not None else None)
    cal = model.calibration
    tested = cal is not None and cal.evidence_min > 0
    facts = {(s, e): word_facts(v, s, e, model.evidence) for s, e, _ in spans} if tested else {}
    if tested and keep == "likely" and not cal.record_thresholds:
        # the record keeps only what is shown: spans that fail the word test whatever their technique go now
        spans = [
            sp
            for sp in spans
            if effective_evidence(facts[sp[:2]], ANY_TECHNIQUE, cal.evidence_scope) >= cal.evidence_min
        ]
    if not spans:
        return []
    proba = classify(v, [(s, e) for s, e, _ in spans], model)
    contents = _quote_contents(doc)
    ignored = [i.span for i in (doc._.presslens_ignored or [])]
    found, bar = [], []
    for (s, e, p_span), row in zip(spans, proba, strict=True):
        if any(a <= s and e <= b for a, b in ignored):
            continue
        k = int(np.argmax(row))
        name = model.techniques[k]
        t = Technique(name, (s, e), p_span * float(row[k]), voice_of((s, e), contents))
        if cal is not None:
            t.score = cal.probability(name, p_span, float(row[k]))
            evidence = effective_evidence(facts[(s, e)], name, cal.evidence_scope) if tested else 1.0
            if cal.shows(name, t.score, evidence):
                bar.append(t)
            if not cal.keeps(name, t.score, keep, evidence):
                continue
        found.append(t)
    if cal is None:
        return found
    marks = quotation_marks(doc_text(doc), [p for q in (doc._.presslens_quoted or []) for p in q.pieces])
    shown = _one_voiced_label(bar, marks) if public else []
    on_show = {(t.technique, t.span) for t in shown}
    if keep == "likely":
        found = _one_voiced_label(found, marks)
        # what is shown stays as the display bar picks it: a kept span that overlaps a shown one of its technique
        # gives way to it
        found = shown + [
            t
            for t in found
            if (t.technique, t.span) not in on_show
            and not any(u.technique == t.technique and u.span[0] < t.span[1] and t.span[0] < u.span[1] for u in shown)
        ]
        found.sort(key=lambda t: (t.span[0], t.span[1], t.technique))
    for t in found:
        t.shown = (t.technique, t.span) in on_show
    return found


def _one_voiced_label(found: Sequence[Technique], marks: Sequence[Span]) -> list[Technique]:
    """One label per passage and technique (``calibrate.one_per_passage``), then no span in quotation marks
    (*marks*) that no quote holds. Left out after one label per passage is chosen, so that a longer span of the
    passage does not show them as the outlet's."""
    from presslens.techniques.calibrate import one_per_passage

    kept = one_per_passage(found, lambda t: (t.technique, t.span[0], t.span[1], t.score))
    return [t for t in kept if t.quote is not None or not in_quotation_marks(t.span, marks)]


def label_spans(doc: Doc, spans: Sequence[Span], model: TechniqueModel | None = None) -> list[list[str]]:
    """For each given span, the techniques ordered from most to least likely (the TC task)."""
    model = model or load_model()
    proba = classify(DocView(doc), spans, model)
    return [[model.techniques[k] for k in np.argsort(-row, kind="stable")] for row in proba]
