"""Fine-tuning all-MiniLM-L6-v2 end to end as a technique span tagger (PyTorch; training only).

The published route to SI F1 about 0.5 on PTC is a fine-tuned transformer encoder (the SemEval-2020 Task 11
winners fine-tuned RoBERTa). This script fine-tunes the 6-layer MiniLM that the accurate mode already reads
frozen: word pieces tagged O / B-span / I-span from the gold spans (overlapping spans merged, as SI scores
them), cross-entropy, AdamW, linear warm-up and decay. Articles are cut into windows of whole lines (at most
``MAX_PIECES`` pieces, ``MiniLM.windows``), so no spaCy parse is needed to train.

    python -m presslens.techniques.finetune --data ../shared/data/ptc --out /tmp/ft --epochs 3 [--fold 0]
    python -m presslens.techniques.finetune --data ../shared/data/ptc --out /tmp/ft --measure 6

Checkpoints (``OUT/checkpoint.pt``: weights, optimiser, scheduler, epoch, step, RNG states) are written every
``--save-every`` steps and at each epoch's end; a run started again with the same OUT resumes from the last one.
``--fold k`` trains on the other four fifths of the five-fold split by article (KFold, shuffled, seed 13, as
``presslens train techniques``) and writes the held-out articles' piece probabilities for scoring. The weights
are exported as ``OUT/encoder.npz`` with the encoder's own tensor names plus ``head.weight``/``head.bias``, so
that the NumPy encoder (``presslens.tagger.minilm``) can run them: no PyTorch at run time.
``--measure N`` times one epoch over N articles and prints the cost of a full epoch (what the model card quotes).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from presslens.techniques.finetuned import lines

TAGS = ("O", "B-span", "I-span")
SEED = 13


def windows_of(enc: Any, text: str, spans: list[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """(piece ids with [CLS]/[SEP], tag ids) for each window of *text*; *spans*: gold character spans."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out = []
    for ids, ranges in enc.windows(text, lines(text)):
        tags, prev = [], False
        for a, b in ranges:
            inside = any(s < b and a < e for s, e in merged)
            tags.append(0 if not inside else (2 if prev else 1))
            prev = inside
        out.append(([enc.tok.cls, *ids, enc.tok.sep], [-100, *tags, -100]))
    return out


def build_model(tensors: dict[str, np.ndarray], config: dict[str, Any]) -> Any:
    """A BERT encoder with a token-classification head, in PyTorch, initialised from MiniLM's tensors."""
    import torch
    from torch import nn

    hidden, heads = int(config["hidden_size"]), int(config["num_attention_heads"])
    eps = float(config.get("layer_norm_eps", 1e-12))

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.qkv = nn.Linear(hidden, 3 * hidden)
            self.o = nn.Linear(hidden, hidden)
            self.ln1 = nn.LayerNorm(hidden, eps=eps)
            self.i = nn.Linear(hidden, int(config["intermediate_size"]))
            self.f = nn.Linear(int(config["intermediate_size"]), hidden)
            self.ln2 = nn.LayerNorm(hidden, eps=eps)

        def forward(self, x: Any, neg: Any) -> Any:
            b, t, _ = x.shape
            q, k, v = self.qkv(x).view(b, t, 3, heads, hidden // heads).permute(2, 0, 3, 1, 4)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hidden // heads) + neg, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, t, hidden)
            x = self.ln1(x + self.o(ctx))
            return self.ln2(x + self.f(torch.nn.functional.gelu(self.i(x))))

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(int(config["vocab_size"]), hidden)
            self.pos = nn.Embedding(int(config["max_position_embeddings"]), hidden)
            self.tok_type = nn.Embedding(int(config.get("type_vocab_size", 2)), hidden)
            self.ln = nn.LayerNorm(hidden, eps=eps)
            self.layers = nn.ModuleList(Layer() for _ in range(int(config["num_hidden_layers"])))
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(hidden, len(TAGS))

        def forward(self, ids: Any, mask: Any) -> Any:
            t = ids.shape[1]
            x = self.ln(self.word(ids) + self.pos.weight[:t][None] + self.tok_type.weight[0])
            neg = (1.0 - mask)[:, None, None, :] * -1e9
            for layer in self.layers:
                x = layer(x, neg)
            return self.head(self.drop(x))

    m = Tagger()
    g = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in tensors.items() if "position_ids" not in k}
    with torch.no_grad():
        m.word.weight.copy_(g["embeddings.word_embeddings.weight"])
        m.pos.weight.copy_(g["embeddings.position_embeddings.weight"])
        m.tok_type.weight.copy_(g["embeddings.token_type_embeddings.weight"])
        m.ln.weight.copy_(g["embeddings.LayerNorm.weight"])
        m.ln.bias.copy_(g["embeddings.LayerNorm.bias"])
        for n, layer in enumerate(m.layers):
            p = f"encoder.layer.{n}."
            qkv = ("query", "key", "value")
            layer.qkv.weight.copy_(torch.cat([g[p + f"attention.self.{x}.weight"] for x in qkv]))
            layer.qkv.bias.copy_(torch.cat([g[p + f"attention.self.{x}.bias"] for x in qkv]))
            for mod, name in ((layer.o, "attention.output.dense"), (layer.i, "intermediate.dense"),
                              (layer.f, "output.dense"), (layer.ln1, "attention.output.LayerNorm"),
                              (layer.ln2, "output.LayerNorm")):  # fmt: skip
                mod.weight.copy_(g[p + name + ".weight"])
                mod.bias.copy_(g[p + name + ".bias"])
    return m


