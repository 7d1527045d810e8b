"""`presslens train attribution` on a few PolNeAR articles: the exported NumPy model tags exactly as the PyTorch
model it came from. Needs PyTorch (requirements-train.txt) and ../shared; CI sets PRESSLENS_REQUIRE_TORCH so
that a missing PyTorch fails instead of skipping."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import SHARED

POLNEAR = SHARED / "data/polnear"

if os.environ.get("PRESSLENS_REQUIRE_TORCH"):
    import torch  # noqa: F401
else:
    pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not (POLNEAR / "train").is_dir(), reason="PolNeAR is not here")


@pytest.fixture(scope="module")
def small_polnear(tmp_path_factory):
    root = tmp_path_factory.mktemp("polnear")
    for split, n in (("train", 12), ("dev", 4)):
        names = sorted(p.stem for p in (POLNEAR / split / "text").glob("*.txt"))[:n]
        for sub in ("text", "attributions"):
            (root / split / sub).mkdir(parents=True)
        for name in names:
            (root / split / "text" / f"{name}.txt").symlink_to(POLNEAR / split / "text" / f"{name}.txt")
            for ann in (POLNEAR / split / "attributions").glob(f"{name}_*.ann"):
                (root / split / "attributions" / ann.name).symlink_to(ann)
    return root


def test_exported_model_tags_like_the_torch_model(small_polnear, tmp_path):
    from presslens.attribution import train as tr
    from presslens.attribution.features import FEATURES, TENSOR_WIDTH
    from presslens.attribution.model import AttributionTagger
    from presslens.record.pipeline import load_nlp
    from presslens.tagger import train as tagger_train
    from presslens.tagger.crf import Features

    cache = tmp_path / "cache.pkl"
    nlp = load_nlp(techniques=False)
    meta = tr.train(small_polnear, tmp_path / "m", epochs=2, hidden=16, cache=cache, log=lambda _m: None, nlp=nlp)
    assert [h["epoch"] for h in meta["history"]] == [1, 2]
    assert cache.is_file()
    tagger = AttributionTagger.load(tmp_path / "m")
    import pickle

    with cache.open("rb") as f:
        _, dev = pickle.load(f)
    # rebuild the torch model from the exported (float16) weights and compare its Viterbi paths with NumPy's
    model = tagger_train.build_torch_model(16, 1, 0.0, tr.TAGS, TENSOR_WIDTH, FEATURES, tr.EMBED_DIMS)
    import torch

    w = np.load(tmp_path / "m" / "model.npz")
    state = model.state_dict()
    for k, name in enumerate(tr.FEATURE_NAMES):
        state[f"emb.{k}.weight"] = torch.tensor(w[f"emb.{name}"].astype(np.float32))
    for d, suffix in (("f", ""), ("b", "_reverse")):
        state[f"lstm.weight_ih_l0{suffix}"] = torch.tensor(w[f"lstm.0.{d}.w_ih"].astype(np.float32))
        state[f"lstm.weight_hh_l0{suffix}"] = torch.tensor(w[f"lstm.0.{d}.w_hh"].astype(np.float32))
        state[f"lstm.bias_ih_l0{suffix}"] = torch.tensor(w[f"lstm.0.{d}.b"].astype(np.float32))
        state[f"lstm.bias_hh_l0{suffix}"] = torch.zeros_like(state[f"lstm.bias_hh_l0{suffix}"])
    state["out.weight"] = torch.tensor(w["out.w"].astype(np.float32))
    state["out.bias"] = torch.tensor(w["out.b"].astype(np.float32))
    for k in ("trans", "start", "end"):
        state[k] = torch.tensor(w[f"crf.{k}"].astype(np.float32))
    model.load_state_dict(state)
    torch_paths = tagger_train.predict(model, dev)
    for ex, want in zip(dev, torch_paths, strict=True):
        got = tagger.tag(Features(ex.ids, ex.dense.astype(np.float32), ex.sequences)).tags
        assert (got == want).all(), ex.name


def test_train_attribution_command(small_polnear, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "presslens.cli",
            "train",
            "attribution",
            "--data",
            str(small_polnear),
            "--out",
            str(tmp_path / "m"),
            "--epochs",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["best_epoch"] == 1
    assert {"source", "cue", "content"} <= set(res["history"][0]["dev_span_f1"])
    assert (tmp_path / "m" / "model.npz").is_file() and (tmp_path / "m" / "model.json").is_file()
