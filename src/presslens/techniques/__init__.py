"""Persuasion techniques: spans of an article that use one of the 14 techniques of the Propaganda Techniques
Corpus (PTC), the technique, a score, and the voice that uses it (the outlet, or the speaker of a quote).

    from presslens.techniques import detect, load_model
    found = detect(doc)            # doc parsed by presslens.record.pipeline.load_nlp()

The model (``presslens/data/techniques/``) holds learnt weights only; ``presslens train techniques`` builds it.
"""

from typing import Any

from presslens.techniques.names import DESCRIPTIONS, LABELS, TECHNIQUES

__all__ = ["DESCRIPTIONS", "LABELS", "TECHNIQUES", "Technique", "detect", "load_model"]


def __getattr__(name: str) -> Any:
    """The detector (and spaCy with it) is imported on first use: ``presslens.techniques.names`` stays light."""
    if name in ("Technique", "detect", "load_model"):
        from presslens.techniques import detector

        return getattr(detector, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
