"""Persuasion techniques: spans of an article that use one of the 14 techniques of the Propaganda Techniques
Corpus (PTC), the technique, a score, and the voice that uses it (the outlet, or the speaker of a quote).

    from presslens.techniques import detect, load_model
    found = detect(doc)            # doc parsed by presslens.record.pipeline.load_nlp()

The model (``presslens/data/techniques/``) holds learnt weights only; ``presslens train techniques`` builds it.
"""

from presslens.techniques.detector import Technique, detect, load_model
from presslens.techniques.names import DESCRIPTIONS, TECHNIQUES

__all__ = ["DESCRIPTIONS", "TECHNIQUES", "Technique", "detect", "load_model"]
