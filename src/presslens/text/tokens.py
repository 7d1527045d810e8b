"""Token attributes of a whole Doc in one ``Doc.to_array`` call.

Reading ``token.lower_``, ``token.pos_`` ... token by token makes a spaCy ``Token`` object per token per attribute,
the costliest part of a stage that reads several attributes of every token. ``token_strings`` reads the attribute
ids of all tokens at once and decodes each distinct id once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc


def token_codes(doc: Doc, attrs: Sequence[int]) -> list[tuple[np.ndarray, list[str]]]:
    """For each string-valued spaCy attribute id in *attrs*, ``(codes, names)``: an int64 code per token and the
    distinct strings, so that ``names[codes[i]]`` is token *i*'s ``token.<attr>_`` ("" where unset)."""
    n = len(doc)
    if not n:
        return [(np.zeros(0, dtype=np.int64), []) for _ in attrs]
    arr = doc.to_array(list(attrs)).reshape(n, len(attrs))
    strings = doc.vocab.strings
    out = []
    for k in range(len(attrs)):
        uniq, inverse = np.unique(arr[:, k], return_inverse=True)
        out.append((inverse.astype(np.int64).reshape(n), [strings[int(h)] if h else "" for h in uniq.tolist()]))
    return out


def token_strings(doc: Doc, attrs: Sequence[int]) -> list[list[str]]:
    """For each spaCy attribute id in *attrs* (``spacy.attrs.LOWER``, ``LEMMA``, ``POS``, ``TAG``, ``DEP``,
    ``SHAPE``, ``ENT_TYPE`` ...: the string-valued ones), the string of every token of *doc*, as ``token.<attr>_``
    gives it ("" where the attribute is unset)."""
    return [[names[j] for j in codes.tolist()] for codes, names in token_codes(doc, attrs)]


def token_ints(doc: Doc, attrs: Sequence[int]) -> np.ndarray:
    """(n_tokens, len(attrs)) int64 values of integer-valued attributes (``IDX``, ``LENGTH``, ``IS_SPACE`` ...);
    ``HEAD`` becomes the head's absolute index, not spaCy's offset."""
    from spacy.attrs import HEAD

    n = len(doc)
    if not n:
        return np.zeros((0, len(attrs)), dtype=np.int64)
    arr = doc.to_array(list(attrs)).reshape(n, len(attrs)).astype(np.uint64).view(np.int64).copy()
    for k, a in enumerate(attrs):
        if a == HEAD:
            arr[:, k] += np.arange(n, dtype=np.int64)
    return arr


_TEXT = "presslens_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per document: spaCy rebuilds it from the tokens on every access (a Token object
    per token), and a document's text never changes once it is tokenised."""
    text = doc.user_data.get(_TEXT)
    if not isinstance(text, str) or len(text) != _length(doc):
        text = doc.user_data[_TEXT] = doc.text
    return text


def _length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)
