"""The technique model: a token tagger for spans (SI) and a span classifier for techniques (TC), both linear
over hashed features, stored as weights only (``model.npz``) with a description of how they were made
(``model.json``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from presslens.techniques.calibrate import load_calibrations
from presslens.techniques.evidence import EVIDENCE_FILE, Evidence

SI_BITS = 20
TC_BITS = 18
MODEL_DIR = "data/techniques"
ACCURATE_STEM = "span_tagger_accurate"  # the accurate mode's span tagger (spaCy vectors + encoder states)
CALIBRATION_FILE = "calibration.json"  # calibrated probabilities and thresholds (``techniques.calibrate``)


@lru_cache(maxsize=4)
def _hasher(bits: int) -> Any:
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(2**bits, input_type="string", alternate_sign=False)


def hash_rows(rows: list[list[str]], bits: int, log_counts: bool = False) -> Any:
    """A CSR matrix of hashed string features, one row per list."""
    X = _hasher(bits).transform(rows).tocsr()
    if log_counts:
        X.data = np.log1p(X.data)
    return X


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def feature_index(feature: str, size: int) -> int:
    """The column ``hash_rows`` (scikit-learn's FeatureHasher, unsigned) puts *feature* in."""
    from sklearn.utils import murmurhash3_32

    h = int(murmurhash3_32(feature, seed=0))
    return (2147483647 - (size - 1)) % size if h == -2147483648 else abs(h) % size


def feature_indices(features: Sequence[str], size: int) -> np.ndarray:
    """``feature_index`` of each of *features* (one FeatureHasher call for all of them)."""
    if not features:
        return np.zeros(0, dtype=np.int64)
    X = _hasher(size.bit_length() - 1).transform([[f] for f in features]).tocsr()
    X.sort_indices()
    return X.indices.astype(np.int64)


#: Most feature strings whose linear-tagger weight a model keeps at hand (a few MB; cleared when full).
WEIGHT_CACHE_MAX = 500_000


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class TechniqueModel:
    si_coef: np.ndarray  # (2**SI_BITS,)
    si_bias: float
    tc_coef: np.ndarray  # (n_techniques, 2**TC_BITS)
    tc_bias: np.ndarray  # (n_techniques,)
    techniques: list[str]
    threshold: float = 0.15  # token probability that opens or continues a span (after smoothing)
    smooth: int = 1  # moving-average half-window over token probabilities
    meta: dict[str, Any] = field(default_factory=dict)
    # A BiLSTM-CRF span tagger (``presslens.attribution.model.SequenceTagger``, tags O/B-span/I-span); when
    # present, it gives the token probabilities for spans instead of the linear tagger (si_coef).
    span_tagger: Any = None
    tagger_threshold: float = 0.2
    tagger_weight: float = 1.0  # token probability = weight * tagger + (1 - weight) * linear tagger
    tagger_min_mean: float = 0.0  # spans whose mean token probability is lower are dropped
    # The accurate mode: a span tagger that also reads MiniLM token states (``presslens.tagger.minilm``), with its
    # own threshold and weight; ``accurate()`` returns the model that uses it.
    accurate_tagger: Any = None
    accurate_threshold: float = 0.2
    accurate_weight: float = 1.0
    accurate_min_mean: float = 0.0
    # Calibrated span probabilities and per-technique thresholds (``calibrate.Calibration``; calibration.json),
    # one for each mode; None: not calibrated (scores are raw, every span is kept).
    calibration: Any = None
    accurate_calibration: Any = None
    # The accurate mode's technique classifier (``finetuned.TechniqueEncoder``: fine-tuned MiniLM), mixed with
    # the linear one by ``classify``; ``classifier`` is set only in the model ``accurate()`` returns.
    classifier: Any = None
    classifier_weight: float = 0.0  # its share in the mix
    accurate_classifier: Any = None
    accurate_classifier_weight: float = 0.0
    # The accurate mode's fine-tuned span tagger (``finetuned.SpanEncoder``): its token probabilities are mixed
    # into the span tagger's at ``span_encoder_weight`` (``detector.tagger_proba``); set like ``classifier``.
    span_encoder: Any = None
    span_encoder_weight: float = 0.0
    accurate_span_encoder: Any = None
    accurate_span_weight: float = 0.0
    # word evidence of spans (``evidence.Evidence``; evidence.json), read by the default keep mode
    evidence: Any = None
    # feature string -> its weight in si_coef, filled as ``si_weights_of`` meets them
    _si_weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    # tc_coef transposed as float64, made once: the product with a float64 matrix converts float16 weights on
    # every call otherwise (a copy of the whole matrix per document)
    _tc_t: Any = field(default=None, repr=False, compare=False)

    def accurate(self) -> TechniqueModel:
        """This model with the accurate span tagger in place of the default one."""
        if self.accurate_tagger is None:
            raise ValueError("this technique model has no accurate span tagger (presslens train techniques --accurate)")
        return replace(
            self,
            span_tagger=self.accurate_tagger,
            tagger_threshold=self.accurate_threshold,
            tagger_weight=self.accurate_weight,
            tagger_min_mean=self.accurate_min_mean,
            accurate_tagger=None,
            # its own calibration: its raw scores run higher than the default tagger's (None: every span kept)
            calibration=self.accurate_calibration,
            accurate_calibration=None,
            classifier=self.accurate_classifier,
            classifier_weight=self.accurate_classifier_weight,
            accurate_classifier=None,
            span_encoder=self.accurate_span_encoder,
            span_encoder_weight=self.accurate_span_weight,
            accurate_span_encoder=None,
        )

    # ----- scoring ------------------------------------------------------------------------------------
    def token_proba_of(self, sums: np.ndarray) -> np.ndarray:
        """The linear tagger's token probabilities from the sums of its weights over each token's features
        (``features.token_weight_sums`` of ``si_weights_of``): the same numbers as
        ``si_proba(hash_rows(token_features(v), SI_BITS))``."""
        return _sigmoid(np.asarray(sums, dtype=np.float64) + self.si_bias)

    def si_weights_of(self, features: Sequence[str]) -> np.ndarray:
        """The linear tagger's weight of each of *features* (its hashed column of ``si_coef``, float64), cached;
        the ones not cached are hashed all at once."""
        cache = self._si_weights
        got = list(map(cache.get, features))
        missing = [k for k, w in enumerate(got) if w is None]
        if missing:
            if len(cache) + len(missing) > WEIGHT_CACHE_MAX:
                cache.clear()
            names = [features[k] for k in missing]
            found = self.si_coef[feature_indices(names, len(self.si_coef))].astype(np.float64).tolist()
            for k, w in zip(missing, found, strict=True):
                got[k] = w
            cache.update(zip(names, found, strict=True))
        return np.array(got, dtype=np.float64)

    def si_proba(self, X: Any) -> np.ndarray:
        """The linear tagger's token probabilities from hashed token features (``hash_rows``)."""
        return _sigmoid(X @ self.si_coef + self.si_bias)

    def span_proba(
        self,
        p_tagger: np.ndarray,
        linear: Callable[[], np.ndarray],
        tuned: Callable[[], np.ndarray] | None = None,
    ) -> np.ndarray:
        """Token probability of lying in a span: ``tagger_weight`` of the span tagger's, the rest the linear
        tagger's (*linear* is called only when its share is not zero); then, with a fine-tuned span tagger
        (*tuned*: its token probabilities), ``span_encoder_weight`` of that one's."""
        w = self.tagger_weight
        p = p_tagger if w >= 1.0 else w * p_tagger + (1.0 - w) * linear()
        fw = self.span_encoder_weight
        if tuned is not None and fw > 0:
            p = (1.0 - fw) * p + fw * tuned()
        return p

    def technique_proba(self, span_rows: list[list[str]]) -> np.ndarray:
        if not span_rows:
            return np.zeros((0, len(self.techniques)))
        X = hash_rows(span_rows, TC_BITS, log_counts=True)
        if self._tc_t is None or self._tc_t.shape != self.tc_coef.T.shape:
            self._tc_t = np.ascontiguousarray(self.tc_coef.T, dtype=np.float64)
        return _softmax(np.asarray(X @ self._tc_t) + self.tc_bias)

    def classify(self, text: str, spans: Sequence[tuple[int, int]], rows: list[list[str]]) -> np.ndarray:
        """Technique probabilities of each ``(start, end)`` of *text* (*rows*: their ``span_features``): the
        linear classifier's, mixed with the fine-tuned classifier's when this model has one (accurate mode)."""
        p = self.technique_proba(rows)
        if self.classifier is None or not len(rows):
            return p
        q = self.classifier.proba(text, spans)
        order = [self.classifier.techniques.index(t) for t in self.techniques]
        w = self.classifier_weight
        return (1.0 - w) * p + w * q[:, order]

    # ----- storage ------------------------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            d / "model.npz",
            si_coef=self.si_coef.astype(np.float32),
            si_bias=np.array([self.si_bias], dtype=np.float32),
            tc_coef=self.tc_coef.astype(np.float16),
            tc_bias=self.tc_bias.astype(np.float32),
        )
        meta = dict(self.meta)
        meta.update(
            {
                "techniques": list(self.techniques),
                "threshold": self.threshold,
                "smooth": self.smooth,
                "si_bits": SI_BITS,
                "tc_bits": TC_BITS,
            }
        )
        if _save_tagger(d, self.span_tagger, "span_tagger"):
            meta["tagger_threshold"] = self.tagger_threshold
            meta["tagger_weight"] = self.tagger_weight
            meta["tagger_min_mean"] = self.tagger_min_mean
        if _save_tagger(d, self.accurate_tagger, ACCURATE_STEM):
            meta["accurate_threshold"] = self.accurate_threshold
            meta["accurate_weight"] = self.accurate_weight
            meta["accurate_min_mean"] = self.accurate_min_mean
            meta["accurate_classifier_weight"] = self.accurate_classifier_weight
            meta["accurate_span_weight"] = self.accurate_span_weight
        (d / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path | None = None) -> TechniqueModel:
        """Load from *directory*, or the model shipped in the package."""
        if directory is None:
            base = resources.files("presslens").joinpath(MODEL_DIR)
            with base.joinpath("model.json").open(encoding="utf-8") as f:
                meta = json.load(f)
            with base.joinpath("model.npz").open("rb") as f:
                arrays = dict(np.load(f))
            with resources.as_file(base) as path:
                taggers = _load_taggers(Path(path))
                calibrations = load_calibrations(Path(path) / CALIBRATION_FILE)
                evidence = Evidence.load(Path(path) / EVIDENCE_FILE)
                classifier, span_encoder = _load_finetuned(Path(path))
        else:
            d = Path(directory)
            meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
            with np.load(d / "model.npz") as z:
                arrays = dict(z)
            taggers = _load_taggers(d)
            calibrations = load_calibrations(d / CALIBRATION_FILE)
            evidence = Evidence.load(d / EVIDENCE_FILE)
            classifier, span_encoder = _load_finetuned(d)
        if meta.get("si_bits") != SI_BITS or meta.get("tc_bits") != TC_BITS:
            raise ValueError("technique model was trained with another feature size; retrain it")
        return cls(
            si_coef=arrays["si_coef"].astype(np.float32),
            si_bias=float(arrays["si_bias"][0]),
            tc_coef=arrays["tc_coef"].astype(np.float32),
            tc_bias=arrays["tc_bias"].astype(np.float32),
            techniques=list(meta["techniques"]),
            threshold=float(meta["threshold"]),
            smooth=int(meta["smooth"]),
            meta=meta,
            span_tagger=taggers.get("span_tagger"),
            tagger_threshold=float(meta.get("tagger_threshold", 0.2)),
            tagger_weight=float(meta.get("tagger_weight", 1.0)),
            tagger_min_mean=float(meta.get("tagger_min_mean", 0.0)),
            accurate_tagger=taggers.get(ACCURATE_STEM),
            accurate_threshold=float(meta.get("accurate_threshold", 0.2)),
            accurate_weight=float(meta.get("accurate_weight", 1.0)),
            accurate_min_mean=float(meta.get("accurate_min_mean", 0.0)),
            calibration=calibrations.get("default"),
            accurate_calibration=calibrations.get("accurate"),
            evidence=evidence,
            accurate_classifier=classifier,
            accurate_classifier_weight=float(meta.get("accurate_classifier_weight", 0.0)) if classifier else 0.0,
            accurate_span_encoder=span_encoder,
            accurate_span_weight=float(meta.get("accurate_span_weight", 0.0)) if span_encoder else 0.0,
        )