def export(model: Any, path: Path) -> None:
    """The fine-tuned weights under the encoder's own tensor names (what ``MiniLM`` reads) plus the head."""
    h = model.word.weight.shape[1]
    out = {
        "embeddings.word_embeddings.weight": model.word.weight,
        "embeddings.position_embeddings.weight": model.pos.weight,
        "embeddings.token_type_embeddings.weight": model.tok_type.weight,
        "embeddings.LayerNorm.weight": model.ln.weight,
        "embeddings.LayerNorm.bias": model.ln.bias,
        "head.weight": model.head.weight,
        "head.bias": model.head.bias,
    }
    for n, layer in enumerate(model.layers):
        p = f"encoder.layer.{n}."
        for j, x in enumerate(("query", "key", "value")):
            out[p + f"attention.self.{x}.weight"] = layer.qkv.weight[j * h : (j + 1) * h]
            out[p + f"attention.self.{x}.bias"] = layer.qkv.bias[j * h : (j + 1) * h]
        for mod, name in ((layer.o, "attention.output.dense"), (layer.i, "intermediate.dense"),
                          (layer.f, "output.dense"), (layer.ln1, "attention.output.LayerNorm"),
                          (layer.ln2, "output.LayerNorm")):  # fmt: skip
            out[p + name + ".weight"] = mod.weight
            out[p + name + ".bias"] = mod.bias
    np.savez_compressed(path, **{k: v.detach().cpu().numpy().astype(np.float16) for k, v in out.items()})


