"""Train the pairwise relation classifier on CoNLL04 train, choose C and the threshold on dev, save it.

    python -m presslens.relations.train --data ../shared/data/conll04 --out src/presslens/data/relations
"""

from __future__ import annotations

import json
import pickle
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from presslens.relations.base import MentionIndex
from presslens.relations.conll04 import TYPE_OF, read_split
from presslens.relations.detect import find_relations
from presslens.relations.model import (
    CLASSES,
    TYPE_CLASSES,
    Linear,
    RelationModel,
    candidate_pairs,
    pair_features,
    slot_features,
    slots,
)


def parse_split(path: str | Path, nlp: Any = None, cache: str | Path | None = None) -> list[tuple[dict, Any, list]]:
    """(sentence, doc, actors) for each sentence of a CoNLL04 split, parsed by the presslens pipeline; *cache*: a
    pickle file holding the parses (written when absent)."""
    from spacy.tokens import Doc

    if cache is not None and Path(cache).is_file():
        with open(cache, "rb") as f:
            rows = pickle.load(f)
        if nlp is None:
            raise ValueError("parse_split needs the pipeline (record.pipeline.load_nlp(techniques=False))")
        out = []
        for sent, data, actors in rows:
            doc = Doc(nlp.vocab).from_bytes(data, exclude=["user_data"])
            out.append((sent, doc, [_actor(a) for a in actors]))
        return out
    if nlp is None:
        raise ValueError("parse_split needs the pipeline (record.pipeline.load_nlp(techniques=False))")
    sents = list(read_split(path))
    out, rows = [], []
    for sent, doc in zip(sents, nlp.pipe([s["text"] for s in sents], batch_size=64), strict=True):
        actors = list(doc._.presslens_actors)
        out.append((sent, doc, actors))
        rows.append((sent, doc.to_bytes(exclude=["user_data"]), [_actor_dict(a) for a in actors]))
    if cache is not None:
        with open(cache, "wb") as f:
            pickle.dump(rows, f)
    return out


def _actor_dict(a: Any) -> dict:
    return {"id": a.id, "name": a.name, "kind": a.kind, "label": getattr(a, "label", None),
            "aliases": list(a.aliases), "mentions": list(a.mentions),
            "roles": [(r.role, r.organization, tuple(r.span)) for r in a.roles]}  # fmt: skip


def _actor(d: dict) -> Any:
    roles = [SimpleNamespace(role=r, organization=o, span=s) for r, o, s in d.get("roles", [])]
    a = SimpleNamespace(**{**d, "roles": roles})
    a.add_mention = lambda span, a=a: a.mentions.append(span) if span not in a.mentions else None
    return a


def _overlap(s: Any, e: int, span: tuple[int, int]) -> bool:
    return s < span[1] and span[0] < e


def _char(doc: Any, sl: Any) -> tuple[int, int]:
    return doc[sl.start].idx, doc[sl.end - 1].idx + len(doc[sl.end - 1])


def sentence_slots(parsed: list[tuple[dict, Any, list]], names: str = "places") -> list[tuple[dict, Any, list]]:
    """(sentence, doc, slots) for each parsed sentence."""
    return [(sent, doc, slots(doc, MentionIndex(doc, actors), names)) for sent, doc, actors in parsed]


def type_examples(rows: list[tuple[dict, Any, list]]) -> tuple[list[list[str]], list[int]]:
    """Features and gold entity type (index in TYPE_CLASSES; 0: no gold entity) of every slot."""
    feats, labels = [], []
    for sent, doc, sl in rows:
        for x in sl:
            c = _char(doc, x)
            typ = next((t for s, e, t in sent["entities"] if _overlap(*c, (s, e))), "none")
            feats.append(slot_features(doc, x))
            labels.append(TYPE_CLASSES.index(typ))
    return feats, labels


def label_types(rows: list[tuple[dict, Any, list]], c: float = 1.0, folds: int = 2) -> Linear:
    """Set every slot's ``ptype`` from a type classifier that did not see its sentence (*folds*-fold), and return
    the type classifier trained on all rows."""
    for k in range(folds):
        train_rows = [r for i, r in enumerate(rows) if i % folds != k]
        model = fit_linear(*type_examples(train_rows), TYPE_CLASSES, c)
        for i, (_sent, doc, sl) in enumerate(rows):
            if i % folds == k:
                model.label(sl, doc)
    return fit_linear(*type_examples(rows), TYPE_CLASSES, c)


def examples(rows: list[tuple[dict, Any, list]]) -> tuple[list[list[str]], list[int]]:
    """Features and gold class of every candidate pair."""
    feats, labels = [], []
    for sent, doc, sl in rows:
        for a, b in candidate_pairs(doc, sl):
            ac, bc = _char(doc, a), _char(doc, b)
            y = 0
            for h, t, typ in sent["relations"]:
                if _overlap(*ac, h) and _overlap(*bc, t):
                    y = CLASSES.index(typ)
                    break
            feats.append(pair_features(doc, a, b))
            labels.append(y)
    return feats, labels


