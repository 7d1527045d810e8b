"""Persuasion techniques: the shipped model, voices, the labels format, the commands, and the scores agreeing
with the reference scorer (shared/eval/score_ptc.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES, SHARED, mpnet_available, span_text
from presslens.cli.app import app
from presslens.techniques import DESCRIPTIONS, TECHNIQUES
from presslens.techniques.detector import Technique, detect, voice_of
from presslens.techniques.evaluate import group, overlap_prf, tc
from presslens.techniques.labels import Label, article_id, read_labels, write_labels
from presslens.techniques.model import TechniqueModel

TECH_FIXTURES = FIXTURES / "techniques"
REFERENCE = SHARED / "eval" / "score_ptc.py"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="shared/eval/score_ptc.py not present")
runner = CliRunner()


def _inside(span: list[int], pieces: list[list[int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in pieces)


# ----- the model and its descriptions ---------------------------------------------------------------------
def test_model_loads_from_package():
    model = TechniqueModel.load()
    assert sorted(model.techniques) == sorted(TECHNIQUES)
    assert len(TECHNIQUES) == 14
    assert model.meta["cv"]["folds"] == 5
    assert 0 < model.threshold < 1


def test_every_technique_has_a_one_line_description():
    ptc_names = {"Loaded_Language", "Name_Calling,Labeling", "Repetition", "Exaggeration,Minimisation", "Doubt",
                 "Appeal_to_fear-prejudice", "Flag-Waving", "Causal_Oversimplification", "Slogans",
                 "Appeal_to_Authority", "Black-and-White_Fallacy", "Thought-terminating_Cliches",
                 "Whataboutism,Straw_Men,Red_Herring", "Bandwagon,Reductio_ad_hitlerum"}  # fmt: skip
    assert set(DESCRIPTIONS) == ptc_names
    for name, desc in DESCRIPTIONS.items():
        assert desc and "\n" not in desc and len(desc) < 140, name


# ----- voices ---------------------------------------------------------------------------------------------
def test_voice_joins_spans_to_the_quote_holding_them():
    contents = [[(10, 30)], [(50, 60), (70, 90)]]
    assert voice_of((12, 20), contents) == 0
    assert voice_of((10, 30), contents) == 0
    assert voice_of((75, 80), contents) == 1  # the second piece of an interrupted quote
    assert voice_of((0, 5), contents) is None  # the outlet
    assert voice_of((62, 68), contents) is None  # between the pieces: the outlet's "he said"
    assert voice_of((25, 45), contents) is None  # a quarter inside: the outlet's
    assert voice_of((55, 65), contents) == 1  # half inside
    assert voice_of((5, 5), []) is None


_SCARE_QUOTED = (
    "WASHINGTON (Reuters) - The Senate committee voted on Tuesday to extend its inquiry into the attack. Republicans "
    "have pressed the State Department for documents for two years, and the investigation, often labeled a “witch "
    "hunt” by Democrats, is expected to run into the autumn. The committee chairman said the panel would publish its "
    "findings before the election. The chairman's reckless, shameful crusade has become a national disgrace."
)


def test_words_in_quotation_marks_that_no_quote_holds_are_not_shown_as_the_outlets():
    """"labeled a “witch hunt” by Democrats": the label is the Democrats' words, not the outlet's, and no quote of
    the record holds it, so its voice is unknown. Even with every threshold at zero, the default keep drops such a
    span and keeps the outlet's words outside quotation marks (the judged sample: 15 of the 16 spans this drops had
    the outlet's voice wrongly, docs/techniques-model-card.md)."""
    from dataclasses import replace

    from presslens.record.pipeline import default_nlp
    from presslens.techniques.detector import in_quotation_marks, load_model

    model = load_model()
    if model.calibration is None:
        pytest.skip("this checkout's model is not calibrated")
    doc = default_nlp()(_SCARE_QUOTED)
    marks = [p for q in doc._.presslens_quoted for p in q.pieces]
    assert marks == [(_SCARE_QUOTED.index("“"), _SCARE_QUOTED.index("”") + 1)]
    every = detect(doc, model, keep="all")
    scare = [t for t in every if "witch" in _SCARE_QUOTED[t.span[0] : t.span[1]]]
    assert scare and all(t.quote is None and in_quotation_marks(t.span, marks) for t in scare)
    open_cal = replace(model.calibration, thresholds=dict.fromkeys(TECHNIQUES, 0.0), evidence_min=0.0,
                       probability_min=0.0)  # fmt: skip
    shown = detect(doc, replace(model, calibration=open_cal))
    assert shown and not any("witch" in _SCARE_QUOTED[t.span[0] : t.span[1]] for t in shown)
    assert all(not in_quotation_marks(t.span, marks) for t in shown if t.quote is None)
    assert not in_quotation_marks((0, 10), marks) and in_quotation_marks(scare[0].span, marks)


def test_a_longer_span_never_brings_back_words_in_quotation_marks_as_the_outlets(monkeypatch):
    """One label per passage is chosen before the labels in quotation marks are left out: otherwise a longer,
    less probable span over the same words ("slammed the hearings as a “disgrace” and a “witch hunt”") would be
    shown in the outlet's voice in their place. With no quote found (``voice_of`` says the outlet's for every
    span) and every threshold at zero, nothing shown overlaps the quotation marks."""
    from dataclasses import replace

    import presslens.techniques.detector as detector
    from presslens.record.pipeline import default_nlp

    model = detector.load_model()
    if model.calibration is None:
        pytest.skip("this checkout's model is not calibrated")
    text = (
        "WASHINGTON (Reuters) - The Senate committee voted on Tuesday to extend its inquiry. Republicans have "
        "pressed the State Department for documents for two years. Trump slammed the hearings as a “disgrace” and "
        "a “witch hunt” on Tuesday, and the committee chairman's reckless, shameful crusade has become a national "
        "disgrace. The panel would publish its findings before the election."
    )
    doc = default_nlp()(text)
    marks = [p for q in doc._.presslens_quoted for p in q.pieces]
    monkeypatch.setattr(detector, "voice_of", lambda span, contents: None)
    every = detect(doc, model, keep="all")
    longer = [t for t in every if "slammed" in text[t.span[0] : t.span[1]]]
    inside = [t for t in every if detector.in_quotation_marks(t.span, marks)]
    assert longer and inside  # the case: a longer span over words in marks, both found
    assert any(t.technique == longer[0].technique and t.score > longer[0].score for t in inside)
    open_cal = replace(model.calibration, thresholds=dict.fromkeys(TECHNIQUES, 0.0), evidence_min=0.0,
                       probability_min=0.0)  # fmt: skip
    shown = detect(doc, replace(model, calibration=open_cal))
    assert shown  # the outlet's own "reckless, shameful crusade"
    assert not any(s < e2 and s2 < e for s, e in (t.span for t in shown) for s2, e2 in marks)


def test_voice_in_the_record_names_quote_and_speaker():
    quotes = [SimpleNamespace(actor=None), SimpleNamespace(actor=SimpleNamespace(id="a3"))]
    item = Technique("Loaded_Language", (3, 9), 0.5, quote=1).to_dict(quotes)
    assert item["voice"] == {"quote": "q2", "actor": "a3"}
    assert item["description"] == DESCRIPTIONS["Loaded_Language"]
    assert Technique("Doubt", (3, 9), 0.5, quote=0).to_dict(quotes)["voice"] == {"quote": "q1", "actor": None}
    assert Technique("Doubt", (3, 9), 0.5).to_dict(quotes)["voice"] == {"quote": None, "actor": None}


