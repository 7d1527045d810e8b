"""Features for technique detection, computed from a parsed spaCy ``Doc`` (the same code at training and at
run time).

Token features (span identification) and span features (technique classification) are lists of strings,
hashed into a fixed-size space (``HASH_BITS``), so a trained model holds weights only, never words. Dense
features come from spaCy's own ``doc.tensor`` (the tok2vec output, already computed by the parse).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SHAPE, TAG
from spacy.tokens import Doc

from presslens.text.tokens import doc_text, token_ints, token_strings

# quotation marks of every kind presslens pairs
QUOTE_CHARS = set("\"“”„«»‘’'")
_SPACE_OR_EDGE = set(" \n\t.,:;")
_WORD = re.compile(r"\w+")
_CONTENT_POS = {"ADJ", "NOUN", "VERB", "ADV", "PROPN"}


def _bin(n: float, edges: Sequence[float]) -> int:
    for k, e in enumerate(edges):
        if n <= e:
            return k
    return len(edges)


class DocView:
    """Per-token arrays of one doc, read once (spaCy attribute access is the costly part)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.n = n = len(doc)
        self.lower, lemma, self.pos, self.tag, self.dep, self.shape, self.ent = token_strings(
            doc, (LOWER, LEMMA, POS, TAG, DEP, SHAPE, ENT_TYPE)
        )
        lowered = {w: w.lower() for w in set(lemma)}
        self.lemma = [lowered[w] for w in lemma]
        ints = token_ints(doc, (IDX, LENGTH, IS_SPACE, HEAD))
        self.idx = ints[:, 0].tolist()
        self.end = (ints[:, 0] + ints[:, 1]).tolist()
        self.space = ints[:, 2].astype(bool).tolist()
        self.head = ints[:, 3].tolist()
        # sentences: index of the sentence of each token, and sentence token ranges
        self.sent_of = [0] * n
        self.sents: list[tuple[int, int]] = []
        for k, s in enumerate(doc.sents):
            self.sents.append((s.start, s.end))
            for i in range(s.start, s.end):
                self.sent_of[i] = k
        # inside quotation marks / inside an attribution's content
        self.text = doc_text(doc)
        text_len = len(self.text)
        quoted = np.zeros(text_len + 1, dtype=bool)
        for q in doc._.presslens_quoted or []:
            for s, e in q.pieces:
                quoted[s:e] = True
        attributed = np.zeros(text_len + 1, dtype=bool)
        for a in doc._.presslens_quotes or []:
            for s, e in a.content:
                attributed[s:e] = True
        self.in_quote = [bool(quoted[i]) for i in self.idx]
        self.in_attr = [bool(attributed[i]) for i in self.idx]
        # the headline is the first sentence of a PTC article
        self.title_sent = 0 if n else -1
        counts = Counter(self.lemma)
        self.lemma_count = [counts[x] for x in self.lemma]
        sent_feats = []
        for s, e in self.sents:
            words = self.lower[s:e]
            caps = sum(1 for i in range(s, e) if self.shape[i].startswith("XX") and len(self.lower[i]) > 1)
            sent_feats.append(
                (
                    "!" in words,
                    "?" in words,
                    _bin(e - s, (5, 10, 20, 35, 50)),
                    _bin(caps, (0, 1, 3)),
                    any(self.in_quote[s:e]),
                )
            )
        self.sent_feats = sent_feats
        # the sentence's content words, shared by each of its tokens (context beyond the window)
        self.sent_bag = [
            ["S=" + w for w in sorted({self.lower[i] for i in range(s, e) if self.pos[i] in _CONTENT_POS})]
            for s, e in self.sents
        ]

    def tensor(self) -> np.ndarray:
        t = self.doc.tensor
        if t is None or t.shape[0] != self.n or t.size == 0:
            return np.zeros((self.n, TENSOR_DIMS), dtype=np.float32)
        return np.asarray(t, dtype=np.float32)


TENSOR_DIMS = 96


def token_features(v: DocView) -> list[list[str]]:
    """String features of every token, for span identification: the token's own (``_own_features``) and its
    sentence's content words."""
    return [own + v.sent_bag[v.sent_of[i]] for i, own in enumerate(_own_features(v))]


def token_weight_sums(v: DocView, known: dict[str, float], weight: Callable[[str], float]) -> np.ndarray:
    """``sum(weight(f) for f in token_features(v)[i])`` for every token, without building the rows; *known*:
    weights already looked up (``weight`` is called for the others and may add them). The sentence's content
    words, shared by all of its tokens, are summed once per sentence."""
    get = known.get

    def total(features: list[str]) -> float:
        s = 0.0
        for f in features:
            w = get(f)
            s += weight(f) if w is None else w
        return s

    bag = [total(words) for words in v.sent_bag]
    sent_of = v.sent_of
    return np.array([total(own) + bag[sent_of[i]] for i, own in enumerate(_own_features(v))], dtype=np.float64)


