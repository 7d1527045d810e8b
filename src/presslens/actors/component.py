"""The actors stage as spaCy components: the gazetteer's entity ruler (``presslens_gazetteer``) and the actor
builder (``presslens_actors``: ``doc._.presslens_actors``, and ``doc._.presslens_resolver`` for later stages)."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from presslens.actors.names import load_gazetteer_entries
from presslens.actors.resolver import ActorResolver, Gazetteer
from presslens.text.component import mark_paragraphs

for _name in ("presslens_actors", "presslens_resolver", ):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer.from_entries(load_gazetteer_entries())


@Language.factory("presslens_gazetteer", default_config={"overwrite_ents": True})
def make_gazetteer(nlp: Language, name: str, overwrite_ents: bool) -> EntityRuler:
    """An entity ruler with the names and aliases of the shipped actor gazetteer; put it before "ner"."""
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=overwrite_ents)
    patterns = []
    seen = set()
    for ent in load_gazetteer_entries():
        label = "GPE" if ent.get("kind") == "country" else ("PERSON" if ent.get("kind") == "person" else "ORG")
        for n in [ent["name"], *ent.get("aliases", [])]:
            if n not in seen:
                seen.add(n)
                patterns.append({"label": label, "pattern": n})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return ruler


class ActorsComponent:
    """Merges entity mentions into ``doc._.presslens_actors``."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        if doc._.presslens_paragraphs is None:
            mark_paragraphs(doc)
        ignored = [i.span for i in doc._.presslens_ignored]
        resolver = ActorResolver(doc, self.gazetteer, ignored)
        resolver.build()
        doc._.presslens_resolver = resolver
        doc._.presslens_actors = resolver.actors
        return doc


@Language.factory("presslens_actors")
def make_actors(nlp: Language, name: str) -> ActorsComponent:
    """Actors with titles, roles and mentions; needs a parsed doc with entities."""
    return ActorsComponent(load_gazetteer())
