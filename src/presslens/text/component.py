"""The text stage as a spaCy component: paragraphs, teasers (``article.ignored``), the headline, and a sentence
start at every line (``doc._.presslens_paragraphs``, ``presslens_ignored``, ``presslens_headline``)."""

from __future__ import annotations

from spacy.attrs import IDX, IS_SPACE, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from presslens.text.clean import find_headline, find_teasers, paragraphs
from presslens.text.lexicon import TITLE_WORDS
from presslens.text.tokens import doc_text, token_ints, token_strings

for _name in ("presslens_paragraphs", "presslens_ignored", "presslens_headline", ):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def mark_paragraphs(doc: Doc) -> Doc:
    text = doc_text(doc)
    paras = paragraphs(text)
    teasers = find_teasers(text, paras)
    doc._.presslens_paragraphs = paras
    doc._.presslens_ignored = teasers
    doc._.presslens_headline = find_headline(text, paras)
    # sentence boundaries: every line starts a sentence; a possessive mark never ends one
    n = len(doc)
    if not n:
        return doc
    orth, lower = token_strings(doc, (ORTH, LOWER))
    ints = token_ints(doc, (IDX, IS_SPACE)).tolist()
    prev_space_nl = "\n" in orth[0]
    for i in range(1, n):
        word, (_idx, space) = orth[i], ints[i]
        before, before_idx = orth[i - 1], ints[i - 1][0]
        if prev_space_nl and not space:
            doc[i].is_sent_start = True
        elif before.endswith(".") and lower[i - 1] in TITLE_WORDS and not space:
            doc[i].is_sent_start = False  # "Brig. Gen. Ismail Qaani": an abbreviated title never ends a sentence
        elif (
            before in ("’", "'")
            and before_idx > 0
            and not text[before_idx - 1].isspace()
            and text[before_idx - 1] in "sS"
            and not space
        ):
            doc[i].is_sent_start = False
        # a token's trailing whitespace is at most one space: only a space token carries a line break
        prev_space_nl = (prev_space_nl or "\n" in word) if space else False
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
    return mark_paragraphs
