"""Training the shared sequence tagger (:mod:`presslens.tagger.crf`) with PyTorch, on CPU.

Needs PyTorch (``pip install -r requirements-train.txt``); analysis never imports it. A model is described
by its BIO *tags*, its hashed *features* (``(name, rows)`` pairs, the columns of ``Example.ids``) and an
embedding width per feature; :func:`weights_of` exports it under the names ``SequenceTagger`` reads.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from presslens.tagger.crf import allowed_starts, allowed_transitions, bio_runs


def torch_available() -> bool:
    """Whether PyTorch, needed only for training, is installed."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Example:
    name: str
    ids: np.ndarray
    dense: np.ndarray
    sequences: list[tuple[int, int]]
    tags: np.ndarray


def mark_span(
    tags: np.ndarray, bounds: tuple[np.ndarray, np.ndarray, np.ndarray], span: tuple[int, int], b_tag: int, i_tag: int
) -> None:
    """Tag the tokens a character *span* touches, space tokens left out: *b_tag* on the first, *i_tag* on the
    rest. *bounds*: the tokens' start and end offsets and whether each is a space token."""
    starts, ends, space = bounds
    toks = np.nonzero((starts < span[1]) & (ends > span[0]) & ~space)[0]
    if len(toks):
        tags[toks] = i_tag
        tags[toks[0]] = b_tag


def token_bounds(doc) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    starts = np.array([t.idx for t in doc], dtype=np.int64)
    ends = starts + np.array([len(t.text) for t in doc], dtype=np.int64)
    return starts, ends, np.array([t.is_space for t in doc], dtype=bool)


def spans_of(tags: np.ndarray, names: tuple[str, ...]) -> set[tuple[str, int, int]]:
    """(role, start, end) token spans of a BIO tag sequence."""
    return set(bio_runs(tags, names, 0, len(tags)))


def span_f1(gold: list[np.ndarray], pred: list[np.ndarray], names: tuple[str, ...]) -> dict[str, float]:
    """Exact-match F1 of token spans, per role."""
    roles = [t[2:] for t in names if t.startswith("B-")]
    tp = dict.fromkeys(roles, 0)
    npred = dict.fromkeys(roles, 0)
    ngold = dict.fromkeys(roles, 0)
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans_of(g, names), spans_of(p, names)
        for r in roles:
            gr = {x for x in gs if x[0] == r}
            pr = {x for x in ps if x[0] == r}
            tp[r] += len(gr & pr)
            npred[r] += len(pr)
            ngold[r] += len(gr)
    return {r: round(2 * tp[r] / max(npred[r] + ngold[r], 1), 4) for r in roles}


