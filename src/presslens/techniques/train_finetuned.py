"""The fine-tuned parts in the accurate mode's cross-validation (``train.cross_validate``): each fold's
fine-tuned technique classifier mixed into that fold's technique probabilities at the weight with the best
out-of-fold TC, and each fold's fine-tuned span tagger's held-out token probabilities (training only)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

CLASSIFIER_WEIGHTS = tuple(round(0.1 * k, 1) for k in range(11))  # share of the fine-tuned technique classifier
SPAN_ENCODER_WEIGHTS = (0.0, 0.2, 0.35, 0.5)  # share of the fine-tuned span tagger


def mix_classifiers(
    items: Sequence[Any], runs: list, splits: list, folder: Path, log: Callable
) -> tuple[float, dict[str, float]]:
    """Give each fold model its fold's fine-tuned technique classifier (``folder/f{k}``) at the weight with the
    best out-of-fold TC micro-F1 on the gold spans; that weight and the figure of each."""
    from presslens.techniques.evaluate import group, tc, tc_labels
    from presslens.techniques.finetuned import TechniqueEncoder

    lin: dict[int, np.ndarray] = {}
    fine: dict[int, np.ndarray] = {}
    for k, (model, _p) in enumerate(runs):
        model.classifier = TechniqueEncoder.read(folder / f"f{k}")
        order = [model.classifier.techniques.index(t) for t in model.techniques]
        for i in splits[k][1]:
            it = items[i]
            if it.span_rows:
                lin[i] = model.technique_proba(it.span_rows)
                fine[i] = model.classifier.proba(it.view.doc.text, [(g.start, g.end) for g in it.gold])[:, order]
    gold = group(lab for it in items for lab in it.gold)
    scores: dict[str, float] = {}
    fold_of = {i: k for k, (_a, b) in enumerate(splits) for i in b}
    for w in CLASSIFIER_WEIGHTS:
        pred = []
        for i in lin:
            model = runs[fold_of[i]][0]
            pred += tc_labels(model, items[i].aid, items[i].gold, (1.0 - w) * lin[i] + w * fine[i])
        scores[str(w)] = tc(gold, group(pred))["micro_f1"]
        log(f"  fine-tuned classifier weight {w}: out-of-fold TC {scores[str(w)]:.4f}")
    best = max(CLASSIFIER_WEIGHTS, key=lambda w: scores[str(w)])
    for model, _p in runs:
        model.classifier_weight = best
    return best, scores


def tuned_proba(items: Sequence[Any], splits: list, folder: Path) -> dict[int, np.ndarray]:
    """Each item's out-of-fold token probabilities from the fine-tuned span tagger of its fold
    (``folder/f{k}/fold{k}-pieces.json``)."""
    from presslens.techniques.finetuned import token_proba_of_pieces

    out: dict[int, np.ndarray] = {}
    for k, (_train, test) in enumerate(splits):
        pieces = json.loads((folder / f"f{k}" / f"fold{k}-pieces.json").read_text(encoding="utf-8"))
        for i in test:
            it = items[i]
            tokens = list(zip(it.view.idx, it.view.end, strict=True))
            out[i] = token_proba_of_pieces(pieces.get(it.aid, []), tokens).astype(np.float64)
    return out
