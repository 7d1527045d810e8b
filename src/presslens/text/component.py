"""The text stage as a spaCy component: paragraphs, teasers (``article.ignored``), the headline, and a sentence
start at every line (``doc._.presslens_paragraphs``, ``presslens_ignored``, ``presslens_headline``)."""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from presslens.text.clean import find_headline, find_teasers, paragraphs
from presslens.text.lexicon import TITLE_WORDS
from presslens.text.tokens import doc_text

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
    return mark_paragraphs
