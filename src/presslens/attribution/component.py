"""The attribution stage as a spaCy component (``presslens_quotes``): quotation marks paired
(``doc._.presslens_quoted``), attributions found (``doc._.presslens_quotes``) and their speakers resolved."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from presslens.actors.component import ActorsComponent, load_gazetteer
from presslens.attribution.decode import group
from presslens.attribution.embeds import embedded_posts, with_posts
from presslens.attribution.features import featurize
from presslens.attribution.model import shipped_tagger
from presslens.attribution.rules import Attribution, QuoteFinder
from presslens.attribution.verify import QUOTE_KEEP, verify
from presslens.text.quotemarks import pair_quotes
from presslens.text.tokens import doc_text

for _name in ("presslens_quoted", "presslens_quotes", ):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


QUOTE_METHODS = ("hybrid", "learned", "rules")


def _overlaps(a: Attribution, b: Attribution) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.content for s2, e2 in b.content)


class QuotesComponent:
    """Finds attributions (``doc._.presslens_quotes``) and resolves their speakers to actors.

    *method*: "learned" runs the shipped BiLSTM-CRF tagger (``presslens.attribution``); "rules" the
    parse and quotation-mark rules (``presslens.quotes``); "hybrid" (the default) the tagger, plus the rules'
    attributions whose content the tagger left untouched (headline "CONTENT: SOURCE", dash-signed quotes...).
    *keep*: "likely" (the default) leaves out attributions without quotation marks under confidence 0.7, but for
    lines a named actor signs with a colon; "all" keeps them down to 0.6 (research, benchmarks;
    ``verify.QUOTE_KEEP``)."""

    def __init__(self, method: str = "hybrid", keep: str = "likely"):
        if method not in QUOTE_METHODS:
            raise ValueError(f"method must be one of {QUOTE_METHODS}, not {method!r}")
        if keep not in QUOTE_KEEP:
            raise ValueError(f"keep must be one of {tuple(QUOTE_KEEP)}, not {keep!r}")
        self.method = method
        self.min_confidence = QUOTE_KEEP[keep]

    def __call__(self, doc: Doc) -> Doc:
        if doc._.presslens_resolver is None:
            ActorsComponent(load_gazetteer())(doc)
        paras = doc._.presslens_paragraphs
        ignored = [i.span for i in doc._.presslens_ignored]
        quoted = pair_quotes(doc_text(doc), paras, ignored)
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
        found = with_posts(found, embedded_posts(doc, resolver))
        doc._.presslens_quotes = verify(
            doc, found, resolver, [p for q in quoted for p in q.pieces], self.min_confidence
        )
        # actors may have gained mentions (pronouns, descriptions) while speakers were resolved
        doc._.presslens_actors = resolver.actors
        return doc


@Language.factory("presslens_quotes", default_config={"method": "hybrid", "keep": "likely"})
def make_quotes(nlp: Language, name: str, method: str, keep: str) -> QuotesComponent:
    """Direct, indirect and mixed quotes with cue, speaker span and speaker actor (see ``QuotesComponent``)."""
    return QuotesComponent(method, keep)
