"""Gender and number of pronouns and actors: a first-name lexicon, honorifics, pronouns already resolved.

The lexicon (``data/coref/first_names.tsv.gz``) is built from the nomquamgender package (MIT licence,
Ian Van Buskirk, 2022) by ``scripts/build_coref_names.py``; see ``data/coref/PROVENANCE.md``.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources
from typing import Any

MASCULINE = frozenset(["he", "him", "his", "himself"])
FEMININE = frozenset(["she", "her", "hers", "herself"])
PERSONAL = MASCULINE | FEMININE
PLURAL = frozenset(["they", "them", "their", "theirs", "themselves"])
NEUTER = frozenset(["it", "its", "itself"])

MALE_WORDS = frozenset(
    "mr mr. sir lord king prince duke baron earl count father brother uncle son husband boy man gentleman "
    "monsieur herr signor senor señor sheikh sheik emperor pope archbishop bishop cardinal".split()
)
FEMALE_WORDS = frozenset(
    "mrs mrs. ms ms. miss dame lady queen princess duchess baroness countess mother sister aunt daughter wife "
    "girl woman madame mme mme. frau signora senora señora empress actress nun".split()
)


@lru_cache(maxsize=1)
def first_names() -> dict[str, float]:
    """First name (lower case) -> probability that its bearer is female."""
    path = resources.files("presslens") / "data" / "coref" / "first_names.tsv.gz"
    out: dict[str, float] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        for line in f:
            name, pf = line.rstrip("\n").split("\t")
            out[name] = int(pf) / 100.0
    return out


def _p_female(word: str, female: frozenset[str], male: frozenset[str]) -> float | None:
    w = word.lower()
    if w in female:
        return 1.0
    if w in male:
        return 0.0
    return None


def pronoun_p_female(word: str) -> float | None:
    """1.0 for she/her, 0.0 for he/his, None otherwise."""
    return _p_female(word, FEMININE, MASCULINE)


def name_p_female(name: str) -> float | None:
    """Probability that a person called *name* is female, from honorifics and the first name; None if unknown."""
    words = [w.strip(".,'’\"").lower() for w in name.split()]
    words = [w for w in words if w]
    for w in words[:2]:
        if w in MALE_WORDS or w + "." in MALE_WORDS:
            return 0.0
        if w in FEMALE_WORDS or w + "." in FEMALE_WORDS:
            return 1.0
    if len(words) >= 2 or (words and words[0] in first_names()):
        names = first_names()
        for w in words[:2]:
            if w in names:
                return names[w]
    return None


def actor_p_female(actor: Any, text: str) -> float | None:
    """Gender of an actor: titles and names (honorifics, first names), then pronouns already resolved to it."""
    votes: list[float] = []
    for t in getattr(actor, "titles", []) or []:
        g = name_p_female(t)
        if g in (0.0, 1.0):
            return g
    for n in [actor.name, *(getattr(actor, "aliases", []) or [])]:
        g = name_p_female(n)
        if g is not None:
            votes.append(g)
    pron = [pronoun_p_female(text[s:e]) for s, e in actor.mentions if e - s <= 7]
    pron = [p for p in pron if p is not None]
    if pron:
        pp = sum(pron) / len(pron)
        if not votes:
            return pp
        return 0.5 * (max(votes, key=lambda v: abs(v - 0.5)) + pp)
    return max(votes, key=lambda v: abs(v - 0.5)) if votes else None


# Nouns that say a person's gender when they describe a named person: in apposition ("Ilhan Omar, a
# congresswoman"), as a copula's complement ("Omar is one of the first two Muslim women elected") or before the
# name ("actress Jane Doe"). Words also used of either ("actor", "chairman", "host") are left out.
FEMALE_NOUNS = frozenset(
    """woman women girl wife mother daughter sister aunt niece grandmother granddaughter stepmother stepdaughter
    widow bride girlfriend fiancee actress waitress hostess heiress empress duchess princess queen countess
    baroness nun congresswoman chairwoman spokeswoman businesswoman sportswoman stateswoman policewoman
    councilwoman congresswomen spokeswomen businesswomen sportswomen songstress ballerina matriarch""".split()
)
MALE_NOUNS = frozenset(
    """man men boy husband father son brother uncle nephew grandfather grandson stepfather stepson widower
    boyfriend fiance king prince duke emperor monk congressman spokesman businessman sportsman statesman
    policeman councilman congressmen spokesmen businessmen sportsmen patriarch""".split()
)


def noun_p_female(word: str) -> float | None:
    """1.0 for a noun only women are called ("actress", "congresswoman"), 0.0 for one only men are, else None."""
    return _p_female(word, FEMALE_NOUNS, MALE_NOUNS)
