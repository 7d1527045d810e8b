"""The shared sequence tagger at run time: embeddings -> bidirectional LSTM -> linear-chain CRF, in NumPy.

Any BIO tag set (``meta["tags"]``) over any hashed token features (``meta["features"]``, one embedding table
each) plus dense per-token inputs. Training (``presslens.tagger.train``) uses PyTorch; the weights are saved as
``<stem>.npz`` and ``<stem>.json`` and read here with NumPy alone. Used by attribution and techniques.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

#: Most padded token steps (sequences x longest sequence) tagged in one batch: bounds the LSTM and CRF arrays
#: (about 9 MB of LSTM input projections per 1,000 steps with 128 hidden units) whatever the article's length.
MAX_PADDED_STEPS = 8192


@dataclass
class Features:
    ids: np.ndarray  # (n_tokens, len(FEATURES)) int64
    dense: np.ndarray  # (n_tokens, TENSOR_WIDTH) float32
    sequences: list[tuple[int, int]]  # token ranges the tagger reads as one sequence (paragraph lines)


def allowed_transitions(tags: tuple[str, ...]) -> np.ndarray:
    """``allowed[a, b]``: tag b may follow tag a (an I- tag continues the same role)."""
    n = len(tags)
    ok = np.ones((n, n), dtype=bool)
    for b, tag in enumerate(tags):
        if tag.startswith("I-"):
            role = tag[2:]
            for a, prev in enumerate(tags):
                ok[a, b] = prev in (f"B-{role}", f"I-{role}")
    return ok


def allowed_starts(tags: tuple[str, ...]) -> np.ndarray:
    return np.array([not t.startswith("I-") for t in tags])


def padded_batches(seqs: list[tuple[int, int]], max_steps: int) -> Iterator[list[tuple[int, int]]]:
    """Consecutive runs of the (start, end) ranges *seqs* whose count times longest length stays within
    *max_steps* (a longer single sequence is a batch on its own)."""
    batch: list[tuple[int, int]] = []
    longest = 0
    for s, e in seqs:
        longest_with = max(longest, e - s)
        if batch and longest_with * (len(batch) + 1) > max_steps:
            yield batch
            batch, longest_with = [], e - s
        batch.append((s, e))
        longest = longest_with
    if batch:
        yield batch


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS runs on one thread. The LSTM's time steps are many small matrix products: split
    over threads, each waits on the others (and on a busy machine, on the scheduler), which made tagging slower
    than on one thread in ``benchmarks/throughput.py``."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.exp(x - m).sum(axis=axis))


def _gates_for_numpy(weights: dict[str, np.ndarray], layer: int, h: int) -> tuple[np.ndarray, ...]:
    """One LSTM layer's weights, both directions, laid out for :meth:`SequenceTagger._bilstm`: PyTorch's gate
    order (input, forget, cell, output) becomes (input, forget, output, cell), so the three sigmoid gates are
    contiguous, and their columns are halved, so one tanh gives all four gates (sigmoid(z) = (1 + tanh(z/2)) / 2;
    halving is exact in floating point). Returns w_ih (in, 2 * 4h: forward then backward), w_hh (2, h, 4h),
    bias (2 * 4h)."""
    perm = np.r_[0 : 2 * h, 3 * h : 4 * h, 2 * h : 3 * h]
    scale = np.r_[np.full(3 * h, 0.5), np.ones(h)].astype(np.float32)
    w_ih = [weights[f"lstm.{layer}.{d}.w_ih"].T[:, perm] * scale for d in ("f", "b")]
    w_hh = [weights[f"lstm.{layer}.{d}.w_hh"].T[:, perm] * scale for d in ("f", "b")]
    bias = [weights[f"lstm.{layer}.{d}.b"][perm] * scale for d in ("f", "b")]
    return (
        np.ascontiguousarray(np.concatenate(w_ih, axis=1), dtype=np.float32),
        np.ascontiguousarray(np.stack(w_hh), dtype=np.float32),
        np.concatenate(bias).astype(np.float32),
    )


def bio_runs(tags: np.ndarray, names: tuple[str, ...], start: int, end: int) -> list[tuple[str, int, int]]:
    """(role, start, end) runs of the BIO tags ``tags[start:end]``; an I- tag with no run open starts one."""
    out = []
    role = None
    begin = start
    for i in range(start, end + 1):
        name = names[int(tags[i])] if i < end else "O"
        if role is not None and not (name.startswith("I-") and name[2:] == role):
            out.append((role, begin, i))
            role = None
        if name.startswith("B-") or (name.startswith("I-") and role is None):
            role, begin = name[2:], i
    return out


@dataclass
class Tagged:
    tags: np.ndarray  # (n_tokens,) tag index per token, 0 outside every sequence
    confidence: np.ndarray  # (n_tokens,) marginal probability of the chosen tag under the CRF
    sequences: list[tuple[int, int]]  # the token ranges that were tagged, each on its own


class SequenceTagger:
    """A BiLSTM-CRF over :class:`Features` with any BIO tag set (``meta["tags"]``)."""

    def __init__(self, weights: dict[str, np.ndarray], meta: dict):
        self.meta = meta
        self.tags = tuple(meta["tags"])
        weights = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.weights = weights
        self.emb = [weights[f"emb.{name}"] for name in meta["features"]]
        self.layers = int(meta["layers"])
        self.hidden = int(meta["hidden"])
        self.lstm = [_gates_for_numpy(weights, layer, self.hidden) for layer in range(self.layers)]
        self.out_w = weights["out.w"].T  # (2h, n_tags)
        self.out_b = weights["out.b"]
        self.trans = weights["crf.trans"]  # (n_tags, n_tags): score of a -> b
        self.start = weights["crf.start"]
        self.end = weights["crf.end"]
        forbid = ~allowed_transitions(self.tags)
        self.trans = np.where(forbid, -1e4, self.trans)
        self.start = np.where(allowed_starts(self.tags), self.start, -1e4)

    @classmethod
    def load(cls, directory: str | Path, stem: str = "model") -> SequenceTagger:
        directory = Path(directory)
        with np.load(directory / f"{stem}.npz") as z:
            weights = {k: z[k] for k in z.files}
        meta = json.loads((directory / f"{stem}.json").read_text(encoding="utf-8"))
        return cls(weights, meta)

    # ------------------------------------------------------------------------------------------------
    @property
    def dense_width(self) -> int:
        """Width of the dense token inputs the tagger was trained on (96: spaCy's vectors; more when
        ``meta["dense"]`` names other sources)."""
        return self.lstm[0][0].shape[0] - sum(t.shape[1] for t in self.emb)

    def _inputs(self, feats: Features, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The tagger's input rows for the tokens *rows* (embeddings then dense inputs)."""
        if feats.dense.shape[1] != self.dense_width:
            raise ValueError(
                f"tagger expects {self.dense_width} dense inputs per token ({'+'.join(self.meta.get('dense', []))}), "
                f"got {feats.dense.shape[1]}"
            )
        parts = [table[feats.ids[rows, k]] for k, table in enumerate(self.emb)]
        parts.append(feats.dense[rows])
        return np.concatenate(parts, axis=1).astype(np.float32)

    def _bilstm(self, inputs: np.ndarray, seqs: list[tuple[int, int]]) -> np.ndarray:
        """inputs: (n_tokens, in); returns (n_tokens, 2h) for the tokens of *seqs* (zeros elsewhere). All
        sequences run as one padded batch, longest first, both directions in one loop; at each time step only
        the sequences still running are computed (a prefix of the batch), and input projections are computed
        on the real tokens only."""
        h = self.hidden
        b = len(seqs)
        lengths = np.array([e - s for s, e in seqs])
        order = np.argsort(-lengths, kind="stable")
        t_max = int(lengths.max())
        running = (lengths[None, :] > np.arange(t_max)[:, None]).sum(axis=1)  # sequences still running at t
        x = inputs
        for w_ih, w_hh, bias in self.lstm:
            both = x @ w_ih + bias  # (n_tokens, 2 * 4h): forward then backward gates
            proj = np.zeros((t_max, 2, b, 4 * h), dtype=np.float32)
            for j, k in enumerate(order):
                s, e = seqs[k]
                proj[: e - s, 0, j] = both[s:e, : 4 * h]
                proj[: e - s, 1, j] = both[s:e, 4 * h :][::-1]
            del both
            hs = np.zeros((2, b, h), dtype=np.float32)
            cs = np.zeros((2, b, h), dtype=np.float32)
            out = np.zeros((t_max, 2, b, h), dtype=np.float32)
            n = b
            for t in range(t_max):
                if running[t] < n:
                    n = int(running[t])
                    hs, cs = hs[:, :n], cs[:, :n]
                a = np.matmul(hs, w_hh)
                a += proj[t, :, :n]
                np.tanh(a, out=a)  # gates i, f, o were scaled by 1/2: sigmoid(z) = (1 + tanh(z / 2)) / 2
                sig = a[..., : 3 * h]
                sig *= 0.5
                sig += 0.5
                cs = sig[..., h : 2 * h] * cs
                cs += sig[..., :h] * a[..., 3 * h :]
                hs = np.tanh(cs)
                hs *= sig[..., 2 * h :]
                out[t, :, :n] = hs
            x = np.zeros((len(inputs), 2 * h), dtype=np.float32)
            for j, k in enumerate(order):
                s, e = seqs[k]
                x[s:e, :h] = out[: e - s, 0, j]
                x[s:e, h:] = out[: e - s, 1, j][::-1]
        return x

    # All sequences of a document are decoded together: the Python loops run over time steps, not tokens.
    def _padded(self, emissions: np.ndarray, seqs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.array([e - s for s, e in seqs])
        scores = np.zeros((len(seqs), int(lengths.max()), emissions.shape[1]), dtype=np.float64)
        for k, (s, e) in enumerate(seqs):
            scores[k, : e - s] = emissions[s:e]
        return scores, lengths

    def _viterbi(self, scores: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Best tag paths of a padded batch (B, T, K) of sequences of the given lengths."""
        b, t_max, _ = scores.shape
        rows = np.arange(b)
        back = np.zeros((b, t_max, scores.shape[2]), dtype=np.int64)
        v = self.start + scores[:, 0]
        for t in range(1, t_max):
            cand = v[:, :, None] + self.trans[None]
            back[:, t] = cand.argmax(axis=1)
            nxt = cand.max(axis=1) + scores[:, t]
            v = np.where((t < lengths)[:, None], nxt, v)
        cur = (v + self.end).argmax(axis=1)
        path = np.zeros((b, t_max), dtype=np.int64)
        for t in range(t_max - 1, -1, -1):
            active = t < lengths
            path[active, t] = cur[active]
            if t:
                cur = np.where(active, back[rows, t, cur], cur)
        return path

    def _marginals(self, scores: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """P(tag at t | sequence) under the CRF for a padded batch, by forward-backward in log space."""
        b, t_max, k = scores.shape
        rows = np.arange(b)
        alpha = np.zeros((b, t_max, k))
        beta = np.zeros((b, t_max, k))
        alpha[:, 0] = self.start + scores[:, 0]
        for t in range(1, t_max):
            alpha[:, t] = _logsumexp(alpha[:, t - 1, :, None] + self.trans[None], axis=1) + scores[:, t]
        for t in range(t_max - 1, -1, -1):
            last = (t == lengths - 1)[:, None]
            if t < t_max - 1:
                nxt = _logsumexp(self.trans[None] + (scores[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
            else:
                nxt = np.zeros((b, k))
            beta[:, t] = np.where(last, self.end[None], np.where((t < lengths - 1)[:, None], nxt, 0.0))
        log_z = _logsumexp(alpha[rows, lengths - 1] + self.end[None], axis=1)
        # Past a sequence's end alpha keeps growing (padding); those steps are masked out before exp, which
        # would overflow on them, rather than computed and thrown away.
        valid = (np.arange(t_max)[None, :] < lengths[:, None])[:, :, None]
        log_p = np.where(valid, alpha + beta - log_z[:, None, None], -np.inf)
        return np.exp(log_p)

    def _decode(self, feats: Features, viterbi: bool) -> Iterator[tuple[int, int, np.ndarray, np.ndarray | None]]:
        """(start, end, marginals, best path) per sequence, longest first. Sequences run in batches of similar
        length of at most :data:`MAX_PADDED_STEPS` padded token steps, so the arrays stay bounded on long
        articles (each sequence is tagged on its own, so batching does not change the result)."""
        seqs = sorted(((s, e) for s, e in feats.sequences if e > s), key=lambda r: r[0] - r[1])
        for batch in padded_batches(seqs, MAX_PADDED_STEPS):
            rows = np.concatenate([np.arange(s, e) for s, e in batch])
            local = []
            at = 0
            for s, e in batch:
                local.append((at, at + e - s))
                at += e - s
            emissions = self._bilstm(self._inputs(feats, rows), local) @ self.out_w + self.out_b
            scores, lengths = self._padded(emissions, local)
            del emissions
            marginals = self._marginals(scores, lengths)
            paths = self._viterbi(scores, lengths) if viterbi else None
            for k, (s, e) in enumerate(batch):
                yield s, e, marginals[k, : e - s], None if paths is None else paths[k, : e - s]

    def proba(self, feats: Features) -> np.ndarray:
        """(n_tokens, n_tags) marginal tag probabilities; tokens outside every sequence get all of "O"."""
        out = np.zeros((len(feats.ids), len(self.tags)), dtype=np.float32)
        out[:, 0] = 1.0
        with one_blas_thread():
            for s, e, marginals, _ in self._decode(feats, viterbi=False):
                out[s:e] = marginals
        return out

    def tag(self, feats: Features) -> Tagged:
        n = len(feats.ids)
        tags = np.zeros(n, dtype=np.int64)
        conf = np.zeros(n, dtype=np.float32)
        with one_blas_thread():
            for s, e, marginals, path in self._decode(feats, viterbi=True):
                assert path is not None
                tags[s:e] = path
                conf[s:e] = marginals[np.arange(e - s), path]
        return Tagged(tags, conf, [(s, e) for s, e in feats.sequences if e > s])