def score(parsed: list[tuple[dict, Any, list]], model: RelationModel | None, rules: bool = True) -> dict[str, Any]:
    """Micro and per-type P/R/F1 as ``eval/score_relations.py`` counts them, computed in process."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for sent, doc, actors in parsed:
        actors = list(actors)
        rels = find_relations(doc, model, rules=rules, actors=actors)
        mentions = {a.id: a.mentions for a in actors}
        used = set()
        for r in rels:
            typ = TYPE_OF.get(r.relation)
            if typ is None:
                continue
            hit = None
            for k, (h, t, gt) in enumerate(sent["relations"]):
                if k in used or gt != typ:
                    continue
                if any(_overlap(s, e, h) for s, e in mentions[r.subject.id]) and any(
                    _overlap(s, e, t) for s, e in mentions[r.object.id]
                ):
                    hit = k
                    break
            if hit is None:
                fp[typ] += 1
            else:
                used.add(hit)
                tp[typ] += 1
        for k, (_h, _t, gt) in enumerate(sent["relations"]):
            if k not in used:
                fn[gt] += 1

    def prf(a: int, b: int, c: int) -> dict[str, float]:
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}

    res = {t: prf(tp[t], fp[t], fn[t]) for t in CLASSES[1:]}
    res["micro"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return res


def fit_linear(feats: list[list[str]], labels: list[int], classes: tuple[str, ...], c: float, min_count: int = 2,
               positive_weight: float = 1.0) -> Linear:  # fmt: skip
    """A multinomial logistic regression (scikit-learn) over features seen at least *min_count* times; classes
    other than the first weigh *positive_weight* times the first."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(x for fs in feats for x in set(fs))
    vocab = sorted(x for x, n in counts.items() if n >= min_count)
    index = {x: k for k, x in enumerate(vocab)}
    rows, cols = [], []
    for i, fs in enumerate(feats):
        for k in {index[x] for x in fs if x in index}:
            rows.append(i)
            cols.append(k)
    x = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(feats), len(vocab)))
    weights = {k: (1.0 if k == 0 else positive_weight) for k in range(len(classes))}
    clf = LogisticRegression(C=c, max_iter=3000, class_weight=weights)
    clf.fit(x, np.asarray(labels))
    w = np.zeros((len(vocab), len(classes)), dtype=np.float32)
    b = np.full(len(classes), -30.0, dtype=np.float32)  # a class never seen is never given
    if len(clf.classes_) == 2:  # binary: scikit-learn keeps one row
        w[:, clf.classes_[1]] = clf.coef_[0]
        b[clf.classes_[1]] = clf.intercept_[0]
        b[clf.classes_[0]] = 0.0
    else:
        for j, cls in enumerate(clf.classes_):
            w[:, cls] = clf.coef_[j]
            b[cls] = clf.intercept_[j]
    return Linear(vocab, w, b, classes)


def fit(feats: list[list[str]], labels: list[int], c: float, min_count: int = 2, positive_weight: float = 2.0,
        names: str = "places", types: Linear | None = None) -> RelationModel:  # fmt: skip
    """The pair classifier (see ``fit_linear``) as a ``RelationModel``."""
    lin = fit_linear(feats, labels, CLASSES, c, min_count, positive_weight)
    return RelationModel(sorted(lin.vocab, key=lin.vocab.get), lin.weights, lin.bias, names=names, types=types)


def train(data: str | Path, nlp: Any, out: str | Path | None = None, cache_dir: str | Path | None = None,
          names: str = "all", typed: bool = True, grid_c: tuple[float, ...] = (0.5, 2.0),
          grid_t: tuple[float, ...] = (0.4, 0.5, 0.55), log: Any = print,
          grid_class_t: tuple[float, ...] = (0.55, 0.65)) -> dict[str, Any]:  # fmt: skip
    """Train on ``train.json``, choose C and the threshold by dev micro F1 (rules plus model), then a threshold per
    class (coarse grid *grid_class_t*; only above the global one: a low-probability relation on real news costs more
    than CoNLL04 dev shows), save to *out*.
    *names*: which names besides actors may be related ("places" or "all", see ``model.slots``); *typed*: add an
    entity type classifier whose types (two-fold out-of-fold on train) feed the pair features."""
    data = Path(data)
    cache = (lambda s: Path(cache_dir) / f"conll04_{s}.pkl") if cache_dir else (lambda s: None)
    t0 = time.time()
    tr = parse_split(data / "train.json", nlp, cache("train"))
    dev = parse_split(data / "dev.json", nlp, cache("dev"))
    log(f"parsed {len(tr)} train and {len(dev)} dev sentences in {time.time() - t0:.1f}s")
    rows = sentence_slots(tr, names)
    types = label_types(rows) if typed else None
    feats, labels = examples(rows)
    log(f"{len(feats)} training pairs, {sum(1 for y in labels if y)} positive")
    best = None
    for c in grid_c:
        model = fit(feats, labels, c, names=names, types=types)
        for t in grid_t:
            model.threshold = t
            res = score(dev, model)
            log(f"C={c} threshold={t}: dev micro {res['micro']}")
            if best is None or res["micro"]["f1"] > best[0]:
                best = (res["micro"]["f1"], c, t, model)
    assert best is not None
    _, c, t, model = best
    model.threshold = t
    for cls in CLASSES[1:]:  # then a threshold per class, one class at a time, where dev micro F1 rises
        f1 = score(dev, model)["micro"]["f1"]
        for ct in grid_class_t:
            old = model.thresholds.get(cls)
            model.thresholds[cls] = ct
            new = score(dev, model)["micro"]["f1"]
            if new > f1 + 1e-9:
                f1 = new
            elif old is None:
                del model.thresholds[cls]
            else:
                model.thresholds[cls] = old
        log(f"threshold {cls}: {model.thresholds.get(cls, t)} (dev micro F1 {f1})")
    report = {
        "C": c,
        "threshold": t,
        "thresholds": dict(model.thresholds),
        "dev_both": score(dev, model),
        "dev_model_only": score(dev, model, rules=False),
        "dev_rules_only": score(dev, None),
    }
    log(f"chosen C={c} threshold={t}: {json.dumps(report)}")
    if out is not None:
        model.save(out, {"trained_on": "CoNLL04 train", "C": c, "dev_micro_f1": report["dev_both"]["micro"]["f1"]})
    return report
