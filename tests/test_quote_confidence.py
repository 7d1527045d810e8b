"""Quote confidence (``presslens.record.quote_confidence``): every quote of a record carries the calibrated
probability that it is a real attribution with the right speaker; the table and the web app list the likely
ones and count the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from presslens.inputs.document import Document
from presslens.record.pipeline import analyze_many, load_nlp, text_id
from presslens.record.quote_confidence import FEATURES, QuoteConfidence, quote_features, quote_shown
from presslens.record.render import record_view
from presslens.record.schema import validate

TEXT = (
    "Mayor Ana Ortiz said the bridge would reopen in May. “We will rebuild it before winter,” Ortiz said.\n\n"
    "As I write this review, I wish I still had that old Ford Escort.\n\n"
    "He said the budget would not pass.\n"
)


@pytest.fixture(scope="module")
def research_record() -> dict:
    """Every quote kept, as ``analyze --all-quotes`` keeps them: the writer's own "I" too."""
    rec = next(analyze_many([Document(text=TEXT)], nlp=load_nlp(techniques=False, quote_keep="all")))
    validate(rec)
    return rec


def _by_text(rec: dict, words: str) -> dict:
    return next(q for q in rec["quotes"] if words in q["text"])


def test_a_named_speaker_is_sure_and_the_writers_i_or_a_lost_pronoun_is_not(research_record):
    model = QuoteConfidence.load()
    for words in ("the bridge would reopen", "We will rebuild"):
        q = _by_text(research_record, words)
        assert q["speaker"]["name"] == "Ana Ortiz" and q["confidence"] >= 0.9 and quote_shown(q), q
    for words in ("I still had", "the budget would not pass"):  # the writer's wish; "He" with no one to be
        q = _by_text(research_record, words)
        assert q["confidence"] < model.shown_at and not quote_shown(q), q


def test_the_seed_articles_attributions_are_all_listed(seed_record, seed_gold):
    text = seed_record["article"]["text"]
    assert all(0.0 <= q["confidence"] <= 1.0 for q in seed_record["quotes"])
    for g in seed_gold["attributions"]:
        if g.get("optional"):
            continue
        found = [q for q in seed_record["quotes"] if any(g["anchor"] in text[s:e] for s, e in q["content"])]
        assert found and all(quote_shown(q) for q in found), (g["anchor"], [q["confidence"] for q in found])


def test_table_lists_likely_quotes_and_counts_the_rest(research_record):
    def table(**kw: bool) -> str:  # the quotes table: what comes before the actors
        console = Console(width=200, record=True, highlight=False)
        console.print(record_view(research_record, **kw))
        return " ".join(console.export_text().replace("│", " ").split()).split(" Actors ")[0]

    default, everything = table(), table(unsure_quotes=True)
    assert "the bridge would reopen" in default and "old Ford Escort" not in default
    hidden = sum(not quote_shown(q) for q in research_record["quotes"])
    assert hidden >= 2 and f"{hidden} less certain quote(s) not listed (--unsure-quotes lists them)" in default
    assert "old Ford Escort" in everything and "not listed (--unsure-quotes" not in everything


def test_quotes_without_confidence_are_listed():
    assert quote_shown({"id": "q1"}) and quote_shown({"id": "q1", "confidence": None})
    assert not quote_shown({"confidence": 0.2}) and quote_shown({"confidence": 0.2}, 0.1)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=300),
    kind=st.sampled_from(["direct", "indirect", "mixed", "?"]),
    spans=st.lists(st.tuples(st.integers(-5, 320), st.integers(-5, 320)), max_size=5),
    confidence=st.one_of(st.none(), st.floats(-1, 2, allow_nan=False), st.just(True)),
    negated=st.booleans(),
    actor_kind=st.sampled_from(["person", "organization", "other", None]),
    spoken=st.integers(0, 50),
)
def test_any_quote_gets_a_finite_probability(text, kind, spans, confidence, negated, actor_kind, spoken):
    pairs = [list(p) for p in spans]
    speaker = {"span": pairs[0] if pairs else None, "actor": "a1" if actor_kind else None}
    quote = {"id": "q1", "kind": kind, "content": pairs, "cue": pairs[:1], "confidence": confidence,
             "negated": negated, "speaker": speaker}  # fmt: skip
    actors = {"a1": {"id": "a1", "kind": actor_kind, "confidence": 0.7}} if actor_kind else {}
    assert len(quote_features(text, quote, actors, spoken)) == len(FEATURES)
    assert 0.0 <= QuoteConfidence.load().score(text, quote, actors, spoken) <= 1.0


def test_training_writes_a_model_that_loads(tmp_path: Path, research_record):
    pytest.importorskip("sklearn")
    from presslens.record.quote_training import train

    pages = tmp_path / "pages"
    pages.mkdir()
    actors = {a["id"]: a for a in research_record["actors"]}
    rows = []
    for k in range(10):  # ten copies of the page under ten ids, so that five folds by page are possible
        page = f"{k:012x}"
        (pages / f"{page}.txt").write_text(TEXT, encoding="utf-8")
        for q in research_record["quotes"]:
            aid = q["speaker"]["actor"]
            rows.append({"page": page, "article": text_id(TEXT), "quote": q, "speaker_actor": actors.get(aid),
                         "spoken": 2 if aid else 0, "label": "right" if aid or k % 2 else "not_real"})  # fmt: skip
    judged = tmp_path / "judged.jsonl"
    judged.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    model = train([judged], pages, tmp_path / "model.json", test=[judged])
    loaded = QuoteConfidence(json.loads((tmp_path / "model.json").read_text()))
    assert loaded.shown_at == model["shown_at"] and model["test"]["quotes"] == len(rows)
    with pytest.raises(ValueError):
        QuoteConfidence({**model, "features": ["something else"]})
