"""How well can judged general news be told apart by what the technique stage knows of a span?

Reads the items of ``scripts/general_news_items.py`` and readers' judgements (JSON lines ``{"n": 3, "plausible":
true}``, several files; an item's label is the share of its readers who found it plausible), and prints:

- for fixed rules (the shipped one: threshold and word evidence 0.6; the thresholds alone; higher bars), how many
  items each keeps and the share judged plausible;
- for logistic filters, cross-validated by article (five folds), the ranking quality (ROC AUC against the majority
  judgement) and the share plausible among the top-ranked items: over the stage's own facts (calibrated
  probability, word evidence, a lone word, quoted or not, length, technique) and, with ``--embed``, over MiniLM
  states of the span (alone and in its paragraph; needs ``make install-accurate``).

    python scripts/general_news_filter.py --items DIR/items.jsonl \\
        --judgements docs/data/general-news-techniques.jsonl --embed

Last line: JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

TECHS = ("Loaded_Language", "Name_Calling,Labeling", "Flag-Waving", "Exaggeration,Minimisation", "Doubt")
TOPS = (30, 60, 100)


def key(d: dict[str, Any]) -> tuple:
    """An item's identity: its article, characters and technique (its number when a judgement gives no more)."""
    return (d["article"], d["start"], d["end"], d["technique"]) if "article" in d else (d["n"],)


def labels(paths: list[Path]) -> dict[tuple, float]:
    """Item (``key``) -> share of its readers who found it plausible. A line gives one reader's ``"plausible":
    true/false`` or, as ``docs/data/general-news-techniques.jsonl`` does, a list of readers' votes."""
    votes: dict[tuple, list[float]] = defaultdict(list)
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                said = d["plausible"] if isinstance(d["plausible"], list) else [d["plausible"]]
                votes[key(d)] += [1.0 if v in (True, "yes", 1) else 0.0 for v in said]
    return {k: statistics.mean(v) for k, v in votes.items()}


def facts(it: dict[str, Any]) -> list[float]:
    return [
        it["p"],
        it["evidence"],
        float(it["lone"]),
        float(it["quoted"]),
        float(np.log(max(1, it["chars"]))),
        *(float(it["technique"] == t) for t in TECHS),
    ]


def embeddings(items: list[dict[str, Any]]) -> np.ndarray:
    """MiniLM's last-layer states, mean over the span's pieces: in its paragraph, and of its words alone."""
    from presslens.tagger.minilm import MiniLM

    enc = MiniLM.shared()
    rows = []
    for it in items:
        para = it["paragraph"]
        a, b = para.index("[["), para.index("]]")
        text = para[:a] + para[a + 2 : b] + para[b + 2 :]
        states, spans = enc.piece_states(text, [(0, len(text))])
        inside = (spans[:, 0] < b - 2) & (spans[:, 1] > a)
        ctx = states[inside].mean(0) if inside.any() else np.zeros(states.shape[1], np.float32)
        alone, _ = enc.piece_states(it["words"], [(0, len(it["words"]))])
        rows.append(np.r_[ctx, alone.mean(0) if len(alone) else np.zeros_like(ctx)])
    return np.array(rows)


def cross_validated(x: np.ndarray, y: np.ndarray, folds: np.ndarray, c: float) -> np.ndarray:
    """Out-of-fold probabilities of a logistic regression (labels in [0, 1] as weights of the two classes)."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros(len(y))
    for k in sorted(set(folds)):
        tr, te = folds != k, folds == k
        mu, sd = x[tr].mean(0), x[tr].std(0) + 1e-6
        z = (x - mu) / sd
        n = int(tr.sum())
        m = LogisticRegression(C=c, max_iter=2000).fit(
            np.vstack([z[tr], z[tr]]), np.r_[np.ones(n), np.zeros(n)], sample_weight=np.r_[y[tr], 1 - y[tr]]
        )
        out[te] = m.predict_proba(z[te])[:, 1]
    return out


def ranking(score: np.ndarray, y: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    order = np.argsort(-score, kind="stable")
    out = {"auc": round(float(roc_auc_score(y >= 0.5, score)), 3)}
    out.update({f"top{k}": round(float(y[order[:k]].mean()), 3) for k in TOPS})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=Path, nargs="+", required=True, help="items.jsonl files of one or more samples")
    ap.add_argument("--judgements", type=Path, nargs="+", required=True)
    ap.add_argument("--embed", action="store_true", help="Also filters over MiniLM states (make install-accurate)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    judged = labels(args.judgements)
    items = [json.loads(x) for f in args.items for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    by_number = any(len(k) == 1 for k in judged)
    if by_number and len(args.items) > 1:
        ap.error("judgements by item number fit one items file only: give each item's article and characters")
    items = [i for i in items if ((i["n"],) if by_number else key(i)) in judged]
    y = np.array([judged[(i["n"],) if by_number else key(i)] for i in items])
    p = np.array([i["p"] for i in items])
    ev = np.array([i["evidence"] for i in items])
    th = np.array([i["threshold"] for i in items])
    quoted = np.array([i["quoted"] for i in items])
    out: dict[str, Any] = {"items": len(items), "plausible": round(float(y.mean()), 3), "rules": {}, "filters": {}}
    rules = {
        "shipped (threshold, evidence 0.6)": (p >= th) & (ev >= 0.6),
        "threshold alone": p >= th,
        "threshold, quoted": (p >= th) & quoted,
        "threshold, the outlet's words": (p >= th) & ~quoted,
        "p >= 0.6": p >= 0.6,
        "p >= 0.7": p >= 0.7,
        "p >= 0.5, evidence 0.6": (p >= 0.5) & (ev >= 0.6),
    }
    for name, keep in rules.items():
        share = round(float(y[keep].mean()), 3) if keep.any() else None
        out["rules"][name] = {"kept": int(keep.sum()), "plausible": share}
        print(f"{name:40s} {json.dumps(out['rules'][name])}", flush=True)
    arts = sorted({i["article"] for i in items})
    random.Random(args.seed).shuffle(arts)
    fold_of = {a: k % 5 for k, a in enumerate(arts)}
    folds = np.array([fold_of[i["article"]] for i in items])
    x = np.array([facts(i) for i in items])
    sets: dict[str, tuple[np.ndarray | None, float]] = {"probability alone": (None, 0.0), "facts": (x, 1.0)}
    if args.embed:
        e = embeddings(items)
        sets["MiniLM states"] = (e, 0.01)
        sets["MiniLM states and facts"] = (np.hstack([e, x]), 0.01)
    for name, (feats, c) in sets.items():
        score = p if feats is None else cross_validated(feats, y, folds, c)
        out["filters"][name] = ranking(score, y)
        print(f"{name:40s} {json.dumps(out['filters'][name])}", flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
