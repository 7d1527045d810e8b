"""The attribution tagger at run time: the shared BiLSTM-CRF (:mod:`presslens.tagger.crf`) over attribution features.

Training (``presslens.attribution.train``) uses PyTorch; the weights are exported to ``data/attribution/``
(``model.npz`` and ``model.json``) and read here with NumPy only, so analysing text needs no PyTorch.
Tags are BIO over three roles: source, cue and content (PolNeAR is univocal: one label per token).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from presslens.attribution.features import FEATURE_NAMES
from presslens.tagger.crf import SequenceTagger

TAGS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
ROLES = ("source", "cue", "content")


def check_features(meta: dict) -> None:
    """Refuse a tagger trained on other token features than ``attribution.features`` computes."""
    if tuple(meta["features"]) != FEATURE_NAMES:
        raise ValueError("tagger model does not match this presslens version (its features differ)")


class AttributionTagger(SequenceTagger):
    """The tagger of sources, cues and contents (tags ``TAGS``)."""

    def __init__(self, weights: dict[str, np.ndarray], meta: dict):
        if tuple(meta["tags"]) != TAGS:
            raise ValueError("attribution model does not match this presslens version (its tags differ)")
        check_features(meta)
        super().__init__(weights, meta)


MODEL_DIR = "data/attribution"


@lru_cache(maxsize=1)
def shipped_tagger() -> AttributionTagger | None:
    """The tagger shipped in the package, or None when the package carries no attribution model."""
    root = resources.files("presslens").joinpath(MODEL_DIR)
    if not root.joinpath("model.npz").is_file():
        return None
    with resources.as_file(root) as path:
        return AttributionTagger.load(path)

