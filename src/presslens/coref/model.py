"""The pair scorer, run with NumPy: gradient-boosted trees (or a linear model) over ``features.FEATURES``; the
accurate mode's scorer is a one-hidden-layer network over those features and an encoder's pair features
(``encoder.pair_encoder_features``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from presslens.coref.features import FEATURES


class PairScorer:
    """Scores (pronoun, candidate) rows; higher means more likely the same person.

    Trees are stored as flat arrays (feature, threshold, left, right, value; a leaf has left == -1), as
    scikit-learn's gradient boosting leaves them; the score is ``init + rate * sum of leaf values``."""

    def __init__(self, meta: dict[str, Any], arrays: dict[str, np.ndarray]):
        names = meta.get("features") or []
        missing = [n for n in names if n not in FEATURES]
        if missing:
            raise ValueError(f"coref model needs features this release does not compute: {missing}; retrain it")
        # columns of features.FEATURES in the order the model was trained on
        self.columns = None if names == FEATURES else np.array([FEATURES.index(n) for n in names], dtype=np.int64)
        self.meta = meta
        self.threshold = float(meta["threshold"])
        self.kind = meta["kind"]
        self.a = arrays

    @property
    def needs_encoder(self) -> bool:
        return self.kind == "mlp"

    @property
    def encoder_name(self) -> str:
        return str(self.meta["encoder"])

    @property
    def mix(self) -> list[int]:
        """The encoder layers whose outputs are averaged into the states read (1 = the first layer's)."""
        return list(self.meta["layers"])

    def encoder(self) -> Any:
        """The frozen encoder this scorer reads (``encoder.encoder``)."""
        from presslens.coref.encoder import encoder

        return encoder(self.encoder_name)

    def encoder_layers(self) -> list[tuple]:
        return list(self.encoder().layers)

    def score(self, X: np.ndarray, E: np.ndarray | None = None) -> np.ndarray:
        """Pair scores from the hand features *X* (and, for the accurate scorer, the encoder features *E*)."""
        if len(X) == 0:
            return np.zeros(0)
        if self.columns is not None:
            X = X[:, self.columns]
        if self.kind == "mlp":
            if E is None:
                raise ValueError("this coref scorer needs the encoder pair features")
            a = self.a
            x = np.concatenate([E, (X - a["mean"]) / a["scale"]], axis=1).astype(np.float32)
            z = (np.maximum(x @ a["w1"] + a["b1"], 0.0) @ a["w2"] + a["b2"]).astype(np.float64)
        elif self.kind == "linear":
            z = X @ self.a["coef"] + float(self.a["intercept"])
        else:
            feat, thr, left, right, value, roots = (
                self.a["feature"],
                self.a["threshold"],
                self.a["left"],
                self.a["right"],
                self.a["value"],
                self.a["roots"],
            )
            n = len(X)
            node = np.repeat(roots[None, :], n, axis=0)  # (n, trees)
            rows = np.arange(n)[:, None]
            for _ in range(int(self.meta["max_depth"]) + 1):
                leaf = left[node] < 0
                go_left = X[rows, feat[node]] <= thr[node]
                node = np.where(leaf, node, np.where(go_left, left[node], right[node]))
            z = float(self.meta["init"]) + float(self.meta["rate"]) * value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, out: Path, stem: str = "model") -> None:
        out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out / f"{stem}.npz", **self.a)
        (out / f"{stem}.json").write_text(json.dumps(self.meta, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None, stem: str = "model") -> PairScorer:
        """The scorer saved as *stem*.json and *stem*.npz in *path* (default: the package's data/coref)."""
        base = Path(path) if path is not None else Path(str(resources.files("presslens") / "data" / "coref"))
        meta = json.loads((base / f"{stem}.json").read_text(encoding="utf-8"))
        with np.load(base / f"{stem}.npz") as z:
            arrays = {k: z[k] for k in z.files}
        return cls(meta, arrays)


@lru_cache(maxsize=1)
def default_scorer() -> PairScorer:
    return PairScorer.load()


ACCURATE_STEM = "accurate"  # the accurate mode's scorer: data/coref/accurate.{npz,json}


@lru_cache(maxsize=1)
def accurate_scorer() -> PairScorer:
    return PairScorer.load(stem=ACCURATE_STEM)


def from_sklearn(clf: Any, threshold: float, extra: dict[str, Any] | None = None) -> PairScorer:
    """A PairScorer from a fitted LogisticRegression or GradientBoostingClassifier (binary)."""
    meta: dict[str, Any] = {"features": FEATURES, "threshold": threshold, **(extra or {})}
    if hasattr(clf, "coef_"):
        meta["kind"] = "linear"
        arrays = {"coef": clf.coef_[0].astype(np.float64), "intercept": np.array(clf.intercept_[0])}
        return PairScorer(meta, arrays)
    feats, thrs, lefts, rights, values, roots = [], [], [], [], [], []
    off = 0
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        roots.append(off)
        feats.append(np.maximum(t.feature, 0))
        thrs.append(t.threshold)
        lefts.append(np.where(t.children_left >= 0, t.children_left + off, -1))
        rights.append(np.where(t.children_right >= 0, t.children_right + off, -1))
        values.append(t.value[:, 0, 0])
        off += t.node_count
    prior = clf.init_.class_prior_[1] if hasattr(clf.init_, "class_prior_") else 0.5
    meta.update(
        kind="trees",
        init=float(np.log(prior / (1 - prior))),
        rate=float(clf.learning_rate),
        max_depth=int(max(e.tree_.max_depth for e in clf.estimators_[:, 0])),
    )
    arrays = {
        "feature": np.concatenate(feats).astype(np.int32),
        "threshold": np.concatenate(thrs).astype(np.float64),
        "left": np.concatenate(lefts).astype(np.int32),
        "right": np.concatenate(rights).astype(np.int32),
        "value": np.concatenate(values).astype(np.float64),
        "roots": np.array(roots, dtype=np.int32),
    }
    return PairScorer(meta, arrays)
