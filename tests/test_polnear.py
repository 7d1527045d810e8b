"""PolNeAR dev scored by the reference scorer; skips where ../shared is absent."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED
from presslens.pipeline import analyze_many
from presslens.readers import iter_inputs

DEV = SHARED / "data/polnear/dev"
SCORER = SHARED / "eval/score_attribution.py"


@pytest.mark.skipif(not (DEV.is_dir() and SCORER.is_file()), reason="PolNeAR dev or the scorer is not here")
def test_polnear_dev_attribution_f1(tmp_path):
    pred = tmp_path / "dev.jsonl"
    with open(pred, "w", encoding="utf-8") as f:
        for rec in analyze_many(iter_inputs([str(DEV / "text")])):
            assert "error" not in rec, rec
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(DEV), "--pred", str(pred)],
                         capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["articles_without_prediction"] == 0
    assert res["attribution"]["f1"] >= 0.50, res["attribution"]
    assert res["attribution_with_source"]["f1"] >= 0.40, res["attribution_with_source"]