def build_torch_model(
    hidden: int,
    layers: int,
    dropout: float,
    tags: tuple[str, ...],
    dense_width: int,
    features: Sequence[tuple[str, int]],
    embed_dims: dict[str, int],
):
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.ModuleList(nn.Embedding(size, embed_dims[name], padding_idx=0) for name, size in features)
            width = sum(embed_dims[name] for name, _ in features) + dense_width
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(
                width,
                hidden,
                num_layers=layers,
                bidirectional=True,
                batch_first=True,
                dropout=dropout if layers > 1 else 0.0,
            )
            self.out = nn.Linear(2 * hidden, len(tags))
            n = len(tags)
            self.trans = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))
            self.register_buffer("forbid", torch.tensor(~allowed_transitions(tags)))
            self.register_buffer("forbid_start", torch.tensor(~allowed_starts(tags)))

        def emissions(self, ids, dense, lengths):
            x = torch.cat([e(ids[..., k]) for k, e in enumerate(self.emb)] + [dense], dim=-1)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])
            return self.out(self.drop(h))

        def masked(self):
            trans = self.trans.masked_fill(self.forbid, -1e4)
            start = self.start.masked_fill(self.forbid_start, -1e4)
            return trans, start

        def nll(self, em, tags, mask):
            """Negative log-likelihood of the gold tag paths under the linear-chain CRF (summed)."""
            trans, start = self.masked()
            b, t_max, _ = em.shape
            ar = torch.arange(b)
            score = start[tags[:, 0]] + em[ar, 0, tags[:, 0]]
            alpha = start[None, :] + em[:, 0]
            for t in range(1, t_max):
                m = mask[:, t]
                step = trans[tags[:, t - 1], tags[:, t]] + em[ar, t, tags[:, t]]
                score = score + step * m
                nxt = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + em[:, t]
                alpha = torch.where(m[:, None].bool(), nxt, alpha)
            last = tags[ar, mask.sum(1).long() - 1]
            score = score + self.end[last]
            log_z = torch.logsumexp(alpha + self.end[None], dim=1)
            return (log_z - score).sum()

        def decode(self, em, lengths):
            trans, start = self.masked()
            trans, start, end = (x.detach().numpy() for x in (trans, start, self.end))
            em = em.detach().numpy()
            out = []
            for k, n in enumerate(lengths.tolist()):
                e = em[k, :n]
                back = np.zeros((n, len(tags)), dtype=np.int64)
                v = start + e[0]
                for t in range(1, n):
                    cand = v[:, None] + trans
                    back[t] = cand.argmax(0)
                    v = cand.max(0) + e[t]
                v = v + end
                path = [int(v.argmax())]
                for t in range(n - 1, 0, -1):
                    path.append(int(back[t, path[-1]]))
                out.append(np.array(path[::-1]))
            return out

    return Tagger()


def _batches(examples: list[Example], batch_tokens: int, rng: random.Random, shuffle: bool):
    seqs = [(k, s, e) for k, ex in enumerate(examples) for s, e in ex.sequences if e > s]
    if shuffle:
        rng.shuffle(seqs)
        # bucket by length inside chunks so that padding stays small
        chunks = [sorted(seqs[i : i + 2000], key=lambda x: x[2] - x[1]) for i in range(0, len(seqs), 2000)]
        seqs = [x for c in chunks for x in c]
    batch: list[tuple[int, int, int]] = []
    longest = 0
    batches = []
    for item in seqs:
        n = item[2] - item[1]
        if batch and max(longest, n) * (len(batch) + 1) > batch_tokens:
            batches.append(batch)
            batch, longest = [], 0
        batch.append(item)
        longest = max(longest, n)
    if batch:
        batches.append(batch)
    if shuffle:
        rng.shuffle(batches)
    return batches


def _tensors(
    examples: list[Example],
    batch,
    word_dropout: float,
    rng: np.random.Generator | None,
    names: tuple[str, ...] | None = None,
):
    import torch

    t_max = max(e - s for _, s, e in batch)
    b = len(batch)
    ids = np.zeros((b, t_max, examples[batch[0][0]].ids.shape[1]), dtype=np.int64)
    dense = np.zeros((b, t_max, examples[batch[0][0]].dense.shape[1]), dtype=np.float32)
    tags = np.zeros((b, t_max), dtype=np.int64)
    mask = np.zeros((b, t_max), dtype=np.float32)
    for j, (k, s, e) in enumerate(batch):
        ex = examples[k]
        ids[j, : e - s] = ex.ids[s:e]
        dense[j, : e - s] = ex.dense[s:e]
        tags[j, : e - s] = ex.tags[s:e]
        mask[j, : e - s] = 1
        if names is not None and names[tags[j, 0]].startswith("I-"):
            tags[j, 0] = names.index("B-" + names[tags[j, 0]][2:])  # a line that opens inside a span starts it
    if rng is not None and word_dropout > 0:
        drop = (rng.random((b, t_max)) < word_dropout) & (mask > 0)
        ids[..., 0][drop] = 1  # the "unknown word" row
    lengths = torch.tensor([e - s for _, s, e in batch])
    return torch.tensor(ids), torch.tensor(dense), torch.tensor(tags), torch.tensor(mask), lengths


