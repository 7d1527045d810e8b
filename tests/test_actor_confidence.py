"""Actor confidence (``presslens.record.actor_confidence``): every actor of a record carries the calibrated
probability that it is a real actor of the right kind; the table and the web app list the likely ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import presslens
from presslens.record.actor_confidence import FEATURES, ActorConfidence, actor_features, score_actors, shown
from presslens.record.render import record_view
from presslens.record.schema import validate

SALE = (
    "Deals of the week: the Aurora X5 Convertible and more\n\n"
    "SPEND LESS\n"
    "The Aurora X5 Convertible is on sale for $700 at Bestmart, and shoppers can spend less on the Aurora Pad.\n\n"
    "Maria Lopez, the chief executive of Bestmart, said the sale would run until Friday. "
    "“We expect crowds,” Lopez said. She added that stores in Ohio would open early.\n\n"
    "The Black Friday Expo opens in Columbus on Thursday.\n"
)


def _span(text: str, words: str, after: int = 0) -> list[int]:
    s = text.index(words, after)
    return [s, s + len(words)]


@pytest.fixture(scope="module")
def sale_record() -> dict:
    return presslens.analyze(SALE)


def test_every_actor_has_a_confidence_and_the_record_stays_valid(sale_record, seed_record):
    for rec in (sale_record, seed_record):
        validate(rec)
        assert rec["actors"]
        assert all(0.0 <= a["confidence"] <= 1.0 for a in rec["actors"])


def test_the_seed_articles_actors_are_all_listed(seed_record, seed_gold):
    by_name = {a["name"]: a for a in seed_record["actors"]}
    for name in seed_gold["actors"]:
        assert shown(by_name[name]), (name, by_name[name]["confidence"])
    assert by_name["Ismail Qaani"]["confidence"] >= 0.9


def test_a_quoted_person_is_sure_and_products_events_and_headings_are_not(sale_record):
    model = ActorConfidence.load()
    lopez = next(a for a in sale_record["actors"] if a["name"] == "Maria Lopez")
    assert lopez["confidence"] >= 0.9 and shown(lopez)
    twice = [_span(SALE, "Aurora X5 Convertible"), _span(SALE, "Aurora X5 Convertible", 60)]
    product = {"id": "a9", "name": "Aurora X5 Convertible", "kind": "organization", "mentions": twice}
    event = {"id": "a10", "name": "Black Friday Expo", "kind": "organization",
             "mentions": [_span(SALE, "Black Friday Expo")]}  # fmt: skip
    heading = {"id": "a11", "name": "SPEND LESS", "kind": "organization", "mentions": [_span(SALE, "SPEND LESS")]}
    for junk in (product, event, heading):
        assert model.score(SALE, junk) < model.shown_at, junk["name"]
    # the same name is surer when the article quotes it and gives it a role
    person = {"id": "a12", "name": "Maria Lopez", "kind": "person", "mentions": [_span(SALE, "Maria Lopez")]}
    assert model.score(SALE, person, quoted=2) > model.score(SALE, person, quoted=0)


def test_table_lists_likely_actors_and_counts_the_rest(sale_record):
    rec = json.loads(json.dumps(sale_record))
    rec["actors"].append(
        {"id": "a99", "name": "[bold]Aurora X5 Convertible", "kind": "organization", "aliases": [], "titles": [],
         "roles": [], "mentions": [_span(SALE, "Aurora X5 Convertible")], "kb_id": None}
    )  # fmt: skip
    score_actors(rec)
    assert not shown(rec["actors"][-1])

    def table(**kw: bool) -> str:
        console = Console(width=200, record=True, highlight=False)
        console.print(record_view(rec, **kw))
        return " ".join(console.export_text().replace("│", " ").split())

    default, everything = table(), table(all_actors=True)
    assert "Maria Lopez" in default and "[bold]Aurora" not in default
    assert "1 less certain actor(s) not listed (--all-actors lists them)" in default
    assert "[bold]Aurora X5 Convertible" in everything  # article text is shown as written, never as markup
    assert "not listed" not in everything


def test_records_without_confidence_list_every_actor():
    assert shown({"name": "Anyone"}) and shown({"name": "Anyone", "confidence": None})
    assert not shown({"name": "Anyone", "confidence": 0.2}) and shown({"name": "Anyone", "confidence": 0.2}, 0.1)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=300),
    name=st.text(min_size=1, max_size=40),
    kind=st.sampled_from(["person", "organization", "country", "group", "other", "?"]),
    mentions=st.lists(st.tuples(st.integers(-5, 320), st.integers(-5, 320)), max_size=8),
    quoted=st.integers(0, 50),
    relations=st.integers(0, 50),
)
def test_any_actor_gets_a_finite_probability(text, name, kind, mentions, quoted, relations):
    actor = {"id": "a1", "name": name, "kind": kind, "aliases": [name[:3]], "mentions": [list(m) for m in mentions]}
    features = actor_features(text, actor, quoted, relations)
    assert len(features) == len(FEATURES)
    p = ActorConfidence.load().score(text, actor, quoted, relations)
    assert 0.0 <= p <= 1.0


def test_training_writes_a_model_that_loads(tmp_path: Path):
    pytest.importorskip("sklearn")
    from presslens.record.actor_training import train
    from presslens.record.pipeline import text_id

    pages = tmp_path / "pages"
    pages.mkdir()
    rows = []
    rec = presslens.analyze(SALE)
    for k in range(10):  # ten copies of the page under ten ids, so that five folds by page are possible
        page = f"{k:012x}"
        (pages / f"{page}.txt").write_text(SALE, encoding="utf-8")
        for a in rec["actors"]:
            rows.append({"page": page, "article": text_id(SALE), "actor": a, "quoted": 0, "relations": 0,
                         "label": "ok" if a["kind"] == "person" or k % 2 else "junk"})  # fmt: skip
    judged = tmp_path / "judged.jsonl"
    judged.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    model = train([judged], pages, tmp_path / "model.json", test=[judged])
    loaded = ActorConfidence(json.loads((tmp_path / "model.json").read_text()))
    assert model["trained_on"]["actors"] == len(rows) and model["test"]["actors"] == len(rows)
    assert 0.3 <= loaded.shown_at <= 0.9
    lopez = next(a for a in rec["actors"] if a["name"] == "Maria Lopez")
    others = [a for a in rec["actors"] if a["kind"] != "person"]
    assert all(loaded.score(SALE, lopez) > loaded.score(SALE, a) for a in others)

    (pages / f"{0:012x}.txt").write_text(SALE + "More text.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not the text that was judged"):
        train([judged], pages, tmp_path / "model2.json")