def _batches(data: list[tuple[list[int], list[int]]], size: int, rng: random.Random) -> list[list[int]]:
    order = sorted(range(len(data)), key=lambda k: (len(data[k][0]), rng.random()))  # similar lengths together
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def _tensors(data: list[tuple[list[int], list[int]]], idx: list[int]) -> tuple[Any, Any, Any]:
    import torch

    t = max(len(data[k][0]) for k in idx)
    ids = torch.zeros((len(idx), t), dtype=torch.long)
    mask = torch.zeros((len(idx), t))
    tags = torch.full((len(idx), t), -100, dtype=torch.long)
    for r, k in enumerate(idx):
        n = len(data[k][0])
        ids[r, :n] = torch.tensor(data[k][0])
        mask[r, :n] = 1.0
        tags[r, :n] = torch.tensor(data[k][1])
    return ids, mask, tags


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="PTC folder (train-articles/, train-task-flc-tc.labels)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=8, help="windows per step")
    ap.add_argument("--save-every", type=int, default=200, help="steps between checkpoints")
    ap.add_argument("--fold", type=int, default=None, help="train on the other four fifths (0-4)")
    ap.add_argument("--measure", type=int, default=0, help="time one epoch over this many articles, then stop")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    a = ap.parse_args(argv)

    import torch

    from presslens.tagger.minilm import MiniLM, model_dir, read_safetensors
    from presslens.techniques.labels import by_article
    from presslens.techniques.train import load_corpus

    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    texts, gold = load_corpus(a.data)
    grouped = by_article(gold)
    test: set[str] = set()
    if a.fold is not None:
        from sklearn.model_selection import KFold

        _, te = list(KFold(5, shuffle=True, random_state=SEED).split(texts))[a.fold]
        test = {texts[i][0] for i in te}
    train_texts = [(aid, t) for aid, t in texts if aid not in test]
    if a.measure:
        train_texts = train_texts[: a.measure]
    enc = MiniLM.load()
    d = model_dir()
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    data = [w for aid, t in train_texts for w in windows_of(enc, t, [(x.start, x.end) for x in grouped.get(aid, [])])]
    model = build_model(read_safetensors(d / "model.safetensors"), config)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(data) / a.batch)
    total = steps_per_epoch * (1 if a.measure else a.epochs)
    warm = max(1, total // 10)
    decay = max(1, total - warm)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / decay)))
    a.out.mkdir(parents=True, exist_ok=True)
    ckpt = a.out / "checkpoint.pt"
    epoch = step = 0
    if ckpt.is_file() and not a.measure:
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        epoch, step = state["epoch"], state["step"]
        rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at epoch {epoch}, step {step}", file=sys.stderr)

    def save(ep: int, st: int) -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": ep,
                    "step": st, "rng": rng.getstate(), "torch_rng": torch.get_rng_state()}, tmp)  # fmt: skip
        tmp.replace(ckpt)  # a crash mid-write leaves the previous checkpoint whole

    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    t0 = time.perf_counter()
    for ep in range(epoch, 1 if a.measure else a.epochs):
        model.train()
        batches = _batches(data, a.batch, rng)
        done_in_epoch = step - ep * steps_per_epoch
        for k, idx in enumerate(batches):
            if k < done_in_epoch:  # resuming inside an epoch: skip the steps already taken
                continue
            ids, mask, tags = _tensors(data, idx)
            loss = loss_fn(model(ids, mask).reshape(-1, len(TAGS)), tags.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 20 == 0:
                print(f"epoch {ep + 1} step {step}/{total} loss {loss.item():.4f} "
                      f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)  # fmt: skip
            if not a.measure and step % a.save_every == 0:
                save(ep, step)
        if not a.measure:
            save(ep + 1, step)
    took = time.perf_counter() - t0
    if a.measure:
        per_article = took / max(1, len(train_texts))
        report = {
            "articles": len(train_texts),
            "windows": len(data),
            "seconds": round(took, 1),
            "seconds_per_article": round(per_article, 2),
            "estimated_epoch_minutes_371_articles": round(per_article * 371 / 60, 1),
            "estimated_epoch_minutes_one_fold_297_articles": round(per_article * 297 / 60, 1),
            "torch_threads": torch.get_num_threads(),
        }
        print(json.dumps(report))
        return 0
    export(model, a.out / "encoder.npz")
    if test:
        model.eval()
        preds = {}
        with torch.no_grad():
            for aid, t in texts:
                if aid not in test:
                    continue
                wins = windows_of(enc, t, [])
                ranges = [r for _, r in enc.windows(t, lines(t))]
                probs = []
                for (ids, _), rs in zip(wins, ranges, strict=True):
                    x = torch.tensor([ids])
                    p = torch.softmax(model(x, torch.ones_like(x, dtype=torch.float32)), -1)[0, 1:-1]
                    probs.append((rs, (1.0 - p[:, 0]).numpy().tolist()))
                preds[aid] = probs
        (a.out / f"fold{a.fold}-pieces.json").write_text(json.dumps(preds), encoding="utf-8")
    print(json.dumps({"epochs": a.epochs, "steps": step, "seconds": round(took, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
