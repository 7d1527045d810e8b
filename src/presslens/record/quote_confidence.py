"""How sure the record is of each quote: ``confidence`` on every entry of ``quotes[]``.

The attribution tagger's own probability ranks quotes well on PolNeAR, but on real pages it says little about
the errors a reader meets: narration read as a statement, a speaker phrase that is the wrong source, a speaker left
unresolved or resolved to the wrong actor. ``confidence`` is the calibrated probability that a quote is a real
attribution with the right speaker, from a logistic regression over what the record shows of it: its kind, the
tagger's probability, its cue (a verb of saying, punctuation, none), its speaker phrase (a name, a pronoun, a
description, the first person), the actor it resolves to (its kind and confidence, how many quotes it speaks),
and where and how long its content is (not whether it is negated: too few negated quotes were judged to learn
from). Trained on quotes judged by hand on real pages
(``presslens train quotes``; ``docs/quote-confidence-model-card.md``). NumPy-free, weights in
``data/attribution/quote_confidence.json``.

``quote_shown(quote)`` says whether the table and the web app list a quote by default (confidence at or above the
model's ``shown_at``); the record keeps every quote with its confidence.
"""

from __future__ import annotations

import math
import re
from typing import Any

from presslens.record.listed import ListedModel, counts_by_id, listed, shipped

MODEL_FILE = "data/attribution/quote_confidence.json"
KINDS = ("direct", "mixed", "indirect")
ACTOR_KINDS = ("person", "organization", "country", "group", "other")
FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in KINDS),
    "tagger", "tagger_logit", "speaker_phrase", "speaker_actor", "speaker_actor_confidence",
    *(f"speaker_{k}" for k in ACTOR_KINDS),
    "pronoun", "first_person", "speaker_words", "speaker_named", "speaker_description", "no_cue", "punctuation_cue",
    "say_cue", "according_cue", "cue_words", "content_chars", "content_pieces", "quoted_share",
    "speaker_quotes", "line_start", "short_line",
)  # fmt: skip
_PRONOUNS = frozenset("he she they it him her them his its their who which that".split())
_FIRST = frozenset("i we me us".split())
_SAY = re.compile(r"\b(?:says?|said|saying|tells?|told|telling|adds?|added|adding|asks?|asked|stated|wrote|writes)\b",
                  re.IGNORECASE)  # fmt: skip
_QUOTE_MARKS = "\"“”«»„"


def _spans(value: Any, n: int) -> list[tuple[int, int]]:
    out = []
    for pair in value or []:
        if isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(x, int) for x in pair):
            s, e = pair
            if 0 <= s < e <= n:
                out.append((s, e))
    return out


def quote_features(text: str, quote: dict[str, Any], actors: dict[str, dict[str, Any]], spoken: int = 0) -> list[float]:
    """The model's inputs for one quote of a record (``FEATURES``, in order): ``actors`` by id, ``spoken`` the
    number of the record's quotes its speaker's actor speaks. Spans outside the text are ignored."""
    n = len(text)
    kind = quote.get("kind")
    raw = quote.get("confidence")
    p = min(max(float(raw), 1e-4), 1 - 1e-4) if isinstance(raw, int | float) and not isinstance(raw, bool) else 0.5
    speaker = quote.get("speaker") if isinstance(quote.get("speaker"), dict) else {}
    sp = _spans([speaker.get("span")] if speaker.get("span") else [], n)
    who = text[sp[0][0] : sp[0][1]].strip() if sp else ""
    words = who.split()
    actor = actors.get(str(speaker.get("actor"))) if speaker.get("actor") else None
    a_conf = actor.get("confidence") if actor else None
    cue = " ".join(text[s:e] for s, e in _spans(quote.get("cue"), n)).strip()
    content = _spans(quote.get("content"), n)
    said = "".join(text[s:e] for s, e in content)
    marks = sum(text[s:e].strip()[:1] in _QUOTE_MARKS for s, e in content)
    start = min((s for s, _ in content), default=0)
    line_a = text.rfind("\n", 0, start) + 1
    line_b = text.find("\n", start)
    line = text[line_a : n if line_b < 0 else line_b]
    low = who.lower()
    return [
        *(float(kind == k) for k in KINDS),
        p,
        math.log(p / (1 - p)),
        float(bool(sp)),
        float(actor is not None),
        float(a_conf) if isinstance(a_conf, int | float) else 0.0,
        *(float(actor is not None and actor.get("kind") == k) for k in ACTOR_KINDS),
        float(low in _PRONOUNS),
        float(low in _FIRST),
        min(len(words), 8) / 8,
        float(bool(words) and words[0][:1].isupper() and low not in _PRONOUNS and not low.startswith(("the ", "a "))),
        float(low.startswith(("the ", "a ", "an "))),
        float(not cue),
        float(bool(cue) and not any(c.isalpha() for c in cue)),
        float(bool(_SAY.search(cue))),
        float("according" in cue.lower()),
        min(len(cue.split()), 6) / 6,
        math.log1p(len(said)) / 8,
        min(len(content), 4) / 4,
        marks / max(len(content), 1),
        math.log1p(spoken),
        float(start == line_a),
        float(len(line.split()) <= 12),
    ]


class QuoteConfidence(ListedModel):
    """The shipped logistic model (``data/attribution/quote_confidence.json``): weights over ``FEATURES``, an
    intercept, and ``shown_at``, the least confidence the table and the web app list by default."""

    FEATURES = FEATURES
    NAME = "quote confidence model"

    @classmethod
    def load(cls) -> QuoteConfidence:
        return shipped(QuoteConfidence, MODEL_FILE)

    def score(self, text: str, quote: dict[str, Any], actors: dict[str, dict[str, Any]], spoken: int = 0) -> float:
        return self.probability(quote_features(text, quote, actors, spoken))


def score_quotes(record: dict[str, Any], model: QuoteConfidence | None = None) -> dict[str, Any]:
    """Replace the tagger's probability in ``confidence`` of every quote of ``record`` by the calibrated one (two
    decimals), in place; call once per record, after ``score_actors``. Returns the record."""
    model = model or QuoteConfidence.load()
    text = str((record.get("article") or {}).get("text") or "")
    actors = {str(a.get("id")): a for a in record.get("actors") or [] if isinstance(a, dict)}
    spoken = counts_by_id(record.get("quotes") or [], ("speaker", "actor"))
    for q in record.get("quotes") or []:
        if isinstance(q, dict):
            aid = str((q.get("speaker") or {}).get("actor"))
            q["confidence"] = round(model.score(text, q, actors, spoken.get(aid, 0)), 2)
    return record


def quote_shown(quote: dict[str, Any], shown_at: float | None = None) -> bool:
    """Whether a quote is listed by default: its confidence is at or above ``shown_at`` (the model's when not
    given). A quote without a confidence is listed."""
    return listed(quote, QuoteConfidence.load().shown_at if shown_at is None else shown_at)