def _own_features(v: DocView) -> list[list[str]]:
    n = v.n
    lower, lemma, pos, tag, dep, shape = v.lower, v.lemma, v.pos, v.tag, v.dep, v.shape
    out: list[list[str]] = []
    pad = "<s>"

    def at(arr: list[str], i: int) -> str:
        return arr[i] if 0 <= i < n else pad

    for i in range(n):
        k = v.sent_of[i]
        ss, se = v.sents[k]
        excl, quest, slen, caps, has_q = v.sent_feats[k]
        rel = (i - ss) / max(1, se - ss)
        h = v.head[i]
        f = [
            "b",
            "w=" + lower[i],
            "l=" + lemma[i],
            "p=" + pos[i],
            "t=" + tag[i],
            "d=" + dep[i],
            "sh=" + shape[i][:4],
            "suf=" + lower[i][-3:],
            "hl=" + lemma[h] + "|" + dep[i],
            "hp=" + pos[h] + "|" + dep[i],
            "e=" + v.ent[i],
            "w-1=" + at(lower, i - 1),
            "w+1=" + at(lower, i + 1),
            "l-2=" + at(lemma, i - 2),
            "l+2=" + at(lemma, i + 2),
            "p-1=" + at(pos, i - 1),
            "p+1=" + at(pos, i + 1),
            "p-2p-1=" + at(pos, i - 2) + "|" + at(pos, i - 1),
            "p+1p+2=" + at(pos, i + 1) + "|" + at(pos, i + 2),
            "w-1w=" + at(lower, i - 1) + "|" + lower[i],
            "ww+1=" + lower[i] + "|" + at(lower, i + 1),
            "lp=" + lemma[i] + "|" + pos[i],
            f"q={v.in_quote[i]:d}{v.in_attr[i]:d}",
            f"sent={excl:d}{quest:d}{slen}{caps}{has_q:d}",
            f"rel={int(rel * 5)}",
            f"title={k == v.title_sent:d}",
            f"rep={_bin(v.lemma_count[i], (1, 2, 4))}|{pos[i]}",
        ]
        if i == ss:
            f.append("first")
        if i == se - 1:
            f.append("last")
        out.append(f)
    return out


def token_dense(v: DocView) -> np.ndarray:
    """Dense features per token: the token's tok2vec vector and the mean over its sentence."""
    t = v.tensor()
    sent_mean = np.zeros_like(t)
    for s, e in v.sents:
        if e > s:
            sent_mean[s:e] = t[s:e].mean(axis=0)
    return np.hstack([t, sent_mean])


def span_tokens(v: DocView, start: int, end: int) -> tuple[int, int]:
    """The token range ``[i, j)`` covering characters ``[start, end)``."""
    import bisect

    i = max(0, bisect.bisect_right(v.end, start))
    j = bisect.bisect_left(v.idx, end)
    if j <= i:
        j = min(v.n, i + 1)
    return i, j


def span_features(v: DocView, start: int, end: int, text_counts: Counter | None = None) -> list[str]:
    """String features of a character span, for technique classification."""
    text = v.text
    i, j = span_tokens(v, start, end)
    words = [v.lower[x] for x in range(i, j) if not v.space[x]]
    lemmas = [v.lemma[x] for x in range(i, j) if not v.space[x]]
    poss = [v.pos[x] for x in range(i, j) if not v.space[x]]
    f = ["b"]
    f += ["sw=" + w for w in words]
    f += ["sl=" + w for w in lemmas]
    f += ["sb=" + a + "|" + b for a, b in zip(lemmas, lemmas[1:], strict=False)]
    f += ["sp=" + p for p in poss]
    if words:
        f.append("first=" + words[0])
        f.append("last=" + words[-1])
        f.append("fp=" + poss[0])
        f.append("lp=" + poss[-1])
    f.append("pp=" + "|".join(poss[:5]))
    ntok = len(words)
    f.append(f"ntok={_bin(ntok, (1, 2, 3, 4, 6, 9, 14, 20, 30))}")
    f.append(f"nchar={_bin(end - start, (5, 10, 15, 25, 40, 60, 100, 150))}")
    for k in range(1, 4):
        f.append(f"c-{k}=" + (v.lower[i - k] if i - k >= 0 else "<s>"))
        f.append(f"c+{k}=" + (v.lower[j + k - 1] if j + k - 1 < v.n else "</s>"))
    # the sentence around
    k = v.sent_of[min(i, v.n - 1)] if v.n else 0
    if v.n:
        ss, se = v.sents[k]
        excl, quest, slen, caps, has_q = v.sent_feats[k]
        f.append(f"sent={excl:d}{quest:d}{slen}{caps}{has_q:d}")
        f.append(f"cover={_bin(ntok / max(1, se - ss), (0.2, 0.4, 0.6, 0.8, 0.95))}")
        f.append(f"title={k == v.title_sent:d}")
        f += ["ctx=" + v.lemma[x] for x in range(ss, se) if not v.space[x] and (x < i or x >= j)]
        f.append(f"q={v.in_quote[i]:d}{v.in_attr[i]:d}")
    # repetition: the span's words elsewhere in the article
    s_text = " ".join(_WORD.findall(text[start:end].lower()))
    if text_counts is None:
        text_counts = Counter()
    reps = text.lower().count(text[start:end].lower()) if end > start else 0
    f.append(f"rep={_bin(reps, (1, 2, 3, 5))}")
    f.append(f"rep={_bin(reps, (1, 2, 3, 5))}|ntok={_bin(ntok, (1, 3, 6))}")
    if s_text:
        f.append(f"lemrep={_bin(sum(v.lemma_count[x] for x in range(i, j)) / max(1, j - i), (1, 2, 4, 8))}")
    seg = text[start:end]
    letters = [c for c in seg if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        f.append("allcaps")
    if seg and seg[0] in QUOTE_CHARS:
        f.append("opensq")
    if "!" in seg or text[end : end + 1] == "!":
        f.append("excl")
    if "?" in seg or text[end : end + 1] == "?":
        f.append("quest")
    if "#" in seg:
        f.append("hash")
    return f


def span_dense(v: DocView, start: int, end: int, tensor: np.ndarray) -> np.ndarray:
    i, j = span_tokens(v, start, end)
    if j <= i:
        return np.zeros(2 * TENSOR_DIMS, dtype=np.float32)
    k = v.sent_of[i]
    ss, se = v.sents[k]
    return np.concatenate([tensor[i:j].mean(axis=0), tensor[ss:se].mean(axis=0)])
