"""Whole-document token reads (presslens.text.tokens) give what spaCy's per-token attributes give, on real text,
and the features a later stage reads again equal the features computed afresh."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SHAPE, TAG

from presslens.record.pipeline import MODEL_PACKAGE, load_nlp
from presslens.text.tokens import doc_text, token_ints, token_strings

_NLP = spacy.load(MODEL_PACKAGE)


def test_token_strings_and_ints_match_the_tokens(seed_text: str) -> None:
    doc = _NLP(seed_text)
    lower, lemma, pos, tag, dep, shape, ent = token_strings(doc, (LOWER, LEMMA, POS, TAG, DEP, SHAPE, ENT_TYPE))
    ints = token_ints(doc, (IDX, LENGTH, IS_SPACE, HEAD))
    for i, t in enumerate(doc):
        assert (lower[i], lemma[i], pos[i], tag[i], dep[i], shape[i], ent[i]) == (
            t.lower_, t.lemma_, t.pos_, t.tag_, t.dep_, t.shape_, t.ent_type_,
        )  # fmt: skip
        assert ints[i].tolist() == [t.idx, len(t), int(t.is_space), t.head.i]
    assert "Qaani" in [doc_text(doc)[a : a + n] for a, n in ints[:, :2].tolist()]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n\t\"'’—é")), max_size=60))
def test_doc_text_is_the_text(text: str) -> None:
    doc = _NLP.make_doc(text)
    assert doc_text(doc) == text
    assert doc_text(doc) == text  # the second read comes from the document's cache


def test_features_read_again_equal_fresh_ones(seed_text: str) -> None:
    from presslens.attribution.features import featurize, featurize_again

    doc = load_nlp(techniques=False, figures=False, claims=False, relations=False)(seed_text)
    quoted, actors = doc._.presslens_quoted, doc._.presslens_resolver.token_actor
    again, fresh = featurize_again(doc, quoted, actors), featurize(doc, quoted, actors)
    assert (again.ids == fresh.ids).all() and (again.dense == fresh.dense).all()
    assert again.sequences == fresh.sequences
    assert (again.ids[:, 10] > 1).any()  # the actor column is filled on the seed (Qaani, Iran, Hamas ...)
