"""Word evidence for a technique span: has any of its words been seen doing persuasive work?

The span taggers generalise from suffixes, parts of speech and context, which on text unlike the training
articles (sport, science, reviews, product pages) marks ordinary words such as "autonomously", "endemic" or
"useful" as loaded language. The evidence of a span is the largest, over its content words (adjectives,
adverbs, nouns, verbs, proper nouns), of the share of that word's occurrences in the training articles that lie
inside an annotated technique span, smoothed towards the share over all content words (``base``) with the
weight of ``PRIOR`` occurrences. A word the training articles never used has the base share (about 0.14 on
PTC); "ludicrous" or "nefarious", used almost only inside spans, come close to 1.

``analyze`` keeps a span by default only when its evidence is at least ``Evidence.minimum`` (and its calibrated
probability clears its technique's threshold, ``calibrate``). The shares are stored per lemma
(``evidence.json`` beside the model) for the words whose share could reach the smallest minimum in use
(``FLOOR``); every other word has the base share.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presslens.techniques.features import DocView, span_tokens

CONTENT_POS = frozenset({"ADJ", "ADV", "NOUN", "VERB", "PROPN"})
PRIOR = 2.0  # occurrences' worth of the base share in each word's smoothed share
FLOOR = 0.2  # words below this share are not stored (they count as the base share, which is lower)
MINIMUM = 0.6  # least evidence of a span kept by default (docs/techniques-model-card.md, docs/hand-check-techniques.md)
CHOOSE_AT = 0.5  # the per-technique thresholds are chosen among out-of-fold spans with at least this evidence
EVIDENCE_FILE = "evidence.json"


@dataclass
class Evidence:
    shares: dict[str, float]  # lemma -> smoothed share of its occurrences inside technique spans (>= FLOOR)
    base: float  # share over all content words
    minimum: float = MINIMUM

    def of(self, lemmas: Iterable[str]) -> float:
        """The evidence of a span whose content words have these lemmas (lower case): the largest share."""
        return max((self.shares.get(w, self.base) for w in lemmas), default=0.0)

    def of_span(self, v: DocView, start: int, end: int) -> float:
        """The evidence of the span of characters ``[start, end)`` of the document *v* views."""
        i, j = span_tokens(v, start, end)
        return self.of(span_lemmas(v.lemma, v.pos, i, j))

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base, "minimum": self.minimum, "prior": PRIOR, "shares": self.shares}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Evidence:
        return cls({k: float(v) for k, v in d["shares"].items()}, float(d["base"]), float(d["minimum"]))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Evidence | None:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None


def span_lemmas(lemma: Sequence[str], pos: Sequence[str], i: int, j: int) -> list[str]:
    """The lemmas of the content words among tokens ``[i, j)``."""
    return [lemma[k] for k in range(i, j) if pos[k] in CONTENT_POS]


def count(
    articles: Iterable[tuple[Sequence[tuple[int, int, str, str]], Sequence[tuple[int, int]]]],
) -> tuple[Counter, Counter]:
    """Per lemma, occurrences inside a gold span and in all; *articles*: (tokens as (start, end, lemma, pos),
    gold spans as (start, end)) per article."""
    inside: Counter = Counter()
    total: Counter = Counter()
    for tokens, gold in articles:
        spans = sorted(gold)
        for s, e, lem, pos in tokens:
            if pos not in CONTENT_POS:
                continue
            total[lem] += 1
            if any(a < e and s < b for a, b in spans):
                inside[lem] += 1
    return inside, total


def build(inside: Counter, total: Counter, minimum: float = MINIMUM) -> Evidence:
    """Smoothed shares from counts (``count``)."""
    n = sum(total.values())
    base = sum(inside.values()) / n if n else 0.0
    shares = {}
    for lem, t in total.items():
        share = (inside[lem] + PRIOR * base) / (t + PRIOR)
        if share >= FLOOR:
            shares[lem] = round(share, 4)
    return Evidence(shares, round(base, 4), minimum)
