"""Out-of-fold SI of the accurate mode's span probabilities blended with the fine-tuned MiniLM tagger's.

An experiment for issue 12 (not what ``analyze`` runs): the accurate mode's cross-validation (the same folds as
``presslens train techniques --accurate``; its fold models and tagger probabilities cached in ``--oof-cache``)
gives each article's token probabilities out of fold; the fine-tuned tagger's held-out piece probabilities
(``python -m presslens.techniques.finetune ... --fold K``, K = 0..4, the same split) give each token the highest
probability of the pieces inside it. The two are mixed, ``(1 - w) * accurate + w * fine-tuned``, decoded as the
accurate mode decodes, and scored (SI, the reference definition) over a grid of weights and thresholds chosen
on these same out-of-fold predictions (so the best figure is optimistic).

    python scripts/blend_finetuned_accurate.py --pieces /tmp/ft/f*/fold*-pieces.json \\
        --oof-cache /tmp/ptc-oof/accurate.pkl [--data ../shared/data/ptc]

Needs PyTorch and the encoder package when the cache does not exist yet (the folds are trained: about 20
minutes on 2 cores, plus parsing and MiniLM states, about 9). Last line: JSON with the best setting.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

import numpy as np


def token_probabilities(view, windows: list) -> np.ndarray:
    """Per token of *view* (a ``DocView``), the highest fine-tuned probability of the word pieces inside it."""
    from presslens.techniques.finetuned import token_proba_of_pieces

    return token_proba_of_pieces(windows, list(zip(view.idx, view.end, strict=True))).astype(float)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pieces", nargs="+", type=Path, required=True)
    ap.add_argument("--oof-cache", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()

    from presslens.record.pipeline import load_nlp
    from presslens.techniques.detector import find_spans
    from presslens.techniques.evaluate import group, overlap_prf
    from presslens.techniques.labels import Label
    from presslens.techniques.train import (
        ACCURATE_MIN_MEANS,
        ACCURATE_WEIGHTS,
        add_encoder_states,
        cross_validate,
        featurize,
        load_corpus,
    )

    texts, gold = load_corpus(a.data)
    items = featurize(texts, gold, load_nlp(), log=lambda *_: None)
    add_encoder_states(items, "minilm", log=lambda *_: None)  # the MiniLM tagger these blends were measured with
    res = cross_validate(
        items, 5, 13, tagger=True, weights=ACCURATE_WEIGHTS, min_means=ACCURATE_MIN_MEANS, jobs=a.jobs,
        oof_cache=a.oof_cache,
    )  # fmt: skip
    fine: dict = {}
    for f in a.pieces:
        fine.update(json.loads(f.read_text(encoding="utf-8")))
    base, tuned = {}, {}
    for i, it in enumerate(items):
        m = res["models"][i]
        base[i] = m.span_proba(res["probas"][i], lambda it=it, m=m: m.si_proba(it.X))
        tuned[i] = token_probabilities(it.view, fine.get(it.aid, []))
    gold_spans = group(gold)
    best = None
    for w in (0.0, 0.2, 0.35, 0.5, 0.65, 1.0):
        for threshold in (0.1, 0.15, 0.2, 0.25, 0.3):
            for min_mean in (0.0, 0.2):
                found = []
                for i, it in enumerate(items):
                    m = copy.copy(res["models"][i])
                    m.tagger_threshold, m.tagger_min_mean = threshold, min_mean
                    p = (1 - w) * base[i] + w * tuned[i]
                    found += [Label(it.aid, None, s, e) for s, e, _ in find_spans(it.view, m, p)]
                r = overlap_prf(gold_spans, group(found))
                print(f"weight {w} threshold {threshold} least mean {min_mean}: {r}", flush=True)
                if best is None or r["f1"] > best["f1"]:
                    best = {**r, "weight": w, "threshold": threshold, "least_mean": min_mean}
    print(json.dumps({"accurate_alone": res["scores"].get("si"), "best": best}))


if __name__ == "__main__":
    main()
