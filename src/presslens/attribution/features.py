"""Token features for the attribution tagger, computed from a parsed spaCy ``Doc``.

The same function feeds training and inference, so what the model saw in training is what it sees at run time.
Every feature is a small integer (an embedding row); hashed features use spaCy's stable 64-bit string hashes,
so the ids do not depend on the process. The dense part is ``doc.tensor``, the output of the small English
model's own token-to-vector layer (96 numbers per token, already computed by the tagger and parser: free).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    SENT_START,
    SHAPE,
    SUFFIX,
    TAG,
)
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from presslens.tagger.crf import Features
from presslens.text.lexicon import CLAUSE_ONLY_VERBS, CUE_NOUNS, SPEECH_VERBS, SUBJECT_PRONOUNS
from presslens.text.quotemarks import Quoted

# (name, number of embedding rows); the order is the column order of ``Features.ids``.
FEATURES: tuple[tuple[str, int], ...] = (
    ("lower", 1 << 15),
    ("suffix", 1 << 12),
    ("shape", 1 << 10),
    ("tag", 1 << 8),
    ("dep", 1 << 8),
    ("ent", 1 << 8),
    ("quote", 8),
    ("cue", 8),
    ("anc", 1 << 9),
    ("head", 1 << 12),
    ("actor", 8),
    ("where", 32),
)
FEATURE_NAMES = tuple(n for n, _ in FEATURES)
TENSOR_WIDTH = 96

_ACCORDING = {"according"}


def _cue_class(tok: Token) -> int:
    lemma = tok.lemma_.lower()
    if tok.lower_ in _ACCORDING:
        return 4
    if tok.pos_ in ("VERB", "AUX"):
        if lemma in SPEECH_VERBS:
            return 1
        if lemma in CLAUSE_ONLY_VERBS:
            return 2
    if tok.pos_ in ("NOUN", "PROPN") and lemma in CUE_NOUNS:
        return 3
    return 5 if tok.pos_ == "VERB" else 6


def _is_cue_word(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return (tok.pos_ in ("VERB", "AUX") and (lemma in SPEECH_VERBS or lemma in CLAUSE_ONLY_VERBS)) or (
        tok.pos_ in ("NOUN", "PROPN") and lemma in CUE_NOUNS
    )


def sequences_of(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the text's lines (PolNeAR contents almost never cross one), space tokens left out at
    the edges; a very long line is cut at sentence starts into pieces of at most 400 tokens."""
    out: list[tuple[int, int]] = []
    start = None
    n = len(doc)
    for i, tok in enumerate(doc):
        if start is None:
            if not tok.is_space:
                start = i
            else:
                continue
        ends_line = "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text) or i == n - 1
        if ends_line:
            end = i + 1
            while end > start and doc[end - 1].is_space:
                end -= 1
            if end > start:
                out.extend(_cut(doc, start, end))
            start = None
    return out


