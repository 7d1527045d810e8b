"""Training the actor confidence model (``presslens train actors``): scikit-learn, training only.

Input: judgement files (JSON Lines, ``docs/data/actor-judgements-*.jsonl``), one actor per line as a record of
some commit gave it, with the hand judgement: ``{"page": "05844573ca7e", "article": "<record id>", "commit":
"...", "actor": {...}, "quoted": 0, "relations": 0, "label": "ok|junk|kind|merge|role"}``, and the pages
they were judged on (the extraction benchmark's HTML, ``../shared/data/extraction-benchmark/html``, files named
by the page id). The text of each page is extracted again and must be the text that was judged (same record
id). An actor counts as right unless it is junk or of the wrong kind (a wrong merge or role is an error of
another field, which this model does not judge).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from presslens.record.actor_confidence import FEATURES, ActorConfidence, actor_features

WRONG = frozenset({"junk", "kind"})
GRID = tuple(round(0.3 + 0.05 * k, 2) for k in range(13))  # 0.3 .. 0.9
TARGET = 0.85  # share of right actors among those listed by default, out of fold


def load_judgements(paths: Iterable[Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def page_texts(pages: Path, wanted: dict[str, str]) -> dict[str, str]:
    """Text of each wanted page (page id -> record id), extracted as ``analyze`` does; a page whose text is no
    longer the judged text is an error (the offsets of the judged mentions would not fit)."""
    from presslens.inputs import iter_inputs
    from presslens.inputs.document import Document
    from presslens.record.pipeline import repaired, text_id

    out: dict[str, str] = {}
    for page, article in sorted(wanted.items()):
        found = sorted(pages.glob(f"{page}*"))
        if not found:
            raise FileNotFoundError(f"no page {page}* in {pages}")
        docs = [d for d in iter_inputs([str(found[0])]) if isinstance(d, Document)]
        if not docs:
            raise ValueError(f"{found[0]}: no text extracted")
        text = repaired(docs[0]).text
        if text_id(text) != article:
            raise ValueError(f"{found[0]}: the extracted text is not the text that was judged ({article})")
        out[page] = text
    return out


def matrix(rows: list[dict[str, Any]], texts: dict[str, str]) -> tuple[list[list[float]], list[int], list[str]]:
    x = [actor_features(texts[r["page"]], r["actor"], int(r.get("quoted") or 0), int(r.get("relations") or 0))
         for r in rows]  # fmt: skip
    y = [0 if r["label"] in WRONG else 1 for r in rows]
    return x, y, [str(r["page"]) for r in rows]


def _at(prob: list[float], y: list[int], t: float) -> dict[str, Any]:
    kept = [yy for p, yy in zip(prob, y, strict=True) if p >= t]
    hidden = [yy for p, yy in zip(prob, y, strict=True) if p < t]
    return {
        "shown_at": t,
        "listed": len(kept),
        "right_among_listed": round(sum(kept) / len(kept), 3) if kept else None,
        "hidden": len(hidden),
        "right_among_hidden": sum(hidden),
    }


def _calibration(prob: list[float], y: list[int]) -> list[dict[str, Any]]:
    out = []
    for lo in (0.0, 0.2, 0.4, 0.6, 0.8):
        sel = [(p, yy) for p, yy in zip(prob, y, strict=True) if lo <= p < lo + 0.2 or (lo == 0.8 and p >= 1.0)]
        if sel:
            out.append({"bin": [lo, round(lo + 0.2, 1)], "n": len(sel),
                        "mean_confidence": round(sum(p for p, _ in sel) / len(sel), 3),
                        "share_right": round(sum(yy for _, yy in sel) / len(sel), 3)})  # fmt: skip
    return out


def _auc(prob: list[float], y: list[int]) -> float:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(y, prob)), 3)


def fit_listed(
    x: list[list[float]], y: list[int], groups: list[str], c: float, grid: tuple[float, ...], target: float
) -> tuple[list[float], list[dict[str, Any]], float, list[float], float]:
    """A logistic regression (C = *c*) with five-fold out-of-fold predictions grouped by page: the predictions,
    the figures at each cut of *grid*, ``shown_at`` (the lowest cut whose listed items are right at least *target*
    of the time), and the weights and intercept fitted on all rows."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    xa, ya = np.array(x), np.array(y)
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(5).split(xa, ya, groups):
        oof[te] = LogisticRegression(C=c, max_iter=5000).fit(xa[tr], ya[tr]).predict_proba(xa[te])[:, 1]
    prob = [float(p) for p in oof]
    rows = [_at(prob, y, t) for t in grid]
    shown_at = next((g["shown_at"] for g in rows if (g["right_among_listed"] or 0) >= target), grid[-1])
    fit = LogisticRegression(C=c, max_iter=5000).fit(xa, ya)
    return prob, rows, shown_at, [round(float(w), 6) for w in fit.coef_[0]], round(float(fit.intercept_[0]), 6)


def train(judged: list[Path], pages: Path, out: Path, test: list[Path] | None = None, c: float = 1.0) -> dict:
    """Fit the model on ``judged``, choose ``shown_at`` on five-fold out-of-fold predictions grouped by page
    (the lowest cut whose listed actors are right at least ``TARGET`` of the time), score ``test`` if given,
    and write ``out`` (the package's ``data/actors/confidence.json`` by default)."""
    rows = load_judgements(judged)
    test_rows = load_judgements(test or [])
    texts = page_texts(pages, {r["page"]: r["article"] for r in rows + test_rows})
    x, y, groups = matrix(rows, texts)
    prob, grid, shown_at, weights, intercept = fit_listed(x, y, groups, c, GRID, TARGET)
    model: dict[str, Any] = {
        "features": list(FEATURES),
        "weights": weights,
        "intercept": intercept,
        "shown_at": shown_at,
        "trained_on": {"actors": len(rows), "pages": len(set(groups)), "right": int(sum(y)), "C": c,
                       "files": [p.name for p in judged]},  # fmt: skip
        "cross_validation": {"auc": _auc(prob, y), "grid": grid, "calibration": _calibration(prob, y)},
    }
    if test_rows:
        scorer = ActorConfidence(model)
        xt, yt, gt = matrix(test_rows, texts)
        pt = [scorer.score(texts[r["page"]], r["actor"], int(r.get("quoted") or 0), int(r.get("relations") or 0))
              for r in test_rows]  # fmt: skip
        ok = [1 if r["label"] == "ok" else 0 for r in test_rows]
        listed = [k for k, p in enumerate(pt) if p >= shown_at]
        model["test"] = {
            "files": [p.name for p in test or []],
            "actors": len(test_rows),
            "pages": len(set(gt)),
            "auc": _auc(pt, yt),
            "right_among_all": round(sum(yt) / len(yt), 3),
            "no_error_among_all": round(sum(ok) / len(ok), 3),
            "at_shown_at": {**_at(pt, yt, shown_at),
                            "no_error_among_listed": round(sum(ok[k] for k in listed) / max(len(listed), 1), 3)},
            "calibration": _calibration(pt, yt),
        }  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    if not all(math.isfinite(w) for w in model["weights"]):
        raise ValueError("training gave non-finite weights")
    return model
