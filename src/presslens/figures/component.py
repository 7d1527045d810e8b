"""The spaCy component ``presslens_figures``: quantities the text asserts, on ``doc._.presslens_figures``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from presslens.figures.detect import find_figures

if not Doc.has_extension("presslens_figures"):
    Doc.set_extension("presslens_figures", default=None)


class FiguresComponent:
    """Sets ``doc._.presslens_figures`` to a list of ``detect.Figure``; needs the parser and the NER."""

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.presslens_figures = find_figures(doc)
        except Exception:  # noqa: BLE001 - figures must never break the record
            doc._.presslens_figures = []
        return doc


@Language.factory("presslens_figures")
def make_figures(nlp: Language, name: str) -> FiguresComponent:
    """Figures (quantities) with what they count; add after presslens_quotes so records can name sources."""
    return FiguresComponent()
