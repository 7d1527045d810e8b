"""The relation record and an index from tokens to the actors whose mentions cover them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

RELATIONS = (
    "leads",
    "works_for",
    "member_of",
    "part_of",
    "allied_with",
    "opposes",
    "based_in",
    "lives_in",
    "located_in",
    "killed",
    "attacked",
)
SYMMETRIC = {"allied_with"}
ORG_KINDS = {"organization", "group"}
PLACE_KINDS = {"country", "other"}


@dataclass
class Relation:
    """One relation between two actors; *subject* and *object* are actor objects (anything with ``.id``)."""

    subject: Any
    relation: str
    object: Any
    evidence: tuple[int, int]
    negated: bool = False
    confidence: float = 0.9
    method: str = "rule"

    def key(self) -> tuple[str, str, str]:
        a, b = self.subject.id, self.object.id
        if self.relation in SYMMETRIC and _id_num(b) < _id_num(a):
            a, b = b, a
        return (a, self.relation, b)

    def source(self, quotes: list[Any] | None) -> dict[str, str | None]:
        """The quote whose content covers the evidence, and its speaker; else the outlet (nulls)."""
        s, e = self.evidence
        best, best_cover = None, 0
        for k, q in enumerate(quotes or [], 1):
            cover = sum(max(0, min(e, ce) - max(s, cs)) for cs, ce in q.content)
            if cover > best_cover and cover * 2 >= e - s:
                best, best_cover = (k, q), cover
        if best is None:
            return {"quote": None, "actor": None}
        k, q = best
        actor = getattr(q, "actor", None)
        return {"quote": f"q{k}", "actor": actor.id if actor is not None else None}

    def to_dict(self, rid: str, quotes: list[Any] | None = None, text: str | None = None) -> dict[str, Any]:
        """The record entry (schema presslens/1 "relations"); *text* adds the evidence as written."""
        d: dict[str, Any] = {
            "id": rid,
            "subject": self.subject.id,
            "relation": self.relation,
            "object": self.object.id,
            "evidence": list(self.evidence),
            "source": self.source(quotes),
            "negated": self.negated,
            "confidence": round(float(self.confidence), 4),
        }
        if text is not None:
            d["text"] = text[self.evidence[0] : self.evidence[1]]
        return d


def _id_num(aid: str) -> int:
    try:
        return int(aid.lstrip("a"))
    except ValueError:
        return 0


class MentionIndex:
    """For each token, the actor whose shortest mention covers it (and that mention's token span)."""

    def __init__(self, doc: Doc, actors: list[Any]):
        self.doc = doc
        self.actors = actors
        n = len(doc)
        self.actor: list[Any] = [None] * n
        self.span: list[tuple[int, int] | None] = [None] * n
        size = [10**9] * n
        for a in actors:
            for s, e in a.mentions:
                sp = doc.char_span(s, e, alignment_mode="expand")
                if sp is None or len(sp) == 0:
                    continue
                for i in range(sp.start, sp.end):
                    if len(sp) < size[i]:
                        size[i] = len(sp)
                        self.actor[i] = a
                        self.span[i] = (sp.start, sp.end)

    def at(self, tok: Token) -> Any:
        return self.actor[tok.i]

    def of_subtree(self, tok: Token) -> Any:
        """The actor of a noun phrase's head, else of its compound/flat name parts."""
        a = self.actor[tok.i]
        if a is not None:
            return a
        for c in tok.children:
            if c.dep_ in ("compound", "flat", "nmod") and self.actor[c.i] is not None:
                return self.actor[c.i]
        return None

    def mention_span(self, tok: Token) -> Span:
        sp = self.span[tok.i]
        return self.doc[sp[0] : sp[1]] if sp else self.doc[tok.i : tok.i + 1]

    def nearest_before(self, char: int, kinds: set[str]) -> Any:
        """The actor of the given kinds mentioned last before *char*."""
        best, best_end = None, -1
        for a in self.actors:
            if a.kind not in kinds:
                continue
            for s, e in a.mentions:
                if e <= char and e > best_end and (e - s) < 80:
                    best, best_end = a, e
        return best
