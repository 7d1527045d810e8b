"""Attribution patterns on short real-style sentences."""

from __future__ import annotations

import pytest

from presslens import analyze
from presslens.record.schema import validate


def _quotes(text: str) -> list[tuple[str, str, str | None, str | None]]:
    rec = analyze(text)
    validate(rec)
    out = []
    for q in rec["quotes"]:
        content = " | ".join(text[s:e] for s, e in q["content"])
        sp = q["speaker"]["span"]
        out.append((q["kind"], content, text[sp[0] : sp[1]] if sp else None, q["speaker"]["name"]))
    return out


def test_speaker_after_quote():
    t = "“We will not rush this decision,” Council leader Margaret Okafor said on Tuesday."
    assert _quotes(t) == [
        ("direct", "“We will not rush this decision,”", "Council leader Margaret Okafor", "Margaret Okafor")
    ]


def test_speaker_before_quote_with_colon():
    t = 'The ferry operator, Island Link, said in a statement: "Fuel costs have doubled and the service must pay."'
    [(kind, content, speaker, _)] = _quotes(t)
    assert kind == "direct"
    assert content == '"Fuel costs have doubled and the service must pay."'
    # PolNeAR sources keep the comma that closes an appositive
    assert speaker.rstrip(",") == "The ferry operator, Island Link"


def test_speaker_inside_quote_gives_two_pieces():
    t = "“This is a reprieve,” Daniel Reyes said. “Our members cannot afford another increase.”"
    [(kind, content, speaker, name)] = _quotes(t)
    assert kind == "direct" and name == "Daniel Reyes"
    assert content == "“This is a reprieve,” | “Our members cannot afford another increase.”"


def test_indirect_and_according_to():
    t = (
        "Finance Minister Jonas Berg told parliament that the budget would be balanced by 2026. "
        "According to the central bank, inflation will fall next year."
    )
    got = _quotes(t)
    assert ("indirect", "that the budget would be balanced by 2026", "Finance Minister Jonas Berg", "Jonas Berg") in got
    assert any(
        k == "indirect" and c.startswith("inflation will fall") and s == "the central bank" for k, c, s, _ in got
    )


def test_mixed_quote():
    t = "Opposition leader Ana Costa said the plan was “a fantasy built on wishful accounting” and would fail."
    [(kind, content, speaker, name)] = _quotes(t)
    assert kind == "mixed" and name == "Ana Costa"
    assert "“a fantasy built on wishful accounting”" in content and "would fail" in content


def test_pronoun_and_continuation_paragraph():
    t = (
        "Priya Natarajan, the utility’s director of operations, spoke on Monday.\n\n"
        "“We are working around the clock,” she said.\n\n"
        "“But the damage is worse than our first survey showed.”"
    )
    got = _quotes(t)
    assert [g[3] for g in got] == ["Priya Natarajan", "Priya Natarajan"]
    assert got[0][2] == "she"
    assert got[1][2] is None  # a quote paragraph with no cue continues the previous speaker


def test_multi_paragraph_quote_is_one_attribution():
    t = (
        "The minister, Helen Achterberg, wrote on Friday:\n\n“This is not acceptable,\n\n"
        "“and we will hold the company to account.”"
    )
    got = _quotes(t)
    assert len(got) == 1
    kind, content, speaker, name = got[0]
    assert kind == "direct" and name == "Helen Achterberg"
    assert content == "“This is not acceptable, | “and we will hold the company to account.”"


def test_scare_quotes_and_titles_are_not_attributions():
    t = "The so-called “Axis of Resistance” includes several groups. The film “Dune” opened on Friday."
    assert _quotes(t) == []


@pytest.mark.parametrize(
    "text",
    [
        "He said “this never closes.\n\nAnd “this one” is fine, she said.",
        "“”“”\n\n”“",
        "said said said: “",
        "\n\n\n",
        "x",
    ],
)
def test_unbalanced_and_odd_text_never_crashes(text):
    rec = analyze(text)
    validate(rec)
    for q in rec["quotes"]:
        for s, e in q["content"]:
            assert "\n\n" not in text[s:e]
