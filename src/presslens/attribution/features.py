"""Token features for the attribution tagger, computed from a parsed spaCy ``Doc``.

The same function feeds training and inference, so what the model saw in training is what it sees at run time.
Every feature is a small integer (an embedding row); hashed features use spaCy's stable 64-bit string hashes,
so the ids do not depend on the process. The dense part is ``doc.tensor``, the output of the small English
model's own token-to-vector layer (96 numbers per token, already computed by the tagger and parser: free).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Token

from presslens.lexicon import CLAUSE_ONLY_VERBS, CUE_NOUNS, SPEECH_VERBS, SUBJECT_PRONOUNS
from presslens.quotemarks import Quoted

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


def _bucket(value: int, size: int) -> int:
    # row 0 is kept for padding
    return 1 + int(value % (size - 1))


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


@dataclass
class Features:
    ids: np.ndarray  # (n_tokens, len(FEATURES)) int64
    dense: np.ndarray  # (n_tokens, TENSOR_WIDTH) float32
    sequences: list[tuple[int, int]]  # token ranges the tagger reads as one sequence (paragraph lines)


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


def featurize(doc: Doc, quoted: list[Quoted], token_actor: dict | None = None) -> Features:
    """Features of every token of *doc*; *quoted* are the paired quotation marks, *token_actor* the actor
    resolver's token -> actor map (``ActorResolver.token_actor``)."""
    n = len(doc)
    token_actor = token_actor or {}
    text_len = doc[-1].idx + len(doc[-1].text) + 1 if n else 1
    in_quote = np.zeros(text_len + 1, dtype=np.int8)
    marks: dict[int, int] = {}
    for q in quoted:
        for s, e in q.pieces:
            in_quote[s : min(e, text_len)] = 1
            marks[s] = 2
            marks[e - 1] = 3
    ids = np.zeros((n, len(FEATURES)), dtype=np.int64)
    sizes = [size for _, size in FEATURES]
    cue_word = [_is_cue_word(t) for t in doc]
    for tok in doc:
        i = tok.i
        row = ids[i]
        row[0] = _bucket(tok.lower, sizes[0])
        row[1] = _bucket(tok.suffix, sizes[1])
        row[2] = _bucket(tok.shape, sizes[2])
        row[3] = _bucket(tok.tag, sizes[3])
        row[4] = _bucket(tok.dep, sizes[4])
        row[5] = _bucket(tok.ent_type * 3 + tok.ent_iob, sizes[5])
        row[6] = 1 + marks.get(tok.idx, marks.get(tok.idx + len(tok.text) - 1, int(in_quote[tok.idx])))
        row[7] = _cue_class(tok)
        # the relation by which this token hangs under its nearest cue-word ancestor, and on which side
        anc = 0
        child, head, depth = tok, tok.head, 0
        while head.i != child.i and depth < 12:
            if cue_word[head.i]:
                anc = child.dep * 4 + (1 if child.i < head.i else 2) + (0 if depth == 0 else 2)
                break
            child, head, depth = head, head.head, depth + 1
        row[8] = _bucket(anc, sizes[8]) if anc else 1
        row[9] = _bucket(doc[tok.head.i].lemma * 7 + tok.dep, sizes[9])
        actor = token_actor.get(i)
        if actor is not None:
            row[10] = {"person": 2, "organization": 3, "country": 4}.get(actor.kind, 5)
        elif tok.lower_ in SUBJECT_PRONOUNS:
            row[10] = 6
        else:
            row[10] = 1
        where = 1
        if tok.is_sent_start:
            where += 1
        if i + 1 >= n or doc[i + 1].is_sent_start:
            where += 2
        if tok.is_space:
            where += 4
        if tok.is_punct:
            where += 8
        row[11] = where
    dense = doc.tensor if doc.tensor is not None and len(doc.tensor) == n else None
    if dense is None or dense.shape[1] != TENSOR_WIDTH:
        dense = np.zeros((n, TENSOR_WIDTH), dtype=np.float32)
    return Features(ids=ids, dense=np.asarray(dense, dtype=np.float32), sequences=sequences_of(doc))