def _cut(doc: Doc, start: int, end: int, limit: int = 400) -> list[tuple[int, int]]:
    if end - start <= limit:
        return [(start, end)]
    pieces = []
    s = start
    while end - s > limit:
        cut = s + limit
        for j in range(s + limit, s + limit // 2, -1):
            if doc[j].is_sent_start:
                cut = j
                break
        pieces.append((s, cut))
        s = cut
    pieces.append((s, end))
    return pieces


_ARRAY_ATTRS = (LOWER, SUFFIX, SHAPE, TAG, DEP, ENT_TYPE, ENT_IOB, HEAD, LEMMA, IS_SPACE, IS_PUNCT, IDX, LENGTH)
_PRONOUN_IDS = frozenset(get_string_id(w) for w in SUBJECT_PRONOUNS)
_ACTOR_KIND = {"person": 2, "organization": 3, "country": 4}


def featurize(doc: Doc, quoted: list[Quoted], token_actor: dict | None = None) -> Features:
    """Features of every token of *doc*; *quoted* are the paired quotation marks, *token_actor* the actor
    resolver's token -> actor map (``ActorResolver.token_actor``). Token attributes are read in one
    ``Doc.to_array`` call and bucketed with array arithmetic; only the walk up to a cue-word ancestor loops."""
    n = len(doc)
    ids = np.zeros((n, len(FEATURES)), dtype=np.int64)
    if n == 0:
        return Features(ids=ids, dense=np.zeros((0, TENSOR_WIDTH), dtype=np.float32), sequences=[])
    token_actor = token_actor or {}
    arr = doc.to_array(list(_ARRAY_ATTRS)).astype(np.uint64)
    lower, suffix, shape, tag, dep, ent_type, ent_iob = (arr[:, k] for k in range(7))
    head = np.arange(n, dtype=np.int64) + arr[:, 7].copy().view(np.int64)
    lemma = arr[:, 8]
    is_space, is_punct = arr[:, 9].astype(bool), arr[:, 10].astype(bool)
    idx, length = arr[:, 11].astype(np.int64), arr[:, 12].astype(np.int64)
    sizes = [np.uint64(size - 1) for _, size in FEATURES]

    def bucket(values: np.ndarray, k: int) -> np.ndarray:
        return (values % sizes[k]).astype(np.int64) + 1  # row 0 is kept for padding

    ids[:, 0] = bucket(lower, 0)
    ids[:, 1] = bucket(suffix, 1)
    ids[:, 2] = bucket(shape, 2)
    ids[:, 3] = bucket(tag, 3)
    ids[:, 4] = bucket(dep, 4)
    # (a * k + b) % m computed as ((a % m) * k + b) % m: the same number, without overflowing 64 bits
    ids[:, 5] = bucket((ent_type % sizes[5]) * np.uint64(3) + ent_iob, 5)
    # quotation marks: opening, closing, inside, outside
    text_len = int(idx[-1] + length[-1]) + 1
    in_quote = np.zeros(text_len + 1, dtype=np.int64)
    mark = np.full(text_len + 1, -1, dtype=np.int64)
    for q in quoted:
        for s, e in q.pieces:
            in_quote[s : min(e, text_len)] = 1
            if s <= text_len:
                mark[s] = 2
            if 0 <= e - 1 <= text_len:
                mark[e - 1] = 3
    at_start, at_end = mark[idx], mark[idx + length - 1]
    ids[:, 6] = 1 + np.where(at_start >= 0, at_start, np.where(at_end >= 0, at_end, in_quote[idx]))
    # cue-word class, decided once per (word, lemma, part of speech) of the document
    pos = doc.to_array("POS").astype(np.int64)
    classes: dict[tuple[int, int, int], tuple[int, bool]] = {}
    cue_class = np.empty(n, dtype=np.int64)
    cue_word = np.empty(n, dtype=bool)
    for i in range(n):
        key = (int(lower[i]), int(lemma[i]), int(pos[i]))
        got = classes.get(key)
        if got is None:
            tok = doc[i]
            got = classes[key] = (_cue_class(tok), _is_cue_word(tok))
        cue_class[i], cue_word[i] = got
    ids[:, 7] = cue_class
    # the relation by which each token hangs under its nearest cue-word ancestor, and on which side
    heads = head.tolist()
    words = cue_word.tolist()
    deps_mod = (dep % sizes[8]).tolist()
    anc = np.ones(n, dtype=np.int64)
    m8 = int(sizes[8])
    for i in range(n):
        child, h, depth = i, heads[i], 0
        while h != child and depth < 12:
            if words[h]:
                anc[i] = 1 + (deps_mod[child] * 4 + (1 if child < h else 2) + (0 if depth == 0 else 2)) % m8
                break
            child, h, depth = h, heads[h], depth + 1
    ids[:, 8] = anc
    ids[:, 9] = bucket((lemma[head] % sizes[9]) * np.uint64(7) + dep % sizes[9], 9)
    ids[:, 10] = _actor_column(lower, token_actor)
    sent_start = doc.to_array(SENT_START).astype(np.int64) == 1
    next_start = np.append(sent_start[1:], True)
    ids[:, 11] = 1 + sent_start * 1 + next_start * 2 + is_space * 4 + is_punct * 8
    dense = doc.tensor if doc.tensor is not None and len(doc.tensor) == n else None
    if dense is None or dense.shape[1] != TENSOR_WIDTH:
        dense = np.zeros((n, TENSOR_WIDTH), dtype=np.float32)
    feats = Features(ids=ids, dense=np.asarray(dense, dtype=np.float32), sequences=sequences_of(doc))
    doc.user_data[_FEATURES] = (quoted, feats)
    return feats


_FEATURES = "presslens_attribution_features"


def _actor_column(lower: np.ndarray, token_actor: dict) -> np.ndarray:
    """Feature 10: the kind of actor each token belongs to (person, organisation, country, other), or a subject
    pronoun, or nothing."""
    actor = np.where(np.isin(lower, np.array(sorted(_PRONOUN_IDS), dtype=np.uint64)), 6, 1)
    n = len(lower)
    for i, a in token_actor.items():
        if 0 <= i < n:
            actor[i] = _ACTOR_KIND.get(a.kind, 5)
    return actor


def featurize_again(doc: Doc, quoted: list[Quoted], token_actor: dict | None = None) -> Features:
    """``featurize(doc, quoted, token_actor)`` for a later stage: the features the quote stage computed for the
    same paired quotation marks, with only the actor column read again (actors may have gained mentions since,
    e.g. from coreference); computed in full when there are none. The same arrays as ``featurize``."""
    got = doc.user_data.get(_FEATURES)
    if got is None or got[0] is not quoted or len(got[1].ids) != len(doc):
        return featurize(doc, quoted, token_actor)
    feats = got[1]
    ids = feats.ids.copy()
    ids[:, 10] = _actor_column(doc.to_array(LOWER).astype(np.uint64), token_actor or {})
    return Features(ids=ids, dense=feats.dense.copy(), sequences=list(feats.sequences))