@pytest.fixture(scope="module")
def seed_all(seed_text):
    """The seed record with every technique span found kept (``keep="all"``, what ``--techniques all`` gives)."""
    from presslens import analyze
    from presslens.record.pipeline import default_nlp

    pipe = default_nlp().get_pipe("presslens_techniques")
    before = pipe.keep
    pipe.keep = "all"
    try:
        return analyze(seed_text, source="seed.txt")
    finally:
        pipe.keep = before


def test_seed_techniques_in_qaanis_quotes_carry_his_voice(seed_all):
    rec = seed_all
    qaani = next(a["id"] for a in rec["actors"] if a["name"] == "Ismail Qaani")
    his_quotes = {q["id"]: q for q in rec["quotes"] if q["speaker"]["actor"] == qaani}
    assert his_quotes
    his = [t for t in rec["techniques"] if t["voice"]["quote"] in his_quotes]
    assert his, "no technique found inside Qaani's quotes"
    for t in his:
        assert t["voice"]["actor"] == qaani
    texts = [span_text(rec, t["span"]) for t in his]
    # what the model finds in his words: "its dirty goals", "weaker than a spider's web"
    assert any("dirty goals" in x for x in texts), texts
    assert any("spider" in x for x in texts), texts


def test_seed_voices_follow_quote_contents(seed_all):
    rec = seed_all
    quotes = {q["id"]: q for q in rec["quotes"]}
    assert rec["techniques"]
    outlet = 0
    for t in rec["techniques"]:
        assert t["technique"] in TECHNIQUES
        assert t["description"] == DESCRIPTIONS[t["technique"]]
        assert 0 <= t["score"] <= 1
        holding = [q for q in rec["quotes"] if _inside(t["span"], q["content"])]
        touching = [q for q in rec["quotes"] if any(s < t["span"][1] and t["span"][0] < e for s, e in q["content"])]
        if not touching:  # the outlet's own sentences
            assert t["voice"] == {"quote": None, "actor": None}, span_text(rec, t["span"])
            outlet += 1
        elif holding:
            q = holding[0]
            assert t["voice"] == {"quote": q["id"], "actor": q["speaker"]["actor"]}
        if t["voice"]["quote"] is not None:
            assert t["voice"]["actor"] == quotes[t["voice"]["quote"]]["speaker"]["actor"]
    assert outlet >= 1


def test_table_shows_possible_techniques_readable_labels_descriptions_and_voices(seed_all):
    from rich.console import Console

    from presslens.record.render import record_view
    from presslens.techniques.names import LABELS

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(record_view(seed_all))
    out = console.export_text()
    assert "Possible persuasion techniques" in out and "Possible techniques by voice" in out
    assert "not a verdict" in out
    from presslens.techniques.calibrate import REAL_PAGES

    # the caption's hand-check figures are the ones the help page gives
    assert f"{REAL_PAGES['plausible']} of {REAL_PAGES['checked']} labels shown" in " ".join(out.split())
    assert DESCRIPTIONS["Loaded_Language"] in out
    assert "outlet" in out and "Ismail Qaani" in out
    # the table shows what clears the display bar; the rest of the record (every span, here) is only counted
    shown = [t for t in seed_all["techniques"] if t["shown"]]
    hidden = len(seed_all["techniques"]) - len(shown)
    assert shown and hidden > len(shown)
    assert f"{hidden} more possible techniques kept in the record under the display bar" in " ".join(out.split())
    for t in shown:
        assert span_text(seed_all, t["span"])[:20] in out
    for name in {t["technique"] for t in shown}:  # readable names, never the PTC label names
        assert f"possible {LABELS[name][:1].lower()}{LABELS[name][1:]}" in out
    for name in {t["technique"] for t in seed_all["techniques"]}:
        if "," in name or "_" in name:
            assert name not in out


# ----- the labels format ----------------------------------------------------------------------------------
def test_labels_writer_format(tmp_path):
    path = tmp_path / "out.labels"
    labels = [Label("123", "Loaded_Language", 5, 10), Label("123", "Name_Calling,Labeling", 0, 4)]
    assert write_labels(path, labels) == 2
    assert path.read_text(encoding="utf-8") == "123\tLoaded_Language\t5\t10\n123\tName_Calling,Labeling\t0\t4\n"
    assert read_labels(path) == labels
    assert article_id("dir/article111111112.txt") == "111111112"
    assert article_id("notes.txt") == "notes"


