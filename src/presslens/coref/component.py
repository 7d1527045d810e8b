"""The spaCy component ``presslens_coref``: runs after ``presslens_quotes`` and stores its links on
``doc._.presslens_coref`` (a list of ``resolve.Link``)."""

from __future__ import annotations

import warnings
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from presslens.coref.model import PairScorer, accurate_scorer, default_scorer
from presslens.coref.resolve import Link, resolve

if not Doc.has_extension("presslens_coref"):
    Doc.set_extension("presslens_coref", default=None)


class CorefComponent:
    """Adds resolved pronouns and descriptions to the actors' mentions. *accurate*: personal pronouns are
    scored with the encoder pair scorer (``model.accurate_scorer``; several times slower) when its encoder
    package is installed, else (with a warning) with the default scorer."""

    def __init__(self, model: str | None = None, accurate: bool = False):
        self.scorer = PairScorer.load(model) if model else default_scorer()
        self.accurate = False
        if accurate and not model:
            from presslens.tagger.minilm import EncoderMissing

            try:
                scorer = accurate_scorer()
                scorer.encoder()
                self.scorer = scorer
                self.accurate = True
            except (EncoderMissing, FileNotFoundError) as exc:
                warnings.warn(f"coreference: accurate mode unavailable ({exc}); using the default scorer", stacklevel=2)

    def __call__(self, doc: Doc) -> Doc:
        doc._.presslens_coref = resolve(doc, self.scorer)
        return doc


@Language.factory("presslens_coref", default_config={"model": None, "accurate": False})
def make_coref(nlp: Language, name: str, model: str | None, accurate: bool) -> CorefComponent:
    return CorefComponent(model, accurate)


def coref_records(doc: Doc) -> list[dict[str, Any]]:
    """The links of *doc* as record entries: ``{"span": [s, e], "actor": "a1", "kind": ..., "score": ...}``."""
    links: list[Link] = doc._.presslens_coref or []
    return [link.to_dict() for link in links]
