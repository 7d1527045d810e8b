"""The techniques stage as a spaCy component (``presslens_techniques``: ``doc._.presslens_techniques``)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from presslens.attribution.component import QuotesComponent

for _name in ("presslens_techniques", ):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class TechniquesComponent:
    """Persuasion-technique spans (``doc._.presslens_techniques``), each with its voice; needs quotes.
    *accurate*: spans from the span tagger that also reads MPNet token states (shared with the accurate
    coreference) and techniques named with the fine-tuned MiniLM classifier (needs ``make install-accurate``;
    several times slower). *keep*: which spans the record keeps, "likely"
    (default: calibrated probability over the technique's precision threshold), "f1" or "all"
    (``techniques.calibrate``)."""

    def __init__(self, accurate: bool = False, keep: str = "likely"):
        from presslens.techniques.calibrate import check_keep

        self.accurate = accurate
        self.keep = check_keep(keep)
        if accurate:
            from presslens.techniques.detector import accurate_model

            accurate_model()  # fail now, not on the first doc, when the model or an encoder is missing

    def __call__(self, doc: Doc) -> Doc:
        from presslens.techniques.detector import detect

        if doc._.presslens_quotes is None:
            QuotesComponent()(doc)
        doc._.presslens_techniques = detect(doc, accurate=self.accurate, keep=self.keep)
        return doc


@Language.factory("presslens_techniques", default_config={"accurate": False, "keep": "likely"})
def make_techniques(nlp: Language, name: str, accurate: bool, keep: str) -> TechniquesComponent:
    """The 14 PTC techniques: span, technique, calibrated probability, and the quote (or the outlet) whose voice
    uses it."""
    return TechniquesComponent(accurate, keep)
