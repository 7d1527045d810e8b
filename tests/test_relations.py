"""Relations between actors: the seed article, rules on news sentences, negation, quote sources, the learned
classifier, and CoNLL04 dev scored end to end by the reference scorer (skips where ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from presslens.evaluation.relations import evaluate, load_nlp
from presslens.relations import RELATIONS, relations_to_dicts
from presslens.relations.model import RelationModel

SHARED = Path(__file__).parents[1] / ".." / "shared"
CONLL04 = SHARED / "data" / "conll04"
SEED = Path(__file__).parent / "fixtures" / "seed.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _relations(nlp, text: str) -> list[tuple[str, str, str, bool]]:
    doc = nlp(text)
    names = {a.id: a.name for a in doc._.presslens_actors}
    return [(names[r["subject"]], r["relation"], names[r["object"]], r["negated"]) for r in relations_to_dicts(doc)]


@pytest.fixture(scope="module")
def seed(nlp):
    doc = nlp(SEED.read_text(encoding="utf-8"))
    names = {a.id: a.name for a in doc._.presslens_actors}
    return doc, names, relations_to_dicts(doc)


@pytest.mark.parametrize(
    ("subject", "relations", "obj", "evidence_has"),
    [
        ("Izzedine al-Qassam Brigades", {"part_of"}, "Hamas", "the military wing of Hamas"),
        ("Quds Force", {"part_of"}, "Islamic Revolution Guards Corps", "Quds Force of the Islamic Revolution"),
        ("Ismail Qaani", {"leads"}, "Quds Force", "the commander of the Quds Force"),
        ("Hossein Amir Abdollahian", {"works_for", "leads"}, "Iran", "Iran’s Foreign Minister"),
        ("Iran", {"member_of", "allied_with"}, "Axis of Resistance", "an alliance among Iran"),
        ("Syria", {"member_of", "allied_with"}, "Axis of Resistance", "Syria"),
    ],
)
def test_seed_relations(seed, subject, relations, obj, evidence_has):
    doc, names, rels = seed
    found = [r for r in rels if names[r["subject"]] == subject and names[r["object"]] == obj]
    assert any(r["relation"] in relations for r in found), (subject, obj, found)
    r = next(r for r in found if r["relation"] in relations)
    s, e = r["evidence"]
    assert evidence_has in doc.text[s:e] and r["text"] == doc.text[s:e]
    assert r["source"] == {"quote": None, "actor": None}  # the outlet's own voice
    assert r["negated"] is False and 0 < r["confidence"] <= 1


def test_seed_place_and_no_employer_from_praise(seed):
    _doc, names, rels = seed
    triples = {(names[r["subject"]], r["relation"], names[r["object"]]) for r in rels}
    assert ("Hamas", "based_in", "Gaza Strip") in triples  # an organisation in a place, not located_in
    assert not any(s == "Hamas" and r == "located_in" for s, r, _o in triples)
    # "Qaani praised the Hamas fighters": Hamas's fighters are what he praised, not his employer
    assert not any(s == "Ismail Qaani" and o == "Hamas" for s, _r, o in triples)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sun Hung Kai Properties, a Hong Kong construction firm, bought the site.",
         ("Sun Hung Kai Properties", "based_in", "Hong Kong")),
        ("Fred Demler works for Drexel Burnham Lambert Inc. in New York.",
         ("Drexel Burnham Lambert Inc.", "based_in", "New York")),
        ("Andrew Hall of Miami confirmed on Tuesday that the case was settled.", ("Andrew Hall", "lives_in", "Miami")),
        ("Protesters gathered outside Belarus's Security Committee on Monday.",
         ("Security Committee", "based_in", "Belarus")),
        ("Bosnia's capital, Sarajevo, is best known as the site of the assassination.",
         ("Sarajevo", "located_in", "Bosnia")),
        ("Martin Luther King III spoke about King assassin James Earl Ray on Monday.",
         ("James Earl Ray", "killed", "King")),
        ("Elizabeth Warren taught at Harvard Law School before she ran for the Senate.",
         ("Elizabeth Warren", "works_for", "Harvard Law School")),
        ("Ulf Merbold, 47, of the European Space Agency will fly on the mission.",
         ("Ulf Merbold", "works_for", "European Space Agency")),
        ("Two days after the military leaders of Haiti met, the Haitian Parliament declared the post vacant.",
         ("Haitian Parliament", "based_in", "Haiti")),
    ],
)  # fmt: skip
def test_place_patterns(nlp, text, expected):
    assert expected[:3] in [r[:3] for r in _relations(nlp, text)]


@pytest.mark.parametrize(
    "text",
    [
        "Ministers from Colombia, Bolivia, Ecuador and Peru met on Friday.",  # a list, not places in places
        "Guy Struve, the New York attorney representing the chain, said he was disappointed.",  # works in, not for
    ],
)
def test_place_patterns_stay_quiet(nlp, text):
    rels = _relations(nlp, text)
    assert not [r for r in rels if r[1] == "located_in"], rels
    assert not [r for r in rels if r[1] in ("works_for", "leads") and r[2] == "New York"], rels


def test_leading_a_league_in_a_statistic_is_no_office(nlp):
    rels = _relations(nlp, "LeBron James said on Friday that he is leading the NBA in assists this season.")
    assert not [r for r in rels if r[1] == "leads"], rels
    office = "Keir Starmer leads the Labour Party, which won the election."
    assert ("Keir Starmer", "leads", "Labour Party", False) in _relations(nlp, office)


def test_a_persons_attorney_is_counsel_not_an_employee(nlp):
    text = (
        "Patrick Carlineo, 55, pleaded guilty on Monday. Sonya Zoghlin, Carlineo's attorney, told reporters that "
        "her client did not intend to cause harm. Sean Spicer, Trump's spokesman, said the meeting went well."
    )
    rels = _relations(nlp, text)
    assert not [r for r in rels if r[0] == "Sonya Zoghlin" and r[1] == "works_for"], rels
    assert ("Sean Spicer", "works_for", "Trump", False) in rels  # a spokesman does work for the person


def test_a_dateline_gives_no_based_in(nlp):
    rels = _relations(nlp, "LOS ANGELES (AP) — LeBron James had 21 points as the Lakers beat the Thunder on Friday.")
    assert not [r for r in rels if r[1] == "based_in"], rels


def test_a_place_relation_needs_a_place(nlp):
    text = (
        "The building in which Hitler was born will be turned into a police station, Austria's interior minister "
        "Wolfgang Peschorn told reporters."
    )
    rels = _relations(nlp, text)
    assert ("Wolfgang Peschorn", "works_for", "Austria", False) in rels, rels
    assert not [r for r in rels if r[1] in ("lives_in", "based_in", "located_in") and r[2] == "Wolfgang Peschorn"], rels


def test_an_audience_or_a_venue_is_no_employer(nlp):
    text = (
        "Later, in remarks at Vietnam's Communist Party headquarters, Esper said the United States opposed the "
        "claims. Esper said in a speech to the Diplomatic Academy of Vietnam that the navy would stay."
    )
    rels = _relations(nlp, text)
    assert not [r for r in rels if r[0] == "Esper" and r[1] == "works_for"], rels


def test_no_relations_in_a_text_that_is_not_english(nlp):
    german = (
        "Die elektronische Patientenakte soll ab Januar für alle Versicherten in Deutschland verfügbar sein. "
        "Der Verband der Krankenhäuser in Berlin kritisiert die Pläne des Ministeriums, und die Kassen in Bayern "
        "fordern mehr Zeit für die Umsetzung, weil die Systeme der Praxen noch nicht bereit sind und die Kosten "
        "für die Anbindung der Kliniken an die Infrastruktur weiter steigen, sagte ein Sprecher am Montag in Köln."
    )
    doc = nlp(german)
    assert relations_to_dicts(doc) == []
    english = nlp(SEED.read_text(encoding="utf-8"))
    assert relations_to_dicts(english)  # the same guard keeps English news


def test_seed_record_entries_follow_the_contract(seed):
    doc, _names, rels = seed
    ids = {a.id for a in doc._.presslens_actors}
    ignored = [i.span for i in doc._.presslens_ignored]
    assert [r["id"] for r in rels] == [f"r{k}" for k in range(1, len(rels) + 1)]
    for r in rels:
        assert set(r) >= {"id", "subject", "relation", "object", "evidence", "source", "negated", "confidence"}
        assert r["relation"] in RELATIONS and r["subject"] in ids and r["object"] in ids
        assert r["subject"] != r["object"]
        assert all(b <= r["evidence"][0] or a >= r["evidence"][1] for a, b in ignored)  # nothing from the teaser


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jens Stoltenberg, the secretary general of NATO, said on Monday that the alliance would not be drawn in.",
            ("Jens Stoltenberg", "leads", "NATO", False),
        ),
        (
            "The Quds Force is the foreign operations branch of the Islamic Revolutionary Guard Corps.",
            ("Quds Force", "part_of", "Islamic Revolutionary Guard Corps", False),
        ),
        (
            "Hamas said on Sunday that the group's military wing, the Izz ad-Din al-Qassam Brigades, fired rockets.",
            ("Izz ad-Din al-Qassam Brigades", "part_of", "Hamas", False),
        ),
        (
            "Russia attacked Ukraine in February 2022, and the European Union sanctioned Russia weeks later.",
            ("Russia", "attacked", "Ukraine", False),
        ),
        (
            "Russia attacked Ukraine in February 2022, and the European Union sanctioned Russia weeks later.",
            ("European Union", "opposes", "Russia", False),
        ),
        (
            "NATO is an alliance of the United States, Canada and 30 European countries.",
            ("Canada", "member_of", "NATO", False),
        ),
        (
            "John Smith, a spokesman for Microsoft, said the company would appeal the ruling.",
            ("John Smith", "works_for", "Microsoft", False),
        ),
        (
            "Lee Harvey Oswald killed John F. Kennedy in Dallas in 1963.",
            ("Lee Harvey Oswald", "killed", "John F. Kennedy", False),
        ),
    ],
)
def test_rules_on_news_sentences(nlp, text, expected):
    assert expected in _relations(nlp, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the pronoun is the person's by coreference
            "Former senator John Warner died on Sunday at his home in Alexandria, his family said.",
            ("John Warner", "lives_in", "Alexandria", False),
        ),
        (
            "After the war, Maria Petrova returned to her hometown of Tver, where she opened a bakery.",
            ("Maria Petrova", "lives_in", "Tver", False),
        ),
        (  # the second name of a coordination
            "Condoleezza Rice taught at Stanford University and the University of Chicago.",
            ("Condoleezza Rice", "works_for", "University of Chicago", False),
        ),
        (
            "The assassination in 1995 of Prime Minister Yitzhak Rabin by Yigal Amir shocked Israel.",
            ("Yigal Amir", "killed", "Yitzhak Rabin", False),
        ),
        (
            "Shinzo Abe was shot dead in Nara by Tetsuya Yamagami in July 2022.",
            ("Tetsuya Yamagami", "killed", "Shinzo Abe", False),
        ),
        (
            "Benjamin Netanyahu's Likud party won 32 seats in the election.",
            ("Benjamin Netanyahu", "works_for", "Likud", False),
        ),
        (
            "John McCain served in the Navy and later in the Senate.",
            ("John McCain", "member_of", "Senate", False),
        ),
    ],
)
def test_homes_coordinations_killings_and_parties(nlp, text, expected):
    assert expected in _relations(nlp, text)


def test_serving_in_a_country_and_a_shooting_that_kills_no_one_give_nothing(nlp):
    rels = _relations(nlp, "John McCain served in Iraq, and Stephen Curry shot 5 of 10 against the Lakers.")
    assert not [r for r in rels if r[1] in ("member_of", "killed")], rels


def test_a_name_ending_with_a_place_word_is_a_place(nlp):
    doc = nlp("Heavy rain flooded Cameron Parish and Harris County on Tuesday, officials said.")
    kinds = {a.name: a.kind for a in doc._.presslens_actors}
    assert kinds.get("Cameron Parish") == "other" and kinds.get("Harris County") == "other", kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hamas is not a member of the Palestine Liberation Organization, a spokesman said.",
            ("Hamas", "member_of", "Palestine Liberation Organization", True),
        ),
        (
            "Sweden has not joined NATO, Prime Minister Ulf Kristersson said.",
            ("Sweden", "member_of", "NATO", True),
        ),
        (
            "The Wagner Group is not part of the Russian Defence Ministry, the Kremlin said.",
            ("Wagner Group", "part_of", "Russian Defence Ministry", True),
        ),
        (
            "Hezbollah is not part of the Lebanese Armed Forces, officials said.",
            ("Hezbollah", "part_of", "Lebanese Armed Forces", True),
        ),
    ],
)
def test_negation(nlp, text, expected):
    rels = _relations(nlp, text)
    assert expected in rels
    # nothing else asserts a relation between the two
    assert not [r for r in rels if {r[0], r[2]} == {expected[0], expected[2]} and not r[3]]


def test_a_relation_inside_a_quote_has_the_quote_as_source(nlp):
    doc = nlp("“The Quds Force is a branch of the IRGC,” said Antony Blinken, the U.S. secretary of state.")
    names = {a.id: a.name for a in doc._.presslens_actors}
    rels = relations_to_dicts(doc)
    r = next(r for r in rels if r["relation"] == "part_of")
    assert names[r["subject"]] == "Quds Force" and names[r["object"]] == "IRGC"
    assert r["source"]["quote"] == "q1"
    assert names[r["source"]["actor"]] == "Antony Blinken"
    outlet = next(r for r in rels if names[r["subject"]] == "Antony Blinken" and names[r["object"]] == "U.S.")
    assert outlet["source"] == {"quote": None, "actor": None}


def test_learned_places_become_actors(nlp):
    doc = nlp("The Sahara desert lies in northern Africa, and Africa is larger than Europe.")
    actors = doc._.presslens_actors
    rels = relations_to_dicts(doc)
    by_id = {a.id: a for a in actors}
    r = next(r for r in rels if r["relation"] == "located_in")
    assert (by_id[r["subject"]].name, by_id[r["object"]].name) == ("Sahara", "Africa")
    assert [a.id for a in actors] == [f"a{k}" for k in range(1, len(actors) + 1)]
    africa = by_id[r["object"]]
    assert [doc.text[s:e] for s, e in africa.mentions] == ["Africa", "Africa"]


# real news pages (shared/data/extraction-benchmark): the classifier related these words, which no actor covered,
# and each became a junk actor ("Pankaj Pandey works_for Research", "SIOUX FALLS located_in S.D.")
@pytest.mark.parametrize(
    ("text", "junk"),
    [
        ("Pankaj Pandey, Head of Research at ICICI Securities, pointed out that this is a stock-specific market. "
         "Midcaps and smallcaps are underperforming the benchmark.", {"Research"}),
        ("“The authorities must end this brutal and deadly crackdown immediately and show respect for human life,” "
         "said Philip Luther, Research and Advocacy Director for the Middle East and North Africa at Amnesty "
         "International.", {"Research", "Director"}),
        ("Steve Menet, Senior Vice President of Sales for Dräger, Inc., says: “Effective clinical alarm management "
         "continues to be a high focus for health systems and hospitals.”", {"Sales"}),
        ("SIOUX FALLS, S.D. – People across the nation are talking about it: South Dakota is on meth.", {"S.D."}),
        ("Australian Prime Minister Scott Morrison said in a statement, “We are profoundly pleased and relieved” at "
         "the hostages’ release.", {"Australian"}),
        ("President of the Senate, Bukola Saraki, Senator Dino Melaye and Senator Ben Murray-Bruce have dragged the "
         "Inspector-General of Police, Ibrahim Idris, to court.", {"President"}),
    ],
)  # fmt: skip
def test_new_actors_are_names(nlp, text, junk):
    doc = nlp(text)
    names = {a.name for a in doc._.presslens_actors}
    assert not names & junk, names
    ids = {a.id for a in doc._.presslens_actors}
    assert all(r["subject"] in ids and r["object"] in ids for r in relations_to_dicts(doc))


def test_a_title_word_used_as_a_surname_still_becomes_an_actor(nlp):
    text = "James Earl Ray, 60, is serving 99 years in prison for first-degree murder of King in Memphis in 1968."
    assert ("James Earl Ray", "killed", "King") in [r[:3] for r in _relations(nlp, text)]


def test_model_saves_and_loads_the_same(tmp_path):
    model = RelationModel.load()
    model.save(tmp_path)
    again = RelationModel.load(tmp_path)
    feats = [["bias", "tt=PERSON|ORG", "bw=spokesman", "pt=Peop|Org"], ["bias", "tt=GPE|GPE", "bw=,"]]
    assert np.allclose(model.proba(feats), again.proba(feats), atol=1e-6)
    assert again.threshold == model.threshold and again.types is not None
    meta = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert meta["classes"][0] == "none"


@pytest.mark.skipif(not (CONLL04 / "dev.json").is_file(), reason="CoNLL04 is not here")
def test_training_on_a_few_sentences_learns_something(tmp_path):
    from presslens.relations.train import examples, fit, label_types, parse_split, sentence_slots

    parsed = parse_split(CONLL04 / "train.json", load_nlp())[:120]
    rows = sentence_slots(parsed, "all")
    types = label_types(rows)
    feats, labels = examples(rows)
    model = fit(feats, labels, 1.0, names="all", types=types)
    pred = model.proba(feats).argmax(1)
    positives = [k for k, y in enumerate(labels) if y]
    assert positives and sum(pred[k] == labels[k] for k in positives) / len(positives) > 0.6


@pytest.mark.skipif(
    not ((CONLL04 / "dev.json").is_file() and (SHARED / "eval" / "score_relations.py").is_file()),
    reason="CoNLL04 dev or the reference scorer is not here",
)
def test_conll04_dev_end_to_end(tmp_path):
    both = evaluate(CONLL04, "dev", workdir=tmp_path)
    assert both["micro"]["f1"] >= 0.62, both
    assert both["Kill"]["f1"] >= 0.6 and both["Work_For"]["f1"] >= 0.5, both


def test_the_contract_and_the_stage_name_the_same_relations():
    from presslens.record.schema import RELATIONS as CONTRACT
    from presslens.relations.base import RELATIONS as STAGE

    assert CONTRACT == STAGE


def test_a_peoples_adjective_is_no_actor_based_in_its_country():
    # a line of a theatre blog of the hand check and an opinion column: "Korean based_in Korea" and "Russian
    # based_in Russia" were relations, with "Korean" and "Russian" as actors
    from presslens import analyze

    rec = analyze(
        "Danced along to the cheerful beat, this is a creative Korean dance where you can feel the beauty of Korea "
        "and Korean tunes.\n\nThe agenda: upping sanctions, killing hired Russian thugs in Syria, pulling out of the "
        "missile agreement with Russia."
    )
    names = {a["id"]: a["name"] for a in rec["actors"]}
    assert "Korean" not in names.values() and "Russian" not in names.values(), sorted(names.values())
    pairs = {(names[r["subject"]], names[r["object"]]) for r in rec["relations"]}
    assert ("Korean", "Korea") not in pairs and ("Russian", "Russia") not in pairs, pairs