def _load_finetuned(d: Path) -> tuple[Any, Any]:
    """The accurate mode's fine-tuned technique classifier and span tagger stored in *d* (None where absent)."""
    from presslens.techniques.finetuned import SPAN_STEM, STEM, SpanEncoder, TechniqueEncoder

    classifier = TechniqueEncoder.read(d) if (d / f"{STEM}.npz").is_file() else None
    return classifier, SpanEncoder.read(d) if (d / f"{SPAN_STEM}.npz").is_file() else None


def _save_tagger(d: Path, tagger: Any, stem: str) -> bool:
    """Write *tagger* as ``stem.npz``/``stem.json`` (float16 weights), or remove a stale one when it is None;
    whether one was written."""
    if tagger is None:
        for stale in (f"{stem}.npz", f"{stem}.json"):
            (d / stale).unlink(missing_ok=True)
        return False
    from presslens.tagger.train import save_weights

    save_weights(d, {k: v.astype(np.float16) for k, v in tagger.weights.items()}, tagger.meta, stem=stem)
    return True


def _load_taggers(d: Path) -> dict[str, Any]:
    """The span taggers stored in *d*: the default one and the accurate mode's."""
    from presslens.attribution.model import check_features
    from presslens.tagger.crf import SequenceTagger

    taggers = {
        stem: SequenceTagger.load(d, stem=stem)
        for stem in ("span_tagger", ACCURATE_STEM)
        if (d / f"{stem}.npz").is_file()
    }
    for tagger in taggers.values():
        check_features(tagger.meta)  # the span taggers read the attribution features
    return taggers
