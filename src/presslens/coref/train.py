"""Train the pronoun pair scorer on GAP development (Google, Apache-2.0), tuned by five-fold cross-validation.

  python -m presslens.coref.train --data ../shared/data/gap --out src/presslens/data/coref

Each GAP example is run through the presslens pipeline; the pairs (target pronoun, candidate mention) are
labelled from GAP's A/B decisions (a mention is right when its entity covers the true name; when neither
name is right, mentions of third persons are left out). The threshold on the best entity's score is chosen
on out-of-fold predictions for the GAP F1.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from presslens.coref.features import DocContext, Entity, pair_features
from presslens.coref.gender import FEMININE
from presslens.coref.model import PairScorer, from_sklearn

SEED = 13
GRID = [
    {"n_estimators": n, "max_depth": d, "learning_rate": r} for n in (150, 300) for d in (3, 4) for r in (0.05, 0.1)
]


def gap_rows(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def parse(rows: list[dict[str, str]], nlp: Any) -> Iterator[tuple[dict[str, str], Any, list, list]]:
    """(row, doc, actors, quotes) for each GAP row, before coreference; *nlp* is the presslens pipeline
    (``record.pipeline.load_nlp``) with or without ``presslens_coref`` (it is switched off here)."""
    names = [n for n in nlp.pipe_names if n == "presslens_coref"]
    with nlp.select_pipes(disable=names):
        for r, doc in zip(rows, nlp.pipe([r["Text"] for r in rows], batch_size=32), strict=True):
            yield r, doc, list(doc._.presslens_actors), list(doc._.presslens_quotes or [])


@dataclass
class Example:
    X: np.ndarray  # (mentions, features)
    y: np.ndarray  # 1 right, 0 wrong, -1 unknown
    ent: list[Entity]  # entity of each row of X
    ent_a: Entity | None
    ent_b: Entity | None
    gold_a: bool
    gold_b: bool
    feminine: bool
    pron: int = -1  # token index of the pronoun
    cands: list = field(default_factory=list)  # the candidate mentions (features.Mention), rows of X


def _covering(ctx: DocContext, off: int) -> Entity | None:
    doc = ctx.doc
    for m in ctx.mentions:
        if doc[m.start].idx <= off < doc[m.end - 1].idx + len(doc[m.end - 1]):
            return m.entity
    return None


def decode(ctx: DocContext, scorer: PairScorer, upto: int | None = None) -> dict[int, tuple[Entity, float]]:
    """Resolve the personal pronouns of a document in text order (those before token *upto* only, if given);
    each decision feeds the features of the next."""
    out: dict[int, tuple[Entity, float]] = {}
    for p in ctx.pronouns():
        if upto is not None and p.i >= upto:
            break
        cands = ctx.candidates(p)
        if not cands:
            continue
        sc = scorer.score(pair_features(ctx, p, cands))
        k = int(np.argmax(sc))
        if sc[k] >= scorer.threshold:
            ctx.resolved[p.i] = cands[k].entity
            out[p.i] = (cands[k].entity, float(sc[k]))
    return out


def example(
    row: dict[str, str], doc: Any, actors: list, quotes: list, scorer: PairScorer | None = None
) -> Example | None:
    ctx = DocContext(doc, actors, quotes)
    off = int(row["Pronoun-offset"])
    span = doc.char_span(off, off + len(row["Pronoun"]), alignment_mode="expand")
    if span is None:
        return None
    p = span[0]
    if scorer is not None:
        decode(ctx, scorer, upto=p.i)
    cands = ctx.candidates(p)
    X = pair_features(ctx, p, cands)
    ent_a = _covering(ctx, int(row["A-offset"]))
    ent_b = _covering(ctx, int(row["B-offset"]))
    gold_a = row["A-coref"].upper() == "TRUE"
    gold_b = row["B-coref"].upper() == "TRUE"
    y = np.full(len(cands), -1, dtype=np.int8)
    for k, m in enumerate(cands):
        e = m.entity
        if (gold_a and e is ent_a) or (gold_b and e is ent_b):
            y[k] = 1
        elif e is ent_a or e is ent_b or gold_a or gold_b:
            y[k] = 0
    fem = row["Pronoun"].lower() in FEMININE
    return Example(X, y, [m.entity for m in cands], ent_a, ent_b, gold_a, gold_b, fem, p.i, cands)


def examples(
    parsed: Iterable[tuple[dict[str, str], Any, list, list]], scorer: PairScorer | None = None
) -> list[Example]:
    out = []
    for r, doc, actors, quotes in parsed:
        ex = example(r, doc, actors, quotes, scorer)
        if ex is not None:
            out.append(ex)
    return out


def decide(ex: Example, scores: np.ndarray, threshold: float) -> tuple[bool, bool]:
    """Predicted coreference of the pronoun with A and with B: the best entity, if it passes the threshold."""
    best: dict[int, float] = {}
    for e, s in zip(ex.ent, scores, strict=True):
        best[id(e)] = max(best.get(id(e), 0.0), float(s))
    if not best:
        return False, False
    k, s = max(best.items(), key=lambda kv: kv[1])
    if s < threshold:
        return False, False
    return ex.ent_a is not None and id(ex.ent_a) == k, ex.ent_b is not None and id(ex.ent_b) == k


def gap_f1(exs: list[Example], scores: list[np.ndarray], threshold: float) -> dict[str, float]:
    counts = {g: [0, 0, 0] for g in ("O", "M", "F")}
    for ex, sc in zip(exs, scores, strict=True):
        pa, pb = decide(ex, sc, threshold)
        for pred, gold in ((pa, ex.gold_a), (pb, ex.gold_b)):
            for g in ("O", "F" if ex.feminine else "M"):
                c = counts[g]
                c[0] += pred and gold
                c[1] += pred and not gold
                c[2] += gold and not pred

    def f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    res = {g: round(f1(*c), 4) for g, c in counts.items()}
    res["bias"] = round(res["F"] / res["M"], 4) if res["M"] else 0.0
    return res


def _fit(exs: list[Example], params: dict[str, Any]) -> Any:
    from sklearn.ensemble import GradientBoostingClassifier

    X = np.concatenate([e.X[e.y >= 0] for e in exs])
    y = np.concatenate([e.y[e.y >= 0] for e in exs])
    clf = GradientBoostingClassifier(random_state=SEED, subsample=0.8, **params)
    clf.fit(X, y)
    return clf


THRESHOLDS = [round(float(t), 3) for t in np.arange(0.05, 0.951, 0.025)]


def best_threshold(
    exs: list[Example], scores: list[np.ndarray], grid: list[float] | None = None
) -> tuple[float, dict[str, float]]:
    best = (0.5, {"O": -1.0})
    for t in grid or THRESHOLDS:
        r = gap_f1(exs, scores, float(t))
        if r["O"] > best[1]["O"]:
            best = (round(float(t), 3), r)
    return best


def cross_validate(exs: list[Example], params: dict[str, Any], folds: int = 5) -> list[np.ndarray]:
    """Out-of-fold pair scores for every example."""
    idx = np.random.default_rng(SEED).permutation(len(exs))
    oof: list[np.ndarray] = [np.zeros(0)] * len(exs)
    for f in range(folds):
        test = set(idx[f::folds].tolist())
        clf = _fit([e for k, e in enumerate(exs) if k not in test], params)
        for k in test:
            X = exs[k].X
            oof[k] = clf.predict_proba(X)[:, 1] if len(X) else np.zeros(0)
    return oof


def fit_and_save(
    parsed: list[tuple[dict[str, str], Any, list, list]],
    out: str | Path,
    grid: list[dict[str, Any]] | None = None,
    log: Any = print,
) -> dict[str, Any]:
    """Two passes: a first scorer resolves the pronouns before each target (the features that read earlier
    decisions), then boosting settings and threshold are chosen by 5-fold CV; the best is fitted on all."""
    grid = grid or GRID
    first = from_sklearn(_fit(examples(parsed), grid[0]), 0.3)
    exs = examples(parsed, first)
    log(f"{len(exs)} examples, {sum(len(e.y) for e in exs)} pairs")
    best: tuple[float, dict[str, Any], float, dict[str, float]] | None = None
    for params in grid:
        oof = cross_validate(exs, params)
        t, res = best_threshold(exs, oof)
        log(f"{params} threshold {t}: CV {res}")
        if best is None or res["O"] > best[0]:
            best = (res["O"], params, t, res)
    assert best is not None
    _, params, t, res = best
    scorer = from_sklearn(
        _fit(exs, params), t, {"params": params, "cv": res, "trained_on": "GAP development (2,000 examples)"}
    )
    scorer.save(Path(out))
    log(f"saved {out}: {params} threshold {t} CV {res}")
    return {"params": params, "threshold": t, "cv": res}


def train(
    data: str | Path, out: str | Path, nlp: Any, grid: list[dict[str, Any]] | None = None, log: Any = print
) -> dict:
    """Parse GAP development with the presslens pipeline *nlp*, then ``fit_and_save``."""
    parsed = list(parse(gap_rows(Path(data) / "gap-development.tsv"), nlp))
    return fit_and_save(parsed, out, grid, log)


def evaluate_examples(exs: list[Example], scorer: PairScorer | None = None) -> dict[str, float]:
    """GAP figures of the shipped scorer on parsed examples (offline: no record is written)."""
    from presslens.coref.model import default_scorer

    scorer = scorer or default_scorer()
    return gap_f1(exs, [scorer.score(e.X) for e in exs], scorer.threshold)