def test_techniques_command_writes_labels_and_labels_given_spans(tmp_path):
    out = tmp_path / "found.labels"
    res = runner.invoke(app, ["techniques", str(TECH_FIXTURES / "article9001.txt"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    for line in out.read_text(encoding="utf-8").splitlines():
        aid, tech, s, e = line.split("\t")
        assert aid == "9001" and tech in TECHNIQUES and int(s) < int(e)

    gold = TECH_FIXTURES / "gold.labels"
    out = tmp_path / "tc.labels"
    res = runner.invoke(app, ["techniques", str(TECH_FIXTURES), "-o", str(out), "--spans", str(gold)])
    assert res.exit_code == 0, res.output
    got = read_labels(out)
    want = read_labels(gold)
    assert [(g.article, g.start, g.end) for g in got] == [(w.article, w.start, w.end) for w in want]
    assert all(g.technique in TECHNIQUES for g in got)
    twice = [g.technique for g in got if (g.article, g.start, g.end) == ("9002", 312, 329)]
    assert len(twice) == 2 and twice[0] != twice[1]  # a span given twice gets two different techniques


# ----- scores agree with the reference scorer -------------------------------------------------------------
def _reference():
    spec = importlib.util.spec_from_file_location("score_ptc", REFERENCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@needs_reference
def test_scoring_functions_agree_with_reference_on_hand_made_predictions(tmp_path):
    ref = _reference()
    gold = read_labels(TECH_FIXTURES / "gold.labels")
    pred = [
        Label("9001", "Loaded_Language", 17, 27),  # exact
        Label("9001", "Loaded_Language", 100, 150),  # overlaps two gold spans
        Label("9001", "Doubt", 140, 160),  # overlaps the previous prediction (merged for SI)
        Label("9002", "Slogans", 120, 131),
        Label("9002", "Loaded_Language", 312, 329),
        Label("9002", "Repetition", 312, 329),
        Label("9003", "Doubt", 0, 5),  # an article with no gold
    ]
    write_labels(tmp_path / "pred.labels", pred)
    g, p = ref.read_labels(str(TECH_FIXTURES / "gold.labels")), ref.read_labels(str(tmp_path / "pred.labels"))
    assert overlap_prf(group(gold), group(pred)) == ref.overlap_prf(g, p)
    assert overlap_prf(group(gold), group(pred), same_label=True) == ref.overlap_prf(g, p, same_label=True)
    tc_pred = [Label(x.article, "Loaded_Language", x.start, x.end) for x in gold]
    write_labels(tmp_path / "tc.labels", tc_pred)
    assert tc(group(gold), group(tc_pred)) == ref.tc(g, ref.read_labels(str(tmp_path / "tc.labels")))


@needs_reference
def test_eval_command_agrees_with_reference_scorer(tmp_path):
    gold = TECH_FIXTURES / "gold.labels"
    res = runner.invoke(
        app,
        [
            "eval",
            "techniques",
            "--gold-labels",
            str(gold),
            "--articles",
            str(TECH_FIXTURES),
            "--save-pred",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    ours = json.loads(res.stdout.strip().splitlines()[-1])
    assert "SI" in res.output and "TC" in res.output and "FLC" in res.output
    for task, pred in (("si", "flc.labels"), ("flc", "flc.labels"), ("tc", "tc.labels")):
        proc = subprocess.run(
            [sys.executable, str(REFERENCE), task, "--gold-labels", str(gold), "--pred", str(tmp_path / pred)],
            capture_output=True,
            text=True,
            check=True,
        )
        theirs = json.loads(proc.stdout.strip().splitlines()[-1])
        theirs.pop("task")
        assert ours[task] == theirs, task


# ----- training -------------------------------------------------------------------------------------------
def test_train_command_builds_a_model_that_loads(tmp_path):
    out = tmp_path / "model"
    res = runner.invoke(
        app,
        ["train", "techniques", "--data", str(TECH_FIXTURES), "--labels", str(TECH_FIXTURES / "gold.labels"),
         "--folds", "2", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    cv = json.loads(res.stdout.strip().splitlines()[-1])
    assert set(cv) >= {"si", "tc", "flc"}
    model = TechniqueModel.load(out)
    assert "Loaded_Language" in model.techniques
    # with PyTorch (CI installs it) the BiLSTM-CRF span tagger is trained and shipped beside the linear models
    from presslens.techniques.train import torch_available

    if torch_available() or os.environ.get("PRESSLENS_REQUIRE_TORCH"):
        assert (out / "span_tagger.npz").is_file() and model.span_tagger is not None
        assert model.span_tagger.tags == ("O", "B-span", "I-span")
        assert 0.0 < model.tagger_threshold < 1.0
    # the model holds weights only: no text of the articles in its description
    meta = (out / "model.json").read_text(encoding="utf-8")
    assert "reckless" not in meta and "disastrous" not in meta
    res = runner.invoke(app, ["techniques", str(TECH_FIXTURES), "-o", str(tmp_path / "x.labels"), "--model", str(out)])
    assert res.exit_code == 0, res.output


def test_calibrating_without_refit_keeps_the_model_and_reuses_the_folds(tmp_path):
    """`--no-refit` writes only calibration.json beside the model already there; `--oof-cache` keeps the fold
    models so a second run chooses the same settings without training; `--jobs 2` trains folds in processes."""
    from presslens.techniques.calibrate import load_calibrations

    out = tmp_path / "model"
    base = ["train", "techniques", "--data", str(TECH_FIXTURES), "--labels", str(TECH_FIXTURES / "gold.labels"),
            "--folds", "2", "--out", str(out)]  # fmt: skip
    assert runner.invoke(app, [*base, "--no-cv"]).exit_code == 0
    weights = {p.name: p.read_bytes() for p in out.iterdir()}
    cache = tmp_path / "oof.pkl"
    runs = [runner.invoke(app, [*base, "--no-refit", "--jobs", "2", "--oof-cache", str(cache)]) for _ in range(2)]
    assert all(r.exit_code == 0 for r in runs), runs[0].output
    assert cache.is_file() and "folds read from" in runs[1].stderr
    assert runs[0].stdout.strip().splitlines()[-1] == runs[1].stdout.strip().splitlines()[-1]
    written = ("calibration.json", "evidence.json")  # the calibration and its word evidence table
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name not in written} == weights
    assert "default" in load_calibrations(out / "calibration.json") and (out / "evidence.json").is_file()
    if TechniqueModel.load(out).span_tagger is not None:
        # the calibration is fitted on spans decoded as the model in OUT decodes them, not at the grid's choice
        meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
        fixed = f"weight {meta['tagger_weight']}, threshold {meta['tagger_threshold']}"
        assert f"span settings fixed at the model's: {fixed}" in runs[0].stderr
    other = tmp_path / "other.labels"
    other.write_text("\n".join((TECH_FIXTURES / "gold.labels").read_text().splitlines()[1:]) + "\n")
    res = runner.invoke(app, [*base[:4], "--labels", str(other), *base[6:], "--no-refit", "--oof-cache", str(cache)])
    assert res.exit_code != 0  # a cache of other folds is refused, never silently reused


def test_linear_tagger_sums_match_the_feature_rows_to_the_last_bit(seed_text):
    """The column-wise sums of the linear tagger's weights equal adding each token's feature strings one by one
    (own features, then its sentence's words), on real text and on texts too short for the templates' windows."""
    from presslens.record.pipeline import default_nlp
    from presslens.techniques.features import DocView, _own_features, token_weight_sums
    from presslens.techniques.model import feature_index, feature_indices

    model = TechniqueModel.load()
    texts = [seed_text, (TECH_FIXTURES / "article9002.txt").read_text(encoding="utf-8"), "War.", "", "\n\nA b"]
    for doc in default_nlp().pipe(texts):
        v = DocView(doc)
        model._si_weights.clear()

        def added(features: list[str]) -> float:
            s = 0.0
            for f in features:
                s += float(model.si_coef[feature_index(f, len(model.si_coef))])
            return s

        bag = [added(words) for words in v.sent_bag]
        expected = [added(own) + bag[v.sent_of[i]] for i, own in enumerate(_own_features(v))]
        got = token_weight_sums(v, model.si_weights_of)
        assert got.tolist() == expected
        assert token_weight_sums(v, model.si_weights_of).tolist() == expected  # from the cache, the same
    names = ["w=the", "b", "S=war", "w=the", "p-2p-1=<s>|PROPN"]
    assert feature_indices(names, 2**18).tolist() == [feature_index(f, 2**18) for f in names]


def test_word_evidence_is_the_smoothed_share_of_a_words_uses_inside_spans(tmp_path):
    from presslens.techniques.evidence import PRIOR, Evidence, build, count

    # two articles: "ludicrous" always inside a span, "report" never, "war" once in three
    a1 = ([(0, 9, "ludicrous", "ADJ"), (10, 16, "report", "NOUN"), (17, 20, "war", "NOUN"), (21, 24, "the", "DET")],
          [(0, 9)])
    a2 = ([(0, 9, "ludicrous", "ADJ"), (10, 13, "war", "NOUN"), (14, 20, "report", "NOUN"), (21, 24, "war", "NOUN")],
          [(0, 13)])  # fmt: skip
    inside, total = count([a1, a2])
    assert inside == {"ludicrous": 2, "war": 1} and total == {"ludicrous": 2, "report": 2, "war": 3}  # no DET
    ev = build(inside, total, minimum=0.4)
    assert ev.base == pytest.approx(3 / 7, abs=1e-4)
    assert ev.shares["ludicrous"] == pytest.approx((2 + PRIOR * 3 / 7) / (2 + PRIOR), abs=1e-4)
    assert "report" not in ev.shares or ev.shares["report"] < ev.base  # never inside: at most the floor
    assert ev.of(["report", "ludicrous"]) == ev.shares["ludicrous"]
    assert ev.of(["unseen"]) == ev.base and ev.of([]) == 0.0
    ev.save(tmp_path / "e.json")
    back = Evidence.load(tmp_path / "e.json")
    assert back is not None and back.shares == ev.shares and back.minimum == 0.4
    assert Evidence.load(tmp_path / "missing.json") is None


def test_default_keep_needs_word_evidence(seed_text):
    """The shipped model reads its evidence table; a span kept by default has evidence at least the minimum,
    and a span without it (here: the shipped spans with their evidence set to nothing) is dropped."""
    from presslens.record.pipeline import default_nlp
    from presslens.techniques.detector import load_model, span_evidence
    from presslens.techniques.features import DocView

    model = load_model()
    if model.calibration is None or model.evidence is None:
        pytest.skip("this checkout's model is not calibrated")
    assert model.calibration.evidence_min > model.evidence.base
    doc = default_nlp()(seed_text)
    v = DocView(doc)
    kept = detect(doc, model)
    assert kept and all(span_evidence(v, model, *t.span) >= model.calibration.evidence_min for t in kept)
    from dataclasses import replace

    from presslens.techniques.evidence import Evidence

    no_words = replace(model, evidence=Evidence({}, model.evidence.base, model.evidence.minimum))
    assert detect(doc, no_words) == []
    assert len(detect(doc, no_words, keep="all")) == len(detect(doc, model, keep="all"))


def test_word_facts_of_real_spans():
    """Lone words, negation and nation words, read from a parse of real sentences; and what the evidence test
    compares in each scope."""
    from presslens.record.pipeline import default_nlp
    from presslens.techniques.evidence import Evidence, WordFacts, effective_evidence, word_facts
    from presslens.techniques.features import DocView

    text = (
        "Growing food in space is not so crazy, she said. Trump vowed to save our Country from certain "
        "destruction and spoke of our history. Critics called it a ludicrous and nefarious scheme."
    )
    v = DocView(default_nlp()(text))
    table = Evidence({"ludicrous": 0.9, "nefarious": 0.8}, 0.14)

    def facts(words: str) -> WordFacts:
        s = text.index(words)
        return word_facts(v, s, s + len(words), table)

    crazy, country, history = facts("crazy"), facts("our Country from certain destruction"), facts("our history")
    scheme = facts("a ludicrous and nefarious scheme")
    assert crazy.lone and crazy.negated and crazy.evidence == 0.14
    assert not country.lone and not country.negated and country.nation
    assert history.lone and not history.nation
    assert scheme.evidence == 0.9 and not scheme.lone and not scheme.negated
    assert word_facts(v, 0, 4, None).evidence == 1.0  # no table: nothing known against the words
    # scope "every": the span's own evidence, whatever the technique
    assert effective_evidence(country, "Flag-Waving") == country.evidence
    # scope "targeted": negated and nation-less flag-waving fail; lone words and labels keep their evidence;
    # any other span is not tested
    assert effective_evidence(crazy, "Loaded_Language", "targeted") == 0.0
    assert effective_evidence(history, "Flag-Waving", "targeted") == 0.0
    assert effective_evidence(country, "Flag-Waving", "targeted") == 1.0
    assert effective_evidence(history, "Loaded_Language", "targeted") == history.evidence  # a lone word
    assert effective_evidence(scheme, "Name_Calling,Labeling", "targeted") == 0.9
    assert effective_evidence(scheme, "Loaded_Language", "targeted") == 1.0
    with pytest.raises(ValueError, match="evidence scope"):
        effective_evidence(scheme, "Loaded_Language", "some")


REVIEW = (
    "The new laptop is a hell of a machine. Its keyboard is stunning, the speakers are so good they sound insane, "
    "and the battery is an absolute beast that lasts all day. If you're hell-bent on keeping old cables, buy an "
    "adapter. Reviewers called the screen a masterpiece, and the trackpad is the best we have ever used."
)


def test_no_default_labels_outside_public_affairs(seed_text):
    """A product review is outside the model's domain: the default keeps no span there, "all" still finds them;
    the seed (a war report) is inside it and keeps its spans."""
    from presslens.record.pipeline import default_nlp
    from presslens.techniques.domain import PUBLIC_AFFAIRS_MIN, in_domain, public_affairs_share

    nlp = default_nlp()
    review = nlp(REVIEW)
    assert public_affairs_share(REVIEW) < PUBLIC_AFFAIRS_MIN and not in_domain(REVIEW)
    assert detect(review, keep="all"), "the review's charged words are found"
    assert detect(review) == []
    assert in_domain(seed_text) and detect(nlp(seed_text))


def test_one_public_affairs_word_said_twice_is_not_public_affairs():
    """A short celebrity caption reaches the public-affairs share on "media" alone (a page of the benchmark did,
    and its praise was shown as loaded language): it needs two different such words."""
    from presslens.techniques.domain import PUBLIC_AFFAIRS_MIN, in_domain, public_affairs_share, public_affairs_words

    caption = (
        "Pictures of the singer looking absolutely stunning at her birthday dinner are all over social media. "
        "The star, a favourite of the media, shared more stunning photos of herself on Instagram."
    )
    assert public_affairs_share(caption) >= PUBLIC_AFFAIRS_MIN and public_affairs_words(caption) == {"media"}
    assert not in_domain(caption)
    assert in_domain(caption + " The senator was not amused.")


@given(st.text(max_size=300))
def test_public_affairs_share_is_a_share(text):
    from presslens.techniques.domain import public_affairs_share

    share = public_affairs_share(text)
    assert 0.0 <= share <= 1.0
    assert public_affairs_share(text + " government") >= share or share == 1.0


def test_fixture_offsets_are_right():
    text = (TECH_FIXTURES / "article9002.txt").read_text(encoding="utf-8")
    assert text[312:329] == "wiped off the map"
    assert Path(TECH_FIXTURES / "gold.labels").exists()


def test_accurate_mode_trains_beside_the_default_model_and_runs(tmp_path):
    """`train techniques --accurate` adds the span tagger over MPNet states to a model directory and keeps the
    rest; `techniques --accurate` and `detect(..., accurate=True)` use it (needs PyTorch and the encoder
    packages)."""
    import presslens.tagger.minilm as minilm
    import presslens.tagger.mpnet as mpnet
    from presslens.techniques.train import torch_available

    if not os.environ.get("PRESSLENS_REQUIRE_TORCH") and not torch_available():
        pytest.skip("PyTorch is not installed")
    if not os.environ.get("PRESSLENS_REQUIRE_ENCODER"):
        pytest.importorskip(minilm.PACKAGE)
    if not mpnet_available():
        pytest.skip("the MPNet encoder packages are not installed")
    out = tmp_path / "model"
    base = ["train", "techniques", "--data", str(TECH_FIXTURES), "--labels", str(TECH_FIXTURES / "gold.labels"),
            "--folds", "2", "--out", str(out)]  # fmt: skip
    assert runner.invoke(app, [*base, "--no-cv", "--no-span-tagger"]).exit_code == 0
    with pytest.raises(ValueError, match="no accurate span tagger"):
        TechniqueModel.load(out).accurate()
    res = runner.invoke(
        app, ["techniques", str(TECH_FIXTURES), "-o", str(tmp_path / "n.labels"), "--model", str(out), "--accurate"]
    )
    assert res.exit_code == 2 and "no accurate span tagger" in res.output
    linear = (out / "model.npz").read_bytes()
    res = runner.invoke(app, [*base, "--accurate"])
    assert res.exit_code == 0, res.output
    cv = json.loads(res.stdout.strip().splitlines()[-1])
    assert set(cv) >= {"si", "tc", "flc"}
    assert (out / "model.npz").read_bytes() == linear  # the linear models are kept as they were
    model = TechniqueModel.load(out)
    assert model.span_tagger is None and model.accurate_tagger is not None
    assert model.accurate_tagger.meta["dense"] == ["spacy", "mpnet"]
    assert (out / "span_tagger_accurate.npz").is_file()
    assert model.accurate_tagger.dense_width == 96 + mpnet.WIDTH
    assert json.loads((out / "model.json").read_text(encoding="utf-8"))["accurate"]["cv"]["folds"] == 2
    res = runner.invoke(
        app, ["techniques", str(TECH_FIXTURES), "-o", str(tmp_path / "a.labels"), "--model", str(out), "--accurate"]
    )
    assert res.exit_code == 0, res.output
    # recalibrating without a refit keeps the accurate tagger's settings, whatever the grid would choose now
    settings = ("accurate_threshold", "accurate_weight", "accurate_min_mean")
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    meta.update(accurate_threshold=0.3, accurate_weight=0.7)  # off the grid's choice on this data
    (out / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    res = runner.invoke(app, [*base, "--accurate", "--no-refit"])
    assert res.exit_code == 0, res.output
    assert "span settings fixed at the model's: weight 0.7, threshold 0.3" in res.stderr
    after = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert [after[k] for k in settings] == [meta[k] for k in settings]
    # the accurate model refuses inputs without the encoder states rather than tagging garbage
    from presslens.attribution.features import featurize
    from presslens.record.pipeline import default_nlp

    doc = default_nlp()((TECH_FIXTURES / "article9002.txt").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="dense inputs"):
        model.accurate_tagger.proba(featurize(doc, doc._.presslens_quoted or [], {}))
    found = detect(doc, model, accurate=True)
    assert all(0 <= t.span[0] < t.span[1] <= len(doc.text) for t in found)


def test_seed_accurate_mode_keeps_the_voices(seed_text):
    """The shipped accurate tagger on the seed article: what lies in Qaani's quotes is in his voice, the
    outlet's own sentences in the outlet's."""
    import presslens.tagger.minilm as minilm

    if not os.environ.get("PRESSLENS_REQUIRE_ENCODER"):
        pytest.importorskip(minilm.PACKAGE)
    from presslens.inputs import Document
    from presslens.record.pipeline import analyze_many, load_nlp

    (rec,) = analyze_many([Document(text=seed_text)], nlp=load_nlp(accurate=True, technique_keep="all"))
    qaani = next(a["id"] for a in rec["actors"] if a["name"] == "Ismail Qaani")
    his_quotes = {q["id"] for q in rec["quotes"] if q["speaker"]["actor"] == qaani}
    his = [t for t in rec["techniques"] if t["voice"]["quote"] in his_quotes]
    assert his and all(t["voice"]["actor"] == qaani for t in his)
    texts = [span_text(rec, t["span"]) for t in his]
    assert any("dirty goals" in x or "spider" in x for x in texts), texts
    outlet = [t for t in rec["techniques"] if t["voice"]["quote"] is None]
    assert outlet
    for t in outlet:
        assert not any(_inside(t["span"], q["content"]) for q in rec["quotes"]), span_text(rec, t["span"])


# ----- calibrated probabilities, keep modes, readable labels --------------------------------------------------

from presslens.techniques.calibrate import (  # noqa: E402
    KEEP_MODES,
    PROBABILITY_MIN,
    Calibration,
    OofSpan,
    fit_calibration,
    fit_maps,
    gold_share,
    help_rows,
    precision_thresholds,
    shipped,
)


def test_gold_share_is_the_share_of_characters_inside_merged_gold_spans():
    spans = [OofSpan("1", 0, 10, 0.5, "Doubt", 0.5), OofSpan("1", 20, 30, 0.5, "Doubt", 0.5),
             OofSpan("2", 0, 4, 0.5, "Doubt", 0.5)]  # fmt: skip
    gold_share(spans, {"1": [(5, 12), (8, 10), (25, 40)]})
    assert [s.target for s in spans] == [0.5, 0.5, 0.0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.sampled_from(["A", "B"])), min_size=1, max_size=80
    ),
    st.floats(0.3, 0.9),
)
def test_precision_threshold_is_the_lowest_cut_whose_kept_spans_reach_the_target(rows, target):
    spans = [OofSpan("1", k, k + 1, 0.5, t, 0.5, target=y) for k, (_, y, t) in enumerate(rows)]
    probs = [p for p, _, _ in rows]
    import numpy as np

    th = precision_thresholds(spans, np.array(probs), target, min_kept=1)
    for t in ("A", "B"):
        ys = [(p, s.target) for p, s in zip(probs, spans, strict=True) if s.technique == t]
        if not ys:
            continue
        cut = th[t]
        kept = [y for p, y in ys if p >= cut]
        if cut <= 1.0:  # the spans kept at the cut reach the target
            assert kept and sum(kept) / len(kept) >= target - 1e-9
        for lower in sorted({p for p, _ in ys if p < cut}):  # no lower cut does
            more = [y for p, y in ys if p >= lower]
            assert sum(more) / len(more) < target


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=1, max_size=80),
    st.floats(0.3, 0.9),
    st.floats(0.0, 30.0),
)
def test_smoothing_never_lowers_a_threshold_and_smoothed_cuts_reach_the_target(rows, target, weight):
    import numpy as np

    spans = [OofSpan("1", k, k + 1, 0.5, "A", 0.5, target=y) for k, (_, y) in enumerate(rows)]
    probs = np.array([p for p, _ in rows])
    plain = precision_thresholds(spans, probs, target, min_kept=1)["A"]
    smooth = precision_thresholds(spans, probs, target, min_kept=1, prior_weight=weight)["A"]
    assert smooth >= plain  # shrinking towards the technique's own precision only asks for more evidence
    if smooth <= 1.0:
        kept = [s.target for s, p in zip(spans, probs, strict=True) if p >= smooth]
        base = sum(s.target for s in spans) / len(spans)
        assert (sum(kept) + weight * base) / (len(kept) + weight) >= target - 1e-9


def test_pooled_cut_is_one_threshold_for_every_technique_and_reaches_the_target_over_all():
    import random

    rnd = random.Random(5)
    spans, gold = [], []
    for k in range(600):  # two techniques, precision grows with the mean token probability
        mean = rnd.random()
        tech = "Loaded_Language" if k % 3 else "Doubt"
        spans.append(OofSpan(str(k), 0, 10, mean, tech, 0.9))
        if rnd.random() < mean:
            gold.append(Label(str(k), tech, 0, 10))
    gold_share(spans, {g.article: [(g.start, g.end)] for g in gold})
    cal = fit_calibration(spans, gold, rule="pooled")
    assert len(set(cal.thresholds.values())) == 1 and next(iter(cal.thresholds.values())) <= 1.0
    assert cal.stats["likely"]["si"]["precision"] >= 0.6
    lowest = fit_calibration(spans, gold)
    assert cal.stats["likely"]["spans"] > 0 and lowest.stats["likely"]["spans"] > 0


def test_bagged_thresholds_keep_a_well_supported_technique_and_drop_one_held_up_by_a_few_spans():
    import random

    import numpy as np

    from presslens.techniques.calibrate import bagged_thresholds, thresholds_once

    rnd = random.Random(11)
    spans, probs = [], []
    for k in range(300):  # loaded language: many spans, precision grows with the probability
        p = (k % 100) / 100
        spans.append(OofSpan(f"a{k % 60}", k, k + 1, 0.5, "Loaded_Language", 0.5, target=float(rnd.random() < p)))
        probs.append(p)
    # doubt: four lucky spans at the top, then only wrong ones
    for k, (p, y) in enumerate([(0.9, 1), (0.88, 1), (0.86, 1), (0.84, 1), (0.82, 0)] + [(0.5, 0)] * 40):
        spans.append(OofSpan(f"d{k}", 1000 + k, 1001 + k, 0.5, "Doubt", 0.5, target=float(y)))
        probs.append(p)
    probs = np.array(probs)
    once = thresholds_once(spans, probs, 0.6, 0.0, 0.0, "lowest", 0.0)
    bagged = bagged_thresholds(spans, probs, 0.6, 0.0, 0.0, prior_weight=5.0, rounds=21)
    assert once["Doubt"] <= 1.0 < bagged["Doubt"]  # four right spans of 45 do not make a technique to show
    assert bagged["Loaded_Language"] <= 1.0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=2, max_size=60))
def test_calibrated_probability_is_monotone_in_the_raw_score_and_bounded(rows):
    spans = [OofSpan("1", k, k + 1, m, "Doubt", tp, target=y) for k, (m, tp, y) in enumerate(rows)]
    cal = Calibration(maps=fit_maps(spans, 1.0, min_spans=1), thresholds={})
    grid = [x / 20 for x in range(21)]
    ps = [cal.probability("Doubt", x, 1.0) for x in grid]
    assert all(0.0 <= p <= 1.0 for p in ps)
    assert all(a <= b + 1e-12 for a, b in zip(ps, ps[1:], strict=False))
    assert cal.probability("Slogans", 0.5, 1.0) == cal.probability("*", 0.5, 1.0)  # no map of its own: pooled


def test_fit_calibration_keeps_precise_spans_and_round_trips_json(tmp_path):
    import random

    rnd = random.Random(3)
    spans, gold = [], []
    for k in range(400):  # precision grows with the mean token probability
        mean = rnd.random()
        hit = rnd.random() < mean
        spans.append(OofSpan(str(k), 0, 10, mean, "Loaded_Language", 0.9))
        if hit:
            gold.append(Label(str(k), "Loaded_Language", 0, 10))
    gold_share(spans, {g.article: [(g.start, g.end)] for g in gold})
    cal = fit_calibration(spans, gold)
    assert 0.0 < cal.thresholds["Loaded_Language"] <= 1.0
    likely, every = cal.stats["likely"], cal.stats["all"]
    assert likely["si"]["precision"] >= 0.6 > every["si"]["precision"]
    assert likely["spans"] < every["spans"] == 400
    assert cal.stats["per_technique"]["Loaded_Language"]["si_precision"] >= 0.6
    from presslens.techniques.calibrate import load_calibrations, save_calibration

    path = tmp_path / "calibration.json"
    save_calibration(path, "default", cal)
    back = load_calibrations(path)["default"]
    assert back.thresholds == cal.thresholds and back.f1_threshold == cal.f1_threshold
    assert back.probability("Loaded_Language", 0.7, 0.9) == pytest.approx(cal.probability("Loaded_Language", 0.7, 0.9))


def test_record_thresholds_keep_more_at_the_target_and_leave_the_display_bar_as_it_was(tmp_path):
    """With a floor of 0.5, what is shown stays as without record thresholds; the record keeps the spans over
    its own threshold (chosen without the floor) too: more recall, still the target precision."""
    import random

    from presslens.techniques.calibrate import load_calibrations, save_calibration

    rnd = random.Random(11)
    spans, gold = [], []
    for k in range(500):
        mean = rnd.random()
        spans.append(OofSpan(str(k), 0, 10, mean, "Loaded_Language", 0.9))
        if rnd.random() < mean:
            gold.append(Label(str(k), "Loaded_Language", 0, 10))
    gold_share(spans, {g.article: [(g.start, g.end)] for g in gold})
    shown_only = fit_calibration(spans, gold, probability_min=0.5)
    tiered = fit_calibration(spans, gold, probability_min=0.5, record_target=0.6)
    assert shown_only.record_thresholds == {} and tiered.thresholds == shown_only.thresholds
    assert tiered.record_threshold("Loaded_Language") < 0.5 <= tiered.threshold("Loaded_Language")
    assert tiered.stats["shown"] == shown_only.stats["shown"] == shown_only.stats["likely"]
    likely = tiered.stats["likely"]
    assert likely["si"]["recall"] > tiered.stats["shown"]["si"]["recall"]
    assert likely["si"]["precision"] >= 0.6 and likely["spans"] > tiered.stats["shown"]["spans"]
    row = tiered.stats["per_technique"]["Loaded_Language"]
    assert row["record_kept"] > row["kept"] and row["record_si_precision"] >= 0.6
    path = tmp_path / "calibration.json"
    save_calibration(path, "accurate", tiered)
    assert load_calibrations(path)["accurate"].record_thresholds == tiered.record_thresholds


def test_probability_floor_lies_under_every_threshold_and_round_trips(tmp_path):
    """A floor of 0.5 keeps by default no span under it, whatever its technique's threshold; the thresholds
    themselves are chosen as without it, and the floor is saved."""
    import random

    from presslens.techniques.calibrate import load_calibrations, save_calibration

    rnd = random.Random(5)
    spans, gold = [], []
    for k in range(500):
        mean = rnd.random()
        spans.append(OofSpan(str(k), 0, 10, mean, "Loaded_Language", 0.9))
        if rnd.random() < mean:  # kept spans reach precision 0.6 from a threshold well under 0.5
            gold.append(Label(str(k), "Loaded_Language", 0, 10))
    gold_share(spans, {g.article: [(g.start, g.end)] for g in gold})
    plain = fit_calibration(spans, gold)
    floored = fit_calibration(spans, gold, probability_min=0.5)
    assert floored.thresholds == plain.thresholds
    assert plain.threshold("Loaded_Language") < 0.5 == floored.threshold("Loaded_Language")
    probs = [floored.probability(s.technique, s.mean, s.technique_p) for s in spans]
    assert all(p >= 0.5 for p in probs if floored.keeps("Loaded_Language", p))
    assert any(p < 0.5 for p in probs if plain.keeps("Loaded_Language", p))
    assert floored.stats["likely"]["spans"] < plain.stats["likely"]["spans"]
    assert floored.stats["per_technique"]["Loaded_Language"]["threshold"] == 0.5
    assert floored.keeps("Loaded_Language", 0.1, keep="all") and not floored.keeps("Slogans", 0.99)
    save_calibration(tmp_path / "c.json", "default", floored)
    assert load_calibrations(tmp_path / "c.json")["default"].probability_min == 0.5


def test_targeted_scope_tests_only_lone_words_and_labels_and_round_trips(tmp_path):
    """In scope "targeted" a many-word loaded-language span is kept without word evidence, a lone word or a label
    only with it, a negated span never; the thresholds are chosen on that basis; the scope is saved."""
    import random

    from presslens.techniques.calibrate import load_calibrations, save_calibration

    rnd = random.Random(7)
    spans, gold = [], []
    for k in range(600):
        mean = rnd.random()
        kind = k % 4  # 0: many words; 1: lone word with evidence; 2: lone word without; 3: negated
        tech = "Name_Calling,Labeling" if k % 8 == 1 else "Loaded_Language"
        spans.append(OofSpan(str(k), 0, 10, mean, tech, 0.9, evidence=0.9 if kind == 1 else 0.2,
                             lone=kind in (1, 2), negated=kind == 3))  # fmt: skip
        if rnd.random() < mean:
            gold.append(Label(str(k), tech, 0, 10))
    gold_share(spans, {g.article: [(g.start, g.end)] for g in gold})
    every = fit_calibration(spans, gold, evidence_min=0.6, choose_at=0.5)
    targeted = fit_calibration(spans, gold, evidence_min=0.6, choose_at=0.5, scope="targeted")
    assert every.evidence_scope == "every" and targeted.evidence_scope == "targeted"
    # "every": only the lone words with evidence can be kept (150 spans); "targeted" adds the many-word spans
    assert every.stats["likely"]["spans"] <= 150 < targeted.stats["likely"]["spans"]
    assert targeted.stats["likely"]["si"]["precision"] >= 0.6
    save_calibration(tmp_path / "c.json", "accurate", targeted)
    assert load_calibrations(tmp_path / "c.json")["accurate"].evidence_scope == "targeted"


def test_shipped_calibration_meets_the_precision_target_out_of_fold():
    cals = shipped()
    if "default" not in cals:
        pytest.skip("this checkout's model is not calibrated")
    # the issue asks recall >= 0.15 at that precision for what the record keeps by default: the accurate mode's
    # record keeps spans under the display bar (record_thresholds) and reaches it; the default mode keeps what it
    # shows. What is shown: out of fold the default mode 0.018 with its probability floor, the accurate mode 0.046
    # (the floor and the word test buy plausibility on general news with PTC recall: docs/techniques-model-card.md,
    # "What is shown, judged"); guard against losing more
    for mode, least_recall, least_shown in (("default", 0.015, 0.015), ("accurate", 0.15, 0.04)):
        c = cals[mode]
        assert c.stats["likely"]["si"]["precision"] >= 0.6, mode
        assert c.stats["likely"]["si"]["recall"] >= least_recall, mode
        bar = c.stats.get("shown", c.stats["likely"])  # a calibration without record thresholds keeps what it shows
        assert bar["si"]["precision"] >= 0.6 and bar["si"]["recall"] >= least_shown, mode
        assert c.probability_min == PROBABILITY_MIN[mode] and c.stats["probability_min"] == c.probability_min, mode
    assert cals["accurate"].record_thresholds and not cals["default"].record_thresholds
    cal = cals["default"]
    # every technique shown by default keeps spans at the target precision out of fold
    for t, row in cal.stats["per_technique"].items():
        assert row["kept"] == 0 or row["si_precision"] >= 0.6, t
    assert cal.stats["f1"]["si"]["f1"] >= cal.stats["likely"]["si"]["f1"]
    rows = help_rows(cal)
    assert [r["technique"] for r in rows] == list(TECHNIQUES)
    assert all(r["label"] and "_" not in r["label"] for r in rows)
    assert TechniqueModel.load().calibration is not None


def test_keep_modes_on_the_seed(seed_text):
    """likely and f1 keep subsets of all; every kept span clears its technique's threshold; probabilities 0-1."""
    from presslens.record.pipeline import default_nlp
    from presslens.techniques.detector import load_model

    doc = default_nlp()(seed_text)
    found = {keep: detect(doc, keep=keep) for keep in KEEP_MODES}
    every = {(t.technique, t.span) for t in found["all"]}
    assert found["all"]
    for keep in ("likely", "f1"):
        assert {(t.technique, t.span) for t in found[keep]} <= every
    assert all(0.0 <= t.score <= 1.0 for t in found["all"])
    cal = load_model().calibration
    if cal is not None:
        shown = [t for t in found["likely"] if t.shown]
        assert all(t.score >= cal.threshold(t.technique) >= cal.probability_min for t in shown)
        assert all(t.score >= cal.record_threshold(t.technique) for t in found["likely"] if not t.shown)
    on_show = {(t.technique, t.span) for t in found["likely"] if t.shown}
    for keep in ("f1", "all"):  # a span is shown or not whatever the keep mode
        assert {(t.technique, t.span) for t in found[keep] if t.shown} == on_show
    with pytest.raises(ValueError, match="keep mode"):
        detect(doc, keep="some")


def test_the_record_keeps_a_tier_under_the_display_bar_and_shows_the_same(seed_text):
    """With record thresholds, keep="likely" keeps more than it shows; what it shows does not change; the rest
    clears the record thresholds, one label per passage and technique; the table and the store leave it out."""
    import copy
    from dataclasses import replace

    from presslens.record.pipeline import default_nlp
    from presslens.techniques.detector import load_model

    doc = default_nlp()(seed_text)
    plain = load_model()
    assert plain.calibration is not None
    tiered = copy.copy(plain)
    tiered.calibration = replace(plain.calibration, record_thresholds={t: 0.2 for t in TECHNIQUES})
    before = detect(doc, model=plain)
    after = detect(doc, model=tiered)
    shown = [(t.technique, t.span, t.score) for t in after if t.shown]
    assert shown == [(t.technique, t.span, t.score) for t in before] and shown
    hidden = [t for t in after if not t.shown]
    assert hidden and all(t.score >= 0.2 for t in hidden)
    for i, a in enumerate(after):
        for b in after[i + 1 :]:
            assert a.technique != b.technique or not (a.span[0] < b.span[1] and b.span[0] < a.span[1])
    assert [t.span for t in after] == sorted(t.span for t in after)
    # through the calibration's JSON and back
    again = type(plain.calibration).from_json(tiered.calibration.to_json())
    assert again.record_thresholds == tiered.calibration.record_thresholds
    assert again.keeps("Loaded_Language", 0.25, "likely", evidence=0.0)
    assert not again.shows("Loaded_Language", 0.25, evidence=0.0)


def test_possible_labels_are_readable_and_never_a_verdict():
    from presslens.techniques.names import LABELS, label, possible

    assert set(LABELS) == set(TECHNIQUES)
    assert label("Name_Calling,Labeling") == "Name calling or labelling"
    assert possible("Name_Calling,Labeling", 0.716) == "possible name calling or labelling (p 0.72)"
    assert possible("Loaded_Language", None) == "possible loaded language"
    assert label("Made_Up") == "Made Up"


def test_analyze_techniques_option(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text((FIXTURES / "seed.txt").read_text(encoding="utf-8"), encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(art), "--techniques", "sometimes", "-f", "jsonl"])
    assert res.exit_code == 2 and "likely, all, f1, none" in res.output
    res = runner.invoke(app, ["analyze", str(art), "--no-techniques", "-f", "jsonl"])
    assert res.exit_code == 0 and json.loads(res.stdout.splitlines()[0])["techniques"] == []


def test_techniques_help_command_lists_every_technique():
    res = runner.invoke(app, ["techniques-help"], env={"COLUMNS": "220"})  # one label per line
    assert res.exit_code == 0, res.output
    if shipped().get("default") is not None:
        words = " ".join(res.output.split())  # the caption wraps with the terminal's width
        assert "Name calling or labelling" in res.output and "not a verdict" in words
        # the hand check on general news is said beside the out-of-fold figures
        assert "general news pages" in words


def test_techniques_help_page_and_its_json_say_what_a_label_is_worth_on_real_pages(tmp_path):
    from fastapi.testclient import TestClient

    from presslens.store import Store
    from presslens.techniques.calibrate import REAL_PAGES
    from presslens.web import create_app

    url = f"sqlite:///{tmp_path / 'h.db'}"
    Store.open(url)  # an empty store: the help page reads no article
    client = TestClient(create_app(url))
    data = client.get("/api/techniques/help").json()
    assert data["real_pages"]["plausible"] == REAL_PAGES["plausible"]
    assert f"{REAL_PAGES['plausible']} of {REAL_PAGES['checked']}" in data["real_pages"]["summary"]
    page = client.get("/techniques/help")
    assert page.status_code == 200
    assert data["real_pages"]["summary"].split(" (")[0] in page.text
    # the floor the page states is the least that any shipped calibration applies
    floors = [c.probability_min for c in shipped().values()]
    assert data["probability_min"] == min(floors, default=0.0)
    assert f"never under a probability of {data['probability_min']}" in " ".join(page.text.split())
    if data["calibrated"]:
        shown = [r for r in data["techniques"] if r["shown"]]
        assert shown and all(r["label"] in page.text for r in shown)
        assert all(r["si_precision"] >= data["target_precision"] for r in shown)


# ----- --accurate in every path (ingest, --workers, --dask, serve) -------------------------------------------
def test_nlp_loader_is_picklable_and_passes_options():
    import functools
    import pickle

    from presslens.parallel import nlp_loader
    from presslens.record.pipeline import load_nlp

    assert nlp_loader() is load_nlp
    loader = pickle.loads(pickle.dumps(nlp_loader(accurate=True)))
    assert isinstance(loader, functools.partial) and loader.func is load_nlp and loader.keywords == {"accurate": True}


def test_dask_workers_load_the_pipeline_with_the_options(monkeypatch):
    from presslens.parallel import cluster

    loads = []
    monkeypatch.setattr(cluster, "load_nlp", lambda **kw: loads.append(kw) or object())
    monkeypatch.setattr(cluster, "_WORKER_NLPS", {})
    a = cluster._worker_nlp({"accurate": True})
    assert cluster._worker_nlp({"accurate": True}) is a  # once per process and options
    assert loads == [{"accurate": True}]


def test_ingest_passes_accurate_to_workers_dask_and_this_process(monkeypatch, tmp_path):
    import presslens.parallel as parallel
    import presslens.record.pipeline as pipeline
    from presslens.store import Store
    from presslens.store.ingest import ingest

    seen: dict[str, object] = {}

    def fake_parallel(docs, workers, batch_size=16, loader=None, **_kw):
        seen["loader"] = loader
        return iter(pipeline.error_record(d.source, "analysis", "not analysed in this test") for d in docs)

    def fake_dask(docs, address, out_dir, **kw):
        seen["dask"] = kw.get("nlp_options")
        return []

    monkeypatch.setattr(parallel, "analyze_parallel", fake_parallel)
    monkeypatch.setattr(parallel, "run_dask_items", fake_dask)
    monkeypatch.setattr(pipeline, "load_nlp", lambda **kw: seen.setdefault("here", kw) and None)
    monkeypatch.setattr(pipeline, "analyze_many", lambda docs, nlp=None, batch_size=16: iter(()))
    (tmp_path / "a.txt").write_text("Officials said the plan was a disaster for everyone.", encoding="utf-8")
    opts = {"accurate": True}
    with Store.open(f"sqlite:///{tmp_path / 'w.db'}", create=True) as store:
        ingest(store, [str(tmp_path / "a.txt")], workers=2, nlp_options=opts)
    assert seen["loader"].keywords == opts
    with Store.open(f"sqlite:///{tmp_path / 'd.db'}", create=True) as store:
        ingest(store, [str(tmp_path / "a.txt")], dask="tcp://127.0.0.1:1", nlp_options=opts)
    assert seen["dask"] == opts
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}", create=True) as store:
        ingest(store, [str(tmp_path / "a.txt")], nlp_options=opts)
    assert seen["here"] == opts


def test_ingest_and_serve_accept_accurate(monkeypatch, tmp_path):
    import uvicorn

    import presslens.store.ingest as store_ingest

    seen: dict[str, object] = {}

    def fake_ingest(store, inputs, **kw):
        seen["ingest"] = kw.get("nlp_options")
        return store_ingest.IngestStats()

    monkeypatch.setattr(store_ingest, "ingest", fake_ingest)
    (tmp_path / "a.txt").write_text("Officials said the plan was a disaster.", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    res = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--accurate", "--workers", "2"])
    if res.exit_code == 2:  # no accurate tagger or encoder here: refused with a clear message
        assert "--accurate" in res.output
        return
    assert res.exit_code == 0, res.output
    assert seen["ingest"] == {"accurate": True}
    monkeypatch.setattr(uvicorn, "run", lambda app_, **kw: seen.setdefault("app", app_))
    res = runner.invoke(app, ["serve", "--db", db, "--accurate"])
    assert res.exit_code == 0, res.output
    import presslens.record.pipeline as pipeline

    calls = []
    monkeypatch.setattr(pipeline, "load_nlp", lambda **kw: calls.append(kw) or None)
    monkeypatch.setattr(pipeline, "analyze_many", lambda docs, nlp=None: iter([{"ok": True}]))
    assert seen["app"].state.analyse(object()) == {"ok": True}
    assert calls == [{"accurate": True}]


_passage_spans = st.lists(
    st.tuples(
        st.sampled_from(["Loaded_Language", "Name_Calling,Labeling"]),
        st.integers(0, 60),
        st.integers(1, 20),
        st.sampled_from([0.3, 0.45, 0.6, 0.72]),
    ).map(lambda x: (x[0], x[1], x[1] + x[2], x[3])),
    max_size=25,
)


@given(_passage_spans)
@settings(max_examples=200, deadline=None)
def test_one_label_per_passage_keeps_the_most_probable_of_overlapping_spans(spans):
    """What the default shows: no two spans of one technique overlap; each span left out overlaps a shown span of
    its technique at least as probable (and, if as probable, no longer); spans of other techniques never compete."""
    from presslens.techniques.calibrate import one_per_passage

    items = list(enumerate(spans))  # equal spans are still two spans
    kept = one_per_passage(items, lambda x: x[1])
    assert sorted(kept) == kept  # order kept
    for i, a in kept:
        for j, b in kept:
            if i != j and a[0] == b[0]:
                assert a[2] <= b[1] or b[2] <= a[1]
    shown = {i for i, _ in kept}
    for i, x in items:
        if i in shown:
            continue
        rivals = [k for _, k in kept if k[0] == x[0] and k[1] < x[2] and x[1] < k[2]]
        assert any(k[3] > x[3] or (k[3] == x[3] and k[2] - k[1] <= x[2] - x[1]) for k in rivals), (x, kept)


def _general_news_shown():
    path = Path(__file__).resolve().parents[1] / "scripts" / "general_news_shown.py"
    spec = importlib.util.spec_from_file_location("general_news_shown", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_judged_general_news_gives_the_figures_the_help_pages_state():
    """The judged labels of docs/data/general-news-shown.jsonl give the counts GENERAL_NEWS states (what the help
    page, the table caption and techniques-help print), and the rules partition them as the model card says."""
    from presslens.techniques.calibrate import GENERAL_NEWS, PROBABILITY_MIN

    script = _general_news_shown()
    data = Path(__file__).resolve().parents[1] / "docs" / "data" / "general-news-shown.jsonl"
    rows = script.read_rows(data)
    assert all(len(r.get("plausible", [0] * 3)) == 3 and len(r.get("voice_right", [0] * 3)) == 3 for r in rows)
    assert all(len(r["plausible_3"]) in (3, 6) for r in rows if "plausible_3" in r)  # 6: read in two batches
    floor = PROBABILITY_MIN["default"]
    latest = script.figures(rows, floor, GENERAL_NEWS["panel"], wording=True)  # the panel the help pages quote
    now = latest["default"][f"shown now (floor {floor})"]
    assert now["labels"] == GENERAL_NEWS["checked"]
    assert round(now["plausible"] * now["labels"]) == GENERAL_NEWS["plausible"]
    assert round(now["voice_right"] * now["labels"]) == GENERAL_NEWS["voices_right"]
    shown_acc = latest["accurate"][f"shown now (floor {PROBABILITY_MIN['accurate']})"]
    assert shown_acc["labels"] == GENERAL_NEWS["checked_accurate"]
    assert round(shown_acc["plausible"] * shown_acc["labels"]) == GENERAL_NEWS["plausible_accurate"]
    assert len({r["article"] for r in rows if r["p"]}) <= GENERAL_NEWS["articles_accurate"] == GENERAL_NEWS["articles"]
    # the first panel judged the same labels of the default mode (and the rules below)
    out = script.figures(rows, floor)
    default = out["default"]
    now = default[f"shown now (floor {floor})"]
    assert now["labels"] == GENERAL_NEWS["checked"]
    assert round(now["plausible"] * now["labels"]) == GENERAL_NEWS["plausible_first_panel"]
    # the floor splits what was shown; what the default shows now is the floor and the voice rule together
    before = default["shown before"]["labels"]
    assert default[f"floor {floor}"]["labels"] + default[f"under floor {floor}"]["labels"] == before
    assert default["voice rule"]["labels"] + default["dropped by the voice rule"]["labels"] == before
    assert now["plausible"] > default["shown before"]["plausible"] > default[f"under floor {floor}"]["plausible"]
    assert default["dropped by the voice rule"]["voice_right"] < 0.5 < now["voice_right"]
    assert script.interval(rows[:0], "plausible") == [None, None]
