"""Training the quote confidence model (``presslens train quotes``): scikit-learn, training only.

Input: judgement files (JSON Lines, ``docs/data/quote-judgements-*.jsonl``), one quote per line as the record of
some commit gave it (its ``confidence`` still the tagger's probability), with the actor its speaker resolves to
and how many quotes that actor speaks, and the hand judgement: ``{"page": "05844573ca7e", "article": "<record
id>", "commit": "...", "quote": {...}, "speaker_actor": {"id": "a2", "kind": "person", "confidence": 0.98} or
null, "spoken": 3, "label": "right|not_real|speaker_wrong|speaker_missing"}``; and the pages they were judged on
(the extraction benchmark's HTML), whose text is extracted again and must be the judged text. A quote counts as
right when it is a real attribution with the right speaker.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from presslens.record.actor_training import _at, _auc, _calibration, fit_listed, load_judgements, page_texts
from presslens.record.quote_confidence import FEATURES, QuoteConfidence, quote_features

GRID = tuple(round(0.3 + 0.05 * k, 2) for k in range(13))  # 0.3 .. 0.9
TARGET = 0.9  # share of right quotes among those listed by default, out of fold


def _inputs(row: dict[str, Any], texts: dict[str, str]) -> list[float]:
    actor = row.get("speaker_actor")
    actors = {str(actor["id"]): actor} if isinstance(actor, dict) else {}
    return quote_features(texts[row["page"]], row["quote"], actors, int(row.get("spoken") or 0))


def matrix(rows: list[dict[str, Any]], texts: dict[str, str]) -> tuple[list[list[float]], list[int], list[str]]:
    return [_inputs(r, texts) for r in rows], [int(r["label"] == "right") for r in rows], [r["page"] for r in rows]


def train(judged: list[Path], pages: Path, out: Path, test: list[Path] | None = None, c: float = 1.0) -> dict:
    """Fit the model on ``judged``, choose ``shown_at`` on five-fold out-of-fold predictions grouped by page
    (the lowest cut whose listed quotes are right at least ``TARGET`` of the time), score ``test`` if given,
    and write ``out`` (the package's ``data/attribution/quote_confidence.json`` by default)."""
    rows = load_judgements(judged)
    test_rows = load_judgements(test or [])
    texts = page_texts(pages, {r["page"]: r["article"] for r in rows + test_rows})
    x, y, groups = matrix(rows, texts)
    prob, grid, shown_at, weights, intercept = fit_listed(x, y, groups, c, GRID, TARGET)
    tagger = [float(r[FEATURES.index("tagger")]) for r in x]
    model: dict[str, Any] = {
        "features": list(FEATURES),
        "weights": weights,
        "intercept": intercept,
        "shown_at": shown_at,
        "trained_on": {"quotes": len(rows), "pages": len(set(groups)), "right": int(sum(y)), "C": c,
                       "files": [p.name for p in judged]},  # fmt: skip
        "cross_validation": {"auc": _auc(prob, y), "tagger_auc": _auc(tagger, y), "grid": grid,
                             "calibration": _calibration(prob, y)},  # fmt: skip
    }
    if test_rows:
        scorer = QuoteConfidence(model)
        xt, yt, gt = matrix(test_rows, texts)
        pt = [scorer.score(texts[r["page"]], r["quote"], *_actors_spoken(r)) for r in test_rows]
        model["test"] = {
            "files": [p.name for p in test or []],
            "quotes": len(test_rows),
            "pages": len(set(gt)),
            "auc": _auc(pt, yt),
            "tagger_auc": _auc([float(r[FEATURES.index("tagger")]) for r in xt], yt),
            "right_among_all": round(sum(yt) / len(yt), 3),
            "at_shown_at": _at(pt, yt, shown_at),
            "calibration": _calibration(pt, yt),
        }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    if not all(math.isfinite(w) for w in model["weights"]):
        raise ValueError("training gave non-finite weights")
    return model


def _actors_spoken(row: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], int]:
    actor = row.get("speaker_actor")
    return ({str(actor["id"]): actor} if isinstance(actor, dict) else {}), int(row.get("spoken") or 0)
