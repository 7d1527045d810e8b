"""Check-worthy claims in an analysed article: one candidate per sentence (or per quoted sentence), scored by
the claim model, with the quote (and its speaker) the claim comes from, or the outlet's own voice."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from presslens.claims.model import ClaimModel, load_model
from presslens.text.tokens import doc_text

FLOOR = 0.2  # candidates scoring below this are left out of the record
MIN_WORDS = 3
QUOTE_COVER = 0.5  # a quote is the source when its content covers at least this share of the sentence
_TRIM = " \t\r\n\"'“”‘’«»,;:—–-"


@dataclass
class Claim:
    span: tuple[int, int]
    checkworthy: bool
    score: float
    quote: int | None = None  # index into doc._.presslens_quotes
    actor: Any = None  # the quote's speaker (an Actor) or None

    def to_dict(self, cid: str, quotes: Sequence[Any] = ()) -> dict[str, Any]:
        """The record item; *quotes* are ``doc._.presslens_quotes`` (quote ids are ``q1``, ``q2``, ... in order)."""
        quote_id = None
        if self.quote is not None and self.quote < len(quotes):
            quote_id = f"q{self.quote + 1}"
        actor = getattr(self.actor, "id", None) if quote_id else None
        return {
            "id": cid,
            "span": list(self.span),
            "checkworthy": bool(self.checkworthy),
            "score": round(float(self.score), 3),
            "source": {"quote": quote_id, "actor": actor},
        }


def claims_to_dicts(doc: Any) -> list[dict[str, Any]]:
    """The record's ``claims`` list for a Doc that went through ``presslens_claims`` (ids ``c1``, ``c2``, ...)."""
    quotes = doc._.presslens_quotes or []
    return [c.to_dict(f"c{k}", quotes) for k, c in enumerate(doc._.presslens_claims or [], 1)]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def candidates(doc: Any) -> list[tuple[tuple[int, int], int | None]]:
    """Spans to score: each sentence outside the ignored regions, cut to the quote content it mostly consists of
    (a quoted sentence), with the index of that quote, else the whole sentence and None."""
    text = doc_text(doc)
    ignored = [tuple(i.span) for i in (getattr(doc._, "presslens_ignored", None) or [])]
    quotes = getattr(doc._, "presslens_quotes", None) or []
    pieces_of = sorted((a, b, qi) for qi, q in enumerate(quotes) for a, b in q.content if b > a)
    starts = [a for a, _, _ in pieces_of]
    longest = max((b - a for a, b, _ in pieces_of), default=0)
    out: list[tuple[tuple[int, int], int | None]] = []
    for sent in doc.sents:
        s, e = _trim(text, sent.start_char, sent.end_char)
        if e - s <= 0 or any(_overlap((s, e), ig) * 2 > e - s for ig in ignored):
            continue
        # quote pieces overlapping the sentence: they start before its end and less than *longest* before it
        inside_of: dict[int, list[tuple[int, int]]] = {}
        for j in range(bisect_left(starts, s - longest), bisect_left(starts, e)):
            a, b, qi = pieces_of[j]
            if b > s:
                inside_of.setdefault(qi, []).append((max(a, s), min(b, e)))
        best, best_cover, pieces = None, 0, []
        for qi in sorted(inside_of):
            cover = sum(b - a for a, b in inside_of[qi])
            if cover > best_cover:
                best, best_cover, pieces = qi, cover, inside_of[qi]
        if best is not None and best_cover >= QUOTE_COVER * (e - s):
            s2, e2 = _trim(text, min(a for a, _ in pieces), max(b for _, b in pieces))
            if e2 > s2:
                s, e = s2, e2
        else:
            best = None
        if sum(any(ch.isalpha() for ch in w) for w in text[s:e].split()) < MIN_WORDS:
            continue
        out.append(((s, e), best))
    return out


def find_claims(doc: Any, model: ClaimModel | None = None, floor: float = FLOOR) -> list[Claim]:
    """Scored claim candidates of *doc* at or above *floor*, in text order."""
    model = model or load_model()
    quotes = getattr(doc._, "presslens_quotes", None) or []
    cands = candidates(doc)
    spans = [doc.char_span(s, e, alignment_mode="expand") for (s, e), _ in cands]
    scores = model.proba_spans(spans) if spans else []
    claims = []
    for ((s, e), qi), p in zip(cands, scores, strict=True):
        if p < floor:
            continue
        actor = getattr(quotes[qi], "actor", None) if qi is not None else None
        claims.append(Claim((s, e), bool(p >= model.threshold), float(p), qi, actor))
    return claims
