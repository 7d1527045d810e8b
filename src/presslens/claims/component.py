"""The ``presslens_claims`` spaCy component: check-worthy claims on ``doc._.presslens_claims`` (a list of
``detect.Claim``); add it after ``presslens_quotes`` so that claims know their quote and speaker."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from presslens.claims.detect import FLOOR, find_claims
from presslens.claims.model import load_model

if not Doc.has_extension("presslens_claims"):
    Doc.set_extension("presslens_claims", default=None)


class ClaimsComponent:
    def __init__(self, floor: float = FLOOR) -> None:
        self.floor = floor
        self.model = load_model()

    def __call__(self, doc: Doc) -> Doc:
        doc._.presslens_claims = find_claims(doc, self.model, self.floor)
        return doc


@Language.factory("presslens_claims", default_config={"floor": FLOOR})
def make_claims(nlp: Language, name: str, floor: float) -> Any:
    """Sentences (or quoted sentences) that state checkable facts, with a calibrated score and their source."""
    return ClaimsComponent(floor)
