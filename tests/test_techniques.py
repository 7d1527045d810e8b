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
from typer.testing import CliRunner

from conftest import FIXTURES, SHARED, span_text
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


def test_voice_in_the_record_names_quote_and_speaker():
    quotes = [SimpleNamespace(actor=None), SimpleNamespace(actor=SimpleNamespace(id="a3"))]
    item = Technique("Loaded_Language", (3, 9), 0.5, quote=1).to_dict(quotes)
    assert item["voice"] == {"quote": "q2", "actor": "a3"}
    assert item["description"] == DESCRIPTIONS["Loaded_Language"]
    assert Technique("Doubt", (3, 9), 0.5, quote=0).to_dict(quotes)["voice"] == {"quote": "q1", "actor": None}
    assert Technique("Doubt", (3, 9), 0.5).to_dict(quotes)["voice"] == {"quote": None, "actor": None}


def test_seed_techniques_in_qaanis_quotes_carry_his_voice(seed_record):
    rec = seed_record
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


def test_seed_voices_follow_quote_contents(seed_record):
    rec = seed_record
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


def test_table_shows_techniques_descriptions_and_voices(seed_record):
    from rich.console import Console

    from presslens.record.render import record_view

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(record_view(seed_record))
    out = console.export_text()
    assert "Persuasion techniques" in out and "Techniques by voice" in out
    assert DESCRIPTIONS["Loaded_Language"] in out
    assert "outlet" in out and "Ismail Qaani" in out


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


def test_fixture_offsets_are_right():
    text = (TECH_FIXTURES / "article9002.txt").read_text(encoding="utf-8")
    assert text[312:329] == "wiped off the map"
    assert Path(TECH_FIXTURES / "gold.labels").exists()


def test_accurate_mode_trains_beside_the_default_model_and_runs(tmp_path):
    """`train techniques --accurate` adds the MiniLM span tagger to a model directory and keeps the rest;
    `techniques --accurate` and `detect(..., accurate=True)` use it (needs PyTorch and the encoder package)."""
    import presslens.tagger.minilm as minilm
    from presslens.techniques.train import torch_available

    if not os.environ.get("PRESSLENS_REQUIRE_TORCH") and not torch_available():
        pytest.skip("PyTorch is not installed")
    if not os.environ.get("PRESSLENS_REQUIRE_ENCODER"):
        pytest.importorskip(minilm.PACKAGE)
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
    assert model.accurate_tagger.meta["dense"] == ["spacy", "minilm"]
    assert (out / "span_tagger_minilm.npz").is_file()
    assert model.accurate_tagger.dense_width == 96 + minilm.WIDTH
    assert json.loads((out / "model.json").read_text(encoding="utf-8"))["accurate"]["cv"]["folds"] == 2
    res = runner.invoke(
        app, ["techniques", str(TECH_FIXTURES), "-o", str(tmp_path / "a.labels"), "--model", str(out), "--accurate"]
    )
    assert res.exit_code == 0, res.output
    # the accurate model refuses inputs without the MiniLM states rather than tagging garbage
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

    (rec,) = analyze_many([Document(text=seed_text)], nlp=load_nlp(accurate=True))
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
