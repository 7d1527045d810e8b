"""Train the attribution tagger on PolNeAR (``presslens train attribution --data ../shared/data/polnear``).

Needs PyTorch (``pip install torch==2.13.0``, CPU is enough: about a minute an epoch on two cores). Reads
``DATA/train`` for training and ``DATA/dev`` to pick the epoch, with a fixed seed; writes ``model.npz`` and
``model.json`` that ``presslens.attribution.model`` reads with NumPy alone.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from presslens.attribution.features import FEATURE_NAMES, FEATURES, featurize
from presslens.attribution.model import TAGS
from presslens.tagger.train import Example, fit, mark_span, save_weights, token_bounds, weights_of

PACKAGE_MODEL = Path(__file__).resolve().parents[1] / "data" / "attribution"

EMBED_DIMS = {
    "lower": 64,
    "suffix": 16,
    "shape": 8,
    "tag": 16,
    "dep": 16,
    "ent": 8,
    "quote": 8,
    "cue": 8,
    "anc": 16,
    "head": 16,
    "actor": 8,
    "where": 8,
}


def gold_tags(doc, attributions: list[dict]) -> np.ndarray:
    """BIO tags over *doc*'s tokens from PolNeAR attributions (character pieces per role)."""
    tags = np.zeros(len(doc), dtype=np.int64)
    bounds = token_bounds(doc)
    for att in attributions:
        for role in ("source", "cue", "content"):
            for piece in att[role]:
                mark_span(tags, bounds, piece, TAGS.index("B-" + role), TAGS.index("I-" + role))
    return repair(tags)


def repair(tags: np.ndarray) -> np.ndarray:
    """A token shared by two annotations keeps the later one; an I- tag left without its B- starts a span."""
    for i in range(len(tags)):
        name = TAGS[tags[i]]
        if name.startswith("I-") and (i == 0 or TAGS[tags[i - 1]][2:] != name[2:]):
            tags[i] = TAGS.index("B-" + name[2:])
    return tags


def prepare(split_dir: Path, nlp, log: Callable[[str], None] = print) -> list[Example]:
    """Parse a split and build features and gold tags for every annotated article."""
    from presslens.attribution.evaluate import load_gold
    from presslens.text.quotemarks import pair_quotes

    texts, anns = load_gold(split_dir)
    names = sorted(anns)
    out = []
    t0 = time.time()
    with nlp.select_pipes(disable=[p for p in ("presslens_quotes", "presslens_techniques") if p in nlp.pipe_names]):
        for k, (name, doc) in enumerate(zip(names, nlp.pipe(texts[n] for n in names), strict=True)):
            paras = doc._.presslens_paragraphs
            ignored = [i.span for i in doc._.presslens_ignored]
            quoted = pair_quotes(doc.text, paras, ignored)
            feats = featurize(doc, quoted, doc._.presslens_resolver.token_actor)
            out.append(
                Example(name, feats.ids, feats.dense.astype(np.float16), feats.sequences, gold_tags(doc, anns[name]))
            )
            if (k + 1) % 100 == 0:
                log(f"  {split_dir.name}: {k + 1}/{len(names)} articles parsed ({time.time() - t0:.0f} s)")
    return out


def export(model, directory: Path, meta: dict) -> None:
    save_weights(directory, weights_of(model, meta["layers"], FEATURE_NAMES), meta)


def train(
    data: Path,
    out: Path,
    epochs: int = 15,
    seed: int = 13,
    cache: Path | None = None,
    log: Callable[[str], None] = print,
    nlp: Any = None,
    **settings: Any,
) -> dict:
    """Train on ``data/train``, keep the epoch with the best dev span F1 (mean over roles), export to *out*.
    *settings* go to ``fit`` (hidden, layers, dropout, lr, batch_tokens, word_dropout). *nlp* parses the
    texts (``load_nlp(techniques=False)``); not needed when *cache* holds the features."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            train_ex, dev_ex = pickle.load(f)
        for ex in train_ex + dev_ex:
            repair(ex.tags)
        log(f"features read from {cache}")
    else:
        if nlp is None:
            raise ValueError("train() needs nlp: the presslens pipeline without techniques (record.pipeline.load_nlp)")
        train_ex = prepare(data / "train", nlp, log)
        dev_ex = prepare(data / "dev", nlp, log)
        if cache is not None:
            with cache.open("wb") as f:
                pickle.dump((train_ex, dev_ex), f)
    log(f"{len(train_ex)} train and {len(dev_ex)} dev articles, {sum(len(e.tags) for e in train_ex)} train tokens")
    model, history = fit(
        train_ex, dev_ex, TAGS, epochs=epochs, features=FEATURES, embed_dims=EMBED_DIMS, seed=seed, log=log, **settings
    )
    hidden, layers = settings.get("hidden", 128), settings.get("layers", 1)
    meta = {
        "name": "presslens-attribution",
        "tags": list(TAGS),
        "features": list(FEATURE_NAMES),
        "hidden": hidden,
        "layers": layers,
        "embed_dims": EMBED_DIMS,
        "seed": seed,
        "epochs": epochs,
        "best_epoch": max(history, key=lambda h: sum(h["dev_span_f1"].values()))["epoch"],
        "history": history,
        "data": "PolNeAR v1.0.0 train split (840 articles); dev split (84) to pick the epoch",
    }
    export(model, out, meta)
    log(f"model written to {out}")
    return meta
