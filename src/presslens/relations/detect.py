"""All relations of a doc: rules first, the learned pairwise classifier where rules say nothing."""

from __future__ import annotations

from typing import Any

from spacy.attrs import IS_ALPHA, IS_STOP
from spacy.tokens import Doc

from presslens.relations.base import MentionIndex, Relation
from presslens.relations.rules import find_rule_relations
from presslens.text.tokens import doc_text, token_ints

__all__ = ["Relation", "find_relations", "to_dict"]


def _ignored(doc: Doc) -> list[tuple[int, int]]:
    if not doc.has_extension("presslens_ignored"):
        return []
    return [tuple(getattr(i, "span", i)) for i in (doc._.presslens_ignored or [])]


def looks_english(doc: Doc, min_words: int = 40, min_stop: float = 0.2) -> bool:
    """Whether a text reads as English: at least *min_stop* of its words are English stop words (English news about
    0.4-0.5; German, Italian, Russian pages under 0.1); texts under *min_words* words pass."""
    flags = token_ints(doc, (IS_ALPHA, IS_STOP))
    words = flags[flags[:, 0] == 1]
    return len(words) < min_words or int(words[:, 1].sum()) >= min_stop * len(words)


def find_relations(doc: Doc, model: Any = None, rules: bool = True, actors: list[Any] | None = None) -> list[Relation]:
    """Relations between the actors of *doc* (``doc._.presslens_actors`` unless *actors* is given). *model*: a
    ``RelationModel`` for the learned relations (None: rules only); it may append place actors to *actors*. A text
    that does not read as English gets none (the parse and the names are noise there)."""
    if not looks_english(doc):
        return []
    if actors is None:
        actors = doc._.presslens_actors if doc.has_extension("presslens_actors") else []
        actors = actors if actors is not None else []
    index = MentionIndex(doc, actors)
    found: list[Relation] = find_rule_relations(doc, actors, index) if rules else []
    # a person who leads or works for a country lives there ("the 31st president of the United States")
    found.extend(
        Relation(r.subject, "lives_in", r.object, r.evidence, r.negated, round(r.confidence * 0.7, 4), "rule")
        for r in list(found)
        if r.relation in ("leads", "works_for") and r.subject.kind == "person" and r.object.kind == "country"
    )
    if model is not None:
        found.extend(model.predict(doc, actors, index))
    ignored = _ignored(doc)
    best: dict[tuple[str, str, str], Relation] = {}
    for r in found:
        s, e = r.evidence
        if any(a < e and s < b for a, b in ignored):
            continue
        k = r.key()
        old = best.get(k)
        if old is None or (old.method == "model" and r.method == "rule") or (
            old.method == r.method and r.confidence > old.confidence
        ):
            best[k] = r
    # where the rules relate a pair in the same family (leads/works_for/member_of), the model adds nothing
    # and a pair the rules deny anything of ("is not part of") gets nothing from the model
    rule_pairs = {_pair(r) for r in best.values() if r.method == "rule"}
    denied = {frozenset((r.subject.id, r.object.id)) for r in best.values() if r.method == "rule" and r.negated}
    out = [
        r
        for r in best.values()
        if r.method == "rule" or (_pair(r) not in rule_pairs and frozenset((r.subject.id, r.object.id)) not in denied)
    ]
    out.sort(key=lambda r: (r.evidence[0], r.evidence[1], r.subject.id, r.object.id))
    return out


FAMILY = {"leads": "work", "works_for": "work", "member_of": "work"}


def _pair(r: Relation) -> tuple[str, str, str]:
    return (r.subject.id, r.object.id, FAMILY.get(r.relation, r.relation))


def to_dict(rel: Relation, rid: str, quotes: list[Any] | None = None, text: str | None = None) -> dict[str, Any]:
    """The record entry of *rel* (``rel.to_dict`` as a function)."""
    return rel.to_dict(rid, quotes, text)


def relations_to_dicts(doc: Doc, text: bool = True) -> list[dict[str, Any]]:
    """The record's ``relations`` list for a doc that went through ``presslens_relations``."""
    quotes = doc._.presslens_quotes if doc.has_extension("presslens_quotes") else None
    return [
        r.to_dict(f"r{k}", quotes, doc_text(doc) if text else None)
        for k, r in enumerate(doc._.presslens_relations or [], 1)
    ]
