"""Near-duplicate articles (syndicated or lightly edited copies): MinHash over word 5-shingles, with the
MinHashLSH banding persisted in the ``lsh_bands`` table so that it works across ingest runs.

Each article's signature (``signatures``) and its band keys (``lsh_bands``) are stored with it. A new article
whose estimated Jaccard similarity with an earlier one reaches :data:`THRESHOLD` joins that article's group:
``articles.near_dup_group`` is the id of the group's first article (its own id when it has no near-duplicate).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session

from presslens.store.models import Article, LshBand, Signature

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.8
_SEED = 1
_SCHEME = "affine32"  # pinned: stored signatures must stay comparable across datasketch upgrades
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _bands() -> tuple[int, int]:
    """(number of bands, rows per band): datasketch's optimum for THRESHOLD and NUM_PERM."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)


def shingles(text: str) -> set[bytes]:
    """The text's case-folded word 5-shingles (the whole text as one shingle when it is shorter)."""
    words = _WORD.findall(text.casefold())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text: NUM_PERM uint32 values."""
    m = _template().copy()
    m.update_batch(list(shingles(text)))
    return np.asarray(m.hashvalues, dtype="<u4")


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band number, bucket key) pairs: a stable 63-bit hash of each band's slice of the signature."""
    b, r = _bands()
    keys = []
    for band in range(b):
        digest = hashlib.blake2b(sig[band * r : (band + 1) * r].tobytes(), digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little") >> 1))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def assign(session: Session, article: Article, text: str, *, fresh: bool = False) -> None:
    """Store the article's signature and band keys and set its ``near_dup_group`` (in the caller's
    transaction; the article must have an id). Replaces what an earlier analysis stored for it, unless
    ``fresh`` says that the article was just inserted."""
    sig = signature(text)
    keys = band_keys(sig)
    if not fresh:
        session.execute(delete(LshBand).where(LshBand.article_id == article.id))
        session.execute(delete(Signature).where(Signature.article_id == article.id))
    session.execute(insert(Signature), [{"article_id": article.id, "minhash": sig.tobytes()}])
    if article.near_dup_group is not None and _leads_others(session, article.id):
        pass  # a re-analysed article that others name as their group's first member stays one
    else:
        article.near_dup_group = _find_group(session, article.id, sig, keys) or article.id
    session.execute(insert(LshBand), [{"band": band, "key": key, "article_id": article.id} for band, key in keys])


def _find_group(session: Session, article_id: int, sig: np.ndarray, keys: list[tuple[int, int]]) -> int | None:
    """The group of the most similar earlier article at or over THRESHOLD, if any."""
    candidates = set(
        session.scalars(select(LshBand.article_id).where(tuple_(LshBand.band, LshBand.key).in_(keys))).all()
    )
    candidates.discard(article_id)
    if not candidates:
        return None
    best: tuple[float, int] | None = None  # (similarity, -group): the most similar, then the oldest group
    rows = session.execute(
        select(Signature.minhash, Article.id, Article.near_dup_group)
        .join(Article, Article.id == Signature.article_id)
        .where(Signature.article_id.in_(sorted(candidates)))
    )
    for blob, other_id, group in rows:
        sim = similarity(sig, np.frombuffer(blob, dtype="<u4"))
        key = (sim, -(group if group is not None else other_id))
        if sim >= THRESHOLD and (best is None or key > best):
            best = key
    return -best[1] if best else None


def _leads_others(session: Session, article_id: int) -> bool:
    """Whether other articles name this one as their group (it then stays its own group's first member)."""
    return (
        session.scalar(
            select(Article.id).where(Article.near_dup_group == article_id, Article.id != article_id).limit(1)
        )
        is not None
    )
