"""Word evidence for a technique span: has any of its words been seen doing persuasive work?

The span taggers generalise from suffixes, parts of speech and context, which on text unlike the training
articles (sport, science, reviews, product pages) marks ordinary words such as "autonomously", "endemic" or
"useful" as loaded language. The evidence of a span is the largest, over its content words (adjectives,
adverbs, nouns, verbs, proper nouns), of the share of that word's occurrences in the training articles that lie
inside an annotated technique span, smoothed towards the share over all content words (``base``) with the
weight of ``PRIOR`` occurrences. A word the training articles never used has the base share (about 0.14 on
PTC); "ludicrous" or "nefarious", used almost only inside spans, come close to 1.

``analyze`` keeps a span by default only when its evidence is at least ``Evidence.minimum`` (and its calibrated
probability clears its technique's threshold, ``calibrate``). The calibration says which spans face the test
(``SCOPES``): "every" span, or, "targeted", only the spans whose words alone decide whether they persuade: a lone
content word ("serious", "nostalgia") and a name-calling label ("the insatiable negotiator"); in that scope a span
right after a negation ("not so crazy") or a flag-waving span that names no nation or people ("our history")
always fails (``effective_evidence``). The shares are stored per lemma
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
SCOPES = ("every", "targeted")  # which spans face the evidence test (module docstring)
SCOPE = "every"  # the scope ``presslens train techniques`` calibrates with
NEGATIONS = frozenset({"not", "n't", "never", "no", "hardly", "nothing", "nobody", "neither", "nor"})
# words that may stand between a negation and the span it negates ("not so crazy", "never that bad")
_DEGREE = frozenset({"so", "too", "very", "that", "as", "all", "really", "particularly", "especially", "exactly"})
# a flag-waving span names a nation, a people or a country (or carries a NORP or GPE entity: "American", "Iran")
NATION_WORDS = frozenset(
    """nation nations national nationhood country countries homeland motherland fatherland patriot patriots
    patriotic patriotism flag people citizen citizens compatriot compatriots heritage sovereignty sovereign""".split()
)
ANY_TECHNIQUE = ""  # ``effective_evidence`` of it: the most a span's words are credited with, whatever its technique
LABEL_TECHNIQUE = "Name_Calling,Labeling"
FLAG_TECHNIQUE = "Flag-Waving"


@dataclass(frozen=True)
class WordFacts:
    """What the words of one span say about it, for the evidence test (``effective_evidence``)."""

    evidence: float = 1.0  # the largest share of its content words (``Evidence.of``)
    lone: bool = False  # one content word (or none)
    negated: bool = False  # right after a negation ("not so crazy")
    nation: bool = True  # names a nation, a people or a country


def word_facts(v: DocView, start: int, end: int, table: Evidence | None) -> WordFacts:
    """The ``WordFacts`` of the span of characters ``[start, end)`` of the document *v* views (evidence 1.0
    without a *table*)."""
    i, j = span_tokens(v, start, end)
    lemmas = span_lemmas(v.lemma, v.pos, i, j)
    k = i - 1
    while k >= 0 and v.lower[k] in _DEGREE:
        k -= 1
    return WordFacts(
        evidence=1.0 if table is None else table.of(lemmas),
        lone=len(lemmas) <= 1,
        negated=k >= 0 and (v.lower[k] in NEGATIONS or v.dep[k] == "neg"),
        nation=any(v.ent[m] in ("NORP", "GPE") or v.lemma[m] in NATION_WORDS for m in range(i, j)),
    )


def effective_evidence(facts: WordFacts, technique: str, scope: str = "every") -> float:
    """The evidence the calibration's minimum is tested against: the span's own in scope "every"; in scope
    "targeted", 0 for a negated span or a flag-waving span that names no nation, the span's own for a lone word
    or a name-calling label, and 1 for any other span (its words are not tested)."""
    if scope == "every":
        return facts.evidence
    if scope != "targeted":
        raise ValueError(f"unknown evidence scope {scope!r}: choose one of {', '.join(SCOPES)}")
    if facts.negated or (technique == FLAG_TECHNIQUE and not facts.nation):
        return 0.0
    if facts.lone or technique == LABEL_TECHNIQUE:
        return facts.evidence
    return 1.0


@dataclass
class Evidence:
    shares: dict[str, float]  # lemma -> smoothed share of its occurrences inside technique spans (>= FLOOR)
    base: float  # share over all content words
    minimum: float = MINIMUM

    def of(self, lemmas: Iterable[str]) -> float:
        """The evidence of a span whose content words have these lemmas (lower case): the largest share."""
        return max((self.shares.get(w, self.base) for w in lemmas), default=0.0)

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
