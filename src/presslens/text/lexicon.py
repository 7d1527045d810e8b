"""Word lists the rule-based stages share: attribution cues, titles, ranks, role nouns, pronouns.

The lists are curated data, kept in ``presslens/data/lexicon.json`` (each with a line saying what it is for);
this module loads them once, as frozensets (membership) and dicts of tuples (mappings)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def _load() -> dict[str, Any]:
    with resources.files("presslens").joinpath("data/lexicon.json").open(encoding="utf-8") as f:
        return {name: entry["words"] for name, entry in json.load(f)["lists"].items()}


_LISTS = _load()


def _words(name: str) -> frozenset[str]:
    return frozenset(_LISTS[name])


def _mapping(name: str) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in _LISTS[name].items()}


SPEECH_VERBS = _words("SPEECH_VERBS")
CLAUSE_ONLY_VERBS = _words("CLAUSE_ONLY_VERBS")
OBJECT_CUES = _mapping("OBJECT_CUES")
CUE_NOUNS = _words("CUE_NOUNS")
TITLE_WORDS = _words("TITLE_WORDS")
RANKS = _words("RANKS")
ROLE_NOUNS = _words("ROLE_NOUNS")
DESCRIPTION_SYNONYMS = _mapping("DESCRIPTION_SYNONYMS")
PERSON_PRONOUNS = _words("PERSON_PRONOUNS")
SUBJECT_PRONOUNS = _words("SUBJECT_PRONOUNS")
