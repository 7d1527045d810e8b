"""The extraction stages as spaCy components, added to spaCy's own pipeline by name."""

from __future__ import annotations

import spacy

import presslens.record.pipeline  # noqa: F401  (registers every stage's factories, as the entry points do)
from presslens.record.pipeline import MODEL_PACKAGE


def test_add_pipe_by_name_puts_results_on_doc(seed_text):
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("presslens_paragraphs", before="parser")
    nlp.add_pipe("presslens_gazetteer", before="ner")
    nlp.add_pipe("presslens_actors")
    nlp.add_pipe("presslens_quotes")
    doc = nlp(seed_text)
    names = {a.name for a in doc._.presslens_actors}
    assert {"Ismail Qaani", "Hossein Amir Abdollahian", "Michael Milstein"} <= names
    speakers = {q.actor.name for q in doc._.presslens_quotes if q.actor}
    assert speakers == {"Ismail Qaani", "Hossein Amir Abdollahian", "Michael Milstein", "Israel"}
    assert len(doc._.presslens_ignored) == 1
    # the gazetteer ruler mends spaCy's labels: the Brigades are an organisation, not a facility
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Izzedine al-Qassam Brigades") == "ORG"
    assert labels.get("Axis of Resistance") == "ORG"


def test_quotes_component_alone_builds_what_it_needs():
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("presslens_quotes")
    doc = nlp("“We are ready,” said Maria Lopez, the team’s coach.")
    [q] = doc._.presslens_quotes
    assert q.kind == "direct" and q.actor is not None and q.actor.name == "Maria Lopez"
