"""PolNeAR dev scored by the reference scorer, and presslens's own scorer agreeing with it; skips where
../shared is absent."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED
from presslens.evaluate import score
from presslens.pipeline import analyze_many
from presslens.readers import iter_inputs

DEV = SHARED / "data/polnear/dev"
SCORER = SHARED / "eval/score_attribution.py"
pytestmark = pytest.mark.skipif(
    not (DEV.is_dir() and SCORER.is_file()), reason="PolNeAR dev or the reference scorer is not here"
)


@pytest.fixture(scope="module")
def dev_predictions(tmp_path_factory):
    pred = tmp_path_factory.mktemp("polnear") / "dev.jsonl"
    records = list(analyze_many(iter_inputs([str(DEV / "text")])))
    with open(pred, "w", encoding="utf-8") as f:
        for rec in records:
            assert "error" not in rec, rec
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return pred, records


def _reference(pred) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(DEV), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_polnear_dev_attribution_f1(dev_predictions):
    res = _reference(dev_predictions[0])
    assert res["articles_without_prediction"] == 0
    assert res["attribution"]["f1"] >= 0.50, res["attribution"]
    assert res["attribution_with_source"]["f1"] >= 0.40, res["attribution_with_source"]


def test_presslens_eval_agrees_with_the_reference_scorer(dev_predictions):
    pred, records = dev_predictions
    ref = _reference(pred)
    assert score(records, DEV) == ref
    out = subprocess.run(
        [sys.executable, "-m", "presslens.cli", "eval", "attribution", "--gold", str(DEV), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ref
    # a prediction set with one quote removed scores differently: the comparison can fail
    trimmed = [dict(r, quotes=r["quotes"][1:]) if r["quotes"] else r for r in records]
    assert score(trimmed, DEV) != ref
