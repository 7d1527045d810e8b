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

from presslens.text.tokens import doc_text, token_codes, token_ints

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
        coded = token_codes(doc, (LOWER, LEMMA, POS, TAG, DEP, SHAPE, ENT_TYPE))
        coded[1] = (coded[1][0], [w.lower() for w in coded[1][1]])  # lemmas, lower-cased
        # per attribute: a code per token and the distinct strings (``token_weight_sums`` works on the codes)
        self.codes = dict(zip(("lower", "lemma", "pos", "tag", "dep", "shape", "ent"), coded, strict=True))
        self.lower, self.lemma, self.pos, self.tag, self.dep, self.shape, self.ent = (
            [names[j] for j in codes.tolist()] for codes, names in coded
        )
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


def token_weight_sums(v: DocView, weights_of: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """``sum(weight(f) for f in token_features(v)[i])`` for every token, without building the rows;
    *weights_of* gives the weights of a list of feature strings (``TechniqueModel.si_weights_of``).

    Column by column rather than token by token: each feature template of ``_own_features`` is a function of
    a few per-token codes (a word, a tag, a neighbour's), so the weight of each distinct value is looked up
    once and gathered with NumPy. The sums are added in the order of the template list, each token's own
    features first and its sentence's content words (summed once per sentence) last, so the result is the
    same, to the last bit, as adding the features of each token one by one."""
    n = v.n
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    pad = "<s>"
    # per attribute: codes, and the strings they stand for with the padding ``<s>`` as the last code
    codes = {k: (c, [*names, pad]) for k, (c, names) in v.codes.items()}
    codes["shape"] = (codes["shape"][0], [x[:4] for x in codes["shape"][1][:-1]] + [pad])
    codes["suf"] = (codes["lower"][0], [x[-3:] for x in codes["lower"][1][:-1]] + [pad])

    def shift(name: str, k: int) -> np.ndarray:
        """The code of token ``i + k`` at ``i`` (the padding past either end)."""
        c, names = codes[name]
        out = np.full(n, len(names) - 1, dtype=np.int64)
        if abs(k) >= n:
            return out
        if k > 0:
            out[: n - k] = c[k:]
        else:
            out[-k:] = c[: n + k]
        return out

    head = np.asarray(v.head, dtype=np.int64)
    sent_of = np.asarray(v.sent_of, dtype=np.int64)
    starts = np.array([s for s, _ in v.sents], dtype=np.int64)[sent_of]
    ends = np.array([e for _, e in v.sents], dtype=np.int64)[sent_of]
    idx = np.arange(n, dtype=np.int64)
    # (template, codes per token, the string of each code), in the order of ``_own_features``
    columns: list[tuple[np.ndarray, list[str]]] = []

    def one(prefix: str, c: np.ndarray, name: str) -> None:
        columns.append((c, [prefix + x for x in codes[name][1]]))

    def pair(prefix: str, a: np.ndarray, an: str, b: np.ndarray, bn: str) -> None:
        na, nb = codes[an][1], codes[bn][1]
        uniq, inv = np.unique(a * len(nb) + b, return_inverse=True)
        ua, ub = np.divmod(uniq, len(nb))
        rendered = [f"{prefix}{na[x]}|{nb[y]}" for x, y in zip(ua.tolist(), ub.tolist(), strict=True)]
        columns.append((inv.reshape(n), rendered))

    def given(values: np.ndarray, render: Callable[[int], str]) -> None:
        uniq, inv = np.unique(values, return_inverse=True)
        columns.append((inv.reshape(n), [render(u) for u in uniq.tolist()]))

    c = {k: codes[k][0] for k in ("lower", "lemma", "pos", "tag", "dep", "shape", "suf", "ent")}
    columns.append((np.zeros(n, dtype=np.int64), ["b"]))
    for prefix, name in (("w=", "lower"), ("l=", "lemma"), ("p=", "pos"), ("t=", "tag"), ("d=", "dep")):
        one(prefix, c[name], name)
    one("sh=", c["shape"], "shape")
    one("suf=", c["suf"], "suf")
    pair("hl=", c["lemma"][head], "lemma", c["dep"], "dep")
    pair("hp=", c["pos"][head], "pos", c["dep"], "dep")
    one("e=", c["ent"], "ent")
    one("w-1=", shift("lower", -1), "lower")
    one("w+1=", shift("lower", 1), "lower")
    one("l-2=", shift("lemma", -2), "lemma")
    one("l+2=", shift("lemma", 2), "lemma")
    one("p-1=", shift("pos", -1), "pos")
    one("p+1=", shift("pos", 1), "pos")
    pair("p-2p-1=", shift("pos", -2), "pos", shift("pos", -1), "pos")
    pair("p+1p+2=", shift("pos", 1), "pos", shift("pos", 2), "pos")
    pair("w-1w=", shift("lower", -1), "lower", c["lower"], "lower")
    pair("ww+1=", c["lower"], "lower", shift("lower", 1), "lower")
    pair("lp=", c["lemma"], "lemma", c["pos"], "pos")
    quote_attr = np.array(v.in_quote, dtype=np.int64) * 2 + np.array(v.in_attr, dtype=np.int64)
    given(quote_attr, lambda u: f"q={u >> 1}{u & 1}")
    sent_f = [f"sent={a:d}{b:d}{x}{y}{q:d}" for a, b, x, y, q in v.sent_feats]
    given(sent_of, lambda u: sent_f[u])
    rel = ((idx - starts) / np.maximum(1, ends - starts) * 5).astype(np.int64)
    given(rel, lambda u: f"rel={u}")
    given((sent_of == v.title_sent).astype(np.int64), lambda u: f"title={u}")
    rep = np.searchsorted(np.array([1, 2, 4]), np.asarray(v.lemma_count, dtype=np.int64), side="left")
    pair_rep = rep * len(codes["pos"][1]) + c["pos"]
    pos_names = codes["pos"][1]
    given(pair_rep, lambda u: f"rep={u // len(pos_names)}|{pos_names[u % len(pos_names)]}")
    columns.append(((idx == starts).astype(np.int64), ["", "first"]))
    columns.append(((idx == ends - 1).astype(np.int64), ["", "last"]))
    bag_words = sorted({w for words in v.sent_bag for w in words})

    # one lookup for every distinct feature string of the document
    wanted = [f for _, names in columns for f in names if f] + bag_words
    weights = weights_of(wanted)
    total = np.zeros(n, dtype=np.float64)
    at = 0
    for col, names in columns:
        w = np.zeros(len(names), dtype=np.float64)
        present = [k for k, f in enumerate(names) if f]
        w[present] = weights[at : at + len(present)]
        at += len(present)
        if names[0] == "":  # "first", "last": added only where present (adding 0.0 elsewhere changes nothing)
            total[col == 1] += w[1]
        else:
            total += w[col]
    bag_w = dict(zip(bag_words, weights[at:].tolist(), strict=True))
    bag = np.array([_sum_in_order(words, bag_w) for words in v.sent_bag], dtype=np.float64)
    return total + bag[sent_of]


def _sum_in_order(features: list[str], weight: dict[str, float]) -> float:
    s = 0.0
    for f in features:
        s += weight[f]
    return s


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
