"""The language gate: a text that is not English is left out as a whole, with a note that says why, instead of
being read by English models that find junk actors, quotes and techniques in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.inputs import Document
from presslens.record.pipeline import analyze, analyze_many
from presslens.text.language import MIN_WORDS, guess

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_7b9cb4504eeabb86.txt"

# Short passages written for these tests, in the style of news reports.
FRENCH = (
    "Le ministre de l'Intérieur a annoncé mardi que la police allait renforcer sa présence dans les quartiers "
    "du nord de la ville. « Nous ne laisserons pas la situation se dégrader », a déclaré le ministre devant "
    "les journalistes. Les syndicats de police, qui réclament plus de moyens depuis des mois, ont salué une "
    "décision tardive mais nécessaire."
)
GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein neues Paket zur Entlastung der Haushalte beschlossen. Der "
    "Finanzminister sagte, die Maßnahmen seien solide finanziert und würden sich auch auf die Inflation "
    "auswirken. Kritiker aus der Opposition sprachen dagegen von einem Flickenteppich, der nicht mit den "
    "Problemen der Kommunen zu vereinbaren sei."
)
PORTUGUESE = (
    "O governo anunciou nesta terça-feira um novo programa de investimentos em infraestrutura para as regiões "
    "do interior. Segundo o ministro, as obras devem começar ainda este ano e gerar milhares de empregos. A "
    "oposição criticou a falta de detalhes sobre o financiamento e pediu mais transparência ao executivo."
)
RUSSIAN = (
    "Правительство объявило во вторник о новой программе поддержки малого бизнеса. По словам министра, "
    "меры вступят в силу уже в следующем месяце и коснутся тысяч предпринимателей по всей стране."
)
ENGLISH = (
    'The city council voted on Tuesday to expand the bus network into the northern suburbs. "This is about '
    "getting people to work,\" said the council's transport chair, Maria Lopez. Opponents said the plan would "
    "cost more than it saves and asked for an independent review of the figures before the money is spent."
)


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (GERMAN, "de"), (PORTUGUESE, "pt"), (RUSSIAN, None)])
def test_other_languages_are_recognised(text: str, code: str | None) -> None:
    g = guess(text)
    assert not g.english
    assert g.language == code
    assert g.reason.startswith("not English")


def test_english_news_and_the_seed_are_english() -> None:
    assert guess(ENGLISH).english
    if SEED.is_file():
        assert guess(SEED.read_text(encoding="utf-8")).english


def test_a_score_table_in_english_stays_english() -> None:
    # few function words in any language: it is not called foreign
    table = "\n".join(
        f"Palm Bay d. Rockledge {70 - k}-{44 + k}, Melbourne d. Titusville {61 + k}-{40 - k}" for k in range(8)
    )
    assert guess(table).english


def test_an_english_article_with_a_foreign_quotation_stays_english() -> None:
    text = ENGLISH + ' The mayor replied in French: "Nous verrons." ' + ENGLISH
    assert guess(text).english


def test_analyze_leaves_a_foreign_text_out_with_a_note() -> None:
    rec = analyze(FRENCH, source="fr.txt")
    art = rec["article"]
    assert art["language"] == "fr"
    assert art["text"] == FRENCH
    assert art["ignored"][-1]["span"] == [0, len(FRENCH)]
    assert "not English" in art["ignored"][-1]["reason"]
    for key in ("actors", "quotes", "techniques", "figures", "claims", "relations"):
        assert rec[key] == []


def test_a_declared_language_is_kept() -> None:
    rec = analyze(GERMAN, language="de-AT")
    assert rec["article"]["language"] == "de-AT"
    assert rec["actors"] == []


def test_a_mixed_batch_keeps_its_order_and_analyses_the_english() -> None:
    docs = [Document(text=t, source=s) for t, s in ((ENGLISH, "a"), (RUSSIAN, "b"), (ENGLISH, "c"), (GERMAN, "d"))]
    recs = list(analyze_many(docs))
    assert [r["article"]["source"] for r in recs] == ["a", "b", "c", "d"]
    assert [r["article"]["language"] for r in recs] == ["en", None, "en", "de"]
    english = recs[0]
    assert any(a["name"] == "Maria Lopez" for a in english["actors"])
    said = {q["text"]: q["speaker"]["name"] for q in english["quotes"]}
    assert said['"This is about getting people to work,"'] == "Maria Lopez"
    assert recs[1]["actors"] == [] and recs[3]["quotes"] == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_guess_always_answers(text: str) -> None:
    g = guess(text)
    assert g.english == (g.reason == "")
    assert 0.0 <= g.english_share <= 1.0
    if g.english:
        assert g.language == "en"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["war", "city", "Gaza", "council", "fire", "report"]), max_size=MIN_WORDS - 1))
def test_a_few_latin_words_are_never_called_foreign(words: list[str]) -> None:
    assert guess(" ".join(words)).english
