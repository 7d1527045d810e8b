"""Features of one sentence for the claim model: hashed word and character n-grams of its text (ids from
CRC-32, so they do not depend on the process) and a small dense part from spaCy's analysis of its tokens
(``doc.tensor`` mean, part-of-speech and entity shares, numbers, tense, person), computed with NumPy from one
``Doc.to_array`` per document."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from typing import Any

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, IS_DIGIT, IS_SPACE, LIKE_NUM, LOWER, POS, TAG

HASH_BITS = 18
_WORD = re.compile(r"\w+|[^\w\s]")

UPOS = "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
ENTS = (
    "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME PERCENT MONEY QUANTITY "
    "ORDINAL CARDINAL"
).split()
TENSOR_DIM = 96
# token flags, summed over the sentence (log1p); each is a token attribute and the values that set it
_FLAGS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("money_or_percent", LOWER, ("%", "$", "€", "£", "percent", "dollars", "billion", "million", "trillion")),
    ("modal", TAG, ("MD",)),
    ("future_will", LOWER, ("will", "'ll", "’ll", "wo")),
    ("first_person", LOWER, ("i", "me", "my", "we", "us", "our", "myself", "ourselves")),
    ("second_person", LOWER, ("you", "your", "yours", "yourself")),
    ("past", TAG, ("VBD",)),
    ("present", TAG, ("VBP", "VBZ")),
    ("comparative", TAG, ("JJR", "RBR")),
    ("superlative", TAG, ("JJS", "RBS")),
    ("negation", DEP, ("neg",)),
)
_COLS = (POS, ENT_TYPE, TAG, LOWER, DEP, LIKE_NUM, IS_DIGIT, IS_SPACE)
N_TOKEN = len(UPOS) + len(ENTS) + 2 + len(_FLAGS)  # one-hots, like_num, digit, flags
DENSE_DIM = TENSOR_DIM + N_TOKEN + 3  # + log length, question, exclamation
_CACHE: dict[str, list[int]] = {}
_CACHE_MAX = 200_000


def _bucket(s: str, size: int) -> int:
    return zlib.crc32(s.encode("utf-8")) % size


def _char_ids(word: str, size: int) -> list[int]:
    key = f"{size} {word}"
    ids = _CACHE.get(key)
    if ids is None:
        p = f" {word} "
        ids = [_bucket(p[j : j + k], size) for k in range(2, 6) for j in range(len(p) - k + 1)]
        ids.append(_bucket("w " + word, size))  # the word itself, last
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = ids
    return ids


def ngram_ids(text: str, bits: int = HASH_BITS) -> tuple[np.ndarray, np.ndarray]:
    """Hashed ids, one per occurrence, of the word 1-2 grams and of the character 2-5 grams within words (padded
    by a space) of *text*: the features :func:`ngram_counts` counts."""
    size = 2**bits
    words = _WORD.findall(text.lower())
    word_ids: list[int] = []
    char_ids: list[int] = []
    for i, w in enumerate(words):
        ids = _char_ids(w, size)
        word_ids.append(ids[-1])
        char_ids.extend(ids[:-1])
        if i:
            word_ids.append(_bucket("b " + words[i - 1] + " " + w, size))
    return np.array(word_ids, dtype=np.int64), np.array(char_ids, dtype=np.int64)


def ngram_counts(text: str, bits: int = HASH_BITS) -> tuple[Counter, Counter]:
    """Hashed counts of word 1-2 grams and of character 2-5 grams within words (padded by a space)."""
    w, c = ngram_ids(text, bits)
    return Counter(w.tolist()), Counter(c.tolist())


_TABLES: dict[int, dict[int, tuple[int, ...]]] = {}


def _tables(strings: Any) -> dict[int, dict[int, tuple[int, ...]]]:
    """For each attribute column: value hash -> the token-feature columns it sets (hashes are the same in every
    StringStore, so these are built once)."""
    if _TABLES:
        return _TABLES
    tables: dict[int, dict[int, tuple[int, ...]]] = {POS: {}, ENT_TYPE: {}, TAG: {}, LOWER: {}, DEP: {}}

    def put(attr: int, value: str, col: int) -> None:
        h = int(strings.add(value))
        tables[attr][h] = tables[attr].get(h, ()) + (col,)

    for k, name in enumerate(UPOS):
        put(POS, name, k)
    for k, name in enumerate(ENTS):
        put(ENT_TYPE, name, len(UPOS) + k)
    base = len(UPOS) + len(ENTS) + 2
    for k, (_, attr, values) in enumerate(_FLAGS):
        for v in values:
            put(attr, v, base + k)
    _TABLES.update(tables)
    return _TABLES


def token_matrix(doc: Any) -> np.ndarray:
    """Per-token features of a Doc (UPOS and entity one-hots, number flags, word-class flags; space tokens all
    zero), from one ``Doc.to_array`` and a table lookup per token attribute."""
    out = np.zeros((len(doc), N_TOKEN), dtype=np.float32)
    if not len(doc):
        return out
    arr = doc.to_array(list(_COLS)).reshape(len(doc), len(_COLS)).tolist()
    t = _tables(doc.vocab.strings)
    tables = [(_COLS.index(a), t[a]) for a in (POS, ENT_TYPE, TAG, LOWER, DEP)]
    num = len(UPOS) + len(ENTS)
    rows: list[int] = []
    cols: list[int] = []
    for i, r in enumerate(arr):
        if r[7]:
            continue
        for c, table in tables:
            hit = table.get(r[c])
            if hit:
                rows.extend([i] * len(hit))
                cols.extend(hit)
        if r[5]:
            rows.append(i)
            cols.append(num)
        if r[6]:
            rows.append(i)
            cols.append(num + 1)
    out[rows, cols] = 1.0
    return out


def dense_features(text: str, tokens: np.ndarray, tensor: np.ndarray | None) -> np.ndarray:
    """Dense features of a sentence: *text*, its rows of ``token_matrix`` and of ``doc.tensor``."""
    out = np.zeros(DENSE_DIM, dtype=np.float32)
    if tensor is not None and len(tensor) and tensor.shape[1] == TENSOR_DIM:
        out[:TENSOR_DIM] = tensor.mean(axis=0)
    n_upos, n_ents = len(UPOS), len(ENTS)
    n = float(max(tokens[:, :n_upos].sum(), 1.0))
    sums = tokens.sum(axis=0)
    b = TENSOR_DIM
    out[b : b + n_upos] = sums[:n_upos] / n
    out[b + n_upos : b + n_upos + n_ents] = sums[n_upos : n_upos + n_ents] > 0
    out[b + n_upos + n_ents : b + N_TOKEN] = np.log1p(sums[n_upos + n_ents :])
    end = text.rstrip().rstrip("\"'“”‘’ ")
    out[b + N_TOKEN :] = (np.log1p(n), end.endswith("?"), end.endswith("!"))
    return out