def predict(model, examples: list[Example], batch_tokens: int = 8000) -> list[np.ndarray]:
    import torch

    model.eval()
    out = [np.zeros(len(ex.tags), dtype=np.int64) for ex in examples]
    with torch.no_grad():
        for batch in _batches(examples, batch_tokens, random.Random(0), shuffle=False):
            ids, dense, _, _, lengths = _tensors(examples, batch, 0.0, None)
            paths = model.decode(model.emissions(ids, dense, lengths), lengths)
            for (k, s, e), path in zip(batch, paths, strict=True):
                out[k][s:e] = path
    return out


def weights_of(model, layers: int, feature_names: Sequence[str]) -> dict[str, np.ndarray]:
    """The torch model's weights under the names ``model.SequenceTagger`` reads, rounded to float16."""
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    w: dict[str, np.ndarray] = {}
    for k, name in enumerate(feature_names):
        w[f"emb.{name}"] = sd[f"emb.{k}.weight"]
    for layer in range(layers):
        for d, suffix in (("f", ""), ("b", "_reverse")):
            w[f"lstm.{layer}.{d}.w_ih"] = sd[f"lstm.weight_ih_l{layer}{suffix}"]
            w[f"lstm.{layer}.{d}.w_hh"] = sd[f"lstm.weight_hh_l{layer}{suffix}"]
            w[f"lstm.{layer}.{d}.b"] = sd[f"lstm.bias_ih_l{layer}{suffix}"] + sd[f"lstm.bias_hh_l{layer}{suffix}"]
    w["out.w"] = sd["out.weight"]
    w["out.b"] = sd["out.bias"]
    w["crf.trans"] = sd["trans"]
    w["crf.start"] = sd["start"]
    w["crf.end"] = sd["end"]
    return {k: v.astype(np.float16) for k, v in w.items()}


def save_weights(directory: Path, weights: dict[str, np.ndarray], meta: dict, stem: str = "model") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / f"{stem}.npz", **weights)
    (directory / f"{stem}.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def fit(
    train_ex: list[Example],
    dev_ex: list[Example] | None,
    tags: tuple[str, ...],
    epochs: int,
    features: Sequence[tuple[str, int]],
    embed_dims: dict[str, int],
    seed: int = 13,
    hidden: int = 128,
    layers: int = 1,
    dropout: float = 0.3,
    lr: float = 2e-3,
    batch_tokens: int = 3000,
    word_dropout: float = 0.05,
    log: Callable[[str], None] = print,
):
    """Train a BiLSTM-CRF over *tags*; with *dev_ex*, keep the epoch with the best mean exact span F1 on it,
    else the last epoch. Returns the torch model and the per-epoch history."""
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    model = build_torch_model(hidden, layers, dropout, tags, train_ex[0].dense.shape[1], features, embed_dims)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    best, best_state, history = -1.0, None, []
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.time()
        total, ntok = 0.0, 0
        for batch in _batches(train_ex, batch_tokens, rng, shuffle=True):
            ids, dense, gold, mask, lengths = _tensors(train_ex, batch, word_dropout, nrng, tags)
            em = model.emissions(ids, dense, lengths)
            loss = model.nll(em, gold, mask)
            opt.zero_grad()
            (loss / mask.sum()).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
            ntok += int(mask.sum())
        entry: dict = {"epoch": epoch, "loss": round(total / ntok, 4)}
        if dev_ex:
            scores = span_f1([e.tags for e in dev_ex], predict(model, dev_ex), tags)
            entry["dev_span_f1"] = scores
            mean = sum(scores.values()) / len(scores)
            if mean > best:
                best = mean
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
        history.append(entry)
        log(
            f"epoch {epoch}: loss {total / ntok:.4f}, dev exact span F1 {entry.get('dev_span_f1')} "
            f"({time.time() - t0:.0f} s)"
        )
    if best_state is not None:
        model.load_state_dict(best_state)
    return model, history

