"""SI, TC and FLC figures, computed as the reference scorer ``shared/eval/score_ptc.py`` does (SemEval-2020
Task 11 definitions): SI and FLC are partial-overlap precision, recall and F1 over spans (SI merges the spans of
an article where they overlap and ignores labels); TC is micro-F1 over the gold spans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from presslens.attribution.evaluate import precision_recall_f1
from presslens.techniques.labels import Label

Spans = dict[str, list[tuple[str | None, int, int]]]


def group(labels: Iterable[Label]) -> Spans:
    out: Spans = defaultdict(list)
    for lab in labels:
        if lab.end > lab.start:
            out[lab.article.replace("article", "")].append((lab.technique, lab.start, lab.end))
    return out


def _merge(intervals: Iterable[tuple[int, int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for s, e in sorted(intervals):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def overlap_prf(gold: Spans, pred: Spans, same_label: bool = False) -> dict[str, Any]:
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid in set(gold) | set(pred):
        if same_label:
            g = list(gold.get(aid, []))
            p = list(pred.get(aid, []))
        else:
            g = [(None, s, e) for s, e in _merge((s, e) for _, s, e in gold.get(aid, []))]
            p = [(None, s, e) for s, e in _merge((s, e) for _, s, e in pred.get(aid, []))]
        n_pred += len(p)
        n_gold += len(g)
        for pt, ps, pe in p:
            for gt, gs, ge in g:
                if same_label and pt != gt:
                    continue
                inter = max(0, min(pe, ge) - max(ps, gs))
                if inter:
                    p_num += inter / (pe - ps)
                    r_num += inter / (ge - gs)
    return {**precision_recall_f1(p_num, n_pred, r_num, n_gold), "gold_spans": n_gold, "pred_spans": n_pred}


def tc(gold: Spans, pred: Spans) -> dict[str, Any]:
    g: dict[tuple, list] = defaultdict(list)
    for aid, spans in gold.items():
        for t, s, e in spans:
            g[(aid, s, e)].append(t)
    p: dict[tuple, list] = defaultdict(list)
    for aid, spans in pred.items():
        for t, s, e in spans:
            p[(aid, s, e)].append(t)
    correct = total = missing = 0
    per: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, labels in g.items():
        guesses = list(p.get(key, []))
        if not guesses:
            missing += len(labels)
        remaining = list(labels)
        for guess in guesses[: len(labels)]:
            per[guess][2] += 1
            if guess in remaining:
                remaining.remove(guess)
                correct += 1
                per[guess][0] += 1
        for t in labels:
            per[t][1] += 1
        total += len(labels)
    acc = correct / total if total else 0.0
    per_f1 = {}
    for t, (tp, ng, np_) in sorted(per.items(), key=lambda kv: str(kv[0])):
        pr = tp / np_ if np_ else 0.0
        rc = tp / ng if ng else 0.0
        per_f1[t] = round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0
    return {"micro_f1": round(acc, 4), "gold_spans": total, "unanswered": missing, "per_technique_f1": per_f1}


def score_all(gold: Iterable[Label], flc_pred: Iterable[Label], tc_pred: Iterable[Label]) -> dict[str, Any]:
    """The three figures: SI and FLC from span predictions, TC from labels given to the gold spans."""
    g = group(gold)
    fp = group(flc_pred)
    return {
        "si": overlap_prf(g, fp),
        "tc": tc(g, group(tc_pred)),
        "flc": overlap_prf(g, fp, same_label=True),
    }


def tc_labels(model: Any, aid: str, spans: Sequence[Label], proba: np.ndarray | None) -> list[Label]:
    """One label per given span line (*proba*: its technique probabilities, in the order of *model*'s
    ``techniques``); a span given k times gets its k most likely distinct techniques."""
    seen: dict[tuple[int, int], int] = defaultdict(int)
    out = []
    for k, lab in enumerate(spans):
        assert proba is not None
        order = np.argsort(-proba[k], kind="stable")
        rank = seen[(lab.start, lab.end)]
        seen[(lab.start, lab.end)] += 1
        out.append(Label(aid, model.techniques[int(order[min(rank, len(order) - 1)])], lab.start, lab.end))
    return out
