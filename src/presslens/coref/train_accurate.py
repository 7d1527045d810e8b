"""Train the accurate mode's pair scorer over a frozen encoder on GAP development (needs torch; training only).

The encoder (all-mpnet-base-v2, ``presslens.tagger.mpnet``) is not changed: each GAP snippet is encoded once
and the pair features (``encoder.pair_encoder_features``: the pronoun's state, the mention's, their product;
states are the mean of the layers ``MIX``) are the ones the pipeline computes at run time. A network with one
hidden layer over [pair features, standardised hand features] is trained on the labelled (pronoun, mention)
pairs of ``train.examples`` (binary cross-entropy); ``MEMBERS`` such networks, each from its own seed, are
averaged (their logits), shipped as one network with their hidden units side by side. The threshold on the
best entity's score is chosen on five-fold out-of-fold scores on development; the model shipped is then trained
on all of development.

  presslens train coref --data ../shared/data/gap --accurate
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from presslens.coref.encoder import MPNET, encode, encoder, pair_encoder_features
from presslens.coref.features import FEATURES, INDEX
from presslens.coref.model import ACCURATE_STEM, PairScorer
from presslens.coref.train import SEED, THRESHOLDS, Example, best_threshold, examples, gap_rows, parse

MIX = [6, 8, 9, 10]  # layer outputs averaged (1 = the first layer's), chosen by five-fold CV on development
HIDDEN = 128
EPOCHS = 30
MEMBERS = 3  # networks averaged (each its own seed)
# GAP pronouns nearly always have an antecedent: thresholds under the trees' grid are tried too
GRID = [0.0, 0.01, 0.02, 0.03, 0.04, *THRESHOLDS]


def prepare(parsed: list, first: PairScorer, mix: list[int] | None = None, log: Any = print) -> list:
    """(example, encoder pair features) per GAP row that has candidates."""
    enc = encoder(MPNET)
    out = []
    t0 = time.time()
    for n, (r, doc, actors, quotes) in enumerate(parsed):
        exs = examples([(r, doc, actors, quotes)], first)
        if not exs or not exs[0].cands:
            continue
        ex = exs[0]
        coded = encode(doc, list(enc.layers), enc, mix or MIX)
        out.append((ex, pair_encoder_features(coded, ex.pron, ex.cands)))
        if n % 250 == 0:
            log(f"encoded {n} snippets, {time.time() - t0:.0f} s")
    return out


class Trained:
    """Fitted networks (an ensemble whose logits are averaged) with their feature standardisation."""

    def __init__(self, nets: list, mu: np.ndarray, sd: np.ndarray):
        self.nets, self.mu, self.sd = nets, mu, sd

    def rows(self, ex: Example, E: np.ndarray) -> np.ndarray:
        return np.concatenate([E, (ex.X - self.mu) / self.sd], 1).astype(np.float32)

    def score(self, data: list) -> list[np.ndarray]:
        """Pair scores, gender clashes damped as at run time."""
        import torch

        out = []
        with torch.no_grad():
            for ex, E in data:
                x = torch.tensor(self.rows(ex, E))
                z = torch.stack([net.eval()(x).squeeze(-1) for net in self.nets]).mean(0)
                s = torch.sigmoid(z).numpy().astype(np.float64)
                out.append(np.where(ex.X[:, INDEX["gender_clash"]] > 0, s * 0.05, s))
        return out


def fit(data: list, epochs: int = EPOCHS, hidden: int = HIDDEN, lr: float = 1e-3, members: int = MEMBERS) -> Trained:
    """*members* networks, each from its own seed, on the same pairs."""
    import torch

    allx = np.concatenate([ex.X for ex, _E in data])
    mu, sd = allx.mean(0), allx.std(0) + 1e-3
    tr = Trained([], mu, sd)
    X = np.concatenate([tr.rows(ex, E) for ex, E in data])
    y = np.concatenate([ex.y for ex, _E in data]).astype(np.float32)
    keep = y >= 0
    Xt, yt = torch.tensor(X[keep]), torch.tensor(y[keep])
    for seed in range(SEED, SEED + members):
        torch.manual_seed(seed)
        net = torch.nn.Sequential(
            torch.nn.Dropout(0.1),
            torch.nn.Linear(X.shape[1], hidden),
            torch.nn.ReLU(),
            torch.nn.Dropout(0.3),
            torch.nn.Linear(hidden, 1),
        )
        opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-2)
        g = torch.Generator().manual_seed(seed)
        for _ in range(epochs):
            net.train()
            perm = torch.randperm(len(Xt), generator=g)
            for j in range(0, len(perm), 64):
                b = perm[j : j + 64]
                loss = torch.nn.functional.binary_cross_entropy_with_logits(net(Xt[b]).squeeze(-1), yt[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
        tr.nets.append(net)
    return tr


def out_of_fold(data: list, folds: int = 5, **kw: Any) -> list[np.ndarray]:
    """Scores of each example by a network trained on the other folds (``train.cross_validate``'s order)."""
    idx = np.random.default_rng(SEED).permutation(len(data))
    oof: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(folds):
        test = sorted(idx[f::folds].tolist())
        held = set(test)
        tr = fit([d for k, d in enumerate(data) if k not in held], **kw)
        for k, s in zip(test, tr.score([data[k] for k in test]), strict=True):
            oof[k] = s
    return oof


def export(tr: Trained, threshold: float, mix: list[int], extra: dict[str, Any]) -> PairScorer:
    """The NumPy scorer (kind "mlp") over the frozen encoder's pair features: the ensemble's networks side by
    side in one hidden layer, their output weights divided by their number (the mean of their logits)."""
    n = len(tr.nets)
    arrays = {
        "mean": tr.mu.astype(np.float32),
        "scale": tr.sd.astype(np.float32),
        "w1": np.concatenate([net[1].weight.detach().numpy().T for net in tr.nets], 1).astype(np.float16),
        "b1": np.concatenate([net[1].bias.detach().numpy() for net in tr.nets]),
        "w2": np.concatenate([net[4].weight.detach().numpy()[0] for net in tr.nets]) / n,
        "b2": np.array([np.mean([float(net[4].bias.detach()[0]) for net in tr.nets])], dtype=np.float32),
    }
    meta = {"features": FEATURES, "threshold": threshold, "kind": "mlp", "encoder": MPNET, "layers": mix, **extra}
    return PairScorer(meta, arrays)


def train(data: str | Path, out: str | Path, nlp: Any, log: Any = print) -> dict[str, Any]:
    """Parse and encode GAP development, choose the threshold out of fold, train on all of it, save."""
    from presslens.coref.model import default_scorer

    parsed = list(parse(gap_rows(Path(data) / "gap-development.tsv"), nlp))
    prepared = prepare(parsed, default_scorer(), log=log)
    t, res = best_threshold([ex for ex, _E in prepared], out_of_fold(prepared), GRID)
    log(f"five-fold CV on development: threshold {t} {res}")
    extra = {
        "cv": res,
        "epochs": EPOCHS,
        "hidden": HIDDEN,
        "members": MEMBERS,
        "trained_on": "GAP development (2,000 examples)",
    }
    scorer = export(fit(prepared), t, MIX, extra)
    scorer.save(Path(out), ACCURATE_STEM)
    return {"threshold": t, "cv": res}
