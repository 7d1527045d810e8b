"""GAP end to end: run the pipeline with ``presslens_coref`` on each example, write presslens records, score
them with the reference scorer (``../shared/eval/score_gap.py``).

  python -m presslens.evaluation.coref ../shared/data/gap/gap-validation.tsv --scorer ../shared/eval/score_gap.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from presslens.coref.train import gap_rows
from presslens.record.pipeline import load_nlp


def coref_nlp(accurate: bool = False) -> Any:
    """The pipeline without techniques, with ``presslens_coref`` last; *accurate*: its MPNet pair scorer
    (``coref.component.CorefComponent``, as ``load_nlp(accurate=True)`` runs it)."""
    nlp = load_nlp(techniques=False, coref=False, figures=False, claims=False, relations=False)
    nlp.add_pipe("presslens_coref", config={"accurate": accurate})
    return nlp


def write_records(tsv: str | Path, out: str | Path, nlp: Any = None) -> float:
    """One record per GAP example (article id = GAP ID, the actors with their mentions); returns seconds."""
    rows = gap_rows(tsv)
    nlp = nlp or coref_nlp()
    t = time.perf_counter()
    with open(out, "w", encoding="utf-8") as f:
        for r, doc in zip(rows, nlp.pipe([r["Text"] for r in rows], batch_size=32), strict=True):
            rec = {"article": {"id": r["ID"]}, "actors": [a.to_dict() for a in doc._.presslens_actors]}
            f.write(json.dumps(rec) + "\n")
    return time.perf_counter() - t


def score(tsv: str | Path, pred: str | Path, scorer: str | Path) -> dict[str, float]:
    """The reference scorer's figures (its last line)."""
    res = subprocess.run(
        [sys.executable, str(scorer), "score", str(tsv), str(pred)], capture_output=True, text=True, check=True
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tsv")
    ap.add_argument("--scorer", default="../shared/eval/score_gap.py")
    ap.add_argument("--out", default="/tmp/presslens-gap.jsonl")
    ap.add_argument("--accurate", action="store_true", help="the MPNet pair scorer")
    args = ap.parse_args(argv)
    secs = write_records(args.tsv, args.out, coref_nlp(args.accurate))
    res = score(args.tsv, args.out, args.scorer)
    res["seconds"] = round(secs, 1)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
