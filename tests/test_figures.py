"""Figures: the seed article through the real pipeline, the parser on news phrasings, and odd input."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.figures.parse import parse_text

SEED = Path(__file__).parent / "fixtures" / "seed.txt"


def one(text: str):
    found = parse_text(text)
    assert len(found) == 1, [(text[p.start:p.end], p.value) for p in found]
    p = found[0]
    return text[p.start:p.end], p


@pytest.fixture(scope="module")
def nlp():
    import presslens.figures.component  # noqa: F401
    from presslens.record.pipeline import load_nlp

    nlp = load_nlp(techniques=False)
    if "presslens_figures" not in nlp.pipe_names:
        nlp.add_pipe("presslens_figures")
    return nlp


@pytest.fixture(scope="module")
def seed(nlp):
    from presslens.figures.detect import figure_records

    doc = nlp(SEED.read_text(encoding="utf-8"))
    return doc, figure_records(doc)


def _by_text(records, text):
    hits = [r for r in records if r["text"] == text]
    assert len(hits) == 1, [r["text"] for r in records]
    return hits[0]


def test_seed_figures_in_milsteins_voice(seed):
    doc, records = seed
    text = doc.text
    milstein = [a for a in doc._.presslens_actors if a.name == "Michael Milstein"]
    assert len(milstein) == 1
    strength = _by_text(records, "25,000-plus")
    assert (strength["value"], strength["high"], strength["qualifier"]) == (25000, None, "at_least")
    assert text[slice(*strength["counts"])].startswith("strength")
    members = _by_text(records, "80-90,000")
    assert (members["value"], members["high"], members["qualifier"]) == (80000, 90000, "exact")
    assert text[slice(*members["counts"])] == "members"
    assert members["unit"] == "person"
    for r in (strength, members):
        assert r["source"]["actor"] == milstein[0].id
        k = int(r["source"]["quote"][1:]) - 1
        quote = doc._.presslens_quotes[k]
        assert quote.actor is milstein[0]
        assert any(s <= r["span"][0] and r["span"][1] <= e for s, e in quote.content)
    assert [r["id"] for r in records] == [f"f{i + 1}" for i in range(len(records))]


def test_seed_dates_are_not_figures(seed):
    doc, records = seed
    oct7 = doc.text.index("Oct. 7")
    assert not any(r["span"][0] <= oct7 + 5 < r["span"][1] for r in records)
    assert all(r["text"] not in ("7", "Oct. 7") for r in records)
    # the seed has no other quantities than Milstein's two
    assert len(records) == 2


def test_outlet_voice_and_names_in_a_doc(nlp):
    from presslens.figures.detect import figure_records

    doc = nlp("More than 1,400 Palestinians were killed, officials in Gaza said on Monday. The Fortune 500 company "
              "flew Boeing 737 jets on Oct. 7, 2023, at 10:30 a.m. Tens of thousands of protesters marched.")
    records = figure_records(doc)
    texts = [r["text"] for r in records]
    assert "500" not in texts and "737" not in texts and "7" not in texts and "2023" not in texts
    killed = _by_text(records, "1,400")
    assert (killed["value"], killed["qualifier"], killed["unit"]) == (1400, "more_than", "person")
    assert doc.text[slice(*killed["counts"])].startswith("Palestinians")
    crowd = _by_text(records, "Tens of thousands")
    assert (crowd["value"], crowd["high"], crowd["qualifier"]) == (10000, 100000, "approx")
    assert doc.text[slice(*crowd["counts"])] == "protesters"
    assert crowd["source"] == {"quote": None, "actor": None}


@pytest.mark.parametrize("text, surface, value, high, qualifier, change, unit", [
    ("The deal is worth 2.3 billion euros.", "2.3 billion euros", 2.3e9, None, "exact", None, "euro"),
    ("Officials said the fund would need $5-6 million.", "$5-6 million", 5e6, 6e6, "exact", None, "US dollar"),
    ("About two dozen journalists waited outside.", "two dozen", 24, None, "approx", None, None),
    ("Nearly a third of voters stayed home.", "a third", 0.3333, None, "approx", None, None),
    ("Unemployment rose 5% in March.", "5%", 5, None, "exact", "up", "percent"),
    ("The index fell by 3 points on Friday.", "3 points", 3, None, "exact", "down", "point"),
    ("It reported a 10% increase in sales.", "10%", 10, None, "exact", "up", "percent"),
    ("Hundreds gathered in the square.", "Hundreds", 100, 1000, "approx", None, None),
    ("Winds of up to 40 mph are expected.", "40 mph", 40, None, "at_most", None, "mile per hour"),
    ("A 10-year-old boy was among the injured.", "10-year-old", 10, None, "exact", None, "year of age"),
    ("Fewer than 50 people attended.", "50", 50, None, "less_than", None, None),
    ("Japan's budget stands at ¥3.2trn.", "¥3.2trn", 3.2e12, None, "exact", None, "japanese yen"),
    ("Between 5 and 10 percent of the vote", "5 and 10 percent", 5, 10, "exact", None, "percent"),
    ("The bill would cost £5bn over a decade.", "£5bn", 5e9, None, "exact", None, "pound sterling"),
    ("An estimated 300 people were evacuated.", "300", 300, None, "approx", None, None),
    ("The plant employs some 25,000 workers.", "25,000", 25000, None, "approx", None, None),
    ("The road stretches 12 km along the coast.", "12 km", 12, None, "exact", None, "kilometre"),
    ("Twenty-five soldiers were wounded.", "Twenty-five", 25, None, "exact", None, None),
    ("At least 1.5 million people fled.", "1.5 million", 1.5e6, None, "at_least", None, None),
    ("Add ½ cup of sugar.", "½ cup", 0.5, None, "exact", None, "cup"),
    ("He was sacked after five-and-a-half years in charge.", "five-and-a-half years", 5.5, None, "exact", None, "year"),
    ("Patients breathe 80% to 90% pure oxygen.", "80% to 90%", 80, 90, "exact", None, "percent"),
    ("The plan would reduce GDP by 0.25 percent.", "0.25 percent", 0.25, None, "exact", "down", "percent"),
    ("Rates were cut by a quarter-point in October.", "a quarter-point", 0.25, None, "exact", "down", "point"),
    ("They detected 5,200 pounds of water vapor.", "5,200 pounds", 5200, None, "exact", None, "pound-mass"),
    ("He had given Rs 25 lakh to an agent.", "Rs 25 lakh", 2.5e6, None, "exact", None, "rupee"),
    ("Drivers can close it at speeds of up to 50 km/h.", "50 km/h", 50, None, "at_most", None, "kilometre per hour"),
    ("Overnight it was -5 degrees Fahrenheit.", "-5 degrees Fahrenheit", -5, None, "exact", None, "degree Fahrenheit"),
    ("The stock fell as much as 1/4 point.", "1/4 point", 0.25, None, "at_most", "down", "point"),
    ("It takes more than 10 1/2 miles of cable.", "10 1/2 miles", 10.5, None, "more_than", None, "mile"),
    ("Net fell to $1.40 a share.", "$1.40", 1.4, None, "exact", None, "US dollar per share"),
])
def test_parser_on_news_phrasings(text, surface, value, high, qualifier, change, unit):
    got, p = one(text)
    assert got == surface
    assert math.isclose(p.value, value, rel_tol=1e-9)
    assert (p.high is None) == (high is None)
    if high is not None:
        assert math.isclose(p.high, high, rel_tol=1e-9)
    assert (p.qualifier, p.change, p.unit) == (qualifier, change, unit)


@pytest.mark.parametrize("text", [
    "The attack came on Oct. 7 and again on 12 November 2023.",
    "The G7 met to discuss 5G networks and COVID-19 in the 1990s style.",
    "She finished 3rd, then 21st, in the race at 10:30 a.m.",
    "Call 555-123-4567 or see page 5 and Section 230.",
    "Odd forms: 1,2,3 and 10^6 and 2-3-4 and ٣٠ and 3.2.1.",
    "Arsenal won 3-2 on Sunday.",
    "F-16 jets and MH17 and the iPhone 15 launch.",
    "A family friend spotted the car and called 911.",
    "Meal planning lowers the risk of obesity (36).",
    "It streams in 4K and backs a two-state solution, said Take-Two.",
])
def test_not_figures(text):
    assert [text[p.start:p.end] for p in parse_text(text)] == []


def test_change_target_is_not_a_change():
    found = parse_text("Inflation rose 2 percentage points to 7.5% in May.")
    assert [(p.value, p.change, p.unit) for p in found] == [(2, "up", "percentage point"), (7.5, None, "percent")]


PIECES = st.sampled_from(list("0123456789,.-–+%$€£¥ ½^٣ abcxyz") + [
    "million", "billion", " to ", "about ", "thousands", " of ", "more than ", "a third", "Oct. ", "-plus", "percent",
    "km", "twenty", "-five", "hundred", " and ", "rose ", " people"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_random_text_never_raises(text):
    found = parse_text(text)
    last = 0
    for p in found:
        assert 0 <= p.start < p.end <= len(text)
        assert p.start >= last
        last = p.end
        assert math.isfinite(p.value)
        assert p.high is None or (math.isfinite(p.high) and p.high > p.value)
        assert p.qualifier in ("exact", "approx", "at_least", "more_than", "at_most", "less_than")
        assert p.change in (None, "up", "down")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["1,2,3", "½", "10^6", "¥3.2trn", "2-3-4", "٣٠", "80-90,000", "Oct. 7", "3-2",
                                 "people", "rose", "5%", "about", "the", "tens of thousands", "said", ".", ",",
                                 "“", "”", "\n"]), max_size=25))
def test_pipeline_on_odd_text_never_raises(nlp, words):
    from presslens.figures.detect import figure_records

    doc = nlp(" ".join(words))
    for r in figure_records(doc):
        assert 0 <= r["span"][0] < r["span"][1] <= len(doc.text)
        assert math.isfinite(r["value"])
