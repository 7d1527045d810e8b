"""Invariants of every record, over texts Hypothesis composes from real sentence fragments, names, quotes, pronouns,
odd punctuation and unicode, and over every real text in tests/fixtures: each span non-empty, ordered and inside the
text; ids unique and every reference resolving; the record valid against presslens/1."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from presslens import analyze
from presslens.inputs import iter_inputs
from presslens.record.pipeline import analyze_many
from presslens.record.schema import validate

NAMES = ["Ismail Qaani", "Gen. Qaani", "Michael Milstein", "Rep. James Comer, R-Ky.,",
         "UN Secretary-General Antonio Guterres", "Bloomberg News",
         "the Times", "Tory MPs", "Hossein Amir Abdollahian", "Dr. Ana Lúcia Ribeiro", "SoftBank",
         "the chief diplomat", "officials", "Reuters", "Washington, D.C.", "Mossad Commentary",
         "both Vindman and Williams", "he and his wife Kali", "Binge eating disorder (BED)", "The Afghan Taliban",
         "the Note 10 Plus", "Pangram area of Sarkh, Logar,", "the 43-year-old man"]
PRONOUNS = ["he", "she", "they", "it", "He", "She", "They", "We"]
CUES = ["said", "told reporters", "wrote on X", "claimed", "did not say", "denied saying", "added", "warned",
        "later died", "is deciding between", "shows", "found"]
CLAUSES = ["the Axis of Resistance is united", "80-90,000 fighters remain in Gaza", "the plan had failed",
           "no jobs will be lost", "the report was false", "prices rose 3.2% in May", "talks would resume in Doha"]
ODD = ["", " ", "\n\n", "…", " — ", "“", "”", "\"", "'", "«", "»", ":", "; ", "(", ")", "UPDATED: ", "WATCH: ",
       "\u200b", "é", "中文", "🙂", "\t", ",", "[…]"]


@st.composite
def sentences(draw) -> str:
    name = draw(st.sampled_from(NAMES + PRONOUNS))
    cue = draw(st.sampled_from(CUES))
    clause = draw(st.sampled_from(CLAUSES))
    form = draw(st.integers(0, 4))
    if form == 0:
        s = f"{name} {cue} that {clause}."
    elif form == 1:
        s = f"“{clause[:1].upper()}{clause[1:]},” {name} {cue}."
    elif form == 2:
        s = f"{name} {cue}: “{clause}.”"
    elif form == 3:
        s = f"{clause[:1].upper()}{clause[1:]}, according to {name}."
    else:
        s = f"“{clause},” {cue} {name}, “and {draw(st.sampled_from(CLAUSES))}.”"
    odd = draw(st.lists(st.sampled_from(ODD), max_size=3))
    cut = draw(st.integers(0, len(s)))
    return s[:cut] + "".join(odd) + s[cut:] if odd else s


articles = st.lists(
    st.tuples(sentences(), st.sampled_from([" ", "\n\n", "\n"])), min_size=1, max_size=6
).map(lambda parts: "".join(s + sep for s, sep in parts))


def check_invariants(rec: dict) -> None:
    """The record's invariants, beyond what ``validate`` already enforces (which it is also run through)."""
    validate(rec)
    if "error" in rec:
        return
    text = rec["article"]["text"]
    n = len(text)

    def ok(span: list[int] | None) -> None:
        if span is not None:
            assert 0 <= span[0] < span[1] <= n, (span, n)

    actors = {a["id"]: a for a in rec["actors"]}
    quotes = {q["id"]: q for q in rec["quotes"]}
    assert len(actors) == len(rec["actors"]) and len(quotes) == len(rec["quotes"])
    for a in rec["actors"]:
        assert a["name"].strip(), a
        for m in a["mentions"]:
            ok(m)
        for r in a["roles"]:
            ok(r["span"])
    for q in rec["quotes"]:
        assert q["content"], q
        for piece in q["content"] + q["cue"]:
            ok(piece)
        assert q["content"] == sorted(q["content"]), q
        ok(q["speaker"]["span"])
        if q["speaker"]["actor"] is not None:
            assert q["speaker"]["actor"] in actors
            assert q["speaker"]["name"] == actors[q["speaker"]["actor"]]["name"]
        assert isinstance(q.get("negated", False), bool)
        assert 0.0 <= q["confidence"] <= 1.0
    for t in rec["techniques"]:
        ok(t["span"])
        if t["voice"]["quote"] is not None:
            assert t["voice"]["quote"] in quotes


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles)
def test_composed_texts_give_valid_records(text):
    check_invariants(analyze(text))


def test_every_real_fixture_text_gives_a_valid_record():
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".html", ".jsonl", ".rss", ".atom"))
    assert paths
    n = 0
    for rec in analyze_many(iter_inputs([str(p) for p in paths])):
        check_invariants(rec)
        n += 1
    assert n >= len(paths)


def test_a_reversed_span_is_refused():
    rec = analyze("Officials said the bridge would reopen on Monday.")
    bad = json.loads(json.dumps(rec))
    if not bad["actors"]:
        bad["actors"].append({"id": "a1", "name": "x", "kind": "person", "aliases": [], "titles": [], "roles": [],
                              "mentions": [], "kb_id": None})
    bad["actors"][0]["roles"].append({"role": "head", "organization": None, "span": [40, 14]})
    try:
        validate(bad)
    except Exception as exc:  # jsonschema.ValidationError
        assert "reversed" in str(exc) or "span" in str(exc)
    else:
        raise AssertionError("a reversed role span passed validation")


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Z]{2,8}", fullmatch=True), st.text(max_size=300))
def test_an_abbreviation_the_text_never_writes_is_never_a_thing_of_it(name, text):
    from presslens.actors.names import thing_abbreviation

    while name in text or name.lower() in text:  # (removing one may join two halves of another)
        text = text.replace(name, "").replace(name.lower(), "")
    assert thing_abbreviation(name, text) is False
    # spelled out in capitalised words ("World Health Organization (WHO)"): a name, never a thing
    caps = " ".join(ch + "x" for ch in name)
    assert thing_abbreviation(name, f"{text} the {caps} ({name}) said") is False
