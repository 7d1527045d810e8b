"""Features of one sentence for the claim model: hashed word and character n-grams of its text (ids from
CRC-32, so they do not depend on the process) and a small dense part from spaCy's analysis of its tokens
(``doc.tensor`` mean, part-of-speech and entity shares, numbers, tense, person)."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

HASH_BITS = 18
_WORD = re.compile(r"\w+|[^\w\s]")

UPOS = (
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X"
).split()
ENTS = (
    "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME PERCENT MONEY QUANTITY "
    "ORDINAL CARDINAL"
).split()
FIRST = {"i", "me", "my", "we", "us", "our", "myself", "ourselves"}
SECOND = {"you", "your", "yours", "yourself"}
TENSOR_DIM = 96
FLAGS = (
    "n_tokens_log",
    "like_num",
    "digit",
    "percent_or_money_sign",
    "modal",
    "first_person",
    "second_person",
    "past",
    "present",
    "future_will",
    "comparative",
    "superlative",
    "negation",
    "question",
    "exclamation",
)
DENSE_DIM = TENSOR_DIM + len(UPOS) + len(ENTS) + len(FLAGS)
_UPOS_INDEX = {p: i for i, p in enumerate(UPOS)}
_ENT_INDEX = {e: i for i, e in enumerate(ENTS)}


def _bucket(s: str, size: int) -> int:
    return zlib.crc32(s.encode("utf-8")) % size


def ngram_counts(text: str, bits: int = HASH_BITS) -> tuple[Counter, Counter]:
    """Hashed counts of word 1-2 grams and of character 2-5 grams within words (padded by a space)."""
    size = 2**bits
    words = _WORD.findall(text.lower())
    wc: Counter = Counter()
    for i, w in enumerate(words):
        wc[_bucket("w " + w, size)] += 1
        if i:
            wc[_bucket("b " + words[i - 1] + " " + w, size)] += 1
    cc: Counter = Counter()
    for w in words:
        p = f" {w} "
        n = len(p)
        for k in range(2, 6):
            for j in range(n - k + 1):
                cc[_bucket(p[j : j + k], size)] += 1
    return wc, cc


def dense_features(tokens: Sequence[Any], tensor: np.ndarray | None) -> np.ndarray:
    """Dense features of a sentence from its spaCy tokens (a Span or Doc) and their rows of ``doc.tensor``."""
    out = np.zeros(DENSE_DIM, dtype=np.float32)
    words = [t for t in tokens if not t.is_space]
    n = max(len(words), 1)
    if tensor is not None and len(tensor) and tensor.shape[1] == TENSOR_DIM:
        out[:TENSOR_DIM] = tensor.mean(axis=0)
    base = TENSOR_DIM
    ents = set()
    f = dict.fromkeys(FLAGS, 0.0)
    for t in words:
        i = _UPOS_INDEX.get(t.pos_)
        if i is not None:
            out[base + i] += 1.0 / n
        if t.ent_type_:
            ents.add(t.ent_type_)
        low = t.lower_
        f["like_num"] += t.like_num
        f["digit"] += any(c.isdigit() for c in t.text)
        f["percent_or_money_sign"] += t.text in ("%", "$", "€", "£") or low in ("percent", "dollars", "billion")
        f["modal"] += t.tag_ == "MD"
        f["future_will"] += low in ("will", "'ll", "wo")
        f["first_person"] += low in FIRST
        f["second_person"] += low in SECOND
        tense = t.morph.get("Tense")
        f["past"] += "Past" in tense
        f["present"] += "Pres" in tense
        f["comparative"] += t.tag_ in ("JJR", "RBR")
        f["superlative"] += t.tag_ in ("JJS", "RBS")
        f["negation"] += t.dep_ == "neg"
    base += len(UPOS)
    for e in ents:
        j = _ENT_INDEX.get(e)
        if j is not None:
            out[base + j] = 1.0
    base += len(ENTS)
    text = "".join(t.text_with_ws for t in words).strip().strip("\"'“”‘’ ")
    f["question"] = float(text.endswith("?"))
    f["exclamation"] = float(text.endswith("!"))
    for k, name in enumerate(FLAGS):
        v = f[name]
        out[base + k] = np.log1p(v) if name != "n_tokens_log" else np.log1p(n)
    return out
