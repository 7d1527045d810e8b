"""The spaCy component ``presslens_relations``: relations between actors on ``doc._.presslens_relations``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from presslens.relations.detect import find_relations

if not Doc.has_extension("presslens_relations"):
    Doc.set_extension("presslens_relations", default=None)


class RelationsComponent:
    """Rules plus (unless ``learned`` is false) the learned pairwise classifier."""

    def __init__(self, learned: bool = True, rules: bool = True):
        self.rules = rules
        self.model = None
        if learned:
            from presslens.relations.model import RelationModel

            self.model = RelationModel.load()

    def __call__(self, doc: Doc) -> Doc:
        doc._.presslens_relations = find_relations(doc, self.model, rules=self.rules)
        return doc


@Language.factory("presslens_relations", default_config={"learned": True, "rules": True})
def make_relations(nlp: Language, name: str, learned: bool, rules: bool) -> RelationsComponent:
    """Relations between ``doc._.presslens_actors``; needs presslens_actors (and presslens_quotes for sources)."""
    return RelationsComponent(learned=learned, rules=rules)
