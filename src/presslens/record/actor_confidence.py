"""How sure the record is of each actor: ``confidence`` on every entry of ``actors[]``.

An actor entry can be wrong in ways no single rule sees: a product or an event read as an organisation ("LC
Convertible Concept", "Davis Cup"), a heading word ("SPEND"), a fragment of a longer name ("Philippines" of
"Lexus Philippines"), a person typed as an organisation. ``confidence`` is the calibrated probability that the
entry is a real actor of the right kind, from a logistic regression over what the record itself shows of the
actor: its kind, its name (known first name, gazetteer entry, acronym, digits, a word the text also writes in
lower case, an organisation word), how the article mentions it (pronouns and descriptions resolved to it, after
"the", after "in"/"at", possessive, at the start of lines, in headline-like lines), whether it speaks quotes,
holds titles or roles, or takes part in relations. Trained on actors judged by hand on real pages
(``presslens train actors``; ``docs/actor-confidence-model-card.md``). NumPy only: weights in
``data/actors/confidence.json``.

``shown(actor)`` says whether the table and the web app list an actor by default (confidence at or above the
model's ``shown_at``); the record keeps every actor with its confidence.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from presslens.actors.names import first_names, load_gazetteer_entries, org_word_name
from presslens.record.listed import ListedModel, counts_by_id, listed, shipped

MODEL_FILE = "data/actors/confidence.json"
KINDS = ("person", "organization", "country", "group", "other")
FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in KINDS),
    "log_mentions", "pronoun_share", "description_share", "quoted", "log_quoted", "titles", "roles",
    "name_words", "acronym", "digit", "other_characters", "lower_case_in_text", "first_line_share", "first_name",
    "gazetteer", "after_the", "after_preposition", "possessive", "log_relations", "single_word", "one_mention",
    "sentence_start_share", "line_start_share", "organisation_word", "title_case_line_share", "short_line_share",
    "person_with_first_name", "organisation_with_first_name", "capitals_inside_name", "whole_line_share",
)  # fmt: skip
_PRONOUNS = frozenset(
    "he him his himself she her hers herself it its itself they them their theirs themselves".split()
)


@lru_cache(maxsize=1)
def _gazetteer_names() -> frozenset[str]:
    names: set[str] = set()
    for entry in load_gazetteer_entries():
        for key in ("name", "aliases"):
            value = entry.get(key)
            for n in [value] if isinstance(value, str) else value or []:
                names.add(str(n).lower())
    return frozenset(names)


@lru_cache(maxsize=8)
def _letter_runs(text: str) -> frozenset[str]:
    """Every maximal run of ASCII letters in *text* (read once per record, not once per actor and word)."""
    return frozenset(re.findall(r"[A-Za-z]+", text))


def _line(text: str, start: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return text[a : len(text) if b < 0 else b]


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def actor_features(text: str, actor: dict[str, Any], quoted: int = 0, relations: int = 0) -> list[float]:
    """The model's inputs for one actor of a record (``FEATURES``, in order). ``quoted``: quotes it speaks;
    ``relations``: relations it takes part in. Spans outside the text are ignored."""
    n_text = len(text)
    name = str(actor.get("name") or "")
    words = name.split()
    spans = [
        (int(s), int(e))
        for s, e in (actor.get("mentions") or [])
        if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n_text
    ]
    said = [text[s:e] for s, e in spans]
    name_words = {w.lower() for n in [name, *(actor.get("aliases") or [])] for w in str(n).split()}
    pronouns = sum(t.lower() in _PRONOUNS for t in said)
    named = [
        (s, e)
        for (s, e), t in zip(spans, said, strict=True)
        if t.lower() not in _PRONOUNS and any(w.lower() in name_words for w in t.split())
    ]
    descriptions = len(spans) - pronouns - len(named)
    n = max(len(spans), 1)
    m = max(len(named), 1)
    long_words = [w for w in re.findall(r"[A-Za-z]+", name) if len(w) > 2]
    lower_in_text = any(w.lower() in _letter_runs(text) for w in long_words)  # the word written in lower case
    first_nl = text.find("\n")
    first_nl = first_nl if first_nl > 0 else 200

    def before(s: int) -> str:
        return text[max(0, s - 12) : s].lower()

    named_lines = [_line(text, s) for s, _ in named]
    lines = named_lines or [_line(text, s) for s, _ in spans[:1]]
    n_lines = max(len(lines), 1)
    first = float(bool(words) and words[0].lower() in first_names())
    kind = actor.get("kind")
    return [
        *(float(kind == k) for k in KINDS),
        math.log1p(len(spans)),
        pronouns / n,
        descriptions / n,
        float(quoted > 0),
        math.log1p(quoted),
        float(bool(actor.get("titles"))),
        float(bool(actor.get("roles"))),
        min(len(words), 5) / 5,
        float(name.isupper() and len(name) > 1),
        float(any(c.isdigit() for c in name)),
        float(bool(re.search(r"[^A-Za-z .'\-’]", name))),
        float(lower_in_text),
        sum(1 for s, _ in named if s < first_nl) / m,
        first,
        float(name.lower() in _gazetteer_names()),
        sum(1 for s, _ in named if re.search(r"\bthe\s+$", before(s))) / m,
        sum(1 for s, _ in named if re.search(r"\b(in|at|from|to|near|across)\s+$", before(s))) / m,
        sum(1 for _, e in named if text[e : e + 2] in ("'s", "’s")) / m,
        math.log1p(relations),
        float(len(words) == 1),
        float(len(spans) == 1),
        sum(1 for s, _ in named if re.search(r"(^|[.!?][\"”’]?\s+)$", text[max(0, s - 4) : s])) / m,
        sum(1 for s, _ in named if s == 0 or text[s - 1] == "\n") / m,
        float(org_word_name(name)),
        sum(_title_case(x) for x in lines) / n_lines,
        sum(len(x.split()) <= 8 for x in lines) / n_lines,
        float(kind == "person") * first,
        float(kind == "organization") * first,
        float(any(w.isupper() and len(w) > 1 for w in words) and not name.isupper()),
        sum(1 for (s, e), x in zip(named, named_lines, strict=True) if x.strip(" \t:.") == text[s:e]) / m,
    ]


class ActorConfidence(ListedModel):
    """The shipped logistic model (``data/actors/confidence.json``): weights over ``FEATURES``, an intercept,
    and ``shown_at``, the least confidence the table and the web app list by default."""

    FEATURES = FEATURES
    NAME = "actor confidence model"

    @classmethod
    def load(cls) -> ActorConfidence:
        return shipped(ActorConfidence, MODEL_FILE)

    def score(self, text: str, actor: dict[str, Any], quoted: int = 0, relations: int = 0) -> float:
        return self.probability(actor_features(text, actor, quoted, relations))


def score_actors(record: dict[str, Any], model: ActorConfidence | None = None) -> dict[str, Any]:
    """Set ``confidence`` (two decimals) on every actor of ``record``, in place; returns the record."""
    model = model or ActorConfidence.load()
    text = str((record.get("article") or {}).get("text") or "")
    quoted = counts_by_id(record.get("quotes") or [], ("speaker", "actor"))
    related = counts_by_id(record.get("relations") or [], ("subject",), ("object",))
    for actor in record.get("actors") or []:
        if isinstance(actor, dict):
            aid = str(actor.get("id"))
            actor["confidence"] = round(model.score(text, actor, quoted.get(aid, 0), related.get(aid, 0)), 2)
    return record


def shown(actor: dict[str, Any], shown_at: float | None = None) -> bool:
    """Whether an actor is listed by default: its confidence is at or above ``shown_at`` (the model's when not
    given). An actor without a confidence (a record from before the field) is listed."""
    return listed(actor, ActorConfidence.load().shown_at if shown_at is None else shown_at)
